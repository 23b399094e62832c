//! Engine tests through the public project API, against a model.

mod model;
mod scenarios;
