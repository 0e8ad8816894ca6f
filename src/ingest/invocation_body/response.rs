//! Response bodies: one object (InvokeModel, Converse, ConverseStream) or an array of stream events
//! (InvokeModelWithResponseStream). Each field is applied to one [`Summary`] as soon as it is read, so
//! neither the stream nor an event ever exists as a parsed structure.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::content::{push, Block, Rendered, SEP};
use super::guardrail::TraceIds;
use super::lenient::{lenient_struct, text, FromJson, Raw, Seen, Str};

/// Stop reason Converse reports when a guardrail replaced the answer.
pub(super) const GUARDRAIL_INTERVENED: &str = "guardrail_intervened";

/// No real response carries more than a few traces; the cap keeps de-duplication linear.
const MAX_TRACES: usize = 16;

/// What a response body says, before guardrail traces are interpreted.
#[derive(Debug, Default)]
pub(super) struct Summary<'a> {
    /// Whether output text is read into `completion`. Ingest keeps none of it, so it skips the
    /// text-only members instead of copying every completion only to drop it.
    text: bool,
    pub(super) completion: String,
    pub(super) stop_reason: Str<'a>,
    /// Last `amazon-bedrock-guardrailAction` seen.
    pub(super) guardrail_action: Str<'a>,
    /// Any event said `INTERVENED`; later events of a stream may not repeat it.
    pub(super) intervened: bool,
    /// A Converse-style `trace.guardrail` was present.
    pub(super) converse_trace: bool,
    /// Distinct guardrail trace objects, verbatim (read with the completion, for the request view).
    pub(super) traces: Vec<&'a RawValue>,
    /// Guardrail ids of every trace (read without the completion, for ingest).
    pub(super) trace_ids: Vec<Cow<'a, str>>,
    usage_input: Option<u64>,
    usage_output: Option<u64>,
    metrics_input: Option<u64>,
    metrics_output: Option<u64>,
    /// Where in the text the stand-in for a stream read ahead of its record was met, as an address
    /// (see `stream_skim`).
    pub(super) placeholder_at: Option<usize>,
}

impl<'de: 'a, 'a> FromJson<'de> for Summary<'a> {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Summary::read_map(map, true)
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Summary::read_seq(seq, true)
    }
}

/// A [`Summary`] read without the completion text (see [`Summary::completion`]).
#[derive(Default)]
pub(super) struct Facts<'a>(pub(super) Summary<'a>);

impl<'de: 'a, 'a> FromJson<'de> for Facts<'a> {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Summary::read_map(map, false).map(Facts)
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Summary::read_seq(seq, false).map(Facts)
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

