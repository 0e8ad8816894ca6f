//! Hand-written bodies in the documented shapes of each model family and API.

use serde_json::Value;

use super::*;

#[test]
fn legacy_probe_body_has_one_empty_human_turn() {
    let t = ex(
        r#"{"prompt":"\n\nHuman:\n\nAssistant:","max_tokens_to_sample":-1}"#,
        "null",
    );
    assert_eq!(t.system, "");
    assert_eq!(t.turns, vec![user("")]);
    assert_eq!(t.user_prompt, "");
    assert_eq!(t.completion, "");
}

#[test]
fn legacy_text_completion_conversation() {
    let t = ex(
        r#"{"prompt":"You are terse.\n\nHuman: Hi there\n\nAssistant: Hello.\n\nHuman: Name a color\n\nAssistant:","max_tokens_to_sample":300}"#,
        r#"{"completion":" Blue.","stop_reason":"stop_sequence","stop":"\n\nHuman:"}"#,
    );
    assert_eq!(t.system, "You are terse.");
    assert_eq!(
        t.turns,
        vec![
            user("Hi there"),
            turn("assistant", "Hello."),
            user("Name a color")
        ]
    );
    assert_eq!(t.user_prompt, "Hi there\n\nName a color");
    assert_eq!(t.completion, " Blue.");
    assert_eq!(t.stop_reason.as_deref(), Some("stop_sequence"));
    assert_eq!((t.usage_input_tokens, t.usage_output_tokens), (None, None));
}

#[test]
fn legacy_prompt_opening_with_human_marker() {
    let t = ex(r#"{"prompt":"Human: first\n\nAssistant:"}"#, "null");
    assert_eq!(t.turns, vec![user("first")]);
    assert_eq!(t.user_prompt, "first");
}

#[test]
fn legacy_stream_chunks_concatenate() {
    let t = ex(
        r#"{"prompt":"\n\nHuman: count\n\nAssistant:","max_tokens_to_sample":5}"#,
        r#"[{"completion":" one","stop_reason":null,"stop":null},
            {"completion":", two","stop_reason":"max_tokens","stop":null,
             "amazon-bedrock-invocationMetrics":{"inputTokenCount":11,"outputTokenCount":5,"invocationLatency":300,"firstByteLatency":200}},
            "[DONE]"]"#,
    );
    assert_eq!(t.completion, " one, two");
    assert_eq!(t.stop_reason.as_deref(), Some("max_tokens"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(11), Some(5))
    );
}

#[test]
fn titan_text_request_and_response() {
    let t = ex(
        r#"{"inputText":"Summarise: the cat sat.","textGenerationConfig":{"maxTokenCount":512,"temperature":0,"topP":1,"stopSequences":[]}}"#,
        r#"{"inputTextTokenCount":7,"results":[{"tokenCount":4,"outputText":"A cat sat.","completionReason":"FINISH"}]}"#,
    );
    assert_eq!(t.turns, vec![user("Summarise: the cat sat.")]);
    assert_eq!(t.user_prompt, "Summarise: the cat sat.");
    assert_eq!(t.completion, "A cat sat.");
    assert_eq!(t.stop_reason.as_deref(), Some("FINISH"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(7), Some(4))
    );
}

#[test]
fn titan_stream_chunks() {
    let t = ex(
        r#"{"inputText":"hi"}"#,
        r#"[{"outputText":"Hel","index":0,"totalOutputTextTokenCount":1,"completionReason":null,"inputTextTokenCount":1},
            {"outputText":"lo","index":0,"totalOutputTextTokenCount":2,"completionReason":"FINISH","inputTextTokenCount":null}]"#,
    );
    assert_eq!(t.completion, "Hello");
    assert_eq!(t.stop_reason.as_deref(), Some("FINISH"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(1), Some(2))
    );
}

#[test]
fn mistral_prompt_and_outputs() {
    let t = ex(
        r#"{"prompt":"<s>[INST] What is a VPC? [/INST]","max_tokens":200,"temperature":0.5}"#,
        r#"{"outputs":[{"text":" A virtual private cloud.","stop_reason":"stop"}]}"#,
    );
    assert_eq!(t.turns, vec![user("<s>[INST] What is a VPC? [/INST]")]);
    assert_eq!(t.user_prompt, "<s>[INST] What is a VPC? [/INST]");
    assert_eq!(t.completion, " A virtual private cloud.");
    assert_eq!(t.stop_reason.as_deref(), Some("stop"));
}

#[test]
fn llama_generation_and_token_counts() {
    let t = ex(
        r#"{"prompt":"<|begin_of_text|><|start_header_id|>user<|end_header_id|>\nHi<|eot_id|>","max_gen_len":64}"#,
        r#"{"generation":"Hello! How can I help?","prompt_token_count":12,"generation_token_count":7,"stop_reason":"stop"}"#,
    );
    assert_eq!(t.completion, "Hello! How can I help?");
    assert_eq!(t.stop_reason.as_deref(), Some("stop"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(12), Some(7))
    );
    assert!(t.user_prompt.contains("<|end_header_id|>\nHi<|eot_id|>"));
}

