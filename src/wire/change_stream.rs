//! Change streams: `watch()` on a collection, a database or the deployment.
//!
//! Events come from the branch's write log, so every acknowledged write is
//! seen in order, whoever made it (a driver, `argonctl data`, another
//! server). A stream keeps a shadow of the branch state at its position to
//! tell inserts from updates and to describe updates field by field.
//! Changes that reach a branch without write-log records (merges, resets,
//! imports, dropped collections) are found by diffing the shadow against
//! the branch, which costs what changed.
//!
//! Resume tokens are `{_data: hex("<log>:<lsn>:<op>")}`: a position in the
//! branch's write log, valid across server restarts.

use super::commands::{CmdError, err};
use crate::engine::catalog::CollectionRecord;
use crate::engine::diff::{CollectionStatus, collection_changes, diff_documents};
use crate::engine::doc::{Op, PathSeg, diff_docs, path_to_string};
use crate::engine::tree::NodeStore;
use crate::engine::view::{Tail, View};
use crate::engine::wal::WalRecord;
use crate::engine::{Error as EngineError, Project};
use bson::{Bson, Document, doc};
use std::sync::Arc;

/// One watched branch.
pub struct Watched {
    /// Database name events report (`shop`, `shop@feature`).
    pub db: String,
    pub project: Arc<Project>,
    pub branch: String,
    log: String,
    /// Write-log offset up to which records were turned into events.
    pos: u64,
    shadow: Tail,
    /// Part of a deployment-wide stream: its tokens also name the database
    /// and the event's time, so a resume can place every other database.
    pub cluster: bool,
}

pub struct ChangeStream {
    pub watched: Vec<Watched>,
    /// A deployment-wide stream: projects created later are watched too.
    pub cluster: bool,
    /// Only this collection (collection-level streams).
    pub collection: Option<String>,
    /// `fullDocument`: default, updateLookup, whenAvailable or required.
    pub full_document: String,
    /// `fullDocumentBeforeChange`: off, whenAvailable or required.
    pub before_change: String,
    /// The token of the last event handed out (or of the start position).
    pub last_token: Document,
    /// Events produced but not yet returned.
    pub pending: std::collections::VecDeque<Document>,
    /// Write time in microseconds of each event the current poll added to
    /// `pending`, to interleave several branches' events.
    pub added_at: Vec<i64>,
    /// Events of the state comparison under way so far, and how many of
    /// them a resume already delivered (`n <= k` are dropped).
    pub diff_seq: usize,
    pub diff_skip: Option<usize>,
    /// `showExpandedEvents`: also report DDL (create, createIndexes,
    /// dropIndexes, modify).
    pub show_expanded: bool,
    /// A collection-level stream whose collection was dropped ends.
    pub invalidated: bool,
}

/// One document's change, as an event describes it.
struct Change {
    old: Option<Document>,
    new: Option<Document>,
    /// Written as a whole-document replacement.
    replace: bool,
    /// The collection has `changeStreamPreAndPostImages` enabled: events
    /// may carry the documents before and after the change.
    images: bool,
}

/// An image a stream asked for with `whenAvailable` or `required`.
fn image(mode: &str, images: bool, doc: &Document, what: &str) -> Result<Option<Bson>, CmdError> {
    match (mode, images) {
        ("whenAvailable" | "required", true) => Ok(Some(Bson::Document(doc.clone()))),
        ("whenAvailable", false) => Ok(Some(Bson::Null)),
        ("required", false) => Err(err(
            47,
            "NoMatchingDocument",
            format!(
                "Change stream was configured to require a {what} for all update, delete and \
                 replace events, but the collection does not have changeStreamPreAndPostImages \
                 enabled (collMod with changeStreamPreAndPostImages: {{enabled: true}})"
            ),
        )),
        _ => Ok(None),
    }
}

/// Whether a collection records pre- and post-images for change streams.
fn images_enabled(view: &View, coll: &str) -> bool {
    view.catalog()
        .get(coll)
        .and_then(|r| r.options.get_document("changeStreamPreAndPostImages").ok())
        .and_then(|o| o.get_bool("enabled").ok())
        .unwrap_or(false)
}

