//! Alert detail: what fired and why, every contributing event (scrollable), and the rule's
//! investigation guide and false positives.

use super::table::{self, col, time_col, Col, RowData, TableSpec};
use super::Ctx;
use crate::analysis::alerts::AlertRecord;
use crate::analysis::evidence::short_location;
use crate::analysis::timeline::EventRef;
use crate::app::views::{AlertDetail, Pane};
use crate::model::time::format_timestamp;
use crate::ui::count::count_of;
use crate::ui::layout;
use crate::ui::safe;
use crate::ui::style::Styles;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const COLS: [Col; 6] = [
    time_col("time", 0),
    col("action", Constraint::Length(24), 0).narrow(Constraint::Length(20)),
    col("who", Constraint::Fill(1), 0).narrow(Constraint::Length(16)),
    col("ip / host", Constraint::Length(15), 100),
    col("outcome", Constraint::Length(12), 90),
    col("source", Constraint::Fill(2), 0).keep_end(),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, d: &AlertDetail) {
    let st = c.st;
    let state = c.state;
    let store = &*state.data.store;
    let Some(a) = state.data.alerts.get(d.alert) else {
        return;
    };
    let head_text = header(a, st);
    let (head, events, guide_area) = layout::alert_detail(area, rows_of(&head_text, area.width));
    c.f.render_widget(head_text, head);
    // Contributing events: only the visible window is built.
    let n = layout::table_rows(events);
    let rows: Vec<RowData> = d
        .events
        .iter()
        .enumerate()
        .skip(d.offset)
        .take(n)
        .map(|(k, ev)| {
            let mut r = match ev.and_then(|i| store.event(i)) {
                Some(e) => {
                    let x = EventRef { event: e, store };
                    let cells = x.cells();
                    RowData::new(vec![
                        cells[0].to_string(),
                        cells[2].to_string(),
                        cells[3].to_string(),
                        cells[4].to_string(),
                        cells[5].to_string(),
                        short_location(store, &e.source),
                    ])
                }
                None => {
                    let loc = a
                        .evidence
                        .get(k)
                        .map(|s| short_location(store, s))
                        .unwrap_or_default();
                    RowData::new(vec![
                        String::new(),
                        "(not loaded)".into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        loc,
                    ])
                }
            };
            r.selected = k == d.selected && d.focus == Pane::Events;
            r
        })
        .collect();
    let spec = TableSpec {
        cols: &COLS,
        sort: None,
        fuzzy: "",
        empty: "no contributing records",
    };
    table::draw(c.f, events, &spec, rows, st);
    // Guide and false positives.
    let focus = if d.focus == Pane::Guide {
        st.title
    } else {
        st.border
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(focus)
        .title(Span::styled(
            " investigation guide · false positives (tab: focus) ",
            st.header,
        ));
    let mut text: Vec<Line<'static>> = Vec::new();
    let guide = if a.rule.guide.is_empty() {
        &a.rule.description
    } else {
        &a.rule.guide
    };
    if guide.is_empty() {
        text.push(Line::from(Span::styled(
            "(the rule has no investigation guide)",
            st.dim,
        )));
    }
    for l in guide.lines() {
        text.push(safe::line(l, st.base, st.escaped));
    }
    if !a.rule.false_positives.is_empty() {
        text.push(Line::from(Span::styled("False positives", st.title)));
        for fp in &a.rule.false_positives {
            let mut s = vec![Span::raw("• ")];
            s.extend(safe::spans(fp, st.base, st.escaped));
            text.push(Line::from(s));
        }
    }
    let p = Paragraph::new(text)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((d.guide_scroll.min(u16::MAX as usize) as u16, 0));
    c.f.render_widget(p, guide_area);
}

/// The alert's header, wrapped: title, risk and rule, time span and counts, entities, details.
fn header(a: &AlertRecord, st: &Styles) -> Paragraph<'static> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut title = vec![Span::styled(
        format!("[{}] ", a.severity.name().to_uppercase()),
        st.severity(a.severity),
    )];
    title.extend(safe::spans(&a.title, st.title, st.escaped));
    lines.push(Line::from(title));
    let mitre = if a.rule.mitre.is_empty() {
        "—".to_string()
    } else {
        a.rule.mitre.join(", ")
    };
    let mut l2 = vec![Span::styled("risk ", st.dim), Span::raw(a.risk.to_string())];
    l2.push(Span::styled("  rule ", st.dim));
    l2.extend(safe::spans(&a.rule.id, st.base, st.escaped));
    l2.push(Span::styled("  MITRE ", st.dim));
    l2.extend(safe::spans(&mitre, st.base, st.escaped));
    lines.push(Line::from(l2));
    // When and how much before the entities, which can run long and are cut first.
    lines.push(Line::from(vec![
        Span::styled(
            format!(
                "{} – {}",
                format_timestamp(a.first),
                format_timestamp(a.last)
            ),
            st.base,
        ),
        Span::styled(
            format!(
                "  {} · {}",
                count_of(a.count, "event", "events"),
                count_of(
                    a.evidence.len() as u64,
                    "contributing record",
                    "contributing records"
                )
            ),
            st.dim,
        ),
    ]));
    let mut l3 = Vec::new();
    // `AlertRecord::from_alert` lays the values out entity by entity, so each run of one name is
    // that entity's values.
    for values in a.entity.chunk_by(|x, y| x.0 == y.0) {
        let k = values.first().map_or("", |(k, _)| k.as_str());
        for (_, v) in values.iter().take(HEADER_VALUES_PER_ENTITY) {
            l3.extend(safe::spans(&format!("{k}="), st.dim, st.escaped));
            l3.extend(safe::spans(v, st.base, st.escaped));
            l3.push(Span::raw("  "));
        }
        if values.len() > HEADER_VALUES_PER_ENTITY {
            let more = values.len() - HEADER_VALUES_PER_ENTITY;
            l3.extend(safe::spans(
                &format!("{k}: +{more} more in the events below"),
                st.dim,
                st.escaped,
            ));
            l3.push(Span::raw("  "));
        }
    }
    lines.push(Line::from(l3));
    let mut l4 = Vec::new();
    for (k, v) in &a.details {
        l4.extend(safe::spans(&format!("{k}: "), st.dim, st.escaped));
        l4.extend(safe::spans(v, st.base, st.escaped));
        l4.push(Span::raw("  "));
    }
    lines.push(Line::from(l4));
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Values of one entity the header lists before it only counts the rest: a spike over a hundred
/// requests would otherwise fill the header with request ids and push the details out of it.
const HEADER_VALUES_PER_ENTITY: usize = 4;

