//! View 1: alerts, flat or grouped by rule, streaming in while detection runs.

use super::table::{self, col, time_col, Col, RowData, TableSpec};
use super::{empty_text, sort_marker, Ctx};
use crate::app::nav;
use crate::app::views::{Frame, ViewId, GROUP_BIT};
use crate::ui::layout;
use crate::ui::safe;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

const COLS: [Col; 7] = [
    col("sev", Constraint::Length(8), 0),
    col("title", Constraint::Fill(1), 0),
    // On the narrowest screens the title, which tells alerts apart, keeps the room.
    col("principal", Constraint::Length(20), 60).narrow(Constraint::Length(14)),
    col("account", Constraint::Length(12), 90),
    col("count", Constraint::Length(6), 0),
    time_col("first seen", 120),
    time_col("last seen", 50),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let state = c.state;
    let st = c.st;
    let footer = nav::alerts_footer(state);
    let (table_area, foot) = layout::list_table(ViewId::Alerts, area, footer);
    let list = fr.list(ViewId::Alerts);
    let n = layout::table_rows(table_area);
    let mut rows = Vec::new();
    for (k, item) in list.rows.window(list.offset, n).into_iter().enumerate() {
        let selected = list.offset + k == list.selected;
        if item & GROUP_BIT != 0 {
            let Some(g) = list.groups.get((item & !GROUP_BIT) as usize) else {
                continue;
            };
            let arrow = if g.collapsed { "▸" } else { "▾" };
            let mut r = RowData::new(vec![
                g.severity.name().to_string(),
                format!("{arrow} {} ({})", g.title, g.rule_id),
                String::new(),
                String::new(),
                g.alerts.to_string(),
                String::new(),
                String::new(),
            ])
            .style_cell(0, st.severity(g.severity));
            r.row_style = Some(st.title);
            r.selected = selected;
            rows.push(r);
            continue;
        }
        let Some(a) = state.data.alerts.get(item as usize) else {
            continue;
        };
        let mut cells = a.cells().to_vec();
        if fr.grouped {
            cells[1] = format!("  {}", cells[1]);
        }
        let mut r = RowData::new(cells).style_cell(0, st.severity(a.severity));
        r.selected = selected;
        r.marked = list.marks.contains(&item);
        rows.push(r);
    }
    let empty = empty_text(
        state,
        list,
        "no alerts",
        "alerts appear here as rules finish",
    );
    let spec = TableSpec {
        cols: &COLS,
        sort: sort_marker(ViewId::Alerts, list),
        fuzzy: &list.query.fuzzy,
        empty: &empty,
    };
    table::draw(c.f, table_area, &spec, rows, st);
    if foot.height > 0 {
        let s = &state.status;
        let text = match &s.detect_note {
            Some(note) => note.clone(),
            None => {
                let items: Vec<String> = s
                    .not_evaluated
                    .iter()
                    .map(|(id, why)| format!("{id} ({why})"))
                    .collect();
                format!("not evaluated: {}", items.join("; "))
            }
        };
        let mut spans = vec![Span::styled("! ", st.warn)];
        spans.extend(safe::spans(&text, st.warn, st.escaped));
        c.f.render_widget(Line::from(spans), foot);
    }
}
