//! The Entities view's rows: every entity of the log set, or of a pivot and time range with its
//! counts over them, filtered and sorted.

use super::{
    alert_in_view, entity_row, entity_tally, keep, order, sort_keys, view_events, Computed,
    QuerySpec, ScopedEntities,
};
use crate::analysis::entities::{self, tally_alert, AlertTallies, EntityRef, EntitySummary};
use crate::analysis::filter;
use crate::app::msg::Data;
use crate::app::views::{RowSet, ViewId};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub(super) fn entities(data: &Data, spec: &QuerySpec, cancel: &AtomicBool) -> Computed {
    let store = &*data.store;
    let q = &spec.query;
    let rows = &data.derived.entities;
    let scoped = scoped_entities(data, spec);
    let summary = |i: u32| -> &EntitySummary {
        entity_row(scoped.as_ref(), rows, i).unwrap_or(&rows[i as usize])
    };
    let items = match &scoped {
        Some(m) => {
            let mut v: Vec<u32> = m.counts.keys().copied().collect();
            v.sort_unstable();
            v
        }
        None => (0..rows.len() as u32).collect(),
    };
    let universe = items.len();
    let tally = |i: u32| entity_tally(scoped.as_ref(), &data.tallies, &rows[i as usize]);
    let mut items = keep(items, q, cancel, |i, fz, q| {
        filter::matches(
            q,
            fz,
            &EntityRef {
                entity: summary(i),
                tally: tally(i),
                store,
            },
        )
    });
    order(
        &mut items,
        spec.sort,
        sort_keys(ViewId::Entities),
        |k, a, b| {
            let (x, y) = (summary(a), summary(b));
            let (tx, ty) = (tally(a), tally(b));
            match k {
                1 => x.events.cmp(&y.events),
                2 => x.errors.cmp(&y.errors),
                3 => tx.alerts.cmp(&ty.alerts),
                4 => x.kind.cmp(&y.kind),
                5 => store.str(x.key).cmp(store.str(y.key)),
                _ => (tx.risk, tx.alerts, x.events).cmp(&(ty.risk, ty.alerts, y.events)),
            }
        },
        |a, b| {
            let (x, y) = (&rows[a as usize], &rows[b as usize]);
            x.kind
                .cmp(&y.kind)
                .then_with(|| store.str(x.key).cmp(store.str(y.key)))
        },
    );
    Computed {
        entity_counts: scoped.map(Arc::new),
        ..Computed::rows(RowSet::List(items), universe)
    }
}

/// The Entities view's counts over a pivot's events and the time range, or `None` for the whole
/// log set (whose counts are precomputed).
fn scoped_entities(data: &Data, spec: &QuerySpec) -> Option<ScopedEntities> {
    if spec.scope.is_none() && spec.range.is_none() {
        return None;
    }
    let store = &*data.store;
    let counts = entities::scoped(
        store,
        &data.derived.entities,
        view_events(store, spec).iter(),
    );
    let mut tallies = AlertTallies::new();
    for a in data.alerts.iter().filter(|a| alert_in_view(a, spec)) {
        tally_alert(&mut tallies, &a.keys, a.risk);
    }
    Some(ScopedEntities { counts, tallies })
}
