//! `y`, `Y` and `e`: what the selection (or every marked item) is as evidence, handed to the
//! runtime as an [`Evidence`] to copy or export.

use super::input::{Input, Purpose};
use super::msg::{Effect, Evidence, ToastKind};
use super::nav::Subject;
use super::query::{cli_row, entity_row, entity_tally};
use super::views::{DocStatus, DocTarget, Screen, ViewId, GROUP_BIT};
use super::{AppState, Overlay};
use crate::analysis::alerts::AlertRecord;
use crate::analysis::evidence::{self, code, events_table, source_location};
use crate::analysis::requests::{count_text, RequestRef, RequestRow};
use crate::model::time::format_timestamp;
use crate::model::{EventStore, SourceRef};
use serde_json::json;
use std::fmt::Write;

/// Most raw records one copy or export reads.
pub const MAX_RAW_RECORDS: usize = 10_000;

fn empty(state: &AppState, what: &str) -> Evidence {
    Evidence {
        what: what.to_string(),
        markdown: Vec::new(),
        requests: Vec::new(),
        json: Vec::new(),
        sources: Vec::new(),
        store: state.data.store.clone(),
        highlighter: state.highlighter.clone(),
    }
}

fn alert_json(store: &EventStore, a: &AlertRecord) -> serde_json::Value {
    json!({
        "type": "alert",
        "rule_id": a.rule.id,
        "title": a.title,
        "severity": a.severity.name(),
        "risk_score": a.risk,
        "mitre": a.rule.mitre,
        "entity": a.entity.iter().map(|(k, v)| json!({"field": k, "value": v})).collect::<Vec<_>>(),
        "details": a.details.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
        "first_seen": format_timestamp(a.first),
        "last_seen": format_timestamp(a.last),
        "count": a.count,
        "evidence": a.evidence.iter().map(|s| source_location(store, s)).collect::<Vec<_>>(),
    })
}

fn request_json(r: &RequestRef<'_>) -> serde_json::Value {
    let sources: Vec<String> = r
        .row
        .events()
        .filter_map(|i| r.store.event(i))
        .map(|e| source_location(r.store, &e.source))
        .collect();
    json!({
        "type": "request",
        "request_id": r.request_id(),
        "time": format_timestamp(r.row.ts),
        "caller": r.caller(),
        "model": r.model(),
        "operation": r.operation(),
        "tokens_in": count_text(r.tokens_in()),
        "tokens_out": count_text(r.tokens_out()),
        "error": r.error(),
        "guardrail_action": r.guardrail(),
        "sources": sources,
    })
}

fn event_json(store: &EventStore, i: u32) -> Option<serde_json::Value> {
    let e = store.event(i)?;
    Some(json!({
        "type": "event",
        "time": format_timestamp(e.ts),
        "strand": e.strand.name(),
        "action": store.str(e.action),
        "principal": store.str(e.principal()),
        "account": store.str(e.account),
        "source_ip": store.str(e.source_ip),
        "host": store.str(e.host),
        "command_line": store.str(e.command_line),
        "error_code": store.str(e.error_code),
        "request_id": store.str(e.request_id),
        "source": source_location(store, &e.source),
    }))
}

fn add_events(ev: &mut Evidence, store: &EventStore, events: &[u32]) {
    let sources: Vec<SourceRef> = events
        .iter()
        .filter_map(|&i| store.event(i))
        .map(|e| e.source)
        .collect();
    if !sources.is_empty() {
        ev.markdown.push(events_table(store, &sources));
    }
    ev.json
        .extend(events.iter().filter_map(|&i| event_json(store, i)));
    ev.sources.extend(sources);
}

fn add_alert(ev: &mut Evidence, store: &EventStore, a: &AlertRecord) {
    ev.markdown.push(evidence::alert_markdown(store, a));
    ev.json.push(alert_json(store, a));
    ev.sources.extend(a.evidence.iter().copied());
}

fn add_request(ev: &mut Evidence, store: &EventStore, row: &RequestRow) {
    let r = RequestRef { row, store };
    ev.json.push(request_json(&r));
    ev.requests.push(*row);
    ev.sources.extend(
        row.events()
            .filter_map(|i| store.event(i))
            .map(|e| e.source),
    );
}

