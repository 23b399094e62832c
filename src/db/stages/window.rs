//! `$setWindowFields`: per partition (`partitionBy`), in `sortBy` order,
//! each output field is a window function over a window of documents
//! (`documents: [lo, hi]` positions or `range: [lo, hi]` of the sortBy
//! value, with `unit` for dates) around the current one.
//!
//! Window functions: every accumulator of [`crate::query::accumulator`]
//! (`$sum`/`$avg`/`$count` slide by adding and removing; the others are
//! recomputed per window), `$rank` `$denseRank` `$documentNumber` `$shift`
//! `$derivative` `$integral` `$covariancePop` `$covarianceSamp`
//! `$expMovingAvg` `$linearFill` `$locf`.

use crate::engine::keys::compare_bson;
use crate::query::accumulator::{AccumulatorSpec, Kind, State, to_f64};
use crate::query::error::{QueryError, fmt_value, type_name};
use crate::query::expr::{Ctx, Env, Expr, ParseCtx, Value, path};
use crate::query::numeric::{ArithOp, agg_arith};
use crate::query::sort::{SortKey, SortSpec};
use crate::query::update;
use bson::{Bson, Decimal128, Document};
use std::cmp::Ordering;

/// A parsed `$setWindowFields`.
#[derive(Debug)]
pub struct SetWindowFields {
    partition_by: Option<Expr>,
    sort: Option<SortSpec>,
    /// The one sortBy field (path, ascending), when there is exactly one.
    sort_field: Option<(Vec<String>, bool)>,
    outputs: Vec<Output>,
}

#[derive(Debug)]
struct Output {
    path: Vec<String>,
    func: Func,
    window: Option<Window>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum RankKind {
    Rank,
    Dense,
    Number,
}

#[derive(Debug)]
enum Func {
    Acc(AccumulatorSpec),
    Rank(RankKind),
    Shift {
        output: Expr,
        by: i64,
        default: Bson,
    },
    Derivative {
        input: Expr,
        unit: Option<i64>,
    },
    Integral {
        input: Expr,
        unit: Option<i64>,
    },
    Covariance {
        x: Expr,
        y: Expr,
        samp: bool,
    },
    ExpMovingAvg {
        input: Expr,
        alpha: f64,
    },
    LinearFill(Expr),
    Locf(Expr),
}

#[derive(Debug, Clone, Copy)]
enum DocBound {
    Unbounded,
    Current,
    At(i64),
}

#[derive(Debug, Clone)]
enum RangeBound {
    Unbounded,
    Current,
    At(f64),
}

#[derive(Debug, Clone, Copy)]
enum Unit {
    Millis(i64),
    Months(i64),
}

#[derive(Debug, Clone)]
enum Window {
    Documents(DocBound, DocBound),
    Range(RangeBound, RangeBound, Option<Unit>),
}

fn failed(code: i32, msg: impl Into<String>) -> QueryError {
    QueryError::location(code, msg)
}

fn parse_unit(v: &Bson) -> Result<Unit, QueryError> {
    let Bson::String(s) = v else {
        return Err(failed(
            5397700,
            format!("'unit' must be a string, found {}", type_name(v)),
        ));
    };
    Ok(match s.as_str() {
        "year" => Unit::Months(12),
        "quarter" => Unit::Months(3),
        "month" => Unit::Months(1),
        "week" => Unit::Millis(7 * 86_400_000),
        "day" => Unit::Millis(86_400_000),
        "hour" => Unit::Millis(3_600_000),
        "minute" => Unit::Millis(60_000),
        "second" => Unit::Millis(1000),
        "millisecond" => Unit::Millis(1),
        other => {
            return Err(failed(5397700, format!("unknown time unit value: {other}")));
        }
    })
}

/// A unit for `$derivative`/`$integral`: weeks and shorter only.
fn parse_fixed_unit(v: &Bson) -> Result<i64, QueryError> {
    match parse_unit(v)? {
        Unit::Millis(ms) => Ok(ms),
        Unit::Months(_) => Err(failed(5490710, "unit must be 'week' or smaller")),
    }
}

fn int_of(v: &Bson) -> Option<i64> {
    match v {
        Bson::Int32(n) => Some(i64::from(*n)),
        Bson::Int64(n) => Some(*n),
        Bson::Double(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
        Bson::Decimal128(_) => to_f64(v).filter(|f| f.fract() == 0.0).map(|f| f as i64),
        _ => None,
    }
}

/// How the stage's sortBy looks, for checking window bounds.
#[derive(Debug, Clone, Copy)]
struct SortShape {
    present: bool,
    /// Exactly one field, and whether it is ascending.
    single: Option<bool>,
}

/// A bound: "unbounded", "current" or a constant expression.
fn parse_bound(b: &Bson) -> Result<Option<Option<Bson>>, QueryError> {
    match b {
        Bson::String(s) if s == "unbounded" => Ok(None),
        Bson::String(s) if s == "current" => Ok(Some(None)),
        Bson::String(_) => Err(failed(
            ErrorCode::FAILED_TO_PARSE,
            "Window bounds must be 'unbounded', 'current', or a number.",
        )),
        other => {
            let e = Expr::parse(other, &mut ParseCtx::default())?;
            match e.as_constant() {
                Some(v) => Ok(Some(Some(v.clone()))),
                None => Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "Window bounds expression must be a constant.",
                )),
            }
        }
    }
}

