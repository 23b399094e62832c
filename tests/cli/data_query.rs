//! `data find` with sort/projection/skip/limit and `data aggregate`, on a
//! branch, a tag and a point in history (`main@lsn:N`), through the db
//! layer the wire server uses.

use super::Env;

fn lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A project `shop` with three users on main, a tag `v1` of that state, a
/// fourth user after it and a branch `dev` where bob is older.
fn shop() -> (Env, u64) {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    let o = env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada", "age": 36, "tags": ["math", "code"]}"#,
        r#"{"_id": 2, "name": "bob", "age": 20, "tags": []}"#,
        r#"{"_id": 3, "name": "cy", "age": 28, "tags": ["code"]}"#,
        "-o",
        "json",
    ]);
    let lsn = o.json()["lsn"].as_u64().unwrap();
    env.ok(&["tags", "create", "v1"]);
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 4, "name": "dee", "age": 51, "tags": ["art"]}"#,
    ]);
    env.ok(&["branches", "create", "dev"]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 2, "name": "bob", "age": 60, "tags": []}"#,
        "-b",
        "dev",
    ]);
    (env, lsn)
}

#[test]
fn find_sorts_projects_skips_and_limits() {
    let (env, _) = shop();
    let o = env.ok(&[
        "data",
        "find",
        "users",
        "--sort",
        r#"{"age": -1}"#,
        "--projection",
        r#"{"_id": 0, "name": 1}"#,
        "--skip",
        "1",
        "--limit",
        "2",
    ]);
    assert_eq!(
        lines(&o.stdout),
        [
            serde_json::json!({"name": "ada"}),
            serde_json::json!({"name": "cy"})
        ]
    );
    // Computed projection fields use the aggregation expression language.
    let o = env.ok(&[
        "data",
        "find",
        "users",
        "-f",
        r#"{"age": {"$lt": 30}}"#,
        "--projection",
        r#"{"n": {"$size": "$tags"}, "up": {"$toUpper": "$name"}}"#,
        "-o",
        "json",
    ]);
    assert_eq!(
        o.json(),
        serde_json::json!([{"_id": 2, "n": 0, "up": "BOB"}, {"_id": 3, "n": 1, "up": "CY"}])
    );
}

#[test]
fn find_reads_a_branch_a_tag_and_a_point_in_history() {
    let (env, lsn) = shop();
    let ages = |args: &[&str]| -> Vec<i64> {
        let mut a = vec![
            "data",
            "find",
            "users",
            "--sort",
            r#"{"age": 1}"#,
            "-o",
            "json",
        ];
        a.extend_from_slice(args);
        env.ok(&a)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["age"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ages(&[]), [20, 28, 36, 51]);
    assert_eq!(ages(&["--at", "dev"]), [28, 36, 51, 60]);
    assert_eq!(ages(&["--at", "v1"]), [20, 28, 36]);
    let at = format!("main@lsn:{lsn}");
    assert_eq!(ages(&["--at", &at]), [20, 28, 36]);
}

#[test]
fn aggregate_runs_a_pipeline_on_any_ref() {
    let (env, lsn) = shop();
    let pipeline = r#"[
        {"$unwind": "$tags"},
        {"$group": {"_id": "$tags", "n": {"$sum": 1}, "oldest": {"$max": "$age"}}},
        {"$sort": {"n": -1, "_id": 1}},
        {"$project": {"tag": "$_id", "_id": 0, "n": 1, "oldest": 1}}
    ]"#;
    let o = env.ok(&["data", "aggregate", "users", pipeline]);
    assert_eq!(
        lines(&o.stdout),
        [
            serde_json::json!({"n": 2, "oldest": 36, "tag": "code"}),
            serde_json::json!({"n": 1, "oldest": 51, "tag": "art"}),
            serde_json::json!({"n": 1, "oldest": 36, "tag": "math"}),
        ]
    );
    let total = |at: &str| {
        let o = env.ok(&[
            "data",
            "aggregate",
            "users",
            r#"[{"$group": {"_id": null, "total": {"$sum": "$age"}}}]"#,
            "--at",
            at,
            "-o",
            "json",
        ]);
        o.json()[0]["total"].as_i64().unwrap()
    };
    assert_eq!(total("main"), 135);
    assert_eq!(total("dev"), 175);
    assert_eq!(total("v1"), 84);
    assert_eq!(total(&format!("main@lsn:{lsn}")), 84);
    // $lookup reads another collection at the same point.
    env.ok(&[
        "data",
        "insert",
        "orders",
        r#"{"_id": 10, "user": 1, "total": 5}"#,
    ]);
    let o = env.ok(&[
        "data",
        "aggregate",
        "orders",
        r#"[{"$lookup": {"from": "users", "localField": "user", "foreignField": "_id", "as": "u"}},
            {"$project": {"name": {"$first": "$u.name"}}}]"#,
        "-o",
        "json",
    ]);
    assert_eq!(o.json(), serde_json::json!([{"_id": 10, "name": "ada"}]));
    // A pipeline from stdin.
    let o = env.run_in(
        &["data", "aggregate", "users", "-", "-o", "json"],
        Some(r#"[{"$count": "n"}]"#),
    );
    assert_eq!(o.code, 0, "{}", o.render());
    assert_eq!(o.json(), serde_json::json!([{"n": 4}]));
}

