//! Builds the documents of the request view, the raw-record view and the load-report file view
//! from re-read raw records. Pure: the runtime reads the records (see [`sources`]) and passes
//! their text in.

use super::doc::{Document, Section};
use super::views::DocTarget;
use crate::analysis::evidence::{source_location, RequestText};
use crate::analysis::requests::{count_text, RequestRef};
use crate::ingest::invocation_body;
use crate::ingest::report::FileReport;
use crate::model::time::format_timestamp;
use crate::model::{Event, EventStore, SourceRef};

/// The raw records a document needs, in the order [`build`] expects them.
pub fn sources(store: &EventStore, target: &DocTarget) -> Vec<SourceRef> {
    let ids: Vec<u32> = match target {
        DocTarget::Request(r) => r.events().collect(),
        DocTarget::Event(i) => vec![*i],
        DocTarget::File(_) => Vec::new(),
    };
    ids.iter()
        .filter_map(|&i| store.event(i))
        .map(|e| e.source)
        .collect()
}

pub fn title(store: &EventStore, target: &DocTarget) -> String {
    match target {
        DocTarget::Request(r) => format!("request {}", RequestRef { row: r, store }.request_id()),
        DocTarget::Event(i) => match store.event(*i) {
            Some(e) => format!("{} event {}", e.strand.name(), store.str(e.action)),
            None => "event".to_string(),
        },
        DocTarget::File(_) => "load report file".to_string(),
    }
}

fn pretty(raw: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| raw.to_string()),
        Err(_) => raw.to_string(),
    }
}

fn fact(facts: &mut Vec<(String, String)>, k: &str, v: &str) {
    if !v.is_empty() {
        facts.push((k.to_string(), v.to_string()));
    }
}

fn section(title: &str, text: String) -> Section {
    Section {
        title: title.to_string(),
        text,
        hits: Vec::new(),
        scan: true,
    }
}

/// A section shown as is, without keyword matching.
fn record_section(title: &str, text: String) -> Section {
    Section {
        scan: false,
        ..section(title, text)
    }
}

/// `raws` are the results of reading [`sources`], in the same order.
pub fn build(store: &EventStore, target: &DocTarget, raws: &[Result<String, String>]) -> Document {
    match target {
        DocTarget::Request(row) => {
            let r = RequestRef { row, store };
            let mut doc = Document {
                title: title(store, target),
                ..Document::default()
            };
            let f = &mut doc.facts;
            fact(f, "Time", &format_timestamp(row.ts));
            fact(f, "Caller", r.caller());
            fact(f, "Model", r.model());
            fact(f, "Operation", r.operation());
            fact(f, "Request id", r.request_id());
            fact(
                f,
                "Tokens",
                &format!(
                    "in {} / out {}",
                    count_text(r.tokens_in()),
                    count_text(r.tokens_out())
                ),
            );
            fact(f, "Error", r.error());
            let events: Vec<&Event> = row.events().filter_map(|i| store.event(i)).collect();
            for e in &events {
                fact(f, "Account", store.str(e.account));
                fact(f, "Source IP", store.str(e.source_ip));
                fact(f, "User agent", store.str(e.user_agent));
                fact(f, "Access key", store.str(e.access_key));
            }
            dedup_facts(f);
            let mut text = RequestText::default();
            let mut raws = raws.iter();
            if row.invocation.is_some() {
                match raws.next() {
                    Some(Ok(raw)) => invocation_sections(raw, &mut doc, &mut text),
                    Some(Err(e)) => doc.sections.push(section(
                        "Model-invocation record",
                        format!("cannot read: {e}"),
                    )),
                    None => {}
                }
            } else {
                doc.sections.push(section(
                    "Prompt",
                    "(no model-invocation log record for this request: prompts and completions are only in \
                     invocation logs)"
                        .to_string(),
                ));
            }
            if row.cloudtrail.is_some() {
                let text = match raws.next() {
                    Some(Ok(raw)) => pretty(raw),
                    Some(Err(e)) => format!("cannot read: {e}"),
                    None => String::new(),
                };
                doc.sections.push(record_section("CloudTrail record", text));
            }
            for e in &events {
                doc.facts.push((
                    format!("Source ({})", e.strand.name()),
                    source_location(store, &e.source),
                ));
            }
            text.guardrail = r.guardrail().to_string();
            doc.request = Some(text);
            doc
        }
        DocTarget::File(_) => Document {
            title: title(store, target),
            ..Document::default()
        },
        DocTarget::Event(i) => {
            let mut doc = Document {
                title: title(store, target),
                ..Document::default()
            };
            if let Some(e) = store.event(*i) {
                let f = &mut doc.facts;
                fact(f, "Time", &format_timestamp(e.ts));
                fact(f, "Strand", e.strand.label());
                fact(f, "Action", store.str(e.action));
                fact(f, "Provider", store.str(e.provider));
                fact(f, "Principal", store.str(e.principal()));
                fact(f, "Account", store.str(e.account));
                fact(f, "Region", store.str(e.region));
                fact(f, "Source IP", store.str(e.source_ip));
                fact(f, "User agent", store.str(e.user_agent));
                fact(f, "Access key", store.str(e.access_key));
                fact(f, "Host", store.str(e.host));
                fact(f, "Command line", store.str(e.command_line));
                fact(f, "Error", store.str(e.error_code));
                fact(f, "Request id", store.str(e.request_id));
                fact(f, "Source", &source_location(store, &e.source));
            }
            let text = match raws.first() {
                Some(Ok(raw)) => pretty(raw),
                Some(Err(e)) => format!("cannot read: {e}"),
                None => String::new(),
            };
            doc.sections.push(section("Raw record", text));
            doc
        }
    }
}

