//! `update(&mut AppState, Msg) -> Vec<Effect>`: every state change happens here, synchronously and
//! without I/O.

use super::evidence;
use super::input::{Input, Purpose};
use super::msg::{Effect, Msg, RuleOutcome, ToastKind};
use super::nav::{self, frame_in, page_rows};
use super::overlays;
pub use super::overlays::pivot_letter;
use super::query::sort_keys;
use super::views::{DocStatus, Pane, Screen, ViewId};
use super::{Action, AppState, Overlay, Phase};
use crate::analysis::entities::tally_alert;
use crate::analysis::timeline::TimeWindow;
use crate::model::EntityKind;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::Arc;

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return Vec::new();
            }
            state.dirty = true;
            on_key(state, k)
        }
        Msg::Mouse(m) => super::mouse::on_mouse(state, m),
        Msg::Action(a) => {
            state.dirty = true;
            dispatch(
                state,
                Some(a),
                &KeyEvent::new(KeyCode::Null, KeyModifiers::NONE),
            )
        }
        Msg::Paste(text) => match state.overlay.take() {
            Some(Overlay::Input(mut input)) => {
                input.paste(&text);
                state.dirty = true;
                let filter = (input.purpose == Purpose::Filter).then(|| input.text.clone());
                state.overlay = Some(Overlay::Input(input));
                match filter {
                    Some(t) => set_filter(state, &t),
                    None => Vec::new(),
                }
            }
            other => {
                state.overlay = other;
                Vec::new()
            }
        },
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.dirty = true;
            nav::relayout_docs(state);
            let rows = page_rows(state);
            if let Some(f) = frame_in(&mut state.stack) {
                f.current_mut().clamp(rows);
            }
            Vec::new()
        }
        Msg::Tick => {
            if let Some(t) = &mut state.toast {
                t.ticks = t.ticks.saturating_sub(1);
                if t.ticks == 0 {
                    state.toast = None;
                    state.dirty = true;
                }
            }
            Vec::new()
        }
        Msg::LoadProgress(p) => {
            state.status.progress = p;
            state.dirty = true;
            Vec::new()
        }
        Msg::Loaded { store, report } => {
            state.status.progress.events = store.len();
            state.status.phase = Phase::Indexing;
            state.data.store = store.clone();
            state.data.report = report;
            if let Some(text) = unreadable_inputs(&state.inputs, &state.data.report) {
                state.toast(text, ToastKind::Error);
            }
            state.dirty = true;
            let mut fx = vec![Effect::Derive(store.clone()), Effect::Detect(store)];
            fx.extend(nav::invalidate(state, &ViewId::ALL));
            fx
        }
        Msg::Derived(d) => {
            state.data.derived = d;
            state.status.derived = true;
            state.status.phase = Phase::Ready;
            state.dirty = true;
            nav::invalidate(state, &ViewId::ALL)
        }
        Msg::DetectionStarted { rules, note } => {
            state.status.detecting = rules > 0;
            state.status.rules_total = rules;
            state.status.rules_done = 0;
            state.status.not_evaluated.clear();
            state.status.detect_note = note;
            state.dirty = true;
            Vec::new()
        }
        Msg::Rule(outcome) => {
            state.status.rules_done += 1;
            state.dirty = true;
            match outcome {
                RuleOutcome::Evaluated { alerts, .. } if alerts.is_empty() => Vec::new(),
                RuleOutcome::Evaluated { alerts, .. } => {
                    let tallies = Arc::make_mut(&mut state.data.tallies);
                    for a in &alerts {
                        tally_alert(tallies, &a.keys, a.risk);
                    }
                    Arc::make_mut(&mut state.data.alerts).extend(alerts);
                    nav::invalidate(state, &[ViewId::Alerts, ViewId::Entities])
                }
                RuleOutcome::NotEvaluated { rule_id, reason } => {
                    state.status.not_evaluated.push((rule_id, reason));
                    Vec::new()
                }
            }
        }
        Msg::DetectionDone => {
            state.status.detecting = false;
            state.dirty = true;
            Vec::new()
        }
        Msg::QueryDone(r) => {
            nav::apply_rows(state, *r);
            Vec::new()
        }
        Msg::DocLoaded { id, result } => {
            nav::install_doc(state, id, result);
            Vec::new()
        }
        Msg::Toast(text, kind) => {
            state.toast(text, kind);
            state.dirty = true;
            Vec::new()
        }
    }
}

fn on_key(state: &mut AppState, k: KeyEvent) -> Vec<Effect> {
    let action = state.keys.resolve(state.ctx(), k);
    dispatch(state, action, &k)
}

