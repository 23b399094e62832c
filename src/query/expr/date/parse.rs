//! Reading dates from strings, as `$dateFromString` (and `$toDate`) do:
//! with a `format`, or without one the common forms that timelib's
//! `strtotime` understands (ISO 8601 dates and times, `MM/DD/YYYY`,
//! `DD.MM.YYYY`, `DD-MM-YYYY`, month names, `Z`/offsets/`UTC`/`GMT` and a few
//! zone abbreviations). Every failure is a `ConversionFailure` (241), as
//! in mongod, so that `onError` can catch it.

use super::calendar::{Tz, days_from_civil, days_from_iso, days_in_month};
use super::format::MONTHS;
use crate::query::error::QueryError;

fn conversion(message: String) -> QueryError {
    QueryError::new(241, "ConversionFailure", message)
}

#[derive(Debug, Clone)]
enum Zone {
    Offset(i64),
    Abbr(String, i64),
}

#[derive(Debug, Default)]
struct Parsed {
    y: Option<i64>,
    m: Option<i64>,
    d: Option<i64>,
    h: Option<i64>,
    i: Option<i64>,
    s: Option<i64>,
    /// Microseconds.
    us: Option<i64>,
    zone: Option<Zone>,
    iso_y: Option<i64>,
    iso_w: Option<i64>,
    iso_d: Option<i64>,
    doy: Option<i64>,
}

/// A parse error: position and timelib's message.
struct Bad(usize, &'static str);

struct Scan<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.pos + k).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn count_digits(&self) -> usize {
        self.b[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    }

    /// Up to `max` digits (at least one).
    fn number(&mut self, max: usize) -> Option<(i64, usize)> {
        let n = self.count_digits().min(max);
        if n == 0 {
            return None;
        }
        let mut v: i64 = 0;
        for &c in &self.b[self.pos..self.pos + n] {
            v = v * 10 + i64::from(c - b'0');
        }
        self.pos += n;
        Some((v, n))
    }

    /// Between `min` and `max` digits, and no digit right after.
    fn exact(&mut self, min: usize, max: usize) -> Option<i64> {
        let n = self.count_digits();
        if n < min || n > max {
            return None;
        }
        self.number(max).map(|(v, _)| v)
    }

    fn word(&mut self) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        std::str::from_utf8(&self.b[start..self.pos]).unwrap_or("")
    }

    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|c| c == b' ' || c == b'\t') {
            self.pos += 1;
        }
        self.pos > start
    }
}

fn month_from_name(w: &str) -> Option<i64> {
    let lower = w.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let ml = m.to_ascii_lowercase();
            ml == lower || (lower.len() == 3 && ml.starts_with(&lower))
        })
        .map(|i| i as i64 + 1)
        .or(match lower.as_str() {
            "sept" => Some(9),
            _ => None,
        })
}

fn is_weekday_name(w: &str) -> bool {
    const DAYS: [&str; 7] = [
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ];
    let lower = w.to_ascii_lowercase();
    DAYS.iter()
        .any(|d| *d == lower || (lower.len() == 3 && d.starts_with(&lower)))
}

/// timelib's two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999.
fn process_year(y: i64, digits: usize) -> i64 {
    if digits >= 4 {
        y
    } else if y < 70 {
        y + 2000
    } else {
        y + 1900
    }
}

/// A few time zone abbreviations timelib knows (offset in seconds).
fn abbreviation(w: &str) -> Option<i64> {
    // Military zones: A-I +1..+9, K-M +10..+12, N-Y -1..-12, Z 0.
    if let [c] = w.to_ascii_uppercase().as_bytes() {
        let c = i64::from(*c);
        return match c as u8 {
            b'A'..=b'I' => Some((c - i64::from(b'A') + 1) * 3600),
            b'K'..=b'M' => Some((c - i64::from(b'K') + 10) * 3600),
            b'N'..=b'Y' => Some(-(c - i64::from(b'N') + 1) * 3600),
            b'Z' => Some(0),
            _ => None,
        };
    }
    Some(match w.to_ascii_uppercase().as_str() {
        "Z" | "UTC" | "GMT" | "UT" | "WET" => 0,
        "EST" => -5 * 3600,
        "EDT" => -4 * 3600,
        "CST" => -6 * 3600,
        "CDT" => -5 * 3600,
        "MST" => -7 * 3600,
        "MDT" => -6 * 3600,
        "PST" => -8 * 3600,
        "PDT" => -7 * 3600,
        "AKST" => -9 * 3600,
        "AKDT" => -8 * 3600,
        "HST" => -10 * 3600,
        "BST" | "CET" | "WEST" => 3600,
        "CEST" | "EET" => 2 * 3600,
        "EEST" | "MSK" => 3 * 3600,
        "JST" => 9 * 3600,
        _ => return None,
    })
}

