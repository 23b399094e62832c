//! The first `k` documents in sort order, kept in memory proportional to
//! `k`, not to the input: `$sort` followed by `$limit`, and a `find` with
//! `sort` and `limit`.

use crate::query::sort::{SortKey, SortSpec};
use bson::Document;
use std::cmp::Ordering;

/// Collects documents and keeps the `k` first in sort order (ties in
/// input order, as a stable sort would).
pub struct TopK<'a> {
    spec: &'a SortSpec,
    k: usize,
    seen: u64,
    buf: Vec<(SortKey, u64, Document)>,
}

impl<'a> TopK<'a> {
    pub fn new(spec: &'a SortSpec, k: usize) -> TopK<'a> {
        TopK {
            spec,
            k,
            seen: 0,
            buf: Vec::new(),
        }
    }

    fn order(&self, a: &(SortKey, u64, Document), b: &(SortKey, u64, Document)) -> Ordering {
        self.spec.compare_keys(&a.0, &b.0).then(a.1.cmp(&b.1))
    }

    pub fn push(&mut self, doc: Document) {
        if self.k == 0 {
            return;
        }
        let key = self.spec.key(&doc);
        self.buf.push((key, self.seen, doc));
        self.seen += 1;
        // Partition at 2k: each document is moved a constant number of
        // times on average, and memory stays at 2k documents.
        if self.buf.len() >= self.k.saturating_mul(2).max(64) {
            self.shrink();
        }
    }

    fn shrink(&mut self) {
        if self.buf.len() <= self.k {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.select_nth_unstable_by(self.k - 1, |a, b| self.order(a, b));
        buf.truncate(self.k);
        self.buf = buf;
    }

    /// The kept documents, in sort order.
    pub fn finish(mut self) -> Vec<Document> {
        self.shrink();
        let mut buf = std::mem::take(&mut self.buf);
        buf.sort_by(|a, b| self.order(a, b));
        buf.into_iter().map(|(_, _, d)| d).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    #[test]
    fn keeps_the_first_k_stably() {
        let spec = SortSpec::parse(&doc! {"a": -1}).unwrap();
        let mut t = TopK::new(&spec, 3);
        for i in 0..1000 {
            t.push(doc! {"a": i % 10, "i": i});
        }
        let got: Vec<(i32, i32)> = t
            .finish()
            .iter()
            .map(|d| (d.get_i32("a").unwrap(), d.get_i32("i").unwrap()))
            .collect();
        assert_eq!(got, [(9, 9), (9, 19), (9, 29)]);
        let mut t = TopK::new(&spec, 5);
        t.push(doc! {"a": 1});
        t.push(doc! {"a": 2});
        assert_eq!(t.finish(), [doc! {"a": 2}, doc! {"a": 1}]);
    }
}