fn dedup_facts(f: &mut Vec<(String, String)>) {
    let mut seen: Vec<String> = Vec::new();
    f.retain(|(k, _)| {
        if seen.contains(k) {
            false
        } else {
            seen.push(k.clone());
            true
        }
    });
}

/// The parts of an invocation record the request view reads; the bodies stay raw so the full
/// extraction (turns, trace, findings) runs only for the record on screen.
#[derive(serde::Deserialize)]
struct RecordBodies<'a> {
    #[serde(borrow, default)]
    input: Option<InputBody<'a>>,
    #[serde(borrow, default)]
    output: Option<OutputBody<'a>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct InputBody<'a> {
    #[serde(borrow, default)]
    input_body_json: Option<&'a serde_json::value::RawValue>,
    #[serde(default)]
    input_body_s3_path: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutputBody<'a> {
    #[serde(borrow, default)]
    output_body_json: Option<&'a serde_json::value::RawValue>,
}

/// System prompt, turns, completion, stop reason and guardrail trace of an invocation record.
fn invocation_sections(raw: &str, doc: &mut Document, text: &mut RequestText) {
    let rec: RecordBodies<'_> = match serde_json::from_str(raw) {
        Ok(r) => r,
        Err(e) => {
            doc.sections.push(section(
                "Model-invocation record",
                format!("unreadable JSON: {e}\n\n{raw}"),
            ));
            return;
        }
    };
    let input = rec.input.as_ref().and_then(|i| i.input_body_json);
    let output = rec.output.as_ref().and_then(|o| o.output_body_json);
    let t = invocation_body::extract(input, output);
    if !t.system.is_empty() {
        doc.sections
            .push(section("System prompt", t.system.clone()));
    }
    for (n, turn) in t.turns.iter().enumerate() {
        doc.sections.push(section(
            &format!("Turn {} · {}", n + 1, turn.role),
            turn.text.clone(),
        ));
    }
    if t.turns.is_empty() && input.is_none() {
        let why = match rec
            .input
            .as_ref()
            .and_then(|i| i.input_body_s3_path.as_deref())
        {
            Some(p) => format!("(the prompt was delivered to S3: {p})"),
            None => "(the record has no prompt body)".to_string(),
        };
        doc.sections.push(section("Prompt", why));
    }
    doc.sections
        .push(section("Completion", t.completion.clone()));
    let mut facts = Vec::new();
    fact(
        &mut facts,
        "Stop reason",
        t.stop_reason.as_deref().unwrap_or(""),
    );
    let guard = match (&t.guardrail_action, t.guardrail_ids.is_empty()) {
        (Some(a), false) => format!("{a} ({})", t.guardrail_ids.join(", ")),
        (Some(a), true) => a.clone(),
        (None, false) => t.guardrail_ids.join(", "),
        (None, true) => String::new(),
    };
    fact(&mut facts, "Guardrail", &guard);
    doc.facts.extend(facts);
    if let Some(trace) = &t.guardrail_trace {
        doc.sections
            .push(record_section("Guardrail trace", pretty(trace)));
    }
    text.system = t.system.clone();
    text.prompt = t.user_prompt.clone();
    text.completion = t.completion.clone();
    text.stop_reason = t.stop_reason.clone().unwrap_or_default();
}

/// A load-report file as a document: its counts, rejected records and warnings.
pub fn file_report(f: &FileReport) -> Document {
    let mut doc = Document {
        title: f.path.clone(),
        ..Document::default()
    };
    let facts = &mut doc.facts;
    fact(facts, "File", &f.path);
    fact(facts, "Format", f.format.as_deref().unwrap_or("unknown"));
    fact(facts, "Compressed", if f.gzip { "gzip" } else { "no" });
    fact(
        facts,
        "Bytes",
        &format!(
            "{} on disk, {} decompressed",
            f.bytes_on_disk, f.bytes_decompressed
        ),
    );
    fact(
        facts,
        "Records",
        &format!(
            "seen {} = loaded {} + rejected {}",
            f.records_seen, f.records_loaded, f.records_rejected
        ),
    );
    if let Some(s) = &f.skipped {
        fact(facts, "Skipped", s);
    }
    let mut rej: String = f
        .rejections
        .iter()
        .map(|r| format!("{}: {}\n", r.location, r.reason))
        .collect();
    if f.rejections_not_listed > 0 {
        rej.push_str(&format!(
            "… {} more rejections not listed\n",
            f.rejections_not_listed
        ));
    }
    if !rej.is_empty() {
        doc.sections.push(section("Rejected records", rej));
    }
    let warn: String = f
        .warnings
        .iter()
        .map(|r| format!("{}: {}\n", r.location, r.reason))
        .collect();
    if !warn.is_empty() {
        doc.sections.push(section("Warnings", warn));
    }
    doc
}
