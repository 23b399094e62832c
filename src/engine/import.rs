//! Bulk import: builds trees directly (no write log) and publishes one
//! commit at the end, so an import that fails publishes nothing.

use super::catalog::{IndexSpec, index_keys};
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use super::project::{Project, empty_collection, validate_collection_name, with_id, write_catalog};
use super::tree;
use bson::{Bson, Document};

/// Documents sorted and applied per batch; bounds memory on big imports.
const BATCH: usize = 25_000;

/// A document ready for the tree: encoded `_id` and BSON bytes.
struct Prepared {
    key: Vec<u8>,
    raw: Vec<u8>,
}

fn duplicate_id(collection: &str, raw: &[u8]) -> Error {
    let id = bson::RawDocument::from_bytes(raw)
        .ok()
        .and_then(|d| d.get("_id").ok().flatten())
        .and_then(|v| Bson::try_from(v).ok())
        .unwrap_or(Bson::Null);
    super::project::duplicate_id_error(collection, &id)
}

/// The first stage: documents to sorted, de-duplicated batches.
fn prepare_batches<I>(
    iter: I,
    collection: &str,
    upsert: bool,
    tx: std::sync::mpsc::SyncSender<Result<(usize, Vec<Prepared>)>>,
) where
    I: Iterator<Item = std::result::Result<Document, String>>,
{
    let mut batch: Vec<Prepared> = Vec::with_capacity(BATCH);
    let mut iter = iter;
    loop {
        let next = iter.next();
        let done = next.is_none();
        if let Some(item) = next {
            let prepared = item.map_err(Error::BadInput).and_then(|doc| {
                let doc = with_id(doc)?;
                let key = keys::encode_key(doc.get("_id").unwrap_or(&Bson::Null));
                let raw = doc
                    .to_vec()
                    .map_err(|e| Error::InvalidDocument(e.to_string()))?;
                if raw.len() > 16 * 1024 * 1024 {
                    return Err(Error::InvalidDocument(format!(
                        "document {} is larger than the 16 MiB BSON limit",
                        doc.get("_id").cloned().unwrap_or(Bson::Null)
                    )));
                }
                Ok(Prepared { key, raw })
            });
            match prepared {
                Ok(p) => batch.push(p),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        if batch.len() >= BATCH || (done && !batch.is_empty()) {
            // Stable sort keeps input order among equal keys: on upsert the
            // last one wins.
            batch.sort_by(|a, b| a.key.cmp(&b.key));
            let read = batch.len();
            let mut deduped: Vec<Prepared> = Vec::with_capacity(batch.len());
            for p in batch.drain(..) {
                match deduped.last_mut() {
                    Some(last) if last.key == p.key => {
                        if !upsert {
                            let _ = tx.send(Err(duplicate_id(collection, &p.raw)));
                            return;
                        }
                        *last = p;
                    }
                    _ => deduped.push(p),
                }
            }
            if tx.send(Ok((read, deduped))).is_err() {
                return; // the tree stage failed and stopped listening
            }
        }
        if done {
            return;
        }
    }
}

impl Project {
    /// Imports documents into a collection of a branch as one commit.
    /// `upsert` replaces existing `_id`s; otherwise any existing or
    /// repeated `_id` fails the whole import.
    ///
    /// Two stages run on two threads: one pulls documents from `docs`
    /// (parsing or generating them), encodes keys and BSON and sorts each
    /// batch; the other applies batches to the trees. A bounded channel
    /// keeps at most two batches in flight, which bounds memory.
    pub fn import<I>(
        &self,
        branch: &str,
        collection: &str,
        upsert: bool,
        docs: I,
        progress: &dyn Fn(u64),
    ) -> Result<(u64, Hash)>
    where
        I: IntoIterator<Item = std::result::Result<Document, String>>,
        I::IntoIter: Send,
    {
        validate_collection_name(collection)?;
        self.with_write_lock(|this, live| {
            this.checkpoint_locked(live, branch, "checkpoint")?;
            let tail = this.branch_tail(live, branch)?;
            let mut catalog = (*tail.catalog).clone();
            let mut rec = match catalog.get(collection) {
                Some(r) => r.clone(),
                None => empty_collection(&this.ns)?,
            };
            let iter = docs.into_iter();
            let total = std::thread::scope(|scope| -> Result<u64> {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Result<(usize, Vec<Prepared>)>>(1);
                scope.spawn(move || prepare_batches(iter, collection, upsert, tx));
                let mut total = 0u64;
                for batch in rx {
                    let (read, batch) = batch?;
                    total += read as u64;
                    this.import_batch(collection, &mut rec, batch, upsert)?;
                    progress(total);
                }
                Ok(total)
            })?;
            catalog.insert(collection.to_string(), rec);
            let root = write_catalog(&this.ns, &tail.root, &tail.catalog, &catalog)?;
            let head = this.commit_root(
                live,
                branch,
                root,
                vec![tail.head],
                &format!("import {total} documents into {collection}"),
            )?;
            Ok((total, head))
        })
    }

    fn import_batch(
        &self,
        collection: &str,
        rec: &mut super::catalog::CollectionRecord,
        batch: Vec<Prepared>,
        upsert: bool,
    ) -> Result<()> {
        let dup_error = |raw: &[u8]| duplicate_id(collection, raw);
        // Index changes: old entries of replaced documents go, new come.
        let mut index_edits: Vec<Vec<tree::Edit>> = vec![Vec::new(); rec.indexes.len()];
        if !rec.indexes.is_empty() {
            for p in &batch {
                let old = if upsert {
                    tree::get(&self.ns, &rec.primary, &p.key)?
                        .map(|raw| Document::from_reader(raw.as_slice()))
                        .transpose()?
                } else {
                    None
                };
                let new = Document::from_reader(p.raw.as_slice())?;
                for (i, idx) in rec.indexes.iter().enumerate() {
                    if let Some(old) = &old {
                        for mut ik in index_keys(&idx.spec, old)? {
                            ik.extend_from_slice(&p.key);
                            index_edits[i].push((ik, None));
                        }
                    }
                    for mut ik in index_keys(&idx.spec, &new)? {
                        ik.extend_from_slice(&p.key);
                        index_edits[i].push((ik, Some(p.key.clone())));
                    }
                }
            }
        }
        let edits: Vec<tree::Edit> = batch
            .iter()
            .map(|p| (p.key.clone(), Some(p.raw.clone())))
            .collect();
        rec.primary = tree::apply_edits_bulk(&self.ns, &rec.primary, &edits, !upsert).map_err(
            |e| match e {
                Error::KeyExists(k) => batch
                    .iter()
                    .find(|p| p.key == k)
                    .map(|p| dup_error(&p.raw))
                    .unwrap_or(Error::KeyExists(k)),
                e => e,
            },
        )?;
        for (i, mut ie) in index_edits.into_iter().enumerate() {
            // A put after a delete of the same key wins (the entry stays).
            ie.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.is_some().cmp(&b.1.is_some())));
            let mut merged: Vec<tree::Edit> = Vec::with_capacity(ie.len());
            for e in ie {
                match merged.last_mut() {
                    Some(last) if last.0 == e.0 => *last = e,
                    _ => merged.push(e),
                }
            }
            let spec = rec.indexes[i].spec.clone();
            let new_root = tree::apply_edits_bulk(&self.ns, &rec.indexes[i].root, &merged, false)?;
            if spec.unique {
                self.check_unique_tree(collection, &spec, &new_root, &rec.primary)?;
            }
            rec.indexes[i].root = new_root;
        }
        Ok(())
    }

    /// Scans a unique index tree for two entries with the same key.
    fn check_unique_tree(
        &self,
        collection: &str,
        spec: &IndexSpec,
        root: &Hash,
        primary: &Hash,
    ) -> Result<()> {
        let mut prev: Option<(Vec<u8>, Vec<u8>)> = None;
        for item in tree::Scan::new(&self.ns, root, None)? {
            let (k, id) = item?;
            let prefix = k[..k.len().saturating_sub(id.len())].to_vec();
            if let Some((pp, pid)) = &prev
                && *pp == prefix
                && *pid != id
            {
                let doc = tree::get(&self.ns, primary, &id)?
                    .map(|raw| Document::from_reader(raw.as_slice()))
                    .transpose()?
                    .unwrap_or_default();
                return Err(super::project::duplicate_key_error(collection, spec, &doc));
            }
            prev = Some((prefix, id));
        }
        Ok(())
    }
}
