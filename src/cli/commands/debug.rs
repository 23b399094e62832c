//! Hidden commands for tests and diagnostics.

use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::Ui;
use crate::engine::WriteOp;
use bson::doc;
use clap::Subcommand;
use std::io::Write;

#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// Insert one document per batch forever (or --count times), printing
    /// `acked ID` after each write is durable (crash tests use this)
    WriteLoop {
        #[arg(long)]
        collection: String,
        #[arg(long, default_value_t = 0)]
        start: i64,
        #[arg(long)]
        count: Option<i64>,
        #[arg(long, short = 'b')]
        branch: Option<String>,
    },
}

pub fn run(ctx: &Context, _ui: &Ui, cmd: DebugCommand) -> CmdResult {
    match cmd {
        DebugCommand::WriteLoop {
            collection,
            start,
            count,
            branch,
        } => {
            let project = ctx.project()?;
            let branch = ctx.branch(&project, branch.as_deref())?;
            let mut out = std::io::stdout().lock();
            let mut id = start;
            while count.is_none_or(|c| id < start + c) {
                let op = WriteOp::Insert {
                    collection: collection.clone(),
                    doc: doc! { "_id": id, "payload": "x".repeat(64) },
                };
                ctx.backend().write(&project, &branch, vec![op])?;
                writeln!(out, "acked {id}")?;
                out.flush()?;
                id += 1;
            }
            Ok(())
        }
    }
}
