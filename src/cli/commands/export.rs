use crate::cli::context::Context;
use crate::cli::error::{CmdResult, CommandError};
use crate::cli::ui::Ui;
use crate::db::find::FindOptions;
use crate::formats::write::{ExportFormat, write_documents};
use bson::Document;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportKind {
    /// Canonical Extended JSON, one document per line (exact types)
    Json,
    /// Relaxed Extended JSON, one document per line (as mongoexport)
    Relaxed,
    /// Concatenated BSON, as mongodump writes
    Bson,
}

/// Export a point's collections as Extended JSON or BSON files (one per collection)
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Branch or any ref to export (default: the current branch)
    pub at: Option<String>,
    /// Directory to write into (created if needed)
    #[arg(long)]
    pub out: PathBuf,
    /// Export only this collection
    #[arg(long, short = 'c')]
    pub collection: Option<String>,
    /// File format
    #[arg(long, value_enum, default_value_t = ExportKind::Json)]
    pub format: ExportKind,
}

pub fn cmd_export(ctx: &Context, ui: &Ui, args: ExportArgs) -> CmdResult {
    let project = ctx.project()?;
    let at = ctx.branch(&project, args.at.as_deref())?;
    let b = ctx.backend();
    let mut names: Vec<String> = b
        .collections(&project, &at)
        .map_err(|e| ctx.explain(&project, e))?
        .into_iter()
        .map(|c| c.name)
        .collect();
    if let Some(c) = &args.collection {
        if !names.contains(c) {
            return Err(CommandError::user(format!(
                "collection '{c}' does not exist at {at}"
            )));
        }
        names = vec![c.clone()];
    }
    std::fs::create_dir_all(&args.out)?;
    let (format, ext) = match args.format {
        ExportKind::Json => (ExportFormat::CanonicalJson, "json"),
        ExportKind::Relaxed => (ExportFormat::RelaxedJson, "json"),
        ExportKind::Bson => (ExportFormat::Bson, "bson"),
    };
    #[derive(serde::Serialize)]
    struct Exported {
        collection: String,
        documents: u64,
        path: String,
    }
    let mut out = Vec::new();
    for name in names {
        let path = args.out.join(format!("{name}.{ext}"));
        let tmp = args.out.join(format!(".{name}.{ext}.tmp"));
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        let bar = ui.progress_bar(None, &format!("exporting {name}"));
        let mut n = 0u64;
        let mut batch: Vec<Document> = Vec::with_capacity(1024);
        let flush = |batch: &mut Vec<Document>, w: &mut dyn Write| -> std::io::Result<u64> {
            let k = write_documents(w, format, batch.iter())?;
            batch.clear();
            Ok(k)
        };
        let mut io_err = None;
        b.find(&project, &at, &name, &FindOptions::default(), &mut |d| {
            batch.push(d);
            if batch.len() >= 1024 {
                match flush(&mut batch, &mut w) {
                    Ok(k) => {
                        n += k;
                        bar.set_position(n);
                    }
                    Err(e) => io_err = Some(e),
                }
            }
            Ok(())
        })
        .map_err(|e| ctx.explain(&project, e))?;
        if let Some(e) = io_err {
            return Err(e.into());
        }
        n += flush(&mut batch, &mut w)?;
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, &path)?;
        bar.finish_and_clear();
        ui.status(&format!(
            "Exported {n} documents of {name} to {}",
            path.display()
        ));
        out.push(Exported {
            collection: name,
            documents: n,
            path: path.display().to_string(),
        });
    }
    ui.data(&out, String::new)?;
    Ok(())
}
