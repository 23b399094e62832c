//! One changed document: its field-level changes, then the document before
//! and after, unified or side by side, with n/N jumping between changes.

use crate::engine::doc::{FieldChange, Op, diff_docs, path_to_string};
use crate::tui::app::{Ctx, DrawCtx, Outcome, View};
use crate::tui::keymap::{Action, Scope};
use crate::tui::widgets::json::{DocDiff, side_cell, unified_line};
use crate::tui::widgets::put;
use crate::tui::worker::{DiffEntry, Kind};
use bson::{Bson, Document};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// How many field changes the header lists before "… and N more".
const MAX_CHANGES: usize = 4;

pub struct DocumentView {
    collection: String,
    id: String,
    kind: Kind,
    changes: Vec<FieldChange>,
    diff: DocDiff,
    side_by_side: bool,
    scroll: usize,
    height: usize,
    /// The change (hunk) last jumped to.
    current: Option<usize>,
}

fn short(v: &Option<Bson>, max: usize) -> String {
    let s = match v {
        Some(b) => b.clone().into_relaxed_extjson().to_string(),
        None => "(absent)".into(),
    };
    if s.chars().count() > max {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        s
    }
}

impl DocumentView {
    pub fn new(collection: &str, e: &DiffEntry) -> Result<DocumentView, String> {
        let parse = |raw: &Option<Vec<u8>>| -> Result<Option<Document>, String> {
            raw.as_deref()
                .map(Document::from_reader)
                .transpose()
                .map_err(|e| format!("cannot read the document: {e}"))
        };
        let before = parse(&e.before)?;
        let after = parse(&e.after)?;
        let changes = match (&before, &after) {
            (Some(b), Some(a)) => diff_docs(b, a),
            _ => Vec::new(),
        };
        Ok(DocumentView {
            collection: collection.to_string(),
            id: e.id.clone(),
            kind: e.kind,
            changes,
            diff: DocDiff::new(before.as_ref(), after.as_ref()),
            side_by_side: false,
            scroll: 0,
            height: 0,
            current: None,
        })
    }

    fn lines_len(&self) -> usize {
        if self.side_by_side {
            self.diff.rows.len()
        } else {
            self.diff.unified.len()
        }
    }

    fn hunks(&self) -> &[usize] {
        if self.side_by_side {
            &self.diff.row_hunks
        } else {
            &self.diff.unified_hunks
        }
    }

    fn jump(&mut self, forward: bool) {
        let n = self.hunks().len();
        if n == 0 {
            return;
        }
        let next = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(c), true) => (c + 1).min(n - 1),
            (Some(c), false) => c.saturating_sub(1),
        };
        self.current = Some(next);
        self.scroll = self.hunks()[next].saturating_sub(2);
    }

    fn max_scroll(&self) -> usize {
        self.lines_len().saturating_sub(self.height.max(1))
    }

    /// The screen line the current change starts on, if any.
    fn current_line(&self) -> Option<usize> {
        self.current.and_then(|c| self.hunks().get(c).copied())
    }
}

