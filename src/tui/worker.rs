//! Slow loads off the UI thread: one worker thread with its own backend
//! (opened by an [`Opener`], so a remote backend plugs in the same way)
//! streams diffs in batches and computes ahead/behind counts. Jobs are
//! numbered; a view ignores messages of jobs it no longer waits for, and a
//! diff is cancelled through its flag when its view goes away.

use crate::backend::{Backend, CollectionHeader, DiffEvent};
use crate::engine::doc::{diff_docs, path_to_string};
use crate::engine::{Error, Result};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// Opens a backend for the worker thread.
pub type Opener = Arc<dyn Fn() -> Result<Box<dyn Backend>> + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Modified,
}

/// One changed document, compact: the documents stay raw BSON until shown.
#[derive(Debug, Clone)]
pub struct DiffEntry {
    pub coll: u32,
    pub kind: Kind,
    pub id: String,
    /// Changed paths of a modified document, comma-separated (cut short).
    pub summary: String,
    pub before: Option<Vec<u8>>,
    pub after: Option<Vec<u8>>,
}

/// Commits a branch is ahead of / behind its parent; `more` when the count
/// stopped at the look-back limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AheadBehind {
    pub ahead: usize,
    pub behind: usize,
    pub more: bool,
}

pub enum Job {
    Diff {
        seq: u64,
        project: String,
        from: String,
        to: String,
        cancel: Arc<AtomicBool>,
    },
    AheadBehind {
        seq: u64,
        project: String,
        /// (branch, parent)
        pairs: Vec<(String, String)>,
    },
}

pub enum Msg {
    DiffCollection {
        seq: u64,
        header: CollectionHeader,
    },
    DiffBatch {
        seq: u64,
        entries: Vec<DiffEntry>,
    },
    DiffDone {
        seq: u64,
        error: Option<String>,
    },
    AheadBehind {
        seq: u64,
        project: String,
        results: Vec<(String, Option<AheadBehind>)>,
    },
}

/// How far back the ahead/behind count looks (keeps it cheap).
pub const AHEAD_LIMIT: usize = 200;

pub struct Worker {
    tx: Sender<Job>,
    rx: Receiver<Msg>,
    seq: u64,
}