/// Parses `window` (`None`: the default, the whole partition).
fn parse_window(v: &Bson, sort: SortShape) -> Result<Option<Window>, QueryError> {
    let Bson::Document(d) = v else {
        return Err(failed(
            ErrorCode::FAILED_TO_PARSE,
            "'window' field must be an object",
        ));
    };
    let (docs, range, unit) = (d.get("documents"), d.get("range"), d.get("unit"));
    if docs.is_some() && range.is_some() {
        return Err(failed(
            ErrorCode::FAILED_TO_PARSE,
            "Window bounds can specify either 'documents' or 'unit', not both.",
        ));
    }
    if range.is_none() && unit.is_some() {
        return Err(failed(
            ErrorCode::FAILED_TO_PARSE,
            "Window bounds can only specify 'unit' with range-based bounds.",
        ));
    }
    if range.is_none() && docs.is_none() {
        if !d.is_empty() {
            return Err(failed(
                ErrorCode::FAILED_TO_PARSE,
                "'window' field can only contain 'documents' as the only argument or 'range' \
                 with an optional 'unit' field",
            ));
        }
        return Ok(None);
    }
    let pair = |e: &Bson| -> Result<(Bson, Bson), QueryError> {
        match e {
            Bson::Array(a) if a.len() == 2 => Ok((a[0].clone(), a[1].clone())),
            _ => Err(failed(
                ErrorCode::FAILED_TO_PARSE,
                format!("Window bounds must be a 2-element array: {}", fmt_value(e)),
            )),
        }
    };
    let bad_order = || failed(5339900, "Lower bound must not exceed upper bound");
    if let Some(dv) = docs {
        if d.len() != 1 {
            return Err(failed(
                ErrorCode::FAILED_TO_PARSE,
                "'window' field that specifies documents cannot have other fields",
            ));
        }
        let (lo, hi) = pair(dv)?;
        let bound = |b: &Bson| -> Result<DocBound, QueryError> {
            Ok(match parse_bound(b)? {
                None => DocBound::Unbounded,
                Some(None) => DocBound::Current,
                Some(Some(v)) => DocBound::At(int_of(&v).ok_or_else(|| {
                    failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "Numeric document-based bounds must be an integer",
                    )
                })?),
            })
        };
        let (lo, hi) = (bound(&lo)?, bound(&hi)?);
        let pos = |b: DocBound| match b {
            DocBound::Unbounded => None,
            DocBound::Current => Some(0),
            DocBound::At(k) => Some(k),
        };
        if let (Some(l), Some(h)) = (pos(lo), pos(hi))
            && l > h
        {
            return Err(bad_order());
        }
        let unbounded = matches!((lo, hi), (DocBound::Unbounded, DocBound::Unbounded));
        if !unbounded && !sort.present {
            return Err(failed(5339901, "Document-based bounds require a sortBy"));
        }
        return Ok(Some(Window::Documents(lo, hi)));
    }
    let rv = range.unwrap_or(&Bson::Null);
    let unit = match unit {
        None => None,
        Some(u) => {
            if d.len() != 2 {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "'window' field that specifies unit cannot have other fields besides 'range'",
                ));
            }
            if !matches!(u, Bson::String(_)) {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "'unit' must be a string",
                ));
            }
            Some(parse_unit(u)?)
        }
    };
    if unit.is_none() && d.len() != 1 {
        return Err(failed(
            ErrorCode::FAILED_TO_PARSE,
            "'window' field that specifies range cannot have other fields besides 'unit'",
        ));
    }
    let (lo, hi) = pair(rv)?;
    let bound = |b: &Bson| -> Result<RangeBound, QueryError> {
        Ok(match parse_bound(b)? {
            None => RangeBound::Unbounded,
            Some(None) => RangeBound::Current,
            Some(Some(v)) => {
                let Some(f) = to_f64(&v) else {
                    return Err(failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "Range-based bounds expression must be a number",
                    ));
                };
                if unit.is_some() && f.fract() != 0.0 {
                    return Err(failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "With 'unit', range-based bounds must be an integer",
                    ));
                }
                RangeBound::At(f)
            }
        })
    };
    let (lo, hi) = (bound(&lo)?, bound(&hi)?);
    let val = |b: &RangeBound| match b {
        RangeBound::Current => Some(0.0),
        RangeBound::At(f) => Some(*f),
        RangeBound::Unbounded => None,
    };
    if let (Some(l), Some(h)) = (val(&lo), val(&hi))
        && l > h
    {
        return Err(bad_order());
    }
    match sort.single {
        None => Err(failed(
            5339902,
            "Range-based bounds require sortBy a single field",
        )),
        Some(false) => Err(failed(
            8947401,
            "Range-based bounds require an ascending sortBy",
        )),
        Some(true) => Ok(Some(Window::Range(lo, hi, unit))),
    }
}

struct ErrorCode;
impl ErrorCode {
    const FAILED_TO_PARSE: i32 = 9;
}

