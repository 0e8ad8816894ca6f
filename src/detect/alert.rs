//! What a detection produces: [`Alert`]s with their entities and evidence, and the outcome of a run.

use crate::model::SourceRef;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Alert severity, ordered so that `--min-severity` and `--fail-on` compare with `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Case-insensitive, for command-line options.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s.trim()))
    }

    /// The valid spellings, for error messages.
    pub fn choices() -> String {
        Severity::ALL.map(Severity::name).join(", ")
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::parse(s).ok_or_else(|| {
            format!(
                "unknown severity {s:?}, expected one of: {}",
                Severity::choices()
            )
        })
    }
}

/// Entity names in the order alerts list them.
pub const ENTITY_NAMES: [&str; 9] = [
    "user",
    "account",
    "access_key",
    "source_ip",
    "user_agent",
    "model",
    "region",
    "host",
    "request_id",
];

/// At most this many distinct values are kept per entity; the evidence still references every event.
pub const ENTITY_VALUE_CAP: usize = 100;

/// The entity values of an alert's events, in [`ENTITY_NAMES`] order. Serialized as a map whose
/// values are a string when there is one value and a list when there are several.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entities(pub Vec<(&'static str, Vec<String>)>);

impl Entities {
    pub fn get(&self, name: &str) -> &[String] {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The first value of an entity, when present.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.get(name).first().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[String])> + '_ {
        self.0.iter().map(|(n, v)| (*n, v.as_slice()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Entities {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, values) in &self.0 {
            if values.len() == 1 {
                map.serialize_entry(name, &values[0])?;
            } else {
                map.serialize_entry(name, values)?;
            }
        }
        map.end()
    }
}

/// One alert: a group of events that satisfied a rule.
#[derive(Clone, Debug, Serialize)]
pub struct Alert {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub risk_score: u8,
    /// Epoch milliseconds of the earliest and latest contributing event.
    pub first_seen: i64,
    pub last_seen: i64,
    /// Occurrences counted by the rule (events, or completed sequences for `sequence` rules).
    pub count: u64,
    /// The rule's group key: key name → value, in the rule's `group_by` order.
    pub group: Vec<(String, String)>,
    pub entity: Entities,
    /// Extra facts: models tried, configuration changes, commands, baseline statistics.
    pub details: Vec<(String, String)>,
    /// Every contributing event, in time order.
    pub evidence: Vec<SourceRef>,
}

impl Alert {
    pub fn group_value(&self, key: &str) -> Option<&str> {
        self.group
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn detail(&self, label: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|(k, _)| k == label)
            .map(|(_, v)| v.as_str())
    }
}

/// A rule that could not run on this log set, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotEvaluated {
    pub rule_id: String,
    pub reason: String,
}

/// What one rule produced.
#[derive(Clone, Debug)]
pub enum RuleResult {
    Alerts(Vec<Alert>),
    NotEvaluated(String),
}

/// One rule's result, streamed as soon as the rule finishes.
#[derive(Clone, Debug)]
pub struct RuleOutcome {
    pub rule_id: String,
    pub result: RuleResult,
    pub elapsed: std::time::Duration,
}

/// Everything a run produced, in a deterministic order (see [`DetectOutcome::sort`]).
#[derive(Clone, Debug, Default)]
pub struct DetectOutcome {
    pub alerts: Vec<Alert>,
    pub not_evaluated: Vec<NotEvaluated>,
    /// Rules that ran (evaluated or not).
    pub rules_run: usize,
}

impl DetectOutcome {
    pub fn push(&mut self, outcome: RuleOutcome) {
        self.rules_run += 1;
        match outcome.result {
            RuleResult::Alerts(mut alerts) => self.alerts.append(&mut alerts),
            RuleResult::NotEvaluated(reason) => self.not_evaluated.push(NotEvaluated {
                rule_id: outcome.rule_id,
                reason,
            }),
        }
    }

    /// Highest severity first, then earliest, then rule id and title, so output never depends on
    /// which thread finished first.
    pub fn sort(&mut self) {
        self.alerts.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.risk_score.cmp(&a.risk_score))
                .then(a.first_seen.cmp(&b.first_seen))
                .then_with(|| a.rule_id.cmp(&b.rule_id))
                .then_with(|| a.group.cmp(&b.group))
                .then_with(|| a.title.cmp(&b.title))
                .then(a.last_seen.cmp(&b.last_seen))
        });
        self.not_evaluated.sort_by(|a, b| a.rule_id.cmp(&b.rule_id));
    }

    /// Drops alerts below `min` (for `--min-severity`).
    pub fn retain_min_severity(&mut self, min: Severity) {
        self.alerts.retain(|a| a.severity >= min);
    }

    pub fn max_severity(&self) -> Option<Severity> {
        self.alerts.iter().map(|a| a.severity).max()
    }

    /// True when an alert at or above `threshold` fired (for `--fail-on`, exit code 3).
    pub fn fails_on(&self, threshold: Severity) -> bool {
        self.max_severity().is_some_and(|s| s >= threshold)
    }

    pub fn alerts_for<'a>(&'a self, rule_id: &'a str) -> impl Iterator<Item = &'a Alert> + 'a {
        self.alerts.iter().filter(move |a| a.rule_id == rule_id)
    }

    pub fn not_evaluated_reason(&self, rule_id: &str) -> Option<&str> {
        self.not_evaluated
            .iter()
            .find(|n| n.rule_id == rule_id)
            .map(|n| n.reason.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Info < Severity::Low);
        assert!(Severity::High < Severity::Critical);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("severe"), None);
        assert_eq!(
            serde_json::to_string(&Severity::Medium).unwrap(),
            "\"medium\""
        );
        assert!("nope"
            .parse::<Severity>()
            .unwrap_err()
            .contains("info, low"));
    }

    #[test]
    fn entities_serialize_one_or_many() {
        let e = Entities(vec![
            ("user", vec!["arn:a".into()]),
            ("model", vec!["m1".into(), "m2".into()]),
        ]);
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"user":"arn:a","model":["m1","m2"]}"#
        );
    }
}
