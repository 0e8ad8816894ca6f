//! `gen-logset bench --size 1GiB OUT_DIR`: a bulk set in the sample's layouts.
//!
//! The set is a fixed sequence of files; file `i`'s kind, stream and time window
//! follow from `i` and the total count alone, and its content from a seed derived
//! from `i`. Files are generated and compressed in parallel, so the bytes do not
//! depend on the number of threads.

mod content;
mod world;

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::clock::{iso, BASE, DAY, SPAN_DAYS};
use crate::invocation;
use crate::layout;
use crate::rng::Rng;
use world::World;

const SEED: u64 = 0x5354_5241_5441_0002;
/// About 1.1 MB of JSON per object: 964 objects per GiB.
const FILE_TARGET: usize = (1usize << 30).div_ceil(964);
const SPAN: i64 = SPAN_DAYS * DAY;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Invocation,
    Trail,
    Data,
    Endpoint,
}

/// Repeating file mix: mostly invocation logs and trail objects, some data events
/// and endpoint exports.
const PATTERN: [Kind; 20] = {
    use Kind::*;
    [
        Invocation, Trail, Invocation, Trail, Invocation, Invocation, Trail, Invocation,
        Invocation, Data, Invocation, Trail, Invocation, Invocation, Trail, Invocation, Invocation,
        Trail, Invocation, Endpoint,
    ]
};

struct Plan {
    /// `(kind, index within kind)` per file.
    files: Vec<(Kind, usize)>,
    /// Invocation files; each is one (stream, window) slot.
    slots: usize,
    trails: usize,
    data: usize,
    endpoint: usize,
}

fn plan(n: usize) -> Plan {
    let mut counts = [0usize; 4];
    let files = (0..n)
        .map(|i| {
            let kind = PATTERN[i % PATTERN.len()];
            let c = &mut counts[kind as usize];
            *c += 1;
            (kind, *c - 1)
        })
        .collect();
    Plan {
        files,
        slots: counts[0].max(1),
        trails: counts[1].max(1),
        data: counts[2].max(1),
        endpoint: counts[3].max(1),
    }
}

/// Stream and time window of the `k`-th of `n` files spread over all streams.
fn window(world: &World, k: usize, n: usize) -> (usize, &'static str, i64, i64) {
    let streams = world.streams.len();
    let windows = n.div_ceil(streams) as i64;
    let len = SPAN / windows;
    let (acct, region) = world.streams[k % streams];
    (acct, region, BASE + (k / streams) as i64 * len, len)
}

struct Stats {
    records: usize,
    raw: usize,
    disk: usize,
}

fn invocation_file(world: &World, k: usize, slots: usize) -> (String, String, usize) {
    let (a, region, start, len) = window(world, k, slots);
    let acct = &world.accounts[a];
    let mut rng = Rng::derive(SEED, &format!("inv/{k}"));
    let mut raw = String::with_capacity(FILE_TARGET + 64 * 1024);
    let mut n = 0;
    let mut first = None;
    for spec in content::Specs::new(SEED, k, start, len, acct.apps.len()) {
        first.get_or_insert(spec.t);
        let (app, call) = content::call(acct, region, &spec);
        let (log, _) = invocation::log_record(&app.actor, &call, &spec.request_id, &mut rng);
        log.write(&mut raw);
        raw.push('\n');
        n += 1;
        if raw.len() >= FILE_TARGET {
            break;
        }
    }
    let key = layout::invocation_key(&acct.id, region, first.unwrap_or(start), &rng.hex(16));
    (format!("bedrock-invocation-logs/{key}"), raw, n)
}

