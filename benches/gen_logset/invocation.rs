//! One model call, rendered twice: as the CloudTrail management event and as the
//! Bedrock model-invocation log record. Both carry the same request id (the join key).
//!
//! Body shapes follow the real records described in the formats reference: Anthropic
//! Messages (object and streamed event array), legacy `prompt`/`completion`, Titan
//! `inputText`/`results`, and Converse/ConverseStream (logged assembled). Guardrail ids
//! appear only as keys of the trace, which is how detections tell guarded calls apart.

use crate::clock::iso;
use crate::cloudtrail::{self, Api};
use crate::identity::Actor;
use crate::json::{arr, obj, V};
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    InvokeModel,
    InvokeModelWithResponseStream,
    Converse,
    ConverseStream,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::InvokeModel => "InvokeModel",
            Op::InvokeModelWithResponseStream => "InvokeModelWithResponseStream",
            Op::Converse => "Converse",
            Op::ConverseStream => "ConverseStream",
        }
    }
}

/// Request body family.
#[derive(Clone, Debug)]
pub enum Shape {
    /// Anthropic Messages API (`anthropic_version`, `messages`).
    Messages,
    /// Claude v2 / Instant text completions (`prompt`, `completion`).
    Legacy,
    /// Amazon Titan Text (`inputText`, `results`).
    Titan,
    /// Converse API (`messages` with `text` or `guardContent` blocks).
    Converse,
    /// A raw request body sent as-is (malformed probes); only used with errors.
    Raw(V),
}

#[derive(Clone, Debug, Default)]
pub struct Prompt {
    pub system: Option<String>,
    /// `(is_user, text)` in conversation order. Legacy and Titan use one user turn
    /// holding the whole prompt.
    pub turns: Vec<(bool, String)>,
    /// Converse: wrap the last user text in a `guardContent` block.
    pub guard_content: bool,
}

impl Prompt {
    pub fn user(text: impl Into<String>) -> Prompt {
        Prompt {
            system: None,
            turns: vec![(true, text.into())],
            guard_content: false,
        }
    }

    pub fn with_system(mut self, system: impl Into<String>) -> Prompt {
        self.system = Some(system.into());
        self
    }

    fn chars(&self) -> usize {
        self.system.as_ref().map_or(0, |s| s.chars().count())
            + self
                .turns
                .iter()
                .map(|(_, t)| t.chars().count())
                .sum::<usize>()
    }
}

#[derive(Clone, Debug)]
pub enum Outcome {
    /// The model answered with this text.
    Answer(String),
    /// A guardrail blocked the input: `(guardrail id, policy findings, canned reply)`.
    Blocked(String, V, String),
    /// The call failed: CloudTrail `errorCode`, invocation-log `errorCode`, message.
    Error(&'static str, &'static str, String),
}

#[derive(Clone, Debug)]
pub struct Call {
    pub t: i64,
    pub region: String,
    pub op: Op,
    pub model: String,
    pub inference_region: Option<String>,
    pub shape: Shape,
    pub prompt: Prompt,
    /// Guardrail ids applied to the call (request-level and account-enforced).
    pub guardrails: Vec<String>,
    pub outcome: Outcome,
    pub max_tokens: u32,
    pub temperature: f64,
    /// Set when another file must carry the same id (the bulk set pairs files).
    pub request_id: Option<String>,
}

impl Call {
    /// A successful call with no guardrail, no cross-region routing and default
    /// inference settings; callers adjust the fields they care about.
    pub fn new(t: i64, region: &str, op: Op, model: &str, shape: Shape, prompt: Prompt) -> Call {
        Call {
            t,
            region: region.to_string(),
            op,
            model: model.to_string(),
            inference_region: None,
            shape,
            prompt,
            guardrails: Vec::new(),
            outcome: Outcome::Answer(String::new()),
            max_tokens: 1024,
            temperature: 0.5,
            request_id: None,
        }
    }
}

pub struct Built {
    pub cloudtrail: V,
    pub log: V,
    pub request_id: String,
    pub input_tokens: u32,
}

/// Rough token count (≈3.7 characters per token for English text).
pub fn tokens(chars: usize) -> u32 {
    (chars as f64 / 3.7).ceil() as u32
}

/// `anthropic.claude-3-haiku-20240307-v1:0` → `claude-3-haiku-20240307`, the name the
/// model reports inside its own response.
fn reported_model(id: &str) -> String {
    let tail = id.rsplit('/').next().unwrap_or(id);
    let name = tail.split_once("anthropic.").map_or(tail, |(_, n)| n);
    match name.rfind("-v") {
        Some(i) if name[i + 2..].starts_with(|c: char| c.is_ascii_digit()) => name[..i].to_string(),
        _ => name.to_string(),
    }
}

