//! Array operators.

use super::args::{Arity, named, nullish, parse_all, pure, pure1, show};
use super::variable::check_name;
use super::{
    Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr, truthy_value, value_type_name,
};
use crate::engine::keys::compare_bson;
use crate::query::error::{QueryError, fmt_value, type_name};
use crate::query::sort::SortSpec;
use bson::Bson;
use std::sync::Arc;

/// An integral number that fits in 32 bits, as mongod's array operators
/// require for positions and counts.
pub(super) fn as_i32(v: &Bson) -> Option<i32> {
    match v {
        Bson::Int32(n) => Some(*n),
        Bson::Int64(n) => i32::try_from(*n).ok(),
        Bson::Double(f) if f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX) => Some(*f as i32),
        Bson::Decimal128(d) => d
            .to_string()
            .parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX))
            .map(|f| f as i32),
        _ => None,
    }
}

fn is_num(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

/// `$slice: [array, n]` or `[array, position, n]`.
fn slice(v: &[Value]) -> Result<Value, QueryError> {
    if v.iter().any(nullish) {
        return Ok(Some(Bson::Null));
    }
    let Some(Bson::Array(items)) = &v[0] else {
        return Err(QueryError::location(
            28724,
            format!(
                "First argument to $slice must be an array, but is of type: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let int_arg = |i: usize, which: &str, not_num: i32, not_int: i32| -> Result<i64, QueryError> {
        let x = v[i].as_ref().unwrap_or(&Bson::Null);
        if !is_num(x) {
            return Err(QueryError::location(
                not_num,
                format!(
                    "{which} argument to $slice must be numeric, but is of type: {}",
                    type_name(x)
                ),
            ));
        }
        as_i32(x).map(i64::from).ok_or_else(|| {
            QueryError::location(
                not_int,
                format!(
                    "{which} argument to $slice can't be represented as a 32-bit integer: {}",
                    crate::query::error::fmt_value(x)
                ),
            )
        })
    };
    let len = items.len() as i64;
    let (start, count) = if v.len() == 2 {
        let n = int_arg(1, "Second", 28725, 28726)?;
        if n >= 0 {
            (0, n)
        } else {
            ((len + n).max(0), -n)
        }
    } else {
        let pos = int_arg(1, "Second", 28725, 28726)?;
        let n = int_arg(2, "Third", 28727, 28728)?;
        if n <= 0 {
            return Err(QueryError::location(
                28729,
                format!("Third argument to $slice must be positive: {n}"),
            ));
        }
        let start = if pos >= 0 {
            pos.min(len)
        } else {
            (len + pos).max(0)
        };
        (start, n)
    };
    let end = (start + count).min(len);
    Ok(Some(Bson::Array(
        items[start as usize..end.max(start) as usize].to_vec(),
    )))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$size" => pure1("$size", arg, pc, |v| match &v[0] {
            Some(Bson::Array(a)) => Ok(Some(Bson::Int32(a.len() as i32))),
            other => Err(QueryError::location(
                17124,
                format!(
                    "The argument to $size must be an array. Type of argument was: {}",
                    value_type_name(other)
                ),
            )),
        }),
        "$in" => pure("$in", arg, pc, Arity::Exact(2), |v| match (&v[0], &v[1]) {
            (x, Some(Bson::Array(items))) => {
                let x = x.clone().unwrap_or(Bson::Null);
                Ok(Some(Bson::Boolean(
                    items.iter().any(|i| compare_bson(i, &x).is_eq()),
                )))
            }
            (_, other) => Err(QueryError::location(
                40081,
                format!(
                    "$in requires an array as a second argument, found: {}",
                    other.as_ref().map_or("missing", type_name)
                ),
            )),
        }),
        "$slice" => pure("$slice", arg, pc, Arity::Range(2, 3), slice),
        "$arrayElemAt" => pure("$arrayElemAt", arg, pc, Arity::Exact(2), array_elem_at),
        "$concatArrays" => pure("$concatArrays", arg, pc, Arity::Any, concat_arrays),
        "$indexOfArray" => pure("$indexOfArray", arg, pc, Arity::Range(2, 4), index_of_array),
        "$isArray" => pure1("$isArray", arg, pc, |v| {
            Ok(Some(Bson::Boolean(matches!(v[0], Some(Bson::Array(_))))))
        }),
        "$range" => pure("$range", arg, pc, Arity::Range(2, 3), range),
        "$reverseArray" => pure1("$reverseArray", arg, pc, |v| match &v[0] {
            v0 if nullish(v0) => Ok(Some(Bson::Null)),
            Some(Bson::Array(a)) => Ok(Some(Bson::Array(a.iter().rev().cloned().collect()))),
            other => Err(QueryError::location(
                34435,
                format!(
                    "The argument to $reverseArray must be an array, but was of type: {}",
                    value_type_name(other)
                ),
            )),
        }),
        "$map" => parse_map(arg, pc),
        "$filter" => parse_filter(arg, pc),
        "$reduce" => parse_reduce(arg, pc),
        "$sortArray" => parse_sort_array(arg, pc),
        "$zip" => parse_zip(arg, pc),
        _ => return None,
    })
}

