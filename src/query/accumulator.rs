//! Accumulators, one implementation for `$group`, `$bucket`,
//! `$setWindowFields` and the expression forms (`{$sum: [..]}`): `$sum`
//! `$avg` `$min` `$max` `$first` `$last` `$push` `$addToSet` `$count`
//! `$mergeObjects` `$stdDevPop` `$stdDevSamp` `$top` `$bottom` `$topN`
//! `$bottomN` `$firstN` `$lastN` `$maxN` `$minN` `$median` `$percentile`.
//!
//! An [`AccumulatorSpec`] is parsed once; it evaluates each document's
//! argument ([`AccumulatorSpec::input`]) and makes [`State`]s (one per
//! group or window) that take those values with [`State::add`] and give
//! the result with [`State::finish`]. `$sum`, `$avg` and `$count` states
//! also take [`State::remove`], so sliding windows need not recompute.

use crate::engine::keys::{compare_bson, encode_key};
use crate::query::error::{QueryError, fmt_value, type_name};
use crate::query::expr::{Ctx, Expr, ParseCtx, Value};
use crate::query::sort::{SortKey, SortSpec};
use crate::query::update;
use bson::{Bson, Decimal128, Document};
use std::cmp::Ordering;
use std::collections::HashSet;

/// Which accumulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sum,
    Avg,
    Min,
    Max,
    First,
    Last,
    Push,
    AddToSet,
    Count,
    MergeObjects,
    StdDevPop,
    StdDevSamp,
    Top,
    Bottom,
    TopN,
    BottomN,
    FirstN,
    LastN,
    MaxN,
    MinN,
    Median,
    Percentile,
}

impl Kind {
    /// The accumulator of that name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "$sum" => Kind::Sum,
            "$avg" => Kind::Avg,
            "$min" => Kind::Min,
            "$max" => Kind::Max,
            "$first" => Kind::First,
            "$last" => Kind::Last,
            "$push" => Kind::Push,
            "$addToSet" => Kind::AddToSet,
            "$count" => Kind::Count,
            "$mergeObjects" => Kind::MergeObjects,
            "$stdDevPop" => Kind::StdDevPop,
            "$stdDevSamp" => Kind::StdDevSamp,
            "$top" => Kind::Top,
            "$bottom" => Kind::Bottom,
            "$topN" => Kind::TopN,
            "$bottomN" => Kind::BottomN,
            "$firstN" => Kind::FirstN,
            "$lastN" => Kind::LastN,
            "$maxN" => Kind::MaxN,
            "$minN" => Kind::MinN,
            "$median" => Kind::Median,
            "$percentile" => Kind::Percentile,
            _ => return None,
        })
    }
}

/// A parsed accumulator: its kind, the expression evaluated per
/// document, and the parameters fixed at parse time.
#[derive(Debug)]
pub struct AccumulatorSpec {
    pub name: String,
    pub kind: Kind,
    /// The per-document argument (for `$top`/`$bottom` an object
    /// `{output, sortFields0, ...}`, as mongod builds it).
    arg: Expr,
    /// `n` of the n-accumulators, evaluated once per group.
    n: Option<Expr>,
    /// The sort of `$top`/`$bottom` over `sortFields<i>`.
    sort: Option<SortSpec>,
    /// The percentiles of `$percentile` (`[0.5]` for `$median`).
    ps: Vec<f64>,
}

/// Parses `{input, p, method}` of `$percentile`/`$median`; the input
/// expression and the percentiles.
pub fn parse_quantile<'a>(
    name: &str,
    arg: &'a Bson,
    median: bool,
    expression: bool,
) -> Result<(&'a Bson, Vec<f64>), QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            if expression { 7436200 } else { 7429703 },
            format!(
                "specification must be an object; found {name}: {}",
                fmt_value(arg)
            ),
        ));
    };
    let (mut input, mut p, mut method) = (None, None, None);
    for (k, v) in d {
        match k.as_str() {
            "input" => input = Some(v),
            "p" if !median => p = Some(v),
            "method" => method = Some(v),
            _ => {
                return Err(QueryError::location(
                    40415,
                    format!("BSON field '{name}.{k}' is an unknown field."),
                ));
            }
        }
    }
    let missing = |f: &str| {
        QueryError::location(
            40414,
            format!("BSON field '{name}.{f}' is missing but a required field"),
        )
    };
    let input = input.ok_or_else(|| missing("input"))?;
    if !median && p.is_none() {
        return Err(missing("p"));
    }
    match method {
        None => return Err(missing("method")),
        Some(Bson::String(m)) if m == "approximate" || m == "discrete" => {}
        Some(Bson::String(_)) => {
            return Err(QueryError::bad_value(
                "Currently only 'approximate' can be used as percentile 'method'.",
            ));
        }
        Some(other) => {
            return Err(QueryError::type_mismatch(format!(
                "BSON field '{name}.method' is the wrong type '{}', expected type 'string'",
                type_name(other)
            )));
        }
    }
    let ps = match p {
        None => vec![0.5],
        Some(p) => parse_ps(p)?,
    };
    Ok((input, ps))
}

