//! Collections, databases and indexes: list, create, `collMod`, rename,
//! stats, drop, and `explain`.

use super::write::refuse_view_write;
use super::*;

impl Server {
    pub(super) fn list_databases(&self, cmd: &Document) -> CmdResult {
        let name_only = cmd.get_bool("nameOnly").unwrap_or(false);
        let mut dbs = Vec::new();
        for name in self.engine.project_names()? {
            let Some(p) = self.project(&name, false)? else {
                continue;
            };
            let refs = p.refs()?;
            let size = p.store().disk_size().unwrap_or(0) as i64;
            for b in refs.branches.keys() {
                if crate::engine::txn::is_txn_branch(b) {
                    continue;
                }
                let db = if *b == refs.project.default_branch {
                    name.clone()
                } else {
                    format!("{name}@{b}")
                };
                dbs.push(if name_only {
                    doc! { "name": db }
                } else {
                    doc! { "name": db, "sizeOnDisk": size, "empty": false }
                });
            }
        }
        Ok(doc! { "databases": dbs, "totalSize": 0_i64 })
    }

    pub(super) fn list_collections(&self, db: &str, cmd: &Document) -> CmdResult {
        let filter = Filter::parse(&cmd.get_document("filter").cloned().unwrap_or_default())?;
        let name_only = cmd.get_bool("nameOnly").unwrap_or(false);
        let read_only = Target::parse(db).is_read_only();
        let mut out = VecDeque::new();
        if let Some((_, view)) = self.read_view(db)? {
            for name in view.collection_names() {
                let d = if name_only {
                    let is_view = view
                        .catalog()
                        .get(&name)
                        .is_some_and(|r| r.options.contains_key("viewOn"));
                    doc! { "name": &name, "type": if is_view { "view" } else { "collection" } }
                } else {
                    let options = view
                        .catalog()
                        .get(&name)
                        .map(|r| r.options.clone())
                        .unwrap_or_default();
                    let kind = if options.contains_key("viewOn") {
                        "view"
                    } else {
                        "collection"
                    };
                    doc! {
                        "name": &name, "type": kind, "options": options,
                        "info": { "readOnly": read_only },
                        "idIndex": { "v": 2, "key": { "_id": 1 }, "name": "_id_" },
                    }
                };
                if filter.matches(&d) {
                    out.push_back(d);
                }
            }
        }
        Ok(self.cursor_reply(
            format!("{db}.$cmd.listCollections"),
            out,
            usize::MAX,
            true,
            true,
        ))
    }

