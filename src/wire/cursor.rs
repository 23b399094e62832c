//! Cursors over a collection scan that read as the client asks.
//!
//! A `find` without a sort that has to scan holds only its snapshot (a
//! [`View`], an `Arc` of the branch state) and the `_id` it stopped at;
//! each `getMore` seeks there and reads one more batch. Memory stays per
//! batch whatever the collection's size, and every batch reads the same
//! snapshot, as a MongoDB cursor does.

use super::commands::CmdError;
use crate::engine::{Error as EngineError, Project, View};
use crate::query::Filter;
use crate::query::projection::Projection;
use bson::Document;
use std::sync::Arc;

/// A reply batch stops growing past this many bytes of BSON (mongod's
/// limit for a reply is 16 MiB).
const BATCH_BYTES: usize = 8 * 1024 * 1024;

pub struct ScanCursor {
    project: Arc<Project>,
    view: View,
    collection: String,
    filter: Filter,
    /// The filter as sent, for positional projections.
    filter_doc: Document,
    projection: Projection,
    /// Encoded `_id` of the last document read: the next batch starts after.
    after: Option<Vec<u8>>,
    /// Matching documents still to skip (`skip`).
    skip: usize,
    /// Documents still to return (`limit`), if limited.
    remaining: Option<usize>,
    /// The scan reached the end of the collection or the limit.
    pub done: bool,
}

/// What a scan cursor reads: the snapshot and the query.
pub struct ScanQuery {
    pub filter: Filter,
    pub filter_doc: Document,
    pub projection: Projection,
    pub skip: usize,
    pub limit: Option<usize>,
}

impl ScanCursor {
    pub fn new(project: Arc<Project>, view: View, collection: &str, q: ScanQuery) -> ScanCursor {
        ScanCursor {
            project,
            view,
            collection: collection.to_string(),
            filter: q.filter,
            filter_doc: q.filter_doc,
            projection: q.projection,
            after: None,
            skip: q.skip,
            done: q.limit == Some(0),
            remaining: q.limit,
        }
    }

    /// Up to `max` more matching documents, projected.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<Document>, CmdError> {
        let mut out = Vec::new();
        if self.done {
            return Ok(out);
        }
        let mut bytes = 0;
        let ns = self.project.nodes();
        let scan = self
            .view
            .scan_from(ns, &self.collection, self.after.as_deref())?;
        let mut reached_end = true;
        for item in scan {
            let (key, raw) = item?;
            if self.after.as_deref() == Some(key.as_slice()) {
                continue; // returned by the previous batch
            }
            let doc = Document::from_reader(&*raw).map_err(EngineError::from)?;
            self.after = Some(key);
            if !self.filter.matches(&doc) {
                continue;
            }
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            bytes += raw.len();
            out.push(self.projection.apply(&doc, Some(&self.filter_doc))?);
            if let Some(r) = &mut self.remaining {
                *r -= 1;
                if *r == 0 {
                    break;
                }
            }
            if out.len() >= max || bytes >= BATCH_BYTES {
                reached_end = false;
                break;
            }
        }
        if reached_end || self.remaining == Some(0) {
            self.done = true;
        }
        Ok(out)
    }
}
