//! One record in, zero or one event out: recognizes which kind of record a JSON value is (CloudTrail,
//! model-invocation log, endpoint process event, or a wrapper around one) and hands it to the
//! normalizer for that kind.

use super::cloudtrail::{self, CloudTrailRecord};
use super::endpoint::{self, EndpointRecord};
use super::invocation;
use super::sink::EventSink;
use super::text::{parse_str, Text};
use crate::model::{RawEncoding, SourceRef};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// What a record turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    CloudTrail,
    Invocation,
    Jamf,
    Ecs,
    Sysmon,
    GenericEndpoint,
    CloudTrailDigest,
}

impl RecordKind {
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::CloudTrail => "cloudtrail",
            RecordKind::Invocation => "bedrock-invocation",
            RecordKind::Jamf => "jamf-protect",
            RecordKind::Ecs => "ecs-process",
            RecordKind::Sysmon => "sysmon",
            RecordKind::GenericEndpoint => "endpoint",
            RecordKind::CloudTrailDigest => "cloudtrail-digest",
        }
    }
}

/// Why a record was not loaded.
#[derive(Debug)]
pub struct Rejected(pub String);

/// Wrapper shapes: a record carried as a JSON string or nested object in another object.
#[derive(Deserialize)]
struct Wrapper<'a> {
    #[serde(rename = "CloudTrailEvent", borrow, default)]
    cloudtrail_event: Text<'a>,
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
    #[serde(rename = "detail-type", borrow, default)]
    detail_type: Text<'a>,
    #[serde(borrow, default)]
    detail: Option<&'a RawValue>,
    /// CloudWatch event time (epoch ms) used when the inner record has none.
    #[serde(default)]
    timestamp: Option<&'a RawValue>,
}

/// Fields that tell the kinds apart, read in one pass over the top-level members.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(rename = "eventSource", default, borrow)]
    event_source: Text<'a>,
    #[serde(rename = "eventName", default, borrow)]
    event_name: Text<'a>,
    #[serde(rename = "schemaType", default, borrow)]
    schema_type: Text<'a>,
    #[serde(default, borrow)]
    operation: Text<'a>,
    #[serde(rename = "modelId", default, borrow)]
    model_id: Text<'a>,
    #[serde(rename = "digestStartTime", default, borrow)]
    digest_start: Option<&'a RawValue>,
    #[serde(rename = "logFiles", default, borrow)]
    log_files: Option<&'a RawValue>,
    #[serde(rename = "CloudTrailEvent", default, borrow)]
    cloudtrail_event: Option<&'a RawValue>,
    #[serde(rename = "detail-type", default, borrow)]
    detail_type: Option<&'a RawValue>,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
    #[serde(default, borrow)]
    event: Option<&'a RawValue>,
    #[serde(default, borrow)]
    process: Option<&'a RawValue>,
    #[serde(rename = "CommandLine", default, borrow)]
    sysmon_command_line: Option<&'a RawValue>,
    #[serde(default, borrow)]
    cmd_line: Option<&'a RawValue>,
    #[serde(default, borrow)]
    cmdline: Option<&'a RawValue>,
    #[serde(rename = "commandLine", default, borrow)]
    command_line_camel: Option<&'a RawValue>,
    #[serde(default, borrow)]
    command_line: Option<&'a RawValue>,
    #[serde(default, borrow)]
    process_command_line: Option<&'a RawValue>,
}

/// Classifies a record from its top-level members alone.
fn classify(p: &Probe<'_>) -> Option<Kind> {
    if p.cloudtrail_event.is_some() {
        return Some(Kind::Wrapped(RawEncoding::CloudTrailEventString));
    }
    if p.detail_type.is_some() {
        return Some(Kind::Wrapped(RawEncoding::EventBridgeDetail));
    }
    if p.event_source.is_some() && p.event_name.is_some() {
        return Some(Kind::Record(RecordKind::CloudTrail));
    }
    if p.schema_type.as_deref() == Some("ModelInvocationLog")
        || (p.operation.is_some() && p.model_id.is_some())
    {
        return Some(Kind::Record(RecordKind::Invocation));
    }
    if p.digest_start.is_some() && p.log_files.is_some() {
        return Some(Kind::Record(RecordKind::CloudTrailDigest));
    }
    let endpoint = EndpointMarks::new(
        p.event,
        p.process,
        p.sysmon_command_line,
        [
            p.cmd_line,
            p.cmdline,
            p.command_line_camel,
            p.command_line,
            p.process_command_line,
        ],
    );
    if let Some(kind) = endpoint.product_kind() {
        return Some(Kind::Record(kind));
    }
    // CloudWatch wraps a record as a JSON string in `message`; other products use `message` for
    // prose, so only a string holding a JSON object counts.
    if p.message.is_some_and(is_wrapped_message) {
        return Some(Kind::Wrapped(RawEncoding::MessageString));
    }
    endpoint.field_kind().map(Kind::Record)
}

