//! `outlier`: a per-key metric (count or sum) per time bucket, compared with the same key's
//! baseline buckets: alert when the value exceeds mean + k·σ (population σ, idle buckets counted as
//! zero) and reaches the floor. A key absent from the baseline has mean and σ of zero.

use super::{finish, group_pairs, grouped, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::expr::format_number;
use crate::detect::key::KeyVal;
use crate::detect::rule::{format_duration, MetricFn, OutlierSpec};
use crate::model::time::format_timestamp;
use crate::model::Value;
use std::collections::BTreeMap;

fn value_of(ctx: &Ctx, spec: &OutlierSpec, i: u32) -> f64 {
    match (spec.metric.func, &spec.metric.key) {
        (MetricFn::Sum, Some(k)) if k.as_field().is_some() => {
            match k.as_field().map(|f| f.get(ctx.event(i))) {
                Some(Value::Num(n)) => n as f64,
                Some(Value::Str(s)) => ctx.store.str(s).trim().parse().unwrap_or(0.0),
                _ => 0.0,
            }
        }
        (MetricFn::Sum, Some(k)) => {
            let mut out = Vec::new();
            k.eval(ctx.store, ctx.event(i), &mut out);
            out.iter()
                .filter_map(|v| match v {
                    KeyVal::Num(n) => Some(*n as f64),
                    other => other.render(ctx.store).trim().parse::<f64>().ok(),
                })
                .sum()
        }
        _ => 1.0,
    }
}

pub fn run(ctx: &Ctx, spec: &OutlierSpec) -> Vec<Alert> {
    let Some(baseline) = ctx.baseline else {
        return Vec::new();
    };
    let size = spec.bucket_ms;
    let first_bucket = baseline.start.div_euclid(size);
    // The baseline ends at the last bucket boundary within it, so no bucket is split and no
    // partial bucket counts as a quiet one.
    let detect_from = baseline.end.div_euclid(size).max(first_bucket + 1);
    let n_base = (detect_from - first_bucket).max(1) as f64;
    let mut alerts = Vec::new();
    for (vals, events) in grouped(ctx, &spec.group_by) {
        let mut buckets: BTreeMap<i64, (f64, Vec<u32>)> = BTreeMap::new();
        for &i in &events {
            let b = ctx.event(i).ts.div_euclid(size);
            let slot = buckets.entry(b).or_insert((0.0, Vec::new()));
            slot.0 += value_of(ctx, spec, i);
            slot.1.push(i);
        }
        let base: Vec<f64> = buckets.range(..detect_from).map(|(_, (v, _))| *v).collect();
        let sum: f64 = base.iter().sum();
        let mean = sum / n_base;
        let idle = n_base - base.len() as f64;
        let var =
            (base.iter().map(|v| (v - mean).powi(2)).sum::<f64>() + idle * mean * mean) / n_base;
        let stddev = var.sqrt();
        let threshold = mean + spec.k * stddev;
        for (b, (value, evs)) in buckets.range(detect_from..) {
            if !(*value > threshold && *value >= spec.floor) {
                continue;
            }
            let start = b * size;
            let mut d = Draft::new(evs.clone(), group_pairs(ctx.store, &spec.group_by, &vals));
            for (k, v) in [
                ("value", format_number(*value)),
                ("mean", format_number(mean)),
                ("stddev", format_number(stddev)),
                ("threshold", format_number(threshold.max(spec.floor))),
                ("bucket", format_duration(size)),
                ("bucket_start", format_timestamp(start)),
                ("baseline_days", baseline.days.to_string()),
            ] {
                d.vars.push((k.into(), v));
            }
            d.details.push((
                "bucket".into(),
                format!(
                    "{} – {}",
                    format_timestamp(start),
                    format_timestamp(start + size)
                ),
            ));
            d.details.push((
                format!("{} in bucket", spec.metric.name),
                format_number(*value),
            ));
            d.details.push((
                "baseline".into(),
                format!(
                    "mean {} σ {} over {} buckets of {} (first {} days); alert above mean + {}σ = {} and at least {}",
                    format_number(mean),
                    format_number(stddev),
                    n_base,
                    format_duration(size),
                    baseline.days,
                    format_number(spec.k),
                    format_number(threshold),
                    format_number(spec.floor)
                ),
            ));
            alerts.push(finish(ctx, d));
        }
    }
    alerts
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;

    fn rule(metric: &str, floor: u32) -> String {
        header("\"management\"")
            + &format!(
                r#"
[filter]
field = "event.action"
in = ["ListFoundationModels", "GetFoundationModel"]
[outlier]
group_by = ["user.principal"]
bucket = "1h"
metric = "{metric}"
k = 3
floor = {floor}
"#
            )
    }

    fn baseline() -> Vec<Ev> {
        // Two calls every six hours for seven days.
        (0..28)
            .flat_map(|i| {
                let t = T0 + i * 6 * HOUR;
                [
                    Ev::ct(t, "ListFoundationModels").user("a"),
                    Ev::ct(t + MIN, "GetFoundationModel").user("a"),
                ]
            })
            .collect()
    }

    #[test]
    fn spikes_above_mean_plus_k_sigma_and_floor() {
        let mut evs = baseline();
        let spike = T0 + 8 * DAY + 5 * HOUR;
        evs.extend((0..12).map(|i| Ev::ct(spike + i * MIN, "ListFoundationModels").user("a")));
        evs.extend((0..3).map(|i| Ev::ct(spike + 2 * HOUR + i, "ListFoundationModels").user("a")));
        let a = alerts(&rule("count()", 10), evs.clone(), None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].count, 12);
        assert_eq!(a[0].group[0].1, "a");
        // The floor keeps small spikes quiet.
        assert!(alerts(&rule("count()", 13), evs, None).is_empty());
    }

    #[test]
    fn new_keys_have_a_zero_baseline() {
        let mut evs = baseline();
        evs.extend((0..10).map(|i| Ev::ct(T0 + 8 * DAY + i, "ListFoundationModels").user("new")));
        let a = alerts(&rule("count()", 10), evs, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].group[0].1, "new");
        assert!(a[0].title.contains("10"), "{}", a[0].title);
    }
}
