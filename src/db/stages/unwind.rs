//! `$unwind`: one output document per element of an array field.

use crate::db::pipeline::{RunCtx, Stage};
use crate::query::error::{QueryError, type_name};
use crate::query::expr::path;
use bson::{Bson, Document};

#[derive(Debug)]
pub struct Unwind {
    path: Vec<String>,
    index_field: Option<Vec<String>>,
    preserve: bool,
}

impl Unwind {
    pub fn parse(arg: &Bson) -> Result<Unwind, QueryError> {
        let (path, index_field, preserve) = match arg {
            Bson::String(p) => (p.as_str(), None, false),
            Bson::Document(d) => {
                let (mut p, mut index, mut preserve) = (None, None, false);
                for (k, v) in d {
                    match (k.as_str(), v) {
                        ("path", Bson::String(s)) => p = Some(s.as_str()),
                        ("path", other) => {
                            return Err(QueryError::location(
                                28808,
                                format!(
                                    "expected a string as the path for $unwind stage, got {}",
                                    type_name(other)
                                ),
                            ));
                        }
                        ("includeArrayIndex", Bson::String(s)) if !s.is_empty() => {
                            if s.starts_with('$') {
                                return Err(QueryError::location(
                                    28822,
                                    format!(
                                        "includeArrayIndex option to $unwind stage should not \
                                         be prefixed with a '$': {s}"
                                    ),
                                ));
                            }
                            index = Some(s.as_str());
                        }
                        ("includeArrayIndex", other) => {
                            return Err(QueryError::location(
                                28810,
                                format!(
                                    "expected a non-empty string for the includeArrayIndex \
                                     option to $unwind stage, got {}",
                                    type_name(other)
                                ),
                            ));
                        }
                        ("preserveNullAndEmptyArrays", Bson::Boolean(b)) => preserve = *b,
                        ("preserveNullAndEmptyArrays", other) => {
                            return Err(QueryError::location(
                                28809,
                                format!(
                                    "expected a boolean for the preserveNullAndEmptyArrays \
                                     option to $unwind stage, got {}",
                                    type_name(other)
                                ),
                            ));
                        }
                        (other, _) => {
                            return Err(QueryError::location(
                                28811,
                                format!("unrecognized option to $unwind stage: {other}"),
                            ));
                        }
                    }
                }
                let p = p.ok_or_else(|| {
                    QueryError::location(28812, "no path specified to $unwind stage")
                })?;
                (p, index, preserve)
            }
            other => {
                return Err(QueryError::location(
                    15981,
                    format!(
                        "expected either a string or an object as specification for $unwind \
                         stage, got {}",
                        type_name(other)
                    ),
                ));
            }
        };
        let field = path.strip_prefix('$').ok_or_else(|| {
            QueryError::location(
                28818,
                format!("path option to $unwind stage should be prefixed with a '$': {path}"),
            )
        })?;
        Ok(Unwind {
            path: path::parse(field)?,
            index_field: index_field.map(path::parse).transpose()?,
            preserve,
        })
    }

    fn with(&self, doc: &Document, v: Option<Bson>, index: Option<usize>) -> Document {
        let mut d = doc.clone();
        path::set(&mut d, &self.path, v);
        if let Some(f) = &self.index_field {
            let i = index.map_or(Bson::Null, |i| Bson::Int64(i as i64));
            path::set(&mut d, f, Some(i));
        }
        d
    }
}

/// The value at a dotted path through documents only (as mongod's
/// `getNestedField`: an array on the way makes it missing).
fn nested<'a>(doc: &'a Document, path: &[String]) -> Option<&'a Bson> {
    let (first, rest) = path.split_first()?;
    let v = doc.get(first)?;
    if rest.is_empty() {
        return Some(v);
    }
    match v {
        Bson::Document(d) => nested(d, rest),
        _ => None,
    }
}

impl Stage for Unwind {
    fn run(&self, docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            match nested(&d, &self.path) {
                Some(Bson::Array(items)) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate() {
                        out.push(self.with(&d, Some(item.clone()), Some(i)));
                    }
                }
                // An empty array is kept without the field.
                Some(Bson::Array(_)) if self.preserve => out.push(self.with(&d, None, None)),
                Some(Bson::Array(_)) => {}
                None | Some(Bson::Null | Bson::Undefined) if self.preserve => {
                    let v = nested(&d, &self.path).cloned();
                    out.push(self.with(&d, v, None));
                }
                None | Some(Bson::Null | Bson::Undefined) => {}
                // A scalar is an array of one, with no index.
                Some(v) => {
                    let v = v.clone();
                    out.push(self.with(&d, Some(v), None));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{Bson, bson, doc};

    fn inventory() -> Vec<bson::Document> {
        vec![
            doc! {"_id": 1, "sizes": ["S", "M"]},
            doc! {"_id": 2, "sizes": []},
            doc! {"_id": 3, "sizes": "M"},
            doc! {"_id": 4},
            doc! {"_id": 5, "sizes": null},
        ]
    }

    #[test]
    fn manual_examples() {
        // The manual's $unwind page: includeArrayIndex and preserve.
        assert_eq!(
            run(
                inventory(),
                bson!([{"$unwind": {"path": "$sizes", "includeArrayIndex": "i", "preserveNullAndEmptyArrays": true}}])
            ),
            Ok(vec![
                doc! {"_id": 1, "sizes": "S", "i": Bson::Int64(0)},
                doc! {"_id": 1, "sizes": "M", "i": Bson::Int64(1)},
                doc! {"_id": 2, "i": null},
                doc! {"_id": 3, "sizes": "M", "i": null},
                doc! {"_id": 4, "i": null},
                doc! {"_id": 5, "sizes": null, "i": null},
            ])
        );
        assert_eq!(
            run(inventory(), bson!([{"$unwind": "$sizes"}])).map(|d| d.len()),
            Ok(3)
        );
    }

    #[test]
    fn dotted_paths_and_errors() {
        assert_eq!(
            run(
                vec![doc! {"a": {"b": [1, 2]}}],
                bson!([{"$unwind": "$a.b"}])
            ),
            Ok(vec![doc! {"a": {"b": 1}}, doc! {"a": {"b": 2}}])
        );
        assert_eq!(run(vec![], bson!([{"$unwind": "a"}])), Err(28818));
        assert_eq!(run(vec![], bson!([{"$unwind": {}}])), Err(28812));
        assert_eq!(run(vec![], bson!([{"$unwind": {"path": 1}}])), Err(28808));
        assert_eq!(
            run(vec![], bson!([{"$unwind": {"path": "$a", "x": 1}}])),
            Err(28811)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$unwind": {"path": "$a", "includeArrayIndex": "$i"}}])
            ),
            Err(28822)
        );
        assert_eq!(run(vec![], bson!([{"$unwind": 1}])), Err(15981));
    }
}
