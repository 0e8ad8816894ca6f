//! Evidence for tickets: Markdown blocks for an alert, a request or a set of events, with the
//! source location of every record. Log text is attacker-controlled, so control and invisible
//! characters are written as visible escapes and code spans/fences are sized to never break.

use super::alerts::AlertRecord;
use super::requests::{short_principal, RequestRef};
use crate::model::time::format_timestamp;
use crate::model::{EventStore, SourceRef};
use crate::ui::count::count_of;
use crate::ui::text::escape_plain;
use std::fmt::Write;

/// How many contributing events an alert's evidence block lists (the rest are counted).
pub const MAX_EVIDENCE_EVENTS: usize = 20;

/// `path, record N (byte O, len L)`: enough to find the record again (records counted from 1, as
/// in the load report; the byte offset is in the decompressed stream).
pub fn source_location(store: &EventStore, src: &SourceRef) -> String {
    let path = store
        .file_path(src.file)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| format!("file #{}", src.file));
    format!(
        "{}, record {} (byte {}, len {})",
        escape_plain(&path),
        u64::from(src.record) + 1,
        src.offset,
        src.len
    )
}

/// `cloudtrail.json #4`: the file name and 1-based record number, for narrow tables.
pub fn short_location(store: &EventStore, src: &SourceRef) -> String {
    let name = store
        .file_path(src.file)
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("file #{}", src.file));
    format!("{name} #{}", u64::from(src.record) + 1)
}

/// An inline code span that survives backticks in the value.
pub fn code(s: &str) -> String {
    let s = escape_plain(s);
    let longest = longest_run(&s, '`');
    if longest == 0 {
        return format!("`{s}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {s} {fence}")
}

/// A fenced block; lines keep their breaks, other control characters are escaped.
pub fn block(s: &str) -> String {
    let body: String = s
        .split('\n')
        .map(|l| escape_plain(l.strip_suffix('\r').unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("\n");
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    format!("{fence}text\n{body}\n{fence}\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Markdown table cell: escaped, pipes protected, newlines flattened.
fn cell(s: &str) -> String {
    escape_plain(s).replace('|', "\\|")
}

pub fn alert_markdown(store: &EventStore, a: &AlertRecord) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### [{}] {}",
        a.severity.name().to_uppercase(),
        escape_plain(&a.title)
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "- **Rule:** {} (risk {})", code(&a.rule.id), a.risk);
    if !a.rule.mitre.is_empty() {
        let ids: Vec<String> = a.rule.mitre.iter().map(|m| escape_plain(m)).collect();
        let _ = writeln!(s, "- **MITRE:** {}", ids.join(", "));
    }
    for (k, v) in &a.entity {
        let _ = writeln!(s, "- **{}:** {}", escape_plain(k), code(v));
    }
    let _ = writeln!(
        s,
        "- **Time range:** {} – {} ({})",
        format_timestamp(a.first),
        format_timestamp(a.last),
        count_of(a.count, "event", "events")
    );
    for (k, v) in &a.details {
        let _ = writeln!(s, "- **{}:** {}", escape_plain(k), escape_plain(v));
    }
    let _ = writeln!(s);
    let shown = a.evidence.len().min(MAX_EVIDENCE_EVENTS);
    if shown < a.evidence.len() {
        let _ = writeln!(
            s,
            "Contributing events (first {shown} of {}):",
            a.evidence.len()
        );
    } else {
        let _ = writeln!(s, "Contributing events ({shown}):");
    }
    let _ = writeln!(s);
    s.push_str(&events_table(store, &a.evidence[..shown]));
    s
}

/// A Markdown table of records: time, action, principal, source IP, outcome, and location.
pub fn events_table(store: &EventStore, sources: &[SourceRef]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| time | action | principal | source ip | outcome | source |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for src in sources {
        let loc = source_location(store, src);
        match store.find_source(src).and_then(|i| store.event(i)) {
            Some(e) => {
                let outcome = if e.error_code.is_some() {
                    store.str(e.error_code)
                } else {
                    e.outcome.name()
                };
                let who = short_principal(store.str(e.principal()));
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    format_timestamp(e.ts),
                    cell(store.str(e.action)),
                    cell(who),
                    cell(store.str(e.source_ip)),
                    cell(outcome),
                    cell(&loc)
                );
            }
            None => {
                let _ = writeln!(s, "| | | | | not loaded | {} |", cell(&loc));
            }
        }
    }
    s
}

/// The text of a request for its evidence block.
#[derive(Clone, Debug, Default)]
pub struct RequestText {
    pub system: String,
    pub prompt: String,
    pub completion: String,
    pub stop_reason: String,
    pub guardrail: String,
    /// `(group, count)` of keyword matches and the distinct matched strings.
    pub keyword_counts: Vec<(String, usize)>,
    pub keyword_hits: Vec<String>,
}

pub fn request_markdown(r: &RequestRef<'_>, text: &RequestText) -> String {
    let store = r.store;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### Bedrock request {} ({})",
        code(r.request_id()),
        escape_plain(r.operation())
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "- **Time:** {}", format_timestamp(r.row.ts));
    let _ = writeln!(s, "- **Caller:** {}", code(r.caller()));
    let _ = writeln!(s, "- **Model:** {}", code(r.model()));
    let tin = super::requests::count_text(r.tokens_in());
    let tout = super::requests::count_text(r.tokens_out());
    let _ = writeln!(s, "- **Tokens:** in {tin} / out {tout}");
    if !r.error().is_empty() {
        let _ = writeln!(s, "- **Error:** {}", code(r.error()));
    }
    if !text.stop_reason.is_empty() {
        let _ = writeln!(s, "- **Stop reason:** {}", code(&text.stop_reason));
    }
    if !text.guardrail.is_empty() {
        let _ = writeln!(s, "- **Guardrail:** {}", code(&text.guardrail));
    }
    if !text.keyword_counts.is_empty() {
        let counts: Vec<String> = text
            .keyword_counts
            .iter()
            .map(|(g, n)| format!("{} {n}", escape_plain(g)))
            .collect();
        let hits: Vec<String> = text.keyword_hits.iter().map(|h| code(h)).collect();
        let _ = writeln!(
            s,
            "- **Keyword hits:** {} — {}",
            counts.join(", "),
            hits.join(", ")
        );
    }
    for i in r.row.events() {
        if let Some(e) = store.event(i) {
            let _ = writeln!(
                s,
                "- **Source ({}):** {}",
                e.strand.name(),
                source_location(store, &e.source)
            );
        }
    }
    if !text.system.is_empty() {
        let _ = writeln!(s, "\n**System prompt**\n");
        s.push_str(&block(&text.system));
    }
    let _ = writeln!(s, "\n**Prompt**\n");
    s.push_str(&block(&text.prompt));
    let _ = writeln!(s, "\n**Completion**\n");
    s.push_str(&block(&text.completion));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_blocks_survive_hostile_text() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("x\x1b[31m"), "`x\\x1b[31m`");
        let b = block("line1\r\n```\nbad\u{202e}\0");
        assert!(b.starts_with("````text\n"));
        assert!(b.contains("bad\\u{202e}\\0"));
        assert!(b.ends_with("\n````\n"));
        assert_eq!(cell("a|b\nc"), "a\\|b\\nc");
    }
}
