//! TTL indexes: documents whose indexed date is older than the index's
//! `expireAfterSeconds` are deleted, as mongod's TTL monitor does, on a
//! project's default branch only (other branches and history keep them:
//! a branch is a snapshot a user asked for). Deletions are ordinary
//! writes, so they show in the log, in diffs and in change streams.

use super::error::DbError;
use crate::engine::{Project, WriteOp};
use crate::query::filter::Filter;
use bson::{Bson, Document, doc};

/// Deletes the expired documents of every TTL index on the default
/// branch, as of `now_ms`; returns how many were deleted.
pub fn sweep(p: &Project, now_ms: i64) -> Result<u64, DbError> {
    let branch = p.default_branch()?;
    let view = p.branch_view(&branch)?;
    let mut ttl: Vec<(String, String, f64)> = Vec::new();
    for coll in view.collection_names() {
        let Some(rec) = view.catalog().get(&coll) else {
            continue;
        };
        for idx in &rec.indexes {
            if let (Some(secs), [(field, _)]) = (idx.spec.expire_after_seconds(), &idx.spec.key[..])
            {
                ttl.push((coll.clone(), field.clone(), secs));
            }
        }
    }
    let mut deleted = 0;
    for (coll, field, secs) in ttl {
        let cutoff = bson::DateTime::from_millis(now_ms - (secs * 1000.0) as i64);
        // A date, or an array holding a date, before the cutoff (mongod
        // expires an array by its earliest date); other values never expire.
        let filter = Filter::parse(&doc! { &field: { "$lte": cutoff } })?;
        let expired = |d: &Document| filter.matches(d) && expires(d, &field);
        // Look first without the writer lock: most sweeps find nothing.
        let mut any = false;
        for item in view.scan(p.nodes(), &coll)? {
            let (_, raw) = item?;
            if expired(&Document::from_reader(&*raw)?) {
                any = true;
                break;
            }
        }
        if !any {
            continue;
        }
        // Then delete what is expired under the lock, so a document
        // updated meanwhile to a newer date is kept.
        let (_, n) = p.write_with(&branch, |view| {
            let mut ops = Vec::new();
            for item in view.scan(p.nodes(), &coll)? {
                let (_, raw) = item?;
                let d = Document::from_reader(&*raw)?;
                if expired(&d) {
                    let id = d.get("_id").cloned().unwrap_or(Bson::Null);
                    ops.push(WriteOp::Delete {
                        collection: coll.clone(),
                        id,
                    });
                }
            }
            let n = ops.len() as u64;
            Ok::<_, DbError>((ops, n))
        })?;
        deleted += n;
    }
    Ok(deleted)
}

/// Whether the value at `field` is a date or holds one (a `$lte` on a
/// date matches only dates, but an array matches by any element).
fn expires(d: &Document, field: &str) -> bool {
    let mut v = Some(Bson::Document(d.clone()));
    for part in field.split('.') {
        v = match v {
            Some(Bson::Document(d)) => d.get(part).cloned(),
            _ => None,
        };
    }
    match v {
        Some(Bson::DateTime(_)) => true,
        Some(Bson::Array(items)) => items.iter().any(|i| matches!(i, Bson::DateTime(_))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::engine::catalog::IndexSpec;

    #[test]
    fn deletes_only_expired_dates_on_the_default_branch() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let p = engine.create_project("t", "").unwrap();
        let at = |ms: i64| Bson::DateTime(bson::DateTime::from_millis(ms));
        let ops = [
            doc! {"_id": 1, "at": at(1_000)},
            doc! {"_id": 2, "at": at(9_000)},
            doc! {"_id": 3, "at": "not a date"},
            doc! {"_id": 4},
            doc! {"_id": 5, "at": [at(50_000), at(2_000)]},
        ]
        .into_iter()
        .map(|doc| WriteOp::Insert {
            collection: "s".into(),
            doc,
        })
        .collect();
        p.write("main", ops).unwrap();
        let spec = IndexSpec::from_key_document(&doc! {"at": 1}, None, false)
            .unwrap()
            .with_options_of(&doc! {"expireAfterSeconds": 5});
        p.create_index("main", "s", spec).unwrap();
        p.create_branch("keep", "main").unwrap();
        // At 10 s, documents dated before 5 s are expired.
        assert_eq!(sweep(&p, 10_000).unwrap(), 2);
        let ids = |b: &str| -> Vec<i32> {
            let v = p.branch_view(b).unwrap();
            v.scan(p.nodes(), "s")
                .unwrap()
                .map(|i| {
                    let (_, raw) = i.unwrap();
                    Document::from_reader(&*raw)
                        .unwrap()
                        .get_i32("_id")
                        .unwrap()
                })
                .collect()
        };
        assert_eq!(ids("main"), [2, 3, 4]);
        assert_eq!(
            ids("keep"),
            [1, 2, 3, 4, 5],
            "other branches keep their documents"
        );
        assert_eq!(sweep(&p, 10_000).unwrap(), 0);
    }
}
