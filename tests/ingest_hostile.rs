//! Hostile files: nothing panics, nothing vanishes; every file and record is loaded or reported
//! with a location and a reason.

mod common;

use common::gzip;
use std::fs;
use std::path::Path;
use strata::ingest::{self, report::FileReport, Loaded};
use strata::model::TextProbes;

const CT: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-07-08T17:06:49Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Boto3/1.34","errorCode":"AccessDenied","requestParameters":{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0"},"responseElements":null,"requestID":"REQ","eventID":"EV","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333","eventCategory":"Management"}"#;

fn record(i: usize) -> String {
    CT.replace("REQ", &format!("req-{i}"))
        .replace("EV", &format!("ev-{i}"))
}

fn load_dir(dir: &Path) -> Loaded {
    ingest::load(&[dir.to_path_buf()], &TextProbes::new(), |_| {})
}

fn file<'a>(l: &'a Loaded, name: &str) -> &'a FileReport {
    l.report
        .files
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in report: {:?}", l.report.files))
}

#[test]
fn truncated_gzip_loads_what_precedes_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{{\"Records\":[{}]}}",
        (0..200).map(record).collect::<Vec<_>>().join(",")
    );
    let mut data = gzip(body.as_bytes());
    data.truncate(data.len() * 2 / 3);
    fs::write(dir.path().join("trail.json.gz"), &data).unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "trail.json.gz");
    assert!(f.gzip);
    assert!(f.records_loaded > 50 && f.records_loaded < 200, "{f:?}");
    assert_eq!(f.records_rejected, 1, "the record cut in half is reported");
    assert!(
        f.rejections[0].reason.contains("truncated"),
        "{:?}",
        f.rejections
    );
    assert!(
        f.warnings
            .iter()
            .any(|w| w.reason.starts_with("gzip data is truncated or corrupt")),
        "{:?}",
        f.warnings
    );
    assert_eq!(f.records_seen, f.records_loaded + f.records_rejected);
}

#[test]
fn invalid_utf8_and_nul_reject_only_their_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    bytes.extend(record(1).as_bytes());
    bytes.push(b'\n');
    bytes.extend(record(2).replace("alice", "al\u{1}ice").as_bytes());
    let bad_utf8 = record(3).replacen("alice", "al", 1).into_bytes();
    bytes.push(b'\n');
    let pos = bad_utf8.windows(2).position(|w| w == b"al").unwrap() + 2;
    let mut bad = bad_utf8.clone();
    bad.insert(pos, 0xff);
    bytes.extend(&bad);
    bytes.push(b'\n');
    bytes.extend(record(4).replace("alice", "a\0b").as_bytes());
    bytes.push(b'\n');
    bytes.extend(record(5).as_bytes());
    bytes.push(b'\n');
    fs::write(dir.path().join("lines.json"), &bytes).unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "lines.json");
    assert_eq!(f.format.as_deref(), Some("cloudtrail/json-lines"));
    assert_eq!(
        (f.records_seen, f.records_loaded, f.records_rejected),
        (5, 2, 3),
        "{f:?}"
    );
    let locs: Vec<&str> = f.rejections.iter().map(|r| r.location.as_str()).collect();
    assert!(
        locs[0].starts_with("record 2, line 2, column 1"),
        "{locs:?}"
    );
    assert!(
        locs[1].starts_with("record 3, line 3, column 1"),
        "{locs:?}"
    );
    assert!(
        locs[2].starts_with("record 4, line 4, column 1"),
        "{locs:?}"
    );
    assert!(
        f.rejections[1].reason.contains("invalid unicode")
            || f.rejections[1].reason.contains("UTF-8"),
        "{:?}",
        f.rejections[1]
    );
}

