//! Chunk stores: immutable content-addressed chunks, one compare-and-swap
//! refs blob, per-branch write logs and a writer lock.
//!
//! Everything above this layer sees only the [`ChunkStore`] trait, so the
//! embedded store ([`local::LocalStore`]) and the test store
//! ([`memory::MemoryStore`]) are interchangeable.

pub mod chunk_index;
pub mod dictionary;
#[cfg(test)]
pub mod faulty;
pub mod local;
pub mod memory;
pub mod segment;
pub mod sidx;

use super::error::Result;
use super::hash::Hash;
use std::sync::Arc;

/// The refs blob and the version it was read at. Versions grow by one on
/// every successful compare-and-swap.
#[derive(Debug, Clone, Default)]
pub struct RefsBlob {
    pub version: u64,
    pub bytes: Vec<u8>,
}

/// Held while a process mutates a project; dropping it releases the lock.
pub trait WriterLock {}

pub trait ChunkStore: Send + Sync {
    /// The uncompressed bytes of a chunk, or `None` if it is not stored.
    fn get(&self, hash: &Hash) -> Result<Option<Arc<[u8]>>>;
    /// Stores a chunk (a no-op when identical content is already stored)
    /// and returns its address. Not durable until [`ChunkStore::flush`].
    fn put(&self, bytes: &[u8]) -> Result<Hash>;
    /// Like [`ChunkStore::put`], for a new version of the chunk `base`
    /// (whose bytes the caller has at hand): a store may keep only the
    /// difference. Stores without deltas store `bytes` whole.
    fn put_delta(&self, bytes: &[u8], base: &Hash, base_bytes: &[u8]) -> Result<Hash> {
        let _ = (base, base_bytes);
        self.put(bytes)
    }
    fn has(&self, hash: &Hash) -> Result<bool>;
    /// Makes every chunk put so far durable.
    fn flush(&self) -> Result<()>;

    /// The version of the refs blob now (what [`ChunkStore::read_refs`]
    /// would return with it), for checking whether cached refs are current
    /// without copying them.
    fn refs_version(&self) -> Result<u64> {
        Ok(self.read_refs()?.version)
    }
    /// Reads the current refs blob (version 0 and empty when never written).
    fn read_refs(&self) -> Result<RefsBlob>;
    /// Replaces the refs blob if its version is still `expected`; returns
    /// the new version, or `None` when someone else won the race.
    fn cas_refs(&self, expected: u64, bytes: &[u8]) -> Result<Option<u64>>;

    /// Appends one record to a write log at offset `at` (the end of the
    /// last valid record the caller has read; bytes past it are a torn
    /// append from a crash and are cut off) and makes it durable.
    /// Returns the log's length after the append. Caller holds the lock.
    fn wal_append(&self, log: &str, at: u64, record: &[u8]) -> Result<u64>;
    /// Like [`ChunkStore::wal_append`] without waiting for durability:
    /// [`ChunkStore::wal_sync`] does that, after the caller has released
    /// its locks, so concurrent writers share one sync (group commit).
    fn wal_append_deferred(&self, log: &str, at: u64, record: &[u8]) -> Result<u64> {
        self.wal_append(log, at, record)
    }
    /// Makes every record appended to a write log so far durable.
    fn wal_sync(&self, log: &str) -> Result<()> {
        let _ = log;
        Ok(())
    }
    /// Releases what the store keeps open for a write log no branch uses
    /// any more (its branch was deleted); the log's bytes stay.
    fn wal_close(&self, log: &str) {
        let _ = log;
    }
    /// Current length of a write log in bytes (0 when absent).
    fn wal_len(&self, log: &str) -> Result<u64>;
    /// Reads the complete records in `[from, to)`, with each record's end offset.
    fn wal_read(&self, log: &str, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>>;

    /// Like [`ChunkStore::wal_read`], handing records to `visit` in order
    /// until it returns `false` (so a reader of a past point stops there).
    fn wal_scan(
        &self,
        log: &str,
        from: u64,
        to: u64,
        visit: &mut dyn FnMut(u64, &[u8]) -> Result<bool>,
    ) -> Result<()> {
        for (end, payload) in self.wal_read(log, from, to)? {
            if !visit(end, &payload)? {
                break;
            }
        }
        Ok(())
    }
    /// Rewrites the records in `[from, to)` (a range a checkpoint folded,
    /// read from now on only as history) in a compact form; `raw` turns a
    /// payload into its uncompressed encoding. Reads return the same
    /// records afterwards. Caller holds the writer lock.
    fn wal_compact(
        &self,
        log: &str,
        from: u64,
        to: u64,
        raw: &dyn Fn(&[u8]) -> Result<Vec<u8>>,
    ) -> Result<()> {
        let _ = (log, from, to, raw);
        Ok(())
    }

    /// Compacted write-log segments: `(log, from, to, bytes)`.
    fn wal_segments(&self) -> Result<Vec<(String, u64, u64, u64)>> {
        Ok(Vec::new())
    }
    /// Deletes one compacted segment (history GC). Caller holds the lock.
    fn wal_drop_segment(&self, log: &str, from: u64, to: u64) -> Result<()> {
        let _ = (log, from, to);
        Ok(())
    }

    /// Serializes writers, across processes for the local store.
    fn lock(&self) -> Result<Box<dyn WriterLock + '_>>;

    /// Hands every stored chunk address with its stored (compressed) size
    /// to `visit`, streamed: a store need not hold them all at once.
    fn for_each_chunk(&self, visit: &mut dyn FnMut(&Hash, u64) -> Result<()>) -> Result<()>;
    /// Rewrites the store keeping only `live` chunks; returns bytes freed.
    /// Caller holds the writer lock.
    fn retain(&self, live: &dyn Fn(&Hash) -> bool) -> Result<u64>;
    /// Total bytes the store occupies (chunks, logs and refs).
    fn disk_size(&self) -> Result<u64>;
}
