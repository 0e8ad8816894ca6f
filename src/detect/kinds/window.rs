//! Metrics over windows of a group's events, shared by `threshold` and `aggregate`: tumbling buckets
//! aligned to the epoch, or a sliding window in which events are less than the window length apart.
//! Sliding windows that satisfy the condition and overlap are merged into one episode, so a long
//! burst is one alert citing every event that took part.

use super::Ctx;
use crate::detect::expr::Expr;
use crate::detect::key::KeyVal;
use crate::detect::rule::{Metric, MetricFn, Window};
use crate::model::Value;
use hashbrown::HashMap;
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq)]
struct OrdF64(f64);

impl Eq for OrdF64 {}

impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrdF64 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// One metric's values on one event.
enum Vals {
    None,
    Num(f64),
    Nums(Vec<f64>),
    Keys(Vec<KeyVal>),
}

#[derive(Default)]
struct Acc {
    events: u64,
    present: u64,
    sum: f64,
    ordered: BTreeMap<OrdF64, u32>,
    distinct: HashMap<KeyVal, u32>,
}

impl Acc {
    fn add(&mut self, func: MetricFn, v: &Vals) {
        self.events += 1;
        match v {
            Vals::None => {}
            Vals::Num(x) => self.add_num(func, *x),
            Vals::Nums(xs) => {
                for &x in xs {
                    self.present += 1;
                    self.sum += x;
                    if matches!(func, MetricFn::Min | MetricFn::Max) {
                        *self.ordered.entry(OrdF64(x)).or_insert(0) += 1;
                    }
                }
            }
            Vals::Keys(ks) => {
                for k in ks {
                    *self.distinct.entry(k.clone()).or_insert(0) += 1;
                }
            }
        }
    }

    fn remove(&mut self, func: MetricFn, v: &Vals) {
        self.events -= 1;
        match v {
            Vals::None => {}
            Vals::Num(x) => self.remove_num(func, *x),
            Vals::Nums(xs) => {
                for &x in xs {
                    self.present -= 1;
                    self.sum -= x;
                    if matches!(func, MetricFn::Min | MetricFn::Max) {
                        if let Some(n) = self.ordered.get_mut(&OrdF64(x)) {
                            *n -= 1;
                            if *n == 0 {
                                self.ordered.remove(&OrdF64(x));
                            }
                        }
                    }
                }
            }
            Vals::Keys(ks) => {
                for k in ks {
                    if let Some(n) = self.distinct.get_mut(k) {
                        *n -= 1;
                        if *n == 0 {
                            self.distinct.remove(k);
                        }
                    }
                }
            }
        }
    }

    fn add_num(&mut self, func: MetricFn, x: f64) {
        self.present += 1;
        self.sum += x;
        if matches!(func, MetricFn::Min | MetricFn::Max) {
            *self.ordered.entry(OrdF64(x)).or_insert(0) += 1;
        }
    }

    fn remove_num(&mut self, func: MetricFn, x: f64) {
        self.present -= 1;
        self.sum -= x;
        if matches!(func, MetricFn::Min | MetricFn::Max) {
            if let Some(n) = self.ordered.get_mut(&OrdF64(x)) {
                *n -= 1;
                if *n == 0 {
                    self.ordered.remove(&OrdF64(x));
                }
            }
        }
    }

    fn value(&self, func: MetricFn) -> f64 {
        match func {
            MetricFn::Count => self.events as f64,
            MetricFn::Sum => self.sum,
            MetricFn::Mean if self.present > 0 => self.sum / self.present as f64,
            MetricFn::Mean => f64::NAN,
            MetricFn::Min => self.ordered.keys().next().map_or(f64::NAN, |k| k.0),
            MetricFn::Max => self.ordered.keys().next_back().map_or(f64::NAN, |k| k.0),
            MetricFn::Distinct => self.distinct.len() as f64,
        }
    }
}

/// A window (or merged run of windows) that satisfied the condition.
pub struct Episode {
    pub events: Vec<u32>,
    /// Metric and computed values over all the episode's events, by name.
    pub values: Vec<(String, f64)>,
    pub bucket_start: Option<i64>,
}

