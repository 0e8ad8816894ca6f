//! Keys in overlays: the filter / export / time-range input line and the pivot menu.

use super::input::{Edit, Input, Purpose};
use super::msg::Effect;
use super::nav::{self, frame_in};
use super::update::{on_action, scope_bounds, set_filter};
use super::views::{DocSearch, Screen, ViewId};
use super::{evidence, Action, AppState, Overlay};
use crate::analysis::timeline::{parse_range, TimeWindow};
use crate::model::EntityKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Letters of the pivot menu entries.
pub fn pivot_letter(kind: EntityKind) -> char {
    match kind {
        EntityKind::User => 'u',
        EntityKind::Account => 'a',
        EntityKind::AccessKey => 'k',
        EntityKind::SourceIp => 'i',
        EntityKind::Model => 'm',
        EntityKind::RequestId => 'r',
        EntityKind::Host => 'h',
    }
}

pub(super) fn on_pivot_menu(
    state: &mut AppState,
    options: Vec<(EntityKind, crate::model::Sym)>,
    selected: usize,
    action: Option<Action>,
    k: &KeyEvent,
) -> Vec<Effect> {
    // The menu's own letters come first: the menu shows them.
    if let KeyCode::Char(c) = k.code {
        if k.modifiers.is_empty() || k.modifiers == KeyModifiers::SHIFT {
            if let Some(&(kind, _)) = options.iter().find(|(kind, _)| pivot_letter(*kind) == c) {
                return nav::pivot(state, kind);
            }
        }
    }
    let n = options.len().max(1);
    let selected = match action {
        Some(Action::MoveDown) => (selected + 1) % n,
        Some(Action::MoveUp) => (selected + n - 1) % n,
        Some(Action::Open) => {
            return match options.get(selected) {
                Some(&(kind, _)) => nav::pivot(state, kind),
                None => Vec::new(),
            }
        }
        Some(Action::PivotUser) => return nav::pivot(state, EntityKind::User),
        Some(Action::PivotAccount) => return nav::pivot(state, EntityKind::Account),
        Some(Action::PivotRequest) => return nav::pivot(state, EntityKind::RequestId),
        Some(Action::Quit) => return on_action(state, Action::Quit),
        Some(Action::Back | Action::Cancel | Action::PivotMenu) => return Vec::new(),
        _ => selected,
    };
    state.overlay = Some(Overlay::Pivot { options, selected });
    Vec::new()
}

pub(super) fn on_input(
    state: &mut AppState,
    mut input: Input,
    action: Option<Action>,
    k: &KeyEvent,
) -> Vec<Effect> {
    let edit = input.apply(action, k);
    match (input.purpose, edit) {
        (_, Edit::HistoryPrev | Edit::HistoryNext) if input.purpose == Purpose::Filter => {
            let h = &state.filter_history;
            if !h.is_empty() {
                let pos = match (input.history, edit) {
                    (None, Edit::HistoryPrev) => Some(h.len() - 1),
                    (Some(p), Edit::HistoryPrev) => Some(p.saturating_sub(1)),
                    (Some(p), _) if p + 1 < h.len() => Some(p + 1),
                    _ => None,
                };
                let text = pos.and_then(|p| h.get(p)).cloned().unwrap_or_default();
                input.history = pos;
                input.set_text(&text);
                state.overlay = Some(Overlay::Input(input));
                return set_filter(state, &text);
            }
            state.overlay = Some(Overlay::Input(input));
            Vec::new()
        }
        (Purpose::Filter, Edit::Changed) => {
            let text = input.text.clone();
            state.overlay = Some(Overlay::Input(input));
            set_filter(state, &text)
        }
        (Purpose::Filter, Edit::Accept) => {
            let t = input.text.trim().to_string();
            if !t.is_empty() {
                state.filter_history.retain(|x| *x != t);
                state.filter_history.push(t);
            }
            Vec::new()
        }
        (Purpose::Filter, Edit::Cancel) => set_filter(state, &input.previous.clone()),
        (Purpose::Export, Edit::Accept) => evidence::finish_export(state, &input.text),
        (Purpose::Search, Edit::Accept) => {
            if let Some(Screen::Doc(d)) = state.stack.last_mut() {
                d.search = (!input.text.is_empty()).then(|| DocSearch {
                    text: input.text.clone(),
                    ..DocSearch::default()
                });
                d.hit = None;
            }
            if !input.text.is_empty() {
                super::update::jump_match(state, true);
            }
            Vec::new()
        }
        (Purpose::TimeRange, Edit::Accept) => {
            let bounds = scope_bounds(state).unwrap_or(TimeWindow::new(0, 0));
            match parse_range(&input.text, bounds) {
                Ok(range) => {
                    if let Some(f) = frame_in(&mut state.stack) {
                        f.range = range;
                    }
                    nav::invalidate(state, &ViewId::ALL)
                }
                Err(e) => {
                    input.error = Some(e);
                    state.overlay = Some(Overlay::Input(input));
                    Vec::new()
                }
            }
        }
        (_, Edit::Cancel) => Vec::new(),
        _ => {
            input.error = None;
            state.overlay = Some(Overlay::Input(input));
            Vec::new()
        }
    }
}
