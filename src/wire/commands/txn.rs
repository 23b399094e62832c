//! Multi-document transactions: commands inside a session's transaction
//! and the write-time conflict check.

use super::*;

impl Server {
    /// A command of a multi-document transaction: `db` is routed to the
    /// transaction's snapshot of the branch; commit and abort end it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_in_txn(
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
    pub(super) fn check_txn_conflict(
        &self,
        session: &[u8],
        number: i64,
        db: &str,
    ) -> Result<(), CmdError> {
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
}
