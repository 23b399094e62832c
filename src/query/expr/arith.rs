//! Arithmetic operators: `$add`, `$subtract`, `$multiply`, `$divide`,
//! `$mod`, `$abs`, `$ceil`, `$floor`, `$round`, `$trunc`, `$exp`, `$ln`,
//! `$log`, `$log10`, `$pow`, `$sqrt`.

use super::args::{Arity, nullish, pure, pure1};
use super::{Node, ParseCtx, Value};
use crate::query::error::{QueryError, type_name};
use crate::query::numeric::{
    self as num, ArithOp, D128, agg_arith, coerce_dec, coerce_f64, fmt_double, int_or_long,
    is_number as is_num, to_bson,
};
use bson::Bson;
use dec::Rounding;

/// A number of milliseconds to add to a date, rounded as mongod does.
fn millis(n: &Bson) -> i64 {
    match n {
        Bson::Int32(i) => i64::from(*i),
        Bson::Int64(i) => *i,
        Bson::Double(f) => f.round() as i64,
        other => other
            .to_string()
            .parse::<f64>()
            .map_or(0, |f| f.round() as i64),
    }
}

fn fold(name: &str, vals: &[Value], op: ArithOp) -> Result<Value, QueryError> {
    let mut acc: Option<Bson> = None;
    let mut date: Option<bson::DateTime> = None;
    for v in vals {
        if nullish(v) {
            return Ok(Some(Bson::Null));
        }
        let Some(v) = v else { continue };
        if let (true, Bson::DateTime(d)) = (name == "$add", v) {
            if date.is_some() {
                return Err(QueryError::location(
                    16612,
                    "only one date allowed in an $add expression",
                ));
            }
            date = Some(*d);
            continue;
        }
        if !is_num(v) {
            // TypeMismatch, as mongod 8's checkAddOperandType and
            // $multiply (older servers used 16554 for $add).
            let types = if name == "$add" {
                "numeric or date"
            } else {
                "numeric"
            };
            return Err(QueryError::type_mismatch(format!(
                "{name} only supports {types} types, not {}",
                type_name(v)
            )));
        }
        acc = Some(match acc {
            None => v.clone(),
            Some(a) => agg_arith(&a, v, op),
        });
    }
    if let Some(d) = date {
        let ms = acc.as_ref().map_or(0, millis);
        return Ok(Some(Bson::DateTime(bson::DateTime::from_millis(
            d.timestamp_millis().wrapping_add(ms),
        ))));
    }
    Ok(Some(acc.unwrap_or(Bson::Int32(if op == ArithOp::Mul {
        1
    } else {
        0
    }))))
}

/// `$subtract`: numbers; a date minus a date is the difference in
/// milliseconds (a long); a date minus a number of milliseconds is a date.
fn subtract(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    match (&v[0], &v[1]) {
        (Some(Bson::DateTime(a)), Some(Bson::DateTime(b))) => Ok(Some(Bson::Int64(
            a.timestamp_millis().wrapping_sub(b.timestamp_millis()),
        ))),
        (Some(Bson::DateTime(a)), Some(n)) if is_num(n) => {
            let ms = millis(n);
            Ok(Some(Bson::DateTime(bson::DateTime::from_millis(
                a.timestamp_millis().wrapping_sub(ms),
            ))))
        }
        (Some(a), Some(b)) if is_num(a) && is_num(b) => Ok(Some(agg_arith(a, b, ArithOp::Sub))),
        (a, b) => Err(QueryError::type_mismatch(format!(
            "can't $subtract {} from {}",
            super::value_type_name(b),
            super::value_type_name(a)
        ))),
    }
}

/// The one operand of a single-number operator: `Ok(None)` for null or
/// missing (the result is null), error 28765 for a non-number.
pub(super) fn one_number<'a>(name: &str, v: &'a [Value]) -> Result<Option<&'a Bson>, QueryError> {
    match &v[0] {
        None | Some(Bson::Null) | Some(Bson::Undefined) => Ok(None),
        Some(x) if is_num(x) => Ok(Some(x)),
        Some(x) => Err(QueryError::location(
            28765,
            format!("{name} only supports numeric types, not {}", type_name(x)),
        )),
    }
}

