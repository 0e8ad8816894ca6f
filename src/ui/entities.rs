//! View 4: entities — principals, accounts, keys, IPs, models, hosts — with counts and risk.

use super::table::{self, col, time_col, Col, RowData};
use super::Ctx;
use crate::analysis::entities::EntityRef;
use crate::app::query::{entity_row, entity_tally};
use crate::app::views::{Frame, ViewId};
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 8] = [
    col("kind", Constraint::Length(10), 0),
    col("value", Constraint::Fill(1), 0),
    col("events", Constraint::Length(7), 0),
    col("errors", Constraint::Length(6), 0),
    col("alerts", Constraint::Length(6), 0),
    col("risk", Constraint::Length(4), 0),
    time_col("first seen", 120),
    time_col("last seen", 0),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let state = c.state;
    let st = c.st;
    let store = &*state.data.store;
    table::draw_list(
        c,
        area,
        fr,
        ViewId::Entities,
        &COLS,
        "no entities",
        |item| {
            // In a pivot or time range the counts and alert tallies are over it.
            let scoped = fr.list(ViewId::Entities).entity_counts.as_deref();
            let e = entity_row(scoped, &state.data.derived.entities, item)?;
            let tally = entity_tally(scoped, &state.data.tallies, e);
            let r = EntityRef {
                entity: e,
                tally,
                store,
            };
            let mut d = RowData::new(r.cells().to_vec());
            if e.errors > 0 {
                d = d.style_cell(3, st.error);
            }
            if tally.alerts > 0 {
                d = d.style_cell(4, st.warn).style_cell(5, st.warn);
            }
            Some(d)
        },
    );
}
