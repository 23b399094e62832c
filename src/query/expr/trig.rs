//! Trigonometry operators: `$sin`, `$cos`, `$tan`, `$asin`, `$acos`,
//! `$atan`, `$atan2`, the hyperbolic functions and their inverses,
//! `$degreesToRadians`, `$radiansToDegrees`.
//!
//! Integers and doubles give doubles; a decimal gives a decimal, computed
//! at wide precision and rounded once to 34 digits. NaN passes through;
//! values outside an operator's domain are error 50989.

use super::args::{Arity, nullish, pure, pure1};
use super::arith::one_number;
use super::{Node, ParseCtx, Value};
use crate::query::error::{QueryError, type_name};
use crate::query::numeric::{self as num, D128, Wide, coerce_dec, coerce_f64, to_bson};
use bson::Bson;
use dec::{Context, Rounding};

const PI: &str = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798";
/// π/2 to 34 digits, mongod's `$atan` of an infinity.
const HALF_PI_34: &str = "1.570796326794896619231321691639751";

/// The domain of a bounded operator.
#[derive(Clone, Copy, PartialEq)]
enum Domain {
    /// (-inf, inf): finite values.
    Finite,
    /// [-1, 1].
    Unit,
    /// [1, inf].
    AtLeastOne,
    /// Everything.
    All,
}

impl Domain {
    fn describe(self) -> &'static str {
        match self {
            Domain::Finite => "(-inf,inf)",
            Domain::Unit => "[-1,1]",
            Domain::AtLeastOne => "[1,inf]",
            Domain::All => "",
        }
    }

    fn contains(self, f: f64) -> bool {
        match self {
            Domain::Finite => f.is_finite(),
            Domain::Unit => (-1.0..=1.0).contains(&f),
            Domain::AtLeastOne => f >= 1.0,
            Domain::All => true,
        }
    }
}

#[derive(Clone, Copy)]
enum F {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
}

impl F {
    fn domain(self) -> Domain {
        match self {
            F::Sin | F::Cos | F::Tan => Domain::Finite,
            F::Asin | F::Acos | F::Atanh => Domain::Unit,
            F::Acosh => Domain::AtLeastOne,
            _ => Domain::All,
        }
    }

    fn double(self, x: f64) -> f64 {
        match self {
            F::Sin => x.sin(),
            F::Cos => x.cos(),
            F::Tan => x.tan(),
            F::Asin => x.asin(),
            F::Acos => x.acos(),
            F::Atan => x.atan(),
            F::Sinh => x.sinh(),
            F::Cosh => x.cosh(),
            F::Tanh => x.tanh(),
            F::Asinh => x.asinh(),
            F::Acosh => x.acosh(),
            F::Atanh => x.atanh(),
        }
    }

    /// What a decimal zero gives, `(for +0, for -0)` (mongod's quanta).
    fn decimal_zero(self) -> Option<(&'static str, &'static str)> {
        const ONE: &str = "1.000000000000000000000000000000000";
        Some(match self {
            F::Sin | F::Atan | F::Tanh => ("0", "-0"),
            F::Cos | F::Cosh => (ONE, ONE),
            F::Tan | F::Asin | F::Sinh => ("0E-40", "-0E-40"),
            F::Acos => (HALF_PI_34, HALF_PI_34),
            F::Asinh | F::Atanh => ("0E-6176", "-0E-6176"),
            F::Acosh => return None,
        })
    }

    /// What a decimal infinity gives (outside the bounded domains).
    fn decimal_inf(self, neg: bool) -> D128 {
        let sign = |s: &str| {
            if neg {
                num::lit(&format!("-{s}"))
            } else {
                num::lit(s)
            }
        };
        match self {
            F::Atan => sign(HALF_PI_34),
            F::Sinh | F::Asinh => num::infinity(neg),
            F::Tanh => sign("1"),
            _ => num::infinity(false),
        }
    }
}

/// Wide-precision arithmetic for the decimal functions.
struct W {
    cx: Context<Wide>,
}

