//! Alerts as the TUI shows them: the detection engine's alert with its rule's metadata (MITRE
//! ids, investigation guide, false positives) and the entities it involves, resolved once so that
//! sorting, filtering, entity tallies and pivots never re-read evidence.

use super::filter::{Filterable, Key};
use super::requests::short_principal;
use crate::detect::{Alert, Rule};
use crate::model::time::format_short;
use crate::model::{EntityKind, EventStore, Field, SourceRef, Sym};
use std::sync::Arc;

pub use crate::detect::Severity;

/// What the rule file says about a rule, shared by all its alerts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    /// ATT&CK and ATLAS ids.
    pub mitre: Vec<String>,
    pub guide: String,
    pub false_positives: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct AlertRecord {
    pub rule: Arc<RuleMeta>,
    pub title: String,
    pub severity: Severity,
    pub risk: u8,
    pub first: i64,
    pub last: i64,
    pub count: u64,
    /// The group-by values of the alert, as `(field name, value)`.
    pub entity: Vec<(String, String)>,
    /// Computed evidence (counts, value sets) as `(name, value)`.
    pub details: Vec<(String, String)>,
    /// Every contributing record.
    pub evidence: Vec<SourceRef>,
    /// Distinct entities of the contributing events and the group-by values, for tallies and
    /// pivot scopes.
    pub keys: Vec<(EntityKind, Sym)>,
    /// Shown in the table: the principal and account the alert is about.
    pub principal: String,
    pub account: String,
}

/// Joins the hard-wrapped lines of rule-file prose into paragraphs, so the TUI wraps them to the
/// screen width; blank lines and list items (`- `, `* `, `1. `) keep their breaks.
pub fn reflow(text: &str) -> String {
    let mut out = String::new();
    let mut joinable = false;
    for line in text.trim().lines() {
        let t = line.trim();
        let item = t.starts_with("- ")
            || t.starts_with("* ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if t.is_empty() {
            out.push_str("\n\n");
            joinable = false;
        } else if joinable && !item {
            out.push(' ');
            out.push_str(t);
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(t);
            joinable = true;
        }
    }
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

impl AlertRecord {
    pub fn involves(&self, kind: EntityKind, key: Sym) -> bool {
        self.keys.contains(&(kind, key))
    }

    pub fn entity_value(&self, field: Field) -> Option<&str> {
        self.entity
            .iter()
            .find(|(k, _)| Field::parse(k) == Some(field))
            .map(|(_, v)| v.as_str())
    }

    /// Cells: severity, title (ARNs shortened), principal, account, count, first, last.
    pub fn cells(&self) -> [String; 7] {
        [
            self.severity.name().to_string(),
            shorten_arns(&self.title),
            short_principal(&self.principal).to_string(),
            self.account.clone(),
            self.count.to_string(),
            format_short(self.first),
            format_short(self.last),
        ]
    }
}

impl RuleMeta {
    /// The metadata the TUI shows from a rule file: MITRE ATT&CK and ATLAS ids, the three-part
    /// investigation guide (plus blind spots), false positives.
    pub fn of(rule: &Rule) -> RuleMeta {
        let g = &rule.guide;
        let mut guide = String::new();
        for (title, text) in [
            ("Triage", Some(&g.triage)),
            ("False-positive analysis", Some(&g.false_positive_analysis)),
            ("Response", Some(&g.response)),
            ("Blind spots", g.blind_spots.as_ref()),
        ] {
            if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                if !guide.is_empty() {
                    guide.push('\n');
                }
                guide.push_str(title);
                guide.push('\n');
                guide.push_str(&reflow(text));
                guide.push('\n');
            }
        }
        RuleMeta {
            id: rule.id.clone(),
            title: rule.title.clone(),
            description: reflow(&rule.description),
            mitre: rule
                .mitre_attack
                .iter()
                .chain(&rule.mitre_atlas)
                .cloned()
                .collect(),
            guide,
            false_positives: rule.false_positives.clone(),
        }
    }
}

impl AlertRecord {
    /// The TUI record of an engine alert (entities resolved separately, see [`resolve_keys`]).
    pub fn from_alert(a: Alert, rule: Arc<RuleMeta>) -> AlertRecord {
        let entity: Vec<(String, String)> = a
            .entity
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |v| (name.to_string(), v.clone())))
            .collect();
        let mut details = a.details;
        if !a.group.is_empty() {
            let group: Vec<String> = a.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
            details.insert(0, ("group".to_string(), group.join(" · ")));
        }
        AlertRecord {
            rule,
            title: a.title,
            severity: a.severity,
            risk: a.risk_score,
            first: a.first_seen,
            last: a.last_seen,
            count: a.count,
            entity,
            details,
            evidence: a.evidence,
            keys: Vec::new(),
            principal: String::new(),
            account: String::new(),
        }
    }
}

