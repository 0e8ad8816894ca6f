//! View 3: CLI profiles — `aws bedrock…` command lines by user, host and action class.

use super::table::{self, col, time_col, Col, RowData};
use super::Ctx;
use crate::analysis::cli::{sparkline, ActionClass, CliRef};
use crate::app::query::cli_row;
use crate::app::views::{Frame, ViewId};
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
    let none = if fr.scope.is_some() {
        "no `aws bedrock` command lines in this pivot"
    } else {
        "no `aws bedrock` command lines in the endpoint telemetry"
    };
    table::draw_list(c, area, fr, ViewId::Cli, &COLS, none, |item| {
        let p = cli_row(
            fr.list(ViewId::Cli).cli_profiles.as_deref(),
            &state.data.derived.cli,
            item,
        )?;
        let r = CliRef { profile: p, store };
        let [user, host, class, count, first, last, subs] = r.cells();
        let spark = sparkline(&p.buckets, if area.width < table::WIDE { 12 } else { 24 });
        let mut d = RowData::new(vec![user, host, class, count, first, last, spark, subs])
            .style_cell(6, st.spark);
        if p.class == ActionClass::Delete {
            d.row_style = Some(st.danger_row);
        }
        Some(d)
    });
}
