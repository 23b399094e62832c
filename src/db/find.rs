//! `find`: a filter, then sort, skip, limit and projection, as mongod
//! orders them. Without a sort, documents stream through one at a time;
//! with a sort and a limit, only the first `skip + limit` are held.

use super::error::DbError;
use super::topk::TopK;
use crate::query::expr::Env;
use crate::query::filter::{Collation, Filter};
use crate::query::projection::Projection;
use crate::query::sort::SortSpec;
use bson::Document;

/// A `find` as a user gives it (documents, as in the `find` command).
#[derive(Debug, Default, Clone)]
pub struct FindOptions {
    pub filter: Document,
    pub projection: Document,
    pub sort: Document,
    pub skip: usize,
    /// `None` (or 0, as mongod) is no limit.
    pub limit: Option<usize>,
    /// The command's `let` variables.
    pub vars: Document,
    pub collation: Option<Collation>,
}

/// A parsed `find`.
pub struct Find {
    filter_doc: Document,
    filter: Filter,
    projection: Projection,
    sort: SortSpec,
    skip: usize,
    limit: Option<usize>,
    env: Env,
    collation: Option<Collation>,
}

impl Find {
    pub fn parse(o: &FindOptions) -> Result<Find, DbError> {
        let env = Env::with_vars(o.vars.clone());
        Ok(Find {
            filter: Filter::parse_with_let(&o.filter, &o.vars)?.with_collation(o.collation),
            filter_doc: o.filter.clone(),
            projection: Projection::parse_with(&o.projection, &env.parse_ctx())?,
            sort: SortSpec::parse(&o.sort)?,
            skip: o.skip,
            limit: o.limit.filter(|l| *l > 0),
            env,
            collation: o.collation,
        })
    }

    pub fn filter(&self) -> &Document {
        &self.filter_doc
    }

    pub fn collation(&self) -> Option<Collation> {
        self.collation
    }

    pub fn vars(&self) -> &Document {
        &self.env.vars
    }

    /// Whether results come in the order of the input (no sort).
    pub fn is_unsorted(&self) -> bool {
        self.sort.is_empty()
    }

    /// How many matching input documents can matter: `skip + limit` when
    /// unsorted with a limit.
    pub fn input_limit(&self) -> Option<usize> {
        match self.limit {
            Some(l) if self.sort.is_empty() => Some(self.skip.saturating_add(l)),
            _ => None,
        }
    }

    /// Runs over candidate documents (in `_id` order); `visit` gets each
    /// result.
    pub fn run(
        &self,
        docs: impl Iterator<Item = Result<Document, DbError>>,
        visit: &mut dyn FnMut(Document) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let matching = docs.filter(|d| d.as_ref().map_or(true, |d| self.filter.matches(d)));
        if self.sort.is_empty() {
            let take = self.limit.unwrap_or(usize::MAX);
            for d in matching.skip(self.skip).take(take) {
                visit(self.project(&d?)?)?;
            }
            return Ok(());
        }
        let sorted = match self.limit {
            Some(l) => {
                let mut top = TopK::new(&self.sort, self.skip.saturating_add(l));
                for d in matching {
                    top.push(d?);
                }
                top.finish()
            }
            None => {
                let mut all = matching.collect::<Result<Vec<_>, _>>()?;
                self.sort.sort(&mut all);
                all
            }
        };
        let take = self.limit.unwrap_or(usize::MAX);
        for d in sorted.into_iter().skip(self.skip).take(take) {
            visit(self.project(&d)?)?;
        }
        Ok(())
    }

    fn project(&self, d: &Document) -> Result<Document, DbError> {
        Ok(self
            .projection
            .apply_with(d, Some(&self.filter_doc), &self.env)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{bson, doc};

    fn find(o: FindOptions, docs: Vec<Document>) -> Vec<Document> {
        let f = Find::parse(&o).unwrap();
        let mut out = Vec::new();
        f.run(docs.into_iter().map(Ok), &mut |d| {
            out.push(d);
            Ok(())
        })
        .unwrap();
        out
    }

    fn people() -> Vec<Document> {
        (1..=6)
            .map(|i| doc! {"_id": i, "age": (i * 7) % 5, "name": format!("p{i}")})
            .collect()
    }

    #[test]
    fn sorts_skips_limits_then_projects() {
        let o = FindOptions {
            filter: doc! {"age": {"$gte": 1}},
            sort: doc! {"age": -1, "_id": 1},
            skip: 1,
            limit: Some(2),
            projection: doc! {"_id": 1, "twice": {"$multiply": ["$age", 2]}},
            ..Default::default()
        };
        // ages: 1→2, 2→4, 3→1, 4→3, 5→0, 6→2
        assert_eq!(
            find(o, people()),
            [doc! {"_id": 4, "twice": 6}, doc! {"_id": 1, "twice": 4}]
        );
    }

    #[test]
    fn unsorted_streams_in_input_order() {
        let o = FindOptions {
            skip: 2,
            limit: Some(0),
            projection: doc! {"name": 0, "age": 0},
            ..Default::default()
        };
        let got = find(o, people());
        assert_eq!(got.len(), 4, "limit 0 is no limit, as in mongod");
        assert_eq!(got[0], doc! {"_id": 3});
    }

    #[test]
    fn let_variables_reach_the_filter_and_projection() {
        let o = FindOptions {
            filter: doc! {"$expr": {"$eq": ["$age", "$$want"]}},
            projection: doc! {"w": "$$want"},
            vars: doc! {"want": 2},
            ..Default::default()
        };
        assert_eq!(
            find(o, people()),
            [doc! {"_id": 1, "w": 2}, doc! {"_id": 6, "w": 2}]
        );
    }

    #[test]
    fn bad_specs_are_mongod_errors() {
        let bad = |o: FindOptions| Find::parse(&o).err().and_then(|e| e.code());
        assert_eq!(
            bad(FindOptions {
                sort: doc! {"a": 2},
                ..Default::default()
            }),
            Some(15975)
        );
        assert_eq!(
            bad(FindOptions {
                projection: doc! {"a": 1, "b": 0},
                ..Default::default()
            }),
            Some(31254)
        );
        assert_eq!(
            bad(FindOptions {
                filter: doc! {"a": {"$nope": 1}},
                ..Default::default()
            }),
            Some(2)
        );
        let _ = bson!(1);
    }
}
