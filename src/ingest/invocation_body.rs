//! Text and guardrail facts from the request and response bodies of Bedrock model-invocation logs
//! (`input.inputBodyJson`, `output.outputBodyJson`).
//!
//! Body shapes differ by API (InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream)
//! and by model family, and the request body is whatever the caller sent. Each body is therefore read
//! in a single pass that borrows from it and reads leniently: a field of an unexpected type or an
//! unknown shape reads as empty instead of failing the body, and nothing here panics on any input.

mod content;
mod guardrail;
mod lenient;
mod request;
mod response;
mod stream_skim;

#[cfg(test)]
mod tests;

use serde::de::{Deserialize, DeserializeSeed, Deserializer};
use serde_json::value::RawValue;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use lenient::{parse, Lenient};
pub use stream_skim::stream_facts;

/// One message of the conversation sent to the model.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Role as logged (`user`, `assistant`, `system`, Cohere `USER` / `CHATBOT`, …).
    pub role: String,
    /// Text blocks joined with a blank line; other blocks appear as bracketed markers such as
    /// `[document: name (pdf) s3://…]`, `[tool_use name]`, `[tool_result id: preview]`, `[thinking]`.
    pub text: String,
}

impl Turn {
    fn user(text: &str) -> Self {
        Turn {
            role: "user".to_owned(),
            text: text.to_owned(),
        }
    }
}

/// One guardrail policy finding, flattened out of a guardrail trace.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GuardrailFinding {
    pub guardrail_id: String,
    /// `"input"` (request assessment) or `"output"` (response assessment).
    pub stage: &'static str,
    /// `topicPolicy`, `contentPolicy`, `wordPolicy`, `sensitiveInformationPolicy` or
    /// `contextualGroundingPolicy`.
    pub policy: String,
    /// Topic name; content filter type (`VIOLENCE`, `PROMPT_ATTACK`, …); `CUSTOM_WORD` or the managed
    /// list type (`PROFANITY`); PII type (`EMAIL`, …) or regex name; grounding type (`GROUNDING`,
    /// `RELEVANCE`).
    pub kind: String,
    /// `BLOCKED`, `ANONYMIZED`, `NONE`, … as logged.
    pub action: String,
    /// Confidence level (`HIGH`, …), or for grounding filters `score S / threshold T`.
    pub confidence: Option<String>,
    /// The matched word, PII value or regex match.
    pub matched: Option<String>,
}

/// Everything readable from one invocation's bodies. Absent parts are empty / `None`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct InvocationText {
    /// System prompt: Anthropic `system` (string or blocks), Converse `system[]`, Cohere `preamble`,
    /// `system`-role messages, or the text before the first `Human:` of a legacy prompt; joined with a
    /// blank line.
    pub system: String,
    /// Every message in order (Anthropic / Converse / OpenAI-style `messages`, Cohere `chat_history`
    /// and `message`, legacy `Human:` / `Assistant:` segments, Titan `inputText`, a plain `prompt`).
    pub turns: Vec<Turn>,
    /// The text detections inspect: the inner texts of `<input>…</input>` in user turns when any user
    /// turn has one (an unclosed tag runs to the end of its turn), otherwise all user-turn text; tool
    /// results, documents and other markers are not part of it. Pieces are joined with a blank line.
    pub user_prompt: String,
    /// Assembled model output. Stream fragments are concatenated; separate content blocks and choices
    /// are joined with a blank line; non-text output blocks appear as markers as in [`Turn::text`].
    pub completion: String,
    /// The last stop reason reported (`stop_reason`, `stopReason`, `completionReason`,
    /// `finish_reason`, stream `message_delta.delta.stop_reason`, …).
    pub stop_reason: Option<String>,
    /// `INTERVENED` if any `amazon-bedrock-guardrailAction` said so or Converse stopped with
    /// `guardrail_intervened`; else the last logged guardrail action (`NONE`); else `NONE` when a
    /// Converse guardrail trace names a guardrail; else `None`.
    pub guardrail_action: Option<String>,
    /// Sorted distinct guardrail ids from the trace (`input`, `outputs[]`, `inputAssessment`,
    /// `outputAssessments[]`). Empty means no guardrail evaluated this invocation.
    pub guardrail_ids: Vec<String>,
    /// The guardrail trace object, or an array of the distinct ones, as indented JSON for display.
    pub guardrail_trace: Option<String>,
    /// Policy findings of every guardrail, in trace order (input stage before output stage).
    pub findings: Vec<GuardrailFinding>,
    /// Token counts from the response body: `amazon-bedrock-invocationMetrics` when present, else the
    /// last model-reported count (`usage.input_tokens` / `inputTokens` / `prompt_tokens`, Llama and
    /// Titan counters). The record's own `inputTokenCount` / `outputTokenCount` are not read here.
    pub usage_input_tokens: Option<u64>,
    pub usage_output_tokens: Option<u64>,
}

