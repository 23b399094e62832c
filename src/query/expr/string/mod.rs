//! String operators: `$concat $toUpper $toLower $trim $ltrim $rtrim $split
//! $strLenBytes $strLenCP $substr $substrBytes $substrCP $indexOfBytes
//! $indexOfCP $strcasecmp $replaceOne $replaceAll` and (in [`regex`])
//! `$regexMatch $regexFind $regexFindAll`. `$toString` is a type
//! conversion (`types`).
//!
//! Strings are UTF-8; "bytes" operators count bytes, "CP" operators count
//! code points, as mongod does.

mod regex;

use super::args::{Arity, named_doc, nullish, pure, pure1};
use super::array::as_i32;
use super::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr, value_type_name};
use crate::query::error::{QueryError, fmt_value, type_name};
use bson::Bson;

/// A string operand, if it is one.
fn as_str(v: &Value) -> Option<&str> {
    match v {
        Some(Bson::String(s)) => Some(s),
        _ => None,
    }
}

/// mongod's `Value::coerceToString`: null and missing are `""`, numbers and
/// dates are formatted, other types are an error (16007).
pub(super) fn coerce_to_string(v: &Value) -> Result<String, QueryError> {
    Ok(match v {
        None | Some(Bson::Null) | Some(Bson::Undefined) => String::new(),
        Some(Bson::String(s)) | Some(Bson::Symbol(s)) | Some(Bson::JavaScriptCode(s)) => s.clone(),
        Some(Bson::Double(f)) => super::types::fmt_double_g(*f),
        Some(Bson::Int32(i)) => i.to_string(),
        Some(Bson::Int64(i)) => i.to_string(),
        Some(Bson::Decimal128(d)) => d.to_string(),
        Some(Bson::DateTime(d)) => super::types::iso_date(d.timestamp_millis()),
        // Timestamp::toStringPretty: the seconds as a date, then the increment.
        Some(Bson::Timestamp(t)) => {
            let date = super::types::iso_date(i64::from(t.time) * 1000);
            format!("{}:{}", &date[..date.len().saturating_sub(5)], t.increment)
        }
        Some(other) => {
            return Err(QueryError::location(
                16007,
                format!(
                    "can't convert from BSON type {} to String",
                    type_name(other)
                ),
            ));
        }
    })
}

fn concat(vals: &[Value]) -> Result<Value, QueryError> {
    let mut out = String::new();
    for v in vals {
        match v {
            Some(Bson::String(s)) => out.push_str(s),
            v if nullish(v) => return Ok(Some(Bson::Null)),
            other => {
                return Err(QueryError::location(
                    16702,
                    format!(
                        "$concat only supports strings, not {}",
                        value_type_name(other)
                    ),
                ));
            }
        }
    }
    Ok(Some(Bson::String(out)))
}

/// `$strcasecmp`: the two strings upper-cased (ASCII), compared bytewise,
/// as mongod does (so `"_"` sorts after `"Z"` but before `"z"`).
fn strcasecmp(v: &[Value]) -> Result<Value, QueryError> {
    let a = coerce_to_string(&v[0])?.to_ascii_uppercase();
    let b = coerce_to_string(&v[1])?.to_ascii_uppercase();
    Ok(Some(Bson::Int32(match a.as_bytes().cmp(b.as_bytes()) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })))
}

