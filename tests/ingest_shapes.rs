//! Every delivery shape is recognized by content (not by file name), normalized, and its raw record
//! can be read back through the event's source location.

use flate2::{write::GzEncoder, Compression};
use std::fs;
use std::io::Write;
use std::path::Path;
use strata::ingest::{self, raw::read_record, Loaded};
use strata::model::{EntityKind, Strand, TextProbes};

const CT: &str = r#"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:cli","arn":"arn:aws:sts::111122223333:assumed-role/test-role/cli","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/test-role","userName":"test-role"}}},"eventTime":"2024-10-17T20:11:24Z","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"Boto3/1.35.50","requestParameters":{"modelId":"anthropic.claude-3-sonnet-20240229-v1:0"},"responseElements":null,"requestID":"5b4a3a34-0d9e-4a4c-8d1d-2a5f4b6c7d8e","eventID":"e1","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}"#;

const INV: &str = r#"{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2024-10-17T20:11:25Z","accountId":"111122223333","identity":{"arn":"arn:aws:sts::111122223333:assumed-role/test-role/cli"},"region":"us-east-1","requestId":"5b4a3a34-0d9e-4a4c-8d1d-2a5f4b6c7d8e","operation":"InvokeModel","modelId":"anthropic.claude-3-sonnet-20240229-v1:0","errorCode":"AccessDeniedException","input":{"inputContentType":"application/json","inputTokenCount":0},"output":{"outputContentType":"application/json","outputTokenCount":0}}"#;

fn load(dir: &Path) -> Loaded {
    ingest::load(&[dir.to_path_buf()], &TextProbes::new(), |_| {})
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn gz(text: &str) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// (file name, content, expected format)
fn shapes() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let pretty: serde_json::Value = serde_json::from_str(CT).unwrap();
    let pretty = serde_json::to_string_pretty(&pretty).unwrap();
    vec![
        (
            "111122223333_CloudTrail_us-east-1_20241017T2015Z_abc.json.gz",
            gz(&format!("{{\"Records\":[{CT},{CT}]}}")),
            "cloudtrail/records-envelope",
        ),
        ("no-extension", format!("[{CT}]").into_bytes(), "cloudtrail/json-array"),
        ("trail.ndjson", format!("{CT}\n{CT}\n").into_bytes(), "cloudtrail/json-lines"),
        ("pretty.json", format!("{pretty}\n{pretty}").into_bytes(), "cloudtrail/json-stream"),
        (
            "lookup-events.json",
            format!(
                "{{\"Events\":[{{\"EventId\":\"e1\",\"EventName\":\"InvokeModel\",\"ReadOnly\":\"true\",\"EventTime\":\"2024-10-17T20:11:24+00:00\",\"CloudTrailEvent\":{}}}],\"NextToken\":null}}",
                json_string(CT)
            )
            .into_bytes(),
            "cloudtrail/lookup-events",
        ),
        (
            "cw-export.json",
            format!(
                "{{\"events\":[{{\"logStreamName\":\"aws/bedrock/modelinvocations\",\"timestamp\":1729195885000,\"message\":{},\"ingestionTime\":1729195886000,\"eventId\":\"1\"}}],\"searchedLogStreams\":[]}}",
                json_string(INV)
            )
            .into_bytes(),
            "bedrock-invocation/cloudwatch-export",
        ),
        (
            "subscription.json",
            format!(
                "{{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"aws-cloudtrail\",\"logStream\":\"111122223333_CloudTrail_us-east-1\",\"subscriptionFilters\":[\"f\"],\"logEvents\":[{{\"id\":\"1\",\"timestamp\":1729195884000,\"message\":{}}}]}}",
                json_string(CT)
            )
            .into_bytes(),
            "cloudtrail/cloudwatch-subscription",
        ),
        (
            "eventbridge.json",
            format!(
                "{{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.bedrock\",\"account\":\"111122223333\",\"time\":\"2024-10-17T20:11:24Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{CT}}}\n"
            )
            .into_bytes(),
            "cloudtrail/json-lines",
        ),
        ("invocations.json.gz", gz(&format!("{INV}\n{INV}\n")), "bedrock-invocation/json-lines"),
        (
            "ecs.ndjson",
            br#"{"@timestamp":"2024-10-18T09:00:00.000Z","process":{"command_line":"aws bedrock delete-guardrail --guardrail-identifier gr1","args":["aws","bedrock","delete-guardrail","--guardrail-identifier","gr1"],"executable":"/usr/local/bin/aws","name":"aws"},"user":{"name":"carol"},"host":{"hostname":"carol-mbp","name":"carol-mbp.local"}}
"#
            .to_vec(),
            "ecs-process/json-lines",
        ),
        (
            "sysmon.json",
            br#"{"EventID":1,"UtcTime":"2024-10-18 09:01:00.123","Image":"C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe","CommandLine":"aws bedrock list-foundation-models --region us-east-1","User":"CORP\\dave","Computer":"DAVE-PC"}
"#
            .to_vec(),
            "sysmon/json-lines",
        ),
        (
            "edr.json",
            br#"{"timestamp":"2024-10-18T09:02:00Z","cmd_line":"aws bedrock-agent delete-agent --agent-id A1","username":"erin","hostname":"erin-laptop"}
"#
            .to_vec(),
            "endpoint/json-lines",
        ),
    ]
}