    pub(super) fn create(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "create")?;
        let (p, branch) = self.write_target(db)?;
        if p.branch_view(&branch)?.has_collection(coll) {
            return Err(err(
                48,
                "NamespaceExists",
                format!("Collection {db}.{coll} already exists."),
            ));
        }
        p.create_collection(&branch, coll)?;
        let options = Self::collection_options(cmd, "create")?;
        if !options.is_empty() {
            p.set_collection_options(&branch, coll, |o| o.extend(options))?;
        }
        Ok(doc! {})
    }

    /// The options of `create`/`collMod` this server keeps with a
    /// collection. `changeStreamPreAndPostImages` decides whether change
    /// streams may show documents before and after a change; validators
    /// are recorded and reported (not enforced).
    pub(super) fn collection_options(cmd: &Document, command: &str) -> Result<Document, CmdError> {
        let mut options = Document::new();
        for (k, v) in cmd.iter().skip(1) {
            match k.as_str() {
                "changeStreamPreAndPostImages" => {
                    let enabled = v
                        .as_document()
                        .and_then(|d| d.get_bool("enabled").ok())
                        .ok_or_else(|| {
                            err(
                                14,
                                "TypeMismatch",
                                "changeStreamPreAndPostImages must be {enabled: <bool>}",
                            )
                        })?;
                    options.insert(k, doc! { "enabled": enabled });
                }
                "validator" => {
                    let spec = v
                        .as_document()
                        .ok_or_else(|| err(14, "TypeMismatch", "'validator' must be a document"))?;
                    // Refused now rather than on every later write.
                    Filter::parse(spec)?;
                    options.insert(k, v.clone());
                }
                "validationLevel" | "validationAction" => {
                    let allowed: &[&str] = if k == "validationLevel" {
                        &["strict", "moderate", "off"]
                    } else {
                        &["error", "warn"]
                    };
                    match v.as_str() {
                        Some(value) if allowed.contains(&value) => {
                            options.insert(k, value);
                        }
                        _ => {
                            return Err(err(
                                2,
                                "BadValue",
                                format!("'{k}' must be one of {}", allowed.join(", ")),
                            ));
                        }
                    }
                }
                // A view: `create: "v", viewOn: "source", pipeline: [...]`.
                "viewOn" if command == "create" => {
                    let source = v.as_str().ok_or_else(|| {
                        err(14, "TypeMismatch", "'viewOn' must be a collection name")
                    })?;
                    options.insert(k, source);
                }
                "pipeline" if command == "create" => {
                    let Bson::Array(stages) = v else {
                        return Err(err(
                            14,
                            "TypeMismatch",
                            "a view's 'pipeline' must be an array",
                        ));
                    };
                    options.insert(k, stages.clone());
                }
                _ if k.starts_with('$')
                    || matches!(
                        k.as_str(),
                        "lsid"
                            | "txnNumber"
                            | "writeConcern"
                            | "comment"
                            | "maxTimeMS"
                            | "autocommit"
                            | "startTransaction"
                            | "readConcern"
                    ) => {}
                // `create` takes many options that change nothing here
                // (capped, collation, storageEngine, ...).
                _ if command == "create" => {}
                other => {
                    return Err(err(
                        40415,
                        "Location40415",
                        format!("BSON field '{command}.{other}' is an unknown field."),
                    ));
                }
            }
        }
        Ok(options)
    }

    pub(super) fn coll_mod(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "collMod")?;
        let options = Self::collection_options(cmd, "collMod")?;
        let (p, branch) = self.write_target(db)?;
        if !p.branch_view(&branch)?.has_collection(coll) {
            return Err(err(
                26,
                "NamespaceNotFound",
                format!("ns does not exist: {db}.{coll}"),
            ));
        }
        p.set_collection_options(&branch, coll, |o| o.extend(options))?;
        Ok(doc! {})
    }

    pub(super) fn rename_collection(&self, cmd: &Document) -> CmdResult {
        let split = |key: &str| -> Result<(String, String), CmdError> {
            let ns = cmd
                .get_str(key)
                .map_err(|_| err(2, "BadValue", format!("'{key}' must be a namespace string")))?;
            ns.split_once('.')
                .map(|(d, c)| (d.to_string(), c.to_string()))
                .ok_or_else(|| err(73, "InvalidNamespace", format!("Invalid namespace: {ns}")))
        };
        let (db, from) = split("renameCollection")?;
        let (to_db, to) = split("to")?;
        if db != to_db {
            return Err(err(
                20,
                "IllegalOperation",
                "renameCollection across databases (projects or branches) is not supported; \
                 export and import, or merge branches, instead",
            ));
        }
        let (p, branch) = self.write_target(&db)?;
        if !p.branch_view(&branch)?.has_collection(&from) {
            return Err(err(
                26,
                "NamespaceNotFound",
                format!("Source collection {db}.{from} does not exist"),
            ));
        }
        if from != to
            && p.branch_view(&branch)?.has_collection(&to)
            && !cmd.get_bool("dropTarget").unwrap_or(false)
        {
            return Err(err(
                48,
                "NamespaceExists",
                format!("Collection {db}.{to} already exists"),
            ));
        }
        if from != to {
            p.rename_collection(&branch, &from, &to, true)?;
        }
        Ok(doc! {})
    }

    pub(super) fn coll_stats(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "collStats")?;
        let ns = format!("{db}.{coll}");
        let Some((p, view)) = self.read_view(db)? else {
            return Err(err(
                26,
                "NamespaceNotFound",
                format!("Collection [{ns}] not found."),
            ));
        };
        let Some(rec) = view.catalog().get(coll).cloned() else {
            return Err(err(
                26,
                "NamespaceNotFound",
                format!("Collection [{ns}] not found."),
            ));
        };
        let mut count = 0i64;
        let mut size = 0i64;
        for item in view.scan(p.nodes(), coll)? {
            let (_, raw) = item?;
            count += 1;
            size += raw.len() as i64;
        }
        let mut index_sizes = Document::new();
        index_sizes.insert("_id_", 0_i64);
        for i in &rec.indexes {
            index_sizes.insert(i.spec.name.clone(), 0_i64);
        }
        Ok(doc! {
            "ns": ns, "count": count, "size": size,
            "avgObjSize": if count > 0 { size / count } else { 0 },
            "storageSize": size, "nindexes": rec.indexes.len() as i32 + 1,
            "totalIndexSize": 0_i64, "indexSizes": index_sizes, "capped": false,
        })
    }

    pub(super) fn db_stats(&self, db: &str) -> CmdResult {
        let Some((p, view)) = self.read_view(db)? else {
            return Ok(
                doc! { "db": db, "collections": 0, "objects": 0_i64, "dataSize": 0_i64, "storageSize": 0_i64, "indexes": 0 },
            );
        };
        let (mut objects, mut indexes) = (0i64, 0i32);
        for (name, rec) in view.catalog() {
            objects += view.count(p.nodes(), name)? as i64;
            indexes += rec.indexes.len() as i32 + 1;
        }
        Ok(doc! {
            "db": db, "collections": view.catalog().len() as i32, "views": 0,
            "objects": objects, "dataSize": p.store().disk_size().unwrap_or(0) as i64,
            "storageSize": p.store().disk_size().unwrap_or(0) as i64, "indexes": indexes,
        })
    }

    /// `explain` of find, count, distinct, aggregate, update and delete:
    /// which access path the planner takes (`_id` point lookup, an index
    /// on the filter's first field, or a collection scan).
    pub(super) fn explain(&self, db: &str, cmd: &Document) -> CmdResult {
        let inner = cmd
            .get_document("explain")
            .map_err(|_| err(2, "BadValue", "explain needs a command document"))?;
        let (name, coll) = inner
            .iter()
            .next()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .ok_or_else(|| err(2, "BadValue", "explain needs a command document"))?;
        let filter = match name.as_str() {
            "find" | "count" | "distinct" => inner
                .get_document("filter")
                .or_else(|_| inner.get_document("query"))
                .cloned()
                .unwrap_or_default(),
            "aggregate" => inner
                .get_array("pipeline")
                .ok()
                .and_then(|p| p.first())
                .and_then(|s| s.as_document())
                .and_then(|s| s.get_document("$match").ok())
                .cloned()
                .unwrap_or_default(),
            "update" | "delete" => {
                let key = if name == "update" {
                    "updates"
                } else {
                    "deletes"
                };
                inner
                    .get_array(key)
                    .ok()
                    .and_then(|a| a.first())
                    .and_then(|s| s.as_document())
                    .and_then(|s| s.get_document("q").ok())
                    .cloned()
                    .unwrap_or_default()
            }
            other => {
                return Err(err(
                    59,
                    "CommandNotFound",
                    format!("explain of '{other}' is not supported"),
                ));
            }
        };
        let ns = format!("{db}.{coll}");
        let view = self.read_view(db)?;
        let (sort, projection) = if name == "find" {
            (
                inner.get_document("sort").cloned().unwrap_or_default(),
                inner
                    .get_document("projection")
                    .cloned()
                    .unwrap_or_default(),
            )
        } else {
            (Document::new(), Document::new())
        };
        let skip = int_arg(inner, "skip")?.unwrap_or(0).max(0) as u64;
        let limit = int_arg(inner, "limit")?.unwrap_or(0).unsigned_abs();
        let (skip, limit) = if name == "find" {
            (skip, limit)
        } else {
            (0, 0)
        };
        let winning = match &view {
            Some((p, v)) if v.has_collection(&coll) => plan::Plan::choose(
                p.nodes(),
                v,
                &coll,
                &filter,
            )
            .explain_find(&filter, &sort, skip, limit, &projection),
            _ => doc! { "stage": "EOF" },
        };
        let mut reply = doc! {
            "queryPlanner": {
                "namespace": &ns, "parsedQuery": filter.clone(),
                "winningPlan": winning.clone(), "rejectedPlans": [],
            },
            "serverInfo": { "host": &self.address, "version": "8.0.0" },
        };
        let verbosity = cmd.get_str("verbosity").unwrap_or("allPlansExecution");
        if verbosity != "queryPlanner"
            && let Some((p, v)) = &view
        {
            let started = Instant::now();
            let (docs, seen) =
                plan::matching_examined(p, v, &coll, &filter, None, &Document::new(), None)?;
            let mut n = docs.len() as u64;
            n = n.saturating_sub(skip);
            if limit > 0 {
                n = n.min(limit);
            }
            reply.insert(
                "executionStats",
                doc! {
                    "executionSuccess": true,
                    "nReturned": n as i64,
                    "executionTimeMillis": started.elapsed().as_millis() as i64,
                    "totalKeysExamined": seen.keys as i64,
                    "totalDocsExamined": seen.docs as i64,
                    "executionStages": winning,
                },
            );
        }
        Ok(reply)
    }

    pub(super) fn drop(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "drop")?;
        let (p, branch) = self.write_target(db)?;
        let indexes = p
            .branch_view(&branch)?
            .catalog()
            .get(coll)
            .map(|r| r.indexes.len() as i32 + 1);
        p.drop_collection(&branch, coll)?;
        Ok(match indexes {
            Some(n) => doc! { "nIndexesWas": n, "ns": format!("{db}.{coll}") },
            None => doc! {},
        })
    }

    pub(super) fn drop_database(&self, db: &str) -> CmdResult {
        let (p, branch) = self.write_target(db)?;
        for c in p.branch_view(&branch)?.collection_names() {
            p.drop_collection(&branch, &c)?;
        }
        Ok(doc! { "dropped": db })
    }

    pub(super) fn create_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "createIndexes")?;
        let specs = cmd
            .get_array("indexes")
            .map_err(|_| err(2, "BadValue", "'indexes' must be an array"))?;
        let (p, branch) = self.write_target(db)?;
        refuse_view_write(&p, &branch, db, coll)?;
        let before_view = p.branch_view(&branch)?;
        let created_collection = !before_view.has_collection(coll);
        let before = before_view
            .catalog()
            .get(coll)
            .map_or(1, |r| r.indexes.len() as i32 + 1);
        for s in specs {
            let Bson::Document(s) = s else {
                return Err(err(
                    2,
                    "BadValue",
                    "each index specification must be an object",
                ));
            };
            let key = s
                .get_document("key")
                .map_err(|_| err(2, "BadValue", "index specification has no 'key'"))?;
            if key.len() == 1 && key.get("_id").is_some() {
                continue; // the _id index always exists
            }
            let spec = IndexSpec::from_key_document(
                key,
                s.get_str("name").ok(),
                s.get_bool("unique").unwrap_or(false),
            )
            .map_err(|e| err(67, "CannotCreateIndex", e.to_string()))?
            .with_sparse(s.get("sparse").is_some_and(crate::query::expr::truthy))
            .with_options_of(s);
            check_ttl(s)?;
            // The same key under another name is mongod's 85; the same
            // name with another key or options is 86.
            if let Some(other) = p.branch_view(&branch)?.catalog().get(coll).and_then(|r| {
                r.indexes
                    .iter()
                    .find(|i| i.spec.key == spec.key && i.spec.name != spec.name)
            }) {
                return Err(err(
                    85,
                    "IndexOptionsConflict",
                    format!(
                        "Index already exists with a different name: {}",
                        other.spec.name
                    ),
                ));
            }
            p.create_index(&branch, coll, spec).map_err(|e| match e {
                EngineError::Invalid(m) => err(86, "IndexKeySpecsConflict", m),
                e => e.into(),
            })?;
        }
        let after = p
            .branch_view(&branch)?
            .catalog()
            .get(coll)
            .map_or(1, |r| r.indexes.len() as i32 + 1);
        Ok(
            doc! { "numIndexesBefore": before, "numIndexesAfter": after, "createdCollectionAutomatically": created_collection },
        )
    }

    pub(super) fn list_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = Self::collection_name(cmd, "listIndexes")?;
        let ns = format!("{db}.{coll}");
        let Some((_, view)) = self.read_view(db)? else {
            return Err(err(
                26,
                "NamespaceNotFound",
                format!("ns does not exist: {ns}"),
            ));
        };
        let rec = view
            .catalog()
            .get(coll)
            .ok_or_else(|| err(26, "NamespaceNotFound", format!("ns does not exist: {ns}")))?;
        let mut out = VecDeque::from([doc! { "v": 2, "key": { "_id": 1 }, "name": "_id_" }]);
        for i in &rec.indexes {
            let mut d = doc! { "v": 2, "key": i.spec.key_document(), "name": &i.spec.name };
            if i.spec.unique {
                d.insert("unique", true);
            }
            if i.spec.sparse {
                d.insert("sparse", true);
            }
            d.extend(i.spec.options.clone());
            out.push_back(d);
        }
        Ok(self.cursor_reply(ns, out, usize::MAX, true, true))
    }

    pub(super) fn drop_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
        let coll = cmd
            .get_str("dropIndexes")
            .or_else(|_| cmd.get_str("deleteIndexes"))
            .map_err(|_| err(2, "BadValue", "collection name must be a string"))?;
        let (p, branch) = self.write_target(db)?;
        let view = p.branch_view(&branch)?;
        let rec = view
            .catalog()
            .get(coll)
            .ok_or_else(|| err(26, "NamespaceNotFound", format!("ns not found {db}.{coll}")))?;
        let n = rec.indexes.len() as i32 + 1;
        let names: Vec<String> = match cmd.get("index") {
            Some(Bson::String(s)) if s == "*" => {
                rec.indexes.iter().map(|i| i.spec.name.clone()).collect()
            }
            Some(Bson::String(s)) if s == "_id_" => {
                return Err(err(72, "InvalidOptions", "cannot drop _id index"));
            }
            Some(Bson::String(s)) => vec![s.clone()],
            Some(Bson::Document(k)) => rec
                .indexes
                .iter()
                .filter(|i| i.spec.key_document() == *k)
                .map(|i| i.spec.name.clone())
                .collect(),
            Some(Bson::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => {
                return Err(err(
                    2,
                    "BadValue",
                    "'index' must be a name, a key pattern or '*'",
                ));
            }
        };
        for name in names {
            p.drop_index(&branch, coll, &name).map_err(|e| match e {
                EngineError::Invalid(m) => err(27, "IndexNotFound", m),
                e => e.into(),
            })?;
        }
        Ok(doc! { "nIndexesWas": n })
    }
}

/// `expireAfterSeconds` as mongod accepts it: a number from 0 to 2^31-1,
/// on a single-field index.
fn check_ttl(spec: &Document) -> Result<(), CmdError> {
    let Some(v) = spec.get("expireAfterSeconds") else {
        return Ok(());
    };
    let secs = match v {
        Bson::Int32(n) => f64::from(*n),
        Bson::Int64(n) => *n as f64,
        Bson::Double(n) => *n,
        _ => {
            return Err(err(
                2,
                "BadValue",
                format!(
                    "TTL index 'expireAfterSeconds' option must be numeric, but received a type of '{}'",
                    crate::query::error::type_name(v)
                ),
            ));
        }
    };
    if !(0.0..=f64::from(i32::MAX)).contains(&secs) || secs.is_nan() {
        return Err(err(
            2,
            "BadValue",
            format!(
                "TTL index 'expireAfterSeconds' option must be within an acceptable range, try a value between 0 and {}",
                i32::MAX
            ),
        ));
    }
    if spec.get_document("key").map_or(0, |k| k.len()) > 1 {
        return Err(err(
            67,
            "CannotCreateIndex",
            "TTL indexes are single-field indexes, compound indexes do not support TTL",
        ));
    }
    Ok(())
}
