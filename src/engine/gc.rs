//! Garbage collection: mark every chunk reachable from branches and tags
//! (trees only for commits inside the retention window, plus the newest
//! commit before it, which time travel replays from), sweep the rest.

use super::catalog::CollectionRecord;
use super::clock;
use super::error::Result;
use super::hash::{Hash, HashSetOfHashes};
use super::project::Project;
use super::tree::node::Node;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GcStats {
    pub chunks_total: u64,
    pub chunks_live: u64,
    pub bytes_total: u64,
    pub bytes_freed: u64,
    /// Write-log history older than the retention window (compacted
    /// segments no readable point needs).
    pub history_bytes_freed: u64,
}

impl Project {
    pub fn gc(&self, dry_run: bool) -> Result<GcStats> {
        self.with_write_lock(|this, live| {
            // Live tails are folded first so their chunks are marked too.
            let names: Vec<String> = live.refs.branches.keys().cloned().collect();
            for b in &names {
                this.checkpoint_locked(live, b, "checkpoint")?;
            }
            let cutoff = clock::now_ms() - live.refs.project.retention_ms;
            let mut tips: Vec<Hash> = Vec::new();
            for b in live.refs.branches.values() {
                tips.push(Project::parse_hash(&b.head)?);
            }
            for t in live.refs.tags.values() {
                tips.push(Project::parse_hash(&t.commit)?);
            }
            for m in live.refs.merges.values() {
                for key in ["ours", "theirs", "base", "result"] {
                    if let Some(h) = m.get(key).and_then(|v| v.as_str()).and_then(Hash::from_hex) {
                        tips.push(h);
                    }
                }
            }
            let mut marked = HashSetOfHashes::default();
            // (commit, whether its tree must be kept)
            let mut stack: Vec<(Hash, bool)> = tips.iter().map(|h| (*h, true)).collect();
            let mut seen: HashMap<Hash, bool> = HashMap::new();
            // Write-log ranges a readable point may replay: those folded by
            // checkpoints inside the retention window.
            let mut needed_history: std::collections::HashSet<(String, u64, u64)> =
                std::collections::HashSet::new();
            while let Some((h, keep_tree)) = stack.pop() {
                match seen.get(&h) {
                    Some(true) => continue,
                    Some(false) if !keep_tree => continue,
                    _ => {}
                }
                seen.insert(h, keep_tree);
                marked.insert(h);
                let c = this.read_commit(&h)?;
                let in_window = c.time >= cutoff;
                if let Some(w) = c.wal.as_ref().filter(|_| in_window) {
                    needed_history.insert((w.log.clone(), w.from, w.to));
                }
                if keep_tree || in_window {
                    this.mark_db_tree(&c.root, &mut marked)?;
                }
                for p in c.parents {
                    stack.push((p, in_window));
                }
            }
            // Streamed: the index is not held in memory, only the marks.
            let mut stats = GcStats::default();
            this.store().for_each_chunk(&mut |h, size| {
                stats.chunks_total += 1;
                stats.bytes_total += size;
                if marked.contains(h) {
                    stats.chunks_live += 1;
                } else {
                    stats.bytes_freed += size;
                }
                Ok(())
            })?;
            for (log, from, to, bytes) in this.store().wal_segments()? {
                if !needed_history.contains(&(log.clone(), from, to)) {
                    stats.history_bytes_freed += bytes;
                    if !dry_run {
                        this.store().wal_drop_segment(&log, from, to)?;
                    }
                }
            }
            if !dry_run && stats.bytes_freed > 0 {
                this.store().retain(&|h| marked.contains(h))?;
            }
            Ok(stats)
        })
    }

    fn mark_db_tree(&self, root: &Hash, marked: &mut HashSetOfHashes) -> Result<()> {
        let mut records = Vec::new();
        self.mark_tree(root, marked, &mut |_, v| records.push(v.to_vec()))?;
        for raw in records {
            let rec = CollectionRecord::from_bytes(&raw)?;
            self.mark_tree(&rec.primary, marked, &mut |_, _| {})?;
            for idx in &rec.indexes {
                self.mark_tree(&idx.root, marked, &mut |_, _| {})?;
            }
        }
        Ok(())
    }

    /// Marks a tree's nodes, skipping subtrees already marked (shared
    /// structure is visited once); calls `leaf` for newly seen leaf entries.
    fn mark_tree(
        &self,
        root: &Hash,
        marked: &mut HashSetOfHashes,
        leaf: &mut dyn FnMut(&[u8], &[u8]),
    ) -> Result<()> {
        let mut stack = vec![*root];
        while let Some(h) = stack.pop() {
            if !marked.insert(h) {
                continue;
            }
            let node: std::sync::Arc<Node> = self.ns.load(&h)?;
            for i in 0..node.len() {
                if node.is_leaf() {
                    leaf(node.key(i), node.value(i));
                } else {
                    stack.push(node.child(i));
                }
            }
        }
        Ok(())
    }
}
