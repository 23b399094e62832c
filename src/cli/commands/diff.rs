use crate::backend::DiffEvent;
use crate::cli::context::Context;
use crate::cli::error::CmdResult;
use crate::cli::ui::{Ui, table};
use crate::engine::diff::CollectionStatus;
use crate::engine::doc::{self, FieldChange, path_to_string, to_json_patch};
use bson::{Bson, Document};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Colorized unified diff of each changed document
    Text,
    /// Before and after in two columns
    SideBySide,
    /// The documented JSON shape (same as -o json)
    Json,
    /// RFC 6902 JSON Patch per document, one JSON object per line
    Patch,
}

/// Show document-level changes between two points
///
/// With one ref, compares it with its parent point: where a branch forked
/// (its merge base with its parent branch), else the previous commit.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The changed side (or the old side when B is given)
    pub a: String,
    /// The new side
    pub b: Option<String>,
    /// Only this collection
    #[arg(long, short = 'c')]
    pub collection: Option<String>,
    /// Only counts per collection
    #[arg(long)]
    pub stat: bool,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Default, serde::Serialize)]
struct Counts {
    added: u64,
    removed: u64,
    modified: u64,
}

fn json_change(c: &FieldChange) -> serde_json::Value {
    serde_json::json!({
        "op": c.op,
        "path": path_to_string(&c.path),
        "from": c.from.clone().map(Bson::into_relaxed_extjson),
        "to": c.to.clone().map(Bson::into_relaxed_extjson),
    })
}

fn pretty(d: &Document) -> String {
    serde_json::to_string_pretty(&Bson::Document(d.clone()).into_relaxed_extjson())
        .unwrap_or_default()
}