/// Ops of tokens from state comparisons start here, above any record's
/// op index, so they never equal a write's token.
const DIFF_OP: usize = 1 << 32;

/// Where an event happened: its resume token, time and LSN.
struct At {
    token: Document,
    time_ms: i64,
    lsn: u64,
}

/// An event's `clusterTime`: its write's second, and its LSN as the
/// increment (so events of one second still order).
fn cluster_time(time_ms: i64, lsn: u64) -> Bson {
    Bson::Timestamp(bson::Timestamp {
        time: (time_ms / 1000).max(0) as u32,
        increment: (lsn & 0xffff_ffff) as u32,
    })
}

fn token(log: &str, lsn: u64, op: usize) -> Document {
    let raw = format!("{log}:{lsn}:{op}");
    let hex: String = raw.bytes().map(|b| format!("{b:02x}")).collect();
    doc! { "_data": hex }
}

/// `(log, lsn, op)` of a resume token.
pub fn parse_token(t: &Bson) -> Result<(String, u64, usize), CmdError> {
    let bad = || {
        err(
            260,
            "InvalidResumeToken",
            "resume token is not one argonctl issued",
        )
    };
    let data = match t {
        Bson::Document(d) => d.get_str("_data").map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    if data.len() % 2 != 0 {
        return Err(bad());
    }
    let bytes: Option<Vec<u8>> = (0..data.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&data[i..i + 2], 16).ok())
        .collect();
    let raw = String::from_utf8(bytes.ok_or_else(bad)?).map_err(|_| bad())?;
    let mut parts = raw.rsplitn(3, ':');
    let op = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let lsn = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let log = parts.next().ok_or_else(bad)?.to_string();
    Ok((log, lsn, op))
}

impl Watched {
    /// Starts watching `branch` now, or just after a resume position.
    pub fn open(
        db: String,
        project: Arc<Project>,
        branch: String,
        resume: Option<(String, u64, usize)>,
    ) -> Result<(Watched, Option<(u64, usize)>), CmdError> {
        let log = project.refs()?.branch(&branch)?.log.clone();
        let (view, skip) = match resume {
            Some((rlog, lsn, op)) => {
                // A deployment-wide stream's token: `db|time|log`.
                let rlog = rlog.rsplit('|').next().unwrap_or_default().to_string();
                if rlog != log {
                    return Err(err(
                        260,
                        "InvalidResumeToken",
                        "the resume token belongs to another branch",
                    ));
                }
                // Replay from just before that record; skip the ops seen.
                let v = project.view(&format!("{branch}@lsn:{}", lsn.saturating_sub(1)))?;
                (v, Some((lsn, op)))
            }
            None => (project.branch_view(&branch)?, None),
        };
        let w = Watched::at_view(db, project, branch, log, &view)?;
        Ok((w, skip))
    }

    /// Watches `branch` from the state it had at `time_ms`: how a resumed
    /// deployment-wide stream places the databases its token does not name.
    pub fn open_at_time(
        db: String,
        project: Arc<Project>,
        branch: String,
        time_ms: i64,
    ) -> Result<Watched, CmdError> {
        let log = project.refs()?.branch(&branch)?.log.clone();
        let spec = format!("{branch}@{}", crate::engine::clock::format_ms(time_ms));
        let view = match project.view(&spec) {
            Ok(v) => v,
            // Created after that time: everything it has is new.
            Err(_) => return Watched::open_from_start(db, project, branch),
        };
        Watched::at_view(db, project, branch, log, &view)
    }

    fn at_view(
        db: String,
        project: Arc<Project>,
        branch: String,
        log: String,
        view: &View,
    ) -> Result<Watched, CmdError> {
        let shadow = (*view.tail).clone();
        let pos = if shadow.records > 0 || shadow.wal_end > 0 {
            shadow.wal_end
        } else {
            // A commit point: records after it start where its own folded
            // range ended (or the log's start).
            project
                .commit_info(&shadow.head)?
                .wal
                .filter(|w| w.log == log)
                .map_or(0, |w| w.to)
        };
        Ok(Watched {
            db,
            project,
            branch,
            log,
            pos,
            shadow,
            cluster: false,
        })
    }