#[test]
fn bad_queries_and_pipelines_say_what_is_wrong() {
    let (env, _) = shop();
    let o = env.run(&["data", "aggregate", "users", "[{\"$nope\": 1}]"]);
    assert_eq!(o.code, 1, "{}", o.render());
    assert!(
        o.stderr
            .contains("Unrecognized pipeline stage name: '$nope'"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("40324"), "{}", o.stderr);
    let o = env.run(&["data", "aggregate", "users", "{\"$match\": {}}"]);
    assert_eq!(o.code, 2, "{}", o.render());
    assert!(o.stderr.contains("pipeline"), "{}", o.stderr);
    let o = env.run(&["data", "aggregate", "users", "[{\"$out\": \"x\"}]"]);
    assert_eq!(o.code, 2, "{}", o.render());
    assert!(
        o.stderr.contains("$out writes to a collection"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("data insert"), "{}", o.stderr);
    let o = env.run(&["data", "find", "users", "--sort", "{\"age\": 2}"]);
    assert_eq!(o.code, 1, "{}", o.render());
    assert!(o.stderr.contains("sort"), "{}", o.stderr);
    let o = env.run(&[
        "data",
        "find",
        "users",
        "--projection",
        "{\"a\": 1, \"b\": 0}",
    ]);
    assert_eq!(o.code, 1, "{}", o.render());
    assert!(o.stderr.contains("exclusion"), "{}", o.stderr);
    let o = env.run(&["data", "aggregate", "nothing", "[{\"$count\": \"n\"}]"]);
    assert_eq!(
        o.code,
        0,
        "an absent collection aggregates to nothing, as in mongod: {}",
        o.render()
    );
    assert_eq!(o.stdout, "");
}

#[test]
fn data_arguments_take_every_extended_json_form_import_takes() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "x"]);
    // Legacy forms (mongoexport before 4.2) that `import` reads.
    env.ok(&[
        "data",
        "insert",
        "c",
        r#"{"_id": 1, "re": {"$regex": "^a", "$options": "i"}, "bin": {"$binary": "AQI=", "$type": "00"}, "n": {"$numberLong": "5"}}"#,
    ]);
    let o = env.ok(&["data", "get", "c", "1", "--canonical"]);
    let d: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        d["re"],
        serde_json::json!({"$regularExpression": {"pattern": "^a", "options": "i"}})
    );
    assert_eq!(
        d["bin"],
        serde_json::json!({"$binary": {"base64": "AQI=", "subType": "00"}})
    );
    assert_eq!(d["n"], serde_json::json!({"$numberLong": "5"}));
    // ... in filters and pipelines too.
    let o = env.ok(&[
        "data",
        "count",
        "c",
        "-f",
        r#"{"n": {"$numberLong": "5"}}"#,
        "-o",
        "json",
    ]);
    assert_eq!(o.json()["count"], 1);
    let o = env.ok(&[
        "data",
        "aggregate",
        "c",
        r#"[{"$project": {"_id": 0, "t": {"$type": "$bin"}}}]"#,
    ]);
    assert_eq!(o.stdout.trim(), r#"{"t":"binData"}"#);
}
