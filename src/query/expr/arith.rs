//! Arithmetic operators.

use super::args::{Arity, nullish, pure};
use super::{Node, ParseCtx, Value};
use crate::query::error::{QueryError, type_name};
use crate::query::numeric::{ArithOp, agg_arith};
use bson::Bson;

fn is_num(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

fn fold(name: &str, vals: &[Value], op: ArithOp) -> Result<Value, QueryError> {
    let mut acc: Option<Bson> = None;
    for v in vals {
        if nullish(v) {
            return Ok(Some(Bson::Null));
        }
        let Some(v) = v else { continue };
        if !is_num(v) && !(name == "$add" && matches!(v, Bson::DateTime(_))) {
            return Err(QueryError::type_mismatch(format!(
                "{name} only supports numeric types, not {}",
                type_name(v)
            )));
        }
        acc = Some(match acc {
            None => v.clone(),
            Some(a) => agg_arith(&a, v, op),
        });
    }
    Ok(Some(acc.unwrap_or(Bson::Int32(if op == ArithOp::Mul {
        1
    } else {
        0
    }))))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$add" => pure("$add", arg, pc, Arity::Any, |v| {
            fold("$add", v, ArithOp::Add)
        }),
        "$multiply" => pure("$multiply", arg, pc, Arity::Any, |v| {
            fold("$multiply", v, ArithOp::Mul)
        }),
        "$subtract" => pure("$subtract", arg, pc, Arity::Exact(2), |v| {
            fold("$subtract", v, ArithOp::Sub)
        }),
        _ => return None,
    })
}
