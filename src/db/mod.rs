//! MongoDB semantics over a branch or a point in history: collections,
//! find and aggregate (the pipeline and its stages), writes, the planner,
//! validators, views and collations. Every entry point (the wire server,
//! the CLI's `data` commands, the REST API) calls this layer.

pub mod pipeline;
pub mod stages;
