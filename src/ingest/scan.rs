//! Streaming structural scanner: finds where each record starts and ends in a decompressed byte
//! stream, whatever the delivery shape (JSON Lines, concatenated objects, a bare array, an envelope
//! object such as `{"Records":[…]}`), without parsing values and without holding more than the
//! record being scanned. Every problem comes with a line, column and byte offset.

use memchr::{memchr, memchr2, memchr_iter, memrchr};
use std::io::{ErrorKind, Read};

/// Object keys whose array value is a list of records rather than a record itself.
pub const ENVELOPE_KEYS: [&str; 4] = ["Records", "Events", "events", "logEvents"];

const CHUNK: usize = 256 * 1024;

/// How the records of a file are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    JsonLines,
    Concatenated,
    Array,
    /// `{"<key>": [ records ], …}`; the key is one of [`ENVELOPE_KEYS`].
    Envelope(&'static str),
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::JsonLines => "json-lines",
            Shape::Concatenated => "json-stream",
            Shape::Array => "json-array",
            Shape::Envelope("Records") => "records-envelope",
            Shape::Envelope("Events") => "lookup-events",
            Shape::Envelope("events") => "cloudwatch-export",
            Shape::Envelope("logEvents") => "cloudwatch-subscription",
            Shape::Envelope(_) => "envelope",
        }
    }
}

/// A position in the decompressed stream, 1-based line and column (bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: u64,
    pub column: u64,
    pub offset: u64,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {} (byte {})",
            self.line, self.column, self.offset
        )
    }
}

/// One complete JSON value that is a record candidate; `start..end` index the scanner's buffer
/// until the next call.
#[derive(Clone, Copy, Debug)]
pub struct Element {
    pub start: usize,
    pub end: usize,
    pub location: Location,
    pub shape: Shape,
}

#[derive(Debug)]
pub enum Step {
    Element(Element),
    /// Bytes that should have been a record but could not be delimited; counts as a rejected record.
    Broken {
        location: Location,
        reason: String,
    },
    /// A problem that loses no record (a missing comma between records, a read error at the end).
    Warning {
        location: Location,
        reason: String,
    },
    /// The stream does not start like JSON at all.
    NotJson {
        first_byte: u8,
    },
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Start,
    Lines,
    /// Inside a records array; `expect_value` right after `[` or a separator.
    Items {
        expect_value: bool,
    },
    /// Inside the envelope object after its records array: remaining keys are skipped.
    EnvelopeTail {
        key: &'static str,
    },
    Done,
}

enum Skip {
    End(usize),
    Incomplete,
    Invalid(usize, &'static str),
}

enum Probe {
    Plain(usize),
    Envelope(&'static str, usize),
    Incomplete,
    Invalid(usize, &'static str),
}

pub struct Scanner<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    /// Decompressed offset of `buf[0]`.
    base: u64,
    /// Line number at `pos` and absolute offset where that line starts.
    line: u64,
    line_start: u64,
    eof: bool,
    read_error: Option<std::io::Error>,
    min_read: usize,
    mode: Mode,
    shape: Option<Shape>,
    elements: u64,
    item_shape: Shape,
}

impl<R: Read> Scanner<R> {
    pub fn new(reader: R) -> Scanner<R> {
        Scanner::with_data(reader, Vec::with_capacity(CHUNK), false)
    }

    /// A scanner over all of a file's content already in memory: records are found in place,
    /// with no copying into chunks.
    pub fn whole(reader: R, data: Vec<u8>) -> Scanner<R> {
        Scanner::with_data(reader, data, true)
    }

    fn with_data(reader: R, buf: Vec<u8>, eof: bool) -> Scanner<R> {
        Scanner {
            reader,
            buf,
            pos: 0,
            base: 0,
            line: 1,
            line_start: 0,
            eof,
            read_error: None,
            min_read: CHUNK,
            mode: Mode::Start,
            shape: None,
            elements: 0,
            item_shape: Shape::Concatenated,
        }
    }

    /// The layout seen so far (known after the first element).
    pub fn shape(&self) -> Option<Shape> {
        self.shape
    }

