//! Conditional operators: `$cond $ifNull $switch`. Only the branch taken
//! is evaluated.

use super::args::{Arity, named, parse_n};
use super::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr, truthy_value};
use crate::query::error::QueryError;
use bson::Bson;

#[derive(Debug)]
struct Cond {
    cond: Node,
    then: Node,
    otherwise: Node,
}

impl Operator for Cond {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        if truthy_value(&self.cond.eval(cx)?) {
            self.then.eval(cx)
        } else {
            self.otherwise.eval(cx)
        }
    }
}

fn parse_cond(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let (c, t, e) = match arg {
        Bson::Document(d) => {
            let mut parts = [None, None, None];
            for (k, v) in d {
                let slot = match k.as_str() {
                    "if" => 0,
                    "then" => 1,
                    "else" => 2,
                    other => {
                        return Err(QueryError::location(
                            17083,
                            format!("Unrecognized parameter to $cond: {other}"),
                        ));
                    }
                };
                parts[slot] = Some(v);
            }
            let [c, t, e] = parts;
            (
                c.ok_or_else(|| QueryError::location(17080, "Missing 'if' parameter to $cond"))?,
                t.ok_or_else(|| QueryError::location(17081, "Missing 'then' parameter to $cond"))?,
                e.ok_or_else(|| QueryError::location(17082, "Missing 'else' parameter to $cond"))?,
            )
        }
        other => {
            let ops = super::args::operands(other);
            super::args::check_arity("$cond", ops.len(), Arity::Exact(3))?;
            (ops[0], ops[1], ops[2])
        }
    };
    let (cond, then, otherwise) = (parse_expr(c, pc)?, parse_expr(t, pc)?, parse_expr(e, pc)?);
    if let Node::Literal(v) = &cond {
        // A constant condition picks its branch now.
        return Ok(if super::truthy(v) { then } else { otherwise });
    }
    Ok(Node::Op(Box::new(Cond {
        cond,
        then,
        otherwise,
    })))
}

/// `$ifNull: [e1, ..., replacement]`: the first of e1.. that is neither
/// null nor missing, else the replacement (evaluated as it is).
#[derive(Debug)]
struct IfNull(Vec<Node>);

impl Operator for IfNull {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let (last, firsts) = self
            .0
            .split_last()
            .ok_or_else(|| QueryError::location(1257300, "$ifNull needs at least two arguments"))?;
        for e in firsts {
            let v = e.eval(cx)?;
            if !super::args::nullish(&v) {
                return Ok(v);
            }
        }
        last.eval(cx)
    }
}

#[derive(Debug)]
struct Switch {
    branches: Vec<(Node, Node)>,
    default: Option<Node>,
}

impl Operator for Switch {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        for (case, then) in &self.branches {
            if truthy_value(&case.eval(cx)?) {
                return then.eval(cx);
            }
        }
        match &self.default {
            Some(d) => d.eval(cx),
            None => Err(QueryError::location(
                40066,
                "$switch could not find a matching branch for an input, and no default was \
                 specified.",
            )),
        }
    }
}

fn parse_switch(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let [branches, default] = named("$switch", arg, ["branches", "default"], 40060, 40067)?;
    let Some(Bson::Array(items)) = branches else {
        return Err(QueryError::location(
            40061,
            "$switch expected an array for 'branches'",
        ));
    };
    if items.is_empty() {
        return Err(QueryError::location(
            40068,
            "$switch requires at least one branch.",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for b in items {
        let [case, then] = match b {
            Bson::Document(_) => named("$switch", b, ["case", "then"], 40062, 40063)?,
            _ => {
                return Err(QueryError::location(
                    40062,
                    "$switch expected each branch to be an object",
                ));
            }
        };
        let case = case.ok_or_else(|| {
            QueryError::location(
                40064,
                "$switch requires each branch have a 'case' expression",
            )
        })?;
        let then = then.ok_or_else(|| {
            QueryError::location(
                40065,
                "$switch requires each branch have a 'then' expression.",
            )
        })?;
        out.push((parse_expr(case, pc)?, parse_expr(then, pc)?));
    }
    let default = default.map(|d| parse_expr(d, pc)).transpose()?;
    Ok(Node::Op(Box::new(Switch {
        branches: out,
        default,
    })))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$cond" => parse_cond(arg, pc),
        "$ifNull" => {
            parse_n(name, arg, pc, Arity::AtLeast(2)).map(|args| Node::Op(Box::new(IfNull(args))))
        }
        "$switch" => parse_switch(arg, pc),
        _ => return None,
    })
}
