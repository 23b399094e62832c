use crate::engine::catalog::IndexSpec;
use crate::engine::store::memory::MemoryStore;
use crate::engine::{Error, Project, WriteOp};
use bson::{Bson, doc};
use std::sync::Arc;

pub fn mem_project() -> Project {
    Project::open("t", Arc::new(MemoryStore::new()), Some(""), 1 << 24).unwrap()
}

fn ins(c: &str, d: bson::Document) -> WriteOp {
    WriteOp::Insert {
        collection: c.into(),
        doc: d,
    }
}

#[test]
fn write_read_branch_isolation_and_time_travel() {
    let p = mem_project();
    let r = p
        .write("main", vec![ins("users", doc! {"_id": 1, "name": "ada"})])
        .unwrap();
    assert_eq!(r.inserted, 1);
    let lsn1 = r.lsn;
    p.write("main", vec![ins("users", doc! {"_id": 2, "name": "bob"})])
        .unwrap();
    let ns = p.nodes();
    let v = p.branch_view("main").unwrap();
    assert_eq!(v.count(ns, "users").unwrap(), 2);
    assert_eq!(
        v.get(ns, "users", &Bson::Int32(1))
            .unwrap()
            .unwrap()
            .get_str("name")
            .unwrap(),
        "ada"
    );
    // numbers compare by value: 1.0 finds the int32 1 document
    assert!(v.get(ns, "users", &Bson::Double(1.0)).unwrap().is_some());

    p.create_branch("feature", "main").unwrap();
    p.write(
        "feature",
        vec![WriteOp::Delete {
            collection: "users".into(),
            id: Bson::Int32(1),
        }],
    )
    .unwrap();
    assert_eq!(
        p.branch_view("feature")
            .unwrap()
            .count(ns, "users")
            .unwrap(),
        1
    );
    assert_eq!(
        p.branch_view("main").unwrap().count(ns, "users").unwrap(),
        2
    );

    // time travel by LSN: before the second insert
    let old = p.view(&format!("main@lsn:{lsn1}")).unwrap();
    assert_eq!(old.count(ns, "users").unwrap(), 1);
    assert!(old.branch.is_none());
    // a branch from a past point
    p.create_branch("past", &format!("main@lsn:{lsn1}"))
        .unwrap();
    assert_eq!(
        p.branch_view("past").unwrap().count(ns, "users").unwrap(),
        1
    );
    // future LSN is an error
    assert!(matches!(p.view("main@lsn:999"), Err(Error::BadRef(..))));
}

#[test]
fn duplicate_keys_write_nothing() {
    let p = mem_project();
    p.write("main", vec![ins("c", doc! {"_id": 1})]).unwrap();
    let before = p.branch_view("main").unwrap().lsn();
    let err = p
        .write(
            "main",
            vec![ins("c", doc! {"_id": 2}), ins("c", doc! {"_id": 1})],
        )
        .unwrap_err();
    assert!(matches!(err, Error::DuplicateKey { .. }), "{err}");
    let v = p.branch_view("main").unwrap();
    assert_eq!(v.count(p.nodes(), "c").unwrap(), 1);
    assert_eq!(v.lsn(), before);

    let spec = IndexSpec::from_key_document(&doc! {"email": 1}, None, true).unwrap();
    p.create_index("main", "c", spec).unwrap();
    p.write("main", vec![ins("c", doc! {"_id": 3, "email": "a@x"})])
        .unwrap();
    let err = p
        .write("main", vec![ins("c", doc! {"_id": 4, "email": "a@x"})])
        .unwrap_err();
    assert!(err.to_string().contains("email_1"), "{err}");
    // replacing the holder itself is fine; then the value is free again
    p.write(
        "main",
        vec![WriteOp::Upsert {
            collection: "c".into(),
            doc: doc! {"_id": 3, "email": "b@x"},
        }],
    )
    .unwrap();
    p.write("main", vec![ins("c", doc! {"_id": 4, "email": "a@x"})])
        .unwrap();
    // a missing field indexes as null, so a second document without email collides
    assert!(p.write("main", vec![ins("c", doc! {"_id": 7})]).is_err());
    // unique index over existing duplicates fails to build
    p.write(
        "main",
        vec![
            ins("c", doc! {"_id": 5, "n": 1, "email": "c@x"}),
            ins("c", doc! {"_id": 6, "n": 1, "email": "d@x"}),
        ],
    )
    .unwrap();
    let spec = IndexSpec::from_key_document(&doc! {"n": 1}, None, true).unwrap();
    assert!(matches!(
        p.create_index("main", "c", spec),
        Err(Error::DuplicateKey { .. })
    ));
}

#[test]
fn checkpoint_log_reset_and_tags() {
    let p = mem_project();
    for i in 0..5 {
        p.write("main", vec![ins("c", doc! {"_id": i})]).unwrap();
    }
    let log = p.log("main", 100).unwrap();
    assert!(log[0].commit.is_none(), "live writes first");
    p.create_tag("v1", "main", "").unwrap();
    p.write("main", vec![ins("c", doc! {"_id": 99})]).unwrap();
    assert_eq!(p.view("v1").unwrap().count(p.nodes(), "c").unwrap(), 5);
    let info = p.reset_branch("main", "v1", Some("backup")).unwrap();
    assert_eq!(
        p.branch_view("main")
            .unwrap()
            .count(p.nodes(), "c")
            .unwrap(),
        5
    );
    assert_eq!(
        p.branch_view("backup")
            .unwrap()
            .count(p.nodes(), "c")
            .unwrap(),
        6
    );
    assert_eq!(info.name, "main");
    // time travel across the checkpoint boundary
    let v = p.view("backup@lsn:3").unwrap();
    assert_eq!(v.lsn(), 3);
    p.rename_branch("backup", "old").unwrap();
    assert!(p.branch_view("backup").is_err());
    p.delete_branch("old").unwrap();
    assert!(p.delete_branch("main").is_err());
    assert!(p.create_branch("bad name", "main").is_err());
    assert!(p.create_branch("x", "nope").is_err());
}
