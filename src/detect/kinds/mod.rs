//! One module per rule kind, plus what they share: the evaluation context and turning a group of
//! events into an [`Alert`] (title, entities, details, evidence).

pub mod aggregate;
pub mod first_seen;
pub mod matching;
pub mod outlier;
pub mod sequence;
pub mod threshold;
pub mod window;

use super::alert::{Alert, Entities, Severity, ENTITY_NAMES, ENTITY_VALUE_CAP};
use super::key::{KeyExpr, KeyVal};
use super::matcher::CompileEnv;
use super::rule::{GroupKey, Part, Rule};
use super::template::plural_word;
use crate::model::time::format_timestamp;
use crate::model::{Event, EventStore, Sym};
use hashbrown::HashSet;

/// The baseline period: events before `end` only teach what is normal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub start: i64,
    pub end: i64,
    pub days: u32,
}

/// What a kind evaluates against.
pub struct Ctx<'a> {
    pub store: &'a EventStore,
    pub rule: &'a Rule,
    /// Events of the rule's strands passing its filter, in time order.
    pub events: Vec<u32>,
    /// Events of the rule's strands (sequence steps apply their own filters to these).
    pub strand_events: std::borrow::Cow<'a, [u32]>,
    pub baseline: Option<Baseline>,
    /// Why there is no baseline, when the kind wanted one.
    pub baseline_gap: Option<String>,
    pub env: &'a CompileEnv<'a>,
    /// Compiled `severity_by` entries of the rule.
    pub severity_by: Vec<(super::matcher::Node, Severity, u8)>,
}

impl<'a> Ctx<'a> {
    pub fn event(&self, i: u32) -> &'a Event {
        &self.store.events()[i as usize]
    }
}

/// The values of `keys` on `e`. An absent value groups as the empty string rather than dropping
/// the event, so a record missing a field still alerts.
pub fn group_of(store: &EventStore, keys: &[GroupKey], e: &Event) -> Option<Vec<KeyVal>> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        out.push(k.expr.first(store, e).unwrap_or(KeyVal::Static("")));
    }
    Some(out)
}

/// `(name, value)` pairs for an alert's `group`.
pub fn group_pairs(
    store: &EventStore,
    keys: &[GroupKey],
    vals: &[KeyVal],
) -> Vec<(String, String)> {
    keys.iter()
        .zip(vals)
        .map(|(k, v)| (k.name.clone(), v.render(store).into_owned()))
        .collect()
}

/// An alert before its title, entities and evidence are filled in.
#[derive(Debug, Default)]
pub struct Draft {
    /// Contributing events in time order.
    pub events: Vec<u32>,
    pub count: u64,
    pub group: Vec<(String, String)>,
    /// Values for the kind's title placeholders.
    pub vars: Vec<(String, String)>,
    pub details: Vec<(String, String)>,
    pub severity: Option<Severity>,
    pub risk_score: Option<u8>,
}

impl Draft {
    pub fn new(events: Vec<u32>, group: Vec<(String, String)>) -> Draft {
        Draft {
            count: events.len() as u64,
            events,
            group,
            ..Draft::default()
        }
    }
}

/// Distinct values of a key over events, in first-seen order, stopping after `cap`. Returns the
/// values and whether more existed.
pub fn distinct_values(
    store: &EventStore,
    key: &KeyExpr,
    events: &[u32],
    cap: usize,
) -> (Vec<String>, usize) {
    let mut seen: HashSet<KeyVal> = HashSet::new();
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for &i in events {
        buf.clear();
        key.eval(store, &store.events()[i as usize], &mut buf);
        for v in buf.drain(..) {
            if seen.contains(&v) {
                continue;
            }
            if out.len() < cap {
                out.push(v.render(store).into_owned());
            }
            seen.insert(v);
        }
    }
    let total = seen.len();
    (out, total)
}

fn joined(values: Vec<String>, total: usize) -> String {
    let shown = values.len();
    let mut s = values.join(", ");
    if total > shown {
        s.push_str(&format!(" (+{} more)", total - shown));
    }
    s
}

fn entity_sym(name: &str, e: &Event) -> Sym {
    match name {
        "user" => e.principal(),
        "account" => e.account,
        "access_key" => e.access_key,
        "source_ip" => e.source_ip,
        "user_agent" => e.user_agent,
        "model" => e.model_id,
        "region" => e.region,
        "host" => e.host,
        "request_id" => e.request_id,
        _ => Sym::NONE,
    }
}

fn entities(store: &EventStore, events: &[u32]) -> (Entities, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashSet<Sym> = HashSet::new();
    let mut values: Vec<Sym> = Vec::new();
    for name in ENTITY_NAMES {
        seen.clear();
        values.clear();
        for &i in events {
            let s = entity_sym(name, &store.events()[i as usize]);
            if s.is_none() {
                continue;
            }
            // Most alerts have a handful of events: a linear scan beats hashing until the list grows.
            let new = if seen.is_empty() && values.len() < 16 {
                !values.contains(&s)
            } else {
                if seen.is_empty() {
                    seen.extend(values.iter().copied());
                }
                seen.insert(s)
            };
            if new {
                values.push(s);
            }
        }
        let total = values.len();
        if total > ENTITY_VALUE_CAP {
            notes.push((
                format!("{name} values"),
                format!("{total} distinct, first {ENTITY_VALUE_CAP} listed"),
            ));
        }
        if total > 0 {
            let shown = values
                .iter()
                .take(ENTITY_VALUE_CAP)
                .map(|&s| store.str(s).to_string())
                .collect();
            out.push((name, shown));
        }
    }
    (Entities(out), notes)
}

