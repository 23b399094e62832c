//! The chunk index of one pack generation: hash → record location, kept
//! on disk so that opening a store costs the same at any size.
//!
//! Two levels, as in an LSM tree:
//! - sorted files (`chunks-<gen>.<from>-<to>.sidx`, see [`super::sidx`])
//!   that cover a prefix of the pack, `[0, indexed_to)`, as a chain of
//!   ranges, read by positioned reads;
//! - an overlay of the records after that, kept in memory and appended to
//!   `chunks-<gen>.<indexed_to>.log` (48-byte entries) once the pack bytes
//!   they point at are fsynced.
//!
//! When the overlay reaches [`Tuning::flush_at`] entries it becomes a new
//! sorted file; when the files after the first hold [`Tuning::merge_at`]
//! entries, the whole chain is merged into one. Both write a new file and
//! rename it into place, so a crash leaves the old files or the new.
//!
//! The pack is the source of truth: whatever the files and the log do not
//! cover (a torn log, a missing or damaged file, records appended just
//! before a crash) is found again by reading the pack from the last
//! indexed record on, checking each record and hashing its content.

use super::sidx::{self, Entry, SortedFile};
use crate::engine::error::{Error, Result};
use crate::engine::hash::{Hash, HashMapOfHashes};
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// A write-log entry of the overlay (the layout of the old `.idx` files):
/// hash, u64 offset, u32 length, u32 crc32 of the first 44 bytes.
pub const LOG_ENTRY: usize = 48;

/// When the overlay is written out and when sorted files are merged.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    pub flush_at: usize,
    pub merge_at: u64,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            flush_at: 16 * 1024,
            merge_at: 256 * 1024,
        }
    }
}

/// What the project directory holds for chunks, from one `read_dir`.
#[derive(Debug, Default)]
pub struct Listing {
    /// The current generation: the newest whose pack is committed.
    pub generation: u64,
    sorted: Vec<(u64, u64)>,
    logs: Vec<u64>,
    /// The current generation still has an index in the old format.
    pub old_idx: bool,
    /// Leftovers a writer may delete: other generations' files and
    /// temporary files.
    stale: Vec<PathBuf>,
}

pub fn pack_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("chunks-{generation}.pack"))
}

pub fn old_idx_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("chunks-{generation}.idx"))
}

pub fn sorted_path(dir: &Path, generation: u64, from: u64, to: u64) -> PathBuf {
    dir.join(format!("chunks-{generation}.{from}-{to}.sidx"))
}

fn log_path(dir: &Path, generation: u64, base: u64) -> PathBuf {
    dir.join(format!("chunks-{generation}.{base}.log"))
}

pub fn tmp_path(dir: &Path, generation: u64, what: &str) -> PathBuf {
    dir.join(format!("chunks-{generation}.{what}.tmp"))
}

enum Kind {
    Pack,
    OldIdx,
    Sorted(u64, u64),
    Log(u64),
    Tmp,
}

fn parse_name(name: &str) -> Option<(u64, Kind)> {
    let rest = name.strip_prefix("chunks-")?;
    let (generation, rest) = rest.split_once('.')?;
    let generation = generation.parse().ok()?;
    let kind = match rest {
        "pack" => Kind::Pack,
        "idx" => Kind::OldIdx,
        _ if rest.ends_with(".tmp") => Kind::Tmp,
        _ => {
            if let Some(range) = rest.strip_suffix(".sidx") {
                let (a, b) = range.split_once('-')?;
                Kind::Sorted(a.parse().ok()?, b.parse().ok()?)
            } else {
                Kind::Log(rest.strip_suffix(".log")?.parse().ok()?)
            }
        }
    };
    Some((generation, kind))
}

