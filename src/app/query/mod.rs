//! Computing a view's rows: scope (pivot) → time range → filter → sort (→ groups for alerts).
//! A pure function of a data snapshot and the view's settings; small views run it inline in
//! `update`, large ones as a background job whose result carries the generation it answers.

mod cli_rows;
mod entity_rows;

use super::msg::Data;
use super::views::{AlertGroup, RowSet, Scope, SortState, ViewId, GROUP_BIT};
use crate::analysis::alerts::{shorten_arns, AlertRecord, AlertRef};
use crate::analysis::cli::CliProfile;
use crate::analysis::entities::{AlertTallies, AlertTally, EntitySummary};
use crate::analysis::filter::{self, Filterable, Fuzzy, Key, Query};
use crate::analysis::requests::RequestRef;
use crate::analysis::timeline::{self, EventRef, TimeWindow};
use crate::ingest::report::FileReport;
use crate::model::EventStore;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// Views with more rows than this are computed in the background.
pub const INLINE_LIMIT: usize = 2_000;

/// A sort key: its label, the column it marks, and whether it sorts descending by default.
#[derive(Clone, Copy, Debug)]
pub struct SortKey {
    pub label: &'static str,
    pub column: usize,
    pub descending: bool,
}

const fn key(label: &'static str, column: usize, descending: bool) -> SortKey {
    SortKey {
        label,
        column,
        descending,
    }
}

pub fn sort_keys(view: ViewId) -> &'static [SortKey] {
    const ALERTS: [SortKey; 7] = [
        key("severity", 0, true),
        key("last seen", 6, true),
        key("count", 4, true),
        key("title", 1, false),
        key("principal", 2, false),
        key("account", 3, false),
        key("first seen", 5, false),
    ];
    const REQUESTS: [SortKey; 6] = [
        key("time", 0, false),
        key("tokens in", 4, true),
        key("tokens out", 5, true),
        key("caller", 1, false),
        key("model", 2, false),
        key("error", 6, true),
    ];
    const CLI: [SortKey; 5] = [
        key("user", 0, false),
        key("count", 3, true),
        key("class", 2, false),
        key("first seen", 4, false),
        key("last seen", 5, true),
    ];
    const ENTITIES: [SortKey; 6] = [
        key("risk", 5, true),
        key("events", 2, true),
        key("errors", 3, true),
        key("alerts", 4, true),
        key("kind", 0, false),
        key("name", 1, false),
    ];
    const TIMELINE: [SortKey; 1] = [key("time", 0, false)];
    const REPORT: [SortKey; 3] = [
        key("path", 0, false),
        key("rejected", 4, true),
        key("loaded", 3, true),
    ];
    match view {
        ViewId::Alerts => &ALERTS,
        ViewId::Requests => &REQUESTS,
        ViewId::Cli => &CLI,
        ViewId::Entities => &ENTITIES,
        ViewId::Timeline => &TIMELINE,
        ViewId::Report => &REPORT,
    }
}

#[derive(Clone, Debug)]
pub struct QuerySpec {
    pub view: ViewId,
    pub scope: Option<Scope>,
    pub query: Query,
    pub sort: SortState,
    pub range: Option<TimeWindow>,
    pub grouped: bool,
    pub collapsed: BTreeSet<String>,
}

#[derive(Debug)]
pub struct QueryJob {
    pub frame: u64,
    /// Set when a newer query for the same view supersedes this one.
    pub cancel: Arc<AtomicBool>,
    pub gen: u64,
    pub spec: QuerySpec,
    pub data: Data,
}

#[derive(Debug)]
pub struct QueryResult {
    pub frame: u64,
    pub view: ViewId,
    pub gen: u64,
    pub rows: RowSet,
    pub universe: usize,
    pub groups: Vec<AlertGroup>,
    /// Entities view in a pivot or time range: the counts over it, by entity row.
    pub entity_counts: Option<Arc<ScopedEntities>>,
    /// CLI view in a pivot or time range: the profiles over it, by profile row.
    pub cli_profiles: Option<Arc<ScopedCli>>,
}

/// The Entities view over a pivot or a time range: each entity's summary over its events there,
/// by the entity's row in the whole log set's list, and alert tallies over the alerts the
/// Alerts view shows there.
#[derive(Debug, Default)]
pub struct ScopedEntities {
    pub counts: HashMap<u32, EntitySummary>,
    pub tallies: AlertTallies,
}

impl ScopedEntities {
    pub fn summary(&self, item: u32) -> Option<&EntitySummary> {
        self.counts.get(&item)
    }

    pub fn tally(&self, e: &EntitySummary) -> AlertTally {
        tally_of(&self.tallies, e)
    }
}

