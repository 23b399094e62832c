//! Query filters: `{field: value}`, comparison (`$eq $ne $gt $gte $lt $lte
//! $in $nin`), element (`$exists $type`), evaluation (`$regex $mod $expr
//! $jsonSchema`), array (`$all $size $elemMatch`) and logical (`$and $or
//! $nor $not`) operators, with dotted paths that reach through arrays as
//! MongoDB's do, and case-insensitive collations (strength 1 and 2).

use crate::engine::keys::{canonical_type_rank, compare_bson};
use bson::{Bson, Document};
use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

#[derive(Debug, Clone)]
pub struct Filter {
    clauses: Vec<Clause>,
    /// A collation of strength 1 or 2: strings compare case-insensitively.
    fold_case: bool,
}

/// The part of a MongoDB collation argonctl applies: strength 1 and 2
/// compare strings without case (other strengths and `simple` compare
/// code points, as the `simple` collation does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collation {
    pub fold_case: bool,
}

impl Collation {
    /// Parses a `collation` argument; `None` for the simple collation.
    pub fn parse(v: Option<&Bson>) -> Result<Option<Collation>, FilterError> {
        let d = match v {
            None | Some(Bson::Null) => return Ok(None),
            Some(Bson::Document(d)) => d,
            Some(_) => return Err(err("collation must be an object")),
        };
        let locale = match d.get("locale") {
            Some(Bson::String(l)) => l.as_str(),
            _ => return Err(err("collation requires a 'locale' string")),
        };
        if locale == "simple" {
            return Ok(None);
        }
        let strength = match d.get("strength") {
            None => 3,
            Some(Bson::Int32(n)) => i64::from(*n),
            Some(Bson::Int64(n)) => *n,
            Some(Bson::Double(n)) => *n as i64,
            Some(_) => return Err(err("collation strength must be a number")),
        };
        if !(1..=5).contains(&strength) {
            return Err(err(format!(
                "collation strength must be 1 to 5, got {strength}"
            )));
        }
        Ok(Some(Collation {
            fold_case: strength <= 2,
        }))
    }
}

/// Lower-cases every string in a value (for case-insensitive matching).
pub fn fold_case(v: &Bson) -> Bson {
    match v {
        Bson::String(s) => Bson::String(s.to_lowercase()),
        Bson::Array(items) => Bson::Array(items.iter().map(fold_case).collect()),
        Bson::Document(d) => {
            Bson::Document(d.iter().map(|(k, v)| (k.clone(), fold_case(v))).collect())
        }
        other => other.clone(),
    }
}

#[derive(Debug, Clone)]
enum Clause {
    Field(String, Vec<Cond>),
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Nor(Vec<Filter>),
    /// `$expr`: an aggregation expression, true when truthy; parsed on
    /// first use (after `let` variables are bound) and kept.
    Expr(Bson, ParsedExpr),
}

/// The parsed form of an `$expr`, shared by the filter's clones; `None`
/// when it does not parse (it then matches nothing).
type ParsedExpr = Arc<OnceLock<Option<super::expr::Expr>>>;

#[derive(Debug, Clone)]
enum Cond {
    Eq(Bson),
    Ne(Bson),
    Cmp(Ordering, bool, Bson), // (direction, inclusive, operand)
    In(Vec<Bson>),
    Nin(Vec<Bson>),
    Exists(bool),
    Type(Vec<i32>),
    Size(usize),
    All(Vec<Bson>),
    ElemMatch(Box<Filter>),
    /// `$elemMatch` with operators on the elements themselves.
    ElemMatchValue(Vec<Cond>),
    Not(Vec<Cond>),
    Regex(Box<regex::Regex>),
    /// `$mod: [divisor, remainder]`.
    Mod(i64, i64),
    /// `$jsonSchema`, at the document level.
    Schema(Box<Schema>),
}

