//! Renders documents and values as (relaxed Extended) JSON, and the
//! before/after of a document as colorized unified or side-by-side lines.

use crate::tui::theme::Theme;
use bson::{Bson, Document};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Pretty relaxed Extended JSON of a document (what `data get` prints).
pub fn pretty_doc(d: &Document) -> String {
    serde_json::to_string_pretty(&Bson::Document(d.clone()).into_relaxed_extjson())
        .unwrap_or_default()
}

/// A canonical Extended JSON value (as conflicts store them) shown relaxed.
pub fn relaxed(v: &serde_json::Value) -> serde_json::Value {
    match Bson::try_from(v.clone()) {
        Ok(b) => b.into_relaxed_extjson(),
        Err(_) => v.clone(),
    }
}

pub fn pretty_value(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(&relaxed(v)).unwrap_or_default()
}

pub fn one_line(v: &serde_json::Value) -> String {
    relaxed(v).to_string()
}

/// `_id` as shown in lists: relaxed Extended JSON on one line.
pub fn id_label(id: &Bson) -> String {
    id.clone().into_relaxed_extjson().to_string()
}

/// Parses what a person typed as an Extended JSON value and returns it
/// canonical (exact types), as resolutions store values.
pub fn parse_ext_json(text: &str) -> Result<serde_json::Value, String> {
    let json: serde_json::Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("invalid JSON: {e}"))?;
    let b = Bson::try_from(json).map_err(|e| format!("invalid Extended JSON: {e}"))?;
    Ok(b.into_canonical_extjson())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Same,
    Removed,
    Added,
}

/// One side of a side-by-side row (`None`: nothing on that side).
pub type Cell = Option<(Tag, String)>;

#[derive(Debug, Clone, Default)]
pub struct DocDiff {
    /// Unified: every line of both sides in order, tagged.
    pub unified: Vec<(Tag, String)>,
    /// Unified line where each change (hunk) starts.
    pub unified_hunks: Vec<usize>,
    /// Side by side rows.
    pub rows: Vec<(Cell, Cell)>,
    pub row_hunks: Vec<usize>,
}

impl DocDiff {
    pub fn new(before: Option<&Document>, after: Option<&Document>) -> DocDiff {
        let l = before.map(pretty_doc).unwrap_or_default();
        let r = after.map(pretty_doc).unwrap_or_default();
        let ll: Vec<&str> = l.lines().collect();
        let rl: Vec<&str> = r.lines().collect();
        let diff = similar::TextDiff::from_lines(&l, &r);
        let mut d = DocDiff::default();
        let mut in_hunk = false;
        for op in diff.ops() {
            let (tag, old, new) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                in_hunk = false;
                for (a, b) in old.zip(new) {
                    let (a, b) = (line(&ll, a), line(&rl, b));
                    d.unified.push((Tag::Same, a.clone()));
                    d.rows.push((Some((Tag::Same, a)), Some((Tag::Same, b))));
                }
                continue;
            }
            if !in_hunk {
                d.unified_hunks.push(d.unified.len());
                d.row_hunks.push(d.rows.len());
                in_hunk = true;
            }
            let olds: Vec<String> = old.map(|i| line(&ll, i)).collect();
            let news: Vec<String> = new.map(|i| line(&rl, i)).collect();
            for s in &olds {
                d.unified.push((Tag::Removed, s.clone()));
            }
            for s in &news {
                d.unified.push((Tag::Added, s.clone()));
            }
            for i in 0..olds.len().max(news.len()) {
                d.rows.push((
                    olds.get(i).map(|s| (Tag::Removed, s.clone())),
                    news.get(i).map(|s| (Tag::Added, s.clone())),
                ));
            }
        }
        d
    }
}

fn line(lines: &[&str], i: usize) -> String {
    lines.get(i).copied().unwrap_or_default().to_string()
}

pub fn tag_style(theme: &Theme, tag: Tag) -> Style {
    match tag {
        Tag::Same => Style::new(),
        Tag::Removed => theme.removed(),
        Tag::Added => theme.added(),
    }
}

pub fn tag_marker(tag: Tag) -> &'static str {
    match tag {
        Tag::Same => "  ",
        Tag::Removed => "- ",
        Tag::Added => "+ ",
    }
}

/// One unified line, marker included.
pub fn unified_line(theme: &Theme, tag: Tag, text: &str) -> Line<'static> {
    let style = tag_style(theme, tag);
    Line::from(vec![
        Span::styled(tag_marker(tag), style),
        Span::styled(text.to_string(), style),
    ])
}

/// One side of a side-by-side row, cut or padded to `width`.
pub fn side_cell(theme: &Theme, cell: &Cell, width: usize) -> Vec<Span<'static>> {
    let (tag, text) = match cell {
        Some((t, s)) => (*t, s.as_str()),
        None => (Tag::Same, ""),
    };
    let marker = match (cell, tag) {
        (None, _) => "  ",
        (_, t) => tag_marker(t),
    };
    let body: String = text.chars().take(width.saturating_sub(2)).collect();
    let pad = width.saturating_sub(2 + body.chars().count());
    let style = tag_style(theme, tag);
    vec![
        Span::styled(marker, style),
        Span::styled(body, style),
        Span::raw(" ".repeat(pad)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    #[test]
    fn diff_lines_and_hunks() {
        let a = doc! {"_id": 1, "name": "ada", "age": 36, "city": "London"};
        let b = doc! {"_id": 1, "name": "Ada", "age": 36, "city": "Paris"};
        let d = DocDiff::new(Some(&a), Some(&b));
        assert_eq!(d.unified_hunks.len(), 2);
        assert_eq!(d.unified[d.unified_hunks[0]].0, Tag::Removed);
        assert_eq!(d.rows.len(), 6);
        let added = DocDiff::new(None, Some(&a));
        assert!(added.unified.iter().all(|(t, _)| *t == Tag::Added));
        assert_eq!(added.unified_hunks, vec![0]);
    }

    #[test]
    fn parses_extended_json() {
        assert_eq!(
            parse_ext_json("42").unwrap(),
            serde_json::json!({"$numberInt": "42"})
        );
        assert_eq!(
            parse_ext_json(r#" {"$numberLong": "7"} "#).unwrap(),
            serde_json::json!({"$numberLong": "7"})
        );
        assert!(
            parse_ext_json("{nope")
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert!(
            parse_ext_json(r#"{"$oid": "xyz"}"#)
                .unwrap_err()
                .starts_with("invalid Extended JSON")
        );
    }
}
