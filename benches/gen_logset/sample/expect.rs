//! The alerts the planted incidents must raise, tallied by the same code that emits
//! the events, so the README table can never drift from the data.

use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Expect {
    pub rule: &'static str,
    /// Severity where the rule grades it (`high`/`medium`), else empty.
    pub severity: &'static str,
    /// Short storyline label (`LLMjacking`, `insider`, …).
    pub story: String,
    /// Group key values joined with ` · ` in the rule's documented order.
    pub group: String,
    pub first: i64,
    pub last: i64,
    /// Matching records (events) in the group.
    pub count: usize,
    /// Extra figures a test may want (token sums, baseline statistics).
    pub note: String,
}

#[derive(Default)]
pub struct Expectations {
    map: BTreeMap<(&'static str, String), Expect>,
    order: Vec<(&'static str, String)>,
}

impl Expectations {
    /// Counts one matching record for `rule` in `group` at `t`.
    pub fn hit(
        &mut self,
        rule: &'static str,
        severity: &'static str,
        story: &'static str,
        group: impl Into<String>,
        t: i64,
    ) {
        let key = (rule, group.into());
        match self.map.get_mut(&key) {
            Some(e) => {
                if !e.story.split(" + ").any(|s| s == story) {
                    e.story = format!("{} + {story}", e.story);
                }
                e.first = e.first.min(t);
                e.last = e.last.max(t);
                e.count += 1;
            }
            None => {
                self.order.push(key.clone());
                self.map.insert(
                    key.clone(),
                    Expect {
                        rule,
                        severity,
                        story: story.to_string(),
                        group: key.1,
                        first: t,
                        last: t,
                        count: 1,
                        note: String::new(),
                    },
                );
            }
        }
    }

    /// One `first-seen-bedrock-api` record: `principal · eventName`.
    pub fn first_seen_api(&mut self, story: &'static str, arn: &str, name: &str, t: i64) {
        let group = format!("{arn} · {name}");
        self.hit("first-seen-bedrock-api", "", story, group, t);
    }

    /// Adds a precomputed expectation (aggregates such as token sums).
    pub fn add(&mut self, e: Expect) {
        let key = (e.rule, e.group.clone());
        self.order.push(key.clone());
        self.map.insert(key, e);
    }

    /// All expectations sorted by rule id, then first time.
    pub fn sorted(&self) -> Vec<Expect> {
        let mut v: Vec<Expect> = self.order.iter().map(|k| self.map[k].clone()).collect();
        v.sort_by(|a, b| {
            rule_rank(a.rule)
                .cmp(&rule_rank(b.rule))
                .then(a.first.cmp(&b.first))
                .then(a.group.cmp(&b.group))
        });
        v
    }
}

/// Seed rules in the order the README lists them.
pub const RULES: &[&str] = &[
    "validation-exception-burst",
    "invocations-without-guardrails",
    "denied-model-attempts",
    "invoke-model-access-denied",
    "first-seen-model-enumeration",
    "first-seen-bedrock-api",
    "model-enumeration-outlier",
    "agent-created",
    "guardrail-deleted",
    "invocation-logging-changed",
    "prompt-sensitive-keywords",
    "training-data-poisoning",
    "oversized-prompt",
    "input-token-spike",
    "cli-bedrock-delete",
];

fn rule_rank(rule: &str) -> usize {
    RULES.iter().position(|r| *r == rule).unwrap_or(RULES.len())
}
