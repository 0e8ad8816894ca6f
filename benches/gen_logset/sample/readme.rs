//! Renders `README.md` for the sample set from the same data the files were built
//! from: layout and sizes from the file list, principals from the cast, alerts from
//! the expectations tallied while generating.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::expect::{Expect, RULES};
use super::files::{OutFile, Strand};
use super::llmjacking::{
    HARVEST_STREAMS, IP_CHECKER, IP_HARVEST, IP_PROXY, PROBE_REGIONS, UNGUARDED_STREAMS,
};
use super::spikes::Stats;
use super::world::{gr, Cast, DEV, PROD};
use crate::clock::{iso, minute};

struct Row<'a> {
    pattern: &'a str,
    strand: Strand,
    format: &'a str,
}

const LAYOUT: &[Row] = &[
    Row { pattern: "cloudtrail/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz", strand: Strand::Management, format: "gzip JSON `{\"Records\":[…]}`, records unordered, 6 h per object" },
    Row { pattern: "cloudtrail/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/{12,13}/*.json.gz", strand: Strand::Digest, format: "gzip JSON digest (not events; hashes are SHA-256 of the uncompressed objects)" },
    Row { pattern: "cloudtrail-data-events/AWSLogs/<acct>/CloudTrail/us-east-1/YYYY/MM/DD/*.json.gz", strand: Strand::Data, format: "gzip JSON `{\"Records\":[…]}`, `eventCategory: Data` (S3 objects, agent aliases)" },
    Row { pattern: "bedrock-invocation-logs/AWSLogs/<acct>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/*.json.gz", strand: Strand::Invocation, format: "gzip JSON lines, one `ModelInvocationLog` record per line" },
    Row { pattern: "endpoint/jamf-protect/telemetry-YYYY-MM-DD.ndjson, endpoint/auditbeat/…/*.ndjson.gz, endpoint/sysmon/*.jsonl", strand: Strand::Endpoint, format: "Jamf Protect exec events (plain), ECS process events (gzip), Sysmon event 1 (plain)" },
    Row { pattern: "exports/*.json", strand: Strand::Export, format: "`aws cloudtrail lookup-events` and `aws logs filter-log-events` output (indented JSON)" },
];

fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn layout(out: &mut String, files: &[OutFile]) {
    let mut per: BTreeMap<Strand, (usize, usize, u64, u64)> = BTreeMap::new();
    for f in files {
        let e = per.entry(f.strand).or_default();
        e.0 += 1;
        e.1 += f.records;
        e.2 += f.bytes.len() as u64;
        e.3 += f.raw.len() as u64;
    }
    let _ = writeln!(
        out,
        "| Path | Content | Files | Records | Size (uncompressed) | Format |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---|---|");
    let mut total = (0, 0, 0, 0);
    for row in LAYOUT {
        let (n, r, b, raw) = per.get(&row.strand).copied().unwrap_or_default();
        total = (total.0 + n, total.1 + r, total.2 + b, total.3 + raw);
        let _ = writeln!(
            out,
            "| `{}` | {} | {n} | {r} | {} ({}) | {} |",
            row.pattern,
            row.strand.label(),
            human(b),
            human(raw),
            row.format
        );
    }
    let _ = writeln!(
        out,
        "| **total** | | **{}** | **{}** | **{} ({})** | |\n",
        total.0,
        total.1,
        human(total.2),
        human(total.3)
    );
}

fn principals(out: &mut String, cast: &Cast) {
    let rows = [
        (&cast.chat, "prod", "Customer chat service on EC2 (Java SDK via VPC endpoint): Converse / ConverseStream, Claude 3.5 Sonnet inference profile and Claude 3 Haiku, app guardrail plus the account-enforced guardrail"),
        (&cast.summarizer, "prod", "Lambda in us-west-2: InvokeModel (Anthropic Messages) and InvokeModelWithResponseStream, guardrail trace in the output body"),
        (&cast.faq, "prod", "Help-center Lambda: legacy Claude v2 `prompt`/`completion`, customer text inside `<input>…</input>`"),
        (&cast.catalog, "prod", "Nightly job (~02:00 UTC): Amazon Titan Text `inputText`/`results`"),
        (&cast.helpdesk, "prod", "Lambda invoking the helpdesk Bedrock agent (InvokeAgent data events)"),
        (&cast.analytics, "prod", "On-prem reporting user with a long-term `AKIA` key: daily Athena queries from the office; its key is the one that leaks"),
        (&cast.admin, "prod", "Platform admin in the console: logging and guardrail reviews on working days"),
        (&cast.ci, "prod", "Self-hosted GitHub Actions runner `gha-runner-02`: `aws bedrock list-guardrails`, `get-guardrail`, `get-model-invocation-logging-configuration`, `list-foundation-models` per deploy"),
        (&cast.tnguyen, "prod", "Analyst on Windows workstation `WS-FIN-0231`: `aws bedrock list-*`/`get-*`"),
        (&cast.sandbox, "dev", "Developer sandbox instance (notebook): Converse with Haiku, Llama 3.1 and Mistral, model listing"),
        (&cast.canary, "dev", "Staging canary: one short Converse call every 20 minutes"),
        (&cast.mgarcia, "dev", "Data scientist in the console: model browsing and the playground (ConverseStream), a few calls without a guardrail"),
        (&cast.jlee, "dev", "Developer on `jlee-mbp` (Jamf): `aws bedrock` / `aws bedrock-agent` list and get commands"),
        (&cast.priya, "dev", "ML engineer on `priya-mbp` (Jamf): customization-job commands, one fine-tuning job in the baseline week"),
        (&cast.etl, "dev", "Nightly ETL writing curated support tickets to the training bucket (S3 data events)"),
        (&cast.eu_pilot, "dev", "EU retrieval pilot in eu-west-1: Converse with `guardContent`; only in the exports"),
    ];
    let _ = writeln!(
        out,
        "| Principal (`userIdentity.arn` = `identity.arn`) | Account | Ordinary behaviour |"
    );
    let _ = writeln!(out, "|---|---|---|");
    for (actor, acct, what) in rows {
        let _ = writeln!(out, "| `{}` | {acct} | {what} |", actor.arn());
    }
    out.push('\n');
}

