//! The terminal UI driven end to end: the real binary in a pseudo-terminal
//! (portable-pty), its screen read back through a terminal emulator
//! (vt100), keys typed as a person would.

use super::Env;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    fn spawn(env: &Env, args: &[&str]) -> Pty {
        Pty::spawn_with(env, args, &[])
    }

    fn spawn_with(env: &Env, args: &[&str], vars: &[(&str, String)]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let bin = assert_cmd::cargo::cargo_bin("argonctl");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("ARGON_HOME", env.data_dir());
        cmd.env("ARGON_TEST_NOW", "2026-11-25T10:00:00Z");
        cmd.env("ARGON_AUTHOR", "tester");
        cmd.env("ARGON_CONFIG", env.dir.path().join("no-config.toml"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.cwd(env.work_dir());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::MIN.saturating_add(23),
            NonZeroU16::MIN.saturating_add(79),
            0,
        )));
        let s = screen.clone();
        std::thread::spawn(move || {
            // Keep the master alive while reading.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => s.lock().unwrap().process(&buf[..n]),
                }
            }
        });
        Pty {
            screen,
            writer,
            child,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the UI did not exit; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A merge of `feature` into `main` with three conflicts, made through the
/// CLI: the same field of three users changed differently on each side.
fn conflicting_project() -> Env {
    let env = Env::new();
    env.ok(&["projects", "create", "--name", "shop"]);
    env.ok(&[
        "data",
        "insert",
        "users",
        r#"{"_id": 1, "name": "ada", "city": "London", "age": 36}"#,
        r#"{"_id": 2, "name": "bob", "city": "Berlin", "age": 40}"#,
        r#"{"_id": 3, "name": "cy", "city": "Oslo", "age": 50}"#,
        r#"{"_id": 4, "name": "dee", "city": "Rome", "age": 60}"#,
    ]);
    env.ok(&["branches", "create", "feature", "--from", "main"]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 1, "name": "Ada (feature)", "city": "London", "age": 36}"#,
        r#"{"_id": 2, "name": "bob", "city": "Paris", "age": 40}"#,
        r#"{"_id": 3, "name": "cy", "city": "Oslo", "age": 51}"#,
        r#"{"_id": 4, "name": "dee", "city": "Rome", "age": 61}"#,
        "--branch",
        "feature",
    ]);
    env.ok(&[
        "data",
        "replace",
        "users",
        r#"{"_id": 1, "name": "Ada (main)", "city": "London", "age": 36}"#,
        r#"{"_id": 2, "name": "bob", "city": "Madrid", "age": 40}"#,
        r#"{"_id": 3, "name": "cy", "city": "Oslo", "age": 52}"#,
        "--branch",
        "main",
    ]);
    env
}

#[test]
fn merge_interactive_resolves_in_the_tui() {
    let env = conflicting_project();
    let mut pty = Pty::spawn(
        &env,
        &["merge", "feature", "--into", "main", "--interactive"],
    );
    pty.wait_for("0/3 resolved");
    pty.send("o"); // users 1: ours (main's name)
    pty.wait_for("1/3 resolved");
    pty.send("t"); // users 2: theirs (feature's city)
    pty.wait_for("2/3 resolved");
    pty.send("e"); // users 3: an edited value, inline
    pty.wait_for("Value for users");
    pty.send("\x15{\"$numberLong\": \"99\"}\r");
    pty.wait_for("3/3 resolved");
    pty.send("c");
    pty.wait_for("Merged feature into main");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "exit code after a committed merge");

    let get = |id: &str| env.ok(&["data", "get", "users", id, "-o", "json"]).json();
    assert_eq!(
        get("1"),
        serde_json::json!({"_id": 1, "name": "Ada (main)", "city": "London", "age": 36})
    );
    assert_eq!(
        get("2"),
        serde_json::json!({"_id": 2, "name": "bob", "city": "Paris", "age": 40})
    );
    assert_eq!(
        get("3"),
        serde_json::json!({"_id": 3, "name": "cy", "city": "Oslo", "age": 99})
    );
    // Exact type of the edited value: Int64.
    let canonical = env
        .ok(&["data", "get", "users", "3", "--canonical", "-o", "json"])
        .json();
    assert_eq!(canonical["age"], serde_json::json!({"$numberLong": "99"}));
    // The change without conflict came along; nothing is left in progress.
    let all = env.ok(&["data", "find", "users", "-o", "json"]).json();
    assert_eq!(all[3]["age"], 61, "{all}");
    let o = env.run(&["conflicts", "list"]);
    assert_eq!(o.code, 1, "{}", o.render());
}

#[test]
fn merge_interactive_left_open_exits_3_and_tui_lands_on_it() {
    let env = conflicting_project();
    // $EDITOR is a script that writes a value into the file it is given.
    let editor = env.dir.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf '\"Lisbon\"' > \"$1\"\n").unwrap();
    let editor_cmd = format!("sh {}", editor.display());
    let mut pty = Pty::spawn_with(
        &env,
        &["merge", "feature", "--into", "main", "-i"],
        &[("EDITOR", editor_cmd)],
    );
    pty.wait_for("0/3 resolved");
    pty.send("t");
    pty.wait_for("1/3 resolved");
    pty.send("E"); // users 2 in $EDITOR
    pty.wait_for("2/3 resolved");
    pty.send("k"); // back up to users 2: the edited value shows
    pty.wait_for("edited value: \"Lisbon\"");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 3);
    // `argonctl tui` opens on the merge in progress; q goes back to the
    // branches, q again quits.
    let mut pty = Pty::spawn(&env, &["tui"]);
    pty.wait_for("2/3 resolved");
    pty.send("q");
    pty.wait_for("BRANCH");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let o = env.ok(&["conflicts", "list", "-o", "json"]).json();
    assert_eq!(o.as_array().unwrap().len(), 3);
    assert_eq!(o[1]["resolution"]["value"], "Lisbon", "{o}");
}
