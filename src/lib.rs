#![forbid(unsafe_code)]
//! argonctl: Git-style branching for MongoDB data.

pub mod cli;
pub mod engine;
