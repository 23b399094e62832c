//! Change streams opened by `aggregate` with `$changeStream`, and their
//! batches.

use super::*;

impl Server {
    /// `aggregate` with a leading `$changeStream`: a tailable cursor of
    /// change events on a collection, a database (`aggregate: 1`) or, on
    /// `admin` with `allChangesForCluster`, every project's default branch.
    pub(super) fn open_change_stream(
        &self,
        db: &str,
        cmd: &Document,
        coll: Option<String>,
        pipeline: &[Bson],
    ) -> CmdResult {
        use crate::wire::change_stream::{ChangeStream, Watched, parse_token};
        let opts = pipeline
            .first()
            .and_then(|s| s.as_document())
            .and_then(|s| s.get_document("$changeStream").ok())
            .cloned()
            .unwrap_or_default();
        let full = opts.get_str("fullDocument").unwrap_or("default");
        if !matches!(
            full,
            "default" | "updateLookup" | "whenAvailable" | "required"
        ) {
            return Err(err(
                2,
                "BadValue",
                format!("unknown fullDocument mode '{full}'"),
            ));
        }
        let before = opts.get_str("fullDocumentBeforeChange").unwrap_or("off");
        if !matches!(before, "off" | "whenAvailable" | "required") {
            return Err(err(
                2,
                "BadValue",
                format!("unknown fullDocumentBeforeChange mode '{before}'"),
            ));
        }
        let resume = match opts.get("resumeAfter").or_else(|| opts.get("startAfter")) {
            Some(t) => Some(parse_token(t)?),
            None => None,
        };
        let cluster = opts.get_bool("allChangesForCluster").unwrap_or(false);
        // Stages after $changeStream are checked now, not at the first getMore.
        for stage in &pipeline[1..] {
            let name = stage
                .as_document()
                .and_then(|d| d.keys().next())
                .map(String::as_str)
                .unwrap_or_default();
            // The stages mongod allows after $changeStream; unknown names
            // are reported by the pipeline check below.
            const ALLOWED: &[&str] = &[
                "$addFields",
                "$match",
                "$project",
                "$replaceRoot",
                "$replaceWith",
                "$redact",
                "$set",
                "$unset",
            ];
            const KNOWN: &[&str] = &[
                "$out",
                "$merge",
                "$changeStream",
                "$lookup",
                "$facet",
                "$group",
                "$sort",
                "$skip",
                "$limit",
                "$count",
                "$unwind",
                "$sample",
                "$bucket",
                "$sortByCount",
            ];
            if !ALLOWED.contains(&name) && KNOWN.contains(&name) {
                return Err(err(
                    20,
                    "IllegalOperation",
                    format!("{name} is not permitted in a $changeStream pipeline"),
                ));
            }
        }
        let check = crate::wire::pipeline::PipelineCtx {
            db,
            vars: Document::new(),
            collation: None,
            linearizable: false,
        };
        self.run_pipeline(&check, Vec::new(), &pipeline[1..])?;
        let mut targets = Vec::new();
        if cluster {
            if db != "admin" {
                return Err(err(
                    40,
                    "InvalidOptions",
                    "allChangesForCluster is only allowed on the admin database",
                ));
            }
            for name in self.engine.project_names()? {
                if let Some(p) = self.project(&name, false)? {
                    let b = p.default_branch()?;
                    targets.push((name.clone(), p, b));
                }
            }
        } else {
            let t = Target::parse(db);
            if t.is_read_only() {
                return Err(err(
                    20,
                    "IllegalOperation",
                    format!("'{db}' is a point in history: it has no changes to watch"),
                ));
            }
            let (p, branch) = self.write_target(db)?;
            targets.push((db.to_string(), p, branch));
        }
        let mut watched = Vec::new();
        let mut skip = None;
        // A deployment-wide token names its database and time: that
        // database resumes at the token, the others at its time.
        let cluster_resume: Option<(String, i64)> = resume.as_ref().and_then(|(log, _, _)| {
            let mut parts = log.splitn(3, '|');
            let db = parts.next()?.to_string();
            let time = parts.next()?.parse().ok()?;
            parts.next().map(|_| (db, time))
        });
        for (name, p, branch) in targets {
            let mut w = match (&cluster_resume, &resume) {
                (Some((db, time)), _) if *db != name => {
                    Watched::open_at_time(name, p, branch, *time)?
                }
                _ => {
                    let (w, s) = Watched::open(name, p, branch, resume.clone())?;
                    skip = skip.or(s);
                    w
                }
            };
            w.cluster = cluster;
            // The resumed database first: `poll` applies `skip` to it.
            if cluster_resume.as_ref().is_some_and(|(db, _)| *db == w.db) {
                watched.insert(0, w);
            } else {
                watched.push(w);
            }
        }
        let last_token = watched
            .first()
            .map(|w| w.position_token())
            .unwrap_or_default();
        let mut stream = ChangeStream {
            watched,
            cluster,
            collection: coll.clone(),
            full_document: full.to_string(),
            before_change: before.to_string(),
            show_expanded: opts.get_bool("showExpandedEvents").unwrap_or(false),
            last_token,
            pending: VecDeque::new(),
            added_at: Vec::new(),
            diff_seq: 0,
            diff_skip: None,
            invalidated: false,
        };
        if resume.is_some() {
            stream.poll(skip)?;
        }
        let id = self.next_cursor.fetch_add(1, Ordering::Relaxed);
        let ns = match &coll {
            Some(c) => format!("{db}.{c}"),
            None => format!("{db}.$cmd.aggregate"),
        };
        let cursor = Arc::new(Mutex::new(StreamCursor {
            ns,
            db: db.to_string(),
            stream,
            pipeline: pipeline[1..].to_vec(),
        }));
        self.streams
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?
            .insert(id, cursor.clone());
        let batch = cmd
            .get_document("cursor")
            .ok()
            .map(|c| Self::batch_size(c.get("batchSize")))
            .unwrap_or(DEFAULT_BATCH);
        self.stream_batch(id, &cursor, batch, true, 0)
    }

