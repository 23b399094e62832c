//! The query planner: which documents of a collection a filter can match,
//! read by `_id` point lookup, by an index's equality prefix, or by a
//! collection scan, whichever the filter allows.

use super::error::DbError;
use crate::engine::tree::NodeStore;
use crate::engine::{Project, View};
use crate::query::filter::{Collation, Filter};
use bson::{Bson, Document, doc};

/// Whether `filter` names one `_id` (not an operator, array or regex): a
/// point lookup answers it.
fn point_id(filter: &Document) -> Option<&Bson> {
    filter
        .get("_id")
        .filter(|v| !matches!(v, Bson::Document(d) if d.keys().any(|k| k.starts_with('$'))))
        .filter(|id| !matches!(id, Bson::RegularExpression(_) | Bson::Array(_)))
}

/// Whether [`matching`] would scan the whole collection (no `_id` point
/// lookup, no index for the filter).
pub fn scans(view: &View, coll: &str, filter: &Document, collation: Option<Collation>) -> bool {
    // Indexes hold exact keys: a case-insensitive match must scan.
    let exact = !collation.is_some_and(|c| c.fold_case);
    !(exact && (point_id(filter).is_some() || index_for(view, coll, filter).is_some()))
}

/// The access path [`matching`] takes for a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// One `_id` read by key (mongod's IDHACK).
    IdLookup,
    /// The entries of one index with an equal first field, then a fetch.
    IndexPrefix {
        index: String,
        key_pattern: Document,
    },
    /// The entries of one (not multikey) index whose first field lies in
    /// a range, then a fetch.
    IndexRange {
        index: String,
        key_pattern: Document,
    },
    /// Every document of the collection.
    CollectionScan,
}

impl Plan {
    /// The plan for `filter` on `coll` of `view` (which has it).
    pub fn choose(ns: &NodeStore, view: &View, coll: &str, filter: &Document) -> Plan {
        if point_id(filter).is_some() {
            return Plan::IdLookup;
        }
        let key_pattern = |index: &str| {
            view.catalog()
                .get(coll)
                .and_then(|r| r.indexes.iter().find(|i| i.spec.name == index))
                .map(|i| i.spec.key_document())
                .unwrap_or_default()
        };
        if let Some((index, _)) = index_for(view, coll, filter) {
            let key_pattern = key_pattern(&index);
            return Plan::IndexPrefix { index, key_pattern };
        }
        if let Some(range) = range_for(view, coll, filter)
            && view
                .index_answers_ranges(ns, coll, &range.index)
                .unwrap_or(false)
        {
            let key_pattern = key_pattern(&range.index);
            return Plan::IndexRange {
                index: range.index,
                key_pattern,
            };
        }
        Plan::CollectionScan
    }

    /// The plan of a `find` with its sort, skip, limit and projection
    /// stages on top, as `explain`'s `winningPlan` shows it.
    pub fn explain_find(
        &self,
        filter: &Document,
        sort: &Document,
        skip: u64,
        limit: u64,
        projection: &Document,
    ) -> Document {
        let mut plan = self.explain(filter);
        if !sort.is_empty() {
            let mut s = doc! { "stage": "SORT", "sortPattern": sort.clone(), "memLimit": 104_857_600_i64, "type": "simple" };
            if limit > 0 {
                s.insert("limitAmount", (skip + limit) as i64);
            }
            s.insert("inputStage", plan);
            plan = s;
        } else if limit > 0 {
            plan =
                doc! { "stage": "LIMIT", "limitAmount": (skip + limit) as i64, "inputStage": plan };
        }
        if skip > 0 {
            plan = doc! { "stage": "SKIP", "skipAmount": skip as i64, "inputStage": plan };
        }
        if !projection.is_empty() {
            plan = doc! { "stage": "PROJECTION_DEFAULT", "transformBy": projection.clone(), "inputStage": plan };
        }
        plan
    }

    /// The plan as `explain`'s `winningPlan` shows it.
    pub fn explain(&self, filter: &Document) -> Document {
        match self {
            Plan::IdLookup => doc! { "stage": "IDHACK" },
            Plan::IndexPrefix { index, key_pattern } => doc! {
                "stage": "FETCH",
                "inputStage": { "stage": "IXSCAN", "indexName": index, "keyPattern": key_pattern },
            },
            Plan::IndexRange { index, key_pattern } => doc! {
                "stage": "FETCH",
                "filter": filter.clone(),
                "inputStage": { "stage": "IXSCAN", "indexName": index, "keyPattern": key_pattern, "isMultiKey": false },
            },
            Plan::CollectionScan => {
                doc! { "stage": "COLLSCAN", "filter": filter.clone(), "direction": "forward" }
            }
        }
    }
}

/// Documents of a collection matching a filter, in `_id` order, at most
/// `limit` of them.
pub fn matching(
    p: &Project,
    view: &View,
    coll: &str,
    filter: &Document,
    limit: Option<usize>,
    vars: &Document,
    collation: Option<Collation>,
) -> Result<Vec<Document>, DbError> {
    Ok(matching_examined(p, view, coll, filter, limit, vars, collation)?.0)
}

/// What a plan read: index entries and documents (`explain`'s
/// `totalKeysExamined` and `totalDocsExamined`).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Examined {
    pub keys: u64,
    pub docs: u64,
}

