//! `aggregate`: several metrics per group key and window (count, sum, min, max, mean, distinct),
//! values computed from them (a risk formula), and a condition over both.

use super::window::Evaluator;
use super::{finish, group_pairs, grouped, window_detail, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::expr::format_number;
use crate::detect::rule::{format_duration, AggregateSpec, Window};

pub fn run(ctx: &Ctx, spec: &AggregateSpec) -> Vec<Alert> {
    let eval = Evaluator::new(spec.window, &spec.metrics, &spec.computed, &spec.condition);
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
            for (name, v) in &ep.values {
                d.vars.push((name.clone(), format_number(*v)));
                d.details.push((name.clone(), format_number(*v)));
            }
            d.details
                .push(("condition".into(), spec.condition.to_string()));
            alerts.push(finish(ctx, d));
        }
    }
    alerts
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;

    const RULE: &str = r#"
[filter]
field = "user.arn"
exists = true
[aggregate]
group_by = ["user.arn"]
window = "60m"
condition = "max_prompt > 5000 and n > 10 and mean_completion > 500 and risk > 10"
[aggregate.metrics]
max_prompt = "max(gen_ai.usage.prompt_tokens)"
n = "count()"
mean_completion = "mean(gen_ai.usage.completion_tokens)"
[aggregate.computed]
risk = "(max_prompt / 1000) * n * (mean_completion / 500)"
"#;

    #[test]
    fn metrics_and_risk_formula() {
        let r = header("\"invocation\"") + RULE;
        let heavy: Vec<Ev> = (0..11)
            .map(|i| {
                Ev::inv(T0 + i * MIN)
                    .user("a")
                    .tokens(if i == 3 { 6000 } else { 100 }, 600)
            })
            .collect();
        let a = alerts(&r, heavy.clone(), None);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].count, 11);
        assert_eq!(a[0].detail("max_prompt"), Some("6000"));
        assert_eq!(a[0].detail("risk"), Some("79.20"));
        // Ten invocations are not more than ten.
        assert!(alerts(&r, heavy[..10].to_vec(), None).is_empty());
        let short: Vec<Ev> = (0..11)
            .map(|i| Ev::inv(T0 + i * MIN).user("a").tokens(6000, 400))
            .collect();
        assert!(alerts(&r, short, None).is_empty());
    }
}
