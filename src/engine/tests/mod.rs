//! Engine tests through the public project API, against a model.

mod crash;
mod golden;
mod merge;
mod model;
mod scenarios;