/// The `$jsonSchema` keywords argonctl checks: `bsonType`/`type`,
/// `required`, `properties`, `enum`, `minimum`/`maximum`,
/// `minLength`/`maxLength`, `items`, `additionalProperties: false`.
#[derive(Debug, Clone, Default)]
struct Schema {
    types: Option<Vec<String>>,
    required: Vec<String>,
    properties: Vec<(String, Schema)>,
    additional: bool,
    enumeration: Option<Vec<Bson>>,
    minimum: Option<Bson>,
    maximum: Option<Bson>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    items: Option<Box<Schema>>,
}

impl Schema {
    fn parse(d: &Document) -> Result<Schema, FilterError> {
        let mut s = Schema {
            additional: true,
            ..Schema::default()
        };
        let names = |v: &Bson| -> Result<Vec<String>, FilterError> {
            match v {
                Bson::String(t) => Ok(vec![t.clone()]),
                Bson::Array(a) => a
                    .iter()
                    .map(|t| match t {
                        Bson::String(t) => Ok(t.clone()),
                        _ => Err(err("$jsonSchema type names must be strings")),
                    })
                    .collect(),
                _ => Err(err(
                    "$jsonSchema type must be a string or an array of strings",
                )),
            }
        };
        let count = |v: &Bson, k: &str| -> Result<usize, FilterError> {
            match v {
                Bson::Int32(n) if *n >= 0 => Ok(*n as usize),
                Bson::Int64(n) if *n >= 0 => Ok(*n as usize),
                Bson::Double(n) if *n >= 0.0 => Ok(*n as usize),
                _ => Err(err(format!(
                    "$jsonSchema {k} must be a non-negative number"
                ))),
            }
        };
        for (k, v) in d {
            match k.as_str() {
                "bsonType" | "type" => s.types = Some(names(v)?),
                "required" => s.required = names(v)?,
                "properties" => {
                    let Bson::Document(props) = v else {
                        return Err(err("$jsonSchema properties must be an object"));
                    };
                    for (name, sub) in props {
                        let Bson::Document(sub) = sub else {
                            return Err(err("$jsonSchema property schemas must be objects"));
                        };
                        s.properties.push((name.clone(), Schema::parse(sub)?));
                    }
                }
                "additionalProperties" => s.additional = !matches!(v, Bson::Boolean(false)),
                "enum" => match v {
                    Bson::Array(a) => s.enumeration = Some(a.clone()),
                    _ => return Err(err("$jsonSchema enum must be an array")),
                },
                "minimum" => s.minimum = Some(v.clone()),
                "maximum" => s.maximum = Some(v.clone()),
                "minLength" => s.min_length = Some(count(v, k)?),
                "maxLength" => s.max_length = Some(count(v, k)?),
                "items" => match v {
                    Bson::Document(i) => s.items = Some(Box::new(Schema::parse(i)?)),
                    _ => return Err(err("$jsonSchema items must be an object")),
                },
                "title" | "description" | "$comment" => {}
                other => {
                    return Err(err(format!(
                        "$jsonSchema keyword '{other}' is not supported by argonctl yet"
                    )));
                }
            }
        }
        Ok(s)
    }

    fn type_matches(name: &str, v: &Bson) -> bool {
        let t = bson_type(v);
        match name {
            "number" => matches!(t, 1 | 16 | 18 | 19),
            "integer" => matches!(t, 16 | 18),
            "boolean" | "bool" => t == 8,
            "string" => t == 2,
            "object" => t == 3,
            "array" => t == 4,
            "null" => t == 10,
            other => {
                type_code(&Bson::String(other.to_string())).is_ok_and(|codes| codes.contains(&t))
            }
        }
    }

