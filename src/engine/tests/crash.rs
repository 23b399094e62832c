//! Fault injection: fail the Nth durable operation during a random
//! workload, crash (keep only synced state), reopen, and check that every
//! acknowledged batch is there and nothing is half-applied.

use crate::engine::store::faulty::FaultyStore;
use crate::engine::store::memory::MemoryStore;
use crate::engine::{Project, WriteOp};
use bson::{Bson, doc};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

type Model = BTreeMap<i32, i32>;

fn contents(p: &Project, branch: &str) -> Model {
    let v = p.branch_view(branch).unwrap();
    if !v.has_collection("c") {
        return Model::new();
    }
    v.scan(p.nodes(), "c")
        .unwrap()
        .map(|r| {
            let d = bson::Document::from_reader(&*r.unwrap().1).unwrap();
            (d.get_i32("_id").unwrap(), d.get_i32("v").unwrap())
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Op {
    Batch(Vec<(i32, Option<i32>)>),
    Checkpoint,
    Branch,
    Import(Vec<i32>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => proptest::collection::vec((0i32..30, proptest::option::of(0i32..1000)), 1..5).prop_map(Op::Batch),
        1 => Just(Op::Checkpoint),
        1 => Just(Op::Branch),
        1 => proptest::collection::vec(100i32..130, 1..10).prop_map(Op::Import),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn acknowledged_writes_survive_injected_failures(ops in proptest::collection::vec(op(), 1..25), fail_at in 1u64..120) {
        let image = Arc::new(MemoryStore::new());
        // Create the project durably first.
        drop(Project::open("t", image.clone(), Some(""), 1 << 20).unwrap());
        let store = Arc::new(FaultyStore::new(image.clone(), fail_at));
        let p = Project::open("t", store.clone(), None, 1 << 20).unwrap();
        let mut model = Model::new();
        let mut branches = 0;
        let mut failed = false;
        // A model of what a failed (unacknowledged) op would have produced.
        let mut maybe: Option<Model> = None;
        for op in ops {
            let mut next = model.clone();
            let result = match &op {
                Op::Batch(items) => {
                    let ops: Vec<WriteOp> = items.iter().map(|(id, v)| match v {
                        Some(v) => WriteOp::Upsert { collection: "c".into(), doc: doc! {"_id": *id, "v": *v} },
                        None => WriteOp::Delete { collection: "c".into(), id: Bson::Int32(*id) },
                    }).collect();
                    for (id, v) in items {
                        match v { Some(v) => { next.insert(*id, *v); } None => { next.remove(id); } }
                    }
                    p.write("main", ops).map(|_| ())
                }
                Op::Checkpoint => p.checkpoint("main", "t").map(|_| ()),
                Op::Branch => {
                    branches += 1;
                    p.create_branch(&format!("b{branches}"), "main").map(|_| ())
                }
                Op::Import(ids) => {
                    let mut ids = ids.clone();
                    ids.sort();
                    ids.dedup();
                    for id in &ids { next.insert(*id, 1); }
                    p.import("main", "c", true, ids.iter().map(|id| Ok(doc! {"_id": *id, "v": 1})), &|_| {}).map(|_| ())
                }
            };
            match result {
                Ok(()) => model = next,
                Err(_) => {
                    failed = true;
                    maybe = Some(next);
                    break;
                }
            }
        }
        // Crash: a new process sees only the synced image.
        drop(p);
        let reopened = Project::open("t", store.crash_image(), None, 1 << 20).unwrap();
        let got = contents(&reopened, "main");
        if failed {
            // The failed op is atomic: either absent or whole.
            prop_assert!(got == model || Some(&got) == maybe.as_ref(), "got {:?}\nacked {:?}\nfailed op {:?}", got, model, maybe);
        } else {
            prop_assert_eq!(&got, &model);
        }
        // The reopened store is fully usable.
        reopened.write("main", vec![WriteOp::Upsert { collection: "c".into(), doc: doc! {"_id": 999, "v": 1} }]).unwrap();
        reopened.checkpoint("main", "after crash").unwrap();
        prop_assert!(contents(&reopened, "main").contains_key(&999));
        for b in 1..=branches {
            let _ = reopened.branch_view(&format!("b{b}"));
        }
    }
}

// ---- The on-disk chunk index (sorted files + overlay log) under crashes.

mod chunk_index {
    use crate::engine::hash::Hash;
    use crate::engine::store::ChunkStore;
    use crate::engine::store::chunk_index::Tuning;
    use crate::engine::store::local::LocalStore;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::io::Write;
    use std::path::Path;

    /// Small thresholds so a few hundred chunks go through every level.
    const SMALL: Tuning = Tuning {
        flush_at: 8,
        merge_at: 40,
    };

    fn chunk(i: u32) -> Vec<u8> {
        format!("chunk {i} {}", "payload ".repeat((i % 7) as usize)).into_bytes()
    }

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    fn names_ending(dir: &Path, suffix: &str) -> Vec<String> {
        files(dir)
            .into_keys()
            .filter(|n| n.ends_with(suffix))
            .collect()
    }

    fn assert_readable(s: &LocalStore, ids: impl IntoIterator<Item = u32>) {
        for i in ids {
            let want = chunk(i);
            let got = s.get(&Hash::of(&want)).unwrap();
            assert_eq!(got.as_deref(), Some(want.as_slice()), "chunk {i}");
        }
    }

    fn append(path: &Path, bytes: &[u8]) {
        let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(bytes).unwrap();
    }

    #[test]
    fn chunks_go_through_every_level_and_gc() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        for i in 0..500 {
            s.put(&chunk(i)).unwrap();
            if i % 7 == 0 {
                s.flush().unwrap();
            }
        }
        s.flush().unwrap();
        assert_readable(&s, 0..500);
        let (overlay, sorted) = s.index_shape().unwrap();
        assert!(
            overlay < 8 && sorted <= 6,
            "{overlay} in memory, {sorted} files"
        );
        assert!(!s.has(&Hash::of(b"absent")).unwrap());
        let mut n = 0;
        s.for_each_chunk(&mut |_, _| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 500);
        drop(s);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..500);
        let odd: std::collections::HashSet<Hash> = (0..500)
            .filter(|i| i % 2 == 1)
            .map(|i| Hash::of(&chunk(i)))
            .collect();
        assert!(s.retain(&|h| odd.contains(h)).unwrap() > 0);
        assert_readable(&s, (0..500).filter(|i| i % 2 == 1));
        assert!(!s.has(&Hash::of(&chunk(0))).unwrap());
        assert!(names_ending(dir.path(), ".pack") == ["chunks-1.pack"]);
        drop(s);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, (0..500).filter(|i| i % 2 == 1));
        for i in 500..600 {
            s.put(&chunk(i)).unwrap();
        }
        s.flush().unwrap();
        drop(s);
        let s = LocalStore::open(dir.path()).unwrap();
        assert_readable(&s, (500..600).chain((0..500).filter(|i| i % 2 == 1)));
    }

    #[test]
    fn a_torn_index_write_is_rebuilt_from_the_pack() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        for i in 0..100 {
            s.put(&chunk(i)).unwrap();
        }
        s.flush().unwrap();
        drop(s);
        // Tear the newest sorted file and the log.
        let sorted = names_ending(dir.path(), ".sidx");
        let last = sorted.iter().max_by_key(|n| n.len()).unwrap();
        let path = dir.path().join(last);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        for log in names_ending(dir.path(), ".log") {
            append(&dir.path().join(log), &[9; 30]);
        }
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..100);
        for i in 100..150 {
            s.put(&chunk(i)).unwrap();
        }
        s.flush().unwrap();
        drop(s);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..150);
        // A whole sorted file missing is rebuilt the same way.
        drop(s);
        for n in names_ending(dir.path(), ".sidx") {
            std::fs::remove_file(dir.path().join(n)).unwrap();
        }
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..150);
    }

    #[test]
    fn a_crash_between_pack_append_and_index_entry_loses_nothing_synced() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        for i in 0..5 {
            s.put(&chunk(i)).unwrap();
        }
        s.flush().unwrap();
        // Appended to the pack, never indexed on disk: the process dies.
        for i in 5..7 {
            s.put(&chunk(i)).unwrap();
        }
        drop(s);
        let pack = dir.path().join("chunks-0.pack");
        // And the last record is torn.
        append(&pack, &[200, 0, 0, 0, 1, 2, 3]);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..7);
        s.put(&chunk(7)).unwrap();
        s.flush().unwrap();
        drop(s);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..8);
    }

    #[test]
    fn a_crash_during_merge_leaves_a_readable_index() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        let mut before = files(dir.path());
        let mut i = 0;
        // Flush until a flush merges sorted files (the number drops).
        loop {
            let n = names_ending(dir.path(), ".sidx").len();
            for _ in 0..8 {
                s.put(&chunk(i)).unwrap();
                i += 1;
            }
            s.flush().unwrap();
            if names_ending(dir.path(), ".sidx").len() < n {
                break;
            }
            before = files(dir.path());
        }
        drop(s);
        // The crash came after the merged file's rename, before the files it
        // replaced (and the old log) were deleted; a half-written temporary
        // file of a later merge is there too.
        let after = files(dir.path());
        for (name, bytes) in &before {
            if !after.contains_key(name) && !name.ends_with(".pack") {
                std::fs::write(dir.path().join(name), bytes).unwrap();
            }
        }
        std::fs::write(dir.path().join("chunks-0.merge.tmp"), b"ARGSIDX1 half").unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..i);
        // A writer's next merge removes the leftovers.
        for j in i..i + 300 {
            s.put(&chunk(j)).unwrap();
            if j % 5 == 0 {
                s.flush().unwrap();
            }
        }
        s.flush().unwrap();
        assert_readable(&s, 0..i + 300);
        assert!(names_ending(dir.path(), ".tmp").is_empty());
        assert_eq!(names_ending(dir.path(), ".log").len(), 1);
        drop(s);
        let s = LocalStore::open(dir.path()).unwrap();
        assert_readable(&s, 0..i + 300);
    }

    #[test]
    fn a_crash_during_gc_keeps_the_old_generation() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        for i in 0..50 {
            s.put(&chunk(i)).unwrap();
        }
        s.flush().unwrap();
        drop(s);
        // GC wrote the next generation's index and part of its pack, then died.
        std::fs::write(dir.path().join("chunks-1.0-10.sidx"), b"ARGSIDX1").unwrap();
        std::fs::write(dir.path().join("chunks-1.pack.tmp"), b"partial").unwrap();
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..50);
        s.retain(&|_| true).unwrap();
        assert_readable(&s, 0..50);
        drop(s);
        let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
        assert_readable(&s, 0..50);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Put(u32),
        Flush,
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any crash keeps every flushed chunk: the pack loses some of its
        /// unsynced tail (and may end in garbage), the log may end torn.
        #[test]
        fn flushed_chunks_survive_any_crash(
            steps in proptest::collection::vec(prop_oneof![8 => (0u32..400).prop_map(Step::Put), 1 => Just(Step::Flush)], 1..120),
            keep in 0.0f64..1.0,
            garbage in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
            let pack = dir.path().join("chunks-0.pack");
            let mut flushed = std::collections::BTreeSet::new();
            let mut pending = Vec::new();
            let mut synced_len = 0;
            for step in steps {
                match step {
                    Step::Put(i) => {
                        s.put(&chunk(i)).unwrap();
                        pending.push(i);
                    }
                    Step::Flush => {
                        s.flush().unwrap();
                        flushed.extend(pending.drain(..));
                        synced_len = std::fs::metadata(&pack).unwrap().len();
                    }
                }
            }
            drop(s);
            // What reached the disk of the unsynced tail is up to chance.
            let len = std::fs::metadata(&pack).unwrap().len();
            let cut = synced_len + ((len - synced_len) as f64 * keep) as u64;
            std::fs::OpenOptions::new().write(true).open(&pack).unwrap().set_len(cut).unwrap();
            append(&pack, &garbage);
            for log in names_ending(dir.path(), ".log") {
                append(&dir.path().join(log), &garbage);
            }
            let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
            assert_readable(&s, flushed.iter().copied());
            for i in 1000..1020 {
                s.put(&chunk(i)).unwrap();
            }
            s.flush().unwrap();
            drop(s);
            let s = LocalStore::open_tuned(dir.path(), SMALL).unwrap();
            assert_readable(&s, flushed.iter().copied().chain(1000..1020));
        }
    }
}
