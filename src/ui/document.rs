//! The request view and raw records: facts, prompt turns, completion, guardrail trace and the
//! CloudTrail record, wrapped, scrollable, with keyword matches marked and counted.

use super::Ctx;
use crate::app::doc::Tone;
use crate::app::views::{DocStatus, DocView};
use crate::ui::layout;
use ratatui::layout::Rect;
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
    let pos = format!(
        "  line {}/{}",
        (d.scroll + 1).min(l.lines.len().max(1)),
        l.lines.len()
    );
    spans.push(Span::styled(pos, st.dim));
    c.f.render_widget(Line::from(spans), head);
    let current = d.hit.map(|h| h as u32);
    let names = c.state.highlighter.group_names();
    let lines: Vec<Line<'static>> = l
        .lines
        .iter()
        .skip(d.scroll)
        .take(body.height as usize)
        .map(|line| {
            Line::from(
                line.iter()
                    .map(|p| {
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
                        Span::styled(p.text.clone(), style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    c.f.render_widget(Paragraph::new(lines), body);
}