fn array_elem_at(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let Some(Bson::Array(items)) = &v[0] else {
        return Err(QueryError::location(
            28689,
            format!(
                "$arrayElemAt's first argument must be an array, but is {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let idx = v[1].as_ref().unwrap_or(&Bson::Null);
    if !is_num(idx) {
        return Err(QueryError::location(
            28690,
            format!(
                "$arrayElemAt's second argument must be a numeric value, but is {}",
                type_name(idx)
            ),
        ));
    }
    let Some(i) = as_i32(idx) else {
        return Err(QueryError::location(
            28691,
            format!(
                "$arrayElemAt's second argument must be representable as a 32-bit integer: {}",
                fmt_value(idx)
            ),
        ));
    };
    let len = items.len() as i64;
    let i = i64::from(i);
    let at = if i < 0 { len + i } else { i };
    Ok(if (0..len).contains(&at) {
        Some(items[at as usize].clone())
    } else {
        None
    })
}

fn concat_arrays(v: &[Value]) -> Result<Value, QueryError> {
    let mut out = Vec::new();
    for x in v {
        match x {
            x if nullish(x) => return Ok(Some(Bson::Null)),
            Some(Bson::Array(a)) => out.extend(a.iter().cloned()),
            other => {
                return Err(QueryError::location(
                    28664,
                    format!(
                        "$concatArrays only supports arrays, not {}",
                        value_type_name(other)
                    ),
                ));
            }
        }
    }
    Ok(Some(Bson::Array(out)))
}

fn index_of_array(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) {
        return Ok(Some(Bson::Null));
    }
    let Some(Bson::Array(items)) = &v[0] else {
        return Err(QueryError::location(
            40090,
            format!(
                "$indexOfArray requires an array as a first argument, found: {}",
                value_type_name(&v[0])
            ),
        ));
    };
    let bound = |i: usize, which: &str| -> Result<Option<usize>, QueryError> {
        let Some(x) = v.get(i) else { return Ok(None) };
        let x = x.as_ref().unwrap_or(&Bson::Null);
        let Some(n) = as_i32(x).filter(|_| is_num(x)) else {
            return Err(QueryError::location(
                40096,
                format!(
                    "$indexOfArray requires an integral {which}, found a value of type: {}, with \
                     value: {}",
                    type_name(x),
                    fmt_value(x)
                ),
            ));
        };
        if n < 0 {
            return Err(QueryError::location(
                40097,
                format!("$indexOfArray requires a nonnegative {which}, found: {n}"),
            ));
        }
        Ok(Some(n as usize))
    };
    let start = bound(2, "starting index")?.unwrap_or(0);
    let end = bound(3, "ending index")?
        .unwrap_or(items.len())
        .min(items.len());
    let needle = v[1].clone().unwrap_or(Bson::Null);
    for (i, item) in items.iter().enumerate().take(end).skip(start) {
        if compare_bson(item, &needle).is_eq() {
            return Ok(Some(Bson::Int32(i as i32)));
        }
    }
    Ok(Some(Bson::Int32(-1)))
}

fn range(v: &[Value]) -> Result<Value, QueryError> {
    let arg = |i: usize, what: &str, not_num: i32, not_int: i32| -> Result<i64, QueryError> {
        let x = v[i].as_ref().unwrap_or(&Bson::Null);
        if !is_num(x) {
            return Err(QueryError::location(
                not_num,
                format!(
                    "$range requires a numeric {what}, found value of type: {}",
                    type_name(x)
                ),
            ));
        }
        as_i32(x).map(i64::from).ok_or_else(|| {
            QueryError::location(
                not_int,
                format!(
                    "$range requires a {what} that can be represented as a 32-bit integer, \
                     found value: {}",
                    fmt_value(x)
                ),
            )
        })
    };
    let start = arg(0, "starting value", 34443, 34444)?;
    let end = arg(1, "ending value", 34445, 34446)?;
    let step = if v.len() == 3 {
        arg(2, "step value", 34447, 34448)?
    } else {
        1
    };
    if step == 0 {
        return Err(QueryError::location(
            34449,
            "$range requires a non-zero step value",
        ));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        out.push(Bson::Int32(i as i32));
        i += step;
    }
    Ok(Some(Bson::Array(out)))
}

/// Parses an `as` variable name (default `this`) and defines it for the
/// parse of the body.
fn bind_name(
    op: &str,
    as_: Option<&Bson>,
    default: &str,
    pc: &mut ParseCtx,
) -> Result<Arc<str>, QueryError> {
    let name = match as_ {
        None => default,
        Some(Bson::String(s)) => s.as_str(),
        Some(other) => {
            return Err(QueryError::location(
                16866,
                format!("{op}: 'as' must be a string, got {}", type_name(other)),
            ));
        }
    };
    check_name(name, false)?;
    Ok(pc.push_var(name))
}

fn input_array(
    v: &Value,
    code: i32,
    message: impl FnOnce(&str) -> String,
) -> Result<Option<&Vec<Bson>>, QueryError> {
    match v {
        v if nullish(v) => Ok(None),
        Some(Bson::Array(a)) => Ok(Some(a)),
        other => Err(QueryError::location(code, message(value_type_name(other)))),
    }
}

#[derive(Debug)]
struct Map {
    input: Node,
    var: Arc<str>,
    body: Node,
}

impl Operator for Map {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let Some(items) = input_array(&input, 16883, |t| {
            format!("input to $map must be an array not {t}")
        })?
        else {
            return Ok(Some(Bson::Null));
        };
        let mut out = Vec::with_capacity(items.len());
        cx.push_var(self.var.clone(), Bson::Null);
        for item in items {
            cx.set_var(&self.var, item.clone());
            match self.body.eval(cx) {
                Ok(v) => out.push(v.unwrap_or(Bson::Null)),
                Err(e) => {
                    cx.pop_var();
                    return Err(e);
                }
            }
        }
        cx.pop_var();
        Ok(Some(Bson::Array(out)))
    }
}

fn parse_map(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            16878,
            "$map only supports an object as its argument",
        ));
    };
    let mut parts = [None, None, None];
    for (k, v) in d {
        let i = match k.as_str() {
            "input" => 0,
            "as" => 1,
            "in" => 2,
            other => {
                return Err(QueryError::location(
                    16879,
                    format!("Unrecognized parameter to $map: {other}"),
                ));
            }
        };
        parts[i] = Some(v);
    }
    let [input, as_, body] = parts;
    let input =
        input.ok_or_else(|| QueryError::location(16880, "Missing 'input' parameter to $map"))?;
    let body = body.ok_or_else(|| QueryError::location(16882, "Missing 'in' parameter to $map"))?;
    let input = parse_expr(input, pc)?;
    let var = bind_name("$map", as_, "this", pc)?;
    let body = parse_expr(body, pc);
    pc.pop_var();
    Ok(Node::Op(Box::new(Map {
        input,
        var,
        body: body?,
    })))
}

