//! Streaming structural scanner: finds where each record starts and ends in a decompressed byte
//! stream, whatever the delivery shape (JSON Lines, concatenated objects, a bare array, an envelope
//! object such as `{"Records":[…]}`), without parsing values and without holding more than the
//! record being scanned. Every problem comes with a line, column and byte offset.

use memchr::{memchr, memchr_iter, memrchr};

mod buffer;
mod delimit;
mod in_place;
mod step;
#[cfg(test)]
mod tests;

use buffer::Buffer;
use delimit::{Probe, Skip};
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
    /// The stream starts with text that is not JSON, but a line further on starts a record (a
    /// header line, a note pasted above the records): reading goes on from there.
    TextBeforeRecords {
        location: Location,
        first_byte: u8,
    },
    End,
}

/// How far into a file that does not start like JSON a record line is looked for.
const TEXT_LOOKAHEAD: usize = 64 * 1024;

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

pub struct Scanner<R> {
    reader: R,
    buf: Buffer,
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
    /// JSON Lines records that neither closed on their line nor across the lines after it.
    lines_left_open: u32,
}

impl<R: Read> Scanner<R> {
    pub fn new(reader: R) -> Scanner<R> {
        Scanner::with_data(reader, Buffer::bytes(Vec::with_capacity(CHUNK)), false)
    }

    /// A scanner over all of a file's content already in memory: records are found in place,
    /// with no copying into chunks.
    pub fn whole(reader: R, data: Vec<u8>) -> Scanner<R> {
        Scanner::with_data(reader, Buffer::whole(data), true)
    }

    fn with_data(reader: R, buf: Buffer, eof: bool) -> Scanner<R> {
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
            lines_left_open: 0,
        }
    }

    /// The layout seen so far (known after the first element).
    pub fn shape(&self) -> Option<Shape> {
        self.shape
    }

    pub fn bytes(&self, el: &Element) -> &[u8] {
        &self.buf[el.start..el.end]
    }

    /// The element as text, when the content is held whole and known to be UTF-8.
    pub fn text(&self, el: &Element) -> Option<&str> {
        self.buf.text()?.get(el.start..el.end)
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
        self.buf.into_vec()
    }

    /// Drops consumed bytes when that frees at least half the buffer, then reads more; returns
    /// false when nothing more will come.
    fn fill(&mut self) -> bool {
        // Content held whole stays as it is: offsets into it are handed out for in-place reads.
        if self.eof {
            return false;
        }
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.bytes_mut().drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        self.read_more(self.min_read)
    }

    fn read_more(&mut self, want: usize) -> bool {
        if self.eof {
            return false;
        }
        let buf = self.buf.bytes_mut();
        let old = buf.len();
        buf.resize(old + want, 0);
        let mut filled = old;
        while filled < old + want {
            match self.reader.read(&mut buf[filled..]) {
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
        buf.truncate(filled);
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

    fn broken(&mut self, at: usize, why: &str) -> Step {
        let location = self.location_at(at);
        let reason = format!("malformed JSON: {why}");
        // Damage found at a line break leaves the next line, which may start a record, unread.
        let from = if self.buf.get(at) == Some(&b'\n') {
            at
        } else {
            at + 1
        };
        self.resync(from.max(self.pos + 1));
        Step::Broken { location, reason }
    }

    /// A record that does not close before the data ends: the file is cut off in it, or the record
    /// itself is unbalanced (an unterminated string, a missing bracket) and swallowed what follows.
    /// Reading resumes at the next line that starts a record, so in the second case the records
    /// after it still load.
    fn unclosed(&mut self) -> Step {
        let location = self.location_at(self.pos);
        self.resync(self.pos + 1);
        let reason = if self.mode == Mode::Done {
            "record cut off where the data ends (truncated file)"
        } else {
            "record never closes (an unterminated string or a missing bracket); \
             read on from the next line that starts a record"
        };
        Step::Broken {
            location,
            reason: reason.into(),
        }
    }

    fn truncated_at_end(&mut self, what: &str) -> Step {
        let location = self.location_at(self.buf.len());
        Step::Warning {
            location,
            reason: format!("{what}: the data ends early (truncated file)"),
        }
    }

    /// Where the first line after `from` that starts (after indentation) with `{` begins, looking
    /// no further than [`TEXT_LOOKAHEAD`] bytes into what is read: text files are no logs, and
    /// only a short preamble is stepped over.
    fn record_line_after(&self, from: usize) -> Option<usize> {
        let end = self.buf.len().min(from.saturating_add(TEXT_LOOKAHEAD));
        let window = self.buf.get(from..end)?;
        memchr_iter(b'\n', window).find_map(|nl| {
            let line = from + nl + 1;
            let start = line
                + self.buf[line..end]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))?;
            (self.buf[start] == b'{').then_some(start)
        })
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
}
