//! The stages that read another collection of the database through the
//! pipeline's [`Source`](crate::db::pipeline::Source): `$lookup` and
//! `$unionWith`.

use crate::db::pipeline::{ParseCtx, Pipeline, RunCtx, Stage, stage_of};
use crate::engine::catalog::values_at_path;
use crate::engine::keys::compare_bson;
use crate::query::error::{QueryError, type_name};
use crate::query::expr::{Env, Expr};
use bson::{Bson, Document};

/// Stages a sub-pipeline of `$lookup`/`$unionWith` may not hold.
const NOT_IN_SUB_PIPELINE: &[&str] = &["$out", "$merge", "$changeStream"];

fn check_sub_pipeline(stages: &[Bson], stage: &str) -> Result<(), QueryError> {
    for s in stages {
        let (name, _) = stage_of(s)?;
        if NOT_IN_SUB_PIPELINE.contains(&name) {
            return Err(QueryError::location(
                51047,
                format!("{name} is not allowed within a {stage}'s sub-pipeline"),
            ));
        }
    }
    Ok(())
}

fn starts_with_documents(stages: &[Bson]) -> bool {
    stages
        .first()
        .and_then(|s| stage_of(s).ok())
        .is_some_and(|(n, _)| n == "$documents")
}

fn pipeline_array<'a>(v: &'a Bson, stage: &str) -> Result<&'a [Bson], QueryError> {
    match v {
        Bson::Array(a) => Ok(a),
        other => Err(QueryError::failed_to_parse(format!(
            "{stage} 'pipeline' must be an array, but found type: {}",
            type_name(other)
        ))),
    }
}

/// `$lookup`: the equality form (`localField`/`foreignField`), the
/// pipeline form (`let` + `pipeline`), or both.
#[derive(Debug)]
pub struct Lookup {
    from: Option<String>,
    as_field: Vec<String>,
    equality: Option<(String, String)>,
    lets: Vec<(String, Expr)>,
    /// The sub-pipeline as given: it is parsed again for every input
    /// document, with that document's `let` values bound.
    pipeline: Option<Vec<Bson>>,
}

impl Lookup {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Lookup, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::failed_to_parse(format!(
                "the $lookup stage specification must be an object, but found {}",
                type_name(arg)
            )));
        };
        let (mut from, mut as_field, mut local, mut foreign, mut lets, mut pipeline) =
            (None, None, None, None, Vec::new(), None);
        let string = |k: &str, v: &Bson| match v {
            Bson::String(s) => Ok(s.clone()),
            other => Err(QueryError::failed_to_parse(format!(
                "$lookup argument '{k}: {other}' must be a string, is type {}",
                type_name(other)
            ))),
        };
        for (k, v) in spec {
            match k.as_str() {
                "from" => from = Some(string(k, v)?),
                "as" => as_field = Some(string(k, v)?),
                "localField" => local = Some(string(k, v)?),
                "foreignField" => foreign = Some(string(k, v)?),
                "let" => {
                    let Bson::Document(l) = v else {
                        return Err(QueryError::failed_to_parse(format!(
                            "$lookup argument 'let' must be an object, is type {}",
                            type_name(v)
                        )));
                    };
                    for (name, e) in l {
                        lets.push((name.clone(), Expr::parse(e, &mut pc.expr())?));
                    }
                }
                "pipeline" => {
                    let stages = pipeline_array(v, "$lookup")?;
                    check_sub_pipeline(stages, "$lookup")?;
                    pipeline = Some(stages.to_vec());
                }
                other => {
                    return Err(QueryError::failed_to_parse(format!(
                        "unknown argument to $lookup: {other}"
                    )));
                }
            }
        }
        let as_field = as_field
            .ok_or_else(|| QueryError::failed_to_parse("must specify 'as' field for a $lookup"))?;
        let equality = match (local, foreign) {
            (Some(l), Some(f)) => Some((l, f)),
            (None, None) => None,
            _ => {
                return Err(QueryError::failed_to_parse(
                    "$lookup requires both or neither of 'localField' and 'foreignField' to be \
                     specified",
                ));
            }
        };
        if equality.is_none() && pipeline.is_none() {
            return Err(QueryError::failed_to_parse(
                "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to \
                 be specified",
            ));
        }
        if from.is_none() && !pipeline.as_deref().is_some_and(starts_with_documents) {
            return Err(QueryError::failed_to_parse(
                "must specify 'from' field for a $lookup (or a pipeline starting with \
                 $documents)",
            ));
        }
        let lookup = Lookup {
            from,
            as_field: crate::query::expr::path::parse(&as_field)?,
            equality,
            lets,
            pipeline,
        };
        // Parse the sub-pipeline once now, so a bad one is an error even
        // over no documents.
        if let Some(p) = &lookup.pipeline {
            let mut env = pc.env.clone();
            for (name, _) in &lookup.lets {
                env.vars.insert(name.clone(), Bson::Null);
            }
            Pipeline::parse(
                p,
                &ParseCtx {
                    env: &env,
                    ..pc.clone()
                },
            )?;
        }
        Ok(lookup)
    }
}

