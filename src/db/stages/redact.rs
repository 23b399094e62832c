//! `$redact`: an expression evaluated at every embedded document, whose
//! result (`$$KEEP`, `$$PRUNE` or `$$DESCEND`) keeps the document whole,
//! drops it, or keeps its non-document fields and asks again for each
//! embedded document (in arrays too).
//!
//! As in mongod, `$$CURRENT` (and so `"$field"` paths) is the document
//! being judged while `$$ROOT` stays the top-level document, and the three
//! variables are the strings "keep", "prune" and "descend".

use crate::db::pipeline::{ParseCtx, RunCtx, Stage};
use crate::query::error::{QueryError, fmt_value};
use crate::query::expr::{Ctx, Expr};
use bson::{Bson, Document};

#[derive(Debug)]
pub struct Redact {
    expr: Expr,
}

enum Verdict {
    Keep,
    Prune,
    Descend,
}

impl Redact {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Redact, QueryError> {
        Ok(Redact {
            expr: Expr::parse(arg, &mut pc.expr())?,
        })
    }

    fn verdict(
        &self,
        root: &Document,
        current: &Document,
        cx: &RunCtx<'_>,
    ) -> Result<Verdict, QueryError> {
        let mut ecx = Ctx::new(root, cx.env);
        ecx.current = current;
        match self.expr.eval(&mut ecx)? {
            Some(Bson::String(s)) if s == "keep" => Ok(Verdict::Keep),
            Some(Bson::String(s)) if s == "prune" => Ok(Verdict::Prune),
            Some(Bson::String(s)) if s == "descend" => Ok(Verdict::Descend),
            other => Err(QueryError::location(
                17053,
                format!(
                    "$redact's expression should not return anything aside from the variables \
                     $$KEEP, $$DESCEND, and $$PRUNE, but returned {}",
                    other
                        .as_ref()
                        .map_or_else(|| "MISSING".to_string(), fmt_value)
                ),
            )),
        }
    }

    /// The redacted form of `current`, or `None` when it is pruned.
    fn redact_doc(
        &self,
        root: &Document,
        current: &Document,
        cx: &RunCtx<'_>,
    ) -> Result<Option<Document>, QueryError> {
        match self.verdict(root, current, cx)? {
            Verdict::Keep => Ok(Some(current.clone())),
            Verdict::Prune => Ok(None),
            Verdict::Descend => {
                let mut out = Document::new();
                for (k, v) in current {
                    if let Some(v) = self.redact_value(root, v, cx)? {
                        out.insert(k.clone(), v);
                    }
                }
                Ok(Some(out))
            }
        }
    }

    fn redact_value(
        &self,
        root: &Document,
        v: &Bson,
        cx: &RunCtx<'_>,
    ) -> Result<Option<Bson>, QueryError> {
        match v {
            Bson::Document(d) => Ok(self.redact_doc(root, d, cx)?.map(Bson::Document)),
            // Arrays are not judged themselves: their documents (and
            // nested arrays) are, and scalars stay.
            Bson::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(x) = self.redact_value(root, item, cx)? {
                        out.push(x);
                    }
                }
                Ok(Some(Bson::Array(out)))
            }
            other => Ok(Some(other.clone())),
        }
    }
}

impl Stage for Redact {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            if let Some(r) = self.redact_doc(&d, &d, cx)? {
                out.push(r);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{bson, doc};

    #[test]
    fn manual_tags() {
        let forecast = doc! {"_id": 1, "title": "123 Department Report", "tags": ["G", "STLW"], "year": 2014, "subsections": [
            {"subtitle": "Section 1: Overview", "tags": ["SI", "G"], "content": "Section 1: This is the content of section 1."},
            {"subtitle": "Section 2: Analysis", "tags": ["STLW"], "content": "Section 2: This is the content of section 2."},
            {"subtitle": "Section 3: Budgeting", "tags": ["TK"], "content": {"text": "Section 3: This is the content of section 3.", "tags": ["HCS"]}},
        ]};
        let out = run(
            vec![forecast],
            bson!([{"$redact": {"$cond": {
                "if": {"$gt": [{"$size": {"$setIntersection": ["$tags", ["STLW", "G"]]}}, 0]},
                "then": "$$DESCEND", "else": "$$PRUNE"}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": 1, "title": "123 Department Report", "tags": ["G", "STLW"], "year": 2014, "subsections": [
                    {"subtitle": "Section 1: Overview", "tags": ["SI", "G"], "content": "Section 1: This is the content of section 1."},
                    {"subtitle": "Section 2: Analysis", "tags": ["STLW"], "content": "Section 2: This is the content of section 2."},
                ]}
            ])
        );
    }

    #[test]
    fn manual_keep_prune_levels() {
        let acct = doc! {"_id": 1, "level": 1, "acct_id": "xyz123", "cc": {"level": 5, "type": "yy",
        "billing_addr": {"level": 5, "addr1": "123 ABC Street"},
        "shipping_addr": [{"level": 3, "addr1": "987 XYZ Ave"}, {"level": 3, "addr1": "PO Box 0123"}]},
        "status": "A"};
        let out = run(
            vec![acct],
            bson!([{"$redact": {"$cond": {"if": {"$eq": ["$level", 5]}, "then": "$$PRUNE", "else": "$$DESCEND"}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": 1, "level": 1, "acct_id": "xyz123", "status": "A"}
            ])
        );
    }

    #[test]
    fn keep_root_and_errors() {
        let docs = || vec![doc! {"_id": 1, "a": {"b": 1}}, doc! {"_id": 2, "a": 2}];
        assert_eq!(
            run(
                docs(),
                bson!([{"$redact": {"$cond": [{"$eq": ["$_id", 1]}, "$$KEEP", "$$PRUNE"]}}])
            ),
            Ok(vec![doc! {"_id": 1, "a": {"b": 1}}])
        );
        // $$ROOT stays the top-level document while descending.
        assert_eq!(
            run(
                vec![doc! {"_id": 1, "k": 1, "a": {"x": 1}, "b": [{"y": 1}, 3, [{"z": 1}]]}],
                bson!([{"$redact": {"$cond": [{"$eq": ["$$ROOT.k", 1]}, "$$DESCEND", "$$PRUNE"]}}])
            ),
            Ok(vec![
                doc! {"_id": 1, "k": 1, "a": {"x": 1}, "b": [{"y": 1}, 3, [{"z": 1}]]}
            ])
        );
        // Embedded documents in arrays are judged one by one.
        assert_eq!(
            run(
                vec![doc! {"_id": 1, "b": [{"y": 1}, 3, [{"y": 2}]]}],
                bson!([{"$redact": {"$cond": [{"$eq": ["$y", 2]}, "$$PRUNE", "$$DESCEND"]}}])
            ),
            Ok(vec![doc! {"_id": 1, "b": [{"y": 1}, 3, []]}])
        );
        assert_eq!(run(docs(), bson!([{"$redact": "$a"}])), Err(17053));
        assert_eq!(run(docs(), bson!([{"$redact": 1}])), Err(17053));
    }
}
