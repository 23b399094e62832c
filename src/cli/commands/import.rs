use crate::backend::ImportMode;
use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::formats::read::{discover, read_documents};
use std::path::PathBuf;

/// Import documents from Extended JSON, NDJSON, JSON arrays or mongodump .bson files
///
/// A directory imports one collection per file (named after the file).
/// An import is one commit: if any document is malformed or a duplicate,
/// nothing is imported.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A file or a directory of files
    pub path: PathBuf,
    /// Collection to import into (default: the file's name)
    #[arg(long, short = 'c')]
    pub collection: Option<String>,
    /// Branch to import into (default: the current branch)
    #[arg(long, short = 'b')]
    pub branch: Option<String>,
    /// insert fails on existing _ids; upsert replaces them
    #[arg(long, value_enum, default_value_t = ImportMode::Insert)]
    pub mode: ImportMode,
}

pub fn cmd_import(ctx: &Context, ui: &Ui, args: ImportArgs) -> CmdResult {
    let project = ctx.project()?;
    let branch = ctx.branch(&project, args.branch.as_deref())?;
    let files = discover(&args.path).map_err(|e| CommandError::user(e.to_string()))?;
    if files.is_empty() {
        return Err(
            CommandError::user(format!("no importable files in {}", args.path.display()))
                .hint("import .json, .ndjson, .jsonl or .bson files"),
        );
    }
    if files.len() > 1 && args.collection.is_some() {
        return Err(CommandError::usage(
            "--collection names one collection, but the directory holds several files",
        )
        .hint("drop --collection to import each file into the collection named after it"));
    }
    // Validate every file before importing any, so a bad file in a
    // directory imports nothing at all.
    if files.len() > 1 {
        for f in &files {
            for d in read_documents(f).map_err(|e| CommandError::user(e.to_string()))? {
                d.map_err(|e| {
                    CommandError::user(e.to_string())
                        .hint("fix the file and run the import again; nothing was imported")
                })?;
            }
        }
    }
    let mut summaries = Vec::new();
    for f in &files {
        let collection = args
            .collection
            .clone()
            .unwrap_or_else(|| f.collection.clone());
        let docs = read_documents(f).map_err(|e| CommandError::user(e.to_string()))?;
        let bar = ui.progress_bar(None, &format!("importing {}", f.path.display()));
        let stream = Box::new(docs.map(|r| r.map_err(|e| e.to_string())));
        let s = ctx
            .backend()
            .import(&project, &branch, &collection, args.mode, stream, &|n| {
                bar.set_position(n)
            })
            .map_err(|e| {
                CommandError::from(e)
                    .hint("nothing was imported; fix the input and run the import again")
            })?;
        bar.finish_and_clear();
        ui.status(&format!(
            "Imported {} documents into {}.{} on {} ({})",
            s.documents,
            project,
            s.collection,
            branch,
            &s.commit[..12]
        ));
        summaries.push(s);
    }
    ui.data(&summaries, String::new)?;
    Ok(())
}
