//! Date operators: `$dateToString $dateFromString $dateToParts
//! $dateFromParts $dateAdd $dateSubtract $dateDiff $dateTrunc` and the part
//! extractors `$year $month $dayOfMonth $dayOfYear $dayOfWeek $hour $minute
//! $second $millisecond $week $isoWeek $isoWeekYear $isoDayOfWeek`, with
//! mongod's argument order, null rules, error codes and messages
//! (`src/mongo/db/exec/expression/evaluate_date.cpp`,
//! `src/mongo/db/query/datetime/date_time_support.cpp`).
//!
//! Dates are BSON dates, timestamps (their seconds) and ObjectIds (their
//! creation second). Time zones are Olson names (jiff's bundled tzdb),
//! UTC offsets (`+04:30`, `-0430`, `+04`) or `UTC`.

mod arith;
mod calendar;
mod format;
mod parse;
mod parts;
#[cfg(test)]
mod tests;
mod text;

use super::args::nullish;
use super::{Ctx, Env, Node, Operator, ParseCtx, Value, parse as parse_expr};
use crate::query::error::{QueryError, type_name};
use bson::{Bson, Document};
use calendar::{Tz, Unit};

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// The milliseconds of a date, timestamp or ObjectId (mongod's
/// `coercibleToDate`/`coerceToDate`).
fn coerce_date(v: &Bson) -> Option<i64> {
    match v {
        Bson::DateTime(d) => Some(d.timestamp_millis()),
        Bson::Timestamp(t) => Some(i64::from(t.time) * 1000),
        Bson::ObjectId(o) => Some(o.timestamp().timestamp_millis()),
        _ => None,
    }
}

/// `coerceToDate` of a value that must be a date (16006 otherwise).
fn to_date(v: &Bson) -> Result<i64, QueryError> {
    coerce_date(v).ok_or_else(|| {
        QueryError::location(
            16006,
            format!("can't convert from BSON type {} to Date", type_name(v)),
        )
    })
}

/// mongod's `integral64Bit`: an integer, or a double/decimal with an
/// integral value that fits in 64 bits.
fn integral64(v: &Bson) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    match v {
        Bson::Int32(n) => Some(i64::from(*n)),
        Bson::Int64(n) => Some(*n),
        Bson::Double(f) if f.fract() == 0.0 && *f >= -LIMIT && *f < LIMIT => Some(*f as i64),
        Bson::Decimal128(d) => {
            let f: f64 = d.to_string().parse().ok()?;
            (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f))
                .then(|| crate::query::update::decimal_to_i64_trunc(d))
        }
        _ => None,
    }
}

/// mongod's `makeTimeZone` of an evaluated `timezone`: `None` when it is
/// null or missing.
fn time_zone(v: &Value) -> Result<Option<Tz>, QueryError> {
    match v {
        v if nullish(v) => Ok(None),
        Some(Bson::String(s)) => Tz::parse(s).map(Some),
        other => Err(QueryError::location(
            40517,
            format!(
                "timezone must evaluate to a string, found {}",
                super::value_type_name(other)
            ),
        )),
    }
}

/// `parseTimeUnit` of an evaluated `unit` (not nullish).
fn time_unit(v: &Value, op: &str) -> Result<Unit, QueryError> {
    let Some(Bson::String(s)) = v else {
        return Err(QueryError::location(
            5439013,
            format!(
                "{op} requires 'unit' to be a string, but got {}",
                super::value_type_name(v)
            ),
        ));
    };
    Unit::parse(s).ok_or_else(|| {
        QueryError::failed_to_parse(format!(
            "{op} parameter 'unit' value parsing failed :: caused by :: unknown time unit \
             value: {s}"
        ))
    })
}

/// `parseDayOfWeek` of an evaluated `startOfWeek` (not nullish).
fn day_of_week(v: &Value, op: &str) -> Result<i64, QueryError> {
    let Some(Bson::String(s)) = v else {
        return Err(QueryError::location(
            5439015,
            format!(
                "{op} requires 'startOfWeek' to be a string, but got {}",
                super::value_type_name(v)
            ),
        ));
    };
    calendar::parse_day_of_week(s).ok_or_else(|| {
        QueryError::location(
            5439016,
            format!(
                "{op} parameter 'startOfWeek' value cannot be recognized as a day of a week: {s}"
            ),
        )
    })
}

fn date_value(ms: i64) -> Value {
    Some(Bson::DateTime(bson::DateTime::from_millis(ms)))
}

fn null() -> Result<Value, QueryError> {
    Ok(Some(Bson::Null))
}

/// An int32 part (parts of dates within BSON's range fit).
fn int(n: i64) -> Bson {
    i32::try_from(n).map_or(Bson::Int64(n), Bson::Int32)
}

// ---------------------------------------------------------------------------
// The operator node: named arguments and an evaluation function
// ---------------------------------------------------------------------------

/// Evaluated lazily: a function gets at its arguments through [`Args`].
type EvalFn = fn(&mut Args<'_, '_>) -> Result<Value, QueryError>;

struct DateOp {
    name: String,
    args: Vec<Option<Node>>,
    f: EvalFn,
}

impl std::fmt::Debug for DateOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DateOp")
            .field("name", &self.name)
            .field("args", &self.args)
            .finish()
    }
}

impl Operator for DateOp {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        (self.f)(&mut Args {
            nodes: &self.args,
            cx,
        })
    }
}

struct Args<'a, 'c> {
    nodes: &'a [Option<Node>],
    cx: &'a mut Ctx<'c>,
}

impl Args<'_, '_> {
    /// Was argument `i` given?
    fn given(&self, i: usize) -> bool {
        self.nodes.get(i).is_some_and(Option::is_some)
    }