/// Replaces every ARN in a text by its short form (`user/alice`), for one-line displays.
pub fn shorten_arns(text: &str) -> String {
    if !text.contains("arn:") {
        return text.to_string();
    }
    text.split(' ')
        .map(|w| {
            let core = w.trim_end_matches([',', '.', ';', ')']);
            if core.starts_with("arn:") {
                format!("{}{}", short_principal(core), &w[core.len()..])
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves the entities of an alert from its group-by values and contributing events, and fills
/// in the principal and account shown in the table.
pub fn resolve_keys(store: &EventStore, alert: &mut AlertRecord) {
    let mut keys: Vec<(EntityKind, Sym)> = Vec::new();
    for (name, value) in &alert.entity {
        let kind = match Field::parse(name) {
            Some(Field::Principal | Field::UserArn | Field::UserName) => EntityKind::User,
            Some(Field::Account) => EntityKind::Account,
            Some(Field::AccessKey) => EntityKind::AccessKey,
            Some(Field::SourceIp) => EntityKind::SourceIp,
            Some(Field::ModelId) => EntityKind::Model,
            Some(Field::RequestId) => EntityKind::RequestId,
            Some(Field::Host) => EntityKind::Host,
            _ => continue,
        };
        if let Some(sym) = store.sym(value) {
            keys.push((kind, sym));
        }
    }
    let mut principal = alert
        .entity_value(Field::Principal)
        .or(alert.entity_value(Field::UserArn))
        .or(alert.entity_value(Field::UserName))
        .map(str::to_string);
    let mut account = alert.entity_value(Field::Account).map(str::to_string);
    for src in &alert.evidence {
        let Some(e) = store.find_source(src).and_then(|i| store.event(i)) else {
            continue;
        };
        for kind in EntityKind::ALL {
            let k = kind.key_of(e);
            if k.is_some() && !keys.contains(&(kind, k)) {
                keys.push((kind, k));
            }
        }
        // An invocation log names no source IP; the CloudTrail record of the same request does,
        // and the Requests view joins the two, so an IP pivot must find this alert too.
        if e.source_ip.is_none() && e.request_id.is_some() {
            for &j in store.lookup(EntityKind::RequestId, e.request_id) {
                let ip = store.event(j).map_or(Sym::NONE, |joined| joined.source_ip);
                if ip.is_some() && !keys.contains(&(EntityKind::SourceIp, ip)) {
                    keys.push((EntityKind::SourceIp, ip));
                }
            }
        }
        if principal.is_none() && e.principal().is_some() {
            principal = Some(store.str(e.principal()).to_string());
        }
        if account.is_none() && e.account.is_some() {
            account = Some(store.str(e.account).to_string());
        }
    }
    alert.keys = keys;
    alert.principal = principal.unwrap_or_default();
    alert.account = account.unwrap_or_default();
}

pub struct AlertRef<'a> {
    pub alert: &'a AlertRecord,
    pub store: &'a EventStore,
}

impl Filterable for AlertRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        let a = self.alert;
        match key {
            Key::Severity => f(a.severity.name()),
            Key::Rule => f(&a.rule.id) || f(&a.title) || f(&a.rule.title),
            Key::Text => f(&a.title),
            Key::Field(Field::Principal | Field::UserArn | Field::UserName) if f(&a.principal) => {
                true
            }
            Key::Field(Field::Account) if f(&a.account) => true,
            Key::Field(field) => {
                let kind = match field {
                    Field::Principal | Field::UserArn | Field::UserName => Some(EntityKind::User),
                    Field::Account => Some(EntityKind::Account),
                    Field::AccessKey => Some(EntityKind::AccessKey),
                    Field::SourceIp => Some(EntityKind::SourceIp),
                    Field::ModelId => Some(EntityKind::Model),
                    Field::RequestId => Some(EntityKind::RequestId),
                    Field::Host => Some(EntityKind::Host),
                    _ => None,
                };
                a.entity
                    .iter()
                    .any(|(k, v)| Field::parse(k) == Some(field) && f(v))
                    || kind.is_some_and(|kind| {
                        a.keys
                            .iter()
                            .any(|&(k, s)| k == kind && f(self.store.str(s)))
                    })
            }
            _ => false,
        }
    }

    fn haystack(&self) -> String {
        let mut cells = self.alert.cells().to_vec();
        cells.push(self.alert.rule.id.clone());
        cells.join("  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_in_titles_are_shortened() {
        assert_eq!(
            shorten_arns("arn:aws:iam::1:user/svc hit ValidationException (arn:aws:sts::1:assumed-role/R/s)."),
            "user/svc hit ValidationException (arn:aws:sts::1:assumed-role/R/s)."
        );
        assert_eq!(
            shorten_arns("arn:aws:iam::1:user/a, then x"),
            "user/a, then x"
        );
    }

    #[test]
    fn entity_names_of_the_engine_are_filter_fields() {
        for name in crate::detect::ENTITY_NAMES {
            assert!(Field::parse(name).is_some(), "{name}");
        }
    }
}

#[cfg(test)]
mod reflow_tests {
    use super::reflow;

    #[test]
    fn paragraphs_are_joined_and_lists_kept() {
        let text = "Identify the guardrail and who changed\nit, from where.\n\n- first\n- second\ncontinued\n";
        assert_eq!(
            reflow(text),
            "Identify the guardrail and who changed it, from where.\n\n- first\n- second continued"
        );
    }
}
