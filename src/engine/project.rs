//! A project: one MongoDB database with branches, tags and history, kept
//! in one chunk store. Writers serialize on the store's lock (across
//! processes); readers take snapshots without it.

use super::catalog::{CollectionRecord, Index, IndexSpec, index_keys};
use super::clock;
use super::commit::Commit;
use super::error::{Error, Result};
use super::hash::Hash;
use super::keys;
use super::refs::{BranchRef, Refs, TagRef, validate_name};
use super::store::ChunkStore;
use super::tree::{self, NodeStore};
use super::view::{Catalog, Tail, View, load_catalog};
use super::wal::{DocOp, WalRecord};
use bson::{Bson, Document};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Checkpoint a branch's tail after this many records...
/// Bounds how many records a read of a past point replays, and the
/// memory a tail holds.
pub const CHECKPOINT_RECORDS: usize = 16_384;
/// ...or this many bytes of changes (what a read of a past point replays
/// at most: ~2 ms).
pub const CHECKPOINT_BYTES: usize = 2 << 20;
pub const DEFAULT_RETENTION_MS: i64 = 7 * 24 * 3600 * 1000;

pub struct Project {
    pub name: String,
    pub(crate) ns: NodeStore,
    pub(crate) live: Mutex<Live>,
    pub author: String,
}

/// What this process knows of the shared state.
pub(crate) struct Live {
    pub refs_version: u64,
    pub refs: Refs,
    /// Tails by write-log name.
    pub tails: HashMap<String, Arc<Tail>>,
}

/// One write of a batch.
#[derive(Debug, Clone)]
pub enum WriteOp {
    /// Fails with a duplicate-key error if the `_id` exists.
    Insert { collection: String, doc: Document },
    /// Replaces the document with the same `_id`, inserting if absent.
    Upsert { collection: String, doc: Document },
    /// [`WriteOp::Upsert`] of a document the client replaced whole: the
    /// write log records it as a replacement (a change stream's `replace`
    /// event; an `Upsert` of changed fields is an `update`).
    Replace { collection: String, doc: Document },
    /// Deletes by `_id` (a no-op when absent).
    Delete { collection: String, id: Bson },
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct WriteResult {
    pub lsn: u64,
    pub time: i64,
    pub inserted: u64,
    pub replaced: u64,
    pub deleted: u64,
    #[serde(skip)]
    pub ids: Vec<Bson>,
    /// The write log this batch was appended to and not yet synced (see
    /// [`Project::make_durable`]).
    #[serde(skip)]
    pub(crate) unsynced_log: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BranchInfo {
    pub name: String,
    pub head: String,
    pub parent: Option<String>,
    pub created_at: String,
    pub root: String,
    pub lsn: u64,
    pub head_time: String,
    pub pending_writes: usize,
    pub is_default: bool,
}

pub(crate) fn poisoned<T>(_: T) -> Error {
    Error::Corrupt("a thread panicked while holding the project state".into())
}

impl Project {
    /// Opens a project over a store; `init` creates it when the store is new.
    pub fn open(
        name: &str,
        store: Arc<dyn ChunkStore>,
        init: Option<&str>,
        cache_bytes: usize,
    ) -> Result<Project> {
        let ns = NodeStore::new(store, cache_bytes);
        let blob = ns.chunks().read_refs()?;
        let author = std::env::var("ARGON_AUTHOR")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_else(|_| "argon".into());
        let project = Project {
            name: name.to_string(),
            ns,
            live: Mutex::new(Live {
                refs_version: 0,
                refs: Refs::default(),
                tails: HashMap::new(),
            }),
            author,
        };
        if blob.version == 0 {
            let Some(description) = init else {
                return Err(Error::ProjectNotFound(name.to_string()));
            };
            project.initialize(description)?;
        } else if init.is_some() {
            return Err(Error::ProjectExists(name.to_string()));
        }
        Ok(project)
    }

    fn initialize(&self, description: &str) -> Result<()> {
        let store = self.ns.chunks();
        let _lock = store.lock()?;
        let now = clock::now_ms();
        let root = self.ns.empty_root()?;
        let commit = Commit {
            root,
            parents: vec![],
            lsn: 0,
            time: now,
            author: self.author.clone(),
            message: "create project".into(),
            wal: None,
        };
        let head = commit.write(store.as_ref())?;
        store.flush()?;
        let mut refs = Refs::default();
        refs.project.name = self.name.clone();
        refs.project.description = description.to_string();
        refs.project.created_at = now;
        refs.project.default_branch = "main".into();
        refs.project.retention_ms = DEFAULT_RETENTION_MS;
        refs.next_log_id = 1;
        refs.branches.insert(
            "main".into(),
            BranchRef {
                log: "b0".into(),
                head: head.to_hex(),
                lsn: 0,
                wal_from: 0,
                created_at: now,
                parent: None,
                base: None,
            },
        );
        if store.cas_refs(0, &refs.encode())?.is_none() {
            return Err(Error::ProjectExists(self.name.clone()));
        }
        Ok(())
    }

    pub fn nodes(&self) -> &NodeStore {
        &self.ns
    }

    pub fn store(&self) -> &Arc<dyn ChunkStore> {
        self.ns.chunks()
    }

    pub(crate) fn lock_live(&self) -> Result<MutexGuard<'_, Live>> {
        self.live.lock().map_err(poisoned)
    }

    /// Reloads refs if another process (or thread) changed them.
    pub(crate) fn sync_refs(&self, live: &mut Live) -> Result<()> {
        // Every command checks: compare versions, copy only on a change.
        if self.store().refs_version()? == live.refs_version {
            return Ok(());
        }
        let blob = self.store().read_refs()?;
        if blob.version != live.refs_version {
            live.refs = Refs::decode(&blob.bytes)?;
            live.refs_version = blob.version;
        }
        Ok(())
    }

    pub fn refs(&self) -> Result<Refs> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        Ok(live.refs.clone())
    }

