//! Type operators, mostly the manual's examples.

use crate::query::expr::tests::{code, ev, ok};
use bson::{Binary, Bson, Decimal128, bson, doc, oid::ObjectId, spec::BinarySubtype};

fn e(expr: Bson) -> Bson {
    ok(expr, doc! {})
}

fn dec(s: &str) -> Bson {
    Bson::Decimal128(s.parse::<Decimal128>().unwrap())
}

fn date(ms: i64) -> Bson {
    Bson::DateTime(bson::DateTime::from_millis(ms))
}

#[test]
fn type_and_is_number() {
    // Manual, $type.
    for (v, t) in [
        (bson!(1), "int"),
        (bson!(1_i64), "long"),
        (bson!(1.5), "double"),
        (dec("1"), "decimal"),
        (bson!("a"), "string"),
        (Bson::Null, "null"),
        (bson!(true), "bool"),
        (bson!([1]), "array"),
        (bson!({"a": 1}), "object"),
        (date(0), "date"),
    ] {
        assert_eq!(ok(bson!({"$type": "$v"}), doc! {"v": v}), bson!(t));
    }
    assert_eq!(ok(bson!({"$type": "$v"}), doc! {}), bson!("missing"));
    assert_eq!(e(bson!({"$type": [[1, 2]]})), bson!("array"));
    assert_eq!(e(bson!({"$type": "$$REMOVE"})), bson!("missing"));
    assert_eq!(code(bson!({"$type": [1, 2]}), doc! {}), 16020);
    // Manual, $isNumber.
    assert_eq!(e(bson!({"$isNumber": 10.5})), bson!(true));
    assert_eq!(e(bson!({"$isNumber": dec("10")})), bson!(true));
    assert_eq!(e(bson!({"$isNumber": "10"})), bson!(false));
    assert_eq!(e(bson!({"$isNumber": "$nope"})), bson!(false));
}

#[test]
fn convert_manual() {
    // Manual, $convert: the orders example.
    let price = bson!({"$convert": {"input": "$price", "to": "decimal", "onError": "Error", "onNull": dec("0")}});
    let qty = bson!({"$convert": {"input": "$qty", "to": "int", "onError": {"$concat": ["Could not convert ", {"$toString": "$qty"}, " to type integer."]}, "onNull": 0}});
    assert_eq!(ok(price.clone(), doc! {"price": 10}), dec("10"));
    assert_eq!(ok(price.clone(), doc! {"price": "4.99"}), dec("4.99"));
    assert_eq!(ok(price.clone(), doc! {}), dec("0"));
    assert_eq!(ok(qty.clone(), doc! {}), bson!(0));
    assert_eq!(
        ok(qty, doc! {"qty": 5_000_000_000_i64}),
        bson!("Could not convert 5000000000 to type integer.")
    );
    assert_eq!(
        e(bson!({"$convert": {"input": "abc", "to": "int", "onError": -1}})),
        bson!(-1)
    );
    assert_eq!(
        e(bson!({"$convert": {"input": null, "to": "int"}})),
        Bson::Null
    );
    assert_eq!(e(bson!({"$convert": {"input": 1, "to": null}})), Bson::Null);
    // A null input takes onNull even when `to` is null.
    assert_eq!(
        e(bson!({"$convert": {"input": null, "to": null, "onNull": "N"}})),
        bson!("N")
    );
    // onError: "$$REMOVE" makes the result missing.
    assert_eq!(
        ev(
            bson!({"$convert": {"input": 1.9, "to": "objectId", "onError": "$$REMOVE"}}),
            doc! {}
        )
        .unwrap(),
        None
    );
}