#[derive(Debug)]
struct Filter {
    input: Node,
    var: Arc<str>,
    cond: Node,
    limit: Option<Node>,
}

impl Operator for Filter {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let limit = match &self.limit {
            None => None,
            Some(l) => match l.eval(cx)? {
                v if nullish(&v) => None,
                Some(x) => {
                    let n = as_i32(&x).filter(|_| is_num(&x)).ok_or_else(|| {
                        QueryError::location(
                            327391,
                            format!(
                                "$filter: limit must be represented as a 32-bit integral value: {}",
                                fmt_value(&x)
                            ),
                        )
                    })?;
                    if n < 1 {
                        return Err(QueryError::location(
                            327392,
                            format!("$filter: limit must be greater than 0: {n}"),
                        ));
                    }
                    Some(n as usize)
                }
                None => None,
            },
        };
        let Some(items) = input_array(&input, 28651, |t| {
            format!("input to $filter must be an array not {t}")
        })?
        else {
            return Ok(Some(Bson::Null));
        };
        let mut out = Vec::new();
        cx.push_var(self.var.clone(), Bson::Null);
        for item in items {
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            cx.set_var(&self.var, item.clone());
            match self.cond.eval(cx) {
                Ok(v) if truthy_value(&v) => out.push(item.clone()),
                Ok(_) => {}
                Err(e) => {
                    cx.pop_var();
                    return Err(e);
                }
            }
        }
        cx.pop_var();
        Ok(Some(Bson::Array(out)))
    }
}

