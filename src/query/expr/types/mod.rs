//! Type operators: `$type $isNumber $convert $toBool $toDate $toDecimal
//! $toDouble $toInt $toLong $toObjectId $toString`, and the size operators
//! `$bsonSize $binarySize`.
//!
//! `$convert` follows mongod's conversion table; a conversion that fails
//! is a `ConversionFailure` (241), which `onError` catches. A `to` that
//! names no type is `BadValue`/`FailedToParse` and is not caught.

mod format;

pub(super) use format::{fmt_double_g, fmt_double_shortest, iso_date};

use super::args::{named_doc, nullish, pure1};
use super::string::{all_literal, fold};
use super::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr, value_type_name};
use crate::query::error::{QueryError, type_name};
use bson::{Bson, Decimal128};

/// A `$convert` target.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Double,
    String,
    ObjectId,
    Bool,
    Date,
    Int,
    Long,
    Decimal,
    /// A BSON type no value converts to.
    Other(&'static str),
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Double => "double",
            Target::String => "string",
            Target::ObjectId => "objectId",
            Target::Bool => "bool",
            Target::Date => "date",
            Target::Int => "int",
            Target::Long => "long",
            Target::Decimal => "decimal",
            Target::Other(n) => n,
        }
    }
}

/// BSON type names and numbers, as `$type` and `$convert` know them.
const TYPES: &[(&str, i64)] = &[
    ("double", 1),
    ("string", 2),
    ("object", 3),
    ("array", 4),
    ("binData", 5),
    ("undefined", 6),
    ("objectId", 7),
    ("bool", 8),
    ("date", 9),
    ("null", 10),
    ("regex", 11),
    ("dbPointer", 12),
    ("javascript", 13),
    ("symbol", 14),
    ("javascriptWithScope", 15),
    ("int", 16),
    ("timestamp", 17),
    ("long", 18),
    ("decimal", 19),
    ("minKey", -1),
    ("maxKey", 127),
];

fn target_of_name(name: &'static str) -> Target {
    match name {
        "double" => Target::Double,
        "string" => Target::String,
        "objectId" => Target::ObjectId,
        "bool" => Target::Bool,
        "date" => Target::Date,
        "int" => Target::Int,
        "long" => Target::Long,
        "decimal" => Target::Decimal,
        other => Target::Other(other),
    }
}

fn failed_to_parse(msg: impl Into<String>) -> QueryError {
    QueryError::new(9, "FailedToParse", msg)
}

/// mongod's `computeTargetType`: a type name or a type number.
fn target_type(to: &Bson) -> Result<Target, QueryError> {
    match to {
        // "missing" names a type no value converts to.
        Bson::String(s) if s == "missing" => Ok(Target::Other("missing")),
        Bson::String(s) => TYPES
            .iter()
            .find(|(n, _)| n == s)
            .map(|(n, _)| target_of_name(n))
            .ok_or_else(|| QueryError::new(2, "BadValue", format!("Unknown type name: {s}"))),
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_) => {
            let code = match to {
                Bson::Int32(i) => Some(i64::from(*i)),
                Bson::Int64(i) => Some(*i),
                Bson::Double(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
                Bson::Decimal128(d) => {
                    let f = dec_to_f64(d);
                    (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
                }
                _ => None,
            }
            .ok_or_else(|| {
                failed_to_parse("In $convert, numeric 'to' argument is not an integer")
            })?;
            TYPES
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(n, _)| target_of_name(n))
                .ok_or_else(|| {
                    failed_to_parse(format!(
                        "In $convert, numeric value for 'to' does not correspond to a BSON type: \
                         {code}"
                    ))
                })
        }
        other => Err(failed_to_parse(format!(
            "$convert's 'to' argument must be a string or number, but is {}",
            type_name(other)
        ))),
    }
}

fn conversion_failure(msg: impl Into<String>) -> QueryError {
    QueryError::new(241, "ConversionFailure", msg)
}

fn unsupported(v: &Bson, to: Target) -> QueryError {
    conversion_failure(format!(
        "Unsupported conversion from {} to {} in $convert with no onError value",
        type_name(v),
        to.name()
    ))
}

