//! One error type for commands, with fixed exit codes and hints.
//!
//! Exit codes: 0 ok, 1 error, 2 usage, 3 merge stopped on conflicts.

use crate::engine::Error as EngineError;

pub const EXIT_ERROR: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_CONFLICTS: i32 = 3;

#[derive(Debug)]
pub struct CommandError {
    pub code: i32,
    pub message: String,
    pub hints: Vec<String>,
}

pub type CmdResult<T = ()> = Result<T, CommandError>;

impl CommandError {
    pub fn user(message: impl Into<String>) -> CommandError {
        CommandError {
            code: EXIT_ERROR,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn usage(message: impl Into<String>) -> CommandError {
        CommandError {
            code: EXIT_USAGE,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CommandError {
        self.hints.push(hint.into());
        self
    }
}

impl From<EngineError> for CommandError {
    fn from(e: EngineError) -> Self {
        let hint = match &e {
            EngineError::ProjectNotFound(_) => Some(
                "run `argonctl projects list` to see projects, or `argonctl projects create --name NAME`",
            ),
            EngineError::BranchNotFound(_) => {
                Some("run `argonctl branches list` to see branch names")
            }
            EngineError::TagNotFound(_) => Some("run `argonctl tags list` to see tags"),
            EngineError::BadRef(..) => Some(
                "refs are a branch, tag or commit, optionally with @lsn:N, @<RFC 3339 time> or ~N",
            ),
            EngineError::CollectionNotFound(_) => {
                Some("run `argonctl status` to see the collections of the branch")
            }
            EngineError::MergeInProgress(_) => {
                Some("finish it with `argonctl merge --continue` or `argonctl merge --abort`")
            }
            EngineError::Corrupt(_) => {
                Some("the store failed a check; please report this with the command that led to it")
            }
            EngineError::UnresolvedConflicts { .. } => Some(
                "resolve them with `argonctl conflicts resolve ID --ours|--theirs|--base|--value JSON` (list: `argonctl conflicts list`)",
            ),
            _ => None,
        };
        let mut err = CommandError::user(e.to_string());
        if matches!(e, EngineError::UnresolvedConflicts { .. }) {
            // The merge is still stopped on conflicts: same code as when it stopped.
            err.code = EXIT_CONFLICTS;
        }
        if let Some(h) = hint {
            err = err.hint(h);
        }
        err
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        // The reader went away (`| head`): stop quietly, as ripgrep does.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CommandError {
                code: 0,
                message: String::new(),
                hints: Vec::new(),
            };
        }
        CommandError::user(format!("I/O error: {e}"))
    }
}

/// The closest names to `wanted`, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut scored: Vec<(f64, &String)> = names
        .into_iter()
        .map(|n| (strsim::jaro_winkler(wanted, n), n))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
}