    /// Argument `i` evaluated (missing when not given).
    fn get(&mut self, i: usize) -> Result<Value, QueryError> {
        match self.nodes.get(i) {
            Some(Some(n)) => n.eval(self.cx),
            _ => Ok(None),
        }
    }

    /// Argument `i` as a time zone: UTC when not given, `None` when null.
    fn tz(&mut self, i: usize) -> Result<Option<Tz>, QueryError> {
        if !self.given(i) {
            return Ok(Some(Tz::Utc));
        }
        let v = self.get(i)?;
        time_zone(&v)
    }
}

/// The node of an operator; evaluated now when every argument is a
/// constant (mongod folds constants at optimization time).
fn build(name: &str, args: Vec<Option<Node>>, f: EvalFn) -> Result<Node, QueryError> {
    let op = DateOp {
        name: name.to_string(),
        args,
        f,
    };
    if op
        .args
        .iter()
        .all(|a| a.as_ref().is_none_or(|n| matches!(n, Node::Literal(_))))
    {
        let doc = Document::new();
        let env = Env::default();
        let mut cx = Ctx::new(&doc, &env);
        return Ok(match op.eval(&mut cx)? {
            Some(v) => Node::Literal(v),
            None => Node::Remove,
        });
    }
    Ok(Node::Op(Box::new(op)))
}

/// The fields of `{$op: {...}}`, in the order of `allowed`.
fn fields<'a, const N: usize>(
    arg: &'a Bson,
    allowed: [&str; N],
    not_object: impl FnOnce() -> QueryError,
    unknown: impl Fn(&str) -> QueryError,
) -> Result<[Option<&'a Bson>; N], QueryError> {
    let Bson::Document(d) = arg else {
        return Err(not_object());
    };
    let mut out = [None; N];
    for (k, v) in d {
        match allowed.iter().position(|a| a == k) {
            Some(i) => out[i] = Some(v),
            None => return Err(unknown(k)),
        }
    }
    Ok(out)
}

fn parse_fields<const N: usize>(
    f: [Option<&Bson>; N],
    pc: &mut ParseCtx,
) -> Result<Vec<Option<Node>>, QueryError> {
    f.iter()
        .map(|a| a.map(|b| parse_expr(b, pc)).transpose())
        .collect()
}

fn literal(n: &Option<Node>) -> Option<&Bson> {
    match n {
        Some(Node::Literal(v)) => Some(v),
        _ => None,
    }
}

/// A constant `timezone` is checked when parsing, as mongod does.
fn check_const_tz(n: &Option<Node>) -> Result<(), QueryError> {
    if let Some(v) = literal(n) {
        time_zone(&Some(v.clone()))?;
    }
    Ok(())
}

/// A constant `unit` is checked when parsing, as mongod does.
fn check_const_unit(n: &Option<Node>, op: &str) -> Result<(), QueryError> {
    if let Some(v) = literal(n).filter(|v| !matches!(v, Bson::Null | Bson::Undefined)) {
        time_unit(&Some(v.clone()), op)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------

use arith::{parse_date_arith, parse_date_diff, parse_date_trunc};
use parts::{extract, parse_date_from_parts, parse_date_to_parts, parse_extractor};
use text::{parse_date_from_string, parse_date_to_string};

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$dateToString" => parse_date_to_string(arg, pc),
        "$dateFromString" => parse_date_from_string(arg, pc),
        "$dateToParts" => parse_date_to_parts(arg, pc),
        "$dateFromParts" => parse_date_from_parts(arg, pc),
        "$dateAdd" | "$dateSubtract" => parse_date_arith(name, arg, pc),
        "$dateDiff" => parse_date_diff(arg, pc),
        "$dateTrunc" => parse_date_trunc(arg, pc),
        "$year" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.y))),
        "$month" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.m))),
        "$dayOfMonth" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.d))),
        "$dayOfYear" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.day_of_year()))),
        "$dayOfWeek" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.day_of_week()))),
        "$hour" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.h))),
        "$minute" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.mi))),
        "$second" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.s))),
        "$millisecond" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.ms))),
        "$week" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.week()))),
        "$isoWeek" => parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.iso_week().0))),
        "$isoWeekYear" => parse_extractor(name, arg, pc, |a| {
            extract(a, |l| Bson::Int64(l.iso_week().1))
        }),
        "$isoDayOfWeek" => {
            parse_extractor(name, arg, pc, |a| extract(a, |l| int(l.iso_day_of_week())))
        }
        _ => return None,
    })
}

/// `$convert` to `date` (and `$toDate`): numbers are milliseconds since
/// the epoch, strings are parsed as `$dateFromString` does, ObjectIds and
/// timestamps give their time. Used by the type-conversion group.
pub(crate) fn convert_to_date(v: &Bson) -> Result<Bson, QueryError> {
    let conversion = |from: &str| {
        QueryError::new(
            241,
            "ConversionFailure",
            format!("Unsupported conversion from {from} to date in $convert with no onError value"),
        )
    };
    Ok(Bson::DateTime(match v {
        Bson::DateTime(d) => *d,
        Bson::Int64(n) => bson::DateTime::from_millis(*n),
        Bson::Double(f) if f.is_finite() => bson::DateTime::from_millis(f.trunc() as i64),
        Bson::Decimal128(d) if d.to_string().parse::<f64>().is_ok_and(f64::is_finite) => {
            bson::DateTime::from_millis(crate::query::update::decimal_to_i64_trunc(d))
        }
        Bson::String(s) => bson::DateTime::from_millis(parse::from_string(s, &Tz::Utc, None)?),
        Bson::ObjectId(o) => o.timestamp(),
        Bson::Timestamp(t) => bson::DateTime::from_millis(i64::from(t.time) * 1000),
        other => return Err(conversion(crate::query::error::type_name(other))),
    }))
}
