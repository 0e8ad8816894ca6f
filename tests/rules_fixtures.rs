//! Every shipped rule against its firing and quiet fixtures (`tests/fixtures/rules/<id>/{fires,quiet}`),
//! and a meta-test that no shipped rule lacks either.
//!
//! `expect.toml` in a fixture folder lists the alerts the rule must produce, exactly:
//! `[[alert]]` with `group` (every group key and value), `count`, and optionally `severity`,
//! `detail` (label → exact value) and `detail_contains` (label → substring). A folder without
//! `[[alert]]` entries expects the rule to be evaluated and stay quiet. `baseline_days` overrides
//! the baseline as `--baseline` does.

mod common;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use strata::detect::{Alert, RuleSet, BUILTIN_RULES};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    baseline_days: Option<u32>,
    #[serde(default)]
    alert: Vec<ExpectedAlert>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedAlert {
    group: BTreeMap<String, String>,
    count: u64,
    severity: Option<String>,
    #[serde(default)]
    detail: BTreeMap<String, String>,
    #[serde(default)]
    detail_contains: BTreeMap<String, String>,
}

impl ExpectedAlert {
    fn problems(&self, a: &Alert) -> Vec<String> {
        let mut p = Vec::new();
        let group: BTreeMap<String, String> = a.group.iter().cloned().collect();
        if group != self.group {
            p.push(format!("group {group:?}"));
        }
        if a.count != self.count {
            p.push(format!("count {}", a.count));
        }
        if let Some(s) = &self.severity {
            if a.severity.name() != s {
                p.push(format!("severity {}", a.severity));
            }
        }
        for (label, want) in &self.detail {
            if a.detail(label) != Some(want.as_str()) {
                p.push(format!("detail {label:?} = {:?}", a.detail(label)));
            }
        }
        for (label, want) in &self.detail_contains {
            if !a.detail(label).is_some_and(|v| v.contains(want.as_str())) {
                p.push(format!("detail {label:?} = {:?}", a.detail(label)));
            }
        }
        p
    }
}

fn rules_dir() -> std::path::PathBuf {
    common::fixtures().join("rules")
}

fn check_case(rule_id: &str, case: &str) -> Result<(), String> {
    let dir = rules_dir().join(rule_id).join(case);
    let expect_text = std::fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| format!("{}: {e}", dir.join("expect.toml").display()))?;
    let expect: Expect =
        toml::from_str(&expect_text).map_err(|e| format!("{rule_id}/{case}/expect.toml: {e}"))?;
    let files = common::data_files(&dir);
    if files.is_empty() {
        return Err(format!("{rule_id}/{case}: no data files"));
    }
    let (outcome, _store) = common::scan(&files, expect.baseline_days);
    if let Some(reason) = outcome.not_evaluated_reason(rule_id) {
        return Err(format!("{rule_id}/{case}: not evaluated: {reason}"));
    }
    let mut actual: Vec<&Alert> = outcome.alerts_for(rule_id).collect();
    let describe = |a: &Alert| {
        format!(
            "  {:?} count {} {} | {}",
            a.group, a.count, a.severity, a.title
        )
    };
    let all: Vec<String> = actual.iter().map(|a| describe(a)).collect();
    let mut errors = Vec::new();
    for (i, want) in expect.alert.iter().enumerate() {
        match actual.iter().position(|a| want.problems(a).is_empty()) {
            Some(pos) => {
                actual.remove(pos);
            }
            None => {
                let near: Vec<String> = actual
                    .iter()
                    .map(|a| format!("    {}", want.problems(a).join(", ")))
                    .collect();
                errors.push(format!(
                    "expected alert #{} ({:?} count {}) not produced; differences from the remaining alerts:\n{}",
                    i + 1,
                    want.group,
                    want.count,
                    near.join("\n")
                ));
            }
        }
    }
    for extra in actual {
        errors.push(format!("unexpected alert: {}", describe(extra)));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{rule_id}/{case}:\n{}\nall alerts:\n{}",
            errors.join("\n"),
            all.join("\n")
        ))
    }
}

fn shipped_ids() -> Vec<String> {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.rules.len(), BUILTIN_RULES.len());
    set.rules.iter().map(|r| r.id.clone()).collect()
}

#[test]
fn every_shipped_rule_has_firing_and_quiet_fixtures() {
    let mut missing = Vec::new();
    for id in shipped_ids() {
        for case in ["fires", "quiet"] {
            let dir = rules_dir().join(&id).join(case);
            if !dir.join("expect.toml").is_file() || common::data_files(&dir).is_empty() {
                missing.push(format!("{id}/{case}"));
            }
        }
        let fires = rules_dir().join(&id).join("fires/expect.toml");
        if let Ok(text) = std::fs::read_to_string(&fires) {
            let e: Expect =
                toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", fires.display()));
            if e.alert.is_empty() {
                missing.push(format!("{id}/fires expects no alert"));
            }
        }
    }
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
}

#[test]
fn fixture_folders_belong_to_shipped_rules() {
    let ids = shipped_ids();
    for entry in std::fs::read_dir(rules_dir()).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            ids.contains(&name),
            "fixture folder {name} has no shipped rule"
        );
    }
}

#[test]
fn every_rule_fires_and_stays_quiet_as_its_fixtures_say() {
    let mut failures = Vec::new();
    for id in shipped_ids() {
        for case in ["fires", "quiet"] {
            if !Path::new(&rules_dir().join(&id).join(case)).is_dir() {
                continue;
            }
            if let Err(e) = check_case(&id, case) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
