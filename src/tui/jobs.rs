//! Background work behind [`Effect`]s, as blocking functions that report through a callback.
//! The async runtime runs them on `spawn_blocking`; the headless driver runs them inline.

use super::detection;
use crate::analysis::evidence::{request_markdown, source_location};
use crate::analysis::requests::RequestRef;
use crate::app::doc::Document;
use crate::app::msg::Evidence;
use crate::app::views::DocTarget;
use crate::app::{docbuild, query, Derived, Effect, Msg, ToastKind};
use crate::cli::DetectionArgs;
use crate::detect::RuleSet;
use crate::ingest::raw::read_records;
use crate::model::EventStore;
use crate::output_guard::refuse_inside_log_set;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a job hands back to the loop.
#[derive(Debug)]
pub enum Outcome {
    Msg(Msg),
    /// Text to put on the clipboard (the loop owns the terminal writer).
    Copy {
        text: String,
        what: String,
    },
}

/// Settings the jobs need.
#[derive(Clone, Debug)]
pub struct JobCtx {
    pub detection: DetectionArgs,
    /// The loaded rules (built-in plus `--rules` folders), their keyword set and CLI verbs.
    pub rules: Arc<RuleSet>,
}

impl Default for JobCtx {
    /// The built-in rules with their prompt probes registered.
    fn default() -> Self {
        let mut rules = RuleSet::builtin().unwrap_or_else(|_| RuleSet::empty());
        let mut probes = crate::model::TextProbes::new();
        let _ = rules.register_probes(&mut probes);
        JobCtx {
            detection: DetectionArgs::default(),
            rules: Arc::new(rules),
        }
    }
}

fn read_texts(store: &EventStore, target: &DocTarget) -> Vec<Result<String, String>> {
    let sources = docbuild::sources(store, target);
    read_records(store, &sources)
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

pub fn build_doc(
    store: &EventStore,
    target: &DocTarget,
    hl: &crate::analysis::highlight::Highlighter,
) -> Document {
    let raws = read_texts(store, target);
    let mut doc = docbuild::build(store, target, &raws);
    doc.highlight(hl);
    doc
}

/// The evidence Markdown, reading the requests' prompts and completions.
pub fn evidence_markdown(ev: &Evidence) -> String {
    let store = &*ev.store;
    let mut parts = ev.markdown.clone();
    for row in &ev.requests {
        let doc = build_doc(store, &DocTarget::Request(*row), &ev.highlighter);
        let text = doc.request.unwrap_or_default();
        parts.push(request_markdown(&RequestRef { row, store }, &text));
    }
    parts.join("\n")
}

/// The raw records as JSON lines (each re-serialised compactly when it parses).
pub fn raw_lines(ev: &Evidence) -> String {
    let store = &*ev.store;
    let mut out = String::new();
    for (src, r) in ev.sources.iter().zip(read_records(store, &ev.sources)) {
        match r {
            Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => out.push_str(&v.to_string()),
                Err(_) => out.push_str(text.trim()),
            },
            Err(e) => out.push_str(&serde_json::json!({"unreadable": source_location(store, src), "error": e.to_string()}).to_string()),
        }
        out.push('\n');
    }
    out
}

/// strata never writes into the log set: a path inside one of the input folders is refused.
fn export(path: &Path, inputs: &[PathBuf], ev: &Evidence) -> Result<String, String> {
    let json_path = path.with_extension("json");
    for p in [path, json_path.as_path()] {
        refuse_inside_log_set(p, inputs).map_err(|e| e.to_string())?;
        if p.exists() {
            return Err(format!("{} exists; choose another name", p.display()));
        }
    }
    let markdown = evidence_markdown(ev);
    let store = &*ev.store;
    let records: Vec<serde_json::Value> = ev
        .sources
        .iter()
        .zip(read_records(store, &ev.sources))
        .map(|(src, r)| {
            let record = match r {
                Ok(t) => serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)),
                Err(e) => serde_json::json!({"unreadable": e.to_string()}),
            };
            serde_json::json!({"source": source_location(store, src), "record": record})
        })
        .collect();
    let bundle = serde_json::json!({
        "generator": "strata",
        "items": ev.json,
        "records": records,
    });
    let json = crate::safe_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
    let write = |p: &Path, text: &str| -> Result<(), String> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        f.write_all(text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write(path, &markdown)?;
    write(&json_path, &json)?;
    Ok(format!(
        "exported {} to {} and {} ({})",
        ev.what,
        path.display(),
        json_path.display(),
        crate::ui::count::count_of(ev.sources.len() as u64, "raw record", "raw records")
    ))
}

/// Runs one effect to completion. `Quit` and `Redraw` are the loop's own business.
pub fn execute(effect: Effect, ctx: &JobCtx, emit: &mut (dyn FnMut(Outcome) + Send)) {
    match effect {
        Effect::Quit | Effect::Redraw => {}
        Effect::Derive(store) => {
            let derived = Derived::build(&store, &ctx.rules.cli);
            emit(Outcome::Msg(Msg::Derived(Arc::new(derived))))
        }
        Effect::Detect(store) => detection::run(&store, ctx, &mut |m| emit(Outcome::Msg(m))),
        Effect::Query(job) => emit(Outcome::Msg(Msg::QueryDone(Box::new(query::run(&job))))),
        Effect::LoadDoc {
            id,
            target,
            store,
            highlighter,
        } => {
            let doc = build_doc(&store, &target, &highlighter);
            emit(Outcome::Msg(Msg::DocLoaded {
                id,
                result: Ok(doc),
            }));
        }
        Effect::Copy(ev) => emit(Outcome::Copy {
            text: evidence_markdown(&ev),
            what: ev.what.clone(),
        }),
        Effect::CopyRaw(ev) => emit(Outcome::Copy {
            text: raw_lines(&ev),
            what: format!(
                "{} raw record{}",
                ev.sources.len(),
                if ev.sources.len() == 1 { "" } else { "s" }
            ),
        }),
        Effect::Export {
            path,
            inputs,
            evidence,
        } => {
            let msg = match export(&path, &inputs, &evidence) {
                Ok(m) => Msg::Toast(m, ToastKind::Info),
                Err(e) => Msg::Toast(format!("export failed: {e}"), ToastKind::Error),
            };
            emit(Outcome::Msg(msg));
        }
    }
}
