//! Tests of the date operators, mostly the manual's examples.

use super::super::tests::{code, ev, ok};
use bson::{Bson, Document, bson, doc};

fn date(s: &str) -> Bson {
    Bson::DateTime(bson::DateTime::parse_rfc3339_str(s).unwrap())
}

fn e(expr: Bson) -> Bson {
    ok(expr, Document::new())
}

#[test]
fn part_extractors_manual() {
    // Manual, $year .. $week: ISODate("2014-01-01T08:15:39.736Z").
    let d = doc! {"date": date("2014-01-01T08:15:39.736Z")};
    for (op, want) in [
        ("$year", 2014),
        ("$month", 1),
        ("$dayOfMonth", 1),
        ("$hour", 8),
        ("$minute", 15),
        ("$second", 39),
        ("$millisecond", 736),
        ("$dayOfYear", 1),
        ("$dayOfWeek", 4),
        ("$week", 0),
        ("$isoWeek", 1),
        ("$isoDayOfWeek", 3),
    ] {
        assert_eq!(
            ok(bson!({op: "$date"}), d.clone()),
            Bson::Int32(want),
            "{op}"
        );
        assert_eq!(
            ok(bson!({op: ["$date"]}), d.clone()),
            Bson::Int32(want),
            "{op}"
        );
    }
    assert_eq!(
        ok(bson!({"$isoWeekYear": "$date"}), d.clone()),
        Bson::Int64(2014)
    );
    // Manual, $isoWeekYear and $isoDayOfWeek behaviour tables.
    assert_eq!(
        e(bson!({"$isoWeekYear": date("2016-01-01T00:00:00Z")})),
        Bson::Int64(2015)
    );
    assert_eq!(
        e(bson!({"$isoWeekYear": {"date": date("2017-01-02T00:00:00Z"), "timezone": "-0500"}})),
        Bson::Int64(2016)
    );
    assert_eq!(
        e(bson!({"$isoDayOfWeek": date("2016-01-03T00:00:00Z")})),
        bson!(7)
    );
    assert_eq!(
        e(bson!({"$dayOfWeek": date("2016-01-03T00:00:00Z")})),
        bson!(1)
    );
    assert_eq!(
        e(bson!({"$isoWeek": date("2020-12-31T00:00:00Z")})),
        bson!(53)
    );
    // Manual, $hour: {date, timezone}.
    assert_eq!(
        e(bson!({"$hour": {"date": date("2017-01-02T03:04:05Z"), "timezone": "America/Chicago"}})),
        bson!(21)
    );
    assert_eq!(
        e(bson!({"$minute": {"date": date("2017-01-02T03:04:05Z"), "timezone": "+0530"}})),
        bson!(34)
    );
    // Null and missing are null; a string is not a date.
    assert_eq!(ok(bson!({"$year": "$nope"}), doc! {}), Bson::Null);
    assert_eq!(e(bson!({"$year": null})), Bson::Null);
    assert_eq!(code(bson!({"$year": "2021"}), doc! {}), 16006);
    assert_eq!(
        code(
            bson!({"$year": {"date": date("2021-01-01T00:00:00Z"), "timezone": 5}}),
            doc! {}
        ),
        40517
    );
    assert_eq!(
        code(
            bson!({"$year": {"date": date("2021-01-01T00:00:00Z"), "timezone": "Mars/Base"}}),
            doc! {}
        ),
        40485
    );
    assert_eq!(code(bson!({"$year": {"timezone": "UTC"}}), doc! {}), 40539);
    assert_eq!(code(bson!({"$year": {"date": 1, "x": 1}}), doc! {}), 40535);
    assert_eq!(code(bson!({"$year": [1, 2]}), doc! {}), 40536);
    // ObjectIds and timestamps are dates.
    let oid = bson::oid::ObjectId::parse_str("5f5b2cf0aaaaaaaaaaaaaaaa").unwrap();
    assert_eq!(e(bson!({"$hour": oid})), bson!(7));
    let ts = Bson::Timestamp(bson::Timestamp {
        time: 86_400 * 365,
        increment: 1,
    });
    assert_eq!(e(bson!({"$year": ts})), bson!(1971));
}

