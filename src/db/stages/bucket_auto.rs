//! `$bucketAuto`: documents into `buckets` groups of about equal size by
//! a `groupBy` expression, the boundaries chosen from the values (or from
//! a preferred-number series with `granularity`).
//!
//! The bucketing follows mongod's `DocumentSourceBucketAuto`: sort by the
//! key (missing is null), fill each bucket with `round(n / buckets)`
//! documents, absorb following documents with the same key (so one value
//! never spans two buckets), and let the last bucket take the rest. A
//! bucket's `max` is the next bucket's `min` (only the last one's `max` is
//! inclusive). With a granularity every `max` is rounded up in the series
//! and documents below the rounded boundary are absorbed too.

use super::group::Group;
use crate::db::pipeline::{ParseCtx, RunCtx, Stage};
use crate::engine::keys::compare_bson;
use crate::query::error::{QueryError, type_name};
use crate::query::expr::{self, Expr};
use crate::query::numeric::{self as num, D128};
use bson::{Bson, Document, doc};
use std::cmp::Ordering;

#[derive(Debug)]
pub struct BucketAuto {
    group_by: Expr,
    buckets: usize,
    granularity: Option<Granularity>,
    /// The `output` accumulators as a `$group` with a constant `_id`, run
    /// over each bucket's documents.
    output: Group,
}

fn failed(code: i32, msg: impl Into<String>) -> QueryError {
    QueryError::location(code, msg)
}

impl BucketAuto {
    pub fn parse(arg: &Bson, pc: &ParseCtx<'_>) -> Result<BucketAuto, QueryError> {
        let Bson::Document(spec) = arg else {
            return Err(failed(
                40240,
                format!(
                    "The argument to $bucketAuto must be an object, but found type: {}",
                    type_name(arg)
                ),
            ));
        };
        let (mut group_by, mut buckets, mut granularity, mut output) = (None, None, None, None);
        for (k, v) in spec {
            match k.as_str() {
                "groupBy" => {
                    let ok = match v {
                        Bson::Document(d) => d.keys().next().is_some_and(|k| k.starts_with('$')),
                        Bson::String(s) => s.len() > 1 && s.starts_with('$'),
                        _ => false,
                    };
                    if !ok {
                        return Err(failed(
                            40239,
                            format!(
                                "The $bucketAuto 'groupBy' field must be defined as a $-prefixed \
                                 path or an expression object, but found: {v}"
                            ),
                        ));
                    }
                    group_by = Some(Expr::parse(v, &mut pc.expr())?);
                }
                "buckets" => buckets = Some(parse_buckets(v)?),
                "output" => match v {
                    Bson::Document(o) => output = Some(o.clone()),
                    other => {
                        return Err(failed(
                            40244,
                            format!(
                                "The $bucketAuto 'output' field must be an object, but found \
                                 type: {}",
                                type_name(other)
                            ),
                        ));
                    }
                },
                "granularity" => match v {
                    Bson::String(s) => granularity = Some(Granularity::parse(s)?),
                    other => {
                        return Err(failed(
                            40261,
                            format!(
                                "The $bucketAuto 'granularity' field must be a string, but found \
                                 type: {}",
                                type_name(other)
                            ),
                        ));
                    }
                },
                other => {
                    return Err(failed(
                        40245,
                        format!("Unrecognized option to $bucketAuto: {other}"),
                    ));
                }
            }
        }
        let (Some(group_by), Some(buckets)) = (group_by, buckets) else {
            return Err(failed(
                40246,
                "$bucketAuto requires 'groupBy' and 'buckets' to be specified",
            ));
        };
        // An empty `output` is the default one, as in mongod.
        let output = output
            .filter(|o| !o.is_empty())
            .unwrap_or_else(|| doc! {"count": {"$sum": 1}});
        let mut g = doc! {"_id": Bson::Null};
        g.extend(output);
        Ok(BucketAuto {
            group_by,
            buckets,
            granularity,
            output: Group::parse(&g, &mut pc.expr())?,
        })
    }
}

