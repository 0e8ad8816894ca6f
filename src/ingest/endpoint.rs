//! Endpoint process telemetry → normalized events with one command line, user and host, whatever
//! the product called them (Jamf argv arrays, ECS `process.*`, Sysmon `CommandLine`, generic aliases).

use super::record::{scalar_text, EndpointMarks, RecordKind, Rejected};
use super::sink::EventSink;
use super::text::{JsonStr, Text};
use crate::model::time::{epoch_number_to_millis, parse_timestamp};
use crate::model::{Event, Outcome, SourceRef, Strand};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Raw<'a> = Option<&'a RawValue>;

#[derive(Deserialize)]
pub struct EndpointRecord<'a> {
    #[serde(borrow, default)]
    time: Raw<'a>,
    #[serde(borrow, default)]
    timestamp: Raw<'a>,
    #[serde(rename = "@timestamp", borrow, default)]
    at_timestamp: Raw<'a>,
    #[serde(rename = "UtcTime", borrow, default)]
    utc_time: Raw<'a>,
    #[serde(rename = "TimeCreated", borrow, default)]
    time_created: Raw<'a>,
    #[serde(borrow, default)]
    event_time: Raw<'a>,
    #[serde(borrow, default)]
    event: Raw<'a>,
    #[serde(borrow, default)]
    process: Raw<'a>,
    #[serde(borrow, default)]
    host: Raw<'a>,
    #[serde(borrow, default)]
    user: Raw<'a>,
    #[serde(rename = "CommandLine", borrow, default)]
    sysmon_command_line: Raw<'a>,
    #[serde(rename = "User", borrow, default)]
    sysmon_user: Raw<'a>,
    #[serde(rename = "Computer", borrow, default)]
    sysmon_computer: Raw<'a>,
    #[serde(rename = "Image", borrow, default)]
    sysmon_image: Raw<'a>,
    #[serde(borrow, default)]
    cmd_line: Raw<'a>,
    #[serde(borrow, default)]
    cmdline: Raw<'a>,
    #[serde(rename = "commandLine", borrow, default)]
    command_line_camel: Raw<'a>,
    #[serde(borrow, default)]
    command_line: Raw<'a>,
    #[serde(borrow, default)]
    process_command_line: Raw<'a>,
    #[serde(borrow, default)]
    hostname: Raw<'a>,
    #[serde(borrow, default)]
    device_hostname: Raw<'a>,
    #[serde(borrow, default)]
    username: Raw<'a>,
    #[serde(borrow, default)]
    user_name: Raw<'a>,
    #[serde(borrow, default)]
    user_username: Raw<'a>,
    /// Members of the kinds [`super::record`] ranks above endpoint events: a record read as an
    /// endpoint event on the strength of its file's previous record is only kept as one when it
    /// has none of them.
    #[serde(default)]
    message: Raw<'a>,
    #[serde(rename = "eventSource", default)]
    event_source: Option<IgnoredAny>,
    #[serde(rename = "eventName", default)]
    event_name: Option<IgnoredAny>,
    #[serde(rename = "schemaType", default)]
    schema_type: Option<IgnoredAny>,
    #[serde(default)]
    operation: Option<IgnoredAny>,
    #[serde(rename = "modelId", default)]
    model_id: Option<IgnoredAny>,
    #[serde(rename = "digestStartTime", default)]
    digest_start: Option<IgnoredAny>,
    #[serde(rename = "logFiles", default)]
    log_files: Option<IgnoredAny>,
    #[serde(rename = "CloudTrailEvent", default)]
    cloudtrail_event: Option<IgnoredAny>,
    #[serde(rename = "detail-type", default)]
    detail_type: Option<IgnoredAny>,
}

