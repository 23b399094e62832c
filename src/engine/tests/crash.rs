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
