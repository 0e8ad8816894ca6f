//! The scanner's steps, one method per reading mode. Each returns the next [`Step`] to hand out,
//! or `None` when it only moved on (changed mode, skipped blank space, read more) and reading
//! goes on.

use super::{Element, Mode, Probe, Scanner, Shape, Skip, Step, CHUNK};
use memchr::memchr;
use std::io::Read;

impl<R: Read> Scanner<R> {
    pub fn next_step(&mut self) -> Step {
        loop {
            let step = match self.mode {
                Mode::Done => return Step::End,
                Mode::Start => self.start_step(),
                Mode::Lines => self.line_step(),
                Mode::Items { expect_value } => self.item_step(expect_value),
                Mode::EnvelopeTail { key } => self.envelope_tail_step(key),
            };
            if let Some(step) = step {
                return step;
            }
        }
    }

    /// Before a record, or at the very start: tells the file's shape from its first value.
    fn start_step(&mut self) -> Option<Step> {
        let Some(c) = self.skip_ws() else {
            self.mode = Mode::Done;
            return Some(Step::End);
        };
        if self.elements == 0
            && self.base == 0
            && self.pos == 0
            && self.buf.starts_with(&[0xEF, 0xBB, 0xBF])
        {
            self.pos = 3;
            return None;
        }
        match c {
            b'[' if self.shape.is_none() => {
                self.advance(self.pos + 1);
                self.shape = Some(Shape::Array);
                self.item_shape = Shape::Array;
                self.mode = Mode::Items { expect_value: true };
                None
            }
            b'{' => match self.probe_object(self.pos) {
                Probe::Incomplete => {
                    if !self.grow() {
                        return Some(self.unclosed());
                    }
                    None
                }
                Probe::Invalid(at, why) => Some(self.broken(at, why)),
                Probe::Envelope(key, array_at) => {
                    self.advance(array_at + 1);
                    self.shape.get_or_insert(Shape::Envelope(key));
                    self.item_shape = Shape::Envelope(key);
                    self.mode = Mode::Items { expect_value: true };
                    None
                }
                Probe::Plain(end) => {
                    let single_line = memchr(b'\n', &self.buf[self.pos..end]).is_none();
                    let el = self.element(end, Shape::Concatenated);
                    if self.shape.is_none() {
                        let lines = single_line && self.newline_follows(end);
                        let shape = if lines {
                            Shape::JsonLines
                        } else {
                            Shape::Concatenated
                        };
                        self.shape = Some(shape);
                        if lines {
                            self.mode = Mode::Lines;
                        }
                    }
                    let shape = self.shape.unwrap_or(Shape::Concatenated);
                    self.advance(end);
                    Some(Step::Element(Element { shape, ..el }))
                }
            },
            _ if self.shape.is_none() && self.elements == 0 => {
                let location = self.location_at(self.pos);
                if let Some(next) = self.record_line_after(self.pos) {
                    self.advance(next);
                    return Some(Step::TextBeforeRecords {
                        location,
                        first_byte: c,
                    });
                }
                self.mode = Mode::Done;
                Some(Step::NotJson { first_byte: c })
            }
            _ => Some(self.broken(self.pos, "expected '{' at the start of a record")),
        }
    }

    /// One line of a JSON Lines file: a record, unless it is blank.
    fn line_step(&mut self) -> Option<Step> {
        if self.pos >= self.buf.len() && !self.fill() {
            self.mode = Mode::Done;
            return Some(Step::End);
        }
        let nl = memchr(b'\n', &self.buf[self.pos..]).map(|i| self.pos + i);
        let end = match nl {
            Some(i) => i,
            None if !self.eof => {
                self.grow();
                return None;
            }
            None => self.buf.len(),
        };
        let mut start = self.pos;
        let mut stop = end;
        while start < stop && matches!(self.buf[start], b' ' | b'\t' | b'\r') {
            start += 1;
        }
        while stop > start && matches!(self.buf[stop - 1], b' ' | b'\t' | b'\r') {
            stop -= 1;
        }
        let location = self.location_at(start);
        let next = if nl.is_some() { end + 1 } else { end };
        if start == stop {
            self.next_line(next, nl.is_some());
            return None;
        }
        if nl.is_none() && self.read_error.is_some() {
            self.next_line(next, false);
            return Some(Step::Broken {
                location,
                reason: "record cut off where the data ends (truncated file)".into(),
            });
        }
        if nl.is_some() && self.buf[start] == b'{' && self.buf[stop - 1] != b'}' {
            let (pos, from_pos) = (self.pos, start - self.pos);
            let across = self.record_across_lines(start);
            if across.is_none() && self.pos != pos {
                // Reading more dropped consumed bytes: find the line again.
                return None;
            }
            if let Some(end) = across {
                // Reading more may have moved the buffer's content.
                let start = self.pos + from_pos;
                let after = memchr(b'\n', &self.buf[end..]).map_or(self.buf.len(), |i| end + i + 1);
                self.elements += 1;
                self.advance(after);
                return Some(Step::Element(Element {
                    start,
                    end,
                    location,
                    shape: Shape::JsonLines,
                }));
            }
        }
        self.elements += 1;
        let el = Element {
            start,
            end: stop,
            location,
            shape: Shape::JsonLines,
        };
        self.next_line(next, nl.is_some());
        Some(Step::Element(el))
    }