/// `buckets`: a positive number representable as a 32-bit integer.
fn parse_buckets(v: &Bson) -> Result<usize, QueryError> {
    let n = match v {
        Bson::Int32(n) => Some(i64::from(*n)),
        Bson::Int64(n) => i32::try_from(*n).ok().map(i64::from),
        Bson::Double(f) if f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX) => Some(*f as i64),
        Bson::Double(_) => None,
        Bson::Decimal128(d) => {
            let f = num::dec_to_f64(&num::from_bson(d));
            (f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX)).then_some(f as i64)
        }
        other => {
            return Err(failed(
                40241,
                format!(
                    "The $bucketAuto 'buckets' field must be a numeric value, but found type: {}",
                    type_name(other)
                ),
            ));
        }
    };
    let Some(n) = n else {
        return Err(failed(
            40242,
            format!(
                "The $bucketAuto 'buckets' field must be representable as a 32-bit integer, but \
                 found {}",
                num::coerce_f64(v).unwrap_or(f64::NAN)
            ),
        ));
    };
    if n <= 0 {
        return Err(failed(
            40243,
            format!("The $bucketAuto 'buckets' field must be greater than 0, but found: {n}"),
        ));
    }
    usize::try_from(n).map_err(|_| failed(40243, "buckets out of range"))
}

impl Stage for BucketAuto {
    fn run(&self, docs: Vec<Document>, cx: &RunCtx<'_>) -> Result<Vec<Document>, QueryError> {
        let mut keyed = Vec::with_capacity(docs.len());
        for d in docs {
            let key = self.group_by.eval_doc(&d, cx.env)?.unwrap_or(Bson::Null);
            if self.granularity.is_some() {
                check_roundable(&key)?;
            }
            keyed.push((key, d));
        }
        // Stable, so documents with equal keys keep their input order in
        // `$push` and `$first` (the manual's examples show that order).
        keyed.sort_by(|a, b| compare_bson(&a.0, &b.0));
        let n = keyed.len();
        let approx = ((n as f64 / self.buckets as f64).round() as usize).max(1);
        let g = self.granularity.as_ref();
        let mut out = Vec::new();
        let (mut pos, mut number, mut previous_max) = (0usize, 0usize, None::<Bson>);
        while number < self.buckets && pos < n {
            number += 1;
            let start = pos;
            let mut max = keyed[pos].0.clone();
            let min = match (g, previous_max.take()) {
                (Some(_), Some(prev)) => prev,
                (Some(g), None) => g.round_down(&max)?,
                (None, _) => max.clone(),
            };
            pos += 1;
            let last = number == self.buckets;
            let mut taken = 1;
            while pos < n && (taken < approx || last) {
                max = keyed[pos].0.clone();
                pos += 1;
                taken += 1;
            }
            match g {
                Some(g) => {
                    let boundary = g.round_up(&max)?;
                    while pos < n
                        && (compare_bson(&boundary, &keyed[pos].0) == Ordering::Greater
                            || compare_bson(&max, &keyed[pos].0).is_eq())
                    {
                        max = keyed[pos].0.clone();
                        pos += 1;
                    }
                    // A first bucket of zeros: its max would round up to 0,
                    // which cannot be an exclusive bound; mongod takes the
                    // next value rounded down instead.
                    max = if num::coerce_f64(&boundary) == Some(0.0) && pos < n {
                        g.round_down(&keyed[pos].0)?
                    } else {
                        boundary
                    };
                }
                None => {
                    while pos < n && compare_bson(&max, &keyed[pos].0).is_eq() {
                        pos += 1;
                    }
                    if pos < n {
                        max = keyed[pos].0.clone();
                    }
                }
            }
            previous_max = Some(max.clone());
            let members = keyed[start..pos].iter().map(|(_, d)| d.clone());
            for mut b in self.output.run(members, cx.env)? {
                b.insert("_id", doc! {"min": min.clone(), "max": max.clone()});
                out.push(b);
            }
        }
        Ok(out)
    }
}

