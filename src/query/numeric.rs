//! Numbers as mongod computes them: int32, int64, double and decimal128
//! with mongod's promotion, overflow and rounding rules.
//!
//! Decimal arithmetic goes through the `dec` crate (decNumber): values
//! cross between `bson::Decimal128` and `dec` by their string forms, which
//! both read and print the same way (`NaN`, `Infinity`, `1.5E+3`).

use bson::{Bson, Decimal128};
use dec::{Context, Rounding};

pub(crate) use super::update::{ArithOp, agg_arith};

/// A 34-digit decimal (IEEE decimal128) of the `dec` crate.
pub type D128 = dec::Decimal128;
/// A wide decimal for intermediate results (up to 96 digits).
pub type Wide = dec::Decimal<32>;

/// Digits of the wide working precision.
pub const WIDE_DIGITS: usize = 90;

/// Whether a Decimal128 is zero (of any sign and exponent). NaN is not zero.
pub fn decimal_is_zero(d: &Decimal128) -> bool {
    super::update::decimal_is_zero(d)
}

/// A decimal128 context: 34 digits, round-half-even.
pub fn ctx() -> Context<D128> {
    let mut cx = Context::<D128>::default();
    cx.set_rounding(Rounding::HalfEven);
    cx
}

/// A wide context with `digits` of precision, round-half-even.
pub fn wide_ctx(digits: usize) -> Context<Wide> {
    let mut cx = Context::<Wide>::default();
    let _ = cx.set_precision(digits.clamp(1, 96));
    // decNumber's exp/ln/log10/pow need exponent limits within ±999999.
    let _ = cx.set_max_exponent(99_999);
    let _ = cx.set_min_exponent(-99_999);
    cx.set_rounding(Rounding::HalfEven);
    cx
}

/// `bson` → `dec`.
pub fn from_bson(d: &Decimal128) -> D128 {
    ctx().parse(d.to_string()).unwrap_or(D128::NAN)
}

/// `dec` → `bson`.
pub fn to_bson(d: D128) -> Bson {
    Bson::Decimal128(
        d.to_string()
            .parse::<Decimal128>()
            .unwrap_or_else(|_| Decimal128::from_bytes([0; 16])),
    )
}

/// A wide value rounded to decimal128 (34 digits, decimal128's exponent
/// range), as a BSON decimal.
pub fn wide_to_bson(w: &Wide) -> Bson {
    to_bson(ctx().from_decimal(w))
}

/// A decimal128 widened (exactly).
pub fn widen(d: D128) -> Wide {
    Wide::from(d)
}

/// Parses a wide decimal literal (constants).
pub fn wide_lit(s: &str) -> Wide {
    wide_ctx(96).parse(s).unwrap_or_else(|_| Wide::nan())
}

/// ±Infinity.
pub fn infinity(neg: bool) -> D128 {
    let inf = ctx().parse("Infinity").unwrap_or(D128::NAN);
    if neg { -inf } else { inf }
}

/// A decimal literal (constants).
pub fn lit(s: &str) -> D128 {
    ctx().parse(s).unwrap_or(D128::NAN)
}

/// A double as mongod's `Decimal128(double)`: rounded to 15 significant
/// digits (0.5 is `0.500000000000000`).
pub fn dec_from_f64_15(f: f64) -> D128 {
    dec_from_f64_digits(f, 15)
}

/// A double as `Decimal128(double, kRoundTo34Digits)`.
pub fn dec_from_f64_34(f: f64) -> D128 {
    dec_from_f64_digits(f, 34)
}

fn dec_from_f64_digits(f: f64, digits: usize) -> D128 {
    if f.is_nan() {
        return D128::NAN;
    }
    if f.is_infinite() {
        return infinity(f < 0.0);
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            -D128::ZERO
        } else {
            D128::ZERO
        };
    }
    let s = format!("{:.*e}", digits - 1, f);
    ctx().parse(s).unwrap_or(D128::NAN)
}

/// A number as mongod's `Value::coerceToDecimal`: integers exactly, a
/// double to 15 digits. `None` for a non-number.
pub fn coerce_dec(v: &Bson) -> Option<D128> {
    Some(match v {
        Bson::Int32(i) => D128::from(*i),
        Bson::Int64(i) => D128::from(*i),
        Bson::Double(f) => dec_from_f64_15(*f),
        Bson::Decimal128(d) => from_bson(d),
        _ => return None,
    })
}

/// A decimal as a double (the nearest).
pub fn dec_to_f64(d: &D128) -> f64 {
    let s = d.to_string();
    s.parse::<f64>().unwrap_or_else(|_| {
        if s.contains("NaN") {
            f64::NAN
        } else if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }
    })
}

/// A number as mongod's `Value::coerceToDouble`. `None` for a non-number.
pub fn coerce_f64(v: &Bson) -> Option<f64> {
    Some(match v {
        Bson::Int32(i) => f64::from(*i),
        Bson::Int64(i) => *i as f64,
        Bson::Double(f) => *f,
        Bson::Decimal128(d) => dec_to_f64(&from_bson(d)),
        _ => return None,
    })
}

/// Is this BSON value a number (int, long, double, decimal)?
pub fn is_number(v: &Bson) -> bool {
    matches!(
        v,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_)
    )
}

/// An int when it fits, else a long (mongod's `Value::createIntOrLong`).
pub fn int_or_long(n: i64) -> Bson {
    i32::try_from(n).map_or(Bson::Int64(n), Bson::Int32)
}

/// Does this number have an integral value (mongod's `Value::integral`:
/// representable as a 32-bit int)?
pub fn integral32(v: &Bson) -> bool {
    match v {
        Bson::Int32(_) => true,
        Bson::Int64(n) => i32::try_from(*n).is_ok(),
        Bson::Double(f) => {
            f.fract() == 0.0 && *f >= f64::from(i32::MIN) && *f <= f64::from(i32::MAX)
        }
        Bson::Decimal128(d) => {
            let f = dec_to_f64(&from_bson(d));
            f.fract() == 0.0 && f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX)
        }
        _ => false,
    }
}

/// A double as mongod prints it in error messages (`%g`-like: integral
/// values without a fraction).
pub fn fmt_double(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(dec_from_f64_15(0.5).to_string(), "0.500000000000000");
        assert_eq!(dec_from_f64_15(0.1).to_string(), "0.100000000000000");
        assert_eq!(
            dec_from_f64_34(28.73).to_string(),
            "28.73000000000000042632564145606011"
        );
        let b: Decimal128 = "1.5E+3".parse().unwrap();
        assert_eq!(from_bson(&b).to_string(), "1.5E+3");
        assert_eq!(to_bson(from_bson(&b)), Bson::Decimal128(b));
        assert!(dec_to_f64(&D128::NAN).is_nan());
        assert_eq!(dec_to_f64(&infinity(true)), f64::NEG_INFINITY);
        assert_eq!(int_or_long(1 << 40), Bson::Int64(1 << 40));
        assert_eq!(fmt_double(-1.0), "-1");
    }
}