/// The CLI view over a pivot or a time range: each profile with events there, over those events
/// alone (count, first and last seen, subcommands, activity), by the profile's row in the whole
/// log set's list.
#[derive(Debug, Default)]
pub struct ScopedCli {
    pub profiles: HashMap<u32, CliProfile>,
}

/// A CLI profile as the list shows it: over the pivot and time range when the list has scoped
/// profiles, else over the whole log set.
pub fn cli_row<'a>(
    scoped: Option<&'a ScopedCli>,
    all: &'a [CliProfile],
    item: u32,
) -> Option<&'a CliProfile> {
    match scoped {
        Some(m) => m.profiles.get(&item),
        None => all.get(item as usize),
    }
}

fn tally_of(tallies: &AlertTallies, e: &EntitySummary) -> AlertTally {
    tallies.get(&(e.kind, e.key)).copied().unwrap_or_default()
}

/// An Entities row as the list shows it: counted over the pivot and time range when the list has
/// scoped counts, else over the whole log set.
pub fn entity_row<'a>(
    scoped: Option<&'a ScopedEntities>,
    all: &'a [EntitySummary],
    item: u32,
) -> Option<&'a EntitySummary> {
    scoped
        .and_then(|m| m.summary(item))
        .or_else(|| all.get(item as usize))
}

/// An entity's alert tally as the list shows it (see [`entity_row`]).
pub fn entity_tally(
    scoped: Option<&ScopedEntities>,
    whole: &AlertTallies,
    e: &EntitySummary,
) -> AlertTally {
    tally_of(scoped.map_or(whole, |m| &m.tallies), e)
}

/// What a query computes.
struct Computed {
    rows: RowSet,
    universe: usize,
    groups: Vec<AlertGroup>,
    entity_counts: Option<Arc<ScopedEntities>>,
    cli_profiles: Option<Arc<ScopedCli>>,
}

impl Computed {
    fn rows(rows: RowSet, universe: usize) -> Computed {
        Computed {
            rows,
            universe,
            groups: Vec::new(),
            entity_counts: None,
            cli_profiles: None,
        }
    }
}

/// Number of rows the view starts from, to decide inline vs background.
pub fn universe_size(data: &Data, spec: &QuerySpec) -> usize {
    match spec.view {
        ViewId::Alerts => data.alerts.len(),
        ViewId::Requests => data.derived.requests.len(),
        // Scoping profiles reads each one's events.
        ViewId::Cli if spec.scope.is_some() || spec.range.is_some() => {
            data.derived.cli.iter().map(|p| p.events.len()).sum()
        }
        ViewId::Cli => data.derived.cli.len(),
        // Counting entities over a pivot or a range reads its events.
        ViewId::Entities if spec.scope.is_some() || spec.range.is_some() => data.store.len(),
        ViewId::Entities => data.derived.entities.len(),
        ViewId::Timeline => data.store.len(),
        ViewId::Report => data.report.files.len(),
    }
}

pub fn run(job: &QueryJob) -> QueryResult {
    let c = compute(&job.data, &job.spec, &job.cancel);
    QueryResult {
        frame: job.frame,
        view: job.spec.view,
        gen: job.gen,
        rows: c.rows,
        universe: c.universe,
        groups: c.groups,
        entity_counts: c.entity_counts,
        cli_profiles: c.cli_profiles,
    }
}

fn in_scope(store: &EventStore, scope: Option<Scope>, idx: u32) -> bool {
    match scope {
        None => true,
        Some(s) => store.event(idx).is_some_and(|e| s.kind.key_of(e) == s.key),
    }
}

/// Keeps the items passing the filter, in parallel for large inputs.
fn keep<F>(items: Vec<u32>, q: &Query, cancel: &AtomicBool, row: F) -> Vec<u32>
where
    F: Fn(u32, &Fuzzy, &Query) -> bool + Sync,
{
    if q.is_empty() {
        return items;
    }
    let row = |i: u32, fz: &Fuzzy, q: &Query| !cancel.load(Relaxed) && row(i, fz, q);
    if items.len() > 10_000 {
        items
            .into_par_iter()
            .map_init(Fuzzy::default, |fz, i| (i, row(i, fz, q)))
            .filter_map(|(i, ok)| ok.then_some(i))
            .collect()
    } else {
        let fz = Fuzzy::default();
        items.into_iter().filter(|&i| row(i, &fz, q)).collect()
    }
}

