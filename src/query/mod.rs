//! The MongoDB query language over BSON documents (shared by the CLI's
//! `data find` and the wire server).

pub mod filter;

pub use filter::{Filter, FilterError};
