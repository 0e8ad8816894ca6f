//! The mouse: the wheel scrolls whatever has focus, a click selects a table row or a view tab.

use super::msg::Effect;
use super::nav::{self, page_rows};
use super::update::move_selection;
use super::views::{Pane, Screen};
use super::{Action, AppState};
use crate::ui::layout;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

pub(super) fn on_mouse(state: &mut AppState, m: MouseEvent) -> Vec<Effect> {
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            if state.overlay.is_some() {
                return Vec::new();
            }
            let a = if m.kind == MouseEventKind::ScrollDown {
                Action::MoveDown
            } else {
                Action::MoveUp
            };
            for _ in 0..3 {
                move_selection(state, a);
            }
            state.dirty = true;
            Vec::new()
        }
        MouseEventKind::Down(MouseButton::Left) => {
            if state.overlay.is_some() {
                return Vec::new();
            }
            state.dirty = true;
            let areas = layout::areas(layout::size_rect(state.size));
            if m.row == areas.tabs.y {
                let hit = layout::tab_ranges(areas.tabs)
                    .into_iter()
                    .find(|&(_, a, b)| m.column >= a && m.column < b);
                if let Some((v, _, _)) = hit {
                    return nav::switch_view(state, v);
                }
                return Vec::new();
            }
            click_row(state, m.row, areas.body);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Selects the table row under the pointer.
fn click_row(state: &mut AppState, y: u16, body: ratatui::layout::Rect) {
    let footer = nav::alerts_footer(state);
    let page = page_rows(state);
    let commands = match state.top() {
        Screen::Commands(c) => c.events.len(),
        _ => 0,
    };
    match state.stack.last_mut() {
        Some(Screen::Frame(f)) => {
            let (table, _) = layout::list_table(f.view, body, footer);
            if y > table.y && y < table.y + table.height {
                let list = f.current_mut();
                let row = list.offset + (y - table.y - 1) as usize;
                if row < list.rows.len() {
                    list.selected = row;
                    list.clamp(page);
                }
            }
        }
        Some(Screen::Alert(d)) => {
            let (_, table, guide) =
                crate::ui::alert_detail::regions(state.data.alerts.get(d.alert), body);
            if y > table.y && y < table.y + table.height {
                let row = d.offset + (y - table.y - 1) as usize;
                if row < d.events.len() {
                    d.selected = row;
                    d.focus = Pane::Events;
                }
            } else if y >= guide.y && y < guide.y + guide.height {
                d.focus = Pane::Guide;
            }
        }
        Some(Screen::Commands(c)) if y > body.y && y < body.y + body.height => {
            let n = commands;
            let row = c.offset + (y - body.y - 1) as usize;
            if row < n {
                c.selected = row;
            }
        }
        _ => {}
    }
}