    pub fn bytes(&self, el: &Element) -> &[u8] {
        &self.buf[el.start..el.end]
    }

    /// Decompressed bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The error that ended reading early, if any (truncated or corrupt gzip, I/O error).
    pub fn take_read_error(&mut self) -> Option<std::io::Error> {
        self.read_error.take()
    }

    pub fn into_inner(self) -> R {
        self.reader
    }

    /// The buffer, for reuse by the next file.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// Drops consumed bytes when that frees at least half the buffer, then reads more; returns
    /// false when nothing more will come.
    fn fill(&mut self) -> bool {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        self.read_more(self.min_read)
    }

    fn read_more(&mut self, want: usize) -> bool {
        if self.eof {
            return false;
        }
        let old = self.buf.len();
        self.buf.resize(old + want, 0);
        let mut filled = old;
        while filled < old + want {
            match self.reader.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.read_error = Some(e);
                    self.eof = true;
                    break;
                }
            }
        }
        self.buf.truncate(filled);
        filled > old
    }

    /// Asks for geometrically larger reads while one value spans many chunks, so a 20 MB line is
    /// rescanned a handful of times, not once per chunk.
    fn grow(&mut self) -> bool {
        self.min_read = (self.buf.len() - self.pos).max(CHUNK);
        self.fill()
    }

    fn advance(&mut self, to: usize) {
        let seg = &self.buf[self.pos..to];
        let mut last_nl = None;
        for i in memchr_iter(b'\n', seg) {
            self.line += 1;
            last_nl = Some(i);
        }
        if let Some(i) = last_nl {
            self.line_start = self.base + (self.pos + i + 1) as u64;
        }
        self.pos = to;
    }

    /// [`Scanner::advance`] past a line found with `memchr`: the line holds no newline but its
    /// terminator, so the count needs no second pass over it.
    fn next_line(&mut self, to: usize, newline: bool) {
        if newline {
            self.line += 1;
            self.line_start = self.base + to as u64;
        }
        self.pos = to;
    }

    fn location_at(&self, at: usize) -> Location {
        let at = at.min(self.buf.len());
        let (line, line_start) = if at >= self.pos {
            let seg = &self.buf[self.pos..at];
            let extra = memchr_iter(b'\n', seg).count() as u64;
            let start = match memrchr(b'\n', seg) {
                Some(i) => self.base + (self.pos + i + 1) as u64,
                None => self.line_start,
            };
            (self.line + extra, start)
        } else {
            (self.line, self.line_start)
        };
        let offset = self.base + at as u64;
        Location {
            line,
            column: offset.saturating_sub(line_start) + 1,
            offset,
        }
    }

