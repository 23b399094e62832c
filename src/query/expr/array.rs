//! Array operators.

use super::args::{Arity, nullish, pure, pure1};
use super::{Node, ParseCtx, Value, value_type_name};
use crate::engine::keys::compare_bson;
use crate::query::error::{QueryError, type_name};
use bson::Bson;

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
        _ => return None,
    })
}
