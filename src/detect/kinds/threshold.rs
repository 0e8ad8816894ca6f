//! `threshold`: a count (or a distinct count) per group key in a tumbling bucket or a sliding
//! window, compared exactly as the rule states (`count > 3` is not `count >= 3`).

use super::window::Evaluator;
use super::{finish, group_pairs, grouped, window_detail, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::expr::format_number;
use crate::detect::rule::{format_duration, Metric, MetricFn, ThresholdSpec, Window};

pub fn run(ctx: &Ctx, spec: &ThresholdSpec) -> Vec<Alert> {
    let mut metrics = vec![Metric {
        name: "count".into(),
        func: MetricFn::Count,
        key: None,
    }];
    if let Some(d) = &spec.distinct {
        metrics.push(Metric {
            name: "distinct".into(),
            func: MetricFn::Distinct,
            key: Some(d.clone()),
        });
    }
    let eval = Evaluator::new(spec.window, &metrics, &[], &spec.condition);
    let len = match spec.window {
        Window::Bucket(l) | Window::Sliding(l) => l,
    };
    let mut alerts = Vec::new();
    for (vals, events) in grouped(ctx, &spec.group_by) {
        for ep in eval.run(ctx, &events) {
            let mut d = Draft::new(ep.events, group_pairs(ctx.store, &spec.group_by, &vals));
            d.vars.push(("window".into(), format_duration(len)));
            d.details
                .push(("window".into(), window_detail(spec.window, ep.bucket_start)));
            d.details
                .push(("condition".into(), spec.condition.to_string()));
            if let (Some(key), Some((_, v))) = (&spec.distinct, ep.values.get(1)) {
                d.vars.push(("distinct".into(), format_number(*v)));
                d.details
                    .push((format!("distinct {key}"), format_number(*v)));
            }
            alerts.push(finish(ctx, d));
        }
    }
    alerts
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;

    fn rule(window: &str, cond: &str, extra: &str) -> String {
        header("\"invocation\"")
            + &format!(
                r#"
[filter]
field = "error.code"
eq = "ValidationException"
[threshold]
group_by = ["user.arn", "cloud.account.id"]
{window}
condition = "{cond}"
{extra}
"#
            )
    }

    fn ev(ts: i64, user: &str) -> Ev {
        Ev::inv(ts)
            .user(user)
            .set("account", "111")
            .set("error_code", "ValidationException")
    }

    #[test]
    fn minute_buckets_are_aligned_and_strict() {
        let r = rule("bucket = \"1m\"", "count > 3", "");
        let four: Vec<Ev> = (0..4).map(|i| ev(T0 + i * 1000, "a")).collect();
        let a = alerts(&r, four, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].count, 4);
        assert_eq!(
            a[0].group,
            [
                ("user.arn".to_string(), "a".to_string()),
                ("cloud.account.id".into(), "111".into())
            ]
        );
        let three: Vec<Ev> = (0..3).map(|i| ev(T0 + i * 1000, "a")).collect();
        assert!(alerts(&r, three, None).is_empty());
        // Two in one minute and two in the next never make one bucket of four.
        let straddle: Vec<Ev> = [-2000, -1000, 1000, 2000]
            .iter()
            .map(|d| ev(T0 + MIN + d, "a"))
            .collect();
        assert!(alerts(&r, straddle, None).is_empty());
        let mixed: Vec<Ev> = (0..4)
            .map(|i| ev(T0 + i, if i % 2 == 0 { "a" } else { "b" }))
            .collect();
        assert!(alerts(&r, mixed, None).is_empty());
    }

    #[test]
    fn sliding_windows_merge_into_episodes() {
        let r = rule("window = \"60m\"", "count > 5", "");
        let six: Vec<Ev> = (0..6).map(|i| ev(T0 + i * 11 * MIN, "a")).collect();
        let a = alerts(&r, six, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].count, 6);
        let spread: Vec<Ev> = (0..6).map(|i| ev(T0 + i * 12 * MIN, "a")).collect();
        assert!(alerts(&r, spread, None).is_empty());
        // A long burst is one alert with every event; a later burst is another.
        let mut burst: Vec<Ev> = (0..20).map(|i| ev(T0 + i * 5 * MIN, "a")).collect();
        burst.extend((0..6).map(|i| ev(T0 + 10 * HOUR + i * MIN, "a")));
        let a = alerts(&r, burst, None);
        assert_eq!(a.iter().map(|a| a.count).collect::<Vec<_>>(), [20, 6]);
    }

    #[test]
    fn distinct_counts() {
        let r = rule(
            "window = \"10m\"",
            "distinct >= 3",
            "distinct = \"gen_ai.request.model.id\"",
        );
        let evs: Vec<Ev> = ["m1", "m2", "m1", "m3"]
            .iter()
            .enumerate()
            .map(|(i, m)| ev(T0 + i as i64 * MIN, "a").set("model_id", m))
            .collect();
        let a = alerts(&r, evs, None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].count, 4);
        assert_eq!(a[0].entity.get("model"), ["m1", "m2", "m3"]);
    }
}
