//! Aggregation pipelines: a list of stages parsed once, then run over
//! documents. Every entry point (the wire server's `aggregate`, change
//! streams, `$merge`'s `whenMatched` pipelines, the CLI's `data aggregate`)
//! runs pipelines through here, with the one expression language
//! (`query::expr`) and the one accumulator implementation
//! (`query::accumulator`).
//!
//! Stages that write (`$out`, `$merge`) or read server state
//! (`$changeStream`, `$collStats`, `$listLocalSessions`...) belong to the
//! caller, which splits them off before calling [`Pipeline::parse`]; a
//! stage reading another collection (`$lookup`, `$unionWith`,
//! `$graphLookup`) asks the caller's [`Source`].

use super::stages;
use crate::query::error::QueryError;
use crate::query::expr::{self, Env};
use crate::query::filter::Collation;
use bson::{Bson, Document};
use std::fmt;

/// Where stages that read other collections find them.
pub trait Source: Send + Sync {
    /// Every document of collection (or view) `coll` of the pipeline's
    /// database, in natural order; empty when it does not exist.
    fn documents(&self, coll: &str) -> Result<Vec<Document>, QueryError>;
}

/// A database with no collections: for pipelines over given documents.
pub struct NoCollections;

impl Source for NoCollections {
    fn documents(&self, _coll: &str) -> Result<Vec<Document>, QueryError> {
        Ok(Vec::new())
    }
}

/// What parsing a pipeline knows: the command's `let` variables (their
/// values bind `$$name` in `$match`'s `$expr`; their names are in scope for
/// every expression) and its collation.
#[derive(Clone)]
pub struct ParseCtx<'a> {
    pub env: &'a Env,
    pub collation: Option<Collation>,
}

impl ParseCtx<'_> {
    /// The expression parse context with the `let` variables in scope.
    pub fn expr(&self) -> expr::ParseCtx {
        self.env.parse_ctx()
    }
}

/// What running a pipeline needs.
#[derive(Clone, Copy)]
pub struct RunCtx<'a> {
    pub env: &'a Env,
    pub collation: Option<Collation>,
    pub source: &'a dyn Source,
}

impl<'a> RunCtx<'a> {
    /// The parse context of a sub-pipeline run with `env`.
    pub fn parse_ctx<'b>(&self, env: &'b Env) -> ParseCtx<'b> {
        ParseCtx {
            env,
            collation: self.collation,
        }
    }
}

/// Documents flowing between stages, one at a time.
pub type DocStream<'a> = Box<dyn Iterator<Item = Result<Document, QueryError>> + 'a>;

/// One parsed stage.
pub trait Stage: fmt::Debug + Send + Sync {
    /// Runs the stage over its input documents.
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError>;

    /// Runs the stage over a stream. Stages that look at one document at
    /// a time (`$match`, `$project`, `$limit`...) pass it on lazily, and
    /// `$group` and a top-k `$sort` consume it keeping only their state,
    /// so a pipeline over a scan holds what its stages need, not the
    /// collection. Other stages gather their input and [`Stage::run`].
    fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        gathered(input, |docs| self.run(docs, cx))
    }
}

/// The output of `f` over all of `input`, as a stream.
pub fn gathered<'a>(
    input: DocStream<'a>,
    f: impl FnOnce(Vec<Document>) -> Result<Vec<Document>, QueryError>,
) -> DocStream<'a> {
    match input.collect::<Result<Vec<_>, _>>().and_then(f) {
        Ok(docs) => Box::new(docs.into_iter().map(Ok)),
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

/// A parsed pipeline.
#[derive(Debug)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// Parses every stage (so a bad stage is an error even over no
    /// documents, as in mongod).
    pub fn parse(stages: &[Bson], pc: &ParseCtx<'_>) -> Result<Pipeline, QueryError> {
        let mut parsed: Vec<Box<dyn Stage>> = Vec::with_capacity(stages.len());
        for (i, s) in stages.iter().enumerate() {
            let (name, arg) = stage_of(s)?;
            let next = stages.get(i + 1).and_then(|s| stage_of(s).ok());
            // `$sort` then `$limit` sorts keeping only the first documents.
            if name == "$sort"
                && let Some(("$limit", n)) = next
                && let Ok(limit) = stages::basic::Limit::parse(n)
            {
                parsed.push(Box::new(
                    stages::basic::Sort::parse(arg)?.with_limit(&limit),
                ));
                continue;
            }
            parsed.push(parse_stage(name, arg, pc)?);
        }
        Ok(Pipeline { stages: parsed })
    }

    /// Runs the pipeline over `docs`.
    pub fn run(
        &self,
        mut docs: Vec<Document>,
        cx: &RunCtx<'_>,
    ) -> Result<Vec<Document>, QueryError> {
        for s in &self.stages {
            docs = s.run(docs, cx)?;
        }
        Ok(docs)
    }

    /// Runs the pipeline over a stream of documents (a collection scan),
    /// stage by stage as [`Stage::stream`] allows.
    pub fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        let mut docs = input;
        for s in &self.stages {
            docs = s.stream(docs, cx);
        }
        docs
    }

    /// The pipeline without its first stage (which the caller ran, as
    /// the planner runs a leading `$match`).
    pub fn without_first(mut self) -> Pipeline {
        if !self.stages.is_empty() {
            self.stages.remove(0);
        }
        self
    }

    /// The first stage alone, and the rest.
    pub fn split_first(mut self) -> (Pipeline, Pipeline) {
        let rest = if self.stages.is_empty() {
            Vec::new()
        } else {
            self.stages.split_off(1)
        };
        (self, Pipeline { stages: rest })
    }

    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }
}