    pub(crate) fn read_commit(&self, hash: &Hash) -> Result<Commit> {
        Commit::read(self.store().as_ref(), hash)
    }

    pub(crate) fn parse_hash(s: &str) -> Result<Hash> {
        Hash::from_hex(s).ok_or_else(|| Error::Corrupt(format!("bad hash in refs: {s}")))
    }

    /// The up-to-date tail of a branch, replaying write-log records other
    /// processes appended.
    pub(crate) fn branch_tail(&self, live: &mut Live, branch: &str) -> Result<Arc<Tail>> {
        let r = live.refs.branch(branch)?.clone();
        let head = Self::parse_hash(&r.head)?;
        let stale = match live.tails.get(&r.log) {
            Some(t) => t.head != head || t.wal_from != r.wal_from,
            None => true,
        };
        if stale {
            let commit = self.read_commit(&head)?;
            let catalog = Arc::new(load_catalog(&self.ns, &commit.root)?);
            let tail = Tail::new(head, commit.root, catalog, r.lsn, commit.time, r.wal_from);
            live.tails.insert(r.log.clone(), Arc::new(tail));
        }
        let store = self.store().clone();
        let len = store.wal_len(&r.log)?;
        let Some(tail) = live.tails.get_mut(&r.log) else {
            return Err(Error::BranchNotFound(branch.to_string()));
        };
        if len > tail.wal_end {
            let records = store.wal_read(&r.log, tail.wal_end, len)?;
            if !records.is_empty() {
                let t = Arc::make_mut(tail);
                for (end, bytes) in records {
                    let rec = WalRecord::decode(&bytes)?;
                    t.apply_record(&self.ns, &rec, end)?;
                }
            }
        }
        Ok(tail.clone())
    }