/// Reads the directory. A generation is committed once its pack has its
/// final name and an index exists for it (generation 0 needs none): GC
/// writes the index first and renames the pack last; stores of the old
/// format wrote the pack first and the `.idx` last.
pub fn list(dir: &Path) -> Result<Listing> {
    let mut files: Vec<(u64, Kind, PathBuf)> = Vec::new();
    for e in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let name = e.file_name();
        if let Some((g, kind)) = parse_name(&name.to_string_lossy()) {
            files.push((g, kind, e.path()));
        }
    }
    let committed = |g: u64| {
        files
            .iter()
            .any(|(h, k, _)| *h == g && matches!(k, Kind::Pack))
            && (g == 0
                || files
                    .iter()
                    .any(|(h, k, _)| *h == g && matches!(k, Kind::OldIdx | Kind::Sorted(..))))
    };
    let generation = files
        .iter()
        .map(|(g, _, _)| *g)
        .filter(|g| committed(*g))
        .max()
        .unwrap_or(0);
    let mut out = Listing {
        generation,
        ..Listing::default()
    };
    for (g, kind, path) in files {
        match kind {
            Kind::Tmp => out.stale.push(path),
            _ if g < generation => out.stale.push(path),
            _ if g > generation => {} // a GC under way (or one that crashed)
            Kind::Sorted(a, b) => out.sorted.push((a, b)),
            Kind::Log(base) => out.logs.push(base),
            Kind::OldIdx => out.old_idx = true,
            Kind::Pack => {}
        }
    }
    Ok(out)
}

/// The chain of sorted files from pack offset 0: at each step the valid
/// file that starts there and reaches furthest.
fn open_chain(dir: &Path, generation: u64, ranges: &[(u64, u64)]) -> Result<Vec<SortedFile>> {
    let mut chain = Vec::new();
    let mut at = 0;
    loop {
        let mut next: Vec<(u64, u64)> = ranges
            .iter()
            .copied()
            .filter(|&(a, b)| a == at && b > at)
            .collect();
        next.sort_by_key(|&(_, b)| std::cmp::Reverse(b));
        let mut found = None;
        for (a, b) in next {
            if let Some(f) = SortedFile::open(&sorted_path(dir, generation, a, b))?
                && f.from == a
                && f.to == b
            {
                found = Some(f);
                break;
            }
        }
        match found {
            Some(f) => {
                at = f.to;
                chain.push(f);
            }
            None => return Ok(chain),
        }
    }
}

fn chain_ranges(files: &[SortedFile]) -> Vec<(u64, u64)> {
    files.iter().map(|f| (f.from, f.to)).collect()
}

pub struct ChunkIndex {
    dir: PathBuf,
    generation: u64,
    tuning: Tuning,
    /// Sorted files covering `[0, indexed_to)`, in pack order.
    files: Vec<SortedFile>,
    indexed_to: u64,
    /// Entries of the records in `[indexed_to, frontier)`.
    overlay: HashMapOfHashes<(u64, u32)>,
    /// End of the last indexed record: where the next record goes.
    frontier: u64,
    /// The log covers `[indexed_to, logged_to)` with `log_bytes` bytes.
    log: Option<File>,
    /// `log` was opened for writing (readers open it read-only).
    log_writable: bool,
    logged_to: u64,
    log_bytes: u64,
    /// Overlay entries past `logged_to`, in pack order.
    unlogged: Vec<Entry>,
}

