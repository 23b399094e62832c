//! An acknowledged write survives `kill -9` of the writer.

use super::Env;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn acknowledged_writes_survive_kill_9() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "d"]);
    for round in 0..3 {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("argonctl"))
            .env_clear()
            .env("ARGON_HOME", env.data_dir())
            .args([
                "debug",
                "write-loop",
                "--collection",
                "c",
                "--start",
                &(round * 1_000_000).to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut acked = Vec::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let start = Instant::now();
        // Kill at a different moment each round, mid-stream.
        let target = 50 + round * 120;
        while let Some(Ok(line)) = lines.next() {
            if let Some(id) = line.strip_prefix("acked ") {
                acked.push(id.parse::<i64>().unwrap());
            }
            if acked.len() as i64 >= target || start.elapsed() > Duration::from_secs(60) {
                break;
            }
        }
        // SIGKILL: no destructors, no checkpoint on exit.
        child.kill().unwrap();
        child.wait().unwrap();
        // Acks printed before the kill but not read yet are still piped.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("acked ") {
                acked.push(id.parse::<i64>().unwrap());
            }
        }
        assert!(
            acked.len() as i64 >= target,
            "writer acknowledged only {}",
            acked.len()
        );
        for id in [acked[0], acked[acked.len() / 2], *acked.last().unwrap()] {
            let o = env.ok(&["data", "get", "c", &id.to_string(), "-p", "d"]);
            assert!(
                o.stdout.contains(&format!("\"_id\":{id}")),
                "acked write {id} lost"
            );
        }
        let o = env.ok(&[
            "data",
            "count",
            "c",
            "-p",
            "d",
            "--filter",
            &format!(
                r#"{{"_id": {{"$gte": {}, "$lt": {}}}}}"#,
                round * 1_000_000,
                (round + 1) * 1_000_000
            ),
        ]);
        let n: usize = o.stdout.trim().parse().unwrap();
        // everything acknowledged is there; at most the one in flight beyond
        assert!(
            n >= acked.len() && n <= acked.len() + 1,
            "round {round}: {n} stored, {} acked",
            acked.len()
        );
    }
}

#[test]
fn concurrent_writers_in_several_processes_lose_nothing() {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "d"]);
    env.ok(&["branches", "create", "other"]);
    let spawn = |start: i64, branch: &str| {
        Command::new(assert_cmd::cargo::cargo_bin("argonctl"))
            .env_clear()
            .env("ARGON_HOME", env.data_dir())
            .args([
                "-p",
                "d",
                "debug",
                "write-loop",
                "--collection",
                "c",
                "--start",
                &start.to_string(),
                "--count",
                "150",
                "-b",
                branch,
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut children = vec![
        spawn(0, "main"),
        spawn(1000, "main"),
        spawn(2000, "other"),
        spawn(3000, "main"),
    ];
    // Branch operations and reads from yet another process meanwhile.
    for i in 0..5 {
        env.ok(&[
            "-p",
            "d",
            "branches",
            "create",
            &format!("snap{i}"),
            "--from",
            "main",
        ]);
        // The collection may not exist yet: that is an error, not a crash.
        let o = env.run(&["-p", "d", "data", "count", "c"]);
        assert!(
            o.code == 0 || o.stderr.contains("does not exist"),
            "{}",
            o.render()
        );
    }
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(
        env.ok(&["-p", "d", "data", "count", "c"]).stdout.trim(),
        "450"
    );
    assert_eq!(
        env.ok(&["-p", "d", "data", "count", "c", "-b", "other"])
            .stdout
            .trim(),
        "150"
    );
    // every snapshot branch is a consistent prefix of main's writes
    for i in 0..5 {
        let o = env.run(&["-p", "d", "data", "count", "c", "-b", &format!("snap{i}")]);
        let n: usize = if o.code == 0 {
            o.stdout.trim().parse().unwrap()
        } else {
            0
        };
        assert!(n <= 450);
    }
}
