//! Finding where a JSON value ends without parsing it: strings by `memchr`, brackets with an
//! explicit stack. Values are validated later, by the parser that reads each record.

use memchr::{memchr, memchr3};
use std::io::Read;

use super::{Scanner, ENVELOPE_KEYS};

/// Longest record read across lines among JSON Lines.
pub(super) const MAX_RECORD_ACROSS_LINES: usize = 1 << 20;
/// Lines left open (a record line that does not close on its line, nor across the lines after
/// it) after which a file's open lines are no longer read across lines.
pub(super) const MAX_LINES_LEFT_OPEN: u32 = 32;

pub(super) enum Skip {
    End(usize),
    Incomplete,
    Invalid(usize, &'static str),
}

pub(super) enum Probe {
    Plain(usize),
    Envelope(&'static str, usize),
    Incomplete,
    Invalid(usize, &'static str),
}

impl<R: Read> Scanner<R> {
    /// Walks the members of an object at `at` (which holds `{`): an envelope when a member named
    /// in [`ENVELOPE_KEYS`] holds an array, else a plain object ending at the returned index.
    pub(super) fn probe_object(&self, at: usize) -> Probe {
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

    /// A record spread over several lines among one-line records (a pretty-printed record pasted
    /// into a JSON Lines file): where it ends, if it closes before the next line that starts a
    /// record (`{` indented no deeper than `start`'s line), within [`MAX_RECORD_ACROSS_LINES`]
    /// bytes, and only blank space follows it on its last line. `start` holds `{`, on a line that
    /// does not close it, indented by `start - self.pos` bytes. `None` leaves that line to be read
    /// as a record of its own, as any other line; after [`MAX_LINES_LEFT_OPEN`] such lines in a
    /// file none is looked at again, so damaged files cost no more than a few lookaheads.
    pub(super) fn record_across_lines(&mut self, start: usize) -> Option<usize> {
        if self.lines_left_open >= MAX_LINES_LEFT_OPEN {
            return None;
        }
        let found = self.find_record_across_lines(start);
        if found.is_none() {
            self.lines_left_open += 1;
        }
        found
    }

    fn find_record_across_lines(&mut self, start: usize) -> Option<usize> {
        let indent = start - self.pos;
        loop {
            let start = self.pos + indent;
            let buf = &self.buf[..];
            let limit = buf.len().min(start + MAX_RECORD_ACROSS_LINES);
            let first_newline = start + memchr(b'\n', &buf[start..limit])?;
            let next_record = next_record_line(&buf[..limit], first_newline + 1, indent);
            if next_record.is_none() && limit == buf.len() && !self.eof {
                if !self.grow() {
                    return None;
                }
                continue;
            }
            let window = next_record.unwrap_or(limit);
            let Skip::End(end) = skip_value_in(&buf[..window], start, true) else {
                return None;
            };
            let rest = &buf[end..window];
            let line_rest = &rest[..memchr(b'\n', rest).unwrap_or(rest.len())];
            let blank = line_rest.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
            return (end > first_newline && blank).then_some(end);
        }
    }

    pub(super) fn skip_value(&self, at: usize) -> Skip {
        skip_value_in(&self.buf, at, self.eof)
    }

    /// Skips `"name": value` in the envelope's remaining members.
    pub(super) fn skip_member(&self, at: usize) -> Skip {
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

/// The start of the first line from `line` on that starts with `{` indented by at most `indent`
/// bytes of blank space.
fn next_record_line(buf: &[u8], mut line: usize, indent: usize) -> Option<usize> {
    while line < buf.len() {
        let blank = buf[line..]
            .iter()
            .take(indent + 1)
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if blank <= indent && buf.get(line + blank) == Some(&b'{') {
            return Some(line);
        }
        line += memchr(b'\n', &buf[line..])? + 1;
    }
    None
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
/// Skips a string. A raw line break cannot be inside a JSON string, so one ends the record there:
/// an unterminated string then costs its own record, not every record on the lines after it.
fn skip_string(buf: &[u8], at: usize) -> Skip {
    let mut p = at + 1;
    loop {
        match memchr3(b'"', b'\\', b'\n', &buf[p.min(buf.len())..]) {
            None => return Skip::Incomplete,
            Some(i) => {
                let q = p + i;
                if buf[q] == b'"' {
                    return Skip::End(q + 1);
                }
                if buf[q] == b'\n' {
                    return Skip::Invalid(q, "line break inside a string (unterminated string?)");
                }
                if q + 1 >= buf.len() {
                    return Skip::Incomplete;
                }
                p = q + 2;
            }
        }
    }
}

/// The closing bracket each open one expects: one bit per level while shallow, so ordinary records
/// need no allocation, and a list below that.
#[derive(Default)]
struct Closers {
    depth: usize,
    shallow: u64,
    deep: Vec<u8>,
}

impl Closers {
    const SHALLOW: usize = u64::BITS as usize;

    fn push(&mut self, closer: u8) {
        if self.depth < Self::SHALLOW {
            let bit = 1u64 << self.depth;
            if closer == b'}' {
                self.shallow |= bit;
            } else {
                self.shallow &= !bit;
            }
        } else {
            self.deep.push(closer);
        }
        self.depth += 1;
    }

    fn pop(&mut self) -> Option<u8> {
        self.depth = self.depth.checked_sub(1)?;
        if self.depth < Self::SHALLOW {
            Some(if self.shallow >> self.depth & 1 == 1 {
                b'}'
            } else {
                b']'
            })
        } else {
            self.deep.pop()
        }
    }

    fn is_empty(&self) -> bool {
        self.depth == 0
    }
}

/// Skips one JSON value starting at `at` with an explicit bracket stack (no recursion, so deeply
/// nested input cannot overflow the stack); values themselves are validated later by the parser.
fn skip_value_in(buf: &[u8], at: usize, eof: bool) -> Skip {
    match buf.get(at) {
        None => Skip::Incomplete,
        Some(b'"') => skip_string(buf, at),
        Some(b'{') | Some(b'[') => {
            let mut stack = Closers::default();
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