fn parse_ps(p: &Bson) -> Result<Vec<f64>, QueryError> {
    let mut pc = ParseCtx::default();
    let e = Expr::parse(p, &mut pc)?;
    let Some(v) = e.as_constant() else {
        return Err(QueryError::location(
            7750300,
            format!(
                "The $percentile 'p' field must be an array of constant values, but found value: {}.",
                fmt_value(p)
            ),
        ));
    };
    let msg = "The $percentile 'p' field must be an array of numbers from [0.0, 1.0], but found: ";
    let Bson::Array(items) = v else {
        return Err(QueryError::location(
            7750301,
            format!("{msg}{}", fmt_value(v)),
        ));
    };
    if items.is_empty() {
        return Err(QueryError::location(7750301, format!("{msg}[]")));
    }
    let mut ps = Vec::with_capacity(items.len());
    for i in items {
        let Some(x) = to_f64(i) else {
            return Err(QueryError::location(
                7750302,
                format!("{msg}{}", fmt_value(i)),
            ));
        };
        if !(0.0..=1.0).contains(&x) {
            return Err(QueryError::location(7750303, format!("{msg}{x}")));
        }
        ps.push(x);
    }
    Ok(ps)
}

/// The discrete percentile of sorted samples.
pub fn discrete_percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = if p >= 1.0 {
        n - 1
    } else if p <= 0.0 {
        0
    } else {
        ((p * n as f64).ceil() as usize)
            .saturating_sub(1)
            .min(n - 1)
    };
    Some(sorted[rank])
}

/// `$percentile`'s result (an array) or `$median`'s (a scalar).
pub fn quantile_result(samples: &mut [f64], ps: &[f64], median: bool) -> Bson {
    samples.sort_by(|a, b| a.total_cmp(b));
    let vals: Vec<Bson> = ps
        .iter()
        .map(|p| discrete_percentile(samples, *p).map_or(Bson::Null, Bson::Double))
        .collect();
    if median {
        vals.into_iter().next().unwrap_or(Bson::Null)
    } else {
        Bson::Array(vals)
    }
}

/// A number as a double (decimals converted), `None` for non-numbers.
pub fn to_f64(v: &Bson) -> Option<f64> {
    match v {
        Bson::Int32(n) => Some(f64::from(*n)),
        Bson::Int64(n) => Some(*n as f64),
        Bson::Double(n) => Some(*n),
        Bson::Decimal128(d) => d.to_string().parse::<f64>().ok().or_else(|| {
            let s = d.to_string();
            if s.contains("NaN") {
                Some(f64::NAN)
            } else if s.starts_with('-') {
                Some(f64::NEG_INFINITY)
            } else {
                Some(f64::INFINITY)
            }
        }),
        _ => None,
    }
}

/// Checks `n` of the n-accumulators as mongod does.
pub fn validate_n(v: &Value) -> Result<usize, QueryError> {
    let shown = v.as_ref().map_or("missing".to_string(), fmt_value);
    let Some(f) = v.as_ref().and_then(to_f64) else {
        return Err(QueryError::location(
            5787902,
            format!("Value for 'n' must be of integral type, but found {shown}"),
        ));
    };
    let n = match v {
        Some(Bson::Int32(i)) => i64::from(*i),
        Some(Bson::Int64(i)) => *i,
        _ => f as i64,
    };
    if n as f64 != f {
        return Err(QueryError::location(
            5787903,
            format!("Value for 'n' must be of integral type, but found {shown}"),
        ));
    }
    if n <= 0 {
        return Err(QueryError::location(
            5787908,
            format!("'n' must be greater than 0, found {n}"),
        ));
    }
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The fields of `{n, input}` (`$firstN` and friends).
pub fn parse_n_args<'a>(
    name: &str,
    arg: &'a Bson,
    not_object_code: i32,
) -> Result<(&'a Bson, &'a Bson), QueryError> {
    let Bson::Document(d) = arg else {
        return Err(QueryError::location(
            not_object_code,
            format!(
                "specification must be an object; found {name}: {}",
                fmt_value(arg)
            ),
        ));
    };
    let (mut n, mut input) = (None, None);
    for (k, v) in d {
        match k.as_str() {
            "n" => n = Some(v),
            "input" => input = Some(v),
            _ => {
                return Err(QueryError::location(
                    5787901,
                    format!("Unknown argument for 'n' operator: {k}"),
                ));
            }
        }
    }
    let n = n.ok_or_else(|| QueryError::location(5787906, "Missing value for 'n'"))?;
    let input = input.ok_or_else(|| QueryError::location(5787907, "Missing value for 'input'"))?;
    Ok((n, input))
}

