//! Comparison operators: `$cmp $eq $ne $gt $gte $lt $lte`. Values compare
//! in BSON order across types (numbers by value whatever their type);
//! missing and `undefined` sort below `null`, so `{$eq: ["$nope", null]}`
//! is false, as in mongod.

use super::args::{Arity, pure};
use super::{Node, ParseCtx, Value};
use crate::engine::keys::compare_bson;
use crate::query::error::QueryError;
use bson::Bson;
use std::cmp::Ordering;

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    let f: super::args::PureFn = match name {
        "$cmp" => |v| {
            Ok(Some(Bson::Int32(match compare(&v[0], &v[1]) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            })))
        },
        "$eq" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_eq()))),
        "$ne" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_ne()))),
        "$gt" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_gt()))),
        "$gte" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_ge()))),
        "$lt" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_lt()))),
        "$lte" => |v| Ok(Some(Bson::Boolean(compare(&v[0], &v[1]).is_le()))),
        _ => return None,
    };
    let name = static_name(name);
    Some(pure(name, arg, pc, Arity::Exact(2), f))
}

fn static_name(name: &str) -> &'static str {
    match name {
        "$cmp" => "$cmp",
        "$eq" => "$eq",
        "$ne" => "$ne",
        "$gt" => "$gt",
        "$gte" => "$gte",
        "$lt" => "$lt",
        _ => "$lte",
    }
}

/// Compares two values as aggregation expressions do.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    let low = |v: &Value| matches!(v, None | Some(Bson::Undefined));
    match (low(a), low(b)) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => match (a, b) {
            (Some(x), Some(y)) => compare_bson(x, y),
            _ => Ordering::Equal,
        },
    }
}
