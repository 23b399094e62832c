//! Multi-document transactions on one branch, with snapshot isolation.
//!
//! A transaction works on a hidden branch forked from its branch's head
//! (an O(1) ref, as every branch is), so its reads see that snapshot plus
//! its own writes and nobody else's. Commit, under the writer lock, checks
//! that no document it changed was also changed on the branch since the
//! fork (first committer wins, at document level, as in MongoDB), then
//! applies all of its changes as one write batch: one LSN, durable, whole
//! or not at all. Abort deletes the hidden branch.

use super::diff::{CollectionStatus, collection_changes, diff_documents};
use super::error::{Error, Result};
use super::hash::Hash;
use super::history::Point;
use super::project::Project;
use super::view::View;
use super::{WriteOp, WriteResult};
use bson::Document;
use std::collections::HashSet;
use std::sync::Arc;

/// Hidden transaction branches start with this (and are not listed).
pub const TXN_BRANCH_PREFIX: &str = "argon-txn/";

/// An open transaction: its hidden branch and the commit it forked at.
#[derive(Debug, Clone)]
pub struct TxnBranch {
    pub target: String,
    pub hidden: String,
    pub base: Hash,
}

pub fn is_txn_branch(name: &str) -> bool {
    name.starts_with(TXN_BRANCH_PREFIX)
}

impl Project {
    /// Starts a transaction on `target`; `id` names it (unique per open
    /// transaction).
    pub fn begin_txn(&self, target: &str, id: &str) -> Result<TxnBranch> {
        let hidden = format!("{TXN_BRANCH_PREFIX}{id}");
        let info = self.create_branch(&hidden, target)?;
        Ok(TxnBranch {
            target: target.to_string(),
            hidden,
            base: Project::parse_hash(&info.head)?,
        })
    }

    /// The documents (collection, encoded `_id`) a transaction has changed
    /// so far.
    fn txn_changes(&self, txn: &TxnBranch) -> Result<HashSet<(String, Vec<u8>)>> {
        let base = self.view(&txn.base.to_hex())?;
        let ours = self.branch_view(&txn.hidden)?;
        changed_documents(self, &base, &ours)
    }