impl AccumulatorSpec {
    /// Parses `{<name>: <arg>}` as an accumulator.
    pub fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Result<AccumulatorSpec, QueryError> {
        let kind = Kind::from_name(name).ok_or_else(|| {
            QueryError::location(15952, format!("unknown group operator '{name}'"))
        })?;
        let mut spec = AccumulatorSpec {
            name: name.to_string(),
            kind,
            arg: Expr(crate::query::expr::Node::Literal(Bson::Null)),
            n: None,
            sort: None,
            ps: Vec::new(),
        };
        match kind {
            Kind::Count => {
                if !matches!(arg, Bson::Document(d) if d.is_empty()) {
                    return Err(QueryError::type_mismatch(
                        "$count takes no arguments, i.e. $count:{}",
                    ));
                }
                spec.arg = Expr(crate::query::expr::Node::Literal(Bson::Int32(1)));
            }
            Kind::FirstN | Kind::LastN | Kind::MaxN | Kind::MinN => {
                let code = if matches!(kind, Kind::FirstN | Kind::LastN) {
                    5787801
                } else {
                    5787900
                };
                let (n, input) = parse_n_args(name, arg, code)?;
                spec.n = Some(Expr::parse(n, pc)?);
                spec.arg = Expr::parse(input, pc)?;
            }
            Kind::Top | Kind::Bottom | Kind::TopN | Kind::BottomN => {
                let single = matches!(kind, Kind::Top | Kind::Bottom);
                let Bson::Document(d) = arg else {
                    return Err(QueryError::location(
                        5788001,
                        format!(
                            "specification must be an object; found {name}: {}",
                            fmt_value(arg)
                        ),
                    ));
                };
                let (mut n, mut output, mut sort_by) = (None, None, None);
                for (k, v) in d {
                    match k.as_str() {
                        "n" if !single => n = Some(v),
                        "output" => output = Some(v),
                        "sortBy" => sort_by = Some(v),
                        _ => {
                            return Err(QueryError::location(
                                5788002,
                                format!("Unknown argument to {name} '{k}'"),
                            ));
                        }
                    }
                }
                if !single {
                    let n =
                        n.ok_or_else(|| QueryError::location(5788003, "Missing value for 'n'"))?;
                    spec.n = Some(Expr::parse(n, pc)?);
                }
                let output = output
                    .ok_or_else(|| QueryError::location(5788004, "Missing value for 'output'"))?;
                let sort_by = sort_by
                    .ok_or_else(|| QueryError::location(5788005, "Missing value for 'sortBy'"))?;
                let Bson::Document(sort_by) = sort_by else {
                    return Err(QueryError::type_mismatch(format!(
                        "{name} sortBy must be an object, found {}",
                        type_name(sort_by)
                    )));
                };
                SortSpec::parse(sort_by)?;
                let mut internal = Document::new();
                let mut obj = Document::new();
                obj.insert("output", output.clone());
                for (i, (field, dir)) in sort_by.iter().enumerate() {
                    internal.insert(format!("sortFields{i}"), dir.clone());
                    obj.insert(format!("sortFields{i}"), format!("${field}"));
                }
                spec.sort = Some(SortSpec::parse(&internal)?);
                spec.arg = Expr(crate::query::expr::parse_document(&obj, pc)?);
            }
            Kind::Median | Kind::Percentile => {
                let (input, ps) = parse_quantile(name, arg, kind == Kind::Median, false)?;
                spec.ps = ps;
                spec.arg = Expr::parse(input, pc)?;
            }
            _ => {
                if let Bson::Array(_) = arg {
                    return Err(QueryError::location(
                        40237,
                        format!("The {name} accumulator is a unary operator"),
                    ));
                }
                spec.arg = Expr::parse(arg, pc)?;
            }
        }
        Ok(spec)
    }

