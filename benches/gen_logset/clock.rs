//! Fixed dates and the timestamp spellings each log format uses.
//!
//! All generated times are UTC epoch seconds (or milliseconds where a format carries
//! them) counted from a fixed base date, so output never depends on the wall clock.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// 2026-10-01T00:00:00Z, the first day of every generated set.
pub const BASE: i64 = 1_790_812_800;
pub const MIN: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;
/// The first seven days are the baseline for first-seen and outlier rules.
pub const BASELINE_DAYS: i64 = 7;
/// Length of the generated period (2026-10-01 .. 2026-10-17).
pub const SPAN_DAYS: i64 = 16;
pub const BASELINE_END: i64 = BASE + BASELINE_DAYS * DAY;
pub const END: i64 = BASE + SPAN_DAYS * DAY;

/// Epoch seconds for a day offset from [`BASE`] plus a wall-clock time.
pub const fn at(day: i64, h: i64, m: i64, s: i64) -> i64 {
    BASE + day * DAY + h * HOUR + m * MIN + s
}

fn dt(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

fn dt_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `2026-10-12T14:02:11Z` (CloudTrail `eventTime`, invocation-log `timestamp`).
pub fn iso(t: i64) -> String {
    dt(t).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2026-10-12T14:02:11.123Z` (ECS `@timestamp`, Jamf `time`).
pub fn iso_ms(ms: i64) -> String {
    dt_ms(ms).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `2026-10-12T14:02:11+00:00` (AWS CLI v2 rendering of timestamps).
pub fn iso_offset(t: i64) -> String {
    dt(t).format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// `2026-10-12 14:02:11.123` (Sysmon `UtcTime`).
pub fn sysmon(ms: i64) -> String {
    dt_ms(ms).format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// `20261012T1405Z` (CloudTrail log object names).
pub fn compact_min(t: i64) -> String {
    dt(t).format("%Y%m%dT%H%MZ").to_string()
}

/// `20261012T140511Z` (digest and invocation-log object names).
pub fn compact_sec(t: i64) -> String {
    dt(t).format("%Y%m%dT%H%M%SZ").to_string()
}

/// `2026/10/12` (S3 key date folders).
pub fn ymd_path(t: i64) -> String {
    dt(t).format("%Y/%m/%d").to_string()
}

/// `2026-10-12`.
pub fn ymd(t: i64) -> String {
    dt(t).format("%Y-%m-%d").to_string()
}

/// `2026-10-12T14:02Z`, used for minute buckets in the README.
pub fn minute(t: i64) -> String {
    dt(t).format("%Y-%m-%dT%H:%MZ").to_string()
}

pub fn hour_of_day(t: i64) -> u32 {
    dt(t).hour()
}

/// 0 = Monday .. 6 = Sunday.
pub fn weekday(t: i64) -> u32 {
    dt(t).weekday().num_days_from_monday()
}

pub fn is_weekend(t: i64) -> bool {
    weekday(t) >= 5
}
