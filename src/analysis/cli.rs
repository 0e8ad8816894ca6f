//! CLI profiles: endpoint `aws bedrock…` command lines grouped by (user, host, action class), with
//! counts, first/last seen and activity buckets for a sparkline.

use super::filter::{Filterable, Key};
use crate::model::time::format_short;
use crate::model::{EventStore, Field, Strand, Sym};
use std::collections::HashMap;

/// Number of activity buckets per profile (over the time span of all CLI activity).
pub const SPARK_BUCKETS: usize = 24;

pub use crate::detect::cli_actions::{ActionClass, CliActions};

#[derive(Clone, Debug)]
pub struct CliProfile {
    pub user: Sym,
    pub host: Sym,
    pub class: ActionClass,
    pub count: u32,
    pub first: i64,
    pub last: i64,
    /// Distinct subcommands, most frequent first.
    pub subcommands: Vec<(String, u32)>,
    /// Event indices, in time order.
    pub events: Vec<u32>,
    /// Each event's subcommand, as its index in `subcommands`.
    subcommand_of: Vec<u32>,
    pub buckets: [u32; SPARK_BUCKETS],
    /// The time span `buckets` divide: that of all CLI activity in the log set, so that profiles'
    /// sparklines compare.
    span: (i64, i64),
}

impl CliProfile {
    /// The profile over those of its events `keep` accepts (a pivot's, a time range's): counts,
    /// first and last seen, subcommands and activity over them alone; `None` when none is left.
    pub fn within(&self, store: &EventStore, keep: impl Fn(u32) -> bool) -> Option<CliProfile> {
        let mut events = Vec::new();
        let mut subcommand_of = Vec::new();
        let mut buckets = [0u32; SPARK_BUCKETS];
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for (&i, &sub) in self.events.iter().zip(&self.subcommand_of) {
            let Some(e) = store.event(i).filter(|_| keep(i)) else {
                continue;
            };
            events.push(i);
            subcommand_of.push(sub);
            buckets[bucket_of(e.ts, self.span.0, self.span.1, SPARK_BUCKETS)] += 1;
            first = first.min(e.ts);
            last = last.max(e.ts);
        }
        if events.is_empty() {
            return None;
        }
        let names = self.subcommands.iter().map(|(s, _)| s.clone()).collect();
        let (subcommands, subcommand_of) = ranked(names, &subcommand_of);
        Some(CliProfile {
            user: self.user,
            host: self.host,
            class: self.class,
            count: events.len() as u32,
            first,
            last,
            subcommands,
            subcommand_of,
            events,
            buckets,
            span: self.span,
        })
    }
}

/// Groups every command line `actions` recognises (`aws bedrock…`, services and classes from the
/// rules' `cli_actions.toml`); profiles in (user, host, class) order.
pub fn build(store: &EventStore, actions: &CliActions) -> Vec<CliProfile> {
    let mut groups: HashMap<(Sym, Sym, ActionClass), CliProfile> = HashMap::new();
    // Each group's distinct subcommands, numbered in the order met, before they are counted and
    // ranked; meanwhile a profile's `subcommand_of` holds these numbers.
    let mut subs: HashMap<(Sym, Sym, ActionClass), HashMap<String, u32>> = HashMap::new();
    for (i, e) in store.events().iter().enumerate() {
        if e.strand != Strand::Endpoint || e.command_line.is_none() {
            continue;
        }
        let Some(call) = actions.classify(store.str(e.command_line)) else {
            continue;
        };
        let user = if e.user_name.is_some() {
            e.user_name
        } else {
            e.principal()
        };
        let key = (user, e.host, call.class);
        let p = groups.entry(key).or_insert_with(|| CliProfile {
            user,
            host: e.host,
            class: call.class,
            count: 0,
            first: e.ts,
            last: e.ts,
            subcommands: Vec::new(),
            events: Vec::new(),
            subcommand_of: Vec::new(),
            buckets: [0; SPARK_BUCKETS],
            span: (0, 0),
        });
        p.count += 1;
        p.first = p.first.min(e.ts);
        p.last = p.last.max(e.ts);
        p.events.push(i as u32);
        let numbers = subs.entry(key).or_default();
        let next = numbers.len() as u32;
        p.subcommand_of
            .push(*numbers.entry(call.subcommand).or_insert(next));
    }
    let span = groups
        .values()
        .fold(None::<(i64, i64)>, |acc, p| match acc {
            None => Some((p.first, p.last)),
            Some((a, b)) => Some((a.min(p.first), b.max(p.last))),
        })
        .unwrap_or((0, 0));
    let mut out: Vec<CliProfile> = groups
        .into_iter()
        .map(|(key, mut p)| {
            p.span = span;
            for &i in &p.events {
                if let Some(e) = store.event(i) {
                    p.buckets[bucket_of(e.ts, span.0, span.1, SPARK_BUCKETS)] += 1;
                }
            }
            let numbers = subs.remove(&key).unwrap_or_default();
            let mut names = vec![String::new(); numbers.len()];
            for (name, k) in numbers {
                if let Some(slot) = names.get_mut(k as usize) {
                    *slot = name;
                }
            }
            (p.subcommands, p.subcommand_of) = ranked(names, &p.subcommand_of);
            p
        })
        .collect();
    out.sort_by(|a, b| {
        (store.str(a.user), store.str(a.host), a.class).cmp(&(
            store.str(b.user),
            store.str(b.host),
            b.class,
        ))
    });
    out
}