/// A single-number operator: null in, null out.
fn unary(
    name: &str,
    v: &[Value],
    f: fn(&Bson) -> Result<Bson, QueryError>,
) -> Result<Value, QueryError> {
    match one_number(name, v)? {
        None => Ok(Some(Bson::Null)),
        Some(x) => f(x).map(Some),
    }
}

fn dec_of(d: &bson::Decimal128) -> D128 {
    num::from_bson(d)
}

fn abs(x: &Bson) -> Result<Bson, QueryError> {
    Ok(match x {
        Bson::Double(f) => Bson::Double(f.abs()),
        Bson::Decimal128(d) => to_bson(num::ctx().abs(dec_of(d))),
        Bson::Int32(i) => int_or_long(i64::from(*i).abs()),
        Bson::Int64(i) => Bson::Int64(
            i.checked_abs()
                .ok_or_else(|| QueryError::location(28680, "can't take $abs of long long min"))?,
        ),
        other => other.clone(),
    })
}

/// `d` quantized to exponent `exp` with `mode`.
fn quantize(d: D128, exp: i64, mode: Rounding) -> D128 {
    let mut cx = num::ctx();
    cx.set_rounding(mode);
    cx.quantize(d, num::lit(&format!("1E{exp}")))
}

fn ceil_floor(x: &Bson, mode: Rounding) -> Bson {
    match x {
        Bson::Double(f) => Bson::Double(if mode == Rounding::Ceiling {
            f.ceil()
        } else {
            f.floor()
        }),
        Bson::Decimal128(d) => to_bson(quantize(dec_of(d), 0, mode)),
        other => other.clone(),
    }
}

/// mongod's `Value::coerceToLong` for a precision argument.
fn coerce_long(v: &Bson) -> Result<i64, QueryError> {
    let f = match v {
        Bson::Int32(i) => return Ok(i64::from(*i)),
        Bson::Int64(i) => return Ok(*i),
        Bson::Double(f) => *f,
        Bson::Decimal128(d) => num::dec_to_f64(&dec_of(d)),
        other => {
            return Err(QueryError::type_mismatch(format!(
                "can't convert from BSON type {} to long",
                type_name(other)
            )));
        }
    };
    if !f.is_finite() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        return Err(QueryError::location(
            31109,
            format!("Can't coerce out of range value {} to long", fmt_double(f)),
        ));
    }
    Ok(f as i64)
}

/// Quantizes a decimal to `10^-place`; where that needs more than 34
/// digits the value is kept at the finest exponent that fits (mongod's
/// result for `$trunc: NumberDecimal("1E+34")`).
fn quantize_place(d: D128, place: i64, mode: Rounding) -> D128 {
    if !d.is_finite() {
        return d;
    }
    let q = quantize(d, -place, mode);
    if !q.is_nan() {
        return q;
    }
    let adjusted = i64::from(d.exponent()) + i64::from(d.digits()) - 1;
    quantize(d, adjusted - 33, mode)
}

