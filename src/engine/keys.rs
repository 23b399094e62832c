//! Order-preserving ("memcomparable") byte encoding of BSON values.
//!
//! Primary keys (the encoded `_id`) and secondary index keys (the encoded
//! field values followed by the encoded `_id`) are stored as byte strings and
//! compared with plain `memcmp`. The encoding is built so that comparing two
//! encodings byte-wise gives exactly MongoDB's BSON comparison order
//! (<https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/>),
//! and so that values MongoDB considers equal (for example `1`, `NumberLong(1)`,
//! `1.0` and `NumberDecimal("1.0")`) encode to *identical* bytes, which is what
//! a unique index needs.
//!
//! Every encoding is **prefix-free**: no complete encoding is a proper prefix
//! of another. That is why a tuple can be encoded by simple concatenation: two
//! concatenations first differ inside the first differing element, so they
//! compare element by element. It is also why the descending form can simply
//! complement every byte: two distinct prefix-free encodings always differ at
//! a byte present in both, and complementing that byte reverses the result.
//!
//! # Value
//!
//! A value is one *class byte* followed by a class-specific payload. The class
//! byte is the canonical type rank ([`canonical_type_rank`]) plus one, so
//! values of different types order by type, and no class byte is `0x00` (that
//! byte is reserved for "end of document / array").
//!
//! | class | rank | BSON types                   | payload                                             |
//! |-------|------|------------------------------|-----------------------------------------------------|
//! | 0x01  | 0    | MinKey                       | none                                                |
//! | 0x02  | —    | (index keys only) empty array / undefined | none, see below                        |
//! | 0x06  | 5    | Null, Undefined              | none (Undefined is treated as Null)                 |
//! | 0x0B  | 10   | Int32, Int64, Double, Decimal128 | number, see below                               |
//! | 0x10  | 15   | String, Symbol               | escaped string                                      |
//! | 0x15  | 20   | Document                     | elements, then 0x00                                 |
//! | 0x1A  | 25   | Array                        | values, then 0x00                                   |
//! | 0x1F  | 30   | Binary                       | length (uvarint), subtype byte, raw bytes           |
//! | 0x24  | 35   | ObjectId                     | the 12 raw bytes                                    |
//! | 0x29  | 40   | Boolean                      | 0x00 false, 0x01 true                               |
//! | 0x2E  | 45   | DateTime                     | i64 millis, sign bit flipped, big-endian (8 bytes)  |
//! | 0x30  | 47   | Timestamp                    | time u32 big-endian, increment u32 big-endian       |
//! | 0x33  | 50   | Regular expression           | escaped pattern, escaped options                    |
//! | 0x38  | 55   | DBPointer                    | namespace length (uvarint), namespace bytes, 12 oid bytes |
//! | 0x3D  | 60   | JavaScript code              | escaped string                                      |
//! | 0x42  | 65   | JavaScript code with scope   | escaped code, scope elements, then 0x00             |
//! | 0x80  | 127  | MaxKey                       | none                                                |
//!
//! * **Escaped string**: the UTF-8 bytes with every 0x00 written as 0x00 0xFF,
//!   then the terminator 0x00 0x00. Inside the body a 0x00 is always followed
//!   by 0xFF, so the terminator is unambiguous, and because 0x00 0x00 sorts
//!   below 0x00 0xFF and below every other byte, a string sorts before every
//!   string it is a proper prefix of ("a" < "a\0" < "a\x01" < "ab"). The result
//!   is plain binary comparison of the UTF-8 bytes, as MongoDB does without a
//!   collation.
//! * **uvarint**: one byte `n` (0..=8) giving the number of significant bytes,
//!   then those `n` bytes of the value big-endian (0 is the single byte 0x00).
//!   A longer form always means a larger value, so it sorts numerically.
//! * **Binary** sorts by length first, then subtype, then bytes (MongoDB's
//!   rule); the length prefix also makes the raw bytes self-delimiting.
//! * **DBPointer** sorts like MongoDB's raw comparison of the value: size
//!   first (that is, namespace length), then namespace bytes, then the oid.
//! * **Document element**: the class byte of the value, the escaped field
//!   name, then the value's payload. MongoDB compares embedded documents field
//!   by field: type first, then field name, then value; a document that runs
//!   out of fields first is smaller, which the 0x00 end byte gives (it sorts
//!   below every class byte).
//! * **Array**: each element as a value (class byte + payload), then 0x00.
//!   Arrays compare element by element, a shorter prefix first.
//!
//! # Numbers
//!
//! All four numeric types share one class and are encoded by *value*, so that
//! equal values of different types give identical bytes and the order is
//! exact across types (no rounding through `f64`: a double is the exact binary
//! fraction it stores, and every binary fraction has a finite decimal
//! expansion). The payload starts with a kind byte:
//!
//! | kind | meaning                  | rest                                  |
//! |------|--------------------------|---------------------------------------|
//! | 0x01 | NaN (any, double or decimal) | none — NaN sorts below all numbers |
//! | 0x02 | −Infinity                | none                                  |
//! | 0x03 | negative finite          | complemented exponent and digits      |
//! | 0x04 | zero (+0, −0, 0E+n)      | none                                  |
//! | 0x05 | positive finite          | exponent and digits                   |
//! | 0x06 | +Infinity                | none                                  |
//!
//! A finite nonzero magnitude is written as `0.d1 d2 … dn × 10^E` with
//! `d1 != 0` and `dn != 0` (normalized: no leading or trailing zeros), which is
//! a unique form for each value regardless of the source type.
//!
//! * `E` is written as the 2-byte big-endian `u16` `E + 0x8000`. With `d1 != 0`
//!   a larger `E` means a larger magnitude. (Decimal128 needs `E` in about
//!   −6175..=6145, doubles −323..=309.)
//! * The digits are padded with one `0` to an even count and taken in pairs
//!   `p = 10*a + b` (0..=99). Every pair except the last is written as the byte
//!   `2p + 1` (odd), the last as `2p` (even, and nonzero because `dn != 0`).
//!   Pair bytes order like the pairs; a number that stops earlier (even byte)
//!   sorts below one that goes on with the same pair (odd byte), which is
//!   right because the longer one has more nonzero digits. The even/odd
//!   marker makes the digit string self-delimiting.
//! * For negative numbers the exponent and digit bytes are complemented
//!   (`!b`), reversing their order; the kind byte is not.
//! * **Long doubles.** The exact expansion of a double can have up to ~770
//!   significant digits (`0.1` has 55, `5e-324` has 751). When it has more
//!   than 34, only the first 34 digits are written, followed by one extra
//!   digit `1` (35 digits, 18 pair bytes). This keeps the order exact: such a
//!   double lies strictly between two consecutive 34-digit decimals `T` and
//!   `T + 10^(E-34)`, and so does `T` followed by a `1`. Every Int32, Int64
//!   and Decimal128 has at most 34 significant digits, so none lies in that
//!   gap, and two different doubles are at least ~10^(E-17) apart, so they
//!   never share a gap either. A number payload is therefore at most
//!   1 + 2 + 18 = 21 bytes.
//!
//! Examples: `1` (any type) is `0B 05 80 01 14`; `-1` is `0B 03 7F FE EB`;
//! `0.5` is `0B 05 80 00 64`; `1234` is `0B 05 80 04 19 44`.
//!
//! # Descending fields
//!
//! [`encode_value_desc`] writes the ascending encoding with every byte
//! complemented. Since the ascending code is prefix-free, this reverses the
//! order and is still prefix-free, so ascending and descending components can
//! be mixed freely in one concatenated key.
//!
//! # Undefined in index keys
//!
//! Indexes of key format 2 (see `catalog`) key an empty array, and an
//! undefined value, as mongod does: as undefined, which ranks between MinKey
//! and Null and is not equal to null. That key is the single class byte
//! 0x02, which no value encodes to (values still encode Undefined as Null),
//! written by [`encode_undefined_index_value`].
//!
//! # Differences from MongoDB
//!
//! * Undefined is treated as Null (MongoDB ranks Undefined just below Null).
//! * Decimal128 vs double is compared exactly. mongod rounds the double to 34
//!   significant digits first, so a decimal that agrees with a double in its
//!   first 34 digits but not exactly (e.g. `0.1000000000000000055511151231257827`
//!   vs the double `0.1`) is equal in mongod and different here.
//! * Non-canonical Decimal128 encodings (coefficient above 10^34 − 1) are zero,
//!   as in the IEEE 754-2008 BID specification and in MongoDB.

