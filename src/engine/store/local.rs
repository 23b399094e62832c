//! The embedded, crash-safe store: a few append-only files in a project
//! directory (layout and byte formats in docs/format.md).
//!
//! ```text
//! LOCK               flock: one writer at a time, across processes
//! refs               [u64 version][u32 crc32][refs JSON], replaced by rename
//! refs.lock          flock held only for the compare-and-swap of refs
//! chunks-<gen>.pack  records: [u32 len][u8 codec][payload][u32 crc32]
//! chunks-<gen>.<from>-<to>.sidx  sorted index of the records in [from, to)
//! chunks-<gen>.<from>.log        index entries of the records after it
//! wal/<log>.log      records: [u32 len][u32 crc32][payload]
//! ```
//!
//! Durability order: chunks are appended and fsynced before the refs blob
//! that names them is renamed into place, so a crash at any point leaves
//! either the old or the new refs, each pointing only at synced chunks.
//! Torn tails (an index entry or log record cut by a crash) fail their crc
//! and are ignored, then overwritten by the next append. The chunk index
//! (see [`super::chunk_index`]) is on disk and read by lookup, so opening a
//! store costs the same at any size.

use super::chunk_index::{self, ChunkIndex, Tuning};
use super::dictionary::Dictionaries;
use super::sidx::Entry;
use super::{ChunkStore, RefsBlob, WriterLock, segment};
use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

const PACK_HEADER: usize = 4 + 1;
const PACK_TRAILER: usize = 4;
const CODEC_RAW: u8 = 0;
const CODEC_ZSTD: u8 = 1;
/// zstd with another chunk (the previous version of a tree node) as a raw
/// dictionary; payload `[u8 depth][u64 base offset][u32 base length][zstd frame]`.
const CODEC_DELTA: u8 = 2;
const DELTA_HEADER: usize = 1 + 8 + 4;
/// zstd with the store's trained dictionary; payload `[u32 dictionary id][zstd frame]`.
const CODEC_DICT: u8 = 3;
/// Longest chain of deltas a read may have to decode; a write whose base
/// is this deep is stored whole instead.
const MAX_DELTA_DEPTH: u8 = 8;

pub struct LocalStore {
    dir: PathBuf,
    tuning: Tuning,
    index: RwLock<Index>,
    dicts: Dictionaries,
    refs_cache: std::sync::Mutex<Option<CachedRefs>>,
    /// Open write logs by name (log files are never deleted or renamed:
    /// a branch gets a new log name, so a held handle stays valid).
    wal_files: std::sync::Mutex<HashMap<String, Arc<WalFile>>>,
}

impl WalFile {
    fn check_healthy(&self, path: &Path) -> Result<()> {
        if self.failed.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(Error::io(
                path,
                std::io::Error::other(
                    "an earlier fsync of this write log failed; restart to recover from the log",
                ),
            ));
        }
        Ok(())
    }
}

/// An open write log and how far this process has made it durable.
///
/// Group commit: a writer appends under the writer lock, releases it and
/// then syncs. Syncs of one log are serialized; a writer that finds its
/// bytes already covered by a sync that started after its append returns
/// at once, so concurrent writers share one fsync.
struct WalFile {
    file: File,
    /// End of the newest append this process made.
    appended: std::sync::atomic::AtomicU64,
    /// End of the log known durable; the lock serializes syncs.
    synced: std::sync::Mutex<u64>,
    /// An fsync of this log failed. Linux reports a writeback error once
    /// per file, so a later fsync could "succeed" over lost pages: every
    /// later append and sync of the log fails instead.
    failed: std::sync::atomic::AtomicBool,
}

/// The refs file as last read, kept open. Refs are only ever replaced by
/// renaming a new file over the old one, and an inode cannot be reused
/// while a file is open, so a path that still names the held inode names
/// unchanged refs: one `stat` instead of open + read + checksum for every
/// command that reads a branch.
struct CachedRefs {
    _held: File,
    dev: u64,
    ino: u64,
    blob: RefsBlob,
}

/// The pack of the current generation and its chunk index.
struct Index {
    generation: u64,
    pack: File,
    chunks: ChunkIndex,
    /// End of the last indexed record: where the next record goes. Bytes
    /// of the pack file past it are a torn or unindexed append.
    pack_len: u64,
    /// Whether bytes past `pack_len` were cut since the last refresh (a
    /// writer does it before its first append).
    trimmed: bool,
    /// Recently decoded chunks by record offset: a delta's base is usually
    /// the node read just before it (the old side of a diff, the node an
    /// edit replaced), so its bytes are at hand instead of decoded again.
    recent: std::sync::Mutex<RecentChunks>,
}

/// A small FIFO-evicted map of decoded chunks.
#[derive(Default)]
struct RecentChunks {
    map: HashMap<u64, Arc<[u8]>>,
    order: std::collections::VecDeque<u64>,
}

const RECENT_CHUNKS: usize = 1024;

impl RecentChunks {
    fn get(&self, offset: u64) -> Option<Arc<[u8]>> {
        self.map.get(&offset).cloned()
    }

