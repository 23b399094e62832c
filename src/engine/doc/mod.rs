//! Field-level diff and three-way merge of MongoDB documents.
//!
//! * [`diff`]: [`diff_docs`] computes the changes (add / remove / replace at a
//!   path of fields and array indices) that turn one document into another,
//!   and [`apply_changes`] replays them; `apply_changes(a, &diff_docs(a, b))`
//!   is `b`, including field order and exact numeric types.
//! * [`merge`]: [`merge_docs`] merges two descendants of a common base field
//!   by field (recursing into sub-documents and `_id`-keyed arrays) and
//!   reports [`Conflict`]s; [`merge_versions`] does the same for whole
//!   documents that may have been inserted or deleted.
//! * [`patch`]: [`to_json_patch`] renders a change list as RFC 6902 JSON
//!   Patch with relaxed Extended JSON values.
//!
//! Everything compares values with [`values_equal`]: type-exact (`Int32(1)`,
//! `Int64(1)` and `Double(1.0)` differ), field-order-sensitive for documents,
//! and NaN equal to NaN.

pub mod diff;
pub mod merge;
pub mod patch;

pub use diff::{
    ApplyError, FieldChange, LCS_MAX_CELLS, Op, PathSeg, apply_changes, diff_docs, docs_equal,
    path_to_string, values_equal,
};
pub use merge::{Conflict, ConflictKind, DocMerge, MergeResult, merge_docs, merge_versions};
pub use patch::{json_pointer, to_json_patch};