impl W {
    fn new() -> W {
        W {
            cx: num::wide_ctx(num::WIDE_DIGITS),
        }
    }
    fn lit(&self, s: &str) -> Wide {
        num::wide_lit(s)
    }
    fn add(&mut self, a: &Wide, b: &Wide) -> Wide {
        let mut r = *a;
        self.cx.add(&mut r, b);
        r
    }
    fn sub(&mut self, a: &Wide, b: &Wide) -> Wide {
        let mut r = *a;
        self.cx.sub(&mut r, b);
        r
    }
    fn mul(&mut self, a: &Wide, b: &Wide) -> Wide {
        let mut r = *a;
        self.cx.mul(&mut r, b);
        r
    }
    fn div(&mut self, a: &Wide, b: &Wide) -> Wide {
        let mut r = *a;
        self.cx.div(&mut r, b);
        r
    }
    fn neg(&mut self, a: &Wide) -> Wide {
        let mut r = *a;
        self.cx.minus(&mut r);
        r
    }
    fn sqrt(&mut self, a: &Wide) -> Wide {
        let mut r = *a;
        self.cx.sqrt(&mut r);
        r
    }
    fn exp(&mut self, a: &Wide) -> Wide {
        let mut r = *a;
        self.cx.exp(&mut r);
        r
    }
    fn ln(&mut self, a: &Wide) -> Wide {
        let mut r = *a;
        self.cx.ln(&mut r);
        r
    }
    fn pi(&self) -> Wide {
        self.lit(PI)
    }
    fn gt(&mut self, a: &Wide, b: &Wide) -> bool {
        self.cx.partial_cmp(a, b) == Some(std::cmp::Ordering::Greater)
    }

    /// `x` reduced into [-π, π].
    fn reduce(&mut self, x: &Wide) -> Wide {
        let pi = self.pi();
        let two_pi = self.add(&pi, &pi);
        let mut k = self.div(x, &two_pi);
        let mut floor = self.cx.clone();
        floor.set_rounding(Rounding::Floor);
        floor.round(&mut k);
        let m = self.mul(&k, &two_pi);
        let r = self.sub(x, &m);
        if self.gt(&r, &pi) {
            self.sub(&r, &two_pi)
        } else {
            r
        }
    }

    /// Sums a Taylor series `start + Σ term_n`, `term_{n+1} = term_n × x2
    /// / (k(k-1))` alternating, for sin (k from 3) and cos (k from 2).
    fn series(&mut self, x: &Wide, sin: bool) -> Wide {
        let x2 = self.mul(x, x);
        let one = self.lit("1");
        let mut term = if sin { *x } else { one };
        let mut total = term;
        let mut k: i64 = if sin { 1 } else { 0 };
        for _ in 0..80 {
            k += 2;
            let t = self.mul(&term, &x2);
            let d = self.cx.from_i64(k * (k - 1));
            let t = self.div(&t, &d);
            term = self.neg(&t);
            if term.is_zero() {
                break;
            }
            total = self.add(&total, &term);
        }
        total
    }

    fn sin(&mut self, x: &Wide) -> Wide {
        let r = self.reduce(x);
        self.series(&r, true)
    }

    fn cos(&mut self, x: &Wide) -> Wide {
        let r = self.reduce(x);
        self.series(&r, false)
    }

    fn atan(&mut self, x: &Wide) -> Wide {
        if x.is_zero() {
            return *x;
        }
        let neg = x.is_negative();
        let mut x = if neg { self.neg(x) } else { *x };
        let one = self.lit("1");
        let small = self.lit("0.05");
        let mut halvings = 0u32;
        while self.gt(&x, &small) && halvings < 64 {
            let x2 = self.mul(&x, &x);
            let s = self.add(&one, &x2);
            let s = self.sqrt(&s);
            let d = self.add(&one, &s);
            x = self.div(&x, &d);
            halvings += 1;
        }
        let x2 = self.mul(&x, &x);
        let mut power = x;
        let mut total = x;
        let mut k: i64 = 1;
        for _ in 0..80 {
            k += 2;
            power = self.mul(&power, &x2);
            power = self.neg(&power);
            let d = self.cx.from_i64(k);
            let t = self.div(&power, &d);
            if t.is_zero() {
                break;
            }
            total = self.add(&total, &t);
        }
        let scale = self.cx.from_i64(1_i64 << halvings);
        let r = self.mul(&total, &scale);
        if neg { self.neg(&r) } else { r }
    }

