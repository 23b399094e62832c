//! Aggregation stages, one module per family; [`crate::db::pipeline`]
//! parses a pipeline into them.

pub mod basic;
pub mod bucket;
pub mod bucket_auto;
pub mod densify;
pub mod fill;
pub mod graph_lookup;
pub mod group;
pub mod lookup;
pub mod redact;
pub mod shape;
pub mod unwind;
pub mod window;
