//! Prolly trees: sorted maps `key -> value` stored as content-addressed
//! nodes whose boundaries come from the keys' hashes (see [`chunker`]).
//!
//! Same contents give the same root hash in any write order; an edit
//! rewrites only the nodes on its path; a diff skips equal subtrees.

pub mod chunker;
pub mod cursor;
pub mod diff;
pub mod edit;
pub mod node;

use crate::engine::error::{Error, Result};
use crate::engine::hash::{Hash, HashMapOfHashes};
use crate::engine::store::ChunkStore;
use chunker::Chunker;
use node::{Entry, Node, encode_node};
use std::sync::{Arc, Mutex};

pub use cursor::Scan;
pub use diff::{DiffEntry, TreeDiff};
pub use edit::{Edit, apply_edits, apply_edits_bulk, apply_edits_checked};

/// Loads and writes nodes through a chunk store, with a bounded cache of
/// parsed nodes so hot paths skip decompression and parsing.
pub struct NodeStore {
    store: Arc<dyn ChunkStore>,
    cache: Mutex<NodeCache>,
}

struct NodeCache {
    map: HashMapOfHashes<Arc<Node>>,
    weight: usize,
    budget: usize,
}

impl NodeStore {
    pub fn new(store: Arc<dyn ChunkStore>, cache_bytes: usize) -> NodeStore {
        NodeStore {
            store,
            cache: Mutex::new(NodeCache {
                map: HashMapOfHashes::default(),
                weight: 0,
                budget: cache_bytes,
            }),
        }
    }

    pub fn chunks(&self) -> &Arc<dyn ChunkStore> {
        &self.store
    }

    pub fn load(&self, hash: &Hash) -> Result<Arc<Node>> {
        if let Ok(cache) = self.cache.lock()
            && let Some(n) = cache.map.get(hash)
        {
            return Ok(n.clone());
        }
        let bytes = self
            .store
            .get(hash)?
            .ok_or_else(|| Error::MissingChunk(hash.to_hex()))?;
        let node = Arc::new(Node::parse(bytes)?);
        self.remember(*hash, node.clone());
        Ok(node)
    }

    fn remember(&self, hash: Hash, node: Arc<Node>) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        let w = node.weight();
        if w > cache.budget {
            return;
        }
        if cache.weight + w > cache.budget {
            // Drop about half the cache; simpler than LRU and, with hashed
            // keys, close to random eviction, which suits tree workloads.
            let target = cache.budget / 2;
            let mut weight = cache.weight;
            cache.map.retain(|_, n| {
                if weight > target {
                    weight -= n.weight();
                    false
                } else {
                    true
                }
            });
            cache.weight = weight;
        }
        if cache.map.insert(hash, node).is_none() {
            cache.weight += w;
        }
    }

    /// Writes a node and returns the entry that points at it from its parent.
    pub fn write(&self, level: u8, entries: &[Entry]) -> Result<Entry> {
        self.write_replacing(level, entries, None)
    }

    /// Like [`NodeStore::write`], for a node that replaces `old` (the node
    /// an edit re-chunked): the store may keep just the difference.
    pub fn write_replacing(
        &self,
        level: u8,
        entries: &[Entry],
        old: Option<(&Hash, &Node)>,
    ) -> Result<Entry> {
        let bytes = encode_node(level, entries);
        let hash = match old {
            Some((base, node)) => self.store.put_delta(&bytes, base, node.bytes())?,
            None => self.store.put(&bytes)?,
        };
        let count = if level == 0 {
            entries.len() as u64
        } else {
            entries.iter().map(|e| e.count).sum()
        };
        Ok(Entry {
            key: entries.last().map(|e| e.key.clone()).unwrap_or_default(),
            value: hash.0.to_vec(),
            count,
        })
    }

    /// The address of the empty tree, without storing it (for readers,
    /// which must not write: the project stores it at creation).
    pub fn empty_root_hash() -> Hash {
        Hash::of(&encode_node(0, &[]))
    }

    /// The root of the empty tree (an empty leaf), stored. Writers only.
    pub fn empty_root(&self) -> Result<Hash> {
        Ok(hash_of_entry(&self.write(0, &[])?))
    }
}

