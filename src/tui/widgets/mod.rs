//! Reusable pieces: the virtual list, the JSON/document renderer, popups.

pub mod json;
pub mod popup;
pub mod vlist;
