//! The Stratus Red Team `aws.impact.bedrock-invoke-model` detonation (real CloudTrail, unchanged):
//! what fires, what stays quiet, and what cannot be evaluated on a two-minute log set.

mod common;

use std::path::PathBuf;

const PRINCIPAL: &str = "arn:aws:sts::494659789341:assumed-role/test-role/cli";

fn detonation() -> Vec<PathBuf> {
    vec![common::fixtures()
        .join("rules/model-access-enabled/fires/aws.impact.bedrock-invoke-model.json")]
}

#[test]
fn detonation_fires_the_model_unlock_and_nothing_else() {
    let (out, store) = common::scan(&detonation(), None);
    assert_eq!(store.len(), 15);
    let fired: Vec<&str> = out.alerts.iter().map(|a| a.rule_id.as_str()).collect();
    assert_eq!(fired, ["model-access-enabled"]);
    let a = &out.alerts[0];
    assert_eq!(a.count, 3);
    assert_eq!(a.group_value("user.principal"), Some(PRINCIPAL));
    assert_eq!(
        a.entity.get("model"),
        ["anthropic.claude-3-sonnet-20240229-v1:0"]
    );
    assert_eq!(
        a.detail("operations"),
        Some("PutUseCaseForModelAccess, CreateFoundationModelAgreement, PutFoundationModelEntitlement")
    );
    assert!(a
        .entity
        .first("user_agent")
        .is_some_and(|ua| ua.starts_with("stratus-red-team_")));

    let reason = |id: &str| out.not_evaluated_reason(id).map(str::to_string);
    for id in [
        "first-seen-model-enumeration",
        "first-seen-bedrock-api",
        "model-enumeration-outlier",
    ] {
        assert_eq!(
            reason(id).as_deref(),
            Some("log set spans 0 days, baseline needs 7"),
            "{id}"
        );
    }
    for id in [
        "validation-exception-burst",
        "prompt-sensitive-keywords",
        "input-token-spike",
    ] {
        assert_eq!(
            reason(id).as_deref(),
            Some("no model-invocation logs loaded"),
            "{id}"
        );
    }
    assert_eq!(
        reason("cli-bedrock-delete").as_deref(),
        Some("no endpoint telemetry loaded")
    );
    assert_eq!(
        reason("training-data-poisoning").as_deref(),
        Some("no CloudTrail data events loaded")
    );
    for id in [
        "invoke-model-access-denied",
        "guardrail-deleted",
        "invocation-logging-changed",
        "agent-created",
    ] {
        assert_eq!(reason(id), None, "{id} must be evaluated");
    }
}

#[test]
fn with_no_baseline_every_bedrock_api_is_new() {
    let (out, _) = common::scan(&detonation(), Some(0));
    let mut got: Vec<(String, u64)> = out
        .alerts_for("first-seen-bedrock-api")
        .map(|a| {
            (
                a.group_value("event.action").unwrap_or("").to_string(),
                a.count,
            )
        })
        .collect();
    got.sort();
    let want = [
        ("CreateFoundationModelAgreement", 1),
        ("GetFoundationModelAvailability", 10),
        ("InvokeModel", 1),
        ("ListFoundationModelAgreementOffers", 1),
        ("PutFoundationModelEntitlement", 1),
        ("PutUseCaseForModelAccess", 1),
    ];
    assert_eq!(got, want.map(|(a, n)| (a.to_string(), n)));
    assert!(out
        .alerts_for("first-seen-bedrock-api")
        .all(|a| a.group_value("user.principal") == Some(PRINCIPAL)));
    for id in ["first-seen-model-enumeration", "model-enumeration-outlier"] {
        assert_eq!(out.not_evaluated_reason(id), None);
        assert_eq!(out.alerts_for(id).count(), 0, "{id}");
    }
}

#[test]
fn detonation_exports_as_ndjson() {
    let (out, store) = common::scan(&detonation(), None);
    let text = strata::export::render(&out, &store, strata::export::Format::Ndjson);
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("one json line");
    assert_eq!(line["rule_id"], "model-access-enabled");
    assert_eq!(line["severity"], "medium");
    assert_eq!(line["first_seen"], "2024-10-17T20:09:50Z");
    assert_eq!(line["last_seen"], "2024-10-17T20:09:52Z");
    assert_eq!(line["count"], 3);
    assert_eq!(line["entity"]["user"], PRINCIPAL);
    assert_eq!(line["entity"]["account"], "494659789341");
    assert_eq!(line["evidence_total"], 3);
    let ev = &line["evidence"][0];
    assert!(ev["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("aws.impact.bedrock-invoke-model.json")));
    assert!(ev["record"].is_u64() && ev["offset"].is_u64() && ev["length"].is_u64());
}
