//! The operations the CLI and TUI call, independent of where the data
//! lives: [`local::LocalBackend`] runs the engine in-process; a remote
//! backend (the hosted API client) implements the same trait.

pub mod local;

use crate::db::find::FindOptions;
use crate::engine::diff::CollectionStatus;
use crate::engine::history::LogEntry;
use crate::engine::merge::{ConflictRecord, MergeReport, MergeState, Policy, Resolution, Strategy};
use crate::engine::project::BranchInfo;
use crate::engine::projects::ProjectSummary;
use crate::engine::{Result, WriteOp, WriteResult};
use bson::{Bson, Document};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportMode {
    /// Fail on an existing `_id` (and import nothing)
    Insert,
    /// Replace documents with the same `_id`
    Upsert,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportSummary {
    pub collection: String,
    pub documents: u64,
    pub commit: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TagInfo {
    pub name: String,
    pub commit: String,
    pub created_at: String,
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CollectionInfo {
    pub name: String,
    pub documents: u64,
    pub indexes: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GcReport {
    pub dry_run: bool,
    pub chunks_total: u64,
    pub chunks_live: u64,
    pub bytes_total: u64,
    pub bytes_freed: u64,
    /// Write-log history older than the retention window.
    pub history_bytes_freed: u64,
}

/// One collection's non-document changes, announced before its documents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CollectionHeader {
    pub name: String,
    pub status: CollectionStatus,
    pub indexes: Vec<crate::engine::diff::IndexChange>,
    pub options_changed: bool,
}

/// What a diff streams, in collection then `_id` order. Events are handed
/// over one at a time, so the size of the larger variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum DiffEvent {
    Collection(CollectionHeader),
    Document {
        collection: String,
        id: bson::Bson,
        before: Option<Document>,
        after: Option<Document>,
    },
}

/// A streaming source of documents for import; errors abort the import.
pub type DocStream<'a> =
    Box<dyn Iterator<Item = std::result::Result<Document, String>> + Send + 'a>;

pub trait Backend {
    fn create_project(&self, name: &str, description: &str) -> Result<ProjectSummary>;
    fn list_projects(&self) -> Result<Vec<ProjectSummary>>;
    fn show_project(&self, name: &str) -> Result<ProjectSummary>;
    fn delete_project(&self, name: &str) -> Result<()>;
    fn project_names(&self) -> Result<Vec<String>>;

    fn list_branches(&self, project: &str) -> Result<Vec<BranchInfo>>;
    fn show_branch(&self, project: &str, name: &str) -> Result<BranchInfo>;
    fn create_branch(&self, project: &str, name: &str, from: &str) -> Result<BranchInfo>;
    fn delete_branch(&self, project: &str, name: &str) -> Result<()>;
    fn rename_branch(&self, project: &str, old: &str, new: &str) -> Result<()>;
    fn reset_branch(
        &self,
        project: &str,
        name: &str,
        to: &str,
        backup: Option<&str>,
    ) -> Result<BranchInfo>;
    fn default_branch(&self, project: &str) -> Result<String>;

    fn log(&self, project: &str, at: &str, limit: usize) -> Result<Vec<LogEntry>>;
    fn create_tag(&self, project: &str, name: &str, at: &str, message: &str) -> Result<TagInfo>;
    fn list_tags(&self, project: &str) -> Result<Vec<TagInfo>>;
    fn delete_tag(&self, project: &str, name: &str) -> Result<()>;

    fn collections(&self, project: &str, at: &str) -> Result<Vec<CollectionInfo>>;
    /// A `find` on a collection at a point (in `_id` order unless
    /// sorted), through the db layer's planner.
    fn find(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        query: &FindOptions,
        visit: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()>;
    /// Runs an aggregation pipeline on a collection (or view) at a point.
    fn aggregate(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        pipeline: &[Bson],
        visit: &mut dyn FnMut(Document) -> Result<()>,
    ) -> Result<()>;
    /// The document with this `_id` at a point, read by key (the nodes on
    /// one path of the primary tree), not by scanning.
    fn get_by_id(
        &self,
        project: &str,
        at: &str,
        collection: &str,
        id: &bson::Bson,
    ) -> Result<Option<Document>> {
        let mut query = FindOptions {
            limit: Some(1),
            ..Default::default()
        };
        query.filter.insert("_id", id.clone());
        let mut found = None;
        self.find(project, at, collection, &query, &mut |d| {
            found = Some(d);
            Ok(())
        })?;
        Ok(found)
    }
    fn write(&self, project: &str, branch: &str, ops: Vec<WriteOp>) -> Result<WriteResult>;
    fn import(
        &self,
        project: &str,
        branch: &str,
        collection: &str,
        mode: ImportMode,
        docs: DocStream<'_>,
        progress: &dyn Fn(u64),
    ) -> Result<ImportSummary>;

    fn gc(&self, project: &str, dry_run: bool) -> Result<GcReport>;

    /// The point `diff A` compares against: where branch A forked from its
    /// parent (their merge base), else the previous commit.
    fn diff_base(&self, project: &str, at: &str) -> Result<String>;
    /// The collections that differ between two points (no documents).
    fn diff_collections(
        &self,
        project: &str,
        from: &str,
        to: &str,
        collection: Option<&str>,
    ) -> Result<Vec<CollectionHeader>>;
    fn diff(
        &self,
        project: &str,
        from: &str,
        to: &str,
        collection: Option<&str>,
        visit: &mut dyn FnMut(DiffEvent) -> Result<()>,
    ) -> Result<()>;

    fn merge(
        &self,
        project: &str,
        source: &str,
        into: &str,
        policy: &Policy,
        dry_run: bool,
    ) -> Result<MergeReport>;
    /// Undoes one commit or a range `A..B` on a branch, as a new commit.
    fn revert(
        &self,
        project: &str,
        branch: &str,
        what: &str,
        strategy: Strategy,
        dry_run: bool,
    ) -> Result<MergeReport>;
    fn merges_in_progress(&self, project: &str) -> Result<Vec<String>>;
    fn merge_state(&self, project: &str, branch: &str) -> Result<Option<MergeState>>;
    fn resolve_conflict(
        &self,
        project: &str,
        branch: &str,
        id: &str,
        resolution: Resolution,
    ) -> Result<ConflictRecord>;
    /// Resolves several conflicts at once (one update: all or none).
    fn resolve_conflicts(
        &self,
        project: &str,
        branch: &str,
        resolutions: Vec<(String, Resolution)>,
    ) -> Result<Vec<ConflictRecord>> {
        resolutions
            .into_iter()
            .map(|(id, r)| self.resolve_conflict(project, branch, &id, r))
            .collect()
    }
    fn continue_merge(&self, project: &str, branch: &str) -> Result<MergeReport>;
    fn abort_merge(&self, project: &str, branch: &str) -> Result<()>;
}
