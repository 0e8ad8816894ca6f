//! Ingest reads the bodies in the record's own pass ([`RequestFacts`], [`ResponseFacts`]); that must
//! give exactly what [`extract_facts`] gives from the same bodies read on their own.

use serde::Deserialize;

use super::corpus::CORPUS;
use super::*;

#[derive(Deserialize)]
struct OnePass<'a> {
    #[serde(default)]
    input: Option<InOne>,
    #[serde(borrow, default)]
    output: Option<OutOne<'a>>,
}

#[derive(Deserialize)]
struct InOne {
    #[serde(rename = "inputBodyJson", default)]
    body: Option<RequestFacts>,
}

#[derive(Deserialize)]
struct OutOne<'a> {
    #[serde(rename = "outputBodyJson", borrow, default)]
    body: Option<ResponseFacts<'a>>,
}

#[derive(Deserialize)]
struct TwoPass<'a> {
    #[serde(borrow, default)]
    input: Option<InTwo<'a>>,
    #[serde(borrow, default)]
    output: Option<OutTwo<'a>>,
}

#[derive(Deserialize)]
struct InTwo<'a> {
    #[serde(rename = "inputBodyJson", borrow, default)]
    body: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct OutTwo<'a> {
    #[serde(rename = "outputBodyJson", borrow, default)]
    body: Option<&'a RawValue>,
}

fn assert_same(record: &str) {
    // Ingest hands records over as bytes, so read them the same way.
    let one: OnePass<'_> = serde_json::from_slice(record.as_bytes()).expect("one pass");
    let two: TwoPass<'_> = serde_json::from_str(record).expect("two passes");
    let single = facts(
        one.input.and_then(|i| i.body),
        one.output.and_then(|o| o.body),
    );
    let (input, output) = (
        two.input.and_then(|i| i.body),
        two.output.and_then(|o| o.body),
    );
    assert_eq!(single, extract_facts(input, output), "{record}");
    // The facts are those of the full read that the request view does.
    let full = extract(input, output);
    assert_eq!(single.user_prompt, full.user_prompt, "{record}");
    assert_eq!(single.guardrail_ids, full.guardrail_ids, "{record}");
    assert_eq!(single.guardrail_action, full.guardrail_action, "{record}");
    assert_eq!(single.stop_reason, full.stop_reason, "{record}");
    assert_eq!(
        single.usage_input_tokens, full.usage_input_tokens,
        "{record}"
    );
    assert_eq!(
        single.usage_output_tokens, full.usage_output_tokens,
        "{record}"
    );
}

#[test]
fn corpus_records_give_the_same_facts_in_one_pass() {
    for record in CORPUS.lines() {
        assert_same(record);
    }
}

#[test]
fn odd_bodies_give_the_same_facts_in_one_pass() {
    let deep = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    for (input, output) in [
        ("null", "null"),
        ("\"text\"", "[\"[DONE]\"]"),
        ("42", "true"),
        (
            r#"{"messages":[{"role":"user","content":[{"text":"a\u0020b"},{"type":"image"}]}]}"#,
            r#"{"content":[{"text":"x"}],"stop_reason":"end_turn","usage":{"input_tokens":3}}"#,
        ),
        (
            r#"{"system":42,"messages":[{"role":5,"content":{"text":7}},{"role":"user","content":"<input>hi</input> there"}]}"#,
            r#"[{"contentBlockDelta":{"delta":{"text":"a"}}},{"messageStop":{"stopReason":"guardrail_intervened"}},{"metadata":{"usage":{"inputTokens":1,"outputTokens":2}}}]"#,
        ),
        (
            r#"{"prompt":"\n\nHuman: hello\n\nAssistant:"}"#,
            r#"{"completion":"c","amazon-bedrock-guardrailAction":"INTERVENED","amazon-bedrock-trace":{"guardrail":{"input":{"g1":{"topicPolicy":{"topics":[{"name":"t","type":"DENY","action":"BLOCKED"}]}}}}}}"#,
        ),
        (
            "{}",
            r#"{"output":{"message":{"content":[{"text":"x"}]}},"trace":{"guardrail":{"inputAssessment":{"g2":{"contentPolicy":{"filters":[{"type":"HATE","action":"NONE"}]}},"":{}},"outputAssessments":[{"g3":7},{}]}}}"#,
        ),
        (
            r#"{"system":"be nice","messages":[{"role":"assistant","content":"before","role":"user"},{"content":[{"text":"first"}],"role":"user"},{"role":"assistant","content":[{"text":"skip me"}]},{"role":"user","content":"a","role":"assistant"}],"chat_history":[{"role":"CHATBOT","message":"no"},{"role":"USER","message":"yes"},{"role":"CHATBOT","message":"late","role":"USER"}]}"#,
            "{}",
        ),
        (
            "{}",
            r#"{"amazon-bedrock-trace":{"guardrail":{"input":{"g9":{}}}},"trace":{"guardrail":{}}}"#,
        ),
        (&deep, &deep),
    ] {
        assert_same(&format!(
            r#"{{"input":{{"inputBodyJson":{input}}},"output":{{"outputBodyJson":{output}}}}}"#
        ));
    }
    assert_same(
        r#"{"input":{},"output":{"outputBodyJson":{"generation":"g","prompt_token_count":4}}}"#,
    );
}
