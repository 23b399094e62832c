use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError, EXIT_CONFLICTS};
use crate::cli::ui::Ui;
use crate::engine::merge::{MergeReport, MergeStatus, Policy, Strategy};

/// Merge a branch into another with three-way, field-level conflict detection
///
/// Exits 3 when the merge stopped on conflicts; they are kept on the
/// destination until resolved (`argonctl conflicts`) and the merge is
/// continued (`--continue`) or aborted (`--abort`).
#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The branch to merge from
    #[arg(required_unless_present_any = ["continue_", "abort"])]
    pub source: Option<String>,
    /// The branch to merge into (default: the current branch)
    #[arg(long)]
    pub into: Option<String>,
    /// What to do with conflicts
    #[arg(long, value_enum, default_value_t = Strategy::Fail)]
    pub strategy: Strategy,
    /// A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)
    #[arg(long, value_name = "COLLECTION=STRATEGY", value_parser = parse_strategy_for)]
    pub strategy_for: Vec<(String, Strategy)>,
    /// Report what would change and every conflict; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply the in-progress merge once all conflicts are resolved
    #[arg(long = "continue", conflicts_with_all = ["abort", "source"])]
    pub continue_: bool,
    /// Drop the in-progress merge
    #[arg(long, conflicts_with = "source")]
    pub abort: bool,
    /// Resolve conflicts in the terminal UI when the merge stops on them
    /// (exits 0 once committed there, 3 if left unresolved)
    #[arg(short = 'i', long, conflicts_with_all = ["dry_run", "continue_", "abort"])]
    pub interactive: bool,
}

fn parse_strategy_for(s: &str) -> Result<(String, Strategy), String> {
    let (c, st) = s
        .split_once('=')
        .ok_or("expected COLLECTION=fail|ours|theirs")?;
    let st = <Strategy as clap::ValueEnum>::from_str(st, true)
        .map_err(|_| format!("unknown strategy '{st}': use fail, ours or theirs"))?;
    Ok((c.to_string(), st))
}

/// The branch a merge in progress is on, for --continue/--abort/conflicts.
pub fn merge_branch(ctx: &Context, project: &str, given: Option<&str>) -> CmdResult<String> {
    if let Some(b) = given {
        return Ok(b.to_string());
    }
    let in_progress = ctx.backend().merges_in_progress(project)?;
    match in_progress.as_slice() {
        [only] => Ok(only.clone()),
        [] => Err(CommandError::user("no merge is in progress")
            .hint("start one with `argonctl merge SOURCE --into BRANCH`")),
        _ => Err(CommandError::user(format!(
            "merges are in progress on {}",
            in_progress.join(", ")
        ))
        .hint("say which with --into BRANCH")),
    }
}

pub fn report(ui: &Ui, r: &MergeReport) -> CmdResult {
    ui.data(r, || {
        let short = |h: &Option<String>| {
            h.as_deref()
                .map(|h| h[..12.min(h.len())].to_string())
                .unwrap_or_default()
        };
        let prefix = if r.dry_run { "[dry run] " } else { "" };
        let mut out = match r.status {
            MergeStatus::UpToDate => {
                format!("{prefix}{} is up to date with {}", r.destination, r.source)
            }
            MergeStatus::FastForward => format!(
                "{prefix}Fast-forwarded {} to {} ({})",
                r.destination,
                r.source,
                short(&r.commit)
            ),
            MergeStatus::Merged => format!(
                "{prefix}Merged {} into {} ({} document changes){}",
                r.source,
                r.destination,
                r.changes.len(),
                if r.commit.is_some() {
                    format!(", commit {}", short(&r.commit))
                } else {
                    String::new()
                }
            ),
            MergeStatus::Conflicts => format!(
                "{prefix}Merge of {} into {} stopped on {} conflict(s):",
                r.source,
                r.destination,
                r.conflicts.len()
            ),
        };
        if r.dry_run {
            for c in &r.changes {
                out.push_str(&format!("\n  {} {} {}", c.action, c.collection, c.id_value));
            }
        }
        for c in &r.conflicts {
            out.push_str(&format!(
                "\n  {}  {} {{_id: {}}} {}  {}",
                ui.yellow(&c.id),
                c.collection,
                crate::cli::commands::conflicts::show_value(&c.id_value),
                if c.path.is_empty() {
                    "(whole document)".to_string()
                } else {
                    c.path.clone()
                },
                c.kind
            ));
        }
        out
    })?;
    if r.status == MergeStatus::Conflicts && !r.dry_run && !r.source.starts_with("revert ") {
        ui.hint("resolve each with `argonctl conflicts resolve ID --ours|--theirs|--base|--value JSON`, then `argonctl merge --continue`");
    }
    Ok(())
}

