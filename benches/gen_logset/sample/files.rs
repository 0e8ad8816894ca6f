//! Turns the collected records into files laid out like the real S3 buckets and
//! exports: trail objects (records unordered inside a file), a digest chain,
//! data-event trail, hourly invocation-log folders, endpoint exports and CLI exports.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::sink::{Dest, Item};
use super::world::{PROD, USE1};
use crate::clock::{iso, ymd, BASE, DAY, HOUR};
use crate::json::{obj, V};
use crate::layout;
use crate::rng::Rng;
use crate::sha256;

pub const TRAIL_ROOT: &str = "cloudtrail";
pub const DATA_ROOT: &str = "cloudtrail-data-events";
pub const INVOCATION_ROOT: &str = "bedrock-invocation-logs";
pub const TRAIL_BUCKET: &str = "acme-org-cloudtrail-logs";
/// Trail objects cover six hours each, which keeps the sample small on disk.
const TRAIL_WINDOW: i64 = 6 * HOUR;
const INVOCATION_WINDOW: i64 = 12 * HOUR;
const DATA_WINDOW: i64 = DAY;
/// Digest chain for prod us-east-1 on the day of the intrusion (2026-10-12).
const DIGEST_DAY: i64 = 11;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Strand {
    Management,
    Digest,
    Data,
    Invocation,
    Endpoint,
    Export,
}

impl Strand {
    pub fn label(self) -> &'static str {
        match self {
            Strand::Management => "CloudTrail management events",
            Strand::Digest => "CloudTrail digest files",
            Strand::Data => "CloudTrail data events",
            Strand::Invocation => "Bedrock model-invocation logs",
            Strand::Endpoint => "Endpoint process telemetry",
            Strand::Export => "CLI exports",
        }
    }
}

pub struct OutFile {
    pub path: String,
    pub strand: Strand,
    pub records: usize,
    /// Uncompressed content.
    pub raw: Vec<u8>,
    pub gzip: bool,
    /// Bytes written to disk (gzip or raw).
    pub bytes: Vec<u8>,
}

fn file(path: String, strand: Strand, records: usize, raw: String, gzip: bool) -> OutFile {
    OutFile {
        path,
        strand,
        records,
        raw: raw.into_bytes(),
        gzip,
        bytes: Vec::new(),
    }
}

fn window(ms: i64, len: i64) -> i64 {
    (ms / 1000 - BASE).div_euclid(len)
}

struct Group {
    lines: Vec<String>,
    oldest: i64,
    newest: i64,
}

type Groups = BTreeMap<(String, String, i64), Group>;

fn group(items: &[&Item], len: i64) -> Groups {
    let mut groups: Groups = BTreeMap::new();
    for it in items {
        let key = (it.account.clone(), it.region.clone(), window(it.ms, len));
        let g = groups.entry(key).or_insert(Group {
            lines: Vec::new(),
            oldest: i64::MAX,
            newest: i64::MIN,
        });
        g.lines.push(it.v.to_json());
        g.oldest = g.oldest.min(it.ms / 1000);
        g.newest = g.newest.max(it.ms / 1000);
    }
    groups
}

struct TrailObject {
    key: String,
    delivered: i64,
    oldest: i64,
    newest: i64,
    sha: String,
}

fn trails(
    seed: u64,
    root: &str,
    items: &[&Item],
    len: i64,
    out: &mut Vec<OutFile>,
) -> Vec<TrailObject> {
    let mut objects = Vec::new();
    for ((account, region, w), mut g) in group(items, len) {
        let mut rng = Rng::derive(seed, &format!("{root}/{account}/{region}/{w}"));
        let delivered = BASE + (w + 1) * len + rng.range(120, 540);
        let key = layout::trail_key(&account, &region, delivered, &rng.alnum(16));
        rng.shuffle(&mut g.lines);
        let raw = layout::records_envelope(&g.lines);
        if root == TRAIL_ROOT && account == PROD && region == USE1 {
            objects.push(TrailObject {
                key: key.clone(),
                delivered,
                oldest: g.oldest,
                newest: g.newest,
                sha: sha256::hex_digest(raw.as_bytes()),
            });
        }
        let strand = if root == TRAIL_ROOT {
            Strand::Management
        } else {
            Strand::Data
        };
        out.push(file(
            format!("{root}/{key}"),
            strand,
            g.lines.len(),
            raw,
            true,
        ));
    }
    objects
}