    /// A snapshot of a branch's current state.
    pub fn branch_view(&self, branch: &str) -> Result<View> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        let tail = self.branch_tail(&mut live, branch)?;
        Ok(View {
            tail,
            branch: Some(branch.to_string()),
            label: branch.to_string(),
        })
    }

    /// The live view of the project's default branch: one refs check and
    /// one tail lookup (what a wire command on database `shop` reads).
    pub fn default_branch_view(&self) -> Result<View> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        let branch = live.refs.project.default_branch.clone();
        let tail = self.branch_tail(&mut live, &branch)?;
        Ok(View {
            tail,
            label: branch.clone(),
            branch: Some(branch),
        })
    }

    pub fn default_branch(&self) -> Result<String> {
        // Every wire command on a project's default database asks: clone
        // the name, not the whole refs table.
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        Ok(live.refs.project.default_branch.clone())
    }

    // ----- writes -------------------------------------------------------

    /// Applies a batch atomically to a branch: validated in full, appended
    /// durably to the write log, then made visible. Returns once durable.
    pub fn write(&self, branch: &str, ops: Vec<WriteOp>) -> Result<WriteResult> {
        let store = self.store().clone();
        let mut result = {
            let _lock = store.lock()?;
            let mut live = self.lock_live()?;
            self.sync_refs(&mut live)?;
            self.write_locked(&mut live, branch, ops)?
        };
        self.make_durable(&mut result)?;
        Ok(result)
    }

    /// Waits until the batch of a write is durable. Called with no lock
    /// held: readers go on, and writers that appended meanwhile share the
    /// sync (group commit). A batch is acknowledged only after this.
    pub(crate) fn make_durable(&self, result: &mut WriteResult) -> Result<()> {
        if let Some(log) = result.unsynced_log.take() {
            self.store().wal_sync(&log)?;
        }
        Ok(())
    }

    /// A read-modify-write: `f` sees the branch's current state and returns
    /// the batch to apply, with no other writer (thread or process) in
    /// between, so concurrent updates never lose each other's changes.
    /// Readers are not blocked while `f` runs.
    pub fn write_with<T, E: From<Error>>(
        &self,
        branch: &str,
        f: impl FnOnce(&View) -> std::result::Result<(Vec<WriteOp>, T), E>,
    ) -> std::result::Result<(WriteResult, T), E> {
        let store = self.store().clone();
        let (mut result, out) = {
            let _lock = store.lock()?;
            let view = self.branch_view(branch)?;
            let (ops, out) = f(&view)?;
            let mut live = self.lock_live()?;
            self.sync_refs(&mut live)?;
            (self.write_locked(&mut live, branch, ops)?, out)
        };
        self.make_durable(&mut result)?;
        Ok((result, out))
    }

    /// [`Project::write`] with the writer lock held and refs synced.
    pub(crate) fn write_locked(
        &self,
        live: &mut Live,
        branch: &str,
        ops: Vec<WriteOp>,
    ) -> Result<WriteResult> {
        let store = self.store().clone();
        // Collections written for the first time are created first, as
        // MongoDB does on insert.
        let tail = self.branch_tail(live, branch)?;
        let missing: Vec<String> = {
            let mut m: Vec<String> = ops
                .iter()
                .map(|op| match op {
                    WriteOp::Insert { collection, .. }
                    | WriteOp::Upsert { collection, .. }
                    | WriteOp::Replace { collection, .. } => collection.clone(),
                    WriteOp::Delete { collection, .. } => collection.clone(),
                })
                .filter(|c| !tail.catalog.contains_key(c))
                .collect();
            m.sort();
            m.dedup();
            m
        };
        for c in &missing {
            validate_collection_name(c)?;
        }
        let creates: Vec<String> = missing
            .into_iter()
            .filter(|c| {
                ops.iter()
                    .any(|op| !matches!(op, WriteOp::Delete { collection, .. } if collection == c))
            })
            .collect();
        if !creates.is_empty() {
            self.structural_commit(
                live,
                branch,
                &format!("create collection {}", creates.join(", ")),
                |ns, catalog| {
                    for c in &creates {
                        catalog.insert(c.clone(), empty_collection(ns)?);
                    }
                    Ok(())
                },
            )?;
        }
        // Apply the batch to a copy of the cached tail (O(1): its maps are
        // persistent) and publish the copy only once the record is
        // appended: a batch that fails validation or the append leaves the
        // cached tail as it was.
        drop(tail);
        let current = self.branch_tail(live, branch)?;
        let log = live.refs.branch(branch)?.log.clone();
        let mut working = (*current).clone();
        drop(current);
        let tail = &mut working;
        let mut result = WriteResult::default();
        let mut doc_ops = Vec::with_capacity(ops.len());
        for op in ops {
            let op = self.prepare_op(tail, op, &mut result)?;
            if let Some(op) = op {
                doc_ops.push(op);
            }
        }
        if doc_ops.is_empty() {
            // Nothing changed: no record, and the state is the current one.
            result.lsn = tail.lsn;
            result.time = tail.time;
            return Ok(result);
        }
        let lsn = tail.lsn + 1;
        let now = clock::now_us();
        // A branch's times never go back, even if the wall clock does:
        // (millisecond, microsecond) pairs only grow.
        let (time, micros) =
            (now.div_euclid(1000), now.rem_euclid(1000) as u16).max((tail.time, tail.micros));
        result.lsn = lsn;
        result.time = time;
        let record = WalRecord {
            lsn,
            time,
            micros,
            ops: doc_ops,
        };
        let end = store.wal_append_deferred(&log, tail.wal_end, &record.encode()?)?;
        result.unsynced_log = Some(log.clone());
        tail.lsn = lsn;
        tail.time = time;
        tail.micros = micros;
        tail.wal_end = end;
        tail.records += 1;
        let needs_checkpoint = tail.records >= CHECKPOINT_RECORDS || tail.bytes >= CHECKPOINT_BYTES;
        live.tails.insert(log, Arc::new(working));
        if needs_checkpoint {
            // The batch is appended and visible: it must be reported as
            // written (a client retrying an error would apply it twice).
            // A failed checkpoint leaves the tail as it was; the next write
            // tries again, and a failing disk still fails the fsync below.
            let _hold = super::long_hold::LongHold::start();
            let _ = self.checkpoint_locked(live, branch, "checkpoint");
        }
        Ok(result)
    }

    /// Validates one op against the tail (which already holds the batch's
    /// earlier ops) and applies it there.
    fn prepare_op(
        &self,
        tail: &mut Tail,
        op: WriteOp,
        result: &mut WriteResult,
    ) -> Result<Option<DocOp>> {
        let (collection, doc, insert_only, replace) = match op {
            WriteOp::Delete { collection, id } => {
                let key = keys::encode_key(&id);
                if tail.get_raw(&self.ns, &collection, &key)?.is_none() {
                    return Ok(None);
                }
                let op = DocOp {
                    collection,
                    key,
                    doc: None,
                    replace: false,
                };
                tail.apply_op(&self.ns, &op)?;
                result.deleted += 1;
                return Ok(Some(op));
            }
            WriteOp::Insert { collection, doc } => (collection, doc, true, false),
            WriteOp::Upsert { collection, doc } => (collection, doc, false, false),
            WriteOp::Replace { collection, doc } => (collection, doc, false, true),
        };
        let doc = with_id(doc)?;
        let id = doc.get("_id").cloned().unwrap_or(Bson::Null);
        if let Bson::Document(d) = &id
            && let Some(k) = d.keys().find(|k| k.starts_with('$'))
        {
            // As mongod: `{_id: {$a: 1}}` would read back as an operator.
            return Err(Error::InvalidDocument(format!(
                "_id fields may not contain '$'-prefixed fields: {k} is not valid for storage"
            )));
        }
        let key = keys::encode_key(&id);
        let raw = doc
            .to_vec()
            .map_err(|e| Error::InvalidDocument(e.to_string()))?;
        if raw.len() > 16 * 1024 * 1024 {
            return Err(Error::InvalidDocument(
                "document is larger than the 16 MiB BSON limit".into(),
            ));
        }
        let existing = tail.get_raw(&self.ns, &collection, &key)?;
        if existing.is_some() && insert_only {
            return Err(duplicate_id_error(&collection, &id));
        }
        self.check_unique(tail, &collection, &key, &doc)?;
        let op = DocOp {
            collection,
            key,
            doc: Some(Arc::from(raw)),
            // Only a replacement of an existing document; replacing
            // nothing inserts.
            replace: replace && existing.is_some(),
        };
        tail.apply_op(&self.ns, &op)?;
        if existing.is_some() {
            result.replaced += 1;
        } else {
            result.inserted += 1;
        }
        result.ids.push(id);
        Ok(Some(op))
    }

    /// Fails if a unique index already holds one of `doc`'s keys for a
    /// different `_id`.
    fn check_unique(&self, tail: &Tail, coll: &str, id_key: &[u8], doc: &Document) -> Result<()> {
        let Some(rec) = tail.catalog.get(coll) else {
            return Ok(());
        };
        for idx in rec.indexes.iter().filter(|i| i.spec.unique) {
            for prefix in index_keys(&idx.spec, doc)? {
                if self
                    .index_holder(tail, coll, idx, &prefix, id_key)?
                    .is_some()
                {
                    return Err(duplicate_key_error(coll, &idx.spec, doc));
                }
            }
        }
        Ok(())
    }

    /// Another `_id` whose entry in `idx` starts with `prefix`, if any.
    fn index_holder(
        &self,
        tail: &Tail,
        coll: &str,
        idx: &Index,
        prefix: &[u8],
        id_key: &[u8],
    ) -> Result<Option<Vec<u8>>> {
        let overlay = tail
            .colls
            .get(coll)
            .and_then(|c| c.indexes.get(&idx.spec.name));
        if let Some(o) = overlay {
            for (k, id) in o.range(prefix.to_vec()..) {
                if !k.starts_with(prefix) {
                    break;
                }
                match id {
                    Some(id) if id.as_slice() != id_key && k.len() == prefix.len() + id.len() => {
                        return Ok(Some(id.clone()));
                    }
                    _ => {}
                }
            }
        }
        for item in tree::Scan::new(&self.ns, &idx.root, Some(prefix))? {
            let (k, other) = item?;
            if !k.starts_with(prefix) {
                break;
            }
            // Same prefix bytes but a longer index key is a different key.
            if k.len() != prefix.len() + other.len() {
                continue;
            }
            let deleted = overlay.is_some_and(|o| matches!(o.get(&k), Some(None)));
            if other != id_key && !deleted {
                return Ok(Some(other));
            }
        }
        Ok(None)
    }

    /// Folds a branch's tail into a checkpoint commit. Returns the new head
    /// (or the old one when there was nothing to fold).
    pub fn checkpoint(&self, branch: &str, message: &str) -> Result<Hash> {
        let store = self.store().clone();
        let _lock = store.lock()?;
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        self.checkpoint_locked(&mut live, branch, message)
    }

    pub(crate) fn checkpoint_locked(
        &self,
        live: &mut Live,
        branch: &str,
        message: &str,
    ) -> Result<Hash> {
        let tail = self.branch_tail(live, branch)?;
        if tail.is_empty() {
            return Ok(tail.head);
        }
        // The records a checkpoint folds stay the history of its range:
        // durable before the commit that names them.
        self.store().wal_sync(&live.refs.branch(branch)?.log)?;
        let (root, _) = tail.fold(&self.ns)?;
        let r = live.refs.branch(branch)?.clone();
        let commit = Commit {
            root,
            parents: vec![tail.head],
            lsn: tail.lsn,
            time: tail.time,
            author: self.author.clone(),
            message: message.to_string(),
            wal: Some(super::commit::WalRange {
                log: r.log.clone(),
                from: tail.wal_from,
                to: tail.wal_end,
            }),
        };
        let head = self.publish_head(live, branch, &commit, tail.wal_end, |_| Ok(()))?;
        // The folded records are history now: compact them. Best effort: on
        // failure they stay readable, uncompacted, in the hot log.
        let _ = self.store().wal_compact(
            &r.log,
            tail.wal_from,
            tail.wal_end,
            &WalRecord::uncompressed,
        );
        Ok(head)
    }

    /// Stores `commit` durably and makes it the branch's head, with the live
    /// tail starting at `wal_end`; `also` changes other refs in the same
    /// compare-and-swap (so both happen or neither does).
    pub(crate) fn publish_head(
        &self,
        live: &mut Live,
        branch: &str,
        commit: &Commit,
        wal_end: u64,
        also: impl FnOnce(&mut Refs) -> Result<()>,
    ) -> Result<Hash> {
        let head = commit.write(self.store().as_ref())?;
        self.store().flush()?;
        self.update_refs(live, |refs| {
            let b = refs
                .branches
                .get_mut(branch)
                .ok_or_else(|| Error::BranchNotFound(branch.to_string()))?;
            b.head = head.to_hex();
            b.lsn = commit.lsn;
            b.wal_from = wal_end;
            also(refs)
        })?;
        Ok(head)
    }

    /// Checkpoints the branches this process has seen pending writes on
    /// (on clean shutdown), so the next process starts without replaying
    /// them. Branches it never touched cost nothing.
    pub fn checkpoint_all(&self) -> Result<()> {
        let names: Vec<String> = {
            let live = self.lock_live()?;
            let dirty: Vec<&String> = live
                .tails
                .iter()
                .filter(|(_, t)| !t.is_empty())
                .map(|(log, _)| log)
                .collect();
            live.refs
                .branches
                .iter()
                .filter(|(_, b)| dirty.contains(&&b.log))
                .map(|(name, _)| name.clone())
                .collect()
        };
        for b in names {
            self.checkpoint(&b, "checkpoint")?;
        }
        Ok(())
    }

    /// Compare-and-swap of the refs blob; the caller holds the writer lock,
    /// so a lost race means another writer ignored the lock.
    pub(crate) fn update_refs(
        &self,
        live: &mut Live,
        f: impl FnOnce(&mut Refs) -> Result<()>,
    ) -> Result<()> {
        let mut refs = live.refs.clone();
        f(&mut refs)?;
        match self.store().cas_refs(live.refs_version, &refs.encode())? {
            Some(v) => {
                live.refs = refs;
                live.refs_version = v;
                Ok(())
            }
            None => Err(Error::Contention),
        }
    }

    /// Checkpoints the branch, applies `change` to its catalog (collections
    /// and indexes) and records the result as one commit.
    pub(crate) fn structural_commit(
        &self,
        live: &mut Live,
        branch: &str,
        message: &str,
        change: impl FnOnce(&NodeStore, &mut Catalog) -> Result<()>,
    ) -> Result<Hash> {
        self.checkpoint_locked(live, branch, "checkpoint")?;
        let tail = self.branch_tail(live, branch)?;
        let mut catalog = (*tail.catalog).clone();
        change(&self.ns, &mut catalog)?;
        let root = write_catalog(&self.ns, &tail.root, &tail.catalog, &catalog)?;
        self.commit_root(live, branch, root, vec![tail.head], message)
    }

    /// Records `root` as the branch's new head commit (one LSN later).
    pub(crate) fn commit_root(
        &self,
        live: &mut Live,
        branch: &str,
        root: Hash,
        parents: Vec<Hash>,
        message: &str,
    ) -> Result<Hash> {
        let tail = self.branch_tail(live, branch)?;
        let commit = Commit {
            root,
            parents,
            lsn: tail.lsn + 1,
            time: clock::now_ms().max(tail.time),
            author: self.author.clone(),
            message: message.to_string(),
            wal: None,
        };
        self.publish_head(live, branch, &commit, tail.wal_end, |_| Ok(()))
    }

    // ----- collections and indexes --------------------------------------

    pub fn create_collection(&self, branch: &str, name: &str) -> Result<()> {
        validate_collection_name(name)?;
        self.with_write_lock(|this, live| {
            let tail = this.branch_tail(live, branch)?;
            if tail.catalog.contains_key(name) {
                return Err(Error::Invalid(format!(
                    "collection '{name}' already exists"
                )));
            }
            this.structural_commit(
                live,
                branch,
                &format!("create collection {name}"),
                |ns, c| {
                    c.insert(name.to_string(), empty_collection(ns)?);
                    Ok(())
                },
            )?;
            Ok(())
        })
    }

    /// Changes a collection's options (`collMod`): `change` edits the
    /// options document, recorded in one commit.
    pub fn set_collection_options(
        &self,
        branch: &str,
        name: &str,
        change: impl FnOnce(&mut Document),
    ) -> Result<()> {
        self.with_write_lock(|this, live| {
            let tail = this.branch_tail(live, branch)?;
            if !tail.catalog.contains_key(name) {
                return Err(Error::CollectionNotFound(name.to_string()));
            }
            this.structural_commit(
                live,
                branch,
                &format!("modify collection {name}"),
                |_, c| {
                    if let Some(rec) = c.get_mut(name) {
                        change(&mut rec.options);
                    }
                    Ok(())
                },
            )?;
            Ok(())
        })
    }

    pub fn drop_collection(&self, branch: &str, name: &str) -> Result<bool> {
        self.with_write_lock(|this, live| {
            let tail = this.branch_tail(live, branch)?;
            if !tail.catalog.contains_key(name) {
                return Ok(false);
            }
            this.structural_commit(live, branch, &format!("drop collection {name}"), |_, c| {
                c.remove(name);
                Ok(())
            })?;
            Ok(true)
        })
    }

    /// Renames a collection on a branch (its documents, indexes and options
    /// move with it); with `drop_target`, an existing `to` is replaced.
    pub fn rename_collection(
        &self,
        branch: &str,
        from: &str,
        to: &str,
        drop_target: bool,
    ) -> Result<()> {
        validate_collection_name(to)?;
        self.with_write_lock(|this, live| {
            // Pending writes to `from` must move with it: fold them first.
            this.checkpoint_locked(live, branch, "checkpoint")?;
            let tail = this.branch_tail(live, branch)?;
            if !tail.catalog.contains_key(from) {
                return Err(Error::CollectionNotFound(from.to_string()));
            }
            if tail.catalog.contains_key(to) && !drop_target {
                return Err(Error::Invalid(format!(
                    "collection '{to}' already exists (use dropTarget to replace it)"
                )));
            }
            this.structural_commit(
                live,
                branch,
                &format!("rename collection {from} to {to}"),
                |_, c| {
                    if let Some(rec) = c.remove(from) {
                        c.insert(to.to_string(), rec);
                    }
                    Ok(())
                },
            )?;
            Ok(())
        })
    }

    /// Builds a secondary index from the collection's documents.
    pub fn create_index(&self, branch: &str, collection: &str, spec: IndexSpec) -> Result<()> {
        self.with_write_lock(|this, live| {
            this.checkpoint_locked(live, branch, "checkpoint")?;
            let tail = this.branch_tail(live, branch)?;
            if !tail.catalog.contains_key(collection) {
                this.structural_commit(
                    live,
                    branch,
                    &format!("create collection {collection}"),
                    |ns, c| {
                        c.insert(collection.to_string(), empty_collection(ns)?);
                        Ok(())
                    },
                )?;
            }
            let tail = this.branch_tail(live, branch)?;
            let rec = tail
                .catalog
                .get(collection)
                .ok_or_else(|| Error::CollectionNotFound(collection.to_string()))?;
            if let Some(existing) = rec.index(&spec.name) {
                if existing.spec.same_definition(&spec) {
                    return Ok(());
                }
                return Err(Error::Invalid(format!(
                    "an index named '{}' already exists with different options",
                    spec.name
                )));
            }
            // (index key prefix, encoded _id) pairs, sorted like the tree.
            let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            for item in tree::Scan::new(&this.ns, &rec.primary, None)? {
                let (id_key, raw) = item?;
                let doc = Document::from_reader(raw.as_slice())?;
                for k in index_keys(&spec, &doc)? {
                    entries.push((k, id_key.clone()));
                }
            }
            entries.sort();
            entries.dedup();
            if spec.unique
                && let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0)
            {
                let doc = tail.get_raw(&this.ns, collection, &w[1].1)?;
                let doc = doc
                    .as_deref()
                    .map(Document::from_reader)
                    .transpose()?
                    .unwrap_or_default();
                return Err(duplicate_key_error(collection, &spec, &doc));
            }
            let entries = entries.into_iter().map(|(mut k, id)| {
                k.extend_from_slice(&id);
                (k, id)
            });
            let root = tree::build(&this.ns, entries)?;
            this.structural_commit(
                live,
                branch,
                &format!("create index {} on {collection}", spec.name),
                |_, c| {
                    if let Some(r) = c.get_mut(collection) {
                        r.indexes.push(Index { spec, root });
                    }
                    Ok(())
                },
            )?;
            Ok(())
        })
    }

    pub fn drop_index(&self, branch: &str, collection: &str, name: &str) -> Result<()> {
        self.with_write_lock(|this, live| {
            let tail = this.branch_tail(live, branch)?;
            let rec = tail
                .catalog
                .get(collection)
                .ok_or_else(|| Error::CollectionNotFound(collection.to_string()))?;
            if rec.index(name).is_none() {
                return Err(Error::Invalid(format!(
                    "index not found with name [{name}]"
                )));
            }
            this.structural_commit(
                live,
                branch,
                &format!("drop index {name} on {collection}"),
                |_, c| {
                    if let Some(r) = c.get_mut(collection) {
                        r.indexes.retain(|i| i.spec.name != name);
                    }
                    Ok(())
                },
            )?;
            Ok(())
        })
    }

    pub(crate) fn with_write_lock<T>(
        &self,
        f: impl FnOnce(&Project, &mut Live) -> Result<T>,
    ) -> Result<T> {
        let store = self.store().clone();
        let _lock = store.lock()?;
        let _hold = super::long_hold::LongHold::start();
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        f(self, &mut live)
    }

    // ----- branches -----------------------------------------------------

    pub fn branches(&self) -> Result<Vec<BranchInfo>> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        // Open transactions' snapshots are internal.
        let names: Vec<String> = live
            .refs
            .branches
            .keys()
            .filter(|b| !super::txn::is_txn_branch(b))
            .cloned()
            .collect();
        let mut out = Vec::with_capacity(names.len());
        // Branches made from one another share heads: read each once.
        let mut heads = HashMap::new();
        for name in &names {
            out.push(self.branch_info_locked(&mut live, name, &mut heads)?);
        }
        Ok(out)
    }

    pub fn branch_info(&self, name: &str) -> Result<BranchInfo> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        self.branch_info_locked(&mut live, name, &mut HashMap::new())
    }

    /// `heads` caches head commits' (root, time) across calls.
    fn branch_info_locked(
        &self,
        live: &mut Live,
        name: &str,
        heads: &mut HashMap<String, (Hash, i64)>,
    ) -> Result<BranchInfo> {
        let r = live.refs.branch(name)?.clone();
        let is_default = live.refs.project.default_branch == name;
        let info = |root: &Hash, lsn: u64, time: i64, pending_writes: usize| BranchInfo {
            name: name.to_string(),
            head: r.head.clone(),
            parent: r.parent.clone(),
            created_at: clock::format_ms(r.created_at),
            root: root.to_hex(),
            lsn,
            head_time: clock::format_ms(time),
            pending_writes,
            is_default,
        };
        // A branch with no writes after its head is its head commit: one
        // chunk read, no tree opened (`branches list` on thousands of
        // branches stays cheap).
        if !live.tails.contains_key(&r.log) && self.store().wal_len(&r.log)? <= r.wal_from {
            let (root, time) = match heads.get(&r.head) {
                Some(h) => *h,
                None => {
                    let commit = self.read_commit(&Self::parse_hash(&r.head)?)?;
                    heads.insert(r.head.clone(), (commit.root, commit.time));
                    (commit.root, commit.time)
                }
            };
            return Ok(info(&root, r.lsn, time, 0));
        }
        let tail = self.branch_tail(live, name)?;
        Ok(info(&tail.root, tail.lsn, tail.time, tail.records))
    }

    /// Creates a branch at any point. Never copies or scans documents.
    pub fn create_branch(&self, name: &str, from: &str) -> Result<BranchInfo> {
        validate_name(name)?;
        self.with_write_lock(|this, live| {
            if live.refs.branches.contains_key(name) {
                return Err(Error::BranchExists(name.to_string()));
            }
            let point = this.resolve_locked(live, from)?;
            let commit = this.materialize(live, &point)?;
            let c = this.read_commit(&commit)?;
            let now = clock::now_ms();
            this.update_refs(live, |refs| {
                let log = format!("b{}", refs.next_log_id);
                refs.next_log_id += 1;
                refs.branches.insert(
                    name.to_string(),
                    BranchRef {
                        log,
                        head: commit.to_hex(),
                        lsn: c.lsn,
                        wal_from: 0,
                        created_at: now,
                        parent: point.branch.clone(),
                        base: Some(commit.to_hex()),
                    },
                );
                Ok(())
            })?;
            Ok(())
        })?;
        self.branch_info(name)
    }

    pub fn delete_branch(&self, name: &str) -> Result<()> {
        self.with_write_lock(|this, live| {
            let log = live.refs.branch(name)?.log.clone();
            if live.refs.project.default_branch == name {
                return Err(Error::Invalid(format!(
                    "'{name}' is the project's default branch and cannot be deleted"
                )));
            }
            this.update_refs(live, |refs| {
                refs.branches.remove(name);
                refs.merges.remove(name);
                for b in refs.branches.values_mut() {
                    if b.parent.as_deref() == Some(name) {
                        b.parent = None;
                    }
                }
                Ok(())
            })?;
            // Its log is never written again (a new branch gets a new log):
            // drop the cached tail and the open handle. Transactions delete
            // their hidden branch on every commit and abort.
            live.tails.remove(&log);
            this.store().wal_close(&log);
            Ok(())
        })
    }

    pub fn rename_branch(&self, old: &str, new: &str) -> Result<()> {
        validate_name(new)?;
        self.with_write_lock(|this, live| {
            live.refs.branch(old)?;
            if live.refs.branches.contains_key(new) {
                return Err(Error::BranchExists(new.to_string()));
            }
            this.update_refs(live, |refs| {
                if let Some(b) = refs.branches.remove(old) {
                    refs.branches.insert(new.to_string(), b);
                }
                if let Some(m) = refs.merges.remove(old) {
                    refs.merges.insert(new.to_string(), m);
                }
                if refs.project.default_branch == old {
                    refs.project.default_branch = new.to_string();
                }
                for b in refs.branches.values_mut() {
                    if b.parent.as_deref() == Some(old) {
                        b.parent = Some(new.to_string());
                    }
                }
                Ok(())
            })
        })
    }

    /// Points a branch at an earlier (or any) state, optionally keeping the
    /// current head as a backup branch.
    pub fn reset_branch(&self, name: &str, to: &str, backup: Option<&str>) -> Result<BranchInfo> {
        if let Some(b) = backup {
            validate_name(b)?;
        }
        self.with_write_lock(|this, live| {
            live.refs.branch(name)?;
            if let Some(b) = backup
                && live.refs.branches.contains_key(b)
            {
                return Err(Error::BranchExists(b.to_string()));
            }
            let old_head = this.checkpoint_locked(live, name, "checkpoint")?;
            let point = this.resolve_locked(live, to)?;
            let commit = this.materialize(live, &point)?;
            let c = this.read_commit(&commit)?;
            let r = live.refs.branch(name)?.clone();
            let wal_end = this.store().wal_len(&r.log)?;
            let old_lsn = r.lsn;
            let now = clock::now_ms();
            this.update_refs(live, |refs| {
                if let Some(b) = backup {
                    let log = format!("b{}", refs.next_log_id);
                    refs.next_log_id += 1;
                    refs.branches.insert(
                        b.to_string(),
                        BranchRef {
                            log,
                            head: old_head.to_hex(),
                            lsn: old_lsn,
                            wal_from: 0,
                            created_at: now,
                            parent: Some(name.to_string()),
                            base: Some(old_head.to_hex()),
                        },
                    );
                }
                let b = refs
                    .branches
                    .get_mut(name)
                    .ok_or_else(|| Error::BranchNotFound(name.to_string()))?;
                b.head = commit.to_hex();
                b.lsn = c.lsn;
                b.wal_from = wal_end;
                Ok(())
            })
        })?;
        self.branch_info(name)
    }

    // ----- tags ---------------------------------------------------------

    pub fn create_tag(&self, name: &str, at: &str, message: &str) -> Result<Hash> {
        validate_name(name)?;
        self.with_write_lock(|this, live| {
            if live.refs.tags.contains_key(name) {
                return Err(Error::TagExists(name.to_string()));
            }
            let point = this.resolve_locked(live, at)?;
            let commit = this.materialize(live, &point)?;
            let now = clock::now_ms();
            this.update_refs(live, |refs| {
                refs.tags.insert(
                    name.to_string(),
                    TagRef {
                        commit: commit.to_hex(),
                        created_at: now,
                        message: message.to_string(),
                    },
                );
                Ok(())
            })?;
            Ok(commit)
        })
    }

    pub fn delete_tag(&self, name: &str) -> Result<()> {
        self.with_write_lock(|this, live| {
            if !live.refs.tags.contains_key(name) {
                return Err(Error::TagNotFound(name.to_string()));
            }
            this.update_refs(live, |refs| {
                refs.tags.remove(name);
                Ok(())
            })
        })
    }
}