fn alerts(out: &mut String, expects: &[Expect]) {
    let _ = writeln!(
        out,
        "| Rule | Severity | Story | Group | First (UTC) | Last (UTC) | Count | Note |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---:|---|");
    for e in expects {
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` | {} | {} | {} | {} |",
            e.rule,
            e.severity,
            e.story,
            e.group,
            iso(e.first),
            iso(e.last),
            e.count,
            e.note
        );
    }
    out.push('\n');
    let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in expects {
        let v = per.entry(e.rule).or_default();
        v.0 += 1;
        v.1 += e.count;
    }
    let _ = writeln!(out, "Per rule: groups / matching records.\n");
    let _ = writeln!(out, "| Rule | Groups | Records |");
    let _ = writeln!(out, "|---|---:|---:|");
    for rule in RULES {
        let (g, r) = per.get(rule).copied().unwrap_or_default();
        let _ = writeln!(out, "| {rule} | {g} | {r} |");
    }
    out.push('\n');
}

pub fn render(
    cast: &Cast,
    expects: &[Expect],
    files: &[OutFile],
    stats: &BTreeMap<String, Stats>,
) -> String {
    let mut o = String::new();
    let leaked = cast.analytics.arn();
    let _ = write!(
        o,
        "# Sample log set: a Bedrock abuse investigation\n\n\
This folder is a complete, synthetic incident-response log set for two AWS accounts, in the \
layouts responders receive: CloudTrail trail objects (management and data events, with a digest \
chain), Bedrock model-invocation logs as delivered to S3, endpoint process telemetry from macOS \
(Jamf Protect), Linux (auditbeat, ECS fields) and Windows (Sysmon), and two AWS CLI exports. \
Open it with `strata sample-logs/`, or print the alerts with `strata scan sample-logs/`.\n\n\
Every byte is reproducible: `cargo run --release --example gen-logset -- sample sample-logs` \
writes the same files again. All names, keys, addresses and conversations are invented.\n\n\
- Period: {} to {} (16 days, UTC). The first 7 days (until {}) are the baseline for first-seen, \
outlier and token-spike rules.\n\
- Accounts: `{PROD}` (prod: multi-region trail, invocation logging to S3 in us-east-1 and \
us-west-2) and `{DEV}` (dev: single-region trail in us-east-1, invocation logging to S3 in \
us-east-1; its eu-west-1 pilot is covered only by the two files in `exports/`, which overlap \
nothing else).\n\
- Guardrails: prod us-east-1 enforces `{}` account-wide until the intruder deletes it; apps add \
their own (`{}`, `{}`, `{}`, `{}`, `{}`, `{}`).\n\n",
        iso(crate::clock::BASE),
        iso(crate::clock::END),
        iso(crate::clock::BASELINE_END),
        gr::ENFORCED,
        gr::CHAT,
        gr::SUMMARIZER,
        gr::FAQ,
        gr::CATALOG,
        gr::DEV,
        gr::EU,
    );
    o.push_str("## Layout\n\n");
    layout(&mut o, files);
    o.push_str("## Principals\n\n");
    principals(&mut o, cast);
    let _ = write!(
        o,
        "## What happened\n\n\
**LLMjacking (prod).** The long-term key of `{leaked}` is used from outside:\n\n\
1. 2026-10-12 02:13 — a key checker at `{IP_CHECKER}` (Windows boto3) calls `GetCallerIdentity`, \
`ListFoundationModels` twice in each of {} regions and `GetFoundationModel`, then probes Claude \
with an invalid body: `ValidationException` where Claude is enabled (us-east-1, us-west-2; also in \
the invocation logs), `AccessDenied` elsewhere (CloudTrail only). It reads the logging configuration.\n\
2. 2026-10-12 12:40 — a reverse proxy at `{IP_PROXY}` (`Python/3.11 aiohttp/3.9.5`) checks Claude 3 \
Opus access (denied five times), and at 14:02 its roleplay sessions are blocked by the enforced \
guardrail. The operator (back on `{IP_CHECKER}`) deletes the enforced guardrail configuration and the \
guardrail at 14:12–14:13. From 14:20 the proxy streams {UNGUARDED_STREAMS} jailbreak roleplay sessions \
(`InvokeModelWithResponseStream`, no guardrail); one carries a pasted lore document over 1,000 characters. \
Input tokens for the prod account jump in the 12:00–16:00 slice.\n\
3. 2026-10-13 03:04 — the operator deletes invocation logging in us-east-1 and points us-west-2 logging \
at a new bucket with text delivery off. A client at `{IP_HARVEST}` (`axios/1.7.4`) makes {HARVEST_STREAMS} \
streaming calls that only CloudTrail records (their `requestID`s have no invocation-log partner). \
At 09:25 the admin restores logging, attaches `AWSCompromisedKeyQuarantineV3` (three more calls are \
denied) and deactivates the key.\n\n\
**Stolen dev session.** 2026-10-14 22:10 — the dev sandbox instance's role session (same `ASIA` key as the \
instance) is used from `5.181.80.113` to create, prepare, alias and invoke a new agent.\n\n\
**Prompt injection.** 2026-10-14 19:02 — four customers type injection attempts into the help-center \
bot; the app wraps them in `<input>…</input>`; the guardrail blocks two.\n\n\
**Insider.** 2026-10-15 16:40 — the ML engineer overwrites the ETL's training file from a laptop \
(`aws s3 cp`, a data event) and starts a fine-tuning job on it 25 minutes later.\n\n\
**Laptop deletes.** 2026-10-16 17:12 — a developer runs `aws bedrock delete-guardrail` and \
`aws bedrock-agent delete-agent` on `jlee-mbp`; CloudTrail records `DeleteGuardrail` and `DeleteAgent` \
with `md/command#…` user agents.\n\n\
Also expected: the admin's `PutModelInvocationLoggingConfiguration` in the baseline week \
({}) and the two restoring calls. Nothing else in the set should raise an alert.\n\n",
        PROBE_REGIONS.len(),
        minute(crate::clock::at(1, 16, 41, 9)),
    );
    o.push_str("## Expected alerts\n\n");
    o.push_str(
        "Counts are matching records in the group across the whole set (for first-seen rules: \
records from the end of the baseline on). Group values are joined with ` · ` in this order:\n\n\
- validation-exception-burst: `identity.arn · accountId · minute`; invocations-without-guardrails, \
prompt-sensitive-keywords, oversized-prompt: `identity.arn`; denied-model-attempts: \
`identity.arn · modelId · accountId`; input-token-spike: `accountId · slice start`\n\
- invoke-model-access-denied: `userIdentity.arn · sourceIPAddress · userAgent · recipientAccountId · awsRegion`; \
first-seen-model-enumeration: `userIdentity.arn`; first-seen-bedrock-api: `userIdentity.arn · eventName`; \
model-enumeration-outlier: `userIdentity.arn · hour`; agent-created: `userIdentity.arn · sessionIssuer.arn · account · region`; \
guardrail-deleted: `userIdentity.arn · account · region · eventName`; invocation-logging-changed: \
`userIdentity.arn · account · region`; training-data-poisoning: `userIdentity.arn · bucket`\n\
- cli-bedrock-delete: `user · host`\n\n",
    );
    alerts(&mut o, expects);
    o.push_str(
        "## How the counts are meant\n\n\
- Records with an `errorCode` have no guardrail trace, so they count as calls without a guardrail; \
no principal has more than five of them in any hour except where listed.\n\
- Prompt text is the content of `<input>…</input>` when present, otherwise the text of all user turns \
(Messages `content[].text`, Converse `text` and `guardContent.text.text`, legacy `prompt`, Titan \
`inputText`); the `system` field is not prompt text. Keywords are case-insensitive; `DAN` is a whole word.\n\
- Invocation records that failed carry `input` (with `inputTokenCount: 0`) and no `output`.\n\
- Enumeration outliers use each principal's hourly counts over all baseline hours (hours without calls \
count as 0); a principal that never enumerated in the baseline has mean 0 and σ 0, so the floor of 10 decides.\n\
- Token slices are 4 hours aligned to 00:00 UTC; every baseline slice of both accounts has traffic. The \
statistics below use the population σ; the planted slice also clears the sample-σ threshold.\n\
- Jamf exec events have no user-name field: the user is `USER=` in `event.exec.env` (uid in \
`audit_token.euid`); ECS uses `user.name`, Sysmon `User`.\n\
- The CloudTrail `requestID` of every model call equals the invocation log's `requestId` when the \
call was logged.\n\n",
    );
    o.push_str("Baseline input tokens per 4-hour slice:\n\n| Account | Mean | σ (population) | σ (sample) | Busiest ordinary test slice vs mean+3σ |\n|---|---:|---:|---:|---:|\n");
    for (acct, s) in stats {
        let _ = writeln!(
            o,
            "| {acct} | {:.0} | {:.0} | {:.0} | {:.0}% |",
            s.mean,
            s.sd,
            s.sd_sample,
            s.max_ratio * 100.0
        );
    }
    o
}
