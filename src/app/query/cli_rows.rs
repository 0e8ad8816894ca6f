//! The CLI view's rows: every profile of the log set, or the profiles of a pivot and time range
//! counted over their events there, filtered and sorted.

use super::{cli_row, in_scope, keep, order, sort_keys, Computed, QuerySpec, ScopedCli};
use crate::analysis::cli::CliRef;
use crate::analysis::filter;
use crate::app::msg::Data;
use crate::app::views::{RowSet, ViewId};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub(super) fn profiles(data: &Data, spec: &QuerySpec, cancel: &AtomicBool) -> Computed {
    let store = &*data.store;
    let all = &data.derived.cli;
    let scoped = scoped_profiles(data, spec);
    let items: Vec<u32> = match &scoped {
        Some(m) => {
            let mut v: Vec<u32> = m.profiles.keys().copied().collect();
            v.sort_unstable();
            v
        }
        None => (0..all.len() as u32).collect(),
    };
    let row = |i: u32| cli_row(scoped.as_ref(), all, i).unwrap_or(&all[i as usize]);
    // The list's own order, by user, host and class: the first sort key, and every key's tie-break.
    let by_name = |a: u32, b: u32| {
        let (x, y) = (row(a), row(b));
        (store.str(x.user), store.str(x.host), x.class).cmp(&(
            store.str(y.user),
            store.str(y.host),
            y.class,
        ))
    };
    let universe = items.len();
    let mut items = keep(items, &spec.query, cancel, |i, fz, q| {
        filter::matches(
            q,
            fz,
            &CliRef {
                profile: row(i),
                store,
            },
        )
    });
    order(
        &mut items,
        spec.sort,
        sort_keys(ViewId::Cli),
        |k, a, b| {
            let (x, y) = (row(a), row(b));
            match k {
                1 => x.count.cmp(&y.count),
                2 => x.class.cmp(&y.class),
                3 => x.first.cmp(&y.first),
                4 => x.last.cmp(&y.last),
                _ => by_name(a, b),
            }
        },
        by_name,
    );
    Computed {
        cli_profiles: scoped.map(Arc::new),
        ..Computed::rows(RowSet::List(items), universe)
    }
}

/// Each profile over the pivot's events in the time range, or `None` for the whole log set
/// (whose profiles are precomputed). A profile with no event there is left out, even when its
/// first and last seen straddle the range.
fn scoped_profiles(data: &Data, spec: &QuerySpec) -> Option<ScopedCli> {
    if spec.scope.is_none() && spec.range.is_none() {
        return None;
    }
    let store = &*data.store;
    let profiles = data
        .derived
        .cli
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let scoped = p.within(store, |e| {
                in_scope(store, spec.scope, e)
                    && spec
                        .range
                        .is_none_or(|w| store.event(e).is_some_and(|ev| w.contains(ev.ts)))
            })?;
            Some((i as u32, scoped))
        })
        .collect();
    Some(ScopedCli { profiles })
}
