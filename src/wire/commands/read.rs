//! `find`, `getMore`, `killCursors`, `count` and `distinct`: reads through
//! the db layer's planner, answered in cursor batches.

use super::*;

impl Server {
    pub(super) fn cursor_reply(
        &self,
        ns: String,
        mut docs: VecDeque<Document>,
        batch: usize,
        first: bool,
        single: bool,
    ) -> Document {
        let n = batch.min(docs.len());
        let page: Vec<Document> = docs.drain(..n).collect();
        let id = if docs.is_empty() || single {
            0
        } else {
            let id = self.next_cursor.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut c) = self.cursors.lock() {
                c.insert(
                    id,
                    Cursor {
                        ns: ns.clone(),
                        docs,
                        scan: None,
                    },
                );
            }
            id
        };
        let key = if first { "firstBatch" } else { "nextBatch" };
        doc! { "cursor": { key: page, "id": id, "ns": ns } }
    }

    pub(super) fn batch_size(v: Option<&Bson>) -> usize {
        match v {
            Some(Bson::Int32(n)) if *n > 0 => *n as usize,
            Some(Bson::Int64(n)) if *n > 0 => *n as usize,
            Some(Bson::Double(n)) if *n > 0.0 => *n as usize,
            _ => usize::MAX,
        }
    }

    pub(super) fn find(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "find")?;
        let ns = format!("{db}.{coll}");
        let filter = cmd.get_document("filter").cloned().unwrap_or_default();
        let projection =
            Projection::parse(&cmd.get_document("projection").cloned().unwrap_or_default())?;
        let sort = SortSpec::parse(&cmd.get_document("sort").cloned().unwrap_or_default())?;
        let skip = int_arg(cmd, "skip")?.unwrap_or(0).max(0) as usize;
        let limit = int_arg(cmd, "limit")?.unwrap_or(0);
        let single = cmd.get_bool("singleBatch").unwrap_or(false) || limit < 0;
        let limit = limit.unsigned_abs() as usize;
        let batch = match cmd.get("batchSize") {
            Some(b) => Self::batch_size(Some(b)),
            None => DEFAULT_BATCH,
        };
        let Some((p, view)) = self.read_view(db)? else {
            return Ok(self.cursor_reply(ns, VecDeque::new(), batch, true, true));
        };
        if resolve_view(&view, coll)?.is_some() {
            // As mongod: a find on a view is an aggregation over its source.
            let mut stages: Vec<Bson> = Vec::new();
            if !filter.is_empty() {
                stages.push(Bson::Document(doc! { "$match": filter.clone() }));
            }
            if let Ok(s) = cmd.get_document("sort")
                && !s.is_empty()
            {
                stages.push(Bson::Document(doc! { "$sort": s.clone() }));
            }
            if skip > 0 {
                stages.push(Bson::Document(doc! { "$skip": skip as i64 }));
            }
            if limit > 0 {
                stages.push(Bson::Document(doc! { "$limit": limit as i64 }));
            }
            if let Ok(proj) = cmd.get_document("projection")
                && !proj.is_empty()
            {
                stages.push(Bson::Document(doc! { "$project": proj.clone() }));
            }
            let docs = self.aggregate_docs(db, coll, cmd, &stages)?;
            let batch = if limit > 0 { batch.min(limit) } else { batch };
            return Ok(self.cursor_reply(ns, docs.into(), batch, true, single));
        }
        let scan_limit = if sort.is_empty() && limit > 0 {
            Some(skip + limit)
        } else {
            None
        };
        let vars = let_vars(cmd)?;
        let collation = Collation::parse(cmd.get("collation"))?;
        if sort.is_empty()
            && view.has_collection(coll)
            && plan::scans(&view, coll, &filter, collation)
        {
            // Read batch by batch from a snapshot instead of holding every
            // match: a find over millions of documents costs one batch.
            let query = crate::wire::cursor::ScanQuery {
                filter: Filter::parse_with_let(&filter, &vars)?.with_collation(collation),
                filter_doc: filter.clone(),
                projection,
                skip,
                limit: (limit > 0).then_some(limit),
            };
            let mut scan = crate::wire::cursor::ScanCursor::new(p, view, coll, query);
            let page = scan.next_batch(if limit > 0 { batch.min(limit) } else { batch })?;
            let id = if scan.done || single {
                0
            } else {
                let id = self.next_cursor.fetch_add(1, Ordering::Relaxed);
                self.keep_scan_cursor(id, ns.clone(), scan)?;
                id
            };
            return Ok(doc! { "cursor": { "firstBatch": page, "id": id, "ns": ns } });
        }
        let mut docs = plan::matching(&p, &view, coll, &filter, scan_limit, &vars, collation)?;
        if !sort.is_empty() {
            sort.sort(&mut docs);
        }
        let docs = docs.into_iter().skip(skip);
        let docs: Vec<Document> = if limit > 0 {
            docs.take(limit).collect()
        } else {
            docs.collect()
        };
        let mut out = VecDeque::with_capacity(docs.len());
        for d in docs {
            out.push_back(projection.apply(&d, Some(&filter))?);
        }
        let batch = if limit > 0 { batch.min(limit) } else { batch };
        Ok(self.cursor_reply(ns, out, batch, true, single))
    }

    /// Files a scan cursor that has more to read under `id`.
    pub(super) fn keep_scan_cursor(
        &self,
        id: i64,
        ns: String,
        scan: crate::wire::cursor::ScanCursor,
    ) -> Result<(), CmdError> {
        self.cursors
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?
            .insert(
                id,
                Cursor {
                    ns,
                    docs: VecDeque::new(),
                    scan: Some(scan),
                },
            );
        Ok(())
    }

    pub(super) fn get_more(&self, cmd: &Document) -> CmdResult {
        let id = match cmd.get("getMore") {
            Some(Bson::Int64(i)) => *i,
            Some(Bson::Int32(i)) => *i as i64,
            _ => return Err(err(14, "TypeMismatch", "getMore cursor id must be a long")),
        };
        let batch = Self::batch_size(cmd.get("batchSize"));
        let stream = self
            .streams
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?
            .get(&id)
            .cloned();
        if let Some(stream) = stream {
            let wait = int_arg(cmd, "maxTimeMS")?.unwrap_or(1000).clamp(0, 60_000) as u64;
            return self.stream_batch(id, &stream, batch, false, wait);
        }
        let cursor = self
            .cursors
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?
            .remove(&id)
            .ok_or_else(|| err(43, "CursorNotFound", format!("cursor id {id} not found")))?;
        if let Some(mut scan) = cursor.scan {
            let page = scan.next_batch(batch)?;
            let ns = cursor.ns;
            let next = if scan.done { 0 } else { id };
            if !scan.done {
                self.keep_scan_cursor(id, ns.clone(), scan)?;
            }
            return Ok(doc! { "cursor": { "nextBatch": page, "id": next, "ns": ns } });
        }
        let mut reply = self.cursor_reply(cursor.ns, cursor.docs, batch, false, false);
        // A continuing cursor keeps its id.
        if let Ok(c) = reply.get_document_mut("cursor") {
            let new_id = c.get_i64("id").unwrap_or(0);
            if new_id != 0 {
                if let Ok(mut cs) = self.cursors.lock()
                    && let Some(cur) = cs.remove(&new_id)
                {
                    cs.insert(id, cur);
                }
                c.insert("id", id);
            }
        }
        Ok(reply)
    }

    pub(super) fn kill_cursors(&self, cmd: &Document) -> CmdResult {
        let ids: Vec<i64> = cmd
            .get_array("cursors")
            .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
            .unwrap_or_default();
        let mut killed = Vec::new();
        let mut not_found = Vec::new();
        if let (Ok(mut cs), Ok(mut ss)) = (self.cursors.lock(), self.streams.lock()) {
            for id in ids {
                if cs.remove(&id).is_some() || ss.remove(&id).is_some() {
                    killed.push(id);
                } else {
                    not_found.push(id);
                }
            }
        }
        Ok(
            doc! { "cursorsKilled": killed, "cursorsNotFound": not_found, "cursorsAlive": [], "cursorsUnknown": [] },
        )
    }

    pub(super) fn count(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "count")?;
        let filter = cmd.get_document("query").cloned().unwrap_or_default();
        let Some((p, view)) = self.read_view(db)? else {
            return Ok(doc! { "n": 0 });
        };
        let mut n = if resolve_view(&view, coll)?.is_some() {
            let stages = vec![Bson::Document(doc! { "$match": filter.clone() })];
            self.aggregate_docs(db, coll, cmd, &stages)?.len() as i64
        } else if filter.is_empty() {
            view.count(p.nodes(), coll)? as i64
        } else {
            let collation = Collation::parse(cmd.get("collation"))?;
            plan::matching(&p, &view, coll, &filter, None, &Document::new(), collation)?.len()
                as i64
        };
        if let Some(skip) = int_arg(cmd, "skip")? {
            n = (n - skip.max(0)).max(0);
        }
        if let Some(limit) = int_arg(cmd, "limit")?.filter(|l| *l != 0) {
            n = n.min(limit.abs());
        }
        Ok(doc! { "n": n as i32 })
    }

    pub(super) fn distinct(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "distinct")?;
        let key = cmd
            .get_str("key")
            .map_err(|_| err(14, "TypeMismatch", "\"key\" had the wrong type"))?;
        let filter = cmd.get_document("query").cloned().unwrap_or_default();
        let Some((p, view)) = self.read_view(db)? else {
            return Ok(doc! { "values": [] });
        };
        let mut values: Vec<Bson> = Vec::new();
        let collation = Collation::parse(cmd.get("collation"))?;
        let fold = |v: &Bson| match collation {
            Some(c) if c.fold_case => crate::query::filter::fold_case(v),
            _ => v.clone(),
        };
        let docs = if resolve_view(&view, coll)?.is_some() {
            let stages = vec![Bson::Document(doc! { "$match": filter.clone() })];
            self.aggregate_docs(db, coll, cmd, &stages)?
        } else {
            plan::matching(&p, &view, coll, &filter, None, &Document::new(), collation)?
        };
        for d in docs {
            for v in distinct_values(&d, key) {
                if !values.iter().any(|x| {
                    compare_bson(&fold(x), &fold(&v)).is_eq()
                        && crate::engine::keys::canonical_type_rank(x)
                            == crate::engine::keys::canonical_type_rank(&v)
                }) {
                    values.push(v);
                }
            }
        }
        values.sort_by(compare_bson);
        Ok(doc! { "values": values })
    }
}

/// The values `distinct` collects from one document: what the dotted path
/// reaches, through arrays of documents on the way, with a final array
/// counting as its elements. Missing fields and empty arrays give nothing.
pub(super) fn distinct_values(d: &Document, path: &str) -> Vec<Bson> {
    fn walk(v: &Bson, parts: &[&str], out: &mut Vec<Bson>) {
        match (parts.split_first(), v) {
            (None, Bson::Array(items)) => out.extend(items.iter().cloned()),
            (None, v) => out.push(v.clone()),
            (Some((first, rest)), Bson::Document(sub)) => {
                if let Some(next) = sub.get(*first) {
                    walk(next, rest, out);
                }
            }
            (Some((first, rest)), Bson::Array(items)) => {
                if let Ok(i) = first.parse::<usize>() {
                    if let Some(item) = items.get(i) {
                        walk(item, rest, out);
                    }
                } else {
                    for item in items.iter().filter(|i| matches!(i, Bson::Document(_))) {
                        walk(item, parts, out);
                    }
                }
            }
            _ => {}
        }
    }
    let parts: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    walk(&Bson::Document(d.clone()), &parts, &mut out);
    out
}
