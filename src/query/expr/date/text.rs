//! `$dateToString` and `$dateFromString`.

use super::super::args::{nullish, show};
use super::super::{Node, ParseCtx, Value, value_type_name};
use super::{
    Args, build, check_const_tz, date_value, fields, format, literal, null, parse, parse_fields,
    to_date,
};
use crate::query::error::{QueryError, type_name};
use bson::Bson;
// ---------------------------------------------------------------------------
// $dateToString
// ---------------------------------------------------------------------------

pub(super) fn parse_date_to_string(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["date", "format", "timezone", "onNull"],
        || {
            QueryError::location(
                18629,
                "$dateToString only supports an object as its argument",
            )
        },
        |k| {
            QueryError::location(
                18534,
                format!("Unrecognized argument to $dateToString: {k}"),
            )
        },
    )?;
    if f[0].is_none() {
        return Err(QueryError::location(
            18628,
            "Missing 'date' parameter to $dateToString",
        ));
    }
    let args = parse_fields(f, pc)?;
    if let Some(Bson::String(s)) = literal(&args[1]) {
        format::validate(s, format::TO_STRING)?;
    }
    check_const_tz(&args[2])?;
    build("$dateToString", args, date_to_string)
}

/// A `format` argument: `None` when not given, `Some(None)` when null.
fn format_arg(
    a: &mut Args<'_, '_>,
    i: usize,
    op: &str,
    code: i32,
    allowed: &str,
) -> Result<Option<Option<String>>, QueryError> {
    if !a.given(i) {
        return Ok(None);
    }
    match a.get(i)? {
        v if nullish(&v) => Ok(Some(None)),
        Some(Bson::String(s)) => {
            format::validate(&s, allowed)?;
            Ok(Some(Some(s)))
        }
        other => Err(QueryError::location(
            code,
            format!(
                "{op} requires that 'format' be a string, found: {} with value {}",
                value_type_name(&other),
                show(&other)
            ),
        )),
    }
}

fn date_to_string(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    let date = a.get(0)?;
    let format = format_arg(a, 1, "$dateToString", 18533, format::TO_STRING)?;
    let tz = a.tz(2)?;
    if nullish(&date) {
        return if a.given(3) { a.get(3) } else { null() };
    }
    let Some(tz) = tz else { return null() };
    let format = match &format {
        Some(None) => return null(),
        Some(Some(f)) => f.as_str(),
        None if tz.is_utc() => format::ISO_Z,
        None => format::ISO_NON_Z,
    };
    let ms = date.as_ref().map_or(Ok(0), to_date)?;
    Ok(Some(Bson::String(format::format_date(format, ms, &tz)?)))
}

// ---------------------------------------------------------------------------
// $dateFromString
// ---------------------------------------------------------------------------

pub(super) fn parse_date_from_string(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let f = fields(
        arg,
        ["dateString", "format", "timezone", "onNull", "onError"],
        || {
            QueryError::location(
                40540,
                format!(
                    "$dateFromString only supports an object as an argument, found: {}",
                    type_name(arg)
                ),
            )
        },
        |k| {
            QueryError::location(
                40541,
                format!("Unrecognized argument to $dateFromString: {k}"),
            )
        },
    )?;
    if f[0].is_none() {
        return Err(QueryError::location(
            40542,
            "Missing 'dateString' parameter to $dateFromString",
        ));
    }
    let args = parse_fields(f, pc)?;
    if let Some(Bson::String(s)) = literal(&args[1]) {
        format::validate(s, format::FROM_STRING)?;
    }
    check_const_tz(&args[2])?;
    build("$dateFromString", args, date_from_string)
}

fn date_from_string(a: &mut Args<'_, '_>) -> Result<Value, QueryError> {
    let input = a.get(0)?;
    let format = format_arg(a, 1, "$dateFromString", 40684, format::FROM_STRING)?;
    let tz = a.tz(2)?;
    if nullish(&input) {
        return if a.given(3) { a.get(3) } else { null() };
    }
    let result = (|| {
        let Some(Bson::String(s)) = &input else {
            return Err(QueryError::new(
                241,
                "ConversionFailure",
                format!(
                    "$dateFromString requires that 'dateString' be a string, found: {} with \
                     value {}",
                    value_type_name(&input),
                    show(&input)
                ),
            ));
        };
        let Some(tz) = tz else { return null() };
        match format {
            Some(None) => null(),
            Some(Some(f)) => parse::from_string(s, &tz, Some(&f)).map(date_value),
            None => parse::from_string(s, &tz, None).map(date_value),
        }
    })();
    match result {
        Err(e) if e.code == 241 && a.given(4) => a.get(4),
        other => other,
    }
}
