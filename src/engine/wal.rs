//! Write-log records: one acknowledged batch of document changes.
//!
//! Payload: `[u8 codec (0 raw, 1 zstd)][BSON {lsn: i64, t: date, tu: i32, ops: [
//! {c: collection, k: bin key, d?: bin document, r?: true}]}]`; an op
//! without `d` deletes; `r` marks a whole-document replacement (what a
//! change stream reports as `replace` rather than `update`). Framing and checksums are the store's.

use super::error::{Error, Result};
use bson::{Binary, Bson, doc, spec::BinarySubtype};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct DocOp {
    pub collection: String,
    /// Encoded `_id`.
    pub key: Vec<u8>,
    /// Raw BSON of the new document; `None` deletes.
    pub doc: Option<Arc<[u8]>>,
    /// The client replaced the whole document (`replaceOne`, an upsert by
    /// replacement) rather than updating fields of it.
    pub replace: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WalRecord {
    pub lsn: u64,
    pub time: i64,
    /// Microseconds within `time`'s millisecond (0..1000): orders records
    /// of different branches written in the same millisecond (a
    /// deployment-wide change stream merges their logs by time).
    pub micros: u16,
    pub ops: Vec<DocOp>,
}

/// Records above this size are compressed.
const COMPRESS_OVER: usize = 512;

fn binary(bytes: &[u8]) -> Bson {
    Bson::Binary(Binary {
        subtype: BinarySubtype::Generic,
        bytes: bytes.to_vec(),
    })
}

impl WalRecord {
    pub fn encode(&self) -> Result<Vec<u8>> {
        let ops: Vec<Bson> = self
            .ops
            .iter()
            .map(|op| {
                let mut d = doc! { "c": &op.collection, "k": binary(&op.key) };
                if let Some(body) = &op.doc {
                    d.insert("d", binary(body));
                }
                if op.replace {
                    d.insert("r", true);
                }
                Bson::Document(d)
            })
            .collect();
        let body = doc! {
            "lsn": self.lsn as i64,
            "t": bson::DateTime::from_millis(self.time),
            "tu": i32::from(self.micros),
            "ops": ops,
        }
        .to_vec()
        .map_err(|e| Error::Invalid(format!("cannot encode write: {e}")))?;
        if body.len() > COMPRESS_OVER {
            let z = super::codec::compress(&body)?;
            let mut out = Vec::with_capacity(z.len() + 1);
            out.push(1);
            out.extend_from_slice(&z);
            Ok(out)
        } else {
            let mut out = Vec::with_capacity(body.len() + 1);
            out.push(0);
            out.extend_from_slice(&body);
            Ok(out)
        }
    }

    /// The same record with its body uncompressed (codec 0), for storage
    /// where many records are compressed together.
    pub fn uncompressed(bytes: &[u8]) -> Result<Vec<u8>> {
        match bytes.split_first() {
            Some((1, rest)) => {
                let body = super::codec::decompress(rest)?;
                let mut out = Vec::with_capacity(body.len() + 1);
                out.push(0);
                out.extend_from_slice(&body);
                Ok(out)
            }
            _ => Ok(bytes.to_vec()),
        }
    }

    pub fn decode(bytes: &[u8]) -> Result<WalRecord> {
        let bad = |why: String| Error::Corrupt(format!("write log record: {why}"));
        let (codec, rest) = bytes.split_first().ok_or_else(|| bad("empty".into()))?;
        let body = match codec {
            0 => rest.to_vec(),
            1 => super::codec::decompress(rest)?,
            c => return Err(bad(format!("unknown codec {c}"))),
        };
        // Raw access: no intermediate Document, one copy per document.
        let d = bson::RawDocument::from_bytes(body.as_slice()).map_err(|e| bad(e.to_string()))?;
        let lsn = d.get_i64("lsn").map_err(|e| bad(e.to_string()))? as u64;
        let time = d
            .get_datetime("t")
            .map_err(|e| bad(e.to_string()))?
            .timestamp_millis();
        let mut ops = Vec::new();
        for op in d.get_array("ops").map_err(|e| bad(e.to_string()))? {
            let op = op.map_err(|e| bad(e.to_string()))?;
            let op = op
                .as_document()
                .ok_or_else(|| bad("op is not a document".into()))?;
            let collection = op.get_str("c").map_err(|e| bad(e.to_string()))?.to_string();
            let key = op
                .get_binary("k")
                .map_err(|e| bad(e.to_string()))?
                .bytes
                .to_vec();
            let doc = match op.get_binary("d") {
                Ok(b) => Some(Arc::from(b.bytes)),
                Err(_) => None,
            };
            ops.push(DocOp {
                collection,
                key,
                doc,
                replace: op.get_bool("r").unwrap_or(false),
            });
        }
        // Records written before the field existed have none: 0.
        let micros = d.get_i32("tu").unwrap_or(0).clamp(0, 999) as u16;
        Ok(WalRecord {
            lsn,
            time,
            micros,
            ops,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_small_and_compressed() {
        for n in [1usize, 50] {
            let rec = WalRecord {
                lsn: 7,
                time: 1_700_000_000_000,
                micros: 417,
                ops: (0..n)
                    .map(|i| DocOp {
                        collection: "c".into(),
                        key: vec![i as u8],
                        doc: (i % 2 == 0).then(|| Arc::from(vec![1u8; 40])),
                        replace: i % 4 == 0,
                    })
                    .collect(),
            };
            let bytes = rec.encode().unwrap();
            assert_eq!(WalRecord::decode(&bytes).unwrap(), rec);
            let raw = WalRecord::uncompressed(&bytes).unwrap();
            assert_eq!(raw[0], 0);
            assert_eq!(WalRecord::decode(&raw).unwrap(), rec);
        }
    }
}
