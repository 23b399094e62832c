//! Document validation: a collection's `validator` (set by `create` or
//! `collMod`) checked on inserts and updates, as mongod does.
//!
//! `validationLevel` is `strict` (every write), `moderate` (updates of
//! documents that already fail are let through) or `off`;
//! `validationAction` `error` refuses the write (code 121), `warn` lets it
//! through. `bypassDocumentValidation: true` on a command skips the check.

use super::error::DbError;
use crate::engine::View;
use crate::query::Filter;
use bson::{Bson, Document, doc};

/// The validator of one collection, parsed once per command.
pub struct Validator {
    filter: Filter,
    spec: Document,
    moderate: bool,
}

impl Validator {
    /// The collection's validator, or `None` when writes are not checked.
    pub fn of(view: &View, coll: &str, bypass: bool) -> Result<Option<Validator>, DbError> {
        if bypass {
            return Ok(None);
        }
        let Some(options) = view.catalog().get(coll).map(|r| &r.options) else {
            return Ok(None);
        };
        let Ok(spec) = options.get_document("validator") else {
            return Ok(None);
        };
        let level = options.get_str("validationLevel").unwrap_or("strict");
        let action = options.get_str("validationAction").unwrap_or("error");
        if spec.is_empty() || level == "off" || action == "warn" {
            return Ok(None);
        }
        Ok(Some(Validator {
            filter: Filter::parse(spec)?,
            spec: spec.clone(),
            moderate: level == "moderate",
        }))
    }

    /// Checks the new version of a document (`old` is the version it
    /// replaces, `None` for an insert).
    pub fn check(&self, old: Option<&Document>, new: &Document) -> Result<(), DbError> {
        if self.filter.matches(new) {
            return Ok(());
        }
        if self.moderate && old.is_some_and(|o| !self.filter.matches(o)) {
            return Ok(());
        }
        let operator = match self.spec.keys().next() {
            Some(k) if k.starts_with('$') && self.spec.len() == 1 => k.clone(),
            _ => "$and".to_string(),
        };
        Err(DbError::Validation {
            info: Box::new(doc! {
                "failingDocumentId": new.get("_id").cloned().unwrap_or(Bson::Null),
                "details": {
                    "operatorName": operator,
                    "specifiedAs": self.spec.clone(),
                    "reason": "the document does not match the collection's validator",
                },
            }),
        })
    }
}

/// Checks `new` against an optional validator.
pub fn check(v: &Option<Validator>, old: Option<&Document>, new: &Document) -> Result<(), DbError> {
    match v {
        Some(v) => v.check(old, new),
        None => Ok(()),
    }
}
