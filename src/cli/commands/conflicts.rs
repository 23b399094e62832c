use crate::cli::commands::merge::merge_branch;
use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::{Ui, table};
use crate::engine::merge::Resolution;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum ConflictsCommand {
    /// List the conflicts of the merge in progress
    List {
        /// The branch being merged into (default: the one with a merge in progress)
        #[arg(long)]
        into: Option<String>,
    },
    /// Show one conflict with its base, ours and theirs values
    Show {
        id: String,
        #[arg(long)]
        into: Option<String>,
    },
    /// Resolve one conflict
    Resolve {
        id: String,
        #[arg(long)]
        into: Option<String>,
        /// Keep the destination's value
        #[arg(long, group = "choice")]
        ours: bool,
        /// Take the source's value
        #[arg(long, group = "choice")]
        theirs: bool,
        /// Go back to the merge base's value
        #[arg(long, group = "choice")]
        base: bool,
        /// Use this value (Extended JSON; null removes the field)
        #[arg(long, group = "choice")]
        value: Option<String>,
    },
}

pub fn show_value(v: &serde_json::Value) -> String {
    match bson::Bson::try_from(v.clone()) {
        Ok(b) => b.into_relaxed_extjson().to_string(),
        Err(_) => v.to_string(),
    }
}

fn opt(v: &Option<serde_json::Value>) -> String {
    v.as_ref()
        .map(show_value)
        .unwrap_or_else(|| "(absent)".into())
}

pub fn run(ctx: &Context, ui: &Ui, cmd: ConflictsCommand) -> CmdResult {
    let project = ctx.project()?;
    let b = ctx.backend();
    let explain = |e| ctx.explain(&project, e);
    match cmd {
        ConflictsCommand::List { into } => {
            let into = merge_branch(ctx, &project, into.as_deref())?;
            let state = b.merge_state(&project, &into)?.ok_or_else(|| {
                CommandError::user(format!("no merge is in progress on '{into}'"))
            })?;
            ui.data(&state.conflicts, || {
                let rows: Vec<Vec<String>> = state
                    .conflicts
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.clone(),
                            c.collection.clone(),
                            show_value(&c.id_value),
                            if c.path.is_empty() {
                                "(document)".into()
                            } else {
                                c.path.clone()
                            },
                            c.kind.clone(),
                            match &c.resolution {
                                None => "open".into(),
                                Some(r) => format!("{r:?}").to_lowercase(),
                            },
                        ]
                    })
                    .collect();
                let resolved = state
                    .conflicts
                    .iter()
                    .filter(|c| c.resolution.is_some())
                    .count();
                format!(
                    "Merging {} into {}: {resolved}/{} resolved\n{}",
                    state.source,
                    into,
                    state.conflicts.len(),
                    table(
                        &["ID", "COLLECTION", "_ID", "PATH", "KIND", "STATUS"],
                        &rows
                    )
                )
            })?;
        }
        ConflictsCommand::Show { id, into } => {
            let into = merge_branch(ctx, &project, into.as_deref())?;
            let state = b.merge_state(&project, &into)?.ok_or_else(|| {
                CommandError::user(format!("no merge is in progress on '{into}'"))
            })?;
            let c = state.conflicts.iter().find(|c| c.id == id).ok_or_else(|| {
                CommandError::user(format!("no conflict '{id}'"))
                    .hint("run `argonctl conflicts list`")
            })?;
            ui.data(c, || {
                format!(
                    "Conflict {}  ({})\nDocument: {} {{_id: {}}}\nPath:     {}\nBase:     {}\n{}  {}\n{}  {}",
                    c.id,
                    c.kind,
                    c.collection,
                    show_value(&c.id_value),
                    if c.path.is_empty() { "(whole document)" } else { &c.path },
                    opt(&c.base),
                    ui.red("Ours:  "),
                    opt(&c.ours),
                    ui.green("Theirs:"),
                    opt(&c.theirs)
                )
            })?;
        }
        ConflictsCommand::Resolve {
            id,
            into,
            ours,
            theirs,
            base,
            value,
        } => {
            let into = merge_branch(ctx, &project, into.as_deref())?;
            let resolution = if ours {
                Resolution::Ours
            } else if theirs {
                Resolution::Theirs
            } else if base {
                Resolution::Base
            } else if let Some(v) = value {
                let json: serde_json::Value = serde_json::from_str(&v).map_err(|e| {
                    CommandError::usage(format!("invalid --value {v:?}: {e}")).hint("give Extended JSON, e.g. --value '{\"$numberInt\": \"5\"}' or --value '\"text\"'")
                })?;
                let canonical = bson::Bson::try_from(json)
                    .map_err(|e| CommandError::usage(format!("invalid --value {v:?}: {e}")))?
                    .into_canonical_extjson();
                Resolution::Value {
                    value: (!canonical.is_null()).then_some(canonical),
                }
            } else {
                return Err(CommandError::usage(
                    "say how to resolve: --ours, --theirs, --base or --value JSON",
                ));
            };
            let c = b
                .resolve_conflict(&project, &into, &id, resolution)
                .map_err(explain)?;
            ui.data(&c, || {
                format!(
                    "Resolved conflict {} ({} {})",
                    c.id,
                    c.collection,
                    if c.path.is_empty() {
                        "document"
                    } else {
                        &c.path
                    }
                )
            })?;
            if let Ok(Some(state)) = b.merge_state(&project, &into) {
                let open = state
                    .conflicts
                    .iter()
                    .filter(|c| c.resolution.is_none())
                    .count();
                if open == 0 {
                    ui.hint("all conflicts are resolved: run `argonctl merge --continue`");
                } else {
                    ui.status(&format!("{open} conflict(s) left"));
                }
            }
        }
    }
    Ok(())
}
