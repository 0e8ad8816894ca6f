//! The binary as scripts use it: `scan` formats and exit codes, `--load-report`, `rules`,
//! `check-config`, refusing to write into the log set.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn strata() -> Command {
    let mut c = Command::cargo_bin("strata").unwrap();
    c.current_dir(root());
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success() || out.status.code() == Some(3),
        "{:?}",
        out
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ndjson_has_the_documented_keys_on_every_line() {
    let text = stdout(strata().args(["scan", "--format", "ndjson", "sample-logs"]));
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 43);
    for v in &lines {
        for key in [
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
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {v}");
        }
        let total = v["evidence_total"].as_u64().unwrap();
        let inlined = v["evidence"].as_array().unwrap().len() as u64;
        assert!(inlined <= 5 && inlined <= total && total >= 1, "{v}");
    }
    let burst = lines
        .iter()
        .find(|v| v["rule_id"] == "validation-exception-burst")
        .unwrap();
    assert_eq!(burst["count"], 5);
    assert_eq!(
        burst["entity"]["user"],
        "arn:aws:iam::111122223333:user/svc-analytics-export"
    );
    assert_eq!(burst["entity"]["account"], "111122223333");
}

#[test]
fn fail_on_sets_exit_code_three_and_min_severity_filters() {
    let out = strata()
        .args(["scan", "--fail-on", "high", "sample-logs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = strata()
        .args(["scan", "--fail-on", "critical", "sample-logs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(strata().args([
        "scan",
        "--format",
        "ndjson",
        "--min-severity",
        "high",
        "sample-logs",
    ]));
    let sev: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["severity"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sev.len(), 9);
    assert!(sev.iter().all(|s| s == "high" || s == "critical"));
}

#[test]
fn load_report_json_adds_up_for_sample_logs_and_corpus() {
    for set in ["sample-logs", "tests/fixtures"] {
        let text = stdout(strata().args(["scan", "--load-report", "--format", "json", set]));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let t = &v["totals"];
        assert_eq!(
            t["records_seen"].as_u64().unwrap(),
            t["records_loaded"].as_u64().unwrap() + t["records_rejected"].as_u64().unwrap()
        );
        for f in v["files"].as_array().unwrap() {
            for key in [
                "path",
                "format",
                "records_seen",
                "records_loaded",
                "records_rejected",
                "rejections",
                "skipped",
            ] {
                assert!(f.get(key).is_some(), "{key} missing in {f}");
            }
        }
    }
    let v: serde_json::Value = serde_json::from_str(&stdout(strata().args([
        "scan",
        "--load-report",
        "--format",
        "json",
        "sample-logs",
    ])))
    .unwrap();
    assert_eq!(v["totals"]["records_loaded"], 12384);
    assert_eq!(v["totals"]["records_rejected"], 0);
}

#[test]
fn rules_list_and_show() {
    let list = stdout(strata().args(["rules"]));
    for id in [
        "validation-exception-burst",
        "cli-bedrock-delete",
        "training-data-poisoning",
    ] {
        assert!(list.contains(id), "{id} not listed");
    }
    let one = stdout(strata().args(["rules", "show", "invoke-model-access-denied"]));
    assert!(one.contains("Splunk"), "{one}");
    let out = strata().args(["rules", "show", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("validation-exception-burst"));
}

#[test]
fn check_config_reports_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("keymap.toml");
    std::fs::write(&bad, "[global]\n\"q\" = \"qiut\"\n").unwrap();
    let out = strata().args(["check-config"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{}:2:", bad.display())), "{text}");
    assert!(text.contains("qiut"), "{text}");
    let good = strata()
        .args(["check-config", "keymaps", "themes", "rules"])
        .output()
        .unwrap();
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
}

/// Writes a real one-record CloudTrail log (a corpus fixture) to `path`.
fn copy_a_trail_to(path: &Path) {
    let fixture =
        root().join("tests/fixtures/elastic-integrations-aws-cloudtrail/test-converse-json.log");
    std::fs::copy(fixture, path).unwrap();
}

#[test]
fn scan_refuses_to_write_into_the_log_set() {
    let dir = tempfile::tempdir().unwrap();
    copy_a_trail_to(&dir.path().join("t.log"));
    let out = strata()
        .args(["scan", "--output"])
        .arg(dir.path().join("alerts.json"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!Path::new(&dir.path().join("alerts.json")).exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write"));
}

#[test]
fn scan_refuses_to_write_through_a_link_into_the_log_set() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("t.log");
    copy_a_trail_to(&log);
    let before = std::fs::read(&log).unwrap();
    let link = dir.path().join("alerts.json");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let out = strata()
        .args(["scan", "--format", "json", "--output"])
        .arg(&link)
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write"));
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[test]
fn scan_refuses_to_overwrite_a_file_it_read_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let outside = dir.path().join("target.log");
    copy_a_trail_to(&outside);
    let before = std::fs::read(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, logs.join("link.log")).unwrap();
    let out = strata()
        .args(["scan", "--output"])
        .arg(&outside)
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a file of the log set"));
    assert_eq!(std::fs::read(&outside).unwrap(), before);
}

#[test]
fn a_path_that_cannot_be_read_fails_the_scan_after_reporting() {
    let missing = root().join("no-such-folder");
    let out = strata()
        .args(["scan", "sample-logs"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("no-such-folder"),
        "{stderr}"
    );
    // The alerts of what could be read are still printed.
    assert!(String::from_utf8_lossy(&out.stdout).contains("guardrail-deleted"));
    let out = strata()
        .args(["scan", "--load-report", "--format", "json"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["files"][0]["skipped"].is_string(), "{report}");
}

#[test]
fn json_outputs_escape_terminal_hazards_from_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let record = serde_json::json!({
        "eventVersion": "1.08", "eventTime": "2024-07-08T17:06:49Z",
        "eventSource": "bedrock.amazonaws.com", "eventName": "DeleteGuardrail",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
        "userAgent": "cli\u{202e}txt.exe\u{9b}31m\u{7f}",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a\u{200b}b",
                         "accountId": "111122223333"},
        "requestParameters": {"guardrailIdentifier": "g1"},
        "recipientAccountId": "111122223333", "eventCategory": "Management",
    });
    std::fs::write(dir.path().join("trail\u{202e}.json"), record.to_string()).unwrap();
    let hazard = |c: char| {
        c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || "\u{200b}\u{202e}".contains(c)
    };
    for args in [
        vec!["scan", "--format", "json"],
        vec!["scan", "--format", "ndjson"],
        vec!["scan", "--load-report", "--format", "json"],
    ] {
        let out = strata().args(&args).arg(dir.path()).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.chars().any(hazard), "{args:?}: {text:?}");
        assert!(text.contains("\\u202e"), "{args:?}: {text}");
        // The escapes decode to the logged characters.
        let first = text.lines().next().unwrap_or("");
        let value: serde_json::Value = if args.contains(&"ndjson") {
            serde_json::from_str(first).unwrap()
        } else {
            serde_json::from_str(&text).unwrap()
        };
        assert!(value.to_string().contains('\u{202e}'), "{args:?}");
    }
}

#[test]
fn help_has_examples_for_every_subcommand() {
    for args in [
        vec!["--help"],
        vec!["scan", "--help"],
        vec!["rules", "--help"],
        vec!["check-config", "--help"],
    ] {
        let text = stdout(strata().args(&args));
        assert!(text.contains("Examples:"), "{args:?}");
    }
}
