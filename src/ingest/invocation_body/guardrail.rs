//! Guardrail traces: InvokeModel's `amazon-bedrock-trace.guardrail` (`input`, `outputs[]`) and
//! Converse's `trace.guardrail` (`inputAssessment`, `outputAssessments[]`). The guardrail id exists
//! only as the object key under those fields.

use std::slice;

use serde_json::value::RawValue;

use super::lenient::{lenient_struct, parse, text, KeyedMap, Skipped, Str};
use super::{GuardrailFinding, InvocationText};

lenient_struct! {
    struct Trace<'a> {
        input: KeyedMap<'a, Assessment<'a>> = "input",
        outputs: Vec<KeyedMap<'a, Assessment<'a>>> = "outputs",
        input_assessment: KeyedMap<'a, Assessment<'a>> = "inputAssessment",
        output_assessments: Vec<KeyedMap<'a, Assessment<'a>>> = "outputAssessments",
    }
}

// A [`Trace`] read for its guardrail ids alone, as ingest needs, in the response's own pass: the
// assessments are stepped over instead of parsed into findings.
lenient_struct! {
    struct TraceIds<'a> {
        input: KeyedMap<'a, Skipped> = "input",
        outputs: Vec<KeyedMap<'a, Skipped>> = "outputs",
        input_assessment: KeyedMap<'a, Skipped> = "inputAssessment",
        output_assessments: Vec<KeyedMap<'a, Skipped>> = "outputAssessments",
    }
}

lenient_struct! {
    struct Assessment<'a> {
        topic: TopicPolicy<'a> = "topicPolicy",
        content: FilterPolicy<'a> = "contentPolicy",
        word: WordPolicy<'a> = "wordPolicy",
        sensitive: SensitivePolicy<'a> = "sensitiveInformationPolicy",
        grounding: FilterPolicy<'a> = "contextualGroundingPolicy",
    }
}

lenient_struct! {
    struct TopicPolicy<'a> {
        topics: Vec<Finding<'a>> = "topics",
    }
}

lenient_struct! {
    struct FilterPolicy<'a> {
        filters: Vec<Finding<'a>> = "filters",
    }
}

lenient_struct! {
    struct WordPolicy<'a> {
        custom_words: Vec<Finding<'a>> = "customWords",
        managed_word_lists: Vec<Finding<'a>> = "managedWordLists",
    }
}

lenient_struct! {
    struct SensitivePolicy<'a> {
        pii_entities: Vec<Finding<'a>> = "piiEntities",
        regexes: Vec<Finding<'a>> = "regexes",
    }
}

lenient_struct! {
    struct Finding<'a> {
        name: Str<'a> = "name",
        kind: Str<'a> = "type",
        action: Str<'a> = "action",
        confidence: Str<'a> = "confidence",
        matched: Str<'a> = "match",
        score: Option<f64> = "score",
        threshold: Option<f64> = "threshold",
    }
}

/// Fills `guardrail_ids`, `findings` and `guardrail_trace` from the verbatim trace objects, for
/// the request view (ingest reads the ids alone, see [`TraceIds`]).
pub(super) fn fill(traces: &[&RawValue], out: &mut InvocationText) {
    for raw in traces {
        let Some(trace) = parse::<Trace<'_>>(raw.get()) else {
            continue;
        };
        let stages: [(&'static str, &[KeyedMap<'_, Assessment<'_>>]); 4] = [
            ("input", slice::from_ref(&trace.input)),
            ("input", slice::from_ref(&trace.input_assessment)),
            ("output", &trace.outputs),
            ("output", &trace.output_assessments),
        ];
        for (stage, maps) in stages {
            for (id, assessment) in maps.iter().flat_map(|m| &m.0) {
                out.guardrail_ids.push(id.to_string());
                flatten(id, stage, assessment, &mut out.findings);
            }
        }
    }
    out.guardrail_ids.sort_unstable();
    out.guardrail_ids.dedup();
    out.guardrail_trace = match traces {
        [] => None,
        [one] => Some(pretty(one.get())),
        many => {
            let joined: Vec<&str> = many.iter().map(|r| r.get()).collect();
            Some(pretty(&format!("[{}]", joined.join(","))))
        }
    };
}

