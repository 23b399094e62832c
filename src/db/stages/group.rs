//! `$group`: documents into groups by an `_id` expression, with
//! accumulators ([`crate::query::accumulator`]) per group.
//!
//! Groups come out in the order their keys were first seen. Keys are
//! compared by their order-preserving encoding, so `1`, `1.0` and
//! `NumberLong(1)` are one group (the first-seen value is the `_id`), as in
//! mongod.

use crate::db::pipeline::{DocStream, ParseCtx as PipelineParseCtx, RunCtx, Stage};
use crate::engine::keys::{compare_bson, encode_key};
use crate::query::accumulator::{AccumulatorSpec, State};
use crate::query::error::QueryError;
use crate::query::expr::{Ctx, Env, Expr, ParseCtx};
use bson::{Bson, Document};
use std::collections::HashMap;

/// A parsed `$group` specification.
#[derive(Debug)]
pub struct Group {
    id: Expr,
    fields: Vec<(String, AccumulatorSpec)>,
}

impl Group {
    /// Parses `{_id: <expr>, <field>: {<accumulator>: <arg>}, ...}`.
    pub fn parse(spec: &Document, pc: &mut ParseCtx) -> Result<Group, QueryError> {
        let mut id = None;
        let mut fields = Vec::new();
        for (field, v) in spec {
            if field == "_id" {
                id = Some(Expr::parse(v, pc)?);
                continue;
            }
            if field.starts_with('$') {
                return Err(QueryError::location(
                    40236,
                    format!("The field name '{field}' cannot be an operator name"),
                ));
            }
            if field.contains('.') {
                return Err(QueryError::location(
                    40235,
                    format!("The field name '{field}' cannot contain '.'"),
                ));
            }
            let Bson::Document(acc) = v else {
                return Err(QueryError::location(
                    40234,
                    format!("The field '{field}' must be an accumulator object"),
                ));
            };
            let mut it = acc.iter();
            let (Some((op, arg)), None) = (it.next(), it.next()) else {
                return Err(QueryError::location(
                    40238,
                    format!("The field '{field}' must specify one accumulator"),
                ));
            };
            if !op.starts_with('$') {
                return Err(QueryError::location(
                    15952,
                    format!("unknown group operator '{op}'"),
                ));
            }
            fields.push((field.clone(), AccumulatorSpec::parse(op, arg, pc)?));
        }
        let id = id.ok_or_else(|| {
            QueryError::location(15955, "a group specification must include an _id")
        })?;
        Ok(Group { id, fields })
    }

    /// Groups `docs`.
    pub fn run(
        &self,
        docs: impl Iterator<Item = Document>,
        env: &Env,
    ) -> Result<Vec<Document>, QueryError> {
        self.run_fallible(docs.map(Ok::<_, QueryError>), env)
    }

    /// Groups a stream of documents that may fail to load; memory grows
    /// with the number of groups, not of documents.
    pub fn run_fallible<E: From<QueryError>>(
        &self,
        docs: impl Iterator<Item = Result<Document, E>>,
        env: &Env,
    ) -> Result<Vec<Document>, E> {
        let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut groups: Vec<(Bson, Vec<State>)> = Vec::new();
        for d in docs {
            let d = d?;
            let mut cx = Ctx::new(&d, env);
            let key = self.id.eval(&mut cx)?.unwrap_or(Bson::Null);
            let enc = encode_key(&key);
            let gi = match index.get(&enc) {
                Some(i) => *i,
                None => {
                    let states = self
                        .fields
                        .iter()
                        .map(|(_, a)| a.new_state(&mut cx))
                        .collect::<Result<Vec<_>, _>>()?;
                    groups.push((key, states));
                    index.insert(enc, groups.len() - 1);
                    groups.len() - 1
                }
            };
            for (ai, (_, acc)) in self.fields.iter().enumerate() {
                let v = acc.input(&mut cx)?;
                groups[gi].1[ai].add(v)?;
            }
        }
        // A group over no documents with a constant `_id` still yields
        // nothing (mongod returns no groups for an empty input).
        Ok(groups
            .into_iter()
            .map(|(key, states)| {
                let mut g = Document::new();
                g.insert("_id", key);
                for ((field, _), st) in self.fields.iter().zip(states) {
                    g.insert(field.clone(), st.finish());
                }
                g
            })
            .collect())
    }
}