/// Routes an action (and the key that produced it) to the overlay that has focus, else to the
/// screen.
fn dispatch(state: &mut AppState, action: Option<Action>, k: &KeyEvent) -> Vec<Effect> {
    match state.overlay.take() {
        Some(Overlay::Input(input)) => return overlays::on_input(state, input, action, k),
        Some(Overlay::Help { scroll }) => {
            let scroll = match action {
                Some(Action::MoveDown) => scroll + 1,
                Some(Action::MoveUp) => scroll.saturating_sub(1),
                Some(Action::PageDown | Action::HalfPageDown) => scroll + 10,
                Some(Action::PageUp | Action::HalfPageUp) => scroll.saturating_sub(10),
                Some(Action::Top) => 0,
                Some(Action::Quit) => return on_action(state, Action::Quit),
                _ => return Vec::new(),
            };
            state.overlay = Some(Overlay::Help { scroll });
            return Vec::new();
        }
        Some(Overlay::Pivot { options, selected }) => {
            return overlays::on_pivot_menu(state, options, selected, action, k)
        }
        None => {}
    }
    match action {
        Some(a) => on_action(state, a),
        None => Vec::new(),
    }
}

pub(super) fn set_filter(state: &mut AppState, text: &str) -> Vec<Effect> {
    let Some(f) = frame_in(&mut state.stack) else {
        return Vec::new();
    };
    let v = f.view;
    f.current_mut().set_filter(text);
    nav::request_rows(state, v)
}

/// The time span of the top frame's events (its scope, or everything).
pub fn scope_bounds(state: &AppState) -> Option<TimeWindow> {
    let f = state.frame();
    let store = &state.data.store;
    match f.scope {
        None => state
            .data
            .derived
            .bounds
            .or_else(|| store.time_range().map(|(a, b)| TimeWindow::new(a, b))),
        Some(s) => {
            let list = store.lookup(s.kind, s.key);
            let ts = |i: Option<&u32>| i.and_then(|&i| store.event(i)).map(|e| e.ts);
            Some(TimeWindow::new(ts(list.first())?, ts(list.last())?))
        }
    }
}

pub(super) fn move_selection(state: &mut AppState, a: Action) {
    let page = page_rows(state).max(1);
    let delta: isize = match a {
        Action::MoveUp => -1,
        Action::MoveDown => 1,
        Action::PageUp => -(page as isize),
        Action::PageDown => page as isize,
        Action::HalfPageUp => -((page / 2).max(1) as isize),
        Action::HalfPageDown => (page / 2).max(1) as isize,
        Action::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    };
    match state.stack.last_mut() {
        Some(Screen::Frame(f)) => f.current_mut().move_by(delta, page),
        Some(Screen::Alert(d)) if d.focus == Pane::Events => {
            let n = d.events.len();
            if n > 0 {
                d.selected = (d.selected as isize + delta).clamp(0, n as isize - 1) as usize;
                d.offset = visible_offset(d.selected, d.offset, page, n);
            }
        }
        Some(Screen::Alert(d)) => {
            d.guide_scroll = (d.guide_scroll as isize + delta).clamp(0, 10_000) as usize;
        }
        Some(Screen::Commands(c)) => {
            let n = c.events.len();
            if n > 0 {
                c.selected = (c.selected as isize + delta).clamp(0, n as isize - 1) as usize;
                c.offset = visible_offset(c.selected, c.offset, page, n);
            }
        }
        Some(Screen::Doc(d)) => {
            let n = match &d.status {
                DocStatus::Ready(l) => l.lines.len(),
                _ => 0,
            };
            let max = n.saturating_sub(page) as isize;
            d.scroll = (d.scroll as isize + delta).clamp(0, max.max(0)) as usize;
        }
        None => {}
    }
}

fn visible_offset(selected: usize, offset: usize, page: usize, n: usize) -> usize {
    let mut o = offset;
    if selected < o {
        o = selected;
    } else if selected >= o + page {
        o = selected + 1 - page;
    }
    o.min(n.saturating_sub(page))
}

/// Steps to the next or previous match of the request view's search, or of its keywords when
/// nothing is searched for.
pub(super) fn jump_match(state: &mut AppState, forward: bool) {
    let page = page_rows(state).max(1);
    let Some(Screen::Doc(d)) = state.stack.last_mut() else {
        return;
    };
    let DocStatus::Ready(l) = &d.status else {
        return;
    };
    let (lines, current) = match &mut d.search {
        Some(search) => {
            if search.width != l.width {
                search.lines = l.lines_with(&search.text);
                search.width = l.width;
                search.current = None;
            }
            (&search.lines, &mut search.current)
        }
        None => (&l.hit_lines, &mut d.hit),
    };
    let Some(next) = step_among(lines, *current, forward, d.scroll) else {
        let text = match &d.search {
            Some(search) => format!("{:?} is not in this document", search.text),
            None => "no keyword matches in this document".to_string(),
        };
        state.toast(text, ToastKind::Info);
        return;
    };
    *current = Some(next);
    let max = l.lines.len().saturating_sub(page);
    d.scroll = lines[next].saturating_sub(page / 3).min(max);
}

