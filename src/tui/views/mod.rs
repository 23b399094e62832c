//! One module per view.

pub mod branches;
pub mod diff;
pub mod document;
pub mod log;
pub mod merge;