impl SetWindowFields {
    /// Parses `{partitionBy, sortBy, output}`.
    pub fn parse(spec: &Document, pc: &mut ParseCtx) -> Result<SetWindowFields, QueryError> {
        let (mut partition_by, mut sort_by, mut output) = (None, None, None);
        for (k, v) in spec {
            match k.as_str() {
                "partitionBy" => partition_by = Some(v),
                "sortBy" => sort_by = Some(v),
                "output" => output = Some(v),
                other => {
                    return Err(QueryError::location(
                        40415,
                        format!("BSON field '$setWindowFields.{other}' is an unknown field."),
                    ));
                }
            }
        }
        let partition_by = partition_by.map(|p| Expr::parse(p, pc)).transpose()?;
        let (sort, sort_field) = match sort_by {
            None => (None, None),
            Some(Bson::Document(d)) => {
                let s = SortSpec::parse(d)?;
                let field = if d.len() == 1 {
                    d.iter().next().and_then(|(k, v)| {
                        let asc = to_f64(v).is_some_and(|f| f > 0.0);
                        path::parse(k).ok().map(|p| (p, asc))
                    })
                } else {
                    None
                };
                (Some(s), field)
            }
            Some(other) => {
                return Err(QueryError::type_mismatch(format!(
                    "BSON field '$setWindowFields.sortBy' is the wrong type '{}', expected type 'object'",
                    type_name(other)
                )));
            }
        };
        let Some(output) = output else {
            return Err(QueryError::location(
                40414,
                "BSON field '$setWindowFields.output' is missing but a required field",
            ));
        };
        let Bson::Document(output) = output else {
            return Err(QueryError::type_mismatch(format!(
                "BSON field '$setWindowFields.output' is the wrong type '{}', expected type 'object'",
                type_name(output)
            )));
        };
        let mut outputs = Vec::with_capacity(output.len());
        for (field, fspec) in output {
            let Bson::Document(fspec) = fspec else {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("The field '{field}' must be an object"),
                ));
            };
            let mut func = None;
            let mut window = None;
            let mut has_window = false;
            for (k, v) in fspec {
                if k == "window" {
                    window = parse_window(
                        v,
                        SortShape {
                            present: sort.is_some(),
                            single: sort_field.as_ref().map(|(_, asc)| *asc),
                        },
                    )?;
                    has_window = true;
                } else if k.starts_with('$') {
                    if func.is_some() {
                        return Err(failed(
                            ErrorCode::FAILED_TO_PARSE,
                            format!(
                                "Window function spec for '{field}' has more than one function"
                            ),
                        ));
                    }
                    func = Some((k.as_str(), v));
                } else {
                    return Err(failed(
                        ErrorCode::FAILED_TO_PARSE,
                        format!("'{k}' is not a valid window function argument"),
                    ));
                }
            }
            let Some((name, arg)) = func else {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("Expected a window function for '{field}'"),
                ));
            };
            let f = parse_func(name, arg, pc, &sort_field, sort.is_some(), has_window)?;
            outputs.push(Output {
                path: path::parse(field)?,
                func: f,
                window,
            });
        }
        Ok(SetWindowFields {
            partition_by,
            sort,
            sort_field,
            outputs,
        })
    }

    /// Runs over `docs`: the documents come out partition by partition, in
    /// sortBy order, with the output fields set.
    pub fn run(&self, docs: Vec<Document>, env: &Env) -> Result<Vec<Document>, QueryError> {
        let mut rows: Vec<(Bson, Option<SortKey>, Document)> = Vec::with_capacity(docs.len());
        for d in docs {
            let part = match &self.partition_by {
                Some(e) => e.eval(&mut Ctx::new(&d, env))?.unwrap_or(Bson::Null),
                None => Bson::Null,
            };
            if let Bson::Array(_) = part {
                return Err(QueryError::type_mismatch(
                    "An expression used to partition cannot evaluate to value of type array",
                ));
            }
            let key = self.sort.as_ref().map(|s| s.key(&d));
            rows.push((part, key, d));
        }
        let sort = self.sort.as_ref();
        rows.sort_by(|a, b| {
            compare_bson(&a.0, &b.0).then_with(|| match (sort, &a.1, &b.1) {
                (Some(s), Some(x), Some(y)) => s.compare_keys(x, y),
                _ => Ordering::Equal,
            })
        });
        let mut out = Vec::with_capacity(rows.len());
        let mut start = 0;
        while start < rows.len() {
            let mut end = start + 1;
            while end < rows.len() && compare_bson(&rows[start].0, &rows[end].0).is_eq() {
                end += 1;
            }
            let part = &rows[start..end];
            let docs: Vec<&Document> = part.iter().map(|r| &r.2).collect();
            let keys: Vec<Option<&SortKey>> = part.iter().map(|r| r.1.as_ref()).collect();
            let mut results = Vec::with_capacity(self.outputs.len());
            for o in &self.outputs {
                results.push(self.compute(o, &docs, &keys, env)?);
            }
            for (i, r) in part.iter().enumerate() {
                let mut d = r.2.clone();
                for (o, vals) in self.outputs.iter().zip(&results) {
                    path::set(&mut d, &o.path, Some(vals[i].clone()));
                }
                out.push(d);
            }
            start = end;
        }
        Ok(out)
    }

    /// The sortBy values of a partition for range windows and
    /// `$derivative`/`$integral`/`$linearFill`: numbers, or dates in
    /// milliseconds when `dates`.
    fn sort_values(
        &self,
        docs: &[&Document],
        dates: bool,
        what: &str,
    ) -> Result<Vec<f64>, QueryError> {
        let Some((p, _)) = &self.sort_field else {
            return Err(failed(
                5339902,
                format!("{what} requires a sortBy of exactly one field"),
            ));
        };
        docs.iter()
            .map(|d| {
                let v = path::get_doc(d, p);
                match (&v, dates) {
                    (Some(Bson::DateTime(t)), true) => Ok(t.timestamp_millis() as f64),
                    (Some(x), false) if to_f64(x).is_some() => Ok(to_f64(x).unwrap_or(0.0)),
                    (_, true) => Err(failed(
                        5429513,
                        format!(
                            "Invalid range: Expected the sortBy field to be a Date, but it was {}",
                            v.as_ref().map_or("missing", type_name)
                        ),
                    )),
                    (_, false) => Err(failed(
                        5429414,
                        format!(
                            "Invalid range: Expected the sortBy field to be a number, but it was {}",
                            v.as_ref().map_or("missing", type_name)
                        ),
                    )),
                }
            })
            .collect()
    }

    /// The sortBy field's value of each document (`$derivative`,
    /// `$integral`).
    fn raw_sort_values(&self, docs: &[&Document]) -> Vec<Value> {
        match &self.sort_field {
            Some((p, _)) => docs.iter().map(|d| path::get_doc(d, p)).collect(),
            None => vec![None; docs.len()],
        }
    }

    /// The windows `[start, end)` of every document of a partition.
    fn windows(
        &self,
        w: &Option<Window>,
        docs: &[&Document],
    ) -> Result<Vec<(usize, usize)>, QueryError> {
        let n = docs.len();
        match w {
            None => Ok(vec![(0, n); n]),
            Some(Window::Documents(lo, hi)) => Ok((0..n)
                .map(|i| {
                    let at = |k: i64| (i as i64).saturating_add(k).clamp(0, n as i64) as usize;
                    let s = match lo {
                        DocBound::Unbounded => 0,
                        DocBound::Current => i,
                        DocBound::At(k) => at(*k),
                    };
                    let e = match hi {
                        DocBound::Unbounded => n,
                        DocBound::Current => i + 1,
                        DocBound::At(k) => at(k.saturating_add(1)),
                    };
                    (s, e.max(s))
                })
                .collect()),
            Some(Window::Range(lo, hi, unit)) => {
                let asc = self.sort_field.as_ref().is_none_or(|(_, a)| *a);
                let vals = self.sort_values(docs, unit.is_some(), "Range-based window")?;
                let shift = |v: f64, b: &RangeBound| -> Option<f64> {
                    let k = match b {
                        RangeBound::Unbounded => return None,
                        RangeBound::Current => return Some(v),
                        RangeBound::At(k) => *k,
                    };
                    let k = if asc { k } else { -k };
                    Some(match unit {
                        None => v + k,
                        Some(Unit::Millis(ms)) => v + k * *ms as f64,
                        Some(Unit::Months(m)) => add_months(v as i64, k as i64 * m) as f64,
                    })
                };
                Ok((0..n)
                    .map(|i| {
                        let v = vals[i];
                        let (a, b) = (shift(v, lo), shift(v, hi));
                        if asc {
                            let s = a.map_or(0, |a| vals.partition_point(|x| *x < a));
                            let e = b.map_or(n, |b| vals.partition_point(|x| *x <= b));
                            (s, e.max(s))
                        } else {
                            let s = a.map_or(0, |a| vals.partition_point(|x| *x > a));
                            let e = b.map_or(n, |b| vals.partition_point(|x| *x >= b));
                            (s, e.max(s))
                        }
                    })
                    .collect())
            }
        }
    }

    fn compute(
        &self,
        o: &Output,
        docs: &[&Document],
        keys: &[Option<&SortKey>],
        env: &Env,
    ) -> Result<Vec<Bson>, QueryError> {
        let n = docs.len();
        let eval_all = |e: &Expr| -> Result<Vec<Value>, QueryError> {
            docs.iter().map(|d| e.eval(&mut Ctx::new(d, env))).collect()
        };
        match &o.func {
            Func::Acc(spec) => {
                let inputs: Vec<Value> = docs
                    .iter()
                    .map(|d| spec.input(&mut Ctx::new(d, env)))
                    .collect::<Result<_, _>>()?;
                // `n` is evaluated once, against no document (as mongod).
                let empty = Document::new();
                let proto = spec.new_state(&mut Ctx::new(&empty, env))?;
                let fresh = || -> Result<State, QueryError> { Ok(proto.clone()) };
                let windows = self.windows(&o.window, docs)?;
                let mut out = Vec::with_capacity(n);
                let mut cur: Option<(State, usize, usize)> = None;
                for &(s, e) in &windows {
                    let reuse = matches!(&cur, Some((st, s0, e0)) if st.removable() && s >= *s0 && e >= *e0)
                        || matches!(&cur, Some((_, s0, e0)) if s == *s0 && e == *e0);
                    if reuse {
                        if let Some((st, s0, e0)) = cur.as_mut() {
                            if s != *s0 || e != *e0 {
                                for v in &inputs[*s0..s.min(*e0)] {
                                    st.remove(v);
                                }
                                for v in &inputs[(*e0).max(s)..e] {
                                    st.add(v.clone())?;
                                }
                                *s0 = s;
                                *e0 = e;
                            }
                            out.push(st.finish());
                        }
                    } else {
                        let mut st = fresh()?;
                        for v in &inputs[s..e] {
                            st.add(v.clone())?;
                        }
                        out.push(st.finish());
                        cur = Some((st, s, e));
                    }
                }
                Ok(out)
            }
            Func::Rank(kind) => {
                let mut out = Vec::with_capacity(n);
                let (mut rank, mut dense) = (0usize, 0usize);
                for i in 0..n {
                    let same = i > 0
                        && match (&self.sort, keys[i - 1], keys[i]) {
                            (Some(s), Some(a), Some(b)) => s.compare_keys(a, b).is_eq(),
                            _ => false,
                        };
                    if !same {
                        rank = i + 1;
                        dense += 1;
                    }
                    let v = match kind {
                        RankKind::Rank => rank,
                        RankKind::Dense => dense,
                        RankKind::Number => i + 1,
                    };
                    out.push(i32::try_from(v).map_or(Bson::Int64(v as i64), Bson::Int32));
                }
                Ok(out)
            }
            Func::Shift {
                output,
                by,
                default,
            } => (0..n)
                .map(|i| {
                    let j = i as i64 + by;
                    if j < 0 || j >= n as i64 {
                        return Ok(default.clone());
                    }
                    Ok(output
                        .eval(&mut Ctx::new(docs[j as usize], env))?
                        .unwrap_or(Bson::Null))
                })
                .collect(),
            Func::Derivative { input, unit } => {
                let ys = eval_all(input)?;
                let xs = self.raw_sort_values(docs);
                let windows = self.windows(&o.window, docs)?;
                windows
                    .iter()
                    .map(|&(s, e)| {
                        if e <= s {
                            return Ok(Bson::Null);
                        }
                        let (l, r) = (s, e - 1);
                        let run = match (unit, &xs[l], &xs[r]) {
                            (Some(_), Some(Bson::DateTime(a)), Some(Bson::DateTime(b))) => {
                                (b.timestamp_millis() - a.timestamp_millis()) as f64
                            }
                            (Some(_), _, _) => {
                                return Err(failed(
                                    5624900,
                                    "$derivative with 'unit' expects the sortBy field to be a Date",
                                ));
                            }
                            (None, Some(Bson::DateTime(_)), _) | (None, _, Some(Bson::DateTime(_))) => {
                                return Err(failed(
                                    5624901,
                                    "$derivative where the sortBy is a Date requires an 'unit'",
                                ));
                            }
                            (None, a, b) => match (a.as_ref().and_then(to_f64), b.as_ref().and_then(to_f64)) {
                                (Some(a), Some(b)) => b - a,
                                _ => {
                                    return Err(failed(
                                        5624902,
                                        "$derivative (with no 'unit') expects the sortBy field to be numeric",
                                    ));
                                }
                            },
                        };
                        let (y1, y2) = (&ys[l], &ys[r]);
                        if y1.as_ref().is_none_or(|v| matches!(v, Bson::Null | Bson::Undefined))
                            || y2.as_ref().is_none_or(|v| matches!(v, Bson::Null | Bson::Undefined))
                        {
                            return Err(failed(
                                5624903,
                                "$derivative input must not be null or missing",
                            ));
                        }
                        let (Some(y1), Some(y2)) = (
                            y1.as_ref().and_then(to_f64),
                            y2.as_ref().and_then(to_f64),
                        ) else {
                            return Err(failed(
                                16556,
                                "cant $subtract a non-number from a number",
                            ));
                        };
                        if run == 0.0 {
                            return Ok(Bson::Null);
                        }
                        let mut r = (y2 - y1) / run;
                        if let Some(u) = unit {
                            r *= *u as f64;
                        }
                        Ok(Bson::Double(r))
                    })
                    .collect()
            }
            Func::Integral { input, unit } => {
                let ys = eval_all(input)?;
                let xs = self.raw_sort_values(docs);
                // Each point as (x in ms or as a number, y), checked as mongod.
                let mut pts = Vec::with_capacity(n);
                for (x, y) in xs.iter().zip(&ys) {
                    let y = match y.as_ref() {
                        Some(v) if to_f64(v).is_some() => to_f64(v).unwrap_or(0.0),
                        _ => {
                            return Err(failed(
                                5423900,
                                "The input value of $integral window function must be a vector \
                                 of 2 value, the first value must be numeric or date type and the \
                                 second must be numeric.",
                            ));
                        }
                    };
                    let x = match (unit, x) {
                        (Some(_), Some(Bson::DateTime(t))) => t.timestamp_millis() as f64,
                        (Some(_), _) => {
                            return Err(failed(
                                5423901,
                                "$integral with 'outputUnit' expects the sortBy field to be a Date",
                            ));
                        }
                        (None, Some(v)) if to_f64(v).is_some() => to_f64(v).unwrap_or(0.0),
                        (None, _) => {
                            return Err(failed(
                                5423902,
                                "$integral (with no 'outputUnit') expects the sortBy field to be numeric",
                            ));
                        }
                    };
                    pts.push((x, y));
                }
                let windows = self.windows(&o.window, docs)?;
                Ok(windows
                    .iter()
                    .map(|&(s, e)| {
                        if e <= s {
                            return Bson::Null;
                        }
                        let w = &pts[s..e];
                        if w.iter().any(|(x, y)| x.is_nan() || y.is_nan()) {
                            return Bson::Double(f64::NAN);
                        }
                        let total: f64 = w
                            .windows(2)
                            .map(|p| (p[1].1 + p[0].1) * (p[1].0 - p[0].0) / 2.0)
                            .sum();
                        Bson::Double(match unit {
                            Some(u) => total / *u as f64,
                            None => total,
                        })
                    })
                    .collect())
            }
            Func::Covariance { x, y, samp } => {
                let xs = eval_all(x)?;
                let ys = eval_all(y)?;
                let windows = self.windows(&o.window, docs)?;
                Ok(windows
                    .iter()
                    .map(|&(s, e)| {
                        let pairs: Vec<(f64, f64)> = (s..e)
                            .filter_map(|j| {
                                Some((
                                    xs[j].as_ref().and_then(to_f64)?,
                                    ys[j].as_ref().and_then(to_f64)?,
                                ))
                            })
                            .collect();
                        let k = pairs.len();
                        if k == 0 || (*samp && k < 2) {
                            return Bson::Null;
                        }
                        let (mut mx, mut my, mut c) = (0.0, 0.0, 0.0);
                        for (i, (a, b)) in pairs.iter().enumerate() {
                            let cnt = (i + 1) as f64;
                            let dx = a - mx;
                            mx += dx / cnt;
                            my += (b - my) / cnt;
                            c += dx * (b - my);
                        }
                        let d = if *samp { k - 1 } else { k };
                        Bson::Double(c / d as f64)
                    })
                    .collect())
            }
            Func::ExpMovingAvg { input, alpha } => {
                let vals = eval_all(input)?;
                let mut cur: Option<Bson> = None;
                let dalpha = Bson::Decimal128(
                    update::decimal_from_total(&Bson::Double(*alpha))
                        .unwrap_or(Decimal128::from_bytes([0; 16])),
                );
                let one_minus = agg_arith(&Bson::Int32(1), &dalpha, ArithOp::Sub);
                Ok(vals
                    .into_iter()
                    .map(|v| {
                        if let Some(x) = v.filter(|x| to_f64(x).is_some()) {
                            cur = Some(match (&cur, &x) {
                                (None, Bson::Decimal128(_)) => x,
                                (None, _) => Bson::Double(to_f64(&x).unwrap_or(0.0)),
                                (Some(prev), Bson::Decimal128(_)) => agg_arith(
                                    &agg_arith(&x, &dalpha, ArithOp::Mul),
                                    &agg_arith(prev, &one_minus, ArithOp::Mul),
                                    ArithOp::Add,
                                ),
                                (Some(prev), _) => Bson::Double(
                                    to_f64(&x).unwrap_or(0.0) * alpha
                                        + to_f64(prev).unwrap_or(0.0) * (1.0 - alpha),
                                ),
                            });
                        }
                        cur.clone().unwrap_or(Bson::Null)
                    })
                    .collect())
            }
            Func::Locf(e) => {
                let vals = eval_all(e)?;
                let mut last = Bson::Null;
                Ok(vals
                    .into_iter()
                    .map(|v| {
                        match v {
                            Some(Bson::Null) | Some(Bson::Undefined) | None => {}
                            Some(x) => last = x,
                        }
                        last.clone()
                    })
                    .collect())
            }
            Func::LinearFill(e) => {
                let vals = eval_all(e)?;
                let dates = self
                    .sort_field
                    .as_ref()
                    .and_then(|(p, _)| docs.first().map(|d| path::get_doc(d, p)))
                    .flatten()
                    .is_some_and(|v| matches!(v, Bson::DateTime(_)));
                let xs = self.sort_values(docs, dates, "$linearFill")?;
                let known: Vec<usize> = (0..n)
                    .filter(|&i| !matches!(vals[i], None | Some(Bson::Null)))
                    .collect();
                for &i in &known {
                    if vals[i].as_ref().and_then(to_f64).is_none() {
                        return Err(failed(
                            6050106,
                            format!(
                                "There can be no non-numeric values in a $linearFill input: {}",
                                vals[i].as_ref().map_or("missing", type_name)
                            ),
                        ));
                    }
                }
                let mut out: Vec<Bson> = vals
                    .iter()
                    .map(|v| v.clone().unwrap_or(Bson::Null))
                    .collect();
                for w in known.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let (ya, yb) = (
                        vals[a].as_ref().and_then(to_f64).unwrap_or(0.0),
                        vals[b].as_ref().and_then(to_f64).unwrap_or(0.0),
                    );
                    for (j, slot) in out.iter_mut().enumerate().take(b).skip(a + 1) {
                        let dx = xs[b] - xs[a];
                        let v = if dx == 0.0 {
                            ya
                        } else {
                            ya + (xs[j] - xs[a]) * (yb - ya) / dx
                        };
                        *slot = Bson::Double(v);
                    }
                }
                Ok(out)
            }
        }
    }
}