/// The `$group` stage.
#[derive(Debug)]
pub struct GroupStage(Group);

impl GroupStage {
    pub fn parse(arg: &Bson, pc: &PipelineParseCtx<'_>) -> Result<GroupStage, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                15947,
                "a group's fields must be specified in an object",
            ));
        };
        Ok(GroupStage(Group::parse(spec, &mut pc.expr())?))
    }
}

impl Stage for GroupStage {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        self.0.run(docs.into_iter(), cx.env)
    }

    /// Memory grows with the number of groups, not of input documents.
    fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        match self.0.run_fallible(input, cx.env) {
            Ok(docs) => Box::new(docs.into_iter().map(Ok)),
            Err(e) => Box::new(std::iter::once(Err(e))),
        }
    }
}

/// `$sortByCount: <expr>`: `$group` by the expression with `count: {$sum:
/// 1}`, then `$sort: {count: -1}`.
#[derive(Debug)]
pub struct SortByCount(Group);

impl SortByCount {
    pub fn parse(arg: &Bson, pc: &PipelineParseCtx<'_>) -> Result<SortByCount, QueryError> {
        match arg {
            Bson::String(s) if s.starts_with('$') => {}
            Bson::Document(d) if d.len() == 1 && d.keys().all(|k| k.starts_with('$')) => {}
            Bson::Document(_) => {
                return Err(QueryError::location(
                    40147,
                    "the sortByCount field must be defined as a $-prefixed path or an expression",
                ));
            }
            _ => {
                return Err(QueryError::location(
                    40148,
                    "the sortByCount field must be specified as a string or as an object",
                ));
            }
        }
        let spec = bson::doc! { "_id": arg.clone(), "count": { "$sum": 1 } };
        Ok(SortByCount(Group::parse(&spec, &mut pc.expr())?))
    }
}

impl Stage for SortByCount {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut out = self.0.run(docs.into_iter(), cx.env)?;
        let count = |d: &Document| d.get("count").cloned().unwrap_or(Bson::Null);
        out.sort_by(|a, b| compare_bson(&count(b), &count(a)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    fn group(spec: Document, docs: Vec<Document>) -> Result<Vec<Document>, i32> {
        let env = Env::default();
        let g = Group::parse(&spec, &mut env.parse_ctx()).map_err(|e| e.code)?;
        g.run(docs.into_iter(), &env).map_err(|e| e.code)
    }

    #[test]
    fn numeric_keys_are_one_group() {
        let out = group(
            doc! {"_id": "$k", "n": {"$count": {}}, "s": {"$sum": "$v"}},
            vec![
                doc! {"k": 1, "v": 1},
                doc! {"k": 1.0, "v": 2},
                doc! {"k": bson::Bson::Int64(1), "v": 3},
                doc! {"k": "a", "v": 4},
            ],
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": 1, "n": 3, "s": 6},
                doc! {"_id": "a", "n": 1, "s": 4},
            ])
        );
    }

    #[test]
    fn object_ids_and_errors() {
        let out = group(
            doc! {"_id": {"a": "$a"}, "p": {"$push": "$v"}},
            vec![doc! {"a": 1, "v": 1}, doc! {"a": 1}],
        );
        assert_eq!(out, Ok(vec![doc! {"_id": {"a": 1}, "p": [1]}]));
        assert_eq!(group(doc! {"x": {"$sum": 1}}, vec![]), Err(15955));
        assert_eq!(group(doc! {"_id": null, "x": 1}, vec![]), Err(40234));
        assert_eq!(
            group(doc! {"_id": null, "x": {"$sum": 1, "$avg": 1}}, vec![]),
            Err(40238)
        );
        assert_eq!(
            group(doc! {"_id": null, "x": {"$nope": 1}}, vec![]),
            Err(15952)
        );
    }

    #[test]
    fn manual_sum_group() {
        // The manual's $sum example: totals and counts per day.
        let out = group(
            doc! {"_id": "$item", "total": {"$sum": {"$multiply": ["$price", "$q"]}}, "count": {"$sum": 1}},
            vec![
                doc! {"item": "abc", "price": 10, "q": 2},
                doc! {"item": "jkl", "price": 20, "q": 1},
                doc! {"item": "abc", "price": 10, "q": 10},
            ],
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": "abc", "total": 120, "count": 2},
                doc! {"_id": "jkl", "total": 20, "count": 1},
            ])
        );
    }
}
