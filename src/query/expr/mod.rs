//! The aggregation expression language, one implementation for every
//! place MongoDB evaluates expressions: `$expr`, `$project`,
//! `$addFields`/`$set`, `$group` and window functions, `$bucket`,
//! `$lookup` `let`, pipeline updates.
//!
//! An expression is parsed once into a tree ([`Expr`]) and then evaluated
//! many times against a context ([`Ctx`]: `$$ROOT`, `$$CURRENT`, `$$NOW`,
//! `$$CLUSTER_TIME`, `let` variables, `$$this`/`$$value` of `$map`,
//! `$filter`, `$reduce`). Evaluation yields a [`Value`]: `None` is
//! *missing* (a path that does not exist, `$$REMOVE`), which mongod keeps
//! apart from `null` (`$ifNull`, `$type`, object expressions drop missing
//! fields).
//!
//! Operators live in one file per group of the manual's operator
//! reference (`arith`, `array`, `string`, ...). Each group has a
//! `parse(name, arg, pc)` that returns `None` for names it does not own;
//! [`parse`] asks them in turn. Most operators are [`args::Pure`]: a
//! function of their evaluated arguments.

mod accumulator;
pub(crate) mod args;
mod arith;
mod array;
mod bitwise;
mod boolean;
mod compare;
mod conditional;
mod date;
mod object;
pub mod path;
mod set;
mod string;
mod trig;
mod types;
mod variable;

use super::error::{QueryError, fmt_doc};
use bson::{Bson, Document};
use std::fmt;
use std::sync::Arc;

/// The result of evaluating an expression: `None` is *missing*.
pub type Value = Option<Bson>;

/// An operator node: evaluates its (already parsed) arguments.
pub trait Operator: fmt::Debug + Send + Sync {
    fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError>;
}

/// A parsed expression.
#[derive(Debug)]
pub enum Node {
    /// A constant (`$literal` or any non-`$` value).
    Literal(Bson),
    /// `"$a.b"`, `"$$CURRENT.a.b"`: a path from the current document.
    /// Empty means the whole document.
    Current(Vec<String>),
    /// `"$$ROOT.a.b"`.
    Root(Vec<String>),
    /// `"$$name.a.b"`: a `let`/`$map`/`$reduce` variable.
    Var(Arc<str>, Vec<String>),
    /// `$$NOW`.
    Now,
    /// `$$CLUSTER_TIME`.
    ClusterTime,
    /// `$$REMOVE`: evaluates to missing.
    Remove,
    /// `{a: <expr>, b: <expr>}`.
    Object(Vec<(String, Node)>),
    /// `[<expr>, ...]`.
    Array(Vec<Node>),
    Op(Box<dyn Operator>),
}

/// A parsed expression, ready to be evaluated many times.
#[derive(Debug)]
pub struct Expr(pub Node);

/// What parsing knows: the variables in scope (so that an undefined
/// `$$name` is an error at parse time, as in mongod).
#[derive(Debug, Clone, Default)]
pub struct ParseCtx {
    vars: Vec<Arc<str>>,
}

impl ParseCtx {
    /// A context where these (`let`) variables are defined.
    pub fn with_vars<'a>(names: impl IntoIterator<Item = &'a str>) -> ParseCtx {
        ParseCtx {
            vars: names.into_iter().map(Arc::from).collect(),
        }
    }

    /// Defines a variable for the parse of an inner scope; undo with
    /// [`ParseCtx::pop_var`].
    pub fn push_var(&mut self, name: &str) -> Arc<str> {
        let name: Arc<str> = Arc::from(name);
        self.vars.push(name.clone());
        name
    }

    pub fn pop_var(&mut self) {
        self.vars.pop();
    }

    fn lookup(&self, name: &str) -> Option<Arc<str>> {
        self.vars.iter().rev().find(|v| &***v == name).cloned()
    }
}

