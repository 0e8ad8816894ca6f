//! View 6: the load report — per file: format, records loaded and rejected, and why.

use super::table::{self, col, Col, RowData, TableSpec};
use super::{empty_text, sort_marker, Ctx};
use crate::app::views::{Frame, ViewId};
use crate::ui::layout;
use crate::ui::safe;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

const COLS: [Col; 6] = [
    col("file", Constraint::Fill(2), 0).keep_end(),
    col("format", Constraint::Length(36), 0).narrow(Constraint::Length(22)),
    col("seen", Constraint::Length(8), 100),
    col("loaded", Constraint::Length(8), 0),
    col("rejected", Constraint::Length(8), 0),
    col("note", Constraint::Fill(1), 130),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let state = c.state;
    let st = c.st;
    let files = &state.data.report.files;
    let list = fr.list(ViewId::Report);
    let (table_area, detail) = layout::list_table(ViewId::Report, area, 0);
    let rows = table::rows_in_view(list, table_area, |item| {
        let f = files.get(item as usize)?;
        let format = match (&f.format, f.gzip) {
            (Some(x), true) => format!("{x} (gzip)"),
            (Some(x), false) => x.clone(),
            (None, _) => "unknown".to_string(),
        };
        let note = f.note();
        let mut d = RowData::new(vec![
            f.path.clone(),
            format,
            f.records_seen.to_string(),
            f.records_loaded.to_string(),
            f.records_rejected.to_string(),
            note,
        ]);
        if f.records_rejected > 0 {
            d = d.style_cell(4, st.error).style_cell(5, st.error);
        } else if !f.warnings.is_empty() {
            d = d.style_cell(5, st.warn);
        }
        if f.skipped.is_some() {
            d.row_style = Some(st.dim);
        }
        Some(d)
    });
    let empty = empty_text(
        state,
        list,
        "no files",
        "the load report appears when loading finishes",
    );
    let spec = TableSpec {
        cols: &COLS,
        sort: sort_marker(ViewId::Report, list),
        fuzzy: &list.query.fuzzy,
        empty: &empty,
    };
    table::draw(c.f, table_area, &spec, rows, st);
    if detail.height == 0 {
        return;
    }
    let t = &state.data.report.totals;
    let title = format!(
        " {} files ({} loaded, {} skipped) · records seen {} = loaded {} + rejected {} ",
        t.files,
        t.files_loaded,
        t.files_skipped,
        t.records_seen,
        t.records_loaded,
        t.records_rejected
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(st.border)
        .title(Span::styled(title, st.header));
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(f) = list.selected_item().and_then(|i| files.get(i as usize)) {
        if let Some(s) = &f.skipped {
            lines.push(Line::from(safe::spans(
                &format!("skipped: {s}"),
                st.warn,
                st.escaped,
            )));
        }
        let max = detail.height.saturating_sub(1) as usize;
        for r in f.rejections.iter().take(max) {
            let mut spans = vec![Span::styled(format!("{}: ", r.location), st.dim)];
            spans.extend(safe::spans(&r.reason, st.error, st.escaped));
            lines.push(Line::from(spans));
        }
        for w in f.warnings.iter().take(max.saturating_sub(lines.len())) {
            let mut spans = vec![Span::styled(format!("{}: ", w.location), st.dim)];
            spans.extend(safe::spans(&w.reason, st.warn, st.escaped));
            lines.push(Line::from(spans));
        }
        let more = f.rejections.len() as u64 + f.rejections_not_listed;
        if more as usize > max {
            lines.push(Line::from(Span::styled(
                format!("… {more} rejections in all (enter lists them)"),
                st.dim,
            )));
        }
        if lines.is_empty() {
            lines.push(Line::from(Span::styled(
                "every record of this file was loaded",
                st.dim,
            )));
        }
    }
    c.f.render_widget(Paragraph::new(lines).block(block), detail);
}
