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

/// A number of milliseconds to add to a date, rounded as mongod does.
fn millis(n: &Bson) -> i64 {
    match n {
        Bson::Int32(i) => i64::from(*i),
        Bson::Int64(i) => *i,
        Bson::Double(f) => f.round() as i64,
        other => other
            .to_string()
            .parse::<f64>()
            .map_or(0, |f| f.round() as i64),
    }
}

fn fold(name: &str, vals: &[Value], op: ArithOp) -> Result<Value, QueryError> {
    let mut acc: Option<Bson> = None;
    let mut date: Option<bson::DateTime> = None;
    for v in vals {
        if nullish(v) {
            return Ok(Some(Bson::Null));
        }
        let Some(v) = v else { continue };
        if let (true, Bson::DateTime(d)) = (name == "$add", v) {
            if date.is_some() {
                return Err(QueryError::location(
                    16612,
                    "only one date allowed in an $add expression",
                ));
            }
            date = Some(*d);
            continue;
        }
        if !is_num(v) {
            return Err(if name == "$add" {
                QueryError::location(
                    16554,
                    format!(
                        "$add only supports numeric or date types, not {}",
                        type_name(v)
                    ),
                )
            } else {
                QueryError::location(
                    16555,
                    format!("{name} only supports numeric types, not {}", type_name(v)),
                )
            });
        }
        acc = Some(match acc {
            None => v.clone(),
            Some(a) => agg_arith(&a, v, op),
        });
    }
    if let Some(d) = date {
        let ms = acc.as_ref().map_or(0, millis);
        return Ok(Some(Bson::DateTime(bson::DateTime::from_millis(
            d.timestamp_millis().wrapping_add(ms),
        ))));
    }
    Ok(Some(acc.unwrap_or(Bson::Int32(if op == ArithOp::Mul {
        1
    } else {
        0
    }))))
}

/// `$subtract`: numbers; a date minus a date is the difference in
/// milliseconds (a long); a date minus a number of milliseconds is a date.
fn subtract(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    match (&v[0], &v[1]) {
        (Some(Bson::DateTime(a)), Some(Bson::DateTime(b))) => Ok(Some(Bson::Int64(
            a.timestamp_millis().wrapping_sub(b.timestamp_millis()),
        ))),
        (Some(Bson::DateTime(a)), Some(n)) if is_num(n) => {
            let ms = millis(n);
            Ok(Some(Bson::DateTime(bson::DateTime::from_millis(
                a.timestamp_millis().wrapping_sub(ms),
            ))))
        }
        (Some(a), Some(b)) if is_num(a) && is_num(b) => Ok(Some(agg_arith(a, b, ArithOp::Sub))),
        (a, b) => Err(QueryError::location(
            16556,
            format!(
                "can't $subtract {} from {}",
                super::value_type_name(b),
                super::value_type_name(a)
            ),
        )),
    }
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$add" => pure("$add", arg, pc, Arity::Any, |v| {
            fold("$add", v, ArithOp::Add)
        }),
        "$multiply" => pure("$multiply", arg, pc, Arity::Any, |v| {
            fold("$multiply", v, ArithOp::Mul)
        }),
        "$subtract" => pure("$subtract", arg, pc, Arity::Exact(2), subtract),
        _ => return None,
    })
}
