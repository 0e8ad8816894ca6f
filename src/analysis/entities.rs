//! Entity summaries: principals, accounts, access keys, source IPs, models and hosts with their
//! event and error counts, and (once detection reports) alert counts and risk (the highest risk
//! score among the entity's alerts).

use super::filter::{Filterable, Key};
use super::requests::principal_label;
use crate::model::time::format_short;
use crate::model::{EntityKind, EventStore, Field, Outcome, Sym};
use std::collections::HashMap;

/// The kinds listed in the Entities view (request ids are pivots, not entities to rank).
pub const KINDS: [EntityKind; 6] = [
    EntityKind::User,
    EntityKind::Account,
    EntityKind::AccessKey,
    EntityKind::SourceIp,
    EntityKind::Model,
    EntityKind::Host,
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitySummary {
    pub kind: EntityKind,
    pub key: Sym,
    pub events: u32,
    pub errors: u32,
    pub first: i64,
    pub last: i64,
}

/// Alert tallies per entity, updated as alerts arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlertTally {
    pub alerts: u32,
    pub risk: u8,
}

pub type AlertTallies = HashMap<(EntityKind, Sym), AlertTally>;

/// Adds one alert's contribution to each entity it involves (each listed once per alert).
pub fn tally_alert(tallies: &mut AlertTallies, keys: &[(EntityKind, Sym)], risk: u8) {
    for &k in keys {
        let t = tallies.entry(k).or_default();
        t.alerts += 1;
        t.risk = t.risk.max(risk);
    }
}

pub fn build(store: &EventStore) -> Vec<EntitySummary> {
    let events = store.events();
    let mut out = Vec::new();
    for kind in KINDS {
        for (key, list) in store.entity_index(kind).iter() {
            let errors = list
                .iter()
                .filter(|&&i| {
                    events
                        .get(i as usize)
                        .is_some_and(|e| e.outcome == Outcome::Failure)
                })
                .count() as u32;
            let ts = |i: Option<&u32>| i.and_then(|&i| events.get(i as usize)).map_or(0, |e| e.ts);
            out.push(EntitySummary {
                kind,
                key,
                events: list.len() as u32,
                errors,
                first: ts(list.first()),
                last: ts(list.last()),
            });
        }
    }
    out
}

/// Scoped counts: each entity's events, errors, first and last seen over `events` alone (a
/// pivot's events, a time range), keyed by its place in `all` (the whole log set's summaries).
/// Entities without an event there are absent.
pub fn scoped(
    store: &EventStore,
    all: &[EntitySummary],
    events: impl Iterator<Item = u32>,
) -> HashMap<u32, EntitySummary> {
    let place: HashMap<(EntityKind, Sym), u32> = all
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.kind, e.key), i as u32))
        .collect();
    let mut out: HashMap<u32, EntitySummary> = HashMap::new();
    for e in events.filter_map(|i| store.event(i)) {
        for kind in KINDS {
            let key = kind.key_of(e);
            let Some(&row) = place.get(&(kind, key)).filter(|_| key.is_some()) else {
                continue;
            };
            let s = out.entry(row).or_insert(EntitySummary {
                kind,
                key,
                events: 0,
                errors: 0,
                first: e.ts,
                last: e.ts,
            });
            s.events += 1;
            s.errors += u32::from(e.outcome == Outcome::Failure);
            s.first = s.first.min(e.ts);
            s.last = s.last.max(e.ts);
        }
    }
    out
}

pub fn field_of(kind: EntityKind) -> Field {
    match kind {
        EntityKind::User => Field::Principal,
        EntityKind::Account => Field::Account,
        EntityKind::AccessKey => Field::AccessKey,
        EntityKind::SourceIp => Field::SourceIp,
        EntityKind::Model => Field::ModelId,
        EntityKind::RequestId => Field::RequestId,
        EntityKind::Host => Field::Host,
    }
}

pub struct EntityRef<'a> {
    pub entity: &'a EntitySummary,
    pub tally: AlertTally,
    pub store: &'a EventStore,
}

impl<'a> EntityRef<'a> {
    pub fn name(&self) -> &'a str {
        self.store.str(self.entity.key)
    }

    /// Cells: kind, value, events, errors, alerts, risk, first, last.
    pub fn cells(&self) -> [String; 8] {
        let e = self.entity;
        let name = self.name();
        let shown = if e.kind == EntityKind::User {
            principal_label(name)
        } else {
            name.to_string()
        };
        [
            e.kind.label().to_string(),
            shown.to_string(),
            e.events.to_string(),
            e.errors.to_string(),
            self.tally.alerts.to_string(),
            if self.tally.alerts > 0 {
                self.tally.risk.to_string()
            } else {
                String::new()
            },
            format_short(e.first),
            format_short(e.last),
        ]
    }
}

impl Filterable for EntityRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        match key {
            Key::Kind => f(self.entity.kind.name()) || f(self.entity.kind.label()),
            Key::Text => f(self.name()),
            Key::Field(field) if field == field_of(self.entity.kind) => f(self.name()),
            Key::Field(Field::UserArn | Field::UserName)
                if self.entity.kind == EntityKind::User =>
            {
                f(self.name())
            }
            _ => false,
        }
    }

    fn haystack(&self) -> String {
        self.cells().join("  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_keep_max_risk() {
        let mut t = AlertTallies::new();
        let k = (EntityKind::User, Sym(3));
        tally_alert(&mut t, &[k], 47);
        tally_alert(&mut t, &[k, (EntityKind::Account, Sym(4))], 73);
        tally_alert(&mut t, &[k], 21);
        assert_eq!(
            t[&k],
            AlertTally {
                alerts: 3,
                risk: 73
            }
        );
        assert_eq!(t[&(EntityKind::Account, Sym(4))].alerts, 1);
    }
}