fn is_wrapped_message(message: &RawValue) -> bool {
    message.get().starts_with("\"{")
}

/// The members that tell endpoint products apart, in the order [`classify`] weighs them.
pub struct EndpointMarks<'a> {
    event: Option<&'a RawValue>,
    process: Option<&'a RawValue>,
    sysmon_command_line: bool,
    generic_command_line: bool,
}

impl<'a> EndpointMarks<'a> {
    /// From the members of the same names: `generic` are the generic shape's command-line aliases
    /// (`cmd_line`, `cmdline`, `commandLine`, `command_line`, `process_command_line`).
    pub fn new(
        event: Option<&'a RawValue>,
        process: Option<&'a RawValue>,
        sysmon_command_line: Option<&'a RawValue>,
        generic: [Option<&'a RawValue>; 5],
    ) -> Self {
        EndpointMarks {
            event,
            process,
            sysmon_command_line: sysmon_command_line.is_some(),
            generic_command_line: generic.iter().any(Option::is_some),
        }
    }

    /// Jamf and ECS, recognized by their nested objects; they outrank a wrapped `message`.
    fn product_kind(&self) -> Option<RecordKind> {
        if self.event.is_some_and(|ev| ev.get().contains("\"exec\"")) {
            return Some(RecordKind::Jamf);
        }
        if let Some(pr) = self.process {
            let raw = pr.get();
            if raw.contains("\"command_line\"") || raw.contains("\"args\"") {
                return Some(RecordKind::Ecs);
            }
        }
        None
    }

    /// Sysmon and the generic shape, recognized by a top-level command-line member.
    fn field_kind(&self) -> Option<RecordKind> {
        if self.sysmon_command_line {
            Some(RecordKind::Sysmon)
        } else if self.generic_command_line {
            Some(RecordKind::GenericEndpoint)
        } else {
            None
        }
    }

    /// The kind [`classify`] gives a record that carries none of the members of other kinds.
    fn kind(&self, message: Option<&RawValue>) -> Option<RecordKind> {
        self.product_kind().or_else(|| {
            if message.is_some_and(is_wrapped_message) {
                None
            } else {
                self.field_kind()
            }
        })
    }
}

enum Kind {
    Record(RecordKind),
    Wrapped(RawEncoding),
}

/// The outcome of one record.
pub enum Parsed {
    Loaded(RecordKind),
    Digest,
    /// Valid JSON of no known kind; the reason lists its members.
    Unrecognized(String),
}

/// Parses one element (a JSON value delimited by the scanner) and pushes its event into `sink`.
/// `hint` is the kind of the previous record of the file: files rarely mix kinds, so the record is
/// first read directly as that kind, saving the classification pass on the bulk of records.
pub fn parse_element(
    json: Json<'_>,
    source: SourceRef,
    sink: &mut EventSink<'_>,
    hint: Option<RecordKind>,
) -> Result<Parsed, Rejected> {
    let bytes = json.bytes;
    match hint {
        Some(RecordKind::CloudTrail) => {
            if let Ok(r) = json.parse::<CloudTrailRecord<'_>>() {
                if r.names_an_event() {
                    return cloudtrail::normalize(&r, source, None, sink)
                        .map(|_| Parsed::Loaded(RecordKind::CloudTrail));
                }
            }
        }
        Some(RecordKind::Invocation) => {
            let read = invocation::read_record(json, |r| {
                (r.operation.is_some() && r.model_id.is_some())
                    .then(|| invocation::normalize(r, source, None, sink))
            });
            if let Ok(Some(normalized)) = read {
                return normalized.map(|_| Parsed::Loaded(RecordKind::Invocation));
            }
        }
        Some(
            kind @ (RecordKind::Jamf
            | RecordKind::Ecs
            | RecordKind::Sysmon
            | RecordKind::GenericEndpoint),
        ) => {
            if let Ok(r) = json.parse::<EndpointRecord<'_>>() {
                if !r.has_other_kind_marks() && r.marks().kind(r.message()) == Some(kind) {
                    return endpoint::normalize(kind, &r, source, None, sink)
                        .map(|_| Parsed::Loaded(kind));
                }
            }
        }
        _ => {}
    }
    let probe: Probe<'_> = match json.parse() {
        Ok(probe) => probe,
        // Valid JSON that is no object (a number, a string, an array) is no record of any kind.
        Err(e) if e.is_data() && bytes.trim_ascii_start().first() != Some(&b'{') => {
            return Ok(Parsed::Unrecognized(unrecognized(bytes)));
        }
        Err(e) => return Err(Rejected(json_error(&e))),
    };
    match classify(&probe) {
        None => Ok(Parsed::Unrecognized(unrecognized(bytes))),
        Some(Kind::Record(RecordKind::CloudTrailDigest)) => Ok(Parsed::Digest),
        Some(Kind::Record(kind)) => {
            parse_kind(kind, json, source, None, sink).map(|_| Parsed::Loaded(kind))
        }
        Some(Kind::Wrapped(encoding)) => {
            let w: Wrapper<'_> = json.parse().map_err(|e| Rejected(json_error(&e)))?;
            // An envelope time beyond the years 0000-9999 is no time: the record must carry its own.
            let fallback_ts = w
                .timestamp
                .and_then(|t| t.get().trim().parse::<i64>().ok())
                .and_then(crate::model::time::in_range);
            let source = SourceRef { encoding, ..source };
            match encoding {
                RawEncoding::CloudTrailEventString => {
                    let inner = w.cloudtrail_event.unwrap_or_default();
                    parse_kind(
                        RecordKind::CloudTrail,
                        Json::text(&inner),
                        source,
                        fallback_ts,
                        sink,
                    )
                    .map(|_| Parsed::Loaded(RecordKind::CloudTrail))
                    .map_err(|Rejected(r)| Rejected(format!("in CloudTrailEvent: {r}")))
                }
                RawEncoding::EventBridgeDetail => {
                    if w.detail_type
                        .as_deref()
                        .is_some_and(|d| !d.contains("via CloudTrail"))
                    {
                        return Err(Rejected(format!(
                            "EventBridge event of detail-type {:?} carries no CloudTrail record",
                            w.detail_type.as_deref().unwrap_or_default()
                        )));
                    }
                    let inner = w.detail.map(RawValue::get).unwrap_or("null");
                    parse_kind(
                        RecordKind::CloudTrail,
                        Json::text(inner),
                        source,
                        fallback_ts,
                        sink,
                    )
                    .map(|_| Parsed::Loaded(RecordKind::CloudTrail))
                    .map_err(|Rejected(r)| Rejected(format!("in EventBridge detail: {r}")))
                }
                RawEncoding::MessageString | RawEncoding::Direct => {
                    let msg: Cow<'_, str> = match w.message {
                        Some(m) => parse_str(m.get()).ok_or_else(|| {
                            Rejected("CloudWatch event whose message is not a string".into())
                        })?,
                        None => Cow::Borrowed(""),
                    };
                    let inner = Json::text(&msg);
                    let inner_probe: Probe<'_> = inner.parse().map_err(|e| {
                        Rejected(format!("message is not a JSON record: {}", json_error(&e)))
                    })?;
                    match classify(&inner_probe) {
                        Some(Kind::Record(kind)) if kind != RecordKind::CloudTrailDigest => {
                            parse_kind(kind, inner, source, fallback_ts, sink)
                                .map(|_| Parsed::Loaded(kind))
                                .map_err(|Rejected(r)| Rejected(format!("in message: {r}")))
                        }
                        _ => Err(Rejected(format!("message: {}", unrecognized(inner.bytes)))),
                    }
                }
            }
        }
    }
}