/// `$round` and `$trunc`: `[number, place?]`, place an integer in
/// [-20, 100]; doubles are rounded through their 34-digit decimal value;
/// integers stay integers.
fn round_trunc(name: &str, v: &[Value], mode: Rounding) -> Result<Value, QueryError> {
    let x = match &v[0] {
        x if nullish(x) => return Ok(Some(Bson::Null)),
        Some(x) if is_num(x) => x,
        x => {
            return Err(QueryError::location(
                51081,
                format!(
                    "{name} only supports numeric types, not {}",
                    super::value_type_name(x)
                ),
            ));
        }
    };
    let mut place = 0;
    if let Some(p) = v.get(1) {
        let Some(p) = p
            .as_ref()
            .filter(|p| !matches!(p, Bson::Null | Bson::Undefined))
        else {
            return Ok(Some(Bson::Null));
        };
        place = coerce_long(p)?;
        if !num::integral32(p) {
            return Err(QueryError::location(
                51082,
                format!("precision argument to  {name} must be a integral value"),
            ));
        }
        if !(-20..=100).contains(&place) {
            return Err(QueryError::location(
                51083,
                format!(
                    "cannot apply {name} with precision value {place} value must be in [-20, 100]"
                ),
            ));
        }
    }
    Ok(Some(match x {
        Bson::Decimal128(d) => to_bson(quantize_place(dec_of(d), place, mode)),
        Bson::Double(f) => {
            if !f.is_finite() {
                return Ok(Some(x.clone()));
            }
            let q = quantize_place(num::dec_from_f64_34(*f), place, mode);
            let r = num::dec_to_f64(&q);
            // Keep the sign of a zero result (`$round: -0.4` is -0.0).
            Bson::Double(if r == 0.0 { 0.0_f64.copysign(*f) } else { r })
        }
        Bson::Int32(_) | Bson::Int64(_) if place >= 0 => x.clone(),
        Bson::Int32(_) | Bson::Int64(_) => {
            let n = if let Bson::Int32(i) = x {
                i64::from(*i)
            } else if let Bson::Int64(i) = x {
                *i
            } else {
                0
            };
            let q = quantize(D128::from(n), -place, mode);
            let out = quantize(q, 0, mode)
                .to_string()
                .parse::<i64>()
                .map_err(|_| {
                    QueryError::location(
                        51080,
                        format!(
                            "invalid conversion from Decimal128 result in {name} resulting from \
                         arguments: [{n}, 1E{}]",
                            -place
                        ),
                    )
                })?;
            if matches!(x, Bson::Int64(_)) {
                Bson::Int64(out)
            } else {
                int_or_long(out)
            }
        }
        other => other.clone(),
    }))
}

fn type_pair(a: &Value, b: &Value) -> (&'static str, &'static str) {
    (super::value_type_name(a), super::value_type_name(b))
}

/// `$divide`: a double, or a decimal if either operand is one.
fn divide(v: &[Value]) -> Result<Value, QueryError> {
    let (a, b) = (&v[0], &v[1]);
    match (a, b) {
        (Some(x), Some(y)) if is_num(x) && is_num(y) => {
            let by_zero = || QueryError::bad_value("can't $divide by zero");
            if matches!(x, Bson::Decimal128(_)) || matches!(y, Bson::Decimal128(_)) {
                let (n, d) = (coerce_dec(x), coerce_dec(y));
                let (Some(n), Some(d)) = (n, d) else {
                    return Ok(Some(Bson::Null));
                };
                if d.is_zero() {
                    return Err(by_zero());
                }
                return Ok(Some(to_bson(num::ctx().div(n, d))));
            }
            let (n, d) = (coerce_f64(x).unwrap_or(0.0), coerce_f64(y).unwrap_or(0.0));
            if d == 0.0 {
                return Err(by_zero());
            }
            Ok(Some(Bson::Double(n / d)))
        }
        _ if nullish(a) || nullish(b) => Ok(Some(Bson::Null)),
        _ => {
            let (ta, tb) = type_pair(a, b);
            Err(QueryError::type_mismatch(format!(
                "$divide only supports numeric types, not {ta} and {tb}"
            )))
        }
    }
}

fn as_i64(v: &Bson) -> i64 {
    match v {
        Bson::Int32(i) => i64::from(*i),
        Bson::Int64(i) => *i,
        Bson::Double(f) => *f as i64,
        _ => 0,
    }
}

