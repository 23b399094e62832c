//! `$bucket`: documents into ranges `[boundaries[i], boundaries[i+1])` of
//! a `groupBy` expression, with accumulators per bucket.

use super::group::Group;
use crate::db::pipeline::{ParseCtx, RunCtx, Stage};
use crate::engine::keys::{canonical_type_rank, compare_bson};
use crate::query::error::{QueryError, type_name};
use crate::query::expr::Expr;
use bson::{Bson, Document, doc};

#[derive(Debug)]
pub struct Bucket {
    group_by: Expr,
    boundaries: Vec<Bson>,
    default: Option<Bson>,
    /// One `$group` per bucket (and one for `default`, last): the same
    /// `output` accumulators with the bucket's boundary as a constant `_id`.
    groups: Vec<Group>,
}

fn is_expression(v: &Bson) -> bool {
    match v {
        Bson::String(s) => s.starts_with('$'),
        Bson::Document(d) => d.keys().next().is_some_and(|k| k.starts_with('$')),
        _ => false,
    }
}

impl Bucket {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Bucket, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                40201,
                format!(
                    "Argument to $bucket stage must be an object, but found type: {}.",
                    type_name(arg)
                ),
            ));
        };
        let (mut group_by, mut boundaries, mut default, mut output) = (None, None, None, None);
        for (k, v) in spec {
            match k.as_str() {
                "groupBy" => {
                    if !is_expression(v) {
                        return Err(QueryError::location(
                            40202,
                            format!(
                                "The $bucket 'groupBy' field must be defined as a $-prefixed \
                                 path or an expression, but found: {v}."
                            ),
                        ));
                    }
                    group_by = Some(Expr::parse(v, &mut pc.expr())?);
                }
                "boundaries" => boundaries = Some(v),
                "default" => default = Some(v),
                "output" => match v {
                    Bson::Document(o) => output = Some(o),
                    other => {
                        return Err(QueryError::location(
                            40196,
                            format!(
                                "The $bucket 'output' field must be an object, but found type: {}.",
                                type_name(other)
                            ),
                        ));
                    }
                },
                other => {
                    return Err(QueryError::location(
                        40197,
                        format!("Unrecognized option to $bucket: {other}."),
                    ));
                }
            }
        }
        let (Some(group_by), Some(boundaries)) = (group_by, boundaries) else {
            return Err(QueryError::location(
                40198,
                "$bucket requires 'groupBy' and 'boundaries' to be specified.",
            ));
        };
        let boundaries = constant_boundaries(boundaries, pc)?;
        let default = match default {
            Some(d) => {
                let d = Expr::parse(d, &mut pc.expr())?
                    .as_constant()
                    .cloned()
                    .ok_or_else(|| {
                        QueryError::location(
                            40195,
                            "The $bucket 'default' field must be a constant",
                        )
                    })?;
                let (lo, hi) = (&boundaries[0], &boundaries[boundaries.len() - 1]);
                if canonical_type_rank(&d) == canonical_type_rank(lo)
                    && compare_bson(&d, lo).is_ge()
                    && compare_bson(&d, hi).is_lt()
                {
                    return Err(QueryError::location(
                        40199,
                        "The $bucket 'default' field must be less than the lowest boundary or \
                         greater than or equal to the highest boundary.",
                    ));
                }
                Some(d)
            }
            None => None,
        };
        let output = output
            .cloned()
            .unwrap_or_else(|| doc! {"count": {"$sum": 1}});
        let ids = boundaries[..boundaries.len() - 1]
            .iter()
            .chain(default.as_ref());
        let groups = ids
            .map(|id| {
                let mut g = doc! {"_id": {"$literal": id.clone()}};
                g.extend(output.clone());
                Group::parse(&g, &mut pc.expr())
            })
            .collect::<Result<_, _>>()?;
        Ok(Bucket {
            group_by,
            boundaries,
            default,
            groups,
        })
    }
}