/// Reads a CloudTrail record at the start of `rest`, content that goes on past the record, for a
/// file whose previous record was one: parsing the record is what finds its end. Returns the
/// record's length and the outcome of normalizing it, or `None` when `rest` does not start with a
/// readable CloudTrail record (the caller then delimits it and reads it as any other).
pub fn read_cloudtrail_at(
    rest: Json<'_>,
    source: SourceRef,
    sink: &mut EventSink<'_>,
) -> Option<(usize, Result<(), Rejected>)> {
    let (r, len) = match rest.text {
        Some(text) => first_record(serde_json::de::StrRead::new(text))?,
        None => first_record(serde_json::de::SliceRead::new(rest.bytes))?,
    };
    if !r.names_an_event() {
        return None;
    }
    let source = SourceRef {
        len: u32::try_from(len).unwrap_or(u32::MAX),
        ..source
    };
    Some((len, cloudtrail::normalize(&r, source, None, sink)))
}

/// The CloudTrail record at the start of `read`, and where it ends.
fn first_record<'a, R: serde_json::de::Read<'a>>(read: R) -> Option<(CloudTrailRecord<'a>, usize)> {
    let mut records = serde_json::StreamDeserializer::new(read);
    let r = records.next()?.ok()?;
    Some((r, records.byte_offset()))
}

