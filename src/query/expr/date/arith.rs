//! `$dateAdd`, `$dateSubtract`, `$dateDiff`, `$dateTrunc`.

use super::super::args::{nullish, show};
use super::super::{Node, ParseCtx, Value, value_type_name};
use super::calendar::{self, SUNDAY, Tz};
use super::{
    Args, build, check_const_tz, check_const_unit, coerce_date, date_value, day_of_week, fields,
    integral64, null, parse_fields, time_unit,
};
use crate::query::error::QueryError;
use bson::Bson;
// ---------------------------------------------------------------------------
// $dateAdd, $dateSubtract
// ---------------------------------------------------------------------------

pub(super) fn parse_date_arith(
    name: &str,
    arg: &Bson,
    pc: &mut ParseCtx,
) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["startDate", "unit", "amount", "timezone"],
        || QueryError::location(5166400, format!("{name} expects an object as its argument")),
        |k| {
            QueryError::location(
                5166401,
                format!(
                    "Unrecognized argument to {name}: {k}. Expected arguments are startDate, \
                     unit, amount, and optionally timezone."
                ),
            )
        },
    )?;
    if f[0].is_none() || f[1].is_none() || f[2].is_none() {
        return Err(QueryError::location(
            5166402,
            format!("{name} requires startDate, unit, and amount to be present"),
        ));
    }
    let args = parse_fields(f, pc)?;
    check_const_unit(&args[1], name)?;
    check_const_tz(&args[3])?;
    if name == "$dateAdd" {
        build(name, args, |a| date_arith(a, "$dateAdd"))
    } else {
        build(name, args, |a| date_arith(a, "$dateSubtract"))
    }
}

fn date_arith(a: &mut Args<'_, '_>, op: &str) -> Result<Value, QueryError> {
    // Any null gives null before any argument is checked.
    let start = a.get(0)?;
    let unit = a.get(1)?;
    let amount = a.get(2)?;
    let tz = if a.given(3) { Some(a.get(3)?) } else { None };
    if nullish(&start) || nullish(&unit) || nullish(&amount) || tz.as_ref().is_some_and(nullish) {
        return null();
    }
    let start = start.as_ref().and_then(coerce_date).ok_or_else(|| {
        QueryError::location(
            5166403,
            format!("{op} requires startDate to be convertible to a date"),
        )
    })?;
    let unit = time_unit(&unit, op)?;
    let mut amount = amount.as_ref().and_then(integral64).ok_or_else(|| {
        QueryError::location(
            5166405,
            format!("{op} expects integer amount of time units"),
        )
    })?;
    let tz = read_tz(tz, None)?;
    if op == "$dateSubtract" {
        if amount == i64::MIN {
            return Err(QueryError::location(
                6045000,
                format!("invalid $dateSubtract 'amount' parameter value: {amount}"),
            ));
        }
        amount = -amount;
    }
    calendar::date_add(start, unit, amount, &tz).map(date_value)
}

/// An evaluated, non-null `timezone` (UTC when not given); `context`
/// names the operator in mongod's "parameter 'timezone'" wrapping.
fn read_tz(tz: Option<Value>, context: Option<&str>) -> Result<Tz, QueryError> {
    match tz {
        None => Ok(Tz::Utc),
        Some(v) => super::time_zone(&v)
            .map(|t| t.unwrap_or(Tz::Utc))
            .map_err(|e| match context {
                Some(op) => with_context(e, op),
                None => e,
            }),
    }
}

// ---------------------------------------------------------------------------
// $dateDiff
// ---------------------------------------------------------------------------

pub(super) fn parse_date_diff(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["startDate", "endDate", "unit", "timezone", "startOfWeek"],
        || QueryError::location(5166301, "$dateDiff only supports an object as its argument"),
        |k| QueryError::location(5166302, format!("Unrecognized argument to $dateDiff: {k}")),
    )?;
    for (i, (code, what)) in [
        (5166303, "startDate"),
        (5166304, "endDate"),
        (5166305, "unit"),
    ]
    .into_iter()
    .enumerate()
    {
        if f[i].is_none() {
            return Err(QueryError::location(
                code,
                format!("Missing '{what}' parameter to $dateDiff"),
            ));
        }
    }
    let args = parse_fields(f, pc)?;
    check_const_unit(&args[2], "$dateDiff")?;
    check_const_tz(&args[3])?;
    build("$dateDiff", args, date_diff)
}

fn with_context(mut e: QueryError, op: &str) -> QueryError {
    e.message = format!(
        "{op} parameter 'timezone' value parsing failed :: caused by :: {}",
        e.message
    );
    e
}

