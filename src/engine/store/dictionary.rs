//! Trained zstd dictionaries for whole chunks.
//!
//! A ~4 KiB tree node compresses poorly on its own: zstd has little
//! history to find matches in. A dictionary trained on the store's own
//! nodes (field names, common values, BSON structure) gives every node
//! that history. The store samples the first chunks it writes, trains one
//! dictionary from them, keeps it in `dicts/<id>.dict`, and compresses
//! later whole chunks with it (pack codec 3). Chunk hashes are of the
//! uncompressed bytes, so dictionaries change sizes, never addresses.
//!
//! File: `"ARGDICT1" | u32 LE crc32(dictionary) | dictionary`. Written to a
//! temporary file, fsynced, then linked into place (never replaced: chunks
//! name dictionaries by id), so a crash leaves no half dictionary.

use crate::engine::error::{Error, Result};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use zstd::zstd_safe::{CDict, DDict};

const MAGIC: &[u8; 8] = b"ARGDICT1";
/// Sampled bytes before training: enough for a useful dictionary, little
/// enough that training takes tens of milliseconds.
const SAMPLE_BYTES: usize = 1 << 20;
const MIN_SAMPLES: usize = 64;
const DICT_BYTES: usize = 32 << 10;
const LEVEL: i32 = 3;

pub struct Dictionaries {
    dir: PathBuf,
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    active: Option<(u32, Arc<CDict<'static>>)>,
    decoders: HashMap<u32, Arc<DDict<'static>>>,
    samples: Vec<Vec<u8>>,
    sample_bytes: usize,
    /// Training failed (too little variety): do not try again.
    given_up: bool,
}

thread_local! {
    static CCTX: std::cell::RefCell<Option<zstd::zstd_safe::CCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DCTX: std::cell::RefCell<Option<zstd::zstd_safe::DCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn zstd_err(code: usize) -> Error {
    Error::Corrupt(format!(
        "zstd dictionary codec: {}",
        zstd::zstd_safe::get_error_name(code)
    ))
}

impl Dictionaries {
    /// Opens the dictionaries of a store; the newest becomes the one new
    /// chunks use.
    pub fn open(store_dir: &Path) -> Result<Dictionaries> {
        let d = Dictionaries {
            dir: store_dir.join("dicts"),
            state: RwLock::new(State::default()),
        };
        d.adopt_newest()?;
        Ok(d)
    }

    fn path(&self, id: u32) -> PathBuf {
        self.dir.join(format!("{id}.dict"))
    }

    fn ids(&self) -> Result<Vec<u32>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&self.dir, e)),
        };
        let mut ids = Vec::new();
        for e in entries {
            let e = e.map_err(|e| Error::io(&self.dir, e))?;
            if let Some(id) = e
                .file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".dict"))
                .and_then(|n| n.parse().ok())
            {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    fn load(&self, id: u32) -> Result<Vec<u8>> {
        let path = self.path(id);
        let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let bad = || Error::Corrupt(format!("dictionary {}: damaged", path.display()));
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(bad());
        }
        let crc = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if crc32fast::hash(&bytes[12..]) != crc {
            return Err(bad());
        }
        Ok(bytes[12..].to_vec())
    }

    /// Makes the newest dictionary on disk the active one (another process
    /// may have trained it).
    fn adopt_newest(&self) -> Result<bool> {
        let Some(&id) = self.ids()?.last() else {
            return Ok(false);
        };
        let dict = self.load(id)?;
        let cdict = CDict::try_create(&dict, LEVEL)
            .ok_or_else(|| Error::Corrupt(format!("dictionary {id} does not load")))?;
        let mut st = self.state.write().map_err(|_| poisoned())?;
        st.active = Some((id, Arc::new(cdict)));
        st.samples = Vec::new();
        Ok(true)
    }

    /// Compresses a chunk with the active dictionary: `(id, frame)`, or
    /// `None` while there is none yet (the chunk is kept as a training
    /// sample). Callers hold the store's writer lock.
    pub fn compress(&self, bytes: &[u8]) -> Result<Option<(u32, Vec<u8>)>> {
        let active = {
            let st = self.state.read().map_err(|_| poisoned())?;
            st.active.clone()
        };
        let Some((id, cdict)) = active else {
            self.sample(bytes)?;
            return Ok(None);
        };
        let out = CCTX.with(|c| {
            let mut c = c.borrow_mut();
            let cctx = c.get_or_insert_with(zstd::zstd_safe::CCtx::create);
            let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(bytes.len()));
            cctx.compress_using_cdict(&mut out, bytes, &cdict)
                .map_err(zstd_err)?;
            Ok::<_, Error>(out)
        })?;
        Ok(Some((id, out)))
    }

    fn sample(&self, bytes: &[u8]) -> Result<()> {
        let ready = {
            let mut st = self.state.write().map_err(|_| poisoned())?;
            if st.given_up || st.active.is_some() || bytes.len() < 256 {
                return Ok(());
            }
            st.sample_bytes += bytes.len();
            st.samples.push(bytes.to_vec());
            st.sample_bytes >= SAMPLE_BYTES && st.samples.len() >= MIN_SAMPLES
        };
        if ready {
            self.train()?;
        }
        Ok(())
    }

    fn train(&self) -> Result<()> {
        // Another process may have trained one meanwhile: use it.
        if self.adopt_newest()? {
            return Ok(());
        }
        let samples = {
            let mut st = self.state.write().map_err(|_| poisoned())?;
            std::mem::take(&mut st.samples)
        };
        let dict = match zstd::dict::from_samples(&samples, DICT_BYTES) {
            Ok(d) => d,
            Err(_) => {
                // Too little variety to train on: chunks stay plain zstd.
                if let Ok(mut st) = self.state.write() {
                    st.given_up = true;
                }
                return Ok(());
            }
        };
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let id = self.ids()?.last().map_or(1, |n| n + 1);
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&crc32fast::hash(&dict).to_le_bytes());
        file.extend_from_slice(&dict);
        let tmp = self.dir.join(format!("{id}.dict.tmp"));
        fs::write(&tmp, &file).map_err(|e| Error::io(&tmp, e))?;
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&tmp, e))?;
        let path = self.path(id);
        // A link never replaces an existing dictionary.
        fs::hard_link(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        let _ = fs::remove_file(&tmp);
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(&self.dir, e))?;
        self.adopt_newest()?;
        Ok(())
    }

    fn decoder(&self, id: u32) -> Result<Arc<DDict<'static>>> {
        if let Some(d) = self.state.read().map_err(|_| poisoned())?.decoders.get(&id) {
            return Ok(d.clone());
        }
        let dict = self.load(id)?;
        let ddict = Arc::new(
            DDict::try_create(&dict)
                .ok_or_else(|| Error::Corrupt(format!("dictionary {id} does not load")))?,
        );
        self.state
            .write()
            .map_err(|_| poisoned())?
            .decoders
            .insert(id, ddict.clone());
        Ok(ddict)
    }

    /// Decompresses a frame written with dictionary `id`.
    pub fn decompress(&self, id: u32, frame: &[u8]) -> Result<Vec<u8>> {
        let ddict = self.decoder(id)?;
        let size = zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
            .filter(|&n| n <= 64 << 20)
            .ok_or_else(|| Error::Corrupt("bad zstd dictionary frame".into()))?;
        DCTX.with(|d| {
            let mut d = d.borrow_mut();
            let dctx = d.get_or_insert_with(zstd::zstd_safe::DCtx::create);
            let mut out = Vec::with_capacity(size as usize);
            dctx.decompress_using_ddict(&mut out, frame, &ddict)
                .map_err(zstd_err)?;
            Ok(out)
        })
    }
}

