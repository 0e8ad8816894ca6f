//! Every real corpus file loads with its exact record count, format and strand; reports add up;
//! normalized events match their snapshots.

use std::path::{Path, PathBuf};
use strata::ingest::{self, report::FileReport, Loaded};
use strata::model::{view::event_json, TextProbes};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(rel: &str) -> Loaded {
    ingest::load(&[fixtures().join(rel)], &TextProbes::new(), |_| {})
}

fn only_file(l: &Loaded) -> &FileReport {
    assert_eq!(l.report.files.len(), 1, "{:?}", l.report.files);
    &l.report.files[0]
}

fn assert_adds_up(f: &FileReport) {
    assert_eq!(
        f.records_seen,
        f.records_loaded + f.records_rejected,
        "{}",
        f.path
    );
}

#[test]
fn every_corpus_file_loads_with_exact_counts() {
    // (relative path, format, records loaded, rejected)
    let expected: &[(&str, &str, u64, u64)] = &[
        ("elastic-integrations-aws_bedrock/test-aws-bedrock.log", "bedrock-invocation/json-lines", 19, 0),
        ("elastic-integrations-aws-cloudtrail/test-converse-json.log", "cloudtrail/json-lines", 1, 0),
        ("elastic-integrations-aws-cloudtrail/test-put-object-json.log", "cloudtrail/json-lines", 1, 0),
        (
            "elastic-integrations-jamf_protect/test-jamf-protect-telemetry-sample-logs.exec-excerpt.ndjson",
            "jamf-protect/json-lines",
            1,
            0,
        ),
        ("cloudtrail2sightings/aws.credential-access.secretsmanager-retrieve-secrets.json", "cloudtrail/records-envelope", 10, 0),
        ("cloudtrail2sightings/aws.defense-evasion.cloudtrail-delete.json", "cloudtrail/records-envelope", 1, 0),
        ("cloudtrail2sightings/aws.exfiltration.ec2-share-ebs-snapshot.json", "cloudtrail/records-envelope", 1, 0),
        ("cloudtrail2sightings/aws.execution.ec2-user-data.json", "cloudtrail/records-envelope", 3, 0),
        ("stratus-red-team/detonation-logs/aws.impact.bedrock-invoke-model.json", "cloudtrail/json-array", 15, 0),
        ("stratus-red-team/detonation-logs/aws.execution.ssm-send-command.json", "cloudtrail/json-array", 56, 0),
    ];
    for &(rel, format, loaded, rejected) in expected {
        let l = load(rel);
        let f = only_file(&l);
        assert_eq!(f.skipped, None, "{rel}");
        assert_eq!(f.format.as_deref(), Some(format), "{rel}");
        assert_eq!(
            (f.records_loaded, f.records_rejected),
            (loaded, rejected),
            "{rel}"
        );
        assert_adds_up(f);
        assert_eq!(l.store.len() as u64, loaded, "{rel}");
    }
}

#[test]
fn stratus_detonation_logs_total_310_events() {
    let l = load("stratus-red-team/detonation-logs");
    assert_eq!(l.report.files.len(), 35);
    assert!(l
        .report
        .files
        .iter()
        .all(|f| f.skipped.is_none() && f.records_rejected == 0));
    assert_eq!(l.report.totals.records_loaded, 310);
    assert_eq!(l.store.len(), 310);
}

#[test]
fn whole_fixture_tree_adds_up() {
    // The corpus folders and SOURCES.md; `rules/` holds the detection scenarios, tested on their own.
    let mut roots: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.ends_with("rules"))
        .collect();
    roots.sort();
    let l = ingest::load(&roots, &TextProbes::new(), |_| {});
    let t = &l.report.totals;
    assert_eq!(t.records_seen, t.records_loaded + t.records_rejected);
    for f in &l.report.files {
        assert_adds_up(f);
    }
    // 310 Stratus + 15 cloudtrail2sightings + 2 Elastic CloudTrail + 19 invocations + 1 Jamf.
    assert_eq!(t.records_loaded, 347);
    assert_eq!(t.strands.invocation, 19);
    assert_eq!(t.strands.endpoint, 1);
    assert_eq!(t.strands.management, 327);
    let skipped: Vec<(&str, &str)> = l
        .report
        .files
        .iter()
        .filter_map(|f| Some((f.path.rsplit('/').next()?, f.skipped.as_deref()?)))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                "SOURCES.md",
                "not a log: content is not JSON (starts with '#')"
            ),
            (
                "test-cloudtrail-digest-json.log",
                "CloudTrail digest file (hashes that prove log integrity, not events)"
            ),
        ]
    );
    // Events come out in time order.
    assert!(l.store.events().windows(2).all(|w| w[0].ts <= w[1].ts));
}

