//! Timestamps as UTC epoch milliseconds: parsing every form seen in the logs, and display.

use chrono::{DateTime, SecondsFormat, Utc};

/// Parses `2024-07-08T17:06:49Z`, with fractional seconds (any precision), with `±HH:MM`/`±HHMM`
/// offsets, with a space instead of `T` and no zone (Panther, Sysmon `UtcTime`: taken as UTC).
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 {
        return parse_epoch_text(s.trim());
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let mut v: i64 = 0;
        for &c in b.get(from..to)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    if b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ' || b[10] == b't') {
        return parse_epoch_text(s.trim());
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut pos = 19;
    let mut millis = 0i64;
    if b.get(pos) == Some(&b'.') || b.get(pos) == Some(&b',') {
        pos += 1;
        let start = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            if pos - start < 3 {
                millis = millis * 10 + i64::from(b[pos] - b'0');
            }
            pos += 1;
        }
        if pos == start {
            return None;
        }
        for _ in (pos - start).min(3)..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(pos) {
        None => 0,
        Some(b'Z') | Some(b'z') if pos + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &b[pos + 1..];
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (num(pos + 1, pos + 3)?, num(pos + 4, pos + 6)?),
                4 => (num(pos + 1, pos + 3)?, num(pos + 3, pos + 5)?),
                2 => (num(pos + 1, pos + 3)?, 0),
                _ => return None,
            };
            let total = h * 60 + m;
            if sign == b'+' {
                total
            } else {
                -total
            }
        }
        Some(_) => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    in_range(secs * 1000 + millis)
}

/// Epoch numbers written as text: 13 digits are milliseconds, 10 digits seconds.
fn parse_epoch_text(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i64 = s.parse().ok()?;
    epoch_number_to_millis(v)
}

/// The first and last instants an event may carry: years 0000 to 9999, what ISO 8601 text can
/// write. An epoch number beyond them is not a time a log meant, and could not be shown as a date.
pub const EARLIEST_MS: i64 = -62_167_219_200_000;
pub const LATEST_MS: i64 = 253_402_300_799_999;

/// `ms` when it lies between [`EARLIEST_MS`] and [`LATEST_MS`].
pub fn in_range(ms: i64) -> Option<i64> {
    (EARLIEST_MS..=LATEST_MS).contains(&ms).then_some(ms)
}

/// CloudWatch uses epoch milliseconds; some exports use seconds. Values below 10^11 are taken as
/// seconds (10^11 ms is 1973, far before any CloudTrail record). `None` beyond the years 0000–9999.
pub fn epoch_number_to_millis(v: i64) -> Option<i64> {
    if v.unsigned_abs() < 100_000_000_000 {
        in_range(v * 1000)
    } else {
        in_range(v)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
/// Days in a month of the proleptic Gregorian calendar: a date such as February 30 is no time
/// at all, and must not roll over into March.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2024-07-08T17:06:49Z` (millis shown only when present).
pub fn format_timestamp(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(dt) if ms % 1000 == 0 => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
        Some(dt) => dt.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => format!("@{ms}"),
    }
}

/// Compact form for tables: `2024-07-08 17:06:49`.
pub fn format_short(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => format!("@{ms}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_seen_form() {
        let base = 1_720_458_409_000; // 2024-07-08T17:06:49Z
        assert_eq!(parse_timestamp("2024-07-08T17:06:49Z"), Some(base));
        assert_eq!(
            parse_timestamp("2024-07-08T17:06:49.123Z"),
            Some(base + 123)
        );
        assert_eq!(parse_timestamp("2024-07-08T17:06:49.1Z"), Some(base + 100));
        assert_eq!(
            parse_timestamp("2024-07-08T17:06:49.123456789Z"),
            Some(base + 123)
        );
        assert_eq!(parse_timestamp("2024-07-08T19:06:49+02:00"), Some(base));
        assert_eq!(parse_timestamp("2024-07-08T12:06:49-0500"), Some(base));
        assert_eq!(parse_timestamp("2024-07-08 17:06:49.000000000"), Some(base));
        assert_eq!(parse_timestamp("2024-07-08 17:06:49"), Some(base));
        assert_eq!(parse_timestamp("1720458409000"), Some(base));
        assert_eq!(parse_timestamp("1720458409"), Some(base));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_timestamp("2000-02-29T00:00:00Z"),
            Some(951_782_400_000)
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2024-13-08T17:06:49Z",
            "2024-07-08T17:06:49Q",
            "2024-07-08T17:06",
            "2024-07-08T17:06:49.Z",
            "2024-02-30T00:00:00Z",
            "2023-02-29T10:00:00Z",
            "2100-02-29T10:00:00Z",
            "2024-04-31T10:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        // Leap days that exist.
        for good in ["2024-02-29T10:00:00Z", "2000-02-29T10:00:00Z"] {
            assert!(parse_timestamp(good).is_some(), "{good}");
        }
    }

    #[test]
    fn times_beyond_the_years_0000_to_9999_are_not_times() {
        assert_eq!(parse_timestamp("9999-12-31T23:59:59.999Z"), Some(LATEST_MS));
        assert_eq!(parse_timestamp("0000-01-01T00:00:00Z"), Some(EARLIEST_MS));
        assert_eq!(parse_timestamp("0000-01-01T00:00:00+01:00"), None);
        assert_eq!(epoch_number_to_millis(LATEST_MS), Some(LATEST_MS));
        assert_eq!(
            epoch_number_to_millis(-1_720_458_409),
            Some(-1_720_458_409_000)
        );
        for bad in [i64::MIN, i64::MAX, LATEST_MS + 1, EARLIEST_MS - 1] {
            assert_eq!(epoch_number_to_millis(bad), None, "{bad}");
        }
        assert_eq!(parse_timestamp("9223372036854775807"), None);
        assert_eq!(format_short(LATEST_MS), "9999-12-31 23:59:59");
        assert_eq!(format_short(EARLIEST_MS), "0000-01-01 00:00:00");
    }

    #[test]
    fn formats_round_trip() {
        assert_eq!(format_timestamp(1_720_458_409_000), "2024-07-08T17:06:49Z");
        assert_eq!(
            format_timestamp(1_720_458_409_120),
            "2024-07-08T17:06:49.120Z"
        );
        assert_eq!(format_short(1_720_458_409_000), "2024-07-08 17:06:49");
    }
}
