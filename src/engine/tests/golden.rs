//! Pins the on-disk format: these hashes change only if node encoding,
//! the chunker, key encoding or document bytes change. Such a change needs
//! a new format version and a migration, not a new constant.

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
