use crate::cli::error::{CmdResult, CommandError};
use std::path::PathBuf;

/// Print a shell completion script
#[derive(clap::Args, Debug)]
pub struct CompletionArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page (or write all pages to a directory)
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write one page per command into this directory
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

pub fn cmd_completion(args: CompletionArgs) -> CmdResult {
    let mut cmd = crate::cli::command();
    clap_complete::generate(args.shell, &mut cmd, "argonctl", &mut std::io::stdout());
    Ok(())
}

pub fn cmd_man(args: ManArgs) -> CmdResult {
    let cmd = crate::cli::command();
    match args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)?;
            clap_mangen::generate_to(cmd, &dir)
                .map_err(|e| CommandError::user(format!("cannot write man pages: {e}")))?;
        }
        None => {
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        }
    }
    Ok(())
}