/// `+HH`, `+HHMM`, `+HH:MM`, `+H` (after the sign).
fn offset_digits(sc: &mut Scan<'_>) -> Result<i64, Bad> {
    let sign = match sc.peek() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => {
            return Err(Bad(
                sc.pos,
                "The timezone could not be found in the database",
            ));
        }
    };
    sc.pos += 1;
    let Some((n, len)) = sc.number(4) else {
        return Err(Bad(
            sc.pos,
            "The timezone could not be found in the database",
        ));
    };
    let secs = match len {
        1 | 2 => {
            let mut secs = n * 3600;
            if sc.peek() == Some(b':') && sc.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                sc.pos += 1;
                let (m, _) = sc.number(2).unwrap_or((0, 0));
                secs += m * 60;
            }
            secs
        }
        3 => n / 100 * 3600 + n % 100 * 60,
        _ => n / 100 * 3600 + n % 100 * 60,
    };
    Ok(sign * secs)
}

/// A zone: `Z`, an offset, `UTC`/`GMT` (optionally followed by an offset),
/// an abbreviation. An Olson name is refused, as in mongod.
fn zone(sc: &mut Scan<'_>) -> Result<Zone, Bad> {
    while sc
        .peek()
        .is_some_and(|c| c == b' ' || c == b'\t' || c == b'(')
    {
        sc.pos += 1;
    }
    if matches!(sc.peek(), Some(b'+' | b'-')) {
        return offset_digits(sc).map(Zone::Offset);
    }
    let start = sc.pos;
    let w = sc.word().to_string();
    if w.is_empty() {
        return Err(Bad(
            start,
            "The timezone could not be found in the database",
        ));
    }
    if sc.peek().is_some_and(|c| c == b'/' || c == b'_') {
        return Err(Bad(
            start,
            "passing a time zone identifier as part of the string is not allowed",
        ));
    }
    let upper = w.to_ascii_uppercase();
    if (upper == "GMT" || upper == "UTC") && matches!(sc.peek(), Some(b'+' | b'-')) {
        return offset_digits(sc).map(Zone::Offset);
    }
    match abbreviation(&w) {
        Some(off) => Ok(Zone::Abbr(w, off)),
        None => Err(Bad(
            start,
            "passing a time zone identifier as part of the string is not allowed",
        )),
    }
}

/// A 12-hour clock after an hour: "10:00 PM", "10:00pm", "10 a.m.".
fn meridian(sc: &mut Scan<'_>, h: i64, at: usize) -> Result<i64, Bad> {
    let before = sc.pos;
    sc.skip_spaces();
    let rest = sc.b[sc.pos..].to_ascii_lowercase();
    let found = [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)]
        .into_iter()
        .find(|(m, _)| {
            rest.starts_with(m.as_bytes())
                && !rest.get(m.len()).is_some_and(|c| c.is_ascii_alphabetic())
        });
    match found {
        Some((m, pm)) => {
            if !(1..=12).contains(&h) {
                return Err(Bad(at, "Unexpected character"));
            }
            sc.pos += m.len();
            Ok(h % 12 + if pm { 12 } else { 0 })
        }
        None => {
            sc.pos = before;
            Ok(h)
        }
    }
}