/// A stage's name and argument: `{$name: arg}`.
pub fn stage_of(stage: &Bson) -> Result<(&str, &Bson), QueryError> {
    let Bson::Document(stage) = stage else {
        return Err(QueryError::type_mismatch(
            "Each element of the 'pipeline' array must be an object",
        ));
    };
    let mut it = stage.iter();
    match (it.next(), it.next()) {
        (Some((name, arg)), None) => Ok((name.as_str(), arg)),
        _ => Err(QueryError::location(
            40323,
            "A pipeline stage specification object must contain exactly one field.",
        )),
    }
}

/// Stages a caller (the wire server) runs itself, or that this layer does
/// not have: they are errors here rather than "unrecognized".
const CALLER_STAGES: &[&str] = &[
    "$out",
    "$merge",
    "$changeStream",
    "$collStats",
    "$indexStats",
    "$listLocalSessions",
    "$listSessions",
    "$currentOp",
    "$planCacheStats",
];

fn parse_stage(name: &str, arg: &Bson, pc: &ParseCtx<'_>) -> Result<Box<dyn Stage>, QueryError> {
    use stages::*;
    Ok(match name {
        "$match" => Box::new(basic::Match::parse(arg, pc)?),
        "$sort" => Box::new(basic::Sort::parse(arg)?),
        "$skip" => Box::new(basic::Skip::parse(arg)?),
        "$limit" => Box::new(basic::Limit::parse(arg)?),
        "$count" => Box::new(basic::Count::parse(arg)?),
        "$sample" => Box::new(basic::Sample::parse(arg)?),
        "$documents" => Box::new(basic::Documents::parse(arg, pc)?),
        "$project" => Box::new(shape::Project::parse(arg, pc)?),
        "$addFields" | "$set" => Box::new(shape::AddFields::parse(name, arg, pc)?),
        "$unset" => Box::new(shape::Project::parse_unset(arg, pc)?),
        "$replaceRoot" | "$replaceWith" => Box::new(shape::ReplaceRoot::parse(name, arg, pc)?),
        "$group" => Box::new(group::GroupStage::parse(arg, pc)?),
        "$sortByCount" => Box::new(group::SortByCount::parse(arg, pc)?),
        "$bucket" => Box::new(bucket::Bucket::parse(arg, pc)?),
        "$bucketAuto" => Box::new(bucket_auto::BucketAuto::parse(arg, pc)?),
        "$redact" => Box::new(redact::Redact::parse(arg, pc)?),
        "$graphLookup" => Box::new(graph_lookup::GraphLookup::parse(arg, pc)?),
        "$densify" => Box::new(densify::Densify::parse(arg, pc)?),
        "$fill" => Box::new(fill::Fill::parse(arg, pc)?),
        "$unwind" => Box::new(unwind::Unwind::parse(arg)?),
        "$facet" => Box::new(Facet::parse(arg, pc)?),
        "$lookup" => Box::new(lookup::Lookup::parse(arg, pc)?),
        "$unionWith" => Box::new(lookup::UnionWith::parse(arg, pc)?),
        "$setWindowFields" => Box::new(window::WindowStage::parse(arg, pc)?),
        n if CALLER_STAGES.contains(&n) => {
            return Err(QueryError::location(
                40602,
                format!("{n} is not allowed in this position of the pipeline"),
            ));
        }
        n => {
            return Err(QueryError::location(
                40324,
                format!("Unrecognized pipeline stage name: '{n}'"),
            ));
        }
    })
}

/// `$facet`: several sub-pipelines over the same input, one document of
/// their results.
#[derive(Debug)]
struct Facet {
    facets: Vec<(String, Pipeline)>,
}

/// Stages mongod refuses inside a `$facet` sub-pipeline (40600).
const NOT_IN_FACET: &[&str] = &[
    "$facet",
    "$out",
    "$merge",
    "$collStats",
    "$indexStats",
    "$changeStream",
    "$documents",
    "$geoNear",
    "$search",
];

