//! The MongoDB wire-protocol server: every branch is a MongoDB endpoint.
//!
//! [`frame`] turns bytes into requests; [`server`] accepts connections and
//! runs commands on a blocking pool; [`commands`] implements them over the
//! engine; [`namespace`] maps database names (`shop@feature`) to branches.

pub mod change_stream;
pub mod commands;
pub mod cursor;
pub mod frame;
pub mod namespace;
pub mod pipeline;
pub mod server;