    /// Whether the accumulator has an `n` to evaluate per group.
    pub fn has_n(&self) -> bool {
        self.n.is_some()
    }

    /// One document's argument value.
    pub fn input(&self, cx: &mut Ctx<'_>) -> Result<Value, QueryError> {
        self.arg.eval(cx)
    }

    /// A new state; `cx` is the group's first document (for `n`).
    pub fn new_state(&self, cx: &mut Ctx<'_>) -> Result<State, QueryError> {
        let n = match &self.n {
            Some(e) => validate_n(&e.eval(cx)?)?,
            None => 1,
        };
        Ok(self.state_with_n(n))
    }

    /// A new state with a known `n`.
    pub fn state_with_n(&self, n: usize) -> State {
        match self.kind {
            Kind::Sum | Kind::Count => State::Sum(Sum::default()),
            Kind::Avg => State::Avg(Sum::default()),
            Kind::Min => State::MinMax(false, None),
            Kind::Max => State::MinMax(true, None),
            Kind::First => State::First(None),
            Kind::Last => State::Last(None),
            Kind::Push => State::Push(Vec::new()),
            Kind::AddToSet => State::AddToSet(Vec::new(), HashSet::new()),
            Kind::MergeObjects => State::Merge(Document::new()),
            Kind::StdDevPop => State::StdDev(false, StdDev::default()),
            Kind::StdDevSamp => State::StdDev(true, StdDev::default()),
            Kind::Top | Kind::Bottom | Kind::TopN | Kind::BottomN => State::TopBottom(TopBottom {
                top: matches!(self.kind, Kind::Top | Kind::TopN),
                single: matches!(self.kind, Kind::Top | Kind::Bottom),
                n,
                sort: self.sort.clone(),
                items: Vec::new(),
            }),
            Kind::FirstN => State::FirstN(n, Vec::new()),
            Kind::LastN => State::LastN(n, std::collections::VecDeque::new()),
            Kind::MaxN => State::MinMaxN(true, n, Vec::new()),
            Kind::MinN => State::MinMaxN(false, n, Vec::new()),
            Kind::Median => State::Quantile(true, self.ps.clone(), Vec::new()),
            Kind::Percentile => State::Quantile(false, self.ps.clone(), Vec::new()),
        }
    }
}

/// An exact or double-double running sum of numbers with mongod's type
/// promotion, removable (for sliding windows).
#[derive(Debug, Clone, Default)]
pub struct Sum {
    ints: i128,
    hi: f64,
    lo: f64,
    dec: Option<Decimal128>,
    n_int: u64,
    n_long: u64,
    n_dbl: u64,
    n_dec: u64,
    pos_inf: u64,
    neg_inf: u64,
    nan: u64,
}

fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

fn decimal_neg(d: Decimal128) -> Decimal128 {
    let mut b = d.bytes();
    b[15] ^= 0x80;
    Decimal128::from_bytes(b)
}

impl Sum {
    fn add_double(&mut self, x: f64, sign: i64) {
        if x.is_nan() {
            self.nan = self.nan.wrapping_add_signed(sign);
        } else if x == f64::INFINITY {
            self.pos_inf = self.pos_inf.wrapping_add_signed(sign);
        } else if x == f64::NEG_INFINITY {
            self.neg_inf = self.neg_inf.wrapping_add_signed(sign);
        } else {
            let (s, e) = two_sum(self.hi, x * sign as f64);
            self.hi = s;
            self.lo += e;
        }
    }

    /// Adds (sign 1) or removes (sign -1) a value; non-numbers are ignored.
    /// Returns whether the value was a number.
    fn apply(&mut self, v: &Bson, sign: i64) -> bool {
        match v {
            Bson::Int32(n) => {
                self.ints += i128::from(*n) * i128::from(sign);
                self.n_int = self.n_int.wrapping_add_signed(sign);
            }
            Bson::Int64(n) => {
                self.ints += i128::from(*n) * i128::from(sign);
                self.n_long = self.n_long.wrapping_add_signed(sign);
            }
            Bson::Double(f) => {
                self.add_double(*f, sign);
                self.n_dbl = self.n_dbl.wrapping_add_signed(sign);
            }
            Bson::Decimal128(d) => {
                let d = if sign < 0 { decimal_neg(*d) } else { *d };
                self.dec = Some(match self.dec {
                    Some(t) => update::decimal_add(t, d),
                    None => d,
                });
                self.n_dec = self.n_dec.wrapping_add_signed(sign);
            }
            _ => return false,
        }
        true
    }

