//! The rule file format (TOML) and its validation. Built-in rules and user rules go through the same
//! code; every problem is reported as `file:line:col: message` with the valid choices.

use super::alert::Severity;
use super::diag::{Diagnostic, Reporter};
use super::expr::Expr;
use super::filter::Filter;
use super::key::KeyExpr;
use super::keywords::KeywordSet;
pub use super::spec::*;
use super::template::parse_template;
pub use super::template::Part;
use crate::model::Strand;
use std::path::PathBuf;
use toml::Spanned;

pub const KINDS: &str = "match, threshold, aggregate, first_seen, outlier, sequence";

mod doc;
use doc::*;
pub use doc::{Guide, Mirror};

/// Where a rule was loaded from.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleSource {
    Builtin(&'static str),
    File(PathBuf),
}

impl RuleSource {
    pub fn display(&self) -> String {
        match self {
            RuleSource::Builtin(name) => format!("builtin:{name}"),
            RuleSource::File(p) => p.display().to_string(),
        }
    }
}

/// A validated rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub risk_score: u8,
    pub mitre_attack: Vec<String>,
    pub mitre_atlas: Vec<String>,
    /// Strands the rule needs: when one is missing it is not evaluated.
    pub strands: Vec<Strand>,
    /// Strands the rule also reads when they are loaded.
    pub optional_strands: Vec<Strand>,
    pub description: String,
    pub false_positives: Vec<String>,
    pub guide: Guide,
    pub mirrors: Vec<Mirror>,
    pub references: Vec<String>,
    pub baseline_days: Option<u32>,
    pub source: RuleSource,
    pub filter: Filter,
    pub kind: Kind,
    pub template: Vec<Part>,
    pub details: Vec<(String, KeyExpr)>,
    pub severity_by: Vec<SeverityBy>,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

fn valid_technique(s: &str, atlas: bool) -> bool {
    let rest = if atlas {
        match s.strip_prefix("AML.") {
            Some(r) => r,
            None => return false,
        }
    } else {
        s
    };
    let (main, sub) = match rest.split_once('.') {
        Some((m, sub)) => (m, Some(sub)),
        None => (rest, None),
    };
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    let main_ok = (main.starts_with('T') && digits(&main[1..], 4))
        || (main.starts_with("TA") && digits(&main[2..], 4));
    main_ok && sub.is_none_or(|s| digits(s, 3))
}

/// Parses and validates one rule file.
pub fn parse_rule(
    file: &str,
    src: &str,
    source: RuleSource,
    kw: &KeywordSet,
) -> Result<Rule, Vec<Diagnostic>> {
    let mut rep = Reporter::new(file, src);
    let doc: RuleDoc = match toml::from_str(src) {
        Ok(d) => d,
        Err(e) => {
            rep.toml(&e);
            return Err(rep.out);
        }
    };
    let rule = build(doc, source, kw, &mut rep);
    match rule {
        Some(r) if rep.is_clean() => Ok(r),
        _ => {
            if rep.out.is_empty() {
                rep.whole("invalid rule");
            }
            Err(rep.out)
        }
    }
}

fn keys(list: &[Spanned<String>], rep: &mut Reporter) -> Vec<GroupKey> {
    let mut out = Vec::new();
    for k in list {
        match KeyExpr::parse(k.get_ref()) {
            Ok(expr) => out.push(GroupKey {
                name: k.get_ref().trim().to_string(),
                expr,
            }),
            Err(e) => rep.at(k.span(), e),
        }
    }
    out
}

fn key(k: &Spanned<String>, rep: &mut Reporter) -> Option<KeyExpr> {
    KeyExpr::parse(k.get_ref())
        .map_err(|e| rep.at(k.span(), e))
        .ok()
}

fn duration(d: &Spanned<String>, rep: &mut Reporter) -> i64 {
    parse_duration(d.get_ref()).unwrap_or_else(|e| {
        rep.at(d.span(), e);
        0
    })
}

fn positive_duration(d: &Spanned<String>, rep: &mut Reporter) -> i64 {
    let ms = duration(d, rep);
    if ms <= 0 && rep.is_clean() {
        rep.at(d.span(), "the window must be longer than zero");
    }
    ms
}

fn window(
    bucket: &Option<Spanned<String>>,
    sliding: &Option<Spanned<String>>,
    span: std::ops::Range<usize>,
    rep: &mut Reporter,
) -> Window {
    match (bucket, sliding) {
        (Some(b), None) => Window::Bucket(positive_duration(b, rep)),
        (None, Some(w)) => Window::Sliding(positive_duration(w, rep)),
        _ => {
            rep.at(
                span,
                "set exactly one of `bucket` (tumbling, aligned to the epoch) or `window` (sliding)",
            );
            Window::Sliding(1)
        }
    }
}

fn score(v: &Spanned<i64>, rep: &mut Reporter) -> u8 {
    match u8::try_from(*v.get_ref()) {
        Ok(s) if s <= 100 => s,
        _ => {
            rep.at(v.span(), "risk_score must be between 0 and 100");
            0
        }
    }
}