fn parse_filter(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            28646,
            "$filter only supports an object as its argument",
        ));
    };
    let mut parts = [None, None, None, None];
    for (k, v) in d {
        let i = match k.as_str() {
            "input" => 0,
            "as" => 1,
            "cond" => 2,
            "limit" => 3,
            other => {
                return Err(QueryError::location(
                    28647,
                    format!("Unrecognized parameter to $filter: {other}"),
                ));
            }
        };
        parts[i] = Some(v);
    }
    let [input, as_, cond, limit] = parts;
    let input =
        input.ok_or_else(|| QueryError::location(28648, "Missing 'input' parameter to $filter"))?;
    let cond =
        cond.ok_or_else(|| QueryError::location(28650, "Missing 'cond' parameter to $filter"))?;
    let input = parse_expr(input, pc)?;
    let limit = limit.map(|l| parse_expr(l, pc)).transpose()?;
    let var = bind_name("$filter", as_, "this", pc)?;
    let cond = parse_expr(cond, pc);
    pc.pop_var();
    let node = Filter {
        input,
        var,
        cond: cond?,
        limit,
    };
    // A constant limit is checked now, as mongod does at parse time.
    if let Some(Node::Literal(l)) = &node.limit
        && !matches!(l, Bson::Null)
    {
        let n = as_i32(l).filter(|_| is_num(l)).ok_or_else(|| {
            QueryError::location(
                327391,
                format!(
                    "$filter: limit must be represented as a 32-bit integral value: {}",
                    fmt_value(l)
                ),
            )
        })?;
        if n < 1 {
            return Err(QueryError::location(
                327392,
                format!("$filter: limit must be greater than 0: {n}"),
            ));
        }
    }
    Ok(Node::Op(Box::new(node)))
}

#[derive(Debug)]
struct Reduce {
    input: Node,
    initial: Node,
    this: Arc<str>,
    value: Arc<str>,
    body: Node,
}

impl Operator for Reduce {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let Some(items) = input_array(&input, 40080, |t| {
            format!("$reduce requires that 'input' be an array, found: {t}")
        })?
        else {
            return Ok(Some(Bson::Null));
        };
        let mut acc = self.initial.eval(cx)?;
        cx.push_var(self.value.clone(), Bson::Null);
        cx.push_var(self.this.clone(), Bson::Null);
        let mut result = Ok(());
        for item in items {
            cx.set_var(&self.this, item.clone());
            cx.set_var(&self.value, acc.clone().unwrap_or(Bson::Null));
            match self.body.eval(cx) {
                Ok(v) => acc = v,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        cx.pop_var();
        cx.pop_var();
        result.map(|()| acc)
    }
}

fn parse_reduce(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let [input, initial, body] = named(
        "$reduce",
        arg,
        ["input", "initialValue", "in"],
        40075,
        40076,
    )?;
    let input = input
        .ok_or_else(|| QueryError::location(40077, "$reduce requires 'input' to be specified"))?;
    let initial = initial.ok_or_else(|| {
        QueryError::location(40078, "$reduce requires 'initialValue' to be specified")
    })?;
    let body =
        body.ok_or_else(|| QueryError::location(40079, "$reduce requires 'in' to be specified"))?;
    let input = parse_expr(input, pc)?;
    let initial = parse_expr(initial, pc)?;
    let value = pc.push_var("value");
    let this = pc.push_var("this");
    let body = parse_expr(body, pc);
    pc.pop_var();
    pc.pop_var();
    Ok(Node::Op(Box::new(Reduce {
        input,
        initial,
        this,
        value,
        body: body?,
    })))
}

/// How `$sortArray` orders elements.
#[derive(Debug)]
enum SortBy {
    /// Whole values, ascending or not.
    Value(bool),
    /// Documents by fields; other values compared whole.
    Fields(SortSpec),
}

#[derive(Debug)]
struct SortArray {
    input: Node,
    by: SortBy,
}

impl Operator for SortArray {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let input = self.input.eval(cx)?;
        let Some(items) = input_array(&input, 2942504, |t| {
            format!("The input argument to $sortArray must be an array, but was of type: {t}")
        })?
        else {
            return Ok(Some(Bson::Null));
        };
        let mut out = items.clone();
        match &self.by {
            SortBy::Value(asc) => out.sort_by(|a, b| {
                let o = compare_bson(a, b);
                if *asc { o } else { o.reverse() }
            }),
            SortBy::Fields(spec) => out.sort_by(|a, b| match (a, b) {
                (Bson::Document(x), Bson::Document(y)) => spec.compare(x, y),
                _ => compare_bson(a, b),
            }),
        }
        Ok(Some(Bson::Array(out)))
    }
}