fn overflow(shown: &str) -> QueryError {
    conversion_failure(format!(
        "Conversion would overflow target type in $convert with no onError value: {shown}"
    ))
}

// ---------------------------------------------------------------- decimals

fn dec(s: &str) -> Decimal128 {
    s.parse().unwrap_or_else(|_| {
        Decimal128::from_bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7c, 0])
    })
}

fn dec_from_i64(i: i64) -> Decimal128 {
    dec(&i.to_string())
}

/// mongod's `Decimal128(double)`: 15 significant digits.
fn dec_from_f64(f: f64) -> Decimal128 {
    if f.is_nan() {
        return dec("NaN");
    }
    if f.is_infinite() {
        return dec(if f < 0.0 { "-Infinity" } else { "Infinity" });
    }
    if f == 0.0 {
        return dec(if f.is_sign_negative() { "-0" } else { "0" });
    }
    dec(&format!("{:.14e}", f).replace('e', "E"))
}

pub(super) fn dec_to_f64(d: &Decimal128) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// A decimal truncated toward zero; `Err` for NaN (`true`) and infinity
/// (`false`); `None` inside for a magnitude beyond `i128`.
fn dec_trunc(d: &Decimal128) -> Result<Option<i128>, bool> {
    let s = d.to_string();
    match s.as_str() {
        "NaN" | "-NaN" => return Err(true),
        "Infinity" | "-Infinity" => return Err(false),
        _ => {}
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.as_str()),
    };
    let (mant, e) = match s.split_once('E') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = format!("{int}{frac}");
    let exp = e - frac.len() as i64;
    let digits = digits.trim_start_matches('0');
    let kept: &str = if exp >= 0 {
        digits
    } else {
        let drop = (-exp) as usize;
        if drop >= digits.len() {
            ""
        } else {
            &digits[..digits.len() - drop]
        }
    };
    if kept.is_empty() {
        return Ok(Some(0));
    }
    let scale = exp.max(0) as usize;
    if kept.len() + scale > 38 {
        return Ok(None);
    }
    let Ok(mut n) = kept.parse::<i128>() else {
        return Ok(None);
    };
    for _ in 0..scale {
        n *= 10;
    }
    Ok(Some(if neg { -n } else { n }))
}

/// mongod's decimal string syntax (what `Decimal128(std::string)` takes).
fn valid_decimal_str(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s).to_ascii_lowercase();
    if matches!(t.as_str(), "inf" | "infinity" | "nan") {
        return true;
    }
    let (m, e) = match t.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (t.as_str(), None),
    };
    let mant_ok = m.matches('.').count() <= 1
        && m.chars().all(|c| c.is_ascii_digit() || c == '.')
        && m.chars().any(|c| c.is_ascii_digit());
    let exp_ok = e.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok
}

// ---------------------------------------------------------------- conversions

fn parse_failure(s: &str, reason: &str) -> QueryError {
    conversion_failure(format!(
        "Failed to parse number '{s}' in $convert with no onError value: {reason}"
    ))
}

/// mongod rejects `0x` strings before parsing any number.
fn reject_hex(s: &str) -> Result<(), QueryError> {
    if s.starts_with("0x") || s.starts_with("0X") {
        return Err(conversion_failure(format!(
            "Illegal hexadecimal input in $convert with no onError value: {s}"
        )));
    }
    Ok(())
}

/// mongod's `NumberParser` for integers (base 10, no whitespace).
fn parse_int(s: &str) -> Result<i64, QueryError> {
    reject_hex(s)?;
    if s.is_empty() {
        return Err(parse_failure(s, "No digits"));
    }
    if s.starts_with(char::is_whitespace) {
        return Err(parse_failure(s, "Leading whitespace"));
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
        return Err(parse_failure(s, "Did not consume whole string."));
    }
    s.parse::<i64>()
        .map_err(|_| parse_failure(s, "Out of range"))
}