impl<'a> Summary<'a> {
    fn read_map<'de: 'a, A: MapAccess<'de>>(map: A, text: bool) -> Result<Self, A::Error> {
        let mut s = Summary {
            text,
            ..Summary::default()
        };
        EventSeed {
            sum: &mut s,
            stream: false,
        }
        .visit_map(map)?;
        Ok(s)
    }

    fn read_seq<'de: 'a, A: SeqAccess<'de>>(mut seq: A, text: bool) -> Result<Self, A::Error> {
        let mut s = Summary {
            text,
            ..Summary::default()
        };
        while seq
            .next_element_seed(EventSeed {
                sum: &mut s,
                stream: true,
            })?
            .is_some()
        {}
        Ok(s)
    }

    /// Bedrock's own invocation metrics win over the model's usage report.
    pub(super) fn input_tokens(&self) -> Option<u64> {
        self.metrics_input.or(self.usage_input)
    }

    pub(super) fn output_tokens(&self) -> Option<u64> {
        self.metrics_output.or(self.usage_output)
    }

    /// In a stream every piece is a fragment of one text; in an object each piece is whole.
    fn add(&mut self, piece: &str, stream: bool) {
        if !self.text {
            return;
        }
        if stream {
            self.completion.push_str(piece);
        } else {
            push(&mut self.completion, piece);
        }
    }

    fn add_trace(&mut self, trace: Raw<'a>, converse: bool) {
        if let Some(raw) = trace.0 {
            self.converse_trace |= converse;
            // Streams may repeat the same trace on several events.
            if self.traces.len() < MAX_TRACES && !self.traces.iter().any(|t| t.get() == raw.get()) {
                self.traces.push(raw);
            }
        }
    }

    fn add_trace_ids(&mut self, trace: TraceIdsOf<'a>, converse: bool) {
        let Seen(present, ids) = trace.guardrail;
        // As in `add_trace`: any non-null guardrail value marks a Converse trace.
        self.converse_trace |= converse && present;
        let singles = [ids.input, ids.input_assessment];
        let maps = singles
            .into_iter()
            .chain(ids.outputs)
            .chain(ids.output_assessments);
        self.trace_ids
            .extend(maps.flat_map(|m| m.0.into_iter().map(|(id, _)| id)));
    }

    fn add_usage(&mut self, u: &Usage) {
        set(
            &mut self.usage_input,
            u.input_tokens.or(u.input_tokens_camel).or(u.prompt_tokens),
        );
        set(
            &mut self.usage_output,
            u.output_tokens
                .or(u.output_tokens_camel)
                .or(u.completion_tokens),
        );
    }

    fn add_choices(&mut self, choices: Vec<Choice<'a>>, stream: bool) {
        for c in choices {
            self.add(&c.message.content.display, stream);
            self.add(text(&c.delta.content), stream);
            self.add(text(&c.text), stream);
            set(&mut self.stop_reason, c.stop_reason);
            set(&mut self.stop_reason, c.finish_reason);
        }
    }
}

/// Applies one response object or stream event to the summary.
///
/// One key set serves the whole-body object of every family and every stream event, since their
/// keys do not collide: Anthropic Messages (`content`, `stop_reason`, stream `delta` /
/// `content_block` / `message`), Converse (`output`, `stopReason`, `trace`; ConverseStream events
/// `contentBlockDelta`, `messageStop`, `metadata`), legacy Anthropic (`completion`), Titan
/// (`results`, stream `outputText`), Mistral (`outputs`), Llama (`generation`), Cohere (`text`,
/// `generations`) and OpenAI-compatible models (`choices`).
pub(super) struct EventSeed<'s, 'a> {
    sum: &'s mut Summary<'a>,
    stream: bool,
}