/// Sorts by sort key `k` (`cmp(k, a, b)`), ties broken by `tie` and then by position, both
/// ascending whatever the direction, so equal rows keep a stable, readable order.
fn order<F, T>(items: &mut [u32], sort: SortState, keys: &[SortKey], cmp: F, tie: T)
where
    F: Fn(usize, u32, u32) -> Ordering + Sync,
    T: Fn(u32, u32) -> Ordering + Sync,
{
    let k = sort.key.min(keys.len().saturating_sub(1));
    let desc = keys.get(k).is_some_and(|s| s.descending) ^ sort.reverse;
    let f = |a: &u32, b: &u32| {
        let o = cmp(k, *a, *b);
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| tie(*a, *b)).then(a.cmp(b))
    };
    if items.len() > 10_000 {
        items.par_sort_by(f);
    } else {
        items.sort_by(f);
    }
}

fn compute(data: &Data, spec: &QuerySpec, cancel: &AtomicBool) -> Computed {
    let store = &*data.store;
    let q = &spec.query;
    let all = |n: usize| (0..n as u32).collect::<Vec<u32>>();
    match spec.view {
        ViewId::Alerts => alerts(data, spec, cancel),
        ViewId::Requests => {
            let rows = &data.derived.requests;
            let mut items: Vec<u32> = all(rows.len());
            if let Some(s) = spec.scope {
                items.retain(|&i| {
                    rows[i as usize]
                        .events()
                        .any(|e| in_scope(store, Some(s), e))
                });
            }
            if let Some(w) = spec.range {
                items.retain(|&i| w.contains(rows[i as usize].ts));
            }
            let universe = items.len();
            let mut items = keep(items, q, cancel, |i, fz, q| {
                filter::matches(
                    q,
                    fz,
                    &RequestRef {
                        row: &rows[i as usize],
                        store,
                    },
                )
            });
            order(
                &mut items,
                spec.sort,
                sort_keys(ViewId::Requests),
                |k, a, b| {
                    let (ra, rb) = (&rows[a as usize], &rows[b as usize]);
                    let (x, y) = (RequestRef { row: ra, store }, RequestRef { row: rb, store });
                    match k {
                        1 => tokens(x.tokens_in()).cmp(&tokens(y.tokens_in())),
                        2 => tokens(x.tokens_out()).cmp(&tokens(y.tokens_out())),
                        3 => x.caller().cmp(y.caller()),
                        4 => x.model().cmp(y.model()),
                        5 => x.error().cmp(y.error()),
                        _ => ra.ts.cmp(&rb.ts),
                    }
                },
                NO_TIE,
            );
            Computed::rows(RowSet::List(items), universe)
        }
        ViewId::Cli => cli_rows::profiles(data, spec, cancel),
        ViewId::Entities => entity_rows::entities(data, spec, cancel),
        ViewId::Timeline => {
            let (rows, universe) = match view_events(store, spec) {
                ViewEvents::Span(a, b) => (RowSet::Range(a, b), (b - a) as usize),
                ViewEvents::Pivot(list) => (RowSet::List(list.to_vec()), list.len()),
            };
            if q.is_empty() {
                return Computed::rows(rows, universe);
            }
            let items = match rows {
                RowSet::Range(a, b) => (a..b).collect(),
                RowSet::List(v) => v,
            };
            let items = keep(items, q, cancel, |i, fz, q| {
                store
                    .event(i)
                    .is_some_and(|e| filter::matches(q, fz, &EventRef { event: e, store }))
            });
            Computed::rows(RowSet::List(items), universe)
        }
        ViewId::Report => {
            let files = &data.report.files;
            let items = all(files.len());
            let universe = items.len();
            let mut items = keep(items, q, cancel, |i, fz, q| {
                filter::matches(q, fz, &FileRef(&files[i as usize]))
            });
            order(
                &mut items,
                spec.sort,
                sort_keys(ViewId::Report),
                |k, a, b| {
                    let (x, y) = (&files[a as usize], &files[b as usize]);
                    match k {
                        1 => x.records_rejected.cmp(&y.records_rejected),
                        2 => x.records_loaded.cmp(&y.records_loaded),
                        _ => x.path.cmp(&y.path),
                    }
                },
                NO_TIE,
            );
            Computed::rows(RowSet::List(items), universe)
        }
    }
}

/// The events a frame shows, in time order: a span of the store when there is no pivot, else a
/// slice of the pivot's index; within the time range when one is set.
enum ViewEvents<'s> {
    Span(u32, u32),
    Pivot(&'s [u32]),
}

impl ViewEvents<'_> {
    fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match *self {
            ViewEvents::Span(a, b) => Box::new(a..b),
            ViewEvents::Pivot(list) => Box::new(list.iter().copied()),
        }
    }
}

fn view_events<'s>(store: &'s EventStore, spec: &QuerySpec) -> ViewEvents<'s> {
    match (spec.scope, spec.range) {
        (Some(s), range) => {
            let list = store.lookup(s.kind, s.key);
            ViewEvents::Pivot(range.map_or(list, |w| timeline::slice_window(store, list, w)))
        }
        (None, None) => ViewEvents::Span(0, store.len() as u32),
        (None, Some(w)) => {
            let ev = store.events();
            let a = ev.partition_point(|e| e.ts < w.from) as u32;
            let b = ev.partition_point(|e| e.ts <= w.to) as u32;
            ViewEvents::Span(a, b.max(a))
        }
    }
}