pub struct Evaluator<'a> {
    window: Window,
    metrics: &'a [Metric],
    computed: &'a [(String, Expr)],
    /// Computed values and the condition with variables bound to slots (metrics first).
    bound_computed: Vec<Expr>,
    bound_condition: Expr,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        window: Window,
        metrics: &'a [Metric],
        computed: &'a [(String, Expr)],
        condition: &Expr,
    ) -> Evaluator<'a> {
        let names: Vec<&str> = metrics
            .iter()
            .map(|m| m.name.as_str())
            .chain(computed.iter().map(|(n, _)| n.as_str()))
            .collect();
        Evaluator {
            window,
            metrics,
            computed,
            bound_computed: computed.iter().map(|(_, e)| e.bind(&names)).collect(),
            bound_condition: condition.bind(&names),
        }
    }

    fn value_of(&self, ctx: &Ctx, m: &Metric, i: u32) -> Vals {
        let e = ctx.event(i);
        let Some(k) = &m.key else {
            return Vals::None;
        };
        if m.func == MetricFn::Distinct {
            let mut out = Vec::new();
            k.eval(ctx.store, e, &mut out);
            return Vals::Keys(out);
        }
        // Numeric fields (token counts) are read directly: this runs for every event of a group.
        if let Some(field) = k.as_field() {
            return match field.get(e) {
                Value::Num(n) => Vals::Num(n as f64),
                Value::Missing => Vals::None,
                Value::Str(s) => ctx
                    .store
                    .str(s)
                    .trim()
                    .parse()
                    .map_or(Vals::None, Vals::Num),
                Value::Static(_) => Vals::None,
            };
        }
        let mut out = Vec::new();
        k.eval(ctx.store, e, &mut out);
        Vals::Nums(
            out.iter()
                .filter_map(|v| match v {
                    KeyVal::Num(n) => Some(*n as f64),
                    other => other.render(ctx.store).trim().parse().ok(),
                })
                .collect(),
        )
    }

    /// Metric values then computed values, in declaration order.
    fn fill(&self, accs: &[Acc], buf: &mut Vec<f64>) {
        buf.clear();
        buf.extend(self.metrics.iter().zip(accs).map(|(m, a)| a.value(m.func)));
        for e in &self.bound_computed {
            let v = e.eval_slots(buf);
            buf.push(v);
        }
    }

    fn holds(&self, accs: &[Acc], buf: &mut Vec<f64>) -> bool {
        self.fill(accs, buf);
        let v = self.bound_condition.eval_slots(buf);
        v != 0.0 && !v.is_nan()
    }

    fn named(&self, buf: &[f64]) -> Vec<(String, f64)> {
        self.metrics
            .iter()
            .map(|m| m.name.clone())
            .chain(self.computed.iter().map(|(n, _)| n.clone()))
            .zip(buf.iter().copied())
            .collect()
    }

    fn episode(&self, ctx: &Ctx, events: Vec<u32>, bucket_start: Option<i64>) -> Episode {
        let mut accs: Vec<Acc> = self.metrics.iter().map(|_| Acc::default()).collect();
        for &i in &events {
            for (acc, m) in accs.iter_mut().zip(self.metrics) {
                acc.add(m.func, &self.value_of(ctx, m, i));
            }
        }
        let mut buf = Vec::new();
        self.fill(&accs, &mut buf);
        Episode {
            values: self.named(&buf),
            events,
            bucket_start,
        }
    }

    /// Episodes of one group (events in time order).
    pub fn run(&self, ctx: &Ctx, events: &[u32]) -> Vec<Episode> {
        match self.window {
            Window::Bucket(size) => self.buckets(ctx, events, size),
            Window::Sliding(len) => self.sliding(ctx, events, len),
        }
    }

    fn buckets(&self, ctx: &Ctx, events: &[u32], size: i64) -> Vec<Episode> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < events.len() {
            let bucket = ctx.event(events[start]).ts.div_euclid(size);
            let mut end = start;
            while end < events.len() && ctx.event(events[end]).ts.div_euclid(size) == bucket {
                end += 1;
            }
            let ep = self.episode(ctx, events[start..end].to_vec(), Some(bucket * size));
            let vals: Vec<f64> = ep.values.iter().map(|(_, v)| *v).collect();
            let v = self.bound_condition.eval_slots(&vals);
            if v != 0.0 && !v.is_nan() {
                out.push(ep);
            }
            start = end;
        }
        out
    }

    fn sliding(&self, ctx: &Ctx, events: &[u32], len: i64) -> Vec<Episode> {
        let m = self.metrics.len();
        let vals: Vec<Vals> = events
            .iter()
            .flat_map(|&i| self.metrics.iter().map(move |metric| (metric, i)))
            .map(|(metric, i)| self.value_of(ctx, metric, i))
            .collect();
        let mut accs: Vec<Acc> = self.metrics.iter().map(|_| Acc::default()).collect();
        let mut buf = Vec::new();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut left = 0;
        for right in 0..events.len() {
            for ((acc, metric), v) in accs
                .iter_mut()
                .zip(self.metrics)
                .zip(&vals[right * m..(right + 1) * m])
            {
                acc.add(metric.func, v);
            }
            let now = ctx.event(events[right]).ts;
            while now - ctx.event(events[left]).ts >= len {
                for ((acc, metric), v) in accs
                    .iter_mut()
                    .zip(self.metrics)
                    .zip(&vals[left * m..(left + 1) * m])
                {
                    acc.remove(metric.func, v);
                }
                left += 1;
            }
            if self.holds(&accs, &mut buf) {
                match ranges.last_mut() {
                    Some(last) if left <= last.1 => last.1 = right,
                    _ => ranges.push((left, right)),
                }
            }
        }
        ranges
            .into_iter()
            .map(|(a, b)| self.episode(ctx, events[a..=b].to_vec(), None))
            .collect()
    }
}
