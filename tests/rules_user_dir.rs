//! A rule written by a user in a `--rules` folder runs next to the built-in rules; a bad one fails
//! with `file:line:col` and the valid choices.

mod common;

use strata::detect::{run_all, DetectOptions, RuleSet};
use strata::model::TextProbes;

const POLLING_RULE: &str = r#"
id = "model-availability-polling"
title = "{user.principal} polled model availability {count} times within 2 minutes"
severity = "low"
risk_score = 21
mitre_attack = ["T1526"]
strands = ["management"]
description = "Repeated GetFoundationModelAvailability calls: waiting for a freshly enabled model."

[guide]
triage = "Check who enabled the model."
false_positive_analysis = "Console sessions poll too."
response = "Review model access."

[filter]
field = "event.action"
eq = "GetFoundationModelAvailability"

[threshold]
group_by = ["user.principal"]
window = "2m"
condition = "count >= 5"
"#;

fn detonation() -> Vec<std::path::PathBuf> {
    vec![common::fixtures()
        .join("rules/model-access-enabled/fires/aws.impact.bedrock-invoke-model.json")]
}

#[test]
fn user_rule_runs_next_to_builtins() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("polling.toml"), POLLING_RULE).expect("write");
    let mut rules = RuleSet::load(&[dir.path().to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let store = common::build_store(&detonation(), &probes);
    let out = run_all(&rules, &store, &DetectOptions::default());
    let mine: Vec<_> = out.alerts_for("model-availability-polling").collect();
    assert_eq!(mine.len(), 1);
    // Ten polls about ten seconds apart; any two minutes hold at least five of them.
    assert_eq!(mine[0].count, 10);
    assert_eq!(out.alerts_for("model-access-enabled").count(), 1);
}

#[test]
fn bad_user_rule_fails_with_location_and_choices() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = POLLING_RULE.replace("window = \"2m\"", "window = \"2m\"\nbuckett = \"1m\"");
    let path = dir.path().join("polling.toml");
    std::fs::write(&path, bad).expect("write");
    let err = RuleSet::load(&[dir.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    let want = format!(
        "{}:22:1: unknown field `buckett`, expected one of",
        path.display()
    );
    assert!(err.starts_with(&want), "{err}");
    assert!(
        err.contains("`bucket`") && err.contains("`window`"),
        "{err}"
    );

    let bad = POLLING_RULE.replace("\"event.action\"", "\"event.acton\"");
    std::fs::write(&path, bad).expect("write");
    let err = RuleSet::load(&[dir.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "{}:16:9: unknown key \"event.acton\"",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("event.action"), "{err}");
}
