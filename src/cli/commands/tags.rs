use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::{Ui, table};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum TagsCommand {
    /// Name a point permanently (protected from gc)
    Create {
        name: String,
        /// The point to tag (any ref; default: the current branch)
        #[arg(long)]
        at: Option<String>,
        /// A note stored with the tag
        #[arg(long, short = 'm', default_value = "")]
        message: String,
    },
    /// List tags
    List,
    /// Delete a tag
    Delete { name: String },
}

pub fn run(ctx: &Context, ui: &Ui, cmd: TagsCommand) -> CmdResult {
    let project = ctx.project()?;
    let b = ctx.backend();
    match cmd {
        TagsCommand::Create { name, at, message } => {
            let at = ctx.branch(&project, at.as_deref())?;
            let t = b
                .create_tag(&project, &name, &at, &message)
                .map_err(|e| ctx.explain(&project, e))?;
            ui.data(&t, || {
                format!("Created tag {} at {}", t.name, &t.commit[..12])
            })?;
        }
        TagsCommand::List => {
            let ts = b.list_tags(&project)?;
            ui.data(&ts, || {
                let rows: Vec<Vec<String>> = ts
                    .iter()
                    .map(|t| {
                        vec![
                            t.name.clone(),
                            t.commit[..12].to_string(),
                            t.created_at.clone(),
                            t.message.clone(),
                        ]
                    })
                    .collect();
                table(&["NAME", "COMMIT", "CREATED", "MESSAGE"], &rows)
            })?;
        }
        TagsCommand::Delete { name } => {
            b.delete_tag(&project, &name)?;
            ui.status(&format!("Deleted tag {name}"));
        }
    }
    Ok(())
}
