//! Read snapshots: a checkpointed database tree plus a live tail of
//! write-log records not yet folded into it.

use super::catalog::{CollectionRecord, index_keys};
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use super::tree::{self, NodeStore, Scan};
use super::wal::{DocOp, WalRecord};
use bson::{Bson, Document};
use imbl::OrdMap;
use std::collections::BTreeMap;
use std::sync::Arc;

pub type Catalog = BTreeMap<String, CollectionRecord>;

/// A tail change: encoded `_id` and the raw document (`None` = deleted).
type TailDoc = (Vec<u8>, Option<Arc<[u8]>>);

/// Loads the collection records of a database tree.
pub fn load_catalog(ns: &NodeStore, db_root: &Hash) -> Result<Catalog> {
    let mut out = BTreeMap::new();
    for item in Scan::new(ns, db_root, None)? {
        let (k, v) = item?;
        let name = String::from_utf8(k)
            .map_err(|_| Error::Corrupt("collection name is not UTF-8".into()))?;
        out.insert(name, CollectionRecord::from_bytes(&v)?);
    }
    Ok(out)
}

/// Pending changes of one collection: documents by encoded `_id` (`None` =
/// deleted) and index entries (`Some(encoded _id)` = present, `None` =
/// deleted).
#[derive(Debug, Clone, Default)]
pub struct CollTail {
    pub docs: OrdMap<Vec<u8>, Option<Arc<[u8]>>>,
    pub indexes: OrdMap<String, OrdMap<Vec<u8>, Option<Vec<u8>>>>,
}

/// The live tail of a branch, bound to the head it was built on.
#[derive(Debug, Clone)]
pub struct Tail {
    /// Head commit and its database root.
    pub head: Hash,
    pub root: Hash,
    pub catalog: Arc<Catalog>,
    pub head_lsn: u64,
    pub wal_from: u64,
    /// LSN and time of the newest applied record (the head's when none).
    pub lsn: u64,
    pub time: i64,
    /// Microseconds within `time`'s millisecond of the newest record.
    pub micros: u16,
    /// End offset of the last applied record.
    pub wal_end: u64,
    pub records: usize,
    pub bytes: usize,
    /// Persistent maps: cloning a tail is O(1) and a write copies only the
    /// paths it changes, so writers never copy the whole tail while readers
    /// hold snapshots of it.
    pub colls: OrdMap<String, CollTail>,
}