/// `$mod`: the remainder of truncating division, with the dividend's sign.
fn modulo(v: &[Value]) -> Result<Value, QueryError> {
    let (a, b) = (&v[0], &v[1]);
    let (x, y) = match (a, b) {
        (Some(x), Some(y)) if is_num(x) && is_num(y) => (x, y),
        _ if nullish(a) || nullish(b) => return Ok(Some(Bson::Null)),
        _ => {
            let (ta, tb) = type_pair(a, b);
            return Err(QueryError::location(
                16611,
                format!("$mod only supports numeric types, not {ta} and {tb}"),
            ));
        }
    };
    let by_zero = |code| QueryError::location(code, "can't $mod by zero");
    if matches!(x, Bson::Decimal128(_)) || matches!(y, Bson::Decimal128(_)) {
        let (Some(l), Some(r)) = (coerce_dec(x), coerce_dec(y)) else {
            return Ok(Some(Bson::Null));
        };
        if r.is_zero() {
            return Err(by_zero(5733415));
        }
        return Ok(Some(to_bson(num::ctx().rem(l, r))));
    }
    let right = coerce_f64(y).unwrap_or(0.0);
    if right == 0.0 {
        return Err(by_zero(16610));
    }
    let y_integral = match y {
        Bson::Double(f) => f.fract() == 0.0 && f.abs() <= f64::from(i32::MAX),
        _ => true,
    };
    if matches!(x, Bson::Double(_)) || !y_integral {
        let left = coerce_f64(x).unwrap_or(0.0);
        return Ok(Some(Bson::Double(left % right)));
    }
    let (l, r) = (as_i64(x), as_i64(y));
    Ok(Some(
        if matches!(x, Bson::Int64(_)) || matches!(y, Bson::Int64(_)) {
            Bson::Int64(l.wrapping_rem(r))
        } else {
            // Both 32-bit: the remainder fits.
            int_or_long(l.wrapping_rem(r))
        },
    ))
}

/// A wide-precision function of a decimal, rounded to 34 digits.
fn wide1(d: D128, digits: usize, f: fn(&mut dec::Context<num::Wide>, &mut num::Wide)) -> D128 {
    let mut cx = num::wide_ctx(digits);
    let mut w = num::widen(d);
    f(&mut cx, &mut w);
    num::ctx().from_decimal(&w)
}

fn exp(x: &Bson) -> Result<Bson, QueryError> {
    Ok(match x {
        Bson::Decimal128(d) => {
            let d = dec_of(d);
            if d.is_finite()
                && !d.is_zero()
                && i64::from(d.exponent()) + i64::from(d.digits()) - 1 <= -40
            {
                // e^x rounds to a bare 1 far below decimal128's resolution.
                return Ok(to_bson(D128::ONE));
            }
            to_bson(wide1(d, 34, |cx, w| cx.exp(w)))
        }
        other => Bson::Double(coerce_f64(other).unwrap_or(f64::NAN).exp()),
    })
}

/// `$ln` and `$log10`: a positive argument; decimal in, decimal out.
fn log_fn(name: &str, code: i32, x: &Bson, ten: bool) -> Result<Bson, QueryError> {
    if let Bson::Decimal128(d) = x {
        let d = dec_of(d);
        if !d.is_nan() && !d.is_negative() && !d.is_zero() {
            return Ok(to_bson(if ten {
                wide1(d, 34, |cx, w| cx.log10(w))
            } else {
                wide1(d, 34, |cx, w| cx.ln(w))
            }));
        }
    }
    let f = coerce_f64(x).unwrap_or(f64::NAN);
    if !(f > 0.0 || f.is_nan()) {
        return Err(QueryError::location(
            code,
            format!(
                "{name}'s argument must be a positive number, but is {}",
                fmt_double(f)
            ),
        ));
    }
    Ok(Bson::Double(if ten { f.log10() } else { f.ln() }))
}

fn ln34(d: D128) -> D128 {
    wide1(d, 34, |cx, w| cx.ln(w))
}