    fn matches(&self, v: &Bson) -> bool {
        if let Some(types) = &self.types
            && !types.iter().any(|t| Schema::type_matches(t, v))
        {
            return false;
        }
        if let Some(e) = &self.enumeration
            && !e.iter().any(|x| eq_value(v, x))
        {
            return false;
        }
        let in_bracket = |bound: &Bson| canonical_type_rank(v) == canonical_type_rank(bound);
        if let Some(min) = &self.minimum
            && in_bracket(min)
            && compare_bson(v, min) == Ordering::Less
        {
            return false;
        }
        if let Some(max) = &self.maximum
            && in_bracket(max)
            && compare_bson(v, max) == Ordering::Greater
        {
            return false;
        }
        if let Bson::String(s) = v {
            let n = s.chars().count();
            if self.min_length.is_some_and(|m| n < m) || self.max_length.is_some_and(|m| n > m) {
                return false;
            }
        }
        if let (Some(items), Bson::Array(a)) = (&self.items, v)
            && !a.iter().all(|i| items.matches(i))
        {
            return false;
        }
        if let Bson::Document(d) = v {
            if !self.required.iter().all(|r| d.contains_key(r)) {
                return false;
            }
            for (name, sub) in &self.properties {
                if let Some(x) = d.get(name)
                    && !sub.matches(x)
                {
                    return false;
                }
            }
            if !self.additional
                && d.keys()
                    .any(|k| k != "_id" && !self.properties.iter().any(|(n, _)| n == k))
            {
                return false;
            }
        }
        true
    }
}

/// Compiles a `$regex` with its `$options` (i, m, s, x).
fn compile_regex(pattern: &str, options: &str) -> Result<regex::Regex, FilterError> {
    let mut b = regex::RegexBuilder::new(pattern);
    for o in options.chars() {
        match o {
            'i' => b.case_insensitive(true),
            'm' => b.multi_line(true),
            's' => b.dot_matches_new_line(true),
            'x' => b.ignore_whitespace(true),
            'u' => &mut b,
            other => return Err(err(format!("invalid flag in regex options: {other}"))),
        };
    }
    b.build()
        .map_err(|e| err(format!("Regular expression is invalid: {e}")))
}

fn regex_of(v: &Bson) -> Result<Option<regex::Regex>, FilterError> {
    match v {
        Bson::RegularExpression(r) => {
            compile_regex(r.pattern.as_str(), r.options.as_str()).map(Some)
        }
        _ => Ok(None),
    }
}

fn err(msg: impl Into<String>) -> FilterError {
    FilterError(msg.into())
}

fn filters(v: &Bson, op: &str) -> Result<Vec<Filter>, FilterError> {
    let Bson::Array(items) = v else {
        return Err(err(format!("{op} must be an array")));
    };
    if items.is_empty() {
        return Err(err(format!("{op} argument must be a non-empty array")));
    }
    items
        .iter()
        .map(|i| match i {
            Bson::Document(d) => Filter::parse(d),
            _ => Err(err(format!("{op} argument's entries must be objects"))),
        })
        .collect()
}

fn type_code(v: &Bson) -> Result<Vec<i32>, FilterError> {
    let one = |v: &Bson| -> Result<i32, FilterError> {
        Ok(match v {
            Bson::Int32(n) => *n,
            Bson::Int64(n) => *n as i32,
            Bson::Double(n) => *n as i32,
            Bson::String(s) => match s.as_str() {
                "double" => 1,
                "string" => 2,
                "object" => 3,
                "array" => 4,
                "binData" => 5,
                "undefined" => 6,
                "objectId" => 7,
                "bool" => 8,
                "date" => 9,
                "null" => 10,
                "regex" => 11,
                "javascript" => 13,
                "int" => 16,
                "timestamp" => 17,
                "long" => 18,
                "decimal" => 19,
                "minKey" => -1,
                "maxKey" => 127,
                "number" => 1000,
                other => return Err(err(format!("unknown type name alias: {other}"))),
            },
            _ => return Err(err("$type needs a type name or number")),
        })
    };
    match v {
        Bson::Array(a) => a.iter().map(one).collect(),
        v => Ok(vec![one(v)?]),
    }
}

