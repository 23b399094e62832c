//! `$graphLookup`: a recursive search of another collection (through the
//! pipeline's [`Source`](crate::db::pipeline::Source)), breadth first from
//! the `startWith` values, following `connectFromField` to
//! `connectToField`.
//!
//! As in mongod: each round matches foreign documents whose
//! `connectToField` equals (as `$in` does: array elements, null matching
//! missing) any value of the frontier and that pass
//! `restrictSearchWithMatch`; a document is taken once (by `_id`) at the
//! depth it is first reached (rounds count from 0, `maxDepth` bounds
//! them); its `connectFromField` values (each element of an array) form
//! the next frontier. A missing `startWith` finds nothing.

use crate::db::pipeline::{ParseCtx, RunCtx, Stage};
use crate::engine::catalog::values_at_path;
use crate::engine::keys::encode_key;
use crate::query::error::{QueryError, type_name};
use crate::query::expr::{self, Expr};
use crate::query::filter::Filter;
use bson::{Bson, Document};
use std::collections::{HashMap, HashSet};

#[derive(Debug)]
pub struct GraphLookup {
    from: String,
    start_with: Expr,
    connect_from: String,
    connect_to: String,
    as_field: Vec<String>,
    max_depth: Option<i64>,
    depth_field: Option<Vec<String>>,
    restrict: Option<Filter>,
}

fn failed(code: i32, msg: impl Into<String>) -> QueryError {
    QueryError::location(code, msg)
}

/// A field path option: a string, not `$`-prefixed.
fn field_path(name: &str, v: &Bson) -> Result<String, QueryError> {
    let Bson::String(s) = v else {
        return Err(failed(
            40103,
            format!(
                "expected string as argument for {name}, found: {}",
                type_name(v)
            ),
        ));
    };
    expr::path::parse(s)?;
    if s.starts_with('$') {
        return Err(failed(
            16410,
            format!(
                "FieldPath field names may not start with '$'. Consider using $getField or $setField. ({s})"
            ),
        ));
    }
    Ok(s.clone())
}

impl GraphLookup {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<GraphLookup, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::failed_to_parse(format!(
                "the $graphLookup stage specification must be an object, but found {}",
                type_name(arg)
            )));
        };
        let mut from = None;
        let mut start_with = None;
        let (mut connect_from, mut connect_to, mut as_field) = (None, None, None);
        let (mut max_depth, mut depth_field, mut restrict) = (None, None, None);
        for (k, v) in spec {
            match k.as_str() {
                "from" => match v {
                    Bson::String(s) => from = Some(s.clone()),
                    other => {
                        return Err(failed(
                            40103,
                            format!(
                                "expected string as argument for from, found: {}",
                                type_name(other)
                            ),
                        ));
                    }
                },
                "startWith" => start_with = Some(Expr::parse(v, &mut pc.expr())?),
                "connectFromField" => connect_from = Some(field_path(k, v)?),
                "connectToField" => connect_to = Some(field_path(k, v)?),
                "as" => as_field = Some(expr::path::parse(&field_path(k, v)?)?),
                "depthField" => depth_field = Some(expr::path::parse(&field_path(k, v)?)?),
                "maxDepth" => max_depth = Some(parse_max_depth(v)?),
                "restrictSearchWithMatch" => {
                    let Bson::Document(f) = v else {
                        return Err(failed(
                            40185,
                            format!(
                                "restrictSearchWithMatch must be an object, found {}",
                                type_name(v)
                            ),
                        ));
                    };
                    restrict = Some(Filter::parse(f)?.with_collation(pc.collation));
                }
                other => {
                    return Err(failed(
                        40104,
                        format!("Unknown argument to $graphLookup: {other}"),
                    ));
                }
            }
        }
        let (Some(from), Some(start_with), Some(connect_from), Some(connect_to), Some(as_field)) =
            (from, start_with, connect_from, connect_to, as_field)
        else {
            return Err(failed(
                40105,
                "$graphLookup requires 'from', 'as', 'startWith', 'connectFromField', and \
                 'connectToField' to be specified.",
            ));
        };
        Ok(GraphLookup {
            from,
            start_with,
            connect_from,
            connect_to,
            as_field,
            max_depth,
            depth_field,
            restrict,
        })
    }
}

