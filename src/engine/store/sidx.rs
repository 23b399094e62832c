//! Sorted chunk-index files (`chunks-<gen>.<from>-<to>.sidx`): the
//! address → pack location entries of the pack records in `[from, to)`,
//! sorted by hash and read by positioned reads, never loaded whole.
//!
//! ```text
//! "ARGSIDX1" | u64 from | u64 to | u64 count
//! fan-out    256 × u32 LE: entries whose first hash byte is <= b
//! entries    count × (32-byte hash | u64 LE pack offset | u32 LE record length)
//! u32 crc32(header ++ fan-out) | u32 crc32(entries) | "ARGSEND1"
//! ```
//!
//! A file is written under a temporary name, fsynced and renamed, so a
//! present file is whole; opening still checks its size, both magics and
//! the header crc (cheap), so a file damaged anyway is treated as missing.
//! The entries' crc is checked whenever a file is read through (merges,
//! GC); a single lookup relies on the pack record's own crc and the hash
//! check of the decoded bytes instead.

use crate::engine::error::{Error, Result};
use crate::engine::hash::Hash;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub const ENTRY: usize = 32 + 8 + 4;
const MAGIC: &[u8; 8] = b"ARGSIDX1";
const END: &[u8; 8] = b"ARGSEND1";
const HEADER: usize = 8 + 8 + 8 + 8;
const FANOUT: usize = 256 * 4;
const ENTRIES_AT: u64 = (HEADER + FANOUT) as u64;
const TRAILER: usize = 4 + 4 + 8;
/// Entries read at once by a lookup: a bucket this small is read whole,
/// a larger one first around the interpolated position (hashes are
/// uniform, so the entry is within a few dozen of it).
const WINDOW: u64 = 256;

/// One index entry: where the record of a chunk is in the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub hash: Hash,
    pub offset: u64,
    pub len: u32,
}

impl Entry {
    fn encode(&self, out: &mut [u8]) {
        out[..32].copy_from_slice(&self.hash.0);
        out[32..40].copy_from_slice(&self.offset.to_le_bytes());
        out[40..44].copy_from_slice(&self.len.to_le_bytes());
    }

    fn decode(b: &[u8]) -> Entry {
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&b[..32]);
        let mut off = [0u8; 8];
        off.copy_from_slice(&b[32..40]);
        let mut len = [0u8; 4];
        len.copy_from_slice(&b[40..44]);
        Entry {
            hash: Hash(hash),
            offset: u64::from_le_bytes(off),
            len: u32::from_le_bytes(len),
        }
    }
}

/// An open sorted index file.
pub struct SortedFile {
    pub from: u64,
    pub to: u64,
    pub count: u64,
    fanout: Box<[u32; 256]>,
    file: File,
    pub path: PathBuf,
    /// Set by the process that wrote the file (it had the entries at
    /// hand): lets a lookup of a new chunk skip the file without a read.
    filter: Option<Bloom>,
}

/// A Bloom filter over chunk hashes (~10 bits per entry, 4 probes taken
/// from the hash's own uniform bytes: about 1% false positives).
pub struct Bloom {
    bits: Vec<u64>,
}

impl Bloom {
    pub fn new(entries: u64) -> Bloom {
        let words = (entries * 10).div_ceil(64).max(1) as usize;
        Bloom {
            bits: vec![0; words],
        }
    }

    fn probes(&self, hash: &Hash) -> [usize; 4] {
        let n = self.bits.len() * 64;
        let mut out = [0usize; 4];
        for (i, p) in out.iter_mut().enumerate() {
            let at = 8 + 4 * i;
            let v =
                u32::from_le_bytes([hash.0[at], hash.0[at + 1], hash.0[at + 2], hash.0[at + 3]]);
            *p = (v as usize) % n;
        }
        out
    }

    pub fn insert(&mut self, hash: &Hash) {
        for p in self.probes(hash) {
            self.bits[p / 64] |= 1 << (p % 64);
        }
    }

    fn may_contain(&self, hash: &Hash) -> bool {
        self.probes(hash)
            .iter()
            .all(|&p| self.bits[p / 64] & (1 << (p % 64)) != 0)
    }
}

