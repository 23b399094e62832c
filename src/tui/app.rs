//! The application state: a stack of views, one modal popup at most, a
//! status line, the worker. Keys go to the popup if one is open, else to
//! the top view through the keymap; what the view answers ([`Outcome`])
//! says how the stack changes.

use super::keymap::{Action, Key, Keymap, Scope};
use super::theme::Theme;
use super::widgets::popup::{Modal, ModalKind, ModalResult};
use super::worker::{Msg, Opener, Worker};
use crate::backend::Backend;
use crate::engine::merge::MergeReport;
use crate::tui::widgets::put;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::time::{Duration, Instant};

pub struct Status {
    pub text: String,
    pub error: bool,
}

/// What happened that the caller of the UI may need to know.
#[derive(Debug, Clone)]
pub enum AppEvent {
    MergeCommitted {
        project: String,
        branch: String,
        report: MergeReport,
    },
    MergeAborted {
        project: String,
        branch: String,
    },
}

/// What a view's handlers get: the backend for quick calls, the worker for
/// slow ones, the status line.
pub struct Ctx<'a> {
    pub backend: &'a dyn Backend,
    pub worker: &'a mut Worker,
    status: &'a mut Option<Status>,
    pub events: &'a mut Vec<AppEvent>,
}

impl Ctx<'_> {
    pub fn info(&mut self, text: impl Into<String>) {
        *self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl std::fmt::Display) {
        *self.status = Some(Status {
            text: text.to_string(),
            error: true,
        });
    }
}

pub struct DrawCtx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub tick: usize,
}

impl DrawCtx<'_> {
    pub fn spinner(&self) -> &'static str {
        const FRAMES: [&str; 4] = ["|", "/", "-", "\\"];
        FRAMES[self.tick % FRAMES.len()]
    }
}

pub enum Outcome {
    /// Not this view's key: the app applies its default (q/esc go back).
    Unhandled,
    None,
    Push(Box<dyn View>),
    /// Replace this view with another.
    Replace(Box<dyn View>),
    Pop,
    Quit,
    Modal(Modal),
    /// Keep the prompt that was just answered open, with this error.
    KeepModal(String),
    /// Edit text in $EDITOR; the result comes back as `answer(tag, Text)`.
    Editor {
        tag: u32,
        text: String,
    },
}

pub trait View {
    /// Key scopes, most specific first (Global is implied).
    fn scopes(&self) -> &'static [Scope];
    /// Short name for the header's breadcrumb.
    fn title(&self) -> String;
    fn draw(&mut self, f: &mut Frame, area: Rect, d: &DrawCtx);
    fn action(&mut self, action: Action, cx: &mut Ctx) -> Outcome;
    fn answer(&mut self, _tag: u32, _r: ModalResult, _cx: &mut Ctx) -> Outcome {
        Outcome::None
    }
    /// A worker message; true when this view took it.
    fn on_msg(&mut self, _msg: &mut Msg) -> bool {
        false
    }
    /// Still loading something.
    fn busy(&self) -> bool {
        false
    }
    /// The view above was closed: reload what may have changed.
    fn resumed(&mut self, _cx: &mut Ctx) {}
    /// The view is going away: cancel its jobs.
    fn closing(&mut self) {}
}

pub struct App<'a> {
    backend: &'a dyn Backend,
    pub worker: Worker,
    pub keymap: Keymap,
    pub theme: Theme,
    stack: Vec<Box<dyn View>>,
    modal: Option<Modal>,
    status: Option<Status>,
    pub events: Vec<AppEvent>,
    quit: bool,
    tick: usize,
    editor: Option<(u32, String)>,
}

