//! Engine tests through the public project API, against a model.

mod merge;
mod model;
mod scenarios;
