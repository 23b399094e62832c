use super::{Env, shared_datasets};
use argonctl::formats::read::{discover, read_documents};
use std::collections::BTreeMap;
use std::path::Path;

/// Every document of every file, as BSON bytes keyed by collection and _id.
fn documents(path: &Path) -> BTreeMap<(String, Vec<u8>), Vec<u8>> {
    let mut out = BTreeMap::new();
    for f in discover(path).unwrap() {
        for d in read_documents(&f).unwrap() {
            let d = d.unwrap();
            let key = argonctl::engine::keys::encode_key(d.get("_id").unwrap());
            out.insert((f.collection.clone(), key), d.to_vec().unwrap());
        }
    }
    out
}

#[test]
fn sample_datasets_round_trip_byte_for_byte() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "s"]);
    let data = shared_datasets();
    env.ok(&["import", data.to_str().unwrap()]);
    let original = documents(&data);
    assert_eq!(original.len(), 3996);
    for format in ["json", "bson", "relaxed"] {
        let out = env.dir.path().join(format!("out-{format}"));
        env.ok(&[
            "export",
            "main",
            "--out",
            out.to_str().unwrap(),
            "--format",
            format,
        ]);
        let exported = documents(&out);
        if format == "relaxed" {
            // Relaxed JSON cannot keep int64s that fit in 32 bits apart.
            assert_eq!(exported.len(), original.len());
            continue;
        }
        assert_eq!(exported.len(), original.len(), "{format}");
        for (k, v) in &original {
            assert!(
                exported.get(k) == Some(v),
                "{format}: document {:?} differs",
                k.0
            );
        }
    }
}

#[test]
fn failed_imports_import_nothing() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "s"]);
    let w = env.work_dir();
    std::fs::write(
        w.join("bad.json"),
        "{\"_id\": 1}\n{\"_id\": 2,\n{\"_id\": 3}\n",
    )
    .unwrap();
    let o = env.run(&["import", "bad.json", "-c", "c"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("bad.json:2:"), "{}", o.stderr);
    assert!(o.stderr.contains("nothing was imported"), "{}", o.stderr);
    std::fs::write(
        w.join("dup.json"),
        "[{\"_id\": 1}, {\"_id\": 2}, {\"_id\": 1}]",
    )
    .unwrap();
    let o = env.run(&["import", "dup.json", "-c", "c"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("E11000"), "{}", o.stderr);
    let st = env.ok(&["status", "-o", "json"]).json();
    assert_eq!(st["collections"], serde_json::json!([]), "nothing imported");
    // upsert mode replaces; a later duplicate in the file wins
    let o = env.ok(&[
        "import", "dup.json", "-c", "c", "--mode", "upsert", "-o", "json",
    ]);
    assert_eq!(o.json()[0]["documents"], 3);
    assert_eq!(env.ok(&["data", "count", "c"]).stdout.trim(), "2");
    // a directory where one file is bad imports no file at all
    let d = w.join("dir");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("a.json"), "{\"_id\": 1}\n").unwrap();
    std::fs::write(d.join("b.json"), "{\"_id\": \n").unwrap();
    assert_eq!(env.run(&["import", "dir"]).code, 1);
    let st = env.ok(&["status", "-o", "json"]).json();
    assert_eq!(st["collections"].as_array().unwrap().len(), 1, "only c");
}