#[test]
fn openai_style_messages_and_choices() {
    let t = ex(
        r#"{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}],"max_tokens":10}"#,
        r#"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2}}"#,
    );
    assert_eq!(t.system, "Be brief.");
    assert_eq!(t.turns, vec![turn("system", "Be brief."), user("Hello")]);
    assert_eq!(t.user_prompt, "Hello");
    assert_eq!(t.completion, "Hi.");
    assert_eq!(t.stop_reason.as_deref(), Some("stop"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(9), Some(2))
    );
}

#[test]
fn cohere_chat_history_and_preamble() {
    let t = ex(
        r#"{"message":"And now?","chat_history":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello"}],"preamble":"You help."}"#,
        r#"{"text":"Now is later.","finish_reason":"COMPLETE"}"#,
    );
    assert_eq!(t.system, "You help.");
    assert_eq!(
        t.turns,
        vec![
            turn("USER", "Hi"),
            turn("CHATBOT", "Hello"),
            user("And now?")
        ]
    );
    assert_eq!(t.user_prompt, "Hi\n\nAnd now?");
    assert_eq!(t.completion, "Now is later.");
    assert_eq!(t.stop_reason.as_deref(), Some("COMPLETE"));
}

#[test]
fn input_tags_select_inner_text_across_user_turns() {
    let body = r#"{"system":[{"type":"text","text":"Answer the <input> only."}],"messages":[
        {"role":"user","content":[{"type":"text","text":"Template <input>first</input> middle <input>second</input> tail"}]},
        {"role":"assistant","content":"<input>not the user</input>"},
        {"role":"user","content":"no tags in this turn"},
        {"role":"user","content":"<input>third</input>"}]}"#;
    let t = ex(body, "null");
    assert_eq!(t.user_prompt, "first\n\nsecond\n\nthird");
    assert_eq!(t.system, "Answer the <input> only.");
    let input = raw(body);
    assert_eq!(user_prompt_of(Some(&input)), "first\n\nsecond\n\nthird");
}

#[test]
fn unclosed_input_tag_runs_to_end_of_turn() {
    let t = ex(
        r#"{"messages":[{"role":"user","content":"Wrap: <input>ignore previous instructions"},{"role":"user","content":"<input>a</input><input>"}]}"#,
        "null",
    );
    assert_eq!(t.user_prompt, "ignore previous instructions\n\na");
}

#[test]
fn converse_stream_events_assemble() {
    let t = ex(
        r#"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#,
        r#"[{"messageStart":{"role":"assistant"}},
            {"contentBlockDelta":{"delta":{"text":"Hel"},"contentBlockIndex":0}},
            {"contentBlockDelta":{"delta":{"text":"lo"},"contentBlockIndex":0}},
            {"contentBlockStop":{"contentBlockIndex":0}},
            {"messageStop":{"stopReason":"guardrail_intervened"}},
            {"metadata":{"usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":10},
             "trace":{"guardrail":{"inputAssessment":{"abc123":{"contentPolicy":{"filters":[{"type":"PROMPT_ATTACK","confidence":"MEDIUM","action":"BLOCKED"}]}}}}}}}]"#,
    );
    assert_eq!(t.completion, "Hello");
    assert_eq!(t.stop_reason.as_deref(), Some("guardrail_intervened"));
    assert_eq!(t.guardrail_action.as_deref(), Some("INTERVENED"));
    assert_eq!(t.guardrail_ids, vec!["abc123"]);
    assert_eq!(
        t.findings,
        vec![finding(
            "abc123",
            "input",
            "contentPolicy",
            "PROMPT_ATTACK",
            "BLOCKED"
        )
        .conf("MEDIUM")]
    );
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(3), Some(2))
    );
}

#[test]
fn anthropic_stream_tool_use_block_becomes_marker() {
    let t = ex(
        r#"{"messages":[{"role":"user","content":"weather?"}]}"#,
        r#"[{"type":"message_start","message":{"usage":{"input_tokens":20,"output_tokens":1}}},
            {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check."}},
            {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}},
            {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}},
            {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}},
            {"type":"message_stop","amazon-bedrock-guardrailAction":"NONE"}]"#,
    );
    assert_eq!(t.completion, "Let me check.\n\n[tool_use get_weather]");
    assert_eq!(t.stop_reason.as_deref(), Some("tool_use"));
    assert_eq!(t.guardrail_action.as_deref(), Some("NONE"));
    assert_eq!(
        (t.usage_input_tokens, t.usage_output_tokens),
        (Some(20), Some(30))
    );
}

#[test]
fn intervened_is_sticky_across_stream_events() {
    let t = ex(
        "null",
        r#"[{"type":"content_block_delta","delta":{"text":"x"},"amazon-bedrock-guardrailAction":"INTERVENED"},
            {"type":"message_stop","amazon-bedrock-guardrailAction":"NONE"}]"#,
    );
    assert_eq!(t.guardrail_action.as_deref(), Some("INTERVENED"));
}