fn assessment(findings: Option<&V>, chars: usize, rng: &mut Rng) -> V {
    let mut a = obj! {};
    if let Some(V::Obj(fields)) = findings {
        for (k, v) in fields {
            a.push(k.clone(), v.clone());
        }
    }
    let units = chars.div_ceil(1000).max(1);
    a.push(
        "invocationMetrics",
        obj! {
            "guardrailProcessingLatency" => rng.range(160, 430),
            "usage" => obj! {
                "topicPolicyUnits" => units,
                "contentPolicyUnits" => units,
                "wordPolicyUnits" => units,
                "sensitiveInformationPolicyUnits" => units,
                "sensitiveInformationPolicyFreeUnits" => 0,
                "contextualGroundingPolicyUnits" => 0,
            },
            "guardrailCoverage" => obj! {
                "textCharacters" => obj! { "guarded" => chars, "total" => chars },
            },
        },
    );
    a
}

/// Guardrail trace; `converse` selects the Converse spelling
/// (`inputAssessment`/`outputAssessments`) over the InvokeModel one (`input`/`outputs`).
fn guardrail_trace(call: &Call, out_chars: usize, converse: bool, rng: &mut Rng) -> V {
    let in_chars = call.prompt.chars();
    let blocked = match &call.outcome {
        Outcome::Blocked(id, findings, _) => Some((id.as_str(), findings)),
        _ => None,
    };
    let mut input = obj! {};
    for id in &call.guardrails {
        let findings = blocked.filter(|(b, _)| b == id).map(|(_, f)| f);
        input.push(id.clone(), assessment(findings, in_chars, rng));
    }
    let (in_key, out_key) = if converse {
        ("inputAssessment", "outputAssessments")
    } else {
        ("input", "outputs")
    };
    let mut g = obj! { in_key => input };
    if blocked.is_none() {
        let mut out = obj! {};
        for id in &call.guardrails {
            out.push(id.clone(), assessment(None, out_chars, rng));
        }
        g.push(out_key, arr![out]);
    } else if !converse {
        g.push("actionReason", "Guardrail blocked.");
    }
    obj! { "guardrail" => g }
}

fn anthropic_messages(prompt: &Prompt) -> V {
    V::Arr(
        prompt
            .turns
            .iter()
            .map(|(user, text)| {
                obj! {
                    "role" => if *user { "user" } else { "assistant" },
                    "content" => arr![obj! { "type" => "text", "text" => text.clone() }],
                }
            })
            .collect(),
    )
}

fn converse_messages(prompt: &Prompt) -> V {
    let last_user = prompt.turns.iter().rposition(|(u, _)| *u);
    V::Arr(
        prompt
            .turns
            .iter()
            .enumerate()
            .map(|(i, (user, text))| {
                let block = if prompt.guard_content && Some(i) == last_user {
                    obj! { "guardContent" => obj! { "text" => obj! {
                        "text" => text.clone(),
                        "qualifiers" => arr!["guard_content"],
                    } } }
                } else {
                    obj! { "text" => text.clone() }
                };
                obj! { "role" => if *user { "user" } else { "assistant" }, "content" => arr![block] }
            })
            .collect(),
    )
}

