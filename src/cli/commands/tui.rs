use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::tui::{Start, has_terminal, local_opener, run};

/// Open the terminal UI: branches, history, diffs and merge conflicts
///
/// Opens on the merge in progress when there is one. Keys are listed with
/// `?`; rebind them in the `[keys]` section of $ARGON_CONFIG or
/// ~/.config/argon/config.toml.
#[derive(clap::Args, Debug)]
pub struct TuiArgs {
    /// A branch to start at (its merge in progress, if any), or any other ref to open its log
    #[arg(value_name = "REF")]
    pub reference: Option<String>,
}

pub fn cmd_tui(ctx: &Context, ui: &Ui, args: TuiArgs) -> CmdResult {
    if !has_terminal() {
        return Err(CommandError::user("the terminal UI needs a terminal")
            .hint("run it in an interactive terminal (stdin and stdout)"));
    }
    // One project when it is known (-p, ARGON_PROJECT, .argon, the only
    // one); every project otherwise.
    let project = match ctx.project() {
        Ok(p) => Some(p),
        Err(_) if args.reference.is_none() => None,
        Err(e) => return Err(e.hint("name the project of REF with -p NAME")),
    };
    let start = Start::Home {
        project,
        reference: args.reference,
    };
    run(
        ctx.backend(),
        local_opener(ctx.data_dir.clone()),
        start,
        // On a terminal, the UI's color setting is --no-color and NO_COLOR.
        !ui.color,
    )?;
    Ok(())
}
