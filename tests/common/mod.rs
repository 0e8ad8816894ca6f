//! Loading test fixtures into an event store.
//!
//! Until the ingest module is merged, this follows the ingest contract (which fields CloudTrail,
//! invocation-log and endpoint records fill) closely enough for detection tests; the fixtures
//! themselves are real-shaped records, so switching to `strata::ingest` changes nothing in them.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use strata::detect::{DetectOptions, DetectOutcome, RuleSet};
use strata::model::time::parse_timestamp;
use strata::model::{
    ErrorClass, Event, EventStore, FileBatch, Interner, Outcome, RawEncoding, SourceFile,
    SourceRef, StoreBuilder, Strand, Sym, TextProbes,
};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Data files of a fixture folder (everything but `expect.toml` and notes), sorted.
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != "expect.toml" && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    files
}

/// Builtin rules with their prompt probes registered, and a store of `files`.
pub fn load(files: &[PathBuf]) -> (RuleSet, EventStore) {
    let mut rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let store = build_store(files, &probes);
    (rules, store)
}

pub fn scan(files: &[PathBuf], baseline_days: Option<u32>) -> (DetectOutcome, EventStore) {
    let (rules, store) = load(files);
    let opts = DetectOptions {
        baseline_days,
        cancel: None,
    };
    (strata::detect::run_all(&rules, &store, &opts), store)
}

pub fn build_store(files: &[PathBuf], probes: &TextProbes) -> EventStore {
    let mut b = StoreBuilder::new();
    for path in files {
        let file = b.add_file(SourceFile {
            path: path.clone(),
            gzip: false,
        });
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut batch = FileBatch {
            events: Vec::new(),
            strings: Interner::new(),
            attrs: Vec::new(),
        };
        for (record, (offset, len, value)) in records(&text).into_iter().enumerate() {
            let src = SourceRef {
                file,
                record: record as u32,
                offset,
                len,
                encoding: RawEncoding::Direct,
            };
            if let Some(e) = normalize(&value, src, &mut batch, probes) {
                batch.events.push(e);
            }
        }
        b.absorb(batch);
    }
    b.finish()
}

/// Records with their byte offset and length: a JSON array, a `{"Records": [...]}` envelope, or
/// one object per line.
fn records(text: &str) -> Vec<(u64, u32, Value)> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with("{\"Records\"") {
        let v: Value = serde_json::from_str(text).expect("json");
        let list = match v {
            Value::Array(a) => a,
            Value::Object(mut o) => match o.remove("Records") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        return list.into_iter().map(|v| (0, 0, v)).collect();
    }
    let mut out = Vec::new();
    let mut offset = 0u64;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        if !body.is_empty() {
            let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("bad line: {e}"));
            out.push((offset, body.len() as u32, v));
        }
        offset += line.len() as u64;
    }
    out
}

