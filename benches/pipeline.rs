//! Query and aggregation benchmarks (issue 12's figures), printed as JSON.
//!
//! `cargo bench --bench pipeline -- [--docs N] [--runs N]`
//!
//! In-process, through the db layer every entry point calls
//! ([`Snapshot`]), over N synthetic documents (`src/synth.rs`) stored in a
//! project: each figure includes reading and decoding the documents from
//! the store. Medians of `--runs` runs, all measured in one run.

use argonctl::db::find::{Find, FindOptions};
use argonctl::db::snapshot::Snapshot;
use argonctl::engine::catalog::IndexSpec;
use argonctl::engine::{Engine, Project};
use argonctl::synth::customer;
use bson::{Bson, Document, bson, doc};
use serde_json::json;
use std::time::Instant;

fn rss_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pipeline(v: Bson) -> Vec<Bson> {
    match v {
        Bson::Array(a) => a,
        _ => unreachable!("pipelines are arrays"),
    }
}

/// Seconds of each of `runs` runs of an aggregation, and its output size.
fn time_aggregate(p: &Project, stages: &[Bson], runs: usize) -> (Vec<f64>, usize) {
    let mut secs = Vec::new();
    let mut n = 0;
    for _ in 0..runs {
        let snap = Snapshot::at(p, "main").unwrap();
        let t = Instant::now();
        let out = snap
            .aggregate("customers", stages, &Document::new(), None)
            .unwrap();
        secs.push(t.elapsed().as_secs_f64());
        n = out.len();
    }
    (secs, n)
}

fn time_find(p: &Project, q: &FindOptions, runs: usize) -> (Vec<f64>, usize) {
    let find = Find::parse(q).unwrap();
    let mut secs = Vec::new();
    let mut n = 0;
    for _ in 0..runs {
        let snap = Snapshot::at(p, "main").unwrap();
        let t = Instant::now();
        n = 0;
        snap.find("customers", &find, &mut |d| {
            std::hint::black_box(d);
            n += 1;
            Ok(())
        })
        .unwrap();
        secs.push(t.elapsed().as_secs_f64());
    }
    (secs, n)
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
    let docs = arg("--docs", 1_000_000);
    let runs = arg("--runs", 3) as usize;
    let tmp = tempfile::tempdir().unwrap();
    let engine = Engine::open(tmp.path()).unwrap();
    let p = engine.create_project("bench", "pipeline bench").unwrap();
    let t = Instant::now();
    p.import(
        "main",
        "customers",
        false,
        (0..docs).map(|i| Ok(customer(1, i))),
        &|_| {},
    )
    .unwrap();
    p.create_index(
        "main",
        "customers",
        IndexSpec::from_key_document(&doc! {"visits": 1}, None, false).unwrap(),
    )
    .unwrap();
    eprintln!(
        "loaded {docs} documents and indexed visits in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let mut out = serde_json::Map::new();
    out.insert("documents".into(), json!(docs));
    let mut record = |name: &str, (secs, n): (Vec<f64>, usize), target: &str| {
        let m = median(secs);
        let v = json!({
            "median_s": (m * 1e4).round() / 1e4,
            "docs_per_s": (docs as f64 / m).round(),
            "output_docs": n,
            "target": target,
        });
        eprintln!("{name}: {v}");
        out.insert(name.into(), v);
    };

    // A scan with no stages: the floor every pipeline below pays.
    record(
        "scan_only",
        time_aggregate(&p, &pipeline(bson!([{"$match": {}}])), runs),
        "-",
    );
    let group3 = pipeline(bson!([
        {"$match": {"active": true}},
        {"$project": {
            "tier": 1,
            "twice": {"$multiply": ["$visits", 2]},
            "city": {"$toUpper": "$address.city"},
            "year": {"$year": "$joined"},
        }},
        {"$group": {
            "_id": "$tier",
            "n": {"$sum": 1},
            "avg": {"$avg": "$twice"},
            "latest": {"$max": "$year"},
        }},
    ]));
    record(
        "match_project3_group3",
        time_aggregate(&p, &group3, runs),
        ">= 1M docs/s",
    );
    let topk = pipeline(bson!([{"$sort": {"score": -1}}, {"$limit": 10}]));
    record(
        "sort_unindexed_limit10",
        time_aggregate(&p, &topk, runs),
        "<= 0.5 s",
    );
    let window = pipeline(bson!([{"$setWindowFields": {
        "sortBy": {"_id": 1},
        "output": {"running": {"$sum": "$visits", "window": {"documents": ["unbounded", "current"]}}},
    }}]));
    record(
        "set_window_fields_running_sum",
        time_aggregate(&p, &window, runs),
        "<= 2 s",
    );
    let range = FindOptions {
        filter: doc! {"visits": {"$gte": 2500, "$lt": 2600}},
        sort: doc! {"visits": 1},
        limit: Some(10),
        ..Default::default()
    };
    record(
        "indexed_range_sort_limit10",
        time_find(&p, &range, runs.max(5)),
        "<= 1 ms",
    );
    let eq = FindOptions {
        filter: doc! {"visits": 2500},
        limit: Some(10),
        ..Default::default()
    };
    record(
        "indexed_equality_limit10",
        time_find(&p, &eq, runs.max(5)),
        "-",
    );

    let whole_run = rss_mb("VmHWM:");
    // Last, with the peak reset (Linux: clear_refs 5), so the peak RSS
    // is this stage's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = rss_mb("VmHWM:");
    let distinct =
        pipeline(bson!([{"$group": {"_id": "$email", "n": {"$sum": 1}}}, {"$count": "keys"}]));
    record(
        "group_1m_distinct_keys",
        time_aggregate(&p, &distinct, 1),
        "peak RSS < 300 MB",
    );
    out.insert(
        "peak_rss_mb".into(),
        json!({"whole_run_before_reset": whole_run, "at_reset": before, "distinct_group_peak": rss_mb("VmHWM:")}),
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap()
    );
}
