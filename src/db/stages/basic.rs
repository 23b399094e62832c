//! The stages that select and order documents: `$match`, `$sort`,
//! `$skip`, `$limit`, `$count`, `$sample`, and `$documents`, which
//! produces them.

use crate::db::pipeline::{DocStream, ParseCtx, RunCtx, Stage, gathered};
use crate::db::topk::TopK;
use crate::query::error::{QueryError, type_name};
use crate::query::expr::Expr;
use crate::query::filter::Filter;
use crate::query::sort::SortSpec;
use bson::{Bson, Document, doc};

/// `$match`.
#[derive(Debug)]
pub struct Match {
    filter: Filter,
}

impl Match {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Match, QueryError> {
        let Bson::Document(f) = arg else {
            return Err(QueryError::location(
                15959,
                "the match filter must be an expression in an object",
            ));
        };
        let filter = Filter::parse_with_let(f, &pc.env.vars)?.with_collation(pc.collation);
        Ok(Match { filter })
    }
}

impl Stage for Match {
    fn run(&self, docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        Ok(docs
            .into_iter()
            .filter(|d| self.filter.matches(d))
            .collect())
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, _: &'a RunCtx<'a>) -> DocStream<'a> {
        Box::new(input.filter(|d| d.as_ref().map_or(true, |d| self.filter.matches(d))))
    }
}

/// `$sort` (stable, as mongod's is for equal keys in practice here).
#[derive(Debug)]
pub struct Sort {
    spec: SortSpec,
    /// A `$limit` right after: only that many documents are kept while
    /// sorting (mongod's top-k sort).
    limit: Option<usize>,
}

impl Sort {
    pub fn parse(arg: &Bson) -> Result<Sort, QueryError> {
        let Bson::Document(s) = arg else {
            return Err(QueryError::location(
                15973,
                "the $sort key specification must be an object",
            ));
        };
        if s.is_empty() {
            return Err(QueryError::location(
                15976,
                "$sort stage must have at least one sort key",
            ));
        }
        Ok(Sort {
            spec: SortSpec::parse(s)?,
            limit: None,
        })
    }

    /// This sort followed by `limit`.
    pub fn with_limit(mut self, limit: &Limit) -> Sort {
        self.limit = Some(limit.0);
        self
    }
}

impl Stage for Sort {
    fn run(&self, mut docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        match self.limit {
            Some(k) if k < docs.len() => {
                let mut top = TopK::new(&self.spec, k);
                for d in docs {
                    top.push(d);
                }
                Ok(top.finish())
            }
            _ => {
                self.spec.sort(&mut docs);
                Ok(docs)
            }
        }
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        let Some(k) = self.limit else {
            return gathered(input, |docs| self.run(docs, cx));
        };
        // Top-k: memory for k documents, whatever the input's size.
        let mut top = TopK::new(&self.spec, k);
        for d in input {
            match d {
                Ok(d) => top.push(d),
                Err(e) => return Box::new(std::iter::once(Err(e))),
            }
        }
        Box::new(top.finish().into_iter().map(Ok))
    }
}

