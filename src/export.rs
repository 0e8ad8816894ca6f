//! Rendering detection results for people and machines: `table` (aligned, for terminals), `json`
//! (one object), `ndjson` (one alert per line, stable keys) and `markdown` (ticket-ready). Strings
//! that come from logs are escaped in human formats so that control and bidirectional characters
//! show instead of acting. The rule catalogue (`strata rules`) is in [`crate::detect::catalog`].

use crate::detect::{Alert, DetectOutcome, Severity};
use crate::model::time::{format_short, format_timestamp};
use crate::model::{EventStore, SourceRef};
use crate::safe_json;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// How many evidence references are inlined per alert; `evidence_total` gives the full count.
pub const EVIDENCE_INLINE: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Table,
        Format::Json,
        Format::Ndjson,
        Format::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "markdown",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// Renders control, bidirectional and zero-width characters as visible escapes (`\x1b`,
/// `\u202e`), so hostile log content cannot move the cursor, recolour or reorder the output.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
    }
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if hidden(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One evidence reference as exported.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceRef {
    pub file: String,
    pub offset: u64,
    pub length: u32,
    pub record: u32,
}

fn evidence_ref(store: &EventStore, s: &SourceRef) -> EvidenceRef {
    EvidenceRef {
        file: store
            .file_path(s.file)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| format!("#{}", s.file)),
        offset: s.offset,
        length: s.len,
        record: s.record,
    }
}

/// The NDJSON line of an alert; field order is the documented key order.
#[derive(Serialize)]
pub struct AlertLine<'a> {
    pub rule_id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub risk_score: u8,
    pub first_seen: String,
    pub last_seen: String,
    pub count: u64,
    pub entity: &'a crate::detect::Entities,
    pub evidence: Vec<EvidenceRef>,
    pub evidence_total: usize,
}

pub fn alert_line<'a>(alert: &'a Alert, store: &EventStore) -> AlertLine<'a> {
    AlertLine {
        rule_id: &alert.rule_id,
        title: &alert.title,
        severity: alert.severity,
        risk_score: alert.risk_score,
        first_seen: format_timestamp(alert.first_seen),
        last_seen: format_timestamp(alert.last_seen),
        count: alert.count,
        entity: &alert.entity,
        evidence: alert
            .evidence
            .iter()
            .take(EVIDENCE_INLINE)
            .map(|s| evidence_ref(store, s))
            .collect(),
        evidence_total: alert.evidence.len(),
    }
}

#[derive(Serialize)]
struct Detail<'a> {
    label: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct FullAlert<'a> {
    #[serde(flatten)]
    line: AlertLine<'a>,
    group: serde_json::Map<String, serde_json::Value>,
    details: Vec<Detail<'a>>,
}

#[derive(Serialize)]
struct Summary {
    rules_run: usize,
    rules_not_evaluated: usize,
    alerts: usize,
    by_severity: serde_json::Map<String, serde_json::Value>,
}

fn summary(outcome: &DetectOutcome) -> Summary {
    let mut by_severity = serde_json::Map::new();
    for sev in Severity::ALL.into_iter().rev() {
        let n = outcome.alerts.iter().filter(|a| a.severity == sev).count();
        by_severity.insert(sev.name().into(), n.into());
    }
    Summary {
        rules_run: outcome.rules_run,
        rules_not_evaluated: outcome.not_evaluated.len(),
        alerts: outcome.alerts.len(),
        by_severity,
    }
}

/// Writes `outcome` in `format`.
pub fn write_outcome(
    out: &mut dyn Write,
    outcome: &DetectOutcome,
    store: &EventStore,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Ndjson => write_ndjson(out, outcome, store),
        Format::Json => write_json(out, outcome, store),
        Format::Table => write_table(out, outcome),
        Format::Markdown => write_markdown(out, outcome, store),
    }
}

/// The whole outcome rendered to a string.
pub fn render(outcome: &DetectOutcome, store: &EventStore, format: Format) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_outcome(&mut buf, outcome, store, format);
    String::from_utf8_lossy(&buf).into_owned()
}

