//! Variables and literals: `$let`, `$literal`, and `$rand` (which reads
//! no operand but is not a constant).

use super::args::named;
use super::{Ctx, Node, Operator, ParseCtx, Value, parse as parse_expr};
use crate::query::error::QueryError;
use bson::Bson;
use std::sync::Arc;

/// Checks a user variable name as mongod's `Variables` does: it must start
/// with a lowercase ASCII letter or a non-ASCII character and go on with
/// letters, digits and `_`. Defining a variable (`$let`, `as`: mongod's
/// `uassertValidNameForUserWrite`, codes 16866-16868) also allows
/// `CURRENT`; reading one (`$$NAME`: `uassertValidNameForUserRead`, codes
/// 16869-16871, `allow_system`) also allows an uppercase first letter, for
/// system variables.
pub fn check_name(name: &str, allow_system: bool) -> Result<(), QueryError> {
    let (empty, start, rest) = if allow_system {
        (16869, 16870, 16871)
    } else {
        if name == "CURRENT" {
            return Ok(());
        }
        (16866, 16867, 16868)
    };
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(QueryError::location(
            empty,
            "empty variable names are not allowed",
        ));
    };
    let first_ok = first.is_ascii_lowercase()
        || !first.is_ascii()
        || (allow_system && first.is_ascii_uppercase());
    if !first_ok {
        return Err(QueryError::location(
            start,
            format!("'{name}' starts with an invalid character for a user variable name"),
        ));
    }
    if let Some(bad) = chars.find(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(QueryError::location(
            rest,
            format!("'{name}' contains an invalid character for a variable name: '{bad}'"),
        ));
    }
    Ok(())
}

#[derive(Debug)]
struct Let {
    vars: Vec<(Arc<str>, Node)>,
    body: Node,
}

impl Operator for Let {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        // Every variable is evaluated in the outer scope, then all bound.
        let mut vals = Vec::with_capacity(self.vars.len());
        for (_, e) in &self.vars {
            vals.push(e.eval(cx)?.unwrap_or(Bson::Null));
        }
        for ((name, _), v) in self.vars.iter().zip(vals) {
            cx.push_var(name.clone(), v);
        }
        let out = self.body.eval(cx);
        for _ in &self.vars {
            cx.pop_var();
        }
        out
    }
}

fn parse_let(arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let [vars, body] = named("$let", arg, ["vars", "in"], 16874, 16875)?;
    let vars =
        vars.ok_or_else(|| QueryError::location(16876, "Missing 'vars' parameter to $let"))?;
    let body = body.ok_or_else(|| QueryError::location(16877, "Missing 'in' parameter to $let"))?;
    let Bson::Document(vars) = vars else {
        return Err(QueryError::location(
            10065,
            "invalid parameter: expected an object (vars)",
        ));
    };
    let mut parsed = Vec::with_capacity(vars.len());
    for (name, e) in vars {
        check_name(name, false)?;
        parsed.push((name.as_str(), parse_expr(e, pc)?));
    }
    let parsed: Vec<(Arc<str>, Node)> = parsed
        .into_iter()
        .map(|(n, e)| (pc.push_var(n), e))
        .collect();
    let body = parse_expr(body, pc);
    for _ in &parsed {
        pc.pop_var();
    }
    Ok(Node::Op(Box::new(Let {
        vars: parsed,
        body: body?,
    })))
}

#[derive(Debug)]
struct Rand;

impl Operator for Rand {
    fn eval(&self, _cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        Ok(Some(Bson::Double(crate::query::random::next_f64())))
    }
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$literal" => Ok(Node::Literal(arg.clone())),
        "$let" => parse_let(arg, pc),
        "$rand" => match arg {
            Bson::Document(d) if d.is_empty() => Ok(Node::Op(Box::new(Rand))),
            Bson::Array(a) if a.is_empty() => Ok(Node::Op(Box::new(Rand))),
            _ => Err(QueryError::location(
                3040500,
                "$rand does not currently accept arguments",
            )),
        },
        _ => return None,
    })
}