fn split(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let Some(input) = as_str(&v[0]) else {
        return Err(QueryError::location(
            40085,
            format!(
                "$split requires an expression that evaluates to a string as a first argument, \
                 found: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let Some(sep) = as_str(&v[1]) else {
        return Err(QueryError::location(
            40086,
            format!(
                "$split requires an expression that evaluates to a string as a second argument, \
                 found: {}",
                value_type_name(&v[1])
            ),
        ));
    };
    if sep.is_empty() {
        return Err(QueryError::location(
            40087,
            "$split requires a non-empty separator",
        ));
    }
    Ok(Some(Bson::Array(
        input
            .split(sep)
            .map(|p| Bson::String(p.to_string()))
            .collect(),
    )))
}

fn str_len(name: &str, code: i32, v: &Value, cp: bool) -> Result<Value, QueryError> {
    let Some(s) = as_str(v) else {
        return Err(QueryError::location(
            code,
            format!(
                "{name} requires a string argument, found: {}",
                value_type_name(v)
            ),
        ));
    };
    let n = if cp { s.chars().count() } else { s.len() };
    Ok(Some(Bson::Int32(i32::try_from(n).unwrap_or(i32::MAX))))
}

fn is_num(v: &Value) -> bool {
    matches!(
        v,
        Some(Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_))
    )
}

/// mongod's `coerceToLong` (doubles and decimals truncate).
fn coerce_long(v: &Value) -> i64 {
    match v {
        Some(Bson::Int32(i)) => i64::from(*i),
        Some(Bson::Int64(i)) => *i,
        Some(Bson::Double(f)) => *f as i64,
        Some(Bson::Decimal128(d)) => crate::query::update::decimal_to_i64_trunc(d),
        _ => 0,
    }
}

/// `$substrBytes` (and its old name `$substr`): byte offsets; an offset
/// inside a multi-byte character is an error, a negative length means "to
/// the end".
fn substr_bytes(v: &[Value]) -> Result<Value, QueryError> {
    let s = coerce_to_string(&v[0])?;
    if !is_num(&v[1]) {
        return Err(QueryError::location(
            16034,
            format!(
                "$substrBytes:  starting index must be a numeric type (is BSON type {})",
                value_type_name(&v[1])
            ),
        ));
    }
    if !is_num(&v[2]) {
        return Err(QueryError::location(
            16035,
            format!(
                "$substrBytes:  length must be a numeric type (is BSON type {})",
                value_type_name(&v[2])
            ),
        ));
    }
    let signed_lower = coerce_long(&v[1]);
    if signed_lower < 0 {
        return Err(QueryError::location(
            50752,
            format!("$substrBytes:  starting index must be non-negative (got: {signed_lower})"),
        ));
    }
    let bytes = s.as_bytes();
    let len = bytes.len() as u64;
    let lower = signed_lower as u64;
    let signed_length = coerce_long(&v[2]);
    let length = if signed_length < 0 {
        len
    } else {
        signed_length as u64
    };
    let continuation = |i: u64| bytes.get(i as usize).is_some_and(|b| (b & 0xc0) == 0x80);
    let mid_char = || {
        QueryError::location(
            28657,
            "$substrBytes:  Invalid range, ending index is in the middle of a UTF-8 character.",
        )
    };
    if continuation(lower) {
        return Err(QueryError::location(
            28656,
            "$substrBytes:  Invalid range, starting index is a UTF-8 continuation byte.",
        ));
    }
    let end = lower.saturating_add(length);
    if continuation(end) {
        return Err(mid_char());
    }
    if lower >= len {
        return Ok(Some(Bson::String(String::new())));
    }
    let out = s
        .get(lower as usize..end.min(len) as usize)
        .ok_or_else(mid_char)?;
    Ok(Some(Bson::String(out.to_string())))
}

fn substr_cp(v: &[Value]) -> Result<Value, QueryError> {
    let s = coerce_to_string(&v[0])?;
    let int_arg = |x: &Value, what: &str, not_num: i32, not_int: i32| {
        if !is_num(x) {
            return Err(QueryError::location(
                not_num,
                format!(
                    "$substrCP: {what} must be a numeric type (is BSON type {})",
                    value_type_name(x)
                ),
            ));
        }
        x.as_ref().and_then(as_i32).ok_or_else(|| {
            QueryError::location(
                not_int,
                format!(
                    "$substrCP: {what} cannot be represented as a 32-bit integral value: {}",
                    x.as_ref().map_or_else(String::new, fmt_value)
                ),
            )
        })
    };
    let start = int_arg(&v[1], "starting index", 34450, 34451)?;
    let length = int_arg(&v[2], "length", 34452, 34453)?;
    if length < 0 {
        return Err(QueryError::location(
            34454,
            "$substrCP: length must be a nonnegative integer.",
        ));
    }
    if start < 0 {
        return Err(QueryError::location(
            34455,
            "$substrCP: the starting index must be nonnegative integer.",
        ));
    }
    Ok(Some(Bson::String(
        s.chars()
            .skip(start as usize)
            .take(length as usize)
            .collect(),
    )))
}

/// mongod's `uassertIfNotIntegralAndNonNegative` for `$indexOf*` bounds.
fn index_arg(v: &Value, op: &str, what: &str) -> Result<usize, QueryError> {
    let Some(n) = v.as_ref().and_then(as_i32) else {
        return Err(QueryError::location(
            40096,
            format!(
                "{op}requires an integral {what}, found a value of type: {}, with value: {}",
                value_type_name(v),
                v.as_ref().map_or_else(|| "missing".to_string(), fmt_value)
            ),
        ));
    };
    if n < 0 {
        return Err(QueryError::location(
            40097,
            format!("{op} requires a nonnegative {what}, found: {n}"),
        ));
    }
    Ok(n as usize)
}

fn index_of(v: &[Value], cp: bool) -> Result<Value, QueryError> {
    let (op, c1, c2) = if cp {
        ("$indexOfCP", 40093, 40094)
    } else {
        ("$indexOfBytes", 40091, 40092)
    };
    if nullish(&v[0]) {
        return Ok(Some(Bson::Null));
    }
    let Some(input) = as_str(&v[0]) else {
        return Err(QueryError::location(
            c1,
            format!(
                "{op} requires a string as the first argument, found: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let Some(token) = as_str(&v[1]) else {
        return Err(QueryError::location(
            c2,
            format!(
                "{op} requires a string as the second argument, found: {}",
                value_type_name(&v[1])
            ),
        ));
    };
    let start = match v.get(2) {
        Some(x) => index_arg(x, op, "starting index")?,
        None => 0,
    };
    let end_arg = match v.get(3) {
        Some(x) => Some(index_arg(x, op, "ending index")?),
        None => None,
    };
    let found = |i: i64| Ok(Some(Bson::Int32(i as i32)));
    if !cp {
        let end = end_arg.map_or(input.len(), |e| e.min(input.len()));
        if start > input.len() || end < start {
            return found(-1);
        }
        let hay = &input.as_bytes()[..end];
        let tok = token.as_bytes();
        if tok.is_empty() {
            return found(start as i64);
        }
        return Ok(Some(Bson::Int32(
            hay[start..]
                .windows(tok.len())
                .position(|w| w == tok)
                .map_or(-1, |p| (p + start) as i32),
        )));
    }
    let starts: Vec<usize> = input.char_indices().map(|(i, _)| i).collect();
    let cp_len = starts.len();
    if input.is_empty() && token.is_empty() && start == 0 {
        return found(0);
    }
    let end = end_arg.map_or(cp_len, |e| e.min(cp_len));
    let mut i = start;
    while i < end {
        if let Some(&b) = starts.get(i)
            && input.as_bytes()[b..].starts_with(token.as_bytes())
        {
            return found(i as i64);
        }
        i += 1;
    }
    found(-1)
}

/// mongod's default `$trim` set: NUL, the ASCII spaces and the Unicode
/// space separators up to U+200A (not U+3000, U+202F, U+205F).
const WHITESPACE: &[char] = &[
    '\0', ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2001}',
    '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}',
    '\u{200A}',
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum TrimSide {
    Both,
    Left,
    Right,
}

#[derive(Debug)]
struct Trim {
    name: &'static str,
    side: TrimSide,
    input: Node,
    chars: Option<Node>,
}

impl Operator for Trim {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        if nullish(&input) {
            return Ok(Some(Bson::Null));
        }
        let Some(s) = as_str(&input) else {
            let shown = input.as_ref().map_or_else(String::new, fmt_value);
            return Err(QueryError::location(
                50699,
                format!(
                    "{} requires its input to be a string, got {shown} (of type {}) instead.",
                    self.name,
                    value_type_name(&input)
                ),
            ));
        };
        let custom: Vec<char>;
        let set: &[char] = match &self.chars {
            None => WHITESPACE,
            Some(c) => {
                let c = c.eval(cx)?;
                if nullish(&c) {
                    return Ok(Some(Bson::Null));
                }
                let Some(cs) = as_str(&c) else {
                    let shown = c.as_ref().map_or_else(String::new, fmt_value);
                    return Err(QueryError::location(
                        50700,
                        format!(
                            "{} requires 'chars' to be a string, got {shown} (of type {}) instead.",
                            self.name,
                            value_type_name(&c)
                        ),
                    ));
                };
                custom = cs.chars().collect();
                &custom
            }
        };
        let out = match self.side {
            TrimSide::Both => s.trim_matches(set),
            TrimSide::Left => s.trim_start_matches(set),
            TrimSide::Right => s.trim_end_matches(set),
        };
        Ok(Some(Bson::String(out.to_string())))
    }
}

fn parse_trim(
    name: &'static str,
    side: TrimSide,
    arg: &Bson,
    pc: &mut ParseCtx,
) -> Result<Node, QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            50696,
            format!(
                "{name} only supports an object as an argument, found {}",
                type_name(arg)
            ),
        ));
    };
    let [input, chars] = named_doc(name, d, ["input", "chars"], 50694)?;
    let input = input
        .ok_or_else(|| QueryError::location(50695, format!("{name} requires an 'input' field")))?;
    let op = Trim {
        name,
        side,
        input: parse_expr(input, pc)?,
        chars: chars.map(|c| parse_expr(c, pc)).transpose()?,
    };
    let constant = all_literal([Some(&op.input), op.chars.as_ref()]);
    fold(op, constant)
}