/// Hourly digest files chaining the prod us-east-1 trail objects of one day.
fn digests(seed: u64, objects: &[TrailObject], out: &mut Vec<OutFile>) {
    let mut rng = Rng::derive(seed, "digest");
    let fingerprint = rng.hex(32);
    let day_start = BASE + DIGEST_DAY * DAY + 36 * 60 + 49;
    let mut prev_key = layout::digest_key(PROD, USE1, day_start);
    let mut prev_hash = rng.hex(64);
    let mut prev_sig = rng.hex(512);
    for h in 0..24 {
        let start = day_start + h * HOUR;
        let end = start + HOUR;
        let key = layout::digest_key(PROD, USE1, end);
        let listed: Vec<&TrailObject> = objects
            .iter()
            .filter(|o| (start..end).contains(&o.delivered))
            .collect();
        let newest = listed.iter().map(|o| o.newest).max();
        let oldest = listed.iter().map(|o| o.oldest).min();
        let log_files: Vec<V> = listed
            .iter()
            .map(|o| {
                obj! {
                    "s3Bucket" => TRAIL_BUCKET,
                    "s3Object" => o.key.clone(),
                    "hashValue" => o.sha.clone(),
                    "hashAlgorithm" => "SHA-256",
                    "newestEventTime" => iso(o.newest),
                    "oldestEventTime" => iso(o.oldest),
                }
            })
            .collect();
        let body = obj! {
            "awsAccountId" => PROD,
            "digestStartTime" => iso(start),
            "digestEndTime" => iso(end),
            "digestS3Bucket" => TRAIL_BUCKET,
            "digestS3Object" => key.clone(),
            "digestPublicKeyFingerprint" => fingerprint.clone(),
            "digestSignatureAlgorithm" => "SHA256withRSA",
            "newestEventTime" => newest.map(iso),
            "oldestEventTime" => oldest.map(iso),
            "previousDigestS3Bucket" => TRAIL_BUCKET,
            "previousDigestS3Object" => prev_key.clone(),
            "previousDigestHashValue" => prev_hash.clone(),
            "previousDigestHashAlgorithm" => "SHA-256",
            "previousDigestSignature" => prev_sig.clone(),
            "logFiles" => V::Arr(log_files),
        };
        let raw = body.to_json();
        prev_hash = sha256::hex_digest(raw.as_bytes());
        prev_sig = rng.hex(512);
        prev_key = key.clone();
        out.push(file(
            format!("{TRAIL_ROOT}/{key}"),
            Strand::Digest,
            0,
            raw,
            true,
        ));
    }
}

fn invocations(seed: u64, items: &[&Item], out: &mut Vec<OutFile>) {
    for ((account, region, w), g) in group(items, INVOCATION_WINDOW) {
        let mut rng = Rng::derive(seed, &format!("inv/{account}/{region}/{w}"));
        let key = layout::invocation_key(&account, &region, g.oldest, &rng.hex(16));
        out.push(file(
            format!("{INVOCATION_ROOT}/{key}"),
            Strand::Invocation,
            g.lines.len(),
            layout::ndjson(&g.lines),
            true,
        ));
    }
}

fn exports(items: &[&Item], out: &mut Vec<OutFile>) {
    let lookup: Vec<&&Item> = items
        .iter()
        .filter(|i| i.dest == Dest::LookupEvents)
        .collect();
    if let Some(first) = lookup.first() {
        // lookup-events pages newest first.
        let events: Vec<V> = lookup.iter().rev().map(|i| i.v.clone()).collect();
        let n = events.len();
        let doc = obj! { "Events" => V::Arr(events) };
        let path = format!(
            "exports/cloudtrail-lookup-events-{}-{}.json",
            first.account, first.region
        );
        out.push(file(path, Strand::Export, n, doc.to_pretty(), false));
    }
    let cw: Vec<&&Item> = items
        .iter()
        .filter(|i| i.dest == Dest::CloudWatch)
        .collect();
    if let Some(first) = cw.first() {
        let events: Vec<V> = cw.iter().map(|i| i.v.clone()).collect();
        let n = events.len();
        let doc = obj! { "events" => V::Arr(events), "searchedLogStreams" => V::Arr(vec![]) };
        let path = format!(
            "exports/cloudwatch-filter-log-events-{}-{}.json",
            first.account, first.region
        );
        out.push(file(path, Strand::Export, n, doc.to_pretty(), false));
    }
}

fn endpoints(items: &[&Item], out: &mut Vec<OutFile>) {
    let mut jamf: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ecs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut sysmon = Vec::new();
    for it in items {
        let day = ymd(it.ms / 1000);
        match it.dest {
            Dest::Jamf => jamf.entry(day).or_default().push(it.v.to_json()),
            Dest::Ecs => ecs.entry(day).or_default().push(it.v.to_json()),
            Dest::Sysmon => sysmon.push(it.v.to_json()),
            _ => {}
        }
    }
    for (day, lines) in jamf {
        let path = format!("endpoint/jamf-protect/telemetry-{day}.ndjson");
        out.push(file(
            path,
            Strand::Endpoint,
            lines.len(),
            layout::ndjson(&lines),
            false,
        ));
    }
    for (day, lines) in ecs {
        let path = format!("endpoint/auditbeat/gha-runner-02/process-{day}.ndjson.gz");
        out.push(file(
            path,
            Strand::Endpoint,
            lines.len(),
            layout::ndjson(&lines),
            true,
        ));
    }
    if !sysmon.is_empty() {
        let path = "endpoint/sysmon/WS-FIN-0231-process-create.jsonl".to_string();
        out.push(file(
            path,
            Strand::Endpoint,
            sysmon.len(),
            layout::ndjson(&sysmon),
            false,
        ));
    }
}

/// Lays out all items as files (compressed where the real source compresses).
pub fn build(seed: u64, mut items: Vec<Item>) -> Vec<OutFile> {
    items.sort_by_key(|i| (i.ms, i.seq));
    let of = |d: Dest| -> Vec<&Item> { items.iter().filter(|i| i.dest == d).collect() };
    let mut out = Vec::new();
    let objects = trails(seed, TRAIL_ROOT, &of(Dest::Trail), TRAIL_WINDOW, &mut out);
    digests(seed, &objects, &mut out);
    trails(seed, DATA_ROOT, &of(Dest::DataTrail), DATA_WINDOW, &mut out);
    invocations(seed, &of(Dest::Invocation), &mut out);
    let all: Vec<&Item> = items.iter().collect();
    exports(&all, &mut out);
    endpoints(&all, &mut out);
    out.par_iter_mut().for_each(|f| {
        f.bytes = if f.gzip {
            layout::gzip(&f.raw, 9)
        } else {
            f.raw.clone()
        };
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
