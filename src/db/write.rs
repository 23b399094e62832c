//! Writes as MongoDB checks them: a view takes no writes (166) and a
//! collection's validator refuses documents that fail it (121), for every
//! entry point that writes whole documents (the CLI's `data` commands).

use super::error::DbError;
use super::validation::Validator;
use super::views::is_view;
use crate::engine::{Project, WriteOp, WriteResult};
use crate::query::error::QueryError;
use std::collections::HashMap;

/// Checks `ops` against the branch's views and validators, then writes
/// them as one durable batch (all or nothing).
pub fn write_checked(p: &Project, branch: &str, ops: Vec<WriteOp>) -> Result<WriteResult, DbError> {
    let view = p.branch_view(branch)?;
    let mut validators: HashMap<String, Option<Validator>> = HashMap::new();
    for op in &ops {
        let (coll, doc) = match op {
            WriteOp::Insert { collection, doc }
            | WriteOp::Upsert { collection, doc }
            | WriteOp::Replace { collection, doc } => (collection, Some(doc)),
            WriteOp::Delete { collection, .. } => (collection, None),
        };
        if is_view(&view, coll) {
            return Err(QueryError::new(
                166,
                "CommandNotSupportedOnView",
                format!("{coll} is a view, not a collection"),
            )
            .into());
        }
        let Some(doc) = doc else { continue };
        if !validators.contains_key(coll) {
            validators.insert(coll.clone(), Validator::of(&view, coll, false)?);
        }
        if let Some(Some(v)) = validators.get(coll) {
            let old = match (op, doc.get("_id")) {
                (WriteOp::Insert { .. }, _) | (_, None) => None,
                (_, Some(id)) => view.get(p.nodes(), coll, id)?,
            };
            v.check(old.as_ref(), doc)?;
        }
    }
    Ok(p.write(branch, ops)?)
}
