//! Records read where they lie. When all of a file's content is in memory, a caller that can tell
//! where a record ends by parsing it needs no separate pass to delimit it first: it asks where the
//! next record starts, reads it there, and moves the scanner past it.

use std::io::Read;

use super::{Location, Mode, Scanner};

impl<R: Read> Scanner<R> {
    /// Where the next record of a records array starts, when the content is held whole and that
    /// record is an object. `None` leaves the next step, whatever it is, to [`Scanner::next_step`],
    /// in the same state it would otherwise have found.
    pub fn item_start(&mut self) -> Option<(usize, Location)> {
        if !self.eof {
            return None;
        }
        loop {
            match self.mode {
                Mode::Items {
                    expect_value: false,
                } => {
                    if self.skip_ws()? != b',' {
                        return None;
                    }
                    self.advance(self.pos + 1);
                    self.mode = Mode::Items { expect_value: true };
                }
                Mode::Items { expect_value: true } => {
                    return (self.skip_ws()? == b'{')
                        .then(|| (self.pos, self.location_at(self.pos)));
                }
                _ => return None,
            }
        }
    }

    /// The content held, for reading a record at an [`Scanner::item_start`].
    pub fn content(&self) -> &[u8] {
        &self.buf
    }

    /// [`Scanner::content`] from `start` on, as text, when it is known to be UTF-8.
    pub fn content_text(&self, start: usize) -> Option<&str> {
        self.buf.text()?.get(start..)
    }

    /// Moves past a record read in place that ends at `end`.
    pub fn skip_item(&mut self, end: usize) {
        self.elements += 1;
        self.advance(end.min(self.buf.len()));
        self.mode = Mode::Items {
            expect_value: false,
        };
    }
}
