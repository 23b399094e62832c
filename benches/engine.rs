//! Engine benchmarks (issue figures), printed as JSON.
//!
//! `cargo bench --bench engine -- [--docs N] [--small N] [--skip-history] [--growth-only]`
//! Medians of repeated runs; everything measured side by side in one run.

use argonctl::engine::catalog::IndexSpec;
use argonctl::engine::{Engine, Project, WriteOp};
use argonctl::synth::{Rng, customer};
use bson::Bson;
use serde_json::json;
use std::time::{Duration, Instant};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn current_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A full document-level diff (field changes included), streamed: returns
/// the number of changed documents.
fn diff_all(p: &Project, a: &str, b: &str) -> u64 {
    use argonctl::engine::diff::{collection_changes, diff_documents};
    let (va, vb) = (p.view(a).unwrap(), p.view(b).unwrap());
    let mut n = 0;
    for change in collection_changes(&va, &vb, None) {
        diff_documents(p.nodes(), &va, &vb, &change, &mut |d| {
            if let (Some(l), Some(r)) = (&d.left, &d.right) {
                let l = bson::Document::from_reader(&**l).unwrap();
                let r = bson::Document::from_reader(&**r).unwrap();
                std::hint::black_box(argonctl::engine::doc::diff_docs(&l, &r));
            }
            n += 1;
            Ok(())
        })
        .unwrap();
    }
    n
}

fn percentile(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1e6
}

fn dir_size(p: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        total += if m.is_dir() {
            dir_size(&e.path())
        } else {
            // Bytes held: compacted write-log ranges are freed in place.
            argonctl::engine::store::local::occupied(&m)
        };
    }
    total
}

/// Bytes held per file kind (extension), recursively.
fn size_by_kind(p: &std::path::Path) -> std::collections::BTreeMap<String, i64> {
    let mut out = std::collections::BTreeMap::new();
    fn walk(p: &std::path::Path, out: &mut std::collections::BTreeMap<String, i64>) {
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                walk(&e.path(), out);
            } else {
                let kind = e
                    .path()
                    .extension()
                    .map_or("other".to_string(), |x| x.to_string_lossy().into_owned());
                *out.entry(kind).or_insert(0) +=
                    argonctl::engine::store::local::occupied(&m) as i64;
            }
        }
    }
    walk(p, &mut out);
    out
}

/// Bytes of chunk packs (the data itself, without logs and refs).
fn pack_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pack"))
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

fn load(engine: &Engine, name: &str, n: u64) -> (Project, f64) {
    let p = engine.create_project(name, "bench").unwrap();
    let t = Instant::now();
    p.import(
        "main",
        "customers",
        false,
        (0..n).map(|i| Ok(customer(1, i))),
        &|_| {},
    )
    .unwrap();
    (p, t.elapsed().as_secs_f64())
}