    pub fn add(&mut self, v: &Bson) -> bool {
        self.apply(v, 1)
    }

    pub fn remove(&mut self, v: &Bson) -> bool {
        self.apply(v, -1)
    }

    /// How many numbers are in the sum.
    pub fn count(&self) -> u64 {
        self.n_int + self.n_long + self.n_dbl + self.n_dec
    }

    fn double_total(&self) -> f64 {
        if self.nan > 0 || (self.pos_inf > 0 && self.neg_inf > 0) {
            return f64::NAN;
        }
        if self.pos_inf > 0 {
            return f64::INFINITY;
        }
        if self.neg_inf > 0 {
            return f64::NEG_INFINITY;
        }
        let ih = self.ints as f64;
        let il = (self.ints - ih as i128) as f64;
        let (s, e) = two_sum(self.hi, ih);
        s + (e + self.lo + il)
    }

    /// The total of the non-decimal numbers, in mongod's result type.
    fn non_decimal_total(&self) -> Bson {
        if self.n_dbl > 0 {
            return Bson::Double(self.double_total());
        }
        match i64::try_from(self.ints) {
            Ok(v) if self.n_long > 0 => Bson::Int64(v),
            Ok(v) => i32::try_from(v).map_or(Bson::Int64(v), Bson::Int32),
            Err(_) => Bson::Double(self.ints as f64),
        }
    }

    /// The sum, mongod-typed.
    pub fn total(&self) -> Bson {
        let nd = self.non_decimal_total();
        match self.dec {
            Some(d) if self.n_dec > 0 => Bson::Decimal128(match update::decimal_from_total(&nd) {
                Some(o) => update::decimal_add(d, o),
                None => d,
            }),
            _ => nd,
        }
    }

    /// The mean, `null` for no numbers.
    pub fn mean(&self) -> Bson {
        let n = self.count();
        if n == 0 {
            return Bson::Null;
        }
        match self.total() {
            Bson::Decimal128(d) => Bson::Decimal128(update::decimal_div_count(d, n)),
            _ => Bson::Double(self.double_total() / n as f64),
        }
    }
}

/// Welford's running mean and squared deviations.
#[derive(Debug, Clone, Default)]
pub struct StdDev {
    count: u64,
    mean: f64,
    m2: f64,
}

impl StdDev {
    fn add(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    fn result(&self, samp: bool) -> Bson {
        if self.count == 0 || (samp && self.count < 2) {
            return Bson::Null;
        }
        let d = if samp { self.count - 1 } else { self.count };
        Bson::Double((self.m2 / d as f64).sqrt())
    }
}

/// `$top`/`$bottom` and their n forms: the best `n` outputs by sort key.
#[derive(Debug, Clone)]
pub struct TopBottom {
    top: bool,
    single: bool,
    n: usize,
    sort: Option<SortSpec>,
    /// In ascending sort order; ties in arrival order.
    items: Vec<(SortKey, Bson)>,
}

impl TopBottom {
    fn add(&mut self, v: Value) {
        let Some(Bson::Document(d)) = v else {
            return;
        };
        let Some(sort) = &self.sort else {
            return;
        };
        let key = sort.key(&d);
        let output = d.get("output").cloned().unwrap_or(Bson::Null);
        if self.items.len() >= self.n {
            if self.top {
                let Some((last, _)) = self.items.last() else {
                    return;
                };
                if sort.compare_keys(last, &key) != Ordering::Greater {
                    return;
                }
                self.items.pop();
            } else {
                let Some((first, _)) = self.items.first() else {
                    return;
                };
                if sort.compare_keys(&key, first) != Ordering::Greater {
                    return;
                }
                self.items.remove(0);
            }
        }
        let pos = self
            .items
            .partition_point(|(k, _)| sort.compare_keys(k, &key) != Ordering::Greater);
        self.items.insert(pos, (key, output));
    }

