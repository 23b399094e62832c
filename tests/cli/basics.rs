use super::Env;

#[test]
fn overview_and_usage_errors() {
    let env = Env::new();
    let o = env.ok(&[]);
    assert!(o.stdout.contains("Git-style branching for MongoDB data"));
    let o = env.run(&["bogus"]);
    assert_eq!(o.code, 2);
    let o = env.run(&["branches", "list", "--nope"]);
    assert_eq!(o.code, 2);
    let o = env.ok(&["--help"]);
    assert!(
        o.stdout.contains("Exit codes:"),
        "exit codes documented in --help"
    );
    let o = env.ok(&["version", "-o", "json"]);
    assert_eq!(o.json()["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn seed_forms_and_branch_lifecycle() {
    let env = Env::new();
    let o = env.ok(&["projects", "create", "--name", "my-project"]);
    insta::assert_snapshot!(o.render(), @r"
    Created project my-project with branch main
    ----- stderr -----
    Hint: import data with `argonctl import FILE --collection NAME -p my-project`
    ----- exit: 0 -----
    ");
    env.ok(&["branches", "create", "feature-branch", "--from", "main"]);
    let list = env.ok(&["branches", "list", "-o", "json"]).json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["feature-branch", "main"]);
    for key in ["name", "head", "parent", "created_at"] {
        assert!(list[0].get(key).is_some(), "branches list has {key}");
    }
    assert_eq!(list[0]["parent"], "main");
    let show = env
        .ok(&["branches", "show", "feature-branch", "-o", "json"])
        .json();
    assert!(show["root"].as_str().unwrap().len() == 64);
    assert!(show["lsn"].is_u64());

    // writes on the branch do not touch main
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada"}"#,
        "--branch",
        "feature-branch",
    ]);
    assert_eq!(
        env.ok(&["data", "count", "users", "-b", "feature-branch"])
            .stdout
            .trim(),
        "1"
    );
    let o = env.run(&["data", "count", "users", "-b", "main"]);
    assert_eq!(o.code, 1, "main has no users collection: {}", o.render());

    // rename, reset with backup, delete
    env.ok(&["branches", "rename", "feature-branch", "feature"]);
    env.ok(&[
        "branches",
        "reset",
        "feature",
        "--to",
        "main",
        "--backup",
        "feature-old",
    ]);
    assert_eq!(
        env.ok(&["data", "count", "users", "-b", "feature-old"])
            .stdout
            .trim(),
        "1"
    );
    env.ok(&["branches", "delete", "feature-old"]);
    let o = env.run(&["branches", "delete", "main"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("default branch"), "{}", o.stderr);
}

#[test]
fn errors_name_the_fix() {
    let env = Env::new();
    let o = env.run(&["branches", "list"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("projects create"), "{}", o.stderr);
    env.ok(&["projects", "create", "--name", "shop"]);
    env.ok(&["branches", "create", "feature", "--from", "main"]);
    let o = env.run(&["branches", "show", "featur"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("did you mean feature"), "{}", o.stderr);
    let o = env.run(&["branches", "create", "bad name"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("names are"), "{}", o.stderr);
    let o = env.run(&["data", "insert", "c", "{not json"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("invalid document"), "{}", o.stderr);
    let o = env.run(&["projects", "create", "--name", "shop"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("already exists"));
    let o = env.run(&["-p", "shpo", "branches", "list"]);
    assert!(o.stderr.contains("did you mean shop"), "{}", o.stderr);
    let o = env.run(&["projects", "delete", "shop"]);
    assert_eq!(o.code, 2, "delete needs --yes");
    env.ok(&["projects", "delete", "shop", "--yes"]);
    assert_eq!(
        env.ok(&["projects", "list", "-o", "json"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn data_commands_and_time_travel() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    let o = env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada", "age": 36}"#,
        r#"{"_id": 2, "name": "bob", "age": 20}"#,
        "-o",
        "json",
    ]);
    let lsn = o.json()["lsn"].as_u64().unwrap();
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 2, "name": "bob", "age": 21}"#,
    ]);
    env.ok(&["data", "delete", "users", "1"]);
    let o = env.ok(&["data", "find", "users"]);
    assert_eq!(o.stdout, "{\"_id\":2,\"name\":\"bob\",\"age\":21}\n");
    // the state right after the insert
    let at = format!("main@lsn:{lsn}");
    let o = env.ok(&[
        "data",
        "find",
        "users",
        "--at",
        &at,
        "--filter",
        r#"{"age": {"$gt": 30}}"#,
    ]);
    assert_eq!(o.stdout, "{\"_id\":1,\"name\":\"ada\",\"age\":36}\n");
    let o = env.ok(&["data", "get", "users", "2", "--canonical"]);
    assert!(o.stdout.contains("$numberInt"), "{}", o.stdout);
    // a branch from the past
    env.ok(&["branches", "create", "past", "--from", &at]);
    assert_eq!(
        env.ok(&["data", "count", "users", "-b", "past"])
            .stdout
            .trim(),
        "2"
    );
    // duplicate _id: error, nothing written
    let o = env.run(&["data", "insert", "users", r#"{"_id": 5}"#, r#"{"_id": 2}"#]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("E11000"), "{}", o.stderr);
    assert_eq!(env.ok(&["data", "count", "users"]).stdout.trim(), "1");
    // tags and log
    env.ok(&["tags", "create", "v1", "-m", "first release"]);
    let tags = env.ok(&["tags", "list", "-o", "json"]).json();
    assert_eq!(tags[0]["name"], "v1");
    let log = env.ok(&["log", "-o", "json"]).json();
    assert!(log.as_array().unwrap().len() >= 3);
    assert_eq!(
        log.as_array().unwrap().last().unwrap()["message"],
        "create project"
    );
    let status = env.ok(&["status", "-o", "json"]).json();
    assert_eq!(status["collections"][0]["documents"], 1);
}

#[test]
fn use_writes_context_file() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "a"]);
    env.ok(&["projects", "create", "--name", "b"]);
    let o = env.run(&["branches", "list"]);
    assert!(o.stderr.contains("several projects"), "{}", o.stderr);
    env.ok(&["use", "b"]);
    assert!(env.work_dir().join(".argon").exists());
    let o = env.ok(&["status", "-o", "json"]).json();
    assert_eq!(o["project"], "b");
}

#[test]
fn remaining_commands() {
    let env = Env::new();
    env.ok(&[
        "projects",
        "create",
        "--name",
        "p",
        "--description",
        "things",
    ]);
    let show = env.ok(&["projects", "show", "p", "-o", "json"]).json();
    assert_eq!(show["description"], "things");
    assert_eq!(show["default_branch"], "main");
    env.ok(&["data", "insert", "c", r#"{"_id": 1, "v": 1}"#]);
    env.ok(&["tags", "create", "t1"]);
    env.ok(&["data", "replace", "c", r#"{"_id": 1, "v": 2}"#]);
    assert!(
        env.ok(&["data", "get", "c", "1", "--at", "t1"])
            .stdout
            .contains("\"v\":1")
    );
    env.ok(&["tags", "delete", "t1"]);
    assert_eq!(env.run(&["tags", "delete", "t1"]).code, 1);
    // revert the last change, then see the data back
    let log = env.ok(&["log", "-o", "json"]).json();
    let last = log[0]["commit"].as_str().unwrap().to_string();
    let r = env.ok(&["revert", &last[..12], "-o", "json"]).json();
    assert_eq!(r["status"], "merged");
    assert!(
        env.ok(&["data", "get", "c", "1"])
            .stdout
            .contains("\"v\":1")
    );
    // gc: dry run frees nothing; a real run keeps everything readable
    env.ok(&["branches", "create", "tmp"]);
    env.ok(&["data", "insert", "c", r#"{"_id": 2}"#, "-b", "tmp"]);
    env.ok(&["branches", "delete", "tmp"]);
    let dry = env.ok(&["gc", "--dry-run", "-o", "json"]).json();
    assert!(
        dry["bytes_freed"].as_u64().unwrap() > 0,
        "the deleted branch's data is garbage: {dry}"
    );
    let real = env.ok(&["gc", "-o", "json"]).json();
    assert_eq!(real["bytes_freed"], dry["bytes_freed"]);
    assert_eq!(
        env.ok(&["gc", "--dry-run", "-o", "json"]).json()["bytes_freed"],
        0
    );
    assert_eq!(env.ok(&["data", "count", "c"]).stdout.trim(), "1");
    env.ok(&["log"]);
    // completions and man pages
    assert!(env.ok(&["completion", "bash"]).stdout.contains("argonctl"));
    assert!(env.ok(&["man"]).stdout.contains(".TH argonctl"));
    // yaml output
    assert!(
        env.ok(&["branches", "list", "-o", "yaml"])
            .stdout
            .starts_with("- name: main")
    );
}

#[test]
fn merge_strategy_per_collection() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "p"]);
    env.ok(&["data", "insert", "a", r#"{"_id": 1, "v": 1}"#]);
    env.ok(&["data", "insert", "b", r#"{"_id": 1, "v": 1}"#]);
    env.ok(&["branches", "create", "f"]);
    for (branch, v) in [("main", 2), ("f", 3)] {
        for c in ["a", "b"] {
            env.ok(&[
                "data",
                "replace",
                c,
                &format!(r#"{{"_id": 1, "v": {v}}}"#),
                "-b",
                branch,
            ]);
        }
    }
    let o = env.run(&[
        "merge",
        "f",
        "--into",
        "main",
        "--strategy-for",
        "a=theirs",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(o.code, 3);
    assert_eq!(o.json()["conflicts"].as_array().unwrap().len(), 1);
    let o = env.run(&["merge", "f", "--strategy-for", "a=bogus"]);
    assert_eq!(o.code, 2);
    env.ok(&[
        "merge",
        "f",
        "--into",
        "main",
        "--strategy-for",
        "a=theirs",
        "--strategy",
        "ours",
    ]);
    assert!(
        env.ok(&["data", "get", "a", "1"])
            .stdout
            .contains("\"v\":3")
    );
    assert!(
        env.ok(&["data", "get", "b", "1"])
            .stdout
            .contains("\"v\":2")
    );
}

#[test]
fn snapshots_of_human_output() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada", "addr": {"city": "London"}}"#,
        r#"{"_id": 2, "name": "bob"}"#,
    ]);
    env.ok(&["branches", "create", "feature", "--from", "main"]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 1, "name": "ada", "addr": {"city": "Paris"}}"#,
        "-b",
        "feature",
    ]);
    env.ok(&["data", "delete", "users", "2", "-b", "feature"]);
    insta::assert_snapshot!("branches_list", env.run(&["branches", "list"]).render());
    insta::assert_snapshot!("diff_text", env.run(&["diff", "feature"]).render());
    insta::assert_snapshot!(
        "diff_stat",
        env.run(&["diff", "feature", "--stat"]).render()
    );
    insta::assert_snapshot!("log", env.run(&["log", "feature"]).render());
    insta::assert_snapshot!("unknown_branch", env.run(&["diff", "featur"]).render());
}