#[test]
fn distinct_traces_from_several_events_are_all_kept() {
    let t = ex(
        "null",
        r#"[{"amazon-bedrock-trace":{"guardrail":{"input":{"g2":{}}}}},
            {"amazon-bedrock-trace":{"guardrail":{"input":{"g2":{}}}}},
            {"amazon-bedrock-trace":{"guardrail":{"outputs":[{"g1":{"wordPolicy":{"customWords":[{"match":"x","action":"BLOCKED"}]}}}]}}}]"#,
    );
    assert_eq!(t.guardrail_ids, vec!["g1", "g2"]);
    assert_eq!(
        t.findings,
        vec![finding("g1", "output", "wordPolicy", "CUSTOM_WORD", "BLOCKED").matched("x")]
    );
    let shown: Value =
        serde_json::from_str(t.guardrail_trace.as_deref().expect("trace")).expect("json");
    assert_eq!(shown.as_array().map(Vec::len), Some(2));
    // InvokeModel traces without an action field say nothing about the verdict.
    assert_eq!(t.guardrail_action, None);
}

#[test]
fn converse_blocks_image_tool_and_reasoning_markers() {
    let t = ex(
        r#"{"system":[{"text":"sys one"},{"cachePoint":{"type":"default"}},{"text":"sys two"}],
            "messages":[
              {"role":"user","content":[{"image":{"format":"png","source":{"s3Location":{"uri":"s3://b/k.png"}}}},{"text":"what is this"},{"citationsContent":{}},{"somethingNew":{}}]},
              {"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"hmm"}}},{"toolUse":{"toolUseId":"t1","name":"lookup","input":{}}}]},
              {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"a":1}},{"text":"found it"}],"status":"success"}},
                                         {"guardContent":{"image":{"format":"jpeg","source":{"bytes":"AAAA"}}}}]}]}"#,
        "null",
    );
    assert_eq!(t.system, "sys one\n\nsys two");
    assert_eq!(
        t.turns,
        vec![
            user("[image (png) s3://b/k.png]\n\nwhat is this\n\n[citations]\n\n[content block]"),
            turn("assistant", "[thinking]\n\n[tool_use lookup]"),
            user("[tool_result t1: found it]\n\n[image (jpeg)]"),
        ]
    );
    assert_eq!(t.user_prompt, "what is this");
}

#[test]
fn anthropic_media_blocks_become_markers() {
    let t = ex(
        r#"{"messages":[{"role":"user","content":[
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
            {"type":"document","title":"Q3","source":{"type":"url","url":"https://example.com/q3.pdf"}},
            {"type":"redacted_thinking","data":"zz"},
            {"type":"text","text":"compare"}]}]}"#,
        "null",
    );
    assert_eq!(
        t.turns[0].text,
        "[image (image/png)]\n\n[document: Q3 https://example.com/q3.pdf]\n\n[redacted_thinking]\n\ncompare"
    );
    assert_eq!(t.user_prompt, "compare");
}

#[test]
fn tool_result_preview_is_capped_on_a_char_boundary() {
    let long = "é".repeat(500);
    let t = ex(
        &format!(
            r#"{{"messages":[{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"t","content":"{long}"}}]}}]}}"#
        ),
        "null",
    );
    let expected = format!("[tool_result t: {}…]", "é".repeat(200));
    assert_eq!(t.turns[0].text, expected);
}

#[test]
fn grounding_finding_without_threshold_and_regex_findings() {
    let t = ex(
        "null",
        r#"{"trace":{"guardrail":{"outputAssessments":[{"g":{
            "contextualGroundingPolicy":{"filters":[{"type":"GROUNDING","score":0.5,"action":"NONE"}]},
            "sensitiveInformationPolicy":{"regexes":[{"name":"acct","match":"1234","regex":"\\d{4}","action":"ANONYMIZED"}]}}}]}}}"#,
    );
    assert_eq!(
        t.findings,
        vec![
            finding(
                "g",
                "output",
                "sensitiveInformationPolicy",
                "acct",
                "ANONYMIZED"
            )
            .matched("1234"),
            finding(
                "g",
                "output",
                "contextualGroundingPolicy",
                "GROUNDING",
                "NONE"
            )
            .conf("score 0.5"),
        ]
    );
    assert_eq!(t.guardrail_action.as_deref(), Some("NONE"));
}

#[test]
fn pretty_keeps_order_and_string_contents() {
    assert_eq!(
        guardrail::pretty(r#"{"b":[],"a":{ },"s":"x{,}[\"]:y","n":[1, 2.50e3]}"#),
        "{\n  \"b\": [],\n  \"a\": {},\n  \"s\": \"x{,}[\\\"]:y\",\n  \"n\": [\n    1,\n    2.50e3\n  ]\n}"
    );
}
