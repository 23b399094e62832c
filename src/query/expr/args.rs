//! Parsing the arguments of operators, and [`Pure`]: an operator that is a
//! function of its evaluated arguments (most of them are).

use super::{Ctx, Node, Operator, ParseCtx, Value, parse};
use crate::query::error::{QueryError, fmt_value};
use bson::{Bson, Document};

/// The operands of `{$op: arg}`: an array's elements, or `arg` itself.
pub fn operands(arg: &Bson) -> Vec<&Bson> {
    match arg {
        Bson::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Parses every operand.
pub fn parse_all(arg: &Bson, pc: &mut ParseCtx) -> Result<Vec<Node>, QueryError> {
    operands(arg).into_iter().map(|a| parse(a, pc)).collect()
}

/// How many operands an operator takes.
#[derive(Debug, Clone, Copy)]
pub enum Arity {
    Exact(usize),
    /// At least, at most.
    Range(usize, usize),
    AtLeast(usize),
    Any,
}

/// Checks the number of operands with mongod's messages.
pub fn check_arity(name: &str, n: usize, arity: Arity) -> Result<(), QueryError> {
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    match arity {
        Arity::Exact(k) if n != k => Err(QueryError::location(
            16020,
            format!(
                "Expression {name} takes exactly {k} argument{}. {n} were passed in.",
                plural(k)
            ),
        )),
        Arity::Range(lo, hi) if n < lo || n > hi => Err(QueryError::location(
            28667,
            format!(
                "Expression {name} takes at least {lo} argument{}, and at most {hi}. {n} were \
                 passed in.",
                plural(lo)
            ),
        )),
        Arity::AtLeast(lo) if n < lo => Err(QueryError::location(
            16020,
            format!(
                "Expression {name} takes at least {lo} argument{}. {n} were passed in.",
                plural(lo)
            ),
        )),
        _ => Ok(()),
    }
}

/// Parses operands and checks their number.
pub fn parse_n(
    name: &str,
    arg: &Bson,
    pc: &mut ParseCtx,
    arity: Arity,
) -> Result<Vec<Node>, QueryError> {
    let nodes = parse_all(arg, pc)?;
    check_arity(name, nodes.len(), arity)?;
    Ok(nodes)
}

/// The function behind a [`Pure`] operator.
pub type PureFn = fn(&[Value]) -> Result<Value, QueryError>;

/// An operator computed from its evaluated operands.
pub struct Pure {
    pub name: &'static str,
    pub args: Vec<Node>,
    pub f: PureFn,
}

impl std::fmt::Debug for Pure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pure")
            .field("name", &self.name)
            .field("args", &self.args)
            .finish()
    }
}

impl Operator for Pure {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        let mut vals = Vec::with_capacity(self.args.len());
        for a in &self.args {
            vals.push(a.eval(cx)?);
        }
        (self.f)(&vals)
    }
}

/// Parses `{name: arg}` as a [`Pure`] operator with `arity`. If every
/// operand is a constant, the operator is evaluated now (mongod folds
/// constants at optimization time, so errors of constant expressions are
/// raised even on an empty collection).
pub fn pure(
    name: &'static str,
    arg: &Bson,
    pc: &mut ParseCtx,
    arity: Arity,
    f: PureFn,
) -> Result<Node, QueryError> {
    let args = parse_n(name, arg, pc, arity)?;
    if args.iter().all(|a| matches!(a, Node::Literal(_))) {
        let vals: Vec<Value> = args
            .into_iter()
            .map(|a| match a {
                Node::Literal(v) => Some(v),
                _ => None,
            })
            .collect();
        return Ok(match f(&vals)? {
            Some(v) => Node::Literal(v),
            None => Node::Remove,
        });
    }
    Ok(Node::Op(Box::new(Pure { name, args, f })))
}

/// Like [`pure`] but for operators whose single operand may be given
/// bare or in a one-element array (`{$abs: "$x"}`, `{$abs: ["$x"]}`).
pub fn pure1(
    name: &'static str,
    arg: &Bson,
    pc: &mut ParseCtx,
    f: PureFn,
) -> Result<Node, QueryError> {
    pure(name, arg, pc, Arity::Exact(1), f)
}

/// The fields of a named-argument operator (`{$map: {input, as, in}}`):
/// returns them in the order of `allowed`; an unknown field is an error
/// with `unknown_code`. `arg` must be a document, else `not_object_code`.
pub fn named<'a, const N: usize>(
    name: &str,
    arg: &'a Bson,
    allowed: [&str; N],
    not_object_code: i32,
    unknown_code: i32,
) -> Result<[Option<&'a Bson>; N], QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            not_object_code,
            format!("{name} only supports an object as its argument"),
        ));
    };
    named_doc(name, d, allowed, unknown_code)
}

/// [`named`] for an argument already known to be a document.
pub fn named_doc<'a, const N: usize>(
    name: &str,
    d: &'a Document,
    allowed: [&str; N],
    unknown_code: i32,
) -> Result<[Option<&'a Bson>; N], QueryError> {
    let mut out = [None; N];
    for (k, v) in d {
        match allowed.iter().position(|a| a == k) {
            Some(i) => out[i] = Some(v),
            None => {
                return Err(QueryError::location(
                    unknown_code,
                    format!("{name} found an unknown argument: {k}"),
                ));
            }
        }
    }
    Ok(out)
}

/// Parses an optional operand.
#[allow(dead_code)] // used by the operator groups landing next
pub fn parse_opt(v: Option<&Bson>, pc: &mut ParseCtx) -> Result<Option<Node>, QueryError> {
    v.map(|v| parse(v, pc)).transpose()
}

/// Is the value null or missing (the usual "return null" rule)?
pub fn nullish(v: &Value) -> bool {
    matches!(v, None | Some(Bson::Null) | Some(Bson::Undefined))
}

/// `$op` of a value of the wrong type, mongod-style.
#[allow(dead_code)] // used by the operator groups landing next
pub fn type_error(code: i32, message: impl Into<String>) -> QueryError {
    QueryError::location(code, message)
}

/// A value for an error message, as mongod prints it.
#[allow(dead_code)] // used by the operator groups landing next
pub fn show(v: &Value) -> String {
    match v {
        None => "missing".to_string(),
        Some(b) => fmt_value(b),
    }
}
