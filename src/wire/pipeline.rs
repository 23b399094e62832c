//! Aggregation pipelines: `aggregate`'s stages over documents in memory,
//! with the shared expression evaluator (`query::expr`).

use super::commands::{CmdError, Server, bson_usize, err, qualify_dup_key};
use crate::engine::WriteOp;
use crate::engine::keys::compare_bson;
use crate::query::expr;
use crate::query::filter::{Collation, Filter};
use crate::query::projection::Projection;
use crate::query::sort::SortSpec;
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

fn stage_of(stage: &Bson) -> Result<(&str, &Bson), CmdError> {
    let Bson::Document(stage) = stage else {
        return Err(err(
            14,
            "TypeMismatch",
            "Each element of the 'pipeline' array must be an object",
        ));
    };
    let mut it = stage.iter();
    match (it.next(), it.next()) {
        (Some((name, arg)), None) => Ok((name.as_str(), arg)),
        _ => Err(err(
            40323,
            "Location40323",
            "A pipeline stage specification object must contain exactly one field.",
        )),
    }
}

/// Evaluates an expression with the pipeline's `let` variables bound.
fn eval(e: &Bson, d: &Document, vars: &Document) -> Result<Bson, CmdError> {
    if vars.is_empty() {
        Ok(expr::eval(e, d)?)
    } else {
        Ok(expr::eval(&expr::bind_vars(e, vars), d)?)
    }
}

/// Sets a dotted path, creating documents on the way.
fn set_path(d: &mut Document, path: &str, v: Bson) {
    match path.split_once('.') {
        None => {
            d.insert(path, v);
        }
        Some((head, rest)) => {
            if !matches!(d.get(head), Some(Bson::Document(_))) {
                d.insert(head, Document::new());
            }
            if let Some(Bson::Document(sub)) = d.get_mut(head) {
                set_path(sub, rest, v);
            }
        }
    }
}

fn remove_path(d: &mut Document, path: &str) {
    match path.split_once('.') {
        None => {
            d.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Bson::Document(sub)) = d.get_mut(head) {
                remove_path(sub, rest);
            }
        }
    }
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