    fn put(&mut self, offset: u64, bytes: Arc<[u8]>) {
        if self.map.insert(offset, bytes).is_none() {
            self.order.push_back(offset);
            if self.order.len() > RECENT_CHUNKS
                && let Some(old) = self.order.pop_front()
            {
                self.map.remove(&old);
            }
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

fn poisoned<T>(_: T) -> Error {
    Error::Corrupt("a thread panicked while holding the store index".into())
}

impl LocalStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<LocalStore> {
        LocalStore::open_tuned(dir, Tuning::default())
    }

    /// Like [`LocalStore::open`] with other index thresholds (tests use
    /// small ones to exercise merges).
    pub fn open_tuned(dir: &Path, tuning: Tuning) -> Result<LocalStore> {
        fs::create_dir_all(dir.join("wal")).map_err(io_err(dir))?;
        let dicts = Dictionaries::open(dir)?;
        let listing = chunk_index::list(dir)?;
        let index = Index::open(dir, &listing, tuning, &dicts)?;
        Ok(LocalStore {
            dir: dir.to_path_buf(),
            tuning,
            index: RwLock::new(index),
            dicts,
            refs_cache: std::sync::Mutex::new(None),
            wal_files: std::sync::Mutex::new(HashMap::new()),
        })
    }

    fn pack_path(dir: &Path, generation: u64) -> PathBuf {
        chunk_index::pack_path(dir, generation)
    }

    /// How the chunk index stands: (entries held in memory, sorted files).
    pub fn index_shape(&self) -> Result<(usize, usize)> {
        let index = self.index.read().map_err(poisoned)?;
        Ok((index.chunks.overlay_len(), index.chunks.sorted_files()))
    }

    fn wal_path(&self, log: &str) -> PathBuf {
        self.dir.join("wal").join(format!("{log}.log"))
    }

    /// The open handle of a write log, created if missing.
    fn wal_file(&self, log: &str) -> Result<Arc<WalFile>> {
        let mut files = self
            .wal_files
            .lock()
            .map_err(|_| Error::Corrupt("write-log handle table lock poisoned".into()))?;
        if let Some(f) = files.get(log) {
            return Ok(f.clone());
        }
        let path = self.wal_path(log);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))?;
        let f = Arc::new(WalFile {
            file,
            appended: std::sync::atomic::AtomicU64::new(0),
            synced: std::sync::Mutex::new(0),
            failed: std::sync::atomic::AtomicBool::new(false),
        });
        files.insert(log.to_string(), f.clone());
        Ok(f)
    }

    /// Follows index entries and records other processes appended, their
    /// merges, and a GC to a new generation.
    fn refresh(&self) -> Result<()> {
        let listing = chunk_index::list(&self.dir)?;
        let mut index = self.index.write().map_err(poisoned)?;
        if listing.generation != index.generation {
            *index = Index::open(&self.dir, &listing, self.tuning, &self.dicts)?;
            return Ok(());
        }
        index.refresh(&self.dir, &listing, &self.dicts)
    }

    /// Complete records of the hot log in `[from, to)`, and how far the
    /// file reaches in that range.
    #[allow(clippy::type_complexity)]
    fn read_hot(&self, log: &str, from: u64, to: u64) -> Result<(Vec<(u64, Vec<u8>)>, u64)> {
        let path = self.wal_path(log);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok((Vec::new(), from)),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let len = file.metadata().map_err(io_err(&path))?.len();
        let to = to.min(len);
        if to <= from {
            return Ok((Vec::new(), from));
        }
        let mut buf = vec![0u8; (to - from) as usize];
        file.read_exact_at(&mut buf, from).map_err(io_err(&path))?;
        Ok((parse_records(&buf, from), to))
    }

    /// Appends a record for `hash` unless another thread stored it first.
    fn append_new(&self, hash: Hash, rec: &[u8]) -> Result<Hash> {
        let mut index = self.index.write().map_err(poisoned)?;
        if !index.chunks.in_overlay(&hash) {
            index.append(&self.dir, hash, rec)?;
        }
        Ok(hash)
    }

    fn lookup(&self, hash: &Hash) -> Result<Option<(u64, u32)>> {
        if let Some(loc) = self.index.read().map_err(poisoned)?.chunks.get(hash)? {
            return Ok(Some(loc));
        }
        // A miss may be a chunk another process wrote since we last looked.
        self.refresh()?;
        self.index.read().map_err(poisoned)?.chunks.get(hash)
    }
}

impl Index {
    fn open(
        dir: &Path,
        listing: &chunk_index::Listing,
        tuning: Tuning,
        dicts: &Dictionaries,
    ) -> Result<Index> {
        let pack_path = LocalStore::pack_path(dir, listing.generation);
        let pack = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&pack_path)
            .map_err(io_err(&pack_path))?;
        let pack_file_len = pack.metadata().map_err(io_err(&pack_path))?.len();
        let chunks = ChunkIndex::open(dir, listing, pack_file_len, tuning)?;
        let mut index = Index {
            generation: listing.generation,
            pack,
            pack_len: chunks.frontier(),
            chunks,
            trimmed: false,
            recent: std::sync::Mutex::new(RecentChunks::default()),
        };
        index.scan_tail(dir, dicts)?;
        Ok(index)
    }

    fn refresh(
        &mut self,
        dir: &Path,
        listing: &chunk_index::Listing,
        dicts: &Dictionaries,
    ) -> Result<()> {
        let pack_path = LocalStore::pack_path(dir, self.generation);
        let len = self.pack.metadata().map_err(io_err(&pack_path))?.len();
        self.chunks.refresh(listing, len)?;
        self.pack_len = self.chunks.frontier();
        self.trimmed = false;
        self.scan_tail(dir, dicts)
    }

    /// Indexes the intact records past the last indexed one: those a crash
    /// left without their entries, and those another process appended and
    /// has not logged yet. Each is checked (crc, decoding) and hashed; the
    /// first that fails ends the pack.
    fn scan_tail(&mut self, dir: &Path, dicts: &Dictionaries) -> Result<()> {
        let pack_path = LocalStore::pack_path(dir, self.generation);
        let file_len = self.pack.metadata().map_err(io_err(&pack_path))?.len();
        let mut at = self.pack_len;
        while at + (PACK_HEADER + PACK_TRAILER) as u64 <= file_len {
            let mut head = [0u8; 4];
            if self.pack.read_exact_at(&mut head, at).is_err() {
                break;
            }
            let total = u32::from_le_bytes(head) as u64 + (PACK_HEADER + PACK_TRAILER) as u64;
            if total > u32::MAX as u64 || at + total > file_len {
                break;
            }
            let Ok(bytes) = self.read_content(dicts, dir, at, total as u32, MAX_DELTA_DEPTH) else {
                break;
            };
            self.chunks.add(Entry {
                hash: Hash::of(&bytes),
                offset: at,
                len: total as u32,
            });
            at += total;
        }
        self.pack_len = at;
        Ok(())
    }

    /// Makes every appended record and its index entry durable, pack first.
    fn persist(&mut self, dir: &Path) -> Result<()> {
        let path = LocalStore::pack_path(dir, self.generation);
        self.pack.sync_data().map_err(io_err(&path))?;
        self.chunks.persist()
    }
}

