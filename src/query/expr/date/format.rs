//! `$dateToString` formats (and the validation of `$dateFromString`'s).

use super::calendar::{Local, Tz};
use crate::query::error::QueryError;
use std::fmt::Write as _;

/// The specifiers `$dateToString` accepts (besides `%%`).
pub(super) const TO_STRING: &str = "bBdGHjLmMSwuUVYzZ";
/// The specifiers `$dateFromString` accepts (besides `%%`).
pub(super) const FROM_STRING: &str = "bBdGHjLmMSuVYzZ";

/// The default format in UTC, and with a time zone other than UTC.
pub(super) const ISO_Z: &str = "%Y-%m-%dT%H:%M:%S.%LZ";
pub(super) const ISO_NON_Z: &str = "%Y-%m-%dT%H:%M:%S.%L";

pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Every `%` must be followed by an allowed specifier or `%`.
pub(super) fn validate(format: &str, allowed: &str) -> Result<(), QueryError> {
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.next() {
            None => {
                return Err(QueryError::location(
                    18535,
                    "Unmatched '%' at end of format string",
                ));
            }
            Some(s) if s == '%' || allowed.contains(s) => {}
            Some(s) => {
                return Err(QueryError::location(
                    18536,
                    format!("Invalid format character '%{s}' in format string"),
                ));
            }
        }
    }
    Ok(())
}

/// mongod's `insertPadded`: 0 ..= 9999, zero-padded to `width`.
fn padded(out: &mut String, n: i64, width: usize) -> Result<(), QueryError> {
    if !(0..=9999).contains(&n) {
        return Err(QueryError::location(
            18537,
            format!(
                "Could not convert date to string: date component was outside the supported \
                 range of 0-9999: {n}"
            ),
        ));
    }
    let _ = write!(out, "{n:0width$}");
    Ok(())
}

/// Formats a date (already validated format).
pub(super) fn format_date(format: &str, ms: i64, tz: &Tz) -> Result<String, QueryError> {
    let l = Local::new(ms, tz);
    let mut out = String::with_capacity(format.len() + 16);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(spec) = chars.next() else { break };
        match spec {
            '%' => out.push('%'),
            'Y' => padded(&mut out, l.y, 4)?,
            'm' => padded(&mut out, l.m, 2)?,
            'd' => padded(&mut out, l.d, 2)?,
            'H' => padded(&mut out, l.h, 2)?,
            'M' => padded(&mut out, l.mi, 2)?,
            'S' => padded(&mut out, l.s, 2)?,
            'L' => padded(&mut out, l.ms, 3)?,
            'j' => padded(&mut out, l.day_of_year(), 3)?,
            'w' => padded(&mut out, l.day_of_week(), 1)?,
            'U' => padded(&mut out, l.week(), 2)?,
            'G' => padded(&mut out, l.iso_week().1, 4)?,
            'V' => padded(&mut out, l.iso_week().0, 2)?,
            'u' => padded(&mut out, l.iso_day_of_week(), 1)?,
            'b' | 'B' => {
                let name = usize::try_from(l.m - 1)
                    .ok()
                    .and_then(|i| MONTHS.get(i))
                    .copied()
                    .unwrap_or("");
                out.push_str(if spec == 'b' {
                    &name[..3.min(name.len())]
                } else {
                    name
                });
            }
            'z' => {
                out.push(if l.z < 0 { '-' } else { '+' });
                padded(&mut out, (l.z / 3600).abs(), 2)?;
                padded(&mut out, (l.z / 60).abs() % 60, 2)?;
            }
            'Z' => {
                let _ = write!(out, "{}", l.z / 60);
            }
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    Ok(out)
}
