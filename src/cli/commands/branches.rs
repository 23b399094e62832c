use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::{Ui, table};
use crate::engine::project::BranchInfo;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum BranchesCommand {
    /// Create a branch at any point (instant: nothing is copied)
    Create {
        /// New branch name
        name: String,
        /// Where to branch from: a branch, tag, commit, BRANCH@lsn:N or BRANCH@<RFC 3339 time>
        #[arg(long, default_value = None)]
        from: Option<String>,
    },
    /// List branches
    List,
    /// Show one branch
    Show { name: String },
    /// Delete a branch (its history stays reachable from other refs)
    Delete { name: String },
    /// Rename a branch
    Rename { old: String, new: String },
    /// Print a MongoDB connection string for a branch (served by `argonctl serve`)
    Connect {
        name: String,
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        #[arg(long, default_value_t = 27017)]
        port: u16,
    },
    /// Merge a branch into another (same as `argonctl merge`)
    Merge(crate::cli::commands::merge::MergeArgs),
    /// Point a branch at another state (time travel); keep the old head with --backup
    Reset {
        name: String,
        /// The state to reset to (any ref)
        #[arg(long)]
        to: String,
        /// Keep the current head as a new branch with this name
        #[arg(long)]
        backup: Option<String>,
    },
}

fn short(h: &str) -> String {
    h.chars().take(12).collect()
}

pub fn show_branch(ui: &Ui, b: &BranchInfo) -> CmdResult {
    ui.data(b, || {
        format!(
            "Branch:   {}{}\nHead:     {}\nRoot:     {}\nLSN:      {}\nUpdated:  {}\nParent:   {}\nCreated:  {}\nPending:  {} writes not yet checkpointed",
            b.name,
            if b.is_default { " (default)" } else { "" },
            b.head,
            b.root,
            b.lsn,
            b.head_time,
            b.parent.as_deref().unwrap_or("-"),
            b.created_at,
            b.pending_writes
        )
    })?;
    Ok(())
}

pub fn run(ctx: &Context, ui: &Ui, cmd: BranchesCommand) -> CmdResult {
    if let BranchesCommand::Merge(args) = cmd {
        return crate::cli::commands::merge::cmd_merge(ctx, ui, args);
    }
    let project = ctx.project()?;
    let b = ctx.backend();
    let explain = |e| ctx.explain(&project, e);
    match cmd {
        BranchesCommand::Create { name, from } => {
            let from = ctx.branch(&project, from.as_deref())?;
            let info = b.create_branch(&project, &name, &from).map_err(explain)?;
            ui.data(&info, || {
                format!(
                    "Created branch {} from {} at {}",
                    info.name,
                    from,
                    short(&info.head)
                )
            })?;
        }
        BranchesCommand::List => {
            let bs = b.list_branches(&project)?;
            ui.data(&bs, || {
                let rows: Vec<Vec<String>> = bs
                    .iter()
                    .map(|x| {
                        let name = if x.is_default {
                            format!("{} *", x.name)
                        } else {
                            x.name.clone()
                        };
                        vec![
                            name,
                            short(&x.head),
                            x.lsn.to_string(),
                            x.parent.clone().unwrap_or_else(|| "-".into()),
                            x.head_time.clone(),
                        ]
                    })
                    .collect();
                table(&["NAME", "HEAD", "LSN", "PARENT", "UPDATED"], &rows)
            })?;
        }
        BranchesCommand::Show { name } => {
            let info = b.show_branch(&project, &name).map_err(explain)?;
            show_branch(ui, &info)?;
        }
        BranchesCommand::Delete { name } => {
            b.delete_branch(&project, &name).map_err(explain)?;
            ui.status(&format!("Deleted branch {name}"));
        }
        BranchesCommand::Rename { old, new } => {
            b.rename_branch(&project, &old, &new).map_err(explain)?;
            ui.status(&format!("Renamed branch {old} to {new}"));
        }
        BranchesCommand::Reset { name, to, backup } => {
            let info = b
                .reset_branch(&project, &name, &to, backup.as_deref())
                .map_err(explain)?;
            if let Some(bk) = &backup {
                ui.status(&format!("Saved the previous head of {name} as branch {bk}"));
            }
            ui.data(&info, || {
                format!("Reset {} to {} ({})", info.name, to, short(&info.head))
            })?;
        }
        BranchesCommand::Merge(_) => {}
        BranchesCommand::Connect { name, host, port } => {
            let info = b.show_branch(&project, &name).map_err(explain)?;
            let db = if info.is_default {
                project.clone()
            } else {
                format!("{project}@{name}")
            };
            // `@` in the path would read as the end of a user name (drivers
            // and mongosh refuse the URI): percent-encode the database name;
            // drivers decode it back to `project@branch`.
            let uri = format!(
                "mongodb://{host}:{port}/{}?directConnection=true",
                uri_path_escape(&db)
            );
            ui.data(&serde_json::json!({ "uri": uri, "database": db }), || {
                uri.clone()
            })?;
            ui.hint(&format!(
                "start the server with `argonctl serve --port {port}`"
            ));
        }
    }
    Ok(())
}

/// Percent-encodes the characters a MongoDB URI's database path cannot hold
/// as they are.
fn uri_path_escape(db: &str) -> String {
    let mut out = String::with_capacity(db.len());
    for c in db.chars() {
        match c {
            '%' | '@' | '/' | '?' | '#' | ':' | ' ' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
