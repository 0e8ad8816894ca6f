//! The shipped sample log set (`sample-logs/`, a generated incident with planted attacks listed in
//! its README) through the real ingest and every built-in rule: exactly the planted alerts fire,
//! with the README's groups, first-seen times and counts, and nothing else.

mod common;

use std::path::Path;
use strata::model::time::format_timestamp;

/// Rule, severity, group values joined with ` · ` (`*` matches any value), first seen, count.
const EXPECTED: &[(&str, &str, &str, &str, u64)] = &[
    ("agent-created", "high", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · arn:aws:iam::444455556666:role/DevSandboxRole · 444455556666 · us-east-1", "2026-10-14T22:12:02Z", 1),
    ("cli-bedrock-delete", "medium", "* · jlee-mbp", "2026-10-16T17:12:06.636Z", 2),
    ("denied-model-attempts", "high", "arn:aws:iam::111122223333:user/svc-analytics-export · anthropic.claude-3-opus-20240229-v1:0 · 111122223333", "2026-10-12T12:40:05Z", 5),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · DeleteEnforcedGuardrailConfiguration", "2026-10-12T14:12:31Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · DeleteGuardrail", "2026-10-12T14:13:10Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · DeleteModelInvocationLoggingConfiguration", "2026-10-13T03:05:12Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · GetFoundationModel", "2026-10-12T02:14:08Z", 2),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · GetModelInvocationLoggingConfiguration", "2026-10-12T02:15:20Z", 4),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · InvokeModel", "2026-10-12T02:14:12Z", 13),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · InvokeModelWithResponseStream", "2026-10-12T12:40:05Z", 171),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · ListEnforcedGuardrailsConfiguration", "2026-10-12T14:11:02Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · ListFoundationModels", "2026-10-12T02:13:50Z", 12),
    ("first-seen-bedrock-api", "low", "arn:aws:iam::111122223333:user/svc-analytics-export · PutModelInvocationLoggingConfiguration", "2026-10-13T03:06:40Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Developer_7d4a1c9e3b2f6058/jordan.lee@example.com · DeleteAgent", "2026-10-16T17:14:40Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Developer_7d4a1c9e3b2f6058/jordan.lee@example.com · DeleteGuardrail", "2026-10-16T17:12:09Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · CreateAgent", "2026-10-14T22:12:02Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · CreateAgentAlias", "2026-10-14T22:15:02Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · GetAgent", "2026-10-14T22:12:40Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · InvokeAgent", "2026-10-14T22:17:44Z", 3),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · ListAgents", "2026-10-14T22:10:31Z", 1),
    ("first-seen-bedrock-api", "low", "arn:aws:sts::444455556666:assumed-role/DevSandboxRole/i-0a1b2c3d4e5f67890 · PrepareAgent", "2026-10-14T22:14:15Z", 1),
    ("first-seen-model-enumeration", "low", "arn:aws:iam::111122223333:user/svc-analytics-export", "2026-10-12T02:13:50Z", 12),
    ("guardrail-deleted", "high", "arn:aws:iam::111122223333:user/svc-analytics-export · 111122223333 · us-east-1 · DeleteGuardrail", "2026-10-12T14:13:10Z", 1),
    ("guardrail-deleted", "high", "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Developer_7d4a1c9e3b2f6058/jordan.lee@example.com · 444455556666 · us-east-1 · DeleteGuardrail", "2026-10-16T17:12:09Z", 1),
    ("guardrail-deleted", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 111122223333 · us-east-1 · DeleteEnforcedGuardrailConfiguration", "2026-10-12T14:12:31Z", 1),
    ("input-token-spike", "medium", "111122223333", "2026-10-12T12:07:59Z", 103),
    ("invocation-logging-changed", "high", "arn:aws:iam::111122223333:user/svc-analytics-export · 111122223333 · us-east-1", "2026-10-13T03:05:12Z", 1),
    ("invocation-logging-changed", "high", "arn:aws:iam::111122223333:user/svc-analytics-export · 111122223333 · us-west-2", "2026-10-13T03:06:40Z", 1),
    ("invocation-logging-changed", "high", "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_5b1c9e7d2a4f8e30/dana.kim@example.com · 111122223333 · us-east-1", "2026-10-13T09:25:40Z", 1),
    ("invocation-logging-changed", "high", "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_5b1c9e7d2a4f8e30/dana.kim@example.com · 111122223333 · us-west-2", "2026-10-02T16:41:09Z", 2),
    ("invocations-without-guardrails", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export", "2026-10-12T14:20:20Z", 40),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 194.48.250.17 · Python/3.11 aiohttp/3.9.5 · 111122223333 · us-east-1", "2026-10-12T12:40:05Z", 5),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 45.146.164.23 · axios/1.7.4 · 111122223333 · us-east-1", "2026-10-13T09:44:10Z", 3),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 83.7.141.62 · Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 · 111122223333 · ap-northeast-1", "2026-10-12T02:14:33Z", 2),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 83.7.141.62 · Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 · 111122223333 · ap-southeast-1", "2026-10-12T02:14:45Z", 2),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 83.7.141.62 · Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 · 111122223333 · eu-central-1", "2026-10-12T02:14:27Z", 2),
    ("invoke-model-access-denied", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export · 83.7.141.62 · Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 · 111122223333 · eu-west-3", "2026-10-12T02:14:39Z", 2),
    ("model-enumeration-outlier", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export", "2026-10-12T02:13:50Z", 14),
    ("oversized-prompt", "low", "arn:aws:iam::111122223333:user/svc-analytics-export", "2026-10-12T14:58:28Z", 1),
    ("prompt-sensitive-keywords", "medium", "arn:aws:iam::111122223333:user/svc-analytics-export", "2026-10-12T14:02:10Z", 43),
    ("prompt-sensitive-keywords", "medium", "arn:aws:sts::111122223333:assumed-role/support-faq-bot-role/support-faq-bot", "2026-10-14T19:02:27Z", 4),
    ("training-data-poisoning", "medium", "arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_MLEngineer_9e8f7a6b5c4d3e21/priya.shah@example.com · acme-ml-training-444455556666", "2026-10-15T16:40:22Z", 2),
    ("validation-exception-burst", "high", "arn:aws:iam::111122223333:user/svc-analytics-export · 111122223333", "2026-10-12T02:14:12Z", 5),
];

fn group_matches(want: &str, got: &[(String, String)]) -> bool {
    let want: Vec<&str> = want.split(" · ").collect();
    want.len() == got.len() && want.iter().zip(got).all(|(w, (_, g))| *w == "*" || w == g)
}

#[test]
fn sample_log_set_raises_exactly_the_planted_alerts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-logs");
    let (rules, store) = {
        let mut rules = strata::detect::RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut probes = strata::model::TextProbes::new();
        rules.register_probes(&mut probes).expect("probes");
        (rules, strata::ingest::load(&[dir], &probes, |_| {}).store)
    };
    let out = strata::detect::run_all(&rules, &store, &Default::default());
    assert!(out.not_evaluated.is_empty(), "{:?}", out.not_evaluated);
    let mut remaining: Vec<_> = out.alerts.iter().collect();
    let mut missing = Vec::new();
    for (rule, severity, group, first, count) in EXPECTED {
        let found = remaining.iter().position(|a| {
            a.rule_id == *rule
                && a.severity.name() == *severity
                && group_matches(group, &a.group)
                && format_timestamp(a.first_seen) == *first
                && a.count == *count
        });
        match found {
            Some(pos) => {
                remaining.remove(pos);
            }
            None => missing.push(format!("{rule} {group} {first} count {count}")),
        }
    }
    let extra: Vec<String> = remaining
        .iter()
        .map(|a| format!("{} {:?} count {}", a.rule_id, a.group, a.count))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nunexpected: {extra:#?}"
    );
}