/// Builds one pack record for `bytes`: compressed with the trained
/// dictionary once there is one, else plain zstd, raw when neither helps.
fn pack_record(dicts: &Dictionaries, bytes: &[u8]) -> Result<Vec<u8>> {
    if let Some((id, z)) = dicts.compress(bytes)? {
        return Ok(if z.len() + 4 < bytes.len() {
            frame_chunk(CODEC_DICT, &id.to_le_bytes(), &z)
        } else {
            frame_chunk(CODEC_RAW, &[], bytes)
        });
    }
    let compressed = crate::engine::codec::compress(bytes)?;
    if compressed.len() < bytes.len() {
        Ok(frame_chunk(CODEC_ZSTD, &[], &compressed))
    } else {
        Ok(frame_chunk(CODEC_RAW, &[], bytes))
    }
}

/// `[u32 len][u8 codec][prefix ++ payload][u32 crc32]`. The chunk's hash
/// is in the index, not here (as in git packs): reads check it against
/// the decoded bytes.
fn frame_chunk(codec: u8, prefix: &[u8], payload: &[u8]) -> Vec<u8> {
    let len = prefix.len() + payload.len();
    let mut rec = Vec::with_capacity(PACK_HEADER + len + PACK_TRAILER);
    rec.extend_from_slice(&(len as u32).to_le_bytes());
    rec.push(codec);
    rec.extend_from_slice(prefix);
    rec.extend_from_slice(payload);
    let crc = crc32fast::hash(&rec);
    rec.extend_from_slice(&crc.to_le_bytes());
    rec
}

/// The delta header: `[u8 depth][u64 base offset][u32 base record length]`.
fn delta_prefix(depth: u8, base_offset: u64, base_len: u32) -> [u8; DELTA_HEADER] {
    let mut p = [0u8; DELTA_HEADER];
    p[0] = depth;
    p[1..9].copy_from_slice(&base_offset.to_le_bytes());
    p[9..13].copy_from_slice(&base_len.to_le_bytes());
    p
}

/// A pack record checked against its crc.
enum Stored<'a> {
    Whole(Vec<u8>),
    Dict {
        id: u32,
        frame: &'a [u8],
    },
    Delta {
        depth: u8,
        base_offset: u64,
        base_len: u32,
        frame: &'a [u8],
    },
}

fn decode_record(rec: &[u8], offset: u64) -> Result<Stored<'_>> {
    let bad = |why: &str| Error::Corrupt(format!("chunk record at {offset}: {why}"));
    if rec.len() < PACK_HEADER + PACK_TRAILER {
        return Err(bad("too short"));
    }
    let (body, trailer) = rec.split_at(rec.len() - PACK_TRAILER);
    let crc = u32::from_le_bytes(trailer.try_into().map_err(|_| bad("crc"))?);
    if crc32fast::hash(body) != crc {
        return Err(bad("fails its checksum"));
    }
    let payload = &body[PACK_HEADER..];
    match body[4] {
        CODEC_RAW => Ok(Stored::Whole(payload.to_vec())),
        CODEC_ZSTD => crate::engine::codec::decompress(payload)
            .map(Stored::Whole)
            .map_err(|e| bad(&e.to_string())),
        CODEC_DELTA if payload.len() > DELTA_HEADER => {
            let mut off = [0u8; 8];
            off.copy_from_slice(&payload[1..9]);
            let mut len = [0u8; 4];
            len.copy_from_slice(&payload[9..13]);
            Ok(Stored::Delta {
                depth: payload[0],
                base_offset: u64::from_le_bytes(off),
                base_len: u32::from_le_bytes(len),
                frame: &payload[DELTA_HEADER..],
            })
        }
        CODEC_DICT if payload.len() > 4 => Ok(Stored::Dict {
            id: u32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]),
            frame: &payload[4..],
        }),
        c => Err(bad(&format!("unknown codec {c}"))),
    }
}

impl Index {
    fn read_record(&self, dir: &Path, offset: u64, len: u32) -> Result<Vec<u8>> {
        let mut rec = vec![0u8; len as usize];
        self.pack
            .read_exact_at(&mut rec, offset)
            .map_err(|e| Error::io(LocalStore::pack_path(dir, self.generation), e))?;
        Ok(rec)
    }

    /// The uncompressed bytes of a chunk of this generation, checked
    /// against its hash.
    fn read_chunk(
        &self,
        dicts: &Dictionaries,
        dir: &Path,
        hash: &Hash,
    ) -> Result<Option<Arc<[u8]>>> {
        let Some((offset, len)) = self.chunks.get(hash)? else {
            return Ok(None);
        };
        self.read_chunk_at(dicts, dir, hash, offset, len).map(Some)
    }

    /// The chunk `hash` whose record is at `offset`, checked against it.
    fn read_chunk_at(
        &self,
        dicts: &Dictionaries,
        dir: &Path,
        hash: &Hash,
        offset: u64,
        len: u32,
    ) -> Result<Arc<[u8]>> {
        let bytes = self.read_content(dicts, dir, offset, len, MAX_DELTA_DEPTH)?;
        if Hash::of(&bytes) != *hash {
            return Err(Error::Corrupt(format!(
                "chunk {} does not match its hash",
                hash.short()
            )));
        }
        Ok(bytes)
    }

