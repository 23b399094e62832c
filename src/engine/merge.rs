//! Three-way merge of branches at document and field level, with
//! conflicts kept as data (an in-progress merge on the destination) until
//! each is resolved. Applying a merge is one commit with two parents: all
//! of it or nothing.

use super::catalog::{CollectionRecord, Index, index_keys};
use super::commit::Commit;
use super::doc::{self, DocMerge, FieldChange, Op, PathSeg, path_to_string};
use super::error::{Error, Result};
use super::hash::Hash;
use super::project::{Live, Project, empty_collection, write_catalog};
use super::tree::{self, NodeStore, TreeDiff};
use super::view::{Catalog, load_catalog};
use bson::{Bson, Document};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Stop on conflicts and keep them for resolution (default)
    #[default]
    Fail,
    /// Resolve every conflict with the destination's value
    Ours,
    /// Resolve every conflict with the source's value
    Theirs,
}

/// The strategy for each collection: a default plus overrides.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub default: Strategy,
    pub collections: HashMap<String, Strategy>,
}

impl Policy {
    pub fn new(default: Strategy) -> Policy {
        Policy {
            default,
            collections: HashMap::new(),
        }
    }

    pub fn for_collection(&self, name: &str) -> Strategy {
        self.collections.get(name).copied().unwrap_or(self.default)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeStatus {
    Merged,
    FastForward,
    UpToDate,
    Conflicts,
}

/// One conflict, with values as canonical Extended JSON (exact types).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConflictRecord {
    pub id: String,
    pub collection: String,
    #[serde(rename = "_id")]
    pub id_value: serde_json::Value,
    /// Hex of the encoded `_id` (how the engine finds the document).
    pub key: String,
    /// Dotted path; "" is the whole document (or collection).
    pub path: String,
    pub kind: String,
    pub base: Option<serde_json::Value>,
    pub ours: Option<serde_json::Value>,
    pub theirs: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "choice", rename_all = "lowercase")]
pub enum Resolution {
    Ours,
    Theirs,
    Base,
    /// A given value (canonical Extended JSON); `null` JSON removes.
    Value {
        value: Option<serde_json::Value>,
    },
}

/// A planned change to the destination, for previews.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedChange {
    pub collection: String,
    #[serde(rename = "_id")]
    pub id_value: serde_json::Value,
    pub action: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    pub status: MergeStatus,
    pub source: String,
    pub destination: String,
    pub commit: Option<String>,
    pub base: Option<String>,
    pub dry_run: bool,
    pub conflicts: Vec<ConflictRecord>,
    pub changes: Vec<PlannedChange>,
}

/// The in-progress merge stored in refs under the destination's name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergeState {
    pub source: String,
    pub ours: String,
    pub theirs: String,
    pub base: String,
    pub conflicts: Vec<ConflictRecord>,
}

fn ext(b: &Bson) -> serde_json::Value {
    b.clone().into_canonical_extjson()
}