fn flatten(id: &str, stage: &'static str, a: &Assessment<'_>, out: &mut Vec<GuardrailFinding>) {
    let mut add = |policy: &str, kind: &str, f: &Finding<'_>, confidence: Option<String>| {
        out.push(GuardrailFinding {
            guardrail_id: id.to_owned(),
            stage,
            policy: policy.to_owned(),
            kind: kind.to_owned(),
            action: text(&f.action).to_owned(),
            confidence,
            matched: f.matched.as_deref().map(str::to_owned),
        });
    };
    let confidence = |f: &Finding<'_>| f.confidence.as_deref().map(str::to_owned);
    let or = |s: &'_ Str<'_>, fallback: &'static str| -> String {
        s.as_deref()
            .filter(|k| !k.is_empty())
            .unwrap_or(fallback)
            .to_owned()
    };

    // A topic's type is always DENY; its name is what tells findings apart.
    for f in &a.topic.topics {
        let kind = f
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(text(&f.kind));
        add("topicPolicy", kind, f, confidence(f));
    }
    for f in &a.content.filters {
        add("contentPolicy", text(&f.kind), f, confidence(f));
    }
    for f in &a.word.custom_words {
        add("wordPolicy", &or(&f.kind, "CUSTOM_WORD"), f, confidence(f));
    }
    for f in &a.word.managed_word_lists {
        add(
            "wordPolicy",
            &or(&f.kind, "MANAGED_WORD_LIST"),
            f,
            confidence(f),
        );
    }
    for f in &a.sensitive.pii_entities {
        add(
            "sensitiveInformationPolicy",
            text(&f.kind),
            f,
            confidence(f),
        );
    }
    for f in &a.sensitive.regexes {
        add(
            "sensitiveInformationPolicy",
            &or(&f.name, "REGEX"),
            f,
            confidence(f),
        );
    }
    // Grounding filters report a score against a threshold instead of a confidence level.
    for f in &a.grounding.filters {
        let c = confidence(f).or_else(|| match (f.score, f.threshold) {
            (Some(s), Some(t)) => Some(format!("score {s} / threshold {t}")),
            (Some(s), None) => Some(format!("score {s}")),
            _ => None,
        });
        add("contextualGroundingPolicy", text(&f.kind), f, c);
    }
}

/// Indentation grows quadratically with nesting, so deeper text is shown as logged.
const MAX_PRETTY_DEPTH: usize = 24;

/// Indents JSON text two spaces per level, keeping key order and number spelling exactly as logged
/// (a round trip through `serde_json::Value` would sort keys and could reformat numbers).
pub(super) fn pretty(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + json.len() / 2);
    let mut depth = 0usize;
    let mut i = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * 2));
    };
    // Every byte matched below is ASCII, so each slice taken lies on char boundaries.
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' => {
                let end = string_end(bytes, i + 1);
                out.push_str(json.get(i..end).unwrap_or(""));
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if c == b'{' { b'}' } else { b']' };
                let next = i
                    + 1
                    + bytes.get(i + 1..).map_or(0, |rest| {
                        rest.iter().take_while(|b| b.is_ascii_whitespace()).count()
                    });
                out.push(char::from(c));
                if bytes.get(next) == Some(&close) {
                    out.push(char::from(close));
                    i = next + 1;
                    continue;
                }
                depth += 1;
                if depth > MAX_PRETTY_DEPTH {
                    return json.to_owned();
                }
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(char::from(c));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            _ => {
                // A number or literal runs to the next structural byte.
                let len = bytes.get(i..).map_or(0, |rest| {
                    rest.iter()
                        .position(|&b| b"\"{}[],: \t\n\r".contains(&b))
                        .unwrap_or(rest.len())
                });
                let end = i + len.max(1);
                out.push_str(json.get(i..end).unwrap_or(""));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Index just past the closing quote of the string whose contents start at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        {
            Some(off) if bytes.get(i + off) == Some(&b'\\') => i += off + 2,
            Some(off) => return i + off + 1,
            None => return bytes.len(),
        }
    }
}
