//! The timeline: events in time order, a histogram over a zoomable window, and a time-range
//! filter. Event lists are always in time order (the store is sorted and every index and filter
//! result keeps that order), so windows are found by binary search, never by scanning.

use super::filter::{Filterable, Key};
use super::requests::{field_text, short_principal};
use crate::model::time::{format_short, parse_timestamp};
use crate::model::{Event, EventStore};
use std::borrow::Cow;

/// A closed time interval in epoch milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    pub from: i64,
    pub to: i64,
}

impl TimeWindow {
    pub fn new(from: i64, to: i64) -> TimeWindow {
        TimeWindow {
            from: from.min(to),
            to: to.max(from),
        }
    }

    pub fn span(&self) -> i64 {
        self.to - self.from
    }

    pub fn contains(&self, ts: i64) -> bool {
        ts >= self.from && ts <= self.to
    }

    /// Halves the window around `center`, never below one second.
    pub fn zoom_in(&self, center: i64) -> TimeWindow {
        let half = (self.span() / 4).max(500);
        let c = center.clamp(self.from, self.to);
        TimeWindow::new(c - half, c + half)
    }

    /// Doubles the window around its middle, clamped to `bounds`.
    pub fn zoom_out(&self, bounds: TimeWindow) -> TimeWindow {
        let mid = self.from + self.span() / 2;
        let half = self.span().max(1000);
        let mut from = mid - half;
        let mut to = mid + half;
        if to - from >= bounds.span() {
            return bounds;
        }
        if from < bounds.from {
            to += bounds.from - from;
            from = bounds.from;
        }
        if to > bounds.to {
            from -= to - bounds.to;
            to = bounds.to;
        }
        TimeWindow::new(from.max(bounds.from), to)
    }

    pub fn label(&self) -> String {
        format!("{} .. {}", format_short(self.from), format_short(self.to))
    }
}

/// Parses `FROM .. TO` (either side may be empty for an open end). Each side accepts the forms of
/// [`parse_timestamp`] plus `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM`.
pub fn parse_range(text: &str, bounds: TimeWindow) -> Result<Option<TimeWindow>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (a, b) = text.split_once("..").ok_or_else(|| {
        "write the range as FROM .. TO, e.g. 2024-07-08T17:00 .. 2024-07-08T18:00".to_string()
    })?;
    let side = |s: &str, default: i64, end: bool| -> Result<i64, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(default);
        }
        parse_loose(s, end).ok_or_else(|| format!("cannot read the time {s:?}"))
    };
    let from = side(a, bounds.from, false)?;
    let to = side(b, bounds.to, true)?;
    if to < from {
        return Err("the range ends before it starts".into());
    }
    Ok(Some(TimeWindow { from, to }))
}

/// `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM` are completed to whole days/minutes (end of the period for
/// the upper bound).
fn parse_loose(s: &str, end: bool) -> Option<i64> {
    let s = s.replace(' ', "T");
    match s.len() {
        10 => {
            parse_timestamp(&format!("{s}T00:00:00Z")).map(|t| if end { t + 86_399_999 } else { t })
        }
        13 => parse_timestamp(&format!("{s}:00:00Z")).map(|t| if end { t + 3_599_999 } else { t }),
        16 => parse_timestamp(&format!("{s}:00Z")).map(|t| if end { t + 59_999 } else { t }),
        _ => parse_timestamp(&s),
    }
}

/// The part of a time-ordered list of events that falls inside `w`.
pub fn slice_window<'a>(store: &EventStore, list: &'a [u32], w: TimeWindow) -> &'a [u32] {
    let ts = |i: &u32| store.event(*i).map_or(i64::MAX, |e| e.ts);
    let a = list.partition_point(|i| ts(i) < w.from);
    let b = list.partition_point(|i| ts(i) <= w.to);
    &list[a..b.max(a)]
}

/// Event counts in `n` equal buckets over `w`, for a time-ordered event list.
pub fn histogram(store: &EventStore, list: &[u32], w: TimeWindow, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let ts = |i: &u32| store.event(*i).map_or(i64::MAX, |e| e.ts);
    let span = (w.span() + 1) as i128;
    let edge = |k: usize| w.from + (span * k as i128 / n as i128) as i64;
    let mut out = Vec::with_capacity(n);
    let mut prev = list.partition_point(|i| ts(i) < w.from);
    for k in 1..=n {
        let bound = edge(k);
        let next = list.partition_point(|i| ts(i) < bound);
        out.push((next.saturating_sub(prev)) as u32);
        prev = next.max(prev);
    }
    out
}