impl<'s, 'a> EventSeed<'s, 'a> {
    /// Reads one event of a stream into `sum`.
    pub(super) fn stream(sum: &'s mut Summary<'a>) -> Self {
        EventSeed { sum, stream: true }
    }
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for EventSeed<'_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads the value of the current key leniently.
fn read<'de, T: FromJson<'de>, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error> {
    T::read_field(map)
}

impl<'de: 'a, 'a> Visitor<'de> for EventSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response object or stream event")
    }

    // Non-object stream elements such as the bare string "[DONE]" carry nothing.
    fn visit_bool<E: de::Error>(self, _v: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _v: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _v: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self.stream && v == super::stream_placeholder() {
            self.sum.placeholder_at = Some(v.as_ptr() as usize);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let EventSeed { sum, stream } = self;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                // Members that carry nothing but output text; any JSON value reads as nothing
                // either way, so skipping them changes no other fact.
                Key::Content
                | Key::Output
                | Key::ContentBlock
                | Key::Completion
                | Key::OutputText
                | Key::Generation
                | Key::Text
                | Key::BlockDelta
                    if !sum.text =>
                {
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Content => sum.add(&read::<Rendered<'a>, _>(&mut map)?.display, stream),
                Key::Output => {
                    let o: ConverseOutput<'a> = read(&mut map)?;
                    sum.add(&o.message.content.display, stream);
                }
                Key::ContentBlock => {
                    let block: Block<'a> = read(&mut map)?;
                    if !block.is_void() {
                        // content_block_start opens a new block of the streamed message.
                        if !sum.completion.is_empty() {
                            sum.completion.push_str(SEP);
                        }
                        let mut r = Rendered::default();
                        r.add_block(block);
                        sum.completion.push_str(&r.display);
                    }
                }
                Key::Completion | Key::OutputText | Key::Generation | Key::Text => {
                    sum.add(text(&read(&mut map)?), stream);
                }
                Key::Results => {
                    let results: Vec<TitanResult<'a>> = read(&mut map)?;
                    let mut tokens: Option<u64> = None;
                    for r in results {
                        sum.add(text(&r.output_text), stream);
                        set(&mut sum.stop_reason, r.completion_reason);
                        if let Some(n) = r.token_count {
                            tokens = Some(tokens.unwrap_or(0).saturating_add(n));
                        }
                    }
                    set(&mut sum.usage_output, tokens);
                }
                Key::Choices => {
                    let choices: Vec<Choice<'a>> = read(&mut map)?;
                    sum.add_choices(choices, stream);
                }
                Key::StopReason => {
                    let reason: Str<'a> = read(&mut map)?;
                    set(&mut sum.stop_reason, reason);
                }
                // Ingest needs only the stop reason of a delta; its text, in nearly every event of
                // a stream, is stepped over rather than unescaped and dropped.
                Key::Delta if !sum.text => {
                    let d: DeltaStop<'a> = read(&mut map)?;
                    set(&mut sum.stop_reason, d.stop_reason);
                }
                Key::Delta => {
                    let d: Delta<'a> = read(&mut map)?;
                    sum.add(text(&d.text), stream);
                    set(&mut sum.stop_reason, d.stop_reason);
                }
                Key::BlockDelta => {
                    let d: BlockDelta<'a> = read(&mut map)?;
                    sum.add(text(&d.delta.text), stream);
                }
                Key::Message => {
                    let m: StreamMessage<'a> = read(&mut map)?;
                    set(&mut sum.stop_reason, m.stop_reason);
                    sum.add_usage(&m.usage);
                }
                Key::MessageStop => {
                    let m: MessageStop<'a> = read(&mut map)?;
                    set(&mut sum.stop_reason, m.stop_reason);
                }
                Key::Metadata if !sum.text => {
                    let m: MetadataIds<'a> = read(&mut map)?;
                    sum.add_usage(&m.usage);
                    sum.add_trace_ids(m.trace, true);
                }
                Key::Metadata => {
                    let m: Metadata<'a> = read(&mut map)?;
                    sum.add_usage(&m.usage);
                    sum.add_trace(m.trace.guardrail, true);
                }
                Key::Usage => sum.add_usage(&read(&mut map)?),
                Key::Metrics => {
                    let m: InvocationMetrics = read(&mut map)?;
                    set(&mut sum.metrics_input, m.input_token_count);
                    set(&mut sum.metrics_output, m.output_token_count);
                }
                Key::GuardrailAction => {
                    if let Some(action) = read::<Str<'a>, _>(&mut map)? {
                        sum.intervened |= action == "INTERVENED";
                        sum.guardrail_action = Some(action);
                    }
                }
                Key::BedrockTrace if !sum.text => sum.add_trace_ids(read(&mut map)?, false),
                Key::Trace if !sum.text => sum.add_trace_ids(read(&mut map)?, true),
                Key::BedrockTrace => {
                    sum.add_trace(read::<Trace<'a>, _>(&mut map)?.guardrail, false)
                }
                Key::Trace => sum.add_trace(read::<Trace<'a>, _>(&mut map)?.guardrail, true),
                Key::InputCount => set(&mut sum.usage_input, read(&mut map)?),
                Key::OutputCount => set(&mut sum.usage_output, read(&mut map)?),
                Key::Unknown => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Key {
    Content,
    Output,
    ContentBlock,
    Completion,
    OutputText,
    Generation,
    Text,
    Results,
    Choices,
    StopReason,
    Delta,
    BlockDelta,
    Message,
    MessageStop,
    Metadata,
    Usage,
    Metrics,
    GuardrailAction,
    BedrockTrace,
    Trace,
    InputCount,
    OutputCount,
    Unknown,
}

struct KeySeed;

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "content" => Key::Content,
            "output" => Key::Output,
            "content_block" => Key::ContentBlock,
            "completion" => Key::Completion,
            "outputText" => Key::OutputText,
            "generation" => Key::Generation,
            "text" => Key::Text,
            "results" => Key::Results,
            // Mistral, Cohere and OpenAI-compatible lists share one element shape.
            "outputs" | "generations" | "choices" => Key::Choices,
            "stop_reason" | "stopReason" | "completionReason" | "finish_reason" => Key::StopReason,
            "delta" => Key::Delta,
            "contentBlockDelta" => Key::BlockDelta,
            "message" => Key::Message,
            "messageStop" => Key::MessageStop,
            "metadata" => Key::Metadata,
            "usage" => Key::Usage,
            "amazon-bedrock-invocationMetrics" => Key::Metrics,
            "amazon-bedrock-guardrailAction" => Key::GuardrailAction,
            "amazon-bedrock-trace" => Key::BedrockTrace,
            "trace" => Key::Trace,
            // Llama and Titan report token counts at the top level.
            "prompt_token_count" | "inputTextTokenCount" => Key::InputCount,
            "generation_token_count" | "totalOutputTextTokenCount" => Key::OutputCount,
            _ => Key::Unknown,
        })
    }
}

impl<'k> DeserializeSeed<'k> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'k>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

lenient_struct! {
    struct ConverseOutput<'a> {
        message: OutputMessage<'a> = "message",
    }
}