fn bson_type(v: &Bson) -> i32 {
    match v {
        Bson::Double(_) => 1,
        Bson::String(_) => 2,
        Bson::Document(_) => 3,
        Bson::Array(_) => 4,
        Bson::Binary(_) => 5,
        Bson::Undefined => 6,
        Bson::ObjectId(_) => 7,
        Bson::Boolean(_) => 8,
        Bson::DateTime(_) => 9,
        Bson::Null => 10,
        Bson::RegularExpression(_) => 11,
        Bson::DbPointer(_) => 12,
        Bson::JavaScriptCode(_) => 13,
        Bson::Symbol(_) => 14,
        Bson::JavaScriptCodeWithScope(_) => 15,
        Bson::Int32(_) => 16,
        Bson::Timestamp(_) => 17,
        Bson::Int64(_) => 18,
        Bson::Decimal128(_) => 19,
        Bson::MinKey => -1,
        Bson::MaxKey => 127,
    }
}

impl Filter {
    pub fn empty() -> Filter {
        Filter {
            clauses: vec![],
            fold_case: false,
        }
    }

    /// Applies a collation: with a case-insensitive one, string operands
    /// and document values are compared lower-cased.
    pub fn with_collation(mut self, c: Option<Collation>) -> Filter {
        if c.is_some_and(|c| c.fold_case) {
            self.fold_case = true;
            for clause in &mut self.clauses {
                match clause {
                    Clause::And(fs) | Clause::Or(fs) | Clause::Nor(fs) => {
                        for f in fs.iter_mut() {
                            *f = std::mem::replace(f, Filter::empty()).with_collation(c);
                        }
                    }
                    Clause::Field(_, conds) => conds.iter_mut().for_each(fold_cond),
                    Clause::Expr(..) => {}
                }
            }
        }
        self
    }

