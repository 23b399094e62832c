//! A store for crash tests: it fails the Nth durable operation and can
//! produce a crash image holding only what was synced.
//!
//! Chunks put since the last flush are "pending" and vanish in a crash;
//! write-log appends and refs swaps are durable when they return Ok (they
//! fsync in the local store). The Nth operation (put, flush, append or
//! swap) fails before having any effect, like a full disk or an I/O error.

use super::memory::MemoryStore;
use super::{ChunkStore, RefsBlob, WriterLock};
use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct FaultyStore {
    durable: Arc<MemoryStore>,
    pending: Mutex<HashMap<Hash, Arc<[u8]>>>,
    ops: AtomicU64,
    fail_at: AtomicU64,
}

impl FaultyStore {
    /// Wraps a durable image; the `fail_at`-th operation fails (0 = never).
    pub fn new(durable: Arc<MemoryStore>, fail_at: u64) -> FaultyStore {
        FaultyStore {
            durable,
            pending: Mutex::new(HashMap::new()),
            ops: AtomicU64::new(0),
            fail_at: AtomicU64::new(fail_at),
        }
    }

    /// What survives a crash now: the synced state only.
    pub fn crash_image(&self) -> Arc<MemoryStore> {
        self.durable.clone()
    }

    pub fn operations(&self) -> u64 {
        self.ops.load(Ordering::SeqCst)
    }

    fn tick(&self) -> Result<()> {
        let n = self.ops.fetch_add(1, Ordering::SeqCst) + 1;
        if n == self.fail_at.load(Ordering::SeqCst) {
            return Err(Error::io(
                "faulty-store",
                std::io::Error::other("injected failure"),
            ));
        }
        Ok(())
    }
}

impl ChunkStore for FaultyStore {
    fn get(&self, hash: &Hash) -> Result<Option<Arc<[u8]>>> {
        if let Some(b) = self
            .pending
            .lock()
            .map_err(|_| Error::Contention)?
            .get(hash)
        {
            return Ok(Some(b.clone()));
        }
        self.durable.get(hash)
    }

    fn put(&self, bytes: &[u8]) -> Result<Hash> {
        self.tick()?;
        let h = Hash::of(bytes);
        if !self.durable.has(&h)? {
            self.pending
                .lock()
                .map_err(|_| Error::Contention)?
                .insert(h, Arc::from(bytes));
        }
        Ok(h)
    }

    fn has(&self, hash: &Hash) -> Result<bool> {
        Ok(self
            .pending
            .lock()
            .map_err(|_| Error::Contention)?
            .contains_key(hash)
            || self.durable.has(hash)?)
    }

    fn flush(&self) -> Result<()> {
        self.tick()?;
        let pending: Vec<Arc<[u8]>> = self
            .pending
            .lock()
            .map_err(|_| Error::Contention)?
            .drain()
            .map(|(_, b)| b)
            .collect();
        for b in pending {
            self.durable.put(&b)?;
        }
        Ok(())
    }

    fn read_refs(&self) -> Result<RefsBlob> {
        self.durable.read_refs()
    }

    fn cas_refs(&self, expected: u64, bytes: &[u8]) -> Result<Option<u64>> {
        self.tick()?;
        self.durable.cas_refs(expected, bytes)
    }

    fn wal_append(&self, log: &str, at: u64, record: &[u8]) -> Result<u64> {
        self.tick()?;
        self.durable.wal_append(log, at, record)
    }

    fn wal_len(&self, log: &str) -> Result<u64> {
        self.durable.wal_len(log)
    }

    fn wal_read(&self, log: &str, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>> {
        self.durable.wal_read(log, from, to)
    }

    fn lock(&self) -> Result<Box<dyn WriterLock + '_>> {
        self.durable.lock()
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&Hash, u64) -> Result<()>) -> Result<()> {
        self.durable.for_each_chunk(visit)
    }

    fn retain(&self, live: &dyn Fn(&Hash) -> bool) -> Result<u64> {
        self.durable.retain(live)
    }

    fn disk_size(&self) -> Result<u64> {
        self.durable.disk_size()
    }
}