/// Are all these operands constants?
pub(super) fn all_literal<'a>(nodes: impl IntoIterator<Item = Option<&'a Node>>) -> bool {
    nodes
        .into_iter()
        .all(|n| n.is_none_or(|n| matches!(n, Node::Literal(_))))
}

/// The node of an operator; evaluated now if its operands are all
/// constants (mongod folds constant expressions when it optimizes, so
/// their errors are raised even on an empty collection).
pub(super) fn fold<O: Operator + 'static>(op: O, constant: bool) -> Result<Node, QueryError> {
    if constant {
        let doc = bson::Document::new();
        let env = super::Env::default();
        let mut cx = Ctx::new(&doc, &env);
        return Ok(match op.eval(&mut cx)? {
            Some(v) => Node::Literal(v),
            None => Node::Remove,
        });
    }
    Ok(Node::Op(Box::new(op)))
}

#[derive(Debug)]
struct Replace {
    name: &'static str,
    all: bool,
    input: Node,
    find: Node,
    replacement: Node,
}

impl Operator for Replace {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let find = self.find.eval(cx)?;
        let replacement = self.replacement.eval(cx)?;
        for (v, what, code) in [
            (&input, "input", 51746),
            (&find, "find", 51745),
            (&replacement, "replacement", 51744),
        ] {
            if !nullish(v) && as_str(v).is_none() {
                return Err(QueryError::location(
                    code,
                    format!(
                        "{} requires that '{what}' be a string, found: {}",
                        self.name,
                        v.as_ref().map_or_else(String::new, fmt_value)
                    ),
                ));
            }
        }
        let (Some(s), Some(f), Some(r)) = (as_str(&input), as_str(&find), as_str(&replacement))
        else {
            return Ok(Some(Bson::Null));
        };
        let out = if !self.all {
            s.replacen(f, r, 1)
        } else if f.is_empty() {
            // The empty string matches at every position.
            let mut out = String::with_capacity(s.len() + r.len() * (s.len() + 1));
            for c in s.chars() {
                out.push_str(r);
                out.push(c);
            }
            out.push_str(r);
            out
        } else {
            s.replace(f, r)
        };
        Ok(Some(Bson::String(out)))
    }
}