/// What an expression is evaluated against.
pub struct Ctx<'a> {
    /// `$$ROOT`.
    pub root: &'a Document,
    /// `$$CURRENT` (the root, except inside `$redact`'s descent).
    pub current: &'a Document,
    /// Variables in scope, innermost last.
    vars: Vec<(Arc<str>, Bson)>,
    /// `$$NOW`: one value for a whole command.
    pub now: bson::DateTime,
    /// `$$CLUSTER_TIME`.
    pub cluster_time: bson::Timestamp,
}

impl<'a> Ctx<'a> {
    pub fn new(root: &'a Document, env: &Env) -> Ctx<'a> {
        Ctx {
            root,
            current: root,
            vars: env
                .vars
                .iter()
                .map(|(k, v)| (Arc::from(k.as_str()), v.clone()))
                .collect(),
            now: env.now,
            cluster_time: env.cluster_time,
        }
    }

    /// Binds `name` for the evaluation of an inner scope; undo with
    /// [`Ctx::pop_var`].
    pub fn push_var(&mut self, name: Arc<str>, v: Bson) {
        self.vars.push((name, v));
    }

    pub fn pop_var(&mut self) {
        self.vars.pop();
    }

    /// Sets the value of the innermost binding of `name` (loops such as
    /// `$reduce` rebind `$$value` on every element without re-pushing).
    pub fn set_var(&mut self, name: &str, v: Bson) {
        if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| &**n == name) {
            slot.1 = v;
        }
    }

    fn var(&self, name: &str) -> Option<&Bson> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }
}

/// What is the same for every document of one command: `let` variables,
/// `$$NOW`, `$$CLUSTER_TIME`.
#[derive(Debug, Clone)]
pub struct Env {
    /// `let` variables, already evaluated to constants.
    pub vars: Document,
    pub now: bson::DateTime,
    pub cluster_time: bson::Timestamp,
}

impl Default for Env {
    fn default() -> Env {
        let now = bson::DateTime::now();
        Env {
            vars: Document::new(),
            now,
            cluster_time: bson::Timestamp {
                time: u32::try_from(now.timestamp_millis() / 1000).unwrap_or(u32::MAX),
                increment: 1,
            },
        }
    }
}

impl Env {
    pub fn with_vars(vars: Document) -> Env {
        Env {
            vars,
            ..Env::default()
        }
    }

    /// A parse context in which this environment's variables are defined.
    pub fn parse_ctx(&self) -> ParseCtx {
        ParseCtx::with_vars(self.vars.keys().map(String::as_str))
    }
}

impl Expr {
    /// Parses an expression.
    pub fn parse(v: &Bson, pc: &mut ParseCtx) -> Result<Expr, QueryError> {
        Ok(Expr(parse(v, pc)?))
    }

    /// Evaluates against `cx`; `None` is missing.
    pub fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        self.0.eval(cx)
    }

    /// Evaluates against one document with `env`.
    pub fn eval_doc(&self, doc: &Document, env: &Env) -> Result<Value, QueryError> {
        self.0.eval(&mut Ctx::new(doc, env))
    }

    /// The constant this expression always evaluates to, if it is one.
    pub fn as_constant(&self) -> Option<&Bson> {
        match &self.0 {
            Node::Literal(v) => Some(v),
            _ => None,
        }
    }
}

/// System variables by name.
fn system_var(name: &str, path: Vec<String>) -> Result<Option<Node>, QueryError> {
    Ok(Some(match name {
        "ROOT" => Node::Root(path),
        "CURRENT" => Node::Current(path),
        "REMOVE" => Node::Remove,
        "NOW" if path.is_empty() => Node::Now,
        "CLUSTER_TIME" if path.is_empty() => Node::ClusterTime,
        // A path below a scalar variable is missing.
        "NOW" | "CLUSTER_TIME" => Node::Remove,
        "DESCEND" => Node::Literal(Bson::String("descend".into())),
        "PRUNE" => Node::Literal(Bson::String("prune".into())),
        "KEEP" => Node::Literal(Bson::String("keep".into())),
        "USER_ROLES" | "SEARCH_META" => {
            return Err(QueryError::unsupported(format!(
                "the system variable $${name} is not supported by argonctl"
            )));
        }
        _ => return Ok(None),
    }))
}

