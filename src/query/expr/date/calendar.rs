//! The proleptic Gregorian calendar, time zones, and the date arithmetic
//! of `$dateAdd`, `$dateDiff` and `$dateTrunc`, computed as mongod's
//! `date_time_support.cpp` does (on top of timelib there).
//!
//! Dates are milliseconds since the epoch (`i64`), like BSON dates. Civil
//! dates are computed here with 64-bit arithmetic, so that every BSON date
//! (about ±292 million years) has parts; `jiff`'s tzdb only gives the UTC
//! offset of an instant (clamped to jiff's range of years -9999..9999).

use crate::query::error::QueryError;

pub(super) const MS_PER_DAY: i64 = 86_400_000;

/// A `timezone` argument: `UTC`, an offset (`+04:30`) or an Olson name.
#[derive(Debug, Clone)]
pub(super) enum Tz {
    Utc,
    /// Seconds east of UTC.
    Fixed(i64),
    Named(jiff::tz::TimeZone),
}

/// `"+HH"`, `"+HHMM"`, `"+HH:MM"` (or `-`) as seconds east of UTC, as
/// mongod's `parseUtcOffset` reads them (digits are not range-checked).
fn parse_utc_offset(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digit = |i: usize| -> Option<i64> {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    let (h, m) = match b.len() {
        3 => (digit(1)? * 10 + digit(2)?, 0),
        5 => (digit(1)? * 10 + digit(2)?, digit(3)? * 10 + digit(4)?),
        6 if b[3] == b':' => (digit(1)? * 10 + digit(2)?, digit(4)? * 10 + digit(5)?),
        _ => return None,
    };
    Some(sign * (h * 3600 + m * 60))
}

impl Tz {
    /// mongod's `TimeZoneDatabase::getTimeZone`: names are case-sensitive.
    pub(super) fn parse(name: &str) -> Result<Tz, QueryError> {
        if name == "UTC" {
            return Ok(Tz::Utc);
        }
        if let Ok(tz) = jiff::tz::TimeZone::get(name)
            && !tz.is_unknown()
            && tz.iana_name() == Some(name)
        {
            return Ok(Tz::Named(tz));
        }
        if let Some(off) = parse_utc_offset(name) {
            return Ok(Tz::Fixed(off));
        }
        Err(QueryError::location(
            40485,
            format!("unrecognized time zone identifier: \"{name}\""),
        ))
    }

    /// UTC, or an offset of zero (mongod's `isUtcZone`).
    pub(super) fn is_utc(&self) -> bool {
        matches!(self, Tz::Utc | Tz::Fixed(0))
    }

    /// The UTC offset (seconds east) at an instant (seconds since epoch).
    pub(super) fn offset_at(&self, secs: i64) -> i64 {
        match self {
            Tz::Utc => 0,
            Tz::Fixed(o) => *o,
            Tz::Named(tz) => {
                let lo = jiff::Timestamp::MIN.as_second();
                let hi = jiff::Timestamp::MAX.as_second();
                jiff::Timestamp::from_second(secs.clamp(lo, hi))
                    .map(|t| i64::from(tz.to_offset(t).seconds()))
                    .unwrap_or(0)
            }
        }
    }

    /// The instant (seconds) of a local wall-clock time (seconds since the
    /// local epoch). A time in a gap is read with the offset before the
    /// gap (so it lands after it); a time in a fold is the earlier one.
    pub(super) fn local_to_utc(&self, local: i64) -> i64 {
        match self {
            Tz::Utc => local,
            Tz::Fixed(o) => local - o,
            Tz::Named(_) => {
                let before = self.offset_at(local.saturating_sub(86_400 * 2));
                let after = self.offset_at(local.saturating_add(86_400 * 2));
                let fits = |o: i64| self.offset_at(local - o) == o;
                match (fits(before), fits(after)) {
                    (true, true) => local - before.max(after),
                    (true, false) => local - before,
                    (false, true) => local - after,
                    (false, false) => local - before,
                }
            }
        }
    }
}

/// Days since 1970-01-01 of a civil date; `m` in 1..=12, `d` may be out of
/// the month (the result is linear in `d`).
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub(super) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(super) fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub(super) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 1 (Monday) ..= 7 (Sunday).
pub(super) fn iso_dow(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// 1 (Sunday) ..= 7 (Saturday), as `$dayOfWeek`.
pub(super) fn dow_sunday1(days: i64) -> i64 {
    (days + 4).rem_euclid(7) + 1
}

fn iso_weeks_in_year(y: i64) -> i64 {
    let jan1 = iso_dow(days_from_civil(y, 1, 1));
    if jan1 == 4 || (is_leap(y) && jan1 == 3) {
        53
    } else {
        52
    }
}

/// The day number of an ISO week date (linear in week and day).
pub(super) fn days_from_iso(year: i64, week: i64, dow: i64) -> i64 {
    let jan4 = days_from_civil(year, 1, 4);
    jan4 - (iso_dow(jan4) - 1) + (week - 1) * 7 + (dow - 1)
}

/// A date broken down in a time zone.
#[derive(Debug, Clone, Copy)]
pub(super) struct Local {
    pub y: i64,
    pub m: i64,
    pub d: i64,
    pub h: i64,
    pub mi: i64,
    pub s: i64,
    pub ms: i64,
    /// The UTC offset (seconds east).
    pub z: i64,
    /// Local days since 1970-01-01.
    pub days: i64,
}

impl Local {
    pub(super) fn new(ms: i64, tz: &Tz) -> Local {
        let secs = ms.div_euclid(1000);
        let z = tz.offset_at(secs);
        let local = secs + z;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Local {
            y,
            m,
            d,
            h: sod / 3600,
            mi: sod % 3600 / 60,
            s: sod % 60,
            ms: ms.rem_euclid(1000),
            z,
            days,
        }
    }

    pub(super) fn day_of_year(&self) -> i64 {
        self.days - days_from_civil(self.y, 1, 1) + 1
    }

    pub(super) fn day_of_week(&self) -> i64 {
        dow_sunday1(self.days)
    }

    pub(super) fn iso_day_of_week(&self) -> i64 {
        iso_dow(self.days)
    }

    /// `$week`: weeks start on Sunday; days before the first Sunday are
    /// in week 0.
    pub(super) fn week(&self) -> i64 {
        (self.day_of_year() - self.day_of_week() + 7) / 7
    }

    /// (ISO week, ISO week-numbering year).
    pub(super) fn iso_week(&self) -> (i64, i64) {
        let w = (self.day_of_year() - self.iso_day_of_week() + 10).div_euclid(7);
        if w < 1 {
            (iso_weeks_in_year(self.y - 1), self.y - 1)
        } else if w > iso_weeks_in_year(self.y) {
            (1, self.y + 1)
        } else {
            (w, self.y)
        }
    }

    fn seconds_of_day(&self) -> i64 {
        self.h * 3600 + self.mi * 60 + self.s
    }
}

/// The units of `$dateAdd`, `$dateDiff`, `$dateTrunc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

impl Unit {
    pub(super) fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "year" => Unit::Year,
            "quarter" => Unit::Quarter,
            "month" => Unit::Month,
            "week" => Unit::Week,
            "day" => Unit::Day,
            "hour" => Unit::Hour,
            "minute" => Unit::Minute,
            "second" => Unit::Second,
            "millisecond" => Unit::Millisecond,
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Unit::Year => "year",
            Unit::Quarter => "quarter",
            Unit::Month => "month",
            Unit::Week => "week",
            Unit::Day => "day",
            Unit::Hour => "hour",
            Unit::Minute => "minute",
            Unit::Second => "second",
            Unit::Millisecond => "millisecond",
        }
    }

    /// Milliseconds of the fixed-length units.
    fn fixed_ms(self) -> Option<i64> {
        Some(match self {
            Unit::Millisecond => 1,
            Unit::Second => 1000,
            Unit::Minute => 60_000,
            Unit::Hour => 3_600_000,
            _ => return None,
        })
    }
}

