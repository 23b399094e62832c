//! The stages that reshape each document: `$project`, `$unset`,
//! `$addFields`/`$set`, `$replaceRoot`/`$replaceWith`.

use crate::db::pipeline::{DocStream, ParseCtx, RunCtx, Stage};
use crate::query::error::{QueryError, fmt_doc, type_name};
use crate::query::expr::{Ctx, Expr};
use crate::query::projection::{ComputedFields, Projection, describe_value};
use bson::{Bson, Document};

/// `$project` and `$unset` (an exclusion projection).
#[derive(Debug)]
pub struct Project(Projection);

impl Project {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Project, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                15969,
                "$project specification must be an object",
            ));
        };
        if spec.is_empty() {
            return Err(QueryError::location(
                51272,
                "Invalid $project :: caused by :: projection specification must have at least \
                 one field",
            ));
        }
        Ok(Project(Projection::parse_aggregation(spec, &pc.expr())?))
    }

    /// `$unset: "f"` or `$unset: ["f", "g.h"]`.
    pub fn parse_unset(arg: &Bson, pc: &ParseCtx<'_>) -> Result<Project, QueryError> {
        let names: Vec<&Bson> = match arg {
            Bson::String(_) => vec![arg],
            Bson::Array(a) if !a.is_empty() => a.iter().collect(),
            _ => {
                return Err(QueryError::location(
                    31002,
                    "$unset specification must be a string or an array containing at least one \
                     field",
                ));
            }
        };
        let mut spec = Document::new();
        for n in names {
            let Bson::String(s) = n else {
                return Err(QueryError::location(
                    31120,
                    "$unset specification must be a string or an array containing only string \
                     values",
                ));
            };
            spec.insert(s.clone(), 0);
        }
        Ok(Project(Projection::parse_aggregation(&spec, &pc.expr())?))
    }
}

impl Stage for Project {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        docs.iter()
            .map(|d| self.0.apply_with(d, None, cx.env))
            .collect()
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        Box::new(input.map(|d| self.0.apply_with(&d?, None, cx.env)))
    }
}

/// `$addFields` / `$set`.
#[derive(Debug)]
pub struct AddFields(ComputedFields);

impl AddFields {
    pub fn parse(name: &str, arg: &Bson, pc: &ParseCtx<'_>) -> Result<AddFields, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                40272,
                format!(
                    "{name} specification stage must be an object, got {}",
                    type_name(arg)
                ),
            ));
        };
        Ok(AddFields(ComputedFields::parse(spec, &mut pc.expr())?))
    }
}

impl Stage for AddFields {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        docs.iter()
            .map(|d| self.0.apply(d, &mut Ctx::new(d, cx.env)))
            .collect()
    }

    fn stream<'a>(&'a self, input: DocStream<'a>, cx: &'a RunCtx<'a>) -> DocStream<'a> {
        Box::new(input.map(|d| {
            let d = d?;
            self.0.apply(&d, &mut Ctx::new(&d, cx.env))
        }))
    }
}

/// `$replaceRoot: {newRoot: <expr>}` / `$replaceWith: <expr>`.
#[derive(Debug)]
pub struct ReplaceRoot(Expr);

impl ReplaceRoot {
    pub fn parse(name: &str, arg: &Bson, pc: &ParseCtx<'_>) -> Result<ReplaceRoot, QueryError> {
        if name == "$replaceWith" {
            return Ok(ReplaceRoot(Expr::parse(arg, &mut pc.expr())?));
        }
        let Bson::Document(spec) = arg else {
            return Err(QueryError::location(
                40228,
                format!(
                    "expected an object as specification for $replaceRoot stage, got {}",
                    type_name(arg)
                ),
            ));
        };
        let mut root = None;
        for (k, v) in spec {
            if k != "newRoot" {
                return Err(QueryError::location(
                    40415,
                    format!("BSON field '$replaceRoot.{k}' is an unknown field."),
                ));
            }
            root = Some(Expr::parse(v, &mut pc.expr())?);
        }
        root.map(ReplaceRoot).ok_or_else(|| {
            QueryError::location(40231, "no newRoot specified for the $replaceRoot stage")
        })
    }
}

impl Stage for ReplaceRoot {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        docs.iter()
            .map(|d| match self.0.eval_doc(d, cx.env)? {
                Some(Bson::Document(n)) => Ok(n),
                other => {
                    let (v, t) = describe_value(other.as_ref());
                    Err(QueryError::location(
                        40228,
                        format!(
                            "'newRoot' expression must evaluate to an object, but resulting \
                             value was: {v}. Type of resulting value: '{t}'. Input document: {}",
                            fmt_doc(d)
                        ),
                    ))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{bson, doc};

    #[test]
    fn project_and_add_fields_evaluate_expressions() {
        let docs = || vec![doc! {"_id": 1, "tags": ["a", "b"], "n": 2}];
        assert_eq!(
            run(docs(), bson!([{"$project": {"t": {"$size": "$tags"}}}])),
            Ok(vec![doc! {"_id": 1, "t": 2}])
        );
        assert_eq!(
            run(
                docs(),
                bson!([{"$set": {"u": {"$toUpper": {"$first": "$tags"}}}}, {"$unset": ["tags", "_id"]}])
            ),
            Ok(vec![doc! {"n": 2, "u": "A"}])
        );
        assert_eq!(run(vec![], bson!([{"$project": {}}])), Err(51272));
        assert_eq!(run(vec![], bson!([{"$unset": [1]}])), Err(31120));
        assert_eq!(run(vec![], bson!([{"$addFields": 1}])), Err(40272));
    }

    #[test]
    fn replace_root_needs_an_object() {
        let docs = || vec![doc! {"_id": 1, "a": {"b": 1}, "c": 5}];
        assert_eq!(
            run(docs(), bson!([{"$replaceRoot": {"newRoot": "$a"}}])),
            Ok(vec![doc! {"b": 1}])
        );
        assert_eq!(
            run(docs(), bson!([{"$replaceWith": {"x": "$c"}}])),
            Ok(vec![doc! {"x": 5}])
        );
        assert_eq!(run(docs(), bson!([{"$replaceWith": "$c"}])), Err(40228));
        assert_eq!(run(vec![], bson!([{"$replaceRoot": {}}])), Err(40231));
        assert_eq!(run(vec![], bson!([{"$replaceRoot": {"x": 1}}])), Err(40415));
    }
}
