use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::Ui;

/// Show the history of a branch or any point
#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// Branch or ref (default: the current branch)
    pub at: Option<String>,
    /// Show at most this many entries
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
}

pub fn cmd_log(ctx: &Context, ui: &Ui, args: LogArgs) -> CmdResult {
    let project = ctx.project()?;
    let at = ctx.branch(&project, args.at.as_deref())?;
    let entries = ctx
        .backend()
        .log(&project, &at, args.limit)
        .map_err(|e| ctx.explain(&project, e))?;
    ui.data(&entries, || {
        let mut out = String::new();
        for e in &entries {
            let id = match &e.commit {
                Some(c) => ui.yellow(&c[..12.min(c.len())]),
                None => ui.yellow("(live)      "),
            };
            let lsns = if e.lsn_from == e.lsn_to {
                format!("lsn {}", e.lsn_to)
            } else {
                format!("lsn {}..{}", e.lsn_from, e.lsn_to)
            };
            let merge = if e.parents.len() > 1 { " (merge)" } else { "" };
            out.push_str(&format!(
                "{id} {} {} {}{merge}\n    {}\n",
                ui.dim(&e.time),
                ui.dim(&lsns),
                ui.dim(&e.author),
                e.message
            ));
        }
        out
    })?;
    Ok(())
}
