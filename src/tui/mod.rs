//! The terminal UI (`argonctl tui`, `argonctl merge --interactive`).
//!
//! Views: branches (tree of projects and branches), log, diff (collections
//! → documents → one document), merge (conflicts). It works through the
//! [`Backend`] trait only: quick calls on the UI thread, slow loads (diff
//! streaming, ahead/behind counts) on a worker thread with its own backend
//! ([`worker`]). Keys come from [`keymap`] (configurable).
//!
//! The terminal is restored on exit, on error, on panic (a panic hook) and
//! on Ctrl-C (a key in raw mode, handled as quit).

pub mod app;
pub mod keymap;
pub mod theme;
pub mod views;
pub mod widgets;
pub mod worker;

#[cfg(test)]
mod tests;

use crate::backend::Backend;
use app::{App, AppEvent, Ctx};
use keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{IsTerminal, Stdout};
use std::sync::Arc;
use std::time::Duration;
use theme::Theme;
use views::branches::BranchesView;
use views::log::LogView;
use views::merge::MergeView;
use worker::Opener;

/// Where the UI opens.
#[derive(Debug, Clone)]
pub enum Start {
    /// The branches view (of one project, or all), landing on a merge in
    /// progress if there is one; `reference` selects a branch, or opens the
    /// log of any other ref.
    Home {
        project: Option<String>,
        reference: Option<String>,
    },
    /// The merge in progress into `branch` (for `merge --interactive`).
    Merge { project: String, branch: String },
}

/// Builds the first views for a start point.
pub fn open(app: &mut App, start: &Start) {
    let views = app.with_ctx(|cx| first_views(cx, start));
    for v in views {
        app.push(v);
    }
}

fn first_views(cx: &mut Ctx, start: &Start) -> Vec<Box<dyn app::View>> {
    match start {
        Start::Merge { project, branch } => {
            vec![Box::new(MergeView::new(cx, project, branch))]
        }
        Start::Home { project, reference } => {
            let projects = match project {
                Some(p) => vec![p.clone()],
                None => cx.backend.project_names().unwrap_or_default(),
            };
            let mut select = None;
            let mut top: Option<Box<dyn app::View>> = None;
            if let (Some(p), Some(r)) = (project, reference) {
                let is_branch = cx
                    .backend
                    .list_branches(p)
                    .map(|bs| bs.iter().any(|b| &b.name == r))
                    .unwrap_or(false);
                if is_branch {
                    select = Some((p.clone(), r.clone()));
                    if matches!(cx.backend.merge_state(p, r), Ok(Some(_))) {
                        top = Some(Box::new(MergeView::new(cx, p, r)));
                    }
                } else {
                    top = Some(Box::new(LogView::new(cx, p, r)));
                }
            } else {
                // Land on a merge in progress, if any.
                let found = projects.iter().find_map(|p| {
                    let b = cx.backend.merges_in_progress(p).ok()?.into_iter().next()?;
                    Some((p.clone(), b))
                });
                if let Some((p, b)) = found {
                    top = Some(Box::new(MergeView::new(cx, &p, &b)));
                    select = Some((p, b));
                }
            }
            let branches = BranchesView::new(cx, project.clone(), select);
            let mut v: Vec<Box<dyn app::View>> = vec![Box::new(branches)];
            v.extend(top);
            v
        }
    }
}

/// Puts the terminal back: raw mode off, main screen, mouse released.
fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn enter_terminal() -> std::io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(std::io::stdout()))
}

/// Whether stdin and stdout are a terminal (the UI needs one).
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs the UI until the user quits; returns what happened (merges
/// committed or aborted).
pub fn run(
    backend: &dyn Backend,
    opener: Opener,
    start: Start,
    no_color: bool,
) -> std::io::Result<Vec<AppEvent>> {
    let (keymap, warnings) = Keymap::load();
    let mut app = App::new(backend, opener, keymap, Theme::from_env(no_color));
    if let Some(w) = warnings.first() {
        app.set_status(w.clone(), true);
    }
    // The panic hook restores the terminal before the message is printed.
    let previous = Arc::new(std::panic::take_hook());
    {
        let previous = previous.clone();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    }
    let result = (|| {
        let mut terminal = enter_terminal()?;
        let _guard = TerminalGuard;
        open(&mut app, &start);
        event_loop(&mut terminal, &mut app)
    })();
    let _ = std::panic::take_hook();
    if let Ok(prev) = Arc::try_unwrap(previous) {
        std::panic::set_hook(prev);
    }
    result?;
    Ok(std::mem::take(&mut app.events))
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
) -> std::io::Result<()> {
    loop {
        app.pump();
        terminal.draw(|f| app.draw(f))?;
        if app.should_quit() {
            return Ok(());
        }
        if let Some((tag, text)) = app.take_editor_request() {
            restore_terminal();
            let result = edit_in_editor(&text);
            // A fresh screen and terminal: everything is drawn again (no
            // `Terminal::clear`, which asks the terminal for the cursor).
            enable_raw_mode()?;
            execute!(
                std::io::stdout(),
                EnterAlternateScreen,
                Clear(ClearType::All),
                EnableMouseCapture
            )?;
            *terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
            app.editor_done(tag, result);
            continue;
        }
        let timeout = if app.busy() {
            Duration::from_millis(80)
        } else {
            Duration::from_millis(500)
        };
        if event::poll(timeout)? {
            // Handle everything queued before drawing again.
            loop {
                match event::read()? {
                    Event::Key(k) => app.key(k),
                    Event::Mouse(m) => app.mouse(m),
                    _ => {}
                }
                if app.should_quit() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        app.tick();
    }
}

/// Edits `text` in `$VISUAL`/`$EDITOR` (default `vi`) through a temp file.
pub fn edit_in_editor(text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|s| !s.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path =
        std::env::temp_dir().join(format!("argon-value-{}-{nanos}.json", std::process::id()));
    std::fs::write(&path, format!("{text}\n")).map_err(|e| format!("temp file: {e}"))?;
    // Through the shell, so EDITOR may carry arguments ("code -w").
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let out = match status {
        Ok(s) if s.success() => {
            std::fs::read_to_string(&path).map_err(|e| format!("reading the edited value: {e}"))
        }
        Ok(s) => Err(format!(
            "the editor ({editor}) exited with {s}; nothing changed"
        )),
        Err(e) => Err(format!("cannot run the editor ({editor}): {e}")),
    };
    let _ = std::fs::remove_file(&path);
    out
}

/// The opener for a local data dir (what the CLI uses).
pub fn local_opener(dir: std::path::PathBuf) -> Opener {
    Arc::new(move || {
        let b = crate::backend::local::LocalBackend::open(&dir)?;
        Ok(Box::new(b) as Box<dyn Backend>)
    })
}
