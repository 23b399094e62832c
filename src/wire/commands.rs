//! Command handlers over the engine. Each takes the command document and
//! returns the reply document, `{ok: 1, ...}` or mongod's error shape
//! `{ok: 0, errmsg, code, codeName}`.

use super::namespace::Target;
use crate::db::error::DbError;
use crate::db::plan;
use crate::db::validation::{self, Validator};
use crate::db::views::resolve_view;
use crate::engine::catalog::IndexSpec;
use crate::engine::keys::compare_bson;
use crate::engine::txn::TxnBranch;
use crate::engine::{Engine, Error as EngineError, Project, View, WriteOp};
use crate::query::error::QueryError;
use crate::query::filter::{Collation, Filter};
use crate::query::projection::Projection;
use crate::query::sort::SortSpec;
use crate::query::update::{Update, UpdateContext, upsert_seed};
use bson::{Bson, Document, doc};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const MAX_WIRE_VERSION: i32 = 25;
const DEFAULT_BATCH: usize = 101;

/// A command failure with mongod's code.
#[derive(Debug)]
pub struct CmdError {
    pub code: i32,
    pub code_name: &'static str,
    pub message: String,
    /// More fields of the error reply (`keyPattern`/`keyValue` of a
    /// duplicate key, `errInfo` of a failed validation).
    /// Boxed: errors travel in every `Result` of the command path.
    pub extra: Option<Box<Document>>,
}

type CmdResult = Result<Document, CmdError>;

pub(super) fn err(code: i32, code_name: &'static str, message: impl Into<String>) -> CmdError {
    CmdError {
        code,
        code_name,
        message: message.into(),
        extra: None,
    }
}

pub fn error_doc(code: i32, code_name: &str, message: &str) -> Document {
    doc! { "ok": 0.0, "errmsg": message, "code": code, "codeName": code_name }
}

impl From<QueryError> for CmdError {
    fn from(e: QueryError) -> Self {
        err(e.code, e.code_name, e.message)
    }
}

impl From<crate::query::filter::FilterError> for CmdError {
    fn from(e: crate::query::filter::FilterError) -> Self {
        err(2, "BadValue", e.0)
    }
}

impl From<DbError> for CmdError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(q) => q.into(),
            DbError::Validation { info } => {
                let mut e = err(
                    121,
                    "DocumentValidationFailure",
                    "Document failed validation",
                );
                e.extra = Some(Box::new(doc! { "errInfo": *info }));
                e
            }
            DbError::Engine(e) => e.into(),
        }
    }
}

impl From<EngineError> for CmdError {
    fn from(e: EngineError) -> Self {
        let msg = e.to_string();
        match e {
            EngineError::DuplicateKey { pattern, value, .. } => {
                let mut e = err(11000, "DuplicateKey", msg);
                e.extra = Some(Box::new(
                    doc! { "keyPattern": *pattern, "keyValue": *value },
                ));
                e
            }
            EngineError::CollectionNotFound(_) => err(26, "NamespaceNotFound", msg),
            EngineError::BranchNotFound(_)
            | EngineError::ProjectNotFound(_)
            | EngineError::BadRef(..) => err(26, "NamespaceNotFound", msg),
            EngineError::ReadOnly(_) => err(20, "IllegalOperation", msg),
            EngineError::InvalidName { .. } => err(73, "InvalidNamespace", msg),
            EngineError::InvalidDocument(_)
            | EngineError::Invalid(_)
            | EngineError::BadInput(_) => err(2, "BadValue", msg),
            EngineError::MergeInProgress(_) => err(20, "IllegalOperation", msg),
            EngineError::WriteConflict(_) => err(112, "WriteConflict", msg),
            EngineError::Mongo {
                code,
                message,
                info,
                ..
            } => match info {
                Some(info) => DbError::Validation { info }.into(),
                None => QueryError::location(code, message).into(),
            },
            _ => err(1, "InternalError", msg),
        }
    }
}

struct Cursor {
    ns: String,
    docs: VecDeque<Document>,
    /// A scan that reads on demand, after `docs` (which it leaves empty).
    scan: Option<super::cursor::ScanCursor>,
}

/// One session's transaction: the hidden branch per (project, branch) it
/// touched, created on first use.
struct SessionTxn {
    number: i64,
    /// Order of the transaction's first write among all transactions: of
    /// two open transactions writing one document, the one that began
    /// writing first wins the write-time check, so retries make progress.
    first_write: Option<u64>,
    state: TxnState,
    branches: Vec<(String, Arc<Project>, TxnBranch)>,
    touched: Instant,
}

impl SessionTxn {
    /// Drops the transaction's snapshots; it can no longer commit.
    fn abort(&mut self) {
        for (_, p, tb) in self.branches.drain(..) {
            // Best effort: a hidden branch left behind is deleted when a
            // server next opens the project.
            let _ = p.abort_txn(&tb);
        }
        self.state = TxnState::Aborted;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TxnState {
    Active,
    Committed,
    Aborted,
}

/// A change stream and the pipeline stages after `$changeStream`.
struct StreamCursor {
    ns: String,
    db: String,
    stream: super::change_stream::ChangeStream,
    pipeline: Vec<Bson>,
}

/// Transactions idle this long are aborted (mongod's default lifetime).
const TXN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);

pub struct Server {
    engine: Engine,
    projects: Mutex<HashMap<String, Arc<Project>>>,
    /// Open change streams by cursor id.
    streams: Mutex<HashMap<i64, Arc<Mutex<StreamCursor>>>>,
    /// Transactions by session id (`lsid.id`).
    txns: Mutex<HashMap<Vec<u8>, SessionTxn>>,
    next_txn: AtomicI64,
    cursors: Mutex<HashMap<i64, Cursor>>,
    next_cursor: AtomicI64,
    next_request: AtomicI32,
    next_conn: AtomicI64,
    started: Instant,
    /// Logical sessions seen (`lsid`), by id, with their last use: what
    /// `$listLocalSessions` reports.
    sessions: Mutex<HashMap<Vec<u8>, (Bson, bson::DateTime)>>,
    /// `topologyVersion.processId`: new on every start, so a driver that
    /// sees it change knows the server restarted.
    process_id: bson::oid::ObjectId,
    /// `host:port` the server announces as the replica set's only member.
    pub address: String,
}

fn now() -> bson::DateTime {
    bson::DateTime::from_millis(crate::engine::clock::now_ms())
}

impl Server {
    pub fn new(engine: Engine, address: String) -> Server {
        Server {
            engine,
            projects: Mutex::new(HashMap::new()),
            txns: Mutex::new(HashMap::new()),
            streams: Mutex::new(HashMap::new()),
            next_txn: AtomicI64::new(1),
            cursors: Mutex::new(HashMap::new()),
            next_cursor: AtomicI64::new(1),
            next_request: AtomicI32::new(1),
            next_conn: AtomicI64::new(1),
            started: Instant::now(),
            sessions: Mutex::new(HashMap::new()),
            process_id: bson::oid::ObjectId::new(),
            address,
        }
    }

