//! Compacted write-log segments: the records of one checkpoint's range,
//! kept for reading history, compressed in large frames.
//!
//! A record in the hot log (`wal/<log>.log`) is compressed alone, which
//! does little for one small document. Once a checkpoint has folded a range
//! of records into a tree, the range is only read again to rebuild a past
//! point; it is rewritten here with many records per zstd frame (similar
//! documents compress together), and its blocks in the hot log are freed.
//!
//! File `wal/<log>.<from>-<to>.seg` (`from`/`to`: the range's byte offsets
//! in the hot log, which stay the records' addresses):
//!
//! ```text
//! "ARGWSEG1"
//! frame*        zstd( u32 n | (u64 start | u64 end | u32 len) * n | payload * n )
//! footer        (u64 first_start | u64 last_end | u64 file_pos | u32 len) per frame
//! u32 frames | u32 crc32(footer ++ frames) | "ARGWEND1"
//! ```
//!
//! Payloads are the hot log's, re-encoded uncompressed (codec byte 0).

use crate::engine::error::{Error, Result};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"ARGWSEG1";
const END_MAGIC: &[u8; 8] = b"ARGWEND1";
const FOOTER_ENTRY: usize = 8 + 8 + 8 + 4;
const RECORD_HEAD: usize = 8 + 8 + 4;
/// Raw bytes per frame: large enough for documents to compress together,
/// small enough that reading one point decompresses little.
const FRAME_BYTES: usize = 1 << 20;
/// Cold data is written once and read rarely: compress harder than the
/// hot path's level 3.
const LEVEL: i32 = 9;

/// One record: its offsets in the hot log and its payload.
pub struct SegmentRecord {
    pub start: u64,
    pub end: u64,
    pub payload: Vec<u8>,
}

struct FrameInfo {
    first_start: u64,
    last_end: u64,
    pos: u64,
    len: u32,
}

/// A segment's name part for a range, and the range a name holds.
pub fn file_name(log: &str, from: u64, to: u64) -> String {
    format!("{log}.{from}-{to}.seg")
}