#[test]
fn date_to_string_manual() {
    let d = doc! {"date": date("2014-01-01T08:15:39.736Z")};
    let f = |format: &str, tz: Option<&str>| {
        let mut spec = doc! {"format": format, "date": "$date"};
        if let Some(tz) = tz {
            spec.insert("timezone", tz);
        }
        ok(bson!({"$dateToString": spec}), d.clone())
    };
    assert_eq!(f("%Y-%m-%d", None), bson!("2014-01-01"));
    assert_eq!(
        f("%H:%M:%S:%L%z", Some("America/New_York")),
        bson!("03:15:39:736-0500")
    );
    assert_eq!(
        f("%H:%M:%S:%L%z", Some("+04:30")),
        bson!("12:45:39:736+0430")
    );
    assert_eq!(f("%Z", Some("America/New_York")), bson!("-300"));
    assert_eq!(f("%Z", Some("+04:30")), bson!("270"));
    assert_eq!(f("%b %B", Some("CET")), bson!("Jan January"));
    assert_eq!(f("%H", Some("+03")), bson!("11"));
    assert_eq!(
        e(
            bson!({"$dateToString": {"format": "%d|%G|%H|%j|%L|%m|%M|%S|%w|%u|%U|%V|%Y|%%", "date": date("2021-01-03T04:05:06.007Z")}})
        ),
        bson!("03|2020|04|003|007|01|05|06|1|7|01|53|2021|%")
    );
    // The default format; no "Z" in a time zone other than UTC.
    let x = date("2021-01-03T04:05:06.007Z");
    assert_eq!(
        e(bson!({"$dateToString": {"date": x.clone()}})),
        bson!("2021-01-03T04:05:06.007Z")
    );
    assert_eq!(
        e(bson!({"$dateToString": {"date": x.clone(), "timezone": "Asia/Kolkata"}})),
        bson!("2021-01-03T09:35:06.007")
    );
    assert_eq!(
        e(
            bson!({"$dateToString": {"date": date("1969-12-31T23:59:59.999Z"), "format": "%Y-%m-%d %H:%M:%S.%L"}})
        ),
        bson!("1969-12-31 23:59:59.999")
    );
    // onNull.
    assert_eq!(
        ok(
            bson!({"$dateToString": {"date": "$nope", "onNull": "none"}}),
            doc! {}
        ),
        bson!("none")
    );
    assert_eq!(e(bson!({"$dateToString": {"date": null}})), Bson::Null);
    assert_eq!(
        ev(
            bson!({"$dateToString": {"date": null, "onNull": "$nope"}}),
            doc! {}
        )
        .unwrap(),
        None
    );
    // Errors.
    assert_eq!(
        code(bson!({"$dateToString": {"date": "2021-01-01"}}), doc! {}),
        16006
    );
    assert_eq!(
        code(
            bson!({"$dateToString": {"date": "$d", "format": "%Q"}}),
            doc! {}
        ),
        18536
    );
    assert_eq!(
        code(
            bson!({"$dateToString": {"date": "$d", "format": "abc%"}}),
            doc! {}
        ),
        18535
    );
    assert_eq!(
        code(
            bson!({"$dateToString": {"date": x.clone(), "format": 1}}),
            doc! {}
        ),
        18533
    );
    assert_eq!(
        code(bson!({"$dateToString": {"format": "%Y"}}), doc! {}),
        18628
    );
    assert_eq!(
        code(
            bson!({"$dateToString": {"date": x.clone(), "foo": 1}}),
            doc! {}
        ),
        18534
    );
    assert_eq!(code(bson!({"$dateToString": "x"}), doc! {}), 18629);
    assert_eq!(
        code(
            bson!({"$dateToString": {"date": Bson::DateTime(bson::DateTime::from_millis(253_402_300_800_000))}}),
            doc! {}
        ),
        18537
    );
}

#[test]
fn date_to_parts_manual() {
    let d = doc! {"date": date("2017-01-01T01:29:09.123Z")};
    assert_eq!(
        ok(bson!({"$dateToParts": {"date": "$date"}}), d.clone()),
        bson!({"year": 2017, "month": 1, "day": 1, "hour": 1, "minute": 29, "second": 9, "millisecond": 123})
    );
    assert_eq!(
        ok(
            bson!({"$dateToParts": {"date": "$date", "iso8601": true}}),
            d.clone()
        ),
        bson!({"isoWeekYear": 2016, "isoWeek": 52, "isoDayOfWeek": 7, "hour": 1, "minute": 29, "second": 9, "millisecond": 123})
    );
    assert_eq!(
        ok(
            bson!({"$dateToParts": {"date": "$date", "timezone": "America/New_York"}}),
            d.clone()
        ),
        bson!({"year": 2016, "month": 12, "day": 31, "hour": 20, "minute": 29, "second": 9, "millisecond": 123})
    );
    assert_eq!(
        ok(bson!({"$dateToParts": {"date": "$nope"}}), d.clone()),
        Bson::Null
    );
    assert_eq!(
        code(
            bson!({"$dateToParts": {"date": "$date", "iso8601": 1}}),
            d.clone()
        ),
        40521
    );
    assert_eq!(code(bson!({"$dateToParts": {"timezone": "UTC"}}), d), 40522);
}