/// The match to show next among matches on `lines` (in order): after or before `current`, round
/// the end; without one, the first at or below the top line `scroll`, or the last.
fn step_among(
    lines: &[usize],
    current: Option<usize>,
    forward: bool,
    scroll: usize,
) -> Option<usize> {
    let n = lines.len();
    if n == 0 {
        return None;
    }
    Some(match (current, forward) {
        (Some(c), true) => (c + 1) % n,
        (Some(c), false) => (c + n - 1) % n,
        (None, true) => lines.iter().position(|&line| line >= scroll).unwrap_or(0),
        (None, false) => n - 1,
    })
}

/// Shows the previous/next item of the list under a detail screen without going back.
fn step_item(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let n = state.stack.len();
    if n < 2
        || !matches!(state.stack[n - 2], Screen::Frame(_))
        || matches!(state.top(), Screen::Frame(_))
    {
        return Vec::new();
    }
    state.stack.pop();
    let page = page_rows(state);
    if let Some(f) = frame_in(&mut state.stack) {
        f.current_mut().move_by(delta, page);
    }
    nav::open(state)
}

pub(super) fn on_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    use Action::*;
    let in_frame = matches!(state.top(), Screen::Frame(_));
    match a {
        Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        NextView | PrevView => {
            if let Some(Screen::Alert(d)) = state.stack.last_mut() {
                d.focus = if d.focus == Pane::Events {
                    Pane::Guide
                } else {
                    Pane::Events
                };
                return Vec::new();
            }
            let cur = state.frame().view;
            let next = if a == NextView {
                cur.next()
            } else {
                ViewId::ALL[(cur.index() + ViewId::ALL.len() - 1) % ViewId::ALL.len()]
            };
            nav::switch_view(state, next)
        }
        ViewAlerts => nav::switch_view(state, ViewId::Alerts),
        ViewRequests => nav::switch_view(state, ViewId::Requests),
        ViewCliProfiles => nav::switch_view(state, ViewId::Cli),
        ViewEntities => nav::switch_view(state, ViewId::Entities),
        ViewTimeline => nav::switch_view(state, ViewId::Timeline),
        ViewLoadReport => nav::switch_view(state, ViewId::Report),
        Back | Cancel => nav::back(state),
        Open | Confirm => nav::open(state),
        MoveUp | MoveDown | PageUp | PageDown | HalfPageUp | HalfPageDown | Top | Bottom => {
            move_selection(state, a);
            Vec::new()
        }
        PrevItem => step_item(state, -1),
        NextItem => step_item(state, 1),
        Filter if in_frame => {
            let text = state.frame().current().filter_text.clone();
            state.overlay = Some(Overlay::Input(Input::new(Purpose::Filter, &text)));
            Vec::new()
        }
        Filter if matches!(state.top(), Screen::Doc(_)) => {
            let text = match state.top() {
                Screen::Doc(d) => d.search.as_ref().map(|s| s.text.clone()),
                _ => None,
            };
            let input = Input::new(Purpose::Search, &text.unwrap_or_default());
            state.overlay = Some(Overlay::Input(input));
            Vec::new()
        }
        ClearFilter if in_frame => set_filter(state, ""),
        SortNext | SortReverse if in_frame => {
            let view = state.frame().view;
            let keys = sort_keys(view);
            if keys.len() < 2 && a == SortNext {
                state.toast(format!("{} has one order", view.title()), ToastKind::Info);
                return Vec::new();
            }
            let f = state.frame_mut();
            let s = &mut f.current_mut().sort;
            if a == SortNext {
                s.key = (s.key + 1) % keys.len();
                s.reverse = false;
            } else {
                s.reverse = !s.reverse;
            }
            let label = keys.get(s.key).map_or("", |k| k.label);
            let dir = if s.reverse { " (reversed)" } else { "" };
            state.toast(format!("sorted by {label}{dir}"), ToastKind::Info);
            nav::request_rows(state, view)
        }
        ToggleGrouping if in_frame && state.frame().view == ViewId::Alerts => {
            let f = state.frame_mut();
            f.grouped = !f.grouped;
            let msg = if f.grouped {
                "alerts grouped by rule"
            } else {
                "alerts listed flat"
            };
            state.toast(msg, ToastKind::Info);
            nav::request_rows(state, ViewId::Alerts)
        }
        PivotUser => nav::pivot(state, EntityKind::User),
        PivotAccount => nav::pivot(state, EntityKind::Account),
        PivotRequest => nav::pivot(state, EntityKind::RequestId),
        PivotMenu => {
            let options = nav::subject(state)
                .map(|s| evidence::pivot_options(state, &s))
                .unwrap_or_default();
            if options.is_empty() {
                state.toast("nothing to pivot on in this row", ToastKind::Error);
            } else {
                state.overlay = Some(Overlay::Pivot {
                    options,
                    selected: 0,
                });
            }
            Vec::new()
        }
        CopyEvidence => evidence::copy(state, false),
        CopyRaw => evidence::copy(state, true),
        Export => evidence::start_export(state),
        ToggleMark if in_frame => {
            let page = page_rows(state);
            let f = state.frame_mut();
            let list = f.current_mut();
            if let Some(item) = list
                .selected_item()
                .filter(|i| i & super::views::GROUP_BIT == 0)
            {
                if !list.marks.remove(&item) {
                    list.marks.insert(item);
                }
                list.move_by(1, page);
            }
            Vec::new()
        }
        ClearMarks if in_frame => {
            let n = state.frame().current().marks.len();
            state.frame_mut().current_mut().marks.clear();
            state.toast(format!("{n} marks cleared"), ToastKind::Info);
            Vec::new()
        }
        NextMatch | PrevMatch => {
            jump_match(state, a == NextMatch);
            Vec::new()
        }
        ZoomIn | ZoomOut if in_frame && state.frame().view == ViewId::Timeline => {
            timeline_action(state, a)
        }
        TimeRange if in_frame => timeline_action(state, a),
        Redraw => vec![Effect::Redraw],
        ZoomIn | ZoomOut => {
            state.toast("zoom works in the timeline (5)", ToastKind::Info);
            Vec::new()
        }
        ToggleGrouping => {
            state.toast("grouping applies to the alerts view", ToastKind::Info);
            Vec::new()
        }
        ToggleWrap => {
            state.toast("text is always wrapped to the window", ToastKind::Info);
            Vec::new()
        }
        CycleFormat => {
            state.toast(
                "exports write Markdown and JSON side by side",
                ToastKind::Info,
            );
            Vec::new()
        }
        Filter | ClearFilter | SortNext | SortReverse | ToggleMark | ClearMarks | TimeRange => {
            state.toast(
                "this works in the list views (esc to go back)",
                ToastKind::Info,
            );
            Vec::new()
        }
        ScrollLeft | ScrollRight | DeleteBack | DeleteForward | DeleteWord | ClearInput
        | CursorLeft | CursorRight | CursorStart | CursorEnd | HistoryPrev | HistoryNext => {
            Vec::new()
        }
    }
}