/// `$log: [number, base]`.
fn log(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let (Some(x), Some(b)) = (&v[0], &v[1]) else {
        return Ok(Some(Bson::Null));
    };
    if !is_num(x) {
        return Err(QueryError::location(
            28756,
            format!("$log's argument must be numeric, not {}", type_name(x)),
        ));
    }
    if !is_num(b) {
        return Err(QueryError::location(
            28757,
            format!("$log's base must be numeric, not {}", type_name(b)),
        ));
    }
    if matches!(x, Bson::Decimal128(_)) || matches!(b, Bson::Decimal128(_)) {
        let (xd, bd) = (
            coerce_dec(x).unwrap_or(D128::NAN),
            coerce_dec(b).unwrap_or(D128::NAN),
        );
        let positive = |d: &D128| !d.is_nan() && !d.is_negative() && !d.is_zero();
        if positive(&xd) && positive(&bd) && bd != D128::ONE {
            return Ok(Some(to_bson(num::ctx().div(ln34(xd), ln34(bd)))));
        }
    }
    let (xf, bf) = (
        coerce_f64(x).unwrap_or(f64::NAN),
        coerce_f64(b).unwrap_or(f64::NAN),
    );
    if !(xf > 0.0 || xf.is_nan()) {
        return Err(QueryError::location(
            28758,
            format!(
                "$log's argument must be a positive number, but is {}",
                fmt_double(xf)
            ),
        ));
    }
    if !((bf > 0.0 && bf != 1.0) || bf.is_nan()) {
        return Err(QueryError::location(
            28759,
            format!(
                "$log's base must be a positive number not equal to 1, but is {}",
                fmt_double(bf)
            ),
        ));
    }
    Ok(Some(Bson::Double(xf.ln() / bf.ln())))
}

/// A decimal power, computed wide and rounded once.
fn dec_pow(b: D128, e: D128) -> D128 {
    if b.is_nan() || e.is_nan() {
        return D128::NAN;
    }
    if e.is_zero() {
        return D128::ONE;
    }
    if b.is_zero() {
        return if e.is_negative() {
            num::infinity(false)
        } else {
            D128::ZERO
        };
    }
    let mut cx = num::wide_ctx(num::WIDE_DIGITS);
    let mut neg = false;
    let mut base = num::widen(b);
    if b.is_negative() {
        let mut ew = num::widen(e);
        let mut half = num::widen(e);
        cx.div(&mut half, &num::wide_lit("2"));
        cx.round(&mut ew);
        if ew != num::widen(e) {
            return D128::NAN;
        }
        let mut h = half;
        cx.round(&mut h);
        neg = h != half;
        cx.minus(&mut base);
    }
    cx.ln(&mut base);
    cx.mul(&mut base, &num::widen(e));
    cx.exp(&mut base);
    if neg {
        cx.minus(&mut base);
    }
    num::ctx().from_decimal(&base)
}

/// `$pow: [base, exponent]`.
fn pow(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let (Some(b), Some(e)) = (&v[0], &v[1]) else {
        return Ok(Some(Bson::Null));
    };
    if !is_num(b) {
        return Err(QueryError::location(
            28762,
            format!("$pow's base must be numeric, not {}", type_name(b)),
        ));
    }
    if !is_num(e) {
        return Err(QueryError::location(
            28763,
            format!("$pow's exponent must be numeric, not {}", type_name(e)),
        ));
    }
    let zero_neg = || {
        QueryError::location(
            28764,
            "$pow cannot take a base of 0 and a negative exponent",
        )
    };
    if matches!(b, Bson::Decimal128(_)) || matches!(e, Bson::Decimal128(_)) {
        let (bd, ed) = (
            coerce_dec(b).unwrap_or(D128::NAN),
            coerce_dec(e).unwrap_or(D128::NAN),
        );
        if bd.is_zero() && ed.is_negative() && !ed.is_zero() {
            return Err(zero_neg());
        }
        return Ok(Some(to_bson(dec_pow(bd, ed))));
    }
    let (bf, ef) = (
        coerce_f64(b).unwrap_or(f64::NAN),
        coerce_f64(e).unwrap_or(f64::NAN),
    );
    if bf == 0.0 && ef < 0.0 {
        return Err(zero_neg());
    }
    if matches!(b, Bson::Double(_)) || matches!(e, Bson::Double(_)) {
        return Ok(Some(Bson::Double(bf.powf(ef))));
    }
    let long = matches!(b, Bson::Int64(_)) || matches!(e, Bson::Int64(_));
    let fmt = |r: i64| if long { Bson::Int64(r) } else { int_or_long(r) };
    let (bl, el) = (as_i64(b), as_i64(e));
    Ok(Some(match bl {
        0 => fmt(if el == 0 { 1 } else { 0 }),
        1 => fmt(1),
        -1 => fmt(if el % 2 == 0 { 1 } else { -1 }),
        _ if !(0..=63).contains(&el) => Bson::Double((bl as f64).powf(el as f64)),
        _ => match bl.checked_pow(el as u32) {
            Some(r) => fmt(r),
            None => Bson::Double((bl as f64).powf(el as f64)),
        },
    }))
}