impl Server {
    /// Runs `pipeline` over `docs`.
    pub(super) fn run_pipeline(
        &self,
        ctx: &PipelineCtx<'_>,
        mut docs: Vec<Document>,
        pipeline: &[Bson],
    ) -> Result<Vec<Document>, CmdError> {
        for (i, stage) in pipeline.iter().enumerate() {
            let (name, arg) = stage_of(stage)?;
            let last = i + 1 == pipeline.len();
            docs = match (name, arg) {
                ("$match", Bson::Document(f)) => {
                    let f = Filter::parse_with_let(f, &ctx.vars)?.with_collation(ctx.collation);
                    docs.into_iter().filter(|d| f.matches(d)).collect()
                }
                ("$sort", Bson::Document(s)) => {
                    let s = SortSpec::parse(s)?;
                    s.sort(&mut docs);
                    docs
                }
                ("$skip", v) => docs.into_iter().skip(bson_usize(v)?).collect(),
                ("$limit", v) => docs.into_iter().take(bson_usize(v)?).collect(),
                ("$project", Bson::Document(p)) => {
                    let p = if ctx.vars.is_empty() {
                        Projection::parse(p)?
                    } else {
                        match expr::bind_vars(&Bson::Document(p.clone()), &ctx.vars) {
                            Bson::Document(bound) => Projection::parse(&bound)?,
                            _ => Projection::parse(p)?,
                        }
                    };
                    docs.iter()
                        .map(|d| p.apply(d, None))
                        .collect::<Result<_, _>>()?
                }
                ("$addFields" | "$set", Bson::Document(spec)) => {
                    let mut out = Vec::with_capacity(docs.len());
                    for mut d in docs {
                        let src = d.clone();
                        for (path, e) in spec {
                            match e {
                                Bson::String(s) if s == "$$REMOVE" => remove_path(&mut d, path),
                                e => set_path(&mut d, path, eval(e, &src, &ctx.vars)?),
                            }
                        }
                        out.push(d);
                    }
                    out
                }
                ("$unset", spec) => {
                    let paths: Vec<String> = match spec {
                        Bson::String(s) => vec![s.clone()],
                        Bson::Array(a) => a
                            .iter()
                            .map(|p| match p {
                                Bson::String(s) => Ok(s.clone()),
                                _ => Err(err(
                                    31120,
                                    "Location31120",
                                    "$unset specification must be a string or an array containing only string values",
                                )),
                            })
                            .collect::<Result<_, _>>()?,
                        _ => {
                            return Err(err(
                                31002,
                                "Location31002",
                                "$unset specification must be a string or an array",
                            ));
                        }
                    };
                    docs.into_iter()
                        .map(|mut d| {
                            paths.iter().for_each(|p| remove_path(&mut d, p));
                            d
                        })
                        .collect()
                }
                ("$replaceRoot" | "$replaceWith", spec) => {
                    let root = match (name, spec) {
                        ("$replaceRoot", Bson::Document(d)) => {
                            d.get("newRoot").ok_or_else(|| {
                                err(
                                    40231,
                                    "Location40231",
                                    "no newRoot specified for the $replaceRoot stage",
                                )
                            })?
                        }
                        ("$replaceRoot", _) => {
                            return Err(err(
                                40228,
                                "Location40228",
                                "expected an object as specification for $replaceRoot stage",
                            ));
                        }
                        (_, e) => e,
                    };
                    let mut out = Vec::with_capacity(docs.len());
                    for d in docs {
                        match eval(root, &d, &ctx.vars)? {
                            Bson::Document(n) => out.push(n),
                            other => {
                                return Err(err(
                                    40228,
                                    "Location40228",
                                    format!(
                                        "'newRoot' expression must evaluate to an object, but resulting value was: {other}"
                                    ),
                                ));
                            }
                        }
                    }
                    out
                }
                ("$count", Bson::String(field)) => vec![doc! { field: docs.len() as i32 }],
                ("$group", Bson::Document(g)) => group(docs, g, &ctx.vars)?,
                ("$setWindowFields", Bson::Document(spec)) => {
                    let env = expr::Env::with_vars(ctx.vars.clone());
                    let w = crate::db::stages::window::SetWindowFields::parse(
                        spec,
                        &mut env.parse_ctx(),
                    )?;
                    w.run(docs, &env)?
                }
                ("$sortByCount", e) => {
                    let mut out = group(
                        docs,
                        &doc! { "_id": e.clone(), "count": { "$sum": 1 } },
                        &ctx.vars,
                    )?;
                    out.sort_by(|a, b| {
                        compare_bson(
                            b.get("count").unwrap_or(&Bson::Null),
                            a.get("count").unwrap_or(&Bson::Null),
                        )
                    });
                    out
                }
                ("$bucket", Bson::Document(spec)) => bucket(docs, spec, &ctx.vars)?,
                ("$unwind", spec) => unwind(docs, spec)?,
                ("$sample", Bson::Document(spec)) => {
                    let n = bson_usize(spec.get("size").unwrap_or(&Bson::Null))?;
                    sample(docs, n)
                }
                ("$facet", Bson::Document(spec)) => {
                    let mut out = Document::new();
                    for (name, sub) in spec {
                        let Bson::Array(sub) = sub else {
                            return Err(err(
                                40170,
                                "Location40170",
                                "arguments to $facet must be arrays",
                            ));
                        };
                        let r = self.run_pipeline(ctx, docs.clone(), sub)?;
                        out.insert(
                            name.clone(),
                            r.into_iter().map(Bson::Document).collect::<Vec<_>>(),
                        );
                    }
                    vec![out]
                }
                ("$lookup", Bson::Document(spec)) => self.lookup(ctx, docs, spec)?,
                ("$out" | "$merge", _) if ctx.linearizable => {
                    return Err(err(
                        72,
                        "InvalidOptions",
                        format!("{name} is not allowed with readConcern level 'linearizable'"),
                    ));
                }
                ("$out" | "$merge", _) if !last => {
                    return Err(err(
                        40601,
                        "Location40601",
                        format!("{name} can only be the final stage in the pipeline"),
                    ));
                }
                ("$out", target) => {
                    // Replace the target collection on the same branch with
                    // the results, as one drop plus one durable write.
                    let (target_db, target_coll) = target_of(ctx.db, target, "$out")?;
                    let (p, branch) = self.write_target(&target_db)?;
                    p.drop_collection(&branch, &target_coll)?;
                    p.create_collection(&branch, &target_coll)?;
                    let ops: Vec<WriteOp> = docs
                        .iter()
                        .map(|d| WriteOp::Insert {
                            collection: target_coll.clone(),
                            doc: d.clone(),
                        })
                        .collect();
                    if !ops.is_empty() {
                        p.write(&branch, ops)
                            .map_err(|e| qualify_dup_key(&target_db, e.into()))?;
                    }
                    Vec::new()
                }
                ("$merge", spec) => {
                    self.merge_into(ctx, docs, spec)?;
                    Vec::new()
                }
                (other, _) => {
                    return Err(err(
                        40324,
                        "Location40324",
                        format!(
                            "Unrecognized pipeline stage name: '{other}' (argonctl does not support it yet)"
                        ),
                    ));
                }
            };
        }
        Ok(docs)
    }

