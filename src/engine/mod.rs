//! The versioned copy-on-write document engine. Nothing here knows about
//! the CLI, the wire protocol or HTTP.

pub mod error;
pub mod hash;
pub mod store;
pub mod tree;

pub use error::{Error, Result};
pub use hash::Hash;
pub mod catalog;
pub mod clock;
pub mod codec;
pub mod commit;
pub mod diff;
pub mod doc;
pub mod gc;
pub mod history;
pub mod import;
pub mod keys;
pub mod long_hold;
pub mod merge;
pub mod project;
pub mod projects;
pub mod refs;
pub mod txn;
pub mod view;
pub mod wal;

pub use project::{Project, WriteOp, WriteResult};
pub use projects::Engine;
pub use view::View;

#[cfg(test)]
mod tests;