/// `maxDepth`: a non-negative whole number.
fn parse_max_depth(v: &Bson) -> Result<i64, QueryError> {
    let f = match v {
        Bson::Int32(n) => f64::from(*n),
        Bson::Int64(n) => *n as f64,
        Bson::Double(f) => *f,
        Bson::Decimal128(d) => {
            crate::query::numeric::dec_to_f64(&crate::query::numeric::from_bson(d))
        }
        other => {
            return Err(failed(
                40100,
                format!("maxDepth must be numeric, found type: {}", type_name(other)),
            ));
        }
    };
    if f < 0.0 {
        return Err(failed(
            40101,
            format!("maxDepth requires a nonnegative argument, found: {f}"),
        ));
    }
    if f.fract() != 0.0 || f >= 9.2e18 || f.is_nan() {
        return Err(failed(
            40102,
            format!("maxDepth could not be represented as a long long: {f}"),
        ));
    }
    Ok(f as i64)
}

/// The frontier values of one value: each element of an array, the value
/// otherwise.
fn spread(v: Bson, out: &mut Vec<Bson>) {
    match v {
        Bson::Array(items) => out.extend(items),
        other => out.push(other),
    }
}

/// The candidate documents by each value their `connectToField` matches
/// under `{connectToField: {$in: [value]}}`: every element of arrays on
/// the way, the whole array too (`$in: [[1, 2]]`), null for a missing
/// field. Keys are the order-preserving encoding, in which numbers of
/// different types but equal value are equal, as in mongod's comparison.
fn index_by_connect_to(candidates: &[&Document], path: &str) -> HashMap<Vec<u8>, Vec<usize>> {
    let parts: Vec<String> = path.split('.').map(String::from).collect();
    let mut index: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (i, fd) in candidates.iter().enumerate() {
        let mut values = values_at_path(fd, path);
        if let Some(whole @ Bson::Array(_)) = expr::path::get_doc(fd, &parts) {
            values.push(whole);
        }
        for v in values {
            let slot = index.entry(encode_key(&v)).or_default();
            if slot.last() != Some(&i) {
                slot.push(i);
            }
        }
    }
    index
}

impl Stage for GraphLookup {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let foreign = cx.source.documents(&self.from)?;
        let candidates: Vec<&Document> = foreign
            .iter()
            .filter(|d| self.restrict.as_ref().is_none_or(|f| f.matches(d)))
            .collect();
        let index = index_by_connect_to(&candidates, &self.connect_to);
        let mut out = Vec::with_capacity(docs.len());
        for mut d in docs {
            let mut frontier = Vec::new();
            if let Some(v) = self.start_with.eval_doc(&d, cx.env)? {
                spread(v, &mut frontier);
            }
            let mut seen: HashSet<Vec<u8>> = HashSet::new();
            let mut found: Vec<Bson> = Vec::new();
            let mut depth: i64 = 0;
            while !frontier.is_empty() && self.max_depth.is_none_or(|m| depth <= m) {
                let mut next = Vec::new();
                // The round's matches in natural order, each once.
                let mut hits: Vec<usize> = frontier
                    .iter()
                    .filter_map(|k| index.get(&encode_key(k)))
                    .flatten()
                    .copied()
                    .collect();
                hits.sort_unstable();
                hits.dedup();
                for fd in hits.into_iter().map(|i| candidates[i]) {
                    let id = fd.get("_id").cloned().unwrap_or(Bson::Null);
                    if !seen.insert(encode_key(&id)) {
                        continue;
                    }
                    let mut hit = fd.clone();
                    if let Some(df) = &self.depth_field {
                        expr::path::set(&mut hit, df, Some(Bson::Int64(depth)));
                    }
                    for v in values_at_path(fd, &self.connect_from) {
                        // values_at_path reports a missing field as null;
                        // mongod does not recurse on a missing value.
                        if v == Bson::Null && !has_path(fd, &self.connect_from) {
                            continue;
                        }
                        spread(v, &mut next);
                    }
                    found.push(Bson::Document(hit));
                }
                frontier = next;
                depth += 1;
            }
            expr::path::set(&mut d, &self.as_field, Some(Bson::Array(found)));
            out.push(d);
        }
        Ok(out)
    }
}