#[test]
fn convert_targets() {
    let c = |input: Bson, to: Bson| e(bson!({"$convert": {"input": input, "to": to}}));
    assert_eq!(c(bson!("5"), bson!("int")), bson!(5));
    assert_eq!(c(bson!("5"), bson!("long")), bson!(5_i64));
    assert_eq!(c(bson!("5.5"), bson!("double")), bson!(5.5));
    assert_eq!(c(bson!("5.50"), bson!("decimal")), dec("5.50"));
    assert_eq!(c(bson!(1), bson!("bool")), bson!(true));
    assert_eq!(c(bson!(0), bson!("string")), bson!("0"));
    assert_eq!(c(bson!(1.5), bson!("string")), bson!("1.5"));
    assert_eq!(
        c(date(1577874030456), bson!("string")),
        bson!("2020-01-01T10:20:30.456Z")
    );
    assert_eq!(
        c(bson!("5ab9cbe531c2ab715d42129e"), bson!("objectId")),
        Bson::ObjectId(ObjectId::parse_str("5ab9cbe531c2ab715d42129e").unwrap())
    );
    // By type number.
    assert_eq!(c(bson!("5"), bson!(16)), bson!(5));
    assert_eq!(c(bson!(5), bson!(18)), bson!(5_i64));
    assert_eq!(c(bson!(5), bson!(1)), bson!(5.0));
    assert_eq!(c(bson!(5), bson!(19)), dec("5"));
    // mongod's jstests/aggregation/expressions/convert.js.
    assert_eq!(c(bson!(1.9), bson!("decimal")), dec("1.90000000000000"));
    assert_eq!(c(bson!(1.9), bson!("int")), bson!(1));
    assert_eq!(c(dec("1.9"), bson!("long")), bson!(1_i64));
    assert_eq!(c(dec("1.9"), bson!("double")), bson!(1.9));
    assert_eq!(c(bson!(false), bson!("decimal")), dec("0"));
    assert_eq!(c(date(123), bson!("double")), bson!(123.0));
    assert_eq!(c(date(123), bson!("decimal")), dec("123"));
    assert_eq!(c(date(123), bson!("long")), bson!(123_i64));
    for v in [bson!(""), bson!({"foo": 1}), bson!([1, 2]), Bson::MinKey] {
        assert_eq!(c(v, bson!("bool")), bson!(true));
    }
    // Unsupported conversions are ConversionFailure, which onError takes.
    for (v, to) in [
        (bson!(1.9), "objectId"),
        (date(123), "int"),
        (bson!(1.9), "minKey"),
        (bson!(1.9), "missing"),
        (bson!(1.9), "object"),
        (bson!([1]), "string"),
    ] {
        assert_eq!(
            code(bson!({"$convert": {"input": v.clone(), "to": to}}), doc! {}),
            241
        );
        assert_eq!(
            e(bson!({"$convert": {"input": v, "to": to, "onError": "ERROR"}})),
            bson!("ERROR")
        );
    }
    // A bad `to` is not a conversion failure.
    assert_eq!(
        code(
            bson!({"$convert": {"input": 1, "to": "nonsense", "onError": 0}}),
            doc! {}
        ),
        2
    );
    assert_eq!(
        code(
            bson!({"$convert": {"input": 1, "to": 100, "onError": 0}}),
            doc! {}
        ),
        9
    );
    assert_eq!(
        code(
            bson!({"$convert": {"input": 1, "to": 1.5, "onError": 0}}),
            doc! {}
        ),
        9
    );
    assert_eq!(
        code(bson!({"$convert": {"input": 1, "to": true}}), doc! {}),
        9
    );
    assert_eq!(code(bson!({"$convert": {"to": "int"}}), doc! {}), 9);
    assert_eq!(code(bson!({"$convert": {"input": 1}}), doc! {}), 9);
    assert_eq!(
        code(
            bson!({"$convert": {"input": 1, "to": "int", "x": 1}}),
            doc! {}
        ),
        9
    );
    assert_eq!(code(bson!({"$convert": 1}), doc! {}), 9);
}

#[test]
fn numeric_conversions() {
    // Manual, $toInt / $toLong / $toDouble / $toDecimal.
    assert_eq!(e(bson!({"$toInt": 2.5})), bson!(2));
    assert_eq!(e(bson!({"$toInt": true})), bson!(1));
    assert_eq!(e(bson!({"$toInt": dec("-5.5")})), bson!(-5));
    assert_eq!(e(bson!({"$toInt": 10000_i64})), bson!(10000));
    assert_eq!(e(bson!({"$toInt": "-5"})), bson!(-5));
    assert_eq!(e(bson!({"$toInt": null})), Bson::Null);
    assert_eq!(e(bson!({"$toLong": -5.9})), bson!(-5_i64));
    assert_eq!(
        e(bson!({"$toLong": date(1522039108044)})),
        bson!(1522039108044_i64)
    );
    assert_eq!(e(bson!({"$toDouble": dec("2.5")})), bson!(2.5));
    assert_eq!(e(bson!({"$toDouble": "1e3"})), bson!(1000.0));
    assert_eq!(
        e(bson!({"$toDouble": date(1522127087890)})),
        bson!(1522127087890.0)
    );
    assert_eq!(e(bson!({"$toDecimal": 2.5})), dec("2.50000000000000"));
    assert_eq!(e(bson!({"$toDecimal": 0.1})), dec("0.100000000000000"));
    assert_eq!(e(bson!({"$toDecimal": true})), dec("1"));
    assert_eq!(e(bson!({"$toDecimal": "-5.5"})), dec("-5.5"));
    assert_eq!(e(bson!({"$toDecimal": "1e5"})), dec("1E+5"));
    assert_eq!(e(bson!({"$toDecimal": 123.456})), dec("123.456000000000"));
    assert_eq!(
        e(bson!({"$toDecimal": 1e300})),
        dec("1.00000000000000E+300")
    );
    assert_eq!(e(bson!({"$toDecimal": 0.0})), dec("0"));
    assert_eq!(e(bson!({"$toInt": "+5"})), bson!(5));
    assert_eq!(e(bson!({"$toInt": 2147483647.0})), bson!(2147483647));
    assert_eq!(e(bson!({"$toInt": -2147483648.0})), bson!(-2147483648_i32));
    assert_eq!(
        e(bson!({"$toDouble": dec("-Infinity")})),
        bson!(f64::NEG_INFINITY)
    );
    assert_eq!(e(bson!({"$toDouble": dec("-0")})), bson!(-0.0));
    assert_eq!(e(bson!({"$toDouble": "inf"})), bson!(f64::INFINITY));
    assert_eq!(
        e(bson!({"$toDecimal": date(1522039108044)})),
        dec("1522039108044")
    );
    for bad in [
        bson!({"$toInt": "abc"}),
        bson!({"$toInt": "5.5"}),
        bson!({"$toInt": " 5"}),
        bson!({"$toInt": 5_000_000_000_i64}),
        bson!({"$toInt": 1e10}),
        bson!({"$toInt": "99999999999"}),
        bson!({"$toLong": f64::NAN}),
        bson!({"$toLong": f64::INFINITY}),
        bson!({"$toLong": dec("1E+30")}),
        bson!({"$toInt": date(0)}),
        bson!({"$toDouble": "five"}),
        bson!({"$toDouble": ""}),
        bson!({"$toDecimal": "1.2.3"}),
        bson!({"$toDecimal": ""}),
        bson!({"$toObjectId": "5ab9cbe531c2ab715d42129"}),
        bson!({"$toObjectId": "5ab9cbe531c2ab715d42129g"}),
        bson!({"$toObjectId": 1}),
        bson!({"$toDouble": "0x10"}),
        bson!({"$toInt": 2147483647.5}),
        bson!({"$toInt": -2147483648.5}),
        bson!({"$toLong": 9223372036854775808.0}),
        bson!({"$toDouble": dec("1E+400")}),
        bson!({"$toDouble": dec("1E-400")}),
        bson!({"$toInt": "0x10"}),
    ] {
        assert_eq!(code(bad.clone(), doc! {}), 241, "{bad}");
    }
}

