//! Updates, as mongod applies them (MongoDB 7 semantics):
//!
//! * operator updates (`{$set: {...}, $inc: {...}}`): `$set $unset $inc $mul
//!   $min $max $rename $currentDate $setOnInsert $push $addToSet $pop $pull
//!   $pullAll`, with dotted paths (intermediate documents are created, array
//!   indexes like `a.0.b` address elements, and setting past the end of an
//!   array pads it with `null`), the positional `$`, `$[]` and `$[ident]`
//!   with `arrayFilters`;
//! * replacement documents (`{a: 1}`), which keep the original `_id` first;
//! * pipeline-style updates (`[{$set: ...}, ...]`) with the stages `$set` /
//!   `$addFields`, `$unset`, `$project`, `$replaceRoot` / `$replaceWith` and
//!   the aggregation expression language ([`super::expr`]).
//!
//! As in mongod ≥ 5.0, all operators of an update are merged into one tree
//! of paths (two operators touching the same path, or a path and its
//! parent, is a ConflictingUpdateOperators error) and applied in field-name
//! order, numeric names in numeric order: fields an update creates are
//! appended in that order, while existing fields keep their position.
//!
//! Numbers follow mongod's `SafeNum`: int + int overflowing widens to long,
//! long overflow is an error in `$inc`/`$mul` (a double in pipeline
//! arithmetic), a double operand gives a double, a decimal operand gives a
//! decimal (doubles are converted to decimal with 15 significant digits, as
//! mongod does). Decimal arithmetic is IEEE 754-2008 decimal128 with
//! round-half-even.

use super::error::{QueryError, fmt_doc, fmt_elem, fmt_id, fmt_value, type_name};
use super::expr::{self, ParseCtx as ExprParseCtx};
use super::filter::Filter;
use super::projection::{ComputedFields, EvalCtx, Projection, describe_value};
use super::sort::SortSpec;
use crate::engine::keys::compare_bson;
use bson::{Bson, Decimal128, Document, doc};
use std::cmp::Ordering;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// A parsed update: operators, a replacement document, or a pipeline.
#[derive(Debug, Clone)]
pub enum Update {
    Operators(Box<OperatorUpdate>),
    Replacement(Document),
    Pipeline(Vec<Document>),
}

/// What an update is applied with.
#[derive(Debug, Clone)]
pub struct UpdateContext {
    /// The `arrayFilters` option (for `$[ident]`).
    pub array_filters: Vec<Document>,
    /// Whether the update is building the document an upsert inserts
    /// (`$setOnInsert` applies only then).
    pub is_upsert_insert: bool,
    /// The query filter the document matched (for the positional `$`).
    pub query: Option<Document>,
    /// The time `$currentDate` and `$$NOW` use.
    pub now: bson::DateTime,
}

impl UpdateContext {
    /// A context with no array filters and no query, for a plain update.
    pub fn new(now: bson::DateTime) -> UpdateContext {
        UpdateContext {
            array_filters: Vec::new(),
            is_upsert_insert: false,
            query: None,
            now,
        }
    }
}

impl Update {
    /// Parses the `u` of an update statement: a document of `$`-operators,
    /// a replacement document (including `{}`, which mongod treats as a
    /// replacement), or an array of pipeline stages.
    pub fn parse(u: &Bson) -> Result<Update, QueryError> {
        match u {
            Bson::Array(stages) => {
                let mut docs = Vec::with_capacity(stages.len());
                for s in stages {
                    let Bson::Document(d) = s else {
                        return Err(QueryError::failed_to_parse(format!(
                            "Each element of the 'pipeline' array must be an object, found {}",
                            type_name(s)
                        )));
                    };
                    Stage::parse(d)?;
                    docs.push(d.clone());
                }
                Ok(Update::Pipeline(docs))
            }
            Bson::Document(d) => {
                if d.keys().next().is_some_and(|k| k.starts_with('$')) {
                    return Ok(Update::Operators(Box::new(OperatorUpdate::parse(d)?)));
                }
                if let Some(k) = d.keys().find(|k| k.starts_with('$')) {
                    return Err(QueryError::dollar_prefixed_field_name(format!(
                        "The dollar ($) prefixed field '{k}' in '{k}' is not allowed in the \
                         context of an update's replacement document. Consider using an \
                         aggregation pipeline with $replaceWith."
                    )));
                }
                Ok(Update::Replacement(d.clone()))
            }
            other => Err(QueryError::failed_to_parse(format!(
                "Update argument must be either an object or an array, found {}",
                type_name(other)
            ))),
        }
    }

    /// Whether this is a replacement document.
    pub fn is_replacement(&self) -> bool {
        matches!(self, Update::Replacement(_))
    }

    /// Applies the update to `doc` (for an upsert insert: to
    /// [`upsert_seed`] of the query) and returns the new document.
    pub fn apply(&self, doc: &Document, ctx: &UpdateContext) -> Result<Document, QueryError> {
        match self {
            Update::Operators(ops) => ops.apply(doc, ctx),
            Update::Replacement(r) => replace(doc, r, ctx),
            Update::Pipeline(stages) => {
                let mut cur = doc.clone();
                for s in stages {
                    cur = Stage::parse(s)?.apply(&cur, ctx)?;
                }
                replace(doc, &cur, ctx)
            }
        }
    }
}

/// For upserts: the document to start from, built from the query's
/// equality conditions, as mongod does: `field: value`, `{$eq: value}`,
/// `{$in: [value]}` and `{$all: [value]}` (single-element forms mean
/// equality once mongod has optimized the query), inside `$and` and a
/// single-clause `$or` too; dotted paths create sub-documents. Other
/// conditions (`$gt`, a longer `$in`, ...) contribute nothing.
///
/// `only_id`: a replacement takes only `_id` (and `_id.*`) from the query.
/// A path matched twice, or a path and its parent, is mongod's 54
/// NotSingleValueField: the value to set would be ambiguous.
pub fn upsert_seed(query: &Document, only_id: bool) -> Result<Document, QueryError> {
    let mut equalities: Vec<(&str, &Bson)> = Vec::new();
    seed_from(query, &mut equalities);
    if only_id {
        equalities.retain(|(p, _)| p.split('.').next() == Some("_id"));
    }
    let mut out = Document::new();
    for (i, (path, value)) in equalities.iter().enumerate() {
        for (earlier, _) in &equalities[..i] {
            if earlier == path {
                return Err(QueryError::not_single_value_field(format!(
                    "cannot infer query fields to set, path '{path}' is matched twice"
                )));
            }
            let is_prefix =
                |a: &str, b: &str| b.starts_with(a) && b.as_bytes().get(a.len()) == Some(&b'.');
            if is_prefix(earlier, path) || is_prefix(path, earlier) {
                return Err(QueryError::not_single_value_field(format!(
                    "cannot infer query fields to set, both paths '{path}' and '{earlier}' are matched"
                )));
            }
        }
        let parts: Vec<&str> = path.split('.').collect();
        seed_set(&mut out, &parts, value);
    }
    if out.contains_key("_id") && out.keys().next().is_some_and(|k| k != "_id") {
        out = id_first(out);
    }
    Ok(out)
}

/// Whether a Decimal128 is zero (of any sign and exponent). NaN is not zero.
pub fn decimal_is_zero(d: &Decimal128) -> bool {
    matches!(Dec::decode(d), Dec::Fin { coeff: 0, .. })
}

/// `a + b` for group accumulators that met a Decimal128 (IEEE 754-2008
/// decimal128, round-half-even).
pub fn decimal_add(a: Decimal128, b: Decimal128) -> Decimal128 {
    Dec::decode(&a).add(Dec::decode(&b)).encode()
}

/// `d / n` for `$avg` over decimals: the exact quotient where there is one
/// (with the dividend's exponent where possible, so 4.5 / 3 is 1.5, not
/// 1.500…0), else rounded to 34 digits.
pub fn decimal_div_count(d: Decimal128, n: u64) -> Decimal128 {
    Dec::decode(&d).div_count(n).encode()
}

/// The decimal form of a non-decimal group total, for adding it to a
/// decimal total: an integer exactly, a double by its shortest round-trip
/// digits (0.5 is 0.5, not the 15-digit form `$inc` uses), since a `$sum`
/// of `1`, `Decimal128("3")` and `0.5` is `Decimal128("4.5")`. `None` for
/// a non-number.
pub fn decimal_from_total(v: &Bson) -> Option<Decimal128> {
    let dec = match v {
        Bson::Int32(i) => Dec::from_i64(i64::from(*i)),
        Bson::Int64(i) => Dec::from_i64(*i),
        Bson::Double(f) => Dec::from_f64_shortest(*f),
        Bson::Decimal128(d) => Dec::decode(d),
        _ => return None,
    };
    Some(dec.encode())
}

/// A Decimal128 truncated toward zero to an `i64`, saturating (±Infinity
/// and out-of-range values give `i64::MIN`/`i64::MAX`); NaN gives 0.
pub fn decimal_to_i64_trunc(d: &Decimal128) -> i64 {
    match Dec::decode(d) {
        Dec::NaN => 0,
        Dec::Inf(neg) => {
            if neg {
                i64::MIN
            } else {
                i64::MAX
            }
        }
        Dec::Fin { neg, coeff, exp } => {
            let mag: u128 = if exp >= 0 {
                if coeff == 0 {
                    0
                } else if exp > 38 {
                    u128::MAX
                } else {
                    coeff.saturating_mul(10u128.pow(exp as u32))
                }
            } else if exp < -38 {
                0
            } else {
                coeff / 10u128.pow((-exp) as u32)
            };
            if neg {
                if mag > i64::MAX as u128 {
                    i64::MIN
                } else {
                    -(mag as i64)
                }
            } else {
                i64::try_from(mag).unwrap_or(i64::MAX)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Upsert seed
// ---------------------------------------------------------------------------

/// The `(path, value)` equalities of a query, in query order.
fn seed_from<'a>(query: &'a Document, out: &mut Vec<(&'a str, &'a Bson)>) {
    for (k, v) in query {
        match (k.as_str(), v) {
            ("$and", Bson::Array(items)) => {
                for i in items {
                    if let Bson::Document(d) = i {
                        seed_from(d, out);
                    }
                }
                continue;
            }
            // One clause of an $or must hold, so its equalities do.
            ("$or", Bson::Array(items)) if items.len() == 1 => {
                if let Some(Bson::Document(d)) = items.first() {
                    seed_from(d, out);
                }
                continue;
            }
            _ => {}
        }
        if k.starts_with('$') || k.split('.').any(|c| c.is_empty() || c.starts_with('$')) {
            continue;
        }
        match v {
            Bson::Document(d) if d.keys().next().is_some_and(|f| f.starts_with('$')) => {
                for (op, arg) in d {
                    for x in equality_operands(op, arg) {
                        out.push((k, x));
                    }
                }
            }
            Bson::RegularExpression(_) => {}
            v => out.push((k, v)),
        }
    }
}

/// The values an operator of a field's condition pins the field to, as
/// mongod's optimized query has them: `$eq`, a one-element `$in` and each
/// element of `$all` (`{$all: [a, b]}` is `a` and `b`, so a path matched
/// twice), except regexes (which match by pattern) and `$elemMatch`es.
fn equality_operands<'a>(op: &str, arg: &'a Bson) -> Vec<&'a Bson> {
    let plain = |x: &&Bson| match x {
        Bson::RegularExpression(_) => false,
        Bson::Document(d) => d.keys().next().is_none_or(|f| f != "$elemMatch"),
        _ => true,
    };
    match (op, arg) {
        ("$eq", x) => vec![x],
        ("$in", Bson::Array(items)) if items.len() == 1 => items.iter().filter(plain).collect(),
        ("$all", Bson::Array(items)) => items.iter().filter(plain).collect(),
        _ => Vec::new(),
    }
}

fn seed_set(d: &mut Document, path: &[&str], v: &Bson) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        if !d.contains_key(*first) {
            d.insert(first.to_string(), v.clone());
        }
        return;
    }
    match d.get_mut(*first) {
        Some(Bson::Document(sub)) => seed_set(sub, rest, v),
        Some(_) => {}
        None => {
            let mut sub = Document::new();
            seed_set(&mut sub, rest, v);
            d.insert(first.to_string(), sub);
        }
    }
}

