//! End-to-end tests of the `argonctl` binary in a sealed environment:
//! cleared env, a temp data dir, a fixed clock and author.

mod basics;
mod data_query;
mod durability;
mod generated;
mod import_export;
mod rust_driver;
mod tui;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// stdout, a stderr section and the exit status, for snapshots.
    pub fn render(&self) -> String {
        format!(
            "{}\n----- stderr -----\n{}\n----- exit: {} -----",
            self.stdout.trim_end(),
            self.stderr.trim_end(),
            self.code
        )
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn work_dir(&self) -> PathBuf {
        let p = self.dir.path().join("work");
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("argonctl").unwrap();
        c.env_clear()
            .env("ARGON_HOME", self.data_dir())
            .env("ARGON_TEST_NOW", "2026-11-25T10:00:00Z")
            .env("ARGON_AUTHOR", "tester")
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .current_dir(self.work_dir());
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_in(args, None)
    }

    pub fn run_in(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut c = self.cmd();
        c.args(args);
        if let Some(s) = stdin {
            c.write_stdin(s.to_string());
        }
        let o = c.output().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs and asserts success.
    pub fn ok(&self, args: &[&str]) -> Out {
        let o = self.run(args);
        assert_eq!(o.code, 0, "argonctl {args:?} failed:\n{}", o.render());
        o
    }
}

pub fn shared_datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/mongodb-sample")
}