/// A whole non-negative number of a `$skip`/`$limit`/`$sample` argument;
/// `Err` is the reason it is not one.
fn whole_number(v: &Bson) -> Result<u64, String> {
    let n = match v {
        Bson::Int32(n) => i64::from(*n),
        Bson::Int64(n) => *n,
        Bson::Double(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => *f as i64,
        Bson::Double(f) => return Err(format!("Expected an integer: {f}")),
        Bson::Decimal128(d) => match d.to_string().parse::<i64>() {
            Ok(n) => n,
            Err(_) => return Err(format!("Expected an integer: {d}")),
        },
        other => return Err(format!("Expected a number, got {}", type_name(other))),
    };
    u64::try_from(n).map_err(|_| format!("Expected a non-negative number in: {n}"))
}

fn is_number(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

/// `$skip`.
#[derive(Debug)]
pub struct Skip(usize);

impl Skip {
    pub fn parse(arg: &Bson) -> Result<Skip, QueryError> {
        if !is_number(arg) {
            return Err(QueryError::location(
                15972,
                "Argument to $skip must be a number",
            ));
        }
        let n = whole_number(arg).map_err(|r| {
            QueryError::location(5107200, format!("invalid argument to $skip stage: {r}"))
        })?;
        Ok(Skip(usize::try_from(n).unwrap_or(usize::MAX)))
    }
}

impl Stage for Skip {
    fn run(&self, docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        Ok(docs.into_iter().skip(self.0).collect())
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, _: &'a RunCtx<'a>) -> DocStream<'a> {
        Box::new(input.skip(self.0))
    }
}

/// `$limit`.
#[derive(Debug)]
pub struct Limit(usize);

impl Limit {
    pub fn parse(arg: &Bson) -> Result<Limit, QueryError> {
        if !is_number(arg) {
            return Err(QueryError::location(
                15957,
                "the limit must be specified as a number",
            ));
        }
        let n = whole_number(arg).map_err(|r| {
            QueryError::location(5107201, format!("invalid argument to $limit stage: {r}"))
        })?;
        if n == 0 {
            return Err(QueryError::location(15958, "the limit must be positive"));
        }
        Ok(Limit(usize::try_from(n).unwrap_or(usize::MAX)))
    }
}

impl Stage for Limit {
    fn run(&self, mut docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        docs.truncate(self.0);
        Ok(docs)
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, _: &'a RunCtx<'a>) -> DocStream<'a> {
        Box::new(input.take(self.0))
    }
}

/// `$count`: one document `{<field>: n}`, none for no input (it is
/// `$group` by null with `$sum: 1`, then `$project` without `_id`).
#[derive(Debug)]
pub struct Count(String);

impl Count {
    pub fn parse(arg: &Bson) -> Result<Count, QueryError> {
        let field = match arg {
            Bson::String(s) if !s.is_empty() => s,
            _ => {
                return Err(QueryError::location(
                    40156,
                    "the count field must be a non-empty string",
                ));
            }
        };
        if field.starts_with('$') {
            return Err(QueryError::location(
                40158,
                "the count field cannot be a $-prefixed path",
            ));
        }
        if field.contains('.') {
            return Err(QueryError::location(
                40160,
                "the count field cannot contain '.'",
            ));
        }
        if field.contains('\0') {
            return Err(QueryError::location(
                40159,
                "the count field cannot contain a null byte",
            ));
        }
        Ok(Count(field.clone()))
    }
}

impl Stage for Count {
    fn run(&self, docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let n = docs.len();
        let v = i32::try_from(n).map_or(Bson::Int64(n as i64), Bson::Int32);
        Ok(vec![doc! { self.0.clone(): v }])
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, _: &'a RunCtx<'a>) -> DocStream<'a> {
        let mut n = 0usize;
        for d in input {
            if let Err(e) = d {
                return Box::new(std::iter::once(Err(e)));
            }
            n += 1;
        }
        if n == 0 {
            return Box::new(std::iter::empty());
        }
        let v = i32::try_from(n).map_or(Bson::Int64(n as i64), Bson::Int32);
        Box::new(std::iter::once(Ok(doc! { self.0.clone(): v })))
    }
}

/// `$sample`: `size` documents chosen at random without repetition (all
/// of them, shuffled, when there are fewer).
#[derive(Debug)]
pub struct Sample(usize);

