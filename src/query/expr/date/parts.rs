//! The part extractors (`$year` ...), `$dateToParts`, `$dateFromParts`.

use super::super::args::{nullish, show};
use super::super::{Node, ParseCtx, Value, parse as parse_expr, value_type_name};
use super::calendar::{self, Local};
use super::{
    Args, EvalFn, build, check_const_tz, date_value, fields, int, integral64, null, parse_fields,
    to_date,
};
use crate::query::error::QueryError;
use bson::{Bson, Document};
// ---------------------------------------------------------------------------
// $year, $month, ...: {$op: <date>}, {$op: [<date>]}, {$op: {date, timezone}}
// ---------------------------------------------------------------------------

pub(super) fn parse_extractor(
    name: &str,
    arg: &Bson,
    pc: &mut ParseCtx,
    f: EvalFn,
) -> Result<Node, QueryError> {
    let operand = match arg {
        Bson::Document(d) if !d.keys().next().is_some_and(|k| k.starts_with('$')) => {
            let mut date = None;
            let mut tz = None;
            for (k, v) in d {
                match k.as_str() {
                    "date" => date = Some(parse_expr(v, pc)?),
                    "timezone" => tz = Some(parse_expr(v, pc)?),
                    other => {
                        return Err(QueryError::location(
                            40535,
                            format!("unrecognized option to {name}: \"{other}\""),
                        ));
                    }
                }
            }
            let Some(date) = date else {
                return Err(QueryError::location(
                    40539,
                    format!(
                        "missing 'date' argument to {name}, provided: {}",
                        crate::query::error::fmt_elem(name, arg)
                    ),
                ));
            };
            check_const_tz(&tz)?;
            return build(name, vec![Some(date), tz], f);
        }
        Bson::Array(items) => {
            if items.len() != 1 {
                return Err(QueryError::location(
                    40536,
                    format!(
                        "{name} accepts exactly one argument if given an array, but was given {}",
                        items.len()
                    ),
                ));
            }
            &items[0]
        }
        other => other,
    };
    build(name, vec![Some(parse_expr(operand, pc)?), None], f)
}

/// mongod's `evaluateDateTimezoneArg`: the date first, then the zone.
pub(super) fn extract(a: &mut Args<'_, '_>, part: fn(&Local) -> Bson) -> Result<Value, QueryError> {
    let date = a.get(0)?;
    let Some(date) = date.filter(|d| !matches!(d, Bson::Null | Bson::Undefined)) else {
        return null();
    };
    let ms = to_date(&date)?;
    let Some(tz) = a.tz(1)? else {
        return null();
    };
    Ok(Some(part(&Local::new(ms, &tz))))
}

// ---------------------------------------------------------------------------
// $dateToParts
// ---------------------------------------------------------------------------

pub(super) fn parse_date_to_parts(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["date", "timezone", "iso8601"],
        || {
            QueryError::location(
                40524,
                "$dateToParts only supports an object as its argument",
            )
        },
        |k| QueryError::location(40520, format!("Unrecognized argument to $dateToParts: {k}")),
    )?;
    if f[0].is_none() {
        return Err(QueryError::location(
            40522,
            "Missing 'date' parameter to $dateToParts",
        ));
    }
    let args = parse_fields(f, pc)?;
    check_const_tz(&args[1])?;
    build("$dateToParts", args, date_to_parts)
}

fn date_to_parts(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    let date = a.get(0)?;
    let Some(tz) = a.tz(1)? else { return null() };
    let iso = if a.given(2) {
        match a.get(2)? {
            v if nullish(&v) => return null(),
            Some(Bson::Boolean(b)) => b,
            other => {
                return Err(QueryError::location(
                    40521,
                    format!(
                        "iso8601 must evaluate to a bool, found {}",
                        value_type_name(&other)
                    ),
                ));
            }
        }
    } else {
        false
    };
    let Some(date) = date.filter(|d| !matches!(d, Bson::Null | Bson::Undefined)) else {
        return null();
    };
    let l = Local::new(to_date(&date)?, &tz);
    let mut d = Document::new();
    if iso {
        let (week, year) = l.iso_week();
        d.insert("isoWeekYear", int(year));
        d.insert("isoWeek", int(week));
        d.insert("isoDayOfWeek", int(l.iso_day_of_week()));
    } else {
        d.insert("year", int(l.y));
        d.insert("month", int(l.m));
        d.insert("day", int(l.d));
    }
    d.insert("hour", int(l.h));
    d.insert("minute", int(l.mi));
    d.insert("second", int(l.s));
    d.insert("millisecond", int(l.ms));
    Ok(Some(Bson::Document(d)))
}