/// The boundaries: at least two constants of one type, ascending.
fn constant_boundaries(v: &Bson, pc: &ParseCtx<'_>) -> Result<Vec<Bson>, QueryError> {
    let too_few = || {
        QueryError::location(
            40192,
            "The $bucket 'boundaries' field must be an array of values, with at least 2 values",
        )
    };
    let Bson::Array(items) = v else {
        return Err(too_few());
    };
    if items.len() < 2 {
        return Err(too_few());
    }
    let mut out = Vec::with_capacity(items.len());
    for b in items {
        let c = Expr::parse(b, &mut pc.expr())?
            .as_constant()
            .cloned()
            .ok_or_else(|| {
                QueryError::location(
                    40191,
                    "The $bucket 'boundaries' field must be an array of constant values",
                )
            })?;
        out.push(c);
    }
    for w in out.windows(2) {
        if canonical_type_rank(&w[0]) != canonical_type_rank(&w[1]) {
            return Err(QueryError::location(
                40193,
                format!(
                    "All values in the the 'boundaries' option to $bucket must have the same \
                     type. Found conflicting types {} and {}.",
                    type_name(&w[0]),
                    type_name(&w[1])
                ),
            ));
        }
        if compare_bson(&w[0], &w[1]).is_ge() {
            return Err(QueryError::location(
                40194,
                "The 'boundaries' option to $bucket must be sorted in ascending order",
            ));
        }
    }
    Ok(out)
}

impl Stage for Bucket {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut members: Vec<Vec<Document>> = vec![Vec::new(); self.groups.len()];
        for d in docs {
            let v = self.group_by.eval_doc(&d, cx.env)?.unwrap_or(Bson::Null);
            let idx = self.boundaries.windows(2).position(|w| {
                canonical_type_rank(&v) == canonical_type_rank(&w[0])
                    && compare_bson(&v, &w[0]).is_ge()
                    && compare_bson(&v, &w[1]).is_lt()
            });
            match (idx, &self.default) {
                (Some(i), _) => members[i].push(d),
                (None, Some(_)) => members[self.groups.len() - 1].push(d),
                (None, None) => {
                    return Err(QueryError::location(
                        40066,
                        "$switch could not find a matching branch for an input, and no default \
                         was specified.",
                    ));
                }
            }
        }
        let mut out = Vec::new();
        for (g, docs) in self.groups.iter().zip(members) {
            if !docs.is_empty() {
                out.extend(g.run(docs.into_iter(), cx.env)?);
            }
        }
        // mongod sorts the groups by _id: a default below the lowest
        // boundary comes first.
        let id = |d: &Document| d.get("_id").cloned().unwrap_or(Bson::Null);
        out.sort_by(|a, b| compare_bson(&id(a), &id(b)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{bson, doc};

    #[test]
    fn buckets_with_default_and_errors() {
        let docs = || vec![doc! {"p": 5}, doc! {"p": 150}, doc! {"p": 500}, doc! {}];
        assert_eq!(
            run(
                docs(),
                bson!([{"$bucket": {"groupBy": "$p", "boundaries": [0, 100, 200], "default": "Other"}}])
            ),
            Ok(vec![
                doc! {"_id": 0, "count": 1},
                doc! {"_id": 100, "count": 1},
                doc! {"_id": "Other", "count": 2},
            ])
        );
        assert_eq!(
            run(
                docs(),
                bson!([{"$bucket": {"groupBy": "$p", "boundaries": [0, 100]}}])
            ),
            Err(40066)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$bucket": {"groupBy": "$p", "boundaries": [1, 0]}}])
            ),
            Err(40194)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$bucket": {"groupBy": "$p", "boundaries": [0, "a"]}}])
            ),
            Err(40193)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$bucket": {"groupBy": "$p", "boundaries": [0, 10], "default": 5}}])
            ),
            Err(40199)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$bucket": {"groupBy": "p", "boundaries": [0, 10]}}])
            ),
            Err(40202)
        );
    }
}