/// `startOfWeek` names (case-insensitive) as ISO day numbers (Monday 1).
pub(super) fn parse_day_of_week(s: &str) -> Option<i64> {
    Some(match s.to_ascii_lowercase().as_str() {
        "monday" | "mon" => 1,
        "tuesday" | "tue" => 2,
        "wednesday" | "wed" => 3,
        "thursday" | "thu" => 4,
        "friday" | "fri" => 5,
        "saturday" | "sat" => 6,
        "sunday" | "sun" => 7,
        _ => return None,
    })
}

/// The default `startOfWeek`: Sunday.
pub(super) const SUNDAY: i64 = 7;

fn overflow(code: i32, what: &str) -> QueryError {
    QueryError::location(code, format!("{what} overflowed"))
}

/// Adds months to (year, month 1..=12).
fn add_months(y: i64, m: i64, n: i64) -> (i64, i64) {
    let t = y * 12 + (m - 1) + n;
    (t.div_euclid(12), t.rem_euclid(12) + 1)
}

/// mongod's `isDateAddAmountValid`: the amount roughly fits a date.
fn amount_valid(amount: i64, unit: Unit) -> bool {
    const MAX_DAYS: i64 = (u64::MAX / MS_PER_DAY as u64 + 1) as i64;
    const MAX_YEARS: i64 = MAX_DAYS / 365 + 1;
    let max = match unit {
        Unit::Year => MAX_YEARS,
        Unit::Quarter => MAX_YEARS * 4,
        Unit::Month => MAX_YEARS * 12,
        Unit::Week => MAX_DAYS / 7,
        Unit::Day => MAX_DAYS,
        Unit::Hour => MAX_DAYS * 24,
        Unit::Minute => MAX_DAYS * 24 * 60,
        Unit::Second => MAX_DAYS * 24 * 3600,
        Unit::Millisecond => return true,
    };
    -max < amount && amount < max
}