/// Parses one expression.
pub fn parse(v: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    match v {
        Bson::String(s) if s.starts_with("$$") => {
            let rest = &s[2..];
            let (name, path) = match rest.split_once('.') {
                Some((n, p)) => (n, path::parse(p)?),
                None => (rest, Vec::new()),
            };
            if let Some(var) = pc.lookup(name) {
                return Ok(Node::Var(var, path));
            }
            if let Some(node) = system_var(name, path)? {
                return Ok(node);
            }
            variable::check_name(name, true)?;
            Err(QueryError::location(
                17276,
                format!("Use of undefined variable: {name}"),
            ))
        }
        Bson::String(s) if s.starts_with('$') => Ok(Node::Current(path::parse(&s[1..])?)),
        Bson::Array(items) => {
            let nodes: Vec<Node> = items
                .iter()
                .map(|i| parse(i, pc))
                .collect::<Result<_, _>>()?;
            Ok(fold_array(nodes))
        }
        Bson::Document(d) => parse_document(d, pc),
        other => Ok(Node::Literal(other.clone())),
    }
}

/// An array of constants is a constant.
fn fold_array(nodes: Vec<Node>) -> Node {
    if nodes.iter().all(|n| matches!(n, Node::Literal(_))) {
        Node::Literal(Bson::Array(
            nodes
                .into_iter()
                .filter_map(|n| match n {
                    Node::Literal(v) => Some(v),
                    _ => None,
                })
                .collect(),
        ))
    } else {
        Node::Array(nodes)
    }
}

/// Parses a document as an expression (an operator or an object of
/// field expressions).
pub fn parse_document(d: &Document, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    let Some(first) = d.keys().next() else {
        return Ok(Node::Literal(Bson::Document(Document::new())));
    };
    if !first.starts_with('$') {
        let mut fields = Vec::with_capacity(d.len());
        for (k, v) in d {
            if k.starts_with('$') {
                return Err(QueryError::location(
                    16410,
                    format!(
                        "FieldPath field names may not start with '$'. Consider using \
                         $getField or $setField. Got: '{k}'"
                    ),
                ));
            }
            if k.contains('.') {
                return Err(QueryError::location(
                    16412,
                    format!("FieldPath field names may not contain '.'. Got: '{k}'"),
                ));
            }
            if k.is_empty() {
                return Err(QueryError::location(
                    16411,
                    "FieldPath field names may not be empty strings.",
                ));
            }
            fields.push((k.clone(), parse(v, pc)?));
        }
        return Ok(Node::Object(fields));
    }
    if d.len() != 1 {
        return Err(QueryError::location(
            15983,
            format!(
                "an expression specification must contain exactly one field, the name of \
                 the expression. Found {} fields in {}",
                d.len(),
                fmt_doc(d)
            ),
        ));
    }
    let (name, arg) = d
        .iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
        .ok_or_else(|| {
            QueryError::location(
                15983,
                "an expression specification must contain exactly one field",
            )
        })?;
    parse_operator(name, arg, pc)
}