impl SortedFile {
    /// Opens a file and checks its frame; `None` when it is torn or damaged
    /// (the caller then rebuilds what it covered from the pack).
    pub fn open(path: &Path) -> Result<Option<SortedFile>> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        if size < ENTRIES_AT + TRAILER as u64 {
            return Ok(None);
        }
        let mut head = vec![0u8; HEADER + FANOUT];
        let mut trailer = [0u8; TRAILER];
        if file.read_exact_at(&mut head, 0).is_err()
            || file
                .read_exact_at(&mut trailer, size - TRAILER as u64)
                .is_err()
        {
            return Ok(None);
        }
        let u64_at = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap_or([0; 8]));
        let (from, to, count) = (u64_at(8), u64_at(16), u64_at(24));
        let head_crc = u32::from_le_bytes(trailer[..4].try_into().unwrap_or([0; 4]));
        if &head[..8] != MAGIC
            || &trailer[8..] != END
            || crc32fast::hash(&head) != head_crc
            || count
                .checked_mul(ENTRY as u64)
                .map(|n| n + ENTRIES_AT + TRAILER as u64)
                != Some(size)
        {
            return Ok(None);
        }
        let mut fanout = Box::new([0u32; 256]);
        for (i, f) in fanout.iter_mut().enumerate() {
            let at = HEADER + 4 * i;
            *f = u32::from_le_bytes(head[at..at + 4].try_into().unwrap_or([0; 4]));
        }
        if fanout[255] as u64 != count || fanout.windows(2).any(|w| w[0] > w[1]) {
            return Ok(None);
        }
        Ok(Some(SortedFile {
            from,
            to,
            count,
            fanout,
            file,
            path: path.to_path_buf(),
            filter: None,
        }))
    }

    /// Attaches a filter of exactly this file's entries.
    pub fn with_filter(mut self, filter: Bloom) -> SortedFile {
        self.filter = Some(filter);
        self
    }

    fn read_entries(&self, first: u64, n: u64) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; (n as usize) * ENTRY];
        self.file
            .read_exact_at(&mut buf, ENTRIES_AT + first * ENTRY as u64)
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(buf)
    }

    fn hash_at(&self, i: u64) -> Result<[u8; 32]> {
        let mut h = [0u8; 32];
        self.file
            .read_exact_at(&mut h, ENTRIES_AT + i * ENTRY as u64)
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(h)
    }

    /// Looks `hash` up: the fan-out gives its bucket, usually one read
    /// finds it (see [`WINDOW`]), a binary search by single reads otherwise.
    pub fn get(&self, hash: &Hash) -> Result<Option<(u64, u32)>> {
        if self.filter.as_ref().is_some_and(|f| !f.may_contain(hash)) {
            return Ok(None);
        }
        let b = hash.0[0] as usize;
        let mut lo = if b == 0 { 0 } else { self.fanout[b - 1] as u64 };
        let mut hi = self.fanout[b] as u64;
        if hi - lo > WINDOW {
            let mut next = [0u8; 8];
            next.copy_from_slice(&hash.0[1..9]);
            let frac = u64::from_be_bytes(next) as u128;
            let guess = lo + ((frac * (hi - lo) as u128) >> 64) as u64;
            let start = guess.saturating_sub(WINDOW / 2).clamp(lo, hi - WINDOW);
            let buf = self.read_entries(start, WINDOW)?;
            let first = &buf[..32];
            let last = &buf[buf.len() - ENTRY..buf.len() - ENTRY + 32];
            if hash.0.as_slice() < first {
                hi = start;
            } else if hash.0.as_slice() > last {
                lo = start + WINDOW;
            } else {
                return Ok(search(&buf, hash));
            }
            while hi - lo > WINDOW {
                let mid = lo + (hi - lo) / 2;
                if self.hash_at(mid)? <= hash.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        if hi == lo {
            return Ok(None);
        }
        Ok(search(&self.read_entries(lo, hi - lo)?, hash))
    }

    /// Every entry in hash order, read in large sequential blocks; the
    /// last item is an error if the entries fail their crc.
    pub fn iter(&self) -> Entries<'_> {
        Entries {
            file: self,
            next: 0,
            buf: Vec::new(),
            pos: 0,
            crc: crc32fast::Hasher::new(),
            done: false,
        }
    }
}

