//! Every past point reads back exactly, on the local store, after the
//! write log's folded ranges were compacted into segments.

use crate::engine::store::local::{LocalStore, occupied};
use crate::engine::{Project, WriteOp};
use bson::{Bson, doc};
use std::collections::BTreeMap;
use std::sync::Arc;

#[test]
fn every_lsn_reads_back_after_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(LocalStore::open(dir.path()).unwrap());
    let p = Project::open("t", store, Some(""), 1 << 24).unwrap();
    let mut model: BTreeMap<i32, String> = BTreeMap::new();
    let mut states = Vec::new();
    for i in 0..300i32 {
        let id = i * 7 % 40;
        let op = if i % 11 == 5 {
            model.remove(&id);
            WriteOp::Delete {
                collection: "c".into(),
                id: Bson::Int32(id),
            }
        } else {
            let v = format!("value {i} {}", "padding ".repeat(40));
            model.insert(id, v.clone());
            WriteOp::Upsert {
                collection: "c".into(),
                doc: doc! {"_id": id, "v": v},
            }
        };
        let lsn = p.write("main", vec![op]).unwrap().lsn;
        states.push((lsn, model.clone()));
        if i % 50 == 49 {
            p.checkpoint("main", "test").unwrap();
        }
    }
    let wal = dir.path().join("wal");
    let segments = std::fs::read_dir(&wal)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "seg")
        })
        .count();
    assert_eq!(segments, 6, "one segment per checkpoint");
    let log = std::fs::read_dir(&wal)
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.path().extension().is_some_and(|x| x == "log"))
        .unwrap();
    let m = log.metadata().unwrap();
    assert!(
        occupied(&m) < m.len() / 2,
        "folded records freed: {} of {}",
        occupied(&m),
        m.len()
    );

    // Reopen (a new process) and read every point.
    let store = Arc::new(LocalStore::open(dir.path()).unwrap());
    let p = Project::open("t", store, None, 1 << 24).unwrap();
    for (lsn, expect) in states {
        let v = p.view(&format!("main@lsn:{lsn}")).unwrap();
        let got: BTreeMap<i32, String> = v
            .scan(p.nodes(), "c")
            .unwrap()
            .map(|r| {
                let d = bson::Document::from_reader(&*r.unwrap().1).unwrap();
                (
                    d.get_i32("_id").unwrap(),
                    d.get_str("v").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, expect, "at lsn {lsn}");
    }
}