    /// Inside a records array: the next record, or the separator or bracket after one.
    fn item_step(&mut self, expect_value: bool) -> Option<Step> {
        let Some(c) = self.skip_ws() else {
            self.mode = Mode::Done;
            return Some(self.truncated_at_end("records array is not closed"));
        };
        if c == b']' {
            self.advance(self.pos + 1);
            self.mode = match self.item_shape {
                Shape::Envelope(key) => Mode::EnvelopeTail { key },
                _ => Mode::Start,
            };
            return None;
        }
        if !expect_value {
            self.mode = Mode::Items { expect_value: true };
            if c == b',' {
                self.advance(self.pos + 1);
                return None;
            }
            if matches!(c, b'{' | b'[' | b'"') {
                return Some(Step::Warning {
                    location: self.location_at(self.pos),
                    reason: "missing ',' between records (read on as if it were there)".into(),
                });
            }
            return Some(self.broken(self.pos, "expected ',' or ']' after a record"));
        }
        match self.skip_value(self.pos) {
            Skip::Incomplete => {
                if !self.grow() {
                    return Some(self.unclosed());
                }
                None
            }
            Skip::Invalid(at, why) => {
                // Damage found lines after the record began (a missing bracket shows only where
                // the brackets stop matching) may have swallowed records on those lines: read on
                // from the line after the record's start.
                let start = self.pos;
                let spans_lines = self
                    .buf
                    .get(start..at)
                    .is_some_and(|seg| memchr(b'\n', seg).is_some());
                if !spans_lines {
                    return Some(self.broken(at, why));
                }
                let location = self.location_at(at);
                self.resync(start + 1);
                Some(Step::Broken {
                    location,
                    reason: format!("malformed JSON: {why}"),
                })
            }
            Skip::End(end) => {
                let el = self.element(end, self.item_shape);
                self.advance(end);
                self.mode = Mode::Items {
                    expect_value: false,
                };
                Some(Step::Element(el))
            }
        }
    }

    /// Inside the envelope object after its records array: its other members are stepped over.
    fn envelope_tail_step(&mut self, key: &'static str) -> Option<Step> {
        let Some(c) = self.skip_ws() else {
            self.mode = Mode::Done;
            return Some(self.truncated_at_end("envelope object is not closed"));
        };
        match c {
            b'}' => {
                self.advance(self.pos + 1);
                self.mode = Mode::Start;
                None
            }
            b',' => {
                self.advance(self.pos + 1);
                None
            }
            b'"' => match self.skip_member(self.pos) {
                Skip::End(end) => {
                    self.advance(end);
                    None
                }
                Skip::Incomplete => {
                    if !self.grow() {
                        self.mode = Mode::Done;
                        return Some(self.truncated_at_end("envelope object is not closed"));
                    }
                    None
                }
                Skip::Invalid(at, why) => {
                    self.mode = Mode::Done;
                    let location = self.location_at(at);
                    Some(Step::Warning {
                        location,
                        reason: format!("after the {key:?} records: {why}; rest of file ignored"),
                    })
                }
            },
            _ => {
                self.mode = Mode::Done;
                let location = self.location_at(self.pos);
                Some(Step::Warning {
                    location,
                    reason: format!(
                        "unexpected data after the {key:?} records; rest of file ignored"
                    ),
                })
            }
        }
    }

    fn element(&mut self, end: usize, shape: Shape) -> Element {
        self.elements += 1;
        Element {
            start: self.pos,
            end,
            location: self.location_at(self.pos),
            shape,
        }
    }

    /// Whether only blank space up to a newline follows `end`: the mark of JSON Lines. Reads more
    /// without draining, so the element before `end` stays where it is.
    fn newline_follows(&mut self, end: usize) -> bool {
        let mut i = end;
        loop {
            while i < self.buf.len() {
                match self.buf[i] {
                    b'\n' => return true,
                    b' ' | b'\t' | b'\r' => i += 1,
                    _ => return false,
                }
            }
            if !self.read_more(CHUNK) {
                // A single object ending the file reads the same either way.
                return true;
            }
        }
    }
}
