use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::{Ui, table};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum ProjectsCommand {
    /// Create a project
    Create {
        /// Project name (letters, digits, '-' and '_')
        #[arg(long, short = 'n')]
        name: String,
        /// What the project holds
        #[arg(long, short = 'd', default_value = "")]
        description: String,
    },
    /// List projects
    List,
    /// Show one project
    Show { name: String },
    /// Delete a project and all its branches and history
    Delete {
        name: String,
        /// Confirm the deletion
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(ctx: &Context, ui: &Ui, cmd: ProjectsCommand) -> CmdResult {
    let b = ctx.backend();
    match cmd {
        ProjectsCommand::Create { name, description } => {
            let p = b.create_project(&name, &description)?;
            ui.data(&p, || {
                format!(
                    "Created project {} with branch {}",
                    p.name, p.default_branch
                )
            })?;
            if !ui.is_machine() {
                ui.hint(&format!(
                    "import data with `argonctl import FILE --collection NAME -p {name}`"
                ));
            }
        }
        ProjectsCommand::List => {
            let ps = b.list_projects()?;
            ui.data(&ps, || {
                if ps.is_empty() {
                    return "No projects. Create one with `argonctl projects create --name NAME`."
                        .into();
                }
                let rows: Vec<Vec<String>> = ps
                    .iter()
                    .map(|p| {
                        vec![
                            p.name.clone(),
                            p.branches.to_string(),
                            p.created_at.clone(),
                            p.description.clone(),
                        ]
                    })
                    .collect();
                table(&["NAME", "BRANCHES", "CREATED", "DESCRIPTION"], &rows)
            })?;
        }
        ProjectsCommand::Show { name } => {
            let p = b.show_project(&name)?;
            ui.data(&p, || {
                format!(
                    "Project:        {}\nDescription:    {}\nCreated:        {}\nDefault branch: {}\nBranches:       {}",
                    p.name, p.description, p.created_at, p.default_branch, p.branches
                )
            })?;
        }
        ProjectsCommand::Delete { name, yes } => {
            if !yes {
                return Err(CommandError::usage(format!(
                    "deleting project '{name}' removes all its branches and history"
                ))
                .hint(format!(
                    "confirm with `argonctl projects delete {name} --yes`"
                )));
            }
            b.delete_project(&name)?;
            ui.status(&format!("Deleted project {name}"));
        }
    }
    Ok(())
}
