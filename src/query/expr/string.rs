//! String operators.

use super::args::{Arity, nullish, pure};
use super::{Node, ParseCtx};
use crate::query::error::QueryError;
use bson::Bson;

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$concat" => pure("$concat", arg, pc, Arity::Any, |vals| {
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
                                super::value_type_name(other)
                            ),
                        ));
                    }
                }
            }
            Ok(Some(Bson::String(out)))
        }),
        _ => return None,
    })
}
