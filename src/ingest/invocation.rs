//! Bedrock model-invocation log records → normalized events. Prompt and completion text are read
//! to measure and probe them, then dropped: only lengths, probe hits and guardrail facts stay.

use super::invocation_body::{self, RequestFacts, ResponseFacts};
use super::record::{scalar_text, Rejected};
use super::sink::EventSink;
use super::text::{parse_str, Text};
use crate::model::time::{epoch_number_to_millis, parse_timestamp};
use crate::model::{ErrorClass, Event, Outcome, SourceRef, Strand};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvocationRecord<'a> {
    #[serde(borrow, default)]
    pub timestamp: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub account_id: Text<'a>,
    #[serde(borrow, default)]
    pub identity: Option<Identity<'a>>,
    #[serde(borrow, default)]
    pub region: Text<'a>,
    #[serde(borrow, default)]
    pub inference_region: Text<'a>,
    #[serde(borrow, default)]
    pub request_id: Text<'a>,
    #[serde(borrow, default)]
    pub operation: Text<'a>,
    #[serde(borrow, default)]
    pub model_id: Text<'a>,
    #[serde(borrow, default)]
    pub error_code: Text<'a>,
    #[serde(borrow, default)]
    pub input: Option<Input<'a>>,
    #[serde(borrow, default)]
    pub output: Option<Output<'a>>,
}

#[derive(Deserialize)]
pub struct Identity<'a> {
    #[serde(borrow, default)]
    pub arn: Text<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input<'a> {
    #[serde(default)]
    pub input_body_json: Option<RequestFacts>,
    #[serde(borrow, default)]
    pub input_body_s3_path: Text<'a>,
    #[serde(borrow, default)]
    pub input_token_count: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output<'a> {
    #[serde(borrow, default)]
    pub output_body_json: Option<ResponseFacts<'a>>,
    #[serde(borrow, default)]
    pub output_body_s3_path: Text<'a>,
    #[serde(borrow, default)]
    pub output_token_count: Option<&'a RawValue>,
}

pub fn normalize(
    mut r: InvocationRecord<'_>,
    source: SourceRef,
    fallback_ts: Option<i64>,
    sink: &mut EventSink<'_>,
) -> Result<(), Rejected> {
    let ts = match r.timestamp {
        Some(raw) => {
            let text = raw.get().trim();
            if text.starts_with('"') {
                let s = parse_str(text).ok_or_else(|| Rejected("unreadable timestamp".into()))?;
                parse_timestamp(&s)
                    .ok_or_else(|| Rejected(format!("unreadable timestamp {s:?}")))?
            } else {
                let n: i64 = text
                    .parse()
                    .map_err(|_| Rejected(format!("unreadable timestamp {text}")))?;
                epoch_number_to_millis(n).ok_or_else(|| {
                    Rejected(format!(
                        "timestamp {text} is not a time (beyond the years 0000-9999)"
                    ))
                })?
            }
        }
        None => {
            fallback_ts.ok_or_else(|| Rejected("invocation log record without timestamp".into()))?
        }
    };
    let mut e = Event::new(Strand::Invocation, ts, source);
    e.action = sink.intern_opt(r.operation.as_deref());
    e.provider = sink.intern("bedrock-runtime");
    e.user_arn = sink.intern_opt(r.identity.as_ref().and_then(|i| i.arn.as_deref()));
    if let Some(arn) = r.identity.as_ref().and_then(|i| i.arn.as_deref()) {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        e.user_name = sink.intern(name);
    }
    e.account = sink.intern_opt(r.account_id.as_deref());
    e.region = sink.intern_opt(r.region.as_deref());
    e.request_id = sink.intern_unique(r.request_id.as_deref());
    e.model_id = sink.intern_opt(r.model_id.as_deref());
    match r.error_code.as_deref() {
        Some(code) if !code.is_empty() => {
            e.error_code = sink.intern(code);
            e.error_class = ErrorClass::of(code);
            e.outcome = Outcome::Failure;
        }
        _ => e.outcome = Outcome::Success,
    }
    let input_body = r.input.as_mut().and_then(|i| i.input_body_json.take());
    let output_body = r.output.as_mut().and_then(|o| o.output_body_json.take());
    let text = invocation_body::facts(input_body, output_body);
    e.prompt_chars = u32::try_from(text.user_prompt.chars().count()).unwrap_or(u32::MAX);
    e.probe_hits = sink.probes.hits(&text.user_prompt);
    if !text.guardrail_ids.is_empty() {
        e.guardrail_ids = sink.intern(&text.guardrail_ids.join(","));
    }
    e.guardrail_action = sink.intern_opt(text.guardrail_action.as_deref());
    e.stop_reason = sink.intern_opt(text.stop_reason.as_deref());
    e.prompt_tokens = token_count(r.input.as_ref().and_then(|i| i.input_token_count))
        .or(text.usage_input_tokens)
        .map_or(crate::model::NO_COUNT, clamp_count);
    e.completion_tokens = token_count(r.output.as_ref().and_then(|o| o.output_token_count))
        .or(text.usage_output_tokens)
        .map_or(crate::model::NO_COUNT, clamp_count);
    if let Some(p) = r
        .input
        .as_ref()
        .and_then(|i| i.input_body_s3_path.as_deref())
    {
        sink.attr("input.inputBodyS3Path", p);
    }
    if let Some(p) = r
        .output
        .as_ref()
        .and_then(|o| o.output_body_s3_path.as_deref())
    {
        sink.attr("output.outputBodyS3Path", p);
    }
    if let Some(region) = r.inference_region.as_deref() {
        sink.attr("inferenceRegion", region);
    }
    sink.push(e);
    Ok(())
}

fn token_count(raw: Option<&RawValue>) -> Option<u64> {
    let text = scalar_text(raw?)?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| *n >= 0.0)
        .map(|n| n as u64)
}

fn clamp_count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX - 1)
}
