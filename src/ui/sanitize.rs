//! Attacker-controlled text (prompts, user agents, request parameters, file names) never reaches
//! the terminal raw.
//!
//! Control characters could move the cursor, recolour or retitle the terminal, and invisible or
//! bidi characters can make text read differently from what it is. ratatui silently drops
//! control characters, which would hide evidence, so every such character is shown as a visible
//! escape in the `escaped_char` style instead:
//!
//! | character                                          | shown as                  |
//! |----------------------------------------------------|---------------------------|
//! | NUL, tab, newline, carriage return                 | `\0` `\t` `\n` `\r`       |
//! | ESC, other C0 controls, DEL                        | `\x1b`, `\x07`, `\x7f`    |
//! | C1 controls (U+0080–U+009F)                        | `\u{9b}`                  |
//! | bidi overrides/isolates/marks, zero-width, BOM     | `\u{202e}`, `\u{200b}`    |
//! | other invisible or format characters (tags, …)     | `\u{e0041}`               |
//!
//! Tab is escaped rather than expanded so column positions and hidden tabs stay evident. Newlines
//! are escaped in one-line contexts; [`sanitize_lines`] and [`wrap_sanitized`] split on them
//! instead (a carriage return is always shown). The emoji presentation selectors U+FE0E/U+FE0F
//! stay, as ordinary emoji use them; every other variation selector is escaped because runs of
//! them can smuggle data. A literal backslash is left alone: the style, not the text, tells an
//! escape from look-alike input.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

const ELLIPSIS: char = '…';

/// True for characters that must not reach the terminal as they are.
pub fn needs_escape(c: char) -> bool {
    let code = u32::from(c);
    c.is_control()
        || matches!(
            code,
            0x00AD
                | 0x034F
                | 0x0600..=0x0605
                | 0x061C
                | 0x06DD
                | 0x070F
                | 0x0890..=0x0891
                | 0x08E2
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0x3164
                | 0xFDD0..=0xFDEF
                | 0xFE00..=0xFE0D
                | 0xFEFF
                | 0xFFA0
                | 0xFFF0..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE007F
                | 0xE0100..=0xE01EF
        )
        || code & 0xFFFE == 0xFFFE
}

/// The visible escape for `c`, or `None` when `c` is displayed as it is.
pub fn escape_char(c: char) -> Option<String> {
    if !needs_escape(c) {
        return None;
    }
    Some(match c {
        '\0' => "\\0".to_string(),
        '\t' => "\\t".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        c if u32::from(c) < 0x20 || c == '\u{7f}' => format!("\\x{:02x}", u32::from(c)),
        c => format!("\\u{{{:x}}}", u32::from(c)),
    })
}

/// One line of text with every unsafe character escaped, for tables and the status bar.
pub fn sanitize_plain(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match escape_char(c) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of spans: clean runs borrow from `text` in `base`, escapes are owned in `escaped`.
/// Newlines are escaped too; use [`sanitize_lines`] to split on them.
pub fn sanitize_spans<'a>(text: &'a str, base: Style, escaped: Style) -> Vec<Span<'a>> {
    let mut builder = LineBuilder::new(text, base, escaped);
    for (i, c) in text.char_indices() {
        builder.push(i, c);
    }
    builder.finish_at(text.len())
}

pub fn sanitize_line<'a>(text: &'a str, base: Style, escaped: Style) -> Line<'a> {
    Line::from(sanitize_spans(text, base, escaped))
}

/// One [`Line`] per `\n`-separated line; a trailing newline yields a final empty line, because
/// the byte is there in the evidence.
pub fn sanitize_lines<'a>(text: &'a str, base: Style, escaped: Style) -> Vec<Line<'a>> {
    text.split('\n')
        .map(|line| sanitize_line(line, base, escaped))
        .collect()
}