    fn asin(&mut self, x: &Wide) -> Wide {
        let one = self.lit("1");
        let x2 = self.mul(x, x);
        let s = self.sub(&one, &x2);
        if s.is_zero() {
            let half_pi = self.div(&self.pi(), &self.lit("2"));
            return if x.is_negative() {
                self.neg(&half_pi)
            } else {
                half_pi
            };
        }
        let s = self.sqrt(&s);
        let q = self.div(x, &s);
        self.atan(&q)
    }

    fn apply(&mut self, f: F, x: &Wide) -> Wide {
        let one = self.lit("1");
        let two = self.lit("2");
        match f {
            F::Sin => self.sin(x),
            F::Cos => self.cos(x),
            F::Tan => {
                let s = self.sin(x);
                let c = self.cos(x);
                self.div(&s, &c)
            }
            F::Asin => self.asin(x),
            F::Acos => {
                let a = self.asin(x);
                let half_pi = self.div(&self.pi(), &two);
                self.sub(&half_pi, &a)
            }
            F::Atan => self.atan(x),
            F::Sinh | F::Cosh | F::Tanh => {
                let e = self.exp(x);
                let minus = self.neg(x);
                let em = self.exp(&minus);
                let s = self.sub(&e, &em);
                let c = self.add(&e, &em);
                match f {
                    F::Sinh => self.div(&s, &two),
                    F::Cosh => self.div(&c, &two),
                    _ => self.div(&s, &c),
                }
            }
            F::Asinh => {
                let neg = x.is_negative();
                let a = if neg { self.neg(x) } else { *x };
                let a2 = self.mul(&a, &a);
                let s = self.add(&a2, &one);
                let s = self.sqrt(&s);
                let t = self.add(&a, &s);
                let r = self.ln(&t);
                if neg { self.neg(&r) } else { r }
            }
            F::Acosh => {
                let x2 = self.mul(x, x);
                let s = self.sub(&x2, &one);
                let s = self.sqrt(&s);
                let t = self.add(x, &s);
                self.ln(&t)
            }
            F::Atanh => {
                let n = self.add(&one, x);
                let d = self.sub(&one, x);
                let q = self.div(&n, &d);
                let l = self.ln(&q);
                self.div(&l, &two)
            }
        }
    }
}

fn domain_error(name: &str, shown: &str, domain: Domain) -> QueryError {
    QueryError::location(
        50989,
        format!(
            "cannot apply {name} to {shown}, value must in {}",
            domain.describe()
        ),
    )
}

fn decimal_fn(name: &str, f: F, d: D128) -> Result<D128, QueryError> {
    if d.is_nan() {
        return Ok(d);
    }
    let x = num::dec_to_f64(&d);
    let domain = f.domain();
    if !domain.contains(x) {
        return Err(domain_error(name, &d.to_string(), domain));
    }
    if d.is_infinite() {
        return Ok(f.decimal_inf(d.is_negative()));
    }
    if d.is_zero()
        && let Some((pos, neg)) = f.decimal_zero()
    {
        return Ok(num::lit(if d.is_negative() { neg } else { pos }));
    }
    if matches!(f, F::Atanh) && x.abs() == 1.0 {
        return Ok(num::infinity(x < 0.0));
    }
    let mut w = W::new();
    let r = w.apply(f, &num::widen(d));
    Ok(num::ctx().from_decimal(&r))
}

fn trig(name: &str, f: F, v: &[Value]) -> Result<Value, QueryError> {
    let Some(x) = one_number(name, v)? else {
        return Ok(Some(Bson::Null));
    };
    if let Bson::Decimal128(d) = x {
        return Ok(Some(to_bson(decimal_fn(name, f, num::from_bson(d))?)));
    }
    let x = coerce_f64(x).unwrap_or(f64::NAN);
    if x.is_nan() {
        return Ok(Some(Bson::Double(x)));
    }
    let domain = f.domain();
    if !domain.contains(x) {
        return Err(domain_error(name, &num::fmt_double(x), domain));
    }
    Ok(Some(Bson::Double(f.double(x))))
}