    /// Adds the projects created since a cluster-wide stream opened.
    pub(super) fn watch_new_projects(
        &self,
        stream: &mut crate::wire::change_stream::ChangeStream,
    ) -> Result<(), CmdError> {
        for name in self.engine.project_names()? {
            if stream.watched.iter().any(|w| w.db == name) {
                continue;
            }
            if let Some(p) = self.project(&name, false)? {
                let branch = p.default_branch()?;
                stream
                    .watched
                    .push(crate::wire::change_stream::Watched::open_from_start(
                        name, p, branch,
                    )?);
            }
        }
        Ok(())
    }

    /// The next batch of a change stream, waiting up to `wait_ms` for one.
    pub(super) fn stream_batch(
        &self,
        id: i64,
        cursor: &Arc<Mutex<StreamCursor>>,
        batch: usize,
        first: bool,
        wait_ms: u64,
    ) -> CmdResult {
        let started = Instant::now();
        let mut c = cursor
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?;
        let mut out: Vec<Document> = Vec::new();
        loop {
            if c.stream.cluster {
                self.watch_new_projects(&mut c.stream)?;
            }
            c.stream.poll(None)?;
            while out.len() < batch
                && let Some(e) = c.stream.pending.pop_front()
            {
                c.stream.last_token = e.get_document("_id").cloned().unwrap_or_default();
                let ctx = crate::wire::pipeline::PipelineCtx {
                    db: &c.db,
                    vars: Document::new(),
                    collation: None,
                    linearizable: false,
                };
                for d in self.run_pipeline(&ctx, vec![e], &c.pipeline)? {
                    if !d.contains_key("_id") {
                        return Err(err(
                            280,
                            "ChangeStreamFatalError",
                            "Encountered an event whose _id field, which contains the resume token, was modified by the pipeline",
                        ));
                    }
                    out.push(d);
                }
            }
            if !out.is_empty()
                || c.stream.invalidated
                || started.elapsed().as_millis() as u64 >= wait_ms
            {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let done = c.stream.invalidated && c.stream.pending.is_empty();
        if done && let Ok(mut ss) = self.streams.lock() {
            ss.remove(&id);
        }
        let key = if first { "firstBatch" } else { "nextBatch" };
        Ok(doc! { "cursor": {
            key: out,
            "id": if done { 0 } else { id },
            "ns": &c.ns,
            "postBatchResumeToken": c.stream.last_token.clone(),
        } })
    }
}
