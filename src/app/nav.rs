//! Navigation: computing view rows, opening details, pivots (which stack), going back, and the
//! breadcrumb that shows where the analyst is.

use super::doc::DocLayout;
use super::docbuild;
use super::msg::{Effect, ToastKind};
use super::query::{self, cli_row, QueryJob, QueryResult, QuerySpec, INLINE_LIMIT};
use super::views::{
    AlertDetail, Commands, DocStatus, DocTarget, DocView, Frame, Pane, Scope, Screen, ViewId,
    GROUP_BIT,
};
use super::AppState;
use crate::analysis::requests::{self, short_principal};
use crate::model::{EntityKind, Strand, Sym};
use crate::ui::layout;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The frame nearest the top of a stack (split borrow from the rest of the state).
pub fn frame_in(stack: &mut [Screen]) -> Option<&mut Frame> {
    stack.iter_mut().rev().find_map(|s| match s {
        Screen::Frame(f) => Some(&mut **f),
        _ => None,
    })
}

/// Lines below the alerts table (the "not evaluated" line).
pub fn alerts_footer(state: &AppState) -> u16 {
    u16::from(!state.status.not_evaluated.is_empty() || state.status.detect_note.is_some())
}

/// Visible data rows of what is on top (list, events table, document).
pub fn page_rows(state: &AppState) -> usize {
    let body = layout::areas(layout::size_rect(state.size)).body;
    match state.top() {
        Screen::Frame(f) => {
            layout::table_rows(layout::list_table(f.view, body, alerts_footer(state)).0)
        }
        Screen::Alert(d) => layout::table_rows(
            crate::ui::alert_detail::regions(state.data.alerts.get(d.alert), body).1,
        ),
        Screen::Commands(_) => layout::table_rows(body),
        Screen::Doc(_) => layout::document(body).1.height as usize,
    }
}

/// Width available to documents.
pub fn doc_width(state: &AppState) -> u16 {
    state.size.0.saturating_sub(1).max(8)
}

/// Asks for the rows of `view` in the top frame: inline when small, else a background job.
pub fn request_rows(state: &mut AppState, view: ViewId) -> Vec<Effect> {
    let data = state.data.clone();
    let Some(frame) = frame_in(&mut state.stack) else {
        return Vec::new();
    };
    state.next_id += 1;
    let gen = state.next_id;
    let spec = QuerySpec {
        view,
        scope: frame.scope,
        query: frame.list(view).query.clone(),
        sort: frame.list(view).sort,
        range: frame.range,
        grouped: frame.grouped,
        collapsed: frame.collapsed.clone(),
    };
    let list = frame.list_mut(view);
    list.gen = gen;
    list.pending = true;
    list.stale = false;
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(old) = list.cancel.replace(cancel.clone()) {
        old.store(true, Ordering::Relaxed);
    }
    let job = QueryJob {
        frame: frame.id,
        cancel,
        gen,
        spec,
        data,
    };
    if query::universe_size(&job.data, &job.spec) <= INLINE_LIMIT {
        let result = query::run(&job);
        apply_rows(state, result);
        Vec::new()
    } else {
        vec![Effect::Query(Box::new(job))]
    }
}

/// Installs a query result if it answers the latest question of a frame still on the stack,
/// keeping the selected item selected when it is still there.
pub fn apply_rows(state: &mut AppState, r: QueryResult) {
    let rows_visible = {
        let body = layout::areas(layout::size_rect(state.size)).body;
        layout::table_rows(layout::list_table(r.view, body, alerts_footer(state)).0)
    };
    let Some(frame) = state.stack.iter_mut().find_map(|s| match s {
        Screen::Frame(f) if f.id == r.frame => Some(f),
        _ => None,
    }) else {
        return;
    };
    let list = frame.list_mut(r.view);
    if list.gen != r.gen {
        return;
    }
    // The selected item stays selected when rows change, except at the top: while alerts stream
    // in, a list the analyst has not moved in keeps showing its first row.
    let keep = if list.selected == 0 {
        None
    } else {
        list.selected_item()
    };
    list.rows = r.rows;
    list.universe = r.universe;
    list.groups = r.groups;
    list.entity_counts = r.entity_counts;
    list.cli_profiles = r.cli_profiles;
    list.pending = false;
    if let Some(pos) = keep.and_then(|item| list.rows.position(item)) {
        list.selected = pos;
    }
    list.clamp(rows_visible);
    state.dirty = true;
}

