//! View 2: Bedrock model invocations joined to their CloudTrail events.

use super::table::{self, col, time_col, Col, RowData};
use super::Ctx;
use crate::analysis::requests::RequestRef;
use crate::app::views::{Frame, ViewId};
use ratatui::layout::{Constraint, Rect};

const COLS: [Col; 10] = [
    time_col("time", 0),
    col("caller", Constraint::Fill(2), 0).narrow(Constraint::Length(14)),
    col("model", Constraint::Fill(3), 0),
    col("operation", Constraint::Length(22), 120).narrow(Constraint::Length(14)),
    col("in", Constraint::Length(6), 0),
    col("out", Constraint::Length(6), 0),
    col("error", Constraint::Length(14), 100),
    col("guardrail", Constraint::Length(10), 100),
    col("src", Constraint::Length(3), 110),
    col("status", Constraint::Length(13), 0).below(100),
];

pub fn draw(c: &mut Ctx<'_, '_>, area: Rect, fr: &Frame) {
    let state = c.state;
    let st = c.st;
    let store = &*state.data.store;
    let none = if fr.scope.is_some() {
        "no model invocations in this pivot"
    } else {
        "no model invocations in this log set"
    };
    table::draw_list(c, area, fr, ViewId::Requests, &COLS, none, |item| {
        let row = state.data.derived.requests.get(item as usize)?;
        let r = RequestRef { row, store };
        let mut cells: Vec<String> = r.cells().iter().map(|x| x.to_string()).collect();
        // On narrow screens one status column: the error class, else the guardrail action.
        let class = row
            .events()
            .filter_map(|i| store.event(i))
            .map(|e| e.error_class)
            .find(|c| *c != crate::model::ErrorClass::None);
        let intervened = r.guardrail().eq_ignore_ascii_case("INTERVENED");
        cells.push(match class {
            Some(c) => c.name().to_string(),
            None if intervened => "INTERVENED".to_string(),
            None => String::new(),
        });
        let mut d = RowData::new(cells);
        if !r.error().is_empty() {
            d = d.style_cell(6, st.error).style_cell(9, st.error);
        } else if intervened {
            d = d.style_cell(9, st.warn);
        }
        if intervened {
            d = d.style_cell(7, st.warn);
        }
        Some(d)
    });
}
