use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::engine::WriteOp;
use bson::{Bson, Document};
use clap::Subcommand;
use std::io::Read;

#[derive(clap::Args, Debug)]
pub struct ReadTarget {
    /// Branch or any ref to read (default: the current branch)
    #[arg(long, short = 'b', visible_alias = "at")]
    pub branch: Option<String>,
    /// Print canonical Extended JSON (exact types) instead of relaxed
    #[arg(long)]
    pub canonical: bool,
}

#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// Print documents matching a filter, in _id order
    Find {
        collection: String,
        #[command(flatten)]
        target: ReadTarget,
        /// A MongoDB query filter as (Extended) JSON
        #[arg(long, short = 'f')]
        filter: Option<String>,
        /// Print at most this many documents
        #[arg(long, short = 'n')]
        limit: Option<usize>,
    },
    /// Print one document by _id (JSON value: 42, '"ada"', '{"$oid":"..."}'; other text is a string)
    Get {
        collection: String,
        id: String,
        #[command(flatten)]
        target: ReadTarget,
    },
    /// Count documents matching a filter
    Count {
        collection: String,
        #[command(flatten)]
        target: ReadTarget,
        #[arg(long, short = 'f')]
        filter: Option<String>,
    },
    /// Insert documents (Extended JSON arguments, or '-' to read NDJSON from stdin)
    Insert {
        collection: String,
        #[arg(required = true)]
        documents: Vec<String>,
        /// Branch to write to (default: the current branch)
        #[arg(long, short = 'b')]
        branch: Option<String>,
    },
    /// Replace documents by _id, inserting those that do not exist
    Replace {
        collection: String,
        #[arg(required = true)]
        documents: Vec<String>,
        #[arg(long, short = 'b')]
        branch: Option<String>,
    },
    /// Delete documents by _id
    Delete {
        collection: String,
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long, short = 'b')]
        branch: Option<String>,
    },
}

fn bad_json(what: &str, text: &str, e: impl std::fmt::Display) -> CommandError {
    CommandError::usage(format!("invalid {what} {text:?}: {e}"))
        .hint("pass MongoDB Extended JSON, e.g. '{\"name\": \"ada\", \"born\": {\"$date\": \"1815-12-10T00:00:00Z\"}}'")
}

pub fn parse_document(text: &str) -> Result<Document, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match v {
        serde_json::Value::Object(m) => Document::try_from(m).map_err(|e| e.to_string()),
        _ => Err("expected a JSON object".into()),
    }
}

/// An `_id` given on the command line: Extended JSON, else a plain string.
pub fn parse_id(text: &str) -> Result<Bson, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => Bson::try_from(v).map_err(|e| e.to_string()),
        Err(_) => Ok(Bson::String(text.to_string())),
    }
}

pub fn to_json(doc: Document, canonical: bool) -> serde_json::Value {
    let b = Bson::Document(doc);
    if canonical {
        b.into_canonical_extjson()
    } else {
        b.into_relaxed_extjson()
    }
}

fn documents(args: &[String]) -> CmdResult<Vec<Document>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                out.push(
                    parse_document(line)
                        .map_err(|e| bad_json("document on stdin line", &(i + 1).to_string(), e))?,
                );
            }
        } else {
            out.push(parse_document(a).map_err(|e| bad_json("document", a, e))?);
        }
    }
    Ok(out)
}

fn filter(text: Option<&str>) -> CmdResult<Document> {
    match text {
        None => Ok(Document::new()),
        Some(t) => parse_document(t).map_err(|e| bad_json("filter", t, e)),
    }
}