impl Sample {
    pub fn parse(arg: &Bson) -> Result<Sample, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                28745,
                "the $sample stage specification must be an object",
            ));
        };
        let mut size = None;
        for (k, v) in spec {
            match k.as_str() {
                "size" => {
                    if !is_number(v) {
                        return Err(QueryError::location(
                            28746,
                            "size argument to $sample must be a number",
                        ));
                    }
                    let n = whole_number(v).map_err(|_| {
                        QueryError::location(28747, "size argument to $sample must not be negative")
                    })?;
                    size = Some(usize::try_from(n).unwrap_or(usize::MAX));
                }
                other => {
                    return Err(QueryError::location(
                        28748,
                        format!("unrecognized option to $sample: {other}"),
                    ));
                }
            }
        }
        size.map(Sample)
            .ok_or_else(|| QueryError::location(28749, "$sample stage must specify a size"))
    }
}

impl Stage for Sample {
    fn run(&self, mut docs: Vec<Document>, _: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let n = self.0.min(docs.len());
        for i in 0..n {
            let j = i + (crate::query::random::next_u64() % (docs.len() - i) as u64) as usize;
            docs.swap(i, j);
        }
        docs.truncate(n);
        Ok(docs)
    }
}

/// `$documents`: the documents an expression (evaluated once, against no
/// document) gives; its input is ignored, as it only starts a pipeline.
#[derive(Debug)]
pub struct Documents(Expr);

impl Documents {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Documents, QueryError> {
        Ok(Documents(Expr::parse(arg, &mut pc.expr())?))
    }
}

impl Stage for Documents {
    fn run(&self, _docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let not_docs = || {
            QueryError::location(
                5858203,
                "an array of objects is required for the $documents stage",
            )
        };
        match self.0.eval_doc(&Document::new(), cx.env)? {
            Some(Bson::Array(items)) => items
                .into_iter()
                .map(|d| match d {
                    Bson::Document(d) => Ok(d),
                    _ => Err(not_docs()),
                })
                .collect(),
            _ => Err(not_docs()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{bson, doc};

    #[test]
    fn skip_limit_and_their_errors() {
        let docs = || (1..=4).map(|i| doc! {"i": i}).collect::<Vec<_>>();
        assert_eq!(
            run(docs(), bson!([{"$skip": 1}, {"$limit": 2.0}])),
            Ok(vec![doc! {"i": 2}, doc! {"i": 3}])
        );
        assert_eq!(run(vec![], bson!([{"$limit": 0}])), Err(15958));
        assert_eq!(run(vec![], bson!([{"$limit": "1"}])), Err(15957));
        assert_eq!(run(vec![], bson!([{"$limit": 1.5}])), Err(5107201));
        assert_eq!(run(vec![], bson!([{"$skip": -1}])), Err(5107200));
        assert_eq!(run(vec![], bson!([{"$skip": "a"}])), Err(15972));
    }

    #[test]
    fn count_gives_nothing_for_no_input() {
        assert_eq!(run(vec![], bson!([{"$count": "n"}])), Ok(vec![]));
        assert_eq!(
            run(vec![doc! {}, doc! {}], bson!([{"$count": "n"}])),
            Ok(vec![doc! {"n": 2}])
        );
        assert_eq!(run(vec![], bson!([{"$count": ""}])), Err(40156));
        assert_eq!(run(vec![], bson!([{"$count": "$n"}])), Err(40158));
        assert_eq!(run(vec![], bson!([{"$count": "a.b"}])), Err(40160));
    }

    #[test]
    fn sample_and_documents() {
        let docs: Vec<_> = (0..10).map(|i| doc! {"i": i}).collect();
        assert_eq!(
            run(docs, bson!([{"$sample": {"size": 3}}])).map(|d| d.len()),
            Ok(3)
        );
        assert_eq!(run(vec![], bson!([{"$sample": {"n": 3}}])), Err(28748));
        assert_eq!(run(vec![], bson!([{"$sample": {}}])), Err(28749));
        assert_eq!(
            run(vec![], bson!([{"$documents": [{"a": {"$add": [1, 1]}}]}])),
            Ok(vec![doc! {"a": 2}])
        );
        assert_eq!(run(vec![], bson!([{"$documents": [1]}])), Err(5858203));
    }
}
