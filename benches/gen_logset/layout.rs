//! S3 object keys, envelopes and compression shared by the sample and bulk sets.

use std::io::Write;
use std::path::Path;

use flate2::{Compression, GzBuilder};

use crate::clock::{compact_min, compact_sec, hour_of_day, ymd_path};

/// Trail name used in digest object names.
pub const TRAIL_NAME: &str = "acme-org-trail";

/// Gzip with a zero mtime and no file name, so equal input gives equal bytes.
pub fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = GzBuilder::new().mtime(0).write(
        Vec::with_capacity(data.len() / 5 + 64),
        Compression::new(level),
    );
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// `AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`
pub fn trail_key(account: &str, region: &str, delivered: i64, unique: &str) -> String {
    format!(
        "AWSLogs/{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{unique}.json.gz",
        ymd_path(delivered),
        compact_min(delivered)
    )
}

/// `AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<region>_<trail>_<region>_<YYYYMMDDTHHmmssZ>.json.gz`
pub fn digest_key(account: &str, region: &str, end: i64) -> String {
    format!(
        "AWSLogs/{account}/CloudTrail-Digest/{region}/{}/{account}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{region}_{}.json.gz",
        ymd_path(end),
        compact_sec(end)
    )
}

/// `AWSLogs/<acct>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/<YYYYMMDDTHHMMSSZ>_<hash>.json.gz`
pub fn invocation_key(account: &str, region: &str, t: i64, hash: &str) -> String {
    format!(
        "AWSLogs/{account}/BedrockModelInvocationLogs/{region}/{}/{:02}/{}_{hash}.json.gz",
        ymd_path(t),
        hour_of_day(t),
        compact_sec(t)
    )
}

/// `{"Records":[…]}` from already-serialized records, as CloudTrail writes it.
pub fn records_envelope(records: &[String]) -> String {
    let len: usize = records.iter().map(|r| r.len() + 1).sum();
    let mut out = String::with_capacity(len + 16);
    out.push_str("{\"Records\":[");
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r);
    }
    out.push_str("]}");
    out
}

/// Newline-delimited JSON with a trailing newline.
pub fn ndjson(records: &[String]) -> String {
    let len: usize = records.iter().map(|r| r.len() + 1).sum();
    let mut out = String::with_capacity(len);
    for r in records {
        out.push_str(r);
        out.push('\n');
    }
    out
}

/// Writes `bytes` to `root/rel`, creating folders.
pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}
