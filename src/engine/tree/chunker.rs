//! The content-defined boundary rule that makes trees history-independent.
//!
//! After appending an entry, a node ends when `hash(level, key)` falls under
//! a threshold that grows with the node's size: the probability follows the
//! hazard of a Weibull distribution (k = 4, lambda = 4096 bytes), as in
//! Dolt's smooth chunker, which keeps node sizes tightly around ~4 KiB
//! without a hard minimum. A node also ends when it reaches 16 KiB. The
//! decision depends only on the entries since the node's start, so the same
//! contents always give the same nodes whatever order they were written in.

use super::node::Entry;

pub const MAX_NODE_BYTES: usize = 16 * 1024;
const LAMBDA: u128 = 4096;

/// A small, fast, deterministic 64-bit hash (wyhash-style mixing). Part of
/// the on-disk format: changing it changes every root hash.
pub fn boundary_hash(level: u8, key: &[u8]) -> u64 {
    const M: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xA076_1D64_78BD_642F ^ (level as u64).wrapping_mul(M) ^ key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = mix(h ^ w);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = mix(h ^ u64::from_le_bytes(tail));
    // splitmix64 finalizer
    h ^= h >> 30;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

fn mix(x: u64) -> u64 {
    let r = (x as u128).wrapping_mul(0xE703_7ED1_A0B4_28DB);
    ((r >> 64) as u64) ^ (r as u64)
}

/// Whether a node that grew from `prev` to `size` bytes by appending an
/// entry with `key` ends here.
pub fn is_boundary(level: u8, key: &[u8], prev: usize, size: usize) -> bool {
    if size >= MAX_NODE_BYTES {
        return true;
    }
    let x = (boundary_hash(level, key) >> 32) as u128;
    let (s, p) = (size as u128, prev as u128);
    // P(boundary) = H(size) - H(prev), H(s) = (s / lambda)^4, compared in
    // integers so every platform decides identically.
    x * LAMBDA.pow(4) < (s.pow(4) - p.pow(4)) << 32
}

/// Accumulates entries of one level and says where nodes end.
pub struct Chunker {
    pub level: u8,
    pub entries: Vec<Entry>,
    size: usize,
}

impl Chunker {
    pub fn new(level: u8) -> Chunker {
        Chunker {
            level,
            entries: Vec::new(),
            size: 0,
        }
    }

    /// Appends an entry; returns the completed node's entries when this
    /// entry ends a node.
    pub fn push(&mut self, e: Entry) -> Option<Vec<Entry>> {
        let prev = self.size;
        self.size += e.encoded_len(self.level);
        let boundary = is_boundary(self.level, &e.key, prev, self.size);
        self.entries.push(e);
        if boundary {
            self.size = 0;
            Some(std::mem::take(&mut self.entries))
        } else {
            None
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn take(&mut self) -> Vec<Entry> {
        self.size = 0;
        std::mem::take(&mut self.entries)
    }
}