/// Parses `{<name>: <arg>}` where `name` starts with `$`.
pub fn parse_operator(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Result<Node, QueryError> {
    type GroupParser = fn(&str, &Bson, &mut ParseCtx) -> Option<Result<Node, QueryError>>;
    const GROUPS: &[GroupParser] = &[
        variable::parse,
        compare::parse,
        boolean::parse,
        conditional::parse,
        arith::parse,
        trig::parse,
        bitwise::parse,
        array::parse,
        set::parse,
        object::parse,
        string::parse,
        date::parse,
        types::parse,
        accumulator::parse,
    ];
    for group in GROUPS {
        if let Some(node) = group(name, arg, pc) {
            return node;
        }
    }
    Err(QueryError::invalid_pipeline_operator(format!(
        "Unrecognized expression '{name}'"
    )))
}

impl Node {
    /// Evaluates against `cx`; `None` is missing.
    pub fn eval(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        match self {
            Node::Literal(v) => Ok(Some(v.clone())),
            Node::Current(p) => Ok(path::get_doc(cx.current, p)),
            Node::Root(p) => Ok(path::get_doc(cx.root, p)),
            Node::Var(name, p) => Ok(cx.var(name).and_then(|v| path::get(v, p))),
            Node::Now => Ok(Some(Bson::DateTime(cx.now))),
            Node::ClusterTime => Ok(Some(Bson::Timestamp(cx.cluster_time))),
            Node::Remove => Ok(None),
            Node::Object(fields) => {
                let mut out = Document::new();
                for (k, e) in fields {
                    if let Some(v) = e.eval(cx)? {
                        out.insert(k.clone(), v);
                    }
                }
                Ok(Some(Bson::Document(out)))
            }
            Node::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for e in items {
                    out.push(e.eval(cx)?.unwrap_or(Bson::Null));
                }
                Ok(Some(Bson::Array(out)))
            }
            Node::Op(op) => op.eval(cx),
        }
    }

    /// Evaluates with missing read as `null`.
    pub fn eval_or_null(&self, cx: &mut Ctx<'_>) -> Result<Bson, QueryError> {
        Ok(self.eval(cx)?.unwrap_or(Bson::Null))
    }
}

/// MongoDB's one truthiness rule: `false`, `null`, missing, `undefined`
/// and zero of any numeric type (including `NumberDecimal("0")` and
/// `-0.0`) are false; everything else (also `""`, `[]`, `{}`, NaN) is true.
pub fn truthy(v: &Bson) -> bool {
    match v {
        Bson::Boolean(b) => *b,
        Bson::Null | Bson::Undefined => false,
        Bson::Int32(n) => *n != 0,
        Bson::Int64(n) => *n != 0,
        Bson::Double(n) => *n != 0.0,
        Bson::Decimal128(d) => !crate::query::numeric::decimal_is_zero(d),
        _ => true,
    }
}

/// [`truthy`] for a [`Value`]: missing is false.
pub fn truthy_value(v: &Value) -> bool {
    v.as_ref().is_some_and(truthy)
}

/// The `$type` name of a value, `"missing"` for missing.
pub fn value_type_name(v: &Value) -> &'static str {
    match v {
        None => "missing",
        Some(b) => super::error::type_name(b),
    }
}

// ---------------------------------------------------------------------------
// One-shot helpers for callers that evaluate an expression once.
// ---------------------------------------------------------------------------

/// Parses and evaluates `expr` against `doc` with `vars` as `let`
/// variables; missing is `null`.
pub fn eval_with(expr: &Bson, doc: &Document, env: &Env) -> Result<Bson, QueryError> {
    let e = Expr::parse(expr, &mut env.parse_ctx())?;
    Ok(e.eval_doc(doc, env)?.unwrap_or(Bson::Null))
}

/// Parses and evaluates `expr` against `doc`; missing is `null`.
pub fn eval(expr: &Bson, doc: &Document) -> Result<Bson, QueryError> {
    eval_with(expr, doc, &Env::default())
}

/// Replaces `$$name` references to `let` variables with literals, so the
/// expression can be evaluated without an environment.
pub fn bind_vars(expr: &Bson, vars: &Document) -> Bson {
    match expr {
        Bson::String(s) if s.starts_with("$$") => {
            let (name, rest) = match s[2..].split_once('.') {
                Some((n, r)) => (n, Some(r)),
                None => (&s[2..], None),
            };
            match (vars.get(name), rest) {
                (Some(v), None) => Bson::Document(bson::doc! { "$literal": v.clone() }),
                (Some(Bson::Document(d)), Some(path)) => Bson::Document(
                    bson::doc! { "$literal": path::parse(path).ok().and_then(|p| path::get_doc(d, &p)).unwrap_or(Bson::Null) },
                ),
                _ => expr.clone(),
            }
        }
        Bson::Array(items) => Bson::Array(items.iter().map(|i| bind_vars(i, vars)).collect()),
        Bson::Document(d) if d.contains_key("$literal") => expr.clone(),
        Bson::Document(d) => Bson::Document(
            d.iter()
                .map(|(k, v)| (k.clone(), bind_vars(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