/// A value the rule kind computed, as the title shows it.
fn var_text(d: &Draft, name: &str, first_seen: i64, last_seen: i64) -> String {
    match name {
        "count" => d.count.to_string(),
        "first_seen" => format_timestamp(first_seen),
        "last_seen" => format_timestamp(last_seen),
        other => d
            .vars
            .iter()
            .find(|(k, _)| k == other)
            .map_or_else(|| "?".to_string(), |(_, v)| v.clone()),
    }
}

/// Builds the alert: renders the title, collects entities and rule-level details, and cites every
/// contributing event.
pub fn finish(ctx: &Ctx, mut d: Draft) -> Alert {
    let store = ctx.store;
    let rule = ctx.rule;
    d.events.sort_unstable();
    d.events.dedup();
    let first_seen = d.events.first().map_or(0, |&i| ctx.event(i).ts);
    let last_seen = d.events.last().map_or(0, |&i| ctx.event(i).ts);
    let mut title = String::new();
    for part in &rule.template {
        match part {
            Part::Lit(s) => title.push_str(s),
            Part::Var(name) => title.push_str(&var_text(&d, name, first_seen, last_seen)),
            Part::Plural { var, one, other } => {
                let value = var_text(&d, var, first_seen, last_seen);
                title.push_str(plural_word(&value, one, other));
            }
            Part::Key(k) => {
                let (values, total) = distinct_values(store, k, &d.events, 3);
                if values.is_empty() {
                    title.push('-');
                } else {
                    title.push_str(&joined(values, total));
                }
            }
        }
    }
    let mut details = Vec::new();
    for (label, key) in &rule.details {
        let (values, total) = distinct_values(store, key, &d.events, 20);
        if !values.is_empty() {
            details.push((label.clone(), joined(values, total)));
        }
    }
    details.append(&mut d.details);
    if d.severity.is_none() {
        let hit = ctx
            .severity_by
            .iter()
            .find(|(node, _, _)| d.events.iter().any(|&i| node.matches(store, ctx.event(i))));
        if let Some((_, sev, risk)) = hit {
            d.severity = Some(*sev);
            d.risk_score = Some(*risk);
        }
    }
    let (entity, mut notes) = entities(store, &d.events);
    details.append(&mut notes);
    Alert {
        rule_id: rule.id.clone(),
        title,
        severity: d.severity.unwrap_or(rule.severity),
        risk_score: d.risk_score.unwrap_or(rule.risk_score),
        first_seen,
        last_seen,
        count: d.count,
        group: d.group,
        entity,
        details,
        evidence: d.events.iter().map(|&i| ctx.event(i).source).collect(),
    }
}

/// Events grouped by key, groups in order of first appearance.
pub fn grouped(ctx: &Ctx, keys: &[GroupKey]) -> Vec<(Vec<KeyVal>, Vec<u32>)> {
    let mut groups: Vec<(Vec<KeyVal>, Vec<u32>)> = Vec::new();
    if let [key] = keys {
        // One key (the common case): no per-event vector allocation.
        let mut index: hashbrown::HashMap<KeyVal, usize> = hashbrown::HashMap::new();
        for &i in &ctx.events {
            let v = key
                .expr
                .first(ctx.store, ctx.event(i))
                .unwrap_or(KeyVal::Static(""));
            match index.get(&v) {
                Some(&g) => groups[g].1.push(i),
                None => {
                    index.insert(v.clone(), groups.len());
                    groups.push((vec![v], vec![i]));
                }
            }
        }
        return groups;
    }
    let mut index: hashbrown::HashMap<Vec<KeyVal>, usize> = hashbrown::HashMap::new();
    for &i in &ctx.events {
        let Some(vals) = group_of(ctx.store, keys, ctx.event(i)) else {
            continue;
        };
        match index.get(&vals) {
            Some(&g) => groups[g].1.push(i),
            None => {
                index.insert(vals.clone(), groups.len());
                groups.push((vals, vec![i]));
            }
        }
    }
    groups
}

/// Describes a window for alert details.
pub fn window_detail(w: super::rule::Window, bucket_start: Option<i64>) -> String {
    use super::rule::{format_duration, Window};
    match (w, bucket_start) {
        (Window::Bucket(b), Some(start)) => format!(
            "{} bucket {} – {}",
            format_duration(b),
            format_timestamp(start),
            format_timestamp(start + b)
        ),
        (Window::Bucket(b), None) => format!("{} buckets", format_duration(b)),
        (Window::Sliding(l), _) => format!("sliding {} window", format_duration(l)),
    }
}