#[test]
fn to_string_and_bool() {
    // Manual, $toString.
    for (v, s) in [
        (bson!(true), "true"),
        (bson!(2.5), "2.5"),
        (bson!(5), "5"),
        (bson!(10000_i64), "10000"),
        (dec("-5.50"), "-5.50"),
        (
            Bson::ObjectId(ObjectId::parse_str("5ab9cbe531c2ab715d42129e").unwrap()),
            "5ab9cbe531c2ab715d42129e",
        ),
        (date(1522169931538), "2018-03-27T16:58:51.538Z"),
        (bson!(1e21), "1e+21"),
        (bson!(0.1), "0.1"),
        (bson!(-0.0), "-0"),
        (bson!(100.0), "100"),
        (bson!(1.0), "1"),
    ] {
        assert_eq!(ok(bson!({"$toString": "$v"}), doc! {"v": v}), bson!(s));
    }
    assert_eq!(e(bson!({"$toString": null})), Bson::Null);
    assert_eq!(code(bson!({"$toString": [[1]]}), doc! {}), 241);
    // Manual, $toBool: strings (even "false") are true.
    for (v, b) in [
        (bson!(0), false),
        (bson!(0.0), false),
        (dec("0"), false),
        (bson!(10), true),
        (bson!("false"), true),
        (bson!(""), true),
        (date(0), true),
    ] {
        assert_eq!(ok(bson!({"$toBool": "$v"}), doc! {"v": v}), bson!(b));
    }
    assert_eq!(e(bson!({"$toBool": "$nope"})), Bson::Null);
    // Manual, $toObjectId.
    assert_eq!(
        e(bson!({"$toObjectId": "5ab9cbe531c2ab715d42129e"})),
        Bson::ObjectId(ObjectId::parse_str("5ab9cbe531c2ab715d42129e").unwrap())
    );
    assert_eq!(e(bson!({"$toObjectId": null})), Bson::Null);
    // $toDate of a number of milliseconds.
    assert_eq!(e(bson!({"$toDate": 120000000000.5})), date(120000000000));
    assert_eq!(e(bson!({"$toDate": 1_i64})), date(1));
}

#[test]
fn sizes() {
    // Manual, $bsonSize and $binarySize.
    assert_eq!(e(bson!({"$bsonSize": {"$literal": {}}})), bson!(5));
    assert_eq!(e(bson!({"$bsonSize": {"$literal": {"a": 1}}})), bson!(12));
    assert_eq!(e(bson!({"$bsonSize": null})), Bson::Null);
    assert_eq!(
        ok(bson!({"$bsonSize": "$$ROOT"}), doc! {"_id": 1, "x": "ab"}),
        bson!(24)
    );
    assert_eq!(code(bson!({"$bsonSize": "abc"}), doc! {}), 31393);
    assert_eq!(e(bson!({"$binarySize": "Hello, World!"})), bson!(13));
    assert_eq!(e(bson!({"$binarySize": "寿司"})), bson!(6));
    let bin = Bson::Binary(Binary {
        subtype: BinarySubtype::Generic,
        bytes: vec![0; 100],
    });
    assert_eq!(
        ok(bson!({"$binarySize": "$b"}), doc! {"b": bin}),
        bson!(100)
    );
    assert_eq!(e(bson!({"$binarySize": "$nope"})), Bson::Null);
    assert_eq!(code(bson!({"$binarySize": 5}), doc! {}), 51276);
}