/// Whether some value exists at a dotted path (through arrays).
fn has_path(d: &Document, path: &str) -> bool {
    fn walk(v: &Bson, parts: &[&str]) -> bool {
        match (parts.split_first(), v) {
            (None, _) => true,
            (Some((p, rest)), Bson::Document(d)) => d.get(*p).is_some_and(|x| walk(x, rest)),
            (Some(_), Bson::Array(items)) => items.iter().any(|x| walk(x, parts)),
            _ => false,
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    match parts.split_first() {
        Some((p, rest)) => d.get(*p).is_some_and(|x| walk(x, rest)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pipeline::{Pipeline, Source};
    use crate::query::expr::Env;
    use bson::{bson, doc};

    struct Colls;

    fn employees() -> Vec<Document> {
        vec![
            doc! {"_id": 1, "name": "Dev"},
            doc! {"_id": 2, "name": "Eliot", "reportsTo": "Dev"},
            doc! {"_id": 3, "name": "Ron", "reportsTo": "Eliot"},
            doc! {"_id": 4, "name": "Andrew", "reportsTo": "Eliot"},
            doc! {"_id": 5, "name": "Asya", "reportsTo": "Ron"},
            doc! {"_id": 6, "name": "Dan", "reportsTo": "Andrew"},
        ]
    }

    fn airports() -> Vec<Document> {
        vec![
            doc! {"_id": 0, "airport": "JFK", "connects": ["BOS", "ORD"]},
            doc! {"_id": 1, "airport": "BOS", "connects": ["JFK", "PWM"]},
            doc! {"_id": 2, "airport": "ORD", "connects": ["JFK"]},
            doc! {"_id": 3, "airport": "PWM", "connects": ["BOS", "LHR"]},
            doc! {"_id": 4, "airport": "LHR", "connects": ["PWM"]},
        ]
    }

    fn people() -> Vec<Document> {
        vec![
            doc! {"_id": 1, "name": "Tanya Jordan", "friends": ["Shirley Soto", "Terry Hawkins", "Carole Hale"], "hobbies": ["tennis", "unicycling", "golf"]},
            doc! {"_id": 2, "name": "Carole Hale", "friends": ["Joseph Dennis", "Tanya Jordan", "Terry Hawkins"], "hobbies": ["archery", "golf", "woodworking"]},
            doc! {"_id": 3, "name": "Terry Hawkins", "friends": ["Tanya Jordan", "Carole Hale", "Angelo Ward"], "hobbies": ["knitting", "frisbee"]},
            doc! {"_id": 4, "name": "Joseph Dennis", "friends": ["Angelo Ward", "Carole Hale"], "hobbies": ["tennis", "golf", "topiary"]},
            doc! {"_id": 5, "name": "Angelo Ward", "friends": ["Terry Hawkins", "Shirley Soto", "Joseph Dennis"], "hobbies": ["travel", "ceramics", "golf"]},
            doc! {"_id": 6, "name": "Shirley Soto", "friends": ["Angelo Ward", "Tanya Jordan", "Carole Hale"], "hobbies": ["frisbee", "set theory"]},
        ]
    }

    impl Source for Colls {
        fn documents(&self, coll: &str) -> Result<Vec<Document>, QueryError> {
            Ok(match coll {
                "employees" => employees(),
                "airports" => airports(),
                "people" => people(),
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

    /// `as` sorted by `_id` (mongod leaves its order unspecified).
    fn sorted_as(pipeline_spec: Bson, docs: Vec<Document>, field: &str) -> Vec<Document> {
        run(
            docs,
            bson!([{"$graphLookup": pipeline_spec},
                   {"$addFields": {field: {"$sortArray": {"input": format!("${field}"), "sortBy": {"_id": 1}}}}}]),
        )
        .unwrap()
    }

    #[test]
    fn manual_single_collection() {
        let out = sorted_as(
            bson!({"from": "employees", "startWith": "$reportsTo", "connectFromField": "reportsTo",
                   "connectToField": "name", "as": "reportingHierarchy"}),
            employees(),
            "reportingHierarchy",
        );
        let names = |d: &Document| -> Vec<i32> {
            d.get_array("reportingHierarchy")
                .unwrap()
                .iter()
                .map(|x| x.as_document().unwrap().get_i32("_id").unwrap())
                .collect()
        };
        assert_eq!(
            out.iter().map(names).collect::<Vec<_>>(),
            vec![
                vec![],
                vec![1],
                vec![1, 2],
                vec![1, 2],
                vec![1, 2, 3],
                vec![1, 2, 4]
            ]
        );
        assert_eq!(
            out[2],
            doc! {"_id": 3, "name": "Ron", "reportsTo": "Eliot", "reportingHierarchy": [
            {"_id": 1, "name": "Dev"}, {"_id": 2, "name": "Eliot", "reportsTo": "Dev"}]}
        );
    }

    #[test]
    fn manual_multiple_collections_depth() {
        let out = sorted_as(
            bson!({"from": "airports", "startWith": "$nearestAirport", "connectFromField": "connects",
                   "connectToField": "airport", "maxDepth": 2, "depthField": "numConnections", "as": "destinations"}),
            vec![doc! {"_id": 1, "name": "Dev", "nearestAirport": "JFK"}],
            "destinations",
        );
        assert_eq!(
            out,
            vec![
                doc! {"_id": 1, "name": "Dev", "nearestAirport": "JFK", "destinations": [
                    {"_id": 0, "airport": "JFK", "connects": ["BOS", "ORD"], "numConnections": 0i64},
                    {"_id": 1, "airport": "BOS", "connects": ["JFK", "PWM"], "numConnections": 1i64},
                    {"_id": 2, "airport": "ORD", "connects": ["JFK"], "numConnections": 1i64},
                    {"_id": 3, "airport": "PWM", "connects": ["BOS", "LHR"], "numConnections": 2i64},
                ]}
            ]
        );
        // maxDepth 0: only the direct matches.
        let out = sorted_as(
            bson!({"from": "airports", "startWith": "$a", "connectFromField": "connects",
                   "connectToField": "airport", "maxDepth": 0, "as": "d"}),
            vec![doc! {"_id": 1, "a": ["BOS", "LHR"]}],
            "d",
        );
        assert_eq!(out[0].get_array("d").unwrap().len(), 2);
    }

    #[test]
    fn manual_restrict_search_with_match() {
        let out = run(
            vec![people().remove(0)],
            bson!([{"$graphLookup": {"from": "people", "startWith": "$friends", "connectFromField": "friends",
                "connectToField": "name", "as": "golfers", "restrictSearchWithMatch": {"hobbies": "golf"}}},
                {"$project": {"_id": 0, "g": {"$sortArray": {"input": "$golfers.name", "sortBy": 1}}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"g": ["Angelo Ward", "Carole Hale", "Joseph Dennis", "Tanya Jordan"]}
            ])
        );
    }

    #[test]
    fn null_start_matches_missing_and_errors() {
        // A null startWith matches documents without the connectToField.
        let out = sorted_as(
            bson!({"from": "employees", "startWith": null, "connectFromField": "x",
                   "connectToField": "reportsTo", "as": "r"}),
            vec![doc! {"_id": 9}],
            "r",
        );
        assert_eq!(
            out[0].get_array("r").unwrap(),
            &vec![bson!({"_id": 1, "name": "Dev"})]
        );
        let base = || doc! {"from": "employees", "startWith": "$a", "connectFromField": "a", "connectToField": "b", "as": "r"};
        let with = |k: &str, v: Bson| {
            let mut d = base();
            d.insert(k, v);
            run(vec![], bson!([{"$graphLookup": d}]))
        };
        assert_eq!(with("maxDepth", bson!(-1)), Err(40101));
        assert_eq!(with("maxDepth", bson!("a")), Err(40100));
        assert_eq!(with("maxDepth", bson!(1.5)), Err(40102));
        assert_eq!(with("restrictSearchWithMatch", bson!(1)), Err(40185));
        assert_eq!(with("zz", bson!(1)), Err(40104));
        assert_eq!(with("as", bson!(1)), Err(40103));
        let mut missing = base();
        missing.remove("as");
        assert_eq!(run(vec![], bson!([{"$graphLookup": missing}])), Err(40105));
        assert_eq!(run(vec![], bson!([{"$graphLookup": 5}])), Err(9));
    }
}