fn parse_kind(
    kind: RecordKind,
    json: Json<'_>,
    source: SourceRef,
    fallback_ts: Option<i64>,
    sink: &mut EventSink<'_>,
) -> Result<(), Rejected> {
    match kind {
        RecordKind::CloudTrail => {
            let r: CloudTrailRecord<'_> = json.parse().map_err(|e| Rejected(json_error(&e)))?;
            cloudtrail::normalize(&r, source, fallback_ts, sink)
        }
        RecordKind::Invocation => invocation::read_record(json, |r| {
            invocation::normalize(r, source, fallback_ts, sink)
        })
        .map_err(|e| Rejected(json_error(&e)))?,
        RecordKind::Jamf | RecordKind::Ecs | RecordKind::Sysmon | RecordKind::GenericEndpoint => {
            let r: EndpointRecord<'_> = json.parse().map_err(|e| Rejected(json_error(&e)))?;
            endpoint::normalize(kind, &r, source, fallback_ts, sink)
        }
        RecordKind::CloudTrailDigest => Ok(()),
    }
}

/// A record's bytes, with their text when they are valid UTF-8. Checking a whole record once and
/// then reading it as `str` spares serde_json from checking every string it borrows on its own,
/// which cost a tenth of all instructions. Invalid UTF-8 is read from the bytes, so it is rejected
/// with the same message as before.
#[derive(Clone, Copy)]
pub struct Json<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Json<'a> {
    /// Bytes whose text is found by checking them.
    pub fn new(bytes: &'a [u8]) -> Json<'a> {
        Json {
            bytes,
            text: std::str::from_utf8(bytes).ok(),
        }
    }

    /// Bytes and, when already known, their text (which then must be the same content).
    pub fn known(bytes: &'a [u8], text: Option<&'a str>) -> Json<'a> {
        match text {
            Some(text) => Json::text(text),
            None => Json::new(bytes),
        }
    }

    /// Bytes whose text, if any, is not needed: a record that may run on past them.
    pub fn bytes(bytes: &'a [u8]) -> Json<'a> {
        Json { bytes, text: None }
    }

    pub fn text(text: &'a str) -> Json<'a> {
        Json {
            bytes: text.as_bytes(),
            text: Some(text),
        }
    }

    /// The record's text, when it is valid UTF-8.
    pub fn as_str(&self) -> Option<&'a str> {
        self.text
    }

    pub(super) fn parse<T: Deserialize<'a>>(self) -> serde_json::Result<T> {
        match self.text {
            Some(text) => serde_json::from_str(text),
            None => serde_json::from_slice(self.bytes),
        }
    }
}

/// serde_json's message with its position made relative to the record start.
pub fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; keep it, it points inside the record.
    format!("invalid JSON: {msg} (within the record)")
}

fn unrecognized(bytes: &[u8]) -> String {
    let keys = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(m)) => {
            let mut k: Vec<&str> = m.keys().map(String::as_str).take(8).collect();
            k.sort_unstable();
            format!("members: {}", k.join(", "))
        }
        Ok(other) => format!("a JSON {} value, not an object", json_type(&other)),
        Err(e) => return json_error(&e),
    };
    format!("not a CloudTrail record, model-invocation log or endpoint event ({keys})")
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// A JSON value that is a string, or text for a scalar of another type (numbers, booleans).
pub fn scalar_text(v: &RawValue) -> Option<Cow<'_, str>> {
    let raw = v.get().trim();
    match raw.as_bytes().first() {
        Some(b'"') => parse_str(raw),
        Some(b'{') | Some(b'[') | None => None,
        _ if raw == "null" => None,
        _ => Some(Cow::Borrowed(raw)),
    }
}
