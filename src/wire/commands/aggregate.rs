//! `aggregate`: on a collection or view, or database-wide (`$documents`,
//! `$listLocalSessions`); the stages run in the db layer.

use super::*;
use crate::db::snapshot::Snapshot;

impl Server {
    /// `aggregate: 1`: a pipeline that starts from a source stage instead
    /// of a collection (`$documents`, `$listLocalSessions`).
    pub(super) fn aggregate_database(
        &self,
        db: &str,
        cmd: &Document,
        pipeline: &[Bson],
    ) -> CmdResult {
        let first = pipeline.first().and_then(|s| s.as_document());
        let (docs, rest): (Vec<Document>, &[Bson]) = match first.and_then(|d| d.iter().next()) {
            // The db layer's `$documents` stage produces the documents.
            Some((stage, _)) if stage == "$documents" => (Vec::new(), pipeline),
            Some((stage, _)) if stage == "$listLocalSessions" => {
                let sessions = self
                    .sessions
                    .lock()
                    .map_err(|_| err(1, "InternalError", "lock poisoned"))?;
                let docs = sessions
                    .values()
                    .map(|(lsid, used)| doc! { "_id": lsid.clone(), "lastUse": *used })
                    .collect();
                (docs, &pipeline[1..])
            }
            _ => {
                return Err(err(
                    73,
                    "InvalidNamespace",
                    "{aggregate: 1} is not valid for this pipeline: it must start with \
                     $documents, $listLocalSessions or $changeStream",
                ));
            }
        };
        let ctx = crate::wire::pipeline::PipelineCtx {
            db,
            vars: let_vars(cmd)?,
            collation: Collation::parse(cmd.get("collation"))?,
            linearizable: false,
        };
        let batch = cmd
            .get_document("cursor")
            .ok()
            .map(|c| Self::batch_size(c.get("batchSize")))
            .unwrap_or(DEFAULT_BATCH);
        let docs = self.run_pipeline(&ctx, docs, rest)?;
        Ok(self.cursor_reply(
            format!("{db}.$cmd.aggregate"),
            docs.into(),
            batch,
            true,
            false,
        ))
    }

    pub(super) fn aggregate(&self, db: &str, cmd: &Document) -> CmdResult {
        if let Ok(pipeline) = cmd.get_array("pipeline")
            && let Some(Bson::Document(first)) = pipeline.first()
            && first.contains_key("$changeStream")
        {
            let coll = match cmd.get("aggregate") {
                Some(Bson::String(c)) => Some(c.clone()),
                _ => None,
            };
            return self.open_change_stream(db, cmd, coll, pipeline);
        }
        let coll = match cmd.get("aggregate") {
            Some(Bson::String(c)) => c.clone(),
            _ => {
                let pipeline = cmd.get_array("pipeline").map_err(|_| {
                    err(
                        14,
                        "TypeMismatch",
                        "'pipeline' option must be specified as an array",
                    )
                })?;
                return self.aggregate_database(db, cmd, pipeline);
            }
        };
        let pipeline = cmd.get_array("pipeline").map_err(|_| {
            err(
                14,
                "TypeMismatch",
                "'pipeline' option must be specified as an array",
            )
        })?;
        let ns = format!("{db}.{coll}");
        let batch = cmd
            .get_document("cursor")
            .ok()
            .map(|c| Self::batch_size(c.get("batchSize")))
            .unwrap_or(DEFAULT_BATCH);
        let docs = match pipeline.first().and_then(|s| s.as_document()) {
            Some(first)
                if first.contains_key("$collStats") || first.contains_key("$indexStats") =>
            {
                let stats = self.stats_stage(db, &coll, first)?;
                let ctx = crate::wire::pipeline::PipelineCtx {
                    db,
                    vars: let_vars(cmd)?,
                    collation: Collation::parse(cmd.get("collation"))?,
                    linearizable: false,
                };
                self.run_pipeline(&ctx, stats, &pipeline[1..])?
            }
            _ => self.aggregate_docs(db, &coll, cmd, pipeline)?,
        };
        Ok(self.cursor_reply(ns, docs.into(), batch, true, false))
    }

