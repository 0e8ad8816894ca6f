//! The request view and raw records: facts, prompt turns, completion, guardrail trace and the
//! CloudTrail record, wrapped, scrollable, with keyword matches marked and counted.

use super::Ctx;
use crate::app::doc::{find_ignoring_case, line_text, Tone};
use crate::app::views::{DocStatus, DocView};
use crate::ui::layout;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, d: &DocView) {
    let st = c.st;
    let (head, body) = layout::document(area);
    let l = match &d.status {
        DocStatus::Loading => {
            c.f.render_widget(
                Line::from(Span::styled("reading the raw records…", st.dim)),
                head,
            );
            return;
        }
        DocStatus::Failed(e) => {
            c.f.render_widget(
                Line::from(super::safe::spans(e, st.error, st.escaped)),
                head,
            );
            return;
        }
        DocStatus::Ready(l) => l,
    };
    // Header: keyword counts and the current match.
    let total = l.hit_lines.len();
    let mut spans = vec![Span::styled(
        format!("{total} keyword matches"),
        if total > 0 { st.warn } else { st.dim },
    )];
    if let Some(r) = &l.doc.request {
        for (g, n) in &r.keyword_counts {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(format!(" {g} {n} "), st.keyword(Some(g))));
        }
    }
    if let Some(h) = d.hit {
        spans.push(Span::styled(format!("  match {}/{}", h + 1, total), st.dim));
    }
    let search = d.search.as_ref().filter(|s| s.width == l.width);
    if let Some(s) = search {
        let at = s.current.map_or(String::new(), |c| format!("{}/", c + 1));
        let shown = super::sanitize::sanitize_plain(&s.text);
        spans.push(Span::styled(
            format!("  search \"{shown}\": {at}{} lines", s.lines.len()),
            if s.lines.is_empty() { st.dim } else { st.warn },
        ));
    }
    let pos = format!(
        "  line {}/{}",
        (d.scroll + 1).min(l.lines.len().max(1)),
        l.lines.len()
    );
    spans.push(Span::styled(pos, st.dim));
    c.f.render_widget(Line::from(spans), head);
    let current = d.hit.map(|h| h as u32);
    let names = c.state.highlighter.group_names();
    let needle = search.map(|s| s.text.as_str());
    let lines: Vec<Line<'static>> = l
        .lines
        .iter()
        .skip(d.scroll)
        .take(body.height as usize)
        .map(|line| {
            let found = needle.map_or(Vec::new(), |n| find_ignoring_case(&line_text(line), n));
            let mut offset = 0;
            Line::from(
                line.iter()
                    .flat_map(|p| {
                        let style = match p.tone {
                            Tone::Plain => st.base,
                            Tone::Escaped => st.escaped,
                            Tone::Heading => st.title,
                            Tone::Label => st.dim,
                            Tone::Keyword(_) if p.hit.is_some() && p.hit == current => {
                                st.keyword_current()
                            }
                            Tone::Keyword(g) => {
                                st.keyword(names.get(g as usize).map(String::as_str))
                            }
                        };
                        let start = offset;
                        offset += p.text.len();
                        with_found(&p.text, start, &found, style, st.fuzzy)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    c.f.render_widget(Paragraph::new(lines), body);
}

/// A piece of a line starting at byte `start` of it, split where the search's matches (`found`,
/// byte ranges in the line) begin and end, the matched parts patched with `mark`.
fn with_found(
    text: &str,
    start: usize,
    found: &[(usize, usize)],
    style: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    let end = start + text.len();
    let mut out = Vec::new();
    let mut at = start;
    for &(a, b) in found.iter().filter(|&&(a, b)| b > start && a < end) {
        let (a, b) = (a.max(start), b.min(end));
        if a > at {
            out.push(Span::styled(text[at - start..a - start].to_string(), style));
        }
        out.push(Span::styled(
            text[a - start..b - start].to_string(),
            style.patch(mark),
        ));
        at = b;
    }
    if at < end || out.is_empty() {
        out.push(Span::styled(text[at - start..].to_string(), style));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn search_matches_split_pieces_and_carry_the_mark() {
        let (base, mark) = (
            Style::default(),
            Style::default().add_modifier(Modifier::REVERSED),
        );
        let cut = |text, start, found: &[(usize, usize)]| -> Vec<(String, bool)> {
            with_found(text, start, found, base, mark)
                .into_iter()
                .map(|s| (s.content.to_string(), s.style == base.patch(mark)))
                .collect()
        };
        let own = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
            v.iter().map(|&(s, m)| (s.to_string(), m)).collect()
        };
        assert_eq!(
            cut("hello world", 0, &[(6, 11)]),
            own(&[("hello ", false), ("world", true)])
        );
        // A piece that starts inside the line and holds part of a match.
        assert_eq!(
            cut(" wor", 5, &[(6, 11)]),
            own(&[(" ", false), ("wor", true)])
        );
        assert_eq!(
            cut("ld!", 9, &[(6, 11)]),
            own(&[("ld", true), ("!", false)])
        );
        assert_eq!(cut("xyz", 20, &[(6, 11)]), own(&[("xyz", false)]));
        assert_eq!(
            cut("aXbX", 0, &[(1, 2), (3, 4)]),
            own(&[("a", false), ("X", true), ("b", false), ("X", true)])
        );
    }
}
