use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::{Ui, table};

/// Show the current project, branch and its collections
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Branch or ref to show (default: the current branch)
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
}

pub fn cmd_status(ctx: &Context, ui: &Ui, args: StatusArgs) -> CmdResult {
    let project = ctx.project()?;
    let branch = ctx.branch(&project, args.branch.as_deref())?;
    let b = ctx.backend();
    let info = b
        .show_branch(&project, &branch)
        .map_err(|e| ctx.explain(&project, e))?;
    let collections = b.collections(&project, &branch)?;
    #[derive(serde::Serialize)]
    struct Status<'a> {
        project: &'a str,
        data_dir: String,
        branch: &'a crate::engine::project::BranchInfo,
        collections: &'a [crate::backend::CollectionInfo],
    }
    let s = Status {
        project: &project,
        data_dir: ctx.data_dir.display().to_string(),
        branch: &info,
        collections: &collections,
    };
    ui.data(&s, || {
        let mut out = format!(
            "Project {} on branch {} (lsn {}, head {})\nData dir: {}\n",
            ui.bold(&project),
            ui.bold(&branch),
            info.lsn,
            &info.head[..12],
            s.data_dir
        );
        if collections.is_empty() {
            out.push_str("No collections yet.\n");
        } else {
            let rows: Vec<Vec<String>> = collections
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.documents.to_string(),
                        c.indexes.join(", "),
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&table(&["COLLECTION", "DOCUMENTS", "INDEXES"], &rows));
        }
        out
    })?;
    Ok(())
}
