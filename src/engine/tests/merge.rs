//! Branch merges through the project API.

use super::scenarios::mem_project;
use crate::engine::merge::{MergeStatus, Resolution, Strategy};
use crate::engine::{Project, WriteOp};
use bson::{Bson, doc};

fn put(p: &Project, b: &str, d: bson::Document) {
    p.write(
        b,
        vec![WriteOp::Upsert {
            collection: "c".into(),
            doc: d,
        }],
    )
    .unwrap();
}

fn get(p: &Project, b: &str, id: i32) -> Option<bson::Document> {
    p.branch_view(b)
        .unwrap()
        .get(p.nodes(), "c", &Bson::Int32(id))
        .unwrap()
}

#[test]
fn fast_forward_up_to_date_and_clean_three_way() {
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "a": {"x": 1, "y": 1}});
    p.create_branch("f", "main").unwrap();
    assert_eq!(
        p.merge("f", "main", Strategy::Fail, false).unwrap().status,
        MergeStatus::UpToDate
    );
    put(&p, "f", doc! {"_id": 2});
    let r = p.merge("f", "main", Strategy::Fail, false).unwrap();
    assert_eq!(r.status, MergeStatus::FastForward);
    assert!(get(&p, "main", 2).is_some());
    // disjoint sub-field edits of one nested document merge cleanly
    put(&p, "main", doc! {"_id": 1, "a": {"x": 2, "y": 1}});
    put(&p, "f", doc! {"_id": 1, "a": {"x": 1, "y": 3}});
    put(&p, "f", doc! {"_id": 3});
    let r = p.merge("f", "main", Strategy::Fail, false).unwrap();
    assert_eq!(r.status, MergeStatus::Merged, "{:?}", r.conflicts);
    assert_eq!(
        get(&p, "main", 1).unwrap(),
        doc! {"_id": 1, "a": {"x": 2, "y": 3}}
    );
    assert!(get(&p, "main", 3).is_some());
    let head = p
        .commit_info(&crate::engine::Hash::from_hex(r.commit.as_deref().unwrap()).unwrap())
        .unwrap();
    assert_eq!(head.parents.len(), 2);
    // merging again is a no-op
    assert_eq!(
        p.merge("f", "main", Strategy::Fail, false).unwrap().status,
        MergeStatus::UpToDate
    );
}

#[test]
fn conflicts_are_stored_resolved_and_applied_atomically() {
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "v": 1, "w": 1});
    put(&p, "main", doc! {"_id": 2, "v": 1});
    put(&p, "main", doc! {"_id": 3, "v": 1});
    p.create_branch("f", "main").unwrap();
    put(&p, "main", doc! {"_id": 1, "v": 2, "w": 1});
    put(&p, "f", doc! {"_id": 1, "v": 3, "w": 1});
    // modify vs delete
    put(&p, "main", doc! {"_id": 2, "v": 5});
    p.write(
        "f",
        vec![WriteOp::Delete {
            collection: "c".into(),
            id: Bson::Int32(2),
        }],
    )
    .unwrap();
    put(&p, "f", doc! {"_id": 3, "v": 9});
    put(&p, "main", doc! {"_id": 3, "v": 8});
    put(&p, "f", doc! {"_id": 4, "new": true});
    let before = p.checkpoint("main", "before merge").unwrap();
    let dry = p.merge("f", "main", Strategy::Fail, true).unwrap();
    assert_eq!(dry.status, MergeStatus::Conflicts);
    assert_eq!(dry.conflicts.len(), 3);
    assert!(
        p.merge_state("main").unwrap().is_none(),
        "dry run stores nothing"
    );
    let r = p.merge("f", "main", Strategy::Fail, false).unwrap();
    assert_eq!(r.status, MergeStatus::Conflicts);
    assert!(
        get(&p, "main", 4).is_none(),
        "nothing applied while conflicts are open"
    );
    assert_eq!(p.checkpoint("main", "x").unwrap(), before);
    // a second merge into main is refused while one is in progress
    assert!(p.merge("f", "main", Strategy::Fail, false).is_err());
    let state = p.merge_state("main").unwrap().unwrap();
    let by_id = |id: i32| {
        state
            .conflicts
            .iter()
            .find(|c| c.id_value == serde_json::json!({"$numberInt": id.to_string()}))
            .unwrap()
            .id
            .clone()
    };
    assert!(
        p.continue_merge("main").is_err(),
        "unresolved conflicts block continue"
    );
    p.resolve_conflict("main", &by_id(1), Resolution::Theirs)
        .unwrap();
    p.resolve_conflict("main", &by_id(2), Resolution::Ours)
        .unwrap();
    p.resolve_conflict(
        "main",
        &by_id(3),
        Resolution::Value {
            value: Some(serde_json::json!(42)),
        },
    )
    .unwrap();
    let r = p.continue_merge("main").unwrap();
    assert_eq!(r.status, MergeStatus::Merged);
    assert_eq!(get(&p, "main", 1).unwrap().get_i32("v").unwrap(), 3);
    assert_eq!(get(&p, "main", 2).unwrap().get_i32("v").unwrap(), 5);
    assert_eq!(get(&p, "main", 3).unwrap().get_i32("v").unwrap(), 42);
    assert!(get(&p, "main", 4).is_some());
    assert!(p.merge_state("main").unwrap().is_none());
}

