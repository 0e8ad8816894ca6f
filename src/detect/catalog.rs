//! The rule catalogue for people: `strata rules` (one line per rule) and `strata rules show ID`
//! (metadata, logic, guide).

use super::engine::RuleSet;
use super::rule::{format_duration, Kind, Rule, Window};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

fn window_text(w: Window) -> String {
    match w {
        Window::Bucket(b) => format!("{} tumbling buckets", format_duration(b)),
        Window::Sliding(l) => format!("sliding {} window", format_duration(l)),
    }
}

/// One line per kind-specific setting, for `strata rules show`.
pub fn logic_summary(rule: &Rule) -> String {
    let names = |keys: &[crate::detect::rule::GroupKey]| {
        keys.iter()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &rule.kind {
        Kind::Match(m) => format!(
            "match: every event, grouped by [{}], suppression {}{}",
            names(&m.group_by),
            if m.suppress_ms == 0 {
                "none (one alert per event)".to_string()
            } else {
                format_duration(m.suppress_ms)
            },
            m.escalate
                .as_ref()
                .map(|e| format!(
                    "; severity {} when {} is new since the baseline",
                    e.severity, e.key
                ))
                .unwrap_or_default()
        ),
        Kind::Threshold(t) => format!(
            "threshold: per [{}], {}, alert when {}",
            names(&t.group_by),
            window_text(t.window),
            t.condition
        ),
        Kind::Aggregate(a) => format!(
            "aggregate: per [{}], {}, metrics {}, alert when {}",
            names(&a.group_by),
            window_text(a.window),
            a.metrics
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            a.condition
        ),
        Kind::FirstSeen(f) => format!(
            "first_seen: {} new {} since the baseline",
            if f.per.is_empty() {
                "globally".to_string()
            } else {
                format!("per [{}]", names(&f.per))
            },
            f.value.name
        ),
        Kind::Outlier(o) => format!(
            "outlier: per [{}], {} buckets, value above baseline mean + {}σ and at least {}",
            names(&o.group_by),
            format_duration(o.bucket_ms),
            o.k,
            o.floor
        ),
        Kind::Sequence(s) => format!(
            "sequence: by [{}]{}, steps {} within {}",
            names(&s.by),
            s.join_name
                .as_ref()
                .map(|j| format!(" and {j}"))
                .unwrap_or_default(),
            s.steps
                .iter()
                .map(|st| st.name.as_str())
                .collect::<Vec<_>>()
                .join(" → "),
            format_duration(s.within_ms)
        ),
    }
}

/// `strata rules`: one line per rule.
pub fn write_rule_list(out: &mut dyn Write, set: &RuleSet) -> io::Result<()> {
    let w = set
        .rules
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{}  {:<10}  {:<8}  {:>4}  {:<22}  MIRRORS",
        pad("ID", w),
        "KIND",
        "SEVERITY",
        "RISK",
        "STRANDS"
    )?;
    for r in &set.rules {
        let strands: Vec<String> = r
            .strands
            .iter()
            .map(|s| s.name().to_string())
            .chain(r.optional_strands.iter().map(|s| format!("({})", s.name())))
            .collect();
        let mirrors: Vec<String> = r
            .mirrors
            .iter()
            .map(|m| m.catalog.clone().unwrap_or_else(|| m.vendor.clone()))
            .collect();
        writeln!(
            out,
            "{}  {:<10}  {:<8}  {:>4}  {:<22}  {}",
            pad(&r.id, w),
            r.kind.name(),
            r.severity.name(),
            r.risk_score,
            strands.join(","),
            mirrors.join(", ")
        )?;
    }
    Ok(())
}

/// `strata rules show ID`: everything about one rule.
pub fn write_rule(out: &mut dyn Write, rule: &Rule) -> io::Result<()> {
    writeln!(out, "{}  ({})", rule.id, rule.source.display())?;
    writeln!(out, "title:      {}", rule.title)?;
    writeln!(
        out,
        "severity:   {} (risk {})",
        rule.severity, rule.risk_score
    )?;
    let names = |list: &[crate::model::Strand]| {
        list.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "strands:    {}", names(&rule.strands))?;
    if !rule.optional_strands.is_empty() {
        writeln!(
            out,
            "also reads: {} (when loaded)",
            names(&rule.optional_strands)
        )?;
    }
    if !rule.mitre_attack.is_empty() {
        writeln!(out, "ATT&CK:     {}", rule.mitre_attack.join(", "))?;
    }
    if !rule.mitre_atlas.is_empty() {
        writeln!(out, "ATLAS:      {}", rule.mitre_atlas.join(", "))?;
    }
    writeln!(out, "logic:      {}", logic_summary(rule))?;
    if let Some(d) = rule.baseline_days {
        writeln!(out, "baseline:   {d} days")?;
    }
    for m in &rule.mirrors {
        let mut s = format!("{}: {}", m.vendor, m.name);
        if let Some(c) = &m.catalog {
            s.push_str(&format!(" [{c}]"));
        }
        if let Some(id) = &m.id {
            s.push_str(&format!(" ({id})"));
        }
        writeln!(out, "mirrors:    {s}")?;
    }
    let section = |out: &mut dyn Write, name: &str, text: &str| -> io::Result<()> {
        writeln!(out, "\n{name}")?;
        for line in text.trim().lines() {
            writeln!(out, "  {line}")?;
        }
        Ok(())
    };
    section(out, "Description", &rule.description)?;
    if !rule.false_positives.is_empty() {
        writeln!(out, "\nFalse positives")?;
        for fp in &rule.false_positives {
            writeln!(out, "  - {fp}")?;
        }
    }
    section(out, "Triage", &rule.guide.triage)?;
    section(
        out,
        "False-positive analysis",
        &rule.guide.false_positive_analysis,
    )?;
    section(out, "Response", &rule.guide.response)?;
    if let Some(b) = &rule.guide.blind_spots {
        section(out, "Blind spots of the public rule covered here", b)?;
    }
    if !rule.references.is_empty() {
        writeln!(out, "\nReferences")?;
        for r in &rule.references {
            writeln!(out, "  {r}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_catalogue() {
        let set = RuleSet::builtin().unwrap();
        let mut buf = Vec::new();
        write_rule_list(&mut buf, &set).unwrap();
        let list = String::from_utf8(buf).unwrap();
        assert_eq!(list.lines().count(), set.rules.len() + 1);
        assert!(list.contains("validation-exception-burst"));
        let mut buf = Vec::new();
        write_rule(&mut buf, set.get("invocations-without-guardrails").unwrap()).unwrap();
        let show = String::from_utf8(buf).unwrap();
        assert!(
            show.contains("threshold: per [user.arn], sliding 1h window, alert when count > 5"),
            "{show}"
        );
        assert!(show.contains("Blind spots"), "{show}");
    }
}