fn parse_replace(
    name: &'static str,
    all: bool,
    arg: &Bson,
    pc: &mut ParseCtx,
) -> Result<Node, QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            51751,
            format!(
                "{name} requires an object as an argument, found: {}",
                type_name(arg)
            ),
        ));
    };
    let [input, find, replacement] = named_doc(name, d, ["input", "find", "replacement"], 51750)?;
    let input = input.ok_or_else(|| {
        QueryError::location(51749, format!("{name} requires 'input' to be specified"))
    })?;
    let find = find.ok_or_else(|| {
        QueryError::location(51748, format!("{name} requires 'find' to be specified"))
    })?;
    let replacement = replacement.ok_or_else(|| {
        QueryError::location(
            51747,
            format!("{name} requires 'replacement' to be specified"),
        )
    })?;
    let op = Replace {
        name,
        all,
        input: parse_expr(input, pc)?,
        find: parse_expr(find, pc)?,
        replacement: parse_expr(replacement, pc)?,
    };
    let constant = all_literal([Some(&op.input), Some(&op.find), Some(&op.replacement)]);
    fold(op, constant)
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$concat" => pure("$concat", arg, pc, Arity::Any, concat),
        "$toUpper" => pure1("$toUpper", arg, pc, |v| {
            Ok(Some(Bson::String(
                coerce_to_string(&v[0])?.to_ascii_uppercase(),
            )))
        }),
        "$toLower" => pure1("$toLower", arg, pc, |v| {
            Ok(Some(Bson::String(
                coerce_to_string(&v[0])?.to_ascii_lowercase(),
            )))
        }),
        "$strcasecmp" => pure("$strcasecmp", arg, pc, Arity::Exact(2), strcasecmp),
        "$split" => pure("$split", arg, pc, Arity::Exact(2), split),
        "$strLenBytes" => pure1("$strLenBytes", arg, pc, |v| {
            str_len("$strLenBytes", 34473, &v[0], false)
        }),
        "$strLenCP" => pure1("$strLenCP", arg, pc, |v| {
            str_len("$strLenCP", 34471, &v[0], true)
        }),
        "$substr" => pure("$substr", arg, pc, Arity::Exact(3), substr_bytes),
        "$substrBytes" => pure("$substrBytes", arg, pc, Arity::Exact(3), substr_bytes),
        "$substrCP" => pure("$substrCP", arg, pc, Arity::Exact(3), substr_cp),
        "$indexOfBytes" => pure("$indexOfBytes", arg, pc, Arity::Range(2, 4), |v| {
            index_of(v, false)
        }),
        "$indexOfCP" => pure("$indexOfCP", arg, pc, Arity::Range(2, 4), |v| {
            index_of(v, true)
        }),
        "$trim" => parse_trim("$trim", TrimSide::Both, arg, pc),
        "$ltrim" => parse_trim("$ltrim", TrimSide::Left, arg, pc),
        "$rtrim" => parse_trim("$rtrim", TrimSide::Right, arg, pc),
        "$replaceOne" => parse_replace("$replaceOne", false, arg, pc),
        "$replaceAll" => parse_replace("$replaceAll", true, arg, pc),
        "$regexMatch" | "$regexFind" | "$regexFindAll" => regex::parse(name, arg, pc),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
