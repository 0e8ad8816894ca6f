//! `match`: every matching event alerts; events with the same group key within the suppression
//! window (measured from the alert's first event) join one alert and raise its count. Optionally the
//! severity is raised for events whose key (e.g. the creating role) never appeared in the baseline.

use super::{finish, group_of, group_pairs, Ctx, Draft};
use crate::detect::alert::Alert;
use crate::detect::enrich;
use crate::detect::key::KeyVal;
use crate::detect::rule::{Enrich, MatchSpec};
use hashbrown::{HashMap, HashSet};

struct Open {
    first_ts: i64,
    events: Vec<u32>,
}

pub fn run(ctx: &Ctx, spec: &MatchSpec) -> Vec<Alert> {
    let store = ctx.store;
    let known: Option<HashSet<KeyVal>> = match (&spec.escalate, ctx.baseline) {
        (Some(esc), Some(b)) => Some(
            ctx.events
                .iter()
                .map(|&i| ctx.event(i))
                .take_while(|e| e.ts < b.end)
                .filter_map(|e| esc.key.first(store, e))
                .collect(),
        ),
        _ => None,
    };
    let mut open: HashMap<(Vec<KeyVal>, bool), Open> = HashMap::new();
    let mut done: Vec<((Vec<KeyVal>, bool), Open)> = Vec::new();
    for &i in &ctx.events {
        let e = ctx.event(i);
        let Some(vals) = group_of(store, &spec.group_by, e) else {
            continue;
        };
        let new = match (&spec.escalate, &known, ctx.baseline) {
            (Some(esc), Some(known), Some(b)) if e.ts >= b.end => {
                esc.key.first(store, e).is_some_and(|v| !known.contains(&v))
            }
            _ => false,
        };
        let key = (vals, new);
        let joins = spec.suppress_ms > 0
            && open
                .get(&key)
                .is_some_and(|o| e.ts - o.first_ts <= spec.suppress_ms);
        if joins {
            if let Some(o) = open.get_mut(&key) {
                o.events.push(i);
            }
            continue;
        }
        let fresh = Open {
            first_ts: e.ts,
            events: vec![i],
        };
        if let Some(old) = open.insert(key.clone(), fresh) {
            done.push((key, old));
        }
    }
    done.extend(open);
    let mut alerts = Vec::with_capacity(done.len());
    for ((vals, new), o) in done {
        let mut d = Draft::new(o.events, group_pairs(store, &spec.group_by, &vals));
        if let Some(esc) = &spec.escalate {
            if new {
                d.severity = Some(esc.severity);
                d.risk_score = Some(esc.risk_score);
                d.details.push(("baseline".into(), esc.note.clone()));
            } else if let Some(gap) = &ctx.baseline_gap {
                d.details
                    .push(("baseline".into(), format!("severity not raised: {gap}")));
            }
        }
        match spec.enrich {
            Some(Enrich::LoggingConfigDiff) => d
                .details
                .extend(enrich::logging_config_diff(ctx, &d.events)),
            Some(Enrich::KeywordGroups) => d.details.extend(enrich::keyword_groups(ctx, &d.events)),
            None => {}
        }
        alerts.push(finish(ctx, d));
    }
    alerts
}

#[cfg(test)]
mod tests {
    use crate::detect::testkit::*;
    use crate::detect::Severity;

    fn rule(suppress: &str) -> String {
        header("\"management\"")
            + &format!(
                r#"
[filter]
field = "event.action"
eq = "DeleteGuardrail"
[match]
group_by = ["user.principal"]
suppress = "{suppress}"
"#
            )
    }

    #[test]
    fn groups_within_the_suppression_window() {
        let evs = vec![
            Ev::ct(T0, "DeleteGuardrail").user("a"),
            Ev::ct(T0 + 30 * MIN, "DeleteGuardrail").user("a"),
            Ev::ct(T0 + 61 * MIN, "DeleteGuardrail").user("a"),
            Ev::ct(T0 + MIN, "DeleteGuardrail").user("b"),
            Ev::ct(T0 + MIN, "UpdateGuardrail").user("b"),
        ];
        let a = alerts(&rule("1h"), evs.clone(), None);
        let got: Vec<(&str, u64)> = a.iter().map(|a| (a.group[0].1.as_str(), a.count)).collect();
        assert_eq!(got, [("a", 2), ("b", 1), ("a", 1)]);
        assert_eq!(a[0].evidence.len(), 2);
        assert_eq!(a[0].title, "2 events");
        assert_eq!(alerts(&rule("0"), evs, None).len(), 4);
    }

    #[test]
    fn plural_placeholders_agree_with_the_count() {
        let src = rule("1h").replace(
            "title = \"{count} events\"",
            "title = \"{user.principal} ran {count} {count|delete|deletes}\"",
        );
        let evs = vec![
            Ev::ct(T0, "DeleteGuardrail").user("a"),
            Ev::ct(T0 + MIN, "DeleteGuardrail").user("a"),
            Ev::ct(T0 + MIN, "DeleteGuardrail").user("b"),
        ];
        let titles: Vec<String> = alerts(&src, evs, None)
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(titles, ["a ran 2 deletes", "b ran 1 delete"]);
    }

    #[test]
    fn severity_rises_for_roles_new_since_the_baseline() {
        let src = header("\"management\"")
            + r#"
[filter]
field = "event.action"
eq = "CreateAgent"
[match]
group_by = ["user.principal"]
suppress = "0"
[match.escalate]
when_new = "coalesce(user.session_issuer, user.arn)"
severity = "high"
risk_score = 80
note = "new role"
"#;
        let evs = vec![
            Ev::ct(T0, "CreateAgent")
                .user("s1")
                .set("session_issuer", "role/dev"),
            Ev::ct(T0 + 8 * DAY, "CreateAgent")
                .user("s2")
                .set("session_issuer", "role/dev"),
            Ev::ct(T0 + 8 * DAY, "CreateAgent")
                .user("s3")
                .set("session_issuer", "role/other"),
            Ev::ct(T0 + 9 * DAY, "CreateAgent").user("arn:user/x"),
        ];
        let a = alerts(&src, evs.clone(), None);
        let sev: Vec<(&str, Severity)> = a
            .iter()
            .map(|a| (a.group[0].1.as_str(), a.severity))
            .collect();
        assert_eq!(
            sev,
            [
                ("s1", Severity::Medium),
                ("s2", Severity::Medium),
                ("s3", Severity::High),
                ("arn:user/x", Severity::High)
            ]
        );
        assert_eq!(a[2].risk_score, 80);
        assert_eq!(a[2].detail("baseline"), Some("new role"));
        let short = alerts(&src, evs[..1].to_vec(), None);
        assert_eq!(short[0].severity, Severity::Medium);
        assert_eq!(
            short[0].detail("baseline"),
            Some("severity not raised: log set spans 0 days, baseline needs 7")
        );
    }
}
