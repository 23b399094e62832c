//! One file per command; a group of subcommands is one file with its enum.

pub mod branches;
pub mod completion;
pub mod conflicts;
pub mod data;
pub mod debug;
pub mod demo;
pub mod diff;
pub mod export;
pub mod gc;
pub mod import;
pub mod log;
pub mod merge;
pub mod projects;
pub mod serve;
pub mod status;
pub mod tags;
pub mod tui;
pub mod use_ctx;
