//! Wall-clock time in milliseconds, with a fixed, deterministic clock for
//! tests: when `ARGON_TEST_NOW` holds an RFC 3339 time or epoch
//! milliseconds, every call returns that time plus one millisecond per call.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, Ordering};

static FAKE: OnceLock<Option<AtomicI64>> = OnceLock::new();

pub fn now_ms() -> i64 {
    now_us() / 1000
}

/// Wall-clock time in microseconds (the fixed test clock's milliseconds
/// times 1000).
pub fn now_us() -> i64 {
    let fake = FAKE.get_or_init(|| {
        let v = std::env::var("ARGON_TEST_NOW").ok()?;
        let ms = v.parse::<i64>().ok().or_else(|| {
            bson::DateTime::parse_rfc3339_str(&v)
                .ok()
                .map(|d| d.timestamp_millis())
        })?;
        Some(AtomicI64::new(ms))
    });
    match fake {
        Some(t) => t.fetch_add(1, Ordering::SeqCst) * 1000,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as i64),
    }
}

/// RFC 3339 with milliseconds, UTC.
pub fn format_ms(ms: i64) -> String {
    bson::DateTime::from_millis(ms)
        .try_to_rfc3339_string()
        .unwrap_or_else(|_| ms.to_string())
}

pub fn parse_time(s: &str) -> Option<i64> {
    bson::DateTime::parse_rfc3339_str(s)
        .ok()
        .map(|d| d.timestamp_millis())
}