/// Extracts text, stop reason, guardrail facts and token usage from an invocation's bodies.
pub fn extract(input_body: Option<&RawValue>, output_body: Option<&RawValue>) -> InvocationText {
    extract_with(input_body, output_body, true)
}

/// What ingest keeps of every record: the user prompt (to measure and probe), stop reason,
/// guardrail ids and action, token usage. Skips the display-only work — turns, findings, the
/// indented trace, the completion — which the request view redoes for the one record it shows.
pub fn extract_facts(
    input_body: Option<&RawValue>,
    output_body: Option<&RawValue>,
) -> InvocationText {
    extract_with(input_body, output_body, false)
}

fn extract_with(
    input_body: Option<&RawValue>,
    output_body: Option<&RawValue>,
    detail: bool,
) -> InvocationText {
    let mut out = InvocationText::default();
    if let Some(body) = input_body.and_then(|raw| parse::<request::InputBody<'_>>(raw.get())) {
        if detail {
            request::fill(body, &mut out);
        } else {
            out.user_prompt = request::user_prompt(&body);
        }
    }
    let summary = output_body.and_then(|raw| {
        if detail {
            parse::<response::Summary<'_>>(raw.get())
        } else {
            parse::<response::Facts<'_>>(raw.get()).map(|f| f.0)
        }
    });
    if let Some(summary) = summary {
        apply_summary(summary, &mut out, detail);
    }
    out
}

/// `input.inputBodyJson` read in the same pass as the rest of its record, keeping what
/// [`extract_facts`] keeps of it. Reading the body into a `RawValue` and parsing that again
/// scanned the largest part of every invocation record twice.
#[derive(Debug, Default)]
pub struct RequestFacts {
    user_prompt: String,
}

impl<'de> Deserialize<'de> for RequestFacts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let body = Lenient::<request::PromptBody<'de>>::new().deserialize(d)?;
        Ok(RequestFacts {
            user_prompt: request::user_prompt_only(&body),
        })
    }
}

/// `output.outputBodyJson` read in the same pass as the rest of its record (see [`RequestFacts`]).
#[derive(Default)]
pub struct ResponseFacts<'a>(response::Summary<'a>);

impl ResponseFacts<'_> {
    /// The address of the stand-in for a stream read ahead of its record, when this body was one
    /// (the text of a string element borrowed from the parsed record).
    pub fn placeholder_at(&self) -> Option<usize> {
        self.0.placeholder_at
    }
}

/// The one element of the array that stands in for a stream read ahead of its record. It is random
/// per process, and the reader checks it was met where it was put, so that no log can pass its own
/// array off as the one read ahead.
pub fn stream_placeholder() -> &'static str {
    static PLACEHOLDER: OnceLock<String> = OnceLock::new();
    PLACEHOLDER.get_or_init(|| {
        let nonce = std::collections::hash_map::RandomState::new().hash_one(0u8);
        format!("strata-stream-read-ahead-{nonce:016x}")
    })
}

impl<'de: 'a, 'a> Deserialize<'de> for ResponseFacts<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let facts = Lenient::<response::Facts<'a>>::new().deserialize(d)?;
        Ok(ResponseFacts(facts.0))
    }
}

/// The same facts as [`extract_facts`], from bodies read with their record.
pub fn facts(request: Option<RequestFacts>, response: Option<ResponseFacts<'_>>) -> InvocationText {
    let mut out = InvocationText::default();
    if let Some(r) = request {
        out.user_prompt = r.user_prompt;
    }
    if let Some(ResponseFacts(summary)) = response {
        apply_summary(summary, &mut out, false);
    }
    out
}

fn apply_summary(summary: response::Summary<'_>, out: &mut InvocationText, detail: bool) {
    if detail {
        guardrail::fill(&summary.traces, out);
    } else {
        out.guardrail_ids = summary.trace_ids.iter().map(|id| id.to_string()).collect();
        out.guardrail_ids.sort_unstable();
        out.guardrail_ids.dedup();
    }
    out.usage_input_tokens = summary.input_tokens();
    out.usage_output_tokens = summary.output_tokens();
    let intervened = summary.intervened
        || summary.stop_reason.as_deref() == Some(response::GUARDRAIL_INTERVENED);
    out.guardrail_action = if intervened {
        Some("INTERVENED".to_owned())
    } else if let Some(action) = summary.guardrail_action {
        Some(action.into_owned())
    } else if summary.converse_trace && !out.guardrail_ids.is_empty() {
        Some("NONE".to_owned())
    } else {
        None
    };
    if detail {
        out.completion = summary.completion;
    }
    out.stop_reason = summary.stop_reason.map(|s| s.into_owned());
}

/// Only [`InvocationText::user_prompt`], without reading the response or building turns.
pub fn user_prompt_of(input_body: Option<&RawValue>) -> String {
    input_body
        .and_then(|raw| parse::<request::InputBody<'_>>(raw.get()))
        .map(|body| request::user_prompt(&body))
        .unwrap_or_default()
}