    /// Decodes the record at `offset`, following delta bases (at most
    /// `depth_left` more of them, so damage cannot loop).
    fn read_content(
        &self,
        dicts: &Dictionaries,
        dir: &Path,
        offset: u64,
        len: u32,
        depth_left: u8,
    ) -> Result<Arc<[u8]>> {
        if let Some(b) = self.recent.lock().ok().and_then(|r| r.get(offset)) {
            return Ok(b);
        }
        let rec = self.read_record(dir, offset, len)?;
        let bytes: Arc<[u8]> = match decode_record(&rec, offset)? {
            Stored::Whole(bytes) => Arc::from(bytes),
            Stored::Dict { id, frame } => Arc::from(
                dicts
                    .decompress(id, frame)
                    .map_err(|e| Error::Corrupt(format!("chunk record at {offset}: {e}")))?,
            ),
            Stored::Delta {
                base_offset,
                base_len,
                frame,
                ..
            } => {
                if depth_left == 0 || base_offset >= offset {
                    return Err(Error::Corrupt(format!(
                        "chunk record at {offset}: bad delta base"
                    )));
                }
                let base = self.read_content(dicts, dir, base_offset, base_len, depth_left - 1)?;
                Arc::from(
                    crate::engine::codec::decompress_against(frame, &base)
                        .map_err(|e| Error::Corrupt(format!("chunk record at {offset}: {e}")))?,
                )
            }
        };
        if let Ok(mut r) = self.recent.lock() {
            r.put(offset, bytes.clone());
        }
        Ok(bytes)
    }

    /// How many delta bases a read of `hash` decodes (0 for a whole chunk),
    /// with its location.
    fn delta_depth(&self, dir: &Path, hash: &Hash) -> Result<Option<(u8, u64, u32)>> {
        let Some((offset, len)) = self.chunks.get(hash)? else {
            return Ok(None);
        };
        let mut head = [0u8; PACK_HEADER + 1];
        if (len as usize) < head.len() {
            return Ok(Some((0, offset, len)));
        }
        self.pack
            .read_exact_at(&mut head, offset)
            .map_err(|e| Error::io(LocalStore::pack_path(dir, self.generation), e))?;
        let depth = if head[4] == CODEC_DELTA {
            head[PACK_HEADER]
        } else {
            0
        };
        Ok(Some((depth, offset, len)))
    }

    /// Appends a finished record at the end of the indexed pack and
    /// indexes it (in memory until [`Index::persist`]). Caller holds the
    /// writer lock.
    fn append(&mut self, dir: &Path, hash: Hash, rec: &[u8]) -> Result<()> {
        let offset = self.pack_len;
        let pack_path = LocalStore::pack_path(dir, self.generation);
        if !self.trimmed {
            // Unindexed bytes past the end (a torn record) go first, so
            // they cannot be read as part of a record later.
            let len = self.pack.metadata().map_err(io_err(&pack_path))?.len();
            if len > offset {
                self.pack.set_len(offset).map_err(io_err(&pack_path))?;
            }
            self.trimmed = true;
        }
        self.pack
            .write_all_at(rec, offset)
            .map_err(io_err(&pack_path))?;
        self.pack_len += rec.len() as u64;
        self.chunks.add(Entry {
            hash,
            offset,
            len: rec.len() as u32,
        });
        if self.chunks.wants_persist() {
            // Bounds the overlay during a long import between flushes.
            self.persist(dir)?;
        }
        Ok(())
    }
}

/// Frames one write-log record: `[u32 len][u32 crc32][payload]`.
pub(crate) fn frame_record(out: &mut Vec<u8>, payload: &[u8]) {
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// Parses complete, intact records from `buf` (which starts at file offset
/// `base`); stops at the first torn or corrupt one.
pub(crate) fn parse_records(buf: &[u8], base: u64) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 8 <= buf.len() {
        let len = u32::from_le_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
        let crc = u32::from_le_bytes([buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]]);
        let end = pos + 8 + len;
        if end > buf.len() || crc32fast::hash(&buf[pos + 8..end]) != crc {
            break;
        }
        out.push((base + end as u64, buf[pos + 8..end].to_vec()));
        pos = end;
    }
    out
}

/// Gives the whole filesystem blocks inside `[from, to)` of a file back to
/// the filesystem (its length and other bytes stay); where the platform
/// cannot, the bytes simply stay.
fn free_range(path: &Path, from: u64, to: u64) -> Result<()> {
    const BLOCK: u64 = 4096;
    let (a, b) = (from.div_ceil(BLOCK) * BLOCK, to / BLOCK * BLOCK);
    if b <= a {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{FallocateFlags, fallocate};
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io_err(path))?;
        match fallocate(
            &file,
            FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE,
            a,
            b - a,
        ) {
            Ok(()) => {}
            // Filesystems without hole punching keep the bytes.
            Err(rustix::io::Errno::OPNOTSUPP) => {}
            Err(e) => return Err(Error::io(path, e.into())),
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
    Ok(())
}

/// Bytes a file holds: its length, less the blocks freed inside it.
pub fn occupied(m: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.len().min(m.blocks() * 512)
}

fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

struct FileLock(File);
impl WriterLock for FileLock {}
impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlock explicitly so the
        // release does not wait for other clones of the descriptor.
        let _ = self.0.unlock();
    }
}

fn lock_file(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io_err(path))?;
    file.lock().map_err(io_err(path))?;
    Ok(file)
}

impl ChunkStore for LocalStore {
    fn get(&self, hash: &Hash) -> Result<Option<Arc<[u8]>>> {
        // One lookup, and the read under the same lock (a GC in another
        // thread cannot move the record in between).
        {
            let index = self.index.read().map_err(poisoned)?;
            if let Some((offset, len)) = index.chunks.get(hash)? {
                return index
                    .read_chunk_at(&self.dicts, &self.dir, hash, offset, len)
                    .map(Some);
            }
        }
        // A miss may be a chunk another process wrote since we last looked.
        self.refresh()?;
        let index = self.index.read().map_err(poisoned)?;
        index.read_chunk(&self.dicts, &self.dir, hash)
    }