/// [`matching`], also counting what it read.
pub fn matching_examined(
    p: &Project,
    view: &View,
    coll: &str,
    filter: &Document,
    limit: Option<usize>,
    vars: &Document,
    collation: Option<Collation>,
) -> Result<(Vec<Document>, Examined), DbError> {
    let mut seen = Examined::default();
    let f = Filter::parse_with_let(filter, vars)?.with_collation(collation);
    let exact = !collation.is_some_and(|c| c.fold_case);
    let mut out = Vec::new();
    if !view.has_collection(coll) {
        return Ok((out, seen));
    }
    if exact && let Some(id) = point_id(filter) {
        if let Some(d) = view.get(p.nodes(), coll, id)? {
            seen.keys += 1;
            seen.docs += 1;
            if f.matches(&d) {
                out.push(d);
            }
        }
        return Ok((out, seen));
    }
    // Equality on the first field of an index: read only those entries.
    if exact && let Some((index, prefix)) = index_for(view, coll, filter) {
        let ids = view.index_prefix_ids(p.nodes(), coll, &index, &prefix)?;
        return Ok((fetch(p, view, coll, ids, &f, limit, &mut seen)?, seen));
    }
    // A range on the first field of an ascending index that has one entry
    // per document.
    if exact
        && let Some(range) = range_for(view, coll, filter)
        && view.index_answers_ranges(p.nodes(), coll, &range.index)?
    {
        let lo = range.lo.as_ref().map(|(k, inc)| (k.as_slice(), *inc));
        let hi = range.hi.as_ref().map(|(k, inc)| (k.as_slice(), *inc));
        let ids = view.index_range_ids(p.nodes(), coll, &range.index, lo, hi)?;
        return Ok((fetch(p, view, coll, ids, &f, limit, &mut seen)?, seen));
    }
    for item in view.scan(p.nodes(), coll)? {
        let (_, raw) = item?;
        seen.docs += 1;
        let d = Document::from_reader(&*raw)?;
        if f.matches(&d) {
            out.push(d);
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
        }
    }
    Ok((out, seen))
}

/// An index whose first field the filter compares by equality, and the
/// encoded key prefix of that value.
fn index_for(view: &View, coll: &str, filter: &Document) -> Option<(String, Vec<u8>)> {
    let rec = view.catalog().get(coll)?;
    for idx in &rec.indexes {
        let (field, dir) = idx.spec.key.first()?;
        let value = match filter.get(field)? {
            Bson::Document(d) if d.len() == 1 && d.contains_key("$eq") => d.get("$eq")?.clone(),
            Bson::Document(d) if d.keys().any(|k| k.starts_with('$')) => continue,
            v => v.clone(),
        };
        // Arrays and regexes match by other rules than index entries.
        if matches!(value, Bson::Array(_) | Bson::RegularExpression(_)) {
            continue;
        }
        // Null matches documents without the field, which a sparse index
        // leaves out.
        if idx.spec.sparse && matches!(value, Bson::Null | Bson::Undefined) {
            continue;
        }
        let mut prefix = Vec::new();
        if *dir < 0 {
            crate::engine::keys::encode_value_desc(&value, &mut prefix);
        } else {
            crate::engine::keys::encode_value(&value, &mut prefix);
        }
        return Some((idx.spec.name.clone(), prefix));
    }
    None
}

/// The documents of index entries' `_id`s that match `f`, in `_id` order
/// (as a collection scan returns them), at most `limit`.
fn fetch(
    p: &Project,
    view: &View,
    coll: &str,
    ids: Vec<Vec<u8>>,
    f: &Filter,
    limit: Option<usize>,
    seen: &mut Examined,
) -> Result<Vec<Document>, DbError> {
    let mut docs = Vec::new();
    for id in ids {
        seen.keys += 1;
        if let Some(raw) = view.tail.get_raw(p.nodes(), coll, &id)? {
            seen.docs += 1;
            let d = Document::from_reader(&*raw)?;
            if f.matches(&d) {
                docs.push((id, d));
            }
        }
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<Document> = docs.into_iter().map(|(_, d)| d).collect();
    if let Some(l) = limit {
        out.truncate(l);
    }
    Ok(out)
}

/// A range on an index's first field: encoded bounds, `true` inclusive.
struct Range {
    index: String,
    lo: Option<(Vec<u8>, bool)>,
    hi: Option<(Vec<u8>, bool)>,
}

/// An ascending index whose first field the filter bounds with `$gt`,
/// `$gte`, `$lt` and/or `$lte` (and nothing else) on scalar values. The
/// bounds may take in values of other types (a scan from `{$gte: 5}` runs
/// on past the numbers); the filter checks every document it fetches.
fn range_for(view: &View, coll: &str, filter: &Document) -> Option<Range> {
    let rec = view.catalog().get(coll)?;
    for idx in &rec.indexes {
        let Some((field, 1)) = idx.spec.key.first() else {
            continue;
        };
        let Some(Bson::Document(ops)) = filter.get(field) else {
            continue;
        };
        let (mut lo, mut hi) = (None, None);
        let mut usable = !ops.is_empty();
        for (op, v) in ops {
            let scalar = !matches!(
                v,
                Bson::Array(_)
                    | Bson::Document(_)
                    | Bson::RegularExpression(_)
                    | Bson::Null
                    | Bson::Undefined
                    | Bson::MinKey
                    | Bson::MaxKey
            );
            let mut key = Vec::new();
            crate::engine::keys::encode_value(v, &mut key);
            match op.as_str() {
                "$gt" if scalar && lo.is_none() => lo = Some((key, false)),
                "$gte" if scalar && lo.is_none() => lo = Some((key, true)),
                "$lt" if scalar && hi.is_none() => hi = Some((key, false)),
                "$lte" if scalar && hi.is_none() => hi = Some((key, true)),
                _ => usable = false,
            }
        }
        if usable {
            return Some(Range {
                index: idx.spec.name.clone(),
                lo,
                hi,
            });
        }
    }
    None
}