fn id_first(d: Document) -> Document {
    let mut out = Document::new();
    if let Some(id) = d.get("_id") {
        out.insert("_id", id.clone());
    }
    for (k, v) in d {
        if k != "_id" {
            out.insert(k, v);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Replacement (also the last step of a pipeline update)
// ---------------------------------------------------------------------------

/// Replaces `orig` by `repl`, keeping `orig`'s `_id` (first). A different
/// `_id` in `repl` is an ImmutableField error.
fn replace(orig: &Document, repl: &Document, ctx: &UpdateContext) -> Result<Document, QueryError> {
    let mut out = Document::new();
    match (orig.get("_id"), repl.get("_id")) {
        (Some(id), Some(rid)) if id != rid => {
            return Err(QueryError::immutable_field(format!(
                "After applying the update, the (immutable) field '_id' was found to have been \
                 altered to {}",
                fmt_elem("_id", rid)
            )));
        }
        (Some(id), _) | (None, Some(id)) => {
            out.insert("_id", id.clone());
        }
        (None, None) => {}
    }
    for (k, v) in repl {
        if k != "_id" {
            out.insert(k.clone(), v.clone());
        }
    }
    check_id_type(&out, ctx)?;
    Ok(out)
}

fn check_id_type(d: &Document, ctx: &UpdateContext) -> Result<(), QueryError> {
    match d.get("_id") {
        Some(Bson::Array(_)) if ctx.is_upsert_insert => Err(QueryError::invalid_id_field(
            "The '_id' value cannot be of type array",
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Operator updates: parsing
// ---------------------------------------------------------------------------

/// Parsed `$`-operators: one tree of paths.
#[derive(Debug, Clone)]
pub struct OperatorUpdate {
    root: Node,
    /// The update as given (for messages).
    spec: Document,
    /// `(identifier, path)` of every `$[identifier]` used.
    idents: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    leaf: Option<Leaf>,
    children: Vec<(String, Node)>,
}

#[derive(Debug, Clone)]
struct Leaf {
    op: Op,
    /// The operator name (`$inc`).
    name: &'static str,
    /// The path as given.
    path: String,
}

#[derive(Debug, Clone)]
enum Op {
    Set(Bson),
    SetOnInsert(Bson),
    Unset,
    Inc(Bson),
    Mul(Bson),
    Min(Bson),
    Max(Bson),
    CurrentDate {
        timestamp: bool,
    },
    Push(Box<PushSpec>),
    AddToSet(Vec<Bson>),
    Pop {
        first: bool,
    },
    Pull(Box<PullCond>),
    PullAll(Vec<Bson>),
    /// The target of a `$rename`; the value comes from `from`.
    RenameTo {
        from: Vec<String>,
    },
    /// The source of a `$rename`: removed.
    RenameFrom,
}

impl Op {
    /// Whether the operator creates its field when missing (and so needs a
    /// viable path to it).
    fn creates(&self) -> bool {
        !matches!(
            self,
            Op::Unset | Op::Pop { .. } | Op::Pull(_) | Op::PullAll(_) | Op::RenameFrom
        )
    }
}

#[derive(Debug, Clone)]
struct PushSpec {
    each: Vec<Bson>,
    slice: Option<i64>,
    sort: Option<PushSort>,
    position: Option<i64>,
}

#[derive(Debug, Clone)]
enum PushSort {
    Whole(bool),
    Fields(SortSpec),
}

#[derive(Debug, Clone)]
enum PullCond {
    /// A plain value: elements equal to it.
    Equal(Bson),
    /// Operators on the element itself (`{$gte: 5}`), as a filter on
    /// `{ELEM: element}`.
    Value(Filter),
    /// A query on sub-document elements (`{score: 8}`).
    Doc(Filter),
}

/// The field name array elements are wrapped in to match them with a
/// [`Filter`] (array filters, `$pull` conditions).
const ELEM: &str = "__argonctl_elem";

impl PullCond {
    fn parse(v: &Bson) -> Result<PullCond, QueryError> {
        Ok(match v {
            Bson::Document(d)
                if d.keys().next().is_some_and(|k| {
                    k.starts_with('$') && !matches!(k.as_str(), "$and" | "$or" | "$nor")
                }) =>
            {
                PullCond::Value(Filter::parse(&doc! { ELEM: v.clone() })?)
            }
            Bson::Document(d) => PullCond::Doc(Filter::parse(d)?),
            v => PullCond::Equal(v.clone()),
        })
    }

    fn matches(&self, e: &Bson) -> bool {
        match self {
            PullCond::Equal(x) => compare_bson(e, x) == Ordering::Equal,
            PullCond::Value(f) => f.matches(&doc! { ELEM: e.clone() }),
            PullCond::Doc(f) => matches!(e, Bson::Document(d) if f.matches(d)),
        }
    }
}

impl Node {
    fn creates(&self) -> bool {
        match &self.leaf {
            Some(l) => l.op.creates(),
            None => self.children.iter().any(|(_, c)| c.creates()),
        }
    }

    /// Children in mongod's processing order: numeric names numerically,
    /// others by string.
    fn sorted_children(&self) -> Vec<&(String, Node)> {
        let mut v: Vec<&(String, Node)> = self.children.iter().collect();
        v.sort_by(|(a, _), (b, _)| match (parse_index(a), parse_index(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a.cmp(b),
        });
        v
    }

    /// Adds `leaf` at `path`, reporting conflicts with what is there.
    fn insert(&mut self, path: &[String], leaf: Leaf) -> Result<(), QueryError> {
        let mut cur = self;
        for (i, comp) in path.iter().enumerate() {
            let pos = match cur.children.iter().position(|(n, _)| n == comp) {
                Some(p) => {
                    let child = &cur.children[p].1;
                    if i + 1 == path.len() || child.leaf.is_some() {
                        return Err(QueryError::conflict(&leaf.path, &path[..=i].join(".")));
                    }
                    p
                }
                None => {
                    cur.children.push((comp.clone(), Node::default()));
                    cur.children.len() - 1
                }
            };
            cur = &mut cur.children[pos].1;
        }
        cur.leaf = Some(leaf);
        Ok(())
    }
}

/// A canonical array index (`0`, `12`; not `01`).
fn parse_index(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn valid_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Splits and validates an update path.
fn parse_update_path(field: &str) -> Result<Vec<String>, QueryError> {
    if field.is_empty() {
        return Err(QueryError::empty_field_name(
            "An empty update path is not valid.",
        ));
    }
    let comps: Vec<String> = field.split('.').map(str::to_string).collect();
    if comps.iter().any(String::is_empty) {
        return Err(QueryError::empty_field_name(format!(
            "The update path '{field}' contains an empty field name, which is not allowed."
        )));
    }
    let mut positional = 0;
    for (i, c) in comps.iter().enumerate() {
        if !c.starts_with('$') {
            continue;
        }
        let array_op = c == "$"
            || c == "$[]"
            || (c.starts_with("$[") && c.ends_with(']') && valid_ident(&c[2..c.len() - 1]));
        if !array_op {
            if c.starts_with("$[") {
                return Err(QueryError::bad_value(format!(
                    "Error parsing array filter :: caused by :: The top-level field name must be \
                     an alphanumeric string beginning with a lowercase letter, found '{}'",
                    c.trim_start_matches("$[").trim_end_matches(']')
                )));
            }
            return Err(QueryError::dollar_prefixed_field_name(format!(
                "The dollar ($) prefixed field '{c}' in '{field}' is not valid for storage."
            )));
        }
        if i == 0 {
            return Err(QueryError::bad_value(format!(
                "Cannot have positional (i.e. '$') element in the first position in path \
                 '{field}'"
            )));
        }
        if c == "$" {
            positional += 1;
            if positional > 1 {
                return Err(QueryError::bad_value(format!(
                    "Too many positional (i.e. '$') elements found in path '{field}'"
                )));
            }
        }
    }
    Ok(comps)
}

/// mongod's integer reading of a `$slice`/`$position` value: an integral
/// number of any type.
fn integral(v: &Bson) -> Option<i64> {
    match v {
        Bson::Int32(i) => Some(i64::from(*i)),
        Bson::Int64(i) => Some(*i),
        Bson::Double(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
        Bson::Decimal128(d) => {
            let t = decimal_to_i64_trunc(d);
            let diff = Dec::decode(d).add(Dec::from_i64(t).neg());
            matches!(diff, Dec::Fin { coeff: 0, .. }).then_some(t)
        }
        _ => None,
    }
}

fn parse_push(v: &Bson) -> Result<PushSpec, QueryError> {
    let Bson::Document(d) = v else {
        return Ok(PushSpec {
            each: vec![v.clone()],
            slice: None,
            sort: None,
            position: None,
        });
    };
    if !d.contains_key("$each") {
        return Ok(PushSpec {
            each: vec![v.clone()],
            slice: None,
            sort: None,
            position: None,
        });
    }
    let mut spec = PushSpec {
        each: Vec::new(),
        slice: None,
        sort: None,
        position: None,
    };
    for (k, x) in d {
        match k.as_str() {
            "$each" => match x {
                Bson::Array(a) => spec.each = a.clone(),
                other => {
                    return Err(QueryError::bad_value(format!(
                        "The argument to $each in $push must be an array but it was of type: {}",
                        type_name(other)
                    )));
                }
            },
            "$slice" => {
                spec.slice = Some(integral(x).ok_or_else(|| {
                    QueryError::bad_value(format!(
                        "The value for $slice must be an integer value but was given type: {}",
                        type_name(x)
                    ))
                })?)
            }
            "$position" => {
                spec.position = Some(integral(x).ok_or_else(|| {
                    QueryError::bad_value(format!(
                        "The value for $position must be an integer value, not of type: {}",
                        type_name(x)
                    ))
                })?)
            }
            "$sort" => spec.sort = Some(parse_push_sort(x)?),
            other => {
                return Err(QueryError::bad_value(format!(
                    "Unrecognized clause in $push: {other}"
                )));
            }
        }
    }
    Ok(spec)
}

fn parse_push_sort(v: &Bson) -> Result<PushSort, QueryError> {
    let dir_err = || QueryError::bad_value("The $sort element value must be either 1 or -1");
    match v {
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_) => {
            match integral(v) {
                Some(1) => Ok(PushSort::Whole(true)),
                Some(-1) => Ok(PushSort::Whole(false)),
                _ => Err(dir_err()),
            }
        }
        Bson::Document(d) => {
            if d.is_empty() {
                return Err(QueryError::bad_value(
                    "The $sort pattern is empty when it should be a set of fields.",
                ));
            }
            for (k, x) in d {
                if k.is_empty() || k.split('.').any(str::is_empty) {
                    return Err(QueryError::bad_value(
                        "The $sort field is a dotted field but has an empty part: ".to_string() + k,
                    ));
                }
                if !matches!(integral(x), Some(1 | -1)) {
                    return Err(dir_err());
                }
            }
            Ok(PushSort::Fields(SortSpec::parse(d)?))
        }
        _ => Err(QueryError::bad_value(
            "The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort \
             embedded fields",
        )),
    }
}

fn is_number(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

const OPERATORS: &[&str] = &[
    "$set",
    "$unset",
    "$inc",
    "$mul",
    "$min",
    "$max",
    "$rename",
    "$currentDate",
    "$setOnInsert",
    "$push",
    "$addToSet",
    "$pop",
    "$pull",
    "$pullAll",
];

fn unknown_modifier(name: &str) -> QueryError {
    QueryError::failed_to_parse(format!(
        "Unknown modifier: {name}. Expected a valid update modifier or pipeline-style update \
         specified as an array"
    ))
}

impl OperatorUpdate {
    fn parse(d: &Document) -> Result<OperatorUpdate, QueryError> {
        let mut root = Node::default();
        let mut idents = Vec::new();
        for (op, arg) in d {
            let Some(&name) = OPERATORS.iter().find(|o| **o == op) else {
                if op == "$bit" {
                    return Err(QueryError::unsupported(
                        "the update operator $bit is not supported by argonctl",
                    ));
                }
                return Err(unknown_modifier(op));
            };
            let Bson::Document(fields) = arg else {
                return Err(QueryError::failed_to_parse(format!(
                    "Modifiers operate on fields but we found type {} instead. For example: \
                     {{$mod: {{<field>: ...}}}} not {{{}}}",
                    type_name(arg),
                    fmt_elem(op, arg)
                )));
            };
            for (field, val) in fields {
                let path = parse_update_path(field)?;
                for c in &path {
                    if c.starts_with("$[") && c != "$[]" {
                        idents.push((c[2..c.len() - 1].to_string(), field.clone()));
                    }
                }
                let leaf = |op: Op| Leaf {
                    op,
                    name,
                    path: field.clone(),
                };
                let op = match name {
                    "$set" => Op::Set(val.clone()),
                    "$setOnInsert" => Op::SetOnInsert(val.clone()),
                    "$unset" => Op::Unset,
                    "$inc" | "$mul" => {
                        if !is_number(val) {
                            return Err(QueryError::type_mismatch(format!(
                                "Cannot {} with non-numeric argument: {{{}}}",
                                if name == "$inc" {
                                    "increment"
                                } else {
                                    "multiply"
                                },
                                fmt_elem(field, val)
                            )));
                        }
                        if name == "$inc" {
                            Op::Inc(val.clone())
                        } else {
                            Op::Mul(val.clone())
                        }
                    }
                    "$min" => Op::Min(val.clone()),
                    "$max" => Op::Max(val.clone()),
                    "$currentDate" => Op::CurrentDate {
                        timestamp: parse_current_date(field, val)?,
                    },
                    "$push" => Op::Push(Box::new(parse_push(val)?)),
                    "$addToSet" => Op::AddToSet(parse_add_to_set(val)?),
                    "$pop" => {
                        let n = match val {
                            v if is_number(v) => integral(v),
                            _ => {
                                return Err(QueryError::failed_to_parse(format!(
                                    "Expected a number in: {}",
                                    fmt_elem(field, val)
                                )));
                            }
                        };
                        match n {
                            Some(1) => Op::Pop { first: false },
                            Some(-1) => Op::Pop { first: true },
                            _ => {
                                return Err(QueryError::failed_to_parse(format!(
                                    "$pop expects 1 or -1, found: {}",
                                    fmt_value(val)
                                )));
                            }
                        }
                    }
                    "$pull" => Op::Pull(Box::new(PullCond::parse(val)?)),
                    "$pullAll" => match val {
                        Bson::Array(a) => Op::PullAll(a.clone()),
                        other => {
                            return Err(QueryError::bad_value(format!(
                                "$pullAll requires an array argument but was given a {}",
                                type_name(other)
                            )));
                        }
                    },
                    "$rename" => {
                        let to = parse_rename(field, &path, val)?;
                        root.insert(&path, leaf(Op::RenameFrom))?;
                        let to_leaf = Leaf {
                            op: Op::RenameTo { from: path.clone() },
                            name,
                            path: to.join("."),
                        };
                        root.insert(&to, to_leaf)?;
                        continue;
                    }
                    _ => return Err(unknown_modifier(op)),
                };
                root.insert(&path, leaf(op))?;
            }
        }
        Ok(OperatorUpdate {
            root,
            spec: d.clone(),
            idents,
        })
    }

    fn apply(&self, doc: &Document, ctx: &UpdateContext) -> Result<Document, QueryError> {
        let filters = build_array_filters(&ctx.array_filters, &self.idents, &self.spec)?;
        let applier = Applier {
            ctx,
            original: doc,
            id: format!("{{{}}}", fmt_id(doc)),
            filters,
        };
        let mut out = doc.clone();
        applier.apply_doc(&self.root, &mut out, &mut Vec::new())?;
        if let Some(id) = doc.get("_id")
            && out.get("_id") != Some(id)
        {
            return Err(QueryError::immutable_field(
                "Performing an update on the path '_id' would modify the immutable field '_id'",
            ));
        }
        check_id_type(&out, ctx)?;
        if ctx.is_upsert_insert && out.contains_key("_id") {
            out = id_first(out);
        }
        Ok(out)
    }
}

fn parse_current_date(field: &str, v: &Bson) -> Result<bool, QueryError> {
    match v {
        Bson::Boolean(_) => Ok(false),
        Bson::Document(d) => {
            let mut ts = None;
            for (k, x) in d {
                if k != "$type" {
                    return Err(QueryError::bad_value(format!(
                        "Unrecognized $currentDate option: {k}"
                    )));
                }
                ts = match x {
                    Bson::String(s) if s == "date" => Some(false),
                    Bson::String(s) if s == "timestamp" => Some(true),
                    _ => {
                        return Err(QueryError::bad_value(
                            "The '$type' string field is required to be 'date' or 'timestamp': \
                             {$currentDate: {field : {$type: 'date'}}}",
                        ));
                    }
                };
            }
            ts.ok_or_else(|| {
                QueryError::bad_value(
                    "The only valid field of the option is '$type': {$currentDate: {field : \
                     {$type: 'date/timestamp'}}}",
                )
            })
        }
        _ => Err(QueryError::bad_value(format!(
            "{} is not valid type for $currentDate. Please use a boolean ('true') or a $type \
             expression ({{$type: 'timestamp/date'}}).",
            fmt_elem(field, v)
        ))),
    }
}

fn parse_add_to_set(v: &Bson) -> Result<Vec<Bson>, QueryError> {
    let Bson::Document(d) = v else {
        return Ok(vec![v.clone()]);
    };
    if d.keys().next().map(String::as_str) != Some("$each") {
        return Ok(vec![v.clone()]);
    }
    if d.len() > 1 {
        return Err(QueryError::bad_value(format!(
            "Found unexpected fields after $each in $addToSet: {}",
            fmt_doc(d)
        )));
    }
    match d.get("$each") {
        Some(Bson::Array(a)) => {
            let mut out: Vec<Bson> = Vec::with_capacity(a.len());
            for x in a {
                if !out.iter().any(|y| compare_bson(x, y) == Ordering::Equal) {
                    out.push(x.clone());
                }
            }
            Ok(out)
        }
        Some(other) => Err(QueryError::type_mismatch(format!(
            "The argument to $each in $addToSet must be an array but it was of type {}",
            type_name(other)
        ))),
        None => Ok(vec![v.clone()]),
    }
}

/// Validates a `$rename` and returns the target path.
fn parse_rename(field: &str, from: &[String], v: &Bson) -> Result<Vec<String>, QueryError> {
    let Bson::String(to) = v else {
        return Err(QueryError::bad_value(format!(
            "The 'to' field for $rename must be a string: {}",
            fmt_elem(field, v)
        )));
    };
    if from.iter().any(|c| c.starts_with('$')) {
        return Err(QueryError::bad_value(format!(
            "The source field for $rename may not be dynamic: {field}"
        )));
    }
    let to_path = parse_update_path(to)?;
    if to_path.iter().any(|c| c.starts_with('$')) {
        return Err(QueryError::bad_value(format!(
            "The destination field for $rename may not be dynamic: {to}"
        )));
    }
    if to_path.as_slice() == from {
        return Err(QueryError::bad_value(format!(
            "The source and target field for $rename must differ: {}",
            fmt_elem(field, v)
        )));
    }
    if to_path.starts_with(from) || from.starts_with(&to_path) {
        return Err(QueryError::bad_value(format!(
            "The source and target field for $rename must not be on the same path: {}",
            fmt_elem(field, v)
        )));
    }
    Ok(to_path)
}

// ---------------------------------------------------------------------------
// Array filters
// ---------------------------------------------------------------------------

fn build_array_filters(
    filters: &[Document],
    used: &[(String, String)],
    spec: &Document,
) -> Result<Vec<(String, Filter)>, QueryError> {
    let mut out: Vec<(String, Filter)> = Vec::new();
    for f in filters {
        let mut ident = None;
        let rewritten = rewrite_array_filter(f, &mut ident)?;
        let Some(ident) = ident else {
            return Err(QueryError::failed_to_parse(
                "Cannot use an expression without a top-level field name in arrayFilters",
            ));
        };
        if out.iter().any(|(i, _)| *i == ident) {
            return Err(QueryError::failed_to_parse(format!(
                "Found multiple array filters with the same top-level field name {ident}"
            )));
        }
        out.push((ident, Filter::parse(&rewritten)?));
    }
    for (ident, path) in used {
        if !out.iter().any(|(i, _)| i == ident) {
            return Err(QueryError::bad_value(format!(
                "No array filter found for identifier '{ident}' in path '{path}'"
            )));
        }
    }
    for (ident, _) in &out {
        if !used.iter().any(|(i, _)| i == ident) {
            return Err(QueryError::failed_to_parse(format!(
                "The array filter for identifier '{ident}' was not used in the update {}",
                fmt_doc(spec)
            )));
        }
    }
    Ok(out)
}

/// `{"x.a": cond}` → `{"ELEM.a": cond}` (and `x` → `ELEM`), through
/// `$and`/`$or`/`$nor`, checking there is a single identifier.
fn rewrite_array_filter(d: &Document, ident: &mut Option<String>) -> Result<Document, QueryError> {
    let mut out = Document::new();
    for (k, v) in d {
        if matches!(k.as_str(), "$and" | "$or" | "$nor") {
            let Bson::Array(items) = v else {
                out.insert(k.clone(), v.clone());
                continue;
            };
            let mut new = Vec::with_capacity(items.len());
            for i in items {
                new.push(match i {
                    Bson::Document(sub) => Bson::Document(rewrite_array_filter(sub, ident)?),
                    other => other.clone(),
                });
            }
            out.insert(k.clone(), new);
            continue;
        }
        if k.starts_with('$') {
            out.insert(k.clone(), v.clone());
            continue;
        }
        let (first, rest) = match k.split_once('.') {
            Some((f, r)) => (f, Some(r)),
            None => (k.as_str(), None),
        };
        if !valid_ident(first) {
            return Err(QueryError::bad_value(format!(
                "Error parsing array filter :: caused by :: The top-level field name must be an \
                 alphanumeric string beginning with a lowercase letter, found '{first}'"
            )));
        }
        match ident {
            Some(i) if i != first => {
                return Err(QueryError::failed_to_parse(format!(
                    "Error parsing array filter :: caused by :: Expected a single top-level field \
                     name, found '{i}' and '{first}'"
                )));
            }
            Some(_) => {}
            None => *ident = Some(first.to_string()),
        }
        let key = match rest {
            Some(r) => format!("{ELEM}.{r}"),
            None => ELEM.to_string(),
        };
        out.insert(key, v.clone());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Operator updates: applying
// ---------------------------------------------------------------------------

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Keep,
    Remove,
}

struct Applier<'a> {
    ctx: &'a UpdateContext,
    original: &'a Document,
    /// `{_id: 1}` for messages.
    id: String,
    filters: Vec<(String, Filter)>,
}

fn positional_not_found() -> QueryError {
    QueryError::bad_value("The positional operator did not find the match needed from the query.")
}

fn cannot_create(name: &str, parent: &str, v: &Bson) -> QueryError {
    QueryError::path_not_viable(format!(
        "Cannot create field '{name}' in element {{{}}}",
        fmt_elem(parent, v)
    ))
}

impl Applier<'_> {
    fn apply_doc(
        &self,
        node: &Node,
        doc: &mut Document,
        path: &mut Vec<String>,
    ) -> Result<(), QueryError> {
        for (name, child) in node.sorted_children() {
            if name.starts_with('$') {
                // Only reachable under a sub-document, never at the top.
                let parent = path.last().map(String::as_str).unwrap_or("");
                if name == "$" {
                    return Err(positional_not_found());
                }
                return Err(QueryError::bad_value(format!(
                    "Cannot apply array updates to non-array element {}",
                    fmt_elem(parent, &Bson::Document(doc.clone()))
                )));
            }
            path.push(name.clone());
            let outcome = match doc.get_mut(name) {
                Some(v) => self.apply_existing(child, v, path)?,
                None => {
                    if let Some(v) = self.apply_missing(child, path)? {
                        doc.insert(name.clone(), v);
                    }
                    Outcome::Keep
                }
            };
            if outcome == Outcome::Remove {
                doc.remove(name);
            }
            path.pop();
        }
        Ok(())
    }

    fn apply_array(
        &self,
        node: &Node,
        arr: &mut Vec<Bson>,
        path: &mut Vec<String>,
    ) -> Result<(), QueryError> {
        let arr_name = path.last().cloned().unwrap_or_default();
        for (name, child) in node.sorted_children() {
            let indices: Vec<usize> = if name == "$" {
                vec![self.positional(path)?]
            } else if name == "$[]" {
                (0..arr.len()).collect()
            } else if let Some(ident) = name.strip_prefix("$[").and_then(|s| s.strip_suffix(']')) {
                let Some((_, f)) = self.filters.iter().find(|(i, _)| i == ident) else {
                    return Err(QueryError::bad_value(format!(
                        "No array filter found for identifier '{ident}'"
                    )));
                };
                (0..arr.len())
                    .filter(|&i| f.matches(&doc! { ELEM: arr[i].clone() }))
                    .collect()
            } else if let Some(i) = parse_index(name) {
                vec![i]
            } else if child.creates() {
                return Err(cannot_create(name, &arr_name, &Bson::Array(arr.clone())));
            } else {
                continue;
            };
            for i in indices {
                path.push(i.to_string());
                if i < arr.len() {
                    if self.apply_existing(child, &mut arr[i], path)? == Outcome::Remove {
                        // $unset of an array element leaves a null in its place.
                        arr[i] = Bson::Null;
                    }
                } else if let Some(v) = self.apply_missing(child, path)? {
                    if i - arr.len() > 1_500_000 {
                        return Err(QueryError::cannot_backfill_array(
                            "can't backfill more than 1500000 elements",
                        ));
                    }
                    arr.resize(i, Bson::Null);
                    arr.push(v);
                }
                path.pop();
            }
        }
        Ok(())
    }

    /// The array index the positional `$` after `path` stands for.
    fn positional(&self, path: &[String]) -> Result<usize, QueryError> {
        let Some(query) = &self.ctx.query else {
            return Err(positional_not_found());
        };
        if self.ctx.is_upsert_insert {
            return Err(positional_not_found());
        }
        super::projection::positional_index(query, self.original, path)?
            .ok_or_else(positional_not_found)
    }

    fn apply_existing(
        &self,
        child: &Node,
        v: &mut Bson,
        path: &mut Vec<String>,
    ) -> Result<Outcome, QueryError> {
        if let Some(leaf) = &child.leaf {
            return self.leaf_existing(leaf, v, path);
        }
        match v {
            Bson::Document(d) => self.apply_doc(child, d, path)?,
            Bson::Array(a) => self.apply_array(child, a, path)?,
            other => {
                let name = path.last().map(String::as_str).unwrap_or("");
                for (n, c) in child.sorted_children() {
                    if n == "$" {
                        return Err(positional_not_found());
                    }
                    if n.starts_with("$[") {
                        return Err(QueryError::bad_value(format!(
                            "Cannot apply array updates to non-array element {}",
                            fmt_elem(name, other)
                        )));
                    }
                    if c.creates() {
                        return Err(cannot_create(n, name, other));
                    }
                }
            }
        }
        Ok(Outcome::Keep)
    }

    fn apply_missing(
        &self,
        child: &Node,
        path: &mut Vec<String>,
    ) -> Result<Option<Bson>, QueryError> {
        if let Some(leaf) = &child.leaf {
            return self.leaf_missing(leaf);
        }
        for (n, _) in &child.children {
            if n == "$" {
                return Err(positional_not_found());
            }
            if n.starts_with("$[") {
                return Err(QueryError::bad_value(format!(
                    "The path '{}' must exist in the document in order to apply array updates.",
                    path.join(".")
                )));
            }
        }
        if !child.creates() {
            return Ok(None);
        }
        let mut d = Document::new();
        self.apply_doc(child, &mut d, path)?;
        Ok((!d.is_empty()).then_some(Bson::Document(d)))
    }

    fn now_value(&self, timestamp: bool) -> Bson {
        if timestamp {
            let secs = self.ctx.now.timestamp_millis().div_euclid(1000);
            Bson::Timestamp(bson::Timestamp {
                time: u32::try_from(secs).unwrap_or(0),
                increment: 1,
            })
        } else {
            Bson::DateTime(self.ctx.now)
        }
    }

    fn leaf_existing(
        &self,
        leaf: &Leaf,
        v: &mut Bson,
        path: &[String],
    ) -> Result<Outcome, QueryError> {
        let name = path.last().map(String::as_str).unwrap_or("");
        match &leaf.op {
            Op::Set(x) => *v = x.clone(),
            Op::SetOnInsert(x) => {
                if self.ctx.is_upsert_insert {
                    *v = x.clone();
                }
            }
            Op::Unset | Op::RenameFrom => return Ok(Outcome::Remove),
            Op::Inc(x) | Op::Mul(x) => {
                let mul = matches!(leaf.op, Op::Mul(_));
                if !is_number(v) {
                    return Err(QueryError::type_mismatch(format!(
                        "Cannot apply {} to a value of non-numeric type. {} has the field '{name}' \
                         of non-numeric type {}",
                        leaf.name,
                        self.id,
                        type_name(v)
                    )));
                }
                let op = if mul { ArithOp::Mul } else { ArithOp::Add };
                match arith(v, x, op) {
                    Some(r) => *v = r,
                    None => {
                        return Err(QueryError::bad_value(format!(
                            "Failed to apply {} operations to current value ({}) for document {}",
                            leaf.name,
                            debug_string(v),
                            self.id
                        )));
                    }
                }
            }
            Op::Min(x) => {
                if compare_bson(x, v) == Ordering::Less {
                    *v = x.clone();
                }
            }
            Op::Max(x) => {
                if compare_bson(x, v) == Ordering::Greater {
                    *v = x.clone();
                }
            }
            Op::CurrentDate { timestamp } => *v = self.now_value(*timestamp),
            Op::Push(spec) => {
                let Bson::Array(a) = v else {
                    return Err(QueryError::bad_value(format!(
                        "The field '{name}' must be an array but is of type {} in document {}",
                        type_name(v),
                        self.id
                    )));
                };
                push_into(a, spec);
            }
            Op::AddToSet(xs) => {
                let Bson::Array(a) = v else {
                    return Err(QueryError::bad_value(format!(
                        "Cannot apply $addToSet to non-array field. Field named '{name}' has \
                         non-array type {}",
                        type_name(v)
                    )));
                };
                for x in xs {
                    if !a.iter().any(|e| compare_bson(e, x) == Ordering::Equal) {
                        a.push(x.clone());
                    }
                }
            }
            Op::Pop { first } => {
                let Bson::Array(a) = v else {
                    return Err(QueryError::type_mismatch(format!(
                        "Path '{}' contains an element of non-array type '{}'",
                        path.join("."),
                        type_name(v)
                    )));
                };
                if !a.is_empty() {
                    if *first {
                        a.remove(0);
                    } else {
                        a.pop();
                    }
                }
            }
            Op::Pull(cond) => {
                let Bson::Array(a) = v else {
                    return Err(QueryError::bad_value(
                        "Cannot apply $pull to a non-array value",
                    ));
                };
                a.retain(|e| !cond.matches(e));
            }
            Op::PullAll(xs) => {
                let Bson::Array(a) = v else {
                    return Err(QueryError::bad_value(
                        "Cannot apply $pull to a non-array value",
                    ));
                };
                a.retain(|e| !xs.iter().any(|x| compare_bson(e, x) == Ordering::Equal));
            }
            Op::RenameTo { from } => {
                if let Some(x) = self.rename_source(from, path)? {
                    *v = x;
                }
            }
        }
        Ok(Outcome::Keep)
    }

    fn leaf_missing(&self, leaf: &Leaf) -> Result<Option<Bson>, QueryError> {
        Ok(match &leaf.op {
            Op::Set(x) | Op::Inc(x) | Op::Min(x) | Op::Max(x) => Some(x.clone()),
            Op::SetOnInsert(x) => self.ctx.is_upsert_insert.then(|| x.clone()),
            Op::Mul(x) => arith(&Bson::Int32(0), x, ArithOp::Mul),
            Op::CurrentDate { timestamp } => Some(self.now_value(*timestamp)),
            Op::Push(spec) => {
                let mut a = Vec::new();
                push_into(&mut a, spec);
                Some(Bson::Array(a))
            }
            Op::AddToSet(xs) => Some(Bson::Array(xs.clone())),
            Op::RenameTo { from } => {
                let to: Vec<String> = leaf.path.split('.').map(str::to_string).collect();
                self.rename_source(from, &to)?
            }
            Op::Unset | Op::RenameFrom | Op::Pop { .. } | Op::Pull(_) | Op::PullAll(_) => None,
        })
    }

    /// The value `$rename` moves: the one at `from` in the original
    /// document (which no other operator of the update may touch).
    fn rename_source(&self, from: &[String], to: &[String]) -> Result<Option<Bson>, QueryError> {
        let array_err = |which: &str, path: &[String], at: &str| {
            QueryError::bad_value(format!(
                "The {which} field cannot be an array element, '{}' in doc with {} has an array \
                 field called '{at}'",
                path.join("."),
                fmt_id(self.original)
            ))
        };
        let mut cur = self.original;
        let mut found = None;
        for (i, comp) in from.iter().enumerate() {
            match cur.get(comp) {
                None => return Ok(None),
                Some(v) if i + 1 == from.len() => found = Some(v.clone()),
                Some(Bson::Document(d)) => cur = d,
                Some(Bson::Array(_)) => return Err(array_err("source", from, comp)),
                Some(_) => return Ok(None),
            }
        }
        let mut cur = self.original;
        for comp in to.iter().take(to.len().saturating_sub(1)) {
            match cur.get(comp) {
                Some(Bson::Document(d)) => cur = d,
                Some(Bson::Array(_)) => return Err(array_err("destination", to, comp)),
                _ => break,
            }
        }
        Ok(found)
    }
}

/// mongod's `SafeNum::debugString()`: `(NumberLong)9223372036854775807`.
fn debug_string(v: &Bson) -> String {
    match v {
        Bson::Int32(i) => format!("(NumberInt){i}"),
        Bson::Int64(i) => format!("(NumberLong){i}"),
        Bson::Double(f) => format!("(NumberDouble){f}"),
        Bson::Decimal128(d) => format!("(NumberDecimal){d}"),
        other => fmt_value(other),
    }
}

fn push_into(a: &mut Vec<Bson>, spec: &PushSpec) {
    let at = match spec.position {
        None => a.len(),
        Some(p) if p >= 0 => usize::try_from(p).unwrap_or(usize::MAX).min(a.len()),
        Some(p) => a
            .len()
            .saturating_sub(usize::try_from(p.unsigned_abs()).unwrap_or(usize::MAX)),
    };
    a.splice(at..at, spec.each.iter().cloned());
    match &spec.sort {
        Some(PushSort::Whole(asc)) => a.sort_by(|x, y| {
            let o = compare_bson(x, y);
            if *asc { o } else { o.reverse() }
        }),
        Some(PushSort::Fields(s)) => {
            let empty = Document::new();
            let as_doc = |b: &Bson| match b {
                Bson::Document(d) => d.clone(),
                _ => empty.clone(),
            };
            a.sort_by(|x, y| s.compare(&as_doc(x), &as_doc(y)));
        }
        None => {}
    }
    if let Some(n) = spec.slice {
        let n_abs = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
        if n >= 0 {
            a.truncate(n_abs);
        } else if a.len() > n_abs {
            a.drain(..a.len() - n_abs);
        }
    }
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
}

fn to_f64(v: &Bson) -> f64 {
    match v {
        Bson::Int32(i) => f64::from(*i),
        Bson::Int64(i) => *i as f64,
        Bson::Double(f) => *f,
        Bson::Decimal128(d) => d.to_string().parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    }
}

fn to_i64(v: &Bson) -> i64 {
    match v {
        Bson::Int32(i) => i64::from(*i),
        Bson::Int64(i) => *i,
        _ => 0,
    }
}

fn to_dec(v: &Bson) -> Dec {
    match v {
        Bson::Int32(i) => Dec::from_i64(i64::from(*i)),
        Bson::Int64(i) => Dec::from_i64(*i),
        Bson::Double(f) => Dec::from_f64(*f),
        Bson::Decimal128(d) => Dec::decode(d),
        _ => Dec::NaN,
    }
}

/// `a op b` with mongod's `SafeNum` typing. `None` for a long overflow or
/// a non-numeric operand.
fn arith(a: &Bson, b: &Bson, op: ArithOp) -> Option<Bson> {
    if !is_number(a) || !is_number(b) {
        return None;
    }
    if matches!(a, Bson::Decimal128(_)) || matches!(b, Bson::Decimal128(_)) {
        let (x, y) = (to_dec(a), to_dec(b));
        let r = match op {
            ArithOp::Add => x.add(y),
            ArithOp::Sub => x.add(y.neg()),
            ArithOp::Mul => x.mul(y),
        };
        return Some(Bson::Decimal128(r.encode()));
    }
    if matches!(a, Bson::Double(_)) || matches!(b, Bson::Double(_)) {
        let (x, y) = (to_f64(a), to_f64(b));
        return Some(Bson::Double(match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
        }));
    }
    let (x, y) = (to_i64(a), to_i64(b));
    let r = match op {
        ArithOp::Add => x.checked_add(y),
        ArithOp::Sub => x.checked_sub(y),
        ArithOp::Mul => x.checked_mul(y),
    }?;
    if let (Bson::Int32(_), Bson::Int32(_)) = (a, b)
        && let Ok(small) = i32::try_from(r)
    {
        return Some(Bson::Int32(small));
    }
    Some(Bson::Int64(r))
}

/// Aggregation arithmetic: like [`arith`] but a long overflow gives a
/// double.
pub(crate) fn agg_arith(a: &Bson, b: &Bson, op: ArithOp) -> Bson {
    arith(a, b, op).unwrap_or_else(|| {
        let (x, y) = (to_f64(a), to_f64(b));
        Bson::Double(match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
        })
    })
}

/// A decoded Decimal128: `(-1)^neg × coeff × 10^exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dec {
    NaN,
    Inf(bool),
    Fin { neg: bool, coeff: u128, exp: i32 },
}

const DEC_MAX_COEFF: u128 = 9_999_999_999_999_999_999_999_999_999_999_999; // 10^34 - 1
const DEC_BIAS: i32 = 6176;
const DEC_MAX_EXP: i32 = 6111;
const DEC_MIN_EXP: i32 = -6176;

impl Dec {
    fn decode(d: &Decimal128) -> Dec {
        let x = u128::from_le_bytes(d.bytes());
        let neg = x >> 127 == 1;
        let comb = (x >> 122) & 0x1F;
        if comb == 0x1F {
            return Dec::NaN;
        }
        if comb == 0x1E {
            return Dec::Inf(neg);
        }
        let (exp_bits, coeff) = if (x >> 125) & 0b11 == 0b11 {
            // Coefficient ≥ 2^113 > 10^34 - 1: non-canonical, read as 0.
            ((x >> 111) & 0x3FFF, 0)
        } else {
            ((x >> 113) & 0x3FFF, x & ((1u128 << 113) - 1))
        };
        let coeff = if coeff > DEC_MAX_COEFF { 0 } else { coeff };
        Dec::Fin {
            neg,
            coeff,
            exp: exp_bits as i32 - DEC_BIAS,
        }
    }

    fn encode(self) -> Decimal128 {
        let x: u128 = match self {
            Dec::NaN => 0x7C << 120,
            Dec::Inf(neg) => (0x78 << 120) | (u128::from(neg) << 127),
            Dec::Fin { neg, coeff, exp } => {
                (u128::from(neg) << 127) | (((exp + DEC_BIAS) as u128) << 113) | coeff
            }
        };
        Decimal128::from_bytes(x.to_le_bytes())
    }

    fn from_i64(i: i64) -> Dec {
        Dec::Fin {
            neg: i < 0,
            coeff: u128::from(i.unsigned_abs()),
            exp: 0,
        }
    }

    /// mongod's `Decimal128(double)`: rounded to 15 significant digits.
    fn from_f64(f: f64) -> Dec {
        if f.is_nan() {
            return Dec::NaN;
        }
        if f.is_infinite() {
            return Dec::Inf(f < 0.0);
        }
        if f == 0.0 {
            return Dec::Fin {
                neg: f.is_sign_negative(),
                coeff: 0,
                exp: 0,
            };
        }
        let s = format!("{:.14e}", f.abs());
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let coeff = m.replace('.', "").parse::<u128>().unwrap_or(0);
        let exp = e.parse::<i32>().unwrap_or(0) - 14;
        Dec::Fin {
            neg: f < 0.0,
            coeff,
            exp,
        }
    }

    /// A double by the shortest digits that read back as it (at most 17),
    /// so no rounding to 34 digits is needed.
    fn from_f64_shortest(f: f64) -> Dec {
        if !f.is_finite() || f == 0.0 {
            return Dec::from_f64(f);
        }
        // `{:e}` prints the shortest round-trip form, e.g. `1.5e0`.
        let s = format!("{:e}", f.abs());
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let frac_digits = m.split_once('.').map_or(0, |(_, frac)| frac.len() as i32);
        let coeff = m.replace('.', "").parse::<u128>().unwrap_or(0);
        let exp = e.parse::<i32>().unwrap_or(0) - frac_digits;
        round_dec(f < 0.0, U256::from_u128(coeff), exp)
    }

    /// `self / n` for a count `n >= 1`, as decimal128 division: an exact
    /// quotient takes the exponent closest to the dividend's (IEEE's ideal
    /// exponent, the divisor's being 0), an inexact one 34 digits.
    fn div_count(self, n: u64) -> Dec {
        let Dec::Fin { neg, coeff, exp } = self else {
            return self;
        };
        if coeff == 0 || n == 0 {
            return if n == 0 { Dec::NaN } else { self };
        }
        // Scale the coefficient to 74 digits (10^75 < 2^256 leaves room
        // for the sticky digit below), so that the quotient has well over
        // 34 digits even for the largest n.
        let digits = coeff.ilog10() + 1;
        let k = 74 - digits;
        let (mut q, r) = U256::from_u128(coeff).mul_pow10(k).divrem_small(n);
        let mut e = exp - k as i32;
        if r != 0 {
            // Inexact: a nonzero sticky digit keeps round-half-even right.
            q = q.mul_pow10(1).add(U256::from_u128(1));
            return round_dec(neg, q, e - 1);
        }
        while e < exp {
            let (q10, r10) = q.divrem_small(10);
            if r10 != 0 {
                break;
            }
            q = q10;
            e += 1;
        }
        round_dec(neg, q, e)
    }

    fn neg(self) -> Dec {
        match self {
            Dec::NaN => Dec::NaN,
            Dec::Inf(n) => Dec::Inf(!n),
            Dec::Fin { neg, coeff, exp } => Dec::Fin {
                neg: !neg,
                coeff,
                exp,
            },
        }
    }

    fn add(self, other: Dec) -> Dec {
        let (
            Dec::Fin {
                neg: an,
                coeff: ac,
                exp: ae,
            },
            Dec::Fin {
                neg: bn,
                coeff: bc,
                exp: be,
            },
        ) = (self, other)
        else {
            return match (self, other) {
                (Dec::NaN, _) | (_, Dec::NaN) => Dec::NaN,
                (Dec::Inf(x), Dec::Inf(y)) if x != y => Dec::NaN,
                (Dec::Inf(x), _) | (_, Dec::Inf(x)) => Dec::Inf(x),
                _ => Dec::NaN,
            };
        };
        // hi: the operand with the larger exponent.
        let ((hn, hc, he), (ln, lc, le)) = if ae >= be {
            ((an, ac, ae), (bn, bc, be))
        } else {
            ((bn, bc, be), (an, ac, ae))
        };
        let mut d = (he - le) as u32;
        let mut big = U256::from_u128(hc);
        let mut e = he;
        // Scale hi down toward lo's exponent, up to 40 digits (≤ 74 digits).
        let k = d.min(40);
        big = big.mul_pow10(k);
        e -= k as i32;
        d -= k;
        let small = if d == 0 {
            U256::from_u128(lc)
        } else if hc == 0 {
            // hi is a zero far above lo: the sum is lo.
            return round_dec(ln, U256::from_u128(lc), le);
        } else {
            // lo lies entirely below hi's last digit: keep one guard digit
            // and a sticky digit so that rounding stays correct.
            big = big.mul_pow10(1);
            e -= 1;
            let shift = d - 1;
            let (q, rem_nonzero) = if shift > 38 {
                (0u128, lc != 0)
            } else {
                let p = 10u128.pow(shift);
                (lc / p, lc % p != 0)
            };
            let q = if rem_nonzero && q % 10 == 0 { q + 1 } else { q };
            U256::from_u128(q)
        };
        if hn == ln {
            return round_dec(hn, big.add(small), e);
        }
        match big.cmp(&small) {
            Ordering::Greater => round_dec(hn, big.sub(small), e),
            Ordering::Less => round_dec(ln, small.sub(big), e),
            Ordering::Equal => round_dec(false, U256::ZERO, e),
        }
    }

    fn mul(self, other: Dec) -> Dec {
        match (self, other) {
            (Dec::NaN, _) | (_, Dec::NaN) => Dec::NaN,
            (Dec::Inf(_), Dec::Fin { coeff: 0, .. }) | (Dec::Fin { coeff: 0, .. }, Dec::Inf(_)) => {
                Dec::NaN
            }
            (Dec::Inf(x), Dec::Inf(y)) => Dec::Inf(x != y),
            (Dec::Inf(x), Dec::Fin { neg, .. }) | (Dec::Fin { neg, .. }, Dec::Inf(x)) => {
                Dec::Inf(x != neg)
            }
            (
                Dec::Fin {
                    neg: an,
                    coeff: ac,
                    exp: ae,
                },
                Dec::Fin {
                    neg: bn,
                    coeff: bc,
                    exp: be,
                },
            ) => round_dec(an != bn, U256::mul_u128(ac, bc), ae + be),
        }
    }
}

/// Rounds an exact `(-1)^neg × c × 10^exp` to decimal128 (34 digits,
/// round-half-even, exponent range clamped).
fn round_dec(neg: bool, mut c: U256, mut exp: i32) -> Dec {
    let limit = U256::from_u128(DEC_MAX_COEFF);
    let mut rem = 0u64;
    let mut sticky = false;
    while c.cmp(&limit) == Ordering::Greater || exp < DEC_MIN_EXP {
        sticky |= rem != 0;
        let (q, r) = c.divrem_small(10);
        c = q;
        rem = r;
        exp += 1;
    }
    let mut cc = c.to_u128();
    if rem > 5 || (rem == 5 && (sticky || cc % 2 == 1)) {
        cc += 1;
        if cc > DEC_MAX_COEFF {
            cc /= 10;
            exp += 1;
        }
    }
    if exp > DEC_MAX_EXP {
        while exp > DEC_MAX_EXP && cc != 0 && cc * 10 <= DEC_MAX_COEFF {
            cc *= 10;
            exp -= 1;
        }
        if cc == 0 {
            exp = DEC_MAX_EXP;
        } else if exp > DEC_MAX_EXP {
            return Dec::Inf(neg);
        }
    }
    Dec::Fin {
        neg,
        coeff: cc,
        exp,
    }
}

/// A 256-bit unsigned integer (little-endian limbs), enough for decimal128
/// products and aligned sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct U256([u64; 4]);

impl U256 {
    const ZERO: U256 = U256([0; 4]);

    fn from_u128(x: u128) -> U256 {
        U256([x as u64, (x >> 64) as u64, 0, 0])
    }

    fn to_u128(self) -> u128 {
        u128::from(self.0[0]) | (u128::from(self.0[1]) << 64)
    }

    fn add_at(&mut self, mut pos: usize, v: u128) {
        let mut carry = v;
        while carry != 0 && pos < 4 {
            let s = u128::from(self.0[pos]) + (carry & u128::from(u64::MAX));
            self.0[pos] = s as u64;
            carry = (carry >> 64) + (s >> 64);
            pos += 1;
        }
    }

    fn mul_u128(a: u128, b: u128) -> U256 {
        let a = [a as u64, (a >> 64) as u64];
        let b = [b as u64, (b >> 64) as u64];
        let mut r = U256::ZERO;
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                r.add_at(i + j, u128::from(*x) * u128::from(*y));
            }
        }
        r
    }

    /// `self × 10^k`; callers keep the result below 2^256.
    fn mul_pow10(mut self, k: u32) -> U256 {
        for _ in 0..k {
            let mut carry = 0u128;
            for limb in self.0.iter_mut() {
                let p = u128::from(*limb) * 10 + carry;
                *limb = p as u64;
                carry = p >> 64;
            }
        }
        self
    }

    fn add(mut self, o: U256) -> U256 {
        for (i, limb) in o.0.iter().enumerate() {
            self.add_at(i, u128::from(*limb));
        }
        self
    }

    /// `self - o`, for `self >= o`.
    fn sub(mut self, o: U256) -> U256 {
        let mut borrow = 0u64;
        for i in 0..4 {
            let (d1, b1) = self.0[i].overflowing_sub(o.0[i]);
            let (d2, b2) = d1.overflowing_sub(borrow);
            self.0[i] = d2;
            borrow = u64::from(b1 || b2);
        }
        self
    }

    fn divrem_small(self, d: u64) -> (U256, u64) {
        let mut out = U256::ZERO;
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let cur = (rem << 64) | u128::from(self.0[i]);
            out.0[i] = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        (out, rem as u64)
    }

    fn cmp(&self, o: &U256) -> Ordering {
        self.0.iter().rev().cmp(o.0.iter().rev())
    }
}

// ---------------------------------------------------------------------------
// Pipeline updates
// ---------------------------------------------------------------------------

enum Stage {
    /// `$set` / `$addFields` whose expressions are operands only.
    Computed(Box<ComputedFields>),
    /// `$project` / `$unset`.
    Project(Box<Projection>),
    /// `$replaceRoot` / `$replaceWith`.
    ReplaceRoot(expr::Expr),
}

/// Stages valid in an aggregation pipeline but not in an update.
const OTHER_STAGES: &[&str] = &[
    "$match",
    "$group",
    "$sort",
    "$limit",
    "$skip",
    "$lookup",
    "$unwind",
    "$count",
    "$facet",
    "$bucket",
    "$bucketAuto",
    "$sample",
    "$out",
    "$merge",
    "$geoNear",
    "$graphLookup",
    "$sortByCount",
    "$redact",
    "$densify",
    "$fill",
    "$setWindowFields",
    "$unionWith",
    "$documents",
    "$collStats",
    "$indexStats",
    "$search",
    "$changeStream",
];

impl Stage {
    fn parse(d: &Document) -> Result<Stage, QueryError> {
        let mut it = d.iter();
        let (Some((name, arg)), None) = (it.next(), it.next()) else {
            return Err(QueryError::location(
                40323,
                "A pipeline stage specification object must contain exactly one field.",
            ));
        };
        match name.as_str() {
            "$set" | "$addFields" => {
                let Bson::Document(spec) = arg else {
                    return Err(QueryError::location(
                        40272,
                        format!(
                            "{name} specification stage must be an object, got {}",
                            type_name(arg)
                        ),
                    ));
                };
                Ok(Stage::Computed(Box::new(ComputedFields::parse(
                    spec,
                    &mut ExprParseCtx::default(),
                )?)))
            }
            "$unset" => {
                let names: Vec<&Bson> = match arg {
                    Bson::String(_) => vec![arg],
                    Bson::Array(a) if !a.is_empty() => a.iter().collect(),
                    _ => {
                        return Err(QueryError::location(
                            31002,
                            "$unset specification must be a string or an array containing at \
                             least one field",
                        ));
                    }
                };
                let mut spec = Document::new();
                for n in names {
                    let Bson::String(s) = n else {
                        return Err(QueryError::location(
                            31120,
                            "$unset specification must be a string or an array containing only \
                             string values",
                        ));
                    };
                    spec.insert(s.clone(), 0);
                }
                Ok(Stage::Project(Box::new(Projection::parse_aggregation(
                    &spec,
                    &ExprParseCtx::default(),
                )?)))
            }
            "$project" => {
                let Bson::Document(spec) = arg else {
                    return Err(QueryError::new(
                        15969,
                        "Location15969",
                        "$project specification must be an object",
                    ));
                };
                Ok(Stage::Project(Box::new(Projection::parse_aggregation(
                    spec,
                    &ExprParseCtx::default(),
                )?)))
            }
            "$replaceRoot" => {
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
                    root = Some(expr::Expr::parse(v, &mut ExprParseCtx::default())?);
                }
                root.map(Stage::ReplaceRoot).ok_or_else(|| {
                    QueryError::location(40231, "no newRoot specified for the $replaceRoot stage")
                })
            }
            "$replaceWith" => Ok(Stage::ReplaceRoot(expr::Expr::parse(
                arg,
                &mut ExprParseCtx::default(),
            )?)),
            n if OTHER_STAGES.contains(&n) => Err(QueryError::invalid_options(format!(
                "{n} is not allowed to be used within an update"
            ))),
            n => Err(QueryError::location(
                40324,
                format!("Unrecognized pipeline stage name: '{n}'"),
            )),
        }
    }

    fn apply(&self, doc: &Document, ctx: &UpdateContext) -> Result<Document, QueryError> {
        let env = expr::Env {
            now: ctx.now,
            ..expr::Env::default()
        };
        match self {
            Stage::Computed(c) => c.apply(doc, &mut EvalCtx::new(doc, &env)),
            Stage::Project(p) => p.apply(doc, None),
            Stage::ReplaceRoot(e) => match e.eval_doc(doc, &env)? {
                Some(Bson::Document(d)) => Ok(d),
                other => {
                    let (v, t) = describe_value(other.as_ref());
                    Err(QueryError::location(
                        40228,
                        format!(
                            "'replacement document' must evaluate to an object, but resulting \
                             value was: {v}. Type of resulting value: '{t}'. Input document: {}",
                            fmt_doc(doc)
                        ),
                    ))
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{Timestamp, doc};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn now() -> bson::DateTime {
        bson::DateTime::from_millis(1_700_000_000_123)
    }

    fn ctx() -> UpdateContext {
        UpdateContext::new(now())
    }

    fn parse(u: Document) -> Update {
        Update::parse(&Bson::Document(u)).expect("update parses")
    }

    fn up_with(u: Document, d: Document, cx: &UpdateContext) -> Document {
        parse(u).apply(&d, cx).expect("update applies")
    }

    fn up(u: Document, d: Document) -> Document {
        up_with(u, d, &ctx())
    }

    fn up_err_with(u: Bson, d: Document, cx: &UpdateContext) -> QueryError {
        match Update::parse(&u) {
            Err(e) => e,
            Ok(p) => p.apply(&d, cx).expect_err("update fails"),
        }
    }

    fn up_err(u: Document, d: Document) -> QueryError {
        up_err_with(Bson::Document(u), d, &ctx())
    }

    fn pipe(stages: Vec<Document>, d: Document) -> Result<Document, QueryError> {
        let u = Bson::Array(stages.into_iter().map(Bson::Document).collect());
        Update::parse(&u)?.apply(&d, &ctx())
    }

    fn dec(s: &str) -> Decimal128 {
        Decimal128::from_str(s).expect("valid decimal literal")
    }

    fn dv(s: &str) -> Bson {
        Bson::Decimal128(dec(s))
    }

    /// Decimal equality by coefficient and exponent (cohort-exact).
    fn assert_dec(v: &Bson, expected: &str) {
        let Bson::Decimal128(got) = v else {
            panic!("expected a decimal, got {v:?}");
        };
        assert_eq!(
            Dec::decode(got),
            Dec::decode(&dec(expected)),
            "{got} vs {expected}"
        );
    }

    fn keys(d: &Document) -> Vec<&str> {
        d.keys().map(String::as_str).collect()
    }

    // ----- $set --------------------------------------------------------------

    fn product() -> Document {
        doc! {
            "_id": 100, "quantity": 250, "instock": true, "reorder": false,
            "details": {"model": "14QQ", "make": "Clothes Corp"},
            "tags": ["apparel", "clothing"],
            "ratings": [{"by": "Customer007", "rating": 4}]
        }
    }

    #[test]
    fn set_top_level_fields_keeps_positions() {
        // docs: $set "Set Top-Level Fields"
        let got = up(
            doc! {"$set": {
                "quantity": 500,
                "details": {"model": "2600", "make": "Fashionaires"},
                "tags": ["coats", "outerwear", "clothing"]
            }},
            product(),
        );
        assert_eq!(
            got,
            doc! {
                "_id": 100, "quantity": 500, "instock": true, "reorder": false,
                "details": {"model": "2600", "make": "Fashionaires"},
                "tags": ["coats", "outerwear", "clothing"],
                "ratings": [{"by": "Customer007", "rating": 4}]
            }
        );
    }

    #[test]
    fn set_embedded_and_array_elements() {
        // docs: "Set Fields in Embedded Documents" and "Set Elements in Arrays"
        let got = up(doc! {"$set": {"details.make": "Kustom Kidz"}}, product());
        assert_eq!(
            got.get_document("details").unwrap(),
            &doc! {"model": "14QQ", "make": "Kustom Kidz"}
        );
        let got = up(
            doc! {"$set": {"tags.1": "rain gear", "ratings.0.rating": 2}},
            product(),
        );
        assert_eq!(
            got.get_array("tags").unwrap(),
            &vec![Bson::from("apparel"), Bson::from("rain gear")]
        );
        assert_eq!(
            got.get_array("ratings").unwrap(),
            &vec![Bson::Document(doc! {"by": "Customer007", "rating": 2})]
        );
    }

    #[test]
    fn new_fields_are_appended_in_field_name_order() {
        // mongod >= 5.0 applies fields in lexicographic order (numeric
        // names numerically), across operators.
        let got = up(
            doc! {"$set": {"c": 1, "b": 1, "a.x": 1}, "$inc": {"bb": 1}},
            doc! {"_id": 1, "z": 0},
        );
        assert_eq!(keys(&got), ["_id", "z", "a", "b", "bb", "c"]);
        let got = up(doc! {"$set": {"a.10": 1, "a.2": 2}}, doc! {"_id": 1});
        assert_eq!(got, doc! {"_id": 1, "a": {"2": 2, "10": 1}});
        // Existing fields keep their position.
        let got = up(
            doc! {"$set": {"a": 9, "n": 1}},
            doc! {"b": 1, "a": 1, "c": 1},
        );
        assert_eq!(keys(&got), ["b", "a", "c", "n"]);
    }

    #[test]
    fn set_creates_documents_and_pads_arrays() {
        let got = up(doc! {"$set": {"a.b.c": 1}}, doc! {"_id": 1});
        assert_eq!(got, doc! {"_id": 1, "a": {"b": {"c": 1}}});
        let got = up(doc! {"$set": {"a.3": 5}}, doc! {"_id": 1, "a": [1]});
        assert_eq!(got, doc! {"_id": 1, "a": [1, Bson::Null, Bson::Null, 5]});
        let got = up(doc! {"$set": {"a.2.b": 5}}, doc! {"_id": 1, "a": [1]});
        assert_eq!(got, doc! {"_id": 1, "a": [1, Bson::Null, {"b": 5}]});
        // A numeric component on a document is a field name.
        let got = up(doc! {"$set": {"a.0": 5}}, doc! {"_id": 1, "a": {"x": 1}});
        assert_eq!(got, doc! {"_id": 1, "a": {"x": 1, "0": 5}});
        // Empty operator documents are no-ops (mongod >= 5.0).
        let got = up(doc! {"$set": {}}, doc! {"_id": 1});
        assert_eq!(got, doc! {"_id": 1});
    }

    #[test]
    fn path_not_viable() {
        let e = up_err(doc! {"$set": {"a.b": 1}}, doc! {"_id": 1, "a": 5});
        assert_eq!((e.code, e.code_name), (28, "PathNotViable"));
        assert_eq!(e.message, "Cannot create field 'b' in element {a: 5}");
        let e = up_err(doc! {"$inc": {"a.b": 1}}, doc! {"_id": 1, "a": [{"b": 1}]});
        assert_eq!(e.code, 28);
        assert_eq!(
            e.message,
            "Cannot create field 'b' in element {a: [ { b: 1 } ]}"
        );
        // Operators that do not create fields ignore a non-viable path.
        let d = doc! {"_id": 1, "a": 5, "b": [1]};
        assert_eq!(up(doc! {"$unset": {"a.b": 1, "b.x": 1}}, d.clone()), d);
        assert_eq!(up(doc! {"$pull": {"a.b": 1}}, d.clone()), d);
    }

    // ----- $unset -------------------------------------------------------------

    #[test]
    fn unset() {
        // docs: $unset example
        let got = up(
            doc! {"$unset": {"quantity": "", "instock": ""}},
            doc! {"_id": 1, "item": "chisel", "sku": "C001", "quantity": 4, "instock": true},
        );
        assert_eq!(got, doc! {"_id": 1, "item": "chisel", "sku": "C001"});
        // An array element becomes null.
        let got = up(doc! {"$unset": {"a.1": 1}}, doc! {"a": [1, 2, 3]});
        assert_eq!(got, doc! {"a": [1, Bson::Null, 3]});
        let got = up(
            doc! {"$unset": {"x.y": 1, "m": 1}},
            doc! {"x": {"y": 1, "z": 2}},
        );
        assert_eq!(got, doc! {"x": {"z": 2}});
    }

    // ----- $inc / $mul --------------------------------------------------------

    #[test]
    fn inc() {
        // docs: $inc example
        let got = up(
            doc! {"$inc": {"quantity": -2, "metrics.orders": 1}},
            doc! {"_id": 1, "sku": "abc123", "quantity": 10, "metrics": {"orders": 2, "ratings": 3.5}},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "sku": "abc123", "quantity": 8, "metrics": {"orders": 3, "ratings": 3.5}}
        );
        // A missing field is set to the increment.
        assert_eq!(up(doc! {"$inc": {"n": 5}}, doc! {}), doc! {"n": 5});
        // int32 overflow widens to long.
        let got = up(doc! {"$inc": {"a": 1}}, doc! {"a": i32::MAX});
        assert_eq!(got, doc! {"a": Bson::Int64(i64::from(i32::MAX) + 1)});
        // int + long is long; int + double is double.
        let got = up(doc! {"$inc": {"a": Bson::Int64(1)}}, doc! {"a": 1});
        assert_eq!(got, doc! {"a": Bson::Int64(2)});
        let got = up(doc! {"$inc": {"a": 0.5}}, doc! {"a": 1});
        assert_eq!(got, doc! {"a": 1.5});
        // Decimals: exact, and doubles convert with 15 digits.
        let got = up(doc! {"$inc": {"a": 1}}, doc! {"a": dv("1.5")});
        assert_dec(got.get("a").unwrap(), "2.5");
        let got = up(doc! {"$inc": {"a": 0.2}}, doc! {"a": dv("0.1")});
        assert_dec(got.get("a").unwrap(), "0.300000000000000");
    }

    #[test]
    fn inc_errors() {
        let e = up_err(doc! {"$inc": {"a": 1}}, doc! {"_id": 1, "a": "x"});
        assert_eq!((e.code, e.code_name), (14, "TypeMismatch"));
        assert_eq!(
            e.message,
            "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of \
             non-numeric type string"
        );
        let e = up_err(doc! {"$inc": {"a": "x"}}, doc! {"_id": 1});
        assert_eq!(e.code, 14);
        assert_eq!(
            e.message,
            "Cannot increment with non-numeric argument: {a: \"x\"}"
        );
        let e = up_err(
            doc! {"$inc": {"v": i64::MAX}},
            doc! {"_id": "int64-max", "v": i64::MAX},
        );
        assert_eq!((e.code, e.code_name), (2, "BadValue"));
        assert_eq!(
            e.message,
            "Failed to apply $inc operations to current value ((NumberLong)9223372036854775807) \
             for document {_id: \"int64-max\"}"
        );
        let e = up_err(
            doc! {"$inc": {"v": i64::MAX}},
            doc! {"_id": "int32", "v": 42},
        );
        assert_eq!(
            e.message,
            "Failed to apply $inc operations to current value ((NumberInt)42) for document \
             {_id: \"int32\"}"
        );
        let e = up_err(doc! {"$mul": {"v": 2}}, doc! {"_id": 1, "v": i64::MAX});
        assert!(
            e.message.starts_with("Failed to apply $mul operations"),
            "{e}"
        );
    }

    #[test]
    fn group_decimal_totals() {
        let s = |d: Decimal128| d.to_string();
        // 1 + 0.5 as a non-decimal total, plus Decimal128("3"): 4.5, not 4.500…0
        let other = decimal_from_total(&Bson::Double(1.5)).unwrap();
        let total = decimal_add(dec("3"), other);
        assert_eq!(s(total), "4.5");
        assert_eq!(s(decimal_div_count(total, 3)), "1.5");
        assert_eq!(
            s(decimal_div_count(dec("1"), 3)),
            "0.3333333333333333333333333333333333"
        );
        assert_eq!(
            s(decimal_div_count(dec("2"), 3)),
            "0.6666666666666666666666666666666667"
        );
        assert_eq!(s(decimal_div_count(dec("10"), 4)), "2.5");
        assert_eq!(s(decimal_div_count(dec("1.00"), 2)), "0.50");
        assert_eq!(s(decimal_div_count(dec("-0"), 2)), "-0");
        assert_eq!(decimal_from_total(&Bson::Int64(7)), Some(dec("7")));
        assert_eq!(decimal_from_total(&Bson::String("x".into())), None);
    }

    #[test]
    fn mul() {
        // docs: $mul "Multiply the Value of a Field"
        let got = up(
            doc! {"$mul": {"price": dv("1.25"), "quantity": 2}},
            doc! {"_id": 1, "item": "Hats", "price": dv("10.99"), "quantity": 25},
        );
        assert_dec(got.get("price").unwrap(), "13.7375");
        assert_eq!(got.get("quantity"), Some(&Bson::Int32(50)));
        // "Apply $mul Operator to a Non-existing Field": zero of the operand's type.
        let got = up(
            doc! {"$mul": {"price": Bson::Int64(100)}},
            doc! {"_id": 2, "item": "Unknown"},
        );
        assert_eq!(
            got,
            doc! {"_id": 2, "item": "Unknown", "price": Bson::Int64(0)}
        );
        // "Multiply Mixed Numeric Types"
        let got = up(
            doc! {"$mul": {"price": 5}},
            doc! {"_id": 3, "item": "Scarf", "price": Bson::Int64(10)},
        );
        assert_eq!(got.get("price"), Some(&Bson::Int64(50)));
        let got = up(doc! {"$mul": {"p": 2.5}}, doc! {"p": 2});
        assert_eq!(got.get("p"), Some(&Bson::Double(5.0)));
        let got = up(doc! {"$mul": {"p": 1.5}}, doc! {});
        assert_eq!(got.get("p"), Some(&Bson::Double(0.0)));
    }

    // ----- $min / $max ---------------------------------------------------------

    #[test]
    fn min_max() {
        // docs: $min / $max "Use ... to Compare Numbers"
        let d = doc! {"_id": 1, "highScore": 800, "lowScore": 200};
        assert_eq!(
            up(doc! {"$min": {"lowScore": 150}}, d.clone()).get("lowScore"),
            Some(&Bson::Int32(150))
        );
        assert_eq!(up(doc! {"$min": {"lowScore": 250}}, d.clone()), d);
        assert_eq!(
            up(doc! {"$max": {"highScore": 950}}, d.clone()).get("highScore"),
            Some(&Bson::Int32(950))
        );
        let high = doc! {"_id": 1, "highScore": 950, "lowScore": 200};
        assert_eq!(up(doc! {"$max": {"highScore": 870}}, high.clone()), high);
        // Dates; a missing field is set.
        let early = bson::DateTime::from_millis(1000);
        let late = bson::DateTime::from_millis(5000);
        let got = up(
            doc! {"$min": {"d": early}, "$max": {"n": 1}},
            doc! {"d": late},
        );
        assert_eq!(got, doc! {"d": early, "n": 1});
        // Comparison is across types in BSON order: numbers < strings.
        let got = up(doc! {"$max": {"v": "a"}}, doc! {"v": 100});
        assert_eq!(got, doc! {"v": "a"});
    }

    // ----- $rename --------------------------------------------------------------

    #[test]
    fn rename() {
        // docs: $rename "Rename a Field"
        let got = up(
            doc! {"$rename": {"nmae": "name"}},
            doc! {"_id": 1, "alias": ["The American Cincinnatus"], "mobile": "555-555-5555",
            "nmae": {"first": "george", "last": "washington"}},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "alias": ["The American Cincinnatus"], "mobile": "555-555-5555",
            "name": {"first": "george", "last": "washington"}}
        );
        // "Rename a Field in an Embedded Document"
        let got = up(
            doc! {"$rename": {"name.first": "name.fname"}},
            doc! {"_id": 1, "name": {"first": "george", "last": "washington"}},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "name": {"last": "washington", "fname": "george"}}
        );
        // "Rename a Field That Does Not Exist": no-op.
        let d = doc! {"_id": 1, "a": 1};
        assert_eq!(up(doc! {"$rename": {"wife": "spouse"}}, d.clone()), d);
        // Onto an existing field: it keeps its position.
        let got = up(doc! {"$rename": {"a": "b"}}, doc! {"b": 2, "a": 1, "c": 3});
        assert_eq!(got, doc! {"b": 1, "c": 3});
    }

    #[test]
    fn rename_errors() {
        let e = up_err(doc! {"$rename": {"a": "a"}}, doc! {});
        assert_eq!(e.code, 2);
        assert_eq!(
            e.message,
            "The source and target field for $rename must differ: a: \"a\""
        );
        let e = up_err(doc! {"$rename": {"a": 1}}, doc! {});
        assert_eq!(
            e.message,
            "The 'to' field for $rename must be a string: a: 1"
        );
        let e = up_err(doc! {"$rename": {"a": "a.b"}}, doc! {});
        assert_eq!(e.code, 2);
        let e = up_err(doc! {"$rename": {"a.0": "b"}}, doc! {"_id": 1, "a": [1]});
        assert_eq!(
            e.message,
            "The source field cannot be an array element, 'a.0' in doc with _id: 1 has an array \
             field called 'a'"
        );
        let e = up_err(doc! {"$rename": {"a": "b"}, "$set": {"b": 1}}, doc! {});
        assert_eq!(e.code, 40);
    }

    // ----- $currentDate / $setOnInsert --------------------------------------------

    #[test]
    fn current_date() {
        // docs: $currentDate example
        let got = up(
            doc! {
                "$currentDate": {"lastModified": true, "cancellation.date": {"$type": "timestamp"}},
                "$set": {"cancellation.reason": "user request", "status": "D"}
            },
            doc! {"_id": 1, "status": "a", "lastModified": bson::DateTime::from_millis(0)},
        );
        assert_eq!(
            got,
            doc! {
                "_id": 1, "status": "D", "lastModified": now(),
                "cancellation": {
                    "date": Timestamp { time: 1_700_000_000, increment: 1 },
                    "reason": "user request"
                }
            }
        );
        let got = up(doc! {"$currentDate": {"d": {"$type": "date"}}}, doc! {});
        assert_eq!(got, doc! {"d": now()});
        let e = up_err(doc! {"$currentDate": {"d": 1}}, doc! {});
        assert_eq!(e.code, 2);
        let e = up_err(doc! {"$currentDate": {"d": {"$type": "x"}}}, doc! {});
        assert_eq!(e.code, 2);
    }

    #[test]
    fn set_on_insert_and_upsert_seed() {
        let u = doc! {"$set": {"item": "apple"}, "$setOnInsert": {"defaultQty": 100}};
        // An update of an existing document ignores $setOnInsert.
        let got = up(u.clone(), doc! {"_id": 1, "item": "pear"});
        assert_eq!(got, doc! {"_id": 1, "item": "apple"});
        // docs: $setOnInsert "Upsert Results in an Insert"
        let mut cx = ctx();
        cx.is_upsert_insert = true;
        let seed = upsert_seed(&doc! {"_id": 1}, false).unwrap();
        let got = up_with(u, seed, &cx);
        assert_eq!(got, doc! {"_id": 1, "item": "apple", "defaultQty": 100});
        // _id goes first in an inserted document.
        let got = up_with(doc! {"$set": {"_id": 7, "a": 1}}, doc! {"a": 0}, &cx);
        assert_eq!(keys(&got), ["_id", "a"]);
    }

    #[test]
    fn upsert_seed_from_equalities() {
        let q = doc! {
            "a": 5, "_id": 1, "b.c": 2, "d": {"$gt": 1}, "e": {"$eq": 3},
            "$and": [{"f": 1}, {"g": {"$lt": 2}}], "$or": [{"h": 1}],
            "s": {"x": 1}
        };
        assert_eq!(
            upsert_seed(&q, false).unwrap(),
            doc! {"_id": 1, "a": 5, "b": {"c": 2}, "e": 3, "f": 1, "h": 1, "s": {"x": 1}}
        );
        let seed = |q: Document| upsert_seed(&q, false).unwrap();
        assert_eq!(seed(doc! {"x": {"$in": [1, 2]}}), doc! {});
        // mongod jstests/core/upsert_fields.js: single-element forms seed
        assert_eq!(seed(doc! {"x": {"$in": [1]}}), doc! {"x": 1});
        assert_eq!(seed(doc! {"x": {"$all": [1]}}), doc! {"x": 1});
        assert_eq!(seed(doc! {"$or": [{"x": {"$eq": 1}}]}), doc! {"x": 1});
        assert_eq!(seed(doc! {"$or": [{"x": 1}, {"x": 2}]}), doc! {});
        let re = Bson::RegularExpression(bson::Regex {
            pattern: "a".try_into().unwrap(),
            options: "".try_into().unwrap(),
        });
        assert_eq!(seed(doc! {"x": {"$in": [re.clone()]}}), doc! {});
        assert_eq!(seed(doc! {"x": {"$all": [1, re]}}), doc! {"x": 1});
        assert_eq!(
            seed(doc! {"x": {"$all": [{"$elemMatch": {"a": 1}}]}}),
            doc! {}
        );
        // the same path twice, or a path and its parent: 54
        for q in [
            doc! {"$and": [{"x": 1}, {"x": 1}]},
            doc! {"x": {"$eq": 1, "$in": [1]}},
            doc! {"x": {"$all": [1, 2]}},
            doc! {"a": {"b": 1}, "a.b": 1},
        ] {
            assert_eq!(upsert_seed(&q, false).unwrap_err().code, 54, "{q}");
        }
        // a replacement takes only _id, so other paths cannot conflict
        let q = doc! {"$and": [{"x": 1}, {"x": 2}], "_id": 3};
        assert_eq!(upsert_seed(&q, true).unwrap(), doc! {"_id": 3});
    }

    // ----- $push ---------------------------------------------------------------

    #[test]
    fn push() {
        // docs: "Append a Value to an Array"
        let got = up(
            doc! {"$push": {"scores": 89}},
            doc! {"_id": 1, "scores": [44, 78, 38, 80]},
        );
        assert_eq!(got, doc! {"_id": 1, "scores": [44, 78, 38, 80, 89]});
        // A missing field becomes an array; an array value is one element.
        let got = up(doc! {"$push": {"a": [1, 2]}}, doc! {});
        assert_eq!(got, doc! {"a": [[1, 2]]});
        // "Append Multiple Values to an Array"
        let got = up(
            doc! {"$push": {"scores": {"$each": [90, 92, 85]}}},
            doc! {"scores": [44]},
        );
        assert_eq!(got, doc! {"scores": [44, 90, 92, 85]});
        // "Use $push Operator with Multiple Modifiers"
        let got = up(
            doc! {"$push": {"quizzes": {
                "$each": [{"wk": 5, "score": 8}, {"wk": 6, "score": 7}, {"wk": 7, "score": 6}],
                "$sort": {"score": -1},
                "$slice": 3
            }}},
            doc! {"_id": 5, "quizzes": [
                {"wk": 1, "score": 10}, {"wk": 2, "score": 8},
                {"wk": 3, "score": 5}, {"wk": 4, "score": 6}
            ]},
        );
        assert_eq!(
            got,
            doc! {"_id": 5, "quizzes": [
                {"wk": 1, "score": 10}, {"wk": 2, "score": 8}, {"wk": 5, "score": 8}
            ]}
        );
    }

    #[test]
    fn push_position_sort_slice() {
        // docs: $position
        let got = up(
            doc! {"$push": {"scores": {"$each": [50, 60, 70], "$position": 0}}},
            doc! {"scores": [100]},
        );
        assert_eq!(got, doc! {"scores": [50, 60, 70, 100]});
        let got = up(
            doc! {"$push": {"scores": {"$each": [20, 30], "$position": 2}}},
            doc! {"scores": [50, 60, 70, 100]},
        );
        assert_eq!(got, doc! {"scores": [50, 60, 20, 30, 70, 100]});
        let got = up(
            doc! {"$push": {"scores": {"$each": [90, 80], "$position": -2}}},
            doc! {"scores": [50, 60, 20, 30, 70, 100]},
        );
        assert_eq!(got, doc! {"scores": [50, 60, 20, 30, 90, 80, 70, 100]});
        // docs: $sort "Sort Array Elements That Are Not Documents"
        let got = up(
            doc! {"$push": {"tests": {"$each": [40, 60], "$sort": 1}}},
            doc! {"_id": 2, "tests": [89, 70, 89, 50]},
        );
        assert_eq!(got, doc! {"_id": 2, "tests": [40, 50, 60, 70, 89, 89]});
        // "Update Array Using Sort Only"
        let got = up(
            doc! {"$push": {"tests": {"$each": [], "$sort": -1}}},
            doc! {"tests": [40, 50, 60]},
        );
        assert_eq!(got, doc! {"tests": [60, 50, 40]});
        // docs: $slice "Slice from the End of the Array"
        let got = up(
            doc! {"$push": {"scores": {"$each": [80, 78, 86], "$slice": -5}}},
            doc! {"scores": [40, 50, 60]},
        );
        assert_eq!(got, doc! {"scores": [50, 60, 80, 78, 86]});
        // "Slice from the Front of the Array"
        let got = up(
            doc! {"$push": {"scores": {"$each": [100, 20], "$slice": 3}}},
            doc! {"scores": [89, 90]},
        );
        assert_eq!(got, doc! {"scores": [89, 90, 100]});
        // "Update Array Using Slice Only"
        let got = up(
            doc! {"$push": {"scores": {"$each": [], "$slice": -3}}},
            doc! {"scores": [89, 70, 100, 20]},
        );
        assert_eq!(got, doc! {"scores": [70, 100, 20]});
    }

    #[test]
    fn push_errors() {
        let e = up_err(doc! {"$push": {"a": 1}}, doc! {"_id": 1, "a": 5});
        assert_eq!((e.code, e.code_name), (2, "BadValue"));
        assert_eq!(
            e.message,
            "The field 'a' must be an array but is of type int in document {_id: 1}"
        );
        let e = up_err(doc! {"$push": {"a": {"$each": 1}}}, doc! {});
        assert_eq!(
            e.message,
            "The argument to $each in $push must be an array but it was of type: int"
        );
        let e = up_err(
            doc! {"$push": {"a": {"$each": [1], "$slice": "x"}}},
            doc! {},
        );
        assert_eq!(e.code, 2);
        let e = up_err(doc! {"$push": {"a": {"$each": [1], "$sort": 2}}}, doc! {});
        assert_eq!(e.code, 2);
        let e = up_err(doc! {"$push": {"a": {"$each": [1], "$bogus": 1}}}, doc! {});
        assert_eq!(e.message, "Unrecognized clause in $push: $bogus");
    }

    // ----- $addToSet -------------------------------------------------------------

    #[test]
    fn add_to_set() {
        // docs: "Value to Add is An Array"
        let got = up(
            doc! {"$addToSet": {"letters": ["c", "d"]}},
            doc! {"_id": 1, "letters": ["a", "b"]},
        );
        assert_eq!(got, doc! {"_id": 1, "letters": ["a", "b", ["c", "d"]]});
        // "Value to Add is a Document"/"Value Already Exists"
        let d = doc! {"_id": 1, "item": "polarizing_filter", "tags": ["electronics", "camera"]};
        assert_eq!(
            up(doc! {"$addToSet": {"tags": "accessories"}}, d.clone()),
            doc! {"_id": 1, "item": "polarizing_filter",
            "tags": ["electronics", "camera", "accessories"]}
        );
        assert_eq!(up(doc! {"$addToSet": {"tags": "camera"}}, d.clone()), d);
        // "$each Modifier"
        let got = up(
            doc! {"$addToSet": {"tags": {"$each": ["camera", "electronics", "accessories"]}}},
            doc! {"_id": 2, "item": "cable", "tags": ["electronics", "supplies"]},
        );
        assert_eq!(
            got,
            doc! {"_id": 2, "item": "cable",
            "tags": ["electronics", "supplies", "camera", "accessories"]}
        );
        // Numbers compare by value; $each values are de-duplicated; missing field.
        let got = up(doc! {"$addToSet": {"a": 1.0}}, doc! {"a": [1]});
        assert_eq!(got, doc! {"a": [1]});
        let got = up(doc! {"$addToSet": {"a": {"$each": [1, 1, 2]}}}, doc! {});
        assert_eq!(got, doc! {"a": [1, 2]});
        let e = up_err(doc! {"$addToSet": {"a": 1}}, doc! {"a": 1});
        assert_eq!(e.code, 2);
        let e = up_err(doc! {"$addToSet": {"a": {"$each": 1}}}, doc! {});
        assert_eq!(e.code, 14);
    }

    // ----- $pop / $pull / $pullAll --------------------------------------------------

    #[test]
    fn pop() {
        // docs: $pop examples
        let got = up(
            doc! {"$pop": {"scores": -1}},
            doc! {"_id": 1, "scores": [8, 9, 10]},
        );
        assert_eq!(got, doc! {"_id": 1, "scores": [9, 10]});
        let got = up(
            doc! {"$pop": {"scores": 1}},
            doc! {"_id": 1, "scores": [9, 10]},
        );
        assert_eq!(got, doc! {"_id": 1, "scores": [9]});
        assert_eq!(up(doc! {"$pop": {"x": 1}}, doc! {"a": 1}), doc! {"a": 1});
        let e = up_err(doc! {"$pop": {"scores": 2}}, doc! {});
        assert_eq!(
            (e.code, e.message.as_str()),
            (9, "$pop expects 1 or -1, found: 2")
        );
        let e = up_err(doc! {"$pop": {"a": 1}}, doc! {"a": 1});
        assert_eq!(e.code, 14);
    }

    #[test]
    fn pull() {
        // docs: "Remove All Items That Equal a Specified Value"
        let got = up(
            doc! {"$pull": {
                "fruits": {"$in": ["apples", "oranges"]},
                "vegetables": "carrots"
            }},
            doc! {"_id": 1,
            "fruits": ["apples", "pears", "oranges", "grapes", "bananas"],
            "vegetables": ["carrots", "celery", "squash", "carrots"]},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "fruits": ["pears", "grapes", "bananas"],
            "vegetables": ["celery", "squash"]}
        );
        // "Remove All Items That Match a Specified $pull Condition"
        let got = up(
            doc! {"$pull": {"votes": {"$gte": 6}}},
            doc! {"_id": 1, "votes": [3, 5, 6, 7, 7, 8]},
        );
        assert_eq!(got, doc! {"_id": 1, "votes": [3, 5]});
        // "Remove Items from an Array of Documents"
        let got = up(
            doc! {"$pull": {"results": {"score": 8, "item": "B"}}},
            doc! {"_id": 1, "results": [
                {"item": "A", "score": 5}, {"item": "B", "score": 8, "comment": "x"}
            ]},
        );
        assert_eq!(got, doc! {"_id": 1, "results": [{"item": "A", "score": 5}]});
        // Nested arrays with $elemMatch.
        let got = up(
            doc! {"$pull": {"results": {"answers": {"$elemMatch": {"q": 2, "a": {"$gte": 8}}}}}},
            doc! {"_id": 1, "results": [
                {"item": "A", "answers": [{"q": 1, "a": 4}, {"q": 2, "a": 6}]},
                {"item": "B", "answers": [{"q": 1, "a": 8}, {"q": 2, "a": 9}]}
            ]},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "results": [
                {"item": "A", "answers": [{"q": 1, "a": 4}, {"q": 2, "a": 6}]}
            ]}
        );
        let e = up_err(doc! {"$pull": {"a": 1}}, doc! {"a": 1});
        assert_eq!(
            (e.code, e.message.as_str()),
            (2, "Cannot apply $pull to a non-array value")
        );
    }

    #[test]
    fn pull_all() {
        // docs: $pullAll example
        let got = up(
            doc! {"$pullAll": {"scores": [0, 5]}},
            doc! {"_id": 1, "scores": [0, 2, 5, 5, 1, 0]},
        );
        assert_eq!(got, doc! {"_id": 1, "scores": [2, 1]});
        let e = up_err(doc! {"$pullAll": {"scores": 1}}, doc! {});
        assert_eq!(
            (e.code, e.message.as_str()),
            (2, "$pullAll requires an array argument but was given a int")
        );
    }

    // ----- positional operators ------------------------------------------------------

    #[test]
    fn positional_dollar() {
        // docs: "Update Values in an Array"
        let mut cx = ctx();
        cx.query = Some(doc! {"_id": 1, "grades": 80});
        let got = up_with(
            doc! {"$set": {"grades.$": 82}},
            doc! {"_id": 1, "grades": [85, 80, 80]},
            &cx,
        );
        assert_eq!(got, doc! {"_id": 1, "grades": [85, 82, 80]});
        // "Update Embedded Documents Using Multiple Field Matches"/"Update Documents in an Array"
        cx.query = Some(doc! {"_id": 4, "grades.grade": 85});
        let got = up_with(
            doc! {"$set": {"grades.$.std": 6}},
            doc! {"_id": 4, "grades": [
                {"grade": 80, "mean": 75, "std": 8},
                {"grade": 85, "mean": 90, "std": 5},
                {"grade": 85, "mean": 85, "std": 8}
            ]},
            &cx,
        );
        assert_eq!(
            got.get_array("grades").unwrap()[1],
            Bson::Document(doc! {"grade": 85, "mean": 90, "std": 6})
        );
        // Without a matching query: error 2.
        let e = up_err(doc! {"$set": {"grades.$": 1}}, doc! {"grades": [1]});
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                2,
                "The positional operator did not find the match needed from the query."
            )
        );
        let e = up_err(doc! {"$set": {"a.$.b.$": 1}}, doc! {});
        assert_eq!(e.code, 2);
    }

    #[test]
    fn all_positional() {
        // docs: $[] "Update All Elements in an Array"
        let got = up(
            doc! {"$inc": {"grades.$[]": 10}},
            doc! {"_id": 1, "grades": [85, 82, 80]},
        );
        assert_eq!(got, doc! {"_id": 1, "grades": [95, 92, 90]});
        // "Update All Documents in an Array"
        let got = up(
            doc! {"$inc": {"grades.$[].std": -2}},
            doc! {"_id": 1, "grades": [{"grade": 80, "std": 8}, {"grade": 85, "std": 6}]},
        );
        assert_eq!(
            got,
            doc! {"_id": 1, "grades": [{"grade": 80, "std": 6}, {"grade": 85, "std": 4}]}
        );
        let e = up_err(doc! {"$set": {"a.$[]": 1}}, doc! {"a": 5});
        assert_eq!(
            (e.code, e.message.as_str()),
            (2, "Cannot apply array updates to non-array element a: 5")
        );
        let e = up_err(doc! {"$set": {"a.$[]": 1}}, doc! {});
        assert_eq!(
            e.message,
            "The path 'a' must exist in the document in order to apply array updates."
        );
    }

    #[test]
    fn filtered_positional() {
        // docs: $[<identifier>] "Update All Array Elements That Match arrayFilters"
        let mut cx = ctx();
        cx.array_filters = vec![doc! {"element": {"$gte": 100}}];
        let got = up_with(
            doc! {"$set": {"grades.$[element]": 100}},
            doc! {"_id": 2, "grades": [98, 100, 102]},
            &cx,
        );
        assert_eq!(got, doc! {"_id": 2, "grades": [98, 100, 100]});
        // "Update All Documents That Match arrayFilters in an Array"
        cx.array_filters = vec![doc! {"elem.grade": {"$gte": 85}}];
        let got = up_with(
            doc! {"$set": {"grades.$[elem].mean": 100}},
            doc! {"_id": 5, "grades": [
                {"grade": 80, "mean": 75}, {"grade": 85, "mean": 90}, {"grade": 90, "mean": 85}
            ]},
            &cx,
        );
        assert_eq!(
            got,
            doc! {"_id": 5, "grades": [
                {"grade": 80, "mean": 75}, {"grade": 85, "mean": 100}, {"grade": 90, "mean": 100}
            ]}
        );
        // Multiple conditions on one identifier, and nested with $[].
        cx.array_filters = vec![doc! {"elem.grade": {"$gte": 85}, "elem.mean": {"$lt": 90}}];
        let got = up_with(
            doc! {"$inc": {"grades.$[elem].mean": 1}},
            doc! {"grades": [{"grade": 85, "mean": 90}, {"grade": 90, "mean": 85}]},
            &cx,
        );
        assert_eq!(
            got,
            doc! {"grades": [{"grade": 85, "mean": 90}, {"grade": 90, "mean": 86}]}
        );
        // Errors: no filter for the identifier; an unused filter.
        let e = up_err(doc! {"$set": {"a.$[x]": 1}}, doc! {"a": [1]});
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                2,
                "No array filter found for identifier 'x' in path 'a.$[x]'"
            )
        );
        cx.array_filters = vec![doc! {"x": 1}, doc! {"y": 1}];
        let e = up_err_with(
            Bson::Document(doc! {"$set": {"a.$[x]": 1}}),
            doc! {"a": [1]},
            &cx,
        );
        assert_eq!(e.code, 9);
        assert_eq!(
            e.message,
            "The array filter for identifier 'y' was not used in the update { $set: { a.$[x]: 1 } }"
        );
    }

    // ----- parse errors and conflicts --------------------------------------------------

    #[test]
    fn conflicts() {
        let e = up_err(doc! {"$set": {"a": 1}, "$inc": {"a.b": 1}}, doc! {});
        assert_eq!((e.code, e.code_name), (40, "ConflictingUpdateOperators"));
        assert_eq!(
            e.message,
            "Updating the path 'a.b' would create a conflict at 'a'"
        );
        let e = up_err(doc! {"$set": {"a.b": 1}, "$unset": {"a": 1}}, doc! {});
        assert_eq!(
            e.message,
            "Updating the path 'a' would create a conflict at 'a'"
        );
        let e = up_err(doc! {"$set": {"x": 1}, "$inc": {"x": 1}}, doc! {});
        assert_eq!(
            e.message,
            "Updating the path 'x' would create a conflict at 'x'"
        );
        // Siblings are fine.
        let got = up(doc! {"$set": {"a.b": 1}, "$inc": {"a.c": 1}}, doc! {});
        assert_eq!(got, doc! {"a": {"b": 1, "c": 1}});
    }

    #[test]
    fn parse_errors() {
        let e = up_err(doc! {"$foo": {"a": 1}}, doc! {});
        assert_eq!((e.code, e.code_name), (9, "FailedToParse"));
        assert_eq!(
            e.message,
            "Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update \
             specified as an array"
        );
        let e = up_err(doc! {"$set": {"a": 1}, "b": 1}, doc! {});
        assert_eq!(e.code, 9);
        assert!(e.message.starts_with("Unknown modifier: b."), "{e}");
        let e = up_err(doc! {"$set": 1}, doc! {});
        assert_eq!(e.code, 9);
        assert_eq!(
            e.message,
            "Modifiers operate on fields but we found type int instead. For example: {$mod: \
             {<field>: ...}} not {$set: 1}"
        );
        let e = up_err(doc! {"a": 1, "$set": {"b": 1}}, doc! {});
        assert_eq!((e.code, e.code_name), (52, "DollarPrefixedFieldName"));
        let e = up_err_with(Bson::Int32(1), doc! {}, &ctx());
        assert_eq!(e.code, 9);
        let e = up_err(doc! {"$set": {"": 1}}, doc! {});
        assert_eq!(
            (e.code, e.message.as_str()),
            (56, "An empty update path is not valid.")
        );
        let e = up_err(doc! {"$set": {"a..b": 1}}, doc! {});
        assert_eq!(e.code, 56);
        let e = up_err(doc! {"$set": {"a.$x": 1}}, doc! {});
        assert_eq!(e.code, 52);
        let e = up_err(doc! {"$bit": {"a": {"and": 1}}}, doc! {});
        assert_eq!(e.code, 238);
        assert!(!parse(doc! {"$set": {"a": 1}}).is_replacement());
    }

    #[test]
    fn immutable_id() {
        let e = up_err(doc! {"$set": {"_id": 2}}, doc! {"_id": 1});
        assert_eq!((e.code, e.code_name), (66, "ImmutableField"));
        assert_eq!(
            e.message,
            "Performing an update on the path '_id' would modify the immutable field '_id'"
        );
        assert_eq!(
            up(doc! {"$set": {"_id": 1}}, doc! {"_id": 1}),
            doc! {"_id": 1}
        );
        assert_eq!(
            up_err(doc! {"$unset": {"_id": 1}}, doc! {"_id": 1}).code,
            66
        );
        assert_eq!(
            up_err(doc! {"$set": {"_id.a": 2}}, doc! {"_id": {"a": 1}}).code,
            66
        );
    }

    // ----- replacement --------------------------------------------------------------

    #[test]
    fn replacement() {
        let u = parse(doc! {"b": 2, "c": 3});
        assert!(u.is_replacement());
        let got = u.apply(&doc! {"_id": 1, "a": 1}, &ctx()).unwrap();
        assert_eq!(got, doc! {"_id": 1, "b": 2, "c": 3});
        // The replacement's own equal _id stays first.
        let got = up(doc! {"b": 2, "_id": 1}, doc! {"_id": 1, "a": 1});
        assert_eq!(keys(&got), ["_id", "b"]);
        // An empty document is a replacement too.
        assert_eq!(up(doc! {}, doc! {"_id": 1, "a": 1}), doc! {"_id": 1});
        let e = up_err(doc! {"_id": 2, "b": 1}, doc! {"_id": 1});
        assert_eq!(e.code, 66);
        assert_eq!(
            e.message,
            "After applying the update, the (immutable) field '_id' was found to have been \
             altered to _id: 2"
        );
        // An upsert replacement keeps only the query's _id.
        let mut cx = ctx();
        cx.is_upsert_insert = true;
        let seed = upsert_seed(&doc! {"_id": 5, "x": 1}, true).unwrap();
        let got = up_with(doc! {"y": 2}, seed, &cx);
        assert_eq!(got, doc! {"_id": 5, "y": 2});
    }

    // ----- pipelines ---------------------------------------------------------------

    #[test]
    fn pipeline_docs_example() {
        // docs: "Update with Aggregation Pipeline", example 1
        let got = pipe(
            vec![
                doc! {"$set": {
                    "status": "Modified",
                    "comments": ["$commentsSemester1", "$commentsSemester2"],
                    "lastUpdate": "$$NOW"
                }},
                doc! {"$unset": ["commentsSemester1", "commentsSemester2"]},
            ],
            doc! {"_id": 1, "student": "Skye", "points": 75,
            "commentsSemester1": "great at math", "commentsSemester2": "loses temper"},
        )
        .unwrap();
        assert_eq!(
            got,
            doc! {"_id": 1, "student": "Skye", "points": 75, "status": "Modified",
            "comments": ["great at math", "loses temper"], "lastUpdate": now()}
        );
    }

    #[test]
    fn pipeline_expressions() {
        let d = doc! {"_id": 1, "first": "Ada", "last": "Lovelace", "hw": 10, "quiz": 8.5,
        "passed": true, "none": Bson::Null};
        let got = pipe(
            vec![doc! {"$set": {
                "full": {"$concat": ["$first", " ", "$last"]},
                "total": {"$add": ["$hw", "$quiz", 1]},
                "diff": {"$subtract": ["$hw", 3]},
                "prod": {"$multiply": ["$hw", 2, Bson::Int64(3)]},
                "alt": {"$ifNull": ["$none", "$missing", "default"]},
                "label": {"$cond": {"if": "$passed", "then": "pass", "else": "fail"}},
                "label2": {"$cond": ["$missing", "yes", "no"]},
                "lit": {"$literal": "$notAPath"},
                "nested.x": "$hw",
                "gone": "$$REMOVE",
                "cc": {"$concat": ["a", "$missing"]}
            }}],
            d.clone(),
        )
        .unwrap();
        assert_eq!(got.get_str("full").unwrap(), "Ada Lovelace");
        assert_eq!(got.get("total"), Some(&Bson::Double(19.5)));
        assert_eq!(got.get("diff"), Some(&Bson::Int32(7)));
        assert_eq!(got.get("prod"), Some(&Bson::Int64(60)));
        assert_eq!(got.get_str("alt").unwrap(), "default");
        assert_eq!(got.get_str("label").unwrap(), "pass");
        assert_eq!(got.get_str("label2").unwrap(), "no");
        assert_eq!(got.get_str("lit").unwrap(), "$notAPath");
        assert_eq!(got.get_document("nested").unwrap(), &doc! {"x": 10});
        assert!(!got.contains_key("gone"));
        assert_eq!(got.get("cc"), Some(&Bson::Null));
        // Dates.
        let t0 = bson::DateTime::from_millis(10_000);
        let got = pipe(
            vec![doc! {"$set": {
                "later": {"$add": ["$t", 500]},
                "span": {"$subtract": ["$$NOW", "$t"]}
            }}],
            doc! {"t": t0},
        )
        .unwrap();
        assert_eq!(
            got.get("later"),
            Some(&Bson::DateTime(bson::DateTime::from_millis(10_500)))
        );
        assert_eq!(
            got.get("span"),
            Some(&Bson::Int64(now().timestamp_millis() - 10_000))
        );
        // Long overflow becomes a double in aggregation arithmetic.
        let got = pipe(
            vec![doc! {"$set": {"v": {"$add": ["$v", 1]}}}],
            doc! {"v": i64::MAX},
        )
        .unwrap();
        assert!(matches!(got.get("v"), Some(Bson::Double(_))));
        // Type errors.
        let e = pipe(vec![doc! {"$set": {"v": {"$concat": ["a", 1]}}}], doc! {}).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (16702, "$concat only supports strings, not int")
        );
        let e = pipe(vec![doc! {"$set": {"v": {"$add": ["a", 1]}}}], doc! {}).unwrap_err();
        assert_eq!(e.code, 14);
        let e = pipe(vec![doc! {"$set": {"v": {"$subtract": [1]}}}], doc! {}).unwrap_err();
        assert_eq!(e.code, 16020);
    }

    #[test]
    fn pipeline_stages_and_errors() {
        let d = doc! {"_id": 1, "a": {"b": 1, "_id": 9}, "c": 2};
        // $addFields with a nested object merges into the sub-document.
        let got = pipe(vec![doc! {"$addFields": {"a": {"z": 5}}}], d.clone()).unwrap();
        assert_eq!(
            got,
            doc! {"_id": 1, "a": {"b": 1, "_id": 9, "z": 5}, "c": 2}
        );
        // $project
        let got = pipe(vec![doc! {"$project": {"c": 1}}], d.clone()).unwrap();
        assert_eq!(got, doc! {"_id": 1, "c": 2});
        // $project excluding _id keeps the original _id (replacement rules).
        let got = pipe(vec![doc! {"$project": {"_id": 0, "c": 1}}], d.clone()).unwrap();
        assert_eq!(got, doc! {"_id": 1, "c": 2});
        // $replaceWith / $replaceRoot: a different _id is an error.
        let got = pipe(vec![doc! {"$replaceWith": {"x": "$c"}}], d.clone()).unwrap();
        assert_eq!(got, doc! {"_id": 1, "x": 2});
        let e = pipe(vec![doc! {"$replaceRoot": {"newRoot": "$a"}}], d.clone()).unwrap_err();
        assert_eq!(e.code, 66);
        let e = pipe(vec![doc! {"$replaceWith": "$c"}], d.clone()).unwrap_err();
        assert_eq!(e.code, 40228);
        // Stage errors.
        let e = pipe(vec![doc! {"$match": {"a": 1}}], d.clone()).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (72, "$match is not allowed to be used within an update")
        );
        let e = pipe(vec![doc! {"$bogus": {}}], d.clone()).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (40324, "Unrecognized pipeline stage name: '$bogus'")
        );
        let e = pipe(vec![doc! {"$set": {"a": 1}, "$unset": "b"}], d.clone()).unwrap_err();
        assert_eq!(e.code, 40323);
        let e = pipe(vec![doc! {"$set": {"v": {"$foo": 1}}}], d.clone()).unwrap_err();
        assert_eq!(e.code, 168);
        let e = pipe(
            vec![doc! {"$set": {"a": {"$add": [1, 2]}, "a.b": {"$add": [1, 2]}}}],
            d.clone(),
        )
        .unwrap_err();
        // The same rule as $project (projection tests): a later path below
        // an earlier one is 31249 "Path collision at a.b remaining portion b".
        assert_eq!(e.code, 31249);
        // An empty pipeline is a no-op.
        assert_eq!(pipe(vec![], d.clone()).unwrap(), d);
    }

    // ----- decimals ------------------------------------------------------------------

    fn dadd(a: &str, b: &str) -> Decimal128 {
        Dec::decode(&dec(a)).add(Dec::decode(&dec(b))).encode()
    }

    fn dmul(a: &str, b: &str) -> Decimal128 {
        Dec::decode(&dec(a)).mul(Dec::decode(&dec(b))).encode()
    }

    #[test]
    fn decimal_arithmetic() {
        let same = |got: Decimal128, want: &str| {
            assert_eq!(
                Dec::decode(&got),
                Dec::decode(&dec(want)),
                "{got} vs {want}"
            );
        };
        same(dadd("0.1", "0.2"), "0.3");
        same(dadd("1.50", "-1.5"), "0.00");
        same(
            dadd("1E+100", "1"),
            "1.000000000000000000000000000000000E+100",
        );
        same(
            dadd("1E+40", "-1"),
            "1.000000000000000000000000000000000E+40",
        );
        same(
            dadd("1E+50", "-1"),
            "1.000000000000000000000000000000000E+50",
        );
        same(
            dadd("9999999999999999999999999999999999", "1"),
            "1.000000000000000000000000000000000E+34",
        );
        // Ties round half to even.
        same(
            dadd("1234567890123456789012345678901234E+1", "5"),
            "1234567890123456789012345678901234E+1",
        );
        same(
            dadd("1234567890123456789012345678901235E+1", "5"),
            "1234567890123456789012345678901236E+1",
        );
        // Just above a tie (sticky digits far below).
        same(
            dadd(
                "1234567890123456789012345678901234E+1",
                "5.000000000000000000000001",
            ),
            "1234567890123456789012345678901235E+1",
        );
        same(dmul("10.99", "1.25"), "13.7375");
        same(dmul("-2", "0.5"), "-1.0");
        // Exponents above the maximum fold into the coefficient...
        same(dmul("9E+6111", "1E+10"), "90000000000E+6111");
        // ...until it has 34 digits.
        assert_eq!(
            dmul("9.999999999999999999999999999999999E+6144", "10").to_string(),
            "Infinity"
        );
        assert_eq!(dadd("Infinity", "-Infinity").to_string(), "NaN");
        assert_eq!(dmul("Infinity", "0").to_string(), "NaN");
        same(Dec::from_f64(0.1).encode(), "0.100000000000000");
    }

    #[test]
    fn decimal_helpers() {
        assert!(decimal_is_zero(&dec("0")));
        assert!(decimal_is_zero(&dec("-0E-5")));
        assert!(!decimal_is_zero(&dec("NaN")));
        assert!(!decimal_is_zero(&dec("1E-30")));
        assert_eq!(decimal_to_i64_trunc(&dec("2.9")), 2);
        assert_eq!(decimal_to_i64_trunc(&dec("-2.9")), -2);
        assert_eq!(decimal_to_i64_trunc(&dec("1E+2")), 100);
        assert_eq!(decimal_to_i64_trunc(&dec("1E+30")), i64::MAX);
        assert_eq!(decimal_to_i64_trunc(&dec("-1E+30")), i64::MIN);
        assert_eq!(decimal_to_i64_trunc(&dec("Infinity")), i64::MAX);
        assert_eq!(decimal_to_i64_trunc(&dec("NaN")), 0);
        assert_eq!(decimal_to_i64_trunc(&dec("1E-40")), 0);
        // Integral decimals are accepted where mongod wants an integer.
        assert_eq!(integral(&dv("2.0")), Some(2));
        assert_eq!(integral(&dv("2.5")), None);
    }

    // ----- properties -------------------------------------------------------------------

    fn arb_value() -> impl Strategy<Value = Bson> {
        let leaf = prop_oneof![
            any::<i32>().prop_map(Bson::Int32),
            any::<i64>().prop_map(Bson::Int64),
            any::<bool>().prop_map(Bson::Boolean),
            "[a-z]{0,6}".prop_map(Bson::String),
            Just(Bson::Null),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Bson::Array),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..4)
                    .prop_map(|kvs| { Bson::Document(kvs.into_iter().collect()) }),
            ]
        })
    }

    fn arb_doc() -> impl Strategy<Value = Document> {
        prop::collection::vec(("[a-e]{1,3}", arb_value()), 0..6)
            .prop_map(|kvs| kvs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn set_then_unset_fresh_field_is_identity(d in arb_doc(), v in arb_value()) {
            // Generated names use a-e only, so "zfresh" is never present.
            let set = up(doc! {"$set": {"zfresh": v.clone()}}, d.clone());
            prop_assert_eq!(set.get("zfresh"), Some(&v));
            let back = up(doc! {"$unset": {"zfresh": ""}}, set);
            prop_assert_eq!(back, d);
        }

        #[test]
        fn decimal_add_matches_integers(a in any::<i64>(), b in any::<i64>()) {
            let exact = i128::from(a) + i128::from(b);
            let got = Dec::from_i64(a).add(Dec::from_i64(b));
            prop_assert_eq!(got, Dec::Fin {
                neg: exact < 0,
                coeff: exact.unsigned_abs(),
                exp: 0,
            });
        }

        #[test]
        fn decimal_mul_matches_integers(a in any::<i32>(), b in any::<i32>()) {
            let exact = i64::from(a) * i64::from(b);
            let got = Dec::from_i64(i64::from(a)).mul(Dec::from_i64(i64::from(b)));
            prop_assert_eq!(got, Dec::Fin {
                neg: (a < 0) != (b < 0),
                coeff: u128::from(exact.unsigned_abs()),
                exp: 0,
            });
        }

        #[test]
        fn int_inc_matches_checked_arithmetic(a in any::<i32>(), b in any::<i32>()) {
            let got = up(doc! {"$inc": {"n": b}}, doc! {"n": a});
            let want = match a.checked_add(b) {
                Some(s) => Bson::Int32(s),
                None => Bson::Int64(i64::from(a) + i64::from(b)),
            };
            prop_assert_eq!(got.get("n"), Some(&want));
        }
    }
}