pub fn run(ctx: &Context, ui: &Ui, cmd: DataCommand) -> CmdResult {
    let project = ctx.project()?;
    let b = ctx.backend();
    let explain = |e| ctx.explain(&project, e);
    match cmd {
        DataCommand::Find {
            collection,
            target,
            filter: f,
            limit,
        } => {
            let at = ctx.branch(&project, target.branch.as_deref())?;
            let f = filter(f.as_deref())?;
            let mut docs = Vec::new();
            let machine = ui.is_machine();
            b.find(&project, &at, &collection, &f, limit, &mut |d| {
                let j = to_json(d, target.canonical);
                if machine {
                    docs.push(j);
                } else {
                    ui.line(&j.to_string())
                        .map_err(|e| crate::engine::Error::io("stdout", e))?;
                }
                Ok(())
            })
            .map_err(explain)?;
            if machine {
                ui.data(&docs, String::new)?;
            }
        }
        DataCommand::Get {
            collection,
            id,
            target,
        } => {
            let at = ctx.branch(&project, target.branch.as_deref())?;
            let id = parse_id(&id).map_err(|e| bad_json("_id", &id, e))?;
            let found = b
                .get_by_id(&project, &at, &collection, &id)
                .map_err(explain)?;
            let Some(d) = found else {
                return Err(CommandError::user(format!(
                    "no document with _id {id} in {collection} at {at}"
                )));
            };
            let j = to_json(d, target.canonical);
            ui.data(&j, || j.to_string())?;
        }
        DataCommand::Count {
            collection,
            target,
            filter: f,
        } => {
            let at = ctx.branch(&project, target.branch.as_deref())?;
            let f = filter(f.as_deref())?;
            let mut n = 0u64;
            b.find(&project, &at, &collection, &f, None, &mut |_| {
                n += 1;
                Ok(())
            })
            .map_err(explain)?;
            ui.data(&serde_json::json!({ "count": n }), || n.to_string())?;
        }
        DataCommand::Insert {
            collection,
            documents: docs,
            branch,
        } => {
            let branch = ctx.branch(&project, branch.as_deref())?;
            let ops = documents(&docs)?
                .into_iter()
                .map(|doc| WriteOp::Insert {
                    collection: collection.clone(),
                    doc,
                })
                .collect();
            let r = b.write(&project, &branch, ops).map_err(explain)?;
            let ids: Vec<serde_json::Value> = r
                .ids
                .iter()
                .map(|i| i.clone().into_relaxed_extjson())
                .collect();
            ui.data(
                &serde_json::json!({"inserted": r.inserted, "ids": ids, "lsn": r.lsn}),
                || {
                    format!(
                        "Inserted {} document(s) into {collection} on {branch} (lsn {})",
                        r.inserted, r.lsn
                    )
                },
            )?;
        }
        DataCommand::Replace {
            collection,
            documents: docs,
            branch,
        } => {
            let branch = ctx.branch(&project, branch.as_deref())?;
            let docs = documents(&docs)?;
            if let Some(d) = docs.iter().find(|d| !d.contains_key("_id")) {
                return Err(CommandError::usage(format!(
                    "replace needs an _id in every document: {d}"
                )));
            }
            let ops = docs
                .into_iter()
                .map(|doc| WriteOp::Replace {
                    collection: collection.clone(),
                    doc,
                })
                .collect();
            let r = b.write(&project, &branch, ops).map_err(explain)?;
            ui.data(&serde_json::json!({"replaced": r.replaced, "inserted": r.inserted, "lsn": r.lsn}), || {
                format!("Replaced {} and inserted {} document(s) in {collection} on {branch} (lsn {})", r.replaced, r.inserted, r.lsn)
            })?;
        }
        DataCommand::Delete {
            collection,
            ids,
            branch,
        } => {
            let branch = ctx.branch(&project, branch.as_deref())?;
            let mut ops = Vec::new();
            for i in &ids {
                let id = parse_id(i).map_err(|e| bad_json("_id", i, e))?;
                ops.push(WriteOp::Delete {
                    collection: collection.clone(),
                    id,
                });
            }
            let r = b.write(&project, &branch, ops).map_err(explain)?;
            ui.data(
                &serde_json::json!({"deleted": r.deleted, "lsn": r.lsn}),
                || {
                    format!(
                        "Deleted {} document(s) from {collection} on {branch}",
                        r.deleted
                    )
                },
            )?;
        }
    }
    Ok(())
}