/// `$dateAdd`: calendar units move the local date and keep the local
/// time of day (DST-aware), clamping the day to the end of the month;
/// hours and smaller move the instant.
pub(super) fn date_add(ms: i64, unit: Unit, amount: i64, tz: &Tz) -> Result<i64, QueryError> {
    if unit == Unit::Millisecond {
        return ms
            .checked_add(amount)
            .ok_or_else(|| overflow(5166406, "dateAdd"));
    }
    if !amount_valid(amount, unit) {
        return Err(QueryError::location(
            5976500,
            format!(
                "invalid dateAdd 'amount' parameter value: {amount} {}",
                unit.name()
            ),
        ));
    }
    let out: i128 = if let Some(unit_ms) = unit.fixed_ms() {
        i128::from(ms) + i128::from(amount) * i128::from(unit_ms)
    } else {
        let l = Local::new(ms, tz);
        let days = match unit {
            Unit::Day => l.days + amount,
            Unit::Week => l.days + amount * 7,
            _ => {
                let months = match unit {
                    Unit::Year => amount * 12,
                    Unit::Quarter => amount * 3,
                    _ => amount,
                };
                let (y, m) = add_months(l.y, l.m, months);
                days_from_civil(y, m, l.d.min(days_in_month(y, m)))
            }
        };
        let local = i128::from(days) * 86_400 + i128::from(l.seconds_of_day());
        let local = i64::try_from(local).map_err(|_| overflow(5166406, "dateAdd"))?;
        i128::from(tz.local_to_utc(local)) * 1000 + i128::from(l.ms)
    };
    i64::try_from(out).map_err(|_| overflow(5166406, "dateAdd"))
}

