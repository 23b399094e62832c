//! A merge in progress: the conflicts with progress, and for the selected
//! one base / ours / theirs side by side with the conflicting path
//! highlighted; take a side, edit the value (inline or in $EDITOR), apply
//! a side to the rest of the collection, then commit or abort.

use crate::engine::merge::{ConflictRecord, MergeState, Resolution};
use crate::tui::app::{AppEvent, Ctx, DrawCtx, Outcome, View};
use crate::tui::keymap::{Action, Scope};
use crate::tui::widgets::json::{one_line, parse_ext_json, pretty_value};
use crate::tui::widgets::popup::{Modal, ModalResult};
use crate::tui::widgets::put;
use crate::tui::widgets::vlist::{self, ListState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const EDIT: u32 = 1;
const ABORT: u32 = 2;

pub struct MergeView {
    project: String,
    branch: String,
    state: Option<MergeState>,
    list: ListState,
    /// After a commit or abort: what happened.
    done: Option<String>,
}

fn resolution_label(r: &Option<Resolution>) -> String {
    match r {
        None => "open".into(),
        Some(Resolution::Ours) => "ours".into(),
        Some(Resolution::Theirs) => "theirs".into(),
        Some(Resolution::Base) => "base".into(),
        Some(Resolution::Value { value: None }) => "removed".into(),
        Some(Resolution::Value { value: Some(_) }) => "edited".into(),
    }
}

impl MergeView {
    pub fn new(cx: &mut Ctx, project: &str, branch: &str) -> MergeView {
        let mut v = MergeView {
            project: project.to_string(),
            branch: branch.to_string(),
            state: None,
            list: ListState::default(),
            done: None,
        };
        v.load(cx);
        if let Some(s) = &v.state
            && let Some(i) = s.conflicts.iter().position(|c| c.resolution.is_none())
        {
            v.list.select(i, s.conflicts.len());
        }
        v
    }

    fn load(&mut self, cx: &mut Ctx) {
        match cx.backend.merge_state(&self.project, &self.branch) {
            Ok(Some(s)) => {
                self.list.select(self.list.selected, s.conflicts.len());
                self.state = Some(s);
            }
            Ok(None) => {
                self.state = None;
                if self.done.is_none() {
                    self.done = Some(format!("No merge is in progress into {}", self.branch));
                }
            }
            Err(e) => cx.error(e),
        }
    }

    fn conflicts(&self) -> &[ConflictRecord] {
        self.state.as_ref().map_or(&[], |s| s.conflicts.as_slice())
    }

    fn selected(&self) -> Option<&ConflictRecord> {
        self.conflicts().get(self.list.selected)
    }

    fn progress(&self) -> (usize, usize) {
        let c = self.conflicts();
        (c.iter().filter(|c| c.resolution.is_some()).count(), c.len())
    }

    /// Records resolutions and moves to the next open conflict.
    fn resolve(&mut self, cx: &mut Ctx, batch: Vec<(String, Resolution)>) -> Result<usize, String> {
        let n = batch.len();
        let records = cx
            .backend
            .resolve_conflicts(&self.project, &self.branch, batch)
            .map_err(|e| e.to_string())?;
        if let Some(state) = &mut self.state {
            for r in records {
                if let Some(c) = state.conflicts.iter_mut().find(|c| c.id == r.id) {
                    *c = r;
                }
            }
            let len = state.conflicts.len();
            let cur = self.list.selected;
            let next = (1..=len).map(|d| (cur + d) % len.max(1)).find(|&i| {
                state
                    .conflicts
                    .get(i)
                    .is_some_and(|c| c.resolution.is_none())
            });
            if let Some(i) = next {
                self.list.select(i, len);
            }
        }
        Ok(n)
    }

    fn take(&mut self, cx: &mut Ctx, r: Resolution) {
        let Some(c) = self.selected() else {
            return;
        };
        let id = c.id.clone();
        if let Err(e) = self.resolve(cx, vec![(id, r)]) {
            cx.error(e);
        }
    }

    fn take_all(&mut self, cx: &mut Ctx, r: Resolution) {
        let Some(coll) = self.selected().map(|c| c.collection.clone()) else {
            return;
        };
        let label = resolution_label(&Some(r.clone()));
        let batch: Vec<(String, Resolution)> = self
            .conflicts()
            .iter()
            .filter(|c| c.collection == coll && c.resolution.is_none())
            .map(|c| (c.id.clone(), r.clone()))
            .collect();
        if batch.is_empty() {
            cx.info(format!("No open conflicts left in {coll}"));
            return;
        }
        match self.resolve(cx, batch) {
            Ok(n) => cx.info(format!("Resolved {n} conflict(s) in {coll} with {label}")),
            Err(e) => cx.error(e),
        }
    }

    /// The text the editors start from: the chosen value, else ours.
    fn edit_seed(&self, pretty: bool) -> String {
        let Some(c) = self.selected() else {
            return String::new();
        };
        let v = match &c.resolution {
            Some(Resolution::Value { value }) => value.clone(),
            Some(Resolution::Theirs) => c.theirs.clone(),
            Some(Resolution::Base) => c.base.clone(),
            _ => c.ours.clone(),
        };
        match v {
            Some(v) if pretty => pretty_value(&v),
            Some(v) => one_line(&v),
            None => "null".into(),
        }
    }

    fn draw_detail(&self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        let Some(c) = self.selected() else {
            return;
        };
        let path = if c.path.is_empty() {
            "(whole document)".to_string()
        } else {
            c.path.clone()
        };
        let id = if c.id_value.is_null() {
            String::new()
        } else {
            format!(" {{_id: {}}}", one_line(&c.id_value))
        };
        let head = Line::from(vec![
            Span::styled(format!(" {}{id} ", c.collection), t.bold()),
            Span::raw("path "),
            Span::styled(path, t.highlight()),
            Span::styled(format!("  {} · id {}", c.kind, c.id), t.dim()),
        ]);
        let buf = f.buffer_mut();
        put(buf, area.x, area.y, &head, area.width);
        let mut top = area.y + 1;
        if let Some(Resolution::Value { value }) = &c.resolution {
            let v = value
                .as_ref()
                .map_or("(remove the field)".to_string(), one_line);
            put(
                buf,
                area.x,
                top,
                &Line::from(vec![
                    Span::styled(" ✓ edited value: ", t.ok()),
                    Span::styled(v, t.highlight()),
                ]),
                area.width,
            );
            top += 1;
        }
        let h = (area.y + area.height).saturating_sub(top);
        if h < 3 {
            return;
        }
        let w = area.width / 3;
        let cols = [
            ("base", &c.base, Resolution::Base),
            ("ours", &c.ours, Resolution::Ours),
            ("theirs", &c.theirs, Resolution::Theirs),
        ];
        for (i, (name, value, which)) in cols.into_iter().enumerate() {
            let x = area.x + w * i as u16;
            let width = if i == 2 { area.width - 2 * w } else { w };
            let rect = Rect::new(x, top, width, h);
            let chosen = c.resolution.as_ref() == Some(&which);
            let title = if chosen {
                format!(" ✓ {name} ")
            } else {
                format!(" {name} ")
            };
            let style = match (chosen, name) {
                (true, _) => t.ok(),
                (false, "ours") => t.removed(),
                (false, "theirs") => t.added(),
                _ => t.dim(),
            };
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(if chosen { t.ok() } else { t.border() })
                .title(Span::styled(
                    title,
                    style.add_modifier(ratatui::style::Modifier::BOLD),
                ));
            let text = match value {
                Some(v) => pretty_value(v),
                None => "(absent)".to_string(),
            };
            let lines: Vec<Line> = text
                .lines()
                .map(|l| Line::styled(l.to_string(), style))
                .collect();
            f.render_widget(
                Paragraph::new(lines)
                    .block(block)
                    .wrap(Wrap { trim: false }),
                rect,
            );
        }
    }
}

impl View for MergeView {
    fn scopes(&self) -> &'static [Scope] {
        &[Scope::Merge]
    }

    fn title(&self) -> String {
        format!("merge into {}", self.branch)
    }

    fn resumed(&mut self, cx: &mut Ctx) {
        self.load(cx);
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx) {
        let t = d.theme;
        if let Some(msg) = &self.done {
            put(
                f.buffer_mut(),
                area.x,
                area.y + 1,
                &Line::styled(format!("  {msg}"), t.ok()),
                area.width,
            );
            put(
                f.buffer_mut(),
                area.x,
                area.y + 3,
                &Line::styled("  q: leave", t.dim()),
                area.width,
            );
            return;
        }
        let Some(state) = &self.state else {
            return;
        };
        let (done, total) = self.progress();
        let bar_w = 20usize;
        let filled = (done * bar_w).checked_div(total).unwrap_or(bar_w);
        let head = Line::from(vec![
            Span::styled(
                format!(" Merging {} into {} ", state.source, self.branch),
                t.bold(),
            ),
            Span::styled(
                format!("[{}{}]", "█".repeat(filled), "░".repeat(bar_w - filled)),
                t.ok(),
            ),
            Span::raw(format!(" {done}/{total} resolved")),
        ]);
        put(f.buffer_mut(), area.x, area.y, &head, area.width);
        let list_h = (area.height.saturating_sub(1) * 2 / 5).max(3);
        let list_rect = Rect::new(area.x, area.y + 1, area.width, list_h);
        let conflicts = &state.conflicts;
        vlist::render(
            f.buffer_mut(),
            list_rect,
            &mut self.list,
            conflicts.len(),
            true,
            t,
            |i| {
                let c = &conflicts[i];
                let (mark, style) = match c.resolution {
                    Some(_) => ("✓", t.ok()),
                    None => ("•", t.modified()),
                };
                let id = if c.id_value.is_null() {
                    String::new()
                } else {
                    format!("{{_id: {}}} ", one_line(&c.id_value))
                };
                let path = if c.path.is_empty() {
                    "(document)"
                } else {
                    c.path.as_str()
                };
                Line::from(vec![
                    Span::styled(format!(" {mark} "), style),
                    Span::raw(format!("{} {id}", c.collection)),
                    Span::styled(path.to_string(), t.bold()),
                    Span::styled(format!("  {}", resolution_label(&c.resolution)), style),
                ])
            },
        );
        let detail = Rect::new(
            area.x,
            area.y + 1 + list_h,
            area.width,
            area.height.saturating_sub(1 + list_h),
        );
        self.draw_detail(f, detail, d);
    }

    fn action(&mut self, action: Action, cx: &mut Ctx) -> Outcome {
        if self.done.is_some() {
            return match action {
                Action::Refresh => {
                    self.done = None;
                    self.load(cx);
                    Outcome::None
                }
                _ => Outcome::Unhandled,
            };
        }
        let len = self.conflicts().len();
        if self.list.navigate(action, len) {
            return Outcome::None;
        }
        match action {
            Action::Refresh => self.load(cx),
            Action::TakeOurs => self.take(cx, Resolution::Ours),
            Action::TakeTheirs => self.take(cx, Resolution::Theirs),
            Action::TakeBase => self.take(cx, Resolution::Base),
            Action::AllOurs => self.take_all(cx, Resolution::Ours),
            Action::AllTheirs => self.take_all(cx, Resolution::Theirs),
            Action::AllBase => self.take_all(cx, Resolution::Base),
            Action::EditInline => {
                if let Some(c) = self.selected() {
                    let id = if c.id_value.is_null() {
                        String::new()
                    } else {
                        format!(" {{_id: {}}}", one_line(&c.id_value))
                    };
                    let path = if c.path.is_empty() {
                        "(document)"
                    } else {
                        &c.path
                    };
                    let title = format!("Value for {}{id} {path}", c.collection);
                    return Outcome::Modal(Modal::prompt(
                        EDIT,
                        title,
                        "Extended JSON, e.g. 42, \"text\", {\"$date\": \"2026-01-01T00:00:00Z\"}; null removes",
                        &self.edit_seed(false),
                    ));
                }
            }
            Action::EditExternal => {
                if self.selected().is_some() {
                    return Outcome::Editor {
                        tag: EDIT,
                        text: self.edit_seed(true),
                    };
                }
            }
            Action::Commit => {
                let (done, total) = self.progress();
                if done < total {
                    cx.error(format!(
                        "{} of {total} conflicts are still open: resolve them first",
                        total - done
                    ));
                    return Outcome::None;
                }
                match cx.backend.continue_merge(&self.project, &self.branch) {
                    Ok(report) => {
                        let commit = report.commit.clone().unwrap_or_default();
                        self.done = Some(format!(
                            "Merged {} into {} ({} document changes), commit {}",
                            report.source,
                            self.branch,
                            report.changes.len(),
                            &commit[..12.min(commit.len())]
                        ));
                        cx.events.push(AppEvent::MergeCommitted {
                            project: self.project.clone(),
                            branch: self.branch.clone(),
                            report,
                        });
                        self.state = None;
                    }
                    Err(e) => cx.error(e),
                }
            }
            Action::Abort => {
                return Outcome::Modal(Modal::confirm(
                    ABORT,
                    format!(
                        "Abort the merge into {}? The resolutions so far are dropped; nothing else changes.",
                        self.branch
                    ),
                ));
            }
            _ => return Outcome::Unhandled,
        }
        Outcome::None
    }

    fn answer(&mut self, tag: u32, r: ModalResult, cx: &mut Ctx) -> Outcome {
        match (tag, r) {
            (EDIT, ModalResult::Text(text)) => {
                let resolution = if text.trim() == "null" {
                    Resolution::Value { value: None }
                } else {
                    match parse_ext_json(&text) {
                        Ok(v) => Resolution::Value { value: Some(v) },
                        Err(e) => return Outcome::KeepModal(e),
                    }
                };
                let Some(id) = self.selected().map(|c| c.id.clone()) else {
                    return Outcome::None;
                };
                match self.resolve(cx, vec![(id, resolution)]) {
                    Ok(_) => Outcome::None,
                    Err(e) => Outcome::KeepModal(e),
                }
            }
            (ABORT, ModalResult::Yes) => {
                match cx.backend.abort_merge(&self.project, &self.branch) {
                    Ok(()) => {
                        self.done = Some(format!(
                            "Aborted the merge into {}; nothing was changed",
                            self.branch
                        ));
                        self.state = None;
                        cx.events.push(AppEvent::MergeAborted {
                            project: self.project.clone(),
                            branch: self.branch.clone(),
                        });
                    }
                    Err(e) => cx.error(e),
                }
                Outcome::None
            }
            _ => Outcome::None,
        }
    }
}
