//! A diff between two points: collections with change counts, and the
//! changed documents (filterable by kind, searchable), streamed in by the
//! worker and shown as they arrive.

use super::document::DocumentView;
use crate::backend::CollectionHeader;
use crate::tui::app::{Ctx, DrawCtx, Outcome, View};
use crate::tui::keymap::{Action, Scope};
use crate::tui::widgets::popup::{Modal, ModalResult};
use crate::tui::widgets::put;
use crate::tui::widgets::vlist::{self, ListState};
use crate::tui::worker::{DiffEntry, Job, Kind, Msg};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const SEARCH: u32 = 1;

#[derive(Default, Clone, Copy)]
struct Counts {
    added: usize,
    removed: usize,
    modified: usize,
}

impl Counts {
    fn add(&mut self, k: Kind) {
        match k {
            Kind::Added => self.added += 1,
            Kind::Removed => self.removed += 1,
            Kind::Modified => self.modified += 1,
        }
    }
    fn total(&self) -> usize {
        self.added + self.removed + self.modified
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pane {
    Collections,
    Documents,
}

pub struct DiffView {
    project: String,
    label: String,
    seq: u64,
    cancel: Arc<AtomicBool>,
    loading: bool,
    error: Option<String>,
    colls: Vec<(CollectionHeader, Counts)>,
    totals: Counts,
    entries: Vec<DiffEntry>,
    /// Indices into `entries` that pass the collection, kind and search filters.
    visible: Vec<u32>,
    coll_list: ListState,
    doc_list: ListState,
    focus: Pane,
    kind: Option<Kind>,
    search: String,
}

impl DiffView {
    pub fn new(cx: &mut Ctx, project: &str, from: &str, to: &str, label: String) -> DiffView {
        let seq = cx.worker.next_seq();
        let cancel = Arc::new(AtomicBool::new(false));
        cx.worker.send(Job::Diff {
            seq,
            project: project.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            cancel: cancel.clone(),
        });
        DiffView {
            project: project.to_string(),
            label,
            seq,
            cancel,
            loading: true,
            error: None,
            colls: Vec::new(),
            totals: Counts::default(),
            entries: Vec::new(),
            visible: Vec::new(),
            coll_list: ListState::default(),
            doc_list: ListState::default(),
            focus: Pane::Documents,
            kind: None,
            search: String::new(),
        }
    }

    /// Rows of the document list (for benchmarks and tests).
    pub fn visible_rows(&self) -> usize {
        self.visible.len()
    }

    fn matches(&self, e: &DiffEntry) -> bool {
        if self.coll_list.selected > 0 && e.coll as usize != self.coll_list.selected - 1 {
            return false;
        }
        if self.kind.is_some_and(|k| k != e.kind) {
            return false;
        }
        if !self.search.is_empty() {
            let q = self.search.to_lowercase();
            return e.id.to_lowercase().contains(&q) || e.summary.to_lowercase().contains(&q);
        }
        true
    }

    fn refilter(&mut self) {
        let visible: Vec<u32> = (0..self.entries.len())
            .filter(|&i| self.matches(&self.entries[i]))
            .map(|i| i as u32)
            .collect();
        self.visible = visible;
        self.doc_list = ListState {
            height: self.doc_list.height,
            ..ListState::default()
        };
    }

    fn kind_label(&self) -> &'static str {
        match self.kind {
            None => "all",
            Some(Kind::Added) => "added",
            Some(Kind::Removed) => "removed",
            Some(Kind::Modified) => "modified",
        }
    }
}

fn marker(k: Kind) -> &'static str {
    match k {
        Kind::Added => "+",
        Kind::Removed => "-",
        Kind::Modified => "~",
    }
}

