use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::Ui;

/// Remove data that no branch, tag or the retention window needs
#[derive(clap::Args, Debug)]
pub struct GcArgs {
    /// Report what would be freed without deleting anything
    #[arg(long)]
    pub dry_run: bool,
}

pub fn cmd_gc(ctx: &Context, ui: &Ui, args: GcArgs) -> CmdResult {
    let project = ctx.project()?;
    let spinner = ui.progress_bar(None, "collecting garbage");
    let r = ctx.backend().gc(&project, args.dry_run)?;
    spinner.finish_and_clear();
    ui.data(&r, || {
        let verb = if r.dry_run { "would free" } else { "freed" };
        format!(
            "{} {} bytes ({} of {} chunks are live, {} bytes stored; {} bytes of write-log history past retention)",
            if r.dry_run { "gc --dry-run:" } else { "gc:" },
            format_args!("{verb} {}", r.bytes_freed + r.history_bytes_freed),
            r.chunks_live,
            r.chunks_total,
            r.bytes_total,
            r.history_bytes_freed
        )
    })?;
    Ok(())
}
