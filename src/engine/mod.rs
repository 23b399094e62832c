//! The versioned copy-on-write document engine. Nothing here knows about
//! the CLI, the wire protocol or HTTP.

pub mod error;
pub mod hash;
pub mod store;
pub mod tree;

pub use error::{Error, Result};
pub use hash::Hash;