/// The values a document has at a path for `$lookup` equality: every
/// element of arrays on the way; none is `null` (so missing matches null
/// and missing).
fn join_keys(d: &Document, path: &str) -> Vec<Bson> {
    let mut keys = values_at_path(d, path);
    if keys.is_empty() {
        keys.push(Bson::Null);
    }
    keys
}

impl Stage for Lookup {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let foreign = match &self.from {
            Some(c) => cx.source.documents(c)?,
            None => Vec::new(),
        };
        // With both forms and a sub-pipeline that starts with `$documents`
        // (no `from`), the equality applies to what `$documents` makes,
        // before the rest of the sub-pipeline (the manual's $documents
        // page, "Use a $documents Stage in a $lookup Stage").
        let documents_first = self.from.is_none() && self.equality.is_some();
        // The pipeline form without let variables is the same for every
        // document: parse it once.
        let fixed = match &self.pipeline {
            Some(p) if self.lets.is_empty() => Some(Pipeline::parse(p, &cx.parse_ctx(cx.env))?),
            _ => None,
        };
        let fixed = fixed.map(|p| {
            if documents_first {
                let (first, rest) = p.split_first();
                (Some(first), rest)
            } else {
                (None, p)
            }
        });
        let mut out = Vec::with_capacity(docs.len());
        for mut d in docs {
            let mut env: Env = cx.env.clone();
            let per_doc = match (&fixed, &self.pipeline) {
                (None, Some(p)) => {
                    for (name, e) in &self.lets {
                        let v = e.eval_doc(&d, cx.env)?.unwrap_or(Bson::Null);
                        env.vars.insert(name.clone(), v);
                    }
                    let sub = Pipeline::parse(p, &cx.parse_ctx(&env))?;
                    Some(if documents_first {
                        let (first, rest) = sub.split_first();
                        (Some(first), rest)
                    } else {
                        (None, sub)
                    })
                }
                _ => None,
            };
            let sub_cx = RunCtx { env: &env, ..*cx };
            let sub = fixed.as_ref().or(per_doc.as_ref());
            let candidates = match sub {
                Some((Some(first), _)) => first.run(Vec::new(), &sub_cx)?,
                _ => foreign.clone(),
            };
            let mut matched: Vec<Document> = match &self.equality {
                Some((local, foreign_field)) => {
                    let keys = join_keys(&d, local);
                    candidates
                        .into_iter()
                        .filter(|fd| {
                            join_keys(fd, foreign_field)
                                .iter()
                                .any(|t| keys.iter().any(|k| compare_bson(t, k).is_eq()))
                        })
                        .collect()
                }
                None => candidates,
            };
            if let Some((_, rest)) = sub {
                matched = rest.run(matched, &sub_cx)?;
            }
            let arr = matched.into_iter().map(Bson::Document).collect::<Vec<_>>();
            crate::query::expr::path::set(&mut d, &self.as_field, Some(Bson::Array(arr)));
            out.push(d);
        }
        Ok(out)
    }
}

/// `$unionWith`: the input, then the documents of another collection
/// (through an optional pipeline).
#[derive(Debug)]
pub struct UnionWith {
    coll: Option<String>,
    pipeline: Pipeline,
}