fn parse_double(s: &str) -> Result<f64, QueryError> {
    reject_hex(s)?;
    if s.is_empty() {
        return Err(parse_failure(s, "No digits"));
    }
    if s.starts_with(char::is_whitespace) {
        return Err(parse_failure(s, "Leading whitespace"));
    }
    s.parse::<f64>()
        .map_err(|_| parse_failure(s, "Did not consume whole string."))
}

/// A double (or a decimal shown as `shown`) truncated to an integer in
/// `lo..=hi`, with mongod's NaN/infinity/overflow failures.
fn trunc_float(f: f64, lo: i128, hi: i128, shown: &str) -> Result<i128, QueryError> {
    if f.is_nan() {
        return Err(conversion_failure(
            "Attempt to convert NaN value to integer type in $convert with no onError value",
        ));
    }
    if f.is_infinite() {
        return Err(conversion_failure(
            "Attempt to convert infinity value to integer type in $convert with no onError value",
        ));
    }
    // mongod compares the double itself: 2147483647.5 overflows an int.
    // For a long the upper bound is 2^63, exclusive.
    let fits = if hi == i128::from(i32::MAX) {
        f >= lo as f64 && f <= hi as f64
    } else {
        f >= lo as f64 && f < 9_223_372_036_854_775_808.0
    };
    if !fits {
        return Err(overflow(shown));
    }
    Ok(f.trunc() as i128)
}

fn trunc_decimal(d: &Decimal128, lo: i128, hi: i128) -> Result<i128, QueryError> {
    match dec_trunc(d) {
        Err(true) => Err(conversion_failure(
            "Attempt to convert NaN value to integer type in $convert with no onError value",
        )),
        Err(false) => Err(conversion_failure(
            "Attempt to convert infinity value to integer type in $convert with no onError value",
        )),
        Ok(Some(n)) if (lo..=hi).contains(&n) => Ok(n),
        Ok(_) => Err(overflow(&d.to_string())),
    }
}

/// An integral conversion (`int` or `long`).
fn to_integer(v: &Bson, to: Target, lo: i128, hi: i128) -> Result<i128, QueryError> {
    let in_range = |n: i128, shown: String| {
        if (lo..=hi).contains(&n) {
            Ok(n)
        } else {
            Err(overflow(&shown))
        }
    };
    match v {
        Bson::Int32(i) => Ok(i128::from(*i)),
        Bson::Int64(i) => in_range(i128::from(*i), i.to_string()),
        Bson::Double(f) => trunc_float(*f, lo, hi, &fmt_double_g(*f)),
        Bson::Decimal128(d) => trunc_decimal(d, lo, hi),
        Bson::Boolean(b) => Ok(i128::from(*b)),
        Bson::DateTime(d) if to == Target::Long => Ok(i128::from(d.timestamp_millis())),
        Bson::String(s) => {
            let n = parse_int(s)?;
            in_range(i128::from(n), s.clone()).map_err(|_| parse_failure(s, "Out of range"))
        }
        other => Err(unsupported(other, to)),
    }
}

