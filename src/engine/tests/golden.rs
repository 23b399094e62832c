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

/// Pins the bytes of the chunk index: a sorted file and an overlay log
/// (docs/format.md, "Chunk index").
#[test]
fn golden_chunk_index_bytes() {
    use crate::engine::store::ChunkStore;
    use crate::engine::store::chunk_index::Tuning;
    use crate::engine::store::local::LocalStore;
    let dir = tempfile::tempdir().unwrap();
    let tuning = Tuning {
        flush_at: 3,
        merge_at: 1 << 20,
    };
    let s = LocalStore::open_tuned(dir.path(), tuning).unwrap();
    for i in 0..4u32 {
        s.put(format!("chunk {i}").as_bytes()).unwrap();
    }
    s.flush().unwrap();
    s.put(b"after").unwrap();
    s.flush().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("chunks-"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["chunks-0.0-48.sidx", "chunks-0.48.log", "chunks-0.pack"]
    );
    let file_hash = |name: &str| {
        crate::engine::hash::Hash::of(&std::fs::read(dir.path().join(name)).unwrap()).to_hex()
    };
    assert_eq!(
        file_hash("chunks-0.0-48.sidx"),
        "adf437a4e5b057f2eb1bac2772de5bc377300e55b395bb263ebba191fe658d7c"
    );
    assert_eq!(
        file_hash("chunks-0.48.log"),
        "2fe83b68349f43f86e15adc4ab0de937263ee333bdf0d045ef5250550144a1ae"
    );
}