impl Tail {
    pub fn new(
        head: Hash,
        root: Hash,
        catalog: Arc<Catalog>,
        head_lsn: u64,
        head_time: i64,
        wal_from: u64,
    ) -> Tail {
        Tail {
            head,
            root,
            catalog,
            head_lsn,
            wal_from,
            lsn: head_lsn,
            time: head_time,
            micros: 0,
            wal_end: wal_from,
            records: 0,
            bytes: 0,
            colls: OrdMap::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// The current raw document for an encoded `_id`.
    pub fn get_raw(&self, ns: &NodeStore, coll: &str, key: &[u8]) -> Result<Option<Arc<[u8]>>> {
        if let Some(ct) = self.colls.get(coll)
            && let Some(v) = ct.docs.get(key)
        {
            return Ok(v.clone());
        }
        let Some(rec) = self.catalog.get(coll) else {
            return Ok(None);
        };
        Ok(tree::get(ns, &rec.primary, key)?.map(Arc::from))
    }

    /// Applies one document change, maintaining index overlays.
    /// Callers that need the previous document use [`Tail::get_raw`] first;
    /// this looks it up only to maintain secondary indexes.
    pub fn apply_op(&mut self, ns: &NodeStore, op: &DocOp) -> Result<()> {
        let rec = self
            .catalog
            .get(&op.collection)
            .ok_or_else(|| Error::CollectionNotFound(op.collection.clone()))?;
        if !rec.indexes.is_empty() {
            // Cloned only here: the catalog is borrowed from self.
            let rec = rec.clone();
            let old = self.get_raw(ns, &op.collection, &op.key)?;
            let ct = self.colls.entry(op.collection.clone()).or_default();
            let old_doc = old.as_deref().map(Document::from_reader).transpose()?;
            let new_doc = op.doc.as_deref().map(Document::from_reader).transpose()?;
            for idx in &rec.indexes {
                let overlay = ct.indexes.entry(idx.spec.name.clone()).or_default();
                if let Some(d) = &old_doc {
                    for mut k in index_keys(&idx.spec, d)? {
                        k.extend_from_slice(&op.key);
                        overlay.insert(k, None);
                    }
                }
                if let Some(d) = &new_doc {
                    for mut k in index_keys(&idx.spec, d)? {
                        k.extend_from_slice(&op.key);
                        overlay.insert(k, Some(op.key.clone()));
                    }
                }
            }
        }
        self.bytes += op.key.len() + op.doc.as_ref().map_or(0, |d| d.len());
        let ct = self.colls.entry(op.collection.clone()).or_default();
        ct.docs.insert(op.key.clone(), op.doc.clone());
        Ok(())
    }

    /// Applies a whole write-log record.
    pub fn apply_record(&mut self, ns: &NodeStore, rec: &WalRecord, end: u64) -> Result<()> {
        for op in &rec.ops {
            self.apply_op(ns, op)?;
        }
        self.lsn = rec.lsn;
        self.time = rec.time;
        self.micros = rec.micros;
        self.wal_end = end;
        self.records += 1;
        Ok(())
    }

    /// Folds the tail into new trees; returns the new database root and
    /// catalog. Writes chunks but no refs.
    pub fn fold(&self, ns: &NodeStore) -> Result<(Hash, Catalog)> {
        let mut catalog = (*self.catalog).clone();
        let mut db_edits = Vec::new();
        for (name, ct) in &self.colls {
            let Some(rec) = catalog.get_mut(name) else {
                continue;
            };
            let edits: Vec<tree::Edit> = ct
                .docs
                .iter()
                .map(|(k, v)| (k.clone(), v.as_ref().map(|d| d.to_vec())))
                .collect();
            rec.primary = tree::apply_edits(ns, &rec.primary, &edits)?;
            for idx in &mut rec.indexes {
                if let Some(overlay) = ct.indexes.get(&idx.spec.name) {
                    let edits: Vec<tree::Edit> = overlay
                        .iter()
                        .map(|(k, id)| (k.clone(), id.clone()))
                        .collect();
                    idx.root = tree::apply_edits(ns, &idx.root, &edits)?;
                }
            }
            db_edits.push((name.as_bytes().to_vec(), Some(rec.to_bytes()?)));
        }
        let root = tree::apply_edits(ns, &self.root, &db_edits)?;
        Ok((root, catalog))
    }
}

/// A consistent read-only snapshot of a database at one point.
#[derive(Clone)]
pub struct View {
    pub tail: Arc<Tail>,
    /// The branch this is the live head of, if any (writes go there).
    pub branch: Option<String>,
    /// How the point was named (for messages).
    pub label: String,
}

impl View {
    pub fn lsn(&self) -> u64 {
        self.tail.lsn
    }

    pub fn time(&self) -> i64 {
        self.tail.time
    }

    pub fn catalog(&self) -> &Catalog {
        &self.tail.catalog
    }

    pub fn collection_names(&self) -> Vec<String> {
        self.tail.catalog.keys().cloned().collect()
    }

    pub fn has_collection(&self, name: &str) -> bool {
        self.tail.catalog.contains_key(name)
    }

    pub fn get_raw(&self, ns: &NodeStore, coll: &str, id: &Bson) -> Result<Option<Arc<[u8]>>> {
        self.tail.get_raw(ns, coll, &keys::encode_key(id))
    }

    pub fn get(&self, ns: &NodeStore, coll: &str, id: &Bson) -> Result<Option<Document>> {
        self.get_raw(ns, coll, id)?
            .map(|raw| Document::from_reader(&*raw).map_err(Error::from))
            .transpose()
    }

    /// Number of documents in a collection.
    pub fn count(&self, ns: &NodeStore, coll: &str) -> Result<u64> {
        let Some(rec) = self.tail.catalog.get(coll) else {
            return Ok(0);
        };
        let mut n = tree::count(ns, &rec.primary)? as i64;
        if let Some(ct) = self.tail.colls.get(coll) {
            for (k, v) in &ct.docs {
                let in_tree = tree::get(ns, &rec.primary, k)?.is_some();
                match (in_tree, v.is_some()) {
                    (false, true) => n += 1,
                    (true, false) => n -= 1,
                    _ => {}
                }
            }
        }
        Ok(n.max(0) as u64)
    }

    /// Encoded `_id`s of the documents whose entry in index `index` starts
    /// with `prefix` (tree entries merged with the tail's), in index order.
    pub fn index_prefix_ids(
        &self,
        ns: &NodeStore,
        coll: &str,
        index: &str,
        prefix: &[u8],
    ) -> Result<Vec<Vec<u8>>> {
        let Some(idx) = self.tail.catalog.get(coll).and_then(|r| r.index(index)) else {
            return Ok(Vec::new());
        };
        let overlay = self.tail.colls.get(coll).and_then(|c| c.indexes.get(index));
        let mut out: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for item in Scan::new(ns, &idx.root, Some(prefix))? {
            let (k, id) = item?;
            if !k.starts_with(prefix) {
                break;
            }
            if !matches!(overlay.and_then(|o| o.get(&k)), Some(None)) {
                out.insert(k, id);
            }
        }
        if let Some(o) = overlay {
            for (k, id) in o.range(prefix.to_vec()..) {
                if !k.starts_with(prefix) {
                    break;
                }
                if let Some(id) = id {
                    out.insert(k.clone(), id.clone());
                }
            }
        }
        let mut ids: Vec<Vec<u8>> = out.into_values().collect();
        // A multikey document can appear once per matching element.
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// Whether index `index` answers range queries exactly: all its
    /// entries are checkpointed (no overlay in the tail) and no document
    /// has more than one entry. A multikey index must not intersect a
    /// range's bounds (`[3, 12]` matches `{$gt: 5, $lt: 10}` with no
    /// element between); an index with as many entries as documents (a
    /// non-sparse index has at least one per document) is not multikey.
    pub fn index_answers_ranges(&self, ns: &NodeStore, coll: &str, index: &str) -> Result<bool> {
        let Some(rec) = self.tail.catalog.get(coll) else {
            return Ok(false);
        };
        let Some(idx) = rec.index(index) else {
            return Ok(false);
        };
        let pending = self.tail.colls.get(coll).is_some_and(|c| {
            !c.docs.is_empty() || c.indexes.get(index).is_some_and(|o| !o.is_empty())
        });
        if pending || idx.spec.sparse {
            return Ok(false);
        }
        Ok(tree::count(ns, &idx.root)? == tree::count(ns, &rec.primary)?)
    }

    /// Encoded `_id`s of the entries of index `index` whose key lies
    /// between `lo` and `hi` (encoded values; `true` = inclusive, `None` =
    /// unbounded), in index order, from the checkpointed tree only: call
    /// it when [`View::index_answers_ranges`] says so.
    pub fn index_range_ids(
        &self,
        ns: &NodeStore,
        coll: &str,
        index: &str,
        lo: Option<(&[u8], bool)>,
        hi: Option<(&[u8], bool)>,
    ) -> Result<Vec<Vec<u8>>> {
        let Some(idx) = self.tail.catalog.get(coll).and_then(|r| r.index(index)) else {
            return Ok(Vec::new());
        };
        let start = lo.map(|(k, _)| k);
        let mut ids = Vec::new();
        for item in Scan::new(ns, &idx.root, start)? {
            let (k, id) = item?;
            if let Some((l, false)) = lo
                && k.starts_with(l)
            {
                continue;
            }
            if let Some((h, inclusive)) = hi {
                let past = if k.starts_with(h) {
                    !inclusive
                } else {
                    k.as_slice() > h
                };
                if past {
                    break;
                }
            }
            ids.push(id);
        }
        Ok(ids)
    }

    /// All documents of a collection in `_id` order, merging tree and tail.
    pub fn scan<'a>(&'a self, ns: &'a NodeStore, coll: &str) -> Result<DocScan<'a>> {
        self.scan_from(ns, coll, None)
    }

    /// [`View::scan`] from the first encoded `_id` at or after `from`: a
    /// cursor resumes here without reading what it already returned.
    pub fn scan_from<'a>(
        &'a self,
        ns: &'a NodeStore,
        coll: &str,
        from: Option<&[u8]>,
    ) -> Result<DocScan<'a>> {
        let (tree_scan, tail) = match self.tail.catalog.get(coll) {
            Some(rec) => (
                Some(Scan::new(ns, &rec.primary, from)?),
                self.tail.colls.get(coll),
            ),
            None => (None, None),
        };
        let tail_items: Vec<TailDoc> = match tail {
            None => Vec::new(),
            Some(t) => {
                let item = |(k, v): (&Vec<u8>, &Option<Arc<[u8]>>)| (k.clone(), v.clone());
                match from {
                    Some(start) => t.docs.range(start.to_vec()..).map(item).collect(),
                    None => t.docs.iter().map(item).collect(),
                }
            }
        };
        Ok(DocScan {
            tree: tree_scan,
            tree_next: None,
            tail: tail_items.into_iter().peekable(),
        })
    }
}

/// Merges a tree scan with tail changes, yielding raw documents.
pub struct DocScan<'a> {
    tree: Option<Scan<'a>>,
    tree_next: Option<(Vec<u8>, Vec<u8>)>,
    tail: std::iter::Peekable<std::vec::IntoIter<TailDoc>>,
}

impl DocScan<'_> {
    fn fill(&mut self) -> Result<()> {
        if self.tree_next.is_none()
            && let Some(scan) = &mut self.tree
        {
            self.tree_next = scan.next().transpose()?;
        }
        Ok(())
    }
}

impl Iterator for DocScan<'_> {
    type Item = Result<(Vec<u8>, Arc<[u8]>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Err(e) = self.fill() {
                self.tree = None;
                return Some(Err(e));
            }
            let take_tail = match (&self.tree_next, self.tail.peek()) {
                (None, None) => return None,
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (Some((tk, _)), Some((k, _))) => k <= tk,
            };
            if take_tail {
                let (k, v) = self.tail.next()?;
                if self.tree_next.as_ref().is_some_and(|(tk, _)| *tk == k) {
                    self.tree_next = None; // shadowed by the tail
                }
                if let Some(doc) = v {
                    return Some(Ok((k, doc)));
                }
            } else {
                let (k, v) = self.tree_next.take()?;
                return Some(Ok((k, Arc::from(v))));
            }
        }
    }
}
