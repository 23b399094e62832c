//! The wire server's side of aggregation pipelines: the stages run in the
//! db layer ([`crate::db::pipeline`]); `$out` and `$merge`, which write to
//! the server's branches, run here.

use super::commands::{CmdError, Server, err, qualify_dup_key};
use crate::db::pipeline::{ParseCtx, Pipeline, RunCtx, Source, stage_of};
use crate::engine::WriteOp;
use crate::query::error::QueryError;
use crate::query::expr::{self, Env};
use crate::query::filter::Collation;
use bson::{Bson, Document, doc};

/// What every stage of one `aggregate` shares.
pub struct PipelineCtx<'a> {
    /// The database the pipeline runs in (`$lookup`, `$out`, `$merge`).
    pub db: &'a str,
    /// `let` variables.
    pub vars: Document,
    pub collation: Option<Collation>,
    /// `readConcern: linearizable` forbids writing stages.
    pub linearizable: bool,
}

/// A pipeline's final `$out` or `$merge` stage, if it has one.
pub(super) struct Terminal<'p>(Option<(&'p str, &'p Bson)>);

/// Evaluates a `let` expression of `$merge` against the new document.
fn eval(e: &Bson, d: &Document, vars: &Document) -> Result<Bson, CmdError> {
    Ok(expr::eval_with(e, d, &Env::with_vars(vars.clone()))?)
}

fn target_of(db: &str, v: &Bson, stage: &str) -> Result<(String, String), CmdError> {
    match v {
        Bson::String(c) => Ok((db.to_string(), c.clone())),
        Bson::Document(d) => Ok((
            d.get_str("db").unwrap_or(db).to_string(),
            d.get_str("coll")
                .map_err(|_| err(16994, "Location16994", format!("{stage} needs 'coll'")))?
                .to_string(),
        )),
        _ => Err(err(
            16990,
            "Location16990",
            format!("{stage} only supports a string or an object argument"),
        )),
    }
}

/// The collections of one database of the server, for `$lookup`,
/// `$unionWith` and `$graphLookup` (views resolved).
struct DatabaseSource<'a> {
    server: &'a Server,
    db: &'a str,
}

impl Source for DatabaseSource<'_> {
    fn documents(&self, coll: &str) -> Result<Vec<Document>, QueryError> {
        self.server
            .aggregate_docs(self.db, coll, &Document::new(), &[])
            .map_err(|e| QueryError::new(e.code, e.code_name, e.message))
    }
}

