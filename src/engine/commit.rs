//! Commits: immutable records of a database state and its history.
//!
//! Stored as a BSON chunk:
//! `{t: "commit", root: bin, parents: [bin], lsn: i64, time: date, author,
//!   message, wal?: {log, from: i64, to: i64}}`. A checkpoint commit folds
//! the write-log records in `wal` (LSNs parent.lsn+1 ..= lsn); any other
//! commit (import, merge, DDL, branch point) is exactly the state at `lsn`.

use super::error::{Error, Result};
use super::hash::Hash;
use super::store::ChunkStore;
use bson::{Binary, Bson, Document, doc, spec::BinarySubtype};

#[derive(Debug, Clone, PartialEq)]
pub struct WalRange {
    pub log: String,
    pub from: u64,
    pub to: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    pub root: Hash,
    pub parents: Vec<Hash>,
    pub lsn: u64,
    /// Milliseconds since the Unix epoch.
    pub time: i64,
    pub author: String,
    pub message: String,
    pub wal: Option<WalRange>,
}

pub(crate) fn bin(h: &Hash) -> Bson {
    Bson::Binary(Binary {
        subtype: BinarySubtype::Generic,
        bytes: h.0.to_vec(),
    })
}

pub(crate) fn hash_field(d: &Document, key: &str) -> Result<Hash> {
    match d.get(key) {
        Some(Bson::Binary(b)) => Hash::from_slice(&b.bytes),
        _ => None,
    }
    .ok_or_else(|| Error::Corrupt(format!("record field '{key}' is not a hash")))
}

fn int(d: &Document, key: &str) -> Result<i64> {
    match d.get(key) {
        Some(Bson::Int64(v)) => Ok(*v),
        Some(Bson::Int32(v)) => Ok(*v as i64),
        _ => Err(Error::Corrupt(format!(
            "record field '{key}' is not an integer"
        ))),
    }
}

impl Commit {
    pub fn to_document(&self) -> Document {
        let mut d = doc! {
            "t": "commit",
            "root": bin(&self.root),
            "parents": self.parents.iter().map(bin).collect::<Vec<_>>(),
            "lsn": self.lsn as i64,
            "time": bson::DateTime::from_millis(self.time),
            "author": &self.author,
            "message": &self.message,
        };
        if let Some(w) = &self.wal {
            d.insert(
                "wal",
                doc! { "log": &w.log, "from": w.from as i64, "to": w.to as i64 },
            );
        }
        d
    }

    pub fn from_document(d: &Document) -> Result<Commit> {
        if d.get_str("t").ok() != Some("commit") {
            return Err(Error::Corrupt("chunk is not a commit".into()));
        }
        let parents = d
            .get_array("parents")
            .map_err(|_| Error::Corrupt("commit without parents".into()))?
            .iter()
            .map(|p| match p {
                Bson::Binary(b) => Hash::from_slice(&b.bytes),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Error::Corrupt("commit parent is not a hash".into()))?;
        let wal = match d.get_document("wal") {
            Ok(w) => Some(WalRange {
                log: w.get_str("log").unwrap_or_default().to_string(),
                from: int(w, "from")? as u64,
                to: int(w, "to")? as u64,
            }),
            Err(_) => None,
        };
        Ok(Commit {
            root: hash_field(d, "root")?,
            parents,
            lsn: int(d, "lsn")? as u64,
            time: d
                .get_datetime("time")
                .map(|t| t.timestamp_millis())
                .unwrap_or(0),
            author: d.get_str("author").unwrap_or_default().to_string(),
            message: d.get_str("message").unwrap_or_default().to_string(),
            wal,
        })
    }

    pub fn write(&self, store: &dyn ChunkStore) -> Result<Hash> {
        let bytes = self
            .to_document()
            .to_vec()
            .map_err(|e| Error::Corrupt(format!("cannot encode commit: {e}")))?;
        store.put(&bytes)
    }

    pub fn read(store: &dyn ChunkStore, hash: &Hash) -> Result<Commit> {
        let bytes = store
            .get(hash)?
            .ok_or_else(|| Error::MissingChunk(hash.to_hex()))?;
        let d = Document::from_reader(&*bytes)?;
        Commit::from_document(&d)
    }
}
