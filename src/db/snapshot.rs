//! A database at one point: a branch's head, a tag, a commit or
//! `branch@lsn:N`. Reads (`find`, `aggregate`, `count`) go through the
//! planner and the one pipeline; views are resolved here.

use super::error::DbError;
use super::find::Find;
use super::pipeline::{ParseCtx, Pipeline, RunCtx, Source, stage_of};
use super::plan::{self, Plan};
use super::views::resolve_view;
use crate::engine::{Project, View};
use crate::query::error::QueryError;
use crate::query::expr::Env;
use crate::query::filter::Collation;
use bson::{Bson, Document};

/// One project's data as of one view.
pub struct Snapshot<'a> {
    project: &'a Project,
    view: View,
}

impl<'a> Snapshot<'a> {
    pub fn new(project: &'a Project, view: View) -> Snapshot<'a> {
        Snapshot { project, view }
    }

    /// The snapshot at `spec` (`main`, a tag, `main@lsn:42`, ...).
    pub fn at(project: &'a Project, spec: &str) -> Result<Snapshot<'a>, DbError> {
        Ok(Snapshot::new(project, project.view(spec)?))
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    /// Whether `coll` exists as a collection or a view.
    pub fn has(&self, coll: &str) -> bool {
        self.view.has_collection(coll)
    }

    /// Runs `find` on `coll`, giving each result to `visit`.
    pub fn find(
        &self,
        coll: &str,
        q: &Find,
        visit: &mut dyn FnMut(Document) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        if resolve_view(&self.view, coll)?.is_some() {
            // As mongod: a find on a view is an aggregation over its
            // source, with the find applied to the view's output.
            let docs = self.collection(coll, &q.vars().clone(), q.collation())?;
            return q.run(docs.into_iter().map(Ok), visit);
        }
        if !self.view.has_collection(coll) {
            return Ok(());
        }
        let exact = !q.collation().is_some_and(|c| c.fold_case);
        if exact
            && Plan::choose(self.project.nodes(), &self.view, coll, q.filter())
                != Plan::CollectionScan
        {
            let docs = plan::matching(
                self.project,
                &self.view,
                coll,
                q.filter(),
                q.input_limit(),
                q.vars(),
                q.collation(),
            )?;
            return q.run(docs.into_iter().map(Ok), visit);
        }
        let nodes = self.project.nodes();
        let scan = self.view.scan(nodes, coll)?.map(|item| {
            let (_, raw) = item?;
            Ok(Document::from_reader(&*raw)?)
        });
        q.run(scan, visit)
    }

    /// Runs `pipeline` on `coll` (a collection or a view; nothing when it
    /// does not exist, as in mongod). `$out`/`$merge` and the stages that
    /// read server state are the caller's.
    pub fn aggregate(
        &self,
        coll: &str,
        pipeline: &[Bson],
        vars: &Document,
        collation: Option<Collation>,
    ) -> Result<Vec<Document>, DbError> {
        let env = Env::with_vars(vars.clone());
        let parsed = Pipeline::parse(
            pipeline,
            &ParseCtx {
                env: &env,
                collation,
            },
        )?;
        let run = RunCtx {
            env: &env,
            collation,
            source: self,
        };
        let is_view = resolve_view(&self.view, coll)?.is_some();
        // A leading `$match` that an `_id` or an index answers chooses the
        // access path; otherwise the pipeline streams over a scan, so its
        // stages hold what they need (a `$group` its groups), not the
        // collection.
        let leading_match = match pipeline.first().map(stage_of).transpose()? {
            Some(("$match", Bson::Document(filter))) if !is_view => Some(filter),
            _ => None,
        };
        let exact = !collation.is_some_and(|c| c.fold_case);
        if let Some(filter) = leading_match
            && exact
            && self.view.has_collection(coll)
            && Plan::choose(self.project.nodes(), &self.view, coll, filter) != Plan::CollectionScan
        {
            let docs = plan::matching(
                self.project,
                &self.view,
                coll,
                filter,
                None,
                vars,
                collation,
            )?;
            let rest = parsed.without_first();
            return Ok(rest
                .stream(Box::new(docs.into_iter().map(Ok)), &run)
                .collect::<Result<Vec<_>, _>>()?);
        }
        if is_view || !self.view.has_collection(coll) {
            let docs = self.collection(coll, vars, collation)?;
            return Ok(parsed.run(docs, &run)?);
        }
        let nodes = self.project.nodes();
        let scan = self.view.scan(nodes, coll)?.map(|item| {
            let (_, raw) = item.map_err(storage_error)?;
            Document::from_reader(&*raw).map_err(|e| storage_error(e.into()))
        });
        Ok(parsed
            .stream(Box::new(scan), &run)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Every document of `coll` in `_id` order; a view's pipeline output.
    fn collection(
        &self,
        coll: &str,
        vars: &Document,
        collation: Option<Collation>,
    ) -> Result<Vec<Document>, DbError> {
        if let Some((source, stages)) = resolve_view(&self.view, coll)? {
            let docs = self.collection(&source, &Document::new(), None)?;
            let env = Env::with_vars(vars.clone());
            let pc = ParseCtx {
                env: &env,
                collation,
            };
            let run = RunCtx {
                env: &env,
                collation,
                source: self,
            };
            return Ok(Pipeline::parse(&stages, &pc)?.run(docs, &run)?);
        }
        if !self.view.has_collection(coll) {
            return Ok(Vec::new());
        }
        let nodes = self.project.nodes();
        self.view
            .scan(nodes, coll)?
            .map(|item| {
                let (_, raw) = item?;
                Ok(Document::from_reader(&*raw)?)
            })
            .collect()
    }
}

/// A storage failure met while streaming documents into a pipeline,
/// whose stream carries query errors.
fn storage_error(e: crate::engine::Error) -> QueryError {
    QueryError::new(1, "InternalError", e.to_string())
}

impl Source for Snapshot<'_> {
    fn documents(&self, coll: &str) -> Result<Vec<Document>, QueryError> {
        self.collection(coll, &Document::new(), None)
            .map_err(|e| match e {
                DbError::Query(q) => q,
                other => QueryError::new(1, "InternalError", other.to_string()),
            })
    }
}
