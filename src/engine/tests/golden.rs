//! Pins the on-disk format: these hashes change only if node encoding,
//! the chunker, key encoding or document bytes change. Such a change needs
//! a new format version and a migration, not a new constant. The same goes
//! for the pack-record and write-log-segment bytes pinned below.

use crate::engine::keys::encode_key;
use crate::engine::store::memory::MemoryStore;
use crate::engine::tree::{NodeStore, build};
use bson::{Bson, doc};
use std::sync::Arc;

#[test]
fn golden_root_hash() {
    let ns = NodeStore::new(Arc::new(MemoryStore::new()), 1 << 20);
    let entries = (0..5000i64).map(|i| {
        let d = doc! { "_id": i, "name": format!("user{i}"), "n": i * 3, "tags": ["a", "b"] };
        (encode_key(&Bson::Int64(i)), d.to_vec().unwrap())
    });
    let mut sorted: Vec<_> = entries.collect();
    sorted.sort();
    let root = build(&ns, sorted).unwrap();
    assert_eq!(
        ns.load(&root).unwrap().level(),
        2,
        "three levels at this size"
    );
    assert_eq!(
        root.to_hex(),
        "f89e9ed0d728120bb99e9a767eacd28d707e81c555b0c84ccf0fa50fe0ac44a6"
    );
    assert_eq!(
        ns.empty_root().unwrap().to_hex(),
        "396eab8ebe8b2247fed631cee54835e0c8678ab1cc0d5b8a73f9f86e813187d5"
    );
}

/// Pins the byte layout of pack records (whole and delta) and of compacted
/// write-log segments, which docs/format.md describes.
#[test]
fn golden_pack_and_segment_bytes() {
    use crate::engine::store::ChunkStore;
    use crate::engine::store::local::LocalStore;
    let dir = tempfile::tempdir().unwrap();
    let s = LocalStore::open(dir.path()).unwrap();
    let v1: Vec<u8> = (0..2000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    let mut v2 = v1.clone();
    v2[1000] ^= 0xff;
    let a = s.put(&v1).unwrap();
    s.put_delta(&v2, &a, &v1).unwrap();
    s.put(b"short").unwrap();
    s.flush().unwrap();
    let mut end = 0;
    for i in 0..50u32 {
        let rec = format!("record {i} {}", "x".repeat(i as usize));
        end = s.wal_append("b1", end, rec.as_bytes()).unwrap();
    }
    s.wal_compact("b1", 0, end, &|p| Ok(p.to_vec())).unwrap();
    let file_hash = |name: &str| {
        crate::engine::hash::Hash::of(&std::fs::read(dir.path().join(name)).unwrap()).to_hex()
    };
    // Records: [u32 len][u8 codec][payload][u32 crc]; the second is a delta.
    let pack = std::fs::read(dir.path().join("chunks-0.pack")).unwrap();
    let first = 4 + 1 + u32::from_le_bytes(pack[..4].try_into().unwrap()) as usize + 4;
    assert_eq!((pack[4], pack[first + 4]), (1, 2), "zstd, then delta");
    assert_eq!(
        file_hash("chunks-0.pack"),
        "eefa527a409be1c3c987a8bb074069e16e10619b6bc70f4d4a15b2159dccf45a"
    );
    assert_eq!(
        file_hash(&format!("wal/b1.0-{end}.seg")),
        "f21057b7a68139dc3099cc50bf9a9a1cf4b3f1609f8b64eaa1b93e01f960cd16"
    );
}