fn s<'a>(v: &'a Value, path: &str) -> &'a str {
    let mut cur = v;
    for part in path.split('.') {
        match cur.get(part) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(o) => {
            for (k, v) in o {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

fn intern(b: &mut FileBatch, s: &str) -> Sym {
    b.strings.intern(s)
}

fn set_attrs(e: &mut Event, b: &mut FileBatch, attrs: Vec<(String, String)>) {
    e.attrs_start = b.attrs.len() as u32;
    e.attrs_len = attrs.len().min(u16::MAX as usize) as u16;
    for (k, v) in attrs.into_iter().take(u16::MAX as usize) {
        let pair = (intern(b, &k), intern(b, &v));
        b.attrs.push(pair);
    }
}

fn normalize(v: &Value, src: SourceRef, b: &mut FileBatch, probes: &TextProbes) -> Option<Event> {
    if v.get("eventName").is_some() {
        return Some(cloudtrail(v, src, b));
    }
    if v.get("operation").is_some() && v.get("modelId").is_some() {
        return Some(invocation(v, src, b, probes));
    }
    if v.pointer("/event/exec/args").is_some() {
        return Some(jamf(v, src, b));
    }
    None
}

fn cloudtrail(v: &Value, src: SourceRef, b: &mut FileBatch) -> Event {
    let strand = if s(v, "eventCategory") == "Data" {
        Strand::Data
    } else {
        Strand::Management
    };
    let ts = parse_timestamp(s(v, "eventTime")).expect("eventTime");
    let mut e = Event::new(strand, ts, src);
    e.action = intern(b, s(v, "eventName"));
    e.provider = intern(b, s(v, "eventSource"));
    let code = s(v, "errorCode");
    e.error_code = intern(b, code);
    e.error_class = ErrorClass::of(code);
    e.outcome = if code.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let arn = s(v, "userIdentity.arn");
    e.user_arn = intern(b, arn);
    let mut name = s(v, "userIdentity.userName");
    if name.is_empty() {
        name = arn.rsplit('/').next().unwrap_or("");
    }
    e.user_name = intern(b, name);
    e.user_type = intern(b, s(v, "userIdentity.type"));
    e.access_key = intern(b, s(v, "userIdentity.accessKeyId"));
    e.session_issuer = intern(b, s(v, "userIdentity.sessionContext.sessionIssuer.arn"));
    let mut account = s(v, "recipientAccountId");
    if account.is_empty() {
        account = s(v, "userIdentity.accountId");
    }
    e.account = intern(b, account);
    e.region = intern(b, s(v, "awsRegion"));
    e.source_ip = intern(b, s(v, "sourceIPAddress"));
    e.user_agent = intern(b, s(v, "userAgent"));
    e.request_id = intern(b, s(v, "requestID"));
    let model = [
        "requestParameters.modelId",
        "requestParameters.modelIdentifier",
        "requestParameters.baseModelIdentifier",
    ]
    .iter()
    .map(|p| s(v, p))
    .find(|m| !m.is_empty())
    .unwrap_or("");
    e.model_id = intern(b, model);
    let mut attrs = Vec::new();
    for root in [
        "requestParameters",
        "responseElements",
        "additionalEventData",
        "resources",
    ] {
        if let Some(x) = v.get(root) {
            flatten(root, x, &mut attrs);
        }
    }
    for key in [
        "errorMessage",
        "eventCategory",
        "eventType",
        "eventID",
        "readOnly",
    ] {
        if let Some(x) = v.get(key) {
            flatten(key, x, &mut attrs);
        }
    }
    set_attrs(&mut e, b, attrs);
    e
}

fn texts(content: &Value, out: &mut Vec<String>) {
    match content {
        Value::String(t) => out.push(t.clone()),
        Value::Array(items) => {
            for it in items {
                if let Some(t) = it.get("text").and_then(Value::as_str) {
                    out.push(t.to_string());
                } else if let Some(t) = it
                    .pointer("/guardContent/text/text")
                    .and_then(Value::as_str)
                {
                    out.push(t.to_string());
                }
            }
        }
        _ => {}
    }
}

/// The text the user typed: inside `<input>…</input>` when present, else the user turns.
fn user_prompt(body: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(p) = body.get("prompt").and_then(Value::as_str) {
        parts.push(p.to_string());
    }
    if let Some(p) = body.get("inputText").and_then(Value::as_str) {
        parts.push(p.to_string());
    }
    if let Some(msgs) = body.get("messages").and_then(Value::as_array) {
        for m in msgs {
            if m.get("role").and_then(Value::as_str) == Some("user") {
                if let Some(c) = m.get("content") {
                    texts(c, &mut parts);
                }
            }
        }
    }
    let all = parts.join("\n");
    if let (Some(a), Some(z)) = (all.find("<input>"), all.rfind("</input>")) {
        if a + 7 <= z {
            return all[a + 7..z].to_string();
        }
    }
    all
}

fn guardrail_ids(out: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    let mut visit = |o: &Value| {
        for p in [
            "/amazon-bedrock-trace/guardrail/input",
            "/trace/guardrail/inputAssessment",
        ] {
            if let Some(Value::Object(m)) = o.pointer(p) {
                ids.extend(m.keys().cloned());
            }
        }
    };
    match out {
        Value::Array(items) => items.iter().for_each(&mut visit),
        other => visit(other),
    }
    ids.sort();
    ids.dedup();
    ids
}

fn invocation(v: &Value, src: SourceRef, b: &mut FileBatch, probes: &TextProbes) -> Event {
    let ts = parse_timestamp(s(v, "timestamp")).expect("timestamp");
    let mut e = Event::new(Strand::Invocation, ts, src);
    e.action = intern(b, s(v, "operation"));
    e.provider = intern(b, "bedrock-runtime");
    e.user_arn = intern(b, s(v, "identity.arn"));
    e.user_name = intern(b, s(v, "identity.arn").rsplit('/').next().unwrap_or(""));
    e.account = intern(b, s(v, "accountId"));
    e.region = intern(b, s(v, "region"));
    e.request_id = intern(b, s(v, "requestId"));
    e.model_id = intern(b, s(v, "modelId"));
    let code = s(v, "errorCode");
    e.error_code = intern(b, code);
    e.error_class = ErrorClass::of(code);
    e.outcome = if code.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let count = |p: &str| {
        v.pointer(p)
            .and_then(Value::as_u64)
            .map_or(strata::model::NO_COUNT, |n| n as u32)
    };
    e.prompt_tokens = count("/input/inputTokenCount");
    e.completion_tokens = count("/output/outputTokenCount");
    if let Some(out) = v.pointer("/output/outputBodyJson") {
        let ids = guardrail_ids(out);
        e.guardrail_ids = intern(b, &ids.join(","));
    }
    if let Some(body) = v.pointer("/input/inputBodyJson") {
        let text = user_prompt(body);
        e.prompt_chars = text.chars().count() as u32;
        e.probe_hits = probes.hits(&text);
    }
    let mut attrs = Vec::new();
    for p in [
        "input.inputBodyS3Path",
        "output.outputBodyS3Path",
        "inferenceRegion",
    ] {
        let val = s(v, p);
        if !val.is_empty() {
            attrs.push((p.to_string(), val.to_string()));
        }
    }
    set_attrs(&mut e, b, attrs);
    e
}

fn jamf(v: &Value, src: SourceRef, b: &mut FileBatch) -> Event {
    let ts = parse_timestamp(s(v, "time")).expect("time");
    let mut e = Event::new(Strand::Endpoint, ts, src);
    let args: Vec<String> = v
        .pointer("/event/exec/args")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    e.command_line = intern(b, &args.join(" "));
    let exe = args
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    e.action = intern(b, &exe);
    let user = v
        .pointer("/event/exec/env")
        .and_then(Value::as_array)
        .and_then(|env| {
            env.iter()
                .filter_map(Value::as_str)
                .find_map(|x| x.strip_prefix("USER="))
        })
        .unwrap_or("");
    e.user_name = intern(b, user);
    e.host = intern(b, s(v, "host.hostname"));
    e.outcome = Outcome::Unknown;
    let attrs = args
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("process.args.{i}"), a.clone()))
        .collect();
    set_attrs(&mut e, b, attrs);
    e
}
