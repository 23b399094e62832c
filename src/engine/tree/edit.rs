//! Batch edits: apply sorted puts and deletes to a tree, rewriting only the
//! nodes they touch.
//!
//! Level by level, each run of edits starts at the node holding its first
//! key (a node always starts in a fresh chunker state) and re-chunks the
//! merged entries until the chunker ends a node exactly where an old node
//! ended with no edits left inside it. From there on, old and new trees
//! would chunk identically, so the rest is shared. The replaced nodes
//! become edits of their parents' level, up to the root. The result is the
//! tree a full rebuild would produce, which keeps root hashes
//! history-independent.

use super::chunker::Chunker;
use super::node::{Entry, Node};
use super::{NodeStore, TreeBuilder, collapse, hash_of_entry};
use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::sync::Arc;

/// A put (`Some(value)`) or delete (`None`) of one key.
pub type Edit = (Vec<u8>, Option<Vec<u8>>);

/// An edit at some level: a put carries the full entry.
type LevelEdit = (Vec<u8>, Option<Entry>);

/// Applies `edits` (sorted by key, keys unique) and returns the new root.
pub fn apply_edits(ns: &NodeStore, root: &Hash, edits: &[Edit]) -> Result<Hash> {
    apply_edits_checked(ns, root, edits, false)
}

/// Like [`apply_edits`]; with `insert_only`, a put of a key that already
/// exists fails with [`Error::KeyExists`] (and nothing is published).
pub fn apply_edits_checked(
    ns: &NodeStore,
    root: &Hash,
    edits: &[Edit],
    insert_only: bool,
) -> Result<Hash> {
    apply_edits_with(ns, root, edits, insert_only, true)
}

/// Like [`apply_edits_checked`], storing every new node whole. For bulk
/// loads: their intermediate trees are garbage, and delta chains built
/// through them would leave the final nodes deep, so that the next small
/// edit of a node could not be stored as a delta.
pub fn apply_edits_bulk(
    ns: &NodeStore,
    root: &Hash,
    edits: &[Edit],
    insert_only: bool,
) -> Result<Hash> {
    apply_edits_with(ns, root, edits, insert_only, false)
}

fn apply_edits_with(
    ns: &NodeStore,
    root: &Hash,
    edits: &[Edit],
    insert_only: bool,
    deltas: bool,
) -> Result<Hash> {
    if edits.is_empty() {
        return Ok(*root);
    }
    debug_assert!(edits.windows(2).all(|w| w[0].0 < w[1].0));
    let height = ns.load(root)?.level();
    let mut level_edits: Vec<LevelEdit> = edits
        .iter()
        .map(|(k, v)| {
            let e = v.as_ref().map(|v| Entry {
                key: k.clone(),
                value: v.clone(),
                count: 1,
            });
            (k.clone(), e)
        })
        .collect();
    for level in 0..height {
        level_edits = apply_level(
            ns,
            root,
            level,
            &level_edits,
            insert_only && level == 0,
            deltas,
        )?;
        if level_edits.is_empty() {
            return Ok(*root);
        }
    }
    // The root's level: one node, so one run rebuilds the whole level.
    let top = rebuild_top(
        ns,
        root,
        height,
        &level_edits,
        insert_only && height == 0,
        deltas,
    )?;
    match top.len() {
        0 => ns.empty_root(),
        1 => collapse(ns, hash_of_entry(&top[0])),
        _ => {
            let mut b = TreeBuilder::at_level(ns, height + 1);
            for e in top {
                b.push_entry(height + 1, e)?;
            }
            b.finish()
        }
    }
}

/// A path from the root down to one node of a given level.
struct LevelCursor {
    path: Vec<(Arc<Node>, usize)>,
}

impl LevelCursor {
    fn seek(ns: &NodeStore, root: &Hash, level: u8, key: &[u8]) -> Result<LevelCursor> {
        let mut path = Vec::new();
        let mut node = ns.load(root)?;
        while node.level() > level {
            let i = node.search(key).min(node.len().saturating_sub(1));
            let child = node.child(i);
            path.push((node, i));
            node = ns.load(&child)?;
        }
        path.push((node, 0));
        Ok(LevelCursor { path })
    }

    fn node(&self) -> &Arc<Node> {
        &self.path[self.path.len() - 1].0
    }

    /// The address of [`LevelCursor::node`].
    fn node_hash(&self, root: &Hash) -> Hash {
        match self.path.len() {
            0 | 1 => *root,
            n => {
                let (parent, i) = &self.path[n - 2];
                parent.child(*i)
            }
        }
    }

    fn has_next(&self) -> bool {
        self.path[..self.path.len() - 1]
            .iter()
            .any(|(n, i)| i + 1 < n.len())
    }

