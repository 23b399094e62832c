//! Database diffs between any two points: collection-level changes and a
//! stream of changed documents, by `_id` order. The tree diff skips equal
//! subtrees; live tails are merged in by key, so the cost follows the
//! number of changes, not the data size.

use super::catalog::{CollectionRecord, IndexSpec};
use super::error::Result;
use super::tree::{NodeStore, TreeDiff};
use super::view::View;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectionStatus {
    Added,
    Removed,
    Modified,
    Unchanged,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexChange {
    pub op: &'static str,
    pub name: String,
    pub key: serde_json::Value,
    pub unique: bool,
}

/// How one collection differs, apart from its documents.
#[derive(Debug, Clone)]
pub struct CollectionChange {
    pub name: String,
    pub status: CollectionStatus,
    pub indexes: Vec<IndexChange>,
    pub options_changed: bool,
    pub(crate) left: Option<CollectionRecord>,
    pub(crate) right: Option<CollectionRecord>,
}

impl CollectionChange {
    /// The change of collection `name` from view `a` to view `b`, for
    /// comparing its documents with [`diff_documents`].
    pub fn between(a: &View, b: &View, name: &str) -> CollectionChange {
        let left = a.catalog().get(name).cloned();
        let right = b.catalog().get(name).cloned();
        let status = match (&left, &right) {
            (None, Some(_)) => CollectionStatus::Added,
            (Some(_), None) => CollectionStatus::Removed,
            _ => CollectionStatus::Modified,
        };
        CollectionChange {
            name: name.to_string(),
            status,
            indexes: Vec::new(),
            options_changed: false,
            left,
            right,
        }
    }
}

/// A changed document: raw BSON on each side (`None` = absent).
#[derive(Debug, Clone)]
pub struct DocChange {
    pub key: Vec<u8>,
    pub left: Option<Arc<[u8]>>,
    pub right: Option<Arc<[u8]>>,
}

fn index_json(spec: &IndexSpec) -> serde_json::Value {
    bson::Bson::Document(spec.key_document()).into_relaxed_extjson()
}

/// Collections that differ between two views (sorted by name).
pub fn collection_changes(a: &View, b: &View, only: Option<&str>) -> Vec<CollectionChange> {
    let names: BTreeSet<&String> = a.catalog().keys().chain(b.catalog().keys()).collect();
    let mut out = Vec::new();
    for name in names {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let l = a.catalog().get(name);
        let r = b.catalog().get(name);
        let status = match (l, r) {
            (None, Some(_)) => CollectionStatus::Added,
            (Some(_), None) => CollectionStatus::Removed,
            (Some(x), Some(y)) => {
                let tails_touch =
                    a.tail.colls.contains_key(name) || b.tail.colls.contains_key(name);
                if x == y && !tails_touch {
                    CollectionStatus::Unchanged
                } else {
                    CollectionStatus::Modified
                }
            }
            (None, None) => continue,
        };
        let mut indexes = Vec::new();
        let specs = |r: Option<&CollectionRecord>| -> Vec<IndexSpec> {
            r.map(|r| r.indexes.iter().map(|i| i.spec.clone()).collect())
                .unwrap_or_default()
        };
        let (ls, rs) = (specs(l), specs(r));
        for s in &rs {
            if !ls.contains(s) {
                indexes.push(IndexChange {
                    op: "add",
                    name: s.name.clone(),
                    key: index_json(s),
                    unique: s.unique,
                });
            }
        }
        for s in &ls {
            if !rs.contains(s) {
                indexes.push(IndexChange {
                    op: "remove",
                    name: s.name.clone(),
                    key: index_json(s),
                    unique: s.unique,
                });
            }
        }
        let options_changed =
            l.map(|x| &x.options) != r.map(|x| &x.options) && l.is_some() && r.is_some();
        if status == CollectionStatus::Unchanged && indexes.is_empty() && !options_changed {
            continue;
        }
        out.push(CollectionChange {
            name: name.clone(),
            status,
            indexes,
            options_changed,
            left: l.cloned(),
            right: r.cloned(),
        });
    }
    out
}

/// Streams changed documents of one collection to `visit`, in key order.
/// Memory is bounded by the tree height and the views' tails.
pub fn diff_documents(
    ns: &NodeStore,
    a: &View,
    b: &View,
    change: &CollectionChange,
    visit: &mut dyn FnMut(DocChange) -> Result<()>,
) -> Result<()> {
    let empty = NodeStore::empty_root_hash();
    let lroot = change.left.as_ref().map_or(empty, |r| r.primary);
    let rroot = change.right.as_ref().map_or(empty, |r| r.primary);
    let name = &change.name;
    // Keys the tails touch: their values come from the views, not trees.
    let mut tail_keys: BTreeSet<Vec<u8>> = BTreeSet::new();
    for v in [a, b] {
        if let Some(ct) = v.tail.colls.get(name) {
            tail_keys.extend(ct.docs.keys().cloned());
        }
    }
    let resolve = |key: &[u8]| -> Result<Option<DocChange>> {
        let l = if change.left.is_some() {
            a.tail.get_raw(ns, name, key)?
        } else {
            None
        };
        let r = if change.right.is_some() {
            b.tail.get_raw(ns, name, key)?
        } else {
            None
        };
        Ok((l != r).then(|| DocChange {
            key: key.to_vec(),
            left: l,
            right: r,
        }))
    };
    let mut tails = tail_keys.into_iter().peekable();
    for item in TreeDiff::new(ns, &lroot, &rroot)? {
        let d = item?;
        while let Some(k) = tails.next_if(|k| *k < d.key) {
            if let Some(c) = resolve(&k)? {
                visit(c)?;
            }
        }
        if tails.next_if(|k| *k == d.key).is_some() {
            if let Some(c) = resolve(&d.key)? {
                visit(c)?;
            }
            continue;
        }
        visit(DocChange {
            key: d.key,
            left: d.left.map(Arc::from),
            right: d.right.map(Arc::from),
        })?;
    }
    for k in tails {
        if let Some(c) = resolve(&k)? {
            visit(c)?;
        }
    }
    Ok(())
}
