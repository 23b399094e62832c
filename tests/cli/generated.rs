//! completions/ and man/ are generated from the clap definitions and
//! committed; this fails when they are stale. Regenerate with
//! `scripts/gen-docs`.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        (clap_complete::Shell::Bash, "argonctl.bash"),
        (clap_complete::Shell::Zsh, "_argonctl"),
        (clap_complete::Shell::Fish, "argonctl.fish"),
        (clap_complete::Shell::PowerShell, "_argonctl.ps1"),
        (clap_complete::Shell::Elvish, "argonctl.elv"),
    ] {
        let mut cmd = argonctl::cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "argonctl", &mut buf);
        let committed = std::fs::read(root().join("completions").join(file)).unwrap_or_default();
        assert!(
            committed == buf,
            "completions/{file} is stale: run scripts/gen-docs"
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(argonctl::cli::command(), dir.path()).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let e = e.unwrap();
        let fresh = std::fs::read(e.path()).unwrap();
        let committed = std::fs::read(root().join("man").join(e.file_name())).unwrap_or_default();
        assert!(
            committed == fresh,
            "man/{} is stale: run scripts/gen-docs",
            e.file_name().to_string_lossy()
        );
        n += 1;
    }
    assert!(n > 10);
}
