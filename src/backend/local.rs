//! The embedded backend: the engine in this process, over the data dir.

use super::{
    Backend, CollectionHeader, CollectionInfo, DiffEvent, DocStream, GcReport, ImportMode,
    ImportSummary, TagInfo,
};
use crate::db::find::{Find, FindOptions};
use crate::db::snapshot::Snapshot;
use crate::db::write::write_checked;
use crate::engine::diff::{collection_changes, diff_documents};
use crate::engine::history::LogEntry;
use crate::engine::merge::{ConflictRecord, MergeReport, MergeState, Policy, Resolution, Strategy};
use crate::engine::project::BranchInfo;
use crate::engine::projects::ProjectSummary;
use crate::engine::{Engine, Error, Project, Result, WriteOp, WriteResult, clock};
use bson::{Bson, Document};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

pub struct LocalBackend {
    engine: Engine,
    /// Projects opened by this process (a project's caches live here).
    open: RefCell<HashMap<String, Rc<Project>>>,
}

impl LocalBackend {
    pub fn open(dir: &Path) -> Result<LocalBackend> {
        Ok(LocalBackend {
            engine: Engine::open(dir)?,
            open: RefCell::new(HashMap::new()),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn project(&self, name: &str) -> Result<Rc<Project>> {
        if let Some(p) = self.open.borrow().get(name) {
            return Ok(p.clone());
        }
        let p = Rc::new(self.engine.project(name)?);
        self.open.borrow_mut().insert(name.to_string(), p.clone());
        Ok(p)
    }

    fn summary(&self, name: &str) -> Result<ProjectSummary> {
        let refs = self.project(name)?.refs()?;
        Ok(ProjectSummary {
            name: name.to_string(),
            description: refs.project.description.clone(),
            created_at: clock::format_ms(refs.project.created_at),
            default_branch: refs.project.default_branch.clone(),
            branches: refs.branches.len(),
        })
    }
}

impl Drop for LocalBackend {
    /// Folds pending writes into checkpoints so the next process starts
    /// without replaying them (they are durable either way).
    fn drop(&mut self) {
        for p in self.open.borrow().values() {
            let _ = p.checkpoint_all();
        }
    }
}

impl Backend for LocalBackend {
    fn create_project(&self, name: &str, description: &str) -> Result<ProjectSummary> {
        let p = self.engine.create_project(name, description)?;
        self.open.borrow_mut().insert(name.to_string(), Rc::new(p));
        self.summary(name)
    }

    fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        self.engine
            .project_names()?
            .iter()
            .map(|n| self.summary(n))
            .collect()
    }

    fn show_project(&self, name: &str) -> Result<ProjectSummary> {
        self.summary(name)
    }

    fn delete_project(&self, name: &str) -> Result<()> {
        self.open.borrow_mut().remove(name);
        self.engine.delete_project(name)
    }

    fn project_names(&self) -> Result<Vec<String>> {
        self.engine.project_names()
    }

    fn list_branches(&self, project: &str) -> Result<Vec<BranchInfo>> {
        self.project(project)?.branches()
    }

    fn show_branch(&self, project: &str, name: &str) -> Result<BranchInfo> {
        self.project(project)?.branch_info(name)
    }

    fn create_branch(&self, project: &str, name: &str, from: &str) -> Result<BranchInfo> {
        self.project(project)?.create_branch(name, from)
    }

    fn delete_branch(&self, project: &str, name: &str) -> Result<()> {
        self.project(project)?.delete_branch(name)
    }

    fn rename_branch(&self, project: &str, old: &str, new: &str) -> Result<()> {
        self.project(project)?.rename_branch(old, new)
    }

    fn reset_branch(
        &self,
        project: &str,
        name: &str,
        to: &str,
        backup: Option<&str>,
    ) -> Result<BranchInfo> {
        self.project(project)?.reset_branch(name, to, backup)
    }

    fn default_branch(&self, project: &str) -> Result<String> {
        self.project(project)?.default_branch()
    }

    fn log(&self, project: &str, at: &str, limit: usize) -> Result<Vec<LogEntry>> {
        self.project(project)?.log(at, limit)
    }

    fn create_tag(&self, project: &str, name: &str, at: &str, message: &str) -> Result<TagInfo> {
        let p = self.project(project)?;
        p.create_tag(name, at, message)?;
        self.list_tags(project)?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| Error::TagNotFound(name.to_string()))
    }

    fn list_tags(&self, project: &str) -> Result<Vec<TagInfo>> {
        let refs = self.project(project)?.refs()?;
        Ok(refs
            .tags
            .iter()
            .map(|(name, t)| TagInfo {
                name: name.clone(),
                commit: t.commit.clone(),
                created_at: clock::format_ms(t.created_at),
                message: t.message.clone(),
            })
            .collect())
    }

    fn delete_tag(&self, project: &str, name: &str) -> Result<()> {
        self.project(project)?.delete_tag(name)
    }

    fn collections(&self, project: &str, at: &str) -> Result<Vec<CollectionInfo>> {
        let p = self.project(project)?;
        let view = p.view(at)?;
        let mut out = Vec::new();
        for (name, rec) in view.catalog() {
            let mut indexes = vec!["_id_".to_string()];
            indexes.extend(rec.indexes.iter().map(|i| i.spec.name.clone()));
            out.push(CollectionInfo {
                name: name.clone(),
                documents: view.count(p.nodes(), name)?,
                indexes,
            });
        }
        Ok(out)
    }

    fn get_by_id(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        id: &bson::Bson,
    ) -> Result<Option<Document>> {
        let p = self.project(project)?;
        let view = p.view(at)?;
        if !view.has_collection(collection) {
            return Err(Error::CollectionNotFound(collection.to_string()));
        }
        view.get(p.nodes(), collection, id)
    }

    fn find(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        query: &FindOptions,
        visit: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
        let find = Find::parse(query)?;
        let p = self.project(project)?;
        let snap = Snapshot::at(&p, at)?;
        if !snap.has(collection) {
            return Err(Error::CollectionNotFound(collection.to_string()));
        }
        // The visitor's errors are the engine's; carry them through the
        // db layer's error and back.
        snap.find(collection, &find, &mut |d| Ok(visit(d)?))?;
        Ok(())
    }

    fn aggregate(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        pipeline: &[Bson],
        visit: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()> {
        let p = self.project(project)?;
        let snap = Snapshot::at(&p, at)?;
        for d in snap.aggregate(collection, pipeline, &Document::new(), None)? {
            visit(d)?;
        }
        Ok(())
    }

    fn write(&self, project: &str, branch: &str, ops: Vec<WriteOp>) -> Result<WriteResult> {
        // Views and validators are checked as the wire server checks them.
        Ok(write_checked(&*self.project(project)?, branch, ops)?)
    }

    fn import(
        &self,
        project: &str,
        branch: &str,
        collection: &str,
        mode: ImportMode,
        docs: DocStream<'_>,
        progress: &dyn Fn(u64),
    ) -> Result<ImportSummary> {
        let p = self.project(project)?;
        let (n, head) = p.import(
            branch,
            collection,
            mode == ImportMode::Upsert,
            docs,
            progress,
        )?;
        Ok(ImportSummary {
            collection: collection.to_string(),
            documents: n,
            commit: head.to_hex(),
        })
    }

    fn gc(&self, project: &str, dry_run: bool) -> Result<GcReport> {
        let s = self.project(project)?.gc(dry_run)?;
        Ok(GcReport {
            dry_run,
            chunks_total: s.chunks_total,
            chunks_live: s.chunks_live,
            bytes_total: s.bytes_total,
            bytes_freed: s.bytes_freed,
            history_bytes_freed: s.history_bytes_freed,
        })
    }

    fn diff_base(&self, project: &str, at: &str) -> Result<String> {
        let p = self.project(project)?;
        let refs = p.refs()?;
        let point = p.resolve(at)?;
        if let Some(b) = refs.branches.get(at) {
            if let Some(parent) = b.parent.as_ref().filter(|x| refs.branches.contains_key(*x)) {
                let parent_head = p.resolve(parent)?.commit;
                // Like `git diff parent...branch`: what the branch changed
                // since its fork point (nothing, right after it forked).
                if let Some(base) = p.merge_base(&point.commit, &parent_head)? {
                    return Ok(base.to_hex());
                }
            }
            if !p.branch_view(at)?.tail.is_empty() {
                return Ok(point.commit.to_hex());
            }
        }
        let c = p.commit_info(&point.commit)?;
        match c.parents.first() {
            Some(parent) => Ok(parent.to_hex()),
            None => Ok(point.commit.to_hex()),
        }
    }

    fn diff_collections(
        &self,
        project: &str,
        from: &str,
        to: &str,
        collection: Option<&str>,
    ) -> Result<Vec<CollectionHeader>> {
        let p = self.project(project)?;
        let (a, b) = (p.view(from)?, p.view(to)?);
        Ok(collection_changes(&a, &b, collection)
            .into_iter()
            .map(|c| CollectionHeader {
                name: c.name,
                status: c.status,
                indexes: c.indexes,
                options_changed: c.options_changed,
            })
            .collect())
    }

    fn diff(
        &self,
        project: &str,
        from: &str,
        to: &str,
        collection: Option<&str>,
        visit: &mut dyn FnMut(DiffEvent) -> Result<()>,
    ) -> Result<()> {
        let p = self.project(project)?;
        let a = p.view(from)?;
        let b = p.view(to)?;
        let ns = p.nodes();
        for change in collection_changes(&a, &b, collection) {
            visit(DiffEvent::Collection(CollectionHeader {
                name: change.name.clone(),
                status: change.status,
                indexes: change.indexes.clone(),
                options_changed: change.options_changed,
            }))?;
            diff_documents(ns, &a, &b, &change, &mut |d| {
                let before = d.left.as_deref().map(Document::from_reader).transpose()?;
                let after = d.right.as_deref().map(Document::from_reader).transpose()?;
                let id = after
                    .as_ref()
                    .or(before.as_ref())
                    .and_then(|x| x.get("_id").cloned())
                    .unwrap_or(bson::Bson::Null);
                visit(DiffEvent::Document {
                    collection: change.name.clone(),
                    id,
                    before,
                    after,
                })
            })?;
        }
        Ok(())
    }

    fn merge(
        &self,
        project: &str,
        source: &str,
        into: &str,
        policy: &Policy,
        dry_run: bool,
    ) -> Result<MergeReport> {
        self.project(project)?
            .merge_with(source, into, policy, dry_run)
    }

    fn revert(
        &self,
        project: &str,
        branch: &str,
        what: &str,
        strategy: Strategy,
        dry_run: bool,
    ) -> Result<MergeReport> {
        self.project(project)?
            .revert(branch, what, strategy, dry_run)
    }

    fn merges_in_progress(&self, project: &str) -> Result<Vec<String>> {
        self.project(project)?.merges_in_progress()
    }

    fn merge_state(&self, project: &str, branch: &str) -> Result<Option<MergeState>> {
        self.project(project)?.merge_state(branch)
    }

    fn resolve_conflict(
        &self,
        project: &str,
        branch: &str,
        id: &str,
        resolution: Resolution,
    ) -> Result<ConflictRecord> {
        self.project(project)?
            .resolve_conflict(branch, id, resolution)
    }

    fn resolve_conflicts(
        &self,
        project: &str,
        branch: &str,
        resolutions: Vec<(String, Resolution)>,
    ) -> Result<Vec<ConflictRecord>> {
        self.project(project)?
            .resolve_conflicts(branch, resolutions)
    }

    fn continue_merge(&self, project: &str, branch: &str) -> Result<MergeReport> {
        self.project(project)?.continue_merge(branch)
    }

    fn abort_merge(&self, project: &str, branch: &str) -> Result<()> {
        self.project(project)?.abort_merge(branch)
    }
}