fn search(buf: &[u8], hash: &Hash) -> Option<(u64, u32)> {
    let n = buf.len() / ENTRY;
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let e = &buf[mid * ENTRY..(mid + 1) * ENTRY];
        match e[..32].cmp(&hash.0) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => {
                let e = Entry::decode(e);
                return Some((e.offset, e.len));
            }
        }
    }
    None
}

/// Streams a sorted file's entries (see [`SortedFile::iter`]).
pub struct Entries<'a> {
    file: &'a SortedFile,
    next: u64,
    buf: Vec<u8>,
    pos: usize,
    crc: crc32fast::Hasher,
    done: bool,
}

const ITER_BLOCK: u64 = 4096;

impl Iterator for Entries<'_> {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        if self.done {
            return None;
        }
        if self.pos == self.buf.len() {
            if self.next == self.file.count {
                self.done = true;
                return self.check_crc().err().map(Err);
            }
            let n = ITER_BLOCK.min(self.file.count - self.next);
            match self.file.read_entries(self.next, n) {
                Ok(buf) => self.buf = buf,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            self.crc.update(&self.buf);
            self.next += n;
            self.pos = 0;
        }
        let e = Entry::decode(&self.buf[self.pos..self.pos + ENTRY]);
        self.pos += ENTRY;
        Some(Ok(e))
    }
}

impl Entries<'_> {
    fn check_crc(&self) -> Result<()> {
        let mut want = [0u8; 4];
        let at = ENTRIES_AT + self.file.count * ENTRY as u64 + 4;
        self.file
            .file
            .read_exact_at(&mut want, at)
            .map_err(|e| Error::io(&self.file.path, e))?;
        if self.crc.clone().finalize() != u32::from_le_bytes(want) {
            return Err(Error::Corrupt(format!(
                "{} fails its checksum",
                self.file.path.display()
            )));
        }
        Ok(())
    }
}

/// Writes `entries` (sorted by hash, no duplicates) as the sorted file
/// `path` covering pack offsets `[from, to)`: to `tmp` first, fsynced,
/// then renamed. The caller fsyncs the directory.
pub fn write(
    tmp: &Path,
    path: &Path,
    from: u64,
    to: u64,
    entries: &mut dyn Iterator<Item = Result<Entry>>,
) -> Result<()> {
    let io = |e| Error::io(tmp, e);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)
        .map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 16, &file);
    w.seek(SeekFrom::Start(ENTRIES_AT)).map_err(io)?;
    let mut counts = [0u64; 256];
    let mut crc = crc32fast::Hasher::new();
    let mut count = 0u64;
    let mut prev: Option<Hash> = None;
    let mut buf = [0u8; ENTRY];
    for e in entries {
        let e = e?;
        if prev.is_some_and(|p| p >= e.hash) {
            return Err(Error::Corrupt(
                "chunk index entries out of order while writing a sorted index".into(),
            ));
        }
        prev = Some(e.hash);
        e.encode(&mut buf);
        crc.update(&buf);
        w.write_all(&buf).map_err(io)?;
        counts[e.hash.0[0] as usize] += 1;
        count += 1;
    }
    let mut head = Vec::with_capacity(HEADER + FANOUT);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&from.to_le_bytes());
    head.extend_from_slice(&to.to_le_bytes());
    head.extend_from_slice(&count.to_le_bytes());
    let mut cum = 0u64;
    for c in counts {
        cum += c;
        head.extend_from_slice(&(cum as u32).to_le_bytes());
    }
    w.write_all(&crc32fast::hash(&head).to_le_bytes())
        .map_err(io)?;
    w.write_all(&crc.finalize().to_le_bytes()).map_err(io)?;
    w.write_all(END).map_err(io)?;
    w.flush().map_err(io)?;
    drop(w);
    file.write_all_at(&head, 0).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(tmp, path).map_err(|e| Error::io(path, e))
}

