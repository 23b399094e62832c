#![forbid(unsafe_code)]
//! argonctl: Git-style branching for MongoDB data.
//!
//! Layers, bottom-up: [`engine`] (versioned copy-on-write document store),
//! [`query`] (MongoDB query language), [`backend`] (what the CLI calls),
//! [`cli`] and its terminal UI [`tui`].

pub mod backend;
pub mod cli;
pub mod db;
pub mod engine;
pub mod formats;
pub mod query;
pub mod synth;
pub mod tui;
pub mod wire;
