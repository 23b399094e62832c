//! Query filters: `{field: value}`, comparison (`$eq $ne $gt $gte $lt $lte
//! $in $nin`), element (`$exists $type`), array (`$all $size $elemMatch`)
//! and logical (`$and $or $nor $not`) operators, with dotted paths that
//! reach through arrays as MongoDB's do.

use crate::engine::keys::{canonical_type_rank, compare_bson};
use bson::{Bson, Document};
use std::cmp::Ordering;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

#[derive(Debug, Clone)]
pub struct Filter {
    clauses: Vec<Clause>,
}

#[derive(Debug, Clone)]
enum Clause {
    Field(String, Vec<Cond>),
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Nor(Vec<Filter>),
    /// `$expr`: an aggregation expression, true when truthy.
    Expr(Bson),
}

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
        Filter { clauses: vec![] }
    }

    pub fn parse(doc: &Document) -> Result<Filter, FilterError> {
        let mut clauses = Vec::new();
        for (k, v) in doc {
            match k.as_str() {
                "$and" => clauses.push(Clause::And(filters(v, "$and")?)),
                "$or" => clauses.push(Clause::Or(filters(v, "$or")?)),
                "$nor" => clauses.push(Clause::Nor(filters(v, "$nor")?)),
                "$expr" => clauses.push(Clause::Expr(v.clone())),
                "$comment" => {}
                op if op.starts_with('$') => {
                    return Err(err(format!("unknown top level operator: {op}")));
                }
                field => clauses.push(Clause::Field(field.to_string(), Self::conds(v)?)),
            }
        }
        Ok(Filter { clauses })
    }

    fn conds(v: &Bson) -> Result<Vec<Cond>, FilterError> {
        let Bson::Document(d) = v else {
            return Ok(vec![Cond::Eq(v.clone())]);
        };
        if !d.keys().next().is_some_and(|k| k.starts_with('$')) {
            return Ok(vec![Cond::Eq(v.clone())]);
        }
        let mut out = Vec::new();
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
                Clause::Expr(e) => *e = super::expr::bind_vars(e, vars),
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
            Clause::Expr(e) => super::expr::eval(e, doc).is_ok_and(|v| super::expr::truthy(&v)),
            Clause::Field(path, conds) => {
                let values = lookup(doc, path);
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
        Cond::In(ts) => ts.iter().any(|t| matches_eq(values, t)),
        Cond::Nin(ts) => !ts.iter().any(|t| matches_eq(values, t)),
        Cond::Exists(want) => values.iter().any(|v| v.is_some()) == *want,
        Cond::Type(codes) => values.iter().flatten().any(|v| {
            let t = bson_type(v);
            codes.iter().any(|&c| {
                c == t || (c == 1000 && matches!(t, 1 | 16 | 18 | 19))
            }) || matches!(v, Bson::Array(items) if items.iter().any(|i| codes.contains(&bson_type(i))))
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