/// A `groupBy` value with a granularity: a non-negative number.
fn check_roundable(v: &Bson) -> Result<(), QueryError> {
    let Some(f) = num::coerce_f64(v).filter(|_| num::is_number(v)) else {
        return Err(failed(
            40258,
            format!(
                "$bucketAuto can specify a 'granularity' with numeric boundaries only, but found \
                 a value with type: {}",
                type_name(v)
            ),
        ));
    };
    if f.is_nan() {
        return Err(failed(
            40259,
            "$bucketAuto can specify a 'granularity' with numeric boundaries only, but found a NaN",
        ));
    }
    // mongod 8.0 loops forever scaling an infinity into the series; later
    // versions refuse it, and so does this.
    if f.is_infinite() && f > 0.0 {
        return Err(failed(
            11785400,
            "A granularity rounder can only round finite numbers",
        ));
    }
    if f < 0.0 {
        return Err(failed(
            40260,
            "$bucketAuto can specify a 'granularity' with non-negative numbers only, but found a \
             negative number",
        ));
    }
    Ok(())
}

/// A preferred-number series, or powers of two.
#[derive(Debug)]
enum Granularity {
    /// One decade of the series (mongod's tables, scaled by 10 or 100).
    Series(&'static [f64]),
    PowersOf2,
}

const R5: &[f64] = &[10.0, 16.0, 25.0, 40.0, 63.0];
const R10: &[f64] = &[
    100.0, 125.0, 160.0, 200.0, 250.0, 315.0, 400.0, 500.0, 630.0, 800.0,
];
const R20: &[f64] = &[
    100.0, 112.0, 125.0, 140.0, 160.0, 180.0, 200.0, 224.0, 250.0, 280.0, 315.0, 355.0, 400.0,
    450.0, 500.0, 560.0, 630.0, 710.0, 800.0, 900.0,
];
const R40: &[f64] = &[
    100.0, 106.0, 112.0, 118.0, 125.0, 132.0, 140.0, 150.0, 160.0, 170.0, 180.0, 190.0, 200.0,
    212.0, 224.0, 236.0, 250.0, 265.0, 280.0, 300.0, 315.0, 355.0, 375.0, 400.0, 425.0, 450.0,
    475.0, 500.0, 530.0, 560.0, 600.0, 630.0, 670.0, 710.0, 750.0, 800.0, 850.0, 900.0, 950.0,
];
const R80: &[f64] = &[
    103.0, 109.0, 115.0, 122.0, 128.0, 136.0, 145.0, 155.0, 165.0, 175.0, 185.0, 195.0, 206.0,
    218.0, 230.0, 243.0, 258.0, 272.0, 290.0, 307.0, 325.0, 345.0, 365.0, 387.0, 412.0, 437.0,
    462.0, 487.0, 515.0, 545.0, 575.0, 615.0, 650.0, 690.0, 730.0, 775.0, 825.0, 875.0, 925.0,
    975.0,
];
const S125: &[f64] = &[10.0, 20.0, 50.0];
const E6: &[f64] = &[10.0, 15.0, 22.0, 33.0, 47.0, 68.0];
const E12: &[f64] = &[
    10.0, 12.0, 15.0, 18.0, 22.0, 27.0, 33.0, 39.0, 47.0, 56.0, 68.0, 82.0,
];
const E24: &[f64] = &[
    10.0, 11.0, 12.0, 13.0, 15.0, 16.0, 18.0, 20.0, 22.0, 24.0, 27.0, 30.0, 33.0, 36.0, 39.0, 43.0,
    47.0, 51.0, 56.0, 62.0, 68.0, 75.0, 82.0, 91.0,
];
const E48: &[f64] = &[
    100.0, 105.0, 110.0, 115.0, 121.0, 127.0, 133.0, 140.0, 147.0, 154.0, 162.0, 169.0, 178.0,
    187.0, 196.0, 205.0, 215.0, 226.0, 237.0, 249.0, 261.0, 274.0, 287.0, 301.0, 316.0, 332.0,
    348.0, 365.0, 383.0, 402.0, 422.0, 442.0, 464.0, 487.0, 511.0, 536.0, 562.0, 590.0, 619.0,
    649.0, 681.0, 715.0, 750.0, 787.0, 825.0, 866.0, 909.0, 953.0,
];
const E96: &[f64] = &[
    100.0, 102.0, 105.0, 107.0, 110.0, 113.0, 115.0, 118.0, 121.0, 124.0, 127.0, 130.0, 133.0,
    137.0, 140.0, 143.0, 147.0, 150.0, 154.0, 158.0, 162.0, 165.0, 169.0, 174.0, 178.0, 182.0,
    187.0, 191.0, 196.0, 200.0, 205.0, 210.0, 215.0, 221.0, 226.0, 232.0, 237.0, 243.0, 249.0,
    255.0, 261.0, 267.0, 274.0, 280.0, 287.0, 294.0, 301.0, 309.0, 316.0, 324.0, 332.0, 340.0,
    348.0, 357.0, 365.0, 374.0, 383.0, 392.0, 402.0, 412.0, 422.0, 432.0, 442.0, 453.0, 464.0,
    475.0, 487.0, 499.0, 511.0, 523.0, 536.0, 549.0, 562.0, 576.0, 590.0, 604.0, 619.0, 634.0,
    649.0, 665.0, 681.0, 698.0, 715.0, 732.0, 750.0, 768.0, 787.0, 806.0, 825.0, 845.0, 866.0,
    887.0, 909.0, 931.0, 953.0, 976.0,
];
const E192: &[f64] = &[
    100.0, 101.0, 102.0, 104.0, 105.0, 106.0, 107.0, 109.0, 110.0, 111.0, 113.0, 114.0, 115.0,
    117.0, 118.0, 120.0, 121.0, 123.0, 124.0, 126.0, 127.0, 129.0, 130.0, 132.0, 133.0, 135.0,
    137.0, 138.0, 140.0, 142.0, 143.0, 145.0, 147.0, 149.0, 150.0, 152.0, 154.0, 156.0, 158.0,
    160.0, 162.0, 164.0, 165.0, 167.0, 169.0, 172.0, 174.0, 176.0, 178.0, 180.0, 182.0, 184.0,
    187.0, 189.0, 191.0, 193.0, 196.0, 198.0, 200.0, 203.0, 205.0, 208.0, 210.0, 213.0, 215.0,
    218.0, 221.0, 223.0, 226.0, 229.0, 232.0, 234.0, 237.0, 240.0, 243.0, 246.0, 249.0, 252.0,
    255.0, 258.0, 261.0, 264.0, 267.0, 271.0, 274.0, 277.0, 280.0, 284.0, 287.0, 291.0, 294.0,
    298.0, 301.0, 305.0, 309.0, 312.0, 316.0, 320.0, 324.0, 328.0, 332.0, 336.0, 340.0, 344.0,
    348.0, 352.0, 357.0, 361.0, 365.0, 370.0, 374.0, 379.0, 383.0, 388.0, 392.0, 397.0, 402.0,
    407.0, 412.0, 417.0, 422.0, 427.0, 432.0, 437.0, 442.0, 448.0, 453.0, 459.0, 464.0, 470.0,
    475.0, 481.0, 487.0, 493.0, 499.0, 505.0, 511.0, 517.0, 523.0, 530.0, 536.0, 542.0, 549.0,
    556.0, 562.0, 569.0, 576.0, 583.0, 590.0, 597.0, 604.0, 612.0, 619.0, 626.0, 634.0, 642.0,
    649.0, 657.0, 665.0, 673.0, 681.0, 690.0, 698.0, 706.0, 715.0, 723.0, 732.0, 741.0, 750.0,
    759.0, 768.0, 777.0, 787.0, 796.0, 806.0, 816.0, 825.0, 835.0, 845.0, 856.0, 866.0, 876.0,
    887.0, 898.0, 909.0, 920.0, 931.0, 942.0, 953.0, 965.0, 976.0, 988.0,
];

/// Decimal operations of the decimal rounding path.
fn dmul(a: D128, b: D128) -> D128 {
    num::ctx().mul(a, b)
}

fn ddiv(a: D128, b: D128) -> D128 {
    num::ctx().div(a, b)
}

fn dcmp(a: &D128, b: &D128) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

impl Granularity {
    fn parse(s: &str) -> Result<Granularity, QueryError> {
        Ok(Granularity::Series(match s {
            "R5" => R5,
            "R10" => R10,
            "R20" => R20,
            "R40" => R40,
            "R80" => R80,
            "1-2-5" => S125,
            "E6" => E6,
            "E12" => E12,
            "E24" => E24,
            "E48" => E48,
            "E96" => E96,
            "E192" => E192,
            "POWERSOF2" => return Ok(Granularity::PowersOf2),
            other => {
                return Err(failed(
                    40257,
                    format!("Unknown rounding granularity '{other}'"),
                ));
            }
        }))
    }

