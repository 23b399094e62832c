use crate::cli::context::{Context, ContextFile, write_context_file};
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;

/// Set this directory's default project and branch (writes .argon)
#[derive(clap::Args, Debug)]
pub struct UseArgs {
    /// Project to use here
    pub project: String,
    /// Branch to use here (default: the project's default branch)
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
}

pub fn cmd_use(ctx: &Context, ui: &Ui, args: UseArgs) -> CmdResult {
    let b = ctx.backend();
    b.show_project(&args.project)?;
    if let Some(br) = &args.branch {
        b.show_branch(&args.project, br)
            .map_err(|e| ctx.explain(&args.project, e))?;
    }
    let dir = std::env::current_dir()
        .map_err(|e| CommandError::user(format!("no working directory: {e}")))?;
    let path = write_context_file(
        &dir,
        &ContextFile {
            project: args.project.clone(),
            branch: args.branch.clone(),
        },
    )?;
    ui.status(&format!(
        "Using project {}{} in {}",
        args.project,
        args.branch
            .as_deref()
            .map(|b| format!(" branch {b}"))
            .unwrap_or_default(),
        path.display()
    ));
    Ok(())
}