    fn finish(&self) -> Bson {
        if self.single {
            return self.items.first().map_or(Bson::Null, |(_, v)| v.clone());
        }
        Bson::Array(self.items.iter().map(|(_, v)| v.clone()).collect())
    }
}

/// One group's (or window's) running state.
#[derive(Debug, Clone)]
pub enum State {
    Sum(Sum),
    Avg(Sum),
    /// Is max; the best value so far.
    MinMax(bool, Option<Bson>),
    First(Option<Bson>),
    Last(Option<Bson>),
    Push(Vec<Bson>),
    AddToSet(Vec<Bson>, HashSet<Vec<u8>>),
    Merge(Document),
    /// Is sample.
    StdDev(bool, StdDev),
    TopBottom(TopBottom),
    FirstN(usize, Vec<Bson>),
    LastN(usize, std::collections::VecDeque<Bson>),
    /// Is max, n, values in ascending order.
    MinMaxN(bool, usize, Vec<Bson>),
    /// Is median, percentiles, samples.
    Quantile(bool, Vec<f64>, Vec<f64>),
}

fn nullish(v: &Value) -> bool {
    matches!(v, None | Some(Bson::Null) | Some(Bson::Undefined))
}

impl State {
    /// Adds one document's value (`None` is missing).
    pub fn add(&mut self, v: Value) -> Result<(), QueryError> {
        match self {
            State::Sum(s) | State::Avg(s) => {
                if let Some(v) = &v {
                    s.add(v);
                }
            }
            State::MinMax(is_max, best) => {
                if nullish(&v) {
                    return Ok(());
                }
                let Some(v) = v else { return Ok(()) };
                let replace = match best.as_ref() {
                    None => true,
                    Some(cur) => {
                        let o = compare_bson(&v, cur);
                        if *is_max { o.is_gt() } else { o.is_lt() }
                    }
                };
                if replace {
                    *best = Some(v);
                }
            }
            State::First(f) => {
                if f.is_none() {
                    *f = Some(v.unwrap_or(Bson::Null));
                }
            }
            State::Last(l) => *l = Some(v.unwrap_or(Bson::Null)),
            State::Push(items) => items.extend(v),
            State::AddToSet(items, seen) => {
                if let Some(v) = v
                    && seen.insert(encode_key(&v))
                {
                    items.push(v);
                }
            }
            State::Merge(out) => match v {
                None | Some(Bson::Null) | Some(Bson::Undefined) => {}
                Some(Bson::Document(d)) => {
                    for (k, x) in d {
                        out.insert(k, x);
                    }
                }
                Some(other) => {
                    return Err(QueryError::location(
                        40400,
                        format!(
                            "$mergeObjects requires object inputs, but input {} is of type {}",
                            fmt_value(&other),
                            type_name(&other)
                        ),
                    ));
                }
            },
            State::StdDev(_, s) => {
                if let Some(x) = v.as_ref().and_then(to_f64) {
                    s.add(x);
                }
            }
            State::TopBottom(t) => t.add(v),
            State::FirstN(n, items) => {
                if items.len() < *n {
                    items.push(v.unwrap_or(Bson::Null));
                }
            }
            State::LastN(n, items) => {
                if items.len() >= *n {
                    items.pop_front();
                }
                items.push_back(v.unwrap_or(Bson::Null));
            }
            State::MinMaxN(is_max, n, items) => {
                if nullish(&v) {
                    return Ok(());
                }
                let Some(v) = v else { return Ok(()) };
                if items.len() >= *n {
                    if *is_max {
                        match items.first() {
                            Some(min) if compare_bson(min, &v).is_lt() => {
                                items.remove(0);
                            }
                            _ => return Ok(()),
                        }
                    } else {
                        match items.last() {
                            Some(max) if compare_bson(max, &v).is_gt() => {
                                items.pop();
                            }
                            _ => return Ok(()),
                        }
                    }
                }
                let pos = items.partition_point(|x| compare_bson(x, &v).is_le());
                items.insert(pos, v);
            }
            State::Quantile(_, _, samples) => {
                if let Some(x) = v.as_ref().and_then(to_f64) {
                    samples.push(x);
                }
            }
        }
        Ok(())
    }

    /// Whether [`State::remove`] undoes [`State::add`].
    pub fn removable(&self) -> bool {
        matches!(self, State::Sum(_) | State::Avg(_))
    }

    /// Removes a value added earlier (removable states only).
    pub fn remove(&mut self, v: &Value) {
        if let (State::Sum(s) | State::Avg(s), Some(v)) = (self, v) {
            s.remove(v);
        }
    }