/// `HH:MM[:SS[.fraction]]` (the caller has seen `HH:`).
fn time(sc: &mut Scan<'_>, p: &mut Parsed) -> Result<(), Bad> {
    let at = sc.pos;
    let h = sc.exact(1, 2).ok_or(Bad(at, "Unexpected character"))?;
    if !sc.eat(b':') {
        return Err(Bad(sc.pos, "Unexpected character"));
    }
    let mi = sc.exact(2, 2).ok_or(Bad(sc.pos, "Unexpected character"))?;
    let mut s = 0;
    let mut us = 0;
    if matches!(sc.peek(), Some(b':' | b'.')) && sc.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
        sc.pos += 1;
        s = sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?;
        if matches!(sc.peek(), Some(b'.' | b','))
            && sc.peek_at(1).is_some_and(|c| c.is_ascii_digit())
        {
            sc.pos += 1;
            let n = sc.count_digits();
            let (f, len) = sc.number(6).unwrap_or((0, 1));
            // Digits beyond microseconds are read and dropped.
            sc.pos += n - len;
            us = f * 10_i64.pow(6 - len as u32);
        }
    }
    if h > 24 || mi > 59 || s > 60 {
        return Err(Bad(at, "Unexpected character"));
    }
    let h = meridian(sc, h, at)?;
    p.h = Some(h);
    p.i = Some(mi);
    p.s = Some(s);
    p.us = Some(us);
    Ok(())
}

/// The date part of a free-form string.
fn date(sc: &mut Scan<'_>, p: &mut Parsed) -> Result<(), Bad> {
    let at = sc.pos;
    let digits = sc.count_digits();
    if digits == 4 || digits == 8 {
        // YYYY-MM-DD, YYYY/MM/DD, YYYY-MM, YYYY-Www-D, YYYYMMDD
        if digits == 8 {
            let v = sc.exact(8, 8).ok_or(Bad(at, "Unexpected character"))?;
            p.y = Some(v / 10_000);
            p.m = Some(v / 100 % 100);
            p.d = Some(v % 100);
            return Ok(());
        }
        let y = sc.exact(4, 4).ok_or(Bad(at, "Unexpected character"))?;
        let sep = sc.peek();
        if !matches!(sep, Some(b'-' | b'/')) {
            if sc.peek() == Some(b'W') {
                return iso_week(sc, p, y, false);
            }
            return Err(Bad(sc.pos, "Unexpected character"));
        }
        sc.pos += 1;
        if sep == Some(b'-') && sc.peek() == Some(b'W') {
            return iso_week(sc, p, y, true);
        }
        let m = if sc.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            let w = sc.word().to_string();
            month_from_name(&w).ok_or(Bad(sc.pos, "Unexpected character"))?
        } else {
            sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?
        };
        p.y = Some(y);
        p.m = Some(m);
        if sep.is_some_and(|s| sc.eat(s)) {
            p.d = Some(sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?);
        } else if sep == Some(b'-') {
            p.d = Some(1);
        } else {
            return Err(Bad(sc.pos, "Unexpected character"));
        }
        return Ok(());
    }
    if digits == 1 || digits == 2 {
        let n1 = sc.exact(1, 2).ok_or(Bad(at, "Unexpected character"))?;
        match sc.peek() {
            Some(b'/') => {
                // American: MM/DD[/YYYY]
                sc.pos += 1;
                p.m = Some(n1);
                p.d = Some(sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?);
                if sc.eat(b'/') {
                    let (y, len) = sc.number(4).ok_or(Bad(sc.pos, "Unexpected character"))?;
                    p.y = Some(process_year(y, len));
                }
                return Ok(());
            }
            Some(sep @ (b'.' | b'-')) => {
                // DD.MM.YYYY, DD-MM-YYYY, DD-Mon-YYYY
                sc.pos += 1;
                p.d = Some(n1);
                let m = if sc.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    let w = sc.word().to_string();
                    month_from_name(&w).ok_or(Bad(sc.pos, "Unexpected character"))?
                } else {
                    sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?
                };
                p.m = Some(m);
                if !(sc.eat(sep) || sc.eat(b'-') || sc.eat(b'.')) {
                    return Err(Bad(sc.pos, "Unexpected character"));
                }
                let (y, len) = sc.number(4).ok_or(Bad(sc.pos, "Unexpected character"))?;
                p.y = Some(process_year(y, len));
                return Ok(());
            }
            _ => {
                // D Month YYYY
                skip_ordinal(sc);
                sc.skip_spaces();
                let w = sc.word().to_string();
                let m = month_from_name(&w).ok_or(Bad(sc.pos, "Unexpected character"))?;
                p.d = Some(n1);
                p.m = Some(m);
                optional_year(sc, p);
                return Ok(());
            }
        }
    }
    if sc.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
        let start = sc.pos;
        let w = sc.word().to_string();
        if is_weekday_name(&w) {
            while sc.peek().is_some_and(|c| matches!(c, b' ' | b'\t' | b',')) {
                sc.pos += 1;
            }
            return date(sc, p);
        }
        let m = month_from_name(&w).ok_or(Bad(
            start,
            "The timezone could not be found in the database",
        ))?;
        // Month D[,] YYYY
        while sc
            .peek()
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'.' | b'-'))
        {
            sc.pos += 1;
        }
        p.m = Some(m);
        p.d = Some(sc.exact(1, 2).ok_or(Bad(sc.pos, "Unexpected character"))?);
        skip_ordinal(sc);
        optional_year(sc, p);
        return Ok(());
    }
    Err(Bad(at, "Unexpected character"))
}