fn from_ext(v: &serde_json::Value) -> Result<Bson> {
    Bson::try_from(v.clone())
        .map_err(|e| Error::BadInput(format!("invalid Extended JSON value: {e}")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn conflict_id(collection: &str, key: &[u8], path: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(collection.as_bytes());
    h.update(&[0]);
    h.update(key);
    h.update(&[0]);
    h.update(path.as_bytes());
    h.finalize().to_hex()[..10].to_string()
}

fn parse_doc(raw: &[u8]) -> Result<Document> {
    Ok(Document::from_reader(raw)?)
}

/// The result of computing a merge, before anything is written.
struct Plan {
    catalog: Catalog,
    conflicts: Vec<ConflictRecord>,
    changes: Vec<PlannedChange>,
}

impl Project {
    /// Merges `source` into `destination`.
    pub fn merge(
        &self,
        source: &str,
        destination: &str,
        strategy: Strategy,
        dry_run: bool,
    ) -> Result<MergeReport> {
        self.merge_with(source, destination, &Policy::new(strategy), dry_run)
    }

    /// Merges with a strategy per collection.
    pub fn merge_with(
        &self,
        source: &str,
        destination: &str,
        policy: &Policy,
        dry_run: bool,
    ) -> Result<MergeReport> {
        self.with_write_lock(|this, live| {
            if live.refs.merges.contains_key(destination) {
                return Err(Error::MergeInProgress(destination.to_string()));
            }
            live.refs.branch(source)?;
            live.refs.branch(destination)?;
            let theirs = this.checkpoint_locked(live, source, "checkpoint")?;
            let ours = this.checkpoint_locked(live, destination, "checkpoint")?;
            let mut report = MergeReport {
                status: MergeStatus::UpToDate,
                source: source.to_string(),
                destination: destination.to_string(),
                commit: None,
                base: None,
                dry_run,
                conflicts: vec![],
                changes: vec![],
            };
            let base = this.merge_base(&ours, &theirs)?;
            report.base = base.map(|b| b.to_hex());
            if base == Some(theirs) || ours == theirs {
                report.commit = Some(ours.to_hex());
                return Ok(report);
            }
            if base == Some(ours) {
                report.status = MergeStatus::FastForward;
                report.commit = Some(theirs.to_hex());
                if !dry_run {
                    let c = this.read_commit(&theirs)?;
                    let log = live.refs.branch(destination)?.log.clone();
                    let wal_end = this.store().wal_len(&log)?;
                    this.update_refs(live, |refs| {
                        let b = refs
                            .branches
                            .get_mut(destination)
                            .ok_or_else(|| Error::BranchNotFound(destination.to_string()))?;
                        b.head = theirs.to_hex();
                        b.lsn = c.lsn;
                        b.wal_from = wal_end;
                        Ok(())
                    })?;
                }
                return Ok(report);
            }
            let base_root = match base {
                Some(b) => this.read_commit(&b)?.root,
                None => this.ns.empty_root()?,
            };
            let plan = this.plan_merge(&base_root, &ours, &theirs, policy, &HashMap::new())?;
            report.changes = plan.changes;
            report.conflicts = plan.conflicts.clone();
            if !plan.conflicts.is_empty() {
                report.status = MergeStatus::Conflicts;
                if !dry_run {
                    let state = MergeState {
                        source: source.to_string(),
                        ours: ours.to_hex(),
                        theirs: theirs.to_hex(),
                        base: base.map(|b| b.to_hex()).unwrap_or_default(),
                        conflicts: plan.conflicts,
                    };
                    let v =
                        serde_json::to_value(&state).map_err(|e| Error::Corrupt(e.to_string()))?;
                    this.update_refs(live, |refs| {
                        refs.merges.insert(destination.to_string(), v);
                        Ok(())
                    })?;
                }
                return Ok(report);
            }
            report.status = MergeStatus::Merged;
            if !dry_run {
                let head =
                    this.commit_merge(live, destination, source, &ours, &theirs, &plan.catalog)?;
                report.commit = Some(head.to_hex());
            }
            Ok(report)
        })
    }

    fn commit_merge(
        &self,
        live: &mut Live,
        destination: &str,
        source: &str,
        ours: &Hash,
        theirs: &Hash,
        catalog: &Catalog,
    ) -> Result<Hash> {
        let ours_commit = self.read_commit(ours)?;
        let old = load_catalog(&self.ns, &ours_commit.root)?;
        let root = write_catalog(&self.ns, &ours_commit.root, &old, catalog)?;
        self.commit_root(
            live,
            destination,
            root,
            vec![*ours, *theirs],
            &format!("merge {source} into {destination}"),
        )
    }

    /// The in-progress merge on a branch, if any.
    pub fn merge_state(&self, destination: &str) -> Result<Option<MergeState>> {
        let refs = self.refs()?;
        refs.merges
            .get(destination)
            .map(|v| {
                serde_json::from_value(v.clone())
                    .map_err(|e| Error::Corrupt(format!("merge state: {e}")))
            })
            .transpose()
    }

    /// Branches that have a merge in progress.
    pub fn merges_in_progress(&self) -> Result<Vec<String>> {
        Ok(self.refs()?.merges.keys().cloned().collect())
    }

    /// Records how one conflict is resolved.
    pub fn resolve_conflict(
        &self,
        destination: &str,
        id: &str,
        resolution: Resolution,
    ) -> Result<ConflictRecord> {
        self.resolve_conflicts(destination, vec![(id.to_string(), resolution)])?
            .pop()
            .ok_or_else(|| Error::Invalid(format!("no conflict with id '{id}'")))
    }

    /// Records how several conflicts are resolved, in one refs update (all
    /// or none: any invalid resolution rejects the batch).
    pub fn resolve_conflicts(
        &self,
        destination: &str,
        resolutions: Vec<(String, Resolution)>,
    ) -> Result<Vec<ConflictRecord>> {
        for (_, resolution) in &resolutions {
            if let Resolution::Value { value: Some(v) } = resolution {
                from_ext(v)?;
            }
        }
        self.with_write_lock(|this, live| {
            let v = live.refs.merges.get(destination).cloned().ok_or_else(|| Error::NoMergeInProgress(destination.to_string()))?;
            let mut state: MergeState = serde_json::from_value(v).map_err(|e| Error::Corrupt(e.to_string()))?;
            let index: HashMap<String, usize> = state
                .conflicts
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect();
            let mut out = Vec::with_capacity(resolutions.len());
            for (id, resolution) in resolutions {
                let c = index
                    .get(&id)
                    .and_then(|&i| state.conflicts.get_mut(i))
                    .ok_or_else(|| Error::Invalid(format!("no conflict with id '{id}' in the merge into '{destination}'")))?;
                if c.path.is_empty()
                    && let Resolution::Value { value: Some(val) } = &resolution
                        && !matches!(from_ext(val)?, Bson::Document(_)) {
                            return Err(Error::BadInput("this conflict is about a whole document: give a document (or null to delete it)".into()));
                        }
                c.resolution = Some(resolution);
                out.push(c.clone());
            }
            let v = serde_json::to_value(&state).map_err(|e| Error::Corrupt(e.to_string()))?;
            this.update_refs(live, |refs| {
                refs.merges.insert(destination.to_string(), v);
                Ok(())
            })?;
            Ok(out)
        })
    }

    pub fn abort_merge(&self, destination: &str) -> Result<()> {
        self.with_write_lock(|this, live| {
            if !live.refs.merges.contains_key(destination) {
                return Err(Error::NoMergeInProgress(destination.to_string()));
            }
            this.update_refs(live, |refs| {
                refs.merges.remove(destination);
                Ok(())
            })
        })
    }

    /// Applies an in-progress merge once every conflict is resolved.
    pub fn continue_merge(&self, destination: &str) -> Result<MergeReport> {
        self.with_write_lock(|this, live| {
            let v = live.refs.merges.get(destination).cloned().ok_or_else(|| Error::NoMergeInProgress(destination.to_string()))?;
            let state: MergeState = serde_json::from_value(v).map_err(|e| Error::Corrupt(e.to_string()))?;
            let open = state.conflicts.iter().filter(|c| c.resolution.is_none()).count();
            if open > 0 {
                return Err(Error::UnresolvedConflicts { open, total: state.conflicts.len() });
            }
            let ours = Project::parse_hash(&state.ours)?;
            let theirs = Project::parse_hash(&state.theirs)?;
            let current = this.checkpoint_locked(live, destination, "checkpoint")?;
            if current != ours {
                return Err(Error::Invalid(format!(
                    "'{destination}' changed since the merge began; run `argonctl merge --abort` and merge again"
                )));
            }
            let base_root = match Hash::from_hex(&state.base) {
                Some(b) => this.read_commit(&b)?.root,
                None => this.ns.empty_root()?,
            };
            let resolutions: HashMap<String, Resolution> = state
                .conflicts
                .iter()
                .filter_map(|c| c.resolution.clone().map(|r| (c.id.clone(), r)))
                .collect();
            let plan = this.plan_merge(&base_root, &ours, &theirs, &Policy::default(), &resolutions)?;
            if let Some(c) = plan.conflicts.iter().find(|c| !resolutions.contains_key(&c.id)) {
                return Err(Error::Invalid(format!("conflict {} is not resolved", c.id)));
            }
            // The merge commit and the removal of the merge state are one
            // refs update, so a crash leaves either the merge pending or done.
            let ours_commit = this.read_commit(&ours)?;
            let old = load_catalog(&this.ns, &ours_commit.root)?;
            let root = write_catalog(&this.ns, &ours_commit.root, &old, &plan.catalog)?;
            let tail = this.branch_tail(live, destination)?;
            let commit = Commit {
                root,
                parents: vec![ours, theirs],
                lsn: tail.lsn + 1,
                time: super::clock::now_ms().max(tail.time),
                author: this.author.clone(),
                message: format!("merge {} into {destination}", state.source),
                wal: None,
            };
            let head = this.publish_head(live, destination, &commit, tail.wal_end, |refs| {
                refs.merges.remove(destination);
                Ok(())
            })?;
            Ok(MergeReport {
                status: MergeStatus::Merged,
                source: state.source.clone(),
                destination: destination.to_string(),
                commit: Some(head.to_hex()),
                base: Some(state.base.clone()),
                dry_run: false,
                conflicts: state.conflicts,
                changes: plan.changes,
            })
        })
    }

    /// Undoes the changes of one commit (its difference from its first
    /// parent) or of a range `A..B` (B's difference from A) on `branch`, as
    /// a new commit. Later changes to the same documents conflict; with the
    /// `fail` strategy a conflicting revert applies nothing.
    pub fn revert(
        &self,
        branch: &str,
        what: &str,
        strategy: Strategy,
        dry_run: bool,
    ) -> Result<MergeReport> {
        self.with_write_lock(|this, live| {
            if live.refs.merges.contains_key(branch) {
                return Err(Error::MergeInProgress(branch.to_string()));
            }
            let (undo_to, undo_from) = match what.split_once("..") {
                Some((a, b)) => {
                    let a = this.resolve_locked(live, a)?;
                    let a = this.materialize(live, &a)?;
                    let b = this.resolve_locked(live, b)?;
                    (a, this.materialize(live, &b)?)
                }
                None => {
                    let c = this.resolve_locked(live, what)?;
                    let c = this.materialize(live, &c)?;
                    let parent = *this.read_commit(&c)?.parents.first().ok_or_else(|| {
                        Error::Invalid("the first commit has nothing to revert".into())
                    })?;
                    (parent, c)
                }
            };
            let ours = this.checkpoint_locked(live, branch, "checkpoint")?;
            let base_root = this.read_commit(&undo_from)?.root;
            let plan = this.plan_merge(
                &base_root,
                &ours,
                &undo_to,
                &Policy::new(strategy),
                &HashMap::new(),
            )?;
            let mut report = MergeReport {
                status: MergeStatus::Merged,
                source: format!("revert {what}"),
                destination: branch.to_string(),
                commit: None,
                base: Some(undo_from.to_hex()),
                dry_run,
                conflicts: plan.conflicts.clone(),
                changes: plan.changes,
            };
            if !plan.conflicts.is_empty() {
                report.status = MergeStatus::Conflicts;
                return Ok(report);
            }
            if report.changes.is_empty() {
                report.status = MergeStatus::UpToDate;
                report.commit = Some(ours.to_hex());
                return Ok(report);
            }
            if !dry_run {
                let ours_commit = this.read_commit(&ours)?;
                let old = load_catalog(&this.ns, &ours_commit.root)?;
                let root = write_catalog(&this.ns, &ours_commit.root, &old, &plan.catalog)?;
                let head =
                    this.commit_root(live, branch, root, vec![ours], &format!("revert {what}"))?;
                report.commit = Some(head.to_hex());
            }
            Ok(report)
        })
    }

    /// Nearest common ancestor: the first commit reached breadth-first from
    /// `a` that is an ancestor of `b`.
    pub fn merge_base(&self, a: &Hash, b: &Hash) -> Result<Option<Hash>> {
        let mut ancestors_b = HashSet::new();
        let mut queue = VecDeque::from([*b]);
        while let Some(h) = queue.pop_front() {
            if ancestors_b.insert(h) {
                queue.extend(self.read_commit(&h)?.parents);
            }
        }
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([*a]);
        while let Some(h) = queue.pop_front() {
            if ancestors_b.contains(&h) {
                return Ok(Some(h));
            }
            if seen.insert(h) {
                queue.extend(self.read_commit(&h)?.parents);
            }
        }
        Ok(None)
    }

    fn plan_merge(
        &self,
        base_root: &Hash,
        ours: &Hash,
        theirs: &Hash,
        policy: &Policy,
        resolutions: &HashMap<String, Resolution>,
    ) -> Result<Plan> {
        let ns = &self.ns;
        let base_cat = load_catalog(ns, base_root)?;
        let ours_cat = load_catalog(ns, &self.read_commit(ours)?.root)?;
        let theirs_cat = load_catalog(ns, &self.read_commit(theirs)?.root)?;
        let mut plan = Plan {
            catalog: ours_cat.clone(),
            conflicts: vec![],
            changes: vec![],
        };
        let names: BTreeSet<&String> = base_cat
            .keys()
            .chain(ours_cat.keys())
            .chain(theirs_cat.keys())
            .collect();
        for name in names {
            let strategy = policy.for_collection(name);
            let (b, o, t) = (base_cat.get(name), ours_cat.get(name), theirs_cat.get(name));
            match (b, o, t) {
                (_, None, None) => {}
                (None, Some(_), None) => {}
                (None, None, Some(t)) => {
                    plan.catalog.insert(name.clone(), t.clone());
                    plan.changes.push(PlannedChange {
                        collection: name.clone(),
                        id_value: serde_json::Value::Null,
                        action: "create collection",
                    });
                }
                (Some(b), Some(o), None) | (Some(b), None, Some(o)) if b == o => {
                    // Dropped on one side, untouched on the other: dropped.
                    if t.is_none() {
                        plan.catalog.remove(name);
                        plan.changes.push(PlannedChange {
                            collection: name.clone(),
                            id_value: serde_json::Value::Null,
                            action: "drop collection",
                        });
                    }
                }
                (Some(_), Some(_), None) | (Some(_), None, Some(_)) => {
                    let id = conflict_id(name, b"", "");
                    let ours_dropped = o.is_none();
                    let choice = resolutions.get(&id).cloned().or(match strategy {
                        Strategy::Ours => Some(Resolution::Ours),
                        Strategy::Theirs => Some(Resolution::Theirs),
                        Strategy::Fail => None,
                    });
                    let keep_theirs = matches!(choice, Some(Resolution::Theirs));
                    if keep_theirs {
                        match t {
                            Some(t) => {
                                plan.catalog.insert(name.clone(), t.clone());
                            }
                            None => {
                                plan.catalog.remove(name);
                            }
                        }
                    }
                    if strategy == Strategy::Fail {
                        plan.conflicts.push(ConflictRecord {
                            id,
                            collection: name.clone(),
                            id_value: serde_json::Value::Null,
                            key: String::new(),
                            path: String::new(),
                            kind: if ours_dropped {
                                "DropModify".into()
                            } else {
                                "ModifyDrop".into()
                            },
                            base: Some(serde_json::json!("collection exists")),
                            ours: (!ours_dropped).then(|| serde_json::json!("collection modified")),
                            theirs: ours_dropped.then(|| serde_json::json!("collection modified")),
                            resolution: choice,
                        });
                    }
                }
                (b, Some(o), Some(t)) => {
                    let empty;
                    let b = match b {
                        Some(b) => b,
                        None => {
                            empty = empty_collection(ns)?;
                            &empty
                        }
                    };
                    if o == t {
                        continue;
                    }
                    let rec =
                        self.merge_collection(name, b, o, t, strategy, resolutions, &mut plan)?;
                    plan.catalog.insert(name.clone(), rec);
                }
            }
        }
        Ok(plan)
    }

    #[allow(clippy::too_many_arguments)]
    fn merge_collection(
        &self,
        name: &str,
        b: &CollectionRecord,
        o: &CollectionRecord,
        t: &CollectionRecord,
        strategy: Strategy,
        resolutions: &HashMap<String, Resolution>,
        plan: &mut Plan,
    ) -> Result<CollectionRecord> {
        let ns = &self.ns;
        // Keys changed on each side since the base.
        let mut theirs_changes: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
        for d in TreeDiff::new(ns, &b.primary, &t.primary)? {
            let d = d?;
            theirs_changes.insert(d.key, d.right);
        }
        let mut ours_changed: HashSet<Vec<u8>> = HashSet::new();
        if !theirs_changes.is_empty() {
            for d in TreeDiff::new(ns, &b.primary, &o.primary)? {
                ours_changed.insert(d?.key);
            }
        }
        // (key, ours' current raw document, the merged one)
        let mut edits: Vec<DocEdit> = Vec::new();
        for (key, theirs_raw) in &theirs_changes {
            let ours_raw = if ours_changed.contains(key) {
                tree::get(ns, &o.primary, key)?
            } else {
                None
            };
            if !ours_changed.contains(key) {
                let old = tree::get(ns, &o.primary, key)?;
                edits.push((key.clone(), old, theirs_raw.clone()));
                continue;
            }
            let base_raw = tree::get(ns, &b.primary, key)?;
            let (bd, od, td) = (
                base_raw.as_deref().map(parse_doc).transpose()?,
                ours_raw.as_deref().map(parse_doc).transpose()?,
                theirs_raw.as_deref().map(parse_doc).transpose()?,
            );
            let id_value = od
                .as_ref()
                .or(td.as_ref())
                .or(bd.as_ref())
                .and_then(|d| d.get("_id"))
                .cloned()
                .unwrap_or(Bson::Null);
            let result: Option<Option<Document>> =
                match doc::merge_versions(bd.as_ref(), od.as_ref(), td.as_ref()) {
                    DocMerge::Unchanged => None,
                    DocMerge::Take(x) => Some(x),
                    DocMerge::Merged(d) => Some(Some(d)),
                    DocMerge::Conflict {
                        merged_ours,
                        conflicts,
                    } => {
                        let mut doc_result = merged_ours.clone();
                        for c in &conflicts {
                            let path = path_to_string(&c.path);
                            let id = conflict_id(name, key, &path);
                            let choice = resolutions.get(&id).cloned().or(match strategy {
                                Strategy::Ours => Some(Resolution::Ours),
                                Strategy::Theirs => Some(Resolution::Theirs),
                                Strategy::Fail => None,
                            });
                            if let Some(choice) = &choice {
                                doc_result = apply_resolution(
                                    doc_result,
                                    c,
                                    choice,
                                    bd.as_ref(),
                                    od.as_ref(),
                                    td.as_ref(),
                                )?;
                            }
                            if strategy == Strategy::Fail {
                                plan.conflicts.push(ConflictRecord {
                                    id,
                                    collection: name.to_string(),
                                    id_value: ext(&id_value),
                                    key: hex(key),
                                    path,
                                    kind: format!("{:?}", c.kind),
                                    base: c.base.as_ref().map(ext),
                                    ours: c.ours.as_ref().map(ext),
                                    theirs: c.theirs.as_ref().map(ext),
                                    resolution: choice,
                                });
                            }
                        }
                        Some(doc_result)
                    }
                };
            if let Some(new_doc) = result {
                let new_raw = new_doc
                    .map(|d| d.to_vec())
                    .transpose()
                    .map_err(|e| Error::InvalidDocument(e.to_string()))?;
                if new_raw != ours_raw {
                    edits.push((key.clone(), ours_raw, new_raw));
                }
            }
        }
        // Index specs: three-way by name; new indexes are built afterwards.
        let mut rec = o.clone();
        let spec_of = |r: &CollectionRecord, n: &str| r.index(n).map(|i| i.spec.clone());
        let mut rebuild = Vec::new();
        for idx in &t.indexes {
            let n = &idx.spec.name;
            if spec_of(b, n).is_none() && spec_of(o, n).is_none() {
                rebuild.push(idx.spec.clone());
            }
        }
        for idx in &b.indexes {
            let n = &idx.spec.name;
            if spec_of(t, n).is_none() && spec_of(o, n) == Some(idx.spec.clone()) {
                rec.indexes.retain(|i| &i.spec.name != n);
            }
        }
        // An index both sides changed differently, or options both sides
        // changed differently, is a conflict like a document field.
        let spec_json = |r: &CollectionRecord, n: &str| {
            r.index(n).map(|i| {
                let mut d = i.spec.key_document();
                if i.spec.unique {
                    d.insert("$unique", true);
                }
                ext(&Bson::Document(d))
            })
        };
        for idx in &t.indexes {
            let n = &idx.spec.name;
            let (bs, os, ts) = (spec_of(b, n), spec_of(o, n), Some(idx.spec.clone()));
            if os.is_none() || os == ts || bs == ts || bs == os {
                if os.is_some() && bs == os && os != ts {
                    // Only theirs changed it: take theirs.
                    rec.indexes.retain(|i| &i.spec.name != n);
                    rebuild.push(idx.spec.clone());
                }
                continue;
            }
            let path = format!("indexes.{n}");
            let id = conflict_id(name, b"", &path);
            let choice = resolutions.get(&id).cloned().or(match strategy {
                Strategy::Ours => Some(Resolution::Ours),
                Strategy::Theirs => Some(Resolution::Theirs),
                Strategy::Fail => None,
            });
            if matches!(choice, Some(Resolution::Theirs)) {
                rec.indexes.retain(|i| &i.spec.name != n);
                rebuild.push(idx.spec.clone());
            }
            if strategy == Strategy::Fail {
                plan.conflicts.push(ConflictRecord {
                    id,
                    collection: name.to_string(),
                    id_value: serde_json::Value::Null,
                    key: String::new(),
                    path,
                    kind: "IndexSpec".into(),
                    base: spec_json(b, n),
                    ours: spec_json(o, n),
                    theirs: spec_json(t, n),
                    resolution: choice,
                });
            }
        }
        if o.options == b.options {
            rec.options = t.options.clone();
        } else if t.options != b.options && t.options != o.options {
            let id = conflict_id(name, b"", "options");
            let choice = resolutions.get(&id).cloned().or(match strategy {
                Strategy::Ours => Some(Resolution::Ours),
                Strategy::Theirs => Some(Resolution::Theirs),
                Strategy::Fail => None,
            });
            if matches!(choice, Some(Resolution::Theirs)) {
                rec.options = t.options.clone();
            }
            if strategy == Strategy::Fail {
                plan.conflicts.push(ConflictRecord {
                    id,
                    collection: name.to_string(),
                    id_value: serde_json::Value::Null,
                    key: String::new(),
                    path: "options".into(),
                    kind: "Options".into(),
                    base: Some(ext(&Bson::Document(b.options.clone()))),
                    ours: Some(ext(&Bson::Document(o.options.clone()))),
                    theirs: Some(ext(&Bson::Document(t.options.clone()))),
                    resolution: choice,
                });
            }
        }
        for (key, old, new) in &edits {
            let id_value = new
                .as_deref()
                .or(old.as_deref())
                .map(parse_doc)
                .transpose()?
                .and_then(|d| d.get("_id").cloned())
                .unwrap_or(Bson::Null);
            plan.changes.push(PlannedChange {
                collection: name.to_string(),
                id_value: id_value.into_relaxed_extjson(),
                action: match (old, new) {
                    (None, Some(_)) => "insert",
                    (Some(_), None) => "delete",
                    _ => "update",
                },
            });
            let _ = key;
        }
        // Apply document edits to ours' trees, maintaining its indexes.
        let primary_edits: Vec<tree::Edit> = edits
            .iter()
            .map(|(k, _, n)| (k.clone(), n.clone()))
            .collect();
        rec.primary = tree::apply_edits(ns, &rec.primary, &primary_edits)?;
        for idx in &mut rec.indexes {
            let mut ie: Vec<tree::Edit> = Vec::new();
            for (k, old, new) in &edits {
                if let Some(old) = old {
                    for mut ik in index_keys(&idx.spec, &parse_doc(old)?)? {
                        ik.extend_from_slice(k);
                        ie.push((ik, None));
                    }
                }
                if let Some(new) = new {
                    for mut ik in index_keys(&idx.spec, &parse_doc(new)?)? {
                        ik.extend_from_slice(k);
                        ie.push((ik, Some(k.clone())));
                    }
                }
            }
            ie.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.is_some().cmp(&b.1.is_some())));
            let mut merged: Vec<tree::Edit> = Vec::with_capacity(ie.len());
            for e in ie {
                match merged.last_mut() {
                    Some(last) if last.0 == e.0 => *last = e,
                    _ => merged.push(e),
                }
            }
            idx.root = tree::apply_edits(ns, &idx.root, &merged)?;
        }
        for spec in rebuild {
            let root = build_index(ns, &rec.primary, &spec)?;
            rec.indexes.push(Index { spec, root });
        }
        Ok(rec)
    }
}

type DocEdit = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);

