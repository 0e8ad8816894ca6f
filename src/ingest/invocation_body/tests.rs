//! Tests: every record of the real corpus, hand-written bodies of each model family and API, and
//! hostile input.

use super::*;

mod corpus;
mod hostile;
mod shapes;
mod single_pass;

fn raw(json: &str) -> Box<RawValue> {
    RawValue::from_string(json.to_owned()).expect("test JSON is valid")
}

fn ex(input: &str, output: &str) -> InvocationText {
    let (i, o) = (raw(input), raw(output));
    extract(Some(&i), Some(&o))
}

fn user(text: &str) -> Turn {
    Turn::user(text)
}

fn turn(role: &str, text: &str) -> Turn {
    Turn {
        role: role.to_owned(),
        text: text.to_owned(),
    }
}

fn finding(
    id: &str,
    stage: &'static str,
    policy: &str,
    kind: &str,
    action: &str,
) -> GuardrailFinding {
    GuardrailFinding {
        guardrail_id: id.to_owned(),
        stage,
        policy: policy.to_owned(),
        kind: kind.to_owned(),
        action: action.to_owned(),
        confidence: None,
        matched: None,
    }
}

impl GuardrailFinding {
    fn conf(mut self, confidence: &str) -> Self {
        self.confidence = Some(confidence.to_owned());
        self
    }

    fn matched(mut self, matched: &str) -> Self {
        self.matched = Some(matched.to_owned());
        self
    }
}