#[test]
fn date_from_parts_manual() {
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2017, "month": 2, "day": 8, "hour": 12}})),
        date("2017-02-08T12:00:00Z")
    );
    assert_eq!(
        e(
            bson!({"$dateFromParts": {"isoWeekYear": 2017, "isoWeek": 6, "isoDayOfWeek": 3, "hour": 12}})
        ),
        date("2017-02-08T12:00:00Z")
    );
    assert_eq!(
        e(
            bson!({"$dateFromParts": {"year": 2016, "month": 12, "day": 31, "hour": 23, "minute": 46, "second": 12, "timezone": "America/New_York"}})
        ),
        date("2017-01-01T04:46:12Z")
    );
    // Manual: values out of range carry.
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2017, "month": 14, "day": 1}})),
        date("2018-02-01T00:00:00Z")
    );
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2017, "month": 0, "day": 1}})),
        date("2016-12-01T00:00:00Z")
    );
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2017, "month": 2, "day": 0}})),
        date("2017-01-31T00:00:00Z")
    );
    assert_eq!(
        e(
            bson!({"$dateFromParts": {"year": 2017, "month": 1, "day": 1, "hour": -1, "minute": 130}})
        ),
        date("2017-01-01T01:10:00Z")
    );
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2020}})),
        date("2020-01-01T00:00:00Z")
    );
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2020_i64, "month": 2.0, "day": 29, "millisecond": 5}})),
        date("2020-02-29T00:00:00.005Z")
    );
    assert_eq!(
        e(bson!({"$dateFromParts": {"year": 2020, "month": null}})),
        Bson::Null
    );
    assert_eq!(
        code(
            bson!({"$dateFromParts": {"year": 2020, "month": 1.5}}),
            doc! {}
        ),
        40515
    );
    assert_eq!(
        code(bson!({"$dateFromParts": {"year": 10000}}), doc! {}),
        40523
    );
    assert_eq!(
        code(
            bson!({"$dateFromParts": {"year": 2020, "day": 40000}}),
            doc! {}
        ),
        31034
    );
    assert_eq!(
        code(bson!({"$dateFromParts": {"month": 1}}), doc! {}),
        40516
    );
    assert_eq!(
        code(
            bson!({"$dateFromParts": {"year": 2020, "isoWeek": 1}}),
            doc! {}
        ),
        40489
    );
    assert_eq!(
        code(
            bson!({"$dateFromParts": {"isoWeekYear": 2020, "day": 1}}),
            doc! {}
        ),
        40525
    );
    assert_eq!(
        code(bson!({"$dateFromParts": {"year": 2020, "foo": 1}}), doc! {}),
        40518
    );
}