/// Like [`sanitize_lines`], then hard-wrapped at `width` columns so a detail view can page
/// through visual lines without rendering the whole text. Breaks fall between characters, never
/// inside an escape or a wide character; an escape wider than `width` overflows its line.
/// `width == 0` disables wrapping.
pub fn wrap_sanitized<'a>(
    text: &'a str,
    width: usize,
    base: Style,
    escaped: Style,
) -> Vec<Line<'a>> {
    if width == 0 {
        return sanitize_lines(text, base, escaped);
    }
    let mut lines = Vec::new();
    for logical in text.split('\n') {
        let mut builder = LineBuilder::new(logical, base, escaped);
        let mut used = 0;
        for (i, c) in logical.char_indices() {
            let needed = display_char_width(c);
            if used > 0 && used + needed > width {
                lines.push(Line::from(builder.finish_at(i)));
                used = 0;
            }
            builder.push(i, c);
            used += needed;
        }
        lines.push(Line::from(builder.finish_at(logical.len())));
    }
    lines
}

/// Columns `text` takes once sanitized (escapes included).
pub fn display_width(text: &str) -> usize {
    text.chars().map(display_char_width).sum()
}

/// Cuts already-sanitized `text` to at most `max_width` columns, ending in `…` when anything was
/// cut. A wide character that does not fit is dropped whole, so the result may be a column short.
pub fn truncate_to_width(text: &str, max_width: usize) -> Cow<'_, str> {
    if text_width(text) <= max_width {
        return Cow::Borrowed(text);
    }
    if max_width == 0 {
        return Cow::Borrowed("");
    }
    Cow::Owned(format!("{}{ELLIPSIS}", prefix_within(text, max_width - 1)))
}

/// [`truncate_to_width`] for styled spans: the ellipsis takes the style of the span it cuts.
pub fn truncate_spans(spans: Vec<Span<'_>>, max_width: usize) -> Vec<Span<'_>> {
    let total: usize = spans.iter().map(|s| text_width(&s.content)).sum();
    if total <= max_width {
        return spans;
    }
    let mut out = Vec::new();
    let mut room = max_width;
    for span in spans {
        let width = text_width(&span.content);
        if width < room {
            room -= width;
            out.push(span);
            continue;
        }
        // This span is cut: what fits in `room` minus one column, then the ellipsis.
        if room > 0 {
            let kept = prefix_within(&span.content, room - 1);
            out.push(Span::styled(format!("{kept}{ELLIPSIS}"), span.style));
        }
        break;
    }
    out
}

/// The longest prefix of `text` that fits in `max_width` columns.
fn prefix_within(text: &str, max_width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max_width {
            return &text[..i];
        }
        used += w;
    }
    text
}

fn text_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn display_char_width(c: char) -> usize {
    match escape_char(c) {
        Some(escaped) => escaped.len(),
        None => c.width().unwrap_or(0),
    }
}

/// Builds the spans of one display line: clean runs stay borrowed, consecutive escapes share one
/// owned span.
struct LineBuilder<'a> {
    text: &'a str,
    base: Style,
    escaped: Style,
    spans: Vec<Span<'a>>,
    run_start: usize,
    pending: String,
}

impl<'a> LineBuilder<'a> {
    fn new(text: &'a str, base: Style, escaped: Style) -> Self {
        Self {
            text,
            base,
            escaped,
            spans: Vec::new(),
            run_start: 0,
            pending: String::new(),
        }
    }

    fn push(&mut self, index: usize, c: char) {
        match escape_char(c) {
            Some(escaped) => {
                self.flush_run(index);
                self.pending.push_str(&escaped);
                self.run_start = index + c.len_utf8();
            }
            None => self.flush_pending(),
        }
    }

    /// Ends the current display line just before byte `index` and starts the next one there.
    fn finish_at(&mut self, index: usize) -> Vec<Span<'a>> {
        self.flush_run(index);
        self.flush_pending();
        self.run_start = index;
        std::mem::take(&mut self.spans)
    }

    fn flush_run(&mut self, end: usize) {
        if self.run_start < end {
            let run = &self.text[self.run_start..end];
            self.spans.push(Span::styled(run, self.base));
        }
        self.run_start = end;
    }

    fn flush_pending(&mut self) {
        if !self.pending.is_empty() {
            let escapes = std::mem::take(&mut self.pending);
            self.spans.push(Span::styled(escapes, self.escaped));
        }
    }
}

#[cfg(test)]
#[path = "sanitize_tests.rs"]
mod tests;