pub fn cmd_merge(ctx: &Context, ui: &Ui, args: MergeArgs) -> CmdResult {
    let project = ctx.project()?;
    let b = ctx.backend();
    let explain = |e| ctx.explain(&project, e);
    if args.continue_ {
        let into = merge_branch(ctx, &project, args.into.as_deref())?;
        let r = b.continue_merge(&project, &into).map_err(explain)?;
        return report(ui, &r);
    }
    if args.abort {
        let into = merge_branch(ctx, &project, args.into.as_deref())?;
        b.abort_merge(&project, &into).map_err(explain)?;
        ui.status(&format!(
            "Aborted the merge into {into}; nothing was changed"
        ));
        return Ok(());
    }
    let source = args.source.clone().unwrap_or_default();
    let into = ctx.branch(&project, args.into.as_deref())?;
    if source == into {
        return Err(
            CommandError::usage(format!("cannot merge '{source}' into itself"))
                .hint("name the destination with --into BRANCH"),
        );
    }
    let mut policy = Policy::new(args.strategy);
    policy.collections.extend(args.strategy_for.iter().cloned());
    if args.interactive && !crate::tui::has_terminal() {
        return Err(CommandError::usage("--interactive needs a terminal")
            .hint("resolve conflicts with `argonctl conflicts` instead"));
    }
    let spinner = ui.progress_bar(None, &format!("merging {source} into {into}"));
    let merged = b.merge(&project, &source, &into, &policy, args.dry_run);
    spinner.finish_and_clear();
    let r = match merged {
        // A merge already stopped here: open it.
        Err(crate::engine::Error::MergeInProgress(_)) if args.interactive => {
            return interactive(ctx, ui, &project, &into);
        }
        r => r.map_err(explain)?,
    };
    if args.interactive && r.status == MergeStatus::Conflicts {
        return interactive(ctx, ui, &project, &into);
    }
    report(ui, &r)?;
    if r.status == MergeStatus::Conflicts {
        return Err(CommandError {
            code: EXIT_CONFLICTS,
            message: String::new(),
            hints: vec![],
        });
    }
    Ok(())
}

/// Opens the merge in progress into `into` in the terminal UI; exits as a
/// merge does: 0 once committed there, 3 while conflicts remain.
fn interactive(ctx: &Context, ui: &Ui, project: &str, into: &str) -> CmdResult {
    use crate::tui::app::AppEvent;
    let events = crate::tui::run(
        ctx.backend(),
        crate::tui::local_opener(ctx.data_dir.clone()),
        crate::tui::Start::Merge {
            project: project.to_string(),
            branch: into.to_string(),
        },
        !ui.color,
    )?;
    for e in events.iter().rev() {
        match e {
            AppEvent::MergeCommitted {
                branch, report: r, ..
            } if branch == into => {
                return report(ui, r);
            }
            AppEvent::MergeAborted { branch, .. } if branch == into => {
                ui.status(&format!(
                    "Aborted the merge into {into}; nothing was changed"
                ));
                return Err(CommandError {
                    code: EXIT_CONFLICTS,
                    message: String::new(),
                    hints: vec![],
                });
            }
            _ => {}
        }
    }
    let open = match ctx.backend().merge_state(project, into)? {
        Some(s) => s
            .conflicts
            .iter()
            .filter(|c| c.resolution.is_none())
            .count(),
        None => 0,
    };
    ui.status(&format!(
        "The merge into {into} is still in progress ({open} conflict(s) open)"
    ));
    ui.hint("continue with `argonctl merge --interactive --into BRANCH SOURCE`, `argonctl conflicts`, then `argonctl merge --continue`");
    Err(CommandError {
        code: EXIT_CONFLICTS,
        message: String::new(),
        hints: vec![],
    })
}

/// Undo one commit, or a range A..B, on a branch as a new commit
///
/// Later changes to the same documents conflict: with the default `fail`
/// strategy a conflicting revert applies nothing and exits 3.
#[derive(clap::Args, Debug)]
pub struct RevertArgs {
    /// A commit (or any ref) to undo, or a range A..B to undo B's changes since A
    pub what: String,
    /// Branch to revert on (default: the current branch)
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
    #[arg(long, value_enum, default_value_t = Strategy::Fail)]
    pub strategy: Strategy,
    /// Report what would change; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn cmd_revert(ctx: &Context, ui: &Ui, args: RevertArgs) -> CmdResult {
    let project = ctx.project()?;
    let branch = ctx.branch(&project, args.branch.as_deref())?;
    let r = ctx
        .backend()
        .revert(&project, &branch, &args.what, args.strategy, args.dry_run)
        .map_err(|e| ctx.explain(&project, e))?;
    report(ui, &r)?;
    if r.status == MergeStatus::Conflicts {
        if !r.dry_run {
            ui.hint("nothing was changed; rerun with --strategy ours or --strategy theirs to settle the conflicts");
        }
        return Err(CommandError {
            code: EXIT_CONFLICTS,
            message: String::new(),
            hints: vec![],
        });
    }
    Ok(())
}
