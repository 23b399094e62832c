use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::db::find::FindOptions;
use crate::engine::WriteOp;
use crate::formats::read::{document_from_json, value_from_json};
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
    /// Print documents matching a filter (in _id order unless --sort)
    Find {
        collection: String,
        #[command(flatten)]
        target: ReadTarget,
        /// A MongoDB query filter as (Extended) JSON
        #[arg(long, short = 'f')]
        filter: Option<String>,
        /// Sort order, e.g. '{"age": -1, "_id": 1}'
        #[arg(long, short = 's')]
        sort: Option<String>,
        /// Fields to return, as a find projection: '{"name": 1}', '{"big": 0}', or computed '{"n": {"$size": "$tags"}}'
        #[arg(long)]
        projection: Option<String>,
        /// Skip this many matching documents first
        #[arg(long, default_value_t = 0)]
        skip: usize,
        /// Print at most this many documents
        #[arg(long, short = 'n')]
        limit: Option<usize>,
    },
    /// Run an aggregation pipeline and print its results
    ///
    /// PIPELINE is a JSON array of stages, or '-' to read it from stdin:
    ///   argonctl data aggregate orders '[{"$group": {"_id": "$user", "n": {"$sum": 1}}}]' --at main@lsn:42
    Aggregate {
        collection: String,
        pipeline: String,
        #[command(flatten)]
        target: ReadTarget,
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
    document_from_json(text.as_bytes())
}

/// An `_id` given on the command line: Extended JSON, else a plain string.
pub fn parse_id(text: &str) -> Result<Bson, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => value_from_json(v),
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

fn json_arg(what: &str, text: Option<&str>) -> CmdResult<Document> {
    match text {
        None => Ok(Document::new()),
        Some(t) => parse_document(t).map_err(|e| bad_json(what, t, e)),
    }
}

fn filter(text: Option<&str>) -> CmdResult<Document> {
    json_arg("filter", text)
}

/// A pipeline argument: a JSON array of stage objects, or `-` for stdin.
fn pipeline_arg(text: &str) -> CmdResult<Vec<Bson>> {
    let text = if text == "-" {
        let mut t = String::new();
        std::io::stdin().read_to_string(&mut t)?;
        t
    } else {
        text.to_string()
    };
    let bad = |e: String| {
        CommandError::usage(format!("invalid pipeline {:?}: {e}", text.trim()))
            .hint("pass a JSON array of stages, e.g. '[{\"$match\": {\"age\": {\"$gte\": 21}}}, {\"$count\": \"n\"}]'")
    };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let serde_json::Value::Array(stages) = v else {
        return Err(bad("expected a JSON array of stages".into()));
    };
    stages
        .into_iter()
        .map(|s| value_from_json(s).map_err(bad))
        .collect()
}

/// `data aggregate` reads: `$out` and `$merge` would write, so they are
/// refused with the ways to write results.
fn refuse_writing_stages(pipeline: &[Bson]) -> CmdResult {
    for stage in pipeline {
        if let Some(name) = stage
            .as_document()
            .and_then(|d| d.keys().find(|k| *k == "$out" || *k == "$merge"))
        {
            return Err(CommandError::usage(format!(
                "{name} writes to a collection; `data aggregate` only reads"
            ))
            .hint("pipe the results into `argonctl data insert COLLECTION -`, or run the pipeline with a driver against `argonctl serve`"));
        }
    }
    Ok(())
}

/// Prints documents as NDJSON, or gathers them for one JSON array.
struct Printer<'a> {
    ui: &'a Ui,
    canonical: bool,
    gathered: Option<Vec<serde_json::Value>>,
}

impl<'a> Printer<'a> {
    fn new(ui: &'a Ui, canonical: bool) -> Printer<'a> {
        Printer {
            ui,
            canonical,
            gathered: ui.is_machine().then(Vec::new),
        }
    }

    fn print(&mut self, d: Document) -> crate::engine::Result<()> {
        let j = to_json(d, self.canonical);
        match &mut self.gathered {
            Some(all) => all.push(j),
            None => self
                .ui
                .line(&j.to_string())
                .map_err(|e| crate::engine::Error::io("stdout", e))?,
        }
        Ok(())
    }

    fn finish(self) -> CmdResult {
        if let Some(all) = self.gathered {
            self.ui.data(&all, String::new)?;
        }
        Ok(())
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
            sort,
            projection,
            skip,
            limit,
        } => {
            let at = ctx.branch(&project, target.branch.as_deref())?;
            let query = FindOptions {
                filter: filter(f.as_deref())?,
                sort: json_arg("sort", sort.as_deref())?,
                projection: json_arg("projection", projection.as_deref())?,
                skip,
                limit,
                ..Default::default()
            };
            let mut out = Printer::new(ui, target.canonical);
            b.find(&project, &at, &collection, &query, &mut |d| out.print(d))
                .map_err(explain)?;
            out.finish()?;
        }
        DataCommand::Aggregate {
            collection,
            pipeline,
            target,
        } => {
            let at = ctx.branch(&project, target.branch.as_deref())?;
            let pipeline = pipeline_arg(&pipeline)?;
            refuse_writing_stages(&pipeline)?;
            let mut out = Printer::new(ui, target.canonical);
            b.aggregate(&project, &at, &collection, &pipeline, &mut |d| out.print(d))
                .map_err(explain)?;
            out.finish()?;
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
            let query = FindOptions {
                filter: filter(f.as_deref())?,
                ..Default::default()
            };
            let mut n = 0u64;
            b.find(&project, &at, &collection, &query, &mut |_| {
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