/// Trail objects are fewer than invocation files; trail `k` covers the invocation
/// slot at the same relative position, so both spread over the whole period.
fn trail_file(world: &World, k: usize, trails: usize, slots: usize) -> (String, String, usize) {
    let slot = k * slots / trails;
    let (a, region, start, len) = window(world, slot, slots);
    let acct = &world.accounts[a];
    let mut rng = Rng::derive(SEED, &format!("trail/{k}"));
    let mut lines = Vec::new();
    let mut bytes = 0;
    // The model calls of the matching invocation file (same request ids) …
    for spec in content::Specs::new(SEED, slot, start, len, acct.apps.len()) {
        let (app, call) = content::call(acct, region, &spec);
        let rec = invocation::cloudtrail_record(&app.actor, &call, &spec.request_id, &mut rng);
        let line = rec.to_json();
        bytes += line.len() + 1;
        lines.push(line);
        if bytes >= FILE_TARGET / 2 {
            break;
        }
    }
    // … and everything else the account did in that window.
    while bytes < FILE_TARGET {
        let t = start + rng.below(len as u64) as i64;
        let line = content::management(acct, region, t, &mut rng);
        bytes += line.len() + 1;
        lines.push(line);
    }
    rng.shuffle(&mut lines);
    let delivered = start + len + rng.range(120, 540);
    let key = layout::trail_key(&acct.id, region, delivered, &rng.alnum(16));
    let n = lines.len();
    (
        format!("cloudtrail/{key}"),
        layout::records_envelope(&lines),
        n,
    )
}

fn data_file(world: &World, k: usize, n_data: usize) -> (String, String, usize) {
    let (a, region, start, len) = window(world, k, n_data);
    let acct = &world.accounts[a];
    let mut rng = Rng::derive(SEED, &format!("data/{k}"));
    let mut lines = Vec::new();
    let mut bytes = 0;
    while bytes < FILE_TARGET {
        let t = start + rng.below(len as u64) as i64;
        let line = content::data(acct, region, t, &mut rng);
        bytes += line.len() + 1;
        lines.push(line);
    }
    let delivered = start + len + rng.range(120, 540);
    let key = layout::trail_key(&acct.id, region, delivered, &rng.alnum(16));
    let n = lines.len();
    (
        format!("cloudtrail-data-events/{key}"),
        layout::records_envelope(&lines),
        n,
    )
}

fn endpoint_file(world: &World, k: usize, n_end: usize) -> (String, String, usize) {
    let len = SPAN / n_end as i64;
    let start = BASE + k as i64 * len;
    let kind = k % 3;
    let mut rng = Rng::derive(SEED, &format!("endpoint/{k}"));
    let mut raw = String::with_capacity(FILE_TARGET + 16 * 1024);
    let mut n = 0;
    let mut ms = start * 1000;
    let step = (len * 1000 / 400).max(1);
    while raw.len() < FILE_TARGET {
        ms += rng.range(0, step);
        raw.push_str(&content::endpoint_event(world, kind, ms, &mut rng));
        raw.push('\n');
        n += 1;
    }
    let day = &iso(start)[..10];
    let path = match kind {
        0 => format!("endpoint/jamf-protect/{day}/telemetry-{k:05}.ndjson.gz"),
        1 => format!("endpoint/auditbeat/{day}/process-{k:05}.ndjson.gz"),
        _ => format!("endpoint/sysmon/{day}/sysmon-{k:05}.jsonl.gz"),
    };
    (path, raw, n)
}

pub fn run(out: &Path, size: u64, level: u32) -> Result<()> {
    let started = Instant::now();
    let world = World::new(SEED);
    let n = (size as usize).div_ceil(FILE_TARGET).max(1);
    let plan = plan(n);
    for dir in [
        "cloudtrail",
        "cloudtrail-data-events",
        "bedrock-invocation-logs",
        "endpoint",
    ] {
        let p = out.join(dir);
        if p.exists() {
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    let stats: Vec<Stats> = plan
        .files
        .par_iter()
        .map(|&(kind, k)| -> Result<Stats> {
            let (path, raw, records) = match kind {
                Kind::Invocation => invocation_file(&world, k, plan.slots),
                Kind::Trail => trail_file(&world, k, plan.trails, plan.slots),
                Kind::Data => data_file(&world, k, plan.data),
                Kind::Endpoint => endpoint_file(&world, k, plan.endpoint),
            };
            let gz = layout::gzip(raw.as_bytes(), level);
            layout::write_file(out, &path, &gz).with_context(|| format!("writing {path}"))?;
            Ok(Stats {
                records,
                raw: raw.len(),
                disk: gz.len(),
            })
        })
        .collect::<Result<_>>()?;
    let records: usize = stats.iter().map(|s| s.records).sum();
    let raw: usize = stats.iter().map(|s| s.raw).sum();
    let disk: usize = stats.iter().map(|s| s.disk).sum();
    eprintln!(
        "wrote {n} gzip files, {records} records, {raw} bytes uncompressed, {disk} bytes on disk to {} in {:.1}s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