pub fn parse_name(log: &str, name: &str) -> Option<(u64, u64)> {
    let rest = name
        .strip_prefix(log)?
        .strip_prefix('.')?
        .strip_suffix(".seg")?;
    let (a, b) = rest.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

fn corrupt(path: &Path, why: &str) -> Error {
    Error::Corrupt(format!("write-log segment {}: {why}", path.display()))
}

/// Encodes a segment from records in log order.
pub fn encode(records: &[SegmentRecord]) -> Result<Vec<u8>> {
    let mut out = MAGIC.to_vec();
    let mut frames: Vec<FrameInfo> = Vec::new();
    let mut i = 0;
    while i < records.len() {
        let mut j = i;
        let mut raw_len = 0;
        while j < records.len() && (j == i || raw_len < FRAME_BYTES) {
            raw_len += records[j].payload.len() + RECORD_HEAD;
            j += 1;
        }
        let group = &records[i..j];
        // Column layout: every record head first, then every payload, so
        // the documents sit next to each other and compress together.
        let mut raw = Vec::with_capacity(4 + raw_len);
        raw.extend_from_slice(&(group.len() as u32).to_le_bytes());
        for r in group {
            raw.extend_from_slice(&r.start.to_le_bytes());
            raw.extend_from_slice(&r.end.to_le_bytes());
            raw.extend_from_slice(&(r.payload.len() as u32).to_le_bytes());
        }
        for r in group {
            raw.extend_from_slice(&r.payload);
        }
        let z = zstd::bulk::compress(&raw, LEVEL)
            .map_err(|e| Error::Corrupt(format!("zstd compression failed: {e}")))?;
        frames.push(FrameInfo {
            first_start: group[0].start,
            last_end: group[group.len() - 1].end,
            pos: out.len() as u64,
            len: z.len() as u32,
        });
        out.extend_from_slice(&z);
        i = j;
    }
    let footer_at = out.len();
    for f in &frames {
        out.extend_from_slice(&f.first_start.to_le_bytes());
        out.extend_from_slice(&f.last_end.to_le_bytes());
        out.extend_from_slice(&f.pos.to_le_bytes());
        out.extend_from_slice(&f.len.to_le_bytes());
    }
    out.extend_from_slice(&(frames.len() as u32).to_le_bytes());
    let crc = crc32fast::hash(&out[footer_at..]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(END_MAGIC);
    Ok(out)
}

/// Calls `visit(end, payload)` for the segment's records with
/// `from <= start` and `end <= to`, in order, until it returns `false`.
/// Returns `false` when stopped early.
pub fn scan(
    path: &Path,
    bytes: &[u8],
    from: u64,
    to: u64,
    visit: &mut dyn FnMut(u64, &[u8]) -> Result<bool>,
) -> Result<bool> {
    let n = bytes.len();
    if n < MAGIC.len() + 16 || &bytes[..8] != MAGIC || &bytes[n - 8..] != END_MAGIC {
        return Err(corrupt(path, "bad magic (torn or not a segment)"));
    }
    let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let le64 = |b: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[..8]);
        u64::from_le_bytes(a)
    };
    let frames = le32(&bytes[n - 16..]) as usize;
    let crc = le32(&bytes[n - 12..]);
    let footer_at = (n - 16)
        .checked_sub(frames.saturating_mul(FOOTER_ENTRY))
        .filter(|&at| at >= MAGIC.len())
        .ok_or_else(|| corrupt(path, "footer out of bounds"))?;
    if crc32fast::hash(&bytes[footer_at..n - 12]) != crc {
        return Err(corrupt(path, "footer checksum"));
    }
    for i in 0..frames {
        let e = &bytes[footer_at + i * FOOTER_ENTRY..];
        let (first, last) = (le64(e), le64(&e[8..]));
        if last <= from || first >= to {
            continue;
        }
        let pos = le64(&e[16..]) as usize;
        let len = le32(&e[24..]) as usize;
        let z = pos
            .checked_add(len)
            .filter(|&end| end <= footer_at)
            .map(|end| &bytes[pos..end])
            .ok_or_else(|| corrupt(path, "frame out of bounds"))?;
        let raw = crate::engine::codec::decompress(z)?;
        let count = raw.get(..4).map(le32).unwrap_or(0) as usize;
        let heads = count
            .checked_mul(RECORD_HEAD)
            .and_then(|n| raw.get(4..4 + n))
            .ok_or_else(|| corrupt(path, "record heads out of bounds"))?;
        let mut p = 4 + heads.len();
        for head in heads.chunks_exact(RECORD_HEAD) {
            let (start, end) = (le64(head), le64(&head[8..]));
            let len = le32(&head[16..]) as usize;
            let body = raw
                .get(p..p + len)
                .ok_or_else(|| corrupt(path, "record out of bounds"))?;
            p += len;
            if start >= from && end <= to && !visit(end, body)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The segments of `log` in `dir`, sorted by range.
pub fn list(dir: &Path, log: &str) -> Result<Vec<(u64, u64, PathBuf)>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if let Some((a, b)) = parse_name(log, &name.to_string_lossy()) {
            out.push((a, b, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_ranges() {
        let records: Vec<SegmentRecord> = (0..2000u64)
            .map(|i| SegmentRecord {
                start: i * 300,
                end: (i + 1) * 300,
                payload: format!("record {i} {}", "x".repeat(200 + (i % 50) as usize)).into_bytes(),
            })
            .collect();
        let bytes = encode(&records).unwrap();
        assert!(bytes.len() < 100_000, "compresses: {}", bytes.len());
        let path = Path::new("t.seg");
        let mut seen = Vec::new();
        scan(path, &bytes, 3000, 6000, &mut |end, p| {
            seen.push((end, p.to_vec()));
            Ok(true)
        })
        .unwrap();
        assert_eq!(seen.len(), 10);
        assert_eq!(seen[0].0, 3300);
        assert_eq!(seen[0].1, records[10].payload);
        // Early stop.
        let mut n = 0;
        let done = scan(path, &bytes, 0, u64::MAX, &mut |_, _| {
            n += 1;
            Ok(n < 3)
        })
        .unwrap();
        assert!(!done && n == 3);
        // Damage is reported, never misread.
        let mut bad = bytes.clone();
        let at = bad.len() - 20;
        bad[at] ^= 1;
        assert!(scan(path, &bad, 0, u64::MAX, &mut |_, _| Ok(true)).is_err());
        assert!(scan(path, &bytes[..bytes.len() - 1], 0, 10, &mut |_, _| Ok(true)).is_err());
        assert_eq!(parse_name("b7", "b7.10-200.seg"), Some((10, 200)));
        assert_eq!(parse_name("b7", "b70.10-200.seg"), None);
    }
}
