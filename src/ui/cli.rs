//! View 3: CLI profiles — `aws bedrock…` command lines by user, host and action class.

use super::table::{self, col, time_col, Col, RowData, TableSpec};
use super::{empty_text, sort_marker, Ctx};
use crate::analysis::cli::{sparkline, ActionClass, CliRef};
use crate::app::views::{Frame, ViewId};
use crate::ui::layout;
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 8] = [
    col("user", Constraint::Length(12), 0),
    col("host", Constraint::Length(14), 0).narrow(Constraint::Length(12)),
    col("class", Constraint::Length(7), 0),
    col("count", Constraint::Length(6), 0),
    time_col("first seen", 120),
    time_col("last seen", 0),
    col("activity", Constraint::Length(24), 0).narrow(Constraint::Length(12)),
    col("commands", Constraint::Fill(1), 0),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let state = c.state;
    let st = c.st;
    let store = &*state.data.store;
    let list = fr.list(ViewId::Cli);
    let (table_area, _) = layout::list_table(ViewId::Cli, area, 0);
    let n = layout::table_rows(table_area);
    let rows = list
        .rows
        .window(list.offset, n)
        .into_iter()
        .enumerate()
        .filter_map(|(k, item)| {
            let p = state.data.derived.cli.get(item as usize)?;
            let r = CliRef { profile: p, store };
            let [user, host, class, count, first, last, subs] = r.cells();
            let spark = sparkline(&p.buckets, if area.width < table::WIDE { 12 } else { 24 });
            let mut d = RowData::new(vec![user, host, class, count, first, last, spark, subs])
                .style_cell(6, st.spark);
            if p.class == ActionClass::Delete {
                d.row_style = Some(st.danger_row);
            }
            d.selected = list.offset + k == list.selected;
            d.marked = list.marks.contains(&item);
            Some(d)
        })
        .collect();
    let empty = empty_text(
        state,
        list,
        "no `aws bedrock` command lines in the endpoint telemetry",
        "",
    );
    let spec = TableSpec {
        cols: &COLS,
        sort: sort_marker(ViewId::Cli, list),
        fuzzy: &list.query.fuzzy,
        empty: &empty,
    };
    table::draw(c.f, table_area, &spec, rows, st);
}
