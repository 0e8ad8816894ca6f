//! Deterministic generator of Bedrock investigation log sets.
//!
//! `sample OUT_DIR` writes the small, story-driven set shipped as `sample-logs/`
//! (planted incidents listed in its README). `bench --size 1GiB OUT_DIR` writes a bulk
//! set in the same layouts for performance measurements. Output is byte-identical
//! across runs and thread counts: fixed seeds and dates, gzip mtime 0, and every file's
//! content derived only from what the file is.

mod bench;
mod clock;
mod cloudtrail;
mod endpoint;
mod identity;
mod invocation;
mod json;
mod layout;
mod rng;
mod sample;
mod sha256;
mod text;
mod text_attack;

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Generate deterministic Bedrock investigation log sets")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The small sample set with planted incidents and a README describing them.
    Sample {
        /// Output folder (for example `sample-logs`).
        out: PathBuf,
    },
    /// A bulk set for benchmarks, in the same layouts.
    Bench {
        /// Uncompressed size, for example `64MiB` or `1GiB`.
        #[arg(long, default_value = "1GiB")]
        size: String,
        /// Gzip level (1-9).
        #[arg(long, default_value_t = 6)]
        level: u32,
        /// Output folder (for example `bench-out/logset-1g`).
        out: PathBuf,
    },
}

/// Parses `64MiB`, `1GiB`, `500MB`, `1048576`.
fn parse_size(s: &str) -> Result<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => bail!("unknown size unit {other:?}"),
    };
    Ok((n * mult as f64) as u64)
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Sample { out } => sample::run(&out),
        Command::Bench { size, level, out } => {
            bench::run(&out, parse_size(&size)?, level.clamp(1, 9))
        }
    }
}
