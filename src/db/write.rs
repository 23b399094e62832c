//! Writes as MongoDB checks them: a view takes no writes (166) and a
//! collection's validator refuses documents that fail it (121), for every
//! entry point that writes whole documents (the CLI's `data` commands);
//! and update statements, as the `update` command runs each.

use super::error::DbError;
use super::plan;
use super::validation::Validator;
use super::views::is_view;
use crate::engine::keys::compare_bson;
use crate::engine::{Project, WriteOp, WriteResult};
use crate::query::error::QueryError;
use crate::query::filter::Collation;
use crate::query::sort::SortSpec;
use crate::query::update::{Update, UpdateContext, upsert_seed};
use bson::{Bson, Document, doc};
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

/// Deletes the documents matching `query` (the first only when
/// `just_one`), with no other writer in between; returns how many.
pub fn delete(
    p: &Project,
    branch: &str,
    coll: &str,
    query: &Document,
    just_one: bool,
    vars: &Document,
    collation: Option<Collation>,
) -> Result<u64, DbError> {
    let (r, _) = p.write_with(branch, |view| {
        let limit = just_one.then_some(1);
        let matches = plan::matching(p, view, coll, query, limit, vars, collation)?;
        let ops: Vec<WriteOp> = matches
            .iter()
            .map(|m| WriteOp::Delete {
                collection: coll.to_string(),
                id: m.get("_id").cloned().unwrap_or(Bson::Null),
            })
            .collect();
        Ok::<_, DbError>((ops, ()))
    })?;
    Ok(r.deleted)
}

/// What `findAndModify` does to the document it finds.
pub enum Modify {
    Remove,
    Update {
        update: Update,
        upsert: bool,
        /// Return the new version rather than the old.
        return_new: bool,
        array_filters: Vec<Document>,
    },
}

/// A parsed `findAndModify`.
pub struct FindAndModify {
    pub query: Document,
    pub sort: SortSpec,
    pub modify: Modify,
    pub vars: Document,
    pub collation: Option<Collation>,
    pub bypass_validation: bool,
}

/// What a `findAndModify` did (its `lastErrorObject`), and the document
/// it returns, before the command's `fields` projection.
#[derive(Debug, Default, PartialEq)]
pub struct FindAndModifyOutcome {
    pub n: u64,
    /// For updates: whether an existing document was changed.
    pub updated_existing: Option<bool>,
    pub upserted: Option<Bson>,
    pub value: Option<Document>,
}

/// Finds the first document in `sort` order and removes or updates it
/// (upserting if asked), with no other writer in between.
pub fn find_and_modify(
    p: &Project,
    branch: &str,
    coll: &str,
    req: &FindAndModify,
) -> Result<FindAndModifyOutcome, DbError> {
    let (_, outcome) = p.write_with(branch, |view| {
        let validator = Validator::of(view, coll, req.bypass_validation)?;
        let limit = req.sort.is_empty().then_some(1);
        let mut matches =
            plan::matching(p, view, coll, &req.query, limit, &req.vars, req.collation)?;
        req.sort.sort(&mut matches);
        let found = matches.into_iter().next();
        let (update, upsert, return_new, array_filters) = match &req.modify {
            Modify::Remove => {
                let Some(old) = found else {
                    return Ok((Vec::new(), FindAndModifyOutcome::default()));
                };
                let op = WriteOp::Delete {
                    collection: coll.to_string(),
                    id: old.get("_id").cloned().unwrap_or(Bson::Null),
                };
                let outcome = FindAndModifyOutcome {
                    n: 1,
                    value: Some(old),
                    ..Default::default()
                };
                return Ok((vec![op], outcome));
            }
            Modify::Update {
                update,
                upsert,
                return_new,
                array_filters,
            } => (update, *upsert, *return_new, array_filters),
        };
        let ctx = UpdateContext {
            array_filters: array_filters.clone(),
            is_upsert_insert: false,
            query: Some(req.query.clone()),
            now: bson::DateTime::from_millis(crate::engine::clock::now_ms()),
        };
        Ok::<_, DbError>(match found {
            Some(old) => {
                let new = update.apply(&old, &ctx)?;
                super::validation::check(&validator, Some(&old), &new)?;
                let op = changed_document(coll, new.clone(), update.is_replacement());
                let outcome = FindAndModifyOutcome {
                    n: 1,
                    updated_existing: Some(true),
                    upserted: None,
                    value: Some(if return_new { new } else { old }),
                };
                (vec![op], outcome)
            }
            None if upsert => {
                let new = upsert_document(update, &req.query, ctx)?;
                super::validation::check(&validator, None, &new)?;
                let id = new.get("_id").cloned().unwrap_or(Bson::Null);
                let outcome = FindAndModifyOutcome {
                    n: 1,
                    updated_existing: Some(false),
                    upserted: Some(id),
                    value: return_new.then(|| new.clone()),
                };
                let op = WriteOp::Insert {
                    collection: coll.to_string(),
                    doc: new,
                };
                (vec![op], outcome)
            }
            None => (
                Vec::new(),
                FindAndModifyOutcome {
                    updated_existing: Some(false),
                    ..Default::default()
                },
            ),
        })
    })?;
    Ok(outcome)
}

