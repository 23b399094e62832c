//! Prolly-tree nodes: their byte format and a parsed, zero-copy view.
//!
//! ```text
//! node     := u8 version(=1) | u8 level | varint count | entry*count
//! leaf     entry := varint klen | key | varint vlen | value
//! internal entry := varint klen | key | 32B child hash | varint subtree_count
//! ```
//! An internal entry's key is the LAST key of its child subtree, so a
//! lookup descends into the first entry whose key is >= the target.
//! A node's address is the blake3 hash of exactly these bytes.

use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::sync::Arc;

pub const NODE_VERSION: u8 = 1;

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn get_varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*pos)?;
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

pub fn varint_len(v: u64) -> usize {
    let bits = 64 - v.max(1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// A parsed node: the raw bytes plus the offsets of each entry's parts.
#[derive(Debug)]
pub struct Node {
    bytes: Arc<[u8]>,
    level: u8,
    /// (key start, key end, value start, value end) per entry.
    spans: Vec<[u32; 4]>,
    /// For internal nodes: subtree counts, in entry order.
    counts: Vec<u64>,
}

impl Node {
    pub fn parse(bytes: Arc<[u8]>) -> Result<Node> {
        let bad = |why: &str| Error::Corrupt(format!("tree node: {why}"));
        if bytes.len() < 3 || bytes[0] != NODE_VERSION {
            return Err(bad("unknown version or too short"));
        }
        let level = bytes[1];
        let mut pos = 2;
        let count = get_varint(&bytes, &mut pos).ok_or_else(|| bad("count"))? as usize;
        let mut spans = Vec::with_capacity(count.min(bytes.len()));
        let mut counts = Vec::new();
        for _ in 0..count {
            let klen = get_varint(&bytes, &mut pos).ok_or_else(|| bad("key length"))? as usize;
            let ks = pos;
            let ke = ks.checked_add(klen).ok_or_else(|| bad("key length"))?;
            if ke > bytes.len() {
                return Err(bad("key past end"));
            }
            pos = ke;
            let (vs, ve);
            if level == 0 {
                let vlen =
                    get_varint(&bytes, &mut pos).ok_or_else(|| bad("value length"))? as usize;
                vs = pos;
                ve = vs.checked_add(vlen).ok_or_else(|| bad("value length"))?;
                if ve > bytes.len() {
                    return Err(bad("value past end"));
                }
                pos = ve;
            } else {
                vs = pos;
                ve = vs + Hash::LEN;
                if ve > bytes.len() {
                    return Err(bad("child hash past end"));
                }
                pos = ve;
                counts.push(get_varint(&bytes, &mut pos).ok_or_else(|| bad("subtree count"))?);
            }
            spans.push([ks as u32, ke as u32, vs as u32, ve as u32]);
        }
        if pos != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(Node {
            bytes,
            level,
            spans,
            counts,
        })
    }

    pub fn level(&self) -> u8 {
        self.level
    }

    /// The node's encoded bytes (what its hash is computed over).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn is_leaf(&self) -> bool {
        self.level == 0
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn key(&self, i: usize) -> &[u8] {
        let s = self.spans[i];
        &self.bytes[s[0] as usize..s[1] as usize]
    }

    pub fn value(&self, i: usize) -> &[u8] {
        let s = self.spans[i];
        &self.bytes[s[2] as usize..s[3] as usize]
    }

    /// The child address of entry `i` of an internal node.
    pub fn child(&self, i: usize) -> Hash {
        let mut h = [0u8; 32];
        h.copy_from_slice(self.value(i));
        Hash(h)
    }

    /// Leaf entries under entry `i` (1 for a leaf entry).
    pub fn subtree_count(&self, i: usize) -> u64 {
        if self.level == 0 { 1 } else { self.counts[i] }
    }

    /// Total leaf entries under this node.
    pub fn total_count(&self) -> u64 {
        if self.level == 0 {
            self.len() as u64
        } else {
            self.counts.iter().sum()
        }
    }

    pub fn last_key(&self) -> Option<&[u8]> {
        self.len().checked_sub(1).map(|i| self.key(i))
    }

    /// Index of the first entry whose key is >= `key` (len() if none).
    pub fn search(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// In-memory size, for cache accounting.
    pub fn weight(&self) -> usize {
        self.bytes.len() + self.spans.len() * 16 + self.counts.len() * 8 + 64
    }
}

/// One entry as written into a new node. For internal nodes `value` is the
/// child's hash and `count` its subtree count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub count: u64,
}

impl Entry {
    /// Bytes this entry takes in a node; drives the chunk boundary rule.
    pub fn encoded_len(&self, level: u8) -> usize {
        let k = varint_len(self.key.len() as u64) + self.key.len();
        if level == 0 {
            k + varint_len(self.value.len() as u64) + self.value.len()
        } else {
            k + Hash::LEN + varint_len(self.count)
        }
    }
}

pub fn encode_node(level: u8, entries: &[Entry]) -> Vec<u8> {
    let size: usize = entries.iter().map(|e| e.encoded_len(level)).sum();
    let mut out = Vec::with_capacity(size + 12);
    out.push(NODE_VERSION);
    out.push(level);
    put_varint(&mut out, entries.len() as u64);
    for e in entries {
        put_varint(&mut out, e.key.len() as u64);
        out.extend_from_slice(&e.key);
        if level == 0 {
            put_varint(&mut out, e.value.len() as u64);
            out.extend_from_slice(&e.value);
        } else {
            out.extend_from_slice(&e.value);
            put_varint(&mut out, e.count);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_round_trip() {
        let entries = vec![
            Entry {
                key: b"a".to_vec(),
                value: b"1".to_vec(),
                count: 1,
            },
            Entry {
                key: b"b".to_vec(),
                value: vec![9; 300],
                count: 1,
            },
        ];
        let bytes = encode_node(0, &entries);
        let n = Node::parse(Arc::from(bytes)).unwrap();
        assert_eq!(n.len(), 2);
        assert_eq!(n.key(1), b"b");
        assert_eq!(n.value(1).len(), 300);
        assert_eq!(n.search(b"ab"), 1);
        assert_eq!(n.search(b"c"), 2);
        assert!(Node::parse(Arc::from(vec![1u8, 0, 5])).is_err());
    }

    #[test]
    fn varints() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v));
            let mut p = 0;
            assert_eq!(get_varint(&b, &mut p), Some(v));
        }
    }
}
