//! An in-memory chunk store for tests and scratch work. It keeps the same
//! contract as the local store, including compare-and-swap of refs.

use super::{ChunkStore, RefsBlob, WriterLock};
use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
pub struct MemoryStore {
    chunks: Mutex<HashMap<Hash, Arc<[u8]>>>,
    refs: Mutex<RefsBlob>,
    logs: Mutex<HashMap<String, Vec<u8>>>,
    writer: Mutex<()>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

struct MemoryLock<'a>(#[allow(dead_code)] MutexGuard<'a, ()>);
impl WriterLock for MemoryLock<'_> {}

fn poisoned<T>(_: T) -> Error {
    Error::Corrupt("a thread panicked while holding the store lock".into())
}

impl ChunkStore for MemoryStore {
    fn get(&self, hash: &Hash) -> Result<Option<Arc<[u8]>>> {
        Ok(self.chunks.lock().map_err(poisoned)?.get(hash).cloned())
    }

    fn put(&self, bytes: &[u8]) -> Result<Hash> {
        let hash = Hash::of(bytes);
        self.chunks
            .lock()
            .map_err(poisoned)?
            .entry(hash)
            .or_insert_with(|| Arc::from(bytes));
        Ok(hash)
    }

    fn has(&self, hash: &Hash) -> Result<bool> {
        Ok(self.chunks.lock().map_err(poisoned)?.contains_key(hash))
    }

    fn flush(&self) -> Result<()> {
        Ok(())
    }

    fn read_refs(&self) -> Result<RefsBlob> {
        Ok(self.refs.lock().map_err(poisoned)?.clone())
    }

    fn cas_refs(&self, expected: u64, bytes: &[u8]) -> Result<Option<u64>> {
        let mut refs = self.refs.lock().map_err(poisoned)?;
        if refs.version != expected {
            return Ok(None);
        }
        refs.version += 1;
        refs.bytes = bytes.to_vec();
        Ok(Some(refs.version))
    }

    fn wal_append(&self, log: &str, at: u64, record: &[u8]) -> Result<u64> {
        let mut logs = self.logs.lock().map_err(poisoned)?;
        let buf = logs.entry(log.to_string()).or_default();
        buf.truncate(at as usize);
        super::local::frame_record(buf, record);
        Ok(buf.len() as u64)
    }

    fn wal_len(&self, log: &str) -> Result<u64> {
        let logs = self.logs.lock().map_err(poisoned)?;
        Ok(logs.get(log).map_or(0, |b| b.len() as u64))
    }

    fn wal_read(&self, log: &str, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>> {
        let logs = self.logs.lock().map_err(poisoned)?;
        let buf = logs.get(log).map(|b| b.as_slice()).unwrap_or_default();
        let to = (to as usize).min(buf.len());
        let from = (from as usize).min(to);
        Ok(super::local::parse_records(&buf[from..to], from as u64))
    }

    fn lock(&self) -> Result<Box<dyn WriterLock + '_>> {
        Ok(Box::new(MemoryLock(self.writer.lock().map_err(poisoned)?)))
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&Hash, u64) -> Result<()>) -> Result<()> {
        let chunks = self.chunks.lock().map_err(poisoned)?;
        for (h, b) in chunks.iter() {
            visit(h, b.len() as u64)?;
        }
        Ok(())
    }

    fn retain(&self, live: &dyn Fn(&Hash) -> bool) -> Result<u64> {
        let mut chunks = self.chunks.lock().map_err(poisoned)?;
        let before: u64 = chunks.values().map(|b| b.len() as u64).sum();
        chunks.retain(|h, _| live(h));
        let after: u64 = chunks.values().map(|b| b.len() as u64).sum();
        Ok(before - after)
    }

    fn disk_size(&self) -> Result<u64> {
        let chunks = self.chunks.lock().map_err(poisoned)?;
        Ok(chunks.values().map(|b| b.len() as u64).sum())
    }
}