pub fn cmd_diff(ctx: &Context, ui: &Ui, args: DiffArgs) -> CmdResult {
    let project = ctx.project()?;
    let b = ctx.backend();
    let explain = |e| ctx.explain(&project, e);
    let (from, to) = match &args.b {
        Some(second) => (args.a.clone(), second.clone()),
        None => (
            b.diff_base(&project, &args.a).map_err(explain)?,
            args.a.clone(),
        ),
    };
    let format = if ui.is_machine() {
        DiffFormat::Json
    } else {
        args.format
    };
    if format == DiffFormat::Json && !args.stat && ui.format != crate::cli::ui::OutputFormat::Yaml {
        return stream_json(ctx, &project, &from, &to, args.collection.as_deref());
    }
    let mut stats: BTreeMap<String, Counts> = BTreeMap::new();
    let mut headers = Vec::new();
    // JSON output keeps one collection's changes at a time.
    let mut json_collections: Vec<serde_json::Value> = Vec::new();
    let mut current: Option<serde_json::Value> = None;
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(120);
    let mut out_err: Option<std::io::Error> = None;
    let mut emit = |s: &str| {
        if out_err.is_none()
            && let Err(e) = ui.line(s)
        {
            out_err = Some(e);
        }
    };
    b.diff(&project, &from, &to, args.collection.as_deref(), &mut |ev| {
        match ev {
            DiffEvent::Collection(h) => {
                stats.entry(h.name.clone()).or_default();
                if let Some(c) = current.take() {
                    json_collections.push(c);
                }
                if format == DiffFormat::Json {
                    current = Some(serde_json::json!({
                        "name": h.name, "status": h.status, "indexes": h.indexes,
                        "options_changed": h.options_changed,
                        "added": [], "removed": [], "modified": [],
                    }));
                } else if !args.stat && format != DiffFormat::Patch {
                    let what = match h.status {
                        CollectionStatus::Added => ui.green("added collection"),
                        CollectionStatus::Removed => ui.red("removed collection"),
                        _ => "collection".to_string(),
                    };
                    emit(&ui.bold(&format!("{what} {}", h.name)));
                    for i in &h.indexes {
                        emit(&format!("  {} index {} {}", i.op, i.name, i.key));
                    }
                }
                headers.push(h);
            }
            DiffEvent::Document { collection, id, before, after } => {
                let counts = stats.entry(collection.clone()).or_default();
                let idj = id.clone().into_relaxed_extjson();
                match (&before, &after) {
                    (None, Some(_)) => counts.added += 1,
                    (Some(_), None) => counts.removed += 1,
                    _ => counts.modified += 1,
                }
                if args.stat {
                    return Ok(());
                }
                match format {
                    DiffFormat::Json => {
                        if let Some(cur) = current.as_mut() {
                            let (slot, value) = match (&before, &after) {
                                (None, Some(a)) => ("added", Bson::Document(a.clone()).into_relaxed_extjson()),
                                (Some(bf), None) => ("removed", Bson::Document(bf.clone()).into_relaxed_extjson()),
                                (Some(bf), Some(a)) => {
                                    let changes: Vec<_> = doc::diff_docs(bf, a).iter().map(json_change).collect();
                                    ("modified", serde_json::json!({"_id": idj, "changes": changes}))
                                }
                                (None, None) => return Ok(()),
                            };
                            if let Some(arr) = cur[slot].as_array_mut() {
                                arr.push(value);
                            }
                        }
                    }
                    DiffFormat::Patch => {
                        let patch = match (&before, &after) {
                            (None, Some(a)) => serde_json::json!([{"op": "add", "path": "", "value": Bson::Document(a.clone()).into_relaxed_extjson()}]),
                            (Some(_), None) => serde_json::json!([{"op": "remove", "path": ""}]),
                            (Some(bf), Some(a)) => to_json_patch(&doc::diff_docs(bf, a)),
                            (None, None) => serde_json::json!([]),
                        };
                        emit(&serde_json::json!({"collection": collection, "_id": idj, "patch": patch}).to_string());
                    }
                    DiffFormat::Text | DiffFormat::SideBySide => {
                        let label = format!("{collection} {{_id: {}}}", idj);
                        match (&before, &after) {
                            (None, Some(a)) => {
                                emit(&ui.green(&format!("+ added {label}")));
                                for l in pretty(a).lines() {
                                    emit(&ui.green(&format!("+ {l}")));
                                }
                            }
                            (Some(bf), None) => {
                                emit(&ui.red(&format!("- removed {label}")));
                                for l in pretty(bf).lines() {
                                    emit(&ui.red(&format!("- {l}")));
                                }
                            }
                            (Some(bf), Some(a)) => {
                                let paths: Vec<String> = doc::diff_docs(bf, a).iter().map(|c| path_to_string(&c.path)).collect();
                                emit(&ui.yellow(&format!("~ modified {label}  ({})", paths.join(", "))));
                                let (l, r) = (pretty(bf), pretty(a));
                                let diff = similar::TextDiff::from_lines(&l, &r);
                                if format == DiffFormat::SideBySide {
                                    let half = (width.saturating_sub(3) / 2).max(20);
                                    for op in diff.ops() {
                                        for change in diff.iter_changes(op) {
                                            let text = change.value().trim_end_matches('\n');
                                            let cell: String = text.chars().take(half).collect();
                                            let pad = " ".repeat(half - cell.chars().count());
                                            let row = match change.tag() {
                                                similar::ChangeTag::Equal => format!("{cell}{pad} | {cell}"),
                                                similar::ChangeTag::Delete => ui.red(&format!("{cell}{pad} <")),
                                                similar::ChangeTag::Insert => ui.green(&format!("{} > {cell}", " ".repeat(half))),
                                            };
                                            emit(&row);
                                        }
                                    }
                                } else {
                                    for group in diff.grouped_ops(3) {
                                        for op in group {
                                            for change in diff.iter_changes(&op) {
                                                let text = change.value().trim_end_matches('\n');
                                                let line = match change.tag() {
                                                    similar::ChangeTag::Equal => format!("  {text}"),
                                                    similar::ChangeTag::Delete => ui.red(&format!("- {text}")),
                                                    similar::ChangeTag::Insert => ui.green(&format!("+ {text}")),
                                                };
                                                emit(&line);
                                            }
                                        }
                                    }
                                }
                            }
                            (None, None) => {}
                        }
                    }
                }
            }
        }
        Ok(())
    })
    .map_err(explain)?;
    if let Some(e) = out_err {
        return Err(e.into());
    }
    let totals = stats.values().fold(Counts::default(), |mut t, c| {
        t.added += c.added;
        t.removed += c.removed;
        t.modified += c.modified;
        t
    });
    if format == DiffFormat::Json || args.stat {
        if let Some(c) = current.take() {
            json_collections.push(c);
        }
        let stat_rows: Vec<serde_json::Value> = stats
            .iter()
            .map(|(n, c)| serde_json::json!({"name": n, "added": c.added, "removed": c.removed, "modified": c.modified}))
            .collect();
        let value = if args.stat {
            serde_json::json!({"from": from, "to": to, "collections": stat_rows, "stats": totals})
        } else {
            serde_json::json!({"from": from, "to": to, "collections": json_collections, "stats": totals})
        };
        ui.data(&value, || {
            let rows: Vec<Vec<String>> = stats
                .iter()
                .map(|(n, c)| {
                    vec![
                        n.clone(),
                        format!("+{}", c.added),
                        format!("-{}", c.removed),
                        format!("~{}", c.modified),
                    ]
                })
                .collect();
            let mut t = table(&["COLLECTION", "ADDED", "REMOVED", "MODIFIED"], &rows);
            t.push_str(&format!(
                "{} collection(s) changed: {} added, {} removed, {} modified documents\n",
                stats.len(),
                totals.added,
                totals.removed,
                totals.modified
            ));
            t
        })?;
    } else if format == DiffFormat::Text || format == DiffFormat::SideBySide {
        if stats.is_empty() {
            ui.status(&format!("No changes between {from} and {to}"));
        } else {
            ui.status(&format!(
                "{} added, {} removed, {} modified documents",
                totals.added, totals.removed, totals.modified
            ));
        }
    }
    Ok(())
}