/// Whether the Alerts view of a frame with this pivot and time range lists the alert.
fn alert_in_view(a: &AlertRecord, spec: &QuerySpec) -> bool {
    spec.scope.is_none_or(|s| a.involves(s.kind, s.key))
        && spec.range.is_none_or(|w| overlaps(w, a.first, a.last))
}

/// Whether `[first, last]` overlaps the window.
fn overlaps(w: TimeWindow, first: i64, last: i64) -> bool {
    last >= w.from && first <= w.to
}

const NO_TIE: fn(u32, u32) -> Ordering = |_, _| Ordering::Equal;

/// Missing token counts sort below every real count.
fn tokens(n: u32) -> i64 {
    if n == crate::model::NO_COUNT {
        -1
    } else {
        i64::from(n)
    }
}

fn alerts(data: &Data, spec: &QuerySpec, cancel: &AtomicBool) -> Computed {
    let store = &*data.store;
    let alerts = &data.alerts;
    let mut items: Vec<u32> = (0..alerts.len() as u32).collect();
    items.retain(|&i| alert_in_view(&alerts[i as usize], spec));
    let universe = items.len();
    let mut items = keep(items, &spec.query, cancel, |i, fz, q| {
        filter::matches(
            q,
            fz,
            &AlertRef {
                alert: &alerts[i as usize],
                store,
            },
        )
    });
    // Titles sort as the list shows them, with ARNs shortened.
    let shown_titles: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let shown = |i: u32| -> &str {
        shown_titles
            .get_or_init(|| alerts.iter().map(|a| shorten_arns(&a.title)).collect())
            .get(i as usize)
            .map_or("", String::as_str)
    };
    order(
        &mut items,
        spec.sort,
        sort_keys(ViewId::Alerts),
        |k, a, b| {
            let (x, y) = (&alerts[a as usize], &alerts[b as usize]);
            match k {
                1 => x.last.cmp(&y.last),
                2 => x.count.cmp(&y.count),
                3 => shown(a).cmp(shown(b)),
                4 => x.principal.cmp(&y.principal),
                5 => x.account.cmp(&y.account),
                6 => x.first.cmp(&y.first),
                _ => (x.severity, x.risk, x.last).cmp(&(y.severity, y.risk, y.last)),
            }
        },
        NO_TIE,
    );
    if !spec.grouped {
        return Computed::rows(RowSet::List(items), universe);
    }
    // Groups by rule, ordered by their highest severity then title; members keep the sort order.
    let mut groups: Vec<AlertGroup> = Vec::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    for &i in &items {
        let a = &alerts[i as usize];
        let g = match groups.iter().position(|g| g.rule_id == a.rule.id) {
            Some(g) => g,
            None => {
                groups.push(AlertGroup {
                    rule_id: a.rule.id.clone(),
                    title: if a.rule.title.is_empty() {
                        a.title.clone()
                    } else {
                        crate::detect::template::generic_title(&a.rule.title)
                    },
                    severity: a.severity,
                    alerts: 0,
                    collapsed: spec.collapsed.contains(&a.rule.id),
                });
                members.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[g].alerts += 1;
        groups[g].severity = groups[g].severity.max(a.severity);
        members[g].push(i);
    }
    let mut idx: Vec<usize> = (0..groups.len()).collect();
    idx.sort_by(|&a, &b| {
        groups[b]
            .severity
            .cmp(&groups[a].severity)
            .then_with(|| groups[a].title.cmp(&groups[b].title))
    });
    let mut rows = Vec::with_capacity(items.len() + groups.len());
    let mut ordered = Vec::with_capacity(groups.len());
    for (new, &g) in idx.iter().enumerate() {
        rows.push(GROUP_BIT | new as u32);
        if !groups[g].collapsed {
            rows.extend(members[g].iter().copied());
        }
        ordered.push(groups[g].clone());
    }
    Computed {
        groups: ordered,
        ..Computed::rows(RowSet::List(rows), universe)
    }
}

struct FileRef<'a>(&'a FileReport);

impl Filterable for FileRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        match key {
            Key::File | Key::Text => f(&self.0.path),
            Key::Format => f(self.0.format.as_deref().unwrap_or("")),
            _ => false,
        }
    }

    fn haystack(&self) -> String {
        format!(
            "{}  {}  {}",
            self.0.path,
            self.0.format.as_deref().unwrap_or(""),
            self.0.note()
        )
    }
}