    /// The smallest series value strictly greater than `v` (0 stays 0).
    fn round_up(&self, v: &Bson) -> Result<Bson, QueryError> {
        self.round(v, true)
    }

    /// The largest series value strictly less than `v` (0 stays 0).
    fn round_down(&self, v: &Bson) -> Result<Bson, QueryError> {
        self.round(v, false)
    }

    fn round(&self, v: &Bson, up: bool) -> Result<Bson, QueryError> {
        check_roundable(v)?;
        if num::coerce_f64(v) == Some(0.0) {
            return Ok(v.clone());
        }
        match self {
            Granularity::PowersOf2 => powers_of_two(v, up),
            Granularity::Series(s) => Ok(match v {
                Bson::Decimal128(d) => num::to_bson(series_decimal(s, num::from_bson(d), up)),
                other => Bson::Double(series_double(s, num::coerce_f64(other).unwrap_or(0.0), up)),
            }),
        }
    }
}

/// Rounds a positive double in a series, with mongod's scaling by
/// repeated `* 10` / `/ 10` (so results carry the same binary error).
fn series_double(s: &[f64], x: f64, up: bool) -> f64 {
    let (front, back) = (s[0], s[s.len() - 1]);
    let mut m = 1.0;
    // A finite positive double is within ~650 decades of the series; the
    // cap only guards against a loop that could not end.
    let mut guard = 0;
    if up {
        while x >= back * m && guard < 1000 {
            m *= 10.0;
            guard += 1;
        }
        while x < front * m && guard < 2000 {
            guard += 1;
            let previous_min = front * m;
            m /= 10.0;
            // Between the previous decade's top and this one's bottom
            // (0.8 in E6): the bottom is the next value up.
            if x >= back * m {
                return previous_min;
            }
        }
        s.iter()
            .map(|v| v * m)
            .find(|v| x < *v)
            .unwrap_or(front * m * 10.0)
    } else {
        while x <= front * m && guard < 1000 {
            m /= 10.0;
            guard += 1;
        }
        // Below the smallest scaled series value (a subnormal such as
        // 5e-324, jstests' granularity_near_zero.js): the multiplier
        // underflowed to zero and the value rounds down to 0.
        if m == 0.0 {
            return 0.0;
        }
        while x > back * m && guard < 2000 {
            guard += 1;
            let previous_max = back * m;
            m *= 10.0;
            if x <= front * m {
                return previous_max;
            }
        }
        s.iter()
            .map(|v| v * m)
            .take_while(|v| *v < x)
            .last()
            .unwrap_or(back * m / 10.0)
    }
}

/// The decimal form of [`series_double`]: mongod converts the series to
/// decimals (`Decimal128(double)`) and scales by decimal tens.
fn series_decimal(s: &[f64], x: D128, up: bool) -> D128 {
    let series: Vec<D128> = s.iter().map(|v| num::dec_from_f64_15(*v)).collect();
    let (front, back) = (series[0], series[series.len() - 1]);
    let ten = D128::from(10);
    let mut m = D128::ONE;
    // Bounded loops: a finite decimal reaches the series within ~12k
    // decades; stop there in case of NaN-like values.
    let mut guard = 0;
    if up {
        while dcmp(&x, &dmul(back, m)).is_ge() && guard < 20_000 {
            m = dmul(m, ten);
            guard += 1;
        }
        while dcmp(&x, &dmul(front, m)).is_lt() && guard < 20_000 {
            let previous_min = dmul(front, m);
            m = ddiv(m, ten);
            guard += 1;
            if dcmp(&x, &dmul(back, m)).is_ge() {
                return previous_min;
            }
        }
        series
            .iter()
            .map(|v| dmul(*v, m))
            .find(|v| dcmp(&x, v).is_lt())
            .unwrap_or_else(|| dmul(dmul(front, m), ten))
    } else {
        while dcmp(&x, &dmul(front, m)).is_le() && guard < 20_000 {
            m = ddiv(m, ten);
            guard += 1;
        }
        while dcmp(&x, &dmul(back, m)).is_gt() && guard < 20_000 {
            let previous_max = dmul(back, m);
            m = dmul(m, ten);
            guard += 1;
            if dcmp(&x, &dmul(front, m)).is_le() {
                return previous_max;
            }
        }
        series
            .iter()
            .map(|v| dmul(*v, m))
            .take_while(|v| dcmp(v, &x).is_lt())
            .last()
            .unwrap_or_else(|| ddiv(dmul(back, m), ten))
    }
}

/// POWERSOF2: the next power of two strictly above (or below) `v`,
/// computed as mongod does with `$pow: [2, exponent]` (so an int or long
/// for integer input and double input alike, a decimal for decimals).
fn powers_of_two(v: &Bson, up: bool) -> Result<Bson, QueryError> {
    let exp: Bson = match v {
        Bson::Double(f) => {
            let l = f.log2();
            Bson::Int32(if up { l.floor() + 1.0 } else { l.ceil() - 1.0 } as i32)
        }
        Bson::Decimal128(_) => {
            let l = expr::eval(
                &Bson::Document(doc! {"$log": [v.clone(), 2]}),
                &Document::new(),
            )?;
            let l = num::coerce_f64(&l).unwrap_or(f64::NAN);
            let e = if up { l.floor() + 1.0 } else { l.ceil() - 1.0 } as i32;
            num::to_bson(D128::from(e))
        }
        other => {
            let n = match other {
                Bson::Int32(n) => i64::from(*n),
                Bson::Int64(n) => *n,
                _ => 0,
            };
            let lz = n.leading_zeros() as i32;
            let tz = n.trailing_zeros() as i32;
            Bson::Int32(if up {
                63 - lz + 1
            } else if lz + tz == 63 {
                // A power of two rounds down to the one below.
                63 - lz - 1
            } else {
                63 - lz
            })
        }
    };
    expr::eval(&Bson::Document(doc! {"$pow": [2, exp]}), &Document::new())
}

#[cfg(test)]
mod tests {
    use crate::db::pipeline::tests::run;
    use bson::{Bson, Decimal128, Document, bson, doc};