#[test]
fn twenty_megabyte_single_line_loads() {
    let dir = tempfile::tempdir().unwrap();
    let prompt = "a".repeat(20 * 1024 * 1024);
    let rec = format!(
        r#"{{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2024-04-18T22:54:57Z","accountId":"111122223333","identity":{{"arn":"arn:aws:iam::111122223333:user/alice"}},"region":"us-east-1","requestId":"r-1","operation":"InvokeModel","modelId":"anthropic.claude-v2","input":{{"inputContentType":"application/json","inputBodyJson":{{"prompt":"\n\nHuman: {prompt}\n\nAssistant:"}},"inputTokenCount":5}},"output":{{"outputContentType":"application/json","outputBodyJson":{{"completion":"ok","stop_reason":"stop_sequence"}},"outputTokenCount":1}}}}"#
    );
    fs::write(dir.path().join("big.json"), format!("{rec}\n{rec}\n")).unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "big.json");
    assert_eq!((f.records_loaded, f.records_rejected), (2, 0), "{f:?}");
    assert_eq!(l.store.events()[0].prompt_tokens, 5);
}

#[test]
fn deep_nesting_is_rejected_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "{{\"eventName\":\"x\",\"nested\":{}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    fs::write(
        dir.path().join("deep.json"),
        format!("{}\n{deep}\n{}\n", record(1), record(2)),
    )
    .unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "deep.json");
    assert_eq!((f.records_loaded, f.records_rejected), (2, 1), "{f:?}");
    assert!(
        f.rejections[0].reason.contains("recursion limit"),
        "{:?}",
        f.rejections
    );
    assert!(f.rejections[0].location.starts_with("record 2, line 2"));
}

#[test]
fn empty_blank_and_binary_files_are_skipped_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.json"), b"").unwrap();
    fs::write(dir.path().join("blank.json"), b"  \n\n\t ").unwrap();
    fs::write(dir.path().join("nul.bin"), [0u8; 64]).unwrap();
    fs::write(dir.path().join("notes.txt"), b"hello world").unwrap();
    fs::write(dir.path().join("other.json"), b"{\"hello\":1}\n").unwrap();
    let l = load_dir(dir.path());
    assert_eq!(
        file(&l, "empty.json").skipped.as_deref(),
        Some("empty file")
    );
    assert_eq!(
        file(&l, "blank.json").skipped.as_deref(),
        Some("no records: 6 bytes of blank space")
    );
    assert_eq!(
        file(&l, "nul.bin").skipped.as_deref(),
        Some("not a log: content is not JSON (starts with byte 0x00)")
    );
    assert_eq!(
        file(&l, "notes.txt").skipped.as_deref(),
        Some("not a log: content is not JSON (starts with 'h')")
    );
    assert_eq!(
        file(&l, "other.json").skipped.as_deref(),
        Some("unknown format: not a CloudTrail record, model-invocation log or endpoint event (members: hello)")
    );
    assert_eq!(l.report.totals.files_skipped, 5);
}

#[test]
fn a_failing_gzip_checksum_warns_that_loaded_records_may_be_altered() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = gzip(format!("{}\n{}\n", record(1), record(2)).as_bytes());
    // The CRC-32 of the trailer: the data inflates, and only the check at the end fails.
    let crc = data.len() - 8;
    data[crc] ^= 0xff;
    fs::write(dir.path().join("trail.json.gz"), data).unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "trail.json.gz");
    assert_eq!((f.records_seen, f.records_loaded), (2, 2));
    let warning = &f.warnings[0].reason;
    assert!(
        warning.contains("checksum") && warning.contains("may carry altered values"),
        "{warning}"
    );
}

#[test]
fn files_of_no_records_say_what_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("array.json"), b"[]").unwrap();
    fs::write(dir.path().join("envelope.json"), b"{\"Records\":[]}").unwrap();
    fs::write(dir.path().join("numbers.json"), b"[1,2,3]").unwrap();
    let l = load_dir(dir.path());
    for name in ["array.json", "envelope.json"] {
        assert_eq!(
            file(&l, name).skipped.as_deref(),
            Some("no records: the list of records is empty"),
            "{name}"
        );
    }
    assert_eq!(
        file(&l, "numbers.json").skipped.as_deref(),
        Some("unknown format: not a CloudTrail record, model-invocation log or endpoint event (a JSON number value, not an object)")
    );
}