    /// The result.
    pub fn finish(&self) -> Bson {
        match self {
            State::Sum(s) => s.total(),
            State::Avg(s) => s.mean(),
            State::MinMax(_, v) => v.clone().unwrap_or(Bson::Null),
            State::First(v) | State::Last(v) => v.clone().unwrap_or(Bson::Null),
            State::Push(items) | State::AddToSet(items, _) => Bson::Array(items.clone()),
            State::Merge(d) => Bson::Document(d.clone()),
            State::StdDev(samp, s) => s.result(*samp),
            State::TopBottom(t) => t.finish(),
            State::FirstN(_, items) => Bson::Array(items.clone()),
            State::LastN(_, items) => Bson::Array(items.iter().cloned().collect()),
            State::MinMaxN(is_max, _, items) => {
                if *is_max {
                    Bson::Array(items.iter().rev().cloned().collect())
                } else {
                    Bson::Array(items.clone())
                }
            }
            State::Quantile(median, ps, samples) => {
                let mut s = samples.clone();
                quantile_result(&mut s, ps, *median)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::expr::Env;
    use bson::doc;

    fn run(name: &str, arg: Bson, docs: &[Document]) -> Result<Bson, QueryError> {
        let env = Env::default();
        let mut pc = env.parse_ctx();
        let spec = AccumulatorSpec::parse(name, &arg, &mut pc)?;
        let first = docs.first().cloned().unwrap_or_default();
        let mut st = spec.new_state(&mut Ctx::new(&first, &env))?;
        for d in docs {
            let v = spec.input(&mut Ctx::new(d, &env))?;
            st.add(v)?;
        }
        Ok(st.finish())
    }

    fn vals(vs: Vec<Bson>) -> Vec<Document> {
        vs.into_iter().map(|v| doc! { "v": v }).collect()
    }

    #[test]
    fn sum_promotes() {
        let r = run(
            "$sum",
            "$v".into(),
            &vals(vec![Bson::Int32(i32::MAX), Bson::Int32(1)]),
        );
        assert_eq!(r.ok(), Some(Bson::Int64(i64::from(i32::MAX) + 1)));
        let r = run(
            "$sum",
            "$v".into(),
            &vals(vec![Bson::Int32(1), Bson::Int64(2)]),
        );
        assert_eq!(r.ok(), Some(Bson::Int64(3)));
        let r = run(
            "$sum",
            "$v".into(),
            &vals(vec![Bson::Int64(i64::MAX), Bson::Int64(1)]),
        );
        assert!(matches!(r, Ok(Bson::Double(_))));
        let r = run(
            "$sum",
            "$v".into(),
            &vals(vec![Bson::Int32(1), "x".into(), Bson::Double(2.5)]),
        );
        assert_eq!(r.ok(), Some(Bson::Double(3.5)));
        let r = run("$sum", "$v".into(), &[]);
        assert_eq!(r.ok(), Some(Bson::Int32(0)));
    }

    #[test]
    fn avg_and_stddev() {
        let r = run(
            "$avg",
            "$v".into(),
            &vals(vec![Bson::Int32(1), Bson::Int32(2)]),
        );
        assert_eq!(r.ok(), Some(Bson::Double(1.5)));
        assert_eq!(run("$avg", "$v".into(), &[]).ok(), Some(Bson::Null));
        // 85, 90, 75, 78: mean 82, population variance 34.5.
        let r = run(
            "$stdDevPop",
            "$v".into(),
            &vals(vec![85.into(), 90.into(), 75.into(), 78.into()]),
        );
        let Ok(Bson::Double(x)) = r else { panic!() };
        assert!((x - 34.5f64.sqrt()).abs() < 1e-12);
        let r = run("$stdDevSamp", "$v".into(), &vals(vec![5.into()]));
        assert_eq!(r.ok(), Some(Bson::Null));
    }

    #[test]
    fn min_max_first_last() {
        let d = vals(vec![Bson::Null, 3.into(), "a".into()]);
        assert_eq!(run("$min", "$v".into(), &d).ok(), Some(Bson::Int32(3)));
        assert_eq!(
            run("$max", "$v".into(), &d).ok(),
            Some(Bson::String("a".into()))
        );
        let d = vec![doc! {}, doc! {"v": 1}];
        assert_eq!(run("$first", "$v".into(), &d).ok(), Some(Bson::Null));
        assert_eq!(run("$last", "$v".into(), &d).ok(), Some(Bson::Int32(1)));
        assert_eq!(
            run("$push", "$v".into(), &d).ok(),
            Some(Bson::Array(vec![1.into()]))
        );
    }

    #[test]
    fn top_bottom_manual() {
        let d = vec![
            doc! {"p": "A", "s": 31},
            doc! {"p": "B", "s": 33},
            doc! {"p": "C", "s": 99},
            doc! {"p": "D", "s": 1},
        ];
        let arg = Bson::Document(doc! {"output": "$p", "sortBy": {"s": -1}});
        assert_eq!(
            run("$top", arg.clone(), &d).ok(),
            Some(Bson::String("C".into()))
        );
        assert_eq!(run("$bottom", arg, &d).ok(), Some(Bson::String("D".into())));
        let arg = Bson::Document(doc! {"output": "$p", "sortBy": {"s": -1}, "n": 3});
        assert_eq!(
            run("$topN", arg.clone(), &d).ok(),
            Some(Bson::Array(vec!["C".into(), "B".into(), "A".into()]))
        );
        assert_eq!(
            run("$bottomN", arg, &d).ok(),
            Some(Bson::Array(vec!["B".into(), "A".into(), "D".into()]))
        );
    }

    #[test]
    fn n_accumulators() {
        let d = vals(vec![Bson::Null, 3.into(), 1.into(), 7.into()]);
        let a = |n: i32| Bson::Document(doc! {"input": "$v", "n": n});
        assert_eq!(
            run("$maxN", a(2), &d).ok(),
            Some(Bson::Array(vec![7.into(), 3.into()]))
        );
        assert_eq!(
            run("$minN", a(5), &d).ok(),
            Some(Bson::Array(vec![1.into(), 3.into(), 7.into()]))
        );
        assert_eq!(
            run("$firstN", a(2), &d).ok(),
            Some(Bson::Array(vec![Bson::Null, 3.into()]))
        );
        assert_eq!(
            run("$lastN", a(2), &d).ok(),
            Some(Bson::Array(vec![1.into(), 7.into()]))
        );
        assert_eq!(run("$firstN", a(0), &d).map_err(|e| e.code), Err(5787908));
        let r = run(
            "$firstN",
            Bson::Document(doc! {"input": "$v", "n": 1.5}),
            &d,
        );
        assert_eq!(r.map_err(|e| e.code), Err(5787903));
    }

    #[test]
    fn percentiles_manual() {
        let d = vals(vec![62.into(), 60.into(), 67.into(), 64.into(), 60.into()]);
        let arg = Bson::Document(
            doc! {"input": "$v", "p": [0.5, 0.75, 0.9, 0.95], "method": "approximate"},
        );
        assert_eq!(
            run("$percentile", arg, &d).ok(),
            Some(Bson::Array(vec![
                62.0.into(),
                64.0.into(),
                67.0.into(),
                67.0.into()
            ]))
        );
        let arg = Bson::Document(doc! {"input": "$v", "method": "approximate"});
        assert_eq!(run("$median", arg, &d).ok(), Some(Bson::Double(62.0)));
        let arg = Bson::Document(doc! {"input": "$v", "p": [1.5], "method": "approximate"});
        assert_eq!(
            run("$percentile", arg, &d).map_err(|e| e.code),
            Err(7750303)
        );
    }

    #[test]
    fn sliding_sum_removes() {
        let mut s = Sum::default();
        s.add(&Bson::Int32(1));
        s.add(&Bson::Double(2.5));
        s.remove(&Bson::Double(2.5));
        assert_eq!(s.total(), Bson::Int32(1));
    }

    #[test]
    fn merge_objects_and_errors() {
        let d = vec![doc! {"v": {"a": 1}}, doc! {"v": {"b": 2, "a": 3}}, doc! {}];
        assert_eq!(
            run("$mergeObjects", "$v".into(), &d).ok(),
            Some(Bson::Document(doc! {"a": 3, "b": 2}))
        );
        let r = run("$mergeObjects", "$v".into(), &vals(vec![1.into()]));
        assert_eq!(r.map_err(|e| e.code), Err(40400));
        let r = run("$sum", Bson::Array(vec![]), &[]);
        assert_eq!(r.map_err(|e| e.code), Err(40237));
        let r = run("$bogus", Bson::Null, &[]);
        assert_eq!(r.map_err(|e| e.code), Err(15952));
    }
}