impl Worker {
    pub fn start(opener: Opener) -> Worker {
        let (job_tx, job_rx) = channel::<Job>();
        let (msg_tx, msg_rx) = channel::<Msg>();
        let spawned = std::thread::Builder::new()
            .name("argon-tui-worker".into())
            .spawn(move || {
                let backend = opener();
                for job in job_rx {
                    let ok = match &backend {
                        Ok(b) => run_job(b.as_ref(), job, &msg_tx),
                        Err(e) => fail_job(job, &e.to_string(), &msg_tx),
                    };
                    if !ok {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            // No thread: answer jobs with the error as they come.
            let (tx, rx) = channel();
            drop(rx);
            let (mtx, mrx) = channel();
            let _ = mtx.send(Msg::DiffDone {
                seq: 0,
                error: Some(format!("cannot start the worker thread: {e}")),
            });
            return Worker {
                tx,
                rx: mrx,
                seq: 0,
            };
        }
        Worker {
            tx: job_tx,
            rx: msg_rx,
            seq: 0,
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn send(&self, job: Job) {
        let _ = self.tx.send(job);
    }

    pub fn try_recv(&self) -> Option<Msg> {
        self.rx.try_recv().ok()
    }

    pub fn recv_timeout(&self, d: Duration) -> Option<Msg> {
        self.rx.recv_timeout(d).ok()
    }
}

fn fail_job(job: Job, error: &str, tx: &Sender<Msg>) -> bool {
    let msg = match job {
        Job::Diff { seq, .. } => Msg::DiffDone {
            seq,
            error: Some(error.to_string()),
        },
        Job::AheadBehind {
            seq,
            project,
            pairs,
        } => Msg::AheadBehind {
            seq,
            project,
            results: pairs.into_iter().map(|(b, _)| (b, None)).collect(),
        },
    };
    tx.send(msg).is_ok()
}

fn run_job(b: &dyn Backend, job: Job, tx: &Sender<Msg>) -> bool {
    match job {
        Job::Diff {
            seq,
            project,
            from,
            to,
            cancel,
        } => {
            let r = stream_diff(b, seq, &project, &from, &to, &cancel, tx);
            let error = match r {
                Ok(()) => None,
                Err(_) if cancel.load(Ordering::Relaxed) => return true,
                Err(e) => Some(e.to_string()),
            };
            tx.send(Msg::DiffDone { seq, error }).is_ok()
        }
        Job::AheadBehind {
            seq,
            project,
            pairs,
        } => {
            let results = pairs
                .into_iter()
                .map(|(branch, parent)| {
                    let r = ahead_behind(b, &project, &branch, &parent).ok();
                    (branch, r)
                })
                .collect();
            tx.send(Msg::AheadBehind {
                seq,
                project,
                results,
            })
            .is_ok()
        }
    }
}

/// Streams a diff as batches: a small first batch so the first screen
/// shows at once, then larger ones at most every 50 ms.
fn stream_diff(
    b: &dyn Backend,
    seq: u64,
    project: &str,
    from: &str,
    to: &str,
    cancel: &AtomicBool,
    tx: &Sender<Msg>,
) -> Result<()> {
    let mut batch: Vec<DiffEntry> = Vec::with_capacity(64);
    let mut coll: u32 = 0;
    let mut started = false;
    let mut sent_first = false;
    let mut last = Instant::now();
    let stop = || Error::Invalid("cancelled".into());
    b.diff(project, from, to, None, &mut |ev| {
        if cancel.load(Ordering::Relaxed) {
            return Err(stop());
        }
        match ev {
            DiffEvent::Collection(header) => {
                if !batch.is_empty() {
                    let entries = std::mem::take(&mut batch);
                    tx.send(Msg::DiffBatch { seq, entries })
                        .map_err(|_| stop())?;
                }
                if started {
                    coll += 1;
                }
                started = true;
                tx.send(Msg::DiffCollection { seq, header })
                    .map_err(|_| stop())?;
            }
            DiffEvent::Document {
                id, before, after, ..
            } => {
                let kind = match (&before, &after) {
                    (None, _) => Kind::Added,
                    (_, None) => Kind::Removed,
                    _ => Kind::Modified,
                };
                let summary = match (&before, &after) {
                    (Some(bf), Some(af)) => {
                        let mut s = String::new();
                        for c in diff_docs(bf, af) {
                            if s.len() > 120 {
                                s.push_str(", …");
                                break;
                            }
                            if !s.is_empty() {
                                s.push_str(", ");
                            }
                            let p = path_to_string(&c.path);
                            s.push_str(if p.is_empty() { "(document)" } else { &p });
                        }
                        s
                    }
                    _ => String::new(),
                };
                let raw = |d: Option<bson::Document>| -> Result<Option<Vec<u8>>> {
                    d.map(|d| {
                        d.to_vec()
                            .map_err(|e| Error::InvalidDocument(e.to_string()))
                    })
                    .transpose()
                };
                batch.push(DiffEntry {
                    coll,
                    kind,
                    id: crate::tui::widgets::json::id_label(&id),
                    summary,
                    before: raw(before)?,
                    after: raw(after)?,
                });
                let due = if sent_first {
                    batch.len() >= 4096 || last.elapsed() >= Duration::from_millis(50)
                } else {
                    batch.len() >= 64
                };
                if due {
                    sent_first = true;
                    last = Instant::now();
                    let entries = std::mem::replace(&mut batch, Vec::with_capacity(1024));
                    tx.send(Msg::DiffBatch { seq, entries })
                        .map_err(|_| stop())?;
                }
            }
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        tx.send(Msg::DiffBatch {
            seq,
            entries: batch,
        })
        .map_err(|_| stop())?;
    }
    Ok(())
}

/// Commits (log entries, the not-yet-checkpointed writes counting as one)
/// on `branch` and not on `parent`, and the other way round, looking back
/// at most [`AHEAD_LIMIT`] entries along first parents.
pub fn ahead_behind(
    b: &dyn Backend,
    project: &str,
    branch: &str,
    parent: &str,
) -> Result<AheadBehind> {
    let mine = b.log(project, branch, AHEAD_LIMIT)?;
    let theirs = b.log(project, parent, AHEAD_LIMIT)?;
    let known = |log: &[crate::engine::history::LogEntry]| -> HashSet<String> {
        let mut s = HashSet::new();
        for e in log {
            if let Some(c) = &e.commit {
                s.insert(c.clone());
            }
            // Merged-in heads count as reached.
            s.extend(e.parents.iter().skip(1).cloned());
        }
        s
    };
    let count = |log: &[crate::engine::history::LogEntry], other: &HashSet<String>| {
        log.iter()
            .position(|e| e.commit.as_ref().is_some_and(|c| other.contains(c)))
    };
    let (in_theirs, in_mine) = (known(&theirs), known(&mine));
    let ahead = count(&mine, &in_theirs);
    let behind = count(&theirs, &in_mine);
    Ok(AheadBehind {
        ahead: ahead.unwrap_or(mine.len()),
        behind: behind.unwrap_or(theirs.len()),
        more: ahead.is_none() && mine.len() >= AHEAD_LIMIT
            || behind.is_none() && theirs.len() >= AHEAD_LIMIT,
    })
}
