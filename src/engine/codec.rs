//! zstd with reused per-thread contexts, for chunks and write-log records.

use super::error::{Error, Result};

/// zstd level: 3 compresses documents nearly as well as higher levels at
/// several times the speed.
const ZSTD_LEVEL: i32 = 3;

thread_local! {
    // zstd contexts are expensive to create (hundreds of KiB of tables);
    // one per thread is reused for every chunk.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

pub fn compress(bytes: &[u8]) -> Result<Vec<u8>> {
    let fail = |e: std::io::Error| Error::Corrupt(format!("zstd compression failed: {e}"));
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(fail)?);
        }
        match c.as_mut() {
            Some(c) => c.compress(bytes).map_err(fail),
            None => Err(Error::Corrupt("zstd compressor unavailable".into())),
        }
    })
}

pub fn decompress(payload: &[u8]) -> Result<Vec<u8>> {
    let fail = |e: std::io::Error| Error::Corrupt(format!("zstd: {e}"));
    // Frames written by the bulk compressor record their content size.
    let size = zstd::zstd_safe::get_frame_content_size(payload)
        .ok()
        .flatten()
        .filter(|&n| n <= 64 << 20)
        .ok_or_else(|| Error::Corrupt("bad zstd frame".into()))?;
    DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        if d.is_none() {
            *d = Some(zstd::bulk::Decompressor::new().map_err(fail)?);
        }
        match d.as_mut() {
            Some(d) => d.decompress(payload, size as usize).map_err(fail),
            None => Err(Error::Corrupt("zstd decompressor unavailable".into())),
        }
    })
}

thread_local! {
    static DELTA_CCTX: std::cell::RefCell<Option<zstd::zstd_safe::CCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DELTA_DCTX: std::cell::RefCell<Option<zstd::zstd_safe::DCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Compresses `bytes` with `base` as a raw-content dictionary: a new version
/// of a tree node compresses to little more than what changed since `base`.
pub fn compress_against(bytes: &[u8], base: &[u8]) -> Result<Vec<u8>> {
    let fail = |code: usize| {
        Error::Corrupt(format!(
            "zstd delta compression failed: {}",
            zstd::zstd_safe::get_error_name(code)
        ))
    };
    DELTA_CCTX.with(|c| {
        let mut c = c.borrow_mut();
        let cctx = c.get_or_insert_with(zstd::zstd_safe::CCtx::create);
        let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(bytes.len()));
        cctx.compress_using_dict(&mut out, bytes, base, ZSTD_LEVEL)
            .map_err(fail)?;
        Ok(out)
    })
}

/// Inverse of [`compress_against`] with the same `base`.
pub fn decompress_against(payload: &[u8], base: &[u8]) -> Result<Vec<u8>> {
    let size = zstd::zstd_safe::get_frame_content_size(payload)
        .ok()
        .flatten()
        .filter(|&n| n <= 64 << 20)
        .ok_or_else(|| Error::Corrupt("bad zstd delta frame".into()))?;
    DELTA_DCTX.with(|d| {
        let mut d = d.borrow_mut();
        let dctx = d.get_or_insert_with(zstd::zstd_safe::DCtx::create);
        let mut out = Vec::with_capacity(size as usize);
        dctx.decompress_using_dict(&mut out, payload, base)
            .map_err(|code| {
                Error::Corrupt(format!(
                    "zstd delta: {}",
                    zstd::zstd_safe::get_error_name(code)
                ))
            })?;
        if out.len() as u64 != size {
            return Err(Error::Corrupt("zstd delta: short frame".into()));
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_round_trip_is_small_for_small_changes() {
        let base: Vec<u8> = (0..4000u32)
            .flat_map(|i| (i * 7919).to_le_bytes())
            .collect();
        let mut next = base.clone();
        next[2000] ^= 0xff;
        let z = compress_against(&next, &base).unwrap();
        assert!(
            z.len() < 64,
            "delta of one changed byte is {} bytes",
            z.len()
        );
        assert_eq!(decompress_against(&z, &base).unwrap(), next);
        // The wrong base gives wrong bytes or an error, never the original.
        let other = vec![0u8; base.len()];
        assert_ne!(decompress_against(&z, &other).ok(), Some(next));
    }
}