#[test]
fn date_from_string_manual() {
    let f = |s: &str, tz: Option<&str>| {
        let mut spec = doc! {"dateString": s};
        if let Some(tz) = tz {
            spec.insert("timezone", tz);
        }
        e(bson!({"$dateFromString": spec}))
    };
    assert_eq!(
        f("2017-02-08T12:10:40.787", Some("America/New_York")),
        date("2017-02-08T17:10:40.787Z")
    );
    assert_eq!(
        f("2017-02-08", Some("-05:00")),
        date("2017-02-08T05:00:00Z")
    );
    assert_eq!(
        f("2017-02-09", Some("Europe/London")),
        date("2017-02-09T00:00:00Z")
    );
    assert_eq!(
        f("2017-02-09T03:35:02.055", Some("+0530")),
        date("2017-02-08T22:05:02.055Z")
    );
    assert_eq!(
        f("2017-02-08T12:10:40.787+02:00", None),
        date("2017-02-08T10:10:40.787Z")
    );
    assert_eq!(
        f("2017-02-08T12:10:40Z", None),
        date("2017-02-08T12:10:40Z")
    );
    assert_eq!(f("2017-02-08 12:10", None), date("2017-02-08T12:10:00Z"));
    assert_eq!(f("06/15/2018", None), date("2018-06-15T00:00:00Z"));
    assert_eq!(
        f("Feb 8, 2017 10:00:00 GMT-0500", None),
        date("2017-02-08T15:00:00Z")
    );
    assert_eq!(f("8 February 2017", None), date("2017-02-08T00:00:00Z"));
    assert_eq!(
        f("Wed, 08 Feb 2017 12:10:40 +0000", None),
        date("2017-02-08T12:10:40Z")
    );
    assert_eq!(
        f("February 8th, 2017 10:15 pm", None),
        date("2017-02-08T22:15:00Z")
    );
    assert_eq!(f("2017-02-08 12:30 AM", None), date("2017-02-08T00:30:00Z"));
    assert_eq!(f("8.2.2017", None), date("2017-02-08T00:00:00Z"));
    assert_eq!(f("2017/02/08", None), date("2017-02-08T00:00:00Z"));
    assert_eq!(f("2017-02", None), date("2017-02-01T00:00:00Z"));
    assert_eq!(f("20170208", None), date("2017-02-08T00:00:00Z"));
    assert_eq!(
        f("2017-02-08T12:10:40.787123", None),
        date("2017-02-08T12:10:40.787Z")
    );
    // mongod's jstests (date_from_string.js).
    for (input, want) in [
        ("2017-07-04T11:56.02", "2017-07-04T11:56:02Z"),
        ("2017-07-04T11:56.02.813", "2017-07-04T11:56:02.813Z"),
        ("2017-07-04T11:56:02.81Z", "2017-07-04T11:56:02.810Z"),
        ("2017-07-14T12:02:44.771 GMT+00", "2017-07-14T12:02:44.771Z"),
        (
            "2017-07-14T12:02:44.771 GMT+02:00",
            "2017-07-14T10:02:44.771Z",
        ),
        ("2017-07-14T12:02:44.771+03", "2017-07-14T09:02:44.771Z"),
        ("2017-07-14T12:02:44.771+0330", "2017-07-14T08:32:44.771Z"),
        ("2017-07-14T12:02:44.771 CEST", "2017-07-14T10:02:44.771Z"),
        ("2017-07-14T12:02:44.771 EST", "2017-07-14T17:02:44.771Z"),
        ("2017-07-14T12:02:44.771 PDT", "2017-07-14T19:02:44.771Z"),
        ("2017-07-14T12:02:44.771 A", "2017-07-14T11:02:44.771Z"),
        ("2017-07-14T12:02:44.771 L", "2017-07-14T01:02:44.771Z"),
        ("2017-07-14T12:02:44.771 P", "2017-07-14T15:02:44.771Z"),
        ("July 4th, 2017", "2017-07-04T00:00:00Z"),
        ("July 4th, 2017 12:39:30 BST", "2017-07-04T11:39:30Z"),
        ("July 4th, 2017 11am", "2017-07-04T11:00:00Z"),
        ("July 4th, 2017 12pm", "2017-07-04T12:00:00Z"),
        ("7/4/17", "2017-07-04T00:00:00Z"),
        ("04-07-2017", "2017-07-04T00:00:00Z"),
        ("2017-Jul-04 noon", "2017-07-04T12:00:00Z"),
        ("2017-07-04 12:48:07 GMT+0545", "2017-07-04T07:03:07Z"),
        ("2017-07-04 12:48:07 GMT-0200", "2017-07-04T14:48:07Z"),
        ("1960-07-10T12:10:37.448", "1960-07-10T12:10:37.448Z"),
    ] {
        assert_eq!(f(input, None), date(want), "{input}");
    }
    assert_eq!(
        f("1960-07-10T12:35:37.513", Some("America/New_York")),
        date("1960-07-10T16:35:37.513Z")
    );
    assert_eq!(
        f("2017-07-06T12:35:37.513", Some("GMT")),
        date("2017-07-06T12:35:37.513Z")
    );
    for bad in [
        "July 4th",
        "12:50:53",
        "2017, 12:50:53",
        "60.Monday1770/06:59",
    ] {
        assert_eq!(
            code(bson!({"$dateFromString": {"dateString": bad}}), doc! {}),
            241,
            "{bad}"
        );
    }
    // A time in the fall-back fold is the first one; in the gap, after it.
    assert_eq!(
        f("2021-11-07T01:30:00", Some("America/New_York")),
        date("2021-11-07T05:30:00Z")
    );
    assert_eq!(
        f("2021-03-14T02:30:00", Some("America/New_York")),
        date("2021-03-14T07:30:00Z")
    );
    let g =
        |s: &str, format: &str| e(bson!({"$dateFromString": {"dateString": s, "format": format}}));
    assert_eq!(g("15-06-2018", "%d-%m-%Y"), date("2018-06-15T00:00:00Z"));
    assert_eq!(g("06-15-2018", "%m-%d-%Y"), date("2018-06-15T00:00:00Z"));
    assert_eq!(g("2018-W01-1", "%G-W%V-%u"), date("2018-01-01T00:00:00Z"));
    assert_eq!(
        g("2018-032 10:11:12.013", "%Y-%j %H:%M:%S.%L"),
        date("2018-02-01T10:11:12.013Z")
    );
    assert_eq!(
        g("Mar 5 2020 +0100", "%b %d %Y %z"),
        date("2020-03-04T23:00:00Z")
    );
    assert_eq!(
        g("2020-03-05 270", "%Y-%m-%d %Z"),
        date("2020-03-04T19:30:00Z")
    );
    for (input, format, want) in [
        (
            "2017-07-04T11:56:02.8Z",
            "%Y-%m-%dT%H:%M:%S.%LZ",
            "2017-07-04T11:56:02.800Z",
        ),
        (
            "2017-07-04T11:56.02.81",
            "%Y-%m-%dT%H:%M.%S.%L",
            "2017-07-04T11:56:02.810Z",
        ),
        (
            "2017-07-14T12:02:44.771 GMT+02",
            "%Y-%m-%dT%H:%M:%S.%L%z",
            "2017-07-14T10:02:44.771Z",
        ),
        (
            "2017-07-14T12:02:44.771 CEST",
            "%Y-%m-%dT%H:%M:%S.%L%z",
            "2017-07-14T10:02:44.771Z",
        ),
        (
            "2017-07-14T12:02:44.771 Z",
            "%Y-%m-%dT%H:%M:%S.%L%z",
            "2017-07-14T12:02:44.771Z",
        ),
        ("05 12 1988", "%d %m %Y", "1988-12-05T00:00:00Z"),
        ("05*12*1988", "%d*%m*%Y", "1988-12-05T00:00:00Z"),
        ("1992 % 04 % 26", "%Y %% %m %% %d", "1992-04-26T00:00:00Z"),
        (
            "Day: 05 Month: 12 Year: 1988",
            "Day: %d Month: %m Year: %Y",
            "1988-12-05T00:00:00Z",
        ),
        ("4/26/1992:+0445", "%m/%d/%Y:%z", "1992-04-25T19:15:00Z"),
        ("4/26/1992:+285", "%m/%d/%Y:%Z", "1992-04-25T19:15:00Z"),
        ("2017", "%G", "2017-01-02T00:00:00Z"),
        ("2017, Week 53", "%G, Week %V", "2018-01-01T00:00:00Z"),
        ("2017, Day 5", "%G, Day %u", "2017-01-06T00:00:00Z"),
        ("53.7.2017", "%V.%u.%G", "2018-01-07T00:00:00Z"),
        ("1.1.1", "%V.%u.%G", "0001-01-01T00:00:00Z"),
    ] {
        assert_eq!(g(input, format), date(want), "{input} {format}");
    }
    for (input, format) in [
        ("2018-01", "%Y-%m-%d"),
        ("2018-01", "%Y"),
        ("1992-26-04", "Y-d-m"),
        ("ISO Day 6", "ISO Day %u"),
        ("ISO Week 52", "ISO Week %V"),
        ("ISO Week 1, 2018", "ISO Week %V, %Y"),
        ("12/31/2018", "%m/%d/%G"),
        ("12/31\0/2018", "%m/%d/%Y"),
        ("12/31/2018", "%m/%d\0/%Y"),
    ] {
        assert_eq!(
            code(
                bson!({"$dateFromString": {"dateString": input, "format": format}}),
                doc! {}
            ),
            241,
            "{input} {format}"
        );
    }
    // Errors are ConversionFailure, caught by onError.
    for bad in [
        "not a date",
        "20177-02-09T03:35:02.055",
        "2017-02-30",
        "2017-02-08T12:10:40Z junk",
    ] {
        assert_eq!(
            code(bson!({"$dateFromString": {"dateString": bad}}), doc! {}),
            241,
            "{bad}"
        );
    }
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "2018/06/15", "format": "%Y-%m-%d"}}),
            doc! {}
        ),
        241
    );
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "2017-02-08T12:10:40Z", "timezone": "Europe/Paris"}}),
            doc! {}
        ),
        241
    );
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "2020-03-01 Europe/Paris"}}),
            doc! {}
        ),
        241
    );
    assert_eq!(
        e(bson!({"$dateFromString": {"dateString": "20177-02-09T03:35:02.055", "onError": "bad"}})),
        bson!("bad")
    );
    assert_eq!(
        e(bson!({"$dateFromString": {"dateString": 5, "onError": "bad"}})),
        bson!("bad")
    );
    assert_eq!(
        e(bson!({"$dateFromString": {"dateString": null, "onNull": date("1970-01-01T00:00:00Z")}})),
        date("1970-01-01T00:00:00Z")
    );
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "x", "format": "%Q"}}),
            doc! {}
        ),
        18536
    );
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "x", "format": 1}}),
            doc! {}
        ),
        40684
    );
    assert_eq!(
        code(bson!({"$dateFromString": {"format": "%Y"}}), doc! {}),
        40542
    );
    assert_eq!(
        code(
            bson!({"$dateFromString": {"dateString": "x", "timezone": "Nope/Nope", "onError": 1}}),
            doc! {}
        ),
        40485
    );
}