/// The evidence of the selection, or of the marked items of the current list when any.
pub fn collect(state: &AppState) -> Option<Evidence> {
    let d = &state.data;
    let store = &*d.store;
    match state.top() {
        Screen::Frame(f) => {
            let list = f.current();
            let items: Vec<u32> = if list.marks.is_empty() {
                list.selected_item().into_iter().collect()
            } else {
                marks_in_list_order(list)
            };
            let items: Vec<u32> = items.into_iter().filter(|i| i & GROUP_BIT == 0).collect();
            if items.is_empty() {
                return None;
            }
            let n = items.len();
            let plural = |one: &str, many: &str| {
                if n == 1 {
                    one.to_string()
                } else {
                    format!("{n} {many}")
                }
            };
            let mut ev = empty(state, "");
            match f.view {
                ViewId::Alerts => {
                    ev.what = plural("alert evidence", "alerts");
                    for a in items.iter().filter_map(|&i| d.alerts.get(i as usize)) {
                        add_alert(&mut ev, store, a);
                    }
                }
                ViewId::Requests => {
                    ev.what = plural("request", "requests");
                    for row in items
                        .iter()
                        .filter_map(|&i| d.derived.requests.get(i as usize))
                    {
                        add_request(&mut ev, store, row);
                    }
                }
                ViewId::Cli => {
                    ev.what = plural("CLI profile", "CLI profiles");
                    // Profiles as the list shows them: over the pivot or time range when one is set.
                    let scoped = list.cli_profiles.as_deref();
                    for p in items
                        .iter()
                        .filter_map(|&i| cli_row(scoped, &d.derived.cli, i))
                    {
                        let mut s = String::new();
                        let _ = writeln!(
                            s,
                            "### CLI profile {}@{} ({}): {} command lines, {} – {}\n",
                            code(store.str(p.user)),
                            code(store.str(p.host)),
                            p.class.name(),
                            p.count,
                            format_timestamp(p.first),
                            format_timestamp(p.last)
                        );
                        for &i in p.events.iter().take(evidence::MAX_EVIDENCE_EVENTS) {
                            if let Some(e) = store.event(i) {
                                let _ = writeln!(
                                    s,
                                    "- {} {} ({})",
                                    format_timestamp(e.ts),
                                    code(store.str(e.command_line)),
                                    source_location(store, &e.source)
                                );
                            }
                        }
                        ev.markdown.push(s);
                        ev.json
                            .extend(p.events.iter().filter_map(|&i| event_json(store, i)));
                        ev.sources.extend(
                            p.events
                                .iter()
                                .filter_map(|&i| store.event(i))
                                .map(|e| e.source),
                        );
                    }
                }
                ViewId::Entities => {
                    ev.what = plural("entity", "entities");
                    let mut s = String::new();
                    // Counts as the list shows them: over the pivot or time range when one is set.
                    let scoped = list.entity_counts.as_deref();
                    for e in items
                        .iter()
                        .filter_map(|&i| entity_row(scoped, &d.derived.entities, i))
                    {
                        let t = entity_tally(scoped, &d.tallies, e);
                        let _ = writeln!(
                            s,
                            "- **{}:** {} — {} events, {} errors, {} alerts, risk {}, {} – {}",
                            e.kind.label(),
                            code(store.str(e.key)),
                            e.events,
                            e.errors,
                            t.alerts,
                            t.risk,
                            format_timestamp(e.first),
                            format_timestamp(e.last)
                        );
                        ev.json.push(json!({
                            "type": "entity", "kind": e.kind.name(), "value": store.str(e.key),
                            "events": e.events, "errors": e.errors, "alerts": t.alerts, "risk": t.risk,
                        }));
                    }
                    ev.markdown.push(s);
                }
                ViewId::Timeline => {
                    ev.what = plural("event", "events");
                    add_events(&mut ev, store, &items);
                }
                ViewId::Report => {
                    ev.what = plural("load report file", "load report files");
                    for f in items.iter().filter_map(|&i| d.report.files.get(i as usize)) {
                        let one = crate::ingest::report::LoadReport {
                            files: vec![f.clone()],
                            ..Default::default()
                        };
                        ev.markdown.push(evidence::block(&one.to_text()));
                        ev.json.push(serde_json::to_value(f).unwrap_or_default());
                    }
                }
            }
            Some(ev)
        }
        Screen::Alert(a) => {
            let alert = d.alerts.get(a.alert)?;
            let mut ev = empty(state, "alert evidence");
            add_alert(&mut ev, store, alert);
            Some(ev)
        }
        Screen::Commands(c) => {
            let i = c.events.get(c.selected).copied()?;
            let mut ev = empty(state, "command line");
            add_events(&mut ev, store, &[i]);
            Some(ev)
        }
        Screen::Doc(doc) => match (&doc.target, &doc.status) {
            (DocTarget::Request(row), DocStatus::Ready(l)) => {
                let mut ev = empty(state, "request evidence");
                let r = RequestRef { row, store };
                let text = l.doc.request.clone().unwrap_or_default();
                ev.markdown.push(evidence::request_markdown(&r, &text));
                ev.json.push(request_json(&r));
                ev.sources.extend(
                    row.events()
                        .filter_map(|i| store.event(i))
                        .map(|e| e.source),
                );
                Some(ev)
            }
            (DocTarget::Request(row), _) => {
                let mut ev = empty(state, "request evidence");
                add_request(&mut ev, store, row);
                Some(ev)
            }
            (DocTarget::Event(i), _) => {
                let mut ev = empty(state, "event");
                add_events(&mut ev, store, &[*i]);
                Some(ev)
            }
            (DocTarget::File(i), _) => {
                let f = d.report.files.get(*i as usize)?;
                let mut ev = empty(state, "load report file");
                ev.markdown.push(evidence::block(&format!(
                    "{}: {} rejected",
                    f.path, f.records_rejected
                )));
                Some(ev)
            }
        },
    }
}