// ---------------------------------------------------------------------------
// $dateFromParts
// ---------------------------------------------------------------------------

const FROM_PARTS: [&str; 11] = [
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
    "isoWeekYear",
    "isoWeek",
    "isoDayOfWeek",
    "timezone",
];

pub(super) fn parse_date_from_parts(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        FROM_PARTS,
        || {
            QueryError::location(
                40519,
                "$dateFromParts only supports an object as its argument",
            )
        },
        |k| {
            QueryError::location(
                40518,
                format!("Unrecognized argument to $dateFromParts: {k}"),
            )
        },
    )?;
    let has = |i: usize| f[i].is_some();
    if !has(0) && !has(7) {
        return Err(QueryError::location(
            40516,
            "$dateFromParts requires either 'year' or 'isoWeekYear' to be present",
        ));
    }
    if has(0) && (has(7) || has(8) || has(9)) {
        return Err(QueryError::location(
            40489,
            "$dateFromParts does not allow mixing natural dates with ISO dates",
        ));
    }
    if has(7) && (has(0) || has(1) || has(2)) {
        return Err(QueryError::location(
            40525,
            "$dateFromParts does not allow mixing ISO dates with natural dates",
        ));
    }
    let args = parse_fields(f, pc)?;
    check_const_tz(&args[10])?;
    build("$dateFromParts", args, date_from_parts)
}

/// mongod's `evaluateNumberWithDefault[AndBounds]`: `None` when null.
fn part(
    a: &mut Args<'_, '_>,
    i: usize,
    default: i64,
    bounded: bool,
) -> Result<Option<i64>, QueryError> {
    let name = FROM_PARTS[i];
    if !a.given(i) {
        return Ok(Some(default));
    }
    let v = a.get(i)?;
    if nullish(&v) {
        return Ok(None);
    }
    let n = v.as_ref().and_then(integral64).ok_or_else(|| {
        QueryError::location(
            40515,
            format!(
                "'{name}' must evaluate to an integer, found {} with value {}",
                value_type_name(&v),
                show(&v)
            ),
        )
    })?;
    if bounded && !(-32768..=32767).contains(&n) {
        return Err(QueryError::location(
            31034,
            format!(
                "'{name}' must evaluate to a value in the range [-32768, 32767]; value {n} is \
                 not in range"
            ),
        ));
    }
    Ok(Some(n))
}

fn duration_overflow() -> QueryError {
    QueryError::new(
        15,
        "Overflow",
        "Overflow casting from a lower-precision duration to a higher-precision duration",
    )
}

fn date_from_parts(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    let (Some(hour), Some(minute), Some(second), Some(ms)) = (
        part(a, 3, 0, true)?,
        part(a, 4, 0, true)?,
        part(a, 5, 0, false)?,
        part(a, 6, 0, false)?,
    ) else {
        return null();
    };
    let Some(tz) = a.tz(10)? else { return null() };
    let days = if a.given(0) {
        let (Some(year), Some(month), Some(day)) = (
            part(a, 0, 1970, false)?,
            part(a, 1, 1, true)?,
            part(a, 2, 1, true)?,
        ) else {
            return null();
        };
        if !(1..=9999).contains(&year) {
            return Err(QueryError::location(
                40523,
                format!("'year' must evaluate to an integer in the range 1 to 9999, found {year}"),
            ));
        }
        let months = year * 12 + month - 1;
        calendar::days_from_civil(months.div_euclid(12), months.rem_euclid(12) + 1, 1) + day - 1
    } else {
        let (Some(year), Some(week), Some(dow)) = (
            part(a, 7, 1970, false)?,
            part(a, 8, 1, true)?,
            part(a, 9, 1, true)?,
        ) else {
            return null();
        };
        if !(1..=9999).contains(&year) {
            return Err(QueryError::location(
                31095,
                format!(
                    "'isoWeekYear' must evaluate to an integer in the range 1 to 9999, found \
                     {year}"
                ),
            ));
        }
        calendar::days_from_iso(year, week, dow)
    };
    ms.checked_mul(1000).ok_or_else(duration_overflow)?;
    let local = i128::from(days) * 86_400
        + i128::from(hour) * 3600
        + i128::from(minute) * 60
        + i128::from(second);
    let local = i64::try_from(local).map_err(|_| duration_overflow())?;
    let secs = tz.local_to_utc(local);
    let out = i128::from(secs) * 1000 + i128::from(ms);
    let out = i64::try_from(out).map_err(|_| duration_overflow())?;
    Ok(date_value(out))
}
