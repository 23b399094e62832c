//! Projections, as `find` applies them (MongoDB 4.4+ semantics):
//!
//! * inclusion (`{a: 1, "b.c": true}`) and exclusion (`{a: 0}`) projections;
//!   mixing them is an error except for `_id: 0` in an inclusion projection
//!   (and `_id: 1` in an exclusion one);
//! * dotted paths and nested specs (`{a: {b: 1}}` is `{"a.b": 1}`), which
//!   reach through arrays of sub-documents as mongod does;
//! * `$slice` (`n`, `-n`, `[skip, limit]`), `$elemMatch`, the positional
//!   `field.$` (which uses the query filter to find the first matching array
//!   element);
//! * computed fields: literal values (`{a: "x"}`), `{$literal: v}`, field
//!   paths (`{a: "$b.c"}`), `$$ROOT`, object and array expressions. Other
//!   aggregation operators (`$add`, ...) are reported as unsupported.
//!
//! Output field order follows the document for included fields (as mongod
//! does); computed and `$elemMatch` fields come after them, in spec order.
//!
//! The module also hosts what projection shares with pipeline-style updates:
//! the small aggregation-expression evaluator ([`Expr`]), the `$addFields`
//! applier ([`ComputedFields`]) and the positional-match helper
//! ([`positional_index`]) that the update positional operator `$` uses too.

use super::error::{QueryError, fmt_elem, fmt_value, type_name};
use super::filter::Filter;
use crate::query::expr::{Env, ParseCtx as ExprParseCtx};
use bson::{Bson, Document, doc};
use std::sync::Arc;

/// Array path segments and the conditions that apply under them.
type PathGroup = (Vec<String>, Vec<(String, Bson)>);

// ---------------------------------------------------------------------------
// Aggregation expressions (the subset argonctl evaluates)
// ---------------------------------------------------------------------------

/// A parsed aggregation expression (the one expression language of
/// [`crate::query::expr`]), shared so that projections stay `Clone`.
#[derive(Debug, Clone)]
pub(crate) struct Expr(Arc<crate::query::expr::Node>);

/// What an expression is evaluated against.
pub(crate) type EvalCtx<'a> = crate::query::expr::Ctx<'a>;

/// Names of MongoDB aggregation expression operators. Used to tell an
/// unsupported-but-valid expression (NotImplemented) from a typo.
const EXPRESSION_NAMES: &[&str] = &[
    "$abs",
    "$acos",
    "$acosh",
    "$add",
    "$addToSet",
    "$allElementsTrue",
    "$and",
    "$anyElementTrue",
    "$arrayElemAt",
    "$arrayToObject",
    "$asin",
    "$asinh",
    "$atan",
    "$atan2",
    "$atanh",
    "$avg",
    "$binarySize",
    "$bitAnd",
    "$bitNot",
    "$bitOr",
    "$bitXor",
    "$bsonSize",
    "$ceil",
    "$cmp",
    "$concat",
    "$concatArrays",
    "$cond",
    "$convert",
    "$cos",
    "$cosh",
    "$dateAdd",
    "$dateDiff",
    "$dateFromParts",
    "$dateFromString",
    "$dateSubtract",
    "$dateToParts",
    "$dateToString",
    "$dateTrunc",
    "$dayOfMonth",
    "$dayOfWeek",
    "$dayOfYear",
    "$degreesToRadians",
    "$divide",
    "$eq",
    "$exp",
    "$filter",
    "$first",
    "$firstN",
    "$floor",
    "$function",
    "$getField",
    "$gt",
    "$gte",
    "$hour",
    "$ifNull",
    "$in",
    "$indexOfArray",
    "$indexOfBytes",
    "$indexOfCP",
    "$isArray",
    "$isNumber",
    "$isoDayOfWeek",
    "$isoWeek",
    "$isoWeekYear",
    "$last",
    "$lastN",
    "$let",
    "$literal",
    "$ln",
    "$log",
    "$log10",
    "$lt",
    "$lte",
    "$ltrim",
    "$map",
    "$max",
    "$maxN",
    "$median",
    "$mergeObjects",
    "$meta",
    "$millisecond",
    "$min",
    "$minN",
    "$minute",
    "$mod",
    "$month",
    "$multiply",
    "$ne",
    "$not",
    "$objectToArray",
    "$or",
    "$percentile",
    "$pow",
    "$radiansToDegrees",
    "$rand",
    "$range",
    "$reduce",
    "$regexFind",
    "$regexFindAll",
    "$regexMatch",
    "$replaceAll",
    "$replaceOne",
    "$reverseArray",
    "$round",
    "$rtrim",
    "$sampleRate",
    "$second",
    "$setDifference",
    "$setEquals",
    "$setField",
    "$setIntersection",
    "$setIsSubset",
    "$setUnion",
    "$sigmoid",
    "$size",
    "$sin",
    "$sinh",
    "$slice",
    "$sortArray",
    "$split",
    "$sqrt",
    "$stdDevPop",
    "$stdDevSamp",
    "$strcasecmp",
    "$strLenBytes",
    "$strLenCP",
    "$substr",
    "$substrBytes",
    "$substrCP",
    "$subtract",
    "$sum",
    "$switch",
    "$tan",
    "$tanh",
    "$toBool",
    "$toDate",
    "$toDecimal",
    "$toDouble",
    "$toHashedIndexKey",
    "$toInt",
    "$toLong",
    "$toLower",
    "$toObjectId",
    "$toString",
    "$toUpper",
    "$toUUID",
    "$trim",
    "$trunc",
    "$tsIncrement",
    "$tsSecond",
    "$type",
    "$unsetField",
    "$week",
    "$year",
    "$zip",
];

pub(crate) fn is_expression_name(name: &str) -> bool {
    EXPRESSION_NAMES.contains(&name)
}

impl Expr {
    /// Parses an operand as the aggregation framework does: `"$path"`,
    /// `"$$VAR"`, an object expression, an array of operands, or a literal.
    pub(crate) fn parse_operand(v: &Bson, pc: &mut ExprParseCtx) -> Result<Expr, QueryError> {
        Ok(Expr(Arc::new(crate::query::expr::parse(v, pc)?)))
    }

    /// Evaluates the expression; `None` is "missing" (the field is not set).
    pub(crate) fn eval(&self, cx: &mut EvalCtx<'_>) -> Result<Option<Bson>, QueryError> {
        self.0.eval(cx)
    }
}

fn dollar_field(name: &str) -> QueryError {
    QueryError::location(
        16410,
        format!(
            "FieldPath field names may not start with '$'. Consider using $getField or \
             $setField. Got: '{name}'"
        ),
    )
}