pub fn validate_collection_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 200
        || name.contains('\0')
        || name.contains('$')
        || name.starts_with("system.")
    {
        return Err(Error::InvalidName {
            name: name.to_string(),
            rule: "collection names are 1-200 characters without '$' or NUL and do not start with 'system.'",
        });
    }
    Ok(())
}

pub(crate) fn empty_collection(ns: &NodeStore) -> Result<CollectionRecord> {
    Ok(CollectionRecord {
        primary: ns.empty_root()?,
        indexes: Vec::new(),
        options: Document::new(),
    })
}

/// Gives a document an ObjectId `_id` (first, as drivers do) if it has none.
pub fn with_id(doc: Document) -> Result<Document> {
    match doc.get("_id") {
        Some(Bson::Array(_)) => Err(Error::InvalidDocument(
            "the '_id' value cannot be of type array".into(),
        )),
        Some(Bson::RegularExpression(_)) => Err(Error::InvalidDocument(
            "the '_id' value cannot be of type regex".into(),
        )),
        Some(Bson::Undefined) => Err(Error::InvalidDocument(
            "the '_id' value cannot be undefined".into(),
        )),
        Some(_) => Ok(doc),
        None => {
            let mut d = Document::new();
            d.insert("_id", bson::oid::ObjectId::new());
            d.extend(doc);
            Ok(d)
        }
    }
}