    fn dec(s: &str) -> Bson {
        Bson::Decimal128(s.parse::<Decimal128>().unwrap())
    }

    /// The manual's `artwork` collection.
    fn artwork() -> Vec<Document> {
        vec![
            doc! {"_id": 1, "title": "The Pillars of Society", "year": 1926, "price": dec("199.99"), "dimensions": {"height": 39, "width": 21}},
            doc! {"_id": 2, "title": "Melancholy III", "year": 1902, "price": dec("280.00"), "dimensions": {"height": 49, "width": 32}},
            doc! {"_id": 3, "title": "Dancer", "year": 1925, "price": dec("76.04"), "dimensions": {"height": 25, "width": 20}},
            doc! {"_id": 4, "title": "The Great Wave off Kanagawa", "price": dec("167.30"), "dimensions": {"height": 24, "width": 36}},
            doc! {"_id": 5, "title": "The Persistence of Memory", "year": 1931, "price": dec("483.00"), "dimensions": {"height": 20, "width": 24}},
            doc! {"_id": 6, "title": "Composition VII", "year": 1913, "price": dec("385.00"), "dimensions": {"height": 30, "width": 46}},
            doc! {"_id": 7, "title": "The Scream", "price": dec("159.00"), "dimensions": {"height": 24, "width": 18}},
            doc! {"_id": 8, "title": "Blue Flower", "year": 1918, "price": dec("118.42"), "dimensions": {"height": 24, "width": 20}},
        ]
    }