/// Merges sorted entry streams into one sorted stream without duplicates
/// (the first stream holding a hash wins).
pub struct Merged<'a> {
    sources: Vec<Box<dyn Iterator<Item = Result<Entry>> + 'a>>,
    heads: std::collections::BinaryHeap<std::cmp::Reverse<(Hash, usize, u64, u32)>>,
    started: bool,
    last: Option<Hash>,
}

impl<'a> Merged<'a> {
    pub fn new(sources: Vec<Box<dyn Iterator<Item = Result<Entry>> + 'a>>) -> Merged<'a> {
        Merged {
            sources,
            heads: std::collections::BinaryHeap::new(),
            started: false,
            last: None,
        }
    }

    fn pull(&mut self, i: usize) -> Result<()> {
        if let Some(e) = self.sources[i].next() {
            let e = e?;
            self.heads
                .push(std::cmp::Reverse((e.hash, i, e.offset, e.len)));
        }
        Ok(())
    }
}

impl Iterator for Merged<'_> {
    type Item = Result<Entry>;

    fn next(&mut self) -> Option<Result<Entry>> {
        if !self.started {
            self.started = true;
            for i in 0..self.sources.len() {
                if let Err(e) = self.pull(i) {
                    return Some(Err(e));
                }
            }
        }
        loop {
            let std::cmp::Reverse((hash, i, offset, len)) = self.heads.pop()?;
            if let Err(e) = self.pull(i) {
                return Some(Err(e));
            }
            if self.last == Some(hash) {
                continue;
            }
            self.last = Some(hash);
            return Some(Ok(Entry { hash, offset, len }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: u64) -> Vec<Entry> {
        let mut v: Vec<Entry> = (0..n)
            .map(|i| Entry {
                hash: Hash::of(&i.to_le_bytes()),
                offset: i * 10,
                len: 10,
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn lookups_find_every_entry_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0u64, 1, 300, 200_000] {
            let path = dir.path().join(format!("{n}.sidx"));
            let es = entries(n);
            write(
                &dir.path().join("t"),
                &path,
                0,
                n * 10,
                &mut es.iter().map(|e| Ok(*e)),
            )
            .unwrap();
            let f = SortedFile::open(&path).unwrap().unwrap();
            assert_eq!((f.count, f.from, f.to), (n, 0, n * 10));
            for e in es.iter().step_by(97) {
                assert_eq!(f.get(&e.hash).unwrap(), Some((e.offset, e.len)));
            }
            assert_eq!(f.get(&Hash::of(b"absent")).unwrap(), None);
            let back: Vec<Entry> = f.iter().map(|e| e.unwrap()).collect();
            assert_eq!(back, es);
            let mut bloom = Bloom::new(n);
            es.iter().for_each(|e| bloom.insert(&e.hash));
            let f = f.with_filter(bloom);
            for e in es.iter().step_by(89) {
                assert_eq!(f.get(&e.hash).unwrap(), Some((e.offset, e.len)));
            }
            assert_eq!(f.get(&Hash::of(b"absent")).unwrap(), None);
        }
    }

    #[test]
    fn torn_files_are_refused_and_damaged_entries_fail_iteration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sidx");
        let es = entries(1000);
        write(
            &dir.path().join("t"),
            &path,
            0,
            1,
            &mut es.iter().map(|e| Ok(*e)),
        )
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert!(SortedFile::open(&path).unwrap().is_none());
        let mut bad = bytes.clone();
        bad[ENTRIES_AT as usize + 40] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        let f = SortedFile::open(&path).unwrap().unwrap();
        assert!(f.iter().any(|e| e.is_err()));
    }

    #[test]
    fn merged_streams_are_sorted_and_deduplicated() {
        let a = entries(50);
        let b = entries(80);
        let m: Vec<Entry> = Merged::new(vec![
            Box::new(a.into_iter().map(Ok)),
            Box::new(b.clone().into_iter().map(Ok)),
        ])
        .map(|e| e.unwrap())
        .collect();
        assert_eq!(m, b);
    }
}