/// Writes catalog changes into the database tree.
pub(crate) fn write_catalog(
    ns: &NodeStore,
    root: &Hash,
    old: &Catalog,
    new: &Catalog,
) -> Result<Hash> {
    let mut edits = Vec::new();
    let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        match (old.get(name), new.get(name)) {
            (a, Some(b)) if a != Some(b) => {
                edits.push((name.as_bytes().to_vec(), Some(b.to_bytes()?)))
            }
            (Some(_), None) => edits.push((name.as_bytes().to_vec(), None)),
            _ => {}
        }
    }
    tree::apply_edits(ns, root, &edits)
}

/// `{ field: value, ... }` for an index's fields, as in mongod's errors.
/// The duplicate-key error of a second document with `_id` `id`.
pub(crate) fn duplicate_id_error(collection: &str, id: &Bson) -> Error {
    Error::DuplicateKey {
        collection: collection.to_string(),
        index: "_id_".into(),
        key: format!("{{ _id: {id} }}"),
        pattern: Box::new(bson::doc! { "_id": 1 }),
        value: Box::new(bson::doc! { "_id": id.clone() }),
    }
}

/// The duplicate-key error of `doc` on unique index `spec`.
pub(crate) fn duplicate_key_error(collection: &str, spec: &IndexSpec, doc: &Document) -> Error {
    let mut value = Document::new();
    for (f, _) in &spec.key {
        let v = super::catalog::index_values(spec, doc, f);
        value.insert(f.clone(), v.first().cloned().unwrap_or(Bson::Null));
    }
    Error::DuplicateKey {
        collection: collection.to_string(),
        index: spec.name.clone(),
        key: describe_key(spec, doc),
        pattern: Box::new(spec.key_document()),
        value: Box::new(value),
    }
}

pub(crate) fn describe_key(spec: &IndexSpec, doc: &Document) -> String {
    let values: Vec<String> = spec
        .key
        .iter()
        .map(|(f, _)| {
            // As the index keys it: mongod shows an empty array as undefined.
            let v = super::catalog::index_values(spec, doc, f);
            format!("{f}: {}", v.first().cloned().unwrap_or(Bson::Null))
        })
        .collect();
    format!("{{ {} }}", values.join(", "))
}