/// mongod's `$convert` of a non-null value.
fn convert(v: &Bson, to: Target) -> Result<Bson, QueryError> {
    Ok(match to {
        Target::Double => Bson::Double(match v {
            Bson::Double(f) => *f,
            Bson::Int32(i) => f64::from(*i),
            Bson::Int64(i) => *i as f64,
            Bson::Decimal128(d) => {
                // Only an inexact result is fine: overflow and underflow
                // fail, as in mongod.
                let f = dec_to_f64(d);
                let shown = d.to_string();
                let special = shown.contains("Infinity") || shown.contains("NaN");
                let zero = crate::query::numeric::decimal_is_zero(d);
                if !special
                    && (f.is_infinite() || (f == 0.0 && !zero) || (f != 0.0 && !f.is_normal()))
                {
                    return Err(overflow(&shown));
                }
                f
            }
            Bson::Boolean(b) => f64::from(u8::from(*b)),
            Bson::DateTime(d) => d.timestamp_millis() as f64,
            Bson::String(s) => parse_double(s)?,
            other => return Err(unsupported(other, to)),
        }),
        Target::Int => {
            Bson::Int32(to_integer(v, to, i128::from(i32::MIN), i128::from(i32::MAX))? as i32)
        }
        Target::Long => {
            Bson::Int64(to_integer(v, to, i128::from(i64::MIN), i128::from(i64::MAX))? as i64)
        }
        Target::Decimal => Bson::Decimal128(match v {
            Bson::Decimal128(d) => *d,
            Bson::Int32(i) => dec_from_i64(i64::from(*i)),
            Bson::Int64(i) => dec_from_i64(*i),
            Bson::Double(f) => dec_from_f64(*f),
            Bson::Boolean(b) => dec_from_i64(i64::from(*b)),
            Bson::DateTime(d) => dec_from_i64(d.timestamp_millis()),
            Bson::String(s) => {
                reject_hex(s)?;
                if !valid_decimal_str(s) {
                    return Err(conversion_failure(format!(
                        "Failed to parse string to decimal '{s}' in $convert with no onError value"
                    )));
                }
                s.parse().map_err(|_| {
                    conversion_failure(format!(
                        "Failed to parse string to decimal '{s}' in $convert with no onError value"
                    ))
                })?
            }
            other => return Err(unsupported(other, to)),
        }),
        Target::Bool => Bson::Boolean(match v {
            Bson::Boolean(b) => *b,
            Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_) => {
                super::truthy(v)
            }
            // Every other type (strings, even "false" and "", objects,
            // arrays, dates, ...) is true.
            _ => true,
        }),
        Target::String => Bson::String(match v {
            Bson::String(s) => s.clone(),
            Bson::Double(f) => fmt_double_shortest(*f),
            Bson::Int32(i) => i.to_string(),
            Bson::Int64(i) => i.to_string(),
            Bson::Decimal128(d) => d.to_string(),
            Bson::Boolean(b) => b.to_string(),
            Bson::ObjectId(o) => o.to_hex(),
            Bson::DateTime(d) => iso_date(d.timestamp_millis()),
            other => return Err(unsupported(other, to)),
        }),
        Target::ObjectId => match v {
            Bson::ObjectId(o) => Bson::ObjectId(*o),
            Bson::String(s) => Bson::ObjectId(parse_oid(s)?),
            other => return Err(unsupported(other, to)),
        },
        Target::Date => super::date::convert_to_date(v)?,
        Target::Other(_) => return Err(unsupported(v, to)),
    })
}

fn parse_oid(s: &str) -> Result<bson::oid::ObjectId, QueryError> {
    let fail = |why: String| {
        conversion_failure(format!(
            "Failed to parse objectId '{s}' in $convert with no onError value: {why}"
        ))
    };
    if s.len() != 24 {
        return Err(fail(format!(
            "Invalid string length for parsing to OID, expected 24 but found {}",
            s.len()
        )));
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(fail(format!(
            "Invalid character found in hex string: '{c}'"
        )));
    }
    bson::oid::ObjectId::parse_str(s).map_err(|e| fail(e.to_string()))
}

// ---------------------------------------------------------------- $convert

#[derive(Debug)]
struct Convert {
    input: Node,
    to: Node,
    on_error: Option<Node>,
    on_null: Option<Node>,
}

