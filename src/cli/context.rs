//! Which data dir, project and branch a command works on.
//!
//! Project: `-p/--project`, then `ARGON_PROJECT` (both via clap), then a
//! `.argon` file found by walking up from the working directory (written
//! by `argonctl use`), then the only project if there is exactly one.

use super::error::{CmdResult, CommandError, closest};
use crate::backend::Backend;
use crate::backend::local::LocalBackend;
use crate::engine::Engine;
use std::path::{Path, PathBuf};

pub const CONTEXT_FILE: &str = ".argon";

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ContextFile {
    pub project: String,
    #[serde(default)]
    pub branch: Option<String>,
}

pub struct Context {
    pub backend: LocalBackend,
    pub data_dir: PathBuf,
    explicit_project: Option<String>,
}

impl Context {
    pub fn new(data_dir: Option<PathBuf>, project: Option<String>) -> CmdResult<Context> {
        let data_dir = data_dir.unwrap_or_else(Engine::default_dir);
        let backend = LocalBackend::open(&data_dir).map_err(|e| {
            CommandError::user(format!(
                "cannot open the data dir {}: {e}",
                data_dir.display()
            ))
            .hint("set --data-dir or ARGON_HOME to a writable directory")
        })?;
        Ok(Context {
            backend,
            data_dir,
            explicit_project: project,
        })
    }

    pub fn backend(&self) -> &dyn Backend {
        &self.backend
    }

    /// The `.argon` file in the working directory or its nearest ancestor.
    pub fn find_context_file() -> Option<(PathBuf, ContextFile)> {
        let mut dir = std::env::current_dir().ok()?;
        loop {
            let p = dir.join(CONTEXT_FILE);
            if p.is_file() {
                let text = std::fs::read_to_string(&p).ok()?;
                let ctx: ContextFile = serde_json::from_str(&text).ok()?;
                return Some((p, ctx));
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    pub fn project(&self) -> CmdResult<String> {
        let name = if let Some(p) = &self.explicit_project {
            p.clone()
        } else if let Some((_, ctx)) = Self::find_context_file() {
            ctx.project
        } else {
            let names = self.backend.project_names()?;
            match names.as_slice() {
                [only] => only.clone(),
                [] => {
                    return Err(CommandError::user("no project exists yet")
                        .hint("create one with `argonctl projects create --name NAME` (or try `argonctl demo`)"));
                }
                _ => {
                    return Err(CommandError::user("several projects exist; which one?")
                        .hint("pass -p NAME, set ARGON_PROJECT, or run `argonctl use NAME` in this directory"));
                }
            }
        };
        let names = self.backend.project_names()?;
        if !names.contains(&name) {
            let mut err = CommandError::user(format!("project '{name}' does not exist"));
            let near = closest(&name, names.iter());
            if !near.is_empty() {
                err = err.hint(format!("did you mean {}?", near.join(", ")));
            }
            return Err(err.hint("run `argonctl projects list` to see projects"));
        }
        Ok(name)
    }

    /// The branch to use when none is given: the context file's, else the
    /// project's default.
    pub fn branch(&self, project: &str, given: Option<&str>) -> CmdResult<String> {
        if let Some(b) = given {
            return Ok(b.to_string());
        }
        if self.explicit_project.is_none()
            && let Some((_, ctx)) = Self::find_context_file()
            && ctx.project == project
            && let Some(b) = ctx.branch
        {
            return Ok(b);
        }
        Ok(self.backend.default_branch(project)?)
    }

    /// Turns "branch not found" into an error that names the closest ones.
    pub fn explain(&self, project: &str, err: crate::engine::Error) -> CommandError {
        use crate::engine::Error as E;
        match &err {
            E::BranchNotFound(name) | E::BadRef(name, _) => {
                let mut names: Vec<String> = self
                    .backend
                    .list_branches(project)
                    .map(|bs| bs.into_iter().map(|b| b.name).collect())
                    .unwrap_or_default();
                if let Ok(tags) = self.backend.list_tags(project) {
                    names.extend(tags.into_iter().map(|t| t.name));
                }
                let base = name.split(['@', '~']).next().unwrap_or(name);
                let near = closest(base, names.iter());
                let mut e = CommandError::from(err);
                if !near.is_empty() {
                    e.hints
                        .insert(0, format!("did you mean {}?", near.join(", ")));
                }
                e
            }
            _ => CommandError::from(err),
        }
    }
}

pub fn write_context_file(dir: &Path, ctx: &ContextFile) -> CmdResult<PathBuf> {
    let p = dir.join(CONTEXT_FILE);
    let text = serde_json::to_string_pretty(ctx).map_err(|e| CommandError::user(e.to_string()))?;
    std::fs::write(&p, text + "\n")?;
    Ok(p)
}