impl View for DocumentView {
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Document]
    }

    fn title(&self) -> String {
        format!("{} {}", self.collection, self.id)
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        let (what, style) = match self.kind {
            Kind::Added => ("added", t.added()),
            Kind::Removed => ("removed", t.removed()),
            Kind::Modified => ("modified", t.modified()),
        };
        let nh = self.hunks().len();
        let mut head = vec![
            Span::styled(
                format!(" {} {{_id: {}}} ", self.collection, self.id),
                t.bold(),
            ),
            Span::styled(what, style),
        ];
        if self.kind == Kind::Modified {
            head.push(Span::raw(format!(
                " · {} field change{}",
                self.changes.len(),
                if self.changes.len() == 1 { "" } else { "s" }
            )));
        }
        head.push(Span::styled(
            format!(
                " · {} · change {}/{nh}",
                if self.side_by_side {
                    "side by side"
                } else {
                    "unified"
                },
                self.current.map_or(0, |c| c + 1)
            ),
            t.dim(),
        ));
        let buf = f.buffer_mut();
        put(buf, area.x, area.y, &Line::from(head), area.width);
        let mut y = area.y + 1;
        let w = area.width as usize;
        for c in self.changes.iter().take(MAX_CHANGES) {
            let path = path_to_string(&c.path);
            let path = if path.is_empty() {
                "(document)".to_string()
            } else {
                path
            };
            let half = w.saturating_sub(path.len() + 12) / 2;
            let spans = match c.op {
                Op::Add => vec![
                    Span::styled("  + ", t.added()),
                    Span::styled(path, t.highlight()),
                    Span::styled(format!(": {}", short(&c.to, half * 2)), t.added()),
                ],
                Op::Remove => vec![
                    Span::styled("  - ", t.removed()),
                    Span::styled(path, t.highlight()),
                    Span::styled(format!(": {}", short(&c.from, half * 2)), t.removed()),
                ],
                Op::Replace => vec![
                    Span::styled("  ~ ", t.modified()),
                    Span::styled(path, t.highlight()),
                    Span::raw(": "),
                    Span::styled(short(&c.from, half), t.removed()),
                    Span::raw(" → "),
                    Span::styled(short(&c.to, half), t.added()),
                ],
            };
            put(buf, area.x, y, &Line::from(spans), area.width);
            y += 1;
        }
        if self.changes.len() > MAX_CHANGES {
            put(
                buf,
                area.x,
                y,
                &Line::styled(
                    format!("    … and {} more", self.changes.len() - MAX_CHANGES),
                    t.dim(),
                ),
                area.width,
            );
            y += 1;
        }
        let sep: String = "─".repeat(w);
        put(buf, area.x, y, &Line::styled(sep, t.border()), area.width);
        y += 1;
        let body_h = (area.y + area.height).saturating_sub(y) as usize;
        self.height = body_h;
        self.scroll = self.scroll.min(self.max_scroll());
        let cur = self.current_line();
        let gutter = |i: usize| if Some(i) == cur { "▶" } else { " " };
        if self.side_by_side {
            let half = (w.saturating_sub(3)) / 2;
            for (row, i) in (self.scroll..self.diff.rows.len()).take(body_h).enumerate() {
                let (l, r) = &self.diff.rows[i];
                let mut spans = vec![Span::styled(gutter(i), t.highlight())];
                spans.extend(side_cell(t, l, half));
                spans.push(Span::styled("│", t.border()));
                spans.extend(side_cell(t, r, half));
                put(buf, area.x, y + row as u16, &Line::from(spans), area.width);
            }
        } else {
            for (row, i) in (self.scroll..self.diff.unified.len())
                .take(body_h)
                .enumerate()
            {
                let (tag, text) = &self.diff.unified[i];
                let mut line = unified_line(t, *tag, text);
                line.spans.insert(0, Span::styled(gutter(i), t.highlight()));
                put(buf, area.x, y + row as u16, &line, area.width);
            }
        }
    }

    fn action(&mut self, action: Action, _cx: &mut Ctx) -> Outcome {
        let page = self.height.max(1);
        match action {
            Action::ToggleLayout => {
                let line = self.current_line();
                self.side_by_side = !self.side_by_side;
                if let Some(c) = self.current {
                    self.scroll = self.hunks().get(c).copied().unwrap_or(0).saturating_sub(2);
                } else if line.is_none() {
                    self.scroll = 0;
                }
            }
            Action::NextChange => self.jump(true),
            Action::PrevChange => self.jump(false),
            Action::Down => self.scroll = (self.scroll + 1).min(self.max_scroll()),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = (self.scroll + page).min(self.max_scroll()),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = self.max_scroll(),
            _ => return Outcome::Unhandled,
        }
        Outcome::None
    }
}
