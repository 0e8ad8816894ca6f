//! Untrusted text → spans. ratatui silently drops control characters; here every control, bidi and
//! zero-width character is shown as a visible escape (`\x1b`, `\u{202e}`) in the escaped style,
//! so nothing from a log can move the cursor, recolour the screen or reorder text, and hidden
//! bytes stay visible as evidence.
//! Escapes follow [`super::sanitize`]; this module adds per-character marks (fuzzy-match
//! highlighting) on top.

use super::sanitize::escape_char;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// At most this many characters of one cell are turned into spans (no column is wider).
pub const CELL_CHARS: usize = 400;

/// Spans of `text` with escapes; `marked` are char indices (sorted) drawn in `mark`.
pub fn spans_marked(
    text: &str,
    base: Style,
    mark: Style,
    esc: Style,
    marked: &[usize],
    limit: usize,
) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_style = base;
    let mut m = 0usize;
    for (i, c) in text.chars().enumerate().take(limit) {
        while m < marked.len() && marked[m] < i {
            m += 1;
        }
        let is_marked = marked.get(m) == Some(&i);
        if let Some(escaped) = escape_char(c) {
            if !run.is_empty() {
                out.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            out.push(Span::styled(
                escaped,
                if is_marked { esc.patch(mark) } else { esc },
            ));
            continue;
        }
        let st = if is_marked { base.patch(mark) } else { base };
        if st != run_style && !run.is_empty() {
            out.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = st;
        run.push(c);
    }
    if !run.is_empty() {
        out.push(Span::styled(run, run_style));
    }
    out
}

pub fn spans(text: &str, base: Style, esc: Style) -> Vec<Span<'static>> {
    spans_marked(text, base, base, esc, &[], usize::MAX)
}

pub fn line(text: &str, base: Style, esc: Style) -> Line<'static> {
    Line::from(spans(text, base, esc))
}

/// Splits fuzzy-match indices of a row haystack (cells joined by two spaces) into per-cell
/// indices.
pub fn split_indices(cells: &[&str], indices: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); cells.len()];
    let mut start = 0usize;
    for (c, cell) in cells.iter().enumerate() {
        let len = cell.chars().count();
        out[c] = indices
            .iter()
            .filter(|&&i| i >= start && i < start + len)
            .map(|&i| i - start)
            .collect();
        start += len + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn hostile_text_is_escaped_visibly() {
        let esc = Style::new().fg(Color::Magenta);
        let s = spans("a\x1b[31mb\u{202e}c\0d\u{200b}", Style::new(), esc);
        assert_eq!(text(&s), "a\\x1b[31mb\\u{202e}c\\0d\\u{200b}");
        assert!(s.iter().filter(|x| x.style == esc).count() == 4);
        assert!(s.iter().all(|x| !x.content.chars().any(|c| c.is_control())));
    }

    #[test]
    fn marked_characters_are_styled() {
        let mark = Style::new().add_modifier(Modifier::BOLD);
        let s = spans_marked(
            "alice",
            Style::new(),
            mark,
            Style::new(),
            &[0, 2],
            usize::MAX,
        );
        let styled: Vec<(&str, bool)> = s
            .iter()
            .map(|x| (x.content.as_ref(), x.style == mark))
            .collect();
        assert_eq!(
            styled,
            vec![("a", true), ("l", false), ("i", true), ("ce", false)]
        );
        assert_eq!(
            split_indices(&["ab", "cd"], &[1, 4, 5]),
            vec![vec![1], vec![0, 1]]
        );
    }
}