    /// The documents a pipeline over collection (or view) `coll` yields.
    pub(in crate::wire) fn aggregate_docs(
        &self,
        db: &str,
        coll: &str,
        cmd: &Document,
        pipeline: &[Bson],
    ) -> Result<Vec<Document>, CmdError> {
        // A view is its source collection with its pipeline in front.
        if let Some((p, view)) = self.read_view(db)?
            && let Some((source, mut full)) = resolve_view(&view, coll)?
        {
            drop(p);
            full.extend(pipeline.iter().cloned());
            return self.aggregate_docs(db, &source, cmd, &full);
        }
        let coll = coll.to_string();
        let ctx = crate::wire::pipeline::PipelineCtx {
            db,
            vars: let_vars(cmd)?,
            collation: Collation::parse(cmd.get("collation"))?,
            linearizable: cmd
                .get_document("readConcern")
                .ok()
                .and_then(|r| r.get_str("level").ok())
                == Some("linearizable"),
        };
        let (body, terminal) = self.split_terminal(&ctx, pipeline)?;
        let docs = match self.read_view(db)? {
            Some((p, view)) => match count_all(body) {
                // `countDocuments({})` is `$group` of everything by a
                // constant with `$sum: 1`: the tree's root knows the count.
                Some(group) if !ctx.linearizable => {
                    let n = if view.has_collection(&coll) {
                        view.count(p.nodes(), &coll)?
                    } else {
                        0
                    };
                    let mut out = Vec::new();
                    if n > 0 {
                        let mut d = doc! { "_id": group.get("_id").cloned().unwrap_or(Bson::Null) };
                        for (k, _) in group.iter().filter(|(k, _)| *k != "_id") {
                            d.insert(
                                k.clone(),
                                i32::try_from(n).map_or(Bson::Int64(n as i64), Bson::Int32),
                            );
                        }
                        out.push(d);
                    }
                    self.run_pipeline(&ctx, out, &body[1..])?
                }
                // The db layer plans the leading `$match` and streams the
                // rest over the scan.
                _ => Snapshot::new(&p, view).aggregate(&coll, body, &ctx.vars, ctx.collation)?,
            },
            None => self.run_pipeline(&ctx, Vec::new(), body)?,
        };
        self.finish_terminal(&ctx, docs, terminal)
    }

