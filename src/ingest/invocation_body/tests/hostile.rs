//! Absent, malformed-in-shape and hostile bodies: nothing panics and one bad part costs only itself.

use super::*;

#[test]
fn absent_and_null_bodies_yield_empty_result() {
    assert_eq!(extract(None, None), InvocationText::default());
    assert_eq!(ex("null", "null"), InvocationText::default());
    assert_eq!(ex("\"text\"", "[\"[DONE]\"]"), InvocationText::default());
    assert_eq!(ex("42", "true"), InvocationText::default());
    assert_eq!(user_prompt_of(None), "");
    // Only the output body: the input side stays empty.
    let o = raw(r#"{"completion":"x"}"#);
    let t = extract(None, Some(&o));
    assert_eq!(t.completion, "x");
    assert!(t.turns.is_empty());
}

#[test]
fn wrong_types_cost_only_their_own_field() {
    let t = ex(
        r#"{"system":42,"messages":[
              {"role":5,"content":{"text":7}},
              {"role":"user","content":[1,null,{"type":"text","text":"hi"},{"text":["x"]},"bare string",[]]},
              7,
              {"role":"user","content":{"type":"text","text":"single object"}}],
            "prompt":{"x":1},"inputText":["no"]}"#,
        r#"{"content":"plain","stop_reason":7,"usage":{"input_tokens":"12","output_tokens":-3},
            "amazon-bedrock-guardrailAction":["INTERVENED"],
            "amazon-bedrock-trace":{"guardrail":{"input":["g"],"outputs":{"g":{}}}}}"#,
    );
    assert_eq!(t.system, "");
    // The message with nothing readable and the bare number are not turns.
    assert_eq!(
        t.turns,
        vec![user("hi\n\nbare string"), user("single object")]
    );
    assert_eq!(t.user_prompt, "hi\n\nbare string\n\nsingle object");
    assert_eq!(t.completion, "plain");
    assert_eq!(t.stop_reason, None);
    assert_eq!((t.usage_input_tokens, t.usage_output_tokens), (None, None));
    assert_eq!(t.guardrail_action, None);
    assert!(t.guardrail_ids.is_empty());
    assert!(t.guardrail_trace.is_some());
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let t = ex(
        r#"{"messages":[{"role":"user","content":"first"}],"messages":[{"role":"user","role":"user","content":"second"}]}"#,
        r#"{"completion":"a","completion":"b"}"#,
    );
    // A request is read as most JSON parsers (and so the model) would read it.
    assert_eq!(t.user_prompt, "second");
    // Response fields are applied as they come, so repeated text is shown rather than hidden.
    assert_eq!(t.completion, "a\n\nb");
}

#[test]
fn deep_nesting_is_skipped_without_losing_the_body() {
    let arrays = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    // An object where content belongs is one block of unknown kind, shown as such.
    for (deep, completion) in [(&arrays, "ok"), (&objects, "[content block]\n\nok")] {
        let t = ex(
            &format!(
                r#"{{"extra":{deep},"system":{deep},"messages":[{deep},{{"role":"user","content":[
                    {deep},{{"type":"tool_result","tool_use_id":{deep},"content":{deep}}},{{"text":"still here"}}]}}]}}"#
            ),
            &format!(
                r#"{{"x":{deep},"content":{deep},"completion":"ok",
                    "amazon-bedrock-trace":{{"guardrail":{{"input":{{"g":{deep}}}}}}}}}"#
            ),
        );
        assert_eq!(t.user_prompt, "still here");
        assert_eq!(t.completion, completion);
        assert_eq!(t.guardrail_ids, vec!["g"]);
        assert!(t.guardrail_trace.is_some_and(|s| s.len() > 20_000));
    }
}

#[test]
fn huge_strings_pass_through() {
    let big = "A".repeat(4 << 20);
    let t = ex(
        &format!(
            r#"{{"messages":[{{"role":"user","content":[{{"type":"text","text":"<input>{big}"}}]}}]}}"#
        ),
        &format!(r#"{{"content":[{{"type":"text","text":"{big}"}}]}}"#),
    );
    assert_eq!(t.user_prompt.len(), big.len());
    assert_eq!(t.completion.len(), big.len());
}

#[test]
fn hostile_arrays_of_empty_elements_are_not_kept() {
    let many = vec!["{}"; 100_000].join(",");
    let t = ex(
        &format!(r#"{{"messages":[{many}]}}"#),
        &format!(
            r#"{{"results":[{many}],"amazon-bedrock-trace":{{"guardrail":{{"outputs":[{many}]}}}}}}"#
        ),
    );
    assert!(t.turns.is_empty());
    assert_eq!(t.completion, "");
    assert!(t.guardrail_ids.is_empty());
}

#[test]
fn pretty_falls_back_to_compact_text_when_too_deep() {
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    assert_eq!(guardrail::pretty(&deep), deep);
}
