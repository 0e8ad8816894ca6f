//! Normalized field names (ECS style) and typed access to an event's value for each. Rules, filters,
//! pivots and exports all name fields through this one table.

use super::event::{Event, NO_COUNT};
use super::intern::Sym;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Timestamp,
    Strand,
    Action,
    Provider,
    Outcome,
    ErrorCode,
    ErrorClass,
    UserArn,
    UserName,
    UserType,
    AccessKey,
    SessionIssuer,
    Principal,
    Account,
    Region,
    SourceIp,
    UserAgent,
    RequestId,
    ModelId,
    Host,
    CommandLine,
    GuardrailIds,
    GuardrailAction,
    StopReason,
    PromptTokens,
    CompletionTokens,
    PromptChars,
}

/// A field's value on one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Missing,
    Str(Sym),
    /// A value that is not interned (strand, outcome, error class names).
    Static(&'static str),
    Num(i64),
}

impl Field {
    pub const ALL: [Field; 27] = [
        Field::Timestamp,
        Field::Strand,
        Field::Action,
        Field::Provider,
        Field::Outcome,
        Field::ErrorCode,
        Field::ErrorClass,
        Field::UserArn,
        Field::UserName,
        Field::UserType,
        Field::AccessKey,
        Field::SessionIssuer,
        Field::Principal,
        Field::Account,
        Field::Region,
        Field::SourceIp,
        Field::UserAgent,
        Field::RequestId,
        Field::ModelId,
        Field::Host,
        Field::CommandLine,
        Field::GuardrailIds,
        Field::GuardrailAction,
        Field::StopReason,
        Field::PromptTokens,
        Field::CompletionTokens,
        Field::PromptChars,
    ];

    /// The ECS-style name used in rule files, filters and exports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Timestamp => "@timestamp",
            Field::Strand => "event.strand",
            Field::Action => "event.action",
            Field::Provider => "event.provider",
            Field::Outcome => "event.outcome",
            Field::ErrorCode => "error.code",
            Field::ErrorClass => "error.class",
            Field::UserArn => "user.arn",
            Field::UserName => "user.name",
            Field::UserType => "user.type",
            Field::AccessKey => "user.access_key_id",
            Field::SessionIssuer => "user.session_issuer",
            Field::Principal => "user.principal",
            Field::Account => "cloud.account.id",
            Field::Region => "cloud.region",
            Field::SourceIp => "source.ip",
            Field::UserAgent => "user_agent.original",
            Field::RequestId => "request.id",
            Field::ModelId => "gen_ai.request.model.id",
            Field::Host => "host.name",
            Field::CommandLine => "process.command_line",
            Field::GuardrailIds => "gen_ai.guardrail_id",
            Field::GuardrailAction => "gen_ai.guardrail.action",
            Field::StopReason => "gen_ai.response.finish_reason",
            Field::PromptTokens => "gen_ai.usage.prompt_tokens",
            Field::CompletionTokens => "gen_ai.usage.completion_tokens",
            Field::PromptChars => "gen_ai.prompt.user_chars",
        }
    }

    /// Short aliases accepted in the TUI filter (`user=alice model~claude`) as well as full names.
    pub fn parse(s: &str) -> Option<Field> {
        if let Some(f) = Field::ALL.into_iter().find(|f| f.name() == s) {
            return Some(f);
        }
        Some(match s {
            "time" | "timestamp" => Field::Timestamp,
            "strand" => Field::Strand,
            "action" | "event" | "eventName" | "operation" => Field::Action,
            "provider" | "eventSource" => Field::Provider,
            "outcome" => Field::Outcome,
            "error" | "error_class" => Field::ErrorClass,
            "error_code" | "errorCode" => Field::ErrorCode,
            "user" | "principal" => Field::Principal,
            "arn" | "user_arn" => Field::UserArn,
            "user_name" | "username" => Field::UserName,
            "user_type" => Field::UserType,
            "key" | "access_key" | "accessKeyId" => Field::AccessKey,
            "role" | "issuer" | "session_issuer" => Field::SessionIssuer,
            "account" | "accountId" => Field::Account,
            "region" => Field::Region,
            "ip" | "source_ip" | "src" => Field::SourceIp,
            "ua" | "user_agent" | "userAgent" => Field::UserAgent,
            "request" | "request_id" | "requestId" | "requestID" => Field::RequestId,
            "model" | "modelId" => Field::ModelId,
            "host" | "hostname" => Field::Host,
            "cmd" | "command" | "command_line" => Field::CommandLine,
            "guardrail_id" | "guardrail_ids" => Field::GuardrailIds,
            "guardrail" | "guardrail_action" => Field::GuardrailAction,
            "stop_reason" | "stop" => Field::StopReason,
            "tokens_in" | "prompt_tokens" => Field::PromptTokens,
            "tokens_out" | "completion_tokens" => Field::CompletionTokens,
            "prompt_chars" => Field::PromptChars,
            _ => return None,
        })
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Field::Timestamp | Field::PromptTokens | Field::CompletionTokens | Field::PromptChars
        )
    }

    pub fn get(self, e: &Event) -> Value {
        let sym = |s: Sym| {
            if s.is_some() {
                Value::Str(s)
            } else {
                Value::Missing
            }
        };
        let count = |n: u32| {
            if n == NO_COUNT {
                Value::Missing
            } else {
                Value::Num(i64::from(n))
            }
        };
        match self {
            Field::Timestamp => Value::Num(e.ts),
            Field::Strand => Value::Static(e.strand.name()),
            Field::Action => sym(e.action),
            Field::Provider => sym(e.provider),
            Field::Outcome => Value::Static(e.outcome.name()),
            Field::ErrorCode => sym(e.error_code),
            Field::ErrorClass => Value::Static(e.error_class.name()),
            Field::UserArn => sym(e.user_arn),
            Field::UserName => sym(e.user_name),
            Field::UserType => sym(e.user_type),
            Field::AccessKey => sym(e.access_key),
            Field::SessionIssuer => sym(e.session_issuer),
            Field::Principal => sym(e.principal()),
            Field::Account => sym(e.account),
            Field::Region => sym(e.region),
            Field::SourceIp => sym(e.source_ip),
            Field::UserAgent => sym(e.user_agent),
            Field::RequestId => sym(e.request_id),
            Field::ModelId => sym(e.model_id),
            Field::Host => sym(e.host),
            Field::CommandLine => sym(e.command_line),
            Field::GuardrailIds => sym(e.guardrail_ids),
            Field::GuardrailAction => sym(e.guardrail_action),
            Field::StopReason => sym(e.stop_reason),
            Field::PromptTokens => count(e.prompt_tokens),
            Field::CompletionTokens => count(e.completion_tokens),
            Field::PromptChars => {
                if e.strand == super::event::Strand::Invocation {
                    Value::Num(i64::from(e.prompt_chars))
                } else {
                    Value::Missing
                }
            }
        }
    }
}
