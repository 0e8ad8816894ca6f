//! Hand-built filters, events and stores for unit tests of the detections.

use crate::detect::diag::Reporter;
use crate::detect::filter::{Filter, FilterDoc};
use crate::detect::KeywordSet;
use crate::model::{
    ErrorClass, Event, EventStore, FileBatch, Interner, Outcome, RawEncoding, SourceFile,
    SourceRef, StoreBuilder, Strand, NO_COUNT,
};

/// 2024-10-17T00:00:00Z
pub const T0: i64 = 1_729_123_200_000;
pub const MIN: i64 = 60_000;
pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 86_400_000;

/// Parses and validates the `[filter]` table of `src` (a rule file named `t.toml`); `Err` holds
/// the diagnostics, one a line.
pub fn parse_filter(src: &str) -> Result<Filter, String> {
    #[derive(serde::Deserialize)]
    struct Doc {
        filter: toml::Spanned<FilterDoc>,
    }
    let doc: Doc = toml::from_str(src).map_err(|e| e.to_string())?;
    let kw = KeywordSet::builtin();
    let mut rep = Reporter::new("t.toml", src);
    let f = Filter::from_doc(&doc.filter, &kw, &mut rep);
    match f {
        Some(f) if rep.is_clean() => Ok(f),
        _ => Err(rep
            .out
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

#[derive(Clone, Debug)]
pub struct Ev {
    pub strand: Strand,
    pub ts: i64,
    pub fields: Vec<(&'static str, String)>,
    pub attrs: Vec<(String, String)>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub prompt_chars: u32,
    pub probe_hits: u64,
}

impl Ev {
    pub fn new(strand: Strand, ts: i64, action: &str) -> Ev {
        let provider = match strand {
            Strand::Invocation => "bedrock-runtime",
            Strand::Endpoint => "",
            _ => "bedrock.amazonaws.com",
        };
        Ev {
            strand,
            ts,
            fields: vec![("action", action.into()), ("provider", provider.into())],
            attrs: Vec::new(),
            prompt_tokens: NO_COUNT,
            completion_tokens: NO_COUNT,
            prompt_chars: 0,
            probe_hits: 0,
        }
    }

    pub fn ct(ts: i64, action: &str) -> Ev {
        Ev::new(Strand::Management, ts, action)
    }

    pub fn inv(ts: i64) -> Ev {
        Ev::new(Strand::Invocation, ts, "InvokeModel")
    }

    pub fn set(mut self, field: &'static str, v: &str) -> Ev {
        self.fields.retain(|(f, _)| *f != field);
        self.fields.push((field, v.into()));
        self
    }

    pub fn user(self, arn: &str) -> Ev {
        self.set("user_arn", arn)
    }

    pub fn attr(mut self, k: &str, v: &str) -> Ev {
        self.attrs.push((k.into(), v.into()));
        self
    }

    pub fn tokens(mut self, prompt: u32, completion: u32) -> Ev {
        self.prompt_tokens = prompt;
        self.completion_tokens = completion;
        self
    }
}

pub fn store(events: Vec<Ev>) -> EventStore {
    let mut b = StoreBuilder::new();
    let file = b.add_file(SourceFile {
        path: "test.json".into(),
    });
    let mut batch = FileBatch {
        events: Vec::new(),
        strings: Interner::new(),
        attrs: Vec::new(),
    };
    for (n, ev) in events.into_iter().enumerate() {
        let src = SourceRef {
            file,
            record: n as u32,
            offset: n as u64 * 100,
            len: 100,
            encoding: RawEncoding::Direct,
        };
        let mut e = Event::new(ev.strand, ev.ts, src);
        e.outcome = Outcome::Success;
        for (f, v) in &ev.fields {
            let s = batch.strings.intern(v);
            match *f {
                "action" => e.action = s,
                "provider" => e.provider = s,
                "error_code" => {
                    e.error_code = s;
                    e.error_class = ErrorClass::of(v);
                    e.outcome = Outcome::Failure;
                }
                "user_arn" => e.user_arn = s,
                "user_name" => e.user_name = s,
                "user_type" => e.user_type = s,
                "access_key" => e.access_key = s,
                "session_issuer" => e.session_issuer = s,
                "account" => e.account = s,
                "region" => e.region = s,
                "source_ip" => e.source_ip = s,
                "user_agent" => e.user_agent = s,
                "request_id" => e.request_id = s,
                "model_id" => e.model_id = s,
                "host" => e.host = s,
                "command_line" => e.command_line = s,
                "guardrail_ids" => e.guardrail_ids = s,
                other => panic!("unknown test field {other}"),
            }
        }
        e.prompt_tokens = ev.prompt_tokens;
        e.completion_tokens = ev.completion_tokens;
        e.prompt_chars = ev.prompt_chars;
        e.probe_hits = ev.probe_hits;
        e.attrs_start = batch.attrs.len() as u32;
        e.attrs_len = ev.attrs.len() as u16;
        for (k, v) in &ev.attrs {
            let (k, v) = (batch.strings.intern(k), batch.strings.intern(v));
            batch.attrs.push((k, v));
        }
        batch.events.push(e);
    }
    b.absorb(batch);
    b.finish()
}

/// Runs one rule (given as TOML text) over `events`.
pub fn run_rule(
    rule: &str,
    events: Vec<Ev>,
    baseline_days: Option<u32>,
) -> crate::detect::RuleResult {
    let mut set = crate::detect::RuleSet::empty();
    if let Err(e) = set.add_rule(
        "test.toml",
        rule,
        crate::detect::RuleSource::Builtin("test.toml"),
    ) {
        panic!("{e}");
    }
    let mut probes = crate::model::TextProbes::new();
    set.register_probes(&mut probes).expect("probes");
    let st = store(events);
    let opts = crate::detect::DetectOptions {
        baseline_days,
        cancel: None,
    };
    let out = std::sync::Mutex::new(Vec::new());
    crate::detect::run(&set, &st, &opts, |o| {
        out.lock().expect("lock").push(o.result)
    });
    out.into_inner().expect("lock").pop().expect("one rule")
}

/// The alerts of [`run_rule`], sorted by first event; panics when the rule was not evaluated.
pub fn alerts(
    rule: &str,
    events: Vec<Ev>,
    baseline_days: Option<u32>,
) -> Vec<crate::detect::Alert> {
    match run_rule(rule, events, baseline_days) {
        crate::detect::RuleResult::Alerts(mut a) => {
            a.sort_by(|x, y| (x.first_seen, &x.group).cmp(&(y.first_seen, &y.group)));
            a
        }
        crate::detect::RuleResult::NotEvaluated(r) => panic!("not evaluated: {r}"),
    }
}

/// A rule file header with the given strands, for kind tests.
pub fn header(strands: &str) -> String {
    format!(
        r#"id = "t"
title = "{{count}} events"
severity = "medium"
risk_score = 47
strands = [{strands}]
description = "d"
[guide]
triage = "t"
false_positive_analysis = "f"
response = "r"
"#
    )
}