    /// Moves to the next node of the same level.
    fn next(&mut self, ns: &NodeStore) -> Result<bool> {
        let level = self.node().level();
        self.path.pop();
        while let Some((n, i)) = self.path.last_mut() {
            if *i + 1 < n.len() {
                *i += 1;
                let mut child = ns.load(&n.child(*i))?;
                while child.level() > level {
                    let grandchild = child.child(0);
                    self.path.push((child, 0));
                    child = ns.load(&grandchild)?;
                }
                self.path.push((child, 0));
                return Ok(true);
            }
            self.path.pop();
        }
        Ok(false)
    }
}

fn node_entry(node: &Node, i: usize) -> Entry {
    Entry {
        key: node.key(i).to_vec(),
        value: node.value(i).to_vec(),
        count: node.subtree_count(i),
    }
}

/// Result of re-chunking one run: which old nodes went, which new came.
#[derive(Default)]
struct Run {
    removed: Vec<Vec<u8>>,
    added: Vec<Entry>,
}

/// Re-chunks from the node containing `edits[*ei]` until resynchronized.
fn run_from(
    ns: &NodeStore,
    root: &Hash,
    level: u8,
    edits: &[LevelEdit],
    ei: &mut usize,
    insert_only: bool,
    deltas: bool,
) -> Result<Run> {
    let mut cursor = LevelCursor::seek(ns, root, level, &edits[*ei].0)?;
    let mut chunker = Chunker::new(level);
    let mut run = Run::default();
    // New nodes are stored as deltas against the old node being re-chunked
    // when they end: usually its new version with one entry changed.
    let push = |chunker: &mut Chunker, run: &mut Run, e: Entry, old: (&Hash, &Node)| {
        if let Some(done) = chunker.push(e) {
            run.added
                .push(ns.write_replacing(level, &done, Some(old).filter(|_| deltas))?);
        }
        Ok::<(), Error>(())
    };
    loop {
        let node = cursor.node().clone();
        let node_hash = cursor.node_hash(root);
        let old = (&node_hash, node.as_ref());
        let last_node = !cursor.has_next();
        let limit = if last_node { None } else { node.last_key() };
        if let Some(k) = node.last_key() {
            run.removed.push(k.to_vec());
        }
        let mut j = 0;
        loop {
            let edit = edits
                .get(*ei)
                .filter(|(k, _)| limit.is_none_or(|l| k.as_slice() <= l));
            match (j < node.len(), edit) {
                (false, None) => break,
                (true, None) => {
                    push(&mut chunker, &mut run, node_entry(&node, j), old)?;
                    j += 1;
                }
                (has, Some((k, put))) => {
                    let ord = if has {
                        node.key(j).cmp(k.as_slice())
                    } else {
                        std::cmp::Ordering::Greater
                    };
                    match ord {
                        std::cmp::Ordering::Less => {
                            push(&mut chunker, &mut run, node_entry(&node, j), old)?;
                            j += 1;
                        }
                        std::cmp::Ordering::Equal | std::cmp::Ordering::Greater => {
                            if ord == std::cmp::Ordering::Equal {
                                if insert_only && put.is_some() {
                                    return Err(Error::KeyExists(k.clone()));
                                }
                                j += 1; // replaced or deleted
                            }
                            if let Some(e) = put {
                                push(&mut chunker, &mut run, e.clone(), old)?;
                            }
                            *ei += 1;
                        }
                    }
                }
            }
        }
        if last_node {
            if !chunker.is_empty() {
                let rest = chunker.take();
                run.added
                    .push(ns.write_replacing(level, &rest, Some(old).filter(|_| deltas))?);
            }
            return Ok(run);
        }
        if chunker.is_empty() {
            // A node ended exactly where an old one did: resynchronized.
            return Ok(run);
        }
        cursor.next(ns)?;
    }
}

/// Applies edits to one level below the root; returns the parent edits.
fn apply_level(
    ns: &NodeStore,
    root: &Hash,
    level: u8,
    edits: &[LevelEdit],
    insert_only: bool,
    deltas: bool,
) -> Result<Vec<LevelEdit>> {
    let mut parent: Vec<LevelEdit> = Vec::new();
    let mut ei = 0;
    while ei < edits.len() {
        let run = run_from(ns, root, level, edits, &mut ei, insert_only, deltas)?;
        let mut changes: Vec<LevelEdit> = run
            .removed
            .into_iter()
            .map(|k| (k, None))
            .chain(run.added.into_iter().map(|e| (e.key.clone(), Some(e))))
            .collect();
        // A key both removed and re-added keeps the put (stable sort keeps
        // removals before puts of the same key).
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        for c in changes {
            match parent.last_mut() {
                Some(last) if last.0 == c.0 => *last = c,
                _ => parent.push(c),
            }
        }
    }
    // An unchanged node re-added with its old entry needs no parent edit.
    Ok(parent)
}

/// Re-chunks the root level (a single node) with its edits.
fn rebuild_top(
    ns: &NodeStore,
    root: &Hash,
    level: u8,
    edits: &[LevelEdit],
    insert_only: bool,
    deltas: bool,
) -> Result<Vec<Entry>> {
    let mut ei = 0;
    let run = run_from(ns, root, level, edits, &mut ei, insert_only, deltas)?;
    Ok(run.added)
}
