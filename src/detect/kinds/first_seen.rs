//! `first_seen`: a value (per entity, or across the whole log set) that never appeared during the
//! baseline. One alert per new value, citing every occurrence after the baseline.

use super::{finish, group_of, group_pairs, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::key::KeyVal;
use crate::detect::rule::FirstSeenSpec;
use hashbrown::{HashMap, HashSet};

pub fn run(ctx: &Ctx, spec: &FirstSeenSpec) -> Vec<Alert> {
    let Some(baseline) = ctx.baseline else {
        return Vec::new();
    };
    let mut keys = spec.per.clone();
    keys.push(spec.value.clone());
    let mut known: HashSet<Vec<KeyVal>> = HashSet::new();
    let mut fresh: HashMap<Vec<KeyVal>, usize> = HashMap::new();
    let mut groups: Vec<(Vec<KeyVal>, Vec<u32>)> = Vec::new();
    for &i in &ctx.events {
        let e = ctx.event(i);
        let Some(vals) = group_of(ctx.store, &keys, e) else {
            continue;
        };
        if e.ts < baseline.end {
            known.insert(vals);
            continue;
        }
        if known.contains(&vals) {
            continue;
        }
        match fresh.get(&vals) {
            Some(&g) => groups[g].1.push(i),
            None => {
                fresh.insert(vals.clone(), groups.len());
                groups.push((vals, vec![i]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(vals, events)| {
            let value = vals
                .last()
                .map(|v| v.render(ctx.store).into_owned())
                .unwrap_or_default();
            let mut d = Draft::new(events, group_pairs(ctx.store, &keys, &vals));
            d.vars.push(("value".into(), value));
            d.vars
                .push(("baseline_days".into(), baseline.days.to_string()));
            d.details.push((
                "baseline".into(),
                format!(
                    "not seen in the first {} days of the log set (until {})",
                    baseline.days,
                    crate::model::time::format_timestamp(baseline.end)
                ),
            ));
            finish(ctx, d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;
    use crate::detect::RuleResult;

    fn rule(per: &str) -> String {
        header("\"management\"")
            + &format!(
                r#"
[filter]
field = "event.provider"
eq = "bedrock.amazonaws.com"
[first_seen]
value = "event.action"
per = [{per}]
"#
            )
    }

    fn history() -> Vec<Ev> {
        vec![
            Ev::ct(T0, "ListFoundationModels").user("a"),
            Ev::ct(T0 + DAY, "InvokeModel").user("b"),
            Ev::ct(T0 + 8 * DAY, "ListFoundationModels").user("a"),
            Ev::ct(T0 + 8 * DAY, "InvokeModel").user("a"),
            Ev::ct(T0 + 9 * DAY, "InvokeModel").user("a"),
            Ev::ct(T0 + 9 * DAY, "DeleteGuardrail").user("b"),
        ]
    }

    #[test]
    fn per_entity_and_global() {
        let a = alerts(&rule("\"user.principal\""), history(), None);
        let got: Vec<(String, u64)> = a
            .iter()
            .map(|a| (format!("{}:{}", a.group[0].1, a.group[1].1), a.count))
            .collect();
        assert_eq!(
            got,
            [
                ("a:InvokeModel".to_string(), 2),
                ("b:DeleteGuardrail".to_string(), 1)
            ]
        );
        let a = alerts(&rule(""), history(), None);
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].group,
            [("event.action".to_string(), "DeleteGuardrail".to_string())]
        );
    }

    #[test]
    fn short_log_sets_are_not_evaluated() {
        match run_rule(&rule(""), history()[..2].to_vec(), None) {
            RuleResult::NotEvaluated(r) => assert_eq!(r, "log set spans 1 days, baseline needs 7"),
            other => panic!("{other:?}"),
        }
        // An explicit zero-day baseline makes every value new.
        assert_eq!(alerts(&rule(""), history()[..2].to_vec(), Some(0)).len(), 2);
    }
}