/// Same as [`histogram`] for a time-ordered slice of events (e.g. the whole store).
pub fn histogram_slice(events: &[Event], w: TimeWindow, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let span = (w.span() + 1) as i128;
    let edge = |k: usize| w.from + (span * k as i128 / n as i128) as i64;
    let hi = events.partition_point(|e| e.ts <= w.to);
    let mut out = Vec::with_capacity(n);
    let mut prev = events.partition_point(|e| e.ts < w.from);
    for k in 1..=n {
        let next = events.partition_point(|e| e.ts < edge(k)).min(hi);
        out.push(next.saturating_sub(prev) as u32);
        prev = next.max(prev);
    }
    out
}

/// One event as a timeline row.
pub struct EventRef<'a> {
    pub event: &'a Event,
    pub store: &'a EventStore,
}

impl<'a> EventRef<'a> {
    /// What the event is about in one phrase: the command line for endpoint events, the model for
    /// invocations, else the user agent.
    pub fn detail(&self) -> &'a str {
        let e = self.event;
        let s = self.store;
        if e.command_line.is_some() {
            s.str(e.command_line)
        } else if e.model_id.is_some() {
            s.str(e.model_id)
        } else {
            s.str(e.user_agent)
        }
    }

    pub fn who(&self) -> &'a str {
        let e = self.event;
        let p = e.principal();
        if p.is_some() {
            short_principal(self.store.str(p))
        } else {
            self.store.str(e.user_name)
        }
    }

    /// Cells: time, strand, action, who, source ip / host, outcome (error code), detail.
    pub fn cells(&self) -> [Cow<'a, str>; 7] {
        let e = self.event;
        let s = self.store;
        let place = if e.source_ip.is_some() {
            s.str(e.source_ip)
        } else {
            s.str(e.host)
        };
        let outcome = if e.error_code.is_some() {
            s.str(e.error_code)
        } else {
            e.outcome.name()
        };
        [
            Cow::Owned(format_short(e.ts)),
            Cow::Borrowed(e.strand.name()),
            Cow::Borrowed(s.str(e.action)),
            Cow::Borrowed(self.who()),
            Cow::Borrowed(place),
            Cow::Borrowed(outcome),
            Cow::Borrowed(self.detail()),
        ]
    }
}

impl Filterable for EventRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        match key {
            Key::Field(field) => field_text(self.store, self.event, field).is_some_and(|v| f(&v)),
            Key::Text => f(self.who()),
            Key::Kind => f(self.event.strand.name()),
            _ => false,
        }
    }

    fn haystack(&self) -> String {
        self.cells().join("  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_stays_inside_bounds() {
        let bounds = TimeWindow::new(0, 1_000_000);
        let z = bounds.zoom_in(100_000);
        assert_eq!(z.span(), 500_000);
        assert!(z.contains(100_000));
        let back = z.zoom_out(bounds);
        assert!(back.from >= 0 && back.to <= 1_000_000);
        assert_eq!(back.zoom_out(bounds), bounds);
        let tiny = TimeWindow::new(10, 10).zoom_in(10);
        assert_eq!(tiny.span(), 1000);
    }

    #[test]
    fn ranges_parse_loosely() {
        let b = TimeWindow::new(0, i64::MAX / 2);
        let w = parse_range("2024-07-08T17:00 .. 2024-07-08T18:00", b)
            .unwrap()
            .unwrap();
        assert_eq!(w.from, parse_timestamp("2024-07-08T17:00:00Z").unwrap());
        assert_eq!(w.to, parse_timestamp("2024-07-08T18:00:59.999Z").unwrap());
        let w = parse_range("2024-07-08 ..", b).unwrap().unwrap();
        assert_eq!(w.to, b.to);
        assert_eq!(parse_range("", b), Ok(None));
        assert!(parse_range("yesterday .. now", b).is_err());
        assert!(parse_range("2024-07-09 .. 2024-07-08", b).is_err());
        assert!(parse_range("2024-07-09", b).is_err());
    }
}