impl<'a> EndpointRecord<'a> {
    pub fn marks(&self) -> EndpointMarks<'a> {
        EndpointMarks::new(
            self.event,
            self.process,
            self.sysmon_command_line,
            [
                self.cmd_line,
                self.cmdline,
                self.command_line_camel,
                self.command_line,
                self.process_command_line,
            ],
        )
    }

    pub fn message(&self) -> Option<&'a RawValue> {
        self.message
    }

    /// Whether any member of a CloudTrail record, invocation log, digest or wrapper is present.
    pub fn has_other_kind_marks(&self) -> bool {
        self.event_source.is_some()
            || self.event_name.is_some()
            || self.schema_type.is_some()
            || self.operation.is_some()
            || self.model_id.is_some()
            || self.digest_start.is_some()
            || self.log_files.is_some()
            || self.cloudtrail_event.is_some()
            || self.detail_type.is_some()
    }
}

#[derive(Deserialize, Default)]
struct JamfEvent<'a> {
    #[serde(borrow, default)]
    exec: Option<JamfExec<'a>>,
}

#[derive(Deserialize, Default)]
struct JamfExec<'a> {
    #[serde(borrow, default)]
    args: Vec<JsonStr<'a>>,
    /// `KEY=value` strings; Jamf logs no user name, but the environment's `USER=` names the login.
    #[serde(borrow, default)]
    env: Vec<JsonStr<'a>>,
    #[serde(borrow, default)]
    target: Option<JamfTarget<'a>>,
}

#[derive(Deserialize, Default)]
struct JamfTarget<'a> {
    #[serde(default)]
    audit_token: Option<AuditToken>,
    #[serde(borrow, default)]
    executable: Option<PathObj<'a>>,
}

#[derive(Deserialize, Default)]
struct AuditToken {
    #[serde(default)]
    euid: Option<i64>,
}

#[derive(Deserialize, Default)]
struct PathObj<'a> {
    #[serde(borrow, default)]
    path: Text<'a>,
}

#[derive(Deserialize, Default)]
struct EcsProcess<'a> {
    #[serde(borrow, default)]
    command_line: Text<'a>,
    #[serde(borrow, default)]
    args: Option<Vec<JsonStr<'a>>>,
    #[serde(borrow, default)]
    executable: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
}

#[derive(Deserialize, Default)]
struct NamedObj<'a> {
    #[serde(borrow, default)]
    hostname: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
}

