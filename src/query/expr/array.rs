//! Array operators.

use super::args::{Arity, pure, pure1};
use super::{Node, ParseCtx};
use crate::engine::keys::compare_bson;
use crate::query::error::{QueryError, type_name};
use bson::Bson;

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$size" => pure1("$size", arg, pc, |v| match &v[0] {
            Some(Bson::Array(a)) => Ok(Some(Bson::Int32(a.len() as i32))),
            other => Err(QueryError::location(
                17124,
                format!(
                    "The argument to $size must be an array. Type of argument was: {}",
                    super::value_type_name(other)
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
        _ => return None,
    })
}