    /// Watches a project found after a cluster-wide stream opened: every
    /// change it has is new to the stream, so the shadow starts empty and
    /// the whole write log is read.
    pub fn open_from_start(
        db: String,
        project: Arc<Project>,
        branch: String,
    ) -> Result<Watched, CmdError> {
        let log = project.refs()?.branch(&branch)?.log.clone();
        let empty = NodeStore::empty_root_hash();
        let shadow = Tail::new(
            crate::engine::Hash([0; 32]),
            empty,
            Arc::new(Default::default()),
            0,
            0,
            0,
        );
        Ok(Watched {
            db,
            project,
            branch,
            log,
            pos: 0,
            shadow,
            cluster: true,
        })
    }

    /// The resume token of op `op` of record `lsn`, written at `time_ms`.
    fn token_for(&self, lsn: u64, op: usize, time_ms: i64) -> Document {
        if self.cluster {
            token(&format!("{}|{time_ms}|{}", self.db, self.log), lsn, op)
        } else {
            token(&self.log, lsn, op)
        }
    }

    pub fn position_token(&self) -> Document {
        self.token_for(self.shadow.lsn, usize::MAX, self.shadow.time)
    }
}

/// Marks a collection the shadow does not know yet as empty (it was
/// created after the shadow's point).
fn ensure_collection(shadow: &mut Tail, coll: &str) {
    if !shadow.catalog.contains_key(coll) {
        Arc::make_mut(&mut shadow.catalog).insert(
            coll.to_string(),
            CollectionRecord {
                primary: NodeStore::empty_root_hash(),
                indexes: Vec::new(),
                options: Document::new(),
            },
        );
    }
}