    fn skip_ws(&mut self) -> Option<u8> {
        loop {
            while self.pos < self.buf.len() {
                let c = self.buf[self.pos];
                if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                    if c == b'\n' {
                        self.line += 1;
                        self.line_start = self.base + (self.pos + 1) as u64;
                    }
                    self.pos += 1;
                } else {
                    return Some(c);
                }
            }
            self.min_read = CHUNK;
            if !self.fill() {
                return None;
            }
        }
    }

    pub fn next_step(&mut self) -> Step {
        loop {
            match self.mode {
                Mode::Done => return Step::End,
                Mode::Start => {
                    let Some(c) = self.skip_ws() else {
                        self.mode = Mode::Done;
                        return Step::End;
                    };
                    if self.elements == 0
                        && self.base == 0
                        && self.pos == 0
                        && self.buf.starts_with(&[0xEF, 0xBB, 0xBF])
                    {
                        self.pos = 3;
                        continue;
                    }
                    match c {
                        b'[' if self.shape.is_none() => {
                            self.advance(self.pos + 1);
                            self.shape = Some(Shape::Array);
                            self.item_shape = Shape::Array;
                            self.mode = Mode::Items { expect_value: true };
                        }
                        b'{' => match self.probe_object(self.pos) {
                            Probe::Incomplete => {
                                if !self.grow() {
                                    return self.truncated();
                                }
                            }
                            Probe::Invalid(at, why) => return self.broken(at, why),
                            Probe::Envelope(key, array_at) => {
                                self.advance(array_at + 1);
                                self.shape.get_or_insert(Shape::Envelope(key));
                                self.item_shape = Shape::Envelope(key);
                                self.mode = Mode::Items { expect_value: true };
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
                                return Step::Element(Element { shape, ..el });
                            }
                        },
                        _ if self.shape.is_none() && self.elements == 0 => {
                            self.mode = Mode::Done;
                            return Step::NotJson { first_byte: c };
                        }
                        _ => return self.broken(self.pos, "expected '{' at the start of a record"),
                    }
                }
                Mode::Lines => {
                    if self.pos >= self.buf.len() && !self.fill() {
                        self.mode = Mode::Done;
                        return Step::End;
                    }
                    let nl = memchr(b'\n', &self.buf[self.pos..]).map(|i| self.pos + i);
                    let end = match nl {
                        Some(i) => i,
                        None if !self.eof => {
                            self.grow();
                            continue;
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
                        continue;
                    }
                    if nl.is_none() && self.read_error.is_some() {
                        self.next_line(next, false);
                        return Step::Broken {
                            location,
                            reason: "record cut off where the data ends (truncated file)".into(),
                        };
                    }
                    self.elements += 1;
                    let el = Element {
                        start,
                        end: stop,
                        location,
                        shape: Shape::JsonLines,
                    };
                    self.next_line(next, nl.is_some());
                    return Step::Element(el);
                }
                Mode::Items { expect_value } => {
                    let Some(c) = self.skip_ws() else {
                        self.mode = Mode::Done;
                        return self.truncated_at_end("records array is not closed");
                    };
                    if c == b']' {
                        self.advance(self.pos + 1);
                        self.mode = match self.item_shape {
                            Shape::Envelope(key) => Mode::EnvelopeTail { key },
                            _ => Mode::Start,
                        };
                        continue;
                    }
                    if !expect_value {
                        self.mode = Mode::Items { expect_value: true };
                        if c == b',' {
                            self.advance(self.pos + 1);
                            continue;
                        }
                        if matches!(c, b'{' | b'[' | b'"') {
                            return Step::Warning {
                                location: self.location_at(self.pos),
                                reason: "missing ',' between records (read on as if it were there)"
                                    .into(),
                            };
                        }
                        return self.broken(self.pos, "expected ',' or ']' after a record");
                    }
                    match self.skip_value(self.pos) {
                        Skip::Incomplete => {
                            if !self.grow() {
                                return self.truncated();
                            }
                        }
                        Skip::Invalid(at, why) => return self.broken(at, why),
                        Skip::End(end) => {
                            let el = self.element(end, self.item_shape);
                            self.advance(end);
                            self.mode = Mode::Items {
                                expect_value: false,
                            };
                            return Step::Element(el);
                        }
                    }
                }
                Mode::EnvelopeTail { key } => {
                    let Some(c) = self.skip_ws() else {
                        self.mode = Mode::Done;
                        return self.truncated_at_end("envelope object is not closed");
                    };
                    match c {
                        b'}' => {
                            self.advance(self.pos + 1);
                            self.mode = Mode::Start;
                        }
                        b',' => self.advance(self.pos + 1),
                        b'"' => match self.skip_member(self.pos) {
                            Skip::End(end) => self.advance(end),
                            Skip::Incomplete => {
                                if !self.grow() {
                                    self.mode = Mode::Done;
                                    return self.truncated_at_end("envelope object is not closed");
                                }
                            }
                            Skip::Invalid(at, why) => {
                                self.mode = Mode::Done;
                                let location = self.location_at(at);
                                return Step::Warning {
                                    location,
                                    reason: format!(
                                        "after the {key:?} records: {why}; rest of file ignored"
                                    ),
                                };
                            }
                        },
                        _ => {
                            self.mode = Mode::Done;
                            let location = self.location_at(self.pos);
                            return Step::Warning {
                                location,
                                reason: format!("unexpected data after the {key:?} records; rest of file ignored"),
                            };
                        }
                    }
                }
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

    fn broken(&mut self, at: usize, why: &str) -> Step {
        let location = self.location_at(at);
        let reason = format!("malformed JSON: {why}");
        self.resync(at.max(self.pos) + 1);
        Step::Broken { location, reason }
    }

    fn truncated(&mut self) -> Step {
        let location = self.location_at(self.pos);
        self.mode = Mode::Done;
        self.pos = self.buf.len();
        Step::Broken {
            location,
            reason: "record cut off where the data ends (truncated file)".into(),
        }
    }

    fn truncated_at_end(&mut self, what: &str) -> Step {
        let location = self.location_at(self.buf.len());
        Step::Warning {
            location,
            reason: format!("{what}: the data ends early (truncated file)"),
        }
    }

    /// Moves to the next line that starts (after indentation) with `{`, the most likely start of
    /// the next record, so one damaged record does not take the rest of the file with it.
    fn resync(&mut self, from: usize) {
        let mut i = from.min(self.buf.len());
        loop {
            match memchr(b'\n', &self.buf[i..]) {
                Some(nl) => {
                    let mut j = i + nl + 1;
                    while j < self.buf.len() && matches!(self.buf[j], b' ' | b'\t' | b'\r' | b',') {
                        j += 1;
                    }
                    if j < self.buf.len() {
                        if self.buf[j] == b'{' {
                            self.advance(j);
                            if let Mode::Items { .. } = self.mode {
                                self.mode = Mode::Items { expect_value: true };
                            } else if self.mode != Mode::Lines {
                                self.mode = Mode::Start;
                            }
                            return;
                        }
                        i = j;
                        continue;
                    }
                    i = j;
                }
                None => i = self.buf.len(),
            }
            let consumed = i;
            self.advance(consumed);
            self.min_read = CHUNK;
            if !self.fill() {
                self.pos = self.buf.len();
                self.mode = Mode::Done;
                return;
            }
            i = self.pos;
        }
    }

    /// Walks the members of an object at `at` (which holds `{`): an envelope when a member named
    /// in [`ENVELOPE_KEYS`] holds an array, else a plain object ending at the returned index.
    fn probe_object(&self, at: usize) -> Probe {
        let buf = &self.buf;
        let mut p = at + 1;
        loop {
            p = match skip_spaces(buf, p) {
                Some(p) => p,
                None => return Probe::Incomplete,
            };
            match buf[p] {
                b'}' => return Probe::Plain(p + 1),
                b'"' => {}
                _ => return Probe::Invalid(p, "expected a member name"),
            }
            let key_end = match skip_string(buf, p) {
                Skip::End(e) => e,
                Skip::Incomplete => return Probe::Incomplete,
                Skip::Invalid(i, w) => return Probe::Invalid(i, w),
            };
            let key = &buf[p + 1..key_end - 1];
            p = match skip_spaces(buf, key_end) {
                Some(p) => p,
                None => return Probe::Incomplete,
            };
            if buf[p] != b':' {
                return Probe::Invalid(p, "expected ':' after a member name");
            }
            p = match skip_spaces(buf, p + 1) {
                Some(p) => p,
                None => return Probe::Incomplete,
            };
            if buf[p] == b'[' {
                if let Some(k) = ENVELOPE_KEYS.iter().find(|k| k.as_bytes() == key) {
                    return Probe::Envelope(k, p);
                }
            }
            p = match skip_value_in(buf, p, self.eof) {
                Skip::End(e) => e,
                Skip::Incomplete => return Probe::Incomplete,
                Skip::Invalid(i, w) => return Probe::Invalid(i, w),
            };
            p = match skip_spaces(buf, p) {
                Some(p) => p,
                None => return Probe::Incomplete,
            };
            match buf[p] {
                b',' => p += 1,
                b'}' => return Probe::Plain(p + 1),
                _ => return Probe::Invalid(p, "expected ',' or '}' after a member"),
            }
        }
    }

    fn skip_value(&self, at: usize) -> Skip {
        skip_value_in(&self.buf, at, self.eof)
    }

    /// Skips `"name": value` in the envelope's remaining members.
    fn skip_member(&self, at: usize) -> Skip {
        let buf = &self.buf;
        let end = match skip_string(buf, at) {
            Skip::End(e) => e,
            other => return other,
        };
        let Some(p) = skip_spaces(buf, end) else {
            return Skip::Incomplete;
        };
        if buf[p] != b':' {
            return Skip::Invalid(p, "expected ':' after a member name");
        }
        let Some(p) = skip_spaces(buf, p + 1) else {
            return Skip::Incomplete;
        };
        skip_value_in(buf, p, self.eof)
    }
}

fn skip_spaces(buf: &[u8], mut p: usize) -> Option<usize> {
    while p < buf.len() {
        if !matches!(buf[p], b' ' | b'\t' | b'\r' | b'\n') {
            return Some(p);
        }
        p += 1;
    }
    None
}

/// `buf[at]` is `"`; returns the index after the closing quote.
fn skip_string(buf: &[u8], at: usize) -> Skip {
    let mut p = at + 1;
    loop {
        match memchr2(b'"', b'\\', &buf[p.min(buf.len())..]) {
            None => return Skip::Incomplete,
            Some(i) => {
                let q = p + i;
                if buf[q] == b'"' {
                    return Skip::End(q + 1);
                }
                if q + 1 >= buf.len() {
                    return Skip::Incomplete;
                }
                p = q + 2;
            }
        }
    }
}

/// Skips one JSON value starting at `at` with an explicit bracket stack (no recursion, so deeply
/// nested input cannot overflow the stack); values themselves are validated later by the parser.
fn skip_value_in(buf: &[u8], at: usize, eof: bool) -> Skip {
    match buf.get(at) {
        None => Skip::Incomplete,
        Some(b'"') => skip_string(buf, at),
        Some(b'{') | Some(b'[') => {
            let mut stack: Vec<u8> = Vec::with_capacity(16);
            let mut p = at;
            while p < buf.len() {
                match buf[p] {
                    b'{' => stack.push(b'}'),
                    b'[' => stack.push(b']'),
                    c @ (b'}' | b']') => {
                        if stack.pop() != Some(c) {
                            return Skip::Invalid(p, "brackets do not match");
                        }
                        if stack.is_empty() {
                            return Skip::End(p + 1);
                        }
                    }
                    b'"' => match skip_string(buf, p) {
                        Skip::End(e) => {
                            p = e;
                            continue;
                        }
                        other => return other,
                    },
                    _ => {}
                }
                p += 1;
            }
            Skip::Incomplete
        }
        Some(&c) if c == b'-' || c.is_ascii_digit() || matches!(c, b't' | b'f' | b'n') => {
            let mut p = at;
            while p < buf.len()
                && !matches!(buf[p], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
            {
                p += 1;
            }
            if p == buf.len() && !eof {
                Skip::Incomplete
            } else {
                Skip::End(p)
            }
        }
        Some(_) => Skip::Invalid(at, "expected a JSON value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> (Vec<String>, Vec<String>, Option<Shape>) {
        let mut s = Scanner::new(input);
        let mut els = Vec::new();
        let mut issues = Vec::new();
        loop {
            match s.next_step() {
                Step::Element(e) => els.push(String::from_utf8_lossy(s.bytes(&e)).into_owned()),
                Step::Broken { location, reason } => issues.push(format!(
                    "broken@{}:{} {reason}",
                    location.line, location.column
                )),
                Step::Warning { location, reason } => issues.push(format!(
                    "warn@{}:{} {reason}",
                    location.line, location.column
                )),
                Step::NotJson { first_byte } => issues.push(format!("notjson {first_byte:#x}")),
                Step::End => break,
            }
        }
        (els, issues, s.shape())
    }

    #[test]
    fn records_envelope() {
        let (els, issues, shape) = run(br#"{"Records":[{"a":1},{"b":[1,2,{"c":"x}"}]}]}"#);
        assert_eq!(els, vec![r#"{"a":1}"#, r#"{"b":[1,2,{"c":"x}"}]}"#]);
        assert!(issues.is_empty());
        assert_eq!(shape, Some(Shape::Envelope("Records")));
    }

    #[test]
    fn envelope_key_not_first() {
        let (els, _, shape) =
            run(br#"{"NextToken":"x","Events":[{"CloudTrailEvent":"{}"}],"more":{"a":[1]}}"#);
        assert_eq!(els, vec![r#"{"CloudTrailEvent":"{}"}"#]);
        assert_eq!(shape, Some(Shape::Envelope("Events")));
    }

    #[test]
    fn json_lines_with_bad_line() {
        let (els, issues, shape) = run(b"{\"a\":1}\n{\"b\": \"unterminated\n\n{\"c\":3}\r\n");
        assert_eq!(shape, Some(Shape::JsonLines));
        assert_eq!(
            els,
            vec!["{\"a\":1}", "{\"b\": \"unterminated", "{\"c\":3}"]
        );
        assert!(issues.is_empty());
    }

    #[test]
    fn concatenated_pretty_objects() {
        let (els, _, shape) = run(b"{\n \"a\": 1\n}\n{\n \"b\": 2\n}");
        assert_eq!(shape, Some(Shape::Concatenated));
        assert_eq!(els.len(), 2);
    }

    #[test]
    fn bare_array() {
        let (els, _, shape) = run(b"[ {\"a\":1} , {\"a\":2} ]");
        assert_eq!(shape, Some(Shape::Array));
        assert_eq!(els, vec!["{\"a\":1}", "{\"a\":2}"]);
    }

    #[test]
    fn missing_comma_is_a_warning_not_a_loss() {
        let (els, issues, _) = run(b"{\"Records\":[\n{\"a\":1}\n{\"a\":2}\n]}");
        assert_eq!(els.len(), 2);
        assert_eq!(
            issues,
            vec!["warn@3:1 missing ',' between records (read on as if it were there)"]
        );
    }

    #[test]
    fn truncated_envelope_reports_cut_record() {
        let (els, issues, _) = run(b"{\"Records\":[{\"a\":1},\n{\"a\":");
        assert_eq!(els, vec!["{\"a\":1}"]);
        assert_eq!(
            issues,
            vec!["broken@2:1 record cut off where the data ends (truncated file)"]
        );
    }

    #[test]
    fn not_json() {
        let (els, issues, _) = run(b"\x00\x00\x00");
        assert!(els.is_empty());
        assert_eq!(issues, vec!["notjson 0x0"]);
    }

    #[test]
    fn whitespace_only_is_empty() {
        let (els, issues, shape) = run(b"   \n\n  ");
        assert!(els.is_empty() && issues.is_empty() && shape.is_none());
    }

    #[test]
    fn deep_nesting_is_delimited_without_recursion() {
        let mut v = Vec::new();
        v.extend(std::iter::repeat_n(b'[', 10_000));
        v.extend(std::iter::repeat_n(b']', 10_000));
        let mut input = b"{\"x\":".to_vec();
        input.extend(&v);
        input.extend(b"}\n{\"y\":1}\n");
        let (els, issues, _) = run(&input);
        assert_eq!(els.len(), 2);
        assert!(issues.is_empty());
    }

    #[test]
    fn mismatched_brackets_resync_to_next_record() {
        let (els, issues, _) = run(b"[\n{\"a\":[1}\n,{\"b\":2}\n]");
        assert_eq!(els, vec!["{\"b\":2}"]);
        assert_eq!(
            issues,
            vec!["broken@2:8 malformed JSON: brackets do not match"]
        );
    }

    #[test]
    fn long_line_across_chunks() {
        let big = "x".repeat(3 * CHUNK + 17);
        let input = format!("{{\"a\":\"{big}\"}}\n{{\"b\":1}}\n");
        let (els, _, _) = run(input.as_bytes());
        assert_eq!(els.len(), 2);
        assert_eq!(els[0].len(), big.len() + 8);
    }
}