pub fn copy(state: &mut AppState, raw: bool) -> Vec<Effect> {
    match collect(state) {
        Some(mut ev) if raw => {
            if ev.sources.is_empty() {
                state.toast("no raw records behind this selection", ToastKind::Error);
                return Vec::new();
            }
            ev.sources.truncate(MAX_RAW_RECORDS);
            vec![Effect::CopyRaw(Box::new(ev))]
        }
        Some(ev) => vec![Effect::Copy(Box::new(ev))],
        None => {
            state.toast("nothing selected to copy", ToastKind::Error);
            Vec::new()
        }
    }
}

/// Opens the export prompt with a suggested file name.
pub fn start_export(state: &mut AppState) -> Vec<Effect> {
    if collect(state).is_none() {
        state.toast("nothing selected to export", ToastKind::Error);
        return Vec::new();
    }
    state.exports += 1;
    let name = format!("strata-evidence-{}.md", state.exports);
    state.overlay = Some(Overlay::Input(Input::new(Purpose::Export, &name)));
    Vec::new()
}

pub fn finish_export(state: &mut AppState, path: &str) -> Vec<Effect> {
    let path = path.trim();
    if path.is_empty() {
        state.toast("export cancelled: no file name", ToastKind::Info);
        return Vec::new();
    }
    let Some(mut ev) = collect(state) else {
        return Vec::new();
    };
    ev.sources.truncate(MAX_RAW_RECORDS);
    vec![Effect::Export {
        path: path.into(),
        inputs: state.inputs.clone(),
        evidence: Box::new(ev),
    }]
}

/// Entities of the subject, for the pivot menu.
pub fn pivot_options(
    state: &AppState,
    s: &Subject,
) -> Vec<(crate::model::EntityKind, crate::model::Sym)> {
    crate::model::EntityKind::ALL
        .into_iter()
        .filter_map(|k| s.key(state, k).map(|v| (k, v)))
        .collect()
}

/// One-line summary for toasts.
pub fn describe_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Marked items in the order the list shows them (evidence reads like the screen); marks the
/// current filter hides follow, in item order.
fn marks_in_list_order(list: &super::views::ListState) -> Vec<u32> {
    let mut ordered = Vec::with_capacity(list.marks.len());
    for i in 0..list.rows.len() {
        if ordered.len() == list.marks.len() {
            break;
        }
        if let Some(item) = list.rows.get(i).filter(|item| list.marks.contains(item)) {
            ordered.push(item);
        }
    }
    if ordered.len() < list.marks.len() {
        let shown: std::collections::HashSet<u32> = ordered.iter().copied().collect();
        ordered.extend(list.marks.iter().filter(|m| !shown.contains(m)));
    }
    ordered
}