fn input_body(call: &Call) -> V {
    let p = &call.prompt;
    let first_user = || {
        p.turns
            .iter()
            .find(|(u, _)| *u)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    match &call.shape {
        Shape::Messages => {
            let mut b = obj! {
                "anthropic_version" => "bedrock-2023-05-31",
                "max_tokens" => call.max_tokens,
            };
            if let Some(s) = &p.system {
                b.push("system", s.clone());
            }
            b.push("messages", anthropic_messages(p));
            b.push("temperature", call.temperature);
            b.push("top_p", 0.999);
            b
        }
        Shape::Legacy => obj! {
            "prompt" => first_user(),
            "max_tokens_to_sample" => call.max_tokens,
            "temperature" => call.temperature,
            "top_p" => 0.9,
            "stop_sequences" => arr!["\n\nHuman:"],
        },
        Shape::Titan => obj! {
            "inputText" => first_user(),
            "textGenerationConfig" => obj! {
                "maxTokenCount" => call.max_tokens,
                "temperature" => call.temperature,
                "topP" => 0.9,
                "stopSequences" => V::Arr(vec![]),
            },
        },
        Shape::Converse => {
            let mut b = obj! { "messages" => converse_messages(p) };
            if let Some(s) = &p.system {
                b.push("system", arr![obj! { "text" => s.clone() }]);
            }
            b.push(
                "inferenceConfig",
                obj! {
                    "maxTokens" => call.max_tokens,
                    "temperature" => call.temperature,
                    "topP" => 0.9,
                },
            );
            b
        }
        Shape::Raw(v) => v.clone(),
    }
}

/// Splits text into streaming deltas of one to three words, keeping the spaces.
fn chunks(text: &str, rng: &mut Rng) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut words = 0;
    let mut want = rng.range(1, 3);
    for w in text.split_inclusive(' ') {
        cur.push_str(w);
        words += 1;
        if words >= want {
            out.push(std::mem::take(&mut cur));
            words = 0;
            want = rng.range(1, 3);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct Usage {
    input: u32,
    output: u32,
    latency: i64,
}

fn stream_events(call: &Call, text: &str, u: &Usage, rng: &mut Rng) -> V {
    let blocked = matches!(call.outcome, Outcome::Blocked(..));
    let model = reported_model(&call.model);
    let mut ev = vec![
        obj! { "type" => "message_start", "message" => obj! {
            "id" => format!("msg_bdrk_01{}", rng.alnum(22)),
            "type" => "message",
            "role" => "assistant",
            "model" => model,
            "content" => V::Arr(vec![]),
            "stop_reason" => V::Null,
            "stop_sequence" => V::Null,
            "usage" => obj! { "input_tokens" => u.input, "output_tokens" => u32::from(!blocked) },
        } },
        obj! { "type" => "content_block_start", "index" => 0, "content_block" => obj! { "type" => "text", "text" => "" } },
    ];
    if blocked {
        ev.push(obj! {
            "type" => "content_block_delta",
            "index" => 0,
            "delta" => obj! { "type" => "text_delta", "text" => text.to_string() },
            "amazon-bedrock-guardrailAction" => "INTERVENED",
        });
    } else {
        for c in chunks(text, rng) {
            ev.push(obj! {
                "type" => "content_block_delta",
                "index" => 0,
                "delta" => obj! { "type" => "text_delta", "text" => c },
            });
        }
    }
    ev.push(obj! { "type" => "content_block_stop", "index" => 0 });
    ev.push(obj! {
        "type" => "message_delta",
        "delta" => obj! { "stop_reason" => "end_turn", "stop_sequence" => V::Null },
        "usage" => obj! { "output_tokens" => u.output },
    });
    let mut stop = obj! { "type" => "message_stop" };
    if !blocked {
        stop.push(
            "amazon-bedrock-invocationMetrics",
            obj! {
                "inputTokenCount" => u.input,
                "outputTokenCount" => u.output,
                "invocationLatency" => u.latency,
                "firstByteLatency" => rng.range(280, 900),
            },
        );
    }
    if !call.guardrails.is_empty() {
        stop.push(
            "amazon-bedrock-guardrailAction",
            if blocked { "INTERVENED" } else { "NONE" },
        );
        stop.push(
            "amazon-bedrock-trace",
            guardrail_trace(call, text.len(), false, rng),
        );
    }
    ev.push(stop);
    V::Arr(ev)
}

/// Adds the InvokeModel-style guardrail fields to an output object.
fn with_invoke_guardrail(mut out: V, call: &Call, text: &str, rng: &mut Rng) -> V {
    if !call.guardrails.is_empty() {
        let blocked = matches!(call.outcome, Outcome::Blocked(..));
        out.push(
            "amazon-bedrock-guardrailAction",
            if blocked { "INTERVENED" } else { "NONE" },
        );
        out.push(
            "amazon-bedrock-trace",
            guardrail_trace(call, text.len(), false, rng),
        );
    }
    out
}

fn output_body(call: &Call, text: &str, u: &Usage, rng: &mut Rng) -> V {
    let blocked = matches!(call.outcome, Outcome::Blocked(..));
    match (&call.shape, call.op) {
        (Shape::Messages, Op::InvokeModelWithResponseStream) => stream_events(call, text, u, rng),
        (Shape::Messages, _) => {
            let out = obj! {
                "id" => format!("msg_bdrk_01{}", rng.alnum(22)),
                "type" => "message",
                "role" => "assistant",
                "model" => reported_model(&call.model),
                "content" => arr![obj! { "type" => "text", "text" => text.to_string() }],
                "stop_reason" => "end_turn",
                "stop_sequence" => V::Null,
                "usage" => obj! { "input_tokens" => u.input, "output_tokens" => u.output },
            };
            with_invoke_guardrail(out, call, text, rng)
        }
        (Shape::Legacy, _) => {
            let out = obj! {
                "completion" => format!(" {text}"),
                "stop_reason" => "stop_sequence",
                "stop" => "\n\nHuman:",
            };
            with_invoke_guardrail(out, call, text, rng)
        }
        (Shape::Titan, _) => {
            let out = obj! {
                "inputTextTokenCount" => u.input,
                "results" => arr![obj! {
                    "tokenCount" => u.output,
                    "outputText" => text.to_string(),
                    "completionReason" => if blocked { "CONTENT_FILTERED" } else { "FINISH" },
                }],
            };
            with_invoke_guardrail(out, call, text, rng)
        }
        (Shape::Converse, _) | (Shape::Raw(_), _) => {
            let mut out = obj! {
                "output" => obj! { "message" => obj! {
                    "role" => "assistant",
                    "content" => arr![obj! { "text" => text.to_string() }],
                } },
                "stopReason" => if blocked { "guardrail_intervened" } else { "end_turn" },
                "metrics" => obj! { "latencyMs" => u.latency },
                "usage" => obj! {
                    "inputTokens" => u.input,
                    "outputTokens" => u.output,
                    "totalTokens" => u.input + u.output,
                },
            };
            if !call.guardrails.is_empty() {
                out.push("trace", guardrail_trace(call, text.len(), true, rng));
            }
            out
        }
    }
}

/// The CloudTrail management event of a model call.
pub fn cloudtrail_record(actor: &Actor, call: &Call, request_id: &str, rng: &mut Rng) -> V {
    let mut api = Api::bedrock(
        call.op.name(),
        &call.region,
        obj! { "modelId" => call.model.clone() },
        rng,
    )
    .request_id(request_id);
    if let Some(r) = &call.inference_region {
        api = api.extra(obj! { "inferenceRegion" => r.clone() });
    }
    if let Outcome::Error(ct_code, _, msg) = &call.outcome {
        api = api.error(ct_code, msg);
    }
    cloudtrail::record(call.t, actor, api, rng)
}

/// The invocation-log record of a model call and its `inputTokenCount`.
pub fn log_record(actor: &Actor, call: &Call, request_id: &str, rng: &mut Rng) -> (V, u32) {
    let turns = call.prompt.turns.len() as u32;
    let (text, usage) = match &call.outcome {
        Outcome::Answer(text) => {
            let input = tokens(call.prompt.chars()) + 4 * turns + 3;
            let output = tokens(text.chars().count()).max(1);
            let latency = 250 + output as i64 * rng.range(12, 22);
            (
                text.clone(),
                Usage {
                    input,
                    output,
                    latency,
                },
            )
        }
        Outcome::Blocked(_, _, msg) => (
            msg.clone(),
            Usage {
                input: 0,
                output: 0,
                latency: rng.range(220, 480),
            },
        ),
        Outcome::Error(..) => (
            String::new(),
            Usage {
                input: 0,
                output: 0,
                latency: 0,
            },
        ),
    };
    let mut log = obj! {
        "schemaType" => "ModelInvocationLog",
        "schemaVersion" => "1.0",
        "timestamp" => iso(call.t),
        "accountId" => actor.p.account.clone(),
        "identity" => obj! { "arn" => actor.arn().to_string() },
        "region" => call.region.clone(),
        "requestId" => request_id.to_string(),
        "operation" => call.op.name(),
        "modelId" => call.model.clone(),
    };
    if let Some(r) = &call.inference_region {
        log.push("inferenceRegion", r.clone());
    }
    if let Outcome::Error(_, log_code, _) = &call.outcome {
        log.push("errorCode", *log_code);
    }
    log.push(
        "input",
        obj! {
            "inputContentType" => "application/json",
            "inputBodyJson" => input_body(call),
            "inputTokenCount" => usage.input,
        },
    );
    if !matches!(call.outcome, Outcome::Error(..)) {
        log.push(
            "output",
            obj! {
                "outputContentType" => "application/json",
                "outputBodyJson" => output_body(call, &text, &usage, rng),
                "outputTokenCount" => usage.output,
            },
        );
    }
    (log, usage.input)
}

/// Renders `call` made by `actor` into its CloudTrail record and invocation-log record.
pub fn build(actor: &Actor, call: &Call, rng: &mut Rng) -> Built {
    let request_id = call.request_id.clone().unwrap_or_else(|| rng.uuid());
    let cloudtrail = cloudtrail_record(actor, call, &request_id, rng);
    let (log, input_tokens) = log_record(actor, call, &request_id, rng);
    Built {
        cloudtrail,
        log,
        request_id,
        input_tokens,
    }
}
