//! `insert`, `update`, `delete` and `findAndModify`: read-modify-writes
//! under the project's writer lock, validators checked.

use super::*;
use crate::db::write::{self as db_write, FindAndModify, Modify, UpdateStatement};

impl Server {
    pub(super) fn insert(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "insert")?;
        let docs = cmd
            .get_array("documents")
            .map_err(|_| err(2, "BadValue", "'documents' must be an array"))?;
        let ordered = cmd.get_bool("ordered").unwrap_or(true);
        let (p, branch) = self.write_target(db)?;
        refuse_view_write(&p, &branch, db, coll)?;
        let mut ds = Vec::with_capacity(docs.len());
        for d in docs {
            match d {
                Bson::Document(d) => ds.push(d.clone()),
                _ => return Err(err(2, "BadValue", "each document must be an object")),
            }
        }
        let bypass = cmd.get_bool("bypassDocumentValidation").unwrap_or(false);
        let validator = Validator::of(&p.branch_view(&branch)?, coll, bypass)?;
        let mut invalid: Vec<Option<CmdError>> = ds
            .iter()
            .map(|d| {
                validation::check(&validator, None, d)
                    .err()
                    .map(CmdError::from)
            })
            .collect();
        // Whole batch first (one durable write); on an error fall back to
        // one document at a time to report per-document errors as mongod.
        if invalid.iter().all(Option::is_none) {
            let ops: Vec<WriteOp> = ds
                .iter()
                .map(|d| WriteOp::Insert {
                    collection: coll.to_string(),
                    doc: d.clone(),
                })
                .collect();
            match p.write(&branch, ops) {
                Ok(r) => return Ok(doc! { "n": r.inserted as i32 }),
                Err(EngineError::DuplicateKey { .. } | EngineError::InvalidDocument(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut n = 0;
        let mut errors = Vec::new();
        for (i, d) in ds.into_iter().enumerate() {
            if let Some(e) = invalid[i].take() {
                errors.push(cmd_write_error(i, e));
                if ordered {
                    break;
                }
                continue;
            }
            match p.write(
                &branch,
                vec![WriteOp::Insert {
                    collection: coll.to_string(),
                    doc: d,
                }],
            ) {
                Ok(r) => n += r.inserted as i32,
                Err(e) => {
                    errors.push(write_error(i, e));
                    if ordered {
                        break;
                    }
                }
            }
        }
        Ok(doc! { "n": n, "writeErrors": errors })
    }

    pub(super) fn update(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "update")?;
        let updates = cmd
            .get_array("updates")
            .map_err(|_| err(2, "BadValue", "'updates' must be an array"))?;
        let ordered = cmd.get_bool("ordered").unwrap_or(true);
        let vars = let_vars(cmd)?;
        let bypass = cmd.get_bool("bypassDocumentValidation").unwrap_or(false);
        // As mongod 8.0, a sorted multi-update fails the whole command.
        if updates.iter().any(|u| {
            u.as_document()
                .is_some_and(|u| u.contains_key("sort") && u.get_bool("multi").unwrap_or(false))
        }) {
            return Err(err(
                9,
                "FailedToParse",
                "Cannot specify sort with multi=true",
            ));
        }
        let (p, branch) = self.write_target(db)?;
        refuse_view_write(&p, &branch, db, coll)?;
        let (mut n, mut modified) = (0i32, 0i32);
        let mut upserted = Vec::new();
        let mut errors = Vec::new();
        for (i, u) in updates.iter().enumerate() {
            let Bson::Document(u) = u else {
                return Err(err(2, "BadValue", "each update must be an object"));
            };
            match self.update_one(&p, &branch, coll, u, (&vars, bypass)) {
                Ok((matched, changed, up)) => {
                    n += matched;
                    modified += changed;
                    if let Some(id) = up {
                        n += 1;
                        upserted.push(doc! { "index": i as i32, "_id": id });
                    }
                }
                Err(e) => {
                    errors.push(cmd_write_error(i, e));
                    if ordered {
                        break;
                    }
                }
            }
        }
        let mut reply = doc! { "n": n, "nModified": modified };
        if !upserted.is_empty() {
            reply.insert("upserted", upserted);
        }
        if !errors.is_empty() {
            reply.insert("writeErrors", errors);
        }
        Ok(reply)
    }

    /// One update statement: (matched, modified, upserted _id).
    pub(super) fn update_one(
        &self,
        p: &Project,
        branch: &str,
        coll: &str,
        u: &Document,
        (vars, bypass): (&Document, bool),
    ) -> Result<(i32, i32, Option<Bson>), CmdError> {
        // MongoDB 8.0: `sort` picks which document an updateOne or a
        // replaceOne changes.
        let sort = match u.get("sort") {
            None => None,
            Some(Bson::Document(s)) => Some(SortSpec::parse(s)?),
            Some(_) => return Err(err(14, "TypeMismatch", "'sort' must be an object")),
        };
        let q = u.get_document("q").cloned().unwrap_or_default();
        let spec = u
            .get("u")
            .ok_or_else(|| err(9, "FailedToParse", "update statement has no 'u'"))?;
        let update = Update::parse(&with_let(spec, vars))?;
        let multi = u.get_bool("multi").unwrap_or(false);
        if multi && update.is_replacement() {
            return Err(err(
                9,
                "FailedToParse",
                "multi update is not supported for replacement-style update",
            ));
        }
        let array_filters: Vec<Document> = u
            .get_array("arrayFilters")
            .map(|a| a.iter().filter_map(|v| v.as_document().cloned()).collect())
            .unwrap_or_default();
        let statement = UpdateStatement {
            query: q,
            update,
            multi,
            upsert: u.get_bool("upsert").unwrap_or(false),
            array_filters,
            collation: Collation::parse(u.get("collation"))?,
            sort,
            vars: vars.clone(),
            bypass_validation: bypass,
        };
        let o = db_write::update(p, branch, coll, &statement)?;
        Ok((o.matched as i32, o.modified as i32, o.upserted))
    }

    pub(super) fn delete(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "delete")?;
        let deletes = cmd
            .get_array("deletes")
            .map_err(|_| err(2, "BadValue", "'deletes' must be an array"))?;
        let (p, branch) = self.write_target(db)?;
        refuse_view_write(&p, &branch, db, coll)?;
        let vars = let_vars(cmd)?;
        let mut n = 0;
        for d in deletes {
            let Bson::Document(d) = d else {
                return Err(err(2, "BadValue", "each delete must be an object"));
            };
            let q = d.get_document("q").cloned().unwrap_or_default();
            let limit = int_arg(d, "limit")?.unwrap_or(0);
            let collation = Collation::parse(d.get("collation"))?;
            let deleted = db_write::delete(&p, &branch, coll, &q, limit == 1, &vars, collation)?;
            n += deleted as i32;
        }
        Ok(doc! { "n": n })
    }

    pub(super) fn find_and_modify(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = cmd
            .get_str("findAndModify")
            .or_else(|_| cmd.get_str("findandmodify"))
            .map_err(|_| err(2, "BadValue", "collection name must be a string"))?;
        let q = cmd.get_document("query").cloned().unwrap_or_default();
        let remove = cmd.get_bool("remove").unwrap_or(false);
        let return_new = cmd.get_bool("new").unwrap_or(false);
        let upsert = cmd.get_bool("upsert").unwrap_or(false);
        let fields = Projection::parse(&cmd.get_document("fields").cloned().unwrap_or_default())?;
        let sort = SortSpec::parse(&cmd.get_document("sort").cloned().unwrap_or_default())?;
        let spec = cmd.get("update");
        if !remove && spec.is_none() {
            return Err(err(
                9,
                "FailedToParse",
                "Either an update or remove=true must be specified",
            ));
        }
        let vars = let_vars(cmd)?;
        let update = match spec {
            Some(spec) if !remove => Some(Update::parse(&with_let(spec, &vars))?),
            _ => None,
        };
        let array_filters: Vec<Document> = cmd
            .get_array("arrayFilters")
            .map(|a| a.iter().filter_map(|v| v.as_document().cloned()).collect())
            .unwrap_or_default();
        let collation = Collation::parse(cmd.get("collation"))?;
        let project = |d: Option<Document>| -> Result<Bson, CmdError> {
            Ok(match d {
                Some(d) => Bson::Document(fields.apply(&d, Some(&q))?),
                None => Bson::Null,
            })
        };
        let (p, branch) = self.write_target(db)?;
        refuse_view_write(&p, &branch, db, coll)?;
        let modify = match update {
            None => Modify::Remove,
            Some(update) => Modify::Update {
                update,
                upsert,
                return_new,
                array_filters,
            },
        };
        let request = FindAndModify {
            query: q.clone(),
            sort,
            modify,
            vars,
            collation,
            bypass_validation: cmd.get_bool("bypassDocumentValidation").unwrap_or(false),
        };
        let o = db_write::find_and_modify(&p, &branch, coll, &request)?;
        let mut last = doc! { "n": o.n as i32 };
        if let Some(existing) = o.updated_existing {
            last.insert("updatedExisting", existing);
        }
        if let Some(id) = o.upserted {
            last.insert("upserted", id);
        }
        let reply = doc! { "lastErrorObject": last, "value": project(o.value)? };
        Ok(reply)
    }
}

/// Refuses writes to a view (mongod's 166, CommandNotSupportedOnView).
pub(super) fn refuse_view_write(
    p: &Project,
    branch: &str,
    db: &str,
    coll: &str,
) -> Result<(), CmdError> {
    let view = p.branch_view(branch)?;
    if view
        .catalog()
        .get(coll)
        .is_some_and(|r| r.options.contains_key("viewOn"))
    {
        return Err(err(
            166,
            "CommandNotSupportedOnView",
            format!("Namespace {db}.{coll} is a view, not a collection"),
        ));
    }
    Ok(())
}

pub(super) fn write_error(index: usize, e: EngineError) -> Document {
    cmd_write_error(index, e.into())
}

pub(super) fn cmd_write_error(index: usize, e: CmdError) -> Document {
    let mut d = doc! { "index": index as i32, "code": e.code, "codeName": e.code_name, "errmsg": e.message };
    if let Some(extra) = e.extra {
        d.extend(*extra);
    }
    d
}