impl UnionWith {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<UnionWith, QueryError> {
        let (coll, stages): (Option<String>, &[Bson]) = match arg {
            Bson::String(c) => (Some(c.clone()), &[]),
            Bson::Document(spec) => {
                let (mut coll, mut stages): (Option<String>, &[Bson]) = (None, &[]);
                for (k, v) in spec {
                    match (k.as_str(), v) {
                        ("coll", Bson::String(c)) => coll = Some(c.clone()),
                        ("coll", other) => {
                            return Err(QueryError::type_mismatch(format!(
                                "BSON field '$unionWith.coll' is the wrong type '{}', expected \
                                 type 'string'",
                                type_name(other)
                            )));
                        }
                        ("pipeline", v) => stages = pipeline_array(v, "$unionWith")?,
                        (other, _) => {
                            return Err(QueryError::location(
                                40415,
                                format!("BSON field '$unionWith.{other}' is an unknown field."),
                            ));
                        }
                    }
                }
                (coll, stages)
            }
            other => {
                return Err(QueryError::failed_to_parse(format!(
                    "the $unionWith stage specification must be an object or string, but found {}",
                    type_name(other)
                )));
            }
        };
        if coll.is_none() && !starts_with_documents(stages) {
            return Err(QueryError::failed_to_parse(
                "$unionWith stage without explicit collection must have a pipeline with \
                 $documents as first stage",
            ));
        }
        check_sub_pipeline(stages, "$unionWith")?;
        Ok(UnionWith {
            coll,
            pipeline: Pipeline::parse(stages, pc)?,
        })
    }
}

impl Stage for UnionWith {
    fn run(&self, mut docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let theirs = match &self.coll {
            Some(c) => cx.source.documents(c)?,
            None => Vec::new(),
        };
        docs.extend(self.pipeline.run(theirs, cx)?);
        Ok(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pipeline::Source;
    use bson::{bson, doc};

    struct Colls;

    impl Source for Colls {
        fn documents(&self, coll: &str) -> Result<Vec<Document>, QueryError> {
            Ok(match coll {
                "w" => vec![
                    doc! {"_id": 1, "item": "a", "qty": 5},
                    doc! {"_id": 2, "item": "b", "qty": 1},
                    doc! {"_id": 3, "item": "a", "qty": 1},
                ],
                _ => vec![],
            })
        }
    }

    fn run(docs: Vec<Document>, pipeline: Bson) -> Result<Vec<Document>, i32> {
        let env = Env::default();
        let Bson::Array(stages) = pipeline else {
            return Err(-1);
        };
        let pc = ParseCtx {
            env: &env,
            collation: None,
        };
        let p = Pipeline::parse(&stages, &pc).map_err(|e| e.code)?;
        let cx = RunCtx {
            env: &env,
            collation: None,
            source: &Colls,
        };
        p.run(docs, &cx).map_err(|e| e.code)
    }

    #[test]
    fn equality_and_let_pipeline() {
        assert_eq!(
            run(
                vec![doc! {"_id": 1, "i": "a"}],
                bson!([{"$lookup": {"from": "w", "localField": "i", "foreignField": "item", "as": "m"}},
                       {"$project": {"n": {"$size": "$m"}}}])
            ),
            Ok(vec![doc! {"_id": 1, "n": 2}])
        );
        assert_eq!(
            run(
                vec![doc! {"_id": 1, "i": "a", "q": 2}],
                bson!([{"$lookup": {"from": "w", "let": {"it": "$i", "q": "$q"}, "pipeline": [
                    {"$match": {"$expr": {"$and": [{"$eq": ["$item", "$$it"]}, {"$gte": ["$qty", "$$q"]}]}}},
                    {"$project": {"_id": 1}}], "as": "m"}}])
            ),
            Ok(vec![doc! {"_id": 1, "i": "a", "q": 2, "m": [{"_id": 1}]}])
        );
        assert_eq!(
            run(vec![], bson!([{"$lookup": {"from": "w", "as": "m"}}])),
            Err(9)
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$lookup": {"from": "w", "pipeline": [{"$out": "x"}], "as": "m"}}])
            ),
            Err(51047)
        );
    }

    #[test]
    fn union_with_collection_and_documents() {
        assert_eq!(
            run(
                vec![doc! {"_id": 0}],
                bson!([{"$unionWith": {"coll": "w", "pipeline": [{"$match": {"item": "b"}}, {"$project": {"_id": 1}}]}}])
            ),
            Ok(vec![doc! {"_id": 0}, doc! {"_id": 2}])
        );
        assert_eq!(
            run(
                vec![],
                bson!([{"$unionWith": {"pipeline": [{"$documents": [{"x": 1}]}]}}])
            ),
            Ok(vec![doc! {"x": 1}])
        );
        assert_eq!(
            run(vec![], bson!([{"$unionWith": {"pipeline": []}}])),
            Err(9)
        );
    }
}
