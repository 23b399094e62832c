//! A virtualized list: only the rows on screen are built, so a list of 100k
//! documents or 10k conflicts costs the same per frame as one of ten.

use super::put;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
    /// Rows shown by the last draw (for paging).
    pub height: usize,
}

impl ListState {
    pub fn select(&mut self, i: usize, len: usize) {
        self.selected = if len == 0 { 0 } else { i.min(len - 1) };
    }

    /// Handles a movement action; returns false for other actions.
    pub fn navigate(&mut self, action: Action, len: usize) -> bool {
        let page = self.height.max(1);
        let target = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => self.selected + 1,
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => self.selected + page,
            Action::Top => 0,
            Action::Bottom => len.saturating_sub(1),
            _ => return false,
        };
        self.select(target, len);
        true
    }

    /// Keeps the selection on screen for a viewport of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize, len: usize) {
        self.height = height;
        if len == 0 {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
    }
}

/// Draws rows `offset..offset+height` of a list of `len`; `row(i)` builds
/// one row. The selected row is reversed when `focused`.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    state: &mut ListState,
    len: usize,
    focused: bool,
    theme: &Theme,
    mut row: impl FnMut(usize) -> Line<'static>,
) {
    let area = area.intersection(buf.area);
    state.scroll_into_view(area.height as usize, len);
    for (y, i) in (state.offset..len).take(area.height as usize).enumerate() {
        let line = row(i);
        let r = Rect::new(area.x, area.y + y as u16, area.width, 1);
        put(buf, r.x, r.y, &line, r.width);
        if i == state.selected && focused {
            buf.set_style(r, theme.selected());
        }
    }
}

/// "12/345" for a list title.
pub fn position(state: &ListState, len: usize) -> String {
    if len == 0 {
        "0/0".into()
    } else {
        format!("{}/{}", state.selected + 1, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_to_keep_selection_visible() {
        let mut s = ListState::default();
        s.scroll_into_view(10, 100_000);
        s.navigate(Action::PageDown, 100_000);
        s.scroll_into_view(10, 100_000);
        assert_eq!((s.selected, s.offset), (10, 1));
        s.navigate(Action::Bottom, 100_000);
        s.scroll_into_view(10, 100_000);
        assert_eq!((s.selected, s.offset), (99_999, 99_990));
        s.navigate(Action::Top, 100_000);
        s.scroll_into_view(10, 100_000);
        assert_eq!((s.selected, s.offset), (0, 0));
        s.scroll_into_view(10, 0);
        assert_eq!((s.selected, s.offset), (0, 0));
    }
}