fn date_diff(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    // Any null gives null before any argument is checked (mongod's
    // jstests/aggregation/expressions/date_diff.js).
    let start = a.get(0)?;
    let end = a.get(1)?;
    let unit = a.get(2)?;
    let tz = if a.given(3) { Some(a.get(3)?) } else { None };
    let is_week = matches!(&unit, Some(Bson::String(u)) if u == "week");
    let sow = if is_week && a.given(4) {
        Some(a.get(4)?)
    } else {
        None
    };
    if nullish(&start)
        || nullish(&end)
        || nullish(&unit)
        || tz.as_ref().is_some_and(nullish)
        || sow.as_ref().is_some_and(nullish)
    {
        return null();
    }
    let date = |v: &Value, what: &str| {
        v.as_ref().and_then(coerce_date).ok_or_else(|| {
            QueryError::location(
                5166307,
                format!(
                    "$dateDiff requires '{what}' to be a date, but got {}",
                    value_type_name(v)
                ),
            )
        })
    };
    let (start, end) = (date(&start, "startDate")?, date(&end, "endDate")?);
    let unit = time_unit(&unit, "$dateDiff")?;
    let tz = read_tz(tz, Some("$dateDiff"))?;
    let sow = match sow {
        Some(v) => day_of_week(&v, "$dateDiff")?,
        None => SUNDAY,
    };
    Ok(Some(Bson::Int64(calendar::date_diff(
        start, end, unit, &tz, sow,
    )?)))
}

// ---------------------------------------------------------------------------
// $dateTrunc
// ---------------------------------------------------------------------------

pub(super) fn parse_date_trunc(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["date", "unit", "binSize", "timezone", "startOfWeek"],
        || {
            QueryError::location(
                5439007,
                "$dateTrunc only supports an object as its argument",
            )
        },
        |k| {
            QueryError::location(
                5439008,
                format!(
                    "Unrecognized argument to $dateTrunc: {k}. Expected arguments are date, \
                     unit, and optionally, binSize, timezone, startOfWeek"
                ),
            )
        },
    )?;
    if f[0].is_none() {
        return Err(QueryError::location(
            5439009,
            "Missing 'date' parameter to $dateTrunc",
        ));
    }
    if f[1].is_none() {
        return Err(QueryError::location(
            5439010,
            "Missing 'unit' parameter to $dateTrunc",
        ));
    }
    let args = parse_fields(f, pc)?;
    check_const_unit(&args[1], "$dateTrunc")?;
    check_const_tz(&args[3])?;
    build("$dateTrunc", args, date_trunc)
}

fn date_trunc(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    // Every argument is read and any null gives null before any of them
    // is checked (mongod's jstests/aggregation/expressions/date_trunc.js).
    let date = a.get(0)?;
    let unit = a.get(1)?;
    let bin = if a.given(2) { Some(a.get(2)?) } else { None };
    let tz = if a.given(3) { Some(a.get(3)?) } else { None };
    let is_week = matches!(&unit, Some(Bson::String(u)) if u == "week");
    let sow = if is_week && a.given(4) {
        Some(a.get(4)?)
    } else {
        None
    };
    if nullish(&date)
        || nullish(&unit)
        || bin.as_ref().is_some_and(nullish)
        || tz.as_ref().is_some_and(nullish)
        || sow.as_ref().is_some_and(nullish)
    {
        return null();
    }
    let ms = date.as_ref().and_then(coerce_date).ok_or_else(|| {
        QueryError::location(
            5166307,
            format!(
                "$dateTrunc requires 'date' to be a date, but got {}",
                value_type_name(&date)
            ),
        )
    })?;
    let unit = time_unit(&unit, "$dateTrunc")?;
    let mut bin_size = 1;
    if let Some(v) = bin {
        let n = v.as_ref().and_then(integral64).ok_or_else(|| {
            QueryError::location(
                5439017,
                format!(
                    "$dateTrunc requires 'binSize' to be a 64-bit integer, but got value '{}' \
                     of type {}",
                    show(&v),
                    value_type_name(&v)
                ),
            )
        })?;
        if n <= 0 {
            return Err(QueryError::location(
                5439018,
                format!("$dateTrunc requires 'binSize' to be greater than 0, but got value {n}"),
            ));
        }
        bin_size = n as u64;
    }
    let tz = read_tz(tz, Some("$dateTrunc"))?;
    let sow = match sow {
        Some(v) => day_of_week(&v, "$dateTrunc")?,
        None => SUNDAY,
    };
    calendar::date_trunc(ms, unit, bin_size, &tz, sow).map(date_value)
}