#[test]
fn strategies_and_abort() {
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "v": 1});
    p.create_branch("f", "main").unwrap();
    put(&p, "main", doc! {"_id": 1, "v": 2});
    put(&p, "f", doc! {"_id": 1, "v": 3});
    p.create_branch("m2", "main").unwrap();
    let r = p.merge("f", "main", Strategy::Theirs, false).unwrap();
    assert_eq!(r.status, MergeStatus::Merged);
    assert_eq!(get(&p, "main", 1).unwrap().get_i32("v").unwrap(), 3);
    let r = p.merge("f", "m2", Strategy::Ours, false).unwrap();
    assert_eq!(r.status, MergeStatus::Merged);
    assert_eq!(get(&p, "m2", 1).unwrap().get_i32("v").unwrap(), 2);
    put(&p, "f", doc! {"_id": 1, "v": 7});
    put(&p, "m2", doc! {"_id": 1, "v": 8});
    assert_eq!(
        p.merge("f", "m2", Strategy::Fail, false).unwrap().status,
        MergeStatus::Conflicts
    );
    p.abort_merge("m2").unwrap();
    assert!(p.abort_merge("m2").is_err());
    assert_eq!(get(&p, "m2", 1).unwrap().get_i32("v").unwrap(), 8);
}

#[test]
fn merge_base_after_merges_both_ways() {
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "v": 1});
    p.create_branch("f", "main").unwrap();
    put(&p, "f", doc! {"_id": 2});
    put(&p, "main", doc! {"_id": 3});
    assert_eq!(
        p.merge("f", "main", Strategy::Fail, false).unwrap().status,
        MergeStatus::Merged
    );
    assert_eq!(
        p.merge("main", "f", Strategy::Fail, false).unwrap().status,
        MergeStatus::FastForward
    );
    put(&p, "f", doc! {"_id": 1, "v": 2});
    put(&p, "main", doc! {"_id": 4});
    // the base is the earlier merge, so _id 1 is a one-sided change
    let r = p.merge("f", "main", Strategy::Fail, false).unwrap();
    assert_eq!(r.status, MergeStatus::Merged, "{:?}", r.conflicts);
    assert_eq!(get(&p, "main", 1).unwrap().get_i32("v").unwrap(), 2);
}

#[test]
fn revert_a_commit_and_a_range() {
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "v": 1});
    let c1 = p.checkpoint("main", "one").unwrap();
    put(&p, "main", doc! {"_id": 1, "v": 2});
    put(&p, "main", doc! {"_id": 2, "v": 1});
    let c2 = p.checkpoint("main", "two").unwrap();
    put(&p, "main", doc! {"_id": 3, "v": 1});
    // undo c2 (v 1->2 and the insert of 2); 3 stays
    let r = p
        .revert("main", &c2.to_hex(), Strategy::Fail, false)
        .unwrap();
    assert_eq!(r.status, MergeStatus::Merged, "{:?}", r.conflicts);
    assert_eq!(get(&p, "main", 1).unwrap().get_i32("v").unwrap(), 1);
    assert!(get(&p, "main", 2).is_none());
    assert!(get(&p, "main", 3).is_some());
    // a later change to the same document conflicts; fail applies nothing
    put(&p, "main", doc! {"_id": 3, "v": 5});
    let c3 = p.checkpoint("main", "three").unwrap();
    put(&p, "main", doc! {"_id": 3, "v": 6});
    let r = p
        .revert("main", &c3.to_hex(), Strategy::Fail, false)
        .unwrap();
    assert_eq!(r.status, MergeStatus::Conflicts);
    assert_eq!(get(&p, "main", 3).unwrap().get_i32("v").unwrap(), 6);
    let r = p
        .revert("main", &c3.to_hex(), Strategy::Theirs, false)
        .unwrap();
    assert_eq!(r.status, MergeStatus::Merged);
    assert_eq!(get(&p, "main", 3).unwrap().get_i32("v").unwrap(), 1);
    // the range c1..c2 was already undone above
    let range = format!("{}..{}", c1.to_hex(), c2.to_hex());
    let r = p.revert("main", &range, Strategy::Fail, false).unwrap();
    assert_eq!(r.status, MergeStatus::UpToDate);
}

