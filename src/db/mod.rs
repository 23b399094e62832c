//! MongoDB semantics over a branch or a point in history: collections,
//! find and aggregate (the pipeline and its stages), writes, the planner,
//! validators, views and collations. Every entry point (the wire server,
//! the CLI's `data` commands, the REST API) calls this layer.

pub mod error;
pub mod find;
pub mod pipeline;
pub mod plan;
pub mod snapshot;
pub mod stages;
pub mod topk;
pub mod ttl;
pub mod validation;
pub mod views;
pub mod write;
