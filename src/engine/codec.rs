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