/// `$atan2: [y, x]`.
fn atan2(v: &[Value]) -> Result<Value, QueryError> {
    if nullish(&v[0]) || nullish(&v[1]) {
        return Ok(Some(Bson::Null));
    }
    let (Some(y), Some(x)) = (&v[0], &v[1]) else {
        return Ok(Some(Bson::Null));
    };
    for (arg, code) in [(y, 51044), (x, 51045)] {
        if !num::is_number(arg) {
            return Err(QueryError::location(
                code,
                format!("$atan2 only supports numeric types, not {}", type_name(arg)),
            ));
        }
    }
    if matches!(y, Bson::Decimal128(_)) || matches!(x, Bson::Decimal128(_)) {
        let yd = coerce_dec(y).unwrap_or(D128::NAN);
        let xd = coerce_dec(x).unwrap_or(D128::NAN);
        return Ok(Some(to_bson(decimal_atan2(yd, xd))));
    }
    let (yf, xf) = (
        coerce_f64(y).unwrap_or(f64::NAN),
        coerce_f64(x).unwrap_or(f64::NAN),
    );
    Ok(Some(Bson::Double(yf.atan2(xf))))
}

fn decimal_atan2(y: D128, x: D128) -> D128 {
    if y.is_nan() || x.is_nan() {
        return D128::NAN;
    }
    if y.is_infinite() || x.is_infinite() {
        // Limits as for doubles.
        let r = num::dec_to_f64(&y).atan2(num::dec_to_f64(&x));
        return num::dec_from_f64_34(r);
    }
    let mut w = W::new();
    let (yw, xw) = (num::widen(y), num::widen(x));
    let pi = w.pi();
    let two = w.lit("2");
    let r = if x.is_zero() {
        if y.is_zero() {
            return y;
        }
        let h = w.div(&pi, &two);
        if y.is_negative() { w.neg(&h) } else { h }
    } else {
        let q = w.div(&yw, &xw);
        let a = w.atan(&q);
        if x.is_negative() {
            if y.is_negative() {
                w.sub(&a, &pi)
            } else {
                w.add(&a, &pi)
            }
        } else {
            a
        }
    };
    num::ctx().from_decimal(&r)
}

/// `$degreesToRadians` / `$radiansToDegrees`: a double product, or a
/// decimal product with mongod's 34-digit constant.
fn convert(name: &str, v: &[Value], to_radians: bool) -> Result<Value, QueryError> {
    let Some(x) = one_number(name, v)? else {
        return Ok(Some(Bson::Null));
    };
    if let Bson::Decimal128(d) = x {
        let k = num::lit(if to_radians {
            "0.01745329251994329576923690768488613"
        } else {
            "57.29577951308232087679815481410517"
        });
        return Ok(Some(to_bson(num::ctx().mul(num::from_bson(d), k))));
    }
    let f = coerce_f64(x).unwrap_or(f64::NAN);
    Ok(Some(Bson::Double(if to_radians {
        f * (std::f64::consts::PI / 180.0)
    } else {
        f * (180.0 / std::f64::consts::PI)
    })))
}

