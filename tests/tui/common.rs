//! The fixture log set and a fixed detection result, so views have alerts to show before (and
//! independently of) the rule engine.

use std::path::PathBuf;
use std::sync::Arc;
use strata::analysis::alerts::{AlertRecord, RuleMeta, Severity};
use strata::model::{EventStore, SourceRef};
use strata::tui::headless::Headless;

pub fn fixtures() -> PathBuf {
    PathBuf::from("tests/tui/fixtures")
}

/// The source of the first event with this action whose principal ends with `who`.
fn source(store: &EventStore, action: &str, who: &str) -> SourceRef {
    store
        .events()
        .iter()
        .find(|e| store.str(e.action) == action && store.str(e.principal()).ends_with(who))
        .map(|e| e.source)
        .unwrap_or_else(|| panic!("fixture has no {action} by {who}"))
}

fn rule(id: &str, title: &str, mitre: &[&str], guide: &str, fps: &[&str]) -> Arc<RuleMeta> {
    Arc::new(RuleMeta {
        id: id.into(),
        title: title.into(),
        description: String::new(),
        mitre: mitre.iter().map(|s| s.to_string()).collect(),
        guide: guide.into(),
        false_positives: fps.iter().map(|s| s.to_string()).collect(),
    })
}

fn alert(
    rule: &Arc<RuleMeta>,
    title: &str,
    sev: Severity,
    risk: u8,
    entity: &[(&str, &str)],
    evidence: Vec<SourceRef>,
    store: &EventStore,
) -> AlertRecord {
    let ts: Vec<i64> = evidence
        .iter()
        .filter_map(|s| store.find_source(s).and_then(|i| store.event(i)))
        .map(|e| e.ts)
        .collect();
    AlertRecord {
        rule: rule.clone(),
        title: title.into(),
        severity: sev,
        risk,
        first: ts.iter().copied().min().unwrap_or(0),
        last: ts.iter().copied().max().unwrap_or(0),
        count: evidence.len() as u64,
        entity: entity
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        details: Vec::new(),
        evidence,
        keys: Vec::new(),
        principal: String::new(),
        account: String::new(),
    }
}

pub type Outcomes = Vec<(String, Result<Vec<AlertRecord>, String>)>;

pub fn demo_rules(store: &EventStore) -> Outcomes {
    let mallory = "arn:aws:iam::111122223333:user/mallory";
    let deleted = rule(
        "bedrock-guardrail-deleted",
        "Bedrock guardrail deleted",
        &["T1562.008", "AML.T0054"],
        "Triage: confirm who deleted the guardrail and whether a change ticket exists.\nCheck the \
         caller's other Bedrock activity in the hour before (press u).\nResponse: restore the guardrail \
         and rotate the caller's access key.",
        &["Infrastructure-as-code pipelines replacing guardrails"],
    );
    let intervened = rule(
        "bedrock-guardrail-intervened",
        "Guardrail intervened on a prompt",
        &["AML.T0051"],
        "Review the prompt (r opens the request).",
        &["Users testing guardrail policies"],
    );
    let probe = rule(
        "bedrock-model-probe",
        "Model availability probe",
        &["T1526"],
        "",
        &[],
    );
    vec![
        (
            deleted.id.clone(),
            Ok(vec![alert(
                &deleted,
                "Guardrail gr-prod-1 deleted by mallory",
                Severity::High,
                73,
                &[("user.arn", mallory), ("cloud.account.id", "111122223333")],
                vec![
                    source(store, "ListFoundationModels", "mallory"),
                    source(store, "GetModelInvocationLoggingConfiguration", "mallory"),
                    source(store, "DeleteGuardrail", "mallory"),
                ],
                store,
            )]),
        ),
        (
            intervened.id.clone(),
            Ok(vec![alert(
                &intervened,
                "Guardrail intervened for mallory on claude-3-sonnet",
                Severity::Medium,
                47,
                &[
                    ("user.arn", mallory),
                    (
                        "gen_ai.request.model.id",
                        "anthropic.claude-3-sonnet-20240229-v1:0",
                    ),
                ],
                vec![source(store, "InvokeModel", "mallory")],
                store,
            )]),
        ),
        (
            probe.id.clone(),
            Ok(vec![alert(
                &probe,
                "InvokeModel ValidationException from bob",
                Severity::Low,
                21,
                &[("user.arn", "arn:aws:iam::444455556666:user/bob")],
                vec![source(store, "InvokeModel", "bob")],
                store,
            )]),
        ),
        (
            "agentcore-role-outside-runtime".to_string(),
            Err("no AgentCore application logs loaded".to_string()),
        ),
    ]
}

/// The app on the fixture log set with the demo detection results, at a size.
pub fn app(width: u16, height: u16) -> Headless {
    let mut h = Headless::new(width, height);
    // The demo results replace the rule engine, so views do not change when rules do.
    h.shared.jobs.rules = Arc::new(strata::detect::RuleSet::empty());
    h.load(&[fixtures()]);
    let rules = demo_rules(&h.state.data.store);
    h.detection(rules);
    h
}

/// Replaces the text of the open prompt (export path, time range) with `text` and submits it.
pub fn answer_prompt(a: &mut Headless, text: &str) {
    a.key_event(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    a.type_text(text);
    a.key(crossterm::event::KeyCode::Enter);
}