/// One update statement, parsed (as in the `update` command's `updates`).
pub struct UpdateStatement {
    pub query: Document,
    pub update: Update,
    pub multi: bool,
    pub upsert: bool,
    pub array_filters: Vec<Document>,
    pub collation: Option<Collation>,
    /// MongoDB 8.0: which document an updateOne/replaceOne changes.
    pub sort: Option<SortSpec>,
    pub vars: Document,
    pub bypass_validation: bool,
}

/// What an update statement did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateOutcome {
    pub matched: u64,
    pub modified: u64,
    /// The `_id` of the document an upsert inserted.
    pub upserted: Option<Bson>,
}

/// Runs one update statement: reads, modifies and writes with no other
/// writer in between; validators checked.
pub fn update(
    p: &Project,
    branch: &str,
    coll: &str,
    st: &UpdateStatement,
) -> Result<UpdateOutcome, DbError> {
    let (_, outcome) = p.write_with(branch, |view| {
        let validator = Validator::of(view, coll, st.bypass_validation)?;
        let one = !st.multi && st.sort.is_none();
        let mut matches = plan::matching(
            p,
            view,
            coll,
            &st.query,
            one.then_some(1),
            &st.vars,
            st.collation,
        )?;
        if let Some(sort) = &st.sort {
            sort.sort(&mut matches);
            matches.truncate(1);
        }
        let ctx = UpdateContext {
            array_filters: st.array_filters.clone(),
            is_upsert_insert: false,
            query: Some(st.query.clone()),
            now: bson::DateTime::from_millis(crate::engine::clock::now_ms()),
        };
        if matches.is_empty() {
            if !st.upsert {
                return Ok((Vec::new(), UpdateOutcome::default()));
            }
            let new = upsert_document(&st.update, &st.query, ctx)?;
            super::validation::check(&validator, None, &new)?;
            let id = new.get("_id").cloned().unwrap_or(Bson::Null);
            let op = WriteOp::Insert {
                collection: coll.to_string(),
                doc: new,
            };
            let outcome = UpdateOutcome {
                upserted: Some(id),
                ..Default::default()
            };
            return Ok((vec![op], outcome));
        }
        let mut ops = Vec::new();
        let matched = matches.len() as u64;
        for d in matches {
            let new = st.update.apply(&d, &ctx)?;
            // A changed field order is a change too.
            if new != d || new.iter().map(|(k, _)| k).ne(d.iter().map(|(k, _)| k)) {
                super::validation::check(&validator, Some(&d), &new)?;
                ops.push(changed_document(coll, new, st.update.is_replacement()));
            }
        }
        let modified = ops.len() as u64;
        Ok::<_, DbError>((
            ops,
            UpdateOutcome {
                matched,
                modified,
                upserted: None,
            },
        ))
    })?;
    Ok(outcome)
}

/// The write of an updated document: a replacement (a client replaced it
/// whole) or an upsert of changed fields (a change stream's `update`).
pub fn changed_document(coll: &str, doc: Document, replacement: bool) -> WriteOp {
    let collection = coll.to_string();
    if replacement {
        WriteOp::Replace { collection, doc }
    } else {
        WriteOp::Upsert { collection, doc }
    }
}

/// The document an upsert inserts: the update applied to the query's
/// equality fields (or to nothing, for a replacement), with an `_id`.
pub fn upsert_document(
    update: &Update,
    query: &Document,
    ctx: UpdateContext,
) -> Result<Document, DbError> {
    let from_query = upsert_seed(query, update.is_replacement())?;
    let seed = if update.is_replacement() {
        Document::new()
    } else {
        from_query.clone()
    };
    let ctx = UpdateContext {
        is_upsert_insert: true,
        ..ctx
    };
    let mut new = update.apply(&seed, &ctx)?;
    if let (Some(want), Some(got)) = (from_query.get("_id"), new.get("_id"))
        && !compare_bson(want, got).is_eq()
    {
        return Err(QueryError::new(
            66,
            "ImmutableField",
            "After applying the update, the (immutable) field '_id' was found to have been altered",
        )
        .into());
    }
    if !new.contains_key("_id") {
        // A replacement without `_id` still takes the query's, as mongod.
        new = match from_query.get("_id") {
            Some(id) => {
                let mut d = doc! { "_id": id.clone() };
                d.extend(new);
                d
            }
            None => crate::engine::project::with_id(new)?,
        };
    }
    Ok(new)
}