impl ChunkIndex {
    /// Opens the index of the listing's generation; `pack_len` bounds the
    /// entries accepted. The caller then reads the pack from
    /// [`ChunkIndex::frontier`] on ([`ChunkIndex::add`] for each record).
    pub fn open(
        dir: &Path,
        listing: &Listing,
        pack_len: u64,
        tuning: Tuning,
    ) -> Result<ChunkIndex> {
        let generation = listing.generation;
        let mut files = open_chain(dir, generation, &listing.sorted)?;
        if listing.old_idx {
            if files.is_empty() {
                files = convert_old_index(dir, generation, pack_len)?;
            }
            // Converted now or by an earlier open that crashed before
            // deleting it.
            remove_if_present(&old_idx_path(dir, generation))?;
        }
        let indexed_to = files.last().map_or(0, |f| f.to);
        let mut index = ChunkIndex {
            dir: dir.to_path_buf(),
            generation,
            tuning,
            files,
            indexed_to,
            overlay: HashMapOfHashes::default(),
            frontier: indexed_to,
            log: None,
            log_writable: false,
            logged_to: indexed_to,
            log_bytes: 0,
            unlogged: Vec::new(),
        };
        index.read_log(listing, pack_len)?;
        Ok(index)
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn frontier(&self) -> u64 {
        self.frontier
    }

    /// Entries not yet in a sorted file (what this process holds in memory).
    pub fn overlay_len(&self) -> usize {
        self.overlay.len()
    }

    pub fn sorted_files(&self) -> usize {
        self.files.len()
    }

    /// Follows what other processes wrote: new log entries, or a new chain
    /// after their merge (same generation; the caller handles GC).
    pub fn refresh(&mut self, listing: &Listing, pack_len: u64) -> Result<()> {
        // The chain the listing names (by file names only: a damaged file
        // there makes this differ each time, and the chain is reopened).
        let mut named = Vec::new();
        let mut at = 0;
        while let Some(&(_, b)) = listing
            .sorted
            .iter()
            .filter(|&&(a, b)| a == at && b > at)
            .max_by_key(|&&(_, b)| b)
        {
            named.push((at, b));
            at = b;
        }
        if named != chain_ranges(&self.files) {
            self.files = open_chain(&self.dir, self.generation, &listing.sorted)?;
            let indexed_to = self.files.last().map_or(0, |f| f.to);
            if indexed_to != self.indexed_to {
                self.indexed_to = indexed_to;
                self.overlay.retain(|_, (off, _)| *off >= indexed_to);
                self.unlogged.retain(|e| e.offset >= indexed_to);
                self.frontier = self.frontier.max(indexed_to);
                self.logged_to = indexed_to;
                self.log = None;
                self.log_writable = false;
                self.log_bytes = 0;
            }
        }
        self.read_log(listing, pack_len)
    }

    /// Reads log entries past those already read: each must start where
    /// the last ended and lie inside the pack; the first that does not (a
    /// torn append) ends the log.
    fn read_log(&mut self, listing: &Listing, pack_len: u64) -> Result<()> {
        if self.log.is_none() {
            if !listing.logs.contains(&self.indexed_to) {
                return Ok(());
            }
            let path = log_path(&self.dir, self.generation, self.indexed_to);
            match File::open(&path) {
                Ok(f) => {
                    self.log = Some(f);
                    self.log_writable = false;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        let Some(log) = self.log.as_ref() else {
            return Ok(());
        };
        let path = log_path(&self.dir, self.generation, self.indexed_to);
        let len = log.metadata().map_err(|e| Error::io(&path, e))?.len();
        if len <= self.log_bytes {
            return Ok(());
        }
        let mut buf = vec![0u8; (len - self.log_bytes) as usize];
        log.read_exact_at(&mut buf, self.log_bytes)
            .map_err(|e| Error::io(&path, e))?;
        for raw in buf.chunks_exact(LOG_ENTRY) {
            let Some(e) = parse_log_entry(raw) else { break };
            let end = e.offset + e.len as u64;
            if e.offset != self.logged_to || end > pack_len {
                break;
            }
            if e.offset >= self.frontier {
                self.overlay.insert(e.hash, (e.offset, e.len));
                self.frontier = end;
            }
            self.logged_to = end;
            self.log_bytes += LOG_ENTRY as u64;
        }
        let logged_to = self.logged_to;
        self.unlogged.retain(|e| e.offset >= logged_to);
        Ok(())
    }

    /// Where a chunk's record is: the overlay first, then the files, the
    /// newest first.
    pub fn get(&self, hash: &Hash) -> Result<Option<(u64, u32)>> {
        if let Some(loc) = self.overlay.get(hash) {
            return Ok(Some(*loc));
        }
        for f in self.files.iter().rev() {
            if let Some(loc) = f.get(hash)? {
                return Ok(Some(loc));
            }
        }
        Ok(None)
    }

    /// Whether the overlay has the chunk (a cheap check under the write
    /// lock for a chunk another thread may have just appended).
    pub fn in_overlay(&self, hash: &Hash) -> bool {
        self.overlay.contains_key(hash)
    }

    /// Indexes the record at the frontier (just appended, or found by
    /// reading the pack).
    pub fn add(&mut self, e: Entry) {
        debug_assert_eq!(e.offset, self.frontier);
        self.overlay.insert(e.hash, (e.offset, e.len));
        self.unlogged.push(e);
        self.frontier = e.offset + e.len as u64;
    }

    /// Whether enough is unlogged that the writer should sync the pack and
    /// call [`ChunkIndex::persist`] without waiting for a flush.
    pub fn wants_persist(&self) -> bool {
        self.unlogged.len() >= self.tuning.flush_at
    }

    /// Makes the overlay durable: appends the unlogged entries to the log
    /// and fsyncs it, then writes out and merges sorted files when due.
    /// The caller holds the writer lock and has fsynced the pack, so no
    /// entry on disk ever points at bytes a crash could lose.
    pub fn persist(&mut self) -> Result<()> {
        if self.overlay.len() >= self.tuning.flush_at {
            self.write_overlay()?;
        } else if !self.unlogged.is_empty() {
            self.append_log()?;
        }
        let small: u64 = self.files.iter().skip(1).map(|f| f.count).sum();
        if self.files.len() > 1 && (small >= self.tuning.merge_at || self.files.len() > 64) {
            self.merge_files()?;
        }
        Ok(())
    }

    fn append_log(&mut self) -> Result<()> {
        let path = log_path(&self.dir, self.generation, self.indexed_to);
        if !self.log_writable {
            let f = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
            let created = self.log.is_none();
            self.log = Some(f);
            self.log_writable = true;
            if created {
                fsync_dir(&self.dir)?;
            }
        }
        let Some(log) = self.log.as_ref() else {
            return Ok(());
        };
        // Bytes past the valid entries are a torn append: overwrite them.
        let len = log.metadata().map_err(|e| Error::io(&path, e))?.len();
        if len > self.log_bytes {
            log.set_len(self.log_bytes)
                .map_err(|e| Error::io(&path, e))?;
        }
        let mut buf = Vec::with_capacity(self.unlogged.len() * LOG_ENTRY);
        for e in &self.unlogged {
            buf.extend_from_slice(&log_entry(e));
        }
        log.write_all_at(&buf, self.log_bytes)
            .map_err(|e| Error::io(&path, e))?;
        log.sync_data().map_err(|e| Error::io(&path, e))?;
        self.log_bytes += buf.len() as u64;
        self.logged_to = self.frontier;
        self.unlogged.clear();
        Ok(())
    }

    /// Writes the overlay as the sorted file `[indexed_to, frontier)` and
    /// starts an empty log after it.
    fn write_overlay(&mut self) -> Result<()> {
        let (from, to) = (self.indexed_to, self.frontier);
        let mut entries: Vec<Entry> = self
            .overlay
            .iter()
            .map(|(h, (o, l))| Entry {
                hash: *h,
                offset: *o,
                len: *l,
            })
            .collect();
        entries.sort_unstable();
        let path = sorted_path(&self.dir, self.generation, from, to);
        let tmp = tmp_path(&self.dir, self.generation, "sidx");
        sidx::write(&tmp, &path, from, to, &mut entries.into_iter().map(Ok))?;
        fsync_dir(&self.dir)?;
        let file = SortedFile::open(&path)?.ok_or_else(|| {
            Error::Corrupt(format!("{} unreadable after writing", path.display()))
        })?;
        self.files.push(file);
        self.indexed_to = to;
        self.overlay.clear();
        self.unlogged.clear();
        self.logged_to = to;
        self.log_bytes = 0;
        // The old log is covered by the new file now.
        self.log = None;
        self.log_writable = false;
        remove_if_present(&log_path(&self.dir, self.generation, from))?;
        Ok(())
    }

    /// Merges the chain into one file covering `[0, indexed_to)`.
    fn merge_files(&mut self) -> Result<()> {
        let to = self.indexed_to;
        let path = sorted_path(&self.dir, self.generation, 0, to);
        let tmp = tmp_path(&self.dir, self.generation, "merge");
        {
            let sources = self
                .files
                .iter()
                .map(|f| Box::new(f.iter()) as Box<dyn Iterator<Item = Result<Entry>>>)
                .collect();
            sidx::write(&tmp, &path, 0, to, &mut sidx::Merged::new(sources))?;
        }
        fsync_dir(&self.dir)?;
        let merged = SortedFile::open(&path)?.ok_or_else(|| {
            Error::Corrupt(format!("{} unreadable after writing", path.display()))
        })?;
        let old = std::mem::replace(&mut self.files, vec![merged]);
        for f in old {
            if f.path != path {
                remove_if_present(&f.path)?;
            }
        }
        // And what earlier crashes left behind (files off the chain, old
        // logs, temporary files).
        self.clean_up()
    }

    /// Deletes what no reader of this generation needs: other
    /// generations, temporary files, files off the chain, old logs.
    /// Writers only (under the writer lock).
    pub fn clean_up(&self) -> Result<()> {
        let listing = list(&self.dir)?;
        if listing.generation != self.generation {
            return Ok(());
        }
        for p in &listing.stale {
            remove_if_present(p)?;
        }
        let chain = chain_ranges(&self.files);
        for (a, b) in listing.sorted {
            if !chain.contains(&(a, b)) && b > 0 {
                remove_if_present(&sorted_path(&self.dir, self.generation, a, b))?;
            }
        }
        for base in listing.logs {
            if base != self.indexed_to {
                remove_if_present(&log_path(&self.dir, self.generation, base))?;
            }
        }
        Ok(())
    }

    /// Every entry once, in hash order, streamed from the files (the
    /// overlay, at most a few thousand entries, is sorted in memory).
    pub fn entries(&self) -> sidx::Merged<'_> {
        let mut overlay: Vec<Entry> = self
            .overlay
            .iter()
            .map(|(h, (o, l))| Entry {
                hash: *h,
                offset: *o,
                len: *l,
            })
            .collect();
        overlay.sort_unstable();
        let mut sources: Vec<Box<dyn Iterator<Item = Result<Entry>>>> =
            vec![Box::new(overlay.into_iter().map(Ok))];
        for f in self.files.iter().rev() {
            sources.push(Box::new(f.iter()));
        }
        sidx::Merged::new(sources)
    }
}

fn parse_log_entry(raw: &[u8]) -> Option<Entry> {
    let crc = u32::from_le_bytes(raw[44..48].try_into().ok()?);
    if crc32fast::hash(&raw[..44]) != crc {
        return None;
    }
    Some(Entry {
        hash: Hash::from_slice(&raw[..32])?,
        offset: u64::from_le_bytes(raw[32..40].try_into().ok()?),
        len: u32::from_le_bytes(raw[40..44].try_into().ok()?),
    })
}

fn log_entry(e: &Entry) -> [u8; LOG_ENTRY] {
    let mut b = [0u8; LOG_ENTRY];
    b[..32].copy_from_slice(&e.hash.0);
    b[32..40].copy_from_slice(&e.offset.to_le_bytes());
    b[40..44].copy_from_slice(&e.len.to_le_bytes());
    let crc = crc32fast::hash(&b[..44]);
    b[44..].copy_from_slice(&crc.to_le_bytes());
    b
}

/// Turns an index of the old format (`chunks-<gen>.idx`: every entry, in
/// pack order, read whole on open) into one sorted file. The old file's
/// valid entries are those before the first torn one, inside the pack; a
/// crash before the rename leaves the old index to convert again.
fn convert_old_index(dir: &Path, generation: u64, pack_len: u64) -> Result<Vec<SortedFile>> {
    let old = old_idx_path(dir, generation);
    let bytes = match fs::read(&old) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&old, e)),
    };
    let mut entries = Vec::with_capacity(bytes.len() / LOG_ENTRY);
    let mut to = 0;
    for raw in bytes.chunks_exact(LOG_ENTRY) {
        let Some(e) = parse_log_entry(raw) else { break };
        let end = e.offset + e.len as u64;
        if end > pack_len {
            break;
        }
        to = to.max(end);
        entries.push(e);
    }
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    entries.sort_unstable();
    entries.dedup_by_key(|e| e.hash);
    let path = sorted_path(dir, generation, 0, to);
    // A name of its own: two processes may convert at once.
    let tmp = tmp_path(dir, generation, &format!("convert-{}", std::process::id()));
    sidx::write(&tmp, &path, 0, to, &mut entries.into_iter().map(Ok))?;
    fsync_dir(dir)?;
    Ok(SortedFile::open(&path)?.into_iter().collect())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

pub fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}