    fn put(&self, bytes: &[u8]) -> Result<Hash> {
        let hash = Hash::of(bytes);
        {
            let index = self.index.read().map_err(poisoned)?;
            if index.chunks.get(&hash)?.is_some() {
                return Ok(hash);
            }
        }
        let rec = pack_record(&self.dicts, bytes)?;
        self.append_new(hash, &rec)
    }

    fn put_delta(&self, bytes: &[u8], base: &Hash, base_bytes: &[u8]) -> Result<Hash> {
        let hash = Hash::of(bytes);
        let base_at = {
            let index = self.index.read().map_err(poisoned)?;
            if index.chunks.get(&hash)?.is_some() {
                return Ok(hash);
            }
            index.delta_depth(&self.dir, base)?
        };
        let Some((base_depth, base_offset, base_len)) =
            base_at.filter(|(d, _, _)| *d < MAX_DELTA_DEPTH)
        else {
            return self.put(bytes);
        };
        let delta = crate::engine::codec::compress_against(bytes, base_bytes)?;
        // Small deltas win outright; otherwise compare with the whole form.
        let rec = if delta.len() * 8 < bytes.len() {
            frame_chunk(
                CODEC_DELTA,
                &delta_prefix(base_depth + 1, base_offset, base_len),
                &delta,
            )
        } else {
            let whole = pack_record(&self.dicts, bytes)?;
            if delta.len() + DELTA_HEADER + PACK_HEADER + PACK_TRAILER < whole.len() {
                frame_chunk(
                    CODEC_DELTA,
                    &delta_prefix(base_depth + 1, base_offset, base_len),
                    &delta,
                )
            } else {
                whole
            }
        };
        self.append_new(hash, &rec)
    }

    fn has(&self, hash: &Hash) -> Result<bool> {
        Ok(self.lookup(hash)?.is_some())
    }

    fn flush(&self) -> Result<()> {
        self.index.write().map_err(poisoned)?.persist(&self.dir)
    }

    fn refs_version(&self) -> Result<u64> {
        use std::os::unix::fs::MetadataExt;
        let path = self.dir.join("refs");
        {
            let cache = self
                .refs_cache
                .lock()
                .map_err(|_| Error::Corrupt("refs cache lock poisoned".into()))?;
            if let (Some(c), Ok(m)) = (cache.as_ref(), fs::metadata(&path))
                && c.dev == m.dev()
                && c.ino == m.ino()
            {
                return Ok(c.blob.version);
            }
        }
        Ok(self.read_refs()?.version)
    }