fn expr(s: &Spanned<String>, vars: &[&str], rep: &mut Reporter) -> Expr {
    Expr::parse(s.get_ref(), vars).unwrap_or_else(|e| {
        rep.at(s.span(), e);
        Expr::Num(0.0)
    })
}

fn build(doc: RuleDoc, source: RuleSource, kw: &KeywordSet, rep: &mut Reporter) -> Option<Rule> {
    if !valid_id(doc.id.get_ref()) {
        rep.at(
            doc.id.span(),
            "rule id must be lowercase letters, digits, `-` or `_` (at most 64 characters)",
        );
    }
    let risk_score = score(&doc.risk_score, rep);
    for t in &doc.mitre_attack {
        if !valid_technique(t.get_ref(), false) {
            rep.at(t.span(), "expected an ATT&CK id like T1562.008 or TA0005");
        }
    }
    for t in &doc.mitre_atlas {
        if !valid_technique(t.get_ref(), true) {
            rep.at(
                t.span(),
                "expected an ATLAS id like AML.T0051 or AML.TA0007",
            );
        }
    }
    let mut strands = Vec::new();
    let mut optional_strands = Vec::new();
    let lists = [
        (doc.strands.get_ref(), false),
        (&doc.optional_strands, true),
    ];
    for (list, optional) in lists {
        for s in list {
            match Strand::parse(s.get_ref()) {
                Some(st) if strands.contains(&st) || optional_strands.contains(&st) => {}
                Some(st) if optional => optional_strands.push(st),
                Some(st) => strands.push(st),
                None => rep.at(
                    s.span(),
                    format!(
                        "unknown strand {:?}, expected one of: {}",
                        s.get_ref(),
                        Strand::ALL.map(Strand::name).join(", ")
                    ),
                ),
            }
        }
    }
    if doc.strands.get_ref().is_empty() {
        rep.at(
            doc.strands.span(),
            "list at least one strand the rule reads",
        );
    }
    let baseline_days =
        doc.baseline_days
            .as_ref()
            .and_then(|b| match u32::try_from(*b.get_ref()) {
                Ok(d) if d <= 3650 => Some(d),
                _ => {
                    rep.at(b.span(), "baseline_days must be between 0 and 3650");
                    None
                }
            });
    let filter = match &doc.filter {
        Some(f) => Filter::from_doc(f, kw, rep).unwrap_or_else(Filter::always),
        None => Filter::always(),
    };
    let mut severity_by = Vec::new();
    for s in &doc.severity_by {
        if let Some(filter) = Filter::from_doc(&s.filter, kw, rep) {
            severity_by.push(SeverityBy {
                filter,
                severity: s.severity,
                risk_score: score(&s.risk_score, rep),
            });
        }
    }
    let mut details = Vec::new();
    for d in &doc.details {
        if let Some(k) = key(&d.values, rep) {
            details.push((d.label.clone(), k));
        }
    }

    let kinds = [
        doc.match_.as_ref().map(|s| s.span()),
        doc.threshold.as_ref().map(|s| s.span()),
        doc.aggregate.as_ref().map(|s| s.span()),
        doc.first_seen.as_ref().map(|s| s.span()),
        doc.outlier.as_ref().map(|s| s.span()),
        doc.sequence.as_ref().map(|s| s.span()),
    ];
    let present: Vec<_> = kinds.iter().flatten().collect();
    if present.len() != 1 {
        match present.get(1) {
            Some(span) => rep.at(
                (*span).clone(),
                format!("a rule has exactly one kind table, one of: {KINDS}"),
            ),
            None => rep.whole(format!(
                "the rule needs one kind table, one of: [{}]",
                KINDS.replace(", ", "], [")
            )),
        }
        return None;
    }
    if doc.filter.is_none() && doc.sequence.is_none() {
        rep.whole("the rule needs a [filter] (use `all = []` to take every event of its strands)");
    }

    let mut vars: Vec<String> = vec!["count".into(), "first_seen".into(), "last_seen".into()];
    let kind = if let Some(m) = &doc.match_ {
        let m = m.get_ref();
        let escalate = m.escalate.as_ref().and_then(|e| {
            Some(Escalate {
                key: key(&e.when_new, rep)?,
                severity: e.severity,
                risk_score: score(&e.risk_score, rep),
                note: e.note.clone(),
            })
        });
        let enrich = m.enrich.as_ref().and_then(|e| match e.get_ref().as_str() {
            "logging_config_diff" => Some(Enrich::LoggingConfigDiff),
            "keyword_groups" => Some(Enrich::KeywordGroups),
            other => {
                rep.at(
                    e.span(),
                    format!("unknown enrichment {other:?}, expected one of: {ENRICHMENTS}"),
                );
                None
            }
        });
        Kind::Match(MatchSpec {
            group_by: keys(&m.group_by, rep),
            suppress_ms: duration(&m.suppress, rep),
            escalate,
            enrich,
        })
    } else if let Some(t) = &doc.threshold {
        let span = t.span();
        let t = t.get_ref();
        let distinct = t.distinct.as_ref().and_then(|d| key(d, rep));
        let mut allowed = vec!["count"];
        if distinct.is_some() {
            allowed.push("distinct");
            vars.push("distinct".into());
        }
        vars.push("window".into());
        Kind::Threshold(ThresholdSpec {
            group_by: keys(&t.group_by, rep),
            window: window(&t.bucket, &t.window, span, rep),
            distinct,
            condition: expr(&t.condition, &allowed, rep),
        })
    } else if let Some(a) = &doc.aggregate {
        let span = a.span();
        let a = a.get_ref();
        let mut metrics = Vec::new();
        for (name, m) in &a.metrics {
            match Metric::parse(name, m.get_ref()) {
                Ok(metric) => metrics.push(metric),
                Err(e) => rep.at(m.span(), e),
            }
        }
        if metrics.is_empty() {
            rep.at(
                span.clone(),
                format!("list at least one metric ({METRIC_FNS})"),
            );
        }
        let names: Vec<String> = metrics.iter().map(|m| m.name.clone()).collect();
        let mut allowed: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut computed = Vec::new();
        for (name, e) in &a.computed {
            computed.push((name.clone(), expr(e, &allowed, rep)));
        }
        let computed_names: Vec<String> = computed.iter().map(|(n, _)| n.clone()).collect();
        allowed.extend(computed_names.iter().map(String::as_str));
        let condition = expr(&a.condition, &allowed, rep);
        vars.extend(names.iter().cloned());
        vars.extend(computed_names.iter().cloned());
        vars.push("window".into());
        Kind::Aggregate(AggregateSpec {
            group_by: keys(&a.group_by, rep),
            window: window(&a.bucket, &a.window, span, rep),
            metrics,
            computed,
            condition,
        })
    } else if let Some(f) = &doc.first_seen {
        let f = f.get_ref();
        vars.extend(["value".into(), "baseline_days".into()]);
        let value = keys(std::slice::from_ref(&f.value), rep).pop()?;
        Kind::FirstSeen(FirstSeenSpec {
            value,
            per: keys(&f.per, rep),
        })
    } else if let Some(o) = &doc.outlier {
        let o = o.get_ref();
        let metric = Metric::parse("value", o.metric.get_ref())
            .map_err(|e| rep.at(o.metric.span(), e))
            .ok()?;
        if !matches!(metric.func, MetricFn::Count | MetricFn::Sum) {
            rep.at(o.metric.span(), "an outlier metric is count() or sum(key)");
        }
        if o.k < 0.0 || o.floor < 0.0 {
            rep.at(o.metric.span(), "k and floor must not be negative");
        }
        vars.extend(
            [
                "value",
                "mean",
                "stddev",
                "threshold",
                "bucket",
                "bucket_start",
                "baseline_days",
            ]
            .map(String::from),
        );
        Kind::Outlier(OutlierSpec {
            group_by: keys(&o.group_by, rep),
            bucket_ms: positive_duration(&o.bucket, rep),
            metric,
            k: o.k,
            floor: o.floor,
        })
    } else if let Some(s) = &doc.sequence {
        let s = s.get_ref();
        if s.steps.get_ref().len() < 2 {
            rep.at(s.steps.span(), "a sequence needs at least two steps");
        }
        let mut steps = Vec::new();
        for st in s.steps.get_ref() {
            let filter = Filter::from_doc(&st.filter, kw, rep).unwrap_or_else(Filter::always);
            let join: Vec<KeyExpr> = st.join.iter().filter_map(|j| key(j, rep)).collect();
            if s.join.is_some() && st.join.is_empty() {
                rep.at(
                    st.filter.span(),
                    format!(
                        "step {:?} needs `join` keys because the sequence joins on {:?}",
                        st.name,
                        s.join.as_deref().unwrap_or("")
                    ),
                );
            }
            steps.push(Step {
                name: st.name.clone(),
                filter,
                join,
            });
        }
        if let Some(j) = &s.join {
            vars.push(j.clone());
        }
        vars.push("steps".into());
        Kind::Sequence(SequenceSpec {
            by: keys(&s.by, rep),
            within_ms: positive_duration(&s.within, rep),
            join_name: s.join.clone(),
            steps,
        })
    } else {
        return None;
    };

    let template = parse_template(&doc.title, &vars, rep);
    Some(Rule {
        id: doc.id.get_ref().clone(),
        title: doc.title.get_ref().clone(),
        severity: doc.severity,
        risk_score,
        mitre_attack: doc
            .mitre_attack
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        mitre_atlas: doc
            .mitre_atlas
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        strands,
        optional_strands,
        description: doc.description,
        false_positives: doc.false_positives,
        guide: doc.guide,
        mirrors: doc.mirrors,
        references: doc.references,
        baseline_days,
        source,
        filter,
        kind,
        template,
        details,
        severity_by,
    })
}
#[cfg(test)]
mod tests;