use bson::{Bson, Document};
use std::cmp::Ordering;

// ---------------------------------------------------------------------------
// Type ranks and class bytes
// ---------------------------------------------------------------------------

const RANK_MINKEY: u8 = 0;
const RANK_NULL: u8 = 5;
const RANK_NUMBER: u8 = 10;
const RANK_STRING: u8 = 15;
const RANK_DOCUMENT: u8 = 20;
const RANK_ARRAY: u8 = 25;
const RANK_BINARY: u8 = 30;
const RANK_OBJECT_ID: u8 = 35;
const RANK_BOOLEAN: u8 = 40;
const RANK_DATE: u8 = 45;
const RANK_TIMESTAMP: u8 = 47;
const RANK_REGEX: u8 = 50;
const RANK_DB_POINTER: u8 = 55;
const RANK_CODE: u8 = 60;
const RANK_CODE_W_SCOPE: u8 = 65;
const RANK_MAXKEY: u8 = 127;

/// MongoDB's canonical type order rank (the numbers are MongoDB's
/// `canonicalizeBSONType` values, with MinKey moved from −1 to 0 to fit a
/// `u8`, and Undefined sharing Null's rank). Values of different rank compare
/// by rank; all numeric types share one rank, as do String and Symbol.
pub fn canonical_type_rank(v: &Bson) -> u8 {
    match v {
        Bson::MinKey => RANK_MINKEY,
        Bson::Null | Bson::Undefined => RANK_NULL,
        Bson::Int32(_) | Bson::Int64(_) | Bson::Double(_) | Bson::Decimal128(_) => RANK_NUMBER,
        Bson::String(_) | Bson::Symbol(_) => RANK_STRING,
        Bson::Document(_) => RANK_DOCUMENT,
        Bson::Array(_) => RANK_ARRAY,
        Bson::Binary(_) => RANK_BINARY,
        Bson::ObjectId(_) => RANK_OBJECT_ID,
        Bson::Boolean(_) => RANK_BOOLEAN,
        Bson::DateTime(_) => RANK_DATE,
        Bson::Timestamp(_) => RANK_TIMESTAMP,
        Bson::RegularExpression(_) => RANK_REGEX,
        Bson::DbPointer(_) => RANK_DB_POINTER,
        Bson::JavaScriptCode(_) => RANK_CODE,
        Bson::JavaScriptCodeWithScope(_) => RANK_CODE_W_SCOPE,
        Bson::MaxKey => RANK_MAXKEY,
    }
}

/// Class byte: rank + 1, so that 0x00 stays free as the end-of-container byte.
fn class_byte(v: &Bson) -> u8 {
    canonical_type_rank(v) + 1
}

/// Ends a document or array; sorts below every class byte.
const END: u8 = 0x00;

const NUM_NAN: u8 = 0x01;
const NUM_NEG_INF: u8 = 0x02;
const NUM_NEG: u8 = 0x03;
const NUM_ZERO: u8 = 0x04;
const NUM_POS: u8 = 0x05;
const NUM_POS_INF: u8 = 0x06;

/// Bias added to the decimal exponent so that it sorts as an unsigned `u16`.
const EXP_BIAS: i32 = 0x8000;

// ---------------------------------------------------------------------------
// Public encoding API
// ---------------------------------------------------------------------------

/// Appends the order-preserving, self-delimiting encoding of one value.
pub fn encode_value(v: &Bson, out: &mut Vec<u8>) {
    out.push(class_byte(v));
    encode_payload(v, out);
}

/// The encoding of one value as a new vector.
pub fn encode_key(v: &Bson) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    encode_value(v, &mut out);
    out
}

/// Appends the encoding for a descending index field: the ascending encoding
/// with every byte complemented. The ascending code is prefix-free, so this
/// reverses the order and stays prefix-free (see the module docs).
pub fn encode_value_desc(v: &Bson, out: &mut Vec<u8>) {
    let start = out.len();
    encode_value(v, out);
    for b in &mut out[start..] {
        *b = !*b;
    }
}

/// Class byte of the undefined index key (see the module docs).
const CLASS_UNDEFINED_INDEX_KEY: u8 = 0x02;

/// Appends the undefined index key (an empty array's key in indexes of key
/// format 2), complemented for a descending field.
pub fn encode_undefined_index_value(desc: bool, out: &mut Vec<u8>) {
    out.push(if desc {
        !CLASS_UNDEFINED_INDEX_KEY
    } else {
        CLASS_UNDEFINED_INDEX_KEY
    });
}

fn encode_payload(v: &Bson, out: &mut Vec<u8>) {
    match v {
        Bson::MinKey | Bson::MaxKey | Bson::Null | Bson::Undefined => {}
        Bson::Int32(i) => put_int(i64::from(*i), out),
        Bson::Int64(i) => put_int(*i, out),
        Bson::Double(f) => put_f64(*f, out),
        Bson::Decimal128(d) => put_decimal128(d, out),
        Bson::String(s) | Bson::Symbol(s) | Bson::JavaScriptCode(s) => {
            put_escaped(s.as_bytes(), out)
        }
        Bson::Document(d) => put_document_body(d, out),
        Bson::Array(a) => {
            for e in a {
                encode_value(e, out);
            }
            out.push(END);
        }
        Bson::Binary(b) => {
            put_uvarint(b.bytes.len() as u64, out);
            out.push(u8::from(b.subtype));
            out.extend_from_slice(&b.bytes);
        }
        Bson::ObjectId(oid) => out.extend_from_slice(&oid.bytes()),
        Bson::Boolean(b) => out.push(u8::from(*b)),
        Bson::DateTime(dt) => {
            // Flipping the sign bit maps i64 order onto u64 order.
            let u = (dt.timestamp_millis() as u64) ^ (1 << 63);
            out.extend_from_slice(&u.to_be_bytes());
        }
        Bson::Timestamp(ts) => {
            out.extend_from_slice(&ts.time.to_be_bytes());
            out.extend_from_slice(&ts.increment.to_be_bytes());
        }
        Bson::RegularExpression(re) => {
            put_escaped(re.pattern.as_str().as_bytes(), out);
            put_escaped(re.options.as_str().as_bytes(), out);
        }
        Bson::DbPointer(p) => {
            let (ns, oid) = db_pointer_parts(p);
            put_uvarint(ns.len() as u64, out);
            out.extend_from_slice(&ns);
            out.extend_from_slice(&oid);
        }
        Bson::JavaScriptCodeWithScope(c) => {
            put_escaped(c.code.as_bytes(), out);
            put_document_body(&c.scope, out);
        }
    }
}

fn put_document_body(d: &Document, out: &mut Vec<u8>) {
    for (k, v) in d {
        // Type first, then field name, then value: MongoDB's element order.
        out.push(class_byte(v));
        put_escaped(k.as_bytes(), out);
        encode_payload(v, out);
    }
    out.push(END);
}