    pub fn next_request_id(&self) -> i32 {
        self.next_request.fetch_add(1, Ordering::Relaxed)
    }

    pub fn next_connection_id(&self) -> i64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    pub fn checkpoint_all(&self) {
        if let Ok(ps) = self.projects.lock() {
            for p in ps.values() {
                let _ = p.checkpoint_all();
            }
        }
    }

    /// The project of a database, opened once; created on first write.
    fn project(&self, name: &str, create: bool) -> Result<Option<Arc<Project>>, CmdError> {
        let mut ps = self
            .projects
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?;
        if let Some(p) = ps.get(name) {
            return Ok(Some(p.clone()));
        }
        let p = match self.engine.project(name) {
            Ok(p) => p,
            Err(EngineError::ProjectNotFound(_)) if create => self
                .engine
                .create_project(name, "created by a MongoDB client")?,
            Err(EngineError::ProjectNotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // Transactions a previous server process left open never committed.
        let _ = p.abort_stale_txns();
        let p = Arc::new(p);
        ps.insert(name.to_string(), p.clone());
        Ok(Some(p))
    }

    /// Runs one command; never panics on bad input.
    pub fn run(&self, db: &str, cmd: Document, conn: i64, peer: SocketAddr) -> Document {
        let name = cmd.keys().next().cloned().unwrap_or_default();
        self.note_session(&name, &cmd);
        let result = match txn_of(&cmd) {
            Some((session, number)) => {
                self.run_in_txn(&name, db, &cmd, conn, peer, session, number)
            }
            None => self.dispatch(&name, db, &cmd, conn, peer),
        };
        let mut result = result;
        // Commands that write to the database they are sent to; here `db`
        // is the client's name for it, not a transaction's hidden branch.
        if matches!(
            name.as_str(),
            "insert" | "update" | "delete" | "findAndModify" | "findandmodify" | "createIndexes"
        ) {
            qualify_dup_keys(db, &mut result);
        }
        match result {
            Ok(mut reply) => {
                if !reply.contains_key("ok") {
                    reply.insert("ok", 1.0);
                }
                if let Some(wce) = write_concern_error(&cmd) {
                    reply.insert("writeConcernError", wce);
                }
                reply
            }
            Err(e) => {
                let mut d = error_doc(e.code, e.code_name, &e.message);
                if let Some(extra) = &e.extra {
                    d.extend((**extra).clone());
                }
                // Drivers retry whole transactions on these.
                if matches!(e.code, 112 | 251) {
                    d.insert("errorLabels", vec!["TransientTransactionError"]);
                }
                if e.code == 280 {
                    d.insert("errorLabels", vec!["NonResumableChangeStreamError"]);
                }
                d
            }
        }
    }

    /// A command of a multi-document transaction: `db` is routed to the
    /// transaction's snapshot of the branch; commit and abort end it.
    #[allow(clippy::too_many_arguments)]
    fn run_in_txn(
        &self,
        name: &str,
        db: &str,
        cmd: &Document,
        conn: i64,
        peer: SocketAddr,
        session: Vec<u8>,
        number: i64,
    ) -> CmdResult {
        let no_such = || {
            err(
                251,
                "NoSuchTransaction",
                format!(
                    "Transaction with txnNumber {number} has been aborted or was never started"
                ),
            )
        };
        let mut txns = self
            .txns
            .lock()
            .map_err(|_| err(1, "InternalError", "lock poisoned"))?;
        // Abandoned transactions give their snapshots back.
        let stale: Vec<Vec<u8>> = txns
            .iter()
            .filter(|(_, t)| t.state == TxnState::Active && t.touched.elapsed() > TXN_LIFETIME)
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            if let Some(t) = txns.get_mut(&k) {
                t.abort();
            }
        }
        match name {
            "commitTransaction" => {
                let t = txns
                    .get_mut(&session)
                    .filter(|t| t.number == number)
                    .ok_or_else(no_such)?;
                match t.state {
                    TxnState::Committed => return Ok(doc! {}),
                    TxnState::Aborted => return Err(no_such()),
                    TxnState::Active => {}
                }
                let branches = std::mem::take(&mut t.branches);
                let mut failed = None;
                for (_, p, tb) in &branches {
                    if failed.is_some() {
                        let _ = p.abort_txn(tb);
                        continue;
                    }
                    if let Err(e) = p.commit_txn(tb) {
                        failed = Some(e);
                    }
                }
                match failed {
                    Some(e) => {
                        t.state = TxnState::Aborted;
                        Err(e.into())
                    }
                    None => {
                        t.state = TxnState::Committed;
                        Ok(doc! {})
                    }
                }
            }
            "abortTransaction" => {
                let t = txns
                    .get_mut(&session)
                    .filter(|t| t.number == number)
                    .ok_or_else(no_such)?;
                match t.state {
                    TxnState::Committed => Err(err(
                        256,
                        "TransactionCommitted",
                        "Cannot abort a transaction that has already been committed",
                    )),
                    TxnState::Aborted => Err(no_such()),
                    TxnState::Active => {
                        t.abort();
                        Ok(doc! {})
                    }
                }
            }
            _ => {
                if cmd.get_bool("startTransaction").unwrap_or(false) {
                    if let Some(old) = txns.get_mut(&session) {
                        if old.number >= number {
                            return Err(err(
                                225,
                                "TransactionTooOld",
                                format!(
                                    "txnNumber {number} is not newer than the session's {}",
                                    old.number
                                ),
                            ));
                        }
                        old.abort();
                    }
                    txns.insert(
                        session.clone(),
                        SessionTxn {
                            number,
                            first_write: None,
                            state: TxnState::Active,
                            branches: Vec::new(),
                            touched: Instant::now(),
                        },
                    );
                }
                let t = txns
                    .get_mut(&session)
                    .filter(|t| t.number == number && t.state == TxnState::Active)
                    .ok_or_else(no_such)?;
                t.touched = Instant::now();
                if name == "count" {
                    return Err(err(
                        263,
                        "OperationNotSupportedInTransaction",
                        "Cannot run 'count' in a multi-document transaction; use countDocuments (an aggregate) instead",
                    ));
                }
                let target = Target::parse(db);
                let in_txn_branch = target
                    .branch
                    .as_deref()
                    .is_some_and(crate::engine::txn::is_txn_branch);
                let routed =
                    if target.is_read_only() || in_txn_branch || db == "admin" || db.is_empty() {
                        db.to_string()
                    } else {
                        let p = self
                            .project(&target.project, true)?
                            .ok_or_else(|| err(26, "NamespaceNotFound", "no project"))?;
                        let branch = match &target.branch {
                            Some(b) => b.clone(),
                            None => p.default_branch()?,
                        };
                        let key = format!("{}@{branch}", target.project);
                        let hidden = match t.branches.iter().find(|(k, _, _)| *k == key) {
                            Some((_, _, tb)) => tb.hidden.clone(),
                            None => {
                                let id = self.next_txn.fetch_add(1, Ordering::Relaxed);
                                let tb =
                                    p.begin_txn(&branch, &format!("{}-{id}", std::process::id()))?;
                                let hidden = tb.hidden.clone();
                                t.branches.push((key, p.clone(), tb));
                                hidden
                            }
                        };
                        format!("{}@{hidden}", target.project)
                    };
                // Commands of one session run one at a time; the lock is
                // not needed while this one runs.
                drop(txns);
                let mut reply = self.dispatch(name, &routed, cmd, conn, peer);
                if reply.is_ok()
                    && !has_write_errors(&reply)
                    && matches!(
                        name,
                        "insert" | "update" | "delete" | "findAndModify" | "findandmodify"
                    )
                    && let Err(e) = self.check_txn_conflict(&session, number, db)
                {
                    reply = Err(e);
                }
                // Cursors name the database the client used, not the
                // transaction's hidden branch (drivers send getMore there).
                if routed != db
                    && let Ok(r) = &mut reply
                    && let Ok(c) = r.get_document_mut("cursor")
                    && let Ok(ns) = c.get_str("ns")
                    && let Some(rest) = ns.strip_prefix(routed.as_str())
                {
                    let ns = format!("{db}{rest}");
                    c.insert("ns", ns);
                }
                if reply.is_err() || has_write_errors(&reply) {
                    // As in mongod, a failed statement aborts the transaction.
                    if let Ok(mut txns) = self.txns.lock()
                        && let Some(t) = txns.get_mut(&session).filter(|t| t.number == number)
                    {
                        t.abort();
                    }
                }
                reply
            }
        }
    }

    /// Write-time conflict check of a transaction's writes on `db` against
    /// the other open transactions and the branch (see
    /// [`Project::txn_write_conflict`]).
    fn check_txn_conflict(&self, session: &[u8], number: i64, db: &str) -> Result<(), CmdError> {
        let target = Target::parse(db);
        let branch = match (&target.branch, self.project(&target.project, false)?) {
            (Some(b), _) => b.clone(),
            (None, Some(p)) => p.default_branch()?,
            (None, None) => return Ok(()),
        };
        // The key run_in_txn filed the transaction's hidden branch under.
        let key = format!("{}@{branch}", target.project);
        let (ours, others) = {
            let mut txns = self
                .txns
                .lock()
                .map_err(|_| err(1, "InternalError", "lock poisoned"))?;
            let Some(t) = txns.get_mut(session).filter(|t| t.number == number) else {
                return Ok(());
            };
            let first = *t
                .first_write
                .get_or_insert_with(|| self.next_txn.fetch_add(1, Ordering::Relaxed) as u64);
            let t = &*t;
            let Some((_, p, tb)) = t.branches.iter().find(|(k, _, _)| *k == key).cloned() else {
                return Ok(());
            };
            let others: Vec<TxnBranch> = txns
                .iter()
                .filter(|(s, o)| {
                    s.as_slice() != session
                        && o.state == TxnState::Active
                        && o.first_write.is_some_and(|f| f < first)
                })
                .flat_map(|(_, o)| o.branches.iter())
                .filter(|(_, op, _)| Arc::ptr_eq(op, &p))
                .map(|(_, _, b)| b.clone())
                .collect();
            ((p, tb), others)
        };
        let (p, tb) = ours;
        p.txn_write_conflict(&tb, &others).map_err(CmdError::from)
    }

    fn dispatch(
        &self,
        name: &str,
        db: &str,
        cmd: &Document,
        conn: i64,
        peer: SocketAddr,
    ) -> CmdResult {
        match name {
            "hello" | "isMaster" | "ismaster" => Ok(self.hello(cmd, conn)),
            "ping" => Ok(doc! {}),
            "buildInfo" | "buildinfo" => Ok(doc! {
                "version": "8.0.0", "gitVersion": "argonctl", "versionArray": [8, 0, 0, 0],
                "bits": 64, "maxBsonObjectSize": 16 * 1024 * 1024, "modules": [],
                "argonVersion": env!("CARGO_PKG_VERSION"),
            }),
            "getParameter" => Ok(doc! { "featureCompatibilityVersion": { "version": "8.0" } }),
            "connectionStatus" => {
                Ok(doc! { "authInfo": { "authenticatedUsers": [], "authenticatedUserRoles": [] } })
            }
            "whatsmyuri" => Ok(doc! { "you": peer.to_string() }),
            "hostInfo" => Ok(
                doc! { "system": { "hostname": &self.address, "numCores": std::thread::available_parallelism().map(|n| n.get() as i32).unwrap_or(1) } },
            ),
            "serverStatus" => Ok(doc! {
                "host": &self.address, "version": "8.0.0", "process": "argonctl",
                "uptime": self.started.elapsed().as_secs_f64(), "localTime": now(),
                "connections": { "totalCreated": self.next_conn.load(Ordering::Relaxed) - 1 },
            }),
            "getLog" => Ok(doc! { "totalLinesWritten": 0, "log": [] }),
            "endSessions" | "killSessions" | "refreshSessions" | "startSession" => Ok(doc! {}),
            "abortTransaction" | "commitTransaction" => Ok(doc! {}),
            "listDatabases" => self.list_databases(cmd),
            "listCollections" => self.list_collections(db, cmd),
            "create" => self.create(db, cmd),
            "collMod" => self.coll_mod(db, cmd),
            "drop" => self.drop(db, cmd),
            "dropDatabase" => self.drop_database(db),
            "insert" => self.insert(db, cmd),
            "find" => self.find(db, cmd),
            "getMore" => self.get_more(cmd),
            "killCursors" => self.kill_cursors(cmd),
            "update" => self.update(db, cmd),
            "delete" => self.delete(db, cmd),
            "findAndModify" | "findandmodify" => self.find_and_modify(db, cmd),
            "count" => self.count(db, cmd),
            "distinct" => self.distinct(db, cmd),
            "aggregate" => self.aggregate(db, cmd),
            "createIndexes" => self.create_indexes(db, cmd),
            "renameCollection" => self.rename_collection(cmd),
            "collStats" => self.coll_stats(db, cmd),
            "dbStats" => self.db_stats(db),
            "explain" => self.explain(db, cmd),
            "listIndexes" => self.list_indexes(db, cmd),
            "dropIndexes" | "deleteIndexes" => self.drop_indexes(db, cmd),
            other => Err(err(
                59,
                "CommandNotFound",
                format!("no such command: '{other}'"),
            )),
        }
    }

    /// Records the session a command runs in; `endSessions` forgets them.
    fn note_session(&self, name: &str, cmd: &Document) {
        let Ok(mut sessions) = self.sessions.lock() else {
            return;
        };
        if matches!(name, "endSessions" | "killSessions") {
            if let Ok(ids) = cmd.get_array(name) {
                for id in ids.iter().filter_map(|s| s.as_document()) {
                    if let Some(Bson::Binary(b)) = id.get("id") {
                        sessions.remove(&b.bytes);
                    }
                }
            }
            return;
        }
        if let Ok(lsid) = cmd.get_document("lsid")
            && let Some(Bson::Binary(b)) = lsid.get("id")
        {
            let at = now();
            if sessions
                .insert(b.bytes.clone(), (Bson::Document(lsid.clone()), at))
                .is_none()
            {
                // As mongod: sessions unused for 30 minutes expire (clients
                // that die never send endSessions).
                let cutoff = at.timestamp_millis() - 30 * 60 * 1000;
                sessions.retain(|_, (_, used)| used.timestamp_millis() >= cutoff);
            }
        }
    }

    /// `aggregate: 1`: a pipeline that starts from a source stage instead
    /// of a collection (`$documents`, `$listLocalSessions`).
    fn aggregate_database(&self, db: &str, cmd: &Document, pipeline: &[Bson]) -> CmdResult {
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
        let ctx = super::pipeline::PipelineCtx {
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

    /// How long an awaitable `hello` should be held before its reply.
    ///
    /// Drivers' monitors send `hello` with the `topologyVersion` they last
    /// saw and `maxAwaitTimeMS`; the server answers only when the topology
    /// changes or the time is up. This server's topology never changes
    /// while it runs, so a current `topologyVersion` means "wait the whole
    /// time". Answering at once would make every monitor spin, costing the
    /// client and the server a core between them.
    pub fn hello_wait(&self, cmd: &Document) -> Option<std::time::Duration> {
        let name = cmd.keys().next()?;
        if !matches!(name.as_str(), "hello" | "isMaster" | "ismaster") {
            return None;
        }
        let seen = cmd.get_document("topologyVersion").ok()?;
        if seen.get_object_id("processId").ok()? != self.process_id {
            return None;
        }
        let ms = match cmd.get("maxAwaitTimeMS")? {
            Bson::Int32(n) => i64::from(*n),
            Bson::Int64(n) => *n,
            Bson::Double(f) => *f as i64,
            _ => return None,
        };
        // Drivers ask for 10 s by default; never hold a connection longer
        // than a minute whatever they ask.
        Some(std::time::Duration::from_millis(ms.clamp(0, 60_000) as u64))
    }

    fn hello(&self, cmd: &Document, conn: i64) -> Document {
        let mut d = doc! {
            "helloOk": true,
            "isWritablePrimary": true,
            "ismaster": true,
            "topologyVersion": { "processId": self.process_id, "counter": 0_i64 },
            "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": 48_000_000,
            "maxWriteBatchSize": 100_000,
            "localTime": now(),
            "logicalSessionTimeoutMinutes": 30,
            "connectionId": conn,
            "minWireVersion": 0,
            "maxWireVersion": MAX_WIRE_VERSION,
            "readOnly": false,
            "setName": "argon",
            "setVersion": 1,
            "hosts": [&self.address],
            "primary": &self.address,
            "me": &self.address,
            "secondary": false,
        };
        // Compression: agree to the client's first choices we support.
        if let Ok(wanted) = cmd.get_array("compression") {
            let supported: Vec<Bson> = wanted
                .iter()
                .filter_map(|c| c.as_str())
                .filter(|c| super::frame::Compressor::from_name(c).is_some())
                .map(|c| Bson::String(c.to_string()))
                .collect();
            d.insert("compression", supported);
        }
        d
    }

    // ----- views ------------------------------------------------------

    /// The view a command reads: `None` when the project does not exist.
    pub(super) fn read_view(&self, db: &str) -> Result<Option<(Arc<Project>, View)>, CmdError> {
        let t = Target::parse(db);
        let Some(p) = self.project(&t.project, false)? else {
            return Ok(None);
        };
        let view = match (&t.at, &t.branch) {
            (Some(at), _) => p.view(at)?,
            (None, Some(b)) => p.view(b)?,
            (None, None) => p.default_branch_view()?,
        };
        Ok(Some((p, view)))
    }

    /// The project and branch a write goes to.
    pub(super) fn write_target(&self, db: &str) -> Result<(Arc<Project>, String), CmdError> {
        let t = Target::parse(db);
        if t.is_read_only() {
            return Err(err(
                20,
                "IllegalOperation",
                format!("'{db}' is a read-only point in history; write to a branch instead"),
            ));
        }
        crate::engine::refs::validate_project_name(&t.project)
            .map_err(|e| err(73, "InvalidNamespace", e.to_string()))?;
        let p = self
            .project(&t.project, true)?
            .ok_or_else(|| err(26, "NamespaceNotFound", "no project"))?;
        let branch = match t.branch {
            Some(b) => b,
            None => p.default_branch()?,
        };
        Ok((p, branch))
    }

    fn collection_name<'a>(cmd: &'a Document, key: &str) -> Result<&'a str, CmdError> {
        cmd.get_str(key).map_err(|_| {
            err(
                2,
                "BadValue",
                format!(
                    "collection name has invalid type {}",
                    cmd.get(key).map(type_name).unwrap_or("missing")
                ),
            )
        })
    }

    fn cursor_reply(
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

    /// `aggregate` with a leading `$changeStream`: a tailable cursor of
    /// change events on a collection, a database (`aggregate: 1`) or, on
    /// `admin` with `allChangesForCluster`, every project's default branch.
    fn open_change_stream(
        &self,
        db: &str,
        cmd: &Document,
        coll: Option<String>,
        pipeline: &[Bson],
    ) -> CmdResult {
        use super::change_stream::{ChangeStream, Watched, parse_token};
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
        let check = super::pipeline::PipelineCtx {
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
    fn watch_new_projects(
        &self,
        stream: &mut super::change_stream::ChangeStream,
    ) -> Result<(), CmdError> {
        for name in self.engine.project_names()? {
            if stream.watched.iter().any(|w| w.db == name) {
                continue;
            }
            if let Some(p) = self.project(&name, false)? {
                let branch = p.default_branch()?;
                stream
                    .watched
                    .push(super::change_stream::Watched::open_from_start(
                        name, p, branch,
                    )?);
            }
        }
        Ok(())
    }

    /// Whether a command may block its thread: writes wait for an fsync,
    /// and a change stream's `aggregate`/`getMore` waits for events.
    pub fn may_block(&self, cmd: &Document) -> bool {
        let Some(name) = cmd.keys().next() else {
            return false;
        };
        // In a transaction even a read may fork or delete a hidden branch
        // (writer lock and fsyncs); and while a checkpoint, DDL or index
        // build holds a project's state, a read may wait for it.
        if cmd.contains_key("txnNumber")
            || cmd.contains_key("startTransaction")
            || crate::engine::long_hold::long_holds() > 0
        {
            return true;
        }
        match name.as_str() {
            "insert" | "update" | "delete" | "findAndModify" | "findandmodify" | "create"
            | "drop" | "dropDatabase" | "createIndexes" | "dropIndexes" | "deleteIndexes"
            | "renameCollection" | "commitTransaction" | "abortTransaction" | "collMod"
            | "endSessions" | "killSessions" => true,
            // `$out` and `$merge` write, `$changeStream` waits; other
            // pipelines only read.
            "aggregate" => cmd.get_array("pipeline").is_ok_and(|p| {
                p.iter().any(|stage| {
                    stage.as_document().is_some_and(|d| {
                        d.contains_key("$out")
                            || d.contains_key("$merge")
                            || d.contains_key("$changeStream")
                    })
                })
            }),
            "getMore" => {
                let id = match cmd.get("getMore") {
                    Some(Bson::Int64(i)) => *i,
                    Some(Bson::Int32(i)) => i64::from(*i),
                    _ => return false,
                };
                self.streams.lock().is_ok_and(|s| s.contains_key(&id))
            }
            _ => false,
        }
    }

    /// The next batch of a change stream, waiting up to `wait_ms` for one.
    fn stream_batch(
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
                let ctx = super::pipeline::PipelineCtx {
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

    fn batch_size(v: Option<&Bson>) -> usize {
        match v {
            Some(Bson::Int32(n)) if *n > 0 => *n as usize,
            Some(Bson::Int64(n)) if *n > 0 => *n as usize,
            Some(Bson::Double(n)) if *n > 0.0 => *n as usize,
            _ => usize::MAX,
        }
    }

    // ----- reads --------------------------------------------------------

    fn find(&self, db: &str, cmd: &Document) -> CmdResult {
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
            let query = super::cursor::ScanQuery {
                filter: Filter::parse_with_let(&filter, &vars)?.with_collation(collation),
                filter_doc: filter.clone(),
                projection,
                skip,
                limit: (limit > 0).then_some(limit),
            };
            let mut scan = super::cursor::ScanCursor::new(p, view, coll, query);
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
    fn keep_scan_cursor(
        &self,
        id: i64,
        ns: String,
        scan: super::cursor::ScanCursor,
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

    fn get_more(&self, cmd: &Document) -> CmdResult {
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

    fn kill_cursors(&self, cmd: &Document) -> CmdResult {
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

    fn count(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn distinct(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn aggregate(&self, db: &str, cmd: &Document) -> CmdResult {
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
        let docs = self.aggregate_docs(db, &coll, cmd, pipeline)?;
        Ok(self.cursor_reply(ns, docs.into(), batch, true, false))
    }

    /// The documents a pipeline over collection (or view) `coll` yields.
    pub(super) fn aggregate_docs(
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
        let ctx = super::pipeline::PipelineCtx {
            db,
            vars: let_vars(cmd)?,
            collation: Collation::parse(cmd.get("collation"))?,
            linearizable: cmd
                .get_document("readConcern")
                .ok()
                .and_then(|r| r.get_str("level").ok())
                == Some("linearizable"),
        };
        // Leading $match stages run during the scan (with the `_id` and
        // index paths), so only matching documents are ever held; a $group
        // right after them consumes the scan as a stream.
        let lead: Vec<&Document> = pipeline
            .iter()
            .map_while(|s| s.as_document().and_then(|d| d.get_document("$match").ok()))
            .collect();
        let filter = match lead.as_slice() {
            [] => Document::new(),
            [one] => (*one).clone(),
            many => {
                doc! { "$and": many.iter().map(|d| Bson::Document((*d).clone())).collect::<Vec<_>>() }
            }
        };
        let rest = &pipeline[lead.len()..];
        let group = rest
            .first()
            .and_then(|s| s.as_document())
            .and_then(|d| d.get_document("$group").ok())
            .filter(|_| !ctx.linearizable);
        // `countDocuments({})` is `$group` of everything by a constant with
        // `$sum: 1`: the tree's root knows the count.
        let counts_all = group.filter(|g| {
            filter.is_empty()
                && matches!(g.get("_id"), Some(id) if !matches!(id, Bson::String(s) if s.starts_with('$'))
                    && !matches!(id, Bson::Document(_) | Bson::Array(_)))
                && g.iter().filter(|(k, _)| *k != "_id").all(|(_, v)| {
                    matches!(v, Bson::Document(a) if a.len() == 1
                        && matches!(a.get("$sum"), Some(Bson::Int32(1) | Bson::Int64(1))))
                })
        });
        let (docs, rest) = match (self.read_view(db)?, group) {
            (Some((p, view)), Some(g)) if counts_all.is_some() => {
                let n = if view.has_collection(&coll) {
                    view.count(p.nodes(), &coll)?
                } else {
                    0
                };
                let mut out = Vec::new();
                if n > 0 {
                    let mut d = doc! { "_id": g.get("_id").cloned().unwrap_or(Bson::Null) };
                    for (k, _) in g.iter().filter(|(k, _)| *k != "_id") {
                        d.insert(
                            k.clone(),
                            i32::try_from(n).map_or(Bson::Int64(n as i64), Bson::Int32),
                        );
                    }
                    out.push(d);
                }
                (out, &rest[1..])
            }
            (Some((p, view)), Some(g)) if view.has_collection(&coll) => {
                let f = Filter::parse_with_let(&filter, &ctx.vars)?.with_collation(ctx.collation);
                let mut scan = view.scan(p.nodes(), &coll)?.filter_map(|item| {
                    let doc = item.map_err(CmdError::from).and_then(|(_, raw)| {
                        Document::from_reader(&*raw).map_err(|e| EngineError::from(e).into())
                    });
                    match doc {
                        Ok(d) if f.matches(&d) => Some(Ok(d)),
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    }
                });
                {
                    let env = crate::query::expr::Env::with_vars(ctx.vars.clone());
                    let g = crate::db::stages::group::Group::parse(g, &mut env.parse_ctx())?;
                    (g.run_fallible(&mut scan, &env)?, &rest[1..])
                }
            }
            (Some((p, view)), _) => (
                plan::matching(&p, &view, &coll, &filter, None, &ctx.vars, ctx.collation)?,
                rest,
            ),
            (None, _) => (Vec::new(), rest),
        };
        self.run_pipeline(&ctx, docs, rest)
    }

    // ----- catalog ------------------------------------------------------

    fn list_databases(&self, cmd: &Document) -> CmdResult {
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

    fn list_collections(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn create(&self, db: &str, cmd: &Document) -> CmdResult {
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
    fn collection_options(cmd: &Document, command: &str) -> Result<Document, CmdError> {
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

    fn coll_mod(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn rename_collection(&self, cmd: &Document) -> CmdResult {
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

    fn coll_stats(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn db_stats(&self, db: &str) -> CmdResult {
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
    fn explain(&self, db: &str, cmd: &Document) -> CmdResult {
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
        let winning = match &view {
            Some((_, v)) if v.has_collection(&coll) => {
                plan::Plan::choose(v, &coll, &filter).explain(&filter)
            }
            _ => doc! { "stage": "EOF" },
        };
        let mut reply = doc! {
            "queryPlanner": {
                "namespace": &ns, "parsedQuery": filter.clone(),
                "winningPlan": winning, "rejectedPlans": [],
            },
            "serverInfo": { "host": &self.address, "version": "8.0.0" },
        };
        let verbosity = cmd.get_str("verbosity").unwrap_or("allPlansExecution");
        if verbosity != "queryPlanner"
            && let Some((p, v)) = &view
        {
            let started = Instant::now();
            let n = plan::matching(p, v, &coll, &filter, None, &Document::new(), None)?.len();
            reply.insert(
                "executionStats",
                doc! {
                    "nReturned": n as i64,
                    "executionTimeMillis": started.elapsed().as_millis() as i64,
                },
            );
        }
        Ok(reply)
    }

    fn drop(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn drop_database(&self, db: &str) -> CmdResult {
        let (p, branch) = self.write_target(db)?;
        for c in p.branch_view(&branch)?.collection_names() {
            p.drop_collection(&branch, &c)?;
        }
        Ok(doc! { "dropped": db })
    }

    fn create_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
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
            .with_sparse(s.get("sparse").is_some_and(crate::query::expr::truthy));
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

    fn list_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
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
            out.push_back(d);
        }
        Ok(self.cursor_reply(ns, out, usize::MAX, true, true))
    }

    fn drop_indexes(&self, db: &str, cmd: &Document) -> CmdResult {
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

    // ----- writes -------------------------------------------------------

    fn insert(&self, db: &str, cmd: &Document) -> CmdResult {
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

    fn update(&self, db: &str, cmd: &Document) -> CmdResult {
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
    fn update_one(
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
        let collation = Collation::parse(u.get("collation"))?;
        let upsert = u.get_bool("upsert").unwrap_or(false);
        // Read, modify and write with no other writer in between.
        let (_, outcome) = p.write_with(branch, |view| {
            let validator = Validator::of(view, coll, bypass)?;
            let mut matches = plan::matching(
                p,
                view,
                coll,
                &q,
                if multi || sort.is_some() {
                    None
                } else {
                    Some(1)
                },
                vars,
                collation,
            )?;
            if let Some(sort) = &sort {
                sort.sort(&mut matches);
                matches.truncate(1);
            }
            let ctx = UpdateContext {
                array_filters,
                is_upsert_insert: false,
                query: Some(q.clone()),
                now: now(),
            };
            if matches.is_empty() {
                if !upsert {
                    return Ok((Vec::new(), (0, 0, None)));
                }
                let new = upsert_document(&update, &q, ctx)?;
                validation::check(&validator, None, &new)?;
                let id = new.get("_id").cloned().unwrap_or(Bson::Null);
                let op = WriteOp::Insert {
                    collection: coll.to_string(),
                    doc: new,
                };
                return Ok((vec![op], (0, 0, Some(id))));
            }
            let mut ops = Vec::new();
            let matched = matches.len() as i32;
            for d in matches {
                let new = update.apply(&d, &ctx)?;
                if new != d || new.iter().map(|(k, _)| k).ne(d.iter().map(|(k, _)| k)) {
                    validation::check(&validator, Some(&d), &new)?;
                    ops.push(changed_document(coll, new, update.is_replacement()));
                }
            }
            let changed = ops.len() as i32;
            Ok::<_, CmdError>((ops, (matched, changed, None)))
        })?;
        Ok(outcome)
    }

    fn delete(&self, db: &str, cmd: &Document) -> CmdResult {
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
            // Match and delete with no other writer in between.
            let (r, _) = p.write_with(&branch, |view| {
                let matches = plan::matching(
                    &p,
                    view,
                    coll,
                    &q,
                    (limit == 1).then_some(1),
                    &vars,
                    collation,
                )?;
                let ops: Vec<WriteOp> = matches
                    .iter()
                    .map(|m| WriteOp::Delete {
                        collection: coll.to_string(),
                        id: m.get("_id").cloned().unwrap_or(Bson::Null),
                    })
                    .collect();
                Ok::<_, CmdError>((ops, ()))
            })?;
            n += r.deleted as i32;
        }
        Ok(doc! { "n": n })
    }

    fn find_and_modify(&self, db: &str, cmd: &Document) -> CmdResult {
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
        // Find, modify and write with no other writer in between.
        let bypass = cmd.get_bool("bypassDocumentValidation").unwrap_or(false);
        let (_, reply) = p.write_with(&branch, |view| {
            let validator = Validator::of(view, coll, bypass)?;
            let mut matches = plan::matching(
                &p,
                view,
                coll,
                &q,
                if sort.is_empty() { Some(1) } else { None },
                &vars,
                collation,
            )?;
            if !sort.is_empty() {
                sort.sort(&mut matches);
            }
            let found = matches.into_iter().next();
            let Some(update) = &update else {
                let Some(old) = found else {
                    let none = doc! { "lastErrorObject": { "n": 0 }, "value": Bson::Null };
                    return Ok((Vec::new(), none));
                };
                let op = WriteOp::Delete {
                    collection: coll.to_string(),
                    id: old.get("_id").cloned().unwrap_or(Bson::Null),
                };
                let reply = doc! { "lastErrorObject": { "n": 1 }, "value": project(Some(old))? };
                return Ok((vec![op], reply));
            };
            let ctx = UpdateContext {
                array_filters,
                is_upsert_insert: false,
                query: Some(q.clone()),
                now: now(),
            };
            Ok::<_, CmdError>(match found {
                Some(old) => {
                    let new = update.apply(&old, &ctx)?;
                    validation::check(&validator, Some(&old), &new)?;
                    let op = changed_document(coll, new.clone(), update.is_replacement());
                    let value = project(Some(if return_new { new } else { old }))?;
                    let reply = doc! { "lastErrorObject": { "n": 1, "updatedExisting": true }, "value": value };
                    (vec![op], reply)
                }
                None if upsert => {
                    let new = upsert_document(update, &q, ctx)?;
                    validation::check(&validator, None, &new)?;
                    let id = new.get("_id").cloned().unwrap_or(Bson::Null);
                    let op = WriteOp::Insert {
                        collection: coll.to_string(),
                        doc: new.clone(),
                    };
                    let value = if return_new {
                        project(Some(new))?
                    } else {
                        Bson::Null
                    };
                    let reply = doc! { "lastErrorObject": { "n": 1, "updatedExisting": false, "upserted": id }, "value": value };
                    (vec![op], reply)
                }
                None => (
                    Vec::new(),
                    doc! { "lastErrorObject": { "n": 0, "updatedExisting": false }, "value": Bson::Null },
                ),
            })
        })?;
        Ok(reply)
    }
}

/// The write of an updated document: a replacement is recorded as one, so
/// change streams report `replace` for it and `update` for field updates.
fn changed_document(coll: &str, doc: Document, replacement: bool) -> WriteOp {
    let collection = coll.to_string();
    if replacement {
        WriteOp::Replace { collection, doc }
    } else {
        WriteOp::Upsert { collection, doc }
    }
}

/// The document an upsert inserts: the update applied to the query's
/// equality fields (or to nothing, for a replacement), with an `_id`.
fn upsert_document(
    update: &Update,
    query: &Document,
    ctx: UpdateContext,
) -> Result<Document, CmdError> {
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
        return Err(err(
            66,
            "ImmutableField",
            "After applying the update, the (immutable) field '_id' was found to have been altered",
        ));
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

/// An index whose first field the filter pins to one value, and the
/// encoded prefix its entries for that value start with.
fn type_name(v: &Bson) -> &'static str {
    crate::query::error::type_name(v)
}

fn int_arg(d: &Document, key: &str) -> Result<Option<i64>, CmdError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(None),
        Some(Bson::Int32(n)) => Ok(Some(*n as i64)),
        Some(Bson::Int64(n)) => Ok(Some(*n)),
        Some(Bson::Double(n)) if n.fract() == 0.0 => Ok(Some(*n as i64)),
        Some(other) => Err(err(
            14,
            "TypeMismatch",
            format!("'{key}' must be a number, not {}", type_name(other)),
        )),
    }
}

const DUP_KEY_PREFIX: &str = "E11000 duplicate key error collection: ";

/// mongod's E11000 message names the namespace (`collection: db.c index:
/// ...`); the engine knows only the collection, so the wire layer adds the
/// database.
pub(super) fn qualify_dup_key(db: &str, mut e: CmdError) -> CmdError {
    if e.code == 11000
        && let Some(msg) = qualified_message(db, &e.message)
    {
        e.message = msg;
    }
    e
}

fn qualified_message(db: &str, message: &str) -> Option<String> {
    let rest = message.strip_prefix(DUP_KEY_PREFIX)?;
    Some(format!("{DUP_KEY_PREFIX}{db}.{rest}"))
}

/// [`qualify_dup_key`] for a command's error and its write errors.
fn qualify_dup_keys(db: &str, result: &mut CmdResult) {
    match result {
        Err(e) => {
            if e.code == 11000
                && let Some(msg) = qualified_message(db, &e.message)
            {
                e.message = msg;
            }
        }
        Ok(reply) => {
            let Ok(errors) = reply.get_array_mut("writeErrors") else {
                return;
            };
            for we in errors.iter_mut() {
                if let Bson::Document(we) = we
                    && we.get_i32("code").ok() == Some(11000)
                    && let Some(msg) = we
                        .get_str("errmsg")
                        .ok()
                        .and_then(|m| qualified_message(db, m))
                {
                    we.insert("errmsg", msg);
                }
            }
        }
    }
}

fn write_error(index: usize, e: EngineError) -> Document {
    cmd_write_error(index, e.into())
}

fn cmd_write_error(index: usize, e: CmdError) -> Document {
    let mut d = doc! { "index": index as i32, "code": e.code, "codeName": e.code_name, "errmsg": e.message };
    if let Some(extra) = e.extra {
        d.extend(*extra);
    }
    d
}

/// Refuses writes to a view (mongod's 166, CommandNotSupportedOnView).
fn refuse_view_write(p: &Project, branch: &str, db: &str, coll: &str) -> Result<(), CmdError> {
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

/// The `writeConcernError` of a write asking for more than this one-node
/// replica set can give, as mongod reports it: the write is applied and
/// durable here, but `w: 3` cannot be satisfied (100), and a tag set this
/// server does not know is 79.
fn write_concern_error(cmd: &Document) -> Option<Document> {
    let wc = cmd.get_document("writeConcern").ok()?;
    let (code, name, msg) = match wc.get("w")? {
        Bson::Int32(n) if *n > 1 => (
            100,
            "UnsatisfiableWriteConcern",
            "Not enough data-bearing nodes",
        ),
        Bson::Int64(n) if *n > 1 => (
            100,
            "UnsatisfiableWriteConcern",
            "Not enough data-bearing nodes",
        ),
        Bson::Double(n) if *n > 1.0 => (
            100,
            "UnsatisfiableWriteConcern",
            "Not enough data-bearing nodes",
        ),
        Bson::String(s) if s != "majority" => (
            79,
            "UnknownReplWriteConcern",
            "unrecognized write concern mode",
        ),
        _ => return None,
    };
    Some(
        doc! { "code": code, "codeName": name, "errmsg": msg, "errInfo": { "writeConcern": wc.clone() } },
    )
}

/// A command's `let` variables, each evaluated once as an expression
/// (`{$literal: "$x"}` is the string "$x", `{$rand: {}}` one number).
fn let_vars(cmd: &Document) -> Result<Document, CmdError> {
    let Ok(spec) = cmd.get_document("let") else {
        return Ok(Document::new());
    };
    let empty = Document::new();
    let mut out = Document::new();
    for (name, e) in spec {
        let value = crate::query::expr::eval(&crate::query::expr::bind_vars(e, &out), &empty)?;
        out.insert(name, value);
    }
    Ok(out)
}

/// A pipeline update with its `let` variables bound (operator and
/// replacement updates take no variables).
fn with_let(spec: &Bson, vars: &Document) -> Bson {
    match spec {
        Bson::Array(_) if !vars.is_empty() => crate::query::expr::bind_vars(spec, vars),
        _ => spec.clone(),
    }
}

/// The session and transaction number of a command that belongs to a
/// multi-document transaction (`autocommit: false`).
fn txn_of(cmd: &Document) -> Option<(Vec<u8>, i64)> {
    if cmd.get_bool("autocommit").ok() != Some(false) {
        return None;
    }
    let number = match cmd.get("txnNumber")? {
        Bson::Int64(n) => *n,
        Bson::Int32(n) => i64::from(*n),
        _ => return None,
    };
    let session = match cmd.get_document("lsid").ok()?.get("id")? {
        Bson::Binary(b) => b.bytes.clone(),
        other => other.to_string().into_bytes(),
    };
    Some((session, number))
}

fn has_write_errors(reply: &CmdResult) -> bool {
    matches!(reply, Ok(d) if d.get_array("writeErrors").is_ok_and(|e| !e.is_empty()))
}

/// The values `distinct` collects from one document: what the dotted path
/// reaches, through arrays of documents on the way, with a final array
/// counting as its elements. Missing fields and empty arrays give nothing.
fn distinct_values(d: &Document, path: &str) -> Vec<Bson> {
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