#[test]
fn date_add_and_subtract_manual() {
    let add = |start: &str, unit: &str, amount: Bson, tz: Option<&str>| {
        let mut spec = doc! {"startDate": date(start), "unit": unit, "amount": amount};
        if let Some(tz) = tz {
            spec.insert("timezone", tz);
        }
        e(bson!({"$dateAdd": spec}))
    };
    assert_eq!(
        add("2020-12-31T00:00:00Z", "day", bson!(3), None),
        date("2021-01-03T00:00:00Z")
    );
    assert_eq!(
        add("2021-01-31T00:00:00Z", "month", bson!(1), None),
        date("2021-02-28T00:00:00Z")
    );
    assert_eq!(
        add("2020-02-29T00:00:00Z", "year", bson!(1), None),
        date("2021-02-28T00:00:00Z")
    );
    assert_eq!(
        add("2021-01-15T00:00:00Z", "quarter", bson!(2), None),
        date("2021-07-15T00:00:00Z")
    );
    assert_eq!(
        add("2021-01-15T00:00:00Z", "week", bson!(-1), None),
        date("2021-01-08T00:00:00Z")
    );
    assert_eq!(
        add("2021-01-15T00:00:00Z", "millisecond", bson!(1500_i64), None),
        date("2021-01-15T00:00:01.500Z")
    );
    assert_eq!(
        add("2021-01-15T00:00:00Z", "day", bson!(2.0), None),
        date("2021-01-17T00:00:00Z")
    );
    // mongod's jstests (date_add_subtract.js).
    for (start, unit, amount, tz, want) in [
        (
            "2020-10-24T18:10:00Z",
            "hour",
            24,
            Some("Europe/Paris"),
            "2020-10-25T18:10:00Z",
        ),
        (
            "2020-10-24T18:10:00Z",
            "day",
            1,
            Some("Europe/Paris"),
            "2020-10-25T19:10:00Z",
        ),
        (
            "2021-01-30T23:30:00Z",
            "month",
            1,
            Some("Europe/Paris"),
            "2021-02-27T23:30:00Z",
        ),
        (
            "2021-01-31T03:00:00Z",
            "month",
            -2,
            None,
            "2020-11-30T03:00:00Z",
        ),
        (
            "2021-01-31T03:00:00Z",
            "month",
            -2,
            Some("America/New_York"),
            "2020-12-01T03:00:00Z",
        ),
        (
            "2020-12-31T12:10:05Z",
            "month",
            -3,
            Some("Europe/Paris"),
            "2020-09-30T11:10:05Z",
        ),
        (
            "2020-12-31T12:10:05Z",
            "quarter",
            -2,
            None,
            "2020-06-30T12:10:05Z",
        ),
        (
            "2020-12-31T12:10:05Z",
            "second",
            -125,
            None,
            "2020-12-31T12:08:00Z",
        ),
    ] {
        assert_eq!(
            add(start, unit, bson!(amount), tz),
            date(want),
            "{start} {unit} {amount}"
        );
    }
    // Manual: a day keeps the local time across DST, 24 hours do not.
    assert_eq!(
        add(
            "2021-03-13T12:00:00Z",
            "day",
            bson!(1),
            Some("America/New_York")
        ),
        date("2021-03-14T11:00:00Z")
    );
    assert_eq!(
        add(
            "2021-03-13T12:00:00Z",
            "hour",
            bson!(24),
            Some("America/New_York")
        ),
        date("2021-03-14T12:00:00Z")
    );
    // Manual, $dateAdd: 2020-11-01T05:50:02Z + 1 hour in New York.
    assert_eq!(
        add(
            "2020-11-01T05:50:02Z",
            "hour",
            bson!(1),
            Some("America/New_York")
        ),
        date("2020-11-01T06:50:02Z")
    );
    assert_eq!(
        e(
            bson!({"$dateSubtract": {"startDate": date("2021-01-05T00:00:00Z"), "unit": "day", "amount": 2}})
        ),
        date("2021-01-03T00:00:00Z")
    );
    assert_eq!(
        e(
            bson!({"$dateSubtract": {"startDate": date("2021-03-31T05:00:00Z"), "unit": "month", "amount": 1, "timezone": "Asia/Tokyo"}})
        ),
        date("2021-02-28T05:00:00Z")
    );
    assert_eq!(
        e(
            bson!({"$dateAdd": {"startDate": date("2021-01-01T00:00:00Z"), "unit": "day", "amount": null}})
        ),
        Bson::Null
    );
    let start = date("2021-01-01T00:00:00Z");
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start.clone(), "unit": "fortnight", "amount": 1}}),
            doc! {}
        ),
        9
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start.clone(), "unit": "day", "amount": 1.5}}),
            doc! {}
        ),
        5166405
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": "x", "unit": "day", "amount": 1}}),
            doc! {}
        ),
        5166403
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start.clone(), "unit": 1, "amount": 1}}),
            doc! {}
        ),
        5439013
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start.clone(), "unit": "day"}}),
            doc! {}
        ),
        5166402
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start.clone(), "unit": "year", "amount": i64::MAX}}),
            doc! {}
        ),
        5976500
    );
    assert_eq!(
        code(
            bson!({"$dateAdd": {"startDate": start, "unit": "millisecond", "amount": i64::MAX}}),
            doc! {}
        ),
        5166406
    );
}