#[test]
fn diff_merge_conflicts_end_to_end() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada", "addr": {"city": "London", "zip": "N1"}}"#,
        r#"{"_id": 2, "name": "bob"}"#,
    ]);
    env.ok(&["branches", "create", "feature-branch", "--from", "main"]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 1, "name": "ada", "addr": {"city": "Paris", "zip": "N1"}}"#,
        r#"{"_id": 2, "name": "robert"}"#,
        "-b",
        "feature-branch",
    ]);
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 3, "name": "cy"}"#,
        "-b",
        "feature-branch",
    ]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 1, "name": "ada", "addr": {"city": "London", "zip": "N2"}}"#,
        r#"{"_id": 2, "name": "bobby"}"#,
    ]);
    let d = env.ok(&["diff", "feature-branch", "-o", "json"]).json();
    assert_eq!(
        d["stats"],
        serde_json::json!({"added": 1, "removed": 0, "modified": 2})
    );
    let c = &d["collections"][0];
    assert_eq!(c["name"], "users");
    assert_eq!(
        c["modified"][0]["changes"][0],
        serde_json::json!({"op": "replace", "path": "addr.city", "from": "London", "to": "Paris"})
    );
    let text = env.ok(&["diff", "feature-branch"]).stdout;
    assert!(
        text.contains("~ modified users {_id: 1}  (addr.city)"),
        "{text}"
    );
    let patch = env
        .ok(&["diff", "main", "feature-branch", "--format", "patch"])
        .stdout;
    assert!(
        patch.lines().count() == 3 && patch.contains("\"/addr/city\""),
        "{patch}"
    );
    let stat = env.ok(&["diff", "feature-branch", "--stat"]).stdout;
    assert!(stat.contains("users       +1     -0       ~2"), "{stat}");
    // dry run changes nothing and lists every conflict
    let o = env.run(&[
        "branches",
        "merge",
        "feature-branch",
        "--into",
        "main",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(o.code, 3, "{}", o.render());
    assert_eq!(o.json()["conflicts"].as_array().unwrap().len(), 1);
    // the seed form
    let o = env.run(&[
        "branches",
        "merge",
        "feature-branch",
        "--into",
        "main",
        "-o",
        "json",
    ]);
    assert_eq!(o.code, 3);
    let m = o.json();
    assert_eq!(m["status"], "conflicts");
    let id = m["conflicts"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(m["conflicts"][0]["path"], "name");
    assert_eq!(
        env.ok(&["conflicts", "list", "-o", "json"]).json()[0]["id"],
        id.as_str()
    );
    assert_eq!(
        env.run(&["merge", "--continue"]).code,
        3,
        "unresolved conflicts keep exit code 3"
    );
    env.ok(&["conflicts", "resolve", &id, "--value", "\"rob\""]);
    let m = env.ok(&["merge", "--continue", "-o", "json"]).json();
    assert_eq!(m["status"], "merged");
    let docs = env.ok(&["data", "find", "users"]).stdout;
    assert_eq!(
        docs,
        "{\"_id\":1,\"name\":\"ada\",\"addr\":{\"city\":\"Paris\",\"zip\":\"N2\"}}\n{\"_id\":2,\"name\":\"rob\"}\n{\"_id\":3,\"name\":\"cy\"}\n"
    );
    let m = env
        .ok(&["merge", "feature-branch", "--into", "main", "-o", "json"])
        .json();
    assert_eq!(m["status"], "up-to-date");
    // abort leaves the destination untouched
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 3, "name": "x"}"#,
        "-b",
        "feature-branch",
    ]);
    env.ok(&["data", "replace", "users", r#"{"_id": 3, "name": "y"}"#]);
    assert_eq!(
        env.run(&["merge", "feature-branch", "--into", "main"]).code,
        3
    );
    env.ok(&["merge", "--abort"]);
    assert!(
        env.ok(&["data", "get", "users", "3"])
            .stdout
            .contains("\"y\"")
    );
}

#[test]
fn demo_runs() {
    let env = Env::new();
    let o = env.ok(&["demo", "--documents", "200"]);
    assert!(o.stderr.contains("merge --continue"), "{}", o.stderr);
    let log = env.ok(&["-p", "demo", "log", "-o", "json"]).json();
    assert!(
        log[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("merge feature into main")
    );
}

#[test]
fn demo_can_run_again_but_protects_other_projects() {
    let env = Env::new();
    env.ok(&["demo", "--documents", "50"]);
    env.ok(&["demo", "--documents", "50"]);
    env.ok(&["projects", "create", "--name", "mine"]);
    let o = env.run(&["demo", "--name", "mine", "--documents", "50"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("not made by the demo"), "{}", o.stderr);
}

#[test]
fn conflicts_show_side_by_side_connect_and_the_argon_alias() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "p"]);
    env.ok(&["data", "insert", "c", r#"{"_id": 1, "v": 1, "w": "x"}"#]);
    env.ok(&["branches", "create", "f"]);
    env.ok(&["data", "replace", "c", r#"{"_id": 1, "v": 2, "w": "x"}"#]);
    env.ok(&[
        "data",
        "replace",
        "c",
        r#"{"_id": 1, "v": 3, "w": "y"}"#,
        "-b",
        "f",
    ]);
    let sbs = env
        .ok(&["diff", "main", "f", "--format", "side-by-side"])
        .stdout;
    assert!(sbs.contains(" | ") && sbs.contains('>'), "{sbs}");
    assert_eq!(env.run(&["merge", "f"]).code, 3);
    let list = env.ok(&["conflicts", "list", "-o", "json"]).json();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let show = env.ok(&["conflicts", "show", &id]).stdout;
    assert!(
        show.contains("Base:     1") && show.contains("Ours:    2") && show.contains("Theirs:  3"),
        "{show}"
    );
    env.ok(&["conflicts", "resolve", &id, "--base"]);
    env.ok(&["merge", "--continue"]);
    assert_eq!(
        env.ok(&["data", "get", "c", "1"]).stdout.trim(),
        r#"{"_id":1,"v":1,"w":"y"}"#
    );
    let uri = env
        .ok(&["branches", "connect", "f", "--port", "4242"])
        .stdout;
    assert_eq!(
        uri.trim(),
        "mongodb://127.0.0.1:4242/p%40f?directConnection=true"
    );
    let argon = std::process::Command::new(assert_cmd::cargo::cargo_bin("argon"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&argon.stdout).starts_with("argonctl "));
}

#[test]
fn diff_of_a_new_branch_shows_only_its_own_changes() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    env.ok(&["data", "insert", "users", r#"{"_id": 1, "name": "ada"}"#]);
    env.ok(&["branches", "create", "f1", "--from", "main"]);
    env.ok(&["data", "replace", "users", r#"{"_id": 1, "name": "bob"}"#]);
    env.ok(&["branches", "create", "f2", "--from", "main"]);
    // f2 forked after main's change: it changed nothing itself.
    let d = env.ok(&["diff", "f2", "-o", "json"]).json();
    assert_eq!(
        d["stats"],
        serde_json::json!({"added": 0, "removed": 0, "modified": 0})
    );
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 2, "name": "cy"}"#,
        "-b",
        "f2",
    ]);
    let d = env.ok(&["diff", "f2", "-o", "json"]).json();
    assert_eq!(
        d["stats"],
        serde_json::json!({"added": 1, "removed": 0, "modified": 0})
    );
    // f1 forked before: main's later change is not f1's.
    let d = env.ok(&["diff", "f1", "-o", "json"]).json();
    assert_eq!(
        d["stats"],
        serde_json::json!({"added": 0, "removed": 0, "modified": 0})
    );
}