/// Splits and validates a field path (the part after `$` in `"$a.b"`, or a
/// projection / `$addFields` key).
pub(crate) fn agg_field_path(path: &str) -> Result<Vec<String>, QueryError> {
    if path.is_empty() {
        return Err(QueryError::location(
            40352,
            "FieldPath cannot be constructed with empty string",
        ));
    }
    path.split('.')
        .map(|c| {
            if c.is_empty() {
                Err(QueryError::location(
                    15998,
                    "FieldPath field names may not be empty strings.",
                ))
            } else if c.starts_with('$') {
                Err(dollar_field(c))
            } else {
                Ok(c.to_string())
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Projection tree
// ---------------------------------------------------------------------------

/// A node of the projection tree; children keep spec order.
#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(String, Child)>,
}

#[derive(Debug, Clone)]
enum Child {
    /// `1`/`true` (inclusion) or `0`/`false` (exclusion).
    Leaf(bool),
    Sub(Node),
    Expr(Expr),
    /// `{field: {$elemMatch: ...}}` (top level only); the filter is
    /// `{field: {$elemMatch: ...}}` itself.
    ElemMatch(Box<Filter>),
    /// The target of a `$slice` or positional projection: included in an
    /// inclusion projection, left alone in an exclusion one; the operator
    /// itself runs afterwards on the result (see [`PostOp`]).
    Find,
}

impl Node {
    fn get(&self, name: &str) -> Option<&Child> {
        self.children
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, c)| c)
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.children.iter().position(|(k, _)| k == name)
    }

    /// mongod's `addNodeAtPath`: creates the intermediate nodes and reports
    /// path collisions (`{a: 1, "a.b": 1}`).
    fn add(&mut self, path: &[String], full: &str, child: Child) -> Result<(), QueryError> {
        let Some((first, rest)) = path.split_first() else {
            return Ok(());
        };
        let existing = self.position(first);
        if rest.is_empty() {
            if existing.is_some() {
                return Err(QueryError::location(
                    31250,
                    format!("Path collision at {full}"),
                ));
            }
            self.children.push((first.clone(), child));
            return Ok(());
        }
        let idx = match existing {
            Some(i) => i,
            None => {
                self.children
                    .push((first.clone(), Child::Sub(Node::default())));
                self.children.len() - 1
            }
        };
        match &mut self.children[idx].1 {
            Child::Sub(node) => node.add(rest, full, child),
            _ => Err(QueryError::location(
                31249,
                format!(
                    "Path collision at {full} remaining portion {}",
                    full.split_once('.').map_or("", |(_, r)| r)
                ),
            )),
        }
    }

    /// The sub-node at `path`, created if needed (nested spec objects).
    fn sub_mut(&mut self, path: &[String], full: &str) -> Result<&mut Node, QueryError> {
        let Some((first, rest)) = path.split_first() else {
            return Ok(self);
        };
        let idx = match self.position(first) {
            Some(i) => i,
            None => {
                self.children
                    .push((first.clone(), Child::Sub(Node::default())));
                self.children.len() - 1
            }
        };
        match &mut self.children[idx].1 {
            Child::Sub(node) => node.sub_mut(rest, full),
            _ => Err(QueryError::location(
                31250,
                format!("Path collision at {full}"),
            )),
        }
    }

    fn has_computed(&self) -> bool {
        self.children.iter().any(|(_, c)| match c {
            Child::Expr(_) | Child::ElemMatch(_) => true,
            Child::Sub(n) => n.has_computed(),
            _ => false,
        })
    }

    fn remove(&mut self, name: &str) {
        self.children.retain(|(k, _)| k != name);
    }
}

/// Operators that run on the projected document (mongod's "root
/// replacement" expressions), in spec order.
#[derive(Debug, Clone)]
enum PostOp {
    Slice {
        path: Vec<String>,
        skip: Option<i64>,
        limit: i64,
    },
    Positional {
        path: Vec<String>,
        spec_field: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `find` projections: `$slice`, `$elemMatch` and `.$` are allowed.
    Find,
    /// Aggregation `$project` / `$unset` (pipeline-style updates).
    Aggregation,
}

/// A parsed projection. See the module docs.
#[derive(Debug, Clone)]
pub struct Projection {
    /// `false` for an empty spec, which returns documents unchanged.
    active: bool,
    inclusion: bool,
    root: Node,
    post: Vec<PostOp>,
}

#[derive(Default)]
struct ParseCtx {
    /// Variables in scope for computed fields.
    expr: ExprParseCtx,
    aggregation: bool,
    /// `Some(true)` inclusion, `Some(false)` exclusion, once known.
    ty: Option<bool>,
    has_slice: bool,
    has_elem_match: bool,
    has_positional: bool,
    id_included: bool,
    id_excluded: bool,
    post: Vec<PostOp>,
}

impl Projection {
    /// Parses a `find` projection.
    pub fn parse(spec: &Document) -> Result<Projection, QueryError> {
        Projection::parse_mode(spec, Mode::Find, ExprParseCtx::default())
    }

    /// Parses a `find` projection whose computed fields may use the
    /// variables of `pc` (a command's `let`).
    pub fn parse_with(spec: &Document, pc: &ExprParseCtx) -> Result<Projection, QueryError> {
        Projection::parse_mode(spec, Mode::Find, pc.clone())
    }

    /// Parses an aggregation `$project` (no `$slice`/`$elemMatch`/`.$`).
    pub fn parse_aggregation(spec: &Document, pc: &ExprParseCtx) -> Result<Projection, QueryError> {
        Projection::parse_mode(spec, Mode::Aggregation, pc.clone())
    }

    fn parse_mode(
        spec: &Document,
        mode: Mode,
        expr: ExprParseCtx,
    ) -> Result<Projection, QueryError> {
        if spec.is_empty() {
            return Ok(Projection {
                active: false,
                inclusion: false,
                root: Node::default(),
                post: Vec::new(),
            });
        }
        let mut cx = ParseCtx {
            expr,
            aggregation: mode == Mode::Aggregation,
            ..ParseCtx::default()
        };
        let mut root = Node::default();
        let mut id_specified = false;
        for (k, v) in spec {
            id_specified |= k == "_id" || k.starts_with("_id.");
            parse_element(&mut cx, k, v, None, &mut root)?;
        }
        // mongod's computeProjectionType for specs whose type was not fixed
        // by a plain inclusion, exclusion or expression.
        let inclusion = cx.ty.unwrap_or(if cx.has_slice {
            cx.id_included
        } else {
            cx.has_elem_match || cx.id_included
        });
        if !id_specified && inclusion {
            root.children.push(("_id".to_string(), Child::Leaf(true)));
        }
        if !inclusion && cx.id_included {
            // {_id: 1} in an exclusion projection is legal and a no-op.
            root.remove("_id");
        }
        Ok(Projection {
            active: true,
            inclusion,
            root,
            post: cx.post,
        })
    }

    /// Whether the spec was empty (documents are returned unchanged).
    pub fn is_empty(&self) -> bool {
        !self.active
    }

    /// Whether this is an inclusion projection (only named fields, plus
    /// `_id`, are returned).
    pub fn is_inclusion(&self) -> bool {
        self.active && self.inclusion
    }

    /// Whether `apply` needs the query filter (a positional `.$` projection).
    pub fn needs_query(&self) -> bool {
        self.post
            .iter()
            .any(|p| matches!(p, PostOp::Positional { .. }))
    }

    /// Projects `doc`. `filter_for_positional` is the query filter the
    /// document matched; only a positional (`field.$`) projection uses it.
    pub fn apply(
        &self,
        doc: &Document,
        filter_for_positional: Option<&Document>,
    ) -> Result<Document, QueryError> {
        self.apply_with(doc, filter_for_positional, &Env::default())
    }

    /// [`Projection::apply`] with the command's variables and `$$NOW`.
    pub fn apply_with(
        &self,
        doc: &Document,
        filter_for_positional: Option<&Document>,
        env: &Env,
    ) -> Result<Document, QueryError> {
        if !self.active {
            return Ok(doc.clone());
        }
        let mut out = if self.inclusion {
            include_doc(doc, &self.root)
        } else {
            exclude_doc(doc, &self.root)
        };
        if self.root.has_computed() {
            let mut cx = EvalCtx::new(doc, env);
            apply_exprs(&mut out, &self.root, &mut cx, doc)?;
        }
        for op in &self.post {
            match op {
                PostOp::Slice { path, skip, limit } => slice_in_doc(&mut out, path, *skip, *limit),
                PostOp::Positional { path, spec_field } => {
                    apply_positional(doc, &mut out, path, spec_field, filter_for_positional)?
                }
            }
        }
        Ok(out)
    }
}

/// Finds a positional operator in a projection key: `(begin, end)` of
/// `.$.` or a trailing `.$` (or the whole key `$`).
fn find_first_positional(key: &str) -> Option<(usize, usize)> {
    if let Some(i) = key.find(".$.") {
        return Some((i, i + 3));
    }
    if key.ends_with(".$") {
        return Some((key.len() - 2, key.len()));
    }
    if key == "$" {
        return Some((0, 1));
    }
    None
}

fn is_numeric_or_bool(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Boolean(_) | Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

/// BSON truthiness of a boolean or number (`trueValue()`).
fn truthy(v: &Bson) -> bool {
    match v {
        Bson::Boolean(b) => *b,
        Bson::Int32(i) => *i != 0,
        Bson::Int64(i) => *i != 0,
        Bson::Double(f) => *f != 0.0,
        Bson::Decimal128(d) => !super::update::decimal_is_zero(d),
        _ => true,
    }
}

fn parse_element(
    cx: &mut ParseCtx,
    name: &str,
    v: &Bson,
    parent_path: Option<&str>,
    parent: &mut Node,
) -> Result<(), QueryError> {
    let positional = find_first_positional(name);
    if positional.is_some() && cx.aggregation {
        return Err(QueryError::location(
            31324,
            "Cannot use positional projection in aggregation projection",
        ));
    }
    match v {
        Bson::Document(sub) => {
            if positional.is_some() {
                return Err(QueryError::location(
                    31271,
                    "positional projection cannot be used with an expression or sub object",
                ));
            }
            parse_sub_object(cx, name, sub, parent_path, parent)
        }
        v if is_numeric_or_bool(v) => {
            if truthy(v) {
                parse_inclusion(cx, name, parent_path, parent, positional)
            } else {
                parse_exclusion(cx, name, parent_path, parent)
            }
        }
        v => {
            if positional.is_some() {
                return Err(QueryError::location(
                    31308,
                    "positional projection cannot be used with a literal",
                ));
            }
            let expr = Expr::parse_operand(v, &mut cx.expr)?;
            parent.add(&agg_field_path(name)?, name, Child::Expr(expr))?;
            if cx.ty == Some(false) {
                return Err(QueryError::location(
                    31310,
                    format!(
                        "Cannot use an expression {} in an exclusion projection",
                        fmt_elem(name, v)
                    ),
                ));
            }
            cx.ty = Some(true);
            Ok(())
        }
    }
}

fn join_path(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(p) => format!("{p}.{name}"),
        None => name.to_string(),
    }
}

fn parse_inclusion(
    cx: &mut ParseCtx,
    name: &str,
    parent_path: Option<&str>,
    parent: &mut Node,
    positional: Option<(usize, usize)>,
) -> Result<(), QueryError> {
    let top_level_id = name == "_id" && parent_path.is_none();
    match positional {
        None => {
            parent.add(&agg_field_path(name)?, name, Child::Leaf(true))?;
            if top_level_id {
                cx.id_included = true;
            }
        }
        Some((begin, end)) => {
            if cx.has_positional {
                return Err(QueryError::location(
                    31276,
                    "Cannot specify more than one positional projection per query.",
                ));
            }
            if cx.has_elem_match {
                return Err(QueryError::location(
                    31256,
                    "Cannot specify positional operator and $elemMatch.",
                ));
            }
            if name.ends_with(".$.") {
                return Err(QueryError::location(31270, "Path cannot end with '.$.'"));
            }
            if end != name.len() {
                return Err(QueryError::location(
                    31394,
                    "As of 4.4, it's illegal to specify positional operator in the middle of a \
                     path.Positional projection may only be used at the end, for example: \
                     a.b.$. If the query previously used a form like a.b.$.d, remove the parts \
                     following the '$' and the results will be equivalent.",
                ));
            }
            let prefix = &name[..begin];
            let path = agg_field_path(prefix)?;
            parent.add(&path, name, Child::Find)?;
            cx.post.push(PostOp::Positional {
                path: agg_field_path(&join_path(parent_path, prefix))?,
                spec_field: name.to_string(),
            });
            cx.has_positional = true;
        }
    }
    if !top_level_id {
        if cx.ty == Some(false) {
            return Err(QueryError::location(
                31253,
                format!("Cannot do inclusion on field {name} in exclusion projection"),
            ));
        }
        cx.ty = Some(true);
    }
    Ok(())
}

fn parse_exclusion(
    cx: &mut ParseCtx,
    name: &str,
    parent_path: Option<&str>,
    parent: &mut Node,
) -> Result<(), QueryError> {
    parent.add(&agg_field_path(name)?, name, Child::Leaf(false))?;
    if name == "_id" && parent_path.is_none() {
        cx.id_excluded = true;
        return Ok(());
    }
    if cx.ty == Some(true) {
        return Err(QueryError::location(
            31254,
            format!("Cannot do exclusion on field {name} in inclusion projection"),
        ));
    }
    cx.ty = Some(false);
    Ok(())
}

fn parse_sub_object(
    cx: &mut ParseCtx,
    name: &str,
    sub: &Document,
    parent_path: Option<&str>,
    parent: &mut Node,
) -> Result<(), QueryError> {
    let path = agg_field_path(name)?;
    let full = join_path(parent_path, name);
    if let (1, Some(op)) = (sub.len(), sub.keys().next())
        && op.starts_with('$')
    {
        let arg = sub.get(op).unwrap_or(&Bson::Null);
        if !cx.aggregation && op == "$slice" {
            let (skip, limit) = parse_find_slice(arg)?;
            parent.add(&path, name, Child::Find)?;
            cx.post.push(PostOp::Slice {
                path: agg_field_path(&full)?,
                skip,
                limit,
            });
            cx.has_slice = true;
            return Ok(());
        }
        if op == "$elemMatch" {
            if cx.aggregation {
                return Err(QueryError::invalid_pipeline_operator(
                    "Cannot use $elemMatch in this context",
                ));
            }
            let Bson::Document(_) = arg else {
                return Err(QueryError::location(
                    31274,
                    format!(
                        "elemMatch: Invalid argument, object required, but got {}",
                        type_name(arg)
                    ),
                ));
            };
            if cx.has_positional {
                return Err(QueryError::location(
                    31255,
                    "Cannot specify positional operator and $elemMatch.",
                ));
            }
            if path.len() != 1 || parent_path.is_some() {
                return Err(QueryError::location(
                    31275,
                    "Cannot use $elemMatch projection on a nested field.",
                ));
            }
            let filter = Filter::parse(&doc! { name: { "$elemMatch": arg.clone() } })?;
            parent.add(&path, name, Child::ElemMatch(Box::new(filter)))?;
            cx.has_elem_match = true;
            return Ok(());
        }
        if is_expression_name(op) {
            if op != "$meta" && cx.ty == Some(false) {
                return Err(QueryError::location(
                    31252,
                    "Cannot use expression other than $meta in exclusion projection",
                ));
            }
            if op == "$meta" {
                return Err(QueryError::unsupported(
                    "$meta projections (text search scores, index keys, ...) are not supported \
                     by argonctl",
                ));
            }
            let expr = Expr(Arc::new(crate::query::expr::parse_document(
                sub,
                &mut cx.expr,
            )?));
            parent.add(&path, name, Child::Expr(expr))?;
            cx.ty = Some(true);
            return Ok(());
        }
        return Err(QueryError::location(
            31325,
            format!("Unknown expression {op}"),
        ));
    }
    if sub.is_empty() {
        return Err(QueryError::location(
            51270,
            format!(
                "An empty sub-projection is not a valid value. Found empty object at path {full}"
            ),
        ));
    }
    let node = parent.sub_mut(&path, &full)?;
    for (k, v) in sub {
        parse_element(cx, k, v, Some(&full), node)?;
    }
    Ok(())
}

/// `$slice: n` or `$slice: [skip, limit]` in a find projection.
fn parse_find_slice(arg: &Bson) -> Result<(Option<i64>, i64), QueryError> {
    if let Some(n) = number_int(arg) {
        return Ok((None, n));
    }
    let Bson::Array(items) = arg else {
        return Err(QueryError::location(
            31273,
            "$slice only supports numbers and [skip, limit] arrays",
        ));
    };
    let [skip, limit] = items.as_slice() else {
        return Err(QueryError::location(
            31272,
            "$slice array argument should be of form [skip, limit]",
        ));
    };
    let skip = number_int(skip).ok_or_else(|| {
        QueryError::location(
            31257,
            format!(
                "$slice expects the skip argument to be a number, got {}",
                type_name(skip)
            ),
        )
    })?;
    let limit = number_int(limit).ok_or_else(|| {
        QueryError::location(
            31258,
            format!(
                "$slice expects the limit argument to be a number, got {}",
                type_name(limit)
            ),
        )
    })?;
    if limit <= 0 {
        return Err(QueryError::location(
            31259,
            format!("$slice limit must be positive, got {limit}"),
        ));
    }
    Ok((Some(skip), limit))
}

/// mongod's `numberInt()`: a number truncated to a 32-bit integer (here
/// saturating rather than wrapping out-of-range values).
fn number_int(v: &Bson) -> Option<i64> {
    let clamp = |x: i64| x.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    match v {
        Bson::Int32(i) => Some(i64::from(*i)),
        Bson::Int64(i) => Some(clamp(*i)),
        // `as` saturates and maps NaN to 0, as wanted here.
        Bson::Double(f) => Some(clamp(*f as i64)),
        Bson::Decimal128(d) => Some(clamp(super::update::decimal_to_i64_trunc(d))),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Applying a projection
// ---------------------------------------------------------------------------

fn include_doc(doc: &Document, node: &Node) -> Document {
    let mut out = Document::new();
    for (k, v) in doc {
        match node.get(k) {
            Some(Child::Leaf(true) | Child::Find) => {
                out.insert(k.clone(), v.clone());
            }
            Some(Child::Sub(sub)) => match v {
                Bson::Document(d) => {
                    out.insert(k.clone(), include_doc(d, sub));
                }
                Bson::Array(items) => {
                    out.insert(k.clone(), include_array(items, sub));
                }
                // A sub-projection of a scalar yields nothing.
                _ => {}
            },
            _ => {}
        }
    }
    out
}

/// Inclusion through an array: documents are projected, nested arrays
/// recurse, scalars are dropped.
fn include_array(items: &[Bson], node: &Node) -> Bson {
    Bson::Array(
        items
            .iter()
            .filter_map(|e| match e {
                Bson::Document(d) => Some(Bson::Document(include_doc(d, node))),
                Bson::Array(a) => Some(include_array(a, node)),
                _ => None,
            })
            .collect(),
    )
}

fn exclude_doc(doc: &Document, node: &Node) -> Document {
    let mut out = Document::new();
    for (k, v) in doc {
        match node.get(k) {
            Some(Child::Leaf(false)) => {}
            Some(Child::Sub(sub)) => {
                let v = match v {
                    Bson::Document(d) => Bson::Document(exclude_doc(d, sub)),
                    Bson::Array(items) => exclude_array(items, sub),
                    other => other.clone(),
                };
                out.insert(k.clone(), v);
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn exclude_array(items: &[Bson], node: &Node) -> Bson {
    Bson::Array(
        items
            .iter()
            .map(|e| match e {
                Bson::Document(d) => Bson::Document(exclude_doc(d, node)),
                Bson::Array(a) => exclude_array(a, node),
                other => other.clone(),
            })
            .collect(),
    )
}

/// Adds computed fields (expressions and `$elemMatch`) into `out`, as
/// mongod's `ProjectionNode::applyExpressions`: an existing field is
/// replaced in place, a new one appended; through arrays each element gets
/// the fields, and a scalar in the way is replaced by a new document.
fn apply_exprs(
    out: &mut Document,
    node: &Node,
    cx: &mut EvalCtx<'_>,
    pre_image: &Document,
) -> Result<(), QueryError> {
    for (k, child) in &node.children {
        match child {
            Child::Expr(e) => match e.eval(cx)? {
                Some(v) => {
                    out.insert(k.clone(), v);
                }
                None => {
                    out.remove(k);
                }
            },
            Child::ElemMatch(filter) => match elem_match_value(pre_image, k, filter) {
                Some(v) => {
                    out.insert(k.clone(), v);
                }
                None => {
                    out.remove(k);
                }
            },
            Child::Sub(sub) if sub.has_computed() => {
                let new = match out.get(k) {
                    Some(Bson::Document(d)) => {
                        let mut d = d.clone();
                        apply_exprs(&mut d, sub, cx, pre_image)?;
                        Bson::Document(d)
                    }
                    Some(Bson::Array(items)) => apply_exprs_array(items, sub, cx, pre_image)?,
                    _ => {
                        let mut d = Document::new();
                        apply_exprs(&mut d, sub, cx, pre_image)?;
                        Bson::Document(d)
                    }
                };
                out.insert(k.clone(), new);
            }
            _ => {}
        }
    }
    Ok(())
}

fn apply_exprs_array(
    items: &[Bson],
    node: &Node,
    cx: &mut EvalCtx<'_>,
    pre_image: &Document,
) -> Result<Bson, QueryError> {
    let mut out = Vec::with_capacity(items.len());
    for e in items {
        out.push(match e {
            Bson::Document(d) => {
                let mut d = d.clone();
                apply_exprs(&mut d, node, cx, pre_image)?;
                Bson::Document(d)
            }
            Bson::Array(a) => apply_exprs_array(a, node, cx, pre_image)?,
            _ => {
                let mut d = Document::new();
                apply_exprs(&mut d, node, cx, pre_image)?;
                Bson::Document(d)
            }
        });
    }
    Ok(Bson::Array(out))
}

/// `{field: {$elemMatch: ...}}`: the first matching element of the
/// top-level array `field`, as a one-element array; `None` when nothing
/// matches (the field is then left out).
fn elem_match_value(pre_image: &Document, field: &str, filter: &Filter) -> Option<Bson> {
    if !filter.matches(pre_image) {
        return None;
    }
    let Some(Bson::Array(items)) = pre_image.get(field) else {
        return None;
    };
    items
        .iter()
        .find(|e| filter.matches(&doc! { field: [(*e).clone()] }))
        .map(|e| Bson::Array(vec![e.clone()]))
}

fn slice_in_doc(d: &mut Document, path: &[String], skip: Option<i64>, limit: i64) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if let Some(v) = d.get_mut(first) {
        slice_value(v, rest, skip, limit);
    }
}

/// mongod's find `$slice`: slices the array at the end of the path; arrays
/// along the way apply it to each sub-document element.
fn slice_value(v: &mut Bson, rest: &[String], skip: Option<i64>, limit: i64) {
    match v {
        Bson::Array(items) if rest.is_empty() => {
            let (start, len) = slice_bounds(items.len(), skip, limit);
            *items = items[start..start + len].to_vec();
        }
        Bson::Array(items) => {
            for e in items {
                if let Bson::Document(d) = e {
                    slice_in_doc(d, rest, skip, limit);
                }
            }
        }
        Bson::Document(d) => slice_in_doc(d, rest, skip, limit),
        _ => {}
    }
}

/// `(start, count)` of a `$slice` over an array of `len` elements.
fn slice_bounds(len: usize, skip: Option<i64>, limit: i64) -> (usize, usize) {
    let len = len as i64;
    let (start, forward) = match skip {
        None if limit < 0 => {
            let start = (len + limit).max(0);
            (start, len - start)
        }
        None => (0, len.min(limit)),
        Some(skip) if skip < 0 => {
            let start = (len + skip).max(0);
            (start, (len - start).min(limit.max(0)))
        }
        Some(skip) => {
            let start = len.min(skip);
            (start, (len - start).min(limit.max(0)))
        }
    };
    // Both are within 0..=len by construction.
    (start as usize, forward.max(0) as usize)
}

fn query_mentions(query: &Document, field: &str) -> bool {
    query.iter().any(|(k, v)| match k.as_str() {
        "$and" | "$or" | "$nor" => match v {
            Bson::Array(items) => items
                .iter()
                .any(|i| matches!(i, Bson::Document(d) if query_mentions(d, field))),
            _ => false,
        },
        k if k.starts_with('$') => false,
        k => k.split('.').next() == Some(field),
    })
}

fn apply_positional(
    pre_image: &Document,
    out: &mut Document,
    path: &[String],
    spec_field: &str,
    query: Option<&Document>,
) -> Result<(), QueryError> {
    let Some(query) = query else {
        return Err(QueryError::location(
            51050,
            "Projections with a positional operator require a matcher",
        ));
    };
    let first = path.first().map(String::as_str).unwrap_or("");
    if !query_mentions(query, first) {
        return Err(QueryError::location(
            31277,
            format!("Positional projection '{spec_field}' does not match the query document."),
        ));
    }
    // Walk the projected document to the first array on the path.
    let mut found = None;
    let mut cur = &*out;
    for (i, comp) in path.iter().enumerate() {
        match cur.get(comp) {
            Some(Bson::Array(items)) => {
                found = Some((i + 1, items.clone()));
                break;
            }
            Some(Bson::Document(d)) => cur = d,
            _ => break,
        }
    }
    let Some((len, items)) = found else {
        // No array on the path: the projection leaves the value alone.
        return Ok(());
    };
    let idx = positional_index(query, pre_image, &path[..len])?.ok_or_else(|| {
        QueryError::location(
            51246,
            "positional operator '.$' couldn't find a matching element in the array",
        )
    })?;
    let elem = items
        .get(idx)
        .cloned()
        .ok_or_else(|| QueryError::location(51247, "positional operator '.$' element mismatch"))?;
    set_in_docs(out, &path[..len], Bson::Array(vec![elem]));
    Ok(())
}

/// Sets `path` (which runs through documents) to `v`.
fn set_in_docs(d: &mut Document, path: &[String], v: Bson) {
    match path {
        [] => {}
        [last] => {
            d.insert(last.clone(), v);
        }
        [first, rest @ ..] => {
            if let Some(Bson::Document(sub)) = d.get_mut(first) {
                set_in_docs(sub, rest, v);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Positional matching (shared with the update operator `$`)
// ---------------------------------------------------------------------------

/// Conditions whose match does not pin down an array element (mongod does
/// not record a position for them).
fn records_position(cond: &Bson) -> bool {
    match cond {
        Bson::Document(d) if d.keys().next().is_some_and(|k| k.starts_with('$')) => !d
            .keys()
            .all(|k| matches!(k.as_str(), "$ne" | "$nin" | "$not" | "$exists" | "$size")),
        _ => true,
    }
}

fn collect_field_clauses(query: &Document, out: &mut Vec<(String, Bson)>) {
    for (k, v) in query {
        if k == "$and" {
            if let Bson::Array(items) = v {
                for i in items {
                    if let Bson::Document(d) = i {
                        collect_field_clauses(d, out);
                    }
                }
            }
        } else if !k.starts_with('$') {
            out.push((k.clone(), v.clone()));
        }
    }
}

/// Length of the prefix of `path` that ends at the first array in `doc`.
fn first_array_prefix(doc: &Document, path: &[String]) -> Option<usize> {
    let mut cur = doc;
    for (i, comp) in path.iter().enumerate() {
        match cur.get(comp)? {
            Bson::Array(_) => return Some(i + 1),
            Bson::Document(d) => cur = d,
            _ => return None,
        }
    }
    None
}

/// `{p0: {p1: ... {pn: [elem]}}}`: a document whose only array is the one
/// element, to test a condition against that element alone.
fn wrap_element(path: &[String], elem: &Bson) -> Document {
    let mut v = Bson::Array(vec![elem.clone()]);
    for comp in path.iter().skip(1).rev() {
        v = Bson::Document(doc! { comp.clone(): v });
    }
    let mut out = Document::new();
    if let Some(first) = path.first() {
        out.insert(first.clone(), v);
    }
    out
}

fn get_in_docs<'a>(doc: &'a Document, path: &[String]) -> Option<&'a Bson> {
    let (first, rest) = path.split_first()?;
    let v = doc.get(first)?;
    if rest.is_empty() {
        return Some(v);
    }
    match v {
        Bson::Document(d) => get_in_docs(d, rest),
        _ => None,
    }
}

/// The array position the query matched, which the positional operator
/// (`a.$` in an update or a projection) refers to: mongod's "elemMatchKey".
///
/// The query's field conditions are grouped by the first array their path
/// runs through in `doc`; the group for the array at `target` is used (else
/// the first group, as mongod uses whichever array the query matched). The
/// answer is the first element that satisfies every condition of the group
/// on its own; failing that, the first element satisfying the last
/// condition (mongod records the position per condition, the last one
/// winning). Negations, `$exists` and `$size` pin down no element and are
/// ignored. `None` when no element qualifies.
pub(crate) fn positional_index(
    query: &Document,
    doc: &Document,
    target: &[String],
) -> Result<Option<usize>, QueryError> {
    let mut clauses = Vec::new();
    collect_field_clauses(query, &mut clauses);
    let mut groups: Vec<PathGroup> = Vec::new();
    for (path, cond) in clauses {
        let comps: Vec<String> = path.split('.').map(str::to_string).collect();
        let Some(len) = first_array_prefix(doc, &comps) else {
            continue;
        };
        let array_path = comps[..len].to_vec();
        match groups.iter_mut().find(|(p, _)| *p == array_path) {
            Some((_, g)) => g.push((path, cond)),
            None => groups.push((array_path, vec![(path, cond)])),
        }
    }
    let Some((array_path, conds)) = groups
        .iter()
        .find(|(p, _)| p.as_slice() == target)
        .or(groups.first())
    else {
        return Ok(None);
    };
    let Some(Bson::Array(items)) = get_in_docs(doc, array_path) else {
        return Ok(None);
    };
    let mut hits: Vec<Vec<bool>> = Vec::new();
    for (path, cond) in conds {
        if !records_position(cond) {
            continue;
        }
        let filter = Filter::parse(&doc! { path.clone(): cond.clone() })?;
        hits.push(
            items
                .iter()
                .map(|e| filter.matches(&wrap_element(array_path, e)))
                .collect(),
        );
    }
    if hits.is_empty() {
        return Ok(None);
    }
    if let Some(i) = (0..items.len()).find(|&i| hits.iter().all(|h| h[i])) {
        return Ok(Some(i));
    }
    Ok(hits.last().and_then(|h| h.iter().position(|&b| b)))
}

// ---------------------------------------------------------------------------
// $addFields / $set (pipeline stage)
// ---------------------------------------------------------------------------

/// An `$addFields` (alias `$set`) stage: computed fields set into the
/// document, keeping every other field.
#[derive(Debug, Clone)]
pub struct ComputedFields {
    root: Node,
}

impl ComputedFields {
    pub fn parse(spec: &Document, pc: &mut ExprParseCtx) -> Result<ComputedFields, QueryError> {
        let mut root = Node::default();
        add_computed(&mut root, spec, None, pc)?;
        Ok(ComputedFields { root })
    }

    pub fn apply(&self, doc: &Document, cx: &mut EvalCtx<'_>) -> Result<Document, QueryError> {
        let mut out = doc.clone();
        apply_exprs(&mut out, &self.root, cx, doc)?;
        Ok(out)
    }
}

fn add_computed(
    node: &mut Node,
    spec: &Document,
    parent: Option<&str>,
    pc: &mut ExprParseCtx,
) -> Result<(), QueryError> {
    for (k, v) in spec {
        let path = agg_field_path(k)?;
        let full = join_path(parent, k);
        match v {
            Bson::Document(d)
                if !d.is_empty() && !d.keys().next().is_some_and(|f| f.starts_with('$')) =>
            {
                let sub = node.sub_mut(&path, &full)?;
                add_computed(sub, d, Some(&full), pc)?;
            }
            v => node.add(&path, &full, Child::Expr(Expr::parse_operand(v, pc)?))?,
        }
    }
    Ok(())
}

/// Renders a value for "resulting value was: ..." messages.
pub(crate) fn describe_value(v: Option<&Bson>) -> (String, &'static str) {
    match v {
        Some(v) => (fmt_value(v), type_name(v)),
        None => ("MISSING".to_string(), "missing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{Decimal128, doc};
    use std::str::FromStr;

    fn p(spec: Document, d: Document) -> Document {
        Projection::parse(&spec)
            .expect("valid projection")
            .apply(&d, None)
            .expect("applies")
    }

    fn pq(spec: Document, query: Document, d: Document) -> Result<Document, QueryError> {
        Projection::parse(&spec)?.apply(&d, Some(&query))
    }

    fn perr(spec: Document) -> QueryError {
        Projection::parse(&spec).expect_err("invalid projection")
    }

    fn inventory() -> Document {
        doc! {
            "_id": 1, "item": "journal", "status": "A",
            "size": {"h": 14, "w": 21, "uom": "cm"},
            "instock": [{"warehouse": "A", "qty": 5}, {"warehouse": "C", "qty": 15}]
        }
    }

    #[test]
    fn empty_projection_returns_document() {
        let d = inventory();
        assert_eq!(p(doc! {}, d.clone()), d);
        assert!(Projection::parse(&doc! {}).unwrap().is_empty());
    }

    #[test]
    fn inclusion_follows_document_order_and_keeps_id() {
        // docs: "Return the Specified Fields and the _id Field Only"
        let got = p(doc! {"status": 1, "item": 1}, inventory());
        assert_eq!(got, doc! {"_id": 1, "item": "journal", "status": "A"});
        let got = p(doc! {"item": 1, "status": 1, "_id": 0}, inventory());
        assert_eq!(got, doc! {"item": "journal", "status": "A"});
        assert!(Projection::parse(&doc! {"a": 1}).unwrap().is_inclusion());
        // Truthy numbers of any type include.
        let got = p(
            doc! {"item": 2.5, "status": Bson::Int64(1), "_id": false},
            inventory(),
        );
        assert_eq!(got, doc! {"item": "journal", "status": "A"});
        let dec = Decimal128::from_str("0.0").unwrap();
        let got = p(doc! {"item": dec, "_id": 0}, inventory());
        assert!(got.get("item").is_none(), "decimal zero excludes: {got:?}");
    }

    #[test]
    fn exclusion_keeps_everything_else() {
        let got = p(doc! {"status": 0, "instock": 0}, inventory());
        assert_eq!(
            got,
            doc! {"_id": 1, "item": "journal", "size": {"h": 14, "w": 21, "uom": "cm"}}
        );
        let got = p(doc! {"_id": 0}, doc! {"_id": 1, "a": 2});
        assert_eq!(got, doc! {"a": 2});
        // {_id: 1} alone is an inclusion of _id only.
        let got = p(doc! {"_id": 1}, doc! {"_id": 1, "a": 2});
        assert_eq!(got, doc! {"_id": 1});
        // {_id: 1, a: 0} is an exclusion.
        let got = p(doc! {"_id": 1, "a": 0}, doc! {"_id": 1, "a": 2, "b": 3});
        assert_eq!(got, doc! {"_id": 1, "b": 3});
    }

    #[test]
    fn embedded_paths() {
        let got = p(doc! {"item": 1, "status": 1, "size.uom": 1}, inventory());
        assert_eq!(
            got,
            doc! {"_id": 1, "item": "journal", "status": "A", "size": {"uom": "cm"}}
        );
        // Nested form is the same as the dotted one.
        let got = p(doc! {"size": {"uom": 1}}, inventory());
        assert_eq!(got, doc! {"_id": 1, "size": {"uom": "cm"}});
        let got = p(doc! {"size.uom": 0}, inventory());
        assert_eq!(got.get_document("size").unwrap(), &doc! {"h": 14, "w": 21});
    }

    #[test]
    fn paths_through_arrays() {
        // docs: "Project Specific Fields in Embedded Documents in an Array"
        let got = p(doc! {"item": 1, "status": 1, "instock.qty": 1}, inventory());
        assert_eq!(
            got,
            doc! {"_id": 1, "item": "journal", "status": "A", "instock": [{"qty": 5}, {"qty": 15}]}
        );
        // Scalars in the array are dropped by inclusion, nested arrays recurse,
        // sub-documents without the field become {}.
        let d = doc! {"_id": 1, "a": [1, {"b": 1, "c": 2}, [{"b": 3}], {"c": 4}]};
        assert_eq!(
            p(doc! {"a.b": 1, "_id": 0}, d.clone()),
            doc! {"a": [{"b": 1}, [{"b": 3}], {}]}
        );
        // Exclusion keeps scalars.
        assert_eq!(
            p(doc! {"a.b": 0}, d),
            doc! {"_id": 1, "a": [1, {"c": 2}, [{}], {"c": 4}]}
        );
        // A sub-projection of a scalar yields nothing.
        assert_eq!(p(doc! {"a.b": 1}, doc! {"_id": 1, "a": 5}), doc! {"_id": 1});
    }

    #[test]
    fn mixing_is_an_error() {
        let e = perr(doc! {"a": 1, "b": 0});
        assert_eq!((e.code, e.code_name), (31254, "Location31254"));
        assert_eq!(
            e.message,
            "Cannot do exclusion on field b in inclusion projection"
        );
        let e = perr(doc! {"a": 0, "b": 1});
        assert_eq!(e.code, 31253);
        assert_eq!(
            e.message,
            "Cannot do inclusion on field b in exclusion projection"
        );
        let e = perr(doc! {"a": 0, "b": "lit"});
        assert_eq!(e.code, 31310);
        let e = perr(doc! {"a": 0, "b": {"$literal": 1}});
        assert_eq!(e.code, 31252);
    }

    #[test]
    fn path_collisions() {
        assert_eq!(perr(doc! {"a": 1, "a.b": 1}).code, 31249);
        assert_eq!(perr(doc! {"a.b": 1, "a": 1}).code, 31250);
        assert_eq!(perr(doc! {"a": {}}).code, 51270);
        assert_eq!(perr(doc! {"a..b": 1}).code, 15998);
        assert_eq!(perr(doc! {"$a": 1}).code, 16410);
        assert_eq!(perr(doc! {"": 1}).code, 40352);
    }

    #[test]
    fn literals_and_field_paths() {
        let d = doc! {"_id": 1, "a": {"b": 5}, "arr": [{"x": 1}, {"x": 2}, {"y": 3}], "c": 9};
        let got = p(
            doc! {"lit": "hello", "c": 1, "fp": "$a.b", "xs": "$arr.x", "l": {"$literal": 1}, "n": null},
            d.clone(),
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "c": 9, "lit": "hello", "fp": 5, "xs": [1, 2], "l": 1, "n": null}
        );
        // A literal string starting with $ needs $literal.
        let got = p(doc! {"s": {"$literal": "$a"}, "_id": 0}, d.clone());
        assert_eq!(got, doc! {"s": "$a"});
        // A missing path leaves the field out; $$ROOT is the whole document.
        let got = p(doc! {"m": "$nope", "r": "$$ROOT.a", "_id": 0}, d.clone());
        assert_eq!(got, doc! {"r": {"b": 5}});
        // Arrays and objects are expressions too.
        let got = p(
            doc! {"o": {"k": "$c", "k2": [1, "$c", "$nope"]}, "_id": 0},
            d.clone(),
        );
        assert_eq!(got, doc! {"o": {"k": 9, "k2": [1, 9, null]}});
        // Dotted computed field creates the sub-document.
        let got = p(doc! {"new.x": "$c", "_id": 0}, d);
        assert_eq!(got, doc! {"new": {"x": 9}});
    }

    #[test]
    fn computed_fields_through_arrays() {
        let d = doc! {"_id": 1, "a": [{"b": 1}, 5], "c": 7};
        let got = p(doc! {"a.z": "$c", "a.b": 1, "_id": 0}, d);
        assert_eq!(got, doc! {"a": [{"b": 1, "z": 7}]});
    }

    #[test]
    fn find_projection_evaluates_expressions() {
        // docs: db.collection.find() "Projection": since 4.4 a find
        // projection accepts aggregation expressions.
        assert_eq!(
            p(doc! {"a": {"$add": [1, 2]}}, doc! {"_id": 1}),
            doc! {"_id": 1, "a": 3}
        );
        let e = perr(doc! {"a": {"$bogus": 1}});
        assert_eq!(e.code, 31325);
        let e = perr(doc! {"a": {"$meta": "textScore"}});
        assert_eq!(e.code, 238);
    }

    #[test]
    fn slice() {
        // docs: $slice (projection)
        let d = doc! {"_id": 1, "title": "t", "comments": [1, 2, 3, 4, 5]};
        let first = |spec: Bson| p(doc! {"comments": {"$slice": spec}}, d.clone());
        assert_eq!(
            first(Bson::Int32(3)),
            doc! {"_id": 1, "title": "t", "comments": [1, 2, 3]}
        );
        assert_eq!(
            first(Bson::Int32(-3)),
            doc! {"_id": 1, "title": "t", "comments": [3, 4, 5]}
        );
        assert_eq!(
            first(Bson::Int32(0)),
            doc! {"_id": 1, "title": "t", "comments": []}
        );
        assert_eq!(
            first(bson::bson!([1, 2])),
            doc! {"_id": 1, "title": "t", "comments": [2, 3]}
        );
        assert_eq!(
            first(bson::bson!([-2, 5])),
            doc! {"_id": 1, "title": "t", "comments": [4, 5]}
        );
        assert_eq!(
            first(bson::bson!([10, 5])),
            doc! {"_id": 1, "title": "t", "comments": []}
        );
        assert_eq!(
            first(bson::bson!([-10, 2])),
            doc! {"_id": 1, "title": "t", "comments": [1, 2]}
        );
        assert_eq!(first(Bson::Int32(-10)), d.clone());
        // With an inclusion: only _id, the sliced field and the included one.
        let got = p(doc! {"comments": {"$slice": 1}, "title": 1}, d.clone());
        assert_eq!(got, doc! {"_id": 1, "title": "t", "comments": [1]});
        // {_id: 1} plus $slice is an inclusion.
        let got = p(doc! {"comments": {"$slice": 1}, "_id": 1}, d.clone());
        assert_eq!(got, doc! {"_id": 1, "comments": [1]});
        // A non-array is left alone; a missing field stays missing.
        let got = p(doc! {"title": {"$slice": 1}, "x": {"$slice": 1}}, d);
        assert_eq!(got.get_str("title").unwrap(), "t");
        assert!(got.get("x").is_none());
        // Nested: in each sub-document of an array.
        let n = doc! {"_id": 1, "a": [{"b": [1, 2, 3]}, 7, {"b": [4, 5]}]};
        let got = p(doc! {"a.b": {"$slice": 1}}, n);
        assert_eq!(got, doc! {"_id": 1, "a": [{"b": [1]}, 7, {"b": [4]}]});
    }

    #[test]
    fn slice_errors() {
        assert_eq!(perr(doc! {"a": {"$slice": [1]}}).code, 31272);
        assert_eq!(perr(doc! {"a": {"$slice": ["x", 1]}}).code, 31257);
        assert_eq!(perr(doc! {"a": {"$slice": [1, "x"]}}).code, 31258);
        assert_eq!(perr(doc! {"a": {"$slice": [1, 0]}}).code, 31259);
        assert_eq!(perr(doc! {"a": {"$slice": "x"}}).code, 31273);
    }

    #[test]
    fn elem_match() {
        // docs: $elemMatch (projection), schools example
        let d = doc! {
            "_id": 1, "zipcode": "63109",
            "students": [
                {"name": "john", "school": 102, "age": 10},
                {"name": "jess", "school": 102, "age": 11},
                {"name": "jeff", "school": 108, "age": 15}
            ]
        };
        let got = p(
            doc! {"students": {"$elemMatch": {"school": 102}}},
            d.clone(),
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "students": [{"name": "john", "school": 102, "age": 10}]}
        );
        let got = p(
            doc! {"students": {"$elemMatch": {"school": 102, "age": {"$gt": 10}}}},
            d.clone(),
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "students": [{"name": "jess", "school": 102, "age": 11}]}
        );
        // No match: the field is left out.
        let got = p(
            doc! {"students": {"$elemMatch": {"school": 999}}},
            d.clone(),
        );
        assert_eq!(got, doc! {"_id": 1});
        // The $elemMatch field comes after the other included fields.
        let got = p(
            doc! {"students": {"$elemMatch": {"age": 15}}, "zipcode": 1},
            d.clone(),
        );
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            vec!["_id", "zipcode", "students"]
        );
        // Operators on scalar elements.
        let s = doc! {"_id": 1, "v": [1, 5, 9]};
        assert_eq!(
            p(doc! {"v": {"$elemMatch": {"$gt": 4}}, "_id": 0}, s),
            doc! {"v": [5]}
        );
        assert_eq!(perr(doc! {"a.b": {"$elemMatch": {"x": 1}}}).code, 31275);
        assert_eq!(perr(doc! {"a": {"$elemMatch": 1}}).code, 31274);
    }

    #[test]
    fn positional() {
        // docs: $ (projection), students example
        let d = doc! {"_id": 1, "semester": 1, "grades": [70, 87, 90]};
        let got = pq(
            doc! {"grades.$": 1},
            doc! {"semester": 1, "grades": {"$gte": 85}},
            d.clone(),
        )
        .unwrap();
        assert_eq!(got, doc! {"_id": 1, "grades": [87]});
        // Array of documents, with the condition on a sub-field.
        let d2 = doc! {"_id": 7, "grades": [
            {"grade": 80, "mean": 75, "std": 8},
            {"grade": 85, "mean": 90, "std": 5},
            {"grade": 90, "mean": 85, "std": 3}
        ]};
        let got = pq(
            doc! {"grades.$": 1},
            doc! {"grades.mean": {"$gt": 70}},
            d2.clone(),
        )
        .unwrap();
        assert_eq!(
            got,
            doc! {"_id": 7, "grades": [{"grade": 80, "mean": 75, "std": 8}]}
        );
        let got = pq(
            doc! {"grades.$": 1},
            doc! {"grades": {"$elemMatch": {"mean": {"$gt": 80}, "std": {"$lt": 4}}}},
            d2.clone(),
        )
        .unwrap();
        assert_eq!(
            got,
            doc! {"_id": 7, "grades": [{"grade": 90, "mean": 85, "std": 3}]}
        );
        // Conditions on two fields of the same element.
        let got = pq(
            doc! {"grades.$": 1},
            doc! {"grades.mean": {"$gt": 80}, "grades.grade": {"$gte": 90}},
            d2,
        )
        .unwrap();
        assert_eq!(got.get_array("grades").unwrap().len(), 1);
        assert_eq!(
            got.get_array("grades").unwrap()[0]
                .as_document()
                .unwrap()
                .get_i32("grade")
                .unwrap(),
            90
        );
    }

    #[test]
    fn positional_errors() {
        let d = doc! {"_id": 1, "grades": [70, 87, 90]};
        let e = pq(doc! {"grades.$": 1}, doc! {"_id": 1}, d.clone()).unwrap_err();
        assert_eq!(e.code, 31277);
        let e = Projection::parse(&doc! {"grades.$": 1})
            .unwrap()
            .apply(&d, None)
            .unwrap_err();
        assert_eq!(e.code, 51050);
        let e = pq(
            doc! {"grades.$": 1},
            doc! {"grades": {"$size": 3}},
            d.clone(),
        )
        .unwrap_err();
        assert_eq!((e.code, e.code_name), (51246, "Location51246"));
        assert_eq!(perr(doc! {"a.$.b": 1}).code, 31394);
        assert_eq!(perr(doc! {"a.$": 1, "b.$": 1}).code, 31276);
        assert_eq!(
            perr(doc! {"a.$": 1, "b": {"$elemMatch": {"x": 1}}}).code,
            31255
        );
        assert_eq!(
            perr(doc! {"b": {"$elemMatch": {"x": 1}}, "a.$": 1}).code,
            31256
        );
        assert_eq!(perr(doc! {"a.$": {"$slice": 1}}).code, 31271);
        assert_eq!(perr(doc! {"a.$": "x"}).code, 31308);
        assert_eq!(perr(doc! {"a": 0, "b.$": 1}).code, 31253);
        // Not an array: the value is returned as is.
        let got = pq(doc! {"a.$": 1}, doc! {"a": 5}, doc! {"_id": 1, "a": 5}).unwrap();
        assert_eq!(got, doc! {"_id": 1, "a": 5});
    }

    #[test]
    fn aggregation_mode_rejects_find_only_features() {
        assert_eq!(
            Projection::parse_aggregation(&doc! {"a.$": 1}, &ExprParseCtx::default())
                .unwrap_err()
                .code,
            31324
        );
        assert_eq!(
            Projection::parse_aggregation(
                &doc! {"a": {"$elemMatch": {"b": 1}}},
                &ExprParseCtx::default()
            )
            .unwrap_err()
            .code,
            168
        );
        assert_eq!(
            Projection::parse_aggregation(&doc! {"a": {"$slice": 1}}, &ExprParseCtx::default())
                .unwrap_err()
                .code,
            28667
        );
    }

    #[test]
    fn add_fields() {
        let cx_doc = doc! {"_id": 1, "a": {"b": 1}, "arr": [{"x": 1}, 2], "s": 3};
        let env = Env::default();
        let mut cx = EvalCtx::new(&cx_doc, &env);
        let f = ComputedFields::parse(
            &doc! {"s": "$a.b", "n": 5, "a.c": 2, "arr.y": "$s"},
            &mut ExprParseCtx::default(),
        )
        .unwrap();
        let got = f.apply(&cx_doc, &mut cx).unwrap();
        assert_eq!(
            got,
            doc! {"_id": 1, "a": {"b": 1, "c": 2}, "arr": [{"x": 1, "y": 3}, {"y": 3}], "s": 1, "n": 5}
        );
        // Nested object spec is the dotted form; $$REMOVE removes.
        let f = ComputedFields::parse(
            &doc! {"a": {"d": 4}, "s": "$$REMOVE"},
            &mut ExprParseCtx::default(),
        )
        .unwrap();
        let got = f.apply(&cx_doc, &mut cx).unwrap();
        assert_eq!(got.get_document("a").unwrap(), &doc! {"b": 1, "d": 4});
        assert!(got.get("s").is_none());
        // A scalar in the way is replaced by a document.
        let f = ComputedFields::parse(&doc! {"s.t": 1}, &mut ExprParseCtx::default()).unwrap();
        assert_eq!(
            f.apply(&cx_doc, &mut cx)
                .unwrap()
                .get_document("s")
                .unwrap(),
            &doc! {"t": 1}
        );
    }

    #[test]
    fn positional_index_groups_by_array() {
        let d = doc! {"a": [{"x": 1}, {"x": 2}], "b": [5, 6, 7]};
        let t = |s: &str| vec![s.to_string()];
        assert_eq!(
            positional_index(&doc! {"a.x": 2, "b": 7}, &d, &t("b")).unwrap(),
            Some(2)
        );
        assert_eq!(
            positional_index(&doc! {"a.x": 2, "b": 7}, &d, &t("a")).unwrap(),
            Some(1)
        );
        assert_eq!(
            positional_index(&doc! {"$and": [{"b": {"$gt": 5}}]}, &d, &t("b")).unwrap(),
            Some(1)
        );
        assert_eq!(positional_index(&doc! {"c": 1}, &d, &t("b")).unwrap(), None);
    }
}