fn branch_create_us(p: &Project, runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|i| {
            let t = Instant::now();
            p.create_branch(&format!("b{i}"), "main").unwrap();
            t.elapsed()
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let big = arg("--docs", 1_000_000);
    let small = arg("--small", 10_000);
    let skip_history = args.iter().any(|a| a == "--skip-history");
    // Stop after the storage-growth section (for iterating on the format).
    let growth_only = args.iter().any(|a| a == "--growth-only");
    let tmp = tempfile::tempdir().unwrap();
    let engine = Engine::open(tmp.path()).unwrap();
    let mut out = serde_json::Map::new();

    // Generator alone, so the load rate can be read net of it.
    let t = Instant::now();
    let mut bytes = 0usize;
    for i in 0..100_000 {
        bytes += customer(1, i).to_vec().unwrap().len();
    }
    let gen_rate = 100_000.0 / t.elapsed().as_secs_f64();
    out.insert(
        "generator".into(),
        json!({"docs_per_s": gen_rate.round(), "avg_doc_bytes": bytes / 100_000}),
    );

    progress(&out);
    // 1. Bulk load (first, so peak RSS is the load's).
    let (p_big, secs) = load(&engine, "big", big);
    out.insert(
        "bulk_load".into(),
        json!({
            "docs": big, "seconds": secs, "docs_per_s": (big as f64 / secs).round(),
            "peak_rss_mb": peak_rss_mb(),
            "store_bytes": dir_size(&tmp.path().join("projects/big")),
        }),
    );
    eprintln!("bulk load done: {:?}", out["bulk_load"]);

    progress(&out);
    // 2. Branch creation at both sizes, side by side.
    let (p_small, _) = load(&engine, "small", small);
    let mut big_runs = Vec::new();
    let mut small_runs = Vec::new();
    for round in 0..5 {
        let _ = round;
        small_runs.extend(branch_create_us(&p_small, 40).into_iter().skip(2));
        big_runs.extend(branch_create_us(&p_big, 40).into_iter().skip(2));
        for i in 0..40 {
            p_small.delete_branch(&format!("b{i}")).unwrap();
            p_big.delete_branch(&format!("b{i}")).unwrap();
        }
    }
    let (s50, b50) = (percentile(small_runs, 0.5), percentile(big_runs, 0.5));
    out.insert("branch_create".into(), json!({
        "p50_us_small": s50, "p50_us_big": b50, "small_docs": small, "big_docs": big, "ratio_big_over_small": b50 / s50,
    }));

    progress(&out);
    // 3. Point reads by _id, warm (a first pass loads the node cache).
    let view = p_big.branch_view("main").unwrap();
    let ns = p_big.nodes();
    let mut rng = Rng::new(9);
    let ids: Vec<Bson> = (0..20_000)
        .map(|_| customer(1, rng.below(big)).get("_id").cloned().unwrap())
        .collect();
    for id in &ids {
        assert!(view.get_raw(ns, "customers", id).unwrap().is_some());
    }
    let mut reads = Vec::with_capacity(ids.len());
    for id in &ids {
        let t = Instant::now();
        let d = view.get_raw(ns, "customers", id).unwrap();
        reads.push(t.elapsed());
        assert!(d.is_some());
    }
    out.insert("point_read".into(), json!({"docs": big, "p50_us": percentile(reads.clone(), 0.5), "p99_us": percentile(reads, 0.99)}));

    progress(&out);
    // 4. A 1%-changed branch: store growth (random and clustered changes).
    for (label, clustered) in [("random", false), ("clustered", true)] {
        let big_dir = tmp.path().join("projects/big");
        let before = dir_size(&big_dir);
        let parts_before = size_by_kind(&big_dir);
        let b = format!("one-percent-{label}");
        p_big.create_branch(&b, "main").unwrap();
        let n = big / 100;
        let mut rng = Rng::new(3);
        let mut batch = Vec::new();
        for k in 0..n {
            let i = if clustered { k } else { rng.below(big) };
            let mut d = customer(1, i);
            d.insert("visits", -1_i32);
            batch.push(WriteOp::Upsert {
                collection: "customers".into(),
                doc: d,
            });
            if batch.len() == 100 {
                p_big.write(&b, std::mem::take(&mut batch)).unwrap();
            }
        }
        p_big.checkpoint(&b, "bench").unwrap();
        let after = dir_size(&tmp.path().join("projects/big"));
        out.insert(
            format!("branch_1pct_{label}"),
            json!({
                "changed_docs": n, "store_before": before, "store_after": after,
                "growth_pct": 100.0 * (after - before) as f64 / before as f64,
                "growth_by_kind": size_by_kind(&big_dir)
                    .into_iter()
                    .map(|(k, v)| (k.clone(), json!(v - parts_before.get(&k).copied().unwrap_or(0))))
                    .collect::<serde_json::Map<String, serde_json::Value>>(),
            }),
        );
    }

    progress(&out);
    if growth_only {
        println!("{}", serde_json::to_string_pretty(&out).unwrap());
        return;
    }
    // 5. History of 10k single-document updates vs their compressed size.
    if !skip_history {
        let small_dir = tmp.path().join("projects/small");
        let before = dir_size(&small_dir);
        let parts_before = size_by_kind(&small_dir);
        let mut rng = Rng::new(5);
        let mut changed = Vec::new();
        let t = Instant::now();
        for k in 0..10_000u64 {
            let mut d = customer(1, rng.below(small));
            d.insert("visits", k as i32);
            changed.extend(d.to_vec().unwrap());
            p_small
                .write(
                    "main",
                    vec![WriteOp::Upsert {
                        collection: "customers".into(),
                        doc: d,
                    }],
                )
                .unwrap();
        }
        let write_secs = t.elapsed().as_secs_f64();
        p_small.checkpoint("main", "bench").unwrap();
        let after = dir_size(&tmp.path().join("projects/small"));
        let compressed = zstd::bulk::compress(&changed, 3).unwrap().len();
        let parts: serde_json::Map<String, serde_json::Value> = size_by_kind(&small_dir)
            .into_iter()
            .map(|(k, v)| {
                let growth = v - parts_before.get(&k).copied().unwrap_or(0);
                (k, json!(growth))
            })
            .collect();
        out.insert(
            "history_10k_updates".into(),
            json!({
                "store_growth": after - before, "changed_docs_compressed": compressed,
                "ratio": (after - before) as f64 / compressed as f64,
                "growth_by_kind": parts,
                "single_doc_writes_per_s": (10_000.0 / write_secs).round(),
            }),
        );

        // 6. Reading as of a point 500k document writes ago (5000 batches).
        let pt = p_big.branch_view("main").unwrap().lsn();
        let mut rng = Rng::new(11);
        for _ in 0..5000 {
            let batch: Vec<WriteOp> = (0..100)
                .map(|_| {
                    let mut d = customer(1, rng.below(big));
                    d.insert("visits", 7_i32);
                    WriteOp::Upsert {
                        collection: "customers".into(),
                        doc: d,
                    }
                })
                .collect();
            p_big.write("main", batch).unwrap();
        }
        let probe = customer(1, 12345).get("_id").cloned().unwrap();
        let mut tt = Vec::new();
        for _ in 0..20 {
            let lsn = pt;
            let t = Instant::now();
            let v = p_big.view(&format!("main@lsn:{lsn}")).unwrap();
            let d = v.get_raw(p_big.nodes(), "customers", &probe).unwrap();
            tt.push(t.elapsed());
            assert!(d.is_some());
        }
        let mid = p_big.branch_view("main").unwrap().lsn() - 2500;
        let mut tt_mid = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let v = p_big.view(&format!("main@lsn:{mid}")).unwrap();
            let _ = v.get_raw(p_big.nodes(), "customers", &probe).unwrap();
            tt_mid.push(t.elapsed());
        }
        out.insert(
            "time_travel_read".into(),
            json!({
                "writes_ago": 500_000, "batches_ago": 5000, "p50_ms": percentile(tt, 0.5) / 1000.0,
                "mid_history_p50_ms": percentile(tt_mid, 0.5) / 1000.0,
            }),
        );
    }

    progress(&out);
    // 7. Diff of 100 changed documents, 1M vs 10k, side by side.
    let diff_time = |p: &Project, branch: &str, n: u64| -> f64 {
        p.create_branch(branch, "main").unwrap();
        let mut rng = Rng::new(21);
        let ops: Vec<WriteOp> = (0..100)
            .map(|_| {
                let mut d = customer(1, rng.below(n));
                d.insert("tier", "diffed");
                WriteOp::Upsert {
                    collection: "customers".into(),
                    doc: d,
                }
            })
            .collect();
        p.write(branch, ops).unwrap();
        p.checkpoint(branch, "bench").unwrap();
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let changed = diff_all(p, "main", branch);
            times.push(t.elapsed());
            assert!((90..=100).contains(&changed), "{changed}");
        }
        percentile(times, 0.5) / 1000.0
    };
    let d_small = diff_time(&p_small, "diff100", small);
    let d_big = diff_time(&p_big, "diff100", big);
    out.insert("diff_100_changes".into(), json!({"p50_ms_big": d_big, "p50_ms_small": d_small, "ratio_big_over_small": d_big / d_small}));

    progress(&out);
    // 8. Three-way merge: 10k changed documents per side, 1k overlapping,
    //    100 of them real conflicts (same field, different values).
    let side = |p: &Project, branch: &str, range: std::ops::Range<u64>, field: &str| {
        p.create_branch(branch, "main").unwrap();
        let mut batch = Vec::new();
        for i in range {
            let mut d = customer(1, i);
            let conflict = (9_000..9_100).contains(&i);
            d.insert(
                if conflict { "tier" } else { field },
                format!("{branch}-{i}"),
            );
            batch.push(WriteOp::Upsert {
                collection: "customers".into(),
                doc: d,
            });
            if batch.len() == 500 {
                p.write(branch, std::mem::take(&mut batch)).unwrap();
            }
        }
        p.checkpoint(branch, "bench").unwrap();
    };
    side(&p_big, "left", 0..10_000, "left_field");
    side(&p_big, "right", 9_000..19_000, "right_field");
    let t = Instant::now();
    let r = p_big
        .merge(
            "right",
            "left",
            argonctl::engine::merge::Strategy::Fail,
            false,
        )
        .unwrap();
    let merge_secs = t.elapsed().as_secs_f64();
    assert_eq!(r.conflicts.len(), 100);
    p_big.abort_merge("left").unwrap();
    let t = Instant::now();
    let r2 = p_big
        .merge(
            "right",
            "left",
            argonctl::engine::merge::Strategy::Theirs,
            false,
        )
        .unwrap();
    let apply_secs = t.elapsed().as_secs_f64();
    out.insert(
        "merge_10k_per_side".into(),
        json!({
            "conflicts": r.conflicts.len(), "plan_and_store_conflicts_s": merge_secs,
            "merge_applied_with_theirs_s": apply_secs, "changes_applied": r2.changes.len(),
        }),
    );

    progress(&out);
    // 9. A diff of 100k changes streams: peak memory while diffing.
    let n = 100_000.min(big);
    p_big.create_branch("diff100k", "main").unwrap();
    let mut batch = Vec::new();
    for i in 0..n {
        let mut d = customer(1, i * (big / n));
        d.insert("tier", "streamed");
        batch.push(WriteOp::Upsert {
            collection: "customers".into(),
            doc: d,
        });
        if batch.len() == 1000 {
            p_big.write("diff100k", std::mem::take(&mut batch)).unwrap();
        }
    }
    p_big.checkpoint("diff100k", "bench").unwrap();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = current_rss_mb();
    let t = Instant::now();
    let changed = diff_all(&p_big, "main", "diff100k");
    out.insert(
        "diff_100k_changes".into(),
        json!({
            "changed": changed, "seconds": t.elapsed().as_secs_f64(),
            "rss_before_mb": rss_before, "peak_rss_during_mb": peak_rss_mb(),
        }),
    );

    progress(&out);
    // 10. Do trained zstd dictionaries pay? Leaves vs single documents.
    {
        let rec = p_big
            .branch_view("main")
            .unwrap()
            .catalog()
            .get("customers")
            .unwrap()
            .clone();
        let ns = p_big.nodes();
        let mut leaves: Vec<Vec<u8>> = Vec::new();
        let mut stack = vec![rec.primary];
        while let Some(h) = stack.pop() {
            if leaves.len() >= 2000 {
                break;
            }
            let n = ns.load(&h).unwrap();
            if n.is_leaf() {
                leaves.push(n.bytes().to_vec());
            } else {
                stack.extend((0..n.len()).rev().map(|i| n.child(i)));
            }
        }
        let docs: Vec<Vec<u8>> = (0..2000)
            .map(|i| customer(1, i * 37).to_vec().unwrap())
            .collect();
        let measure = |items: &[Vec<u8>]| -> serde_json::Value {
            let (train, test) = items.split_at(items.len() / 2);
            let dict = zstd::dict::from_samples(train, 64 * 1024).unwrap();
            let mut comp = zstd::bulk::Compressor::with_dictionary(3, &dict).unwrap();
            let raw: usize = test.iter().map(Vec::len).sum();
            let plain: usize = test
                .iter()
                .map(|t| zstd::bulk::compress(t, 3).unwrap().len())
                .sum();
            let with_dict: usize = test.iter().map(|t| comp.compress(t).unwrap().len()).sum();
            json!({"raw": raw, "zstd": plain, "zstd_with_64k_dict": with_dict,
                   "dict_saves_pct": 100.0 * (plain - with_dict) as f64 / plain as f64})
        };
        out.insert(
            "zstd_dictionary".into(),
            json!({"leaf_nodes": measure(&leaves), "single_documents": measure(&docs)}),
        );
    }

    progress(&out);
    // 11. Stored size of the sample datasets vs their raw BSON.
    {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/datasets/mongodb-sample");
        if dir.exists() {
            let p = engine.create_project("samples", "").unwrap();
            let before = pack_size(&tmp.path().join("projects/samples"));
            let mut raw = 0usize;
            for f in argonctl::formats::read::discover(&dir).unwrap() {
                let docs: Vec<bson::Document> = argonctl::formats::read::read_documents(&f)
                    .unwrap()
                    .map(|d| d.unwrap())
                    .collect();
                raw += docs
                    .iter()
                    .map(|d| d.to_vec().unwrap().len())
                    .sum::<usize>();
                p.import(
                    "main",
                    &f.collection,
                    false,
                    docs.into_iter().map(Ok),
                    &|_| {},
                )
                .unwrap();
            }
            let stored = pack_size(&tmp.path().join("projects/samples")) - before;
            out.insert("sample_datasets_storage".into(), json!({"raw_bson": raw, "stored": stored, "fraction_pct": 100.0 * stored as f64 / raw as f64}));
        }
    }

    progress(&out);
    // 12. Secondary index build, for reference.
    let t = Instant::now();
    p_small
        .create_index(
            "main",
            "customers",
            IndexSpec::from_key_document(&bson::doc! {"email": 1}, None, true).unwrap(),
        )
        .unwrap();
    out.insert(
        "unique_index_build_small_s".into(),
        json!(t.elapsed().as_secs_f64()),
    );

    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap()
    );
}

/// Echoes a finished section to stderr so a long run shows progress.
fn progress(out: &serde_json::Map<String, serde_json::Value>) {
    if let Some((k, v)) = out.iter().next_back() {
        eprintln!("{k}: {v}");
    }
}
