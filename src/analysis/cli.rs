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
    pub buckets: [u32; SPARK_BUCKETS],
}

/// Groups every command line `actions` recognises (`aws bedrock…`, services and classes from the
/// rules' `cli_actions.toml`); profiles in (user, host, class) order.
pub fn build(store: &EventStore, actions: &CliActions) -> Vec<CliProfile> {
    let mut groups: HashMap<(Sym, Sym, ActionClass), CliProfile> = HashMap::new();
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
            buckets: [0; SPARK_BUCKETS],
        });
        p.count += 1;
        p.first = p.first.min(e.ts);
        p.last = p.last.max(e.ts);
        p.events.push(i as u32);
        *subs
            .entry(key)
            .or_default()
            .entry(call.subcommand)
            .or_default() += 1;
    }
    let span = groups
        .values()
        .fold(None::<(i64, i64)>, |acc, p| match acc {
            None => Some((p.first, p.last)),
            Some((a, b)) => Some((a.min(p.first), b.max(p.last))),
        });
    let mut out: Vec<CliProfile> = groups
        .into_iter()
        .map(|(key, mut p)| {
            if let Some((from, to)) = span {
                for &i in &p.events {
                    if let Some(e) = store.event(i) {
                        p.buckets[bucket_of(e.ts, from, to, SPARK_BUCKETS)] += 1;
                    }
                }
            }
            let mut s: Vec<(String, u32)> =
                subs.remove(&key).unwrap_or_default().into_iter().collect();
            s.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            p.subcommands = s;
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
