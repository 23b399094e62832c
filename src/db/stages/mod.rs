//! Aggregation stages that are functions of their input documents.

pub mod group;
pub mod window;