pub(super) fn parse(name: &str, arg: &Bson, pc: &mut ParseCtx) -> Option<Result<Node, QueryError>> {
    Some(match name {
        "$sin" => pure1("$sin", arg, pc, |v| trig("$sin", F::Sin, v)),
        "$cos" => pure1("$cos", arg, pc, |v| trig("$cos", F::Cos, v)),
        "$tan" => pure1("$tan", arg, pc, |v| trig("$tan", F::Tan, v)),
        "$asin" => pure1("$asin", arg, pc, |v| trig("$asin", F::Asin, v)),
        "$acos" => pure1("$acos", arg, pc, |v| trig("$acos", F::Acos, v)),
        "$atan" => pure1("$atan", arg, pc, |v| trig("$atan", F::Atan, v)),
        "$sinh" => pure1("$sinh", arg, pc, |v| trig("$sinh", F::Sinh, v)),
        "$cosh" => pure1("$cosh", arg, pc, |v| trig("$cosh", F::Cosh, v)),
        "$tanh" => pure1("$tanh", arg, pc, |v| trig("$tanh", F::Tanh, v)),
        "$asinh" => pure1("$asinh", arg, pc, |v| trig("$asinh", F::Asinh, v)),
        "$acosh" => pure1("$acosh", arg, pc, |v| trig("$acosh", F::Acosh, v)),
        "$atanh" => pure1("$atanh", arg, pc, |v| trig("$atanh", F::Atanh, v)),
        "$atan2" => pure("$atan2", arg, pc, Arity::Exact(2), atan2),
        "$degreesToRadians" => pure1("$degreesToRadians", arg, pc, |v| {
            convert("$degreesToRadians", v, true)
        }),
        "$radiansToDegrees" => pure1("$radiansToDegrees", arg, pc, |v| {
            convert("$radiansToDegrees", v, false)
        }),
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

    fn close(a: Bson, b: f64) {
        let Bson::Double(a) = a else {
            panic!("{a:?} is not a double")
        };
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn manual_triangle() {
        // Manual ($sin, $cos, $tan, $asin, $acos, $atan, $atan2): a 3-4-5
        // right triangle.
        let d = doc! {"angle_a": 53.1301023541559, "side_a": 3, "side_b": 4, "side_c": 5};
        close(
            ok(
                bson!({"$multiply": [{"$sin": {"$degreesToRadians": "$angle_a"}}, "$side_c"]}),
                d.clone(),
            ),
            4.0,
        );
        close(
            ok(
                bson!({"$multiply": [{"$cos": {"$degreesToRadians": "$angle_a"}}, "$side_c"]}),
                d.clone(),
            ),
            3.0,
        );
        close(
            ok(
                bson!({"$radiansToDegrees": {"$asin": {"$divide": ["$side_a", "$side_c"]}}}),
                d.clone(),
            ),
            36.86989764584402,
        );
        close(
            ok(
                bson!({"$radiansToDegrees": {"$atan2": ["$side_a", "$side_b"]}}),
                d.clone(),
            ),
            36.86989764584402,
        );
    }

    #[test]
    fn decimals_and_domains() {
        let d = doc! {};
        assert_eq!(
            ok(bson!({"$sin": dec("0.5")}), d.clone()),
            dec("0.4794255386042030002732879352155714")
        );
        assert_eq!(
            ok(bson!({"$atan": dec("1")}), d.clone()),
            dec("0.7853981633974483096156608458198757")
        );
        assert_eq!(
            ok(bson!({"$cosh": dec("2")}), d.clone()),
            dec("3.762195691083631459562213477773746")
        );
        assert_eq!(
            ok(bson!({"$degreesToRadians": dec("45")}), d.clone()),
            dec("0.7853981633974483096156608458198758")
        );
        assert_eq!(ok(bson!({"$tanh": 0}), d.clone()), bson!(0.0));
        assert_eq!(ok(bson!({"$sin": Bson::Null}), d.clone()), Bson::Null);
        assert_eq!(code(bson!({"$asin": 2}), d.clone()), 50989);
        assert_eq!(code(bson!({"$acosh": 0.5}), d.clone()), 50989);
        assert_eq!(code(bson!({"$sin": f64::INFINITY}), d.clone()), 50989);
        assert_eq!(code(bson!({"$cos": "x"}), d.clone()), 28765);
        assert_eq!(code(bson!({"$atan2": ["x", 1]}), d.clone()), 51044);
        assert_eq!(code(bson!({"$atan2": [1, "x"]}), d.clone()), 51045);
        assert_eq!(ok(bson!({"$atanh": 1}), d.clone()), bson!(f64::INFINITY));
        assert!(matches!(
            ok(bson!({"$atan2": [dec("1"), 2]}), d),
            Bson::Decimal128(_)
        ));
    }
}
