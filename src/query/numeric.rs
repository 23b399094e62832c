//! Numbers as mongod computes them: int32, int64, double and decimal128
//! with mongod's promotion, overflow and rounding rules.

use bson::Decimal128;

pub(crate) use super::update::{ArithOp, agg_arith};

/// Whether a Decimal128 is zero (of any sign and exponent). NaN is not zero.
pub fn decimal_is_zero(d: &Decimal128) -> bool {
    super::update::decimal_is_zero(d)
}