/// Marks views as needing new rows in every frame; the visible one is recomputed now.
pub fn invalidate(state: &mut AppState, views: &[ViewId]) -> Vec<Effect> {
    for s in &mut state.stack {
        if let Screen::Frame(f) = s {
            for &v in views {
                f.list_mut(v).stale = true;
            }
        }
    }
    refresh_visible(state)
}

/// Recomputes the top frame's current view if it is stale.
pub fn refresh_visible(state: &mut AppState) -> Vec<Effect> {
    if let Screen::Frame(f) = state.top() {
        let v = f.view;
        if f.list(v).stale {
            return request_rows(state, v);
        }
    }
    Vec::new()
}

pub fn switch_view(state: &mut AppState, view: ViewId) -> Vec<Effect> {
    // Switching views from a detail screen returns to its frame first.
    while !matches!(state.top(), Screen::Frame(_)) && state.stack.len() > 1 {
        state.stack.pop();
    }
    if let Some(f) = frame_in(&mut state.stack) {
        f.view = view;
    }
    refresh_visible(state)
}

/// Entities and events the selection is about, for pivots and copies.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    pub keys: Vec<(EntityKind, Sym)>,
    pub events: Vec<u32>,
}

impl Subject {
    pub fn key(&self, state: &AppState, kind: EntityKind) -> Option<Sym> {
        self.keys
            .iter()
            .find(|(k, s)| *k == kind && s.is_some())
            .map(|&(_, s)| s)
            .or_else(|| {
                self.events
                    .iter()
                    .filter_map(|&i| state.data.store.event(i))
                    .map(|e| kind.key_of(e))
                    .find(|s| s.is_some())
            })
    }
}

pub fn subject(state: &AppState) -> Option<Subject> {
    let d = &state.data;
    match state.top() {
        Screen::Frame(f) => {
            let item = f.current().selected_item()?;
            match f.view {
                ViewId::Alerts if item & GROUP_BIT == 0 => {
                    d.alerts.get(item as usize).map(|a| Subject {
                        keys: a.keys.clone(),
                        events: Vec::new(),
                    })
                }
                ViewId::Requests => d.derived.requests.get(item as usize).map(|r| Subject {
                    keys: Vec::new(),
                    events: r.events().collect(),
                }),
                ViewId::Cli => cli_row(f.current().cli_profiles.as_deref(), &d.derived.cli, item)
                    .map(|p| Subject {
                        keys: vec![(EntityKind::User, p.user), (EntityKind::Host, p.host)],
                        events: p.events.clone(),
                    }),
                ViewId::Entities => d.derived.entities.get(item as usize).map(|e| Subject {
                    keys: vec![(e.kind, e.key)],
                    events: Vec::new(),
                }),
                ViewId::Timeline => Some(Subject {
                    keys: Vec::new(),
                    events: vec![item],
                }),
                _ => None,
            }
        }
        Screen::Alert(a) => {
            let alert = d.alerts.get(a.alert)?;
            let events = a
                .events
                .get(a.selected)
                .copied()
                .flatten()
                .into_iter()
                .collect();
            Some(Subject {
                keys: alert.keys.clone(),
                events,
            })
        }
        Screen::Doc(doc) => match &doc.target {
            DocTarget::Request(r) => Some(Subject {
                keys: Vec::new(),
                events: r.events().collect(),
            }),
            DocTarget::Event(i) => Some(Subject {
                keys: Vec::new(),
                events: vec![*i],
            }),
            DocTarget::File(_) => None,
        },
        Screen::Commands(c) => Some(Subject {
            keys: Vec::new(),
            events: c.events.get(c.selected).copied().into_iter().collect(),
        }),
    }
}