#[test]
fn malformed_cloudtrail2sightings_file_is_reported_precisely() {
    let l = load("cloudtrail2sightings/aws.execution.ec2-user-data.json");
    let f = only_file(&l);
    assert_eq!(f.records_loaded, 3);
    let warnings: Vec<String> = f
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.location, w.reason))
        .collect();
    assert_eq!(
        warnings,
        vec![
            "line 112, column 1, byte 3327: missing ',' between records (read on as if it were there)",
            "line 201, column 1, byte 6226: missing ',' between records (read on as if it were there)",
        ]
    );
    // The Datadog-style export keeps the user agent under http.useragent and the IP under network.client.ip.
    let e = &l.store.events()[0];
    assert_eq!(
        l.store.str(e.user_agent),
        "stratus-red-team_a88d8803-6dbc-404c-848b-010d3284bd73"
    );
    assert_eq!(l.store.str(e.source_ip), "62.167.105.104");
}

#[test]
fn jamf_user_comes_from_the_exec_environment() {
    let l = load("elastic-integrations-jamf_protect/test-jamf-protect-telemetry-sample-logs.exec-excerpt.ndjson");
    let e = &l.store.events()[0];
    assert_eq!(l.store.str(e.user_name), "jappleseed");
    assert_eq!(l.store.str(e.host), "MacBookPro");
}

#[test]
fn digest_file_is_skipped_with_reason() {
    let l = load("elastic-integrations-aws-cloudtrail/test-cloudtrail-digest-json.log");
    let f = only_file(&l);
    assert_eq!(f.records_seen, 0);
    assert_eq!(
        f.skipped.as_deref(),
        Some("CloudTrail digest file (hashes that prove log integrity, not events)")
    );
}

fn snapshot_events(rel: &str, max: usize) -> serde_json::Value {
    let l = load(rel);
    let events: Vec<serde_json::Value> = l
        .store
        .events()
        .iter()
        .take(max)
        .map(|e| {
            let mut v = event_json(&l.store, e);
            // Absolute paths differ between machines.
            if let Some(src) = v.get_mut("source").and_then(|s| s.as_object_mut()) {
                src.insert("file".into(), serde_json::Value::String(rel.to_string()));
            }
            v
        })
        .collect();
    serde_json::Value::Array(events)
}

#[test]
fn snapshot_cloudtrail_converse_json_lines() {
    insta::assert_json_snapshot!(snapshot_events(
        "elastic-integrations-aws-cloudtrail/test-converse-json.log",
        1
    ));
}

#[test]
fn snapshot_cloudtrail_s3_data_event() {
    insta::assert_json_snapshot!(snapshot_events(
        "elastic-integrations-aws-cloudtrail/test-put-object-json.log",
        1
    ));
}

#[test]
fn snapshot_cloudtrail_json_array_bedrock_detonation() {
    insta::assert_json_snapshot!(snapshot_events(
        "stratus-red-team/detonation-logs/aws.impact.bedrock-invoke-model.json",
        15
    ));
}

#[test]
fn snapshot_cloudtrail_records_envelope() {
    insta::assert_json_snapshot!(snapshot_events(
        "cloudtrail2sightings/aws.defense-evasion.cloudtrail-delete.json",
        1
    ));
}

#[test]
fn snapshot_invocation_logs() {
    insta::assert_json_snapshot!(snapshot_events(
        "elastic-integrations-aws_bedrock/test-aws-bedrock.log",
        19
    ));
}

#[test]
fn snapshot_jamf_protect_exec() {
    insta::assert_json_snapshot!(snapshot_events(
        "elastic-integrations-jamf_protect/test-jamf-protect-telemetry-sample-logs.exec-excerpt.ndjson",
        1
    ));
}