    #[test]
    fn manual_single_facet() {
        let out = run(
            artwork(),
            bson!([{"$bucketAuto": {"groupBy": "$price", "buckets": 4}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": {"min": dec("76.04"), "max": dec("159.00")}, "count": 2},
                doc! {"_id": {"min": dec("159.00"), "max": dec("199.99")}, "count": 2},
                doc! {"_id": {"min": dec("199.99"), "max": dec("385.00")}, "count": 2},
                doc! {"_id": {"min": dec("385.00"), "max": dec("483.00")}, "count": 2},
            ])
        );
    }

    #[test]
    fn manual_output_and_area() {
        let out = run(
            artwork(),
            bson!([{"$bucketAuto": {"groupBy": "$year", "buckets": 3,
                "output": {"count": {"$sum": 1}, "years": {"$push": "$year"}}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": {"min": null, "max": 1913}, "count": 3, "years": [1902]},
                doc! {"_id": {"min": 1913, "max": 1926}, "count": 3, "years": [1913, 1918, 1925]},
                doc! {"_id": {"min": 1926, "max": 1931}, "count": 2, "years": [1926, 1931]},
            ])
        );
        let out = run(
            artwork(),
            bson!([{"$bucketAuto": {"groupBy": {"$multiply": ["$dimensions.height", "$dimensions.width"]},
                "buckets": 4, "output": {"count": {"$sum": 1}, "titles": {"$push": "$title"}}}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": {"min": 432, "max": 500}, "count": 3, "titles": ["The Scream", "The Persistence of Memory", "Blue Flower"]},
                doc! {"_id": {"min": 500, "max": 864}, "count": 2, "titles": ["Dancer", "The Pillars of Society"]},
                doc! {"_id": {"min": 864, "max": 1568}, "count": 2, "titles": ["The Great Wave off Kanagawa", "Composition VII"]},
                doc! {"_id": {"min": 1568, "max": 1568}, "count": 1, "titles": ["Melancholy III"]},
            ])
        );
    }

    /// The manual's "Comparing Different Granularities" table (values
    /// 0..99, five buckets).
    #[test]
    fn manual_granularities() {
        let docs = || (0..100).map(|i| doc! {"_id": i}).collect::<Vec<_>>();
        let bounds = |g: &str| -> Vec<(f64, f64, i32)> {
            run(
                docs(),
                bson!([{"$bucketAuto": {"groupBy": "$_id", "buckets": 5, "granularity": g}}]),
            )
            .unwrap()
            .iter()
            .map(|b| {
                let id = b.get_document("_id").unwrap();
                let f = |k: &str| crate::query::numeric::coerce_f64(id.get(k).unwrap()).unwrap();
                (f("min"), f("max"), b.get_i32("count").unwrap())
            })
            .collect()
        };
        assert_eq!(
            bounds("R20"),
            vec![
                (0.0, 20.0, 20),
                (20.0, 40.0, 20),
                (40.0, 63.0, 23),
                (63.0, 90.0, 27),
                (90.0, 100.0, 10)
            ]
        );
        assert_eq!(
            bounds("E24"),
            vec![
                (0.0, 20.0, 20),
                (20.0, 43.0, 23),
                (43.0, 68.0, 25),
                (68.0, 91.0, 23),
                (91.0, 100.0, 9)
            ]
        );
        assert_eq!(
            bounds("1-2-5"),
            vec![(0.0, 20.0, 20), (20.0, 50.0, 30), (50.0, 100.0, 50)]
        );
        assert_eq!(
            bounds("POWERSOF2"),
            vec![(0.0, 32.0, 32), (32.0, 64.0, 32), (64.0, 128.0, 36)]
        );
        // POWERSOF2 of integers stays integral (mongod's $pow of ints).
        let out = run(
            docs(),
            bson!([{"$bucketAuto": {"groupBy": "$_id", "buckets": 5, "granularity": "POWERSOF2"}}]),
        )
        .unwrap();
        assert_eq!(out[0], doc! {"_id": {"min": 0, "max": 32}, "count": 32});
    }

    #[test]
    fn errors() {
        let one = || vec![doc! {"v": 1}, doc! {"v": "a"}];
        assert_eq!(
            run(
                vec![doc! {"v": -1}],
                bson!([{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "R5"}}])
            ),
            Err(40260)
        );
        assert_eq!(
            run(
                one(),
                bson!([{"$bucketAuto": {"groupBy": "$v", "buckets": 2, "granularity": "E6"}}])
            ),
            Err(40258)
        );
        let parse = |spec: Bson| run(vec![], bson!([{"$bucketAuto": spec}]));
        assert_eq!(parse(bson!(1)), Err(40240));
        assert_eq!(parse(bson!({"groupBy": "v", "buckets": 1})), Err(40239));
        assert_eq!(parse(bson!({"groupBy": "$v", "buckets": "a"})), Err(40241));
        assert_eq!(parse(bson!({"groupBy": "$v", "buckets": 1.5})), Err(40242));
        assert_eq!(parse(bson!({"groupBy": "$v", "buckets": 0})), Err(40243));
        assert_eq!(
            parse(bson!({"groupBy": "$v", "buckets": 1, "output": 1})),
            Err(40244)
        );
        assert_eq!(
            parse(bson!({"groupBy": "$v", "buckets": 1, "x": 1})),
            Err(40245)
        );
        assert_eq!(parse(bson!({"groupBy": "$v"})), Err(40246));
        assert_eq!(
            parse(bson!({"groupBy": "$v", "buckets": 1, "granularity": 5})),
            Err(40261)
        );
        assert_eq!(
            parse(bson!({"groupBy": "$v", "buckets": 1, "granularity": "R3"})),
            Err(40257)
        );
    }

    /// jstests/aggregation/sources/bucketauto/granularity_near_zero.js
    /// (SERVER-57091): the smallest subnormal double (4.94e-324) in R80.
    #[test]
    fn granularity_near_zero() {
        let out = run(
            vec![doc! {}],
            bson!([{"$bucketAuto": {"groupBy": {"$literal": f64::from_bits(1)}, "buckets": 8i64, "granularity": "R80"}}]),
        );
        assert_eq!(
            out,
            Ok(vec![
                doc! {"_id": {"min": 0.0, "max": 1.02e-321}, "count": 1}
            ])
        );
        assert_eq!(
            run(
                vec![doc! {}],
                bson!([{"$bucketAuto": {"groupBy": {"$literal": f64::INFINITY}, "buckets": 2, "granularity": "R5"}}])
            ),
            Err(11785400)
        );
    }

    #[test]
    fn rounding_edges() {
        use super::{Granularity, series_double};
        // 0.8 in E6 lies between 0.68 and 1.0: up is 1.0, down is 0.68.
        assert_eq!(series_double(super::E6, 0.8, true), 10.0 * 0.1);
        assert_eq!(series_double(super::E6, 0.8, false), 68.0 * 0.01);
        let g = Granularity::parse("R5").unwrap();
        assert_eq!(g.round_up(&dec("2.0")).unwrap(), dec("2.50000000000000"));
        let p = Granularity::PowersOf2;
        assert_eq!(p.round_up(&Bson::Int32(4)).unwrap(), Bson::Int32(8));
        assert_eq!(p.round_down(&Bson::Int32(4)).unwrap(), Bson::Int32(2));
        assert_eq!(p.round_up(&Bson::Double(0.3)).unwrap(), Bson::Double(0.5));
    }
}