fn write_ndjson(
    out: &mut dyn Write,
    outcome: &DetectOutcome,
    store: &EventStore,
) -> io::Result<()> {
    for a in &outcome.alerts {
        out.write_all(safe_json::to_string(&alert_line(a, store))?.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_json(out: &mut dyn Write, outcome: &DetectOutcome, store: &EventStore) -> io::Result<()> {
    let alerts: Vec<FullAlert> = outcome
        .alerts
        .iter()
        .map(|a| FullAlert {
            line: alert_line(a, store),
            group: a
                .group
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into()))
                .collect(),
            details: a
                .details
                .iter()
                .map(|(l, v)| Detail { label: l, value: v })
                .collect(),
        })
        .collect();
    let doc = serde_json::json!({
        "alerts": alerts,
        "not_evaluated": outcome.not_evaluated,
        "summary": summary(outcome),
    });
    out.write_all(safe_json::to_string_pretty(&doc)?.as_bytes())?;
    out.write_all(b"\n")
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

fn severity_counts(outcome: &DetectOutcome) -> String {
    let parts: Vec<String> = Severity::ALL
        .into_iter()
        .rev()
        .filter_map(|s| {
            let n = outcome.alerts.iter().filter(|a| a.severity == s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn write_table(out: &mut dyn Write, outcome: &DetectOutcome) -> io::Result<()> {
    let header = [
        "SEVERITY",
        "RISK",
        "RULE",
        "COUNT",
        "FIRST SEEN",
        "LAST SEEN",
        "TITLE",
    ];
    let rows: Vec<[String; 7]> = outcome
        .alerts
        .iter()
        .map(|a| {
            [
                a.severity.to_string(),
                a.risk_score.to_string(),
                a.rule_id.clone(),
                a.count.to_string(),
                format_short(a.first_seen),
                format_short(a.last_seen),
                escape_text(&a.title).into_owned(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let mut widths = header.map(UnicodeWidthStr::width);
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(UnicodeWidthStr::width(c.as_str()));
            }
        }
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let right = i == 1 || i == 3;
                if i > 0 {
                    s.push_str("  ");
                }
                if i == cells.len() - 1 {
                    s.push_str(c);
                } else if right {
                    s.push_str(
                        &" ".repeat(widths[i].saturating_sub(UnicodeWidthStr::width(c.as_str()))),
                    );
                    s.push_str(c);
                } else {
                    s.push_str(&pad(c, widths[i]));
                }
            }
            s
        };
        writeln!(out, "{}", line(&header.map(String::from)))?;
        for r in &rows {
            writeln!(out, "{}", line(r))?;
        }
        writeln!(out)?;
    }
    if !outcome.not_evaluated.is_empty() {
        writeln!(out, "Not evaluated:")?;
        let w = outcome
            .not_evaluated
            .iter()
            .map(|n| n.rule_id.len())
            .max()
            .unwrap_or(0);
        for n in &outcome.not_evaluated {
            writeln!(out, "  {}  not evaluated: {}", pad(&n.rule_id, w), n.reason)?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} alert{}{} from {} rules; {} not evaluated",
        outcome.alerts.len(),
        if outcome.alerts.len() == 1 { "" } else { "s" },
        severity_counts(outcome),
        outcome.rules_run,
        outcome.not_evaluated.len()
    )
}

fn md(s: &str) -> String {
    escape_text(s).replace('|', "\\|")
}

fn code(s: &str) -> String {
    let e = escape_text(s);
    if e.contains('`') {
        md(&e)
    } else {
        format!("`{e}`")
    }
}

fn write_markdown(
    out: &mut dyn Write,
    outcome: &DetectOutcome,
    store: &EventStore,
) -> io::Result<()> {
    writeln!(
        out,
        "# strata: {} alert{}{}\n",
        outcome.alerts.len(),
        if outcome.alerts.len() == 1 { "" } else { "s" },
        severity_counts(outcome)
    )?;
    if !outcome.alerts.is_empty() {
        writeln!(
            out,
            "| # | Severity | Risk | Rule | Count | First seen | Last seen | Title |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|")?;
        for (i, a) in outcome.alerts.iter().enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | `{}` | {} | {} | {} | {} |",
                i + 1,
                a.severity,
                a.risk_score,
                a.rule_id,
                a.count,
                format_timestamp(a.first_seen),
                format_timestamp(a.last_seen),
                md(&a.title)
            )?;
        }
        writeln!(out)?;
    }
    for (i, a) in outcome.alerts.iter().enumerate() {
        writeln!(out, "## {}. {}\n", i + 1, md(&a.title))?;
        writeln!(
            out,
            "- **Rule:** `{}` — {} (risk {})",
            a.rule_id, a.severity, a.risk_score
        )?;
        writeln!(
            out,
            "- **Seen:** {} – {} ({} occurrence{})",
            format_timestamp(a.first_seen),
            format_timestamp(a.last_seen),
            a.count,
            if a.count == 1 { "" } else { "s" }
        )?;
        for (name, values) in a.entity.iter() {
            let shown: Vec<String> = values.iter().map(|v| code(v)).collect();
            writeln!(
                out,
                "- **{}:** {}",
                name.replace('_', " "),
                shown.join(", ")
            )?;
        }
        for (label, value) in &a.details {
            writeln!(out, "- **{}:** {}", md(label), md(value))?;
        }
        writeln!(
            out,
            "- **Evidence** ({} of {}):",
            a.evidence.len().min(EVIDENCE_INLINE),
            a.evidence.len()
        )?;
        for s in a.evidence.iter().take(EVIDENCE_INLINE) {
            let r = evidence_ref(store, s);
            writeln!(
                out,
                "  - {} record {} (offset {}, {} bytes)",
                code(&r.file),
                r.record,
                r.offset,
                r.length
            )?;
        }
        writeln!(out)?;
    }
    if !outcome.not_evaluated.is_empty() {
        writeln!(out, "## Not evaluated\n")?;
        for n in &outcome.not_evaluated {
            writeln!(out, "- `{}`: not evaluated: {}", n.rule_id, md(&n.reason))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Entities, NotEvaluated};
    use crate::model::{RawEncoding, SourceFile, StoreBuilder};

    fn sample() -> (DetectOutcome, EventStore) {
        let mut b = StoreBuilder::new();
        b.add_file(SourceFile {
            path: "logs/a.json".into(),
        });
        let store = b.finish();
        let src = |record| SourceRef {
            file: 0,
            record,
            offset: u64::from(record) * 10,
            len: 10,
            encoding: RawEncoding::Direct,
        };
        let alert = Alert {
            rule_id: "validation-exception-burst".into(),
            title: "arn:aws:iam::1:user/\u{1b}[31mevil\u{202e} hit ValidationException 6 times | x"
                .into(),
            severity: Severity::High,
            risk_score: 73,
            first_seen: 1_729_195_882_000,
            last_seen: 1_729_195_884_000,
            count: 6,
            group: vec![("user.arn".into(), "arn".into())],
            entity: Entities(vec![
                ("user", vec!["arn".into()]),
                ("model", vec!["m1".into(), "m2".into()]),
            ]),
            details: vec![("models".into(), "m1, m2".into())],
            evidence: (0..6).map(src).collect(),
        };
        let outcome = DetectOutcome {
            alerts: vec![alert],
            not_evaluated: vec![NotEvaluated {
                rule_id: "cli-bedrock-delete".into(),
                reason: "no endpoint telemetry loaded".into(),
            }],
            rules_run: 2,
        };
        (outcome, store)
    }

    #[test]
    fn ndjson_has_the_documented_keys_in_order() {
        let (o, s) = sample();
        let text = render(&o, &s, Format::Ndjson);
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = [
            "rule_id",
            "title",
            "severity",
            "risk_score",
            "first_seen",
            "last_seen",
            "count",
            "entity",
            "evidence",
            "evidence_total",
        ];
        want.sort();
        assert_eq!(keys, want);
        assert!(text.starts_with("{\"rule_id\":"));
        assert_eq!(v["severity"], "high");
        assert_eq!(v["first_seen"], "2024-10-17T20:11:22Z");
        assert_eq!(v["entity"]["user"], "arn");
        assert_eq!(v["entity"]["model"][1], "m2");
        assert_eq!(v["evidence"].as_array().unwrap().len(), 5);
        assert_eq!(
            v["evidence"][1],
            serde_json::json!({"file": "logs/a.json", "offset": 10, "length": 10, "record": 1})
        );
        assert_eq!(v["evidence_total"], 6);
    }

    #[test]
    fn json_has_alerts_not_evaluated_and_summary() {
        let (o, s) = sample();
        let v: serde_json::Value = serde_json::from_str(&render(&o, &s, Format::Json)).unwrap();
        assert_eq!(v["alerts"][0]["details"][0]["label"], "models");
        assert_eq!(v["alerts"][0]["group"]["user.arn"], "arn");
        assert_eq!(
            v["not_evaluated"][0]["reason"],
            "no endpoint telemetry loaded"
        );
        assert_eq!(v["summary"]["by_severity"]["high"], 1);
        assert_eq!(v["summary"]["rules_run"], 2);
    }

    #[test]
    fn human_formats_escape_log_text() {
        let (o, s) = sample();
        for f in [Format::Table, Format::Markdown] {
            let text = render(&o, &s, f);
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202e}'),
                "{f:?}"
            );
            assert!(text.contains("\\x1b[31mevil\\u202e"), "{f:?}: {text}");
            assert!(
                text.contains("not evaluated: no endpoint telemetry loaded"),
                "{f:?}"
            );
        }
        let table = render(&o, &s, Format::Table);
        assert!(table.starts_with("SEVERITY  RISK  RULE"), "{table}");
        assert!(
            table.contains("1 alert (1 high) from 2 rules; 1 not evaluated"),
            "{table}"
        );
        let md = render(&o, &s, Format::Markdown);
        assert!(md.contains("6 times \\| x"), "{md}");
        assert!(md.contains("- **Evidence** (5 of 6):"), "{md}");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_text("plain"), "plain");
        assert_eq!(
            escape_text("a\tb\n\u{0}\u{7f}\u{200b}"),
            "a\\tb\\n\\x00\\x7f\\u200b"
        );
    }
}