#[test]
fn every_delivery_shape_is_recognized_and_read_back() {
    for (name, bytes, format) in shapes() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), &bytes).unwrap();
        let l = load(dir.path());
        let f = &l.report.files[0];
        assert_eq!(f.format.as_deref(), Some(format), "{name}: {f:?}");
        assert!(
            f.records_loaded >= 1 && f.records_rejected == 0,
            "{name}: {f:?}"
        );
        for e in l.store.events() {
            let raw = read_record(&l.store, &e.source).unwrap();
            let v: serde_json::Value =
                serde_json::from_str(&raw).unwrap_or_else(|err| panic!("{name}: {err}: {raw}"));
            match e.strand {
                Strand::Management => assert_eq!(v["eventName"], "InvokeModel", "{name}"),
                Strand::Invocation => assert_eq!(v["schemaType"], "ModelInvocationLog", "{name}"),
                Strand::Endpoint => assert!(
                    l.store.str(e.command_line).starts_with("aws bedrock"),
                    "{name}"
                ),
                Strand::Data => panic!("{name}: unexpected data event"),
            }
        }
    }
}

#[test]
fn cloudtrail_fields_are_normalized() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.json"), format!("[{CT}]")).unwrap();
    let l = load(dir.path());
    let s = &l.store;
    let e = &s.events()[0];
    assert_eq!(
        s.str(e.user_arn),
        "arn:aws:sts::111122223333:assumed-role/test-role/cli"
    );
    assert_eq!(s.str(e.user_name), "cli");
    assert_eq!(
        s.str(e.session_issuer),
        "arn:aws:iam::111122223333:role/test-role"
    );
    assert_eq!(s.str(e.access_key), "ASIAEXAMPLE");
    assert_eq!(s.str(e.account), "111122223333");
    assert_eq!(s.str(e.model_id), "anthropic.claude-3-sonnet-20240229-v1:0");
    assert_eq!(
        s.attr_str(e, "requestParameters.modelId"),
        "anthropic.claude-3-sonnet-20240229-v1:0"
    );
    assert_eq!(s.attr_str(e, "readOnly"), "true");
    assert_eq!(e.ts, 1_729_195_884_000);
}

#[test]
fn access_denied_spellings_share_one_class_and_request_ids_join_strands() {
    let dir = tempfile::tempdir().unwrap();
    let denied = CT.replace(
        "\"responseElements\":null",
        "\"errorCode\":\"AccessDenied\",\"responseElements\":null",
    );
    fs::write(dir.path().join("ct.json"), format!("[{denied}]")).unwrap();
    fs::write(dir.path().join("inv.json"), format!("{INV}\n")).unwrap();
    let l = load(dir.path());
    let s = &l.store;
    assert_eq!(s.len(), 2);
    let classes: Vec<&str> = s.events().iter().map(|e| e.error_class.name()).collect();
    assert_eq!(classes, vec!["access_denied", "access_denied"]);
    let joined = s.lookup_str(
        EntityKind::RequestId,
        "5b4a3a34-0d9e-4a4c-8d1d-2a5f4b6c7d8e",
    );
    assert_eq!(joined.len(), 2);
    let strands: Vec<Strand> = joined
        .iter()
        .map(|&i| s.events()[i as usize].strand)
        .collect();
    assert_eq!(strands, vec![Strand::Management, Strand::Invocation]);
    assert_eq!(
        s.lookup_str(
            EntityKind::User,
            "arn:aws:sts::111122223333:assumed-role/test-role/cli"
        )
        .len(),
        2
    );
    assert_eq!(s.lookup_str(EntityKind::SourceIp, "203.0.113.9").len(), 1);
}