/// `[, .-]YYYY` after a day and a month name; a number that is an hour
/// (`July 4 12:30`, `July 4 11am`) is not a year, and then the year is unset.
fn optional_year(sc: &mut Scan<'_>, p: &mut Parsed) {
    let before = sc.pos;
    while sc
        .peek()
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b',' | b'.' | b'-'))
    {
        sc.pos += 1;
    }
    let n = sc.count_digits();
    let next = sc.peek_at(n);
    let is_time = matches!(next, Some(b':'))
        || next.is_some_and(|c| c.is_ascii_alphabetic())
        || (n <= 2
            && sc.b[sc.pos + n..]
                .iter()
                .skip_while(|c| **c == b' ')
                .take(1)
                .any(|c| c.is_ascii_alphabetic()));
    if n == 0 || is_time {
        sc.pos = before;
        return;
    }
    if let Some((y, len)) = sc.number(4) {
        p.y = Some(process_year(y, len));
    }
}

fn skip_ordinal(sc: &mut Scan<'_>) {
    let rest = &sc.b[sc.pos..];
    if rest.len() >= 2 {
        let two = rest[..2].to_ascii_lowercase();
        if matches!(&two[..], b"st" | b"nd" | b"rd" | b"th")
            && !rest.get(2).is_some_and(|c| c.is_ascii_alphabetic())
        {
            sc.pos += 2;
        }
    }
}

/// `YYYY-Www[-D]` or `YYYYWww[D]` (the year is read).
fn iso_week(sc: &mut Scan<'_>, p: &mut Parsed, y: i64, dashed: bool) -> Result<(), Bad> {
    sc.pos += 1; // 'W'
    let w = sc.number(2).filter(|(_, n)| *n == 2).map(|(v, _)| v);
    let w = w.ok_or(Bad(sc.pos, "Unexpected character"))?;
    let mut d = 1;
    if dashed {
        if sc.eat(b'-') {
            d = sc.exact(1, 1).ok_or(Bad(sc.pos, "Unexpected character"))?;
        }
    } else if let Some((v, _)) = sc.number(1) {
        d = v;
    }
    let days = days_from_iso(y, w, d);
    let (yy, mm, dd) = super::calendar::civil_from_days(days);
    p.y = Some(yy);
    p.m = Some(mm);
    p.d = Some(dd);
    Ok(())
}