impl Facet {
    fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Facet, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                15955,
                "the $facet specification must be a non-empty object",
            ));
        };
        if spec.is_empty() {
            return Err(QueryError::location(
                40169,
                "the $facet specification must be a non-empty object",
            ));
        }
        let mut facets = Vec::with_capacity(spec.len());
        for (name, sub) in spec {
            if name.starts_with('$') || name.contains('.') || name.is_empty() {
                return Err(QueryError::location(
                    40352,
                    format!("FieldPath field names may not start with '$' or contain '.': {name}"),
                ));
            }
            let Bson::Array(sub) = sub else {
                return Err(QueryError::location(
                    40170,
                    format!(
                        "arguments to $facet must be arrays, {name} is type {}",
                        crate::query::error::type_name(sub)
                    ),
                ));
            };
            for s in sub {
                let (stage, _) = stage_of(s)?;
                if NOT_IN_FACET.contains(&stage) {
                    return Err(QueryError::location(
                        40600,
                        format!("{stage} is not allowed to be used within a $facet stage"),
                    ));
                }
            }
            facets.push((name.clone(), Pipeline::parse(sub, pc)?));
        }
        Ok(Facet { facets })
    }
}

impl Stage for Facet {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut out = Document::new();
        for (name, p) in &self.facets {
            let r = p.run(docs.clone(), cx)?;
            out.insert(
                name.clone(),
                r.into_iter().map(Bson::Document).collect::<Vec<_>>(),
            );
        }
        Ok(vec![out])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bson::doc;

    /// Runs a pipeline (given as a BSON array) over documents.
    pub(crate) fn run(docs: Vec<Document>, pipeline: Bson) -> Result<Vec<Document>, i32> {
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
            source: &NoCollections,
        };
        p.run(docs, &cx).map_err(|e| e.code)
    }

    /// Runs a pipeline over an endless stream `{i: 0}, {i: 1}, ...`.
    fn stream_endless(pipeline: Bson) -> Vec<Document> {
        let env = Env::default();
        let Bson::Array(stages) = pipeline else {
            return Vec::new();
        };
        let pc = ParseCtx {
            env: &env,
            collation: None,
        };
        let p = Pipeline::parse(&stages, &pc).unwrap();
        let cx = RunCtx {
            env: &env,
            collation: None,
            source: &NoCollections,
        };
        let input = (0i64..).map(|i| Ok(doc! {"i": i}));
        p.stream(Box::new(input), &cx)
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn streams_stop_reading_when_a_limit_is_reached() {
        let out = stream_endless(bson::bson!([
            {"$match": {"$expr": {"$eq": [{"$mod": ["$i", 3]}, 0]}}},
            {"$set": {"j": {"$multiply": ["$i", 2]}}},
            {"$skip": 1},
            {"$limit": 3},
            {"$group": {"_id": null, "js": {"$push": "$j"}}},
            {"$project": {"_id": 0, "js": 1}},
        ]));
        assert_eq!(out, [doc! {"js": [6_i64, 12_i64, 18_i64]}]);
    }

    #[test]
    fn stages_compose() {
        let out = run(
            vec![
                doc! {"_id": 1, "a": 3},
                doc! {"_id": 2, "a": 1},
                doc! {"_id": 3, "a": 2},
            ],
            bson::bson!([
                {"$match": {"a": {"$gte": 2}}},
                {"$sort": {"a": 1}},
                {"$project": {"_id": 0, "twice": {"$multiply": ["$a", 2]}}},
            ]),
        );
        assert_eq!(out, Ok(vec![doc! {"twice": 4}, doc! {"twice": 6}]));
    }

    #[test]
    fn bad_stages_fail_over_no_documents() {
        assert_eq!(run(vec![], bson::bson!([{"$nope": 1}])), Err(40324));
        assert_eq!(
            run(vec![], bson::bson!([{"$match": 1, "$sort": 1}])),
            Err(40323)
        );
        assert_eq!(run(vec![], bson::bson!([5])), Err(14));
        assert_eq!(
            run(vec![], bson::bson!([{"$project": {"a": {"$nope": 1}}}])),
            Err(31325)
        );
        assert_eq!(
            run(vec![], bson::bson!([{"$set": {"a": {"$nope": 1}}}])),
            Err(168)
        );
    }

    #[test]
    fn facet_runs_each_sub_pipeline() {
        let out = run(
            vec![doc! {"a": 1}, doc! {"a": 2}],
            bson::bson!([{"$facet": {"n": [{"$count": "n"}], "big": [{"$match": {"a": 2}}]}}]),
        );
        assert_eq!(out, Ok(vec![doc! {"n": [{"n": 2}], "big": [{"a": 2}]}]));
        assert_eq!(
            run(vec![], bson::bson!([{"$facet": {"x": [{"$facet": {}}]}}])),
            Err(40600)
        );
    }
}