/// Pushes a frame scoped to one entity, showing its timeline.
pub fn pivot(state: &mut AppState, kind: EntityKind) -> Vec<Effect> {
    let Some(key) = subject(state).and_then(|s| s.key(state, kind)) else {
        state.toast(format!("no {} on this row", kind.label()), ToastKind::Error);
        return Vec::new();
    };
    if kind == EntityKind::RequestId {
        return open_request(state, key);
    }
    let scope = Scope { kind, key };
    if state.frame().scope == Some(scope) && matches!(state.top(), Screen::Frame(_)) {
        state.toast(
            format!("already showing this {}", kind.label()),
            ToastKind::Info,
        );
        return Vec::new();
    }
    let id = state.fresh_id();
    state.stack.push(Screen::Frame(Box::new(Frame::new(
        id,
        Some(scope),
        ViewId::Timeline,
    ))));
    refresh_visible(state)
}

/// Opens the request view for a requestId (the invocation record when loaded).
pub fn open_request(state: &mut AppState, rid: Sym) -> Vec<Effect> {
    let store = &state.data.store;
    let list = store.lookup(EntityKind::RequestId, rid);
    let pick = list
        .iter()
        .copied()
        .find(|&i| {
            store
                .event(i)
                .is_some_and(|e| e.strand == Strand::Invocation)
        })
        .or_else(|| list.first().copied());
    match pick.and_then(|i| requests::row_for_event(store, i)) {
        Some(row) => open_doc(state, DocTarget::Request(row)),
        None => {
            state.toast("no event carries this requestId", ToastKind::Error);
            Vec::new()
        }
    }
}

pub fn open_doc(state: &mut AppState, target: DocTarget) -> Vec<Effect> {
    let id = state.fresh_id();
    if let DocTarget::File(i) = target {
        let status = match state.data.report.files.get(i as usize) {
            Some(f) => DocStatus::Ready(Box::new(DocLayout::new(
                docbuild::file_report(f),
                doc_width(state),
            ))),
            None => DocStatus::Failed("no such file".into()),
        };
        state.stack.push(Screen::Doc(DocView {
            id,
            target,
            status,
            scroll: 0,
            hit: None,
            search: None,
        }));
        return Vec::new();
    }
    state.stack.push(Screen::Doc(DocView {
        id,
        target: target.clone(),
        status: DocStatus::Loading,
        scroll: 0,
        hit: None,
        search: None,
    }));
    vec![Effect::LoadDoc {
        id,
        target,
        store: state.data.store.clone(),
        highlighter: state.highlighter.clone(),
    }]
}

/// Opens an event: the request view when it is a model invocation, the raw record otherwise.
pub fn open_event(state: &mut AppState, idx: u32) -> Vec<Effect> {
    let store = &state.data.store;
    let Some(e) = store.event(idx) else {
        return Vec::new();
    };
    let is_request = e.strand == Strand::Invocation || requests::is_inference(store, e);
    match requests::row_for_event(store, idx).filter(|_| is_request) {
        Some(row) => open_doc(state, DocTarget::Request(row)),
        None => open_doc(state, DocTarget::Event(idx)),
    }
}

/// Enter.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    match state.top() {
        Screen::Frame(f) => {
            let view = f.view;
            let Some(item) = f.current().selected_item() else {
                return Vec::new();
            };
            match view {
                ViewId::Alerts if item & GROUP_BIT != 0 => {
                    let Some(g) = f.current().groups.get((item & !GROUP_BIT) as usize) else {
                        return Vec::new();
                    };
                    let rule = g.rule_id.clone();
                    let frame = state.frame_mut();
                    if !frame.collapsed.remove(&rule) {
                        frame.collapsed.insert(rule);
                    }
                    request_rows(state, ViewId::Alerts)
                }
                ViewId::Alerts => {
                    let Some(a) = state.data.alerts.get(item as usize) else {
                        return Vec::new();
                    };
                    let store = &state.data.store;
                    let events = a.evidence.iter().map(|s| store.find_source(s)).collect();
                    state.stack.push(Screen::Alert(AlertDetail {
                        alert: item as usize,
                        events,
                        selected: 0,
                        offset: 0,
                        focus: Pane::Events,
                        guide_scroll: 0,
                    }));
                    Vec::new()
                }
                ViewId::Requests => match state.data.derived.requests.get(item as usize) {
                    Some(&row) => open_doc(state, DocTarget::Request(row)),
                    None => Vec::new(),
                },
                ViewId::Cli => {
                    let scoped = f.current().cli_profiles.as_deref();
                    let Some(p) = cli_row(scoped, &state.data.derived.cli, item) else {
                        return Vec::new();
                    };
                    let events = p.events.clone();
                    state.stack.push(Screen::Commands(Commands {
                        profile: item as usize,
                        events,
                        selected: 0,
                        offset: 0,
                    }));
                    Vec::new()
                }
                ViewId::Entities => {
                    let Some(e) = state.data.derived.entities.get(item as usize) else {
                        return Vec::new();
                    };
                    let scope = Scope {
                        kind: e.kind,
                        key: e.key,
                    };
                    let id = state.fresh_id();
                    state.stack.push(Screen::Frame(Box::new(Frame::new(
                        id,
                        Some(scope),
                        ViewId::Timeline,
                    ))));
                    refresh_visible(state)
                }
                ViewId::Timeline => open_event(state, item),
                ViewId::Report => open_doc(state, DocTarget::File(item)),
            }
        }
        Screen::Alert(a) => match a.events.get(a.selected).copied().flatten() {
            Some(i) => open_event(state, i),
            None => Vec::new(),
        },
        Screen::Commands(c) => match c.events.get(c.selected).copied() {
            Some(i) => open_event(state, i),
            None => Vec::new(),
        },
        Screen::Doc(_) => Vec::new(),
    }
}