/// The subcommands `names` counted over the events that ran them (`of_events`: each event's
/// index in `names`), most frequent first and then by name, those no event ran left out; and
/// each event's index in that list.
fn ranked(mut names: Vec<String>, of_events: &[u32]) -> (Vec<(String, u32)>, Vec<u32>) {
    let mut counts = vec![0u32; names.len()];
    for &k in of_events {
        if let Some(n) = counts.get_mut(k as usize) {
            *n += 1;
        }
    }
    let mut order: Vec<usize> = (0..names.len()).filter(|&k| counts[k] > 0).collect();
    order.sort_by(|&a, &b| {
        counts[b]
            .cmp(&counts[a])
            .then_with(|| names[a].cmp(&names[b]))
    });
    let mut new_index = vec![0u32; names.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    let list = order
        .iter()
        .map(|&old| (std::mem::take(&mut names[old]), counts[old]))
        .collect();
    let of_events = of_events
        .iter()
        .map(|&k| new_index.get(k as usize).copied().unwrap_or(0))
        .collect();
    (list, of_events)
}

/// Which of `n` equal buckets over `[from, to]` holds `ts`.
pub fn bucket_of(ts: i64, from: i64, to: i64, n: usize) -> usize {
    if to <= from || n == 0 {
        return 0;
    }
    let pos = (ts.clamp(from, to) - from) as i128 * n as i128 / (to - from + 1) as i128;
    (pos as usize).min(n - 1)
}

/// Renders counts as block characters `▁▂▃▄▅▆▇█` scaled to the largest; zero is a space-like `·`.
pub fn sparkline(buckets: &[u32], width: usize) -> String {
    if width == 0 || buckets.is_empty() {
        return String::new();
    }
    // Resample to `width` cells by summing the buckets each cell covers.
    let cells: Vec<u32> = (0..width)
        .map(|c| {
            let a = c * buckets.len() / width;
            let b = ((c + 1) * buckets.len() / width)
                .max(a + 1)
                .min(buckets.len());
            buckets[a..b].iter().sum()
        })
        .collect();
    let max = cells.iter().copied().max().unwrap_or(0).max(1);
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    cells
        .iter()
        .map(|&v| {
            if v == 0 {
                '·'
            } else {
                BARS[((v as usize * 8).div_ceil(max as usize)).clamp(1, 8) - 1]
            }
        })
        .collect()
}

pub struct CliRef<'a> {
    pub profile: &'a CliProfile,
    pub store: &'a EventStore,
}

impl<'a> CliRef<'a> {
    /// Cells: user, host, class, count, first, last, top subcommands.
    pub fn cells(&self) -> [String; 7] {
        let p = self.profile;
        let subs = p
            .subcommands
            .iter()
            .take(3)
            .map(|(s, n)| {
                if *n > 1 {
                    format!("{s}×{n}")
                } else {
                    s.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.store.str(p.user).to_string(),
            self.store.str(p.host).to_string(),
            p.class.name().to_string(),
            p.count.to_string(),
            format_short(p.first),
            format_short(p.last),
            subs,
        ]
    }
}

impl Filterable for CliRef<'_> {
    fn any_value(&self, key: Key, f: &mut dyn FnMut(&str) -> bool) -> bool {
        let p = self.profile;
        match key {
            Key::Class => f(p.class.name()),
            Key::Field(Field::UserName | Field::Principal | Field::UserArn) | Key::Text => {
                f(self.store.str(p.user))
            }
            Key::Field(Field::Host) => f(self.store.str(p.host)),
            Key::Field(Field::CommandLine) => p.events.iter().any(|&i| {
                self.store
                    .event(i)
                    .is_some_and(|e| f(self.store.str(e.command_line)))
            }),
            Key::Field(Field::Action) => p.subcommands.iter().any(|(s, _)| f(s)),
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
    fn buckets_and_sparklines() {
        assert_eq!(bucket_of(0, 0, 99, 10), 0);
        assert_eq!(bucket_of(99, 0, 99, 10), 9);
        assert_eq!(bucket_of(50, 0, 99, 10), 5);
        assert_eq!(bucket_of(5, 5, 5, 10), 0);
        assert_eq!(sparkline(&[0, 1, 8, 4], 4), "·▁█▄");
        assert_eq!(sparkline(&[1, 1, 1, 1], 2), "██");
        assert_eq!(sparkline(&[3], 3).chars().count(), 3);
    }
}
