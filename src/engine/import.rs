//! Bulk import: builds trees directly (no write log) and publishes one
//! commit at the end, so an import that fails publishes nothing.

use super::catalog::{IndexSpec, index_keys};
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use super::project::{
    Project, describe_key, empty_collection, validate_collection_name, with_id, write_catalog,
};
use super::tree;
use bson::{Bson, Document};

/// Documents sorted and applied per batch; bounds memory on big imports.
const BATCH: usize = 50_000;

impl Project {
    /// Imports documents into a collection of a branch as one commit.
    /// `upsert` replaces existing `_id`s; otherwise any existing or
    /// repeated `_id` fails the whole import.
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
            let mut total = 0u64;
            let mut batch: Vec<(Vec<u8>, Document)> = Vec::with_capacity(BATCH.min(4096));
            let mut iter = docs.into_iter();
            loop {
                let next = iter.next();
                let done = next.is_none();
                if let Some(item) = next {
                    let doc = with_id(item.map_err(Error::BadInput)?)?;
                    let key = keys::encode_key(doc.get("_id").unwrap_or(&Bson::Null));
                    batch.push((key, doc));
                }
                if batch.len() >= BATCH || (done && !batch.is_empty()) {
                    total += batch.len() as u64;
                    this.import_batch(collection, &mut rec, std::mem::take(&mut batch), upsert)?;
                    progress(total);
                }
                if done {
                    break;
                }
            }
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
        mut batch: Vec<(Vec<u8>, Document)>,
        upsert: bool,
    ) -> Result<()> {
        // Stable sort keeps input order among equal keys: the last wins on upsert.
        batch.sort_by(|a, b| a.0.cmp(&b.0));
        let dup_error = |doc: &Document| Error::DuplicateKey {
            collection: collection.to_string(),
            index: "_id_".into(),
            key: format!(
                "{{ _id: {} }}",
                doc.get("_id").cloned().unwrap_or(Bson::Null)
            ),
        };
        let mut deduped: Vec<(Vec<u8>, Document)> = Vec::with_capacity(batch.len());
        for (k, d) in batch {
            match deduped.last_mut() {
                Some(last) if last.0 == k => {
                    if !upsert {
                        return Err(dup_error(&d));
                    }
                    *last = (k, d);
                }
                _ => deduped.push((k, d)),
            }
        }
        let mut edits = Vec::with_capacity(deduped.len());
        for (k, d) in &deduped {
            let raw = d
                .to_vec()
                .map_err(|e| Error::InvalidDocument(e.to_string()))?;
            if raw.len() > 16 * 1024 * 1024 {
                return Err(Error::InvalidDocument(format!(
                    "document {} is larger than the 16 MiB BSON limit",
                    d.get("_id").cloned().unwrap_or(Bson::Null)
                )));
            }
            edits.push((k.clone(), Some(raw)));
        }
        // Index changes: old entries of replaced documents go, new come.
        let mut index_edits: Vec<Vec<tree::Edit>> = vec![Vec::new(); rec.indexes.len()];
        if !rec.indexes.is_empty() {
            for (k, d) in &deduped {
                let old = if upsert {
                    tree::get(&self.ns, &rec.primary, k)?
                        .map(|raw| Document::from_reader(raw.as_slice()))
                        .transpose()?
                } else {
                    None
                };
                for (i, idx) in rec.indexes.iter().enumerate() {
                    if let Some(old) = &old {
                        for mut ik in index_keys(&idx.spec, old)? {
                            ik.extend_from_slice(k);
                            index_edits[i].push((ik, None));
                        }
                    }
                    for mut ik in index_keys(&idx.spec, d)? {
                        ik.extend_from_slice(k);
                        index_edits[i].push((ik, Some(k.clone())));
                    }
                }
            }
        }
        rec.primary = tree::apply_edits_checked(&self.ns, &rec.primary, &edits, !upsert).map_err(
            |e| match e {
                Error::KeyExists(k) => deduped
                    .iter()
                    .find(|(dk, _)| *dk == k)
                    .map(|(_, d)| dup_error(d))
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
            let new_root = tree::apply_edits(&self.ns, &rec.indexes[i].root, &merged)?;
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
                    .transpose()?;
                return Err(Error::DuplicateKey {
                    collection: collection.to_string(),
                    index: spec.name.clone(),
                    key: doc.map(|d| describe_key(spec, &d)).unwrap_or_default(),
                });
            }
            prev = Some((prefix, id));
        }
        Ok(())
    }
}
