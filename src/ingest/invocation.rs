//! Bedrock model-invocation log records → normalized events. Prompt and completion text are read
//! to measure and probe them, then dropped: only lengths, probe hits and guardrail facts stay.

use super::invocation_body::{self, RequestFacts, ResponseFacts};
use super::record::{scalar_text, Json, Rejected};
use super::sink::EventSink;
use super::text::{parse_str, Text};
use crate::model::time::{epoch_number_to_millis, parse_timestamp};
use crate::model::{ErrorClass, Event, Outcome, SourceRef, Strand};
use memchr::memmem;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::LazyLock;

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

/// Where a streamed response's events start in a compact record.
const STREAM_KEY: &[u8] = br#""outputBodyJson":["#;

/// Parses an invocation record and hands it to `then`.
///
/// A streamed response (an array of events under `output.outputBodyJson`) is read ahead from the
/// record's text by [`invocation_body::stream_facts`], and the record parsed from a copy with a
/// one-element placeholder array in its place. The facts are used only if the placeholder is met,
/// at the very place it was put, as the response body; in every other case (no stream, a layout
/// the read-ahead declines, a malformed record, a key of that name elsewhere) the record is parsed
/// as it is, so results and error messages are those of the plain parse.
pub fn read_record<T>(
    json: Json<'_>,
    then: impl FnOnce(InvocationRecord<'_>) -> T,
) -> serde_json::Result<T> {
    if let Some(ahead) = json.as_str().and_then(read_stream_ahead) {
        let put_at = ahead.copy.as_ptr() as usize + ahead.placeholder_offset;
        if let Ok(mut r) = serde_json::from_str::<InvocationRecord<'_>>(&ahead.copy) {
            if let Some(body) = r.output.as_mut().map(|o| &mut o.output_body_json) {
                if body.as_ref().and_then(ResponseFacts::placeholder_at) == Some(put_at) {
                    *body = Some(ahead.facts);
                    return Ok(then(r));
                }
            }
        }
    }
    json.parse().map(then)
}

/// A record's stream read ahead: the record with the placeholder array in the stream's place,
/// where the placeholder's text starts in it, and the stream's facts.
struct StreamAhead<'a> {
    copy: String,
    placeholder_offset: usize,
    facts: ResponseFacts<'a>,
}