/// Rows the header takes at `width`: the whole title and every listed entity value are shown,
/// however narrow the screen.
fn rows_of(header: &Paragraph<'_>, width: u16) -> u16 {
    u16::try_from(header.line_count(width.max(1))).unwrap_or(u16::MAX)
}

/// The header, events and guide regions of an alert's detail in `body`.
pub fn regions(alert: Option<&AlertRecord>, body: Rect) -> (Rect, Rect, Rect) {
    let height = alert.map_or(5, |a| {
        rows_of(&header(a, &Styles::monochrome()), body.width)
    });
    layout::alert_detail(body, height)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::alerts::{RuleMeta, Severity};
    use std::sync::Arc;

    fn header_text(a: &AlertRecord) -> String {
        let para = header(a, &Styles::monochrome());
        // A wide, tall buffer, so the text is read without wrapping.
        let area = Rect::new(0, 0, 400, 20);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(para, area, &mut buf);
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn header_lists_a_few_values_of_each_entity_and_counts_the_rest() {
        let mut entity = vec![("account".to_string(), "111122223333".to_string())];
        entity.extend((0..10).map(|i| ("request_id".to_string(), format!("req-{i:02}"))));
        let a = AlertRecord {
            rule: Arc::new(RuleMeta::default()),
            title: "spike".into(),
            severity: Severity::Medium,
            risk: 47,
            first: 0,
            last: 0,
            count: 10,
            entity,
            details: vec![("baseline".into(), "mean 4427.38".into())],
            evidence: Vec::new(),
            keys: Vec::new(),
            principal: String::new(),
            account: String::new(),
        };
        let text = header_text(&a);
        assert!(text.contains("account=111122223333"), "{text}");
        for i in 0..HEADER_VALUES_PER_ENTITY {
            assert!(text.contains(&format!("request_id=req-{i:02}")), "{text}");
        }
        assert!(!text.contains("req-04"), "{text}");
        assert!(
            text.contains("request_id: +6 more in the events below"),
            "{text}"
        );
        // The details, which come after the entities, still fit in the header.
        assert!(text.contains("baseline: mean 4427.38"), "{text}");
    }
}