/// 0x00 -> 0x00 0xFF, terminated by 0x00 0x00 (see module docs).
fn put_escaped(bytes: &[u8], out: &mut Vec<u8>) {
    out.reserve(bytes.len() + 2);
    let mut rest = bytes;
    while let Some(pos) = rest.iter().position(|&b| b == 0) {
        out.extend_from_slice(&rest[..=pos]);
        out.push(0xFF);
        rest = &rest[pos + 1..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(&[0x00, 0x00]);
}

/// Length-prefixed big-endian unsigned integer; sorts numerically.
fn put_uvarint(n: u64, out: &mut Vec<u8>) {
    let len = (64 - n.leading_zeros()).div_ceil(8) as usize;
    out.push(len as u8);
    out.extend_from_slice(&n.to_be_bytes()[8 - len..]);
}

/// The namespace and oid of a DBPointer. The bson crate keeps both fields
/// private, so read them back from the value's BSON serialization:
/// `i32 size | 0x0C | "" 0x00 | i32 strlen | namespace | 0x00 | oid(12) | 0x00`.
fn db_pointer_parts(p: &bson::DbPointer) -> (Vec<u8>, [u8; 12]) {
    let mut d = Document::new();
    d.insert("", Bson::DbPointer(p.clone()));
    if let Some(parts) = d.to_vec().ok().as_deref().and_then(parse_db_pointer_doc) {
        return parts;
    }
    // Not reachable with a well-formed bson crate; stay deterministic anyway.
    (format!("{p:?}").into_bytes(), [0; 12])
}

fn parse_db_pointer_doc(bytes: &[u8]) -> Option<(Vec<u8>, [u8; 12])> {
    if bytes.get(4..6)? != [0x0C, 0x00] {
        return None;
    }
    let strlen = i32::from_le_bytes(bytes.get(6..10)?.try_into().ok()?);
    let strlen = usize::try_from(strlen).ok()?;
    let ns = bytes.get(10..10 + strlen.checked_sub(1)?)?;
    let oid: [u8; 12] = bytes.get(10 + strlen..10 + strlen + 12)?.try_into().ok()?;
    Some((ns.to_vec(), oid))
}

// ---------------------------------------------------------------------------
// Number encoding
// ---------------------------------------------------------------------------

fn put_int(i: i64, out: &mut Vec<u8>) {
    put_coefficient(i < 0, u128::from(i.unsigned_abs()), 0, false, out);
}

/// Writes `±coeff × 10^pow10`; `shorten` as in [`put_digits`].
fn put_coefficient(neg: bool, coeff: u128, pow10: i32, shorten: bool, out: &mut Vec<u8>) {
    if coeff == 0 {
        out.push(NUM_ZERO);
        return;
    }
    // u128::MAX has 39 decimal digits.
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    if let Ok(mut c) = u64::try_from(coeff) {
        // Fast path: native 64-bit division.
        while c > 0 {
            i -= 1;
            buf[i] = (c % 10) as u8;
            c /= 10;
        }
    } else {
        let mut c = coeff;
        while c > 0 {
            i -= 1;
            buf[i] = (c % 10) as u8;
            c /= 10;
        }
    }
    put_digits(neg, &buf[i..], pow10, shorten, out);
}

/// Significant digits kept for a double whose exact expansion is longer.
const DOUBLE_DIGITS: usize = 34;

/// Writes `±digits × 10^pow10` where `digits` (values 0..=9) has no leading
/// zero. With `shorten` (doubles only), more than [`DOUBLE_DIGITS`]
/// significant digits are replaced by the first 34 followed by a 1; see the
/// module docs for why that keeps the order exact.
fn put_digits(neg: bool, digits: &[u8], pow10: i32, shorten: bool, out: &mut Vec<u8>) {
    let n = digits.len();
    let end = digits.iter().rposition(|&d| d != 0).map_or(0, |p| p + 1);
    if end == 0 {
        out.push(NUM_ZERO);
        return;
    }
    // 0.d1..dn × 10^E with E = pow10 + number of digits.
    let exp10 = pow10.saturating_add(n as i32);
    if shorten && end > DOUBLE_DIGITS {
        let mut short = [1u8; DOUBLE_DIGITS + 1];
        short[..DOUBLE_DIGITS].copy_from_slice(&digits[..DOUBLE_DIGITS]);
        put_normalized(neg, &short, exp10, out);
    } else {
        put_normalized(neg, &digits[..end], exp10, out);
    }
}

/// Writes `±0.d1 d2 … dn × 10^exp10` (`d1 != 0`, `dn != 0`).
fn put_normalized(neg: bool, digits: &[u8], exp10: i32, out: &mut Vec<u8>) {
    let mask = if neg { 0xFF } else { 0x00 };
    out.push(if neg { NUM_NEG } else { NUM_POS });
    let e = exp10.saturating_add(EXP_BIAS).clamp(0, 0xFFFF) as u16;
    for b in e.to_be_bytes() {
        out.push(b ^ mask);
    }
    let pairs = digits.len().div_ceil(2);
    for (idx, pair) in digits.chunks(2).enumerate() {
        let p = pair[0] * 10 + pair.get(1).copied().unwrap_or(0);
        let byte = if idx + 1 == pairs { 2 * p } else { 2 * p + 1 };
        out.push(byte ^ mask);
    }
}

fn put_f64(f: f64, out: &mut Vec<u8>) {
    if f.is_nan() {
        out.push(NUM_NAN);
        return;
    }
    if f.is_infinite() {
        out.push(if f > 0.0 { NUM_POS_INF } else { NUM_NEG_INF });
        return;
    }
    if f == 0.0 {
        out.push(NUM_ZERO);
        return;
    }
    let bits = f.to_bits();
    let neg = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7FF) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    // |f| = m × 2^e exactly.
    let (mut m, mut e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    let bitlen = 64 - m.leading_zeros() as i32;
    if e >= 0 {
        // An integer m × 2^e.
        if bitlen + e <= 128 {
            put_coefficient(neg, u128::from(m) << e, 0, true, out);
        } else {
            let digits = big_decimal_digits(m, 2, e as u32);
            put_digits(neg, &digits, 0, true, out);
        }
    } else {
        // m × 2^-k = (m × 5^k) × 10^-k: a finite decimal with k fraction digits.
        let k = (-e) as u32;
        let fast = if k <= 55 {
            u128::from(m).checked_mul(5u128.pow(k))
        } else {
            None
        };
        match fast {
            Some(c) => put_coefficient(neg, c, -(k as i32), true, out),
            None => {
                let digits = big_decimal_digits(m, 5, k);
                put_digits(neg, &digits, -(k as i32), true, out);
            }
        }
    }
}

/// Decimal digits (most significant first) of `m × base^count`, for base 2 or
/// 5, using base-10^9 limbs. Only needed for doubles whose exact value has
/// more than 38 digits (e.g. 0.1 = 0.1000000000000000055511151231257827021181583404541015625).
fn big_decimal_digits(m: u64, base: u64, count: u32) -> Vec<u8> {
    const LIMB: u64 = 1_000_000_000;
    // Largest power that keeps limb × multiplier + carry within u64.
    let (step, step_mul) = if base == 2 {
        (31u32, 1u64 << 31)
    } else {
        (13u32, 1_220_703_125u64) // 5^13
    };
    let mut limbs: Vec<u64> = vec![m % LIMB, (m / LIMB) % LIMB, m / (LIMB * LIMB)];
    let mut remaining = count;
    while remaining > 0 {
        let s = remaining.min(step);
        let mul = if s == step { step_mul } else { base.pow(s) };
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let t = *limb * mul + carry;
            *limb = t % LIMB;
            carry = t / LIMB;
        }
        while carry > 0 {
            limbs.push(carry % LIMB);
            carry /= LIMB;
        }
        remaining -= s;
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut digits = Vec::with_capacity(limbs.len() * 9);
    for (idx, limb) in limbs.iter().rev().enumerate() {
        let mut chunk = [0u8; 9];
        let mut x = *limb;
        for d in chunk.iter_mut().rev() {
            *d = (x % 10) as u8;
            x /= 10;
        }
        if idx == 0 {
            // No leading zeros on the most significant limb.
            let first = chunk.iter().position(|&d| d != 0).unwrap_or(8);
            digits.extend_from_slice(&chunk[first..]);
        } else {
            digits.extend_from_slice(&chunk);
        }
    }
    digits
}

fn put_decimal128(d: &bson::Decimal128, out: &mut Vec<u8>) {
    match decode_decimal128(d) {
        Dec::NaN => out.push(NUM_NAN),
        Dec::Inf { neg } => out.push(if neg { NUM_NEG_INF } else { NUM_POS_INF }),
        Dec::Finite { neg, coeff, exp } => put_coefficient(neg, coeff, exp, false, out),
    }
}

/// A decoded Decimal128: `(-1)^neg × coeff × 10^exp` (coeff may be 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dec {
    NaN,
    Inf { neg: bool },
    Finite { neg: bool, coeff: u128, exp: i32 },
}

/// Decodes the IEEE 754-2008 decimal128 BID layout (bson stores it
/// little-endian). The bson crate has Display/FromStr but no numeric access.
fn decode_decimal128(d: &bson::Decimal128) -> Dec {
    const MAX_COEFF: u128 = 9_999_999_999_999_999_999_999_999_999_999_999;
    const BIAS: i32 = 6176;
    let x = u128::from_le_bytes(d.bytes());
    let neg = x >> 127 == 1;
    if (x >> 123) & 0xF == 0xF {
        // Combination field 11111 is NaN (quiet or signalling), 11110 infinity.
        return if (x >> 122) & 1 == 1 {
            Dec::NaN
        } else {
            Dec::Inf { neg }
        };
    }
    let (exp_bits, coeff) = if (x >> 125) & 0b11 == 0b11 {
        // Coefficient would be 0b100 followed by 111 bits, i.e. >= 2^113,
        // always above MAX_COEFF: non-canonical, which the spec reads as 0.
        ((x >> 111) & 0x3FFF, 0)
    } else {
        ((x >> 113) & 0x3FFF, x & ((1u128 << 113) - 1))
    };
    let coeff = if coeff > MAX_COEFF { 0 } else { coeff };
    Dec::Finite {
        neg,
        coeff,
        exp: exp_bits as i32 - BIAS,
    }
}

// ---------------------------------------------------------------------------
// Reference comparator
// ---------------------------------------------------------------------------

/// Compares two values in MongoDB's BSON order (no collation). Written
/// independently of the byte encoding, which the tests check against it; the
/// query engine also uses it for sorting.
pub fn compare_bson(a: &Bson, b: &Bson) -> Ordering {
    let (ra, rb) = (canonical_type_rank(a), canonical_type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Bson::String(x) | Bson::Symbol(x), Bson::String(y) | Bson::Symbol(y)) => {
            x.as_bytes().cmp(y.as_bytes())
        }
        (Bson::Document(x), Bson::Document(y)) => compare_documents(x, y),
        (Bson::Array(x), Bson::Array(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                let c = compare_bson(p, q);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Bson::Binary(x), Bson::Binary(y)) => x
            .bytes
            .len()
            .cmp(&y.bytes.len())
            .then_with(|| u8::from(x.subtype).cmp(&u8::from(y.subtype)))
            .then_with(|| x.bytes.cmp(&y.bytes)),
        (Bson::ObjectId(x), Bson::ObjectId(y)) => x.bytes().cmp(&y.bytes()),
        (Bson::Boolean(x), Bson::Boolean(y)) => x.cmp(y),
        (Bson::DateTime(x), Bson::DateTime(y)) => x.timestamp_millis().cmp(&y.timestamp_millis()),
        (Bson::Timestamp(x), Bson::Timestamp(y)) => {
            (x.time, x.increment).cmp(&(y.time, y.increment))
        }
        (Bson::RegularExpression(x), Bson::RegularExpression(y)) => x
            .pattern
            .as_str()
            .as_bytes()
            .cmp(y.pattern.as_str().as_bytes())
            .then_with(|| {
                x.options
                    .as_str()
                    .as_bytes()
                    .cmp(y.options.as_str().as_bytes())
            }),
        (Bson::DbPointer(x), Bson::DbPointer(y)) => {
            let (xn, xo) = db_pointer_parts(x);
            let (yn, yo) = db_pointer_parts(y);
            xn.len()
                .cmp(&yn.len())
                .then_with(|| xn.cmp(&yn))
                .then_with(|| xo.cmp(&yo))
        }
        (Bson::JavaScriptCode(x), Bson::JavaScriptCode(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Bson::JavaScriptCodeWithScope(x), Bson::JavaScriptCodeWithScope(y)) => x
            .code
            .as_bytes()
            .cmp(y.code.as_bytes())
            .then_with(|| compare_documents(&x.scope, &y.scope)),
        _ if ra == RANK_NUMBER => compare_numbers(a, b),
        // MinKey, MaxKey, Null/Undefined: one value per rank.
        _ => Ordering::Equal,
    }
}

fn compare_documents(x: &Document, y: &Document) -> Ordering {
    for ((xk, xv), (yk, yv)) in x.iter().zip(y.iter()) {
        let c = canonical_type_rank(xv)
            .cmp(&canonical_type_rank(yv))
            .then_with(|| xk.as_bytes().cmp(yk.as_bytes()))
            .then_with(|| compare_bson(xv, yv));
        if c != Ordering::Equal {
            return c;
        }
    }
    x.len().cmp(&y.len())
}

fn as_i64(v: &Bson) -> Option<i64> {
    match v {
        Bson::Int32(i) => Some(i64::from(*i)),
        Bson::Int64(i) => Some(*i),
        _ => None,
    }
}

/// Numbers compare by value across types; NaN == NaN and NaN is below every
/// other number; -0 == 0.
fn compare_numbers(a: &Bson, b: &Bson) -> Ordering {
    match (a, b, as_i64(a), as_i64(b)) {
        (_, _, Some(x), Some(y)) => x.cmp(&y),
        (Bson::Double(x), Bson::Double(y), _, _) => compare_f64(*x, *y),
        (_, Bson::Double(y), Some(x), _) => compare_i64_f64(x, *y),
        (Bson::Double(x), _, _, Some(y)) => compare_i64_f64(y, *x).reverse(),
        _ => compare_numbers_exact(a, b),
    }
}

fn compare_f64(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        // Never None here; -0.0 == 0.0 under partial_cmp.
        (false, false) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// Exact comparison of an i64 with a double (no rounding of the i64).
fn compare_i64_f64(i: i64, d: f64) -> Ordering {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if d.is_nan() {
        return Ordering::Greater;
    }
    if d >= TWO_63 {
        return Ordering::Less;
    }
    if d < -TWO_63 {
        return Ordering::Greater;
    }
    // |d| < 2^63 (or d == -2^63): its integer part is exact in i64.
    let t = d.trunc();
    match i.cmp(&(t as i64)) {
        Ordering::Equal => compare_f64(0.0, d - t),
        c => c,
    }
}

/// A nonzero magnitude `mant × 2^p2 × 10^p10`.
#[derive(Debug, Clone, Copy)]
struct Mag {
    mant: u128,
    p2: i32,
    p10: i32,
}

/// Numbers by class, in order; `Neg`/`Pos` carry the magnitude.
#[derive(Debug, Clone, Copy)]
enum Num {
    NaN,
    NegInf,
    Neg(Mag),
    Zero,
    Pos(Mag),
    PosInf,
}

impl Num {
    fn class(&self) -> u8 {
        match self {
            Num::NaN => 0,
            Num::NegInf => 1,
            Num::Neg(_) => 2,
            Num::Zero => 3,
            Num::Pos(_) => 4,
            Num::PosInf => 5,
        }
    }

    fn of(v: &Bson) -> Num {
        let signed = |neg: bool, mag: Mag| if neg { Num::Neg(mag) } else { Num::Pos(mag) };
        match v {
            Bson::Int32(_) | Bson::Int64(_) => {
                let i = as_i64(v).unwrap_or(0);
                if i == 0 {
                    Num::Zero
                } else {
                    let mag = Mag {
                        mant: u128::from(i.unsigned_abs()),
                        p2: 0,
                        p10: 0,
                    };
                    signed(i < 0, mag)
                }
            }
            Bson::Double(f) => {
                let f = *f;
                if f.is_nan() {
                    Num::NaN
                } else if f == f64::INFINITY {
                    Num::PosInf
                } else if f == f64::NEG_INFINITY {
                    Num::NegInf
                } else if f == 0.0 {
                    Num::Zero
                } else {
                    let bits = f.abs().to_bits();
                    let exp = (bits >> 52) as i32;
                    let frac = bits & ((1u64 << 52) - 1);
                    let mag = if exp == 0 {
                        Mag {
                            mant: u128::from(frac),
                            p2: -1074,
                            p10: 0,
                        }
                    } else {
                        Mag {
                            mant: u128::from(frac | (1u64 << 52)),
                            p2: exp - 1075,
                            p10: 0,
                        }
                    };
                    signed(f < 0.0, mag)
                }
            }
            Bson::Decimal128(d) => match decode_decimal128(d) {
                Dec::NaN => Num::NaN,
                Dec::Inf { neg: true } => Num::NegInf,
                Dec::Inf { neg: false } => Num::PosInf,
                Dec::Finite { coeff: 0, .. } => Num::Zero,
                Dec::Finite { neg, coeff, exp } => signed(
                    neg,
                    Mag {
                        mant: coeff,
                        p2: 0,
                        p10: exp,
                    },
                ),
            },
            // Not a number; callers only pass numbers.
            _ => Num::NaN,
        }
    }
}

/// Exact comparison of any two numbers via big-integer cross-multiplication.
fn compare_numbers_exact(a: &Bson, b: &Bson) -> Ordering {
    let (x, y) = (Num::of(a), Num::of(b));
    match (x, y) {
        (Num::Pos(p), Num::Pos(q)) => compare_mag(&p, &q),
        (Num::Neg(p), Num::Neg(q)) => compare_mag(&q, &p),
        _ => x.class().cmp(&y.class()),
    }
}

fn compare_mag(a: &Mag, b: &Mag) -> Ordering {
    // log2 of the magnitude lies in [est - 1, est); decide far-apart
    // magnitudes cheaply (the 0.5 margin absorbs float error), which also
    // keeps the big integers below small.
    let est = |m: &Mag| {
        f64::from(128 - m.mant.leading_zeros())
            + f64::from(m.p2)
            + f64::from(m.p10) * std::f64::consts::LOG2_10
    };
    let (ea, eb) = (est(a), est(b));
    if ea < eb - 1.5 {
        return Ordering::Less;
    }
    if eb < ea - 1.5 {
        return Ordering::Greater;
    }
    let p2 = a.p2.min(b.p2);
    let p10 = a.p10.min(b.p10);
    let scaled = |m: &Mag| {
        let mut n = BigUint::from_u128(m.mant);
        n.mul_pow10(m.p10.abs_diff(p10));
        n.shl(m.p2.abs_diff(p2));
        n
    };
    scaled(a).cmp(&scaled(b))
}

/// Minimal little-endian base-2^32 unsigned big integer for exact compares.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BigUint(Vec<u32>);

impl BigUint {
    fn from_u128(x: u128) -> Self {
        BigUint(vec![
            x as u32,
            (x >> 32) as u32,
            (x >> 64) as u32,
            (x >> 96) as u32,
        ])
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for w in self.0.iter_mut() {
            let t = u64::from(*w) * u64::from(m) + carry;
            *w = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut n: u32) {
        while n >= 9 {
            self.mul_small(1_000_000_000);
            n -= 9;
        }
        if n > 0 {
            self.mul_small(10u32.pow(n));
        }
    }

    fn shl(&mut self, n: u32) {
        let words = (n / 32) as usize;
        let bits = n % 32;
        if bits > 0 {
            let mut carry = 0u32;
            for w in self.0.iter_mut() {
                let next = *w >> (32 - bits);
                *w = (*w << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if words > 0 {
            self.0.splice(0..0, std::iter::repeat_n(0, words));
        }
    }

    fn significant(&self) -> &[u32] {
        let len = self.0.iter().rposition(|&w| w != 0).map_or(0, |p| p + 1);
        &self.0[..len]
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        let (x, y) = (self.significant(), other.significant());
        x.len()
            .cmp(&y.len())
            .then_with(|| x.iter().rev().cmp(y.iter().rev()))
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use bson::{
        Binary, Decimal128, JavaScriptCodeWithScope, Regex, Timestamp, doc, oid::ObjectId,
        spec::BinarySubtype,
    };
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Bson {
        Bson::Decimal128(Decimal128::from_str(s).expect("valid decimal literal"))
    }

    fn db_pointer(ns: &str, oid: [u8; 12]) -> Bson {
        let mut body = vec![0x0C, b'p', 0];
        body.extend_from_slice(&((ns.len() + 1) as i32).to_le_bytes());
        body.extend_from_slice(ns.as_bytes());
        body.push(0);
        body.extend_from_slice(&oid);
        let mut bytes = ((body.len() + 5) as i32).to_le_bytes().to_vec();
        bytes.extend_from_slice(&body);
        bytes.push(0);
        let d = Document::from_reader(&bytes[..]).expect("valid dbpointer doc");
        d.get("p").cloned().expect("field p")
    }

    fn regex(p: &str, o: &str) -> Bson {
        Bson::RegularExpression(Regex {
            pattern: p.try_into().expect("no NUL"),
            options: o.try_into().expect("no NUL"),
        })
    }

    fn bin(subtype: u8, bytes: &[u8]) -> Bson {
        Bson::Binary(Binary {
            subtype: BinarySubtype::from(subtype),
            bytes: bytes.to_vec(),
        })
    }

    fn tuple(vs: &[&Bson]) -> Vec<u8> {
        let mut out = Vec::new();
        for v in vs {
            encode_value(v, &mut out);
        }
        out
    }

    /// Asserts strictly increasing order by both the encoding and the comparator.
    fn assert_increasing(vs: &[Bson]) {
        for (i, a) in vs.iter().enumerate() {
            for (j, b) in vs.iter().enumerate() {
                let want = i.cmp(&j);
                assert_eq!(compare_bson(a, b), want, "compare_bson({a:?}, {b:?})");
                assert_eq!(
                    encode_key(a).cmp(&encode_key(b)),
                    want,
                    "encode({a:?}) vs encode({b:?})"
                );
            }
        }
    }

    /// Asserts all values are equal and encode identically.
    fn assert_all_equal(vs: &[Bson]) {
        let first = encode_key(&vs[0]);
        for a in vs {
            assert_eq!(encode_key(a), first, "{a:?} vs {:?}", vs[0]);
            for b in vs {
                assert_eq!(compare_bson(a, b), Ordering::Equal, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn one_is_one_across_types() {
        assert_all_equal(&[
            Bson::Int32(1),
            Bson::Int64(1),
            Bson::Double(1.0),
            dec("1.0"),
            dec("1"),
            dec("1.000000"),
            dec("0.001E3"),
            dec("10E-1"),
        ]);
        assert_eq!(
            encode_key(&Bson::Int32(1)),
            vec![0x0B, 0x05, 0x80, 0x01, 0x14]
        );
        assert_eq!(
            encode_key(&Bson::Int32(-1)),
            vec![0x0B, 0x03, 0x7F, 0xFE, 0xEB]
        );
        assert_eq!(
            encode_key(&Bson::Double(0.5)),
            vec![0x0B, 0x05, 0x80, 0x00, 0x64]
        );
        assert_eq!(
            encode_key(&Bson::Int32(1234)),
            vec![0x0B, 0x05, 0x80, 0x04, 0x19, 0x44]
        );
        assert_all_equal(&[
            Bson::Int32(1000),
            Bson::Int64(1000),
            Bson::Double(1e3),
            dec("1E3"),
        ]);
        assert_all_equal(&[Bson::Double(-2.5), dec("-2.50"), dec("-25E-1")]);
    }

    #[test]
    fn large_int64_vs_double() {
        let two63 = 9.223372036854776e18; // exactly 2^63
        assert_eq!(two63, 2f64.powi(63));
        assert_increasing(&[
            Bson::Int64(i64::MAX - 1),
            Bson::Int64(i64::MAX),
            Bson::Double(two63),
            dec("9223372036854775809"),
        ]);
        assert_all_equal(&[
            Bson::Int64(i64::MIN),
            Bson::Double(-two63),
            dec("-9223372036854775808"),
        ]);
        let two53 = 9_007_199_254_740_992i64;
        assert_increasing(&[
            Bson::Double(two53 as f64),
            Bson::Int64(two53 + 1),
            Bson::Double((two53 + 2) as f64),
        ]);
        assert_all_equal(&[Bson::Int64(two53), Bson::Double(two53 as f64)]);
    }

    #[test]
    fn negative_zero_is_zero() {
        assert_all_equal(&[
            Bson::Double(-0.0),
            Bson::Double(0.0),
            Bson::Int32(0),
            Bson::Int64(0),
            dec("0"),
            dec("-0"),
            dec("0E+100"),
            dec("-0.000"),
        ]);
    }

    #[test]
    fn nan_is_lowest_number() {
        assert_all_equal(&[
            Bson::Double(f64::NAN),
            Bson::Double(-f64::NAN),
            dec("NaN"),
            dec("-NaN"),
        ]);
        assert_all_equal(&[Bson::Double(f64::NEG_INFINITY), dec("-Infinity")]);
        assert_all_equal(&[Bson::Double(f64::INFINITY), dec("Infinity")]);
        assert_increasing(&[
            Bson::Null,
            Bson::Double(f64::NAN),
            Bson::Double(f64::NEG_INFINITY),
            dec("-9.999999999999999999999999999999999E+6144"),
            Bson::Double(f64::MIN),
            Bson::Int64(i64::MIN),
            Bson::Int32(-1),
            Bson::Double(-5e-324),
            dec("-1E-6176"),
            Bson::Int32(0),
            dec("1E-6176"),
            Bson::Double(5e-324),
            Bson::Double(f64::MIN_POSITIVE),
            Bson::Double(0.1),
            Bson::Int32(1),
            Bson::Double(f64::MAX),
            dec("9.999999999999999999999999999999999E+6144"),
            Bson::Double(f64::INFINITY),
            Bson::String(String::new()),
        ]);
    }

    #[test]
    fn doubles_are_exact() {
        // The double 0.1 is 0.1000000000000000055511151231257827021181583404541015625.
        assert_increasing(&[
            dec("0.1"),
            dec("0.1000000000000000055511151231257827"),
            Bson::Double(0.1),
            dec("0.1000000000000000055511151231257828"),
        ]);
        // 2^-1074 = 4.9406564584124654417656879286822137236505980e-324...
        assert_increasing(&[
            dec("4.940656458412465441765687928682213E-324"),
            Bson::Double(5e-324),
            dec("4.940656458412465441765687928682214E-324"),
        ]);
        assert_all_equal(&[Bson::Double(0.375), dec("0.375"), dec("375E-3")]);
        assert_all_equal(&[Bson::Double(1e300), Bson::Double(1e300)]);
        // 1e22 is exact in binary, 1e23 is not.
        assert_all_equal(&[Bson::Double(1e22), dec("1E22")]);
        // The double 1e23 is 99999999999999991611392.
        assert_increasing(&[Bson::Double(1e23), dec("1E23")]);
    }

    #[test]
    fn strings_with_nul() {
        assert_increasing(&[
            Bson::String(String::new()),
            Bson::String("\0".into()),
            Bson::String("a".into()),
            Bson::String("a\0".into()),
            Bson::String("a\0\0".into()),
            Bson::String("a\0b".into()),
            Bson::String("a\x01".into()),
            Bson::String("ab".into()),
            Bson::String("b".into()),
            Bson::String("é".into()),
            Bson::String("\u{10FFFF}".into()),
        ]);
        assert_all_equal(&[Bson::String("x\0y".into()), Bson::Symbol("x\0y".into())]);
    }

    #[test]
    fn nested_documents_and_arrays() {
        assert_increasing(&[
            Bson::Document(doc! {}),
            Bson::Document(doc! { "z": Bson::MinKey }),
            Bson::Document(doc! { "a": Bson::Null }),
            Bson::Document(doc! { "a": -1 }),
            Bson::Document(doc! { "a": 1 }),
            Bson::Document(doc! { "a": 1, "b": 1 }),
            Bson::Document(doc! { "a": 2 }),
            Bson::Document(doc! { "a\0": 0 }),
            Bson::Document(doc! { "b": -5 }),
            Bson::Document(doc! { "a": "x" }),
            Bson::Document(doc! { "a": { "b": [1, 2] } }),
            Bson::Document(doc! { "a": { "b": [1, 2, 0] } }),
            Bson::Document(doc! { "a": { "b": [1, 3] } }),
            Bson::Document(doc! { "a": [] }),
            Bson::Array(vec![]),
            Bson::Array(vec![Bson::Null]),
            Bson::Array(vec![Bson::Int32(1)]),
            Bson::Array(vec![Bson::Int32(1), Bson::Int32(2)]),
            Bson::Array(vec![Bson::Int32(1), Bson::String("a".into())]),
            Bson::Array(vec![Bson::Int32(2)]),
            Bson::Array(vec![Bson::Document(doc! {})]),
            Bson::Array(vec![Bson::Array(vec![])]),
            Bson::Array(vec![Bson::Array(vec![Bson::Int32(0)])]),
        ]);
        assert_all_equal(&[
            Bson::Document(doc! { "a": 1, "b": [1.0, { "c": Bson::Int64(3) }] }),
            Bson::Document(doc! { "a": 1.0, "b": [Bson::Int64(1), { "c": 3.0 }] }),
        ]);
    }

    #[test]
    fn type_order_across_all_types() {
        let oid = ObjectId::from_bytes([0; 12]);
        let scope = JavaScriptCodeWithScope {
            code: "f".into(),
            scope: doc! {},
        };
        assert_increasing(&[
            Bson::MinKey,
            Bson::Null,
            Bson::Int32(5),
            Bson::String("a".into()),
            Bson::Document(doc! {}),
            Bson::Array(vec![]),
            bin(0, b""),
            Bson::ObjectId(oid),
            Bson::Boolean(false),
            Bson::Boolean(true),
            Bson::DateTime(bson::DateTime::from_millis(i64::MIN)),
            Bson::DateTime(bson::DateTime::from_millis(-1)),
            Bson::DateTime(bson::DateTime::from_millis(0)),
            Bson::DateTime(bson::DateTime::from_millis(i64::MAX)),
            Bson::Timestamp(Timestamp {
                time: 0,
                increment: 0,
            }),
            Bson::Timestamp(Timestamp {
                time: 0,
                increment: u32::MAX,
            }),
            Bson::Timestamp(Timestamp {
                time: 1,
                increment: 0,
            }),
            regex("a", ""),
            regex("a", "i"),
            regex("ab", ""),
            db_pointer("db.c", [0; 12]),
            db_pointer("db.c", [1; 12]),
            db_pointer("a.bcd", [0; 12]),
            Bson::JavaScriptCode("f".into()),
            Bson::JavaScriptCodeWithScope(scope),
            Bson::MaxKey,
        ]);
        assert_all_equal(&[Bson::Null, Bson::Undefined]);
        assert_increasing(&[
            bin(5, b""),
            bin(0, b"\xff"),
            bin(0x80, b"\x00"),
            bin(0, b"\x00\x00"),
            bin(0, b"\x00\x01"),
        ]);
    }

    #[test]
    fn db_pointer_roundtrip() {
        let p = db_pointer("db.coll\0x", [7; 12]);
        let Bson::DbPointer(p) = p else {
            panic!("not a dbpointer")
        };
        assert_eq!(db_pointer_parts(&p), (b"db.coll\0x".to_vec(), [7; 12]));
    }

    #[test]
    fn tuples_compare_element_wise() {
        let s = |x: &str| Bson::String(x.into());
        let k1 = tuple(&[&s("a"), &Bson::Int32(2)]);
        let k2 = tuple(&[&s("a\0"), &Bson::Int32(1)]);
        let k3 = tuple(&[&s("b"), &Bson::Int32(0)]);
        assert!(k1 < k2 && k2 < k3);
        // A value followed by anything stays below a larger value.
        let k4 = tuple(&[&Bson::Int32(1), &Bson::MaxKey]);
        let k5 = tuple(&[&Bson::Double(1.5), &Bson::MinKey]);
        assert!(k4 < k5);
        // Mixed ascending/descending components.
        let mixed = |a: &Bson, b: &Bson| {
            let mut out = Vec::new();
            encode_value(a, &mut out);
            encode_value_desc(b, &mut out);
            out
        };
        assert!(mixed(&s("a"), &Bson::Int32(2)) < mixed(&s("a"), &Bson::Int32(1)));
        assert!(mixed(&s("a"), &s("a\0")) < mixed(&s("a"), &s("a")));
        assert!(mixed(&s("a"), &Bson::Int32(1)) < mixed(&s("b"), &Bson::Int32(2)));
    }

    #[test]
    fn descending_reverses() {
        let vs = [
            Bson::Int32(1),
            Bson::String("a".into()),
            Bson::String("a\0".into()),
        ];
        for a in &vs {
            for b in &vs {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                encode_value_desc(a, &mut x);
                encode_value_desc(b, &mut y);
                assert_eq!(x.cmp(&y), compare_bson(a, b).reverse());
            }
        }
    }

    #[test]
    fn big_uint_basics() {
        let mut a = BigUint::from_u128(1);
        a.shl(100);
        let mut b = BigUint::from_u128(1 << 99);
        b.mul_small(2);
        assert_eq!(a.cmp(&b), Ordering::Equal);
        let mut c = BigUint::from_u128(1);
        c.mul_pow10(40);
        let mut d = BigUint::from_u128(10u128.pow(38));
        d.mul_small(100);
        assert_eq!(c.cmp(&d), Ordering::Equal);
        d.mul_small(3);
        assert_eq!(c.cmp(&d), Ordering::Less);
    }

    #[test]
    fn big_decimal_digits_matches_u128() {
        for (m, base, count) in [
            (3u64, 2u64, 70u32),
            (7, 5, 40),
            (1, 5, 55),
            (u64::MAX, 2, 64),
        ] {
            let want = u128::from(m) * u128::from(base).pow(count);
            let got: String = big_decimal_digits(m, base, count)
                .iter()
                .map(|d| char::from(b'0' + d))
                .collect();
            assert_eq!(got, want.to_string());
        }
    }

    // ---- property tests ---------------------------------------------------

    /// Small rationals n / 2^k in several numeric types, so that equal values
    /// of different types come up often.
    fn small_number() -> impl Strategy<Value = Bson> {
        (-40i64..40, 0u32..3, 0u8..4).prop_map(|(n, k, ty)| {
            let is_int = n % (1 << k) == 0;
            match ty {
                0 if is_int => Bson::Int32((n >> k) as i32),
                1 if is_int => Bson::Int64(n >> k),
                2 => {
                    // n / 2^k = n × 5^k / 10^k
                    let c = n * 5i64.pow(k);
                    Bson::Decimal128(
                        Decimal128::from_str(&format!("{c}E-{k}")).expect("valid decimal"),
                    )
                }
                _ => Bson::Double(n as f64 / f64::from(1u32 << k)),
            }
        })
    }

    fn extreme_number() -> impl Strategy<Value = Bson> {
        prop_oneof![
            Just(Bson::Int64(i64::MAX)),
            Just(Bson::Int64(i64::MIN)),
            Just(Bson::Int64(i64::MAX - 1)),
            Just(Bson::Int64((1 << 53) + 1)),
            Just(Bson::Int32(i32::MIN)),
            Just(Bson::Int32(i32::MAX)),
            Just(Bson::Double(9.223372036854776e18)),
            Just(Bson::Double(-9.223372036854776e18)),
            Just(Bson::Double(9007199254740992.0)),
            Just(Bson::Double(f64::MAX)),
            Just(Bson::Double(f64::MIN)),
            Just(Bson::Double(f64::MIN_POSITIVE)),
            Just(Bson::Double(5e-324)),
            Just(Bson::Double(-0.0)),
            Just(Bson::Double(f64::NAN)),
            Just(Bson::Double(f64::INFINITY)),
            Just(Bson::Double(f64::NEG_INFINITY)),
            Just(Bson::Double(0.1)),
            Just(dec("0.1")),
            Just(dec("0.1000000000000000055511151231257827")),
            Just(dec("9223372036854775807")),
            Just(dec("9223372036854775808")),
            Just(dec("-9223372036854775808")),
            Just(dec("9.999999999999999999999999999999999E+6144")),
            Just(dec("-9.999999999999999999999999999999999E+6144")),
            Just(dec("1E-6176")),
            Just(dec("-1E-6176")),
            Just(dec("NaN")),
            Just(dec("Infinity")),
            Just(dec("-Infinity")),
            Just(dec("-0E+12")),
        ]
    }

    fn any_number() -> impl Strategy<Value = Bson> {
        prop_oneof![
            4 => small_number(),
            2 => extreme_number(),
            1 => any::<i32>().prop_map(Bson::Int32),
            1 => any::<i64>().prop_map(Bson::Int64),
            1 => any::<i64>().prop_map(|i| Bson::Double(i as f64)),
            2 => any::<f64>().prop_map(Bson::Double),
            1 => (any::<bool>(), 0u128..10u128.pow(34), -6176i32..=6111).prop_map(|(neg, c, e)| {
                let s = format!("{}{c}E{e}", if neg { "-" } else { "" });
                Bson::Decimal128(Decimal128::from_str(&s).expect("valid decimal"))
            }),
            // Decimals near the double range and with few digits.
            1 => (-99i64..99, -330i32..310).prop_map(|(c, e)| dec(&format!("{c}E{e}"))),
            // Raw bit patterns: non-canonical coefficients, NaN payloads, ...
            1 => any::<[u8; 16]>().prop_map(|b| Bson::Decimal128(Decimal128::from_bytes(b))),
        ]
    }

    fn any_string() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just('\0'),
                Just('a'),
                Just('b'),
                Just('\u{1}'),
                Just('é'),
                any::<char>()
            ],
            0..4,
        )
        .prop_map(String::from_iter)
    }

    fn cstring() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![Just('a'), Just('b'), Just('i'), Just('é')],
            0..3,
        )
        .prop_map(String::from_iter)
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![Just(""), Just("a"), Just("b"), Just("ab"), Just("a\0")].prop_map(String::from)
    }

    fn small_oid() -> impl Strategy<Value = [u8; 12]> {
        prop_oneof![
            (0u8..3).prop_map(|b| {
                let mut x = [0u8; 12];
                x[11] = b;
                x
            }),
            any::<[u8; 12]>(),
        ]
    }

    fn leaf() -> impl Strategy<Value = Bson> {
        prop_oneof![
            6 => any_number(),
            3 => any_string().prop_map(Bson::String),
            1 => any_string().prop_map(Bson::Symbol),
            1 => any_string().prop_map(Bson::JavaScriptCode),
            1 => Just(Bson::Null),
            1 => Just(Bson::Undefined),
            1 => Just(Bson::MinKey),
            1 => Just(Bson::MaxKey),
            1 => any::<bool>().prop_map(Bson::Boolean),
            1 => prop_oneof![Just(i64::MIN), Just(i64::MAX), -3i64..3, any::<i64>()]
                .prop_map(|ms| Bson::DateTime(bson::DateTime::from_millis(ms))),
            1 => (prop_oneof![0u32..2, Just(u32::MAX)], prop_oneof![0u32..2, Just(u32::MAX)])
                .prop_map(|(time, increment)| Bson::Timestamp(Timestamp { time, increment })),
            1 => (cstring(), cstring()).prop_map(|(p, o)| regex(&p, &o)),
            1 => small_oid().prop_map(|b| Bson::ObjectId(ObjectId::from_bytes(b))),
            1 => (prop_oneof![Just(0u8), Just(1), Just(2), Just(4), Just(0x80), Just(0xFF)],
                  prop::collection::vec(prop_oneof![Just(0u8), Just(1), Just(0xFF)], 0..3))
                .prop_map(|(st, bytes)| bin(st, &bytes)),
            1 => (prop_oneof![Just("a.b"), Just("a.c"), Just("ab.c")], small_oid())
                .prop_map(|(ns, oid)| db_pointer(ns, oid)),
            1 => (cstring(), prop::collection::vec((key(), small_number()), 0..2))
                .prop_map(|(code, fields)| {
                    Bson::JavaScriptCodeWithScope(JavaScriptCodeWithScope {
                        code,
                        scope: fields.into_iter().collect(),
                    })
                }),
        ]
    }

    fn any_bson() -> impl Strategy<Value = Bson> {
        leaf().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Bson::Array),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|fields| Bson::Document(fields.into_iter().collect())),
            ]
        })
    }

    /// A pair that is often close: either independent, or the second derived
    /// from the first by swapping to an equal value of another type.
    fn pair() -> impl Strategy<Value = (Bson, Bson)> {
        prop_oneof![
            3 => (any_bson(), any_bson()),
            1 => any_bson().prop_map(|a| {
                let b = retype(&a);
                (a, b)
            }),
        ]
    }

    /// The same value with numbers (and symbol/undefined) swapped to equal
    /// values of other types.
    fn retype(v: &Bson) -> Bson {
        match v {
            Bson::Int32(i) => Bson::Double(f64::from(*i)),
            Bson::Int64(i) => dec(&i.to_string()),
            Bson::Double(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Bson::Int64(*f as i64),
            Bson::Double(f) if f.is_nan() => dec("NaN"),
            Bson::String(s) => Bson::Symbol(s.clone()),
            Bson::Symbol(s) => Bson::String(s.clone()),
            Bson::Null => Bson::Undefined,
            Bson::Undefined => Bson::Null,
            Bson::Array(a) => Bson::Array(a.iter().map(retype).collect()),
            Bson::Document(d) => {
                Bson::Document(d.iter().map(|(k, v)| (k.clone(), retype(v))).collect())
            }
            other => other.clone(),
        }
    }

    /// Parses bson's Display output of a Decimal128 into sign/coefficient/exponent.
    fn parse_decimal_display(s: &str) -> Dec {
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        match s {
            "NaN" => return Dec::NaN,
            "Infinity" => return Dec::Inf { neg },
            _ => {}
        }
        let (mantissa, exp) = match s.split_once('E') {
            Some((m, e)) => (m, e.parse::<i32>().expect("exponent")),
            None => (s, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let coeff: u128 = format!("{int}{frac}").parse().expect("coefficient");
        Dec::Finite {
            neg,
            coeff,
            exp: exp - frac.len() as i32,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn prop_encoding_matches_compare((a, b) in pair()) {
            let (ea, eb) = (encode_key(&a), encode_key(&b));
            prop_assert_eq!(ea.cmp(&eb), compare_bson(&a, &b), "a={:?} b={:?}", a, b);
            prop_assert_eq!(compare_bson(&b, &a), compare_bson(&a, &b).reverse());
            prop_assert_eq!(compare_bson(&a, &a), Ordering::Equal);
        }

        #[test]
        fn prop_numbers_match_compare(a in any_number(), b in any_number()) {
            let want = compare_bson(&a, &b);
            prop_assert_eq!(encode_key(&a).cmp(&encode_key(&b)), want, "a={:?} b={:?}", a, b);
            // The fast int/double paths agree with the exact big-integer path.
            prop_assert_eq!(compare_numbers_exact(&a, &b), want, "a={:?} b={:?}", a, b);
        }

        #[test]
        fn prop_retype_encodes_identically(a in any_bson()) {
            let b = retype(&a);
            prop_assert_eq!(encode_key(&a), encode_key(&b));
            prop_assert_eq!(compare_bson(&a, &b), Ordering::Equal);
        }

        #[test]
        fn prop_tuples_compare_element_wise((a1, b1) in pair(), (a2, b2) in pair()) {
            let want = compare_bson(&a1, &b1).then_with(|| compare_bson(&a2, &b2));
            prop_assert_eq!(tuple(&[&a1, &a2]).cmp(&tuple(&[&b1, &b2])), want);
            // Descending second component.
            let mixed = |x: &Bson, y: &Bson| {
                let mut out = Vec::new();
                encode_value(x, &mut out);
                encode_value_desc(y, &mut out);
                out
            };
            let want = compare_bson(&a1, &b1).then_with(|| compare_bson(&a2, &b2).reverse());
            prop_assert_eq!(mixed(&a1, &a2).cmp(&mixed(&b1, &b2)), want);
        }

        #[test]
        fn prop_desc_reverses((a, b) in pair()) {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            encode_value_desc(&a, &mut x);
            encode_value_desc(&b, &mut y);
            prop_assert_eq!(x.cmp(&y), compare_bson(&a, &b).reverse());
        }

        #[test]
        fn prop_decimal_decode_matches_display(bytes in any::<[u8; 16]>()) {
            let d = Decimal128::from_bytes(bytes);
            prop_assert_eq!(decode_decimal128(&d), parse_decimal_display(&d.to_string()));
        }

        /// Decimals at and next to a double's 34-digit truncation: the cases
        /// the shortened double encoding must get right.
        #[test]
        fn prop_double_vs_neighbouring_decimals(
            f in any::<f64>().prop_filter("finite nonzero", |f| f.is_finite() && *f != 0.0),
            delta in -2i128..=2,
        ) {
            let (digits, pow10) = exact_digits(f);
            let keep = digits.len().min(34);
            let mut t: i128 = 0;
            for d in &digits[..keep] {
                t = t * 10 + i128::from(*d);
            }
            let c = t + delta;
            let exp = pow10 + (digits.len() - keep) as i32;
            let sign = if (f < 0.0) != (c < 0) { "-" } else { "" };
            let d = dec(&format!("{sign}{}E{exp}", c.unsigned_abs()));
            let x = Bson::Double(f);
            prop_assert_eq!(encode_key(&x).cmp(&encode_key(&d)), compare_bson(&x, &d), "{:?} vs {:?}", x, d);
            prop_assert_eq!(compare_numbers_exact(&x, &d), compare_bson(&x, &d));
        }
    }

    /// The exact decimal digits of |f| and the power of ten they are scaled by.
    fn exact_digits(f: f64) -> (Vec<u8>, i32) {
        let bits = f.abs().to_bits();
        let biased = (bits >> 52) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | (1 << 52), biased - 1075)
        };
        if e >= 0 {
            (big_decimal_digits(m, 2, e as u32), 0)
        } else {
            (big_decimal_digits(m, 5, (-e) as u32), e)
        }
    }

    #[test]
    fn long_doubles_are_short_keys() {
        for f in [
            0.1,
            1.0 / 3.0,
            5e-324,
            -5e-324,
            f64::MAX,
            1e-300,
            f64::MIN_POSITIVE,
        ] {
            let k = encode_key(&Bson::Double(f));
            assert!(k.len() <= 22, "{f:e}: {} bytes", k.len());
        }
        let (digits, _) = exact_digits(5e-324);
        assert_eq!(digits.len(), 751);
        // Two adjacent doubles still differ.
        let x = 1.0f64 / 3.0;
        let y = f64::from_bits(x.to_bits() + 1);
        assert!(encode_key(&Bson::Double(x)) < encode_key(&Bson::Double(y)));
    }
}
