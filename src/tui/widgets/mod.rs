//! Reusable pieces: the virtual list, the JSON/document renderer, popups.

pub mod json;
pub mod popup;
pub mod vlist;

use ratatui::buffer::Buffer;
use ratatui::text::Line;

/// `Buffer::set_line` that ignores lines outside the buffer (tiny
/// terminals) instead of panicking.
pub fn put(buf: &mut Buffer, x: u16, y: u16, line: &Line, width: u16) {
    let area = buf.area;
    if y < area.y || y >= area.bottom() || x < area.x || x >= area.right() {
        return;
    }
    let width = width.min(area.right() - x);
    buf.set_line(x, y, line, width);
}