    /// Checks a transaction's writes so far against everyone else's, as
    /// mongod does at write time: a document it changed that another open
    /// transaction on the same branch also changed, or that the branch
    /// itself changed since the transaction started, is a write conflict
    /// (the later writer loses; the caller aborts its transaction).
    pub fn txn_write_conflict(&self, txn: &TxnBranch, others: &[TxnBranch]) -> Result<()> {
        let ours = self.txn_changes(txn)?;
        if ours.is_empty() {
            return Ok(());
        }
        let conflict = |(coll, _): &(String, Vec<u8>), whom: &str| {
            Error::WriteConflict(format!("a document in collection '{coll}' ({whom})"))
        };
        for other in others
            .iter()
            .filter(|o| o.target == txn.target && o.hidden != txn.hidden)
        {
            let theirs = match self.txn_changes(other) {
                Ok(t) => t,
                // It ended meanwhile: if it committed, its changes are on
                // the branch, which is checked next.
                Err(Error::BranchNotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            if let Some(k) = theirs.intersection(&ours).next() {
                return Err(conflict(k, "another open transaction"));
            }
        }
        let base = self.view(&txn.base.to_hex())?;
        let branch = self.branch_view(&txn.target)?;
        if let Some(k) = changed_documents(self, &base, &branch)?
            .intersection(&ours)
            .next()
        {
            return Err(conflict(
                k,
                "a write committed after this transaction started",
            ));
        }
        Ok(())
    }

    /// Applies the transaction's changes to its branch as one batch, or
    /// fails with [`Error::WriteConflict`] and changes nothing. The hidden
    /// branch is deleted either way.
    pub fn commit_txn(&self, txn: &TxnBranch) -> Result<WriteResult> {
        let result = self.with_write_lock(|this, live| {
            let base = View {
                tail: Arc::new(this.point_tail(&Point {
                    commit: txn.base,
                    replay: None,
                    branch: None,
                    label: txn.base.to_hex(),
                })?),
                branch: None,
                label: "transaction start".into(),
            };
            let view_of = |live: &mut super::project::Live, b: &str| -> Result<View> {
                Ok(View {
                    tail: this.branch_tail(live, b)?,
                    branch: Some(b.to_string()),
                    label: b.to_string(),
                })
            };
            // Folded, so a collection the transaction created carries all
            // of its documents and indexes in its catalog record.
            this.checkpoint_locked(live, &txn.hidden, "transaction")?;
            let ours = view_of(live, &txn.hidden)?;
            let theirs = view_of(live, &txn.target)?;
            // Documents the branch changed since the transaction started.
            let mut changed: HashSet<(String, Vec<u8>)> = HashSet::new();
            for c in collection_changes(&base, &theirs, None) {
                diff_documents(&this.ns, &base, &theirs, &c, &mut |d| {
                    changed.insert((c.name.clone(), d.key));
                    Ok(())
                })?;
            }
            let mut ops = Vec::new();
            // Collections the transaction created (and nobody else did) move
            // over whole: documents, indexes and options.
            let created: Vec<(String, super::catalog::CollectionRecord)> =
                collection_changes(&base, &ours, None)
                    .into_iter()
                    .filter(|c| c.status == CollectionStatus::Added)
                    .filter(|c| !theirs.catalog().contains_key(&c.name))
                    .filter_map(|c| ours.catalog().get(&c.name).map(|r| (c.name, r.clone())))
                    .collect();
            for c in collection_changes(&base, &ours, None) {
                if created.iter().any(|(n, _)| *n == c.name) {
                    continue;
                }
                diff_documents(&this.ns, &base, &ours, &c, &mut |d| {
                    let raw = d.right.as_ref().or(d.left.as_ref());
                    let doc = match raw {
                        Some(r) => Document::from_reader(&**r)?,
                        None => return Ok(()),
                    };
                    if changed.contains(&(c.name.clone(), d.key.clone())) {
                        return Err(Error::WriteConflict(format!(
                            "document {} in collection '{}'",
                            doc.get("_id").map_or("?".to_string(), |v| v.to_string()),
                            c.name
                        )));
                    }
                    ops.push(match d.right {
                        Some(_) => WriteOp::Upsert {
                            collection: c.name.clone(),
                            doc,
                        },
                        None => WriteOp::Delete {
                            collection: c.name.clone(),
                            id: doc.get("_id").cloned().unwrap_or(bson::Bson::Null),
                        },
                    });
                    Ok(())
                })?;
            }
            // Documents first: they are what can fail (a unique index).
            let result = this.write_locked(live, &txn.target, ops)?;
            if !created.is_empty() {
                let names: Vec<&str> = created.iter().map(|(n, _)| n.as_str()).collect();
                this.structural_commit(
                    live,
                    &txn.target,
                    &format!("transaction: create collection {}", names.join(", ")),
                    |_, catalog| {
                        for (name, rec) in &created {
                            catalog.insert(name.clone(), rec.clone());
                        }
                        Ok(())
                    },
                )?;
            }
            Ok(result)
        });
        // The hidden branch goes whether the commit applied or not.
        let cleanup = self.delete_branch(&txn.hidden);
        let mut result = result?;
        self.make_durable(&mut result)?;
        cleanup?;
        Ok(result)
    }

    /// Drops a transaction's changes.
    pub fn abort_txn(&self, txn: &TxnBranch) -> Result<()> {
        match self.delete_branch(&txn.hidden) {
            Err(Error::BranchNotFound(_)) => Ok(()),
            r => r,
        }
    }

    /// Deletes hidden branches of transactions a crashed process left open
    /// (their changes were never committed).
    pub fn abort_stale_txns(&self) -> Result<usize> {
        let stale: Vec<String> = self
            .refs()?
            .branches
            .keys()
            .filter(|b| is_txn_branch(b))
            .cloned()
            .collect();
        for b in &stale {
            self.delete_branch(b)?;
        }
        Ok(stale.len())
    }
}

/// Documents (collection, encoded `_id`) that differ between two views:
/// what the diff walks, so it costs what changed.
fn changed_documents(p: &Project, a: &View, b: &View) -> Result<HashSet<(String, Vec<u8>)>> {
    let mut out = HashSet::new();
    for c in collection_changes(a, b, None) {
        diff_documents(p.nodes(), a, b, &c, &mut |d| {
            out.insert((c.name.clone(), d.key));
            Ok(())
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::engine::tests::scenarios::mem_project;
    use crate::engine::{Error, WriteOp};
    use bson::{Bson, doc};

    fn put(p: &crate::engine::Project, b: &str, id: i32, v: i32) {
        p.write(
            b,
            vec![WriteOp::Upsert {
                collection: "c".into(),
                doc: doc! {"_id": id, "v": v},
            }],
        )
        .unwrap();
    }

    fn get(p: &crate::engine::Project, b: &str, id: i32) -> Option<i32> {
        p.branch_view(b)
            .unwrap()
            .get(p.nodes(), "c", &Bson::Int32(id))
            .unwrap()
            .map(|d| d.get_i32("v").unwrap())
    }

    #[test]
    fn commit_applies_all_changes_at_once_and_isolates_until_then() {
        let p = mem_project();
        put(&p, "main", 1, 1);
        put(&p, "main", 2, 2);
        let t = p.begin_txn("main", "t1").unwrap();
        put(&p, &t.hidden, 1, 10);
        put(&p, &t.hidden, 3, 30);
        p.write(
            &t.hidden,
            vec![WriteOp::Delete {
                collection: "c".into(),
                id: Bson::Int32(2),
            }],
        )
        .unwrap();
        // Not visible outside before commit; a disjoint write goes on.
        assert_eq!(get(&p, "main", 1), Some(1));
        put(&p, "main", 4, 4);
        let lsn_before = p.branch_view("main").unwrap().lsn();
        let r = p.commit_txn(&t).unwrap();
        assert_eq!(r.lsn, lsn_before + 1, "one batch, one LSN");
        assert_eq!(get(&p, "main", 1), Some(10));
        assert_eq!(get(&p, "main", 2), None);
        assert_eq!(get(&p, "main", 3), Some(30));
        assert_eq!(get(&p, "main", 4), Some(4));
        assert!(
            p.refs()
                .unwrap()
                .branches
                .keys()
                .all(|b| !b.starts_with("argon-txn/"))
        );
    }

    #[test]
    fn concurrent_change_to_the_same_document_conflicts_and_changes_nothing() {
        let p = mem_project();
        put(&p, "main", 1, 1);
        let a = p.begin_txn("main", "a").unwrap();
        let b = p.begin_txn("main", "b").unwrap();
        // Both "increment" the same document from the same snapshot.
        put(&p, &a.hidden, 1, 2);
        put(&p, &b.hidden, 1, 2);
        put(&p, &b.hidden, 5, 5);
        p.commit_txn(&a).unwrap();
        let e = p.commit_txn(&b).unwrap_err();
        assert!(matches!(e, Error::WriteConflict(_)), "{e}");
        assert_eq!(get(&p, "main", 1), Some(2));
        assert_eq!(get(&p, "main", 5), None, "nothing of the loser applied");
        let c = p.begin_txn("main", "c").unwrap();
        put(&p, &c.hidden, 9, 9);
        p.abort_txn(&c).unwrap();
        assert_eq!(get(&p, "main", 9), None);
        assert_eq!(p.abort_stale_txns().unwrap(), 0);
    }
}