lenient_struct! {
    struct OutputMessage<'a> {
        content: Rendered<'a> = "content",
    }
}

lenient_struct! {
    struct TitanResult<'a> {
        output_text: Str<'a> = "outputText",
        completion_reason: Str<'a> = "completionReason",
        token_count: Option<u64> = "tokenCount",
    }
}

// An element of Mistral `outputs`, Cohere `generations` or OpenAI-compatible `choices`.
lenient_struct! {
    struct Choice<'a> {
        text: Str<'a> = "text",
        message: OutputMessage<'a> = "message",
        delta: ChoiceDelta<'a> = "delta",
        stop_reason: Str<'a> = "stop_reason",
        finish_reason: Str<'a> = "finish_reason",
    }
}

lenient_struct! {
    struct ChoiceDelta<'a> {
        content: Str<'a> = "content",
    }
}

lenient_struct! {
    struct Delta<'a> {
        text: Str<'a> = "text",
        stop_reason: Str<'a> = "stop_reason",
    }
}

lenient_struct! {
    struct DeltaStop<'a> {
        stop_reason: Str<'a> = "stop_reason",
    }
}

lenient_struct! {
    struct StreamMessage<'a> {
        stop_reason: Str<'a> = "stop_reason",
        usage: Usage = "usage",
    }
}

lenient_struct! {
    struct BlockDelta<'a> {
        delta: Delta<'a> = "delta",
    }
}

lenient_struct! {
    struct MessageStop<'a> {
        stop_reason: Str<'a> = "stopReason",
    }
}

lenient_struct! {
    struct Metadata<'a> {
        usage: Usage = "usage",
        trace: Trace<'a> = "trace",
    }
}

lenient_struct! {
    struct Trace<'a> {
        guardrail: Raw<'a> = "guardrail",
    }
}

lenient_struct! {
    struct TraceIdsOf<'a> {
        guardrail: Seen<TraceIds<'a>> = "guardrail",
    }
}

lenient_struct! {
    struct MetadataIds<'a> {
        usage: Usage = "usage",
        trace: TraceIdsOf<'a> = "trace",
    }
}

lenient_struct! {
    struct Usage {
        input_tokens: Option<u64> = "input_tokens",
        output_tokens: Option<u64> = "output_tokens",
        input_tokens_camel: Option<u64> = "inputTokens",
        output_tokens_camel: Option<u64> = "outputTokens",
        prompt_tokens: Option<u64> = "prompt_tokens",
        completion_tokens: Option<u64> = "completion_tokens",
    }
}

lenient_struct! {
    struct InvocationMetrics {
        input_token_count: Option<u64> = "inputTokenCount",
        output_token_count: Option<u64> = "outputTokenCount",
    }
}