    /// `$lookup`: equality form (`localField`/`foreignField`) and pipeline
    /// form (`let` + `pipeline`), on a collection of the same branch.
    fn lookup(
        &self,
        ctx: &PipelineCtx<'_>,
        docs: Vec<Document>,
        spec: &Document,
    ) -> Result<Vec<Document>, CmdError> {
        let from = spec
            .get_str("from")
            .map_err(|_| err(40321, "Location40321", "$lookup needs a 'from' collection"))?;
        let as_field = spec
            .get_str("as")
            .map_err(|_| err(40321, "Location40321", "$lookup needs an 'as' field"))?;
        let foreign: Vec<Document> = match self.read_view(ctx.db)? {
            Some((p, view)) => Server::matching(
                &p,
                &view,
                from,
                &Document::new(),
                None,
                &Document::new(),
                None,
            )?,
            None => Vec::new(),
        };
        let local = spec.get_str("localField").ok();
        let foreign_field = spec.get_str("foreignField").ok();
        let sub = match spec.get("pipeline") {
            Some(Bson::Array(p)) => Some(p.clone()),
            Some(_) => return Err(err(14, "TypeMismatch", "$lookup pipeline must be an array")),
            None => None,
        };
        if sub.is_none() && (local.is_none() || foreign_field.is_none()) {
            return Err(err(
                4570,
                "Location4570",
                "$lookup needs either localField and foreignField, or a pipeline",
            ));
        }
        let let_spec = spec.get_document("let").cloned().unwrap_or_default();
        let mut out = Vec::with_capacity(docs.len());
        for mut d in docs {
            let mut matched: Vec<Document> = match (local, foreign_field) {
                (Some(l), Some(f)) => {
                    let mut keys = crate::engine::catalog::values_at_path(&d, l);
                    if keys.is_empty() {
                        keys.push(Bson::Null);
                    }
                    foreign
                        .iter()
                        .filter(|fd| {
                            let mut theirs = crate::engine::catalog::values_at_path(fd, f);
                            if theirs.is_empty() {
                                theirs.push(Bson::Null);
                            }
                            theirs
                                .iter()
                                .any(|t| keys.iter().any(|k| compare_bson(t, k).is_eq()))
                        })
                        .cloned()
                        .collect()
                }
                _ => foreign.clone(),
            };
            if let Some(sub) = &sub {
                let mut vars = ctx.vars.clone();
                for (k, e) in &let_spec {
                    vars.insert(k.clone(), eval(e, &d, &ctx.vars)?);
                }
                let sub_ctx = PipelineCtx {
                    db: ctx.db,
                    vars,
                    collation: ctx.collation,
                    linearizable: ctx.linearizable,
                };
                matched = self.run_pipeline(&sub_ctx, matched, sub)?;
            }
            d.insert(
                as_field,
                matched.into_iter().map(Bson::Document).collect::<Vec<_>>(),
            );
            out.push(d);
        }
        Ok(out)
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
                Server::matching(
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

/// `$bucket`: documents into `[boundaries[i], boundaries[i+1])` by
/// `groupBy`, with `default` for the rest and `output` accumulators.
fn bucket(
    docs: Vec<Document>,
    spec: &Document,
    vars: &Document,
) -> Result<Vec<Document>, CmdError> {
    let group_by = spec.get("groupBy").ok_or_else(|| {
        err(
            40198,
            "Location40198",
            "$bucket requires 'groupBy' and 'boundaries'",
        )
    })?;
    let bounds = match spec.get("boundaries") {
        Some(Bson::Array(b)) if b.len() >= 2 => b.clone(),
        _ => {
            return Err(err(
                40192,
                "Location40192",
                "The $bucket 'boundaries' field must be an array with at least 2 values",
            ));
        }
    };
    if bounds
        .windows(2)
        .any(|w| compare_bson(&w[0], &w[1]).is_ge())
    {
        return Err(err(
            40194,
            "Location40194",
            "The 'boundaries' option to $bucket must be sorted in ascending order",
        ));
    }
    let default = spec.get("default").cloned();
    let mut keyed = Vec::with_capacity(docs.len());
    for d in docs {
        let v = eval(group_by, &d, vars)?;
        let idx = bounds.windows(2).position(|w| {
            compare_bson(&v, &w[0]).is_ge()
                && compare_bson(&v, &w[1]).is_lt()
                && crate::engine::keys::canonical_type_rank(&v)
                    == crate::engine::keys::canonical_type_rank(&w[0])
        });
        let id = match (idx, &default) {
            (Some(i), _) => bounds[i].clone(),
            (None, Some(def)) => def.clone(),
            (None, None) => {
                return Err(err(
                    40066,
                    "Location40066",
                    "$switch could not find a matching branch for an input, and no default was specified.",
                ));
            }
        };
        let mut d = d;
        d.insert("__argon_bucket", id);
        keyed.push(d);
    }
    let mut g = doc! { "_id": "$__argon_bucket" };
    match spec.get_document("output") {
        Ok(out) => {
            for (k, v) in out {
                g.insert(k.clone(), v.clone());
            }
        }
        Err(_) => {
            g.insert("count", doc! { "$sum": 1 });
        }
    }
    let mut out = group(keyed, &g, vars)?;
    let rank = |d: &Document| {
        let id = d.get("_id").unwrap_or(&Bson::Null);
        bounds
            .iter()
            .position(|b| compare_bson(b, id).is_eq())
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(rank);
    Ok(out)
}

/// `$sample`: `n` documents chosen at random (all of them when fewer).
fn sample(mut docs: Vec<Document>, n: usize) -> Vec<Document> {
    let n = n.min(docs.len());
    for i in 0..n {
        let j = i + (crate::query::random::next_u64() % (docs.len() - i) as u64) as usize;
        docs.swap(i, j);
    }
    docs.truncate(n);
    docs
}

/// `$group` through the shared stage ([`crate::db::stages::group::Group`]).
fn group(docs: Vec<Document>, spec: &Document, vars: &Document) -> Result<Vec<Document>, CmdError> {
    let env = expr::Env::with_vars(vars.clone());
    let g = crate::db::stages::group::Group::parse(spec, &mut env.parse_ctx())?;
    Ok(g.run(docs.into_iter(), &env)?)
}

/// `$unwind` of a field path (string or `{path, preserveNullAndEmptyArrays}`).
fn unwind(docs: Vec<Document>, spec: &Bson) -> Result<Vec<Document>, CmdError> {
    let (path, preserve) = match spec {
        Bson::String(p) => (p.clone(), false),
        Bson::Document(d) => (
            d.get_str("path")
                .map_err(|_| err(28812, "Location28812", "no path specified to $unwind stage"))?
                .to_string(),
            d.get_bool("preserveNullAndEmptyArrays").unwrap_or(false),
        ),
        _ => {
            return Err(err(
                15981,
                "Location15981",
                "expected either a string or an object as specification for $unwind stage",
            ));
        }
    };
    let field = path.strip_prefix('$').ok_or_else(|| {
        err(
            28818,
            "Location28818",
            "path option to $unwind stage should be prefixed with a '$'",
        )
    })?;
    if field.contains('.') {
        return Err(err(
            238,
            "NotImplemented",
            "argonctl's $unwind supports top-level fields only for now",
        ));
    }
    let mut out = Vec::new();
    for d in docs {
        match d.get(field) {
            Some(Bson::Array(items)) if !items.is_empty() => {
                for i in items {
                    let mut c = d.clone();
                    c.insert(field, i.clone());
                    out.push(c);
                }
            }
            Some(Bson::Array(_)) => {
                // An empty array is kept without the field, as mongod does.
                if preserve {
                    let mut c = d;
                    c.remove(field);
                    out.push(c);
                }
            }
            None | Some(Bson::Null) => {
                if preserve {
                    out.push(d);
                }
            }
            Some(_) => out.push(d),
        }
    }
    Ok(out)
}