fn poisoned() -> Error {
    Error::Corrupt("a thread panicked while holding the dictionaries".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: u32) -> Vec<u8> {
        // Ten realistic documents, as in a leaf.
        (0..10u64)
            .flat_map(|j| {
                crate::synth::customer(1, u64::from(i) * 10 + j)
                    .to_vec()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn trains_once_then_compresses_better_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let d = Dictionaries::open(dir.path()).unwrap();
        let mut i = 0;
        while d.compress(&node(i)).unwrap().is_none() {
            i += 1;
            assert!(i < 10_000, "never trained");
        }
        let n = node(99_999);
        let (id, z) = d.compress(&n).unwrap().unwrap();
        let plain = zstd::bulk::compress(&n, 3).unwrap();
        assert!(
            z.len() * 4 < plain.len() * 3,
            "dict {} vs plain {}",
            z.len(),
            plain.len()
        );
        assert_eq!(d.decompress(id, &z).unwrap(), n);
        // Another process opening the store uses the same dictionary.
        let again = Dictionaries::open(dir.path()).unwrap();
        assert_eq!(again.decompress(id, &z).unwrap(), n);
        assert_eq!(again.compress(&n).unwrap().unwrap().0, id);
        // Damage is detected.
        let path = dir.path().join(format!("dicts/{id}.dict"));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert!(Dictionaries::open(dir.path()).is_err());
    }
}

#[cfg(test)]
mod speed {
    /// By hand: `cargo test --release --lib dict_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn dict_speed() {
        let dir = tempfile::tempdir().unwrap();
        let d = super::Dictionaries::open(dir.path()).unwrap();
        let nodes: Vec<Vec<u8>> = (0..20_000u64)
            .map(|i| {
                (0..10)
                    .flat_map(|j| crate::synth::customer(1, i * 10 + j).to_vec().unwrap())
                    .collect()
            })
            .collect();
        let mut i = 0;
        let t = std::time::Instant::now();
        while d.compress(&nodes[i]).unwrap().is_none() {
            i += 1;
        }
        eprintln!("sampling + training: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let mut a = 0;
        for n in &nodes {
            a += d.compress(n).unwrap().unwrap().1.len();
        }
        let dict_t = t.elapsed();
        let t = std::time::Instant::now();
        let mut b = 0;
        for n in &nodes {
            b += crate::engine::codec::compress(n).unwrap().len();
        }
        eprintln!(
            "dict {dict_t:?} {a} bytes; plain {:?} {b} bytes",
            t.elapsed()
        );
    }
}
