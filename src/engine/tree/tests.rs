//! Property tests of the tree against a `BTreeMap` model.

use super::*;
use crate::engine::store::memory::MemoryStore;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn ns() -> NodeStore {
    NodeStore::new(Arc::new(MemoryStore::new()), 1 << 20)
}

fn key(i: u32) -> Vec<u8> {
    format!("k{i:08}").into_bytes()
}

fn val(i: u32, len: usize) -> Vec<u8> {
    let mut v = format!("v{i}").into_bytes();
    v.resize(len, b'x');
    v
}

fn collect(ns: &NodeStore, root: &Hash) -> BTreeMap<Vec<u8>, Vec<u8>> {
    Scan::new(ns, root, None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn build_get_scan_large() {
    let ns = ns();
    let root = build(&ns, (0..20_000).map(|i| (key(i), val(i, 100)))).unwrap();
    assert_eq!(count(&ns, &root).unwrap(), 20_000);
    assert_eq!(get(&ns, &root, &key(12345)).unwrap(), Some(val(12345, 100)));
    assert_eq!(get(&ns, &root, b"zzz").unwrap(), None);
    assert!(ns.load(&root).unwrap().level() >= 1);
    let from = key(19_990);
    let tail: Vec<_> = Scan::new(&ns, &root, Some(&from)).unwrap().collect();
    assert_eq!(tail.len(), 10);
}

#[test]
fn edits_equal_rebuild_and_delete_everything() {
    let ns = ns();
    let root = build(&ns, (0..5_000).map(|i| (key(i * 2), val(i, 60)))).unwrap();
    let edits: Vec<Edit> = (0..5_000)
        .filter(|i| i % 7 == 0)
        .map(|i| (key(i * 2 + 1), Some(val(i, 80))))
        .collect();
    let edited = apply_edits(&ns, &root, &edits).unwrap();
    let mut model = collect(&ns, &root);
    for (k, v) in &edits {
        model.insert(k.clone(), v.clone().unwrap());
    }
    assert_eq!(build(&ns, model.clone()).unwrap(), edited);
    let all: Vec<Edit> = model.keys().map(|k| (k.clone(), None)).collect();
    assert_eq!(
        apply_edits(&ns, &edited, &all).unwrap(),
        ns.empty_root().unwrap()
    );
}

#[test]
fn diff_finds_exact_changes() {
    let ns = ns();
    let a = build(&ns, (0..10_000).map(|i| (key(i), val(i, 50)))).unwrap();
    let edits: Vec<Edit> = vec![
        (key(5), None),
        (key(5000), Some(b"changed".to_vec())),
        (key(20_000), Some(b"new".to_vec())),
    ];
    let b = apply_edits(&ns, &a, &edits).unwrap();
    let d: Vec<DiffEntry> = TreeDiff::new(&ns, &a, &b)
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(d.len(), 3);
    assert_eq!(d[0].key, key(5));
    assert!(d[0].right.is_none());
    assert_eq!(d[1].right.as_deref(), Some(&b"changed"[..]));
    assert!(d[2].left.is_none());
    assert_eq!(TreeDiff::new(&ns, &a, &a).unwrap().count(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn insertion_order_does_not_change_root(
        keys in proptest::collection::btree_set(0u32..5000, 0..1500),
        seed in any::<u64>(),
        batch in 1usize..300,
    ) {
        let ns = ns();
        let sorted: Vec<u32> = keys.iter().copied().collect();
        let expect = build(&ns, sorted.iter().map(|&i| (key(i), val(i, (i % 200) as usize + 1)))).unwrap();
        // shuffle deterministically, then insert in batches
        let mut order = sorted.clone();
        let mut s = seed | 1;
        for i in (1..order.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            order.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut root = ns.empty_root().unwrap();
        for chunk in order.chunks(batch) {
            let mut edits: Vec<Edit> = chunk.iter().map(|&i| (key(i), Some(val(i, (i % 200) as usize + 1)))).collect();
            edits.sort();
            root = apply_edits(&ns, &root, &edits).unwrap();
        }
        prop_assert_eq!(root, expect);
    }

    #[test]
    fn random_edits_match_model(
        initial in proptest::collection::btree_map(0u32..3000, 1usize..400, 0..1200),
        ops in proptest::collection::vec(proptest::collection::btree_map(0u32..3000, proptest::option::of(1usize..400), 1..200), 1..6),
    ) {
        let ns = ns();
        let mut model: BTreeMap<Vec<u8>, Vec<u8>> = initial.iter().map(|(&k, &l)| (key(k), val(k, l))).collect();
        let mut root = build(&ns, model.clone()).unwrap();
        for batch in ops {
            let edits: Vec<Edit> = batch.iter().map(|(&k, l)| (key(k), l.map(|l| val(k + 1, l)))).collect();
            let before = root;
            root = apply_edits(&ns, &root, &edits).unwrap();
            let before_model = model.clone();
            for (k, v) in &edits {
                match v { Some(v) => { model.insert(k.clone(), v.clone()); } None => { model.remove(k); } }
            }
            prop_assert_eq!(&collect(&ns, &root), &model);
            prop_assert_eq!(root, build(&ns, model.clone()).unwrap());
            prop_assert_eq!(count(&ns, &root).unwrap(), model.len() as u64);
            // the diff reports exactly the changed keys
            let d: Vec<DiffEntry> = TreeDiff::new(&ns, &before, &root).unwrap().map(|r| r.unwrap()).collect();
            let expected: Vec<Vec<u8>> = before_model.keys().chain(model.keys())
                .filter(|k| before_model.get(*k) != model.get(*k))
                .cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            prop_assert_eq!(d.iter().map(|e| e.key.clone()).collect::<Vec<_>>(), expected);
        }
    }
}