fn parse_sort_array(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let [input, sort_by] = named("$sortArray", arg, ["input", "sortBy"], 2942500, 2942501)?;
    let input = input.ok_or_else(|| {
        QueryError::location(2942502, "$sortArray requires 'input' to be specified")
    })?;
    let sort_by = sort_by.ok_or_else(|| {
        QueryError::location(2942503, "$sortArray requires 'sortBy' to be specified")
    })?;
    let by = match sort_by {
        Bson::Document(d) => SortBy::Fields(SortSpec::parse(d)?),
        v if is_num(v) && as_i32(v).is_some_and(|n| n == 1 || n == -1) => {
            SortBy::Value(as_i32(v) == Some(1))
        }
        other => {
            return Err(QueryError::location(
                15975,
                format!(
                    "$sort key ordering must be 1 (for ascending) or -1 (for descending), got {}",
                    fmt_value(other)
                ),
            ));
        }
    };
    Ok(Node::Op(Box::new(SortArray {
        input: parse_expr(input, pc)?,
        by,
    })))
}

#[derive(Debug)]
struct Zip {
    inputs: Vec<Node>,
    longest: bool,
    defaults: Vec<Node>,
}

impl Operator for Zip {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let mut arrays = Vec::with_capacity(self.inputs.len());
        for e in &self.inputs {
            match e.eval(cx)? {
                v if nullish(&v) => return Ok(Some(Bson::Null)),
                Some(Bson::Array(a)) => arrays.push(a),
                other => {
                    return Err(QueryError::location(
                        34468,
                        format!(
                            "$zip found a non-array expression in input: {}",
                            show(&other)
                        ),
                    ));
                }
            }
        }
        let mut defaults = Vec::with_capacity(self.defaults.len());
        for d in &self.defaults {
            defaults.push(d.eval(cx)?.unwrap_or(Bson::Null));
        }
        let lens = arrays.iter().map(Vec::len);
        let n = if self.longest {
            lens.max().unwrap_or(0)
        } else {
            lens.min().unwrap_or(0)
        };
        let out = (0..n)
            .map(|i| {
                Bson::Array(
                    arrays
                        .iter()
                        .enumerate()
                        .map(|(j, a)| {
                            a.get(i)
                                .cloned()
                                .unwrap_or_else(|| defaults.get(j).cloned().unwrap_or(Bson::Null))
                        })
                        .collect(),
                )
            })
            .collect();
        Ok(Some(Bson::Array(out)))
    }
}

fn parse_zip(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let [inputs, longest, defaults] = named(
        "$zip",
        arg,
        ["inputs", "useLongestLength", "defaults"],
        34460,
        34464,
    )?;
    let Some(inputs) = inputs else {
        return Err(QueryError::location(
            34465,
            "$zip requires at least one input array",
        ));
    };
    let Bson::Array(inputs) = inputs else {
        return Err(QueryError::location(
            34461,
            format!(
                "inputs must be an array of expressions, found {}",
                type_name(inputs)
            ),
        ));
    };
    if inputs.is_empty() {
        return Err(QueryError::location(
            34465,
            "$zip requires at least one input array",
        ));
    }
    let longest = match longest {
        None => false,
        Some(Bson::Boolean(b)) => *b,
        Some(other) => {
            return Err(QueryError::location(
                34463,
                format!(
                    "useLongestLength must be a bool, found {}",
                    type_name(other)
                ),
            ));
        }
    };
    let defaults = match defaults {
        None => Vec::new(),
        Some(Bson::Array(d)) => {
            if !longest {
                return Err(QueryError::location(
                    34466,
                    "cannot specify defaults unless useLongestLength is true",
                ));
            }
            if d.len() != inputs.len() {
                return Err(QueryError::location(
                    34467,
                    "defaults and inputs must be the same length",
                ));
            }
            d.iter()
                .map(|e| parse_expr(e, pc))
                .collect::<Result<_, _>>()?
        }
        Some(other) => {
            return Err(QueryError::location(
                34462,
                format!(
                    "defaults must be an array of expressions, found {}",
                    type_name(other)
                ),
            ));
        }
    };
    let inputs = parse_all(&Bson::Array(inputs.clone()), pc)?;
    Ok(Node::Op(Box::new(Zip {
        inputs,
        longest,
        defaults,
    })))
}