impl<'a> App<'a> {
    pub fn new(backend: &'a dyn Backend, opener: Opener, keymap: Keymap, theme: Theme) -> App<'a> {
        App {
            backend,
            worker: Worker::start(opener),
            keymap,
            theme,
            stack: Vec::new(),
            modal: None,
            status: None,
            events: Vec::new(),
            quit: false,
            tick: 0,
            editor: None,
        }
    }

    fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            backend: self.backend,
            worker: &mut self.worker,
            status: &mut self.status,
            events: &mut self.events,
        }
    }

    /// Runs `f` with the context (to build the first view).
    pub fn with_ctx<R>(&mut self, f: impl FnOnce(&mut Ctx) -> R) -> R {
        let mut cx = self.ctx();
        f(&mut cx)
    }

    pub fn push(&mut self, v: Box<dyn View>) {
        self.stack.push(v);
    }

    pub fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    pub fn should_quit(&self) -> bool {
        self.quit || self.stack.is_empty()
    }

    pub fn busy(&self) -> bool {
        self.stack.iter().any(|v| v.busy())
    }

    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    pub fn top_title(&self) -> String {
        self.stack.last().map(|v| v.title()).unwrap_or_default()
    }

    pub fn key(&mut self, ev: KeyEvent) {
        let Some(key) = Key::from_event(&ev) else {
            return;
        };
        if key.code == KeyCode::Char('c') && key.mods.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        self.status = None;
        if let Some(mut modal) = self.modal.take() {
            let action = self.keymap.action(&[], key);
            match modal.key(&ev, action) {
                None => self.modal = Some(modal),
                Some(r) => {
                    if matches!(modal.kind, ModalKind::Help { .. }) {
                        return;
                    }
                    let tag = modal.tag;
                    let out = match self.stack.pop() {
                        Some(mut top) => {
                            let out = top.answer(tag, r, &mut self.ctx());
                            self.stack.push(top);
                            out
                        }
                        None => Outcome::None,
                    };
                    if let Outcome::KeepModal(err) = out {
                        modal.set_error(err);
                        self.modal = Some(modal);
                    } else {
                        self.apply(out, None);
                    }
                }
            }
            return;
        }
        let scopes = self.stack.last().map(|v| v.scopes()).unwrap_or(&[]);
        let Some(action) = self.keymap.action(scopes, key) else {
            return;
        };
        self.act(action);
    }

    /// Runs an action on the top view (also what tests and mouse use).
    pub fn act(&mut self, action: Action) {
        if action == Action::Help {
            let scopes = self.stack.last().map(|v| v.scopes()).unwrap_or(&[]);
            self.modal = Some(Modal {
                tag: 0,
                kind: ModalKind::Help {
                    title: format!("Keys: {}", self.top_title()),
                    lines: self.keymap.help(scopes),
                    scroll: 0,
                },
            });
            return;
        }
        let out = match self.stack.pop() {
            Some(mut top) => {
                let out = top.action(action, &mut self.ctx());
                self.stack.push(top);
                out
            }
            None => return,
        };
        self.apply(out, Some(action));
    }

    fn apply(&mut self, out: Outcome, action: Option<Action>) {
        match out {
            Outcome::Unhandled => match action {
                Some(Action::Quit) | Some(Action::Back) => {
                    if self.stack.len() > 1 {
                        self.pop();
                    } else if action == Some(Action::Quit) {
                        self.quit = true;
                    }
                }
                _ => {}
            },
            Outcome::None | Outcome::KeepModal(_) => {}
            Outcome::Push(v) => self.stack.push(v),
            Outcome::Replace(v) => {
                if let Some(mut old) = self.stack.pop() {
                    old.closing();
                }
                self.stack.push(v);
            }
            Outcome::Pop => {
                if self.stack.len() > 1 {
                    self.pop();
                } else {
                    self.quit = true;
                }
            }
            Outcome::Quit => self.quit = true,
            Outcome::Modal(m) => self.modal = Some(m),
            Outcome::Editor { tag, text } => self.editor = Some((tag, text)),
        }
    }

    fn pop(&mut self) {
        if let Some(mut v) = self.stack.pop() {
            v.closing();
        }
        if let Some(mut top) = self.stack.pop() {
            top.resumed(&mut self.ctx());
            self.stack.push(top);
        }
    }

    pub fn mouse(&mut self, ev: MouseEvent) {
        if self.modal.is_some() {
            return;
        }
        match ev.kind {
            MouseEventKind::ScrollDown => {
                for _ in 0..3 {
                    self.act(Action::Down);
                }
            }
            MouseEventKind::ScrollUp => {
                for _ in 0..3 {
                    self.act(Action::Up);
                }
            }
            _ => {}
        }
    }

    /// A pending request to edit text in $EDITOR (the event loop runs it
    /// with the terminal suspended, then calls [`App::editor_done`]).
    pub fn take_editor_request(&mut self) -> Option<(u32, String)> {
        self.editor.take()
    }

    pub fn editor_done(&mut self, tag: u32, result: Result<String, String>) {
        let out = match result {
            Err(e) => {
                self.set_status(e, true);
                return;
            }
            Ok(text) => match self.stack.pop() {
                Some(mut top) => {
                    let out = top.answer(tag, ModalResult::Text(text), &mut self.ctx());
                    self.stack.push(top);
                    out
                }
                None => return,
            },
        };
        if let Outcome::KeepModal(err) = out {
            self.set_status(err, true);
        } else {
            self.apply(out, None);
        }
    }

    /// Hands worker messages to the views; true if there were any.
    pub fn pump(&mut self) -> bool {
        let mut any = false;
        while let Some(msg) = self.worker.try_recv() {
            self.deliver(msg);
            any = true;
        }
        any
    }

    fn deliver(&mut self, mut msg: Msg) {
        for v in self.stack.iter_mut().rev() {
            if v.on_msg(&mut msg) {
                break;
            }
        }
    }

    /// Blocks until no view is loading (tests, benchmarks), at most `max`.
    pub fn wait_idle(&mut self, max: Duration) {
        let start = Instant::now();
        self.pump();
        while self.busy() && start.elapsed() < max {
            if let Some(m) = self.worker.recv_timeout(Duration::from_millis(20)) {
                self.deliver(m);
            }
        }
        self.pump();
    }

    /// Waits for the next worker message (benchmarks); false on timeout.
    pub fn wait_msg(&mut self, max: Duration) -> bool {
        match self.worker.recv_timeout(max) {
            Some(m) => {
                self.deliver(m);
                self.pump();
                true
            }
            None => false,
        }
    }

    pub fn tick(&mut self) {
        self.tick = self.tick.wrapping_add(1);
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if area.height < 4 || area.width < 20 {
            f.render_widget(ratatui::widgets::Paragraph::new("window too small"), area);
            return;
        }
        let theme = self.theme;
        let header = Rect::new(area.x, area.y, area.width, 1);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        let status = Rect::new(area.x, area.y + area.height - 2, area.width, 1);
        let bar = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
        let crumbs: Vec<String> = self.stack.iter().map(|v| v.title()).collect();
        let busy = self.busy();
        let d = DrawCtx {
            theme: &theme,
            keymap: &self.keymap,
            tick: self.tick,
        };
        let mut spans = vec![Span::styled(" argon ", theme.title())];
        spans.push(Span::raw(crumbs.join(" › ")));
        if busy {
            spans.push(Span::raw(format!("  {}", d.spinner())));
        }
        put(
            f.buffer_mut(),
            header.x,
            header.y,
            &Line::from(spans),
            header.width,
        );
        if let Some(top) = self.stack.last_mut() {
            top.draw(f, body, &d);
        }
        if let Some(s) = &self.status {
            let style = if s.error { theme.error() } else { theme.ok() };
            put(
                f.buffer_mut(),
                status.x,
                status.y,
                &Line::styled(format!(" {}", s.text), style),
                status.width,
            );
        }
        let scopes = self.stack.last().map(|v| v.scopes()).unwrap_or(&[]);
        let mut spans = Vec::new();
        let mut used = 0usize;
        for (k, h) in self.keymap.bar(scopes) {
            let w = k.chars().count() + h.chars().count() + 3;
            if used + w > area.width as usize {
                break;
            }
            used += w;
            spans.push(Span::styled(format!(" {k}"), theme.key()));
            spans.push(Span::raw(format!(" {h} ")));
        }
        put(f.buffer_mut(), bar.x, bar.y, &Line::from(spans), bar.width);
        if let Some(m) = &mut self.modal {
            m.draw(f, &theme);
        }
    }
}
