//! Engine tests through the public project API, against a model.

mod crash;
mod golden;
mod history;
mod merge;
mod model;
pub(crate) mod scenarios;
