//! The `argonctl` command line: clap definitions, dispatch, exit codes.

pub mod commands;
pub mod context;
pub mod error;
pub mod ui;

use clap::{CommandFactory, Parser, Subcommand};
use commands::*;
use context::Context;
use error::{CmdResult, CommandError, EXIT_USAGE};
use std::path::PathBuf;
use ui::{OutputFormat, Ui};

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  error (the message says what failed and what to try)
  2  usage error (unknown command or flag, bad argument)
  3  merge stopped on conflicts (resolve with `argonctl conflicts`)";

/// Git-style branching for MongoDB data
#[derive(Parser, Debug)]
#[command(
    name = "argonctl",
    version,
    about = "Git-style branching for MongoDB data: instant branches, document-level diff, three-way merge, time travel",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Data directory of the embedded engine
    #[arg(long, global = true, env = "ARGON_HOME", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Project to work on (default: from .argon, or the only project)
    #[arg(
        short = 'p',
        long,
        global = true,
        env = "ARGON_PROJECT",
        value_name = "NAME"
    )]
    pub project: Option<String>,
    /// Output format of data on stdout
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Never color output (NO_COLOR is respected too)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Print only data: no status lines, hints or progress
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, list, show and delete projects (one MongoDB database each)
    #[command(subcommand)]
    Projects(projects::ProjectsCommand),
    /// Create, list, merge, reset, rename and delete branches
    #[command(subcommand)]
    Branches(branches::BranchesCommand),
    /// Merge a branch into another (three-way, field-level)
    Merge(merge::MergeArgs),
    /// Undo a commit or a range of changes as a new commit
    Revert(merge::RevertArgs),
    /// List, show and resolve the conflicts of a merge in progress
    #[command(subcommand)]
    Conflicts(conflicts::ConflictsCommand),
    /// Show document-level changes between two points
    Diff(diff::DiffArgs),
    /// Show the history of a branch or any point
    Log(log::LogArgs),
    /// Create, list and delete tags (immutable names for points)
    #[command(subcommand)]
    Tags(tags::TagsCommand),
    /// Import documents from Extended JSON, NDJSON, JSON arrays or .bson files
    Import(import::ImportArgs),
    /// Export a point's collections as Extended JSON or BSON files
    Export(export::ExportArgs),
    /// Read and write documents (for scripts and quick looks)
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Remove data no branch, tag or the retention window needs
    Gc(gc::GcArgs),
    /// Show the current project, branch and its collections
    Status(status::StatusArgs),
    /// Serve every branch to unmodified MongoDB drivers
    Serve(serve::ServeArgs),
    /// Build a demo project: import, branch, diff and merge in seconds
    Demo(demo::DemoArgs),
    /// Open the terminal UI: branches, history, diffs and merge conflicts
    Tui(tui::TuiArgs),
    /// Set this directory's default project and branch (writes .argon)
    Use(use_ctx::UseArgs),
    /// Print version information
    Version,
    /// Print a shell completion script
    Completion(completion::CompletionArgs),
    /// Print the man page (or write all pages to a directory)
    Man(completion::ManArgs),
    /// Internal commands for tests and diagnostics
    #[command(subcommand, hide = true)]
    Debug(debug::DebugCommand),
}

/// Runs the CLI; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let ui = Ui::new(cli.global.output, cli.global.no_color, cli.global.quiet);
    match run(cli, &ui) {
        Ok(()) => 0,
        Err(e) => report(&ui, e),
    }
}

fn report(ui: &Ui, e: CommandError) -> i32 {
    if e.message.is_empty() {
        return e.code;
    }
    eprintln!("{} {}", ui.red("error:"), e.message);
    for h in &e.hints {
        ui.hint(h);
    }
    e.code
}

fn run(cli: Cli, ui: &Ui) -> CmdResult {
    let Some(command) = cli.command else {
        print_overview(ui);
        return Ok(());
    };
    match command {
        Command::Version => return version(ui),
        Command::Completion(args) => return completion::cmd_completion(args),
        Command::Man(args) => return completion::cmd_man(args),
        _ => {}
    }
    let ctx = Context::new(cli.global.data_dir.clone(), cli.global.project.clone())?;
    match command {
        Command::Projects(c) => projects::run(&ctx, ui, c),
        Command::Branches(c) => branches::run(&ctx, ui, c),
        Command::Merge(a) => merge::cmd_merge(&ctx, ui, a),
        Command::Conflicts(c) => conflicts::run(&ctx, ui, c),
        Command::Revert(a) => merge::cmd_revert(&ctx, ui, a),
        Command::Diff(a) => diff::cmd_diff(&ctx, ui, a),
        Command::Log(a) => log::cmd_log(&ctx, ui, a),
        Command::Tags(c) => tags::run(&ctx, ui, c),
        Command::Import(a) => import::cmd_import(&ctx, ui, a),
        Command::Export(a) => export::cmd_export(&ctx, ui, a),
        Command::Data(c) => data::run(&ctx, ui, c),
        Command::Gc(a) => gc::cmd_gc(&ctx, ui, a),
        Command::Status(a) => status::cmd_status(&ctx, ui, a),
        Command::Use(a) => use_ctx::cmd_use(&ctx, ui, a),
        Command::Demo(a) => demo::cmd_demo(&ctx, ui, a),
        Command::Serve(a) => serve::cmd_serve(&ctx, ui, a),
        Command::Tui(a) => tui::cmd_tui(&ctx, ui, a),
        Command::Debug(c) => debug::run(&ctx, ui, c),
        Command::Version | Command::Completion(_) | Command::Man(_) => Ok(()),
    }
}

fn version(ui: &Ui) -> CmdResult {
    #[derive(serde::Serialize)]
    struct Version {
        version: &'static str,
        storage_format: u8,
    }
    let v = Version {
        version: env!("CARGO_PKG_VERSION"),
        storage_format: crate::engine::tree::node::NODE_VERSION,
    };
    ui.data(&v, || format!("argonctl {}", v.version))?;
    Ok(())
}

fn print_overview(ui: &Ui) {
    let name = ui.bold("argonctl");
    println!(
        "{name} {} — Git-style branching for MongoDB data\n\n\
         New here? `argonctl demo` builds a project and walks through branch, diff and merge.\n\n\
         Common commands:\n  \
         argonctl projects create --name shop          create a project (a MongoDB database)\n  \
         argonctl import users.json --collection users  load data\n  \
         argonctl branches create feature --from main   branch instantly, whatever the size\n  \
         argonctl data insert users '{{\"name\":\"ada\"}}' --branch feature\n  \
         argonctl log feature                           see history\n  \
         argonctl branches list                         see branches\n\n\
         Run `argonctl --help` for every command, `argonctl COMMAND --help` for details.",
        env!("CARGO_PKG_VERSION")
    );
}

/// The clap command tree (for completions, man pages and their tests).
pub fn command() -> clap::Command {
    Cli::command()
}