/// `ms` plus `months` calendar months in UTC (the day clamped to the
/// month's length, as `$dateAdd`).
fn add_months(ms: i64, months: i64) -> i64 {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
    let len = match nm {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    days_from_civil(ny, nm, d.min(len))
        .saturating_mul(86_400_000)
        .saturating_add(rem)
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_func(
    name: &str,
    arg: &Bson,
    pc: &mut ParseCtx,
    sort_field: &Option<(Vec<String>, bool)>,
    has_sort: bool,
    has_window: bool,
) -> Result<Func, QueryError> {
    let no_window = |what: &str| -> Result<(), QueryError> {
        if has_window {
            Err(failed(
                ErrorCode::FAILED_TO_PARSE,
                format!("'window' field is not allowed in {what}"),
            ))
        } else {
            Ok(())
        }
    };
    let named = |d: &Bson, allowed: &[&str]| -> Result<Document, QueryError> {
        let Bson::Document(d) = d else {
            return Err(failed(
                ErrorCode::FAILED_TO_PARSE,
                format!("Argument to {name} must be an object"),
            ));
        };
        for k in d.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("{name} got unexpected argument: {k}"),
                ));
            }
        }
        Ok(d.clone())
    };
    Ok(match name {
        "$rank" | "$denseRank" | "$documentNumber" => {
            if !matches!(arg, Bson::Document(d) if d.is_empty()) {
                return Err(failed(
                    5371603,
                    format!("{name} must be specified with '{{}}' as the value"),
                ));
            }
            if has_window {
                return Err(failed(
                    5371601,
                    "Rank style window functions take no other arguments",
                ));
            }
            if sort_field.is_none() {
                return Err(failed(
                    5371602,
                    format!(
                        "{name} must be specified with a top level sortBy expression with exactly one element"
                    ),
                ));
            }
            no_window(name)?;
            Func::Rank(match name {
                "$rank" => RankKind::Rank,
                "$denseRank" => RankKind::Dense,
                _ => RankKind::Number,
            })
        }
        "$shift" => {
            let d = named(arg, &["output", "by", "default"])?;
            no_window(name)?;
            if !has_sort {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "$shift requires a sortBy",
                ));
            }
            let output = Expr::parse(
                d.get("output").ok_or_else(|| {
                    failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "$shift requires an 'output' expression.",
                    )
                })?,
                pc,
            )?;
            let by = d
                .get("by")
                .ok_or_else(|| {
                    failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "$shift requires 'by' as an integer value.",
                    )
                })
                .and_then(|b| {
                    int_of(b).ok_or_else(|| {
                        failed(
                            ErrorCode::FAILED_TO_PARSE,
                            "$shift requires 'by' as an integer value.",
                        )
                    })
                })?;
            let default = match d.get("default") {
                None => Bson::Null,
                Some(v) => {
                    let e = Expr::parse(v, pc)?;
                    e.as_constant().cloned().ok_or_else(|| {
                        failed(
                            ErrorCode::FAILED_TO_PARSE,
                            "'$shift:default' expression must yield a constant value.",
                        )
                    })?
                }
            };
            Func::Shift {
                output,
                by,
                default,
            }
        }
        "$derivative" | "$integral" => {
            if !has_sort {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("{name} requires a sortBy"),
                ));
            }
            if sort_field.is_none() {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("{name} requires a non-compound sortBy"),
                ));
            }
            let d = named(arg, &["input", "unit"])?;
            if name == "$derivative" && !has_window {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "$derivative requires explicit window bounds",
                ));
            }
            let input = Expr::parse(
                d.get("input").ok_or_else(|| {
                    failed(
                        ErrorCode::FAILED_TO_PARSE,
                        format!("{name} requires an 'input' expression"),
                    )
                })?,
                pc,
            )?;
            let unit = d.get("unit").map(parse_fixed_unit).transpose()?;
            if name == "$derivative" {
                Func::Derivative { input, unit }
            } else {
                Func::Integral { input, unit }
            }
        }
        "$covariancePop" | "$covarianceSamp" => {
            let Bson::Array(items) = arg else {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("{name} requires an array of two expressions"),
                ));
            };
            if items.len() != 2 {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("{name} requires an array of two expressions"),
                ));
            }
            Func::Covariance {
                x: Expr::parse(&items[0], pc)?,
                y: Expr::parse(&items[1], pc)?,
                samp: name == "$covarianceSamp",
            }
        }
        "$expMovingAvg" => {
            let d = named(arg, &["input", "N", "alpha"])?;
            if has_window || d.len() != 2 || !d.contains_key("input") {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "$expMovingAvg sub object must have exactly two fields: An 'input' field, \
                     and either an 'N' field or an 'alpha' field",
                ));
            }
            if !has_sort {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    "$expMovingAvg requires an explicit 'sortBy'",
                ));
            }
            let input = Expr::parse(
                d.get("input").ok_or_else(|| {
                    failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "$expMovingAvg requires an 'input' expression",
                    )
                })?,
                pc,
            )?;
            let alpha = match (d.get("N"), d.get("alpha")) {
                (Some(_), Some(_)) | (None, None) => {
                    return Err(failed(
                        ErrorCode::FAILED_TO_PARSE,
                        "$expMovingAvg must have exactly one of 'N' or 'alpha'",
                    ));
                }
                (Some(nv), None) => match int_of(nv) {
                    Some(k) if k > 0 && !matches!(nv, Bson::Decimal128(_)) => {
                        2.0 / (k as f64 + 1.0)
                    }
                    _ => {
                        return Err(failed(
                            ErrorCode::FAILED_TO_PARSE,
                            "'N' field must be an integer, but found type ".to_string()
                                + type_name(nv),
                        ));
                    }
                },
                (None, Some(a)) => match to_f64(a) {
                    Some(x) if x > 0.0 && x < 1.0 => x,
                    _ => {
                        return Err(failed(
                            ErrorCode::FAILED_TO_PARSE,
                            "'alpha' must be between 0 and 1 (exclusive)",
                        ));
                    }
                },
            };
            Func::ExpMovingAvg { input, alpha }
        }
        "$linearFill" | "$locf" => {
            no_window(name)?;
            if name == "$linearFill" && sort_field.is_none() {
                return Err(failed(
                    605001,
                    "$linearFill requires a sortBy with exactly one field",
                ));
            }
            let e = Expr::parse(arg, pc)?;
            if name == "$linearFill" {
                Func::LinearFill(e)
            } else {
                Func::Locf(e)
            }
        }
        _ => {
            let Some(kind) = Kind::from_name(name) else {
                return Err(failed(
                    ErrorCode::FAILED_TO_PARSE,
                    format!("Unrecognized window function, {name}"),
                ));
            };
            let _ = kind;
            Func::Acc(AccumulatorSpec::parse(name, arg, pc)?)
        }
    })
}

