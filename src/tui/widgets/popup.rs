//! Modal popups: confirm (every destructive action goes through it),
//! single-line prompt (names, search, inline value editor), picker, help.

use super::vlist::{self, ListState};
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// A single-line text editor.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub text: String,
    /// Cursor position in chars.
    pub cursor: usize,
}

pub enum InputEvent {
    Submit,
    Cancel,
    Edited,
    Ignored,
}

impl Input {
    pub fn new(text: &str) -> Input {
        Input {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map_or(self.text.len(), |(b, _)| b)
    }

    pub fn handle(&mut self, key: &KeyEvent) -> InputEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Enter => return InputEvent::Submit,
            KeyCode::Esc => return InputEvent::Cancel,
            KeyCode::Char('c') if ctrl => return InputEvent::Cancel,
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = len,
            KeyCode::Char('u') if ctrl => {
                let b = self.byte(self.cursor);
                self.text.replace_range(..b, "");
                self.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte(start), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl => {
                let b = self.byte(self.cursor);
                self.text.insert(b, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let (a, b) = (self.byte(self.cursor - 1), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < len => {
                let (a, b) = (self.byte(self.cursor), self.byte(self.cursor + 1));
                self.text.replace_range(a..b, "");
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => return InputEvent::Ignored,
        }
        InputEvent::Edited
    }

    /// The visible part of the text for `width` cells, cursor shown.
    pub fn line(&self, width: usize, theme: &Theme) -> Line<'static> {
        let chars: Vec<char> = self.text.chars().collect();
        let width = width.max(2);
        let start = (self.cursor + 1).saturating_sub(width);
        let end = (start + width).min(chars.len() + 1);
        let mut spans = Vec::new();
        let before: String = chars[start..self.cursor.min(chars.len())].iter().collect();
        spans.push(Span::raw(before));
        let at = chars.get(self.cursor).copied().unwrap_or(' ');
        spans.push(Span::styled(at.to_string(), theme.selected()));
        if self.cursor + 1 < end {
            let after: String = chars[self.cursor + 1..end.min(chars.len())]
                .iter()
                .collect();
            spans.push(Span::raw(after));
        }
        Line::from(spans)
    }
}

pub enum ModalKind {
    Confirm {
        message: String,
    },
    Prompt {
        title: String,
        hint: String,
        input: Input,
        error: Option<String>,
    },
    Pick {
        title: String,
        items: Vec<String>,
        state: ListState,
    },
    Help {
        title: String,
        lines: Vec<(String, &'static str)>,
        scroll: usize,
    },
}

/// A popup; `tag` tells the view that opened it which question it answers.
pub struct Modal {
    pub tag: u32,
    pub kind: ModalKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModalResult {
    Yes,
    Text(String),
    Picked(usize),
    Cancelled,
}

impl Modal {
    pub fn confirm(tag: u32, message: impl Into<String>) -> Modal {
        Modal {
            tag,
            kind: ModalKind::Confirm {
                message: message.into(),
            },
        }
    }

    pub fn prompt(
        tag: u32,
        title: impl Into<String>,
        hint: impl Into<String>,
        text: &str,
    ) -> Modal {
        Modal {
            tag,
            kind: ModalKind::Prompt {
                title: title.into(),
                hint: hint.into(),
                input: Input::new(text),
                error: None,
            },
        }
    }

    pub fn pick(tag: u32, title: impl Into<String>, items: Vec<String>) -> Modal {
        Modal {
            tag,
            kind: ModalKind::Pick {
                title: title.into(),
                items,
                state: ListState::default(),
            },
        }
    }

    /// Feeds a key; `Some` when the popup is answered (and closes).
    /// `action` is what the keymap makes of the key (for lists).
    pub fn key(&mut self, key: &KeyEvent, action: Option<Action>) -> Option<ModalResult> {
        match &mut self.kind {
            ModalKind::Confirm { .. } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => Some(ModalResult::Yes),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc | KeyCode::Char('q') => {
                    Some(ModalResult::Cancelled)
                }
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    Some(ModalResult::Cancelled)
                }
                _ => None,
            },
            ModalKind::Prompt { input, error, .. } => match input.handle(key) {
                InputEvent::Submit => Some(ModalResult::Text(input.text.clone())),
                InputEvent::Cancel => Some(ModalResult::Cancelled),
                InputEvent::Edited => {
                    *error = None;
                    None
                }
                InputEvent::Ignored => None,
            },
            ModalKind::Pick { items, state, .. } => {
                if key.code == KeyCode::Enter {
                    return (!items.is_empty()).then_some(ModalResult::Picked(state.selected));
                }
                match action {
                    Some(Action::Back) | Some(Action::Quit) => Some(ModalResult::Cancelled),
                    Some(a) => {
                        state.navigate(a, items.len());
                        None
                    }
                    None => None,
                }
            }
            ModalKind::Help { lines, scroll, .. } => match action {
                Some(Action::Down) => {
                    *scroll = (*scroll + 1).min(lines.len().saturating_sub(1));
                    None
                }
                Some(Action::Up) => {
                    *scroll = scroll.saturating_sub(1);
                    None
                }
                _ => Some(ModalResult::Cancelled),
            },
        }
    }

    /// Keeps a prompt open with an error under the input.
    pub fn set_error(&mut self, msg: String) {
        if let ModalKind::Prompt { error, .. } = &mut self.kind {
            *error = Some(msg);
        }
    }

    pub fn draw(&mut self, f: &mut Frame, theme: &Theme) {
        let screen = f.area();
        match &mut self.kind {
            ModalKind::Confirm { message } => {
                let area = centered(screen, 60, 5);
                let block = titled(" Confirm ", theme);
                let text = vec![
                    Line::from(message.clone()),
                    Line::from(vec![
                        Span::styled("y", theme.key()),
                        Span::raw(" yes   "),
                        Span::styled("n", theme.key()),
                        Span::raw(" no"),
                    ]),
                ];
                f.render_widget(Clear, area);
                f.render_widget(
                    Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
                    area,
                );
            }
            ModalKind::Prompt {
                title,
                hint,
                input,
                error,
            } => {
                let area = centered(screen, 76, 6);
                f.render_widget(Clear, area);
                let block = titled(&format!(" {title} "), theme);
                let inner = block.inner(area);
                f.render_widget(block, area);
                let w = inner.width as usize;
                let lines = vec![
                    input.line(w, theme),
                    match error {
                        Some(e) => Line::styled(e.clone(), theme.error()),
                        None => Line::styled(hint.clone(), theme.dim()),
                    },
                    Line::from(vec![
                        Span::styled("enter", theme.key()),
                        Span::raw(" ok  "),
                        Span::styled("esc", theme.key()),
                        Span::raw(" cancel"),
                    ]),
                ];
                f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
            ModalKind::Pick {
                title,
                items,
                state,
            } => {
                let h = (items.len() as u16 + 2).clamp(3, screen.height.saturating_sub(4).max(3));
                let area = centered(screen, 50, h);
                f.render_widget(Clear, area);
                let block = titled(&format!(" {title} "), theme);
                let inner = block.inner(area);
                f.render_widget(block, area);
                vlist::render(
                    f.buffer_mut(),
                    inner,
                    state,
                    items.len(),
                    true,
                    theme,
                    |i| Line::from(format!(" {}", items[i])),
                );
            }
            ModalKind::Help {
                title,
                lines,
                scroll,
            } => {
                let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
                let area = centered(screen, 70, h);
                f.render_widget(Clear, area);
                let block = titled(&format!(" {title} "), theme);
                let inner = block.inner(area);
                f.render_widget(block, area);
                let kw = lines
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0)
                    .min(24);
                let text: Vec<Line> = lines
                    .iter()
                    .skip(*scroll)
                    .map(|(k, h)| {
                        Line::from(vec![
                            Span::styled(format!(" {k:<kw$}  "), theme.key()),
                            Span::raw(*h),
                        ])
                    })
                    .collect();
                f.render_widget(Paragraph::new(text), inner);
            }
        }
    }
}

fn titled(title: &str, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(title.to_string(), theme.title()))
}

pub fn centered(screen: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(screen.width);
    let h = height.min(screen.height);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn input_edits() {
        let mut i = Input::new("héllo");
        i.handle(&k(KeyCode::Backspace));
        assert_eq!(i.text, "héll");
        i.handle(&k(KeyCode::Home));
        i.handle(&k(KeyCode::Char('>')));
        i.handle(&k(KeyCode::Right));
        i.handle(&k(KeyCode::Delete));
        assert_eq!(i.text, ">hll");
        i.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(i.text, "ll");
        assert!(matches!(i.handle(&k(KeyCode::Enter)), InputEvent::Submit));
    }
}