fn build_index(ns: &NodeStore, primary: &Hash, spec: &super::catalog::IndexSpec) -> Result<Hash> {
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for item in tree::Scan::new(ns, primary, None)? {
        let (id, raw) = item?;
        for mut k in index_keys(spec, &parse_doc(&raw)?)? {
            k.extend_from_slice(&id);
            entries.push((k, id.clone()));
        }
    }
    entries.sort();
    entries.dedup();
    tree::build(ns, entries)
}

/// Applies one conflict's chosen value onto the working merged document.
fn apply_resolution(
    current: Option<Document>,
    c: &doc::Conflict,
    choice: &Resolution,
    base: Option<&Document>,
    ours: Option<&Document>,
    theirs: Option<&Document>,
) -> Result<Option<Document>> {
    if c.path.is_empty() {
        return Ok(match choice {
            Resolution::Ours => ours.cloned(),
            Resolution::Theirs => theirs.cloned(),
            Resolution::Base => base.cloned(),
            Resolution::Value { value: None } => None,
            Resolution::Value { value: Some(v) } => match from_ext(v)? {
                Bson::Document(d) => Some(d),
                _ => {
                    return Err(Error::BadInput(
                        "a whole-document conflict needs a document value".into(),
                    ));
                }
            },
        });
    }
    let value: Option<Bson> = match choice {
        Resolution::Ours => c.ours.clone(),
        Resolution::Theirs => c.theirs.clone(),
        Resolution::Base => c.base.clone(),
        Resolution::Value { value } => value.as_ref().map(from_ext).transpose()?,
    };
    let Some(doc) = current else {
        return Ok(None);
    };
    set_path(doc, &c.path, value)
}

/// Sets (or removes, for `None`) the value at a path.
fn set_path(doc: Document, path: &[PathSeg], value: Option<Bson>) -> Result<Option<Document>> {
    let attempt = |op: Op| {
        doc::apply_changes(
            &doc,
            &[FieldChange {
                op,
                path: path.to_vec(),
                from: None,
                to: value.clone(),
            }],
        )
    };
    let result = match &value {
        None => match attempt(Op::Remove) {
            Err(doc::ApplyError::PathNotFound { .. }) => Ok(doc.clone()),
            r => r,
        },
        Some(_) => match attempt(Op::Replace) {
            Err(doc::ApplyError::PathNotFound { .. }) => attempt(Op::Add),
            r => r,
        },
    };
    result.map(Some).map_err(|e| {
        Error::Invalid(format!(
            "cannot apply the resolution at '{}': {e}",
            path_to_string(path)
        ))
    })
}
