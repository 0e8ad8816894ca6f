//! The command lines of one CLI profile.

use super::table::{self, col, time_col, Col, RowData, TableSpec};
use super::Ctx;
use crate::app::views::Commands;
use crate::ui::layout;
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 4] = [
    time_col("time", 0),
    col("host", Constraint::Length(14), 0),
    col("user", Constraint::Length(12), 0),
    col("command line", Constraint::Fill(1), 0),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, v: &Commands) {
    let state = c.state;
    let store = &*state.data.store;
    let n = layout::table_rows(area);
    let rows: Vec<RowData> = v
        .events
        .iter()
        .enumerate()
        .skip(v.offset)
        .take(n)
        .filter_map(|(k, &i)| {
            let e = store.event(i)?;
            let mut r = RowData::new(vec![
                crate::model::time::format_short(e.ts),
                store.str(e.host).to_string(),
                store.str(e.user_name).to_string(),
                store.str(e.command_line).to_string(),
            ]);
            r.selected = k == v.selected;
            Some(r)
        })
        .collect();
    let spec = TableSpec {
        cols: &COLS,
        sort: None,
        fuzzy: "",
        empty: "no command lines",
    };
    table::draw(c.f, area, &spec, rows, c.st);
}