#[test]
fn per_collection_policy() {
    use crate::engine::merge::Policy;
    let p = mem_project();
    for c in ["a", "b"] {
        p.write(
            "main",
            vec![WriteOp::Upsert {
                collection: c.into(),
                doc: doc! {"_id": 1, "v": 1},
            }],
        )
        .unwrap();
    }
    p.create_branch("f", "main").unwrap();
    for (b, v) in [("main", 2), ("f", 3)] {
        for c in ["a", "b"] {
            p.write(
                b,
                vec![WriteOp::Upsert {
                    collection: c.into(),
                    doc: doc! {"_id": 1, "v": v},
                }],
            )
            .unwrap();
        }
    }
    let mut policy = Policy::new(Strategy::Fail);
    policy.collections.insert("a".into(), Strategy::Theirs);
    let r = p.merge_with("f", "main", &policy, false).unwrap();
    assert_eq!(r.status, MergeStatus::Conflicts);
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].collection, "b");
    policy.collections.insert("b".into(), Strategy::Ours);
    p.abort_merge("main").unwrap();
    assert_eq!(
        p.merge_with("f", "main", &policy, false).unwrap().status,
        MergeStatus::Merged
    );
    let v = p.branch_view("main").unwrap();
    assert_eq!(
        v.get(p.nodes(), "a", &Bson::Int32(1))
            .unwrap()
            .unwrap()
            .get_i32("v")
            .unwrap(),
        3
    );
    assert_eq!(
        v.get(p.nodes(), "b", &Bson::Int32(1))
            .unwrap()
            .unwrap()
            .get_i32("v")
            .unwrap(),
        2
    );
}

#[test]
fn index_specs_merge_three_way() {
    use crate::engine::catalog::IndexSpec;
    let p = mem_project();
    put(&p, "main", doc! {"_id": 1, "a": 1, "b": 1});
    p.create_branch("f", "main").unwrap();
    // theirs adds an index ours does not have: it arrives, built
    p.create_index(
        "f",
        "c",
        IndexSpec::from_key_document(&doc! {"b": 1}, None, false).unwrap(),
    )
    .unwrap();
    // both add "a_1" with different options: a conflict
    p.create_index(
        "f",
        "c",
        IndexSpec::from_key_document(&doc! {"a": 1}, None, true).unwrap(),
    )
    .unwrap();
    p.create_index(
        "main",
        "c",
        IndexSpec::from_key_document(&doc! {"a": 1}, None, false).unwrap(),
    )
    .unwrap();
    let r = p.merge("f", "main", Strategy::Fail, true).unwrap();
    assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
    assert_eq!(r.conflicts[0].kind, "IndexSpec");
    assert_eq!(r.conflicts[0].path, "indexes.a_1");
    let r = p.merge("f", "main", Strategy::Theirs, false).unwrap();
    assert_eq!(r.status, MergeStatus::Merged);
    let v = p.branch_view("main").unwrap();
    let rec = v.catalog().get("c").unwrap();
    assert!(rec.index("b_1").is_some(), "theirs' new index arrived");
    assert!(
        rec.index("a_1").unwrap().spec.unique,
        "theirs won the conflicting spec"
    );
    // the arrived index is usable: it holds the document
    let ids = v
        .index_prefix_ids(
            p.nodes(),
            "c",
            "b_1",
            &crate::engine::keys::encode_key(&Bson::Int32(1)),
        )
        .unwrap();
    assert_eq!(ids.len(), 1);
}