/// timelib_strtotime, for the forms listed at the top.
fn free_form(s: &str) -> Result<Parsed, Bad> {
    let mut sc = Scan {
        b: s.as_bytes(),
        pos: 0,
    };
    let mut p = Parsed::default();
    sc.skip_spaces();
    let d = sc.count_digits();
    let time_first = (d == 1 || d == 2) && sc.peek_at(d) == Some(b':');
    if !time_first {
        date(&mut sc, &mut p)?;
    }
    // time
    let before = sc.pos;
    let sep = time_first || sc.eat(b'T') || sc.eat(b't') || sc.skip_spaces();
    let d = sc.count_digits();
    if sep && (d == 1 || d == 2) && sc.peek_at(d) == Some(b':') {
        time(&mut sc, &mut p)?;
    } else if sep && (d == 1 || d == 2) {
        // "11am", "12 pm"
        let at = sc.pos;
        let h = sc.exact(1, 2).ok_or(Bad(at, "Unexpected character"))?;
        let after = sc.pos;
        let h12 = meridian(&mut sc, h, at)?;
        if sc.pos == after {
            sc.pos = before;
        } else {
            p.h = Some(h12);
            p.i = Some(0);
            p.s = Some(0);
            p.us = Some(0);
        }
    } else if sep && sc.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
        let at = sc.pos;
        match sc.word().to_ascii_lowercase().as_str() {
            "noon" => (p.h, p.i, p.s, p.us) = (Some(12), Some(0), Some(0), Some(0)),
            "midnight" => (p.h, p.i, p.s, p.us) = (Some(0), Some(0), Some(0), Some(0)),
            _ => sc.pos = at,
        }
    } else {
        sc.pos = before;
    }
    sc.skip_spaces();
    if sc.peek().is_some() {
        p.zone = Some(zone(&mut sc)?);
    }
    sc.skip_spaces();
    if sc.peek().is_some() {
        return Err(Bad(sc.pos, "Unexpected character"));
    }
    Ok(p)
}

/// timelib_parse_from_format with mongod's specifiers.
fn with_format(s: &str, format: &str) -> Result<Parsed, Bad> {
    let mut sc = Scan {
        b: s.as_bytes(),
        pos: 0,
    };
    let mut p = Parsed::default();
    let mut f = format.chars();
    let need_digit = |sc: &Scan<'_>| -> Result<(), Bad> {
        if sc.peek().is_some_and(|c| c.is_ascii_digit()) {
            Ok(())
        } else {
            Err(Bad(sc.pos, "Unexpected data found."))
        }
    };
    while let Some(c) = f.next() {
        if c != '%' {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                if !sc.eat(b) {
                    return Err(Bad(sc.pos, "The format separator does not match"));
                }
            }
            continue;
        }
        let Some(spec) = f.next() else { break };
        let at = sc.pos;
        let num = |sc: &mut Scan<'_>, n: usize, msg: &'static str| -> Result<i64, Bad> {
            need_digit(sc)?;
            sc.number(n).map(|(v, _)| v).ok_or(Bad(at, msg))
        };
        match spec {
            '%' => {
                if !sc.eat(b'%') {
                    return Err(Bad(at, "The escaped character could not be found"));
                }
            }
            'Y' => p.y = Some(num(&mut sc, 4, "A four digit year could not be found")?),
            'G' => p.iso_y = Some(num(&mut sc, 4, "A four digit ISO year could not be found")?),
            'm' => p.m = Some(num(&mut sc, 2, "A two digit month could not be found")?),
            'd' => p.d = Some(num(&mut sc, 2, "A two digit day could not be found")?),
            'j' => {
                p.doy = Some(num(
                    &mut sc,
                    3,
                    "A three digit day-of-year could not be found",
                )?)
            }
            'V' => p.iso_w = Some(num(&mut sc, 2, "A two digit ISO week could not be found")?),
            'u' => {
                p.iso_d = Some(num(
                    &mut sc,
                    1,
                    "A single digit day of week could not be found",
                )?)
            }
            'H' => p.h = Some(num(&mut sc, 2, "A two digit hour could not be found")?),
            'M' => p.i = Some(num(&mut sc, 2, "A two digit minute could not be found")?),
            'S' => p.s = Some(num(&mut sc, 2, "A two digit second could not be found")?),
            'L' => {
                need_digit(&sc)?;
                match sc.number(3) {
                    Some((v, len)) => p.us = Some(v * 10_i64.pow(3 - len as u32) * 1000),
                    None => return Err(Bad(at, "A three digit millisecond could not be found")),
                }
            }
            'b' | 'B' => {
                let w = sc.word().to_string();
                p.m =
                    Some(month_from_name(&w).ok_or(Bad(at, "A textual month could not be found"))?);
            }
            'z' => p.zone = Some(zone(&mut sc)?),
            'Z' => {
                let sign = if sc.eat(b'-') {
                    -1
                } else {
                    sc.eat(b'+');
                    1
                };
                need_digit(&sc)?;
                let (v, _) = sc.number(9).ok_or(Bad(at, "Unexpected data found."))?;
                p.zone = Some(Zone::Offset(sign * v * 60));
            }
            _ => return Err(Bad(at, "The format separator does not match")),
        }
    }
    if sc.peek().is_some() {
        return Err(Bad(sc.pos, "Trailing data"));
    }
    if p.h.is_some() || p.i.is_some() || p.s.is_some() || p.us.is_some() {
        p.h.get_or_insert(0);
        p.i.get_or_insert(0);
        p.s.get_or_insert(0);
        p.us.get_or_insert(0);
    }
    let natural = p.y.is_some() || p.m.is_some() || p.d.is_some() || p.doy.is_some();
    let iso = p.iso_y.is_some() || p.iso_w.is_some() || p.iso_d.is_some();
    if iso && natural {
        return Err(Bad(
            sc.pos,
            "Mixing of ISO dates with natural dates is not allowed",
        ));
    }
    if iso && p.iso_y.is_none() {
        return Err(Bad(sc.pos, "The parsed date was invalid"));
    }
    if let Some(y) = p.iso_y {
        let (w, d) = (p.iso_w.unwrap_or(1), p.iso_d.unwrap_or(1));
        let (yy, mm, dd) = super::calendar::civil_from_days(days_from_iso(y, w, d));
        p.y = Some(yy);
        p.m = Some(mm);
        p.d = Some(dd);
    }
    if let (Some(doy), Some(y)) = (p.doy, p.y) {
        let (yy, mm, dd) = super::calendar::civil_from_days(days_from_civil(y, 1, 1) + doy - 1);
        p.y = Some(yy);
        p.m = Some(mm);
        p.d = Some(dd);
    }
    Ok(p)
}