/// Esc: leave the top screen or pivot; at the root, clear the filter.
pub fn back(state: &mut AppState) -> Vec<Effect> {
    if state.stack.len() > 1 {
        state.stack.pop();
        let rows = page_rows(state);
        if let Some(Screen::Frame(f)) = state.stack.last_mut() {
            f.current_mut().clamp(rows);
        }
        return refresh_visible(state);
    }
    let f = state.frame_mut();
    if !f.current().filter_text.is_empty() {
        let v = f.view;
        f.current_mut().set_filter("");
        return request_rows(state, v);
    }
    Vec::new()
}

fn scope_label(state: &AppState, s: &Scope) -> String {
    let v = state.data.store.str(s.key);
    let v = if s.kind == EntityKind::User {
        short_principal(v)
    } else {
        v
    };
    format!("{}: {}", s.kind.label(), v)
}

/// Where the analyst is, from the root: `Alerts › alert: … › user: user/alice › Timeline`.
pub fn breadcrumb(state: &AppState) -> Vec<String> {
    let mut out = Vec::new();
    let n = state.stack.len();
    for (i, s) in state.stack.iter().enumerate() {
        let top = i + 1 == n;
        match s {
            Screen::Frame(f) => {
                if let Some(scope) = &f.scope {
                    out.push(scope_label(state, scope));
                }
                if top {
                    out.push(f.view.title().to_string());
                }
            }
            Screen::Alert(a) => {
                let t = state
                    .data
                    .alerts
                    .get(a.alert)
                    .map(|x| crate::analysis::alerts::shorten_arns(&x.title))
                    .unwrap_or_default();
                out.push(format!("alert: {t}"));
            }
            Screen::Doc(d) => out.push(docbuild::title(&state.data.store, &d.target)),
            Screen::Commands(c) => {
                let label = state.data.derived.cli.get(c.profile).map(|p| {
                    let st = &state.data.store;
                    format!("{}@{} {}", st.str(p.user), st.str(p.host), p.class.name())
                });
                out.push(format!("commands: {}", label.unwrap_or_default()));
            }
        }
    }
    out
}

/// Keeps a document's layout in step with the terminal width.
pub fn relayout_docs(state: &mut AppState) {
    let w = doc_width(state);
    for s in &mut state.stack {
        if let Screen::Doc(d) = s {
            if let DocStatus::Ready(l) = &mut d.status {
                l.relayout(w);
            }
        }
    }
}

pub fn install_doc(state: &mut AppState, id: u64, result: Result<super::doc::Document, String>) {
    let w = doc_width(state);
    for s in &mut state.stack {
        if let Screen::Doc(d) = s {
            if d.id == id {
                d.status = match result {
                    Ok(doc) => DocStatus::Ready(Box::new(DocLayout::new(doc, w))),
                    Err(e) => DocStatus::Failed(e),
                };
                state.dirty = true;
                return;
            }
        }
    }
}
