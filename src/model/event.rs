//! The normalized event: compact, fixed-size, every string interned. The raw record stays on disk and
//! is re-read through its [`SourceRef`] when a detail view needs it.

use super::intern::Sym;
use serde::Serialize;

/// The four telemetry strands strata weaves together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strand {
    /// CloudTrail management events (includes InvokeModel/Converse, which CloudTrail logs as management).
    Management,
    /// CloudTrail data events (S3 object level, InvokeAgent, Retrieve, …).
    Data,
    /// Bedrock model-invocation logs.
    Invocation,
    /// Endpoint process telemetry with command lines.
    Endpoint,
}

impl Strand {
    pub const ALL: [Strand; 4] = [
        Strand::Management,
        Strand::Data,
        Strand::Invocation,
        Strand::Endpoint,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strand::Management => "management",
            Strand::Data => "data",
            Strand::Invocation => "invocation",
            Strand::Endpoint => "endpoint",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strand::Management => "CloudTrail management events",
            Strand::Data => "CloudTrail data events",
            Strand::Invocation => "model-invocation logs",
            Strand::Endpoint => "endpoint telemetry",
        }
    }

    pub fn parse(s: &str) -> Option<Strand> {
        Strand::ALL.into_iter().find(|st| st.name() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
    Unknown,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Error codes folded into classes, so that CloudTrail's `AccessDenied` and the runtime API's
/// `AccessDeniedException` are one denial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    None,
    AccessDenied,
    Validation,
    Throttling,
    NotFound,
    Other,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 6] = [
        ErrorClass::None,
        ErrorClass::AccessDenied,
        ErrorClass::Validation,
        ErrorClass::Throttling,
        ErrorClass::NotFound,
        ErrorClass::Other,
    ];

    pub fn of(code: &str) -> ErrorClass {
        if code.is_empty() {
            return ErrorClass::None;
        }
        let code = code.strip_prefix("Client.").unwrap_or(code);
        match code {
            "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "AuthorizationError"
            | "Forbidden" => ErrorClass::AccessDenied,
            "ValidationException"
            | "ValidationError"
            | "InvalidParameterValue"
            | "InvalidParameter" => ErrorClass::Validation,
            "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "ServiceQuotaExceededException" => ErrorClass::Throttling,
            "ResourceNotFoundException" | "NoSuchEntity" | "NoSuchBucket" | "NotFound" => {
                ErrorClass::NotFound
            }
            _ => ErrorClass::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::None => "none",
            ErrorClass::AccessDenied => "access_denied",
            ErrorClass::Validation => "validation",
            ErrorClass::Throttling => "throttling",
            ErrorClass::NotFound => "not_found",
            ErrorClass::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ErrorClass> {
        ErrorClass::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// How the record sits inside the element stored at a [`SourceRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RawEncoding {
    /// The element is the record.
    Direct,
    /// The record is a JSON string in the element's `CloudTrailEvent` field (`lookup-events`).
    CloudTrailEventString,
    /// The record is a JSON string in the element's `message` field (CloudWatch Logs exports).
    MessageString,
    /// The record is the element's `detail` object (EventBridge).
    EventBridgeDetail,
}

/// Where a record lives: file, byte offset and length in the *decompressed* stream, and its index
/// among the file's records. Enough to re-read it and to cite it as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SourceRef {
    pub file: u32,
    pub record: u32,
    pub offset: u64,
    pub len: u32,
    pub encoding: RawEncoding,
}

/// Tokens counts use this value for "not logged".
pub const NO_COUNT: u32 = u32::MAX;

/// One normalized event. Field names follow ECS (see [`super::field::Field`]); strings are symbols of
/// the store's interner.
#[derive(Clone, Debug)]
pub struct Event {
    /// `@timestamp`, UTC epoch milliseconds.
    pub ts: i64,
    pub source: SourceRef,
    pub strand: Strand,
    pub outcome: Outcome,
    pub error_class: ErrorClass,
    /// `event.action`: eventName, invocation `operation`, or the endpoint's executable name.
    pub action: Sym,
    /// `event.provider`: eventSource (`bedrock.amazonaws.com`), `bedrock-runtime` for invocation logs.
    pub provider: Sym,
    pub error_code: Sym,
    pub user_arn: Sym,
    pub user_name: Sym,
    pub user_type: Sym,
    pub access_key: Sym,
    pub session_issuer: Sym,
    pub account: Sym,
    pub region: Sym,
    pub source_ip: Sym,
    pub user_agent: Sym,
    pub request_id: Sym,
    pub model_id: Sym,
    pub host: Sym,
    pub command_line: Sym,
    /// Sorted distinct guardrail ids joined with `,`; none means the invocation ran without a guardrail.
    pub guardrail_ids: Sym,
    pub guardrail_action: Sym,
    pub stop_reason: Sym,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Characters of the user prompt text (invocation logs).
    pub prompt_chars: u32,
    /// Bit `i` is set when text probe `i` matched the user prompt text at ingest time.
    pub probe_hits: u64,
    /// Flattened raw fields (`requestParameters.modelId` …) in the store's attribute arena.
    pub attrs_start: u32,
    pub attrs_len: u16,
}

impl Event {
    pub fn new(strand: Strand, ts: i64, source: SourceRef) -> Event {
        Event {
            ts,
            source,
            strand,
            outcome: Outcome::Unknown,
            error_class: ErrorClass::None,
            action: Sym::NONE,
            provider: Sym::NONE,
            error_code: Sym::NONE,
            user_arn: Sym::NONE,
            user_name: Sym::NONE,
            user_type: Sym::NONE,
            access_key: Sym::NONE,
            session_issuer: Sym::NONE,
            account: Sym::NONE,
            region: Sym::NONE,
            source_ip: Sym::NONE,
            user_agent: Sym::NONE,
            request_id: Sym::NONE,
            model_id: Sym::NONE,
            host: Sym::NONE,
            command_line: Sym::NONE,
            guardrail_ids: Sym::NONE,
            guardrail_action: Sym::NONE,
            stop_reason: Sym::NONE,
            prompt_tokens: NO_COUNT,
            completion_tokens: NO_COUNT,
            prompt_chars: 0,
            probe_hits: 0,
            attrs_start: 0,
            attrs_len: 0,
        }
    }

    /// The principal used for grouping: the ARN when known, else the user name.
    pub fn principal(&self) -> Sym {
        if self.user_arn.is_some() {
            self.user_arn
        } else {
            self.user_name
        }
    }

    /// Applies `f` to every symbol field (used to move an event from a file-local interner to the
    /// store's).
    pub fn map_syms(&mut self, f: impl Fn(Sym) -> Sym) {
        for s in [
            &mut self.action,
            &mut self.provider,
            &mut self.error_code,
            &mut self.user_arn,
            &mut self.user_name,
            &mut self.user_type,
            &mut self.access_key,
            &mut self.session_issuer,
            &mut self.account,
            &mut self.region,
            &mut self.source_ip,
            &mut self.user_agent,
            &mut self.request_id,
            &mut self.model_id,
            &mut self.host,
            &mut self.command_line,
            &mut self.guardrail_ids,
            &mut self.guardrail_action,
            &mut self.stop_reason,
        ] {
            *s = f(*s);
        }
    }
}
