//! `sequence`: ordered steps by the same key (the `by` keys plus an optional join value each step
//! computes, e.g. the S3 bucket) with the whole chain inside a span. Completed chains with the same
//! key form one alert; it cites the chain and the earlier-step events inside the span, and its
//! count is the number of those events (the number of completed chains is a detail).

use super::{finish, group_of, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::key::KeyVal;
use crate::detect::matcher::Node;
use crate::detect::rule::{format_duration, SequenceSpec};
use hashbrown::HashMap;

#[derive(Default)]
struct State {
    /// Per step, events (store indices, ascending) that matched it for this key.
    steps: Vec<Vec<u32>>,
}

#[derive(Default)]
struct Completed {
    count: u64,
    events: Vec<u32>,
}

pub fn run(ctx: &Ctx, spec: &SequenceSpec) -> Result<Vec<Alert>, String> {
    let store = ctx.store;
    let top = Node::compile(&ctx.rule.filter, ctx.env)?;
    let steps: Vec<Node> = spec
        .steps
        .iter()
        .map(|s| Node::compile(&s.filter, ctx.env))
        .collect::<Result<_, _>>()?;
    let last = spec.steps.len().saturating_sub(1);
    let mut states: HashMap<Vec<KeyVal>, State> = HashMap::new();
    let mut done: HashMap<Vec<KeyVal>, Completed> = HashMap::new();
    let mut order: Vec<Vec<KeyVal>> = Vec::new();
    let mut joins = Vec::new();
    for &i in ctx.strand_events.iter() {
        let e = ctx.event(i);
        if !top.matches(store, e) {
            continue;
        }
        for (j, node) in steps.iter().enumerate() {
            if !node.matches(store, e) {
                continue;
            }
            let Some(by) = group_of(store, &spec.by, e) else {
                continue;
            };
            joins.clear();
            if spec.join_name.is_some() {
                for k in &spec.steps[j].join {
                    k.eval(store, e, &mut joins);
                }
                joins.sort();
                joins.dedup();
            } else {
                joins.push(KeyVal::Static(""));
            }
            for jv in &joins {
                let mut key = by.clone();
                key.push(jv.clone());
                let st = states.entry(key.clone()).or_insert_with(|| State {
                    steps: vec![Vec::new(); spec.steps.len()],
                });
                let horizon = e.ts - spec.within_ms;
                for list in st.steps.iter_mut() {
                    let old = list.partition_point(|&x| ctx.event(x).ts < horizon);
                    list.drain(..old);
                }
                if j < last {
                    st.steps[j].push(i);
                    continue;
                }
                // Latest earlier match for each previous step keeps the chain as short as possible.
                let mut chain = vec![i];
                let mut bound = i;
                for s in (0..last).rev() {
                    match st.steps[s].iter().rev().find(|&&x| x < bound) {
                        Some(&x) => {
                            chain.push(x);
                            bound = x;
                        }
                        None => break,
                    }
                }
                if chain.len() != spec.steps.len() {
                    continue;
                }
                let entry = done.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    Completed::default()
                });
                entry.count += 1;
                entry.events.extend(chain);
                for list in &st.steps[..last] {
                    entry.events.extend(list.iter().copied().filter(|&x| x < i));
                }
            }
        }
    }
    let mut alerts = Vec::new();
    for key in order {
        let Some(c) = done.remove(&key) else { continue };
        let mut group: Vec<(String, String)> = spec
            .by
            .iter()
            .zip(&key)
            .map(|(k, v)| (k.name.clone(), v.render(store).into_owned()))
            .collect();
        let mut events = c.events;
        events.sort_unstable();
        events.dedup();
        let d_count = events.len() as u64;
        let mut d = Draft::new(events, Vec::new());
        d.count = d_count;
        if let (Some(name), Some(v)) = (&spec.join_name, key.last()) {
            let v = v.render(store).into_owned();
            group.push((name.clone(), v.clone()));
            d.vars.push((name.clone(), v));
        }
        d.group = group;
        let names: Vec<&str> = spec.steps.iter().map(|s| s.name.as_str()).collect();
        d.vars.push(("steps".into(), names.join(" → ")));
        d.details.push((
            "sequence".into(),
            format!(
                "{} within {}",
                names.join(" → "),
                format_duration(spec.within_ms)
            ),
        ));
        d.details
            .push(("completed sequences".into(), c.count.to_string()));
        alerts.push(finish(ctx, d));
    }
    Ok(alerts)
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;
    use crate::model::Strand;

    fn rule() -> String {
        header("\"management\", \"data\"")
            + r#"
[sequence]
by = ["user.principal"]
within = "24h"
join = "bucket"
[[sequence.steps]]
name = "put"
filter = { field = "event.action", eq = "PutObject" }
join = ["requestParameters.bucketName"]
[[sequence.steps]]
name = "job"
filter = { field = "event.action", eq = "CreateModelCustomizationJob" }
join = ["s3_bucket(requestParameters.trainingDataConfig.s3Uri)", "s3_bucket(requestParameters.validationDataConfig.validators.*.s3Uri)"]
"#
    }

    fn put(ts: i64, user: &str, bucket: &str) -> Ev {
        Ev::new(Strand::Data, ts, "PutObject")
            .user(user)
            .attr("requestParameters.bucketName", bucket)
    }

    fn job(ts: i64, user: &str, train: &str) -> Ev {
        Ev::ct(ts, "CreateModelCustomizationJob")
            .user(user)
            .attr("requestParameters.trainingDataConfig.s3Uri", train)
    }

    #[test]
    fn ordered_steps_on_the_same_bucket() {
        let evs = vec![
            put(T0, "a", "train"),
            put(T0 + MIN, "a", "train"),
            put(T0 + MIN, "a", "other"),
            job(T0 + HOUR, "a", "s3://train/data/set.jsonl"),
            job(T0 + HOUR, "b", "s3://train/data/set.jsonl"),
        ];
        let a = alerts(&rule(), evs, None);
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].group,
            [
                ("user.principal".to_string(), "a".to_string()),
                ("bucket".into(), "train".into())
            ]
        );
        assert_eq!(a[0].count, 3);
        assert_eq!(a[0].evidence.len(), 3);
        assert_eq!(a[0].detail("completed sequences"), Some("1"));
    }

    #[test]
    fn order_span_and_validation_data() {
        assert!(alerts(
            &rule(),
            vec![job(T0, "a", "s3://train/x"), put(T0 + MIN, "a", "train")],
            None
        )
        .is_empty());
        assert!(alerts(
            &rule(),
            vec![
                put(T0, "a", "train"),
                job(T0 + 25 * HOUR, "a", "s3://train/x")
            ],
            None
        )
        .is_empty());
        let v = job(T0 + HOUR, "a", "s3://elsewhere/x").attr(
            "requestParameters.validationDataConfig.validators.0.s3Uri",
            "s3://val/y",
        );
        let a = alerts(&rule(), vec![put(T0, "a", "val"), v], None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].group[1].1, "val");
    }
}