    pub fn parse(doc: &Document) -> Result<Filter, FilterError> {
        let mut clauses = Vec::new();
        for (k, v) in doc {
            match k.as_str() {
                "$and" => clauses.push(Clause::And(filters(v, "$and")?)),
                "$or" => clauses.push(Clause::Or(filters(v, "$or")?)),
                "$nor" => clauses.push(Clause::Nor(filters(v, "$nor")?)),
                "$expr" => clauses.push(Clause::Expr(v.clone(), ParsedExpr::default())),
                "$jsonSchema" => match v {
                    Bson::Document(d) => clauses.push(Clause::Field(
                        String::new(),
                        vec![Cond::Schema(Box::new(Schema::parse(d)?))],
                    )),
                    _ => return Err(err("$jsonSchema must be an object")),
                },
                "$where" => {
                    return Err(err(
                        "$where (server-side JavaScript) is not supported; use $expr instead",
                    ));
                }
                "$comment" => {}
                // The manual: "$sampleRate ... is equivalent to adding a
                // $match stage with {$expr: {$lt: [{$rand: {}}, rate]}}".
                "$sampleRate" => {
                    let rate = match v {
                        Bson::Double(f) => *f,
                        Bson::Int32(n) => f64::from(*n),
                        Bson::Int64(n) => *n as f64,
                        Bson::Decimal128(d) => d.to_string().parse().unwrap_or(f64::NAN),
                        _ => f64::NAN,
                    };
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(err(
                            "$sampleRate expects numeric argument between 0 and 1 (inclusive)",
                        ));
                    }
                    clauses.push(Clause::Expr(
                        bson::bson!({"$lt": [{"$rand": {}}, rate]}),
                        ParsedExpr::default(),
                    ));
                }
                op if op.starts_with('$') => {
                    return Err(err(format!("unknown top level operator: {op}")));
                }
                field => clauses.push(Clause::Field(field.to_string(), Self::conds(v)?)),
            }
        }
        Ok(Filter {
            clauses,
            fold_case: false,
        })
    }

    fn conds(v: &Bson) -> Result<Vec<Cond>, FilterError> {
        if let Some(re) = regex_of(v)? {
            return Ok(vec![Cond::Regex(Box::new(re))]);
        }
        let Bson::Document(d) = v else {
            return Ok(vec![Cond::Eq(v.clone())]);
        };
        if !d.keys().next().is_some_and(|k| k.starts_with('$')) {
            return Ok(vec![Cond::Eq(v.clone())]);
        }
        let mut out = Vec::new();
        let options = match d.get("$options") {
            None => String::new(),
            Some(Bson::String(o)) => o.clone(),
            Some(_) => return Err(err("$options has to be a string")),
        };
        if d.contains_key("$options") && !d.contains_key("$regex") {
            return Err(err("$options needs a $regex"));
        }
        for (op, arg) in d {
            let list = |a: &Bson| -> Result<Vec<Bson>, FilterError> {
                match a {
                    Bson::Array(a) => Ok(a.clone()),
                    _ => Err(err(format!("{op} needs an array"))),
                }
            };
            out.push(match op.as_str() {
                "$eq" => Cond::Eq(arg.clone()),
                "$ne" => Cond::Ne(arg.clone()),
                "$gt" => Cond::Cmp(Ordering::Greater, false, arg.clone()),
                "$gte" => Cond::Cmp(Ordering::Greater, true, arg.clone()),
                "$lt" => Cond::Cmp(Ordering::Less, false, arg.clone()),
                "$lte" => Cond::Cmp(Ordering::Less, true, arg.clone()),
                "$in" => Cond::In(list(arg)?),
                "$nin" => Cond::Nin(list(arg)?),
                "$all" => Cond::All(list(arg)?),
                "$exists" => Cond::Exists(!matches!(
                    arg,
                    Bson::Boolean(false) | Bson::Int32(0) | Bson::Int64(0) | Bson::Null
                )),
                "$type" => Cond::Type(type_code(arg)?),
                "$size" => match arg {
                    Bson::Int32(n) if *n >= 0 => Cond::Size(*n as usize),
                    Bson::Int64(n) if *n >= 0 => Cond::Size(*n as usize),
                    Bson::Double(n) if *n >= 0.0 && n.fract() == 0.0 => Cond::Size(*n as usize),
                    _ => return Err(err("$size needs a non-negative whole number")),
                },
                "$elemMatch" => match arg {
                    Bson::Document(d)
                        if d.keys().next().is_some_and(|k| {
                            k.starts_with('$') && !matches!(k.as_str(), "$and" | "$or" | "$nor")
                        }) =>
                    {
                        Cond::ElemMatchValue(Self::conds(arg)?)
                    }
                    Bson::Document(d) => Cond::ElemMatch(Box::new(Filter::parse(d)?)),
                    _ => return Err(err("$elemMatch needs an object")),
                },
                "$not" => match arg {
                    Bson::Document(_) => Cond::Not(Self::conds(arg)?),
                    _ => return Err(err("$not needs an object")),
                },
                "$regex" => Cond::Regex(Box::new(match arg {
                    Bson::String(p) => compile_regex(p, &options)?,
                    Bson::RegularExpression(r) if options.is_empty() => {
                        compile_regex(r.pattern.as_str(), r.options.as_str())?
                    }
                    Bson::RegularExpression(r) => compile_regex(r.pattern.as_str(), &options)?,
                    _ => return Err(err("$regex has to be a string")),
                })),
                "$options" => continue,
                "$mod" => {
                    let num = |v: &Bson| match v {
                        Bson::Int32(n) => Some(i64::from(*n)),
                        Bson::Int64(n) => Some(*n),
                        Bson::Double(f) if f.is_finite() => Some(f.trunc() as i64),
                        _ => None,
                    };
                    match arg {
                        Bson::Array(a) if a.len() == 2 => match (num(&a[0]), num(&a[1])) {
                            (Some(0), _) => return Err(err("divisor cannot be 0")),
                            (Some(d), Some(r)) => Cond::Mod(d, r),
                            _ => {
                                return Err(err(
                                    "malformed mod, divisor and remainder must be numbers",
                                ));
                            }
                        },
                        Bson::Array(a) if a.len() < 2 => {
                            return Err(err("malformed mod, not enough elements"));
                        }
                        Bson::Array(_) => return Err(err("malformed mod, too many elements")),
                        _ => return Err(err("malformed mod, needs to be an array")),
                    }
                }
                other => return Err(err(format!("unknown operator: {other}"))),
            });
        }
        Ok(out)
    }

    /// Parses a filter whose `$expr` parts may use `let` variables.
    pub fn parse_with_let(doc: &Document, vars: &Document) -> Result<Filter, FilterError> {
        let mut f = Filter::parse(doc)?;
        if !vars.is_empty() {
            f.bind(vars);
        }
        Ok(f)
    }

    fn bind(&mut self, vars: &Document) {
        for c in &mut self.clauses {
            match c {
                Clause::Expr(e, parsed) => {
                    *e = super::expr::bind_vars(e, vars);
                    *parsed = ParsedExpr::default();
                }
                Clause::And(fs) | Clause::Or(fs) | Clause::Nor(fs) => {
                    fs.iter_mut().for_each(|f| f.bind(vars))
                }
                Clause::Field(..) => {}
            }
        }
    }

    pub fn matches(&self, doc: &Document) -> bool {
        self.clauses.iter().all(|c| match c {
            Clause::And(fs) => fs.iter().all(|f| f.matches(doc)),
            Clause::Or(fs) => fs.iter().any(|f| f.matches(doc)),
            Clause::Nor(fs) => !fs.iter().any(|f| f.matches(doc)),
            // An expression that fails to evaluate matches nothing.
            Clause::Expr(e, parsed) => {
                let env = super::expr::Env::default();
                parsed
                    .get_or_init(|| super::expr::Expr::parse(e, &mut env.parse_ctx()).ok())
                    .as_ref()
                    .and_then(|x| x.eval_doc(doc, &env).ok())
                    .is_some_and(|v| super::expr::truthy(&v.unwrap_or(Bson::Null)))
            }
            Clause::Field(path, conds) if path.is_empty() => {
                let whole = [Some(Bson::Document(doc.clone()))];
                conds.iter().all(|c| cond_matches(c, &whole))
            }
            Clause::Field(path, conds) => {
                let mut values = lookup(doc, path);
                if self.fold_case {
                    for v in values.iter_mut().flatten() {
                        *v = fold_case(v);
                    }
                }
                conds.iter().all(|c| cond_matches(c, &values))
            }
        })
    }
}