    fn read_refs(&self) -> Result<RefsBlob> {
        use std::os::unix::fs::MetadataExt;
        let path = self.dir.join("refs");
        let mut cache = self
            .refs_cache
            .lock()
            .map_err(|_| Error::Corrupt("refs cache lock poisoned".into()))?;
        match fs::metadata(&path) {
            Ok(m) => {
                if let Some(c) = cache.as_ref()
                    && c.dev == m.dev()
                    && c.ino == m.ino()
                {
                    return Ok(c.blob.clone());
                }
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                *cache = None;
                return Ok(RefsBlob::default());
            }
            Err(e) => return Err(Error::io(&path, e)),
        }
        let mut f = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                *cache = None;
                return Ok(RefsBlob::default());
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        // The identity of the file actually opened (the path may have been
        // replaced since the stat above).
        let m = f.metadata().map_err(io_err(&path))?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).map_err(io_err(&path))?;
        if buf.len() < 12 {
            return Err(Error::Corrupt(format!("{} is truncated", path.display())));
        }
        let version = u64::from_le_bytes(buf[..8].try_into().unwrap_or_default());
        let crc = u32::from_le_bytes(buf[8..12].try_into().unwrap_or_default());
        if crc32fast::hash(&buf[12..]) != crc {
            return Err(Error::Corrupt(format!(
                "{} fails its checksum",
                path.display()
            )));
        }
        let blob = RefsBlob {
            version,
            bytes: buf[12..].to_vec(),
        };
        *cache = Some(CachedRefs {
            _held: f,
            dev: m.dev(),
            ino: m.ino(),
            blob: blob.clone(),
        });
        Ok(blob)
    }

    fn cas_refs(&self, expected: u64, bytes: &[u8]) -> Result<Option<u64>> {
        let _guard = FileLock(lock_file(&self.dir.join("refs.lock"))?);
        if self.read_refs()?.version != expected {
            return Ok(None);
        }
        let version = expected + 1;
        let tmp = self.dir.join("refs.tmp");
        let mut buf = Vec::with_capacity(12 + bytes.len());
        buf.extend_from_slice(&version.to_le_bytes());
        buf.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
        buf.extend_from_slice(bytes);
        {
            let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
            f.write_all(&buf).map_err(io_err(&tmp))?;
            f.sync_all().map_err(io_err(&tmp))?;
        }
        let path = self.dir.join("refs");
        fs::rename(&tmp, &path).map_err(io_err(&path))?;
        fsync_dir(&self.dir)?;
        Ok(Some(version))
    }

    fn wal_append(&self, log: &str, at: u64, record: &[u8]) -> Result<u64> {
        let end = self.wal_append_deferred(log, at, record)?;
        self.wal_sync(log)?;
        Ok(end)
    }

    fn wal_sync(&self, log: &str) -> Result<()> {
        let wal = self.wal_file(log)?;
        // Everything this process appended before the call: the caller's
        // own record included.
        let target = wal.appended.load(std::sync::atomic::Ordering::SeqCst);
        let mut synced = wal
            .synced
            .lock()
            .map_err(|_| Error::Corrupt("write-log sync lock poisoned".into()))?;
        if target > 0 && *synced >= target {
            // A sync that began after our append already covered it.
            return Ok(());
        }
        let path = self.wal_path(log);
        wal.check_healthy(&path)?;
        if let Err(e) = wal.file.sync_data() {
            wal.failed.store(true, std::sync::atomic::Ordering::SeqCst);
            return Err(Error::io(&path, e));
        }
        *synced = (*synced).max(target);
        Ok(())
    }

    fn wal_append_deferred(&self, log: &str, at: u64, record: &[u8]) -> Result<u64> {
        let path = self.wal_path(log);
        let wal = self.wal_file(log)?;
        wal.check_healthy(&path)?;
        let len = wal.file.metadata().map_err(io_err(&path))?.len();
        if len > at {
            // Bytes past the last valid record are a torn append.
            wal.file.set_len(at).map_err(io_err(&path))?;
        }
        let mut framed = Vec::with_capacity(record.len() + 8);
        frame_record(&mut framed, record);
        wal.file.write_all_at(&framed, at).map_err(io_err(&path))?;
        if at == 0 {
            // A new log: its directory entry must be durable too. If that
            // fails, the record must not stay behind to be replayed as if
            // it had been written.
            let synced = wal
                .file
                .sync_data()
                .map_err(io_err(&path))
                .and_then(|()| fsync_dir(&self.dir.join("wal")));
            if let Err(e) = synced {
                wal.failed.store(true, std::sync::atomic::Ordering::SeqCst);
                let _ = wal.file.set_len(at);
                return Err(e);
            }
        }
        let end = at + framed.len() as u64;
        wal.appended
            .fetch_max(end, std::sync::atomic::Ordering::SeqCst);
        Ok(end)
    }

    fn wal_close(&self, log: &str) {
        if let Ok(mut files) = self.wal_files.lock() {
            files.remove(log);
        }
    }

    fn wal_len(&self, log: &str) -> Result<u64> {
        let path = self.wal_path(log);
        match fs::metadata(&path) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(0),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    fn wal_read(&self, log: &str, from: u64, to: u64) -> Result<Vec<(u64, Vec<u8>)>> {
        let mut out = Vec::new();
        self.wal_scan(log, from, to, &mut |end, payload| {
            out.push((end, payload.to_vec()));
            Ok(true)
        })?;
        Ok(out)
    }

    fn wal_scan(
        &self,
        log: &str,
        from: u64,
        to: u64,
        visit: &mut dyn FnMut(u64, &[u8]) -> Result<bool>,
    ) -> Result<()> {
        let dir = self.dir.join("wal");
        let mut segments = segment::list(&dir, log)?;
        let mut relisted = false;
        let mut cur = from;
        while cur < to {
            if let Some((_, seg_to, path)) = segments.iter().find(|(a, b, _)| *a <= cur && cur < *b)
            {
                let bytes = fs::read(path).map_err(io_err(path))?;
                if !segment::scan(path, &bytes, cur, to.min(*seg_to), visit)? {
                    return Ok(());
                }
                cur = *seg_to;
                continue;
            }
            let next_segment = segments
                .iter()
                .map(|(a, _, _)| *a)
                .filter(|&a| a > cur)
                .min()
                .unwrap_or(u64::MAX);
            let want = to.min(next_segment);
            let (records, available) = self.read_hot(log, cur, want)?;
            let reached = records.last().map_or(cur, |(end, _)| *end);
            for (end, payload) in &records {
                if !visit(*end, payload)? {
                    return Ok(());
                }
            }
            if reached < available && !relisted {
                // Unreadable bytes short of the end: a compaction may have
                // freed them since we listed the segments. Look again.
                relisted = true;
                segments = segment::list(&dir, log)?;
                cur = reached;
                continue;
            }
            if reached < want {
                break; // the end of the log (or a torn last record)
            }
            cur = reached;
        }
        Ok(())
    }

    fn wal_compact(
        &self,
        log: &str,
        from: u64,
        to: u64,
        raw: &dyn Fn(&[u8]) -> Result<Vec<u8>>,
    ) -> Result<()> {
        let dir = self.dir.join("wal");
        if to <= from
            || segment::list(&dir, log)?
                .iter()
                .any(|(a, b, _)| *a < to && from < *b)
        {
            return Ok(());
        }
        let (records, _) = self.read_hot(log, from, to)?;
        if records.last().map(|(end, _)| *end) != Some(to) {
            return Err(Error::Corrupt(format!(
                "write log {log}: records {from}..{to} are incomplete; not compacting them"
            )));
        }
        let mut start = from;
        let mut seg_records = Vec::with_capacity(records.len());
        for (end, payload) in records {
            seg_records.push(segment::SegmentRecord {
                start,
                end,
                payload: raw(&payload)?,
            });
            start = end;
        }
        let bytes = segment::encode(&seg_records)?;
        let path = dir.join(segment::file_name(log, from, to));
        let tmp = dir.join(format!("{log}.seg.tmp"));
        fs::write(&tmp, &bytes).map_err(io_err(&tmp))?;
        File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&tmp))?;
        fs::rename(&tmp, &path).map_err(io_err(&path))?;
        fsync_dir(&dir)?;
        // Only now, with the segment durable, free the hot log's blocks.
        free_range(&self.wal_path(log), from, to)
    }

    fn wal_segments(&self) -> Result<Vec<(String, u64, u64, u64)>> {
        let dir = self.dir.join("wal");
        let mut out = Vec::new();
        for e in fs::read_dir(&dir).map_err(io_err(&dir))? {
            let e = e.map_err(io_err(&dir))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let Some((log, _)) = name.split_once('.') else {
                continue;
            };
            if let Some((from, to)) = segment::parse_name(log, &name) {
                let bytes = e.metadata().map_err(io_err(&dir))?.len();
                out.push((log.to_string(), from, to, bytes));
            }
        }
        Ok(out)
    }

    fn wal_drop_segment(&self, log: &str, from: u64, to: u64) -> Result<()> {
        let path = self.dir.join("wal").join(segment::file_name(log, from, to));
        match fs::remove_file(&path) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        }
    }

    fn lock(&self) -> Result<Box<dyn WriterLock + '_>> {
        let lock = FileLock(lock_file(&self.dir.join("LOCK"))?);
        // Catch up with chunks other processes appended, so appends go
        // after theirs.
        self.refresh()?;
        Ok(Box::new(lock))
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&Hash, u64) -> Result<()>) -> Result<()> {
        self.refresh()?;
        let index = self.index.read().map_err(poisoned)?;
        for e in index.chunks.entries() {
            let e = e?;
            visit(&e.hash, e.len as u64)?;
        }
        Ok(())
    }

    fn retain(&self, live: &dyn Fn(&Hash) -> bool) -> Result<u64> {
        self.refresh()?;
        let mut index = self.index.write().map_err(poisoned)?;
        // Everything indexed is durable before it is copied.
        index.persist(&self.dir)?;
        let next = index.generation + 1;
        // The live records' locations in pack order: 12 bytes per live
        // chunk, while the index itself is streamed from disk.
        let mut keep: Vec<(u64, u32)> = Vec::new();
        let mut freed = 0u64;
        for e in index.chunks.entries() {
            let e = e?;
            if live(&e.hash) {
                keep.push((e.offset, e.len));
            } else {
                freed += e.len as u64;
            }
        }
        keep.sort_unstable();
        let pack_tmp = chunk_index::tmp_path(&self.dir, next, "pack");
        let file = File::create(&pack_tmp).map_err(io_err(&pack_tmp))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &file);
        // Where each kept record went, parallel to `keep`.
        let mut moved: Vec<(u64, u32)> = Vec::with_capacity(keep.len());
        let mut pos = 0u64;
        for &(offset, len) in &keep {
            let rec = index.read_record(&self.dir, offset, len)?;
            let rewritten = match decode_record(&rec, offset)? {
                // Bases come before their deltas, so a kept base has moved
                // already; a delta whose base goes is stored whole.
                Stored::Delta {
                    depth,
                    base_offset,
                    frame,
                    ..
                } => Some(match keep.binary_search_by_key(&base_offset, |k| k.0) {
                    Ok(i) => {
                        let (new_offset, new_len) = moved[i];
                        frame_chunk(
                            CODEC_DELTA,
                            &delta_prefix(depth, new_offset, new_len),
                            frame,
                        )
                    }
                    Err(_) => {
                        let bytes = index.read_content(
                            &self.dicts,
                            &self.dir,
                            offset,
                            len,
                            MAX_DELTA_DEPTH,
                        )?;
                        pack_record(&self.dicts, &bytes)?
                    }
                }),
                _ => None,
            };
            let rec = rewritten.as_deref().unwrap_or(&rec);
            out.write_all(rec).map_err(io_err(&pack_tmp))?;
            moved.push((pos, rec.len() as u32));
            pos += rec.len() as u64;
        }
        out.flush().map_err(io_err(&pack_tmp))?;
        drop(out);
        file.sync_all().map_err(io_err(&pack_tmp))?;
        // The new generation's index, streamed in hash order like the old.
        let sidx_path = chunk_index::sorted_path(&self.dir, next, 0, pos);
        let sidx_tmp = chunk_index::tmp_path(&self.dir, next, "sidx");
        {
            let mut entries = index.chunks.entries().filter_map(|e| match e {
                Ok(e) => keep.binary_search(&(e.offset, e.len)).ok().map(|i| {
                    Ok(Entry {
                        hash: e.hash,
                        offset: moved[i].0,
                        len: moved[i].1,
                    })
                }),
                Err(e) => Some(Err(e)),
            });
            super::sidx::write(&sidx_tmp, &sidx_path, 0, pos, &mut entries)?;
        }
        // The rename of the pack commits the new generation (see
        // chunk_index::list); readers of the old one keep their files.
        let pack_path = LocalStore::pack_path(&self.dir, next);
        fs::rename(&pack_tmp, &pack_path).map_err(io_err(&pack_path))?;
        fsync_dir(&self.dir)?;
        let listing = chunk_index::list(&self.dir)?;
        *index = Index::open(&self.dir, &listing, self.tuning, &self.dicts)?;
        index.chunks.clean_up()?;
        Ok(freed)
    }

    fn disk_size(&self) -> Result<u64> {
        fn walk(p: &Path) -> std::io::Result<u64> {
            let mut total = 0;
            for e in fs::read_dir(p)? {
                let e = e?;
                let m = e.metadata()?;
                total += if m.is_dir() {
                    walk(&e.path())?
                } else {
                    occupied(&m)
                };
            }
            Ok(total)
        }
        walk(&self.dir).map_err(io_err(&self.dir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_survive_reopen_and_torn_tails_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let h1;
        {
            let s = LocalStore::open(dir.path()).unwrap();
            h1 = s.put(b"hello world hello world hello world").unwrap();
            assert_eq!(s.put(b"hello world hello world hello world").unwrap(), h1);
            s.flush().unwrap();
        }
        // Simulate a torn index append.
        let idx = dir.path().join("chunks-0.0.log");
        let mut f = OpenOptions::new().append(true).open(&idx).unwrap();
        f.write_all(&[7u8; 20]).unwrap();
        drop(f);
        let s = LocalStore::open(dir.path()).unwrap();
        assert_eq!(
            &*s.get(&h1).unwrap().unwrap(),
            b"hello world hello world hello world"
        );
        let h2 = s.put(b"second").unwrap();
        drop(s);
        let s = LocalStore::open(dir.path()).unwrap();
        assert_eq!(&*s.get(&h2).unwrap().unwrap(), b"second");
        assert!(s.get(&Hash::of(b"nope")).unwrap().is_none());
    }

    #[test]
    fn refs_cas_and_wal_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open(dir.path()).unwrap();
        assert_eq!(s.read_refs().unwrap().version, 0);
        assert_eq!(s.cas_refs(0, b"a").unwrap(), Some(1));
        assert_eq!(s.cas_refs(0, b"b").unwrap(), None);
        assert_eq!(s.read_refs().unwrap().bytes, b"a");
        let end = s.wal_append("x", 0, b"one").unwrap();
        // garbage after the last record, as a crash mid-append leaves
        let path = dir.path().join("wal/x.log");
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[1, 2, 3]).unwrap();
        assert_eq!(s.wal_read("x", 0, u64::MAX).unwrap().len(), 1);
        let end2 = s.wal_append("x", end, b"two").unwrap();
        let recs = s.wal_read("x", 0, end2).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].1, b"two");
    }

    fn versions(n: usize) -> Vec<Vec<u8>> {
        let mut v: Vec<u8> = (0..3000u32)
            .flat_map(|i| i.wrapping_mul(2654435761).to_le_bytes())
            .collect();
        (0..n)
            .map(|i| {
                v[i * 97 % 12000] ^= 0x5a;
                v.clone()
            })
            .collect()
    }

    #[test]
    fn delta_chains_read_back_and_stay_short() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open(dir.path()).unwrap();
        let vs = versions(20);
        let mut prev = s.put(&vs[0]).unwrap();
        let mut hashes = vec![prev];
        for pair in vs.windows(2) {
            prev = s.put_delta(&pair[1], &prev, &pair[0]).unwrap();
            hashes.push(prev);
        }
        let index = s.index.read().unwrap();
        let depths: Vec<u8> = hashes
            .iter()
            .map(|h| index.delta_depth(dir.path(), h).unwrap().unwrap().0)
            .collect();
        drop(index);
        assert_eq!(depths[1], 1);
        assert!(depths.iter().all(|d| *d <= MAX_DELTA_DEPTH), "{depths:?}");
        assert!(
            depths.contains(&0) && depths[9] == 0,
            "restarts whole: {depths:?}"
        );
        // Three whole versions (0, 9, 18) of ~12 KB; the 17 deltas are tiny.
        let size = s.disk_size().unwrap();
        assert!(size < 3 * 12_100 + 17 * 200, "{size} bytes");
        let reopened = LocalStore::open(dir.path()).unwrap();
        for (h, v) in hashes.iter().zip(&vs) {
            assert_eq!(&*reopened.get(h).unwrap().unwrap(), v.as_slice());
        }
    }

    #[test]
    fn gc_keeps_deltas_readable_when_their_base_goes() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open(dir.path()).unwrap();
        let vs = versions(3);
        let a = s.put(&vs[0]).unwrap();
        let b = s.put_delta(&vs[1], &a, &vs[0]).unwrap();
        let c = s.put_delta(&vs[2], &b, &vs[1]).unwrap();
        let d = s.put(b"unrelated chunk that goes first").unwrap();
        // Keep the deltas' base: they move and must follow it.
        s.retain(&|h| *h != d).unwrap();
        for (h, v) in [(a, &vs[0]), (b, &vs[1]), (c, &vs[2])] {
            assert_eq!(&*s.get(&h).unwrap().unwrap(), v.as_slice());
        }
        s.retain(&|h| *h == c).unwrap();
        assert!(s.get(&a).unwrap().is_none() && s.get(&b).unwrap().is_none());
        assert_eq!(&*s.get(&c).unwrap().unwrap(), vs[2].as_slice());
        let reopened = LocalStore::open(dir.path()).unwrap();
        assert_eq!(&*reopened.get(&c).unwrap().unwrap(), vs[2].as_slice());
    }

    /// A store of the old format (`chunks-0.idx`: every entry in pack
    /// order, read whole on open) is converted on open.
    #[test]
    fn old_index_files_are_converted_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let mut pack = Vec::new();
        let mut idx = Vec::new();
        let chunks: Vec<Vec<u8>> = (0..20u32)
            .map(|i| format!("old chunk {i}").into_bytes())
            .collect();
        for c in &chunks {
            let rec = frame_chunk(CODEC_RAW, &[], c);
            let e = Entry {
                hash: Hash::of(c),
                offset: pack.len() as u64,
                len: rec.len() as u32,
            };
            let mut raw = [0u8; 48];
            raw[..32].copy_from_slice(&e.hash.0);
            raw[32..40].copy_from_slice(&e.offset.to_le_bytes());
            raw[40..44].copy_from_slice(&e.len.to_le_bytes());
            let crc = crc32fast::hash(&raw[..44]);
            raw[44..].copy_from_slice(&crc.to_le_bytes());
            idx.extend_from_slice(&raw);
            pack.extend_from_slice(&rec);
        }
        // The last entry is torn; its record is found again in the pack.
        idx.truncate(idx.len() - 10);
        fs::write(dir.path().join("chunks-0.pack"), &pack).unwrap();
        fs::write(dir.path().join("chunks-0.idx"), &idx).unwrap();
        let s = LocalStore::open(dir.path()).unwrap();
        for c in &chunks {
            assert_eq!(&*s.get(&Hash::of(c)).unwrap().unwrap(), c.as_slice());
        }
        assert!(!dir.path().join("chunks-0.idx").exists());
        let h = s.put(b"new after conversion").unwrap();
        s.flush().unwrap();
        drop(s);
        let s = LocalStore::open(dir.path()).unwrap();
        assert!(s.has(&h).unwrap());
        for c in &chunks {
            assert_eq!(&*s.get(&Hash::of(c)).unwrap().unwrap(), c.as_slice());
        }
    }

    #[test]
    fn retain_drops_dead_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open(dir.path()).unwrap();
        let keep = s.put(b"keep me").unwrap();
        let drop_ = s.put(b"drop me").unwrap();
        let freed = s.retain(&|h| *h == keep).unwrap();
        assert!(freed > 0);
        assert!(s.get(&drop_).unwrap().is_none());
        let s2 = LocalStore::open(dir.path()).unwrap();
        assert_eq!(&*s2.get(&keep).unwrap().unwrap(), b"keep me");
        assert!(!s2.has(&drop_).unwrap());
    }
}