/// mongod's `TimeZoneDatabase::fromString`: milliseconds since the epoch.
pub(super) fn from_string(s: &str, tz: &Tz, format: Option<&str>) -> Result<i64, QueryError> {
    let parsed = match format {
        Some(f) => with_format(s, f),
        None => free_form(s),
    };
    let mut p = match parsed {
        Ok(p) => p,
        Err(Bad(pos, msg)) => {
            let ch = s.get(pos..).and_then(|r| r.chars().next());
            return Err(conversion(format!(
                "Error parsing date string '{s}'; {pos}: {msg} '{}'",
                ch.map(String::from).unwrap_or_default()
            )));
        }
    };
    if let (Some(y), Some(m), Some(d)) = (p.y, p.m, p.d)
        && !((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
    {
        return Err(conversion(format!(
            "Error parsing date string '{s}'; {}: The parsed date was invalid ''",
            s.len()
        )));
    }
    if let (Some(h), Some(i), Some(sec)) = (p.h, p.i, p.s)
        && (h > 23 || i > 59 || sec > 59)
    {
        return Err(conversion(format!(
            "Error parsing date string '{s}'; {}: The parsed time was invalid ''",
            s.len()
        )));
    }
    if p.h.is_none() && p.i.is_none() && p.s.is_none() {
        p.h = Some(0);
        p.i = Some(0);
        p.s = Some(0);
        p.us = Some(0);
    }
    let (Some(y), Some(m), Some(d), Some(h), Some(i), Some(sec)) = (p.y, p.m, p.d, p.h, p.i, p.s)
    else {
        return Err(conversion(format!(
            "an incomplete date/time string has been found, with elements missing: \"{s}\""
        )));
    };
    if !tz.is_utc() {
        match &p.zone {
            None => {}
            Some(Zone::Offset(_)) => {
                return Err(conversion(
                    "you cannot pass in a date/time string with GMT offset together with a \
                     timezone argument"
                        .to_string(),
                ));
            }
            Some(Zone::Abbr(a, _)) => {
                return Err(conversion(format!(
                    "you cannot pass in a date/time string with time zone information ('{a}') \
                     together with a timezone argument"
                )));
            }
        }
    }
    let local = days_from_civil(y, m, d) * 86_400 + h * 3600 + i * 60 + sec;
    let secs = match &p.zone {
        Some(Zone::Offset(o)) | Some(Zone::Abbr(_, o)) => local - o,
        None => tz.local_to_utc(local),
    };
    Ok(secs * 1000 + p.us.unwrap_or(0) / 1000)
}