fn sqrt(x: &Bson) -> Result<Bson, QueryError> {
    let negative =
        || QueryError::location(28714, "$sqrt's argument must be greater than or equal to 0");
    if let Bson::Decimal128(d) = x {
        let d = dec_of(d);
        if d.is_negative() && !d.is_zero() && !d.is_nan() {
            return Err(negative());
        }
        return Ok(to_bson(wide1(d, 34, |cx, w| {
            let mut r = *w;
            cx.sqrt(&mut r);
            *w = r;
        })));
    }
    let f = coerce_f64(x).unwrap_or(f64::NAN);
    if f < 0.0 {
        return Err(negative());
    }
    Ok(Bson::Double(f.sqrt()))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$add" => pure("$add", arg, pc, Arity::Any, |v| {
            fold("$add", v, ArithOp::Add)
        }),
        "$multiply" => pure("$multiply", arg, pc, Arity::Any, |v| {
            fold("$multiply", v, ArithOp::Mul)
        }),
        "$subtract" => pure("$subtract", arg, pc, Arity::Exact(2), subtract),
        "$divide" => pure("$divide", arg, pc, Arity::Exact(2), divide),
        "$mod" => pure("$mod", arg, pc, Arity::Exact(2), modulo),
        "$abs" => pure1("$abs", arg, pc, |v| unary("$abs", v, abs)),
        "$ceil" => pure1("$ceil", arg, pc, |v| {
            unary("$ceil", v, |x| Ok(ceil_floor(x, Rounding::Ceiling)))
        }),
        "$floor" => pure1("$floor", arg, pc, |v| {
            unary("$floor", v, |x| Ok(ceil_floor(x, Rounding::Floor)))
        }),
        "$round" => pure("$round", arg, pc, Arity::Range(1, 2), |v| {
            round_trunc("$round", v, Rounding::HalfEven)
        }),
        "$trunc" => pure("$trunc", arg, pc, Arity::Range(1, 2), |v| {
            round_trunc("$trunc", v, Rounding::Down)
        }),
        "$exp" => pure1("$exp", arg, pc, |v| unary("$exp", v, exp)),
        "$ln" => pure1("$ln", arg, pc, |v| {
            unary("$ln", v, |x| log_fn("$ln", 28766, x, false))
        }),
        "$log10" => pure1("$log10", arg, pc, |v| {
            unary("$log10", v, |x| log_fn("$log10", 28761, x, true))
        }),
        "$log" => pure("$log", arg, pc, Arity::Exact(2), log),
        "$pow" => pure("$pow", arg, pc, Arity::Exact(2), pow),
        "$sqrt" => pure1("$sqrt", arg, pc, |v| unary("$sqrt", v, sqrt)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{code, ok};
    use bson::{Bson, bson, doc};

    fn dec(s: &str) -> Bson {
        Bson::Decimal128(s.parse().unwrap())
    }

    fn r(e: Bson) -> Bson {
        ok(e, doc! {})
    }

    #[test]
    fn manual_examples() {
        // $abs: startTemp 50, endTemp 80 -> delta 30.
        let d = doc! {"s": 50, "e": 80};
        assert_eq!(
            ok(bson!({"$abs": {"$subtract": ["$s", "$e"]}}), d),
            bson!(30)
        );
        // $ceil / $floor of 9.25, 8.73, 4.32, -5.34.
        for (x, c, f) in [(9.25, 10.0, 9.0), (8.73, 9.0, 8.0), (-5.34, -5.0, -6.0)] {
            assert_eq!(r(bson!({"$ceil": x})), bson!(c));
            assert_eq!(r(bson!({"$floor": x})), bson!(f));
        }
        // $divide: hours 80 / 8 -> 10 (a double).
        assert_eq!(r(bson!({"$divide": [80, 8]})), bson!(10.0));
        // $mod: 80 mod 7 -> 3; -80 mod 7 -> -3.
        assert_eq!(r(bson!({"$mod": [80, 7]})), bson!(3));
        assert_eq!(r(bson!({"$mod": [-80, 7]})), bson!(-3));
        // $pow: 5^2 -> 25.
        assert_eq!(r(bson!({"$pow": [5, 2]})), bson!(25));
        // $sqrt: sqrt(3^2 + 4^2) -> 5.
        assert_eq!(r(bson!({"$sqrt": 25})), bson!(5.0));
        // $round / $trunc of 19.25, 28.73, 34.32, -45.39.
        let rounds = [
            (19.25, 1, 19.2, 19.2),
            (28.73, 1, 28.7, 28.7),
            (-45.39, 1, -45.4, -45.3),
            (19.25, -1, 20.0, 10.0),
            (28.73, 0, 29.0, 28.0),
            (-45.39, -1, -50.0, -40.0),
        ];
        for (x, p, rd, tr) in rounds {
            assert_eq!(r(bson!({"$round": [x, p]})), bson!(rd), "$round {x} {p}");
            assert_eq!(r(bson!({"$trunc": [x, p]})), bson!(tr), "$trunc {x} {p}");
        }
        // $log10 of 0.0025 etc.; $ln of 1 -> 0; $log of 100 base 10 -> 2.
        assert_eq!(r(bson!({"$ln": 1})), bson!(0.0));
        assert_eq!(r(bson!({"$log": [100, 10]})), bson!(2.0));
        assert_eq!(r(bson!({"$log10": 1000})), bson!(3.0));
        assert_eq!(r(bson!({"$exp": 0})), bson!(1.0));
    }

    #[test]
    fn types_and_promotion() {
        assert_eq!(r(bson!({"$abs": -2147483648_i32})), bson!(2147483648_i64));
        assert_eq!(r(bson!({"$divide": [10_i64, 4_i64]})), bson!(2.5));
        assert_eq!(
            r(bson!({"$divide": [dec("1"), dec("3")]})),
            dec("0.3333333333333333333333333333333333")
        );
        assert_eq!(r(bson!({"$mod": [5.5, 2]})), bson!(1.5));
        assert_eq!(r(bson!({"$mod": [5, 2_i64]})), bson!(1_i64));
        assert_eq!(r(bson!({"$mod": [dec("5"), 2]})), dec("1"));
        assert_eq!(r(bson!({"$pow": [2, 40]})), bson!(1_099_511_627_776_i64));
        assert_eq!(r(bson!({"$pow": [2, 70]})), bson!(2f64.powi(70)));
        assert_eq!(r(bson!({"$pow": [2, -1]})), bson!(0.5));
        assert_eq!(r(bson!({"$pow": [-1, 3_i64]})), bson!(-1_i64));
        assert_eq!(
            r(bson!({"$pow": [dec("1.5"), 2]})),
            dec("2.250000000000000000000000000000000")
        );
        assert_eq!(
            r(bson!({"$sqrt": dec("2")})),
            dec("1.414213562373095048801688724209698")
        );
        assert_eq!(
            r(bson!({"$exp": dec("1")})),
            dec("2.718281828459045235360287471352662")
        );
        assert_eq!(
            r(bson!({"$ln": dec("10")})),
            dec("2.302585092994045684017991454684364")
        );
        assert_eq!(r(bson!({"$log10": dec("1000")})), dec("3"));
        assert_eq!(r(bson!({"$log": [dec("100"), dec("10")]})), dec("2"));
        assert_eq!(r(bson!({"$ceil": dec("-1.5")})), dec("-1"));
        assert_eq!(r(bson!({"$floor": dec("-1.5")})), dec("-2"));
        assert_eq!(r(bson!({"$trunc": dec("-1.75")})), dec("-1"));
    }

    #[test]
    fn rounding() {
        // Round half to even for doubles and decimals.
        assert_eq!(r(bson!({"$round": 10.5})), bson!(10.0));
        assert_eq!(r(bson!({"$round": 11.5})), bson!(12.0));
        assert_eq!(r(bson!({"$round": -2.5})), bson!(-2.0));
        assert_eq!(r(bson!({"$round": [dec("0.125"), 2]})), dec("0.12"));
        assert_eq!(r(bson!({"$round": [dec("1.2345"), 2]})), dec("1.23"));
        assert_eq!(r(bson!({"$trunc": [dec("1.2399"), 2]})), dec("1.23"));
        // Integers stay integers.
        assert_eq!(r(bson!({"$round": [5, 2]})), bson!(5));
        assert_eq!(r(bson!({"$round": [1234, -2]})), bson!(1200));
        assert_eq!(r(bson!({"$round": [1250_i64, -2]})), bson!(1200_i64));
        assert_eq!(r(bson!({"$round": [1.5, Bson::Null]})), Bson::Null);
        assert_eq!(code(bson!({"$round": [1.5, 101]}), doc! {}), 51083);
        assert_eq!(code(bson!({"$round": [1.5, 1.5]}), doc! {}), 51082);
        assert_eq!(code(bson!({"$round": ["x"]}), doc! {}), 51081);
        assert_eq!(code(bson!({"$round": [1, 2, 3]}), doc! {}), 28667);
        assert_eq!(code(bson!({"$round": [i64::MAX, -1]}), doc! {}), 51080);
    }

    #[test]
    fn nulls_and_errors() {
        for e in [
            bson!({"$divide": [Bson::Null, 0]}),
            bson!({"$mod": [Bson::Null, 2]}),
            bson!({"$ln": Bson::Null}),
            bson!({"$log": [100, Bson::Null]}),
            bson!({"$pow": [Bson::Null, 2]}),
            bson!({"$abs": "$nope"}),
        ] {
            assert_eq!(r(e), Bson::Null);
        }
        let c = |e: Bson| code(e, doc! {});
        assert_eq!(c(bson!({"$abs": i64::MIN})), 28680);
        assert_eq!(c(bson!({"$abs": "x"})), 28765);
        assert_eq!(c(bson!({"$divide": [1, 0]})), 2);
        assert_eq!(c(bson!({"$divide": [dec("1"), dec("0")]})), 2);
        assert_eq!(c(bson!({"$divide": ["a", 1]})), 14);
        assert_eq!(c(bson!({"$mod": [5, 0]})), 16610);
        assert_eq!(c(bson!({"$mod": ["a", 1]})), 16611);
        assert_eq!(c(bson!({"$ln": 0})), 28766);
        assert_eq!(c(bson!({"$log": [-1, 10]})), 28758);
        assert_eq!(c(bson!({"$log": [100, 1]})), 28759);
        assert_eq!(c(bson!({"$log": ["a", 10]})), 28756);
        assert_eq!(c(bson!({"$log10": -1})), 28761);
        assert_eq!(c(bson!({"$pow": [0, -1]})), 28764);
        assert_eq!(c(bson!({"$pow": ["a", 1]})), 28762);
        assert_eq!(c(bson!({"$sqrt": -1})), 28714);
        assert_eq!(c(bson!({"$sqrt": dec("-1")})), 28714);
        assert_eq!(c(bson!({"$multiply": [2, "x"]})), 14);
    }
}
