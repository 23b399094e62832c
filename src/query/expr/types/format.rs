//! Numbers and dates as mongod prints them.

/// Splits a finite, non-zero `f` printed by Rust's `{:e}` (or `{:.Ne}`)
/// into its digits (no dot) and its decimal exponent.
fn sci_parts(s: &str) -> (String, i32) {
    let (m, e) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = m.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits, e.parse().unwrap_or(0))
}

/// `d.ddd` + `e±XX` (at least two exponent digits), as C and fmtlib print.
fn sci(neg: bool, digits: &str, exp: i32) -> String {
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let (first, rest) = digits.split_at(1);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(first);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.unsigned_abs()));
    out
}

/// C's `%g` (6 significant digits), which mongod's string streams use for
/// doubles (`$toUpper`, `$concat` of coerced numbers, messages).
pub(in crate::query::expr) fn fmt_double_g(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (digits, exp) = sci_parts(&format!("{:.5e}", f.abs()));
    let neg = f < 0.0;
    if !(-4..6).contains(&exp) {
        return sci(neg, &digits, exp);
    }
    let decimals = (5 - exp).max(0) as usize;
    let s = format!("{:.*}", decimals, f.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if neg { format!("-{s}") } else { s }
}

/// mongod's double-to-string conversion (`$convert`, `$toString`): the
/// shortest representation that round-trips, in exponent form below 1e-4
/// and from 1e16 (`1e+21`); `-0`, `NaN`, `Infinity`, `-Infinity`.
pub(in crate::query::expr) fn fmt_double_shortest(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-Infinity" } else { "Infinity" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (digits, exp) = sci_parts(&format!("{:e}", f.abs()));
    if !(-4..16).contains(&exp) {
        return sci(f < 0.0, &digits, exp);
    }
    format!("{f}")
}

/// Days since 1970-01-01 to a civil (proleptic Gregorian) date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A date as mongod's ISO format `%Y-%m-%dT%H:%M:%S.%LZ` (UTC).
pub(in crate::query::expr) fn iso_date(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let ms = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, l) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{l:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_g() {
        for (f, s) in [
            (1.5, "1.5"),
            (1.0, "1"),
            (100.0, "100"),
            (1234567.0, "1.23457e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.25, "-2.25"),
            (123456.0, "123456"),
            (0.1, "0.1"),
        ] {
            assert_eq!(fmt_double_g(f), s, "{f}");
        }
    }

    #[test]
    fn double_shortest() {
        for (f, s) in [
            (1.0, "1"),
            (1e21, "1e+21"),
            (0.1, "0.1"),
            (-0.0, "-0"),
            (2.5, "2.5"),
            (100.0, "100"),
            (1e15, "1000000000000000"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (0.0001, "0.0001"),
            (123456789.125, "123456789.125"),
            (f64::INFINITY, "Infinity"),
        ] {
            assert_eq!(fmt_double_shortest(f), s, "{f}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_date(1522169931538), "2018-03-27T16:58:51.538Z");
        assert_eq!(iso_date(-1), "1969-12-31T23:59:59.999Z");
    }
}