    /// `$collStats` and `$indexStats`, which must come first: statistics
    /// of the collection and its indexes as one or more documents.
    fn stats_stage(
        &self,
        db: &str,
        coll: &str,
        stage: &Document,
    ) -> Result<Vec<Document>, CmdError> {
        let ns = format!("{db}.{coll}");
        let rec = self
            .read_view(db)?
            .and_then(|(p, view)| view.catalog().get(coll).cloned().map(|r| (p, view, r)));
        if let Ok(spec) = stage.get_document("$indexStats") {
            if !spec.is_empty() {
                return Err(err(
                    28803,
                    "Location28803",
                    "The $indexStats stage specification must be an empty object",
                ));
            }
            let Some((_, _, rec)) = rec else {
                return Ok(Vec::new());
            };
            let since = bson::DateTime::from_millis(crate::engine::clock::now_ms());
            let mut specs = vec![doc! { "v": 2, "key": { "_id": 1 }, "name": "_id_" }];
            for i in &rec.indexes {
                let mut d = doc! { "v": 2, "key": i.spec.key_document(), "name": &i.spec.name };
                if i.spec.unique {
                    d.insert("unique", true);
                }
                if i.spec.sparse {
                    d.insert("sparse", true);
                }
                d.extend(i.spec.options.clone());
                specs.push(d);
            }
            return Ok(specs
                .into_iter()
                .map(|spec| {
                    doc! {
                        "name": spec.get("name").cloned().unwrap_or(Bson::Null),
                        "key": spec.get("key").cloned().unwrap_or(Bson::Null),
                        "host": &self.address,
                        // Index use is not counted here.
                        "accesses": { "ops": 0_i64, "since": since },
                        "spec": spec,
                    }
                })
                .collect());
        }
        let spec = match stage.get("$collStats") {
            Some(Bson::Document(d)) => d,
            _ => {
                return Err(err(
                    5447000,
                    "Location5447000",
                    "$collStats must take a nested object",
                ));
            }
        };
        let mut out = doc! {
            "ns": &ns,
            "host": &self.address,
            "localTime": bson::DateTime::from_millis(crate::engine::clock::now_ms()),
        };
        for (k, v) in spec {
            match k.as_str() {
                "latencyStats" => {
                    let zero = doc! { "latency": 0_i64, "ops": 0_i64 };
                    out.insert(
                        "latencyStats",
                        doc! { "reads": zero.clone(), "writes": zero.clone(), "commands": zero.clone(), "transactions": zero },
                    );
                }
                "storageStats" | "count" => {
                    let Some((p, view, rec)) = &rec else {
                        return Err(err(
                            26,
                            "NamespaceNotFound",
                            format!(
                                "Unable to retrieve {k} in $collStats stage :: caused by :: Collection [{ns}] not found."
                            ),
                        ));
                    };
                    let scale = match v.as_document().and_then(|d| d.get("scale")) {
                        None => 1,
                        Some(Bson::Int32(n)) if *n >= 1 => i64::from(*n),
                        Some(Bson::Int64(n)) if *n >= 1 => *n,
                        Some(Bson::Double(n)) if *n >= 1.0 => *n as i64,
                        Some(_) => {
                            return Err(err(
                                51024,
                                "Location51024",
                                "BSON field 'scale' value must be >= 1",
                            ));
                        }
                    };
                    let (mut count, mut size) = (0_i64, 0_i64);
                    if k == "count" {
                        count = view.count(p.nodes(), coll)? as i64;
                        out.insert("count", doc! { "count": count });
                        continue;
                    }
                    for item in view.scan(p.nodes(), coll)? {
                        let (_, raw) = item?;
                        count += 1;
                        size += raw.len() as i64;
                    }
                    let mut index_sizes = doc! { "_id_": 0_i64 };
                    for i in &rec.indexes {
                        index_sizes.insert(i.spec.name.clone(), 0_i64);
                    }
                    out.insert(
                        "storageStats",
                        doc! {
                            "size": size / scale, "count": count,
                            "avgObjSize": if count > 0 { size / count } else { 0 },
                            "storageSize": size / scale, "freeStorageSize": 0_i64,
                            "capped": false, "nindexes": rec.indexes.len() as i32 + 1,
                            "indexDetails": {}, "totalIndexSize": 0_i64,
                            "totalSize": size / scale, "indexSizes": index_sizes,
                            "scaleFactor": scale as i32,
                        },
                    );
                }
                "queryExecStats" => {
                    out.insert(
                        "queryExecStats",
                        doc! { "collectionScans": { "total": 0_i64, "nonTailable": 0_i64 } },
                    );
                }
                other => {
                    return Err(err(
                        40415,
                        "Location40415",
                        format!("BSON field '$collStats.{other}' is an unknown field."),
                    ));
                }
            }
        }
        Ok(vec![out])
    }
}

/// The `$group` of a pipeline that is exactly `[{$group: {_id: <constant>,
/// f: {$sum: 1}, ...}}, ...]` with nothing before it.
fn count_all(pipeline: &[Bson]) -> Option<&Document> {
    let g = pipeline
        .first()?
        .as_document()?
        .get_document("$group")
        .ok()?;
    let constant_id = matches!(g.get("_id"), Some(id) if !matches!(id, Bson::String(s) if s.starts_with('$'))
        && !matches!(id, Bson::Document(_) | Bson::Array(_)));
    let all_counts = g.iter().filter(|(k, _)| *k != "_id").all(|(_, v)| {
        matches!(v, Bson::Document(a) if a.len() == 1
            && matches!(a.get("$sum"), Some(Bson::Int32(1) | Bson::Int64(1))))
    });
    (constant_id && all_counts).then_some(g)
}
