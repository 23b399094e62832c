//! The MongoDB query language over BSON documents (shared by the CLI's
//! `data find` and the wire server): filters, projections, sorts and
//! update operators.

pub mod accumulator;
pub mod error;
pub mod expr;
pub mod filter;
pub mod numeric;
pub mod projection;
pub mod random;
pub mod sort;
pub mod update;

pub use error::QueryError;
pub use filter::{Filter, FilterError};
