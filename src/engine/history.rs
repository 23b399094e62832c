//! Naming points in history (`main`, `v1`, `<commit>`, `main@lsn:42`,
//! `main@2026-11-25T10:00:00Z`, `main~2`), reading them, and the log.

use super::clock;
use super::commit::Commit;
use super::error::{Error, Result};
use super::hash::Hash;
use super::project::{Live, Project};
use super::view::{Tail, View, load_catalog};
use super::wal::WalRecord;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

/// A resolved point: a base commit plus, for points between checkpoints,
/// the write-log records to replay on top of it.
#[derive(Debug, Clone)]
pub struct Point {
    pub commit: Hash,
    pub replay: Option<Replay>,
    /// Set when the point is a branch's live head.
    pub branch: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Replay {
    pub log: String,
    pub from: u64,
    pub to: u64,
    pub limit: Limit,
}

#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Lsn(u64),
    Time(i64),
}

impl Limit {
    fn admits(&self, rec: &WalRecord) -> bool {
        match *self {
            Limit::Lsn(n) => rec.lsn <= n,
            Limit::Time(t) => rec.time <= t,
        }
    }

    fn admits_commit(&self, c: &Commit) -> bool {
        match *self {
            Limit::Lsn(n) => c.lsn <= n,
            Limit::Time(t) => c.time <= t,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LogEntry {
    /// `None` for the live, not yet checkpointed writes.
    pub commit: Option<String>,
    pub parents: Vec<String>,
    pub lsn_from: u64,
    pub lsn_to: u64,
    pub time: String,
    pub author: String,
    pub message: String,
}

impl Project {
    pub fn resolve(&self, spec: &str) -> Result<Point> {
        let mut live = self.lock_live()?;
        self.sync_refs(&mut live)?;
        self.resolve_locked(&mut live, spec)
    }

    pub(crate) fn resolve_locked(&self, live: &mut Live, spec: &str) -> Result<Point> {
        let bad = |why: &str| Error::BadRef(spec.to_string(), why.to_string());
        let (spec_base, ancestors) = match spec.rsplit_once('~') {
            Some((b, n)) => (
                b,
                n.parse::<usize>()
                    .map_err(|_| bad("'~' must be followed by a number"))?,
            ),
            None => (spec, 0),
        };
        let (name, suffix) = match spec_base.split_once('@') {
            Some((n, s)) => (n, Some(s)),
            None => (spec_base, None),
        };
        let mut point = match suffix {
            None => self.resolve_name(live, name)?,
            Some(s) => {
                let limit = if let Some(n) = s.strip_prefix("lsn:") {
                    Limit::Lsn(n.parse().map_err(|_| bad("expected lsn:<number>"))?)
                } else if let Some(t) = clock::parse_time(s) {
                    Limit::Time(t)
                } else {
                    return Err(bad("expected NAME@lsn:<n> or NAME@<RFC 3339 time>"));
                };
                self.resolve_limited(live, name, limit, spec)?
            }
        };
        for _ in 0..ancestors {
            if point.branch.is_some() || point.replay.is_some() {
                let c = self.materialize(live, &point)?;
                point = Point {
                    commit: c,
                    replay: None,
                    branch: None,
                    label: spec.to_string(),
                };
            }
            let c = self.read_commit(&point.commit)?;
            let parent = *c
                .parents
                .first()
                .ok_or_else(|| bad("history has no commit that far back"))?;
            point = Point {
                commit: parent,
                replay: None,
                branch: None,
                label: spec.to_string(),
            };
        }
        point.label = spec.to_string();
        Ok(point)
    }

    fn resolve_name(&self, live: &mut Live, name: &str) -> Result<Point> {
        if live.refs.branches.contains_key(name) {
            let tail = self.branch_tail(live, name)?;
            return Ok(Point {
                commit: tail.head,
                replay: None,
                branch: Some(name.to_string()),
                label: name.to_string(),
            });
        }
        if let Some(t) = live.refs.tags.get(name) {
            return Ok(Point {
                commit: Project::parse_hash(&t.commit)?,
                replay: None,
                branch: None,
                label: name.to_string(),
            });
        }
        if name.len() >= 6
            && name.chars().all(|c| c.is_ascii_hexdigit())
            && let Some(h) = self.find_commit(live, &name.to_ascii_lowercase())?
        {
            return Ok(Point {
                commit: h,
                replay: None,
                branch: None,
                label: name.to_string(),
            });
        }
        Err(Error::BadRef(
            name.to_string(),
            "no branch, tag or commit has that name".into(),
        ))
    }

    /// A commit whose hex form starts with `prefix`, searched in history.
    fn find_commit(&self, live: &Live, prefix: &str) -> Result<Option<Hash>> {
        if let Some(h) = Hash::from_hex(prefix)
            && self.store().has(&h)?
        {
            return Ok(Some(h));
        }
        let mut seen = HashSet::new();
        let mut queue: VecDeque<Hash> = VecDeque::new();
        for b in live.refs.branches.values() {
            queue.push_back(Project::parse_hash(&b.head)?);
        }
        for t in live.refs.tags.values() {
            queue.push_back(Project::parse_hash(&t.commit)?);
        }
        let mut found = None;
        while let Some(h) = queue.pop_front() {
            if !seen.insert(h) {
                continue;
            }
            if h.to_hex().starts_with(prefix) {
                if found.is_some_and(|f| f != h) {
                    return Err(Error::BadRef(
                        prefix.to_string(),
                        "ambiguous commit prefix".into(),
                    ));
                }
                found = Some(h);
            }
            let c = self.read_commit(&h)?;
            queue.extend(c.parents);
        }
        Ok(found)
    }

    /// `branch@lsn:N` / `branch@time`: the newest state within the limit.
    fn resolve_limited(
        &self,
        live: &mut Live,
        name: &str,
        limit: Limit,
        spec: &str,
    ) -> Result<Point> {
        let base = self.resolve_name(live, name)?;
        // Past the head: the head itself plus tail records within the limit.
        if let Some(branch) = &base.branch {
            let tail = self.branch_tail(live, branch)?;
            if let Limit::Lsn(n) = limit
                && n > tail.lsn
            {
                return Err(Error::BadRef(
                    spec.to_string(),
                    format!("the branch's newest LSN is {}", tail.lsn),
                ));
            }
            let head = self.read_commit(&tail.head)?;
            if limit.admits_commit(&head) {
                let log = live.refs.branch(branch)?.log.clone();
                return Ok(Point {
                    commit: tail.head,
                    replay: Some(Replay {
                        log,
                        from: tail.wal_from,
                        to: tail.wal_end,
                        limit,
                    }),
                    branch: None,
                    label: spec.to_string(),
                });
            }
        }
        // Walk first parents back to the newest commit within the limit;
        // its child (a checkpoint) holds the records in between.
        let mut child_hash = base.commit;
        let mut child = self.read_commit(&child_hash)?;
        if limit.admits_commit(&child) {
            return Ok(Point {
                commit: child_hash,
                replay: None,
                branch: None,
                label: spec.to_string(),
            });
        }
        loop {
            let Some(parent_hash) = child.parents.first().copied() else {
                return Err(Error::BadRef(
                    spec.to_string(),
                    "that point is before the first commit".into(),
                ));
            };
            let parent = self.read_commit(&parent_hash).map_err(|e| match e {
                Error::MissingChunk(_) => Error::OutsideRetention(spec.to_string()),
                e => e,
            })?;
            if limit.admits_commit(&parent) {
                let replay = child.wal.as_ref().map(|w| Replay {
                    log: w.log.clone(),
                    from: w.from,
                    to: w.to,
                    limit,
                });
                return Ok(Point {
                    commit: parent_hash,
                    replay,
                    branch: None,
                    label: spec.to_string(),
                });
            }
            child_hash = parent_hash;
            child = parent;
            let _ = child_hash;
        }
    }

    /// The tail (base + replayed records) for a non-live point.
    pub(crate) fn point_tail(&self, point: &Point) -> Result<Tail> {
        let c = self.read_commit(&point.commit)?;
        let catalog = Arc::new(load_catalog(&self.ns, &c.root).map_err(|e| match e {
            Error::MissingChunk(_) => Error::OutsideRetention(point.label.clone()),
            e => e,
        })?);
        let mut tail = Tail::new(point.commit, c.root, catalog, c.lsn, c.time, 0);
        if let Some(r) = &point.replay {
            self.store()
                .wal_scan(&r.log, r.from, r.to, &mut |end, bytes| {
                    let rec = WalRecord::decode(bytes)?;
                    if !r.limit.admits(&rec) {
                        return Ok(false);
                    }
                    tail.apply_record(&self.ns, &rec, end)?;
                    Ok(true)
                })?;
        }
        Ok(tail)
    }

    /// A read-only (or, for a branch name, live) snapshot of any point.
    pub fn view(&self, spec: &str) -> Result<View> {
        // One sync and one tail lookup: resolving a live branch and then
        // opening its view would do both twice.
        let point = {
            let mut live = self.lock_live()?;
            self.sync_refs(&mut live)?;
            let point = self.resolve_locked(&mut live, spec)?;
            if let Some(b) = &point.branch {
                return Ok(View {
                    tail: self.branch_tail(&mut live, b)?,
                    branch: Some(b.clone()),
                    label: spec.to_string(),
                });
            }
            point
        };
        Ok(View {
            tail: Arc::new(self.point_tail(&point)?),
            branch: None,
            label: spec.to_string(),
        })
    }

    /// A commit holding exactly the point's state: the point's own commit,
    /// a fresh checkpoint of a live branch, or a commit folding replayed
    /// records. Caller holds the writer lock.
    pub(crate) fn materialize(&self, live: &mut Live, point: &Point) -> Result<Hash> {
        if let Some(b) = &point.branch {
            return self.checkpoint_locked(live, b, "checkpoint");
        }
        let Some(_) = &point.replay else {
            return Ok(point.commit);
        };
        let tail = self.point_tail(point)?;
        if tail.is_empty() {
            return Ok(point.commit);
        }
        let (root, _) = tail.fold(&self.ns)?;
        let commit = Commit {
            root,
            parents: vec![point.commit],
            lsn: tail.lsn,
            time: tail.time,
            author: self.author.clone(),
            message: format!("state at {}", point.label),
            wal: None,
        };
        let h = commit.write(self.store().as_ref())?;
        self.store().flush()?;
        Ok(h)
    }

    /// First-parent history from a point, newest first.
    pub fn log(&self, spec: &str, limit: usize) -> Result<Vec<LogEntry>> {
        let point = self.resolve(spec)?;
        let mut out = Vec::new();
        if let Some(b) = &point.branch {
            let view = self.branch_view(b)?;
            if !view.tail.is_empty() {
                out.push(LogEntry {
                    commit: None,
                    parents: vec![view.tail.head.to_hex()],
                    lsn_from: view.tail.head_lsn + 1,
                    lsn_to: view.tail.lsn,
                    time: clock::format_ms(view.tail.time),
                    author: self.author.clone(),
                    message: format!("{} writes not yet checkpointed", view.tail.records),
                });
            }
        }
        let mut next = Some(point.commit);
        while let Some(h) = next {
            if out.len() >= limit {
                break;
            }
            let c = self.read_commit(&h)?;
            let parent_lsn = match c.parents.first() {
                Some(p) => self.read_commit(p)?.lsn,
                None => 0,
            };
            out.push(LogEntry {
                commit: Some(h.to_hex()),
                parents: c.parents.iter().map(|p| p.to_hex()).collect(),
                lsn_from: if c.parents.is_empty() {
                    0
                } else {
                    (parent_lsn + 1).min(c.lsn)
                },
                lsn_to: c.lsn,
                time: clock::format_ms(c.time),
                author: c.author.clone(),
                message: c.message.clone(),
            });
            next = c.parents.first().copied();
        }
        out.truncate(limit);
        Ok(out)
    }

    pub fn commit_info(&self, hash: &Hash) -> Result<Commit> {
        self.read_commit(hash)
    }
}
