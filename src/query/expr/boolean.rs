//! Boolean operators: `$and $or $not`, with short-circuit evaluation and
//! the one truthiness rule ([`super::truthy`]).

use super::args::{Arity, parse_n};
use super::{Ctx, Node, Operator, ParseCtx, Value, truthy_value};
use crate::query::error::QueryError;
use bson::Bson;

#[derive(Debug)]
struct AndOr {
    and: bool,
    args: Vec<Node>,
}

impl Operator for AndOr {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        for a in &self.args {
            if truthy_value(&a.eval(cx)?) != self.and {
                return Ok(Some(Bson::Boolean(!self.and)));
            }
        }
        Ok(Some(Bson::Boolean(self.and)))
    }
}

#[derive(Debug)]
struct Not(Node);

impl Operator for Not {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        Ok(Some(Bson::Boolean(!truthy_value(&self.0.eval(cx)?))))
    }
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    let node = match name {
        "$and" | "$or" => parse_n(name, arg, pc, Arity::Any).map(|args| {
            Node::Op(Box::new(AndOr {
                and: name == "$and",
                args,
            }))
        }),
        "$not" => parse_n(name, arg, pc, Arity::Exact(1))
            .map(|mut a| Node::Op(Box::new(Not(a.remove(0))))),
        _ => return None,
    };
    Some(node)
}