impl Operator for Convert {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let to = self.to.eval(cx)?;
        let input = self.input.eval(cx)?;
        let target = match &to {
            Some(t) if !nullish(&to) => Some(target_type(t)?),
            _ => None,
        };
        let Some(v) = input.as_ref().filter(|_| !nullish(&input)) else {
            return match &self.on_null {
                Some(n) => n.eval(cx),
                None => Ok(Some(Bson::Null)),
            };
        };
        let Some(target) = target else {
            return Ok(Some(Bson::Null));
        };
        match convert(v, target) {
            Ok(out) => Ok(Some(out)),
            Err(e) if e.code == 241 && self.on_error.is_some() => match &self.on_error {
                Some(n) => n.eval(cx),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}

fn parse_convert(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let Bson::Document(d) = arg else {
        return Err(failed_to_parse(format!(
            "$convert expects an object of named arguments but found: {}",
            type_name(arg)
        )));
    };
    for k in d.keys() {
        if !matches!(k.as_str(), "input" | "to" | "onError" | "onNull") {
            return Err(failed_to_parse(format!(
                "$convert found an unknown argument: {k}"
            )));
        }
    }
    let [input, to, on_error, on_null] =
        named_doc("$convert", d, ["input", "to", "onError", "onNull"], 9)?;
    let input = input.ok_or_else(|| failed_to_parse("Missing 'input' parameter to $convert"))?;
    let to = to.ok_or_else(|| failed_to_parse("Missing 'to' parameter to $convert"))?;
    let op = Convert {
        input: parse_expr(input, pc)?,
        to: parse_expr(to, pc)?,
        on_error: on_error.map(|e| parse_expr(e, pc)).transpose()?,
        on_null: on_null.map(|e| parse_expr(e, pc)).transpose()?,
    };
    let constant = all_literal([
        Some(&op.input),
        Some(&op.to),
        op.on_error.as_ref(),
        op.on_null.as_ref(),
    ]);
    fold(op, constant)
}

/// `$toInt` and friends: `$convert` without `onError`/`onNull`.
fn to_type(v: &Value, target: Target) -> Result<Value, QueryError> {
    match v {
        Some(b) if !nullish(v) => convert(b, target).map(Some),
        _ => Ok(Some(Bson::Null)),
    }
}

fn is_number(v: &Value) -> bool {
    matches!(
        v,
        Some(Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_))
    )
}

fn size_i32(n: usize) -> Bson {
    i32::try_from(n).map_or(Bson::Int64(n as i64), Bson::Int32)
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$type" => pure1("$type", arg, pc, |v| {
            Ok(Some(Bson::String(value_type_name(&v[0]).to_string())))
        }),
        "$isNumber" => pure1("$isNumber", arg, pc, |v| {
            Ok(Some(Bson::Boolean(is_number(&v[0]))))
        }),
        "$convert" => parse_convert(arg, pc),
        "$toBool" => pure1("$toBool", arg, pc, |v| to_type(&v[0], Target::Bool)),
        "$toDate" => pure1("$toDate", arg, pc, |v| to_type(&v[0], Target::Date)),
        "$toDecimal" => pure1("$toDecimal", arg, pc, |v| to_type(&v[0], Target::Decimal)),
        "$toDouble" => pure1("$toDouble", arg, pc, |v| to_type(&v[0], Target::Double)),
        "$toInt" => pure1("$toInt", arg, pc, |v| to_type(&v[0], Target::Int)),
        "$toLong" => pure1("$toLong", arg, pc, |v| to_type(&v[0], Target::Long)),
        "$toObjectId" => pure1("$toObjectId", arg, pc, |v| to_type(&v[0], Target::ObjectId)),
        "$toString" => pure1("$toString", arg, pc, |v| to_type(&v[0], Target::String)),
        "$bsonSize" => pure1("$bsonSize", arg, pc, |v| match &v[0] {
            x if nullish(x) => Ok(Some(Bson::Null)),
            Some(Bson::Document(d)) => {
                let bytes = d
                    .to_vec()
                    .map_err(|e| QueryError::location(31393, format!("$bsonSize: {e}")))?;
                Ok(Some(size_i32(bytes.len())))
            }
            other => Err(QueryError::location(
                31393,
                format!(
                    "$bsonSize requires a document input, found: {}",
                    value_type_name(other)
                ),
            )),
        }),
        "$binarySize" => pure1("$binarySize", arg, pc, |v| match &v[0] {
            x if nullish(x) => Ok(Some(Bson::Null)),
            Some(Bson::String(s)) => Ok(Some(size_i32(s.len()))),
            Some(Bson::Binary(b)) => Ok(Some(size_i32(b.bytes.len()))),
            other => Err(QueryError::location(
                51276,
                format!(
                    "$binarySize requires a string or BinData argument, found: {}",
                    value_type_name(other)
                ),
            )),
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