fn quarter(m: i64) -> i64 {
    (m - 1) / 3
}

/// Day of the week counted from `start_of_week` (0 ..= 6).
fn dow_from(days: i64, start_of_week: i64) -> i64 {
    (iso_dow(days) - start_of_week + 7) % 7
}

fn diff_weeks(start_days: i64, end_days: i64, start_of_week: i64) -> i64 {
    (end_days - start_days + dow_from(start_days, start_of_week)
        - dow_from(end_days, start_of_week))
        / 7
}

/// `$dateDiff`: the number of unit boundaries crossed, in the time zone.
pub(super) fn date_diff(
    start: i64,
    end: i64,
    unit: Unit,
    tz: &Tz,
    start_of_week: i64,
) -> Result<i64, QueryError> {
    if unit == Unit::Millisecond {
        return end
            .checked_sub(start)
            .ok_or_else(|| overflow(5166308, "dateDiff"));
    }
    let (s, e) = (Local::new(start, tz), Local::new(end, tz));
    let days = e.days - s.days;
    let hours = e.h - s.h + days * 24;
    let minutes = e.mi - s.mi + hours * 60;
    let dz = s.z - e.z;
    Ok(match unit {
        Unit::Year => e.y - s.y,
        Unit::Quarter => quarter(e.m) - quarter(s.m) + (e.y - s.y) * 4,
        Unit::Month => e.m - s.m + (e.y - s.y) * 12,
        Unit::Week => diff_weeks(s.days, e.days, start_of_week),
        Unit::Day => days,
        Unit::Hour => hours + dz / 3600,
        Unit::Minute => minutes + dz / 60,
        Unit::Second | Unit::Millisecond => e.s - s.s + minutes * 60 + dz,
    })
}

/// `$dateTrunc`: the lower bound of the bin of `binSize` units that the
/// date falls in, bins counted from 2000-01-01T00:00 local (for weeks, the
/// first `startOfWeek` day on or after it).
pub(super) fn date_trunc(
    ms: i64,
    unit: Unit,
    bin_size: u64,
    tz: &Tz,
    start_of_week: i64,
) -> Result<i64, QueryError> {
    const REF_MS: i64 = 946_684_800_000;
    let mut ref_ms = REF_MS - tz.offset_at(REF_MS / 1000) * 1000;
    let mut ref_day = 1;
    if unit == Unit::Week {
        // 2000-01-01 is a Saturday (ISO 6).
        let ref_dow = (6 - start_of_week + 7) % 7;
        let adjust = (7 - ref_dow) % 7;
        ref_ms += adjust * MS_PER_DAY;
        ref_day += adjust;
    }
    if let Some(unit_ms) = unit.fixed_ms() {
        let bin = i64::try_from(u128::from(bin_size) * unit_ms as u128)
            .map_err(|_| overflow(5439002, "dateTrunc"))?;
        let shifted = ms
            .checked_sub(ref_ms)
            .ok_or_else(|| overflow(5439000, "dateTrunc"))?;
        return ms
            .checked_sub(shifted.rem_euclid(bin))
            .ok_or_else(|| overflow(5439001, "dateTrunc"));
    }
    if bin_size > 100_000_000_000 {
        return Err(QueryError::location(
            5439006,
            "dateTrunc unsupported binSize value",
        ));
    }
    let bin = bin_size as i64;
    let l = Local::new(ms, tz);
    let ref_days = days_from_civil(2000, 1, ref_day);
    let distance = match unit {
        Unit::Day => l.days - ref_days,
        Unit::Week => diff_weeks(ref_days, l.days, start_of_week),
        Unit::Month => l.m - 1 + (l.y - 2000) * 12,
        Unit::Quarter => quarter(l.m) + (l.y - 2000) * 4,
        _ => l.y - 2000,
    };
    let lower = distance - distance.rem_euclid(bin);
    date_add(ref_ms, unit, lower, tz)
}
