//! Input-token statistics per account and 4-hour slice, used both to state the
//! expected `input-token-spike` alert and to check that ordinary traffic never spikes.

use std::collections::BTreeMap;

use super::expect::{Expect, Expectations};
use super::sink::{Dest, Item};
use super::world::PROD;
use crate::clock::{at, iso, BASE, BASELINE_DAYS, HOUR, SPAN_DAYS};

pub const SLICE: i64 = 4 * HOUR;
const PER_DAY: i64 = 24 * HOUR / SLICE;

/// The slice the proxy abuse lands in: 2026-10-12 12:00–16:00 UTC.
pub const PLANTED: i64 = at(11, 12, 0, 0);

#[derive(Default, Clone, Copy)]
struct Slice {
    tokens: u64,
    records: usize,
    first: i64,
    last: i64,
}

pub struct Stats {
    pub mean: f64,
    /// Population standard deviation over the baseline slices.
    pub sd: f64,
    /// Sample (n-1) standard deviation, for engines that use it.
    pub sd_sample: f64,
    /// Largest ordinary test-period slice relative to mean + 3σ.
    pub max_ratio: f64,
}

/// Adds the expected spike and returns per-account baseline statistics; fails when
/// ordinary traffic would spike or the planted slice would not.
pub fn expect(items: &[Item], x: &mut Expectations) -> Result<BTreeMap<String, Stats>, String> {
    let mut per: BTreeMap<String, Vec<Slice>> = BTreeMap::new();
    for it in items {
        if !matches!(it.dest, Dest::Invocation | Dest::CloudWatch) {
            continue;
        }
        let t = it.ms / 1000;
        let idx = ((t - BASE) / SLICE) as usize;
        let slices = per
            .entry(it.account.clone())
            .or_insert_with(|| vec![Slice::default(); (SPAN_DAYS * PER_DAY) as usize]);
        let s = &mut slices[idx];
        s.first = if s.records == 0 { t } else { s.first.min(t) };
        s.last = s.last.max(t);
        s.tokens += it.tokens as u64;
        s.records += 1;
    }
    let base_n = (BASELINE_DAYS * PER_DAY) as usize;
    let mut stats = BTreeMap::new();
    for (account, slices) in &per {
        let baseline = &slices[..base_n];
        if let Some(i) = baseline.iter().position(|s| s.records == 0) {
            return Err(format!("{account}: baseline slice {i} has no invocations"));
        }
        let n = base_n as f64;
        let mean = baseline.iter().map(|s| s.tokens as f64).sum::<f64>() / n;
        let ss = baseline
            .iter()
            .map(|s| (s.tokens as f64 - mean).powi(2))
            .sum::<f64>();
        let sd = (ss / n).sqrt();
        let sd_sample = (ss / (n - 1.0)).sqrt();
        let threshold = mean + 3.0 * sd;
        let mut max_ratio: f64 = 0.0;
        for (i, s) in slices.iter().enumerate().skip(base_n) {
            let start = BASE + i as i64 * SLICE;
            let ratio = s.tokens as f64 / threshold;
            let planted = account == PROD && start == PLANTED;
            if planted {
                if (s.tokens as f64) <= mean + 3.0 * sd_sample {
                    return Err(format!("{account}: planted slice is not a spike"));
                }
                x.add(Expect {
                    rule: "input-token-spike",
                    severity: "",
                    story: "LLMjacking".to_string(),
                    group: format!("{account} · {}", iso(start)),
                    first: s.first,
                    last: s.last,
                    count: s.records,
                    note: format!(
                        "sum {} tokens vs baseline mean {:.0}, σ {:.0} → threshold {:.0}",
                        s.tokens, mean, sd, threshold
                    ),
                });
            } else {
                max_ratio = max_ratio.max(ratio);
                if ratio > 0.85 {
                    return Err(format!(
                        "{account}: ordinary slice {} reaches {:.0}% of mean+3σ",
                        iso(start),
                        ratio * 100.0
                    ));
                }
            }
        }
        stats.insert(
            account.clone(),
            Stats {
                mean,
                sd,
                sd_sample,
                max_ratio,
            },
        );
    }
    Ok(stats)
}