/// Writes the JSON diff as it is computed: one pass per collection and
/// kind of change, so memory stays bounded whatever the number of changes.
fn stream_json(
    ctx: &Context,
    project: &str,
    from: &str,
    to: &str,
    only: Option<&str>,
) -> CmdResult {
    use std::io::Write;
    let b = ctx.backend();
    let explain = |e| ctx.explain(project, e);
    let headers = b
        .diff_collections(project, from, to, only)
        .map_err(explain)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut totals = Counts::default();
    let str_json = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    write!(
        out,
        "{{\n  \"from\": {},\n  \"to\": {},\n  \"collections\": [",
        str_json(from),
        str_json(to)
    )?;
    for (ci, h) in headers.iter().enumerate() {
        write!(
            out,
            "{}\n    {{\n      \"name\": {},\n      \"status\": {},\n      \"indexes\": {},\n      \"options_changed\": {}",
            if ci > 0 { "," } else { "" },
            str_json(&h.name),
            serde_json::to_string(&h.status).unwrap_or_default(),
            serde_json::to_string(&h.indexes).unwrap_or_default(),
            h.options_changed
        )?;
        for kind in ["added", "removed", "modified"] {
            write!(out, ",\n      \"{kind}\": [")?;
            let mut n = 0u64;
            let mut io: Option<std::io::Error> = None;
            b.diff(project, from, to, Some(&h.name), &mut |ev| {
                let DiffEvent::Document {
                    id, before, after, ..
                } = ev
                else {
                    return Ok(());
                };
                let item = match (kind, &before, &after) {
                    ("added", None, Some(a)) => Bson::Document(a.clone()).into_relaxed_extjson(),
                    ("removed", Some(bf), None) => {
                        Bson::Document(bf.clone()).into_relaxed_extjson()
                    }
                    ("modified", Some(bf), Some(a)) => {
                        let changes: Vec<_> =
                            doc::diff_docs(bf, a).iter().map(json_change).collect();
                        serde_json::json!({"_id": id.into_relaxed_extjson(), "changes": changes})
                    }
                    _ => return Ok(()),
                };
                let sep = if n > 0 { "," } else { "" };
                if io.is_none()
                    && let Err(e) = write!(out, "{sep}\n        {item}")
                {
                    io = Some(e);
                }
                n += 1;
                Ok(())
            })
            .map_err(explain)?;
            if let Some(e) = io {
                return Err(e.into());
            }
            match kind {
                "added" => totals.added += n,
                "removed" => totals.removed += n,
                _ => totals.modified += n,
            }
            write!(out, "{}]", if n > 0 { "\n      " } else { "" })?;
        }
        write!(out, "\n    }}")?;
    }
    writeln!(
        out,
        "{}],\n  \"stats\": {}\n}}",
        if headers.is_empty() { "" } else { "\n  " },
        serde_json::to_string(&totals).unwrap_or_default()
    )?;
    out.flush()?;
    Ok(())
}
