//! Command handlers. Each takes the command document and returns the reply
//! document, `{ok: 1, ...}` or mongod's error shape `{ok: 0, errmsg, code,
//! codeName}`. This file holds the server's state (projects, cursors,
//! sessions, transactions), `hello` and the dispatch table; the command
//! groups are submodules: [`read`], [`aggregate`], [`write`], [`ddl`],
//! [`txn`], [`streams`], and [`error`]. MongoDB semantics (filters,
//! expressions, pipelines, the planner) are the db layer's.

mod aggregate;
mod ddl;
mod error;
mod read;
mod streams;
mod txn;
mod write;

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
use crate::query::update::Update;
use bson::{Bson, Document, doc};
pub use error::{CmdError, error_doc};
pub(super) use error::{CmdResult, err};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const MAX_WIRE_VERSION: i32 = 25;
const DEFAULT_BATCH: usize = 101;

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

    /// One pass of the TTL monitor over every project: expired documents
    /// of TTL indexes are deleted on default branches ([`crate::db::ttl`]).
    pub fn sweep_ttl(&self) {
        let Ok(names) = self.engine.project_names() else {
            return;
        };
        for name in names {
            let Ok(Some(p)) = self.project(&name, false) else {
                continue;
            };
            if let Err(e) = crate::db::ttl::sweep(&p, crate::engine::clock::now_ms()) {
                eprintln!("TTL monitor: project {name}: {e}");
            }
        }
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

    // ----- reads --------------------------------------------------------

    // ----- catalog ------------------------------------------------------

    // ----- writes -------------------------------------------------------
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