pub fn normalize(
    kind: RecordKind,
    r: &EndpointRecord<'_>,
    source: SourceRef,
    fallback_ts: Option<i64>,
    sink: &mut EventSink<'_>,
) -> Result<(), Rejected> {
    let ts = [
        r.at_timestamp,
        r.time,
        r.timestamp,
        r.utc_time,
        r.time_created,
        r.event_time,
    ]
    .into_iter()
    .flatten()
    .find_map(time_of)
    .or(fallback_ts)
    .ok_or_else(|| Rejected("endpoint event without a readable time".into()))?;

    let mut args: Vec<String> = Vec::new();
    let mut command_line: Option<String> = None;
    let mut executable: Option<String> = None;
    let mut user: Option<String> = None;

    if kind == RecordKind::Jamf {
        let ev: JamfEvent<'_> = r
            .event
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default();
        if let Some(exec) = ev.exec {
            args = exec.args.iter().map(|a| a.to_string()).collect();
            user = exec
                .env
                .iter()
                .find_map(|kv| kv.strip_prefix("USER="))
                .filter(|u| !u.is_empty())
                .map(str::to_string);
            if let Some(t) = exec.target {
                executable = t.executable.and_then(|e| e.path).map(|p| p.to_string());
                if user.is_none() {
                    user = t
                        .audit_token
                        .and_then(|a| a.euid)
                        .map(|uid| format!("uid {uid}"));
                }
            }
        }
    }
    if let Some(raw) = r.process {
        if let Ok(p) = serde_json::from_str::<EcsProcess<'_>>(raw.get()) {
            if kind != RecordKind::Jamf {
                command_line = p.command_line.map(|c| c.to_string());
                if let Some(a) = p.args {
                    args = a.iter().map(|s| s.to_string()).collect();
                }
                executable = p.executable.or(p.name).map(|s| s.to_string());
            }
        }
    }
    for raw in [
        r.sysmon_command_line,
        r.cmd_line,
        r.cmdline,
        r.command_line_camel,
        r.command_line,
        r.process_command_line,
    ]
    .into_iter()
    .flatten()
    {
        if command_line.is_some() {
            break;
        }
        command_line = scalar_text(raw).map(|c| c.into_owned());
    }
    if executable.is_none() {
        executable = r.sysmon_image.and_then(scalar_text).map(|c| c.into_owned());
    }
    let command_line = match command_line {
        Some(c) if !c.trim().is_empty() => c,
        _ if !args.is_empty() => join_argv(&args),
        _ => return Err(Rejected("endpoint event without a command line".into())),
    };
    if executable.is_none() {
        executable = args.first().cloned().or_else(|| first_word(&command_line));
    }

    let host = r
        .host
        .and_then(name_of)
        .or_else(|| r.sysmon_computer.and_then(scalar_text).map(Cow::into_owned))
        .or_else(|| r.hostname.and_then(scalar_text).map(Cow::into_owned))
        .or_else(|| r.device_hostname.and_then(scalar_text).map(Cow::into_owned));
    let user = r
        .user
        .and_then(name_of)
        .or_else(|| r.sysmon_user.and_then(scalar_text).map(Cow::into_owned))
        .or_else(|| r.username.and_then(scalar_text).map(Cow::into_owned))
        .or_else(|| r.user_name.and_then(scalar_text).map(Cow::into_owned))
        .or_else(|| r.user_username.and_then(scalar_text).map(Cow::into_owned))
        .or(user);

    let mut e = Event::new(Strand::Endpoint, ts, source);
    e.outcome = Outcome::Unknown;
    e.command_line = sink.intern(&command_line);
    e.host = sink.intern_opt(host.as_deref());
    e.user_name = sink.intern_opt(user.as_deref());
    let base = executable
        .as_deref()
        .map(|x| x.rsplit(['/', '\\']).next().unwrap_or(x).to_string());
    e.action = sink.intern_opt(base.as_deref());
    e.provider = sink.named(kind.name());
    if let Some(x) = executable.as_deref() {
        sink.attr_named("process.executable", x);
    }
    for (i, a) in args.iter().enumerate().take(64) {
        sink.attr(&format!("process.args.{i}"), a);
    }
    sink.push(e);
    Ok(())
}

fn time_of(raw: &RawValue) -> Option<i64> {
    match scalar_text(raw)? {
        Cow::Borrowed(t) if !raw.get().starts_with('"') => {
            t.parse::<i64>().ok().and_then(epoch_number_to_millis)
        }
        t => parse_timestamp(&t),
    }
}

/// `{"hostname": …}`, `{"name": …}` or a plain string.
fn name_of(raw: &RawValue) -> Option<String> {
    if let Some(s) = scalar_text(raw) {
        return Some(s.into_owned()).filter(|s| !s.is_empty());
    }
    let obj: NamedObj<'_> = serde_json::from_str(raw.get()).ok()?;
    obj.hostname
        .or(obj.name)
        .map(JsonStr::into_owned)
        .filter(|s| !s.is_empty())
}

fn first_word(s: &str) -> Option<String> {
    s.split_whitespace()
        .next()
        .map(|w| w.trim_matches('"').to_string())
}

/// Joins argv for display the way a shell would need it typed: arguments with spaces or quotes
/// are single-quoted, so the line can be matched with the same patterns as a logged command line.
pub fn join_argv(args: &[String]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let plain = !a.is_empty()
            && a.chars().all(|c| {
                !c.is_whitespace() && !matches!(c, '\'' | '"' | '\\' | '$' | '`' | ';' | '&' | '|')
            });
        if plain {
            out.push_str(a);
        } else {
            out.push('\'');
            out.push_str(&a.replace('\'', r"'\''"));
            out.push('\'');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_is_joined_shell_style() {
        let args: Vec<String> = [
            "aws",
            "bedrock",
            "delete-guardrail",
            "--guardrail-identifier",
            "gr 1",
            "it's",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            join_argv(&args),
            r"aws bedrock delete-guardrail --guardrail-identifier 'gr 1' 'it'\''s'"
        );
    }
}