pub(crate) fn hash_of_entry(e: &Entry) -> Hash {
    Hash::from_slice(&e.value).unwrap_or(Hash([0; 32]))
}

/// Point lookup: O(depth) node loads.
pub fn get(ns: &NodeStore, root: &Hash, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let mut node = ns.load(root)?;
    loop {
        let i = node.search(key);
        if i == node.len() {
            return Ok(None);
        }
        if node.is_leaf() {
            return Ok((node.key(i) == key).then(|| node.value(i).to_vec()));
        }
        node = ns.load(&node.child(i))?;
    }
}

/// Number of entries, read from the root alone.
pub fn count(ns: &NodeStore, root: &Hash) -> Result<u64> {
    Ok(ns.load(root)?.total_count())
}

/// Builds a tree from entries given in strictly increasing key order, in
/// one streaming pass with memory bounded by the tree height.
pub struct TreeBuilder<'a> {
    ns: &'a NodeStore,
    levels: Vec<Chunker>,
    emitted: Vec<u64>,
    first: Vec<Option<Entry>>,
    last_key: Option<Vec<u8>>,
    start_level: u8,
}

impl<'a> TreeBuilder<'a> {
    pub fn new(ns: &'a NodeStore) -> TreeBuilder<'a> {
        TreeBuilder::at_level(ns, 0)
    }

    /// A builder whose input entries belong to `level` (used to grow a
    /// tree upward after an edit).
    pub fn at_level(ns: &'a NodeStore, level: u8) -> TreeBuilder<'a> {
        let mut b = TreeBuilder {
            ns,
            levels: Vec::new(),
            emitted: Vec::new(),
            first: Vec::new(),
            last_key: None,
            start_level: level,
        };
        for l in 0..=level {
            b.levels.push(Chunker::new(l));
            b.emitted.push(0);
            b.first.push(None);
        }
        b
    }

    pub fn push(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<()> {
        if let Some(last) = &self.last_key
            && key.as_slice() <= last.as_slice()
        {
            return Err(Error::Invalid(
                "tree builder keys must strictly increase".into(),
            ));
        }
        self.last_key = Some(key.clone());
        self.push_entry(
            0,
            Entry {
                key,
                value,
                count: 1,
            },
        )
    }

    pub fn push_entry(&mut self, level: u8, e: Entry) -> Result<()> {
        let l = level as usize;
        if let Some(done) = self.levels[l].push(e) {
            self.emit(level, &done)?;
        }
        Ok(())
    }

    fn emit(&mut self, level: u8, entries: &[Entry]) -> Result<()> {
        let parent = self.ns.write(level, entries)?;
        let l = level as usize;
        self.emitted[l] += 1;
        if self.first[l].is_none() {
            self.first[l] = Some(parent.clone());
        }
        if self.levels.len() == l + 1 {
            self.levels.push(Chunker::new(level + 1));
            self.emitted.push(0);
            self.first.push(None);
        }
        self.push_entry(level + 1, parent)
    }

    /// Flushes every level; the root is the single node of the lowest
    /// level that produced exactly one node.
    pub fn finish(mut self) -> Result<Hash> {
        let mut l = self.start_level as usize;
        while l < self.levels.len() {
            if !self.levels[l].is_empty() {
                let rest = self.levels[l].take();
                self.emit(l as u8, &rest)?;
            }
            match (self.emitted[l], &self.first[l]) {
                (0, _) => break,
                (1, Some(e)) => return collapse(self.ns, hash_of_entry(e)),
                _ => l += 1,
            }
        }
        self.ns.empty_root()
    }
}

/// Descends through internal nodes that have a single entry: a tree's root
/// is never such a node.
pub(crate) fn collapse(ns: &NodeStore, mut root: Hash) -> Result<Hash> {
    loop {
        let n = ns.load(&root)?;
        if n.is_leaf() || n.len() != 1 {
            return Ok(root);
        }
        root = n.child(0);
    }
}

/// Builds a tree from any sorted, de-duplicated iterator of entries.
pub fn build<I>(ns: &NodeStore, entries: I) -> Result<Hash>
where
    I: IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
{
    let mut b = TreeBuilder::new(ns);
    for (k, v) in entries {
        b.push(k, v)?;
    }
    b.finish()
}

#[cfg(test)]
mod tests;