impl Server {
    /// Splits a final `$out`/`$merge` (which write here) off `pipeline`,
    /// checking where writing stages may appear.
    pub(super) fn split_terminal<'p>(
        &self,
        ctx: &PipelineCtx<'_>,
        pipeline: &'p [Bson],
    ) -> Result<(&'p [Bson], Terminal<'p>), CmdError> {
        let mut terminal = None;
        for (i, stage) in pipeline.iter().enumerate() {
            let (name, arg) = stage_of(stage)?;
            if name != "$out" && name != "$merge" {
                continue;
            }
            if ctx.linearizable {
                return Err(err(
                    72,
                    "InvalidOptions",
                    format!("{name} is not allowed with readConcern level 'linearizable'"),
                ));
            }
            if i + 1 != pipeline.len() {
                return Err(err(
                    40601,
                    "Location40601",
                    format!("{name} can only be the final stage in the pipeline"),
                ));
            }
            // The target is checked before anything runs.
            if name == "$out" {
                target_of(ctx.db, arg, "$out")?;
            }
            terminal = Some((name, arg));
        }
        let body = &pipeline[..pipeline.len() - usize::from(terminal.is_some())];
        Ok((body, Terminal(terminal)))
    }

    /// Writes the results of a pipeline's body to its `$out`/`$merge`
    /// target, if it has one (the pipeline then returns nothing).
    pub(super) fn finish_terminal(
        &self,
        ctx: &PipelineCtx<'_>,
        docs: Vec<Document>,
        terminal: Terminal<'_>,
    ) -> Result<Vec<Document>, CmdError> {
        match terminal.0 {
            None => Ok(docs),
            Some(("$out", target)) => {
                self.write_out(ctx, docs, target)?;
                Ok(Vec::new())
            }
            Some((_, spec)) => {
                self.merge_into(ctx, docs, spec)?;
                Ok(Vec::new())
            }
        }
    }

    /// Runs `pipeline` over `docs`: its stages through the db layer, then
    /// a final `$out`/`$merge` here (they write to the server's branches).
    pub(super) fn run_pipeline(
        &self,
        ctx: &PipelineCtx<'_>,
        docs: Vec<Document>,
        pipeline: &[Bson],
    ) -> Result<Vec<Document>, CmdError> {
        let (body, terminal) = self.split_terminal(ctx, pipeline)?;
        let env = Env::with_vars(ctx.vars.clone());
        let parsed = Pipeline::parse(
            body,
            &ParseCtx {
                env: &env,
                collation: ctx.collation,
            },
        )?;
        let source = DatabaseSource {
            server: self,
            db: ctx.db,
        };
        let run = RunCtx {
            env: &env,
            collation: ctx.collation,
            source: &source,
        };
        let docs = parsed.run(docs, &run)?;
        self.finish_terminal(ctx, docs, terminal)
    }

    /// `$out`: replaces the target collection on the same branch with the
    /// results, as one drop plus one durable write.
    fn write_out(
        &self,
        ctx: &PipelineCtx<'_>,
        docs: Vec<Document>,
        target: &Bson,
    ) -> Result<(), CmdError> {
        let (target_db, target_coll) = target_of(ctx.db, target, "$out")?;
        let (p, branch) = self.write_target(&target_db)?;
        p.drop_collection(&branch, &target_coll)?;
        p.create_collection(&branch, &target_coll)?;
        let ops: Vec<WriteOp> = docs
            .into_iter()
            .map(|d| WriteOp::Insert {
                collection: target_coll.clone(),
                doc: d,
            })
            .collect();
        if !ops.is_empty() {
            p.write(&branch, ops)
                .map_err(|e| qualify_dup_key(&target_db, e.into()))?;
        }
        Ok(())
    }

    /// `$merge` into a collection of a branch: match on `on` (default
    /// `_id`), then `whenMatched` / `whenNotMatched`. One durable batch.
    fn merge_into(
        &self,
        ctx: &PipelineCtx<'_>,
        docs: Vec<Document>,
        spec: &Bson,
    ) -> Result<(), CmdError> {
        let (into, opts) = match spec {
            Bson::String(_) => (spec.clone(), Document::new()),
            Bson::Document(d) => (
                d.get("into").cloned().ok_or_else(|| {
                    err(
                        40414,
                        "Location40414",
                        "BSON field '$merge.into' is missing but a required field",
                    )
                })?,
                d.clone(),
            ),
            _ => {
                return Err(err(
                    51182,
                    "Location51182",
                    "$merge only supports a string or object argument",
                ));
            }
        };
        let (target_db, target_coll) = target_of(ctx.db, &into, "$merge")?;
        let on: Vec<String> = match opts.get("on") {
            None => vec!["_id".into()],
            Some(Bson::String(f)) => vec![f.clone()],
            Some(Bson::Array(a)) => a
                .iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                return Err(err(
                    51186,
                    "Location51186",
                    "$merge 'on' must be a string or an array of strings",
                ));
            }
        };
        let when_matched = match opts.get("whenMatched") {
            None => "merge".to_string(),
            Some(Bson::String(s)) => s.clone(),
            Some(Bson::Array(_)) => "pipeline".to_string(),
            Some(_) => {
                return Err(err(
                    51191,
                    "Location51191",
                    "$merge 'whenMatched' must be a string or a pipeline",
                ));
            }
        };
        let when_not_matched = opts
            .get_str("whenNotMatched")
            .unwrap_or("insert")
            .to_string();
        let (p, branch) = self.write_target(&target_db)?;
        let view = p.branch_view(&branch)?;
        let mut ops = Vec::new();
        for d in docs {
            let mut key = Document::new();
            for f in &on {
                match d.get(f) {
                    Some(v) => {
                        key.insert(f.clone(), v.clone());
                    }
                    None if f == "_id" => {}
                    None => {
                        return Err(err(
                            51132,
                            "Location51132",
                            format!("$merge write error: 'on' field '{f}' cannot be missing"),
                        ));
                    }
                }
            }
            let existing = if key.is_empty() {
                None
            } else {
                crate::db::plan::matching(
                    &p,
                    &view,
                    &target_coll,
                    &key,
                    Some(1),
                    &Document::new(),
                    None,
                )?
                .into_iter()
                .next()
            };
            let new = match (existing, when_matched.as_str()) {
                (Some(old), "replace") => {
                    let mut n = d;
                    if let Some(id) = old.get("_id") {
                        n.insert("_id", id.clone());
                    }
                    Some(n)
                }
                (Some(old), "merge") => {
                    let mut n = old;
                    for (k, v) in d {
                        n.insert(k, v);
                    }
                    Some(n)
                }
                (Some(_), "keepExisting") => None,
                (Some(_), "fail") => {
                    let mut e = err(
                        11000,
                        "DuplicateKey",
                        format!(
                            "E11000 duplicate key error collection: {target_db}.{target_coll} dup key: {key}"
                        ),
                    );
                    let pattern: Document =
                        on.iter().map(|f| (f.clone(), Bson::Int32(1))).collect();
                    e.extra = Some(Box::new(
                        doc! { "keyPattern": pattern, "keyValue": key.clone() },
                    ));
                    return Err(e);
                }
                (Some(old), "pipeline") => {
                    let Some(Bson::Array(sub)) = opts.get("whenMatched") else {
                        return Err(err(51191, "Location51191", "bad whenMatched pipeline"));
                    };
                    let mut vars = ctx.vars.clone();
                    vars.insert("new", d.clone());
                    for (k, e) in opts.get_document("let").cloned().unwrap_or_default() {
                        vars.insert(k, eval(&e, &d, &ctx.vars)?);
                    }
                    let sub_ctx = PipelineCtx {
                        db: ctx.db,
                        vars,
                        collation: ctx.collation,
                        linearizable: ctx.linearizable,
                    };
                    self.run_pipeline(&sub_ctx, vec![old], sub)?
                        .into_iter()
                        .next()
                }
                (Some(_), other) => {
                    return Err(err(
                        51191,
                        "Location51191",
                        format!("unknown whenMatched mode '{other}'"),
                    ));
                }
                (None, _) => match when_not_matched.as_str() {
                    "insert" => Some(d),
                    "discard" => None,
                    "fail" => {
                        return Err(err(
                            13113,
                            "MergeStageNoMatchingDocument",
                            "$merge could not find a matching document in the target collection (whenNotMatched: fail)",
                        ));
                    }
                    other => {
                        return Err(err(
                            51181,
                            "Location51181",
                            format!("unknown whenNotMatched mode '{other}'"),
                        ));
                    }
                },
            };
            if let Some(n) = new {
                ops.push(WriteOp::Upsert {
                    collection: target_coll.clone(),
                    doc: n,
                });
            }
        }
        if !ops.is_empty() {
            p.write(&branch, ops)
                .map_err(|e| qualify_dup_key(&target_db, e.into()))?;
        }
        Ok(())
    }
}