/// The value at a diff path in a document.
fn value_at<'a>(d: &'a Document, path: &[PathSeg]) -> Option<&'a Bson> {
    let (first, rest) = path.split_first()?;
    let PathSeg::Field(f) = first else {
        return None;
    };
    let mut cur = d.get(f)?;
    for seg in rest {
        cur = match (seg, cur) {
            (PathSeg::Field(f), Bson::Document(d)) => d.get(f)?,
            (PathSeg::Index(i), Bson::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn raw_doc(raw: &Option<Arc<[u8]>>) -> Result<Option<Document>, CmdError> {
    raw.as_deref()
        .map(Document::from_reader)
        .transpose()
        .map_err(|e| CmdError::from(EngineError::from(e)))
}

impl ChangeStream {
    fn event(
        &self,
        w: &Watched,
        coll: &str,
        at: At,
        change: Change,
    ) -> Result<Option<Document>, CmdError> {
        let At {
            token: id_token,
            time_ms,
            lsn,
        } = at;
        let Change {
            old,
            new,
            replace,
            images,
        } = change;
        let id = new
            .as_ref()
            .or(old.as_ref())
            .and_then(|d| d.get("_id").cloned())
            .unwrap_or(Bson::Null);
        let mut e = doc! {
            "_id": id_token,
            "operationType": "",
            "clusterTime": cluster_time(time_ms, lsn),
            "wallTime": bson::DateTime::from_millis(time_ms),
            "ns": { "db": &w.db, "coll": coll },
            "documentKey": { "_id": id },
        };
        let (o, n) = match (old, new) {
            (None, Some(n)) => {
                e.insert("operationType", "insert");
                e.insert("fullDocument", n);
                return Ok(Some(e));
            }
            (None, None) => return Ok(None),
            (Some(o), None) => {
                e.insert("operationType", "delete");
                (o, None)
            }
            (Some(o), Some(n)) => {
                if o == n {
                    return Ok(None);
                }
                (o, Some(n))
            }
        };
        match &n {
            Some(n) if replace => {
                e.insert("operationType", "replace");
                e.insert("fullDocument", n.clone());
            }
            Some(n) => {
                e.insert("operationType", "update");
                e.insert(
                    "updateDescription",
                    update_description(&o, n, self.show_expanded),
                );
                let full = match self.full_document.as_str() {
                    "updateLookup" => Some(Bson::Document(n.clone())),
                    mode => image(mode, images, n, "post-image")?,
                };
                if let Some(full) = full {
                    e.insert("fullDocument", full);
                }
            }
            None => {}
        }
        if let Some(before) = image(&self.before_change, images, &o, "pre-image")? {
            e.insert("fullDocumentBeforeChange", before);
        }
        Ok(Some(e))
    }

    /// Pushes an event found by comparing states (DDL, merges): its token
    /// is `(lsn, DIFF_OP + n)` for the n-th such event of that commit, and
    /// a resume after one of them skips those before it.
    fn push_diff(&mut self, w: &Watched, mut event: Document, lsn: u64, time: i64) {
        let n = self.diff_seq;
        self.diff_seq += 1;
        if self.diff_skip.is_some_and(|k| n <= k) {
            return;
        }
        event.insert("_id", w.token_for(lsn, DIFF_OP + n, time));
        self.push(event, time * 1000 + 999);
    }

    fn push(&mut self, event: Document, at_us: i64) {
        self.pending.push_back(event);
        self.added_at.push(at_us);
    }

    fn wants(&self, coll: &str) -> bool {
        self.collection.as_deref().is_none_or(|c| c == coll)
    }

    /// Reads what happened on the watched branches since the last poll
    /// into `pending`. `skip` drops the first ops of the first record (a
    /// resume inside a record).
    pub fn poll(&mut self, mut skip: Option<(u64, usize)>) -> Result<(), CmdError> {
        let mut watched = std::mem::take(&mut self.watched);
        let start = self.pending.len();
        // Positions before this poll (shadows are persistent maps: cheap
        // to keep), restored if it fails halfway, so a retry re-reads the
        // same records instead of skipping or repeating events.
        let saved: Vec<(String, u64, Tail)> = watched
            .iter()
            .map(|w| (w.log.clone(), w.pos, w.shadow.clone()))
            .collect();
        let result = (|| {
            for w in watched.iter_mut() {
                self.poll_one(w, skip.take())?;
            }
            Ok(())
        })();
        if result.is_err() {
            for (w, (log, pos, shadow)) in watched.iter_mut().zip(saved) {
                w.log = log;
                w.pos = pos;
                w.shadow = shadow;
            }
            self.pending.truncate(start);
            self.added_at.clear();
        }
        self.watched = watched;
        let added_at = std::mem::take(&mut self.added_at);
        if self.watched.len() > 1 && added_at.len() == self.pending.len() - start {
            // Branches keep separate logs: interleave their new events by
            // write time. The sort is stable, so each branch's own order
            // (its times never go back) is kept.
            let mut new: Vec<(i64, Document)> = added_at
                .into_iter()
                .zip(self.pending.drain(start..))
                .collect();
            new.sort_by_key(|(at, _)| *at);
            self.pending.extend(new.into_iter().map(|(_, e)| e));
        }
        result
    }

    fn poll_one(&mut self, w: &mut Watched, skip: Option<(u64, usize)>) -> Result<(), CmdError> {
        let p = w.project.clone();
        let current = p.branch_view(&w.branch)?;
        let log = p.refs()?.branch(&w.branch)?.log.clone();
        if log == w.log
            && current.tail.wal_end == w.pos
            && current.lsn() == w.shadow.lsn
            && current.tail.head == w.shadow.head
        {
            return Ok(()); // nothing new
        }
        let mut skip = skip;
        // Commits without write-log records (DDL, merges) in the order they
        // happened among the records: each is reported where it happened.
        // `None` when the shadow's head is not an ancestor (a reset): then
        // the difference is reported at the end.
        let mut structural = if log == w.log {
            structural_commits(&p, &w.shadow.head, &current.tail.head, &w.log, w.pos)?
        } else {
            None
        };
        if log == w.log && current.tail.wal_end > w.pos {
            let mut records = Vec::new();
            p.store()
                .wal_scan(&w.log, w.pos, current.tail.wal_end, &mut |end, bytes| {
                    records.push((end, WalRecord::decode(bytes)?));
                    Ok(true)
                })?;
            for (end, rec) in records {
                // DDL that came before this record (it starts at w.pos).
                while let Some(s) = structural.as_mut()
                    && s.front().is_some_and(|(at, _)| *at <= w.pos)
                    && let Some((_, hash)) = s.pop_front()
                {
                    self.apply_commit(w, hash, &mut skip)?;
                }
                if rec.lsn <= w.shadow.lsn {
                    w.pos = end;
                    continue;
                }
                // The ops of the resumed record already delivered (only
                // that record's: a token may name a commit without one).
                let first_skip = match skip {
                    Some((lsn, op)) if lsn == rec.lsn => skip.take().map(|_| op),
                    Some((lsn, _)) if rec.lsn > lsn => skip.take().and(None),
                    _ => None,
                };
                for (i, op) in rec.ops.iter().enumerate() {
                    if self.show_expanded
                        && !w.shadow.catalog.contains_key(&op.collection)
                        && self.wants(&op.collection)
                        && first_skip.is_none_or(|s| i > s)
                    {
                        // Created by this write (as MongoDB does on insert).
                        // Its token is the position just before the write,
                        // so resuming after it still yields the write.
                        let before = match i.checked_sub(1) {
                            Some(prev) => w.token_for(rec.lsn, prev, rec.time),
                            None => w.token_for(rec.lsn.saturating_sub(1), usize::MAX, rec.time),
                        };
                        let mut e = doc! {
                            "_id": before,
                            "clusterTime": cluster_time(rec.time, rec.lsn),
                            "wallTime": bson::DateTime::from_millis(rec.time),
                            "ns": { "db": &w.db, "coll": &op.collection },
                        };
                        e.extend(doc! {
                            "operationType": "create",
                            "operationDescription": { "idIndex": { "v": 2, "key": { "_id": 1 }, "name": "_id_" } },
                        });
                        self.push(e, rec.time * 1000 + i64::from(rec.micros));
                    }
                    ensure_collection(&mut w.shadow, &op.collection);
                    let old = w.shadow.get_raw(p.nodes(), &op.collection, &op.key)?;
                    w.shadow.apply_op(p.nodes(), op)?;
                    if first_skip.is_some_and(|s| i <= s) || !self.wants(&op.collection) {
                        continue;
                    }
                    if let Some(e) = self.event(
                        w,
                        &op.collection,
                        At {
                            token: w.token_for(rec.lsn, i, rec.time),
                            time_ms: rec.time,
                            lsn: rec.lsn,
                        },
                        Change {
                            old: raw_doc(&old)?,
                            new: raw_doc(&op.doc)?,
                            replace: op.replace,
                            images: images_enabled(&current, &op.collection),
                        },
                    )? {
                        self.push(e, rec.time * 1000 + i64::from(rec.micros));
                    }
                }
                w.shadow.lsn = rec.lsn;
                w.shadow.time = rec.time;
                w.pos = end;
            }
        }
        if let Some(rest) = structural {
            // DDL after the last record; then the shadow holds the branch's
            // state and nothing is left to compare.
            for (_, hash) in rest {
                self.apply_commit(w, hash, &mut skip)?;
            }
        } else if current.lsn() != w.shadow.lsn
            || log != w.log
            || current.tail.head != w.shadow.head
        {
            // The branch moved without write-log records (a merge, reset,
            // import or DDL), or a checkpoint folded records already seen:
            // report the difference (none, for a checkpoint). DDL within
            // one poll shows as its net effect.
            self.diff_events(w, &current)?;
            w.log = log;
            w.pos = current.tail.wal_end;
        }
        // Caught up: the branch's own snapshot is the shadow from here on.
        w.shadow = (*current.tail).clone();
        Ok(())
    }

    /// Reports what commit `hash` (one without write-log records of this
    /// branch: DDL, a merge) changed, and moves the shadow to it.
    fn apply_commit(
        &mut self,
        w: &mut Watched,
        hash: crate::engine::Hash,
        skip: &mut Option<(u64, usize)>,
    ) -> Result<(), CmdError> {
        let at = w.project.view(&hash.to_hex())?;
        // Resumed after an event of this commit: skip those delivered.
        self.diff_skip = match *skip {
            Some((lsn, op)) if lsn == at.lsn() && op >= DIFF_OP => {
                *skip = None;
                Some(op - DIFF_OP)
            }
            _ => None,
        };
        let before = self.pending.len();
        let result = self.diff_events(w, &at);
        // A collMod that changed nothing changes no state, yet mongod
        // reports it: its commit says which collection it modified.
        if result.is_ok()
            && self.show_expanded
            && self.pending.len() == before
            && let Some(coll) = w
                .project
                .commit_info(&hash)?
                .message
                .strip_prefix("modify collection ")
                .map(str::to_string)
            && self.wants(&coll)
        {
            let lsn = at.lsn();
            let time = at.time();
            let e = doc! {
                "_id": "",
                "operationType": "modify",
                "clusterTime": cluster_time(time, lsn),
                "wallTime": bson::DateTime::from_millis(time),
                "ns": { "db": &w.db, "coll": coll },
                "operationDescription": {},
            };
            self.push_diff(w, e, lsn, time);
        }
        self.diff_skip = None;
        result?;
        w.shadow = (*at.tail).clone();
        Ok(())
    }

    fn diff_events(&mut self, w: &Watched, current: &View) -> Result<(), CmdError> {
        self.diff_seq = 0;
        let p = w.project.clone();
        let before = View {
            tail: Arc::new(w.shadow.clone()),
            branch: None,
            label: "stream position".into(),
        };
        let lsn = current.lsn();
        let time = current.time();
        let changes = collection_changes(&before, current, None);
        let renames = renamed_collections(&p, &w.shadow, current, &changes)?;
        for (from, to) in &renames {
            if !self.wants(from) {
                continue;
            }
            let mut e = doc! {
                "_id": w.token_for(lsn, 0, time),
                "operationType": "rename",
                "clusterTime": cluster_time(time, lsn),
                "wallTime": bson::DateTime::from_millis(time),
                "ns": { "db": &w.db, "coll": from },
                "to": { "db": &w.db, "coll": to },
            };
            self.push_diff(w, e.clone(), lsn, time);
            if self.collection.is_some() {
                e.insert("operationType", "invalidate");
                e.remove("ns");
                e.remove("to");
                self.push_diff(w, e, lsn, time);
                self.invalidated = true;
            }
        }
        for c in changes {
            if !self.wants(&c.name) || renames.iter().any(|(f, t)| *f == c.name || *t == c.name) {
                continue;
            }
            if self.show_expanded && c.status != CollectionStatus::Removed {
                for e in ddl_events(&c) {
                    let mut event = doc! {
                        "_id": w.token_for(lsn, 0, time),
                        "clusterTime": cluster_time(time, lsn),
                        "wallTime": bson::DateTime::from_millis(time),
                        "ns": { "db": &w.db, "coll": &c.name },
                    };
                    event.extend(e);
                    self.push_diff(w, event, lsn, time);
                }
            }
            if c.status == CollectionStatus::Removed {
                let mut e = doc! {
                    "_id": w.token_for(lsn, 0, time),
                    "operationType": "drop",
                    "clusterTime": cluster_time(time, lsn),
                    "wallTime": bson::DateTime::from_millis(time),
                    "ns": { "db": &w.db, "coll": &c.name },
                };
                self.push_diff(w, e.clone(), lsn, time);
                if self.collection.is_some() {
                    e.insert("operationType", "invalidate");
                    e.remove("ns");
                    self.push_diff(w, e, lsn, time);
                    self.invalidated = true;
                }
                continue;
            }
            let mut events = Vec::new();
            diff_documents(p.nodes(), &before, current, &c, &mut |d| {
                events.push(d);
                Ok(())
            })?;
            for (i, d) in events.into_iter().enumerate() {
                if let Some(e) = self.event(
                    w,
                    &c.name,
                    At {
                        token: w.token_for(lsn, i, time),
                        time_ms: time,
                        lsn,
                    },
                    Change {
                        old: raw_doc(&d.left)?,
                        new: raw_doc(&d.right)?,
                        replace: false,
                        images: images_enabled(current, &c.name),
                    },
                )? {
                    self.push_diff(w, e, lsn, time);
                }
            }
        }
        Ok(())
    }
}

/// Collections that moved to a new name between the stream's shadow and
/// the branch: a collection gone from the shadow whose documents and
/// indexes reappear, unchanged, under a name that is new (or replaced, for
/// a rename over an existing collection). Found by content, like git's
/// rename detection, so renames made by any client or the CLI are seen.
fn renamed_collections(
    p: &Project,
    shadow: &Tail,
    current: &View,
    changes: &[crate::engine::diff::CollectionChange],
) -> Result<Vec<(String, String)>, CmdError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for gone in changes
        .iter()
        .filter(|c| c.status == CollectionStatus::Removed)
    {
        let Some(rec) = shadow.catalog.get(&gone.name) else {
            continue;
        };
        // Content proves nothing for an empty collection: an empty one
        // dropped while another is created is a rename only if a rename
        // commit says so.
        let has_documents = rec.primary != NodeStore::empty_root_hash()
            || shadow
                .colls
                .get(&gone.name)
                .is_some_and(|c| c.docs.values().any(Option::is_some));
        for target in changes
            .iter()
            .filter(|c| c.status != CollectionStatus::Removed)
        {
            if out.iter().any(|(_, t)| *t == target.name) {
                continue;
            }
            let Some(now) = current.catalog().get(&target.name) else {
                continue;
            };
            let same_indexes = rec
                .indexes
                .iter()
                .map(|i| &i.spec)
                .eq(now.indexes.iter().map(|i| &i.spec));
            if !same_indexes || rec.options != now.options {
                continue;
            }
            if !has_documents {
                if renamed_by_commit(p, shadow, current, &gone.name, &target.name)? {
                    out.push((gone.name.clone(), target.name.clone()));
                    break;
                }
                continue;
            }
            // The shadow with the gone collection moved to the target name.
            let mut moved = shadow.clone();
            let catalog = Arc::make_mut(&mut moved.catalog);
            catalog.remove(&target.name);
            catalog.insert(target.name.clone(), rec.clone());
            moved.colls.remove(&target.name);
            if let Some(ct) = moved.colls.remove(&gone.name) {
                moved.colls.insert(target.name.clone(), ct);
            }
            let before = View {
                tail: Arc::new(moved),
                branch: None,
                label: "stream position".into(),
            };
            let probe =
                crate::engine::diff::CollectionChange::between(&before, current, &target.name);
            let mut differs = false;
            diff_documents(p.nodes(), &before, current, &probe, &mut |_| {
                differs = true;
                // Stop at the first difference.
                Err(EngineError::Invalid("differs".into()))
            })
            .or_else(|e| if differs { Ok(()) } else { Err(e) })?;
            if !differs {
                out.push((gone.name.clone(), target.name.clone()));
                break;
            }
        }
    }
    Ok(out)
}

/// `updateDescription` of an update from `o` to `n`: fields set, fields
/// removed, and arrays cut short (reported once, with their new size).
///
/// With `showExpandedEvents`, `disambiguatedPaths` spells out the paths a
/// dotted string leaves ambiguous (a field named "1" or "a.b"): each as its
/// components, array indices as integers.
fn update_description(o: &Document, n: &Document, expanded: bool) -> Document {
    let mut updated = Document::new();
    let mut removed = Vec::new();
    let mut truncated: Vec<Document> = Vec::new();
    let mut disambiguated = Document::new();
    for c in diff_docs(o, n) {
        let path = path_to_string(&c.path);
        let ambiguous = c.path.iter().any(|s| {
            matches!(s, PathSeg::Field(f) if f.contains('.') || (!f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())))
        });
        if expanded && ambiguous {
            let parts: Vec<Bson> = c
                .path
                .iter()
                .map(|s| match s {
                    PathSeg::Field(f) => Bson::String(f.clone()),
                    PathSeg::Index(i) => Bson::Int32(*i as i32),
                })
                .collect();
            disambiguated.insert(path.clone(), parts);
        }
        match c.op {
            Op::Remove => {
                // Elements gone from the end of an array are a truncation.
                if let Some((PathSeg::Index(_), parent)) = c.path.split_last()
                    && let Some(Bson::Array(now)) = value_at(n, parent)
                {
                    let field = path_to_string(parent);
                    if !truncated
                        .iter()
                        .any(|t| t.get_str("field").ok() == Some(field.as_str()))
                    {
                        truncated.push(doc! { "field": field, "newSize": now.len() as i32 });
                    }
                    continue;
                }
                removed.push(Bson::String(path));
            }
            Op::Add | Op::Replace => {
                updated.insert(path, c.to.unwrap_or(Bson::Null));
            }
        }
    }
    let mut d =
        doc! { "updatedFields": updated, "removedFields": removed, "truncatedArrays": truncated };
    if expanded && !disambiguated.is_empty() {
        d.insert("disambiguatedPaths", disambiguated);
    }
    d
}

/// The DDL events (`showExpandedEvents`) of a collection that was created
/// or changed: `operationType` and `operationDescription` of each.
fn ddl_events(c: &crate::engine::diff::CollectionChange) -> Vec<Document> {
    let mut out = Vec::new();
    if c.status == CollectionStatus::Added {
        out.push(doc! {
            "operationType": "create",
            "operationDescription": { "idIndex": { "v": 2, "key": { "_id": 1 }, "name": "_id_" } },
        });
    }
    let specs = |r: &Option<CollectionRecord>| -> Vec<crate::engine::catalog::IndexSpec> {
        r.as_ref()
            .map(|r| r.indexes.iter().map(|i| i.spec.clone()).collect())
            .unwrap_or_default()
    };
    let (before, after) = (specs(&c.left), specs(&c.right));
    let describe = |s: &crate::engine::catalog::IndexSpec| -> Bson {
        let mut d = doc! { "v": 2, "key": s.key_document(), "name": &s.name };
        if s.unique {
            d.insert("unique", true);
        }
        Bson::Document(d)
    };
    let added: Vec<Bson> = after
        .iter()
        .filter(|s| !before.contains(s))
        .map(describe)
        .collect();
    let removed: Vec<Bson> = before
        .iter()
        .filter(|s| !after.contains(s))
        .map(describe)
        .collect();
    if !added.is_empty() {
        out.push(
            doc! { "operationType": "createIndexes", "operationDescription": { "indexes": added } },
        );
    }
    if !removed.is_empty() {
        out.push(
            doc! { "operationType": "dropIndexes", "operationDescription": { "indexes": removed } },
        );
    }
    if c.status == CollectionStatus::Modified && c.options_changed {
        let options = c
            .right
            .as_ref()
            .map(|r| r.options.clone())
            .unwrap_or_default();
        out.push(doc! { "operationType": "modify", "operationDescription": options });
    }
    out
}

/// Whether a commit between the stream's shadow and the branch head is the
/// engine's rename of `from` to `to` (its message, as
/// `Project::rename_collection` writes it, names both exactly).
fn renamed_by_commit(
    p: &Project,
    shadow: &Tail,
    current: &View,
    from: &str,
    to: &str,
) -> Result<bool, CmdError> {
    let wanted = format!("rename collection {from} to {to}");
    let mut at = current.tail.head;
    // Renames are rare and streams poll often: a short walk suffices.
    for _ in 0..64 {
        if at == shadow.head {
            break;
        }
        let commit = p.commit_info(&at)?;
        if commit.message == wanted {
            return Ok(true);
        }
        match commit.parents.first() {
            Some(parent) => at = *parent,
            None => break,
        }
    }
    Ok(false)
}

/// The commits from `from` (exclusive) to `to` that did not come from
/// `log`'s records (structural changes, merges, other branches' history),
/// oldest first, each with the write-log offset it happened at. `None`
/// when `from` is not within the last 1,000 first-parent ancestors of `to`.
fn structural_commits(
    p: &Project,
    from: &crate::engine::Hash,
    to: &crate::engine::Hash,
    log: &str,
    pos: u64,
) -> Result<Option<std::collections::VecDeque<(u64, crate::engine::Hash)>>, CmdError> {
    let mut chain = Vec::new();
    let mut at = *to;
    while at != *from {
        if chain.len() >= 1000 {
            return Ok(None);
        }
        let commit = p.commit_info(&at)?;
        let parent = commit.parents.first().copied();
        chain.push((at, commit));
        match parent {
            Some(parent) => at = parent,
            None => return Ok(None),
        }
    }
    let mut out = std::collections::VecDeque::new();
    let mut mark = pos;
    for (hash, commit) in chain.into_iter().rev() {
        match &commit.wal {
            // A checkpoint of this branch's own records: they are read from
            // the log; it only marks how far the log had come.
            Some(range) if range.log == log => mark = mark.max(range.to),
            _ => out.push_back((mark, hash)),
        }
    }
    Ok(Some(out))
}