#[test]
fn damage_costs_only_the_damaged_record() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (record(1), record(2), record(3));
    // A record that never closes (a missing bracket) inside an array.
    fs::write(
        dir.path().join("unclosed.json"),
        format!("[{a},\n{{\"eventTime\": {{\"x\": [1,2,\n,{b},{c}]\n"),
    )
    .unwrap();
    // A string cut by a line break, then records on the lines after it.
    fs::write(
        dir.path().join("cut.jsonl"),
        format!("{{\"eventVersion\":\"1.0\",\"eventTi\n{a}\n{b}\n"),
    )
    .unwrap();
    // Odd first records, then a log: the log loads and the odd records are rejected.
    fs::write(
        dir.path().join("preamble.jsonl"),
        format!("{{\"foo\":1}}\n\"START RequestId: abc\"\n{a}\n{b}\n"),
    )
    .unwrap();
    // A text line above the records (a header, a pasted note).
    fs::write(
        dir.path().join("header.jsonl"),
        format!("exported from the SIEM on 2024-07-09\n{a}\n{b}\n"),
    )
    .unwrap();
    // Notes with a JSON example are still no log.
    fs::write(
        dir.path().join("notes.md"),
        "# Case notes\nThe key was used like this:\n{\"hello\": 1}\n",
    )
    .unwrap();
    let l = load_dir(dir.path());
    assert_eq!(
        file(&l, "notes.md").skipped.as_deref(),
        Some("not a log: content is not JSON (starts with '#')")
    );
    assert_eq!(file(&l, "notes.md").records_seen, 0);
    let counts = |name: &str| {
        let f = file(&l, name);
        assert!(f.skipped.is_none(), "{name}: {f:?}");
        (f.records_seen, f.records_loaded, f.records_rejected)
    };
    assert_eq!(counts("unclosed.json"), (4, 3, 1));
    assert!(file(&l, "unclosed.json").rejections[0]
        .reason
        .starts_with("record never closes"));
    assert_eq!(counts("cut.jsonl"), (3, 2, 1));
    assert!(file(&l, "cut.jsonl").rejections[0]
        .reason
        .contains("line break inside a string"));
    assert_eq!(counts("preamble.jsonl"), (4, 2, 2));
    assert_eq!(counts("header.jsonl"), (3, 2, 1));
    assert_eq!(
        file(&l, "header.jsonl").rejections[0].reason,
        "not JSON: text before the first record"
    );
    let reasons: Vec<&str> = file(&l, "preamble.jsonl")
        .rejections
        .iter()
        .map(|r| r.location.as_str())
        .collect();
    assert!(
        reasons[0].starts_with("record 1,") && reasons[1].starts_with("record 2,"),
        "{reasons:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_by_two_names_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("inv.jsonl"),
        format!("{}\n{}\n", record(1), record(2)),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("inv.jsonl"),
        dir.path().join("inv-link.jsonl"),
    )
    .unwrap();
    let l = ingest::load(
        &[dir.path().to_path_buf(), dir.path().join("inv.jsonl")],
        &TextProbes::new(),
        |_| {},
    );
    assert_eq!(l.store.len(), 2);
    assert_eq!(l.report.totals.records_loaded, 2);
    let skipped: Vec<&str> = l
        .report
        .files
        .iter()
        .filter_map(|f| f.skipped.as_deref())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped.iter().all(|s| s.starts_with("same file as ")),
        "{skipped:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_dangling_link_and_fifo_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::write(root.join("a/b/trail.json"), format!("[{}]", record(1))).unwrap();
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.json"), root.join("a/dangling.json")).unwrap();
    let fifo = root.join("a/pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    let l = load_dir(root);
    assert_eq!(file(&l, "trail.json").records_loaded, 1);
    assert!(file(&l, "a/b/up")
        .skipped
        .as_deref()
        .unwrap()
        .starts_with("symbolic link loop"));
    assert!(file(&l, "dangling.json")
        .skipped
        .as_deref()
        .unwrap()
        .starts_with("unreadable: broken symbolic link"));
    if status.map(|s| s.success()).unwrap_or(false) {
        assert_eq!(
            file(&l, "a/pipe").skipped.as_deref(),
            Some("not a regular file (FIFO, socket or device)")
        );
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.json");
    fs::write(&p, format!("[{}]", record(1))).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    let l = load_dir(dir.path());
    let f = file(&l, "secret.json");
    if fs::read(&p).is_ok() {
        // Running as root: permissions do not stop reading, so the file loads.
        assert_eq!(f.records_loaded, 1);
    } else {
        assert!(
            f.skipped.as_deref().unwrap().starts_with("unreadable: "),
            "{f:?}"
        );
    }
}

#[test]
fn strata_never_writes_into_the_log_set() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trail.json"), format!("[{}]", record(1))).unwrap();
    let before: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let _ = load_dir(dir.path());
    let after: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn epoch_numbers_that_are_no_time_are_rejected_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let invocation = |ts: &str, id: &str| {
        format!(
            r#"{{"schemaType":"ModelInvocationLog","timestamp":{ts},"accountId":"111122223333","identity":{{"arn":"arn:aws:iam::111122223333:user/alice"}},"region":"us-east-1","requestId":"{id}","operation":"InvokeModel","modelId":"anthropic.claude-v2"}}"#
        )
    };
    let lines = [
        invocation("-9223372036854775808", "min"),
        invocation("9223372036854775807", "max"),
        invocation("253402300800000", "just-after-9999"),
        invocation("99999999999999", "year-5138"),
        invocation("1720458409", "seconds"),
    ];
    fs::write(dir.path().join("inv.jsonl"), lines.join("\n")).unwrap();
    let no_time = invocation("null", "no-time").replace(r#""timestamp":null,"#, "");
    let export = format!(
        r#"{{"events":[{{"timestamp":9223372036854775807,"message":{}}},{{"timestamp":1720458409000,"message":{}}}]}}"#,
        serde_json::to_string(&no_time).unwrap(),
        serde_json::to_string(&no_time.replace("no-time", "envelope-time")).unwrap()
    );
    fs::write(dir.path().join("cloudwatch.json"), export).unwrap();
    fs::write(
        dir.path().join("sysmon.jsonl"),
        r#"{"UtcTime":9223372036854775807,"CommandLine":"aws bedrock list-foundation-models","User":"bob","Computer":"build-01"}"#,
    )
    .unwrap();

    let l = load_dir(dir.path());
    let inv = file(&l, "inv.jsonl");
    assert_eq!(
        (inv.records_loaded, inv.records_rejected),
        (2, 3),
        "{inv:?}"
    );
    for r in &inv.rejections {
        assert!(r.reason.contains("is not a time"), "{r:?}");
    }
    let cw = file(&l, "cloudwatch.json");
    assert_eq!((cw.records_loaded, cw.records_rejected), (1, 1), "{cw:?}");
    assert!(
        cw.rejections[0].reason.contains("without timestamp"),
        "{cw:?}"
    );
    let sysmon = file(&l, "sysmon.jsonl");
    assert_eq!(sysmon.records_rejected, 1, "{sysmon:?}");
    // Every loaded time can be shown as a date.
    for e in l.store.events() {
        assert!(
            !strata::model::time::format_timestamp(e.ts).starts_with('@'),
            "{}",
            e.ts
        );
    }
}

#[test]
fn a_pretty_printed_record_among_json_lines_loads_and_open_lines_cost_their_own_record() {
    let dir = tempfile::tempdir().unwrap();
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&record(1)).unwrap(),
    )
    .unwrap();
    let text = format!("{}\n{pretty}\n{}\n", record(0), record(2));
    fs::write(dir.path().join("pasted.jsonl"), &text).unwrap();
    // Thousands of lines left open at the margin above indented records: each open line is one
    // rejected record and the records below it load, without reading to the end for each.
    let mut open = record(0) + "\n";
    for i in 0..5000 {
        open.push_str(&format!(
            "{{\"eventVersion\":\"1.09\",\"open\":[{i},\n  {}\n",
            record(i + 1)
        ));
    }
    fs::write(dir.path().join("open.jsonl.gz"), gzip(open.as_bytes())).unwrap();
    let l = load_dir(dir.path());
    let pasted = file(&l, "pasted.jsonl");
    assert_eq!(
        (
            pasted.records_seen,
            pasted.records_loaded,
            pasted.records_rejected
        ),
        (3, 3, 0),
        "{pasted:?}"
    );
    let open = file(&l, "open.jsonl.gz");
    assert_eq!(
        (
            open.records_seen,
            open.records_loaded,
            open.records_rejected
        ),
        (10_001, 5001, 5000)
    );
    assert!(
        open.rejections[0].location.contains("line 2"),
        "{:?}",
        open.rejections[0]
    );
}