impl View for DiffView {
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Diff]
    }

    fn title(&self) -> String {
        format!("diff {}", self.project)
    }

    fn busy(&self) -> bool {
        self.loading
    }

    fn closing(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn on_msg(&mut self, msg: &mut Msg) -> bool {
        match msg {
            Msg::DiffCollection { seq, header } if *seq == self.seq => {
                self.colls.push((header.clone(), Counts::default()));
                true
            }
            Msg::DiffBatch { seq, entries } if *seq == self.seq => {
                let entries = std::mem::take(entries);
                self.entries.reserve(entries.len());
                for e in entries {
                    if let Some((_, c)) = self.colls.get_mut(e.coll as usize) {
                        c.add(e.kind);
                    }
                    self.totals.add(e.kind);
                    if self.matches(&e) {
                        self.visible.push(self.entries.len() as u32);
                    }
                    self.entries.push(e);
                }
                true
            }
            Msg::DiffDone { seq, error } if *seq == self.seq => {
                self.loading = false;
                self.error = error.take();
                true
            }
            _ => false,
        }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        if area.height < 4 {
            return;
        }
        let mut spans = vec![
            Span::styled(format!(" {} ", self.label), t.bold()),
            Span::styled(format!("+{}", self.totals.added), t.added()),
            Span::raw(" "),
            Span::styled(format!("-{}", self.totals.removed), t.removed()),
            Span::raw(" "),
            Span::styled(format!("~{}", self.totals.modified), t.modified()),
        ];
        if self.loading {
            spans.push(Span::raw(format!("  {} loading", d.spinner())));
        }
        put(
            f.buffer_mut(),
            area.x,
            area.y,
            &Line::from(spans),
            area.width,
        );
        let y = area.y + 1;
        let h = area.height - 1;
        let left_w = (area.width / 3).clamp(16, 30);
        let left = Rect::new(area.x, y, left_w, h);
        let right = Rect::new(area.x + left_w, y, area.width - left_w, h);
        let focus_style = |p: Pane| {
            if self.focus == p {
                t.title()
            } else {
                t.border()
            }
        };
        let lb = Block::default()
            .borders(Borders::ALL)
            .border_style(focus_style(Pane::Collections))
            .title(" Collections ");
        let linner = lb.inner(left);
        f.render_widget(lb, left);
        let colls = &self.colls;
        let totals = self.totals;
        let n = colls.len() + 1;
        vlist::render(
            f.buffer_mut(),
            linner,
            &mut self.coll_list,
            n,
            self.focus == Pane::Collections,
            t,
            |i| {
                let (name, c) = if i == 0 {
                    ("(all)".to_string(), totals)
                } else {
                    let (hd, c) = &colls[i - 1];
                    (hd.name.clone(), *c)
                };
                let count = format!("{}", c.total());
                let w = (linner.width as usize).saturating_sub(count.len() + 2);
                let name: String = name.chars().take(w).collect();
                Line::from(vec![
                    Span::raw(format!(" {name:<w$}")),
                    Span::styled(format!("{count} "), t.dim()),
                ])
            },
        );
        let mut title = format!(
            " Documents {} · {} ",
            vlist::position(&self.doc_list, self.visible.len()),
            self.kind_label()
        );
        if !self.search.is_empty() {
            title.push_str(&format!("· /{} ", self.search));
        }
        let rb = Block::default()
            .borders(Borders::ALL)
            .border_style(focus_style(Pane::Documents))
            .title(title);
        let rinner = rb.inner(right);
        f.render_widget(rb, right);
        if let Some(e) = &self.error {
            put(
                f.buffer_mut(),
                rinner.x,
                rinner.y,
                &Line::styled(e.clone(), t.error()),
                rinner.width,
            );
            return;
        }
        if self.visible.is_empty() && !self.loading {
            let msg = if self.entries.is_empty() {
                "no changes"
            } else {
                "nothing matches"
            };
            put(
                f.buffer_mut(),
                rinner.x,
                rinner.y,
                &Line::styled(format!(" {msg}"), t.dim()),
                rinner.width,
            );
            return;
        }
        let (entries, visible) = (&self.entries, &self.visible);
        let show_coll = self.coll_list.selected == 0 && self.colls.len() > 1;
        vlist::render(
            f.buffer_mut(),
            rinner,
            &mut self.doc_list,
            visible.len(),
            self.focus == Pane::Documents,
            t,
            |i| {
                let e = &entries[visible[i] as usize];
                let style = match e.kind {
                    Kind::Added => t.added(),
                    Kind::Removed => t.removed(),
                    Kind::Modified => t.modified(),
                };
                let mut spans = vec![Span::styled(format!(" {} ", marker(e.kind)), style)];
                if show_coll && let Some((h, _)) = colls.get(e.coll as usize) {
                    spans.push(Span::styled(format!("{} ", h.name), t.dim()));
                }
                spans.push(Span::raw(format!("{}  ", e.id)));
                spans.push(Span::styled(e.summary.clone(), t.dim()));
                Line::from(spans)
            },
        );
    }

    fn action(&mut self, action: Action, cx: &mut Ctx) -> Outcome {
        match action {
            Action::SwitchPane => {
                self.focus = match self.focus {
                    Pane::Collections => Pane::Documents,
                    Pane::Documents => Pane::Collections,
                };
                Outcome::None
            }
            Action::Filter => {
                self.kind = match self.kind {
                    None => Some(Kind::Added),
                    Some(Kind::Added) => Some(Kind::Removed),
                    Some(Kind::Removed) => Some(Kind::Modified),
                    Some(Kind::Modified) => None,
                };
                self.refilter();
                Outcome::None
            }
            Action::Search => Outcome::Modal(Modal::prompt(
                SEARCH,
                "Search documents",
                "part of an _id or a changed field's path (empty: show all)",
                &self.search,
            )),
            Action::Back if !self.search.is_empty() => {
                self.search.clear();
                self.refilter();
                Outcome::None
            }
            Action::Open => match self.focus {
                Pane::Collections => {
                    self.focus = Pane::Documents;
                    Outcome::None
                }
                Pane::Documents => {
                    let Some(&i) = self.visible.get(self.doc_list.selected) else {
                        return Outcome::None;
                    };
                    let e = &self.entries[i as usize];
                    let coll = self
                        .colls
                        .get(e.coll as usize)
                        .map(|(h, _)| h.name.clone())
                        .unwrap_or_default();
                    match DocumentView::new(&coll, e) {
                        Ok(v) => Outcome::Push(Box::new(v)),
                        Err(err) => {
                            cx.error(err);
                            Outcome::None
                        }
                    }
                }
            },
            a => {
                let moved = match self.focus {
                    Pane::Collections => {
                        let before = self.coll_list.selected;
                        let moved = self.coll_list.navigate(a, self.colls.len() + 1);
                        if self.coll_list.selected != before {
                            self.refilter();
                        }
                        moved
                    }
                    Pane::Documents => self.doc_list.navigate(a, self.visible.len()),
                };
                if moved {
                    Outcome::None
                } else {
                    Outcome::Unhandled
                }
            }
        }
    }

    fn answer(&mut self, tag: u32, r: ModalResult, _cx: &mut Ctx) -> Outcome {
        if let (SEARCH, ModalResult::Text(s)) = (tag, r) {
            self.search = s.trim().to_string();
            self.refilter();
            self.focus = Pane::Documents;
        }
        Outcome::None
    }
}