/// What a dotted path reaches: each candidate value, where arrays along the
/// way fan out. `None` when nothing is there.
fn lookup(doc: &Document, path: &str) -> Vec<Option<Bson>> {
    fn walk(v: Option<&Bson>, parts: &[&str], out: &mut Vec<Option<Bson>>) {
        let Some(v) = v else {
            out.push(None);
            return;
        };
        if parts.is_empty() {
            out.push(Some(v.clone()));
            return;
        }
        match v {
            Bson::Document(d) => walk(d.get(parts[0]), &parts[1..], out),
            Bson::Array(items) => {
                if let Ok(i) = parts[0].parse::<usize>() {
                    walk(items.get(i), &parts[1..], out);
                } else {
                    let before = out.len();
                    for item in items {
                        if let Bson::Document(d) = item {
                            walk(d.get(parts[0]), &parts[1..], out);
                        }
                    }
                    if out.len() == before {
                        out.push(None);
                    }
                }
            }
            _ => out.push(None),
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    walk(doc.get(parts[0]), &parts[1..], &mut out);
    out
}

fn eq_value(v: &Bson, target: &Bson) -> bool {
    compare_bson(v, target) == Ordering::Equal
        && (canonical_type_rank(v) == canonical_type_rank(target))
}

/// Equality with MongoDB's array rule: a field equals a value if it is
/// that value or is an array containing it.
fn matches_eq(values: &[Option<Bson>], target: &Bson) -> bool {
    values.iter().any(|v| match v {
        None => matches!(target, Bson::Null),
        Some(v) => {
            eq_value(v, target)
                || matches!(v, Bson::Array(items) if items.iter().any(|i| eq_value(i, target)))
        }
    })
}

/// `$in`/`$nin` members: a regular expression matches strings (and an
/// equal regular expression); anything else is equality.
fn matches_eq_or_regex(values: &[Option<Bson>], target: &Bson) -> bool {
    if let Bson::RegularExpression(r) = target
        && let Ok(re) = compile_regex(r.pattern.as_str(), r.options.as_str())
    {
        return matches_eq(values, target) || cond_matches(&Cond::Regex(Box::new(re)), values);
    }
    matches_eq(values, target)
}

fn matches_cmp(values: &[Option<Bson>], dir: Ordering, inclusive: bool, target: &Bson) -> bool {
    let test = |v: &Bson| {
        // Comparisons only match within the same type bracket.
        if canonical_type_rank(v) != canonical_type_rank(target) {
            return false;
        }
        let o = compare_bson(v, target);
        o == dir || (inclusive && o == Ordering::Equal)
    };
    values.iter().any(|v| match v {
        None => inclusive && matches!(target, Bson::Null),
        Some(Bson::Array(items)) => items.iter().any(test) || test(&Bson::Array(items.clone())),
        Some(v) => test(v),
    })
}

fn cond_matches(c: &Cond, values: &[Option<Bson>]) -> bool {
    match c {
        Cond::Eq(t) => matches_eq(values, t),
        Cond::Ne(t) => !matches_eq(values, t),
        Cond::Cmp(dir, inc, t) => matches_cmp(values, *dir, *inc, t),
        Cond::In(ts) => ts.iter().any(|t| matches_eq_or_regex(values, t)),
        Cond::Nin(ts) => !ts.iter().any(|t| matches_eq_or_regex(values, t)),
        Cond::Exists(want) => values.iter().any(|v| v.is_some()) == *want,
        Cond::Type(codes) => values.iter().flatten().any(|v| {
            // 1000 is the "number" alias: any numeric type.
            let is = |t: i32| {
                codes
                    .iter()
                    .any(|&c| c == t || (c == 1000 && matches!(t, 1 | 16 | 18 | 19)))
            };
            is(bson_type(v))
                || matches!(v, Bson::Array(items) if items.iter().any(|i| is(bson_type(i))))
        }),
        Cond::Size(n) => values
            .iter()
            .any(|v| matches!(v, Some(Bson::Array(a)) if a.len() == *n)),
        Cond::All(ts) => !ts.is_empty() && ts.iter().all(|t| matches_eq(values, t)),
        Cond::ElemMatch(f) => values.iter().any(|v| match v {
            Some(Bson::Array(items)) => items
                .iter()
                .any(|i| matches!(i, Bson::Document(d) if f.matches(d))),
            _ => false,
        }),
        Cond::ElemMatchValue(conds) => values.iter().any(|v| match v {
            Some(Bson::Array(items)) => items.iter().any(|i| {
                let one = [Some(i.clone())];
                conds.iter().all(|c| cond_matches(c, &one))
            }),
            _ => false,
        }),
        Cond::Not(conds) => !conds.iter().all(|c| cond_matches(c, values)),
        Cond::Regex(re) => values.iter().flatten().any(|v| match v {
            Bson::String(s) | Bson::Symbol(s) => re.is_match(s),
            Bson::Array(items) => items
                .iter()
                .any(|i| matches!(i, Bson::String(s) if re.is_match(s))),
            _ => false,
        }),
        Cond::Mod(d, r) => {
            let test = |v: &Bson| {
                let n = match v {
                    Bson::Int32(n) => i64::from(*n),
                    Bson::Int64(n) => *n,
                    Bson::Double(f) if f.is_finite() => f.trunc() as i64,
                    _ => return false,
                };
                n.wrapping_rem(*d) == *r
            };
            values.iter().flatten().any(|v| match v {
                Bson::Array(items) => items.iter().any(test),
                v => test(v),
            })
        }
        Cond::Schema(schema) => values.iter().flatten().any(|v| schema.matches(v)),
    }
}

/// Lower-cases a condition's string operands (for a case-insensitive
/// collation).
fn fold_cond(c: &mut Cond) {
    match c {
        Cond::Eq(v) | Cond::Ne(v) | Cond::Cmp(_, _, v) => *v = fold_case(v),
        Cond::In(vs) | Cond::Nin(vs) | Cond::All(vs) => {
            vs.iter_mut().for_each(|v| *v = fold_case(v))
        }
        Cond::ElemMatchValue(cs) | Cond::Not(cs) => cs.iter_mut().for_each(fold_cond),
        Cond::ElemMatch(f) => {
            **f = std::mem::replace(&mut **f, Filter::empty())
                .with_collation(Some(Collation { fold_case: true }));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    fn m(filter: Document, d: Document) -> bool {
        Filter::parse(&filter).unwrap().matches(&d)
    }

    #[test]
    fn sample_rate_keeps_that_share_of_documents() {
        let d = doc! {"a": 1};
        assert!((0..100).all(|_| m(doc! {"$sampleRate": 1.0}, d.clone())));
        assert!((0..100).all(|_| !m(doc! {"$sampleRate": 0}, d.clone())));
        let kept = (0..2000)
            .filter(|_| m(doc! {"$sampleRate": 0.5}, d.clone()))
            .count();
        assert!((800..1200).contains(&kept), "{kept} of 2000");
        for bad in [bson::bson!(1.5), bson::bson!(-0.1), bson::bson!("x")] {
            assert!(Filter::parse(&doc! {"$sampleRate": bad}).is_err());
        }
    }

    #[test]
    fn basics() {
        let d = doc! { "a": 5, "b": "x", "tags": ["red", "blue"], "n": {"k": 2.0}, "arr": [{"v": 1}, {"v": 7}] };
        assert!(m(doc! {"a": 5}, d.clone()));
        assert!(m(doc! {"a": 5.0}, d.clone()), "numbers compare by value");
        assert!(!m(doc! {"a": "5"}, d.clone()));
        assert!(m(doc! {"tags": "red"}, d.clone()), "array contains");
        assert!(m(doc! {"n.k": {"$gte": 2}}, d.clone()));
        assert!(
            !m(doc! {"a": {"$gt": "a"}}, d.clone()),
            "no cross-type comparison"
        );
        assert!(m(doc! {"arr.v": {"$gt": 5}}, d.clone()));
        assert!(m(doc! {"missing": null}, d.clone()));
        assert!(m(doc! {"missing": {"$exists": false}}, d.clone()));
        assert!(m(doc! {"$or": [{"a": 1}, {"b": "x"}]}, d.clone()));
        assert!(!m(doc! {"$nor": [{"a": 5}]}, d.clone()));
        assert!(m(doc! {"a": {"$in": [1, 5]}}, d.clone()));
        assert!(m(doc! {"a": {"$not": {"$gt": 6}}}, d.clone()));
        assert!(m(
            doc! {"tags": {"$size": 2, "$all": ["blue", "red"]}},
            d.clone()
        ));
        assert!(m(
            doc! {"arr": {"$elemMatch": {"v": {"$gt": 6}}}},
            d.clone()
        ));
        assert!(m(doc! {"a": {"$type": "int"}}, d.clone()));
        assert!(m(doc! {"tags": {"$elemMatch": {"$gt": "q"}}}, d.clone()));
        assert!(Filter::parse(&doc! {"$bogus": 1}).is_err());
        assert!(Filter::parse(&doc! {"a": {"$bogus": 1}}).is_err());
    }
}
