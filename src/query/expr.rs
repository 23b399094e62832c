//! Aggregation expressions, the part `$expr` and `let` need: field paths,
//! `$$ROOT`/`$$CURRENT`, literals, comparisons, boolean logic, arithmetic
//! and a few common operators. Anything else is a clear "unsupported" error.

use super::error::QueryError;
use crate::engine::keys::{canonical_type_rank, compare_bson};
use bson::{Bson, Document};
use std::cmp::Ordering;

fn unsupported(op: &str) -> QueryError {
    QueryError::new(
        168,
        "InvalidPipelineOperator",
        format!("Unrecognized expression '{op}' (argonctl does not support it yet)"),
    )
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
                (Some(Bson::Document(d)), Some(path)) => {
                    Bson::Document(bson::doc! { "$literal": lookup(d, path).unwrap_or(Bson::Null) })
                }
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

fn lookup(doc: &Document, path: &str) -> Option<Bson> {
    let mut cur = Bson::Document(doc.clone());
    for part in path.split('.') {
        cur = match cur {
            Bson::Document(d) => d.get(part)?.clone(),
            Bson::Array(items) => Bson::Array(
                items
                    .into_iter()
                    .filter_map(|i| match i {
                        Bson::Document(d) => d.get(part).cloned(),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => return None,
        };
    }
    Some(cur)
}

/// MongoDB truthiness: false, null, missing, 0 and undefined are false.
pub fn truthy(v: &Bson) -> bool {
    match v {
        Bson::Boolean(b) => *b,
        Bson::Null | Bson::Undefined => false,
        Bson::Int32(n) => *n != 0,
        Bson::Int64(n) => *n != 0,
        Bson::Double(n) => *n != 0.0,
        _ => true,
    }
}

fn num(v: &Bson) -> Option<f64> {
    match v {
        Bson::Int32(n) => Some(*n as f64),
        Bson::Int64(n) => Some(*n as f64),
        Bson::Double(n) => Some(*n),
        _ => None,
    }
}

fn args(v: &Bson, doc: &Document) -> Result<Vec<Bson>, QueryError> {
    match v {
        Bson::Array(items) => items.iter().map(|i| eval(i, doc)).collect(),
        other => Ok(vec![eval(other, doc)?]),
    }
}

fn arith(op: &str, vals: &[Bson]) -> Result<Bson, QueryError> {
    if vals.iter().any(|v| matches!(v, Bson::Null)) {
        return Ok(Bson::Null);
    }
    let all_int = vals
        .iter()
        .all(|v| matches!(v, Bson::Int32(_) | Bson::Int64(_)));
    let xs: Vec<f64> = vals
        .iter()
        .map(|v| {
            num(v).ok_or_else(|| {
                QueryError::type_mismatch(format!(
                    "{op} only supports numeric types, not {}",
                    super::error::type_name(v)
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let r = match op {
        "$add" => xs.iter().sum(),
        "$multiply" => xs.iter().product(),
        "$subtract" if xs.len() == 2 => xs[0] - xs[1],
        "$divide" if xs.len() == 2 => {
            if xs[1] == 0.0 {
                return Err(QueryError::bad_value("can't $divide by zero"));
            }
            return Ok(Bson::Double(xs[0] / xs[1]));
        }
        _ => {
            return Err(QueryError::bad_value(format!(
                "{op} takes exactly 2 arguments"
            )));
        }
    };
    if all_int && r.fract() == 0.0 && r.abs() < 9.0e15 {
        let i = r as i64;
        return Ok(i32::try_from(i).map(Bson::Int32).unwrap_or(Bson::Int64(i)));
    }
    Ok(Bson::Double(r))
}

/// Evaluates an expression against a document.
pub fn eval(expr: &Bson, doc: &Document) -> Result<Bson, QueryError> {
    match expr {
        Bson::String(s) if s == "$$ROOT" || s == "$$CURRENT" => Ok(Bson::Document(doc.clone())),
        Bson::String(s) if s.starts_with("$$") => Err(QueryError::location(
            17276,
            format!("Use of undefined variable: {}", &s[2..]),
        )),
        Bson::String(s) if s.starts_with('$') => Ok(lookup(doc, &s[1..]).unwrap_or(Bson::Null)),
        Bson::Array(items) => Ok(Bson::Array(
            items
                .iter()
                .map(|i| eval(i, doc))
                .collect::<Result<_, _>>()?,
        )),
        Bson::Document(d) => {
            let Some((op, arg)) = d.iter().next().filter(|(k, _)| k.starts_with('$')) else {
                let mut out = Document::new();
                for (k, v) in d {
                    out.insert(k.clone(), eval(v, doc)?);
                }
                return Ok(Bson::Document(out));
            };
            if d.len() != 1 {
                return Err(QueryError::location(
                    15983,
                    "an expression specification must contain exactly one field",
                ));
            }
            let cmp = |want: fn(Ordering) -> bool| -> Result<Bson, QueryError> {
                let v = args(arg, doc)?;
                if v.len() != 2 {
                    return Err(QueryError::location(
                        16020,
                        format!("Expression {op} takes exactly 2 arguments"),
                    ));
                }
                // Values of different types compare by type order.
                let o = if canonical_type_rank(&v[0]) == canonical_type_rank(&v[1]) {
                    compare_bson(&v[0], &v[1])
                } else {
                    canonical_type_rank(&v[0]).cmp(&canonical_type_rank(&v[1]))
                };
                Ok(Bson::Boolean(want(o)))
            };
            match op.as_str() {
                "$literal" => Ok(arg.clone()),
                "$rand" => Ok(Bson::Double(super::random::next_f64())),
                "$eq" => cmp(|o| o == Ordering::Equal),
                "$ne" => cmp(|o| o != Ordering::Equal),
                "$gt" => cmp(|o| o == Ordering::Greater),
                "$gte" => cmp(|o| o != Ordering::Less),
                "$lt" => cmp(|o| o == Ordering::Less),
                "$lte" => cmp(|o| o != Ordering::Greater),
                "$and" => Ok(Bson::Boolean(args(arg, doc)?.iter().all(truthy))),
                "$or" => Ok(Bson::Boolean(args(arg, doc)?.iter().any(truthy))),
                "$not" => Ok(Bson::Boolean(!args(arg, doc)?.first().is_some_and(truthy))),
                "$add" | "$subtract" | "$multiply" | "$divide" => arith(op, &args(arg, doc)?),
                "$ifNull" => {
                    let v = args(arg, doc)?;
                    Ok(v.iter()
                        .find(|x| !matches!(x, Bson::Null))
                        .cloned()
                        .unwrap_or(Bson::Null))
                }
                "$cond" => {
                    let (c, t, f) = match arg {
                        Bson::Array(a) if a.len() == 3 => (&a[0], &a[1], &a[2]),
                        Bson::Document(m) => (
                            m.get("if").unwrap_or(&Bson::Null),
                            m.get("then").unwrap_or(&Bson::Null),
                            m.get("else").unwrap_or(&Bson::Null),
                        ),
                        _ => return Err(QueryError::bad_value("$cond needs if, then and else")),
                    };
                    if truthy(&eval(c, doc)?) {
                        eval(t, doc)
                    } else {
                        eval(f, doc)
                    }
                }
                "$in" => {
                    let v = args(arg, doc)?;
                    match v.as_slice() {
                        [x, Bson::Array(items)] => Ok(Bson::Boolean(
                            items.iter().any(|i| compare_bson(i, x).is_eq()),
                        )),
                        _ => Err(QueryError::location(
                            40081,
                            "$in requires an array as a second argument",
                        )),
                    }
                }
                "$size" => match args(arg, doc)?.first() {
                    Some(Bson::Array(a)) => Ok(Bson::Int32(a.len() as i32)),
                    _ => Err(QueryError::location(
                        17124,
                        "The argument to $size must be an array",
                    )),
                },
                "$concat" => {
                    let mut out = String::new();
                    for v in args(arg, doc)? {
                        match v {
                            Bson::String(s) => out.push_str(&s),
                            Bson::Null => return Ok(Bson::Null),
                            other => {
                                return Err(QueryError::location(
                                    16702,
                                    format!(
                                        "$concat only supports strings, not {}",
                                        super::error::type_name(&other)
                                    ),
                                ));
                            }
                        }
                    }
                    Ok(Bson::String(out))
                }
                other => Err(unsupported(other)),
            }
        }
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    #[test]
    fn expressions() {
        let d = doc! { "a": 5, "b": 7, "s": "x", "arr": [1, 2] };
        assert_eq!(
            eval(&Bson::from(doc! {"$lt": ["$a", "$b"]}), &d).unwrap(),
            Bson::Boolean(true)
        );
        assert_eq!(
            eval(&Bson::from(doc! {"$add": ["$a", "$b", 1]}), &d).unwrap(),
            Bson::Int32(13)
        );
        assert_eq!(
            eval(
                &Bson::from(doc! {"$cond": [{"$gt": ["$a", 3]}, "big", "small"]}),
                &d
            )
            .unwrap(),
            Bson::String("big".into())
        );
        assert_eq!(
            eval(&Bson::from(doc! {"$size": "$arr"}), &d).unwrap(),
            Bson::Int32(2)
        );
        let bound = bind_vars(&Bson::from(doc! {"$eq": ["$a", "$$x"]}), &doc! {"x": 5});
        assert_eq!(eval(&bound, &d).unwrap(), Bson::Boolean(true));
        assert!(eval(&Bson::from(doc! {"$bogus": 1}), &d).is_err());
    }
}