#[test]
fn date_diff_manual() {
    let diff = |s: &str, t: &str, unit: &str, extra: Document| {
        let mut spec = doc! {"startDate": date(s), "endDate": date(t), "unit": unit};
        spec.extend(extra);
        e(bson!({"$dateDiff": spec}))
    };
    assert_eq!(
        diff(
            "2020-12-31T00:00:00Z",
            "2021-01-05T00:00:00Z",
            "day",
            doc! {}
        ),
        Bson::Int64(5)
    );
    assert_eq!(
        diff(
            "2020-12-31T00:00:00Z",
            "2021-01-01T00:00:00Z",
            "year",
            doc! {}
        ),
        Bson::Int64(1)
    );
    assert_eq!(
        diff(
            "2020-12-31T00:00:00Z",
            "2021-01-01T00:00:00Z",
            "quarter",
            doc! {}
        ),
        Bson::Int64(1)
    );
    assert_eq!(
        diff(
            "2021-01-31T00:00:00Z",
            "2021-02-01T00:00:00Z",
            "month",
            doc! {}
        ),
        Bson::Int64(1)
    );
    // Manual: weeks from Saturday 2022-01-01 to Monday 2022-01-10.
    let (a, b) = ("2022-01-01T00:00:00Z", "2022-01-10T00:00:00Z");
    assert_eq!(diff(a, b, "week", doc! {}), Bson::Int64(2));
    assert_eq!(
        diff(a, b, "week", doc! {"startOfWeek": "monday"}),
        Bson::Int64(2)
    );
    assert_eq!(
        diff(a, b, "week", doc! {"startOfWeek": "fri"}),
        Bson::Int64(1)
    );
    assert_eq!(
        diff(
            "2021-01-02T00:00:00Z",
            "2021-01-01T23:00:00Z",
            "day",
            doc! {}
        ),
        Bson::Int64(-1)
    );
    assert_eq!(
        diff(
            "2021-01-01T00:00:59.999Z",
            "2021-01-01T00:01:00Z",
            "minute",
            doc! {}
        ),
        Bson::Int64(1)
    );
    assert_eq!(
        diff(
            "2021-01-01T00:00:00Z",
            "2021-01-01T00:00:01.500Z",
            "millisecond",
            doc! {}
        ),
        Bson::Int64(1500)
    );
    assert_eq!(
        diff(
            "2021-01-01T04:00:00Z",
            "2021-01-01T06:00:00Z",
            "day",
            doc! {"timezone": "America/New_York"}
        ),
        Bson::Int64(1)
    );
    // Across a DST change, hours are elapsed hours.
    assert_eq!(
        diff(
            "2021-03-14T06:00:00Z",
            "2021-03-14T08:00:00Z",
            "hour",
            doc! {"timezone": "America/New_York"}
        ),
        Bson::Int64(2)
    );
    assert_eq!(
        e(bson!({"$dateDiff": {"startDate": null, "endDate": date(a), "unit": "day"}})),
        Bson::Null
    );
    assert_eq!(
        code(
            bson!({"$dateDiff": {"startDate": date(a), "endDate": date(b), "unit": "days"}}),
            doc! {}
        ),
        9
    );
    assert_eq!(
        code(
            bson!({"$dateDiff": {"startDate": date(a), "endDate": 1, "unit": "day"}}),
            doc! {}
        ),
        5166307
    );
    assert_eq!(
        code(
            bson!({"$dateDiff": {"startDate": date(a), "endDate": date(b), "unit": "week", "startOfWeek": "someday"}}),
            doc! {}
        ),
        5439016
    );
    assert_eq!(
        code(
            bson!({"$dateDiff": {"startDate": date(a), "unit": "day"}}),
            doc! {}
        ),
        5166304
    );
    // mongod's jstests (date_diff.js): any null gives null first.
    let some = date("2020-11-01T18:23:36Z");
    let spec =
        bson!({"$dateDiff": {"startDate": "$s", "endDate": "$e", "unit": "$u", "timezone": "$tz"}});
    for d in [
        doc! {"e": 1, "u": "century", "tz": "INVALID"},
        doc! {"s": "", "u": "epoch", "tz": "INVALID"},
        doc! {"s": 1, "e": 2, "tz": "INVALID"},
        doc! {"s": 1, "e": 2, "u": "century"},
        doc! {"s": some.clone(), "e": some.clone(), "u": "hour", "tz": null},
    ] {
        assert_eq!(ok(spec.clone(), d.clone()), Bson::Null, "{d:?}");
    }
    assert_eq!(
        ok(
            spec.clone(),
            doc! {"s": some.clone(), "e": date("2020-11-02T00:00:00Z"), "u": "hour", "tz": "America/New_York"}
        ),
        Bson::Int64(6)
    );
    for (d, c) in [
        (
            doc! {"s": "string", "e": some.clone(), "u": "hour", "tz": "UTC"},
            5166307,
        ),
        (
            doc! {"s": some.clone(), "e": 1, "u": "hour", "tz": "UTC"},
            5166307,
        ),
        (
            doc! {"s": some.clone(), "e": some.clone(), "u": 5, "tz": "UTC"},
            5439013,
        ),
        (
            doc! {"s": some.clone(), "e": some.clone(), "u": "decade", "tz": "UTC"},
            9,
        ),
        (
            doc! {"s": some.clone(), "e": some.clone(), "u": "hour", "tz": 1},
            40517,
        ),
        (
            doc! {"s": some.clone(), "e": some.clone(), "u": "hour", "tz": "America/Invalid"},
            40485,
        ),
    ] {
        assert_eq!(code(spec.clone(), d.clone()), c, "{d:?}");
    }
    assert_eq!(
        ok(
            bson!({"$dateAdd": {"startDate": "$s", "unit": "$u", "amount": 1}}),
            doc! {"s": "x"}
        ),
        Bson::Null
    );
}