fn read_stream_ahead(text: &str) -> Option<StreamAhead<'_>> {
    static FINDER: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(STREAM_KEY));
    let key = FINDER.find(text.as_bytes())?;
    let start = key + STREAM_KEY.len() - 1;
    let (facts, len) = invocation_body::stream_facts(text.get(start..)?)?;
    let placeholder = invocation_body::stream_placeholder();
    let rest = text.get(start + len..)?;
    let mut copy = String::with_capacity(start + placeholder.len() + 4 + rest.len());
    copy.push_str(text.get(..start)?);
    copy.push_str("[\"");
    let placeholder_offset = copy.len();
    copy.push_str(placeholder);
    copy.push_str("\"]");
    copy.push_str(rest);
    Some(StreamAhead {
        copy,
        placeholder_offset,
        facts,
    })
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
    e.provider = sink.named("bedrock-runtime");
    e.user_arn = sink.intern_opt(r.identity.as_ref().and_then(|i| i.arn.as_deref()));
    if let Some(arn) = r.identity.as_ref().and_then(|i| i.arn.as_deref()) {
        let name = arn.rsplit('/').next().unwrap_or(arn);
        e.user_name = sink.intern(name);
    }
    e.account = sink.intern_opt(r.account_id.as_deref());
    e.region = sink.intern_opt(r.region.as_deref());
    sink.request_id(r.request_id.as_deref());
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
        sink.attr_named("input.inputBodyS3Path", p);
    }
    if let Some(p) = r
        .output
        .as_ref()
        .and_then(|o| o.output_body_s3_path.as_deref())
    {
        sink.attr_named("output.outputBodyS3Path", p);
    }
    if let Some(region) = r.inference_region.as_deref() {
        sink.attr_named("inferenceRegion", region);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::invocation_body::InvocationText;

    fn facts_of(mut r: InvocationRecord<'_>) -> InvocationText {
        let input = r.input.as_mut().and_then(|i| i.input_body_json.take());
        let output = r.output.as_mut().and_then(|o| o.output_body_json.take());
        invocation_body::facts(input, output)
    }

    /// The record parsed as it is, without reading its stream ahead.
    fn plain(text: &str) -> Result<InvocationText, String> {
        serde_json::from_str::<InvocationRecord<'_>>(text)
            .map(facts_of)
            .map_err(|e| e.to_string())
    }

    fn read(text: &str) -> Result<InvocationText, String> {
        read_record(Json::text(text), facts_of).map_err(|e| e.to_string())
    }

    const FIXTURE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/elastic-integrations-aws_bedrock/test-aws-bedrock.log"
    ));

    #[test]
    fn streams_read_ahead_give_the_facts_of_the_plain_parse() {
        let records: Vec<&str> = FIXTURE
            .lines()
            .filter(|l| l.contains("ModelInvocationLog"))
            .collect();
        for line in &records {
            assert_eq!(read(line), plain(line), "{line}");
        }
        // Every stream of the fixture is read ahead: the long one (269 events) and the seven short
        // guardrail streams, whose one delta also carries the guardrail action and so is read by
        // the visitor.
        let streams: Vec<&&str> = records
            .iter()
            .filter(|l| l.contains(r#""outputBodyJson":["#))
            .collect();
        assert_eq!(streams.len(), 8);
        assert!(streams.iter().all(|l| read_stream_ahead(l).is_some()));
    }

    /// A guardrail stream of the fixture with compact text deltas before the delta that carries the
    /// intervention: read ahead, the guardrail facts come from the events read by the visitor.
    #[test]
    fn guardrail_facts_survive_the_read_ahead() {
        let stopped = FIXTURE
            .lines()
            .find(|l| l.contains("molotov"))
            .expect("guardrail record");
        let delta = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\"Sure\", "}},"#;
        let start = r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},"#;
        let text = stopped.replacen(start, &format!("{start}{}", delta.repeat(5)), 1);
        assert_ne!(text, stopped);
        assert!(read_stream_ahead(&text).is_some());
        let facts = read(&text).expect("reads");
        assert_eq!(facts, plain(&text).expect("parses"));
        assert_eq!(facts.guardrail_action.as_deref(), Some("INTERVENED"));
        assert_eq!(facts.stop_reason.as_deref(), Some("end_turn"));
        assert!(!facts.guardrail_ids.is_empty());
    }

    /// Damage anywhere in a stream (a byte dropped, doubled or replaced by a quote, backslash,
    /// bracket, comma or control character) gives the plain parse's facts or its error.
    #[test]
    fn damaged_streams_read_as_the_plain_parse_reads_them() {
        let streams = FIXTURE
            .lines()
            .filter(|l| l.contains(r#""outputBodyJson":["#));
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let (mut rounds, mut read_ahead) = (0, 0);
        for record in streams.take(2) {
            let start = memmem::find(record.as_bytes(), STREAM_KEY).expect("stream");
            let bytes = record.as_bytes();
            for round in 0..400 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = start + (state as usize) % (bytes.len() - start);
                let mut damaged = bytes.to_vec();
                match round % 4 {
                    0 => {
                        damaged.remove(at);
                    }
                    1 => damaged.insert(at, bytes[at]),
                    _ => damaged[at] = b"\"\\[]{},:\x01 0"[(state >> 32) as usize % 11],
                }
                let Ok(text) = std::str::from_utf8(&damaged) else {
                    continue;
                };
                rounds += 1;
                read_ahead += usize::from(read_stream_ahead(text).is_some());
                assert_eq!(read(text), plain(text), "{text}");
            }
        }
        // Both outcomes are exercised: damage the read-ahead steps over and damage it declines.
        assert!(
            rounds > 700 && read_ahead > 100 && read_ahead < rounds - 100,
            "{read_ahead} of {rounds}"
        );
    }

    /// A record whose prompt carries a tool input with a key of the stream's name before the real
    /// (non-stream) response: the array found first is not the response, and must not count.
    #[test]
    fn an_array_of_the_stream_key_elsewhere_is_not_taken_for_the_stream() {
        let text = r#"{"schemaType":"ModelInvocationLog","timestamp":"2024-07-08T17:06:49Z","requestId":"r","operation":"InvokeModel","modelId":"m","input":{"inputBodyJson":{"messages":[{"role":"user","content":[{"type":"tool_result","content":{"outputBodyJson":[{"type":"message_stop","amazon-bedrock-guardrailAction":"INTERVENED"}]}},{"type":"text","text":"hello"}]}]}},"output":{"outputBodyJson":{"content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn"}}}"#;
        assert!(
            read_stream_ahead(text).is_some(),
            "the decoy array is read ahead"
        );
        let facts = read(text).expect("reads");
        assert_eq!(facts, plain(text).expect("parses"));
        assert_eq!(facts.guardrail_action, None);
        assert_eq!(facts.stop_reason.as_deref(), Some("end_turn"));
    }

    #[test]
    fn malformed_records_fail_as_the_plain_parse_does() {
        let valid = r#"{"operation":"InvokeModelWithResponseStream","modelId":"m","output":{"outputBodyJson":[{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}],"outputTokenCount":1}}"#;
        assert_eq!(read(valid), plain(valid));
        assert!(read_stream_ahead(valid).is_some());
        for text in [
            valid.trim_end_matches('}').to_owned(),
            valid.replace("\"modelId\":\"m\"", "\"modelId\":\"m\",\"modelId\":\"n\""),
            valid.replace("\"outputTokenCount\":1", "\"outputTokenCount\":01"),
            valid.replace("\"text\":\"a\"", "\"text\":\"a\u{1}\""),
            valid.replace("}}]", "}}"),
            format!("{valid} x"),
        ] {
            let (read, plain) = (read(&text), plain(&text));
            assert!(plain.is_err(), "{text}");
            assert_eq!(read, plain, "{text}");
        }
    }

    #[test]
    fn a_log_cannot_pass_for_the_placeholder() {
        let foreign = r#"{"operation":"InvokeModelWithResponseStream","modelId":"m","output":{"outputBodyJson":["strata-stream-read-ahead-0123456789abcdef"]}}"#;
        let r: InvocationRecord<'_> = serde_json::from_str(foreign).expect("parses");
        let body = r.output.and_then(|o| o.output_body_json).expect("body");
        assert_eq!(body.placeholder_at(), None);
        // Even a log holding this process's own placeholder cannot pass a decoy array's facts
        // off as its response's: the placeholder must be met where it was put.
        let own = invocation_body::stream_placeholder();
        let text = format!(
            r#"{{"outputBodyJson":[{{"stop_reason":"decoy"}}],"output":{{"outputBodyJson":["{own}",{{"stop_reason":"end_turn"}}]}}}}"#
        );
        assert!(read_stream_ahead(&text).is_some());
        let facts = read(&text).expect("reads");
        assert_eq!(facts, plain(&text).expect("parses"));
        assert_eq!(facts.stop_reason.as_deref(), Some("end_turn"));
    }
}