fn timeline_action(state: &mut AppState, a: Action) -> Vec<Effect> {
    let Some(bounds) = scope_bounds(state) else {
        return Vec::new();
    };
    let store = state.data.store.clone();
    let f = state.frame_mut();
    let cur = f.zoom.unwrap_or(bounds);
    match a {
        Action::ZoomIn => {
            let center = f
                .current()
                .selected_item()
                .and_then(|i| store.event(i))
                .map_or(cur.from + cur.span() / 2, |e| e.ts);
            f.zoom = Some(cur.zoom_in(center));
        }
        Action::ZoomOut => {
            let z = cur.zoom_out(bounds);
            f.zoom = (z != bounds).then_some(z);
        }
        _ => {
            let text = f.range.or(f.zoom).map(|w| w.label()).unwrap_or_default();
            state.overlay = Some(Overlay::Input(Input::new(Purpose::TimeRange, &text)));
        }
    }
    Vec::new()
}

/// A path the user named that could not be read at all would otherwise look like a clean, empty
/// log set; the report lists it, and this says so where the user is looking.
fn unreadable_inputs(
    inputs: &[std::path::PathBuf],
    report: &crate::ingest::report::LoadReport,
) -> Option<String> {
    let unreadable: Vec<String> = inputs
        .iter()
        .filter_map(|input| {
            let name = input.display().to_string();
            let file = report.files.iter().find(|f| f.path == name)?;
            let reason = file.skipped.as_deref()?;
            let why = reason.strip_prefix("unreadable")?;
            let why = why.trim_start_matches([':', ' ']);
            Some(format!("cannot read {name}: {why}"))
        })
        .collect();
    match unreadable.as_slice() {
        [] => None,
        [one] => Some(format!("{one} (6 Report)")),
        [first, rest @ ..] => Some(format!("{first} and {} more (6 Report)", rest.len())),
    }
}