/// The `$setWindowFields` stage.
#[derive(Debug)]
pub struct WindowStage(SetWindowFields);

impl WindowStage {
    pub fn parse(
        arg: &Bson,
        pc: &crate::db::pipeline::ParseCtx<'_>,
    ) -> Result<WindowStage, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(QueryError::failed_to_parse(
                "the $setWindowFields stage specification must be an object",
            ));
        };
        Ok(WindowStage(SetWindowFields::parse(spec, &mut pc.expr())?))
    }
}

impl crate::db::pipeline::Stage for WindowStage {
    fn run(
        &self,
        docs: Vec<Document>,
        cx: &crate::db::pipeline::RunCtx<'_>,
    ) -> Result<Vec<Document>, QueryError> {
        self.0.run(docs, cx.env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bson::doc;

    fn swf(spec: Document, docs: Vec<Document>) -> Result<Vec<Document>, i32> {
        let env = Env::default();
        let w = SetWindowFields::parse(&spec, &mut env.parse_ctx()).map_err(|e| e.code)?;
        let mut out = w.run(docs, &env).map_err(|e| e.code)?;
        out.sort_by(|a, b| {
            compare_bson(
                a.get("_id").unwrap_or(&Bson::Null),
                b.get("_id").unwrap_or(&Bson::Null),
            )
        });
        Ok(out)
    }

    fn field(out: &[Document], f: &str) -> Vec<Bson> {
        out.iter()
            .map(|d| d.get(f).cloned().unwrap_or(Bson::Null))
            .collect()
    }

    fn nums() -> Vec<Document> {
        (1..=5)
            .map(|i| doc! {"_id": i, "x": i, "g": i % 2})
            .collect()
    }

    #[test]
    fn running_and_sliding_sums() {
        let out = swf(
            doc! {"sortBy": {"x": 1}, "output": {
                "run": {"$sum": "$x", "window": {"documents": ["unbounded", "current"]}},
                "mov": {"$avg": "$x", "window": {"documents": [-1, 0]}},
                "cnt": {"$count": {}, "window": {"range": [-1, 1]}},
            }},
            nums(),
        );
        let Ok(out) = out else { panic!("{out:?}") };
        assert_eq!(
            field(&out, "run"),
            vec![1.into(), 3.into(), 6.into(), 10.into(), 15.into()]
        );
        assert_eq!(
            field(&out, "mov"),
            vec![1.0.into(), 1.5.into(), 2.5.into(), 3.5.into(), 4.5.into()]
        );
        assert_eq!(
            field(&out, "cnt"),
            vec![2.into(), 3.into(), 3.into(), 3.into(), 2.into()]
        );
    }

    #[test]
    fn ranks_and_shift() {
        let docs = vec![
            doc! {"_id": 1, "q": 140},
            doc! {"_id": 2, "q": 140},
            doc! {"_id": 3, "q": 120},
        ];
        let out = swf(
            doc! {"sortBy": {"q": -1}, "output": {
                "r": {"$rank": {}}, "d": {"$denseRank": {}}, "n": {"$documentNumber": {}},
                "s": {"$shift": {"output": "$q", "by": 1, "default": "none"}},
            }},
            docs,
        );
        let Ok(out) = out else { panic!() };
        assert_eq!(field(&out, "r"), vec![1.into(), 1.into(), 3.into()]);
        assert_eq!(field(&out, "d"), vec![1.into(), 1.into(), 2.into()]);
        assert_eq!(field(&out, "n"), vec![1.into(), 2.into(), 3.into()]);
        assert_eq!(
            field(&out, "s"),
            vec![140.into(), 120.into(), "none".into()]
        );
        assert_eq!(
            swf(doc! {"output": {"r": {"$rank": {}}}}, vec![]),
            Err(5371602)
        );
    }

    #[test]
    fn fills() {
        // The manual's $linearFill example: 0, null, null, null, 10.
        let docs: Vec<Document> = [Some(0), None, None, None, Some(10)]
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut d = doc! {"_id": i as i32, "i": i as i32};
                d.insert("v", v.map_or(Bson::Null, Bson::Int32));
                d
            })
            .collect();
        let out = swf(
            doc! {"sortBy": {"i": 1}, "output": {"lf": {"$linearFill": "$v"}, "lo": {"$locf": "$v"}}},
            docs,
        );
        let Ok(out) = out else { panic!() };
        assert_eq!(
            field(&out, "lf"),
            vec![0.into(), 2.5.into(), 5.0.into(), 7.5.into(), 10.into()]
        );
        assert_eq!(
            field(&out, "lo"),
            vec![0.into(), 0.into(), 0.into(), 0.into(), 10.into()]
        );
    }

    #[test]
    fn exp_moving_avg_manual() {
        // The manual: ABC prices 13, 15.4, 12, 11.7 with N 2.
        let docs: Vec<Document> = [13.0, 15.4, 12.0, 11.7]
            .iter()
            .enumerate()
            .map(|(i, p)| doc! {"_id": i as i32, "p": *p})
            .collect();
        let out = swf(
            doc! {"sortBy": {"_id": 1}, "output": {"e": {"$expMovingAvg": {"input": "$p", "N": 2}}}},
            docs,
        );
        let Ok(out) = out else { panic!() };
        let e = field(&out, "e");
        let want = [13.0, 14.6, 12.866666666666667, 12.088888888888889];
        for (g, w) in e.iter().zip(want) {
            let Bson::Double(g) = g else { panic!() };
            assert!((g - w).abs() < 1e-9, "{g} {w}");
        }
    }

    #[test]
    fn months_add_clamps() {
        // 2020-01-31 + 1 month = 2020-02-29.
        let jan31 = 1_580_428_800_000;
        assert_eq!(add_months(jan31, 1), 1_582_934_400_000);
    }
}
