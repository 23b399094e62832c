//! The history of a branch (or any point): commits and checkpoints with
//! their LSN ranges and times; mark two points to diff them, or branch
//! from a point.

use super::diff::DiffView;
use crate::engine::history::LogEntry;
use crate::tui::app::{Ctx, DrawCtx, Outcome, View};
use crate::tui::keymap::{Action, Scope};
use crate::tui::widgets::popup::{Modal, ModalResult};
use crate::tui::widgets::put;
use crate::tui::widgets::vlist::{self, ListState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const BRANCH: u32 = 1;
/// How much history the view loads.
const LIMIT: usize = 10_000;

pub struct LogView {
    project: String,
    at: String,
    entries: Vec<LogEntry>,
    list: ListState,
    /// Marked entries (at most two), oldest mark first.
    marks: Vec<usize>,
}

fn short(h: &str) -> &str {
    &h[..12.min(h.len())]
}

impl LogView {
    pub fn new(cx: &mut Ctx, project: &str, at: &str) -> LogView {
        let mut v = LogView {
            project: project.to_string(),
            at: at.to_string(),
            entries: Vec::new(),
            list: ListState::default(),
            marks: Vec::new(),
        };
        v.load(cx);
        v
    }

    fn load(&mut self, cx: &mut Ctx) {
        match cx.backend.log(&self.project, &self.at, LIMIT) {
            Ok(e) => self.entries = e,
            Err(e) => cx.error(e),
        }
        self.marks.retain(|&m| m < self.entries.len());
        self.list.select(self.list.selected, self.entries.len());
    }

    /// How to name an entry as a ref: its commit, or for the writes not yet
    /// checkpointed the branch itself (its live head).
    fn point(&self, i: usize) -> Option<String> {
        let e = self.entries.get(i)?;
        Some(e.commit.clone().unwrap_or_else(|| self.at.clone()))
    }

    fn label(&self, i: usize) -> String {
        match self.entries.get(i).and_then(|e| e.commit.as_deref()) {
            Some(c) => short(c).to_string(),
            None => format!("{} (live)", self.at),
        }
    }
}

impl View for LogView {
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Log]
    }

    fn title(&self) -> String {
        format!("log {}", self.at)
    }

    fn resumed(&mut self, cx: &mut Ctx) {
        self.load(cx);
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        if area.height < 2 {
            return;
        }
        let marks = match self.marks.as_slice() {
            [] => "mark two points to diff them".to_string(),
            [a] => format!(
                "marked {}: mark another, or diff it with its parent",
                self.label(*a)
            ),
            [a, b, ..] => format!(
                "marked {} and {}: d to diff",
                self.label(*a),
                self.label(*b)
            ),
        };
        let head = format!(
            "  {:<12}  {:<13}  {:<19}  {}",
            "COMMIT", "LSN", "TIME", "MESSAGE"
        );
        put(
            f.buffer_mut(),
            area.x,
            area.y,
            &Line::from(vec![
                Span::styled(head, t.dim()),
                Span::styled(
                    format!("   {}", vlist::position(&self.list, self.entries.len())),
                    t.dim(),
                ),
            ]),
            area.width,
        );
        let list_area = Rect::new(area.x, area.y + 1, area.width, area.height - 2);
        let (entries, marked) = (&self.entries, &self.marks);
        vlist::render(
            f.buffer_mut(),
            list_area,
            &mut self.list,
            entries.len(),
            true,
            t,
            |i| {
                let e = &entries[i];
                let m = if marked.contains(&i) { "●" } else { " " };
                let commit = match &e.commit {
                    Some(c) => short(c).to_string(),
                    None => "(live)".to_string(),
                };
                let lsn = if e.lsn_from == e.lsn_to {
                    format!("{}", e.lsn_to)
                } else {
                    format!("{}..{}", e.lsn_from, e.lsn_to)
                };
                let time: String = e.time.replace('T', " ").chars().take(19).collect();
                let commit_style = if e.commit.is_some() {
                    t.modified()
                } else {
                    t.added()
                };
                Line::from(vec![
                    Span::styled(format!("{m} "), t.highlight()),
                    Span::styled(format!("{commit:<12}"), commit_style),
                    Span::raw(format!("  {lsn:<13}  ")),
                    Span::styled(format!("{time:<19}"), t.dim()),
                    Span::raw(format!("  {}", e.message)),
                ])
            },
        );
        put(
            f.buffer_mut(),
            area.x,
            area.y + area.height - 1,
            &Line::styled(format!("  {marks}"), t.dim()),
            area.width,
        );
    }

    fn action(&mut self, action: Action, cx: &mut Ctx) -> Outcome {
        if self.list.navigate(action, self.entries.len()) {
            return Outcome::None;
        }
        match action {
            Action::Refresh => {
                self.load(cx);
                Outcome::None
            }
            Action::Mark => {
                let i = self.list.selected;
                if i >= self.entries.len() {
                    return Outcome::None;
                }
                if let Some(p) = self.marks.iter().position(|&m| m == i) {
                    self.marks.remove(p);
                } else {
                    if self.marks.len() == 2 {
                        self.marks.remove(0);
                    }
                    self.marks.push(i);
                }
                Outcome::None
            }
            Action::DiffPoints => {
                let (from, to, label) = match self.marks.as_slice() {
                    [a, b] => {
                        // Older (further down the log) is the "from" side.
                        let (old, new) = if a > b { (*a, *b) } else { (*b, *a) };
                        match (self.point(old), self.point(new)) {
                            (Some(f), Some(t)) => {
                                (f, t, format!("{} → {}", self.label(old), self.label(new)))
                            }
                            _ => return Outcome::None,
                        }
                    }
                    _ => {
                        let i = self.marks.first().copied().unwrap_or(self.list.selected);
                        let Some(e) = self.entries.get(i) else {
                            return Outcome::None;
                        };
                        let Some(parent) = e.parents.first().cloned() else {
                            cx.error("the first commit has no parent to diff against");
                            return Outcome::None;
                        };
                        let Some(to) = self.point(i) else {
                            return Outcome::None;
                        };
                        let label = format!("{} → {}", short(&parent), self.label(i));
                        (parent, to, label)
                    }
                };
                Outcome::Push(Box::new(DiffView::new(
                    cx,
                    &self.project,
                    &from,
                    &to,
                    label,
                )))
            }
            Action::BranchFrom => {
                let i = self.list.selected;
                if i >= self.entries.len() {
                    return Outcome::None;
                }
                Outcome::Modal(Modal::prompt(
                    BRANCH,
                    format!("New branch at {}", self.label(i)),
                    "the new branch's name",
                    "",
                ))
            }
            _ => Outcome::Unhandled,
        }
    }

    fn answer(&mut self, tag: u32, r: ModalResult, cx: &mut Ctx) -> Outcome {
        if let (BRANCH, ModalResult::Text(name)) = (tag, r) {
            let name = name.trim();
            if name.is_empty() {
                return Outcome::KeepModal("give the branch a name".into());
            }
            let Some(from) = self.point(self.list.selected) else {
                return Outcome::None;
            };
            match cx.backend.create_branch(&self.project, name, &from) {
                Ok(_) => cx.info(format!(
                    "Created branch {name} at {}",
                    self.label(self.list.selected)
                )),
                Err(e) => return Outcome::KeepModal(e.to_string()),
            }
        }
        Outcome::None
    }
}