#[test]
fn date_trunc_manual() {
    let t = |d: &str, spec: Document| {
        let mut s = doc! {"date": date(d)};
        s.extend(spec);
        e(bson!({"$dateTrunc": s}))
    };
    // Manual: 6-month bins.
    assert_eq!(
        t("2020-05-18T14:10:30Z", doc! {"unit": "month", "binSize": 6}),
        date("2020-01-01T00:00:00Z")
    );
    assert_eq!(
        t("2020-07-18T14:10:30Z", doc! {"unit": "month", "binSize": 6}),
        date("2020-07-01T00:00:00Z")
    );
    // Manual: two-week bins starting Monday in Los Angeles.
    let w = doc! {"unit": "week", "binSize": 2, "timezone": "America/Los_Angeles", "startOfWeek": "Monday"};
    assert_eq!(
        t("2020-05-18T14:10:30Z", w.clone()),
        date("2020-05-11T07:00:00Z")
    );
    assert_eq!(
        t("2020-02-08T13:13:23Z", w.clone()),
        date("2020-02-03T08:00:00Z")
    );
    assert_eq!(
        t("2019-05-18T16:09:01Z", w.clone()),
        date("2019-05-13T07:00:00Z")
    );
    assert_eq!(
        t("2021-03-20T11:30:05Z", w.clone()),
        date("2021-03-15T07:00:00Z")
    );
    assert_eq!(
        t("2021-01-11T06:31:15Z", w.clone()),
        date("2021-01-04T08:00:00Z")
    );
    assert_eq!(t("2019-01-08T06:12:03Z", w), date("2019-01-07T08:00:00Z"));
    let x = "2021-05-18T14:10:30.123Z";
    for (unit, want) in [
        ("year", "2021-01-01T00:00:00Z"),
        ("quarter", "2021-04-01T00:00:00Z"),
        ("month", "2021-05-01T00:00:00Z"),
        ("week", "2021-05-16T00:00:00Z"),
        ("day", "2021-05-18T00:00:00Z"),
        ("hour", "2021-05-18T14:00:00Z"),
        ("minute", "2021-05-18T14:10:00Z"),
        ("second", "2021-05-18T14:10:30Z"),
        ("millisecond", x),
    ] {
        assert_eq!(t(x, doc! {"unit": unit}), date(want), "{unit}");
    }
    assert_eq!(
        t(
            "2021-05-18T14:10:30Z",
            doc! {"unit": "hour", "binSize": 5, "timezone": "+05:30"}
        ),
        date("2021-05-18T12:30:00Z")
    );
    assert_eq!(
        t(
            "2021-05-18T02:10:30Z",
            doc! {"unit": "day", "timezone": "America/Chicago"}
        ),
        date("2021-05-17T05:00:00Z")
    );
    // mongod's jstests (date_trunc.js): any null gives null before any
    // other argument is checked.
    let some = date("2020-11-01T18:23:36Z");
    let spec = bson!({"$dateTrunc": {"date": "$date", "unit": "$unit", "binSize": "$binSize", "timezone": "$tz", "startOfWeek": "$sow"}});
    for d in [
        doc! {"unit": "H", "binSize": "string", "tz": 1},
        doc! {"date": "Invalid", "binSize": "Invalid", "tz": "Invalid"},
        doc! {"date": "Invalid", "unit": "invalid", "tz": "Invalid"},
        doc! {"date": 1, "unit": "century", "binSize": "1"},
        doc! {"date": 1, "unit": "week", "binSize": "", "tz": 1},
        doc! {"date": some.clone(), "unit": "hour", "binSize": 1, "tz": null},
    ] {
        assert_eq!(ok(spec.clone(), d.clone()), Bson::Null, "{d:?}");
    }
    assert_eq!(
        ok(
            spec.clone(),
            doc! {"date": date("2021-12-01T18:23:36Z"), "unit": "hour", "binSize": 4, "tz": "America/New_York", "sow": "IGNORED"}
        ),
        date("2021-12-01T17:00:00Z")
    );
    assert_eq!(
        ok(
            spec.clone(),
            doc! {"date": date("2000-01-30T18:00:00Z"), "unit": "week", "binSize": 2, "tz": "America/New_York", "sow": "mon"}
        ),
        date("2000-01-17T05:00:00Z")
    );
    assert_eq!(
        ok(
            spec.clone(),
            doc! {"date": date("2020-01-30T18:59:00Z"), "unit": "minute", "binSize": Bson::Decimal128("15".parse().unwrap()), "tz": "UTC"}
        ),
        date("2020-01-30T18:45:00Z")
    );
    assert_eq!(
        ok(
            spec.clone(),
            doc! {"date": date("2020-01-30T18:59:00Z"), "unit": "year", "binSize": 1, "tz": "GMT", "sow": 1}
        ),
        date("2020-01-01T00:00:00Z")
    );
    assert_eq!(
        t("2021-02-15T18:23:36Z", doc! {"unit": "week"}),
        date("2021-02-14T00:00:00Z")
    );
    for (d, c) in [
        (
            doc! {"date": some.clone(), "unit": 1, "binSize": 1, "tz": "UTC"},
            5439013,
        ),
        (
            doc! {"date": some.clone(), "unit": "hour", "binSize": 2.5, "tz": "UTC"},
            5439017,
        ),
        (
            doc! {"date": some.clone(), "unit": "hour", "binSize": 1, "tz": 1},
            40517,
        ),
        (
            doc! {"date": some.clone(), "unit": "hour", "binSize": 1, "tz": "America/Invalid"},
            40485,
        ),
        (
            doc! {"date": some.clone(), "unit": "week", "binSize": 1, "tz": "GMT", "sow": 1},
            5439015,
        ),
        (
            doc! {"date": some.clone(), "unit": "week", "binSize": 1, "tz": "GMT", "sow": "FRIDIE"},
            5439016,
        ),
    ] {
        assert_eq!(code(spec.clone(), d.clone()), c, "{d:?}");
    }
    assert_eq!(
        e(bson!({"$dateTrunc": {"date": null, "unit": "day"}})),
        Bson::Null
    );
    let d = date("2021-05-18T00:00:00Z");
    assert_eq!(
        code(
            bson!({"$dateTrunc": {"date": d.clone(), "unit": "day", "binSize": 0}}),
            doc! {}
        ),
        5439018
    );
    assert_eq!(
        code(
            bson!({"$dateTrunc": {"date": d.clone(), "unit": "day", "binSize": 1.5}}),
            doc! {}
        ),
        5439017
    );
    assert_eq!(
        code(
            bson!({"$dateTrunc": {"date": d.clone(), "unit": "eon"}}),
            doc! {}
        ),
        9
    );
    assert_eq!(
        code(bson!({"$dateTrunc": {"date": "x", "unit": "day"}}), doc! {}),
        5166307
    );
    assert_eq!(code(bson!({"$dateTrunc": {"date": d}}), doc! {}), 5439010);
}

#[test]
fn convert_to_date_parses_strings() {
    use super::convert_to_date;
    assert_eq!(
        convert_to_date(&bson!("2018-03-03")).unwrap(),
        date("2018-03-03T00:00:00Z")
    );
    assert_eq!(
        convert_to_date(&bson!("2018-03-20T11:00:06Z")).unwrap(),
        date("2018-03-20T11:00:06Z")
    );
    assert_eq!(
        convert_to_date(&bson!(120000000000.5)).unwrap(),
        date("1973-10-20T21:20:00Z")
    );
    let dec: bson::Decimal128 = "1253372036000.50".parse().unwrap();
    assert_eq!(
        convert_to_date(&Bson::Decimal128(dec)).unwrap(),
        date("2009-09-19T14:53:56Z")
    );
    assert_eq!(convert_to_date(&bson!("yesterday")).unwrap_err().code, 241);
    assert_eq!(convert_to_date(&bson!(5)).unwrap_err().code, 241);
}
