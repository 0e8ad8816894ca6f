//! Measures the building blocks ingest chooses between, one core at a time, on a generated set:
//! gzip backends over every file, and JSON parsers over the model-invocation records.
//!
//!   cargo run --release --example codecs -- bench-out/logset-1g
//!   cargo run --release --example codecs --features compare-parsers -- bench-out/logset-1g
//!
//! The second form adds sonic-rs and simd-json, which are optional so that ordinary builds and the
//! test suite do not compile them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use serde::Deserialize;
use strata::ingest::invocation::{self, InvocationRecord};
use strata::ingest::invocation_body::{RequestFacts, ResponseFacts};
use strata::ingest::record::Json;
use strata::ingest::text::Text;

/// The fields a minimal "who called which model" question needs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Minimal<'a> {
    #[serde(borrow, default)]
    identity: Option<MinimalIdentity<'a>>,
    #[serde(borrow, default)]
    model_id: Option<&'a str>,
    #[serde(borrow, default)]
    operation: Option<&'a str>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalIdentity<'a> {
    #[serde(borrow, default)]
    arn: Option<&'a str>,
}

/// strata's invocation record and body facts without its three raw-JSON members (timestamp and
/// token counts), which only serde_json can hand out: the same read for any serde parser.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PortableRecord<'a> {
    #[serde(borrow, default)]
    timestamp: Text<'a>,
    #[serde(borrow, default)]
    account_id: Text<'a>,
    #[serde(borrow, default)]
    identity: Option<MinimalIdentity<'a>>,
    #[serde(borrow, default)]
    region: Text<'a>,
    #[serde(borrow, default)]
    request_id: Text<'a>,
    #[serde(borrow, default)]
    operation: Text<'a>,
    #[serde(borrow, default)]
    model_id: Text<'a>,
    #[serde(borrow, default)]
    error_code: Text<'a>,
    #[serde(borrow, default)]
    input: Option<PortableInput<'a>>,
    #[serde(borrow, default)]
    output: Option<PortableOutput<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PortableInput<'a> {
    #[serde(default)]
    input_body_json: Option<RequestFacts>,
    #[serde(borrow, default)]
    input_body_s3_path: Text<'a>,
    #[serde(default)]
    input_token_count: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PortableOutput<'a> {
    #[serde(borrow, default)]
    output_body_json: Option<ResponseFacts<'a>>,
    #[serde(borrow, default)]
    output_body_s3_path: Text<'a>,
    #[serde(default)]
    output_token_count: Option<u64>,
}

fn gz_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            gz_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "gz") {
            out.push(path);
        }
    }
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => (best, f()),
    }
}

fn row(what: &str, bytes: usize, took: Duration) {
    let gbs = bytes as f64 / took.as_secs_f64() / 1e9;
    println!("| {what} | {:.0} | {gbs:.2} |", took.as_secs_f64() * 1000.0);
}

fn main() -> anyhow::Result<()> {
    let set = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("bench-out/logset-1g"));
    let mut files = Vec::new();
    gz_files(&set, &mut files);
    files.sort();
    let compressed: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let decompressed = |c: &[u8]| -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(c).read_to_end(&mut out)?;
        Ok(out)
    };
    let plain: Vec<Vec<u8>> = compressed
        .iter()
        .map(|c| decompressed(c))
        .collect::<Result<_, _>>()?;
    let total: usize = plain.iter().map(Vec::len).sum();
    println!(
        "{} gzip files, {} MB compressed, {} MB decompressed; best of 3 runs, one core\n",
        files.len(),
        compressed.iter().map(Vec::len).sum::<usize>() / 1_000_000,
        total / 1_000_000
    );

    println!("| gzip backend | ms | GB/s (decompressed) |\n|---|---:|---:|");
    let (took, _) = best_of(3, || {
        let mut out = Vec::new();
        for c in &compressed {
            out.clear();
            let _ = flate2::read::MultiGzDecoder::new(c.as_slice()).read_to_end(&mut out);
        }
    });
    row("flate2 + zlib-rs, streaming", total, took);
    let (took, _) = best_of(3, || {
        let mut out = Vec::new();
        for c in &compressed {
            out.clear();
            strata::ingest::gunzip::single_member(c, &mut out);
        }
    });
    row("libdeflate, whole member (strata's path)", total, took);

    let invocation: Vec<&str> = files
        .iter()
        .zip(&plain)
        .filter(|(p, _)| p.to_string_lossy().contains("bedrock-invocation-logs"))
        .flat_map(|(_, data)| data.split(|b| *b == b'\n'))
        .filter(|line| !line.is_empty())
        .filter_map(|line| std::str::from_utf8(line).ok())
        .collect();
    let bytes: usize = invocation.iter().map(|l| l.len()).sum();
    println!(
        "\n{} invocation records, {} MB\n",
        invocation.len(),
        bytes / 1_000_000
    );
    println!("| parser | ms | GB/s |\n|---|---:|---:|");
    type Parser = fn(&str) -> bool;
    #[cfg_attr(not(feature = "compare-parsers"), allow(unused_mut))]
    let mut parsers: Vec<(&str, Parser)> = vec![
        ("serde_json, skip every value (IgnoredAny)", |l| {
            serde_json::from_str::<IgnoredAny>(l).is_ok()
        }),
        ("serde_json, three fields", |l| {
            serde_json::from_str::<Minimal<'_>>(l).is_ok()
        }),
        (
            "serde_json, strata's invocation record with body facts",
            |l| serde_json::from_str::<InvocationRecord<'_>>(l).is_ok(),
        ),
        ("the same, streams read ahead (strata's path)", |l| {
            invocation::read_record(Json::text(l), |_| ()).is_ok()
        }),
        ("serde_json, the same without raw members", |l| {
            serde_json::from_str::<PortableRecord<'_>>(l).is_ok()
        }),
    ];
    #[cfg(feature = "compare-parsers")]
    parsers.extend([
        (
            "sonic-rs, skip every value",
            (|l| sonic_rs::from_str::<IgnoredAny>(l).is_ok()) as Parser,
        ),
        ("sonic-rs, three fields", |l| {
            sonic_rs::from_str::<Minimal<'_>>(l).is_ok()
        }),
        ("sonic-rs, the same without raw members", |l| {
            sonic_rs::from_str::<PortableRecord<'_>>(l).is_ok()
        }),
    ]);
    for (name, parse) in parsers {
        let (took, _) = best_of(3, || invocation.iter().filter(|l| parse(l)).count());
        row(name, bytes, took);
    }
    // simd-json parses in place, so each run needs its own copy of the records.
    #[cfg(feature = "compare-parsers")]
    {
        let mut owned: Vec<Vec<u8>> = invocation.iter().map(|l| l.as_bytes().to_vec()).collect();
        let (took, _) = best_of(1, || {
            owned
                .iter_mut()
                .filter_map(|l| simd_json::serde::from_slice::<IgnoredAny>(l.as_mut_slice()).ok())
                .count()
        });
        row("simd-json, skip every value", bytes, took);
    }
    Ok(())
}
