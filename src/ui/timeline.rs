//! View 5: every event in time order, with a zoomable histogram and a time-range filter.

use super::table::{self, col, time_col, Col, RowData, TableSpec};
use super::{empty_text, Ctx};
use crate::analysis::cli::bucket_of;
use crate::analysis::timeline::{histogram, histogram_slice, EventRef, TimeWindow};
use crate::app::update::scope_bounds;
use crate::app::views::{Frame, RowSet, ViewId};
use crate::model::time::format_short;
use crate::model::Outcome;
use crate::ui::layout;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const COLS: [Col; 7] = [
    time_col("time", 0),
    col("strand", Constraint::Length(10), 100),
    col("action", Constraint::Length(24), 0).narrow(Constraint::Length(20)),
    col("who", Constraint::Fill(1), 0).narrow(Constraint::Length(16)),
    col("ip / host", Constraint::Length(15), 100),
    col("outcome", Constraint::Length(12), 90),
    col("detail", Constraint::Fill(2), 0),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let (hist, rest) = layout::split_top(area, layout::histogram_height(area));
    if hist.height > 0 {
        draw_histogram(c, hist, fr);
    }
    let state = c.state;
    let st = c.st;
    let store = &*state.data.store;
    let list = fr.list(ViewId::Timeline);
    let rows = table::rows_in_view(list, rest, |item| {
        let e = store.event(item)?;
        let r = EventRef { event: e, store };
        let mut d = RowData::new(r.cells().iter().map(|x| x.to_string()).collect());
        if e.outcome == Outcome::Failure {
            d = d.style_cell(5, st.error);
        }
        Some(d)
    });
    let empty = empty_text(
        state,
        list,
        "no events",
        "events appear when loading finishes",
    );
    let spec = TableSpec {
        cols: &COLS,
        sort: None,
        fuzzy: &list.query.fuzzy,
        empty: &empty,
    };
    table::draw(c.f, rest, &spec, rows, st);
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn draw_histogram(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let st = c.st;
    let state = c.state;
    let store = &*state.data.store;
    let Some(bounds) = scope_bounds(state) else {
        return;
    };
    let w: TimeWindow = fr.zoom.unwrap_or(bounds);
    let width = area.width as usize;
    let list = fr.list(ViewId::Timeline);
    let counts = match &list.rows {
        RowSet::Range(a, b) => {
            let slice = store.events().get(*a as usize..*b as usize).unwrap_or(&[]);
            histogram_slice(slice, w, width)
        }
        RowSet::List(v) => histogram(store, v, w, width),
    };
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as u64;
    let bar_rows = area.height.saturating_sub(1) as u64;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for r in (0..bar_rows).rev() {
        let row: String = counts
            .iter()
            .map(|&v| {
                let eighths = (u64::from(v) * bar_rows * 8).div_ceil(max);
                let have = eighths.saturating_sub(r * 8);
                match have {
                    0 => ' ',
                    h if h >= 8 => BARS[7],
                    h => BARS[h as usize - 1],
                }
            })
            .collect();
        lines.push(Line::from(Span::styled(row, st.histogram)));
    }
    // Axis: window ends, zoom and the selected event's position.
    let sel_bucket = list
        .selected_item()
        .and_then(|i| store.event(i))
        .filter(|e| w.contains(e.ts))
        .map(|e| bucket_of(e.ts, w.from, w.to, width));
    let left = format_short(w.from);
    let right = format_short(w.to);
    let zoom = if fr.zoom.is_some() {
        format!(
            " zoom {:.0}× ",
            bounds.span().max(1) as f64 / w.span().max(1) as f64
        )
    } else {
        String::new()
    };
    let range = fr
        .range
        .map(|r| format!(" range {} ", r.label()))
        .unwrap_or_default();
    let mut axis: Vec<char> = vec!['─'; width];
    if let Some(b) = sel_bucket {
        axis[b] = '▲';
    }
    let put = |axis: &mut Vec<char>, at: usize, s: &str| {
        for (k, ch) in s.chars().enumerate() {
            if let Some(slot) = axis.get_mut(at + k) {
                *slot = ch;
            }
        }
    };
    put(&mut axis, 0, &left);
    put(
        &mut axis,
        width.saturating_sub(right.chars().count()),
        &right,
    );
    let mid = format!("{zoom}{range}max {max}");
    if width > left.len() + right.len() + mid.chars().count() + 4 {
        put(&mut axis, (width - mid.chars().count()) / 2, &mid);
    }
    let spans: Vec<Span<'static>> = axis
        .into_iter()
        .map(|ch| Span::styled(ch.to_string(), if ch == '▲' { st.hint_key } else { st.dim }))
        .collect();
    lines.push(Line::from(spans));
    c.f.render_widget(Paragraph::new(lines), area);
}