/// Records are first read as the kind of the record before them; a file that changes kind part
/// way must still have every record classified as on its own.
#[test]
fn a_record_of_another_kind_after_endpoint_records_is_classified_on_its_own() {
    let ecs = r#"{"@timestamp":"2024-10-17T20:11:00Z","process":{"command_line":"aws bedrock list-foundation-models","args":["aws","bedrock","list-foundation-models"]},"user":{"name":"dev"},"host":{"hostname":"laptop-1"}}"#;
    let sysmon = r#"{"UtcTime":"2024-10-17 20:11:01.000","CommandLine":"aws bedrock delete-guardrail --guardrail-identifier g1","User":"CORP\\dev","Computer":"laptop-2"}"#;
    let generic = r#"{"timestamp":"2024-10-17T20:11:02Z","cmd_line":"aws bedrock get-model-invocation-logging-configuration","user":"dev","hostname":"laptop-3"}"#;
    let wrapped = format!(
        r#"{{"timestamp":1729195863000,"message":{}}}"#,
        json_string(CT)
    );
    let lines = [ecs, CT, sysmon, INV, generic, &wrapped, ecs];
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mixed.jsonl"), lines.join("\n") + "\n").unwrap();
    let l = load(dir.path());
    let f = &l.report.files[0];
    assert_eq!((f.records_loaded, f.records_rejected), (7, 0), "{f:?}");
    let mut by_record: Vec<_> = l.store.events().iter().collect();
    by_record.sort_by_key(|e| e.source.record);
    let strands: Vec<Strand> = by_record.iter().map(|e| e.strand).collect();
    use Strand::{Endpoint as E, Invocation as I, Management as M};
    assert_eq!(strands, [E, M, E, I, E, M, E]);
    let hosts: Vec<&str> = by_record
        .iter()
        .filter(|e| e.strand == E)
        .map(|e| l.store.str(e.host))
        .collect();
    assert_eq!(hosts, ["laptop-1", "laptop-2", "laptop-3", "laptop-1"]);
    assert_eq!(
        f.format.as_deref(),
        Some("ecs-process+cloudtrail+sysmon+bedrock-invocation+endpoint/json-lines")
    );
}

/// Trail records are read where they lie in the envelope; a record that cannot be read that way
/// (malformed, of another kind, or rejected) must be accounted for exactly as on its own.
#[test]
fn records_envelope_with_odd_records_accounts_for_each_one() {
    let bad_time = CT.replace("2024-10-17T20:11:24Z", "yesterday");
    let other = r#"{"hello":"world"}"#;
    let broken = r#"{"eventSource":"bedrock.amazonaws.com","eventName":tru}"#;
    let second = CT.replace("\"e1\"", "\"e2\"");
    let content = format!("{{\"Records\":[{CT},\n  {bad_time} , {other},{broken},\n{second}]}}");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trail.json.gz"), gz(&content)).unwrap();
    let l = load(dir.path());
    let f = &l.report.files[0];
    assert_eq!(
        (f.records_seen, f.records_loaded, f.records_rejected),
        (5, 2, 3),
        "{f:?}"
    );
    let where_: Vec<&str> = f.rejections.iter().map(|r| r.location.as_str()).collect();
    assert!(
        where_[0].starts_with("record 2, line 2, column 3,"),
        "{where_:?}"
    );
    assert!(where_[1].starts_with("record 3, line 2,"), "{where_:?}");
    assert!(where_[2].starts_with("record 4, line 2,"), "{where_:?}");
    assert!(
        f.rejections[0].reason.contains("yesterday"),
        "{:?}",
        f.rejections[0]
    );
    assert!(
        f.rejections[2].reason.contains("invalid JSON"),
        "{:?}",
        f.rejections[2]
    );
    for e in l.store.events() {
        let raw = read_record(&l.store, &e.source).unwrap();
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v["eventName"], "InvokeModel");
    }
    let ids: Vec<u32> = l.store.events().iter().map(|e| e.source.record).collect();
    assert_eq!(ids, [0, 4]);
}

#[test]
fn files_parsed_as_the_walk_finds_them_keep_the_walk_order() {
    let dir = tempfile::tempdir().unwrap();
    // Nested folders of small and large files, so parsing finishes out of walk order.
    for day in 1..=6 {
        let folder = dir.path().join(format!("2024/10/{day:02}"));
        fs::create_dir_all(&folder).unwrap();
        for part in 0..5 {
            let records = if part % 2 == 0 { 400 } else { 1 };
            let text = format!("{CT}\n").repeat(records);
            fs::write(folder.join(format!("part-{part}.json.gz")), gz(&text)).unwrap();
        }
    }
    fs::write(dir.path().join("notes.txt"), "not a log").unwrap();
    let walked = ingest::discover::discover(&[dir.path().to_path_buf()]);
    assert_eq!(walked.len(), 31);

    let loaded = load(dir.path());
    let stored: Vec<_> = loaded
        .store
        .files()
        .iter()
        .map(|f| f.path.clone())
        .collect();
    let walked_paths: Vec<_> = walked.iter().map(|f| f.path.clone()).collect();
    assert_eq!(stored, walked_paths);
    let reported: Vec<_> = loaded.report.files.iter().map(|f| f.path.clone()).collect();
    let walked_names: Vec<_> = walked_paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(reported, walked_names);
    // Every event points at the file it came from: 400 records in even parts, one in odd ones.
    let mut per_file = vec![0usize; stored.len()];
    for e in loaded.store.events() {
        per_file[e.source.file as usize] += 1;
    }
    for (path, count) in stored.iter().zip(&per_file) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected = match name {
            "notes.txt" => 0,
            "part-1.json.gz" | "part-3.json.gz" => 1,
            _ => 400,
        };
        assert_eq!(*count, expected, "{name}");
    }
    assert_eq!(loaded.store.len(), 6 * (400 * 3 + 2));
    assert_eq!(loaded.progress.files_total, 31);
    assert_eq!(loaded.progress.files_done, 31);
}
