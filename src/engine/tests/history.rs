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

/// Where a 1%-changed branch's bytes go, by pack record codec (run by
/// hand: `cargo test --release --lib pack_growth_breakdown -- --ignored --nocapture`).
#[test]
#[ignore]
fn pack_growth_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(LocalStore::open(dir.path()).unwrap());
    let p = Project::open("t", store, Some(""), 1 << 26).unwrap();
    let n: u64 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    p.import(
        "main",
        "c",
        false,
        (0..n).map(|i| Ok(crate::synth::customer(1, i))),
        &|_| {},
    )
    .unwrap();
    p.create_branch("b", "main").unwrap();
    let pack = || {
        let mut bytes = Vec::new();
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "pack") {
                bytes = std::fs::read(e.path()).unwrap();
            }
        }
        bytes
    };
    let before = pack().len();
    let mut x = 12345u64;
    for _ in 0..(n / 100 / 100) {
        let ops = (0..100)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let mut d = crate::synth::customer(1, x % n);
                d.insert("visits", -1_i32);
                WriteOp::Upsert {
                    collection: "c".into(),
                    doc: d,
                }
            })
            .collect();
        p.write("b", ops).unwrap();
    }
    p.checkpoint("b", "t").unwrap();
    let bytes = pack();
    let mut pos = before;
    let mut stats = std::collections::BTreeMap::new();
    while pos + 5 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let codec = bytes[pos + 4];
        let level = if codec == 1 {
            crate::engine::codec::decompress(&bytes[pos + 5..pos + 5 + len])
                .map_or(255, |b| if b.first() == Some(&1) { b[1] } else { 254 })
        } else {
            0
        };
        let e = stats.entry((codec, level)).or_insert((0usize, 0usize));
        e.0 += 1;
        e.1 += len + 9;
        pos += len + 9;
    }
    eprintln!(
        "pack growth {} bytes; by codec (count, bytes): {stats:?}",
        bytes.len() - before
    );
}

#[test]
fn gc_drops_write_log_history_past_retention_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(LocalStore::open(dir.path()).unwrap());
    let p = Project::open("t", store, Some(""), 1 << 24).unwrap();
    let segs = || {
        std::fs::read_dir(dir.path().join("wal"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "seg")
            })
            .count()
    };
    for round in 0..3 {
        for i in 0..20 {
            p.write(
                "main",
                vec![WriteOp::Upsert {
                    collection: "c".into(),
                    doc: doc! {"_id": i, "round": round},
                }],
            )
            .unwrap();
        }
        p.checkpoint("main", "t").unwrap();
    }
    assert_eq!(segs(), 3);
    // Inside the retention window (7 days by default) history stays.
    let s = p.gc(false).unwrap();
    assert_eq!(s.history_bytes_freed, 0);
    assert_eq!(segs(), 3);
    // With no retention, no past point is readable: its history goes.
    p.with_write_lock(|this, live| {
        this.update_refs(live, |r| {
            r.project.retention_ms = 0;
            Ok(())
        })
    })
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let dry = p.gc(true).unwrap();
    assert!(dry.history_bytes_freed > 0);
    assert_eq!(segs(), 3, "dry run deletes nothing");
    let s = p.gc(false).unwrap();
    assert_eq!(s.history_bytes_freed, dry.history_bytes_freed);
    assert_eq!(segs(), 0);
    // The current state is intact.
    let v = p.branch_view("main").unwrap();
    assert_eq!(v.count(p.nodes(), "c").unwrap(), 20);
}
