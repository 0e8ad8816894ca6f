//! Loading detection fixtures through the real ingest and running the built-in rules over them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use strata::detect::{DetectOptions, DetectOutcome, RuleSet};
use strata::model::{EventStore, TextProbes};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Data files of a fixture folder (everything but `expect.toml` and notes), sorted.
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != "expect.toml" && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    files
}

/// Loads `files` with the probes of `rules` registered, failing on any rejected record so that a
/// fixture can never silently lose events.
pub fn build_store(files: &[PathBuf], probes: &TextProbes) -> EventStore {
    let loaded = strata::ingest::load(files, probes, |_| {});
    let t = &loaded.report.totals;
    assert!(
        t.records_rejected == 0 && t.files_skipped == 0 && t.records_loaded > 0,
        "fixture files not fully loaded: {}",
        loaded.report.to_text()
    );
    loaded.store
}

/// Built-in rules with their prompt probes registered, and a store of `files`.
pub fn load(files: &[PathBuf]) -> (RuleSet, EventStore) {
    let mut rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let store = build_store(files, &probes);
    (rules, store)
}

pub fn scan(files: &[PathBuf], baseline_days: Option<u32>) -> (DetectOutcome, EventStore) {
    let (rules, store) = load(files);
    let opts = DetectOptions {
        baseline_days,
        cancel: None,
    };
    (strata::detect::run_all(&rules, &store, &opts), store)
}

/// The project's deterministic generator (SplitMix64), shared with the benchmark log-set
/// generator, for tests that draw damage from a fixed seed so that a failure always reproduces.
#[path = "../../benches/gen_logset/rng.rs"]
mod rng;
pub use rng::Rng;

/// A number in `0..n` drawn from `rng` (0 when `n` is 0), for indexing.
pub fn draw_index(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

/// One gzip member holding `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A test setting from the environment, for longer sweeps than CI runs.
pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Values and lines that damaged copies of a TOML file are made of.
pub struct TomlDamage {
    /// Replacements for a number.
    pub numbers: &'static [&'static str],
    /// Replacements for the content of a quoted string.
    pub strings: &'static [&'static str],
    /// Whole lines spliced in.
    pub lines: &'static [&'static str],
}

/// A copy of `source` with one to three lines damaged: a number or string replaced, a line
/// dropped, repeated or spliced in, or the file cut short in the middle of a line.
pub fn damage_toml(source: &str, draw: &mut Rng, with: &TomlDamage) -> String {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    for _ in 0..1 + draw_index(draw, 3) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let at = draw_index(draw, lines.len());
        match draw_index(draw, 6) {
            0 => lines[at] = replace_number(&lines[at], draw, with.numbers),
            1 => lines[at] = replace_string(&lines[at], draw, with.strings),
            2 => {
                lines.remove(at);
            }
            3 => {
                let copy = lines[at].clone();
                lines.insert(draw_index(draw, lines.len()), copy);
            }
            4 => lines.insert(at, draw.pick(with.lines).to_string()),
            _ => {
                let keep = draw_index(draw, lines[at].len() + 1);
                let mut cut = lines[at].clone();
                while !cut.is_char_boundary(keep.min(cut.len())) {
                    cut.pop();
                }
                cut.truncate(keep.min(cut.len()));
                lines[at] = cut;
                lines.truncate(at + 1);
            }
        }
    }
    lines.join("\n")
}

/// The line with its first number replaced, or unchanged when it has none.
fn replace_number(line: &str, draw: &mut Rng, numbers: &[&str]) -> String {
    let Some(start) = line.find(|c: char| c.is_ascii_digit()) else {
        return line.to_string();
    };
    let end = line[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(line.len(), |n| start + n);
    format!("{}{}{}", &line[..start], draw.pick(numbers), &line[end..])
}

/// The line with the content of its first quoted string replaced.
fn replace_string(line: &str, draw: &mut Rng, strings: &[&str]) -> String {
    let Some(open) = line.find('"') else {
        return line.to_string();
    };
    let Some(len) = line[open + 1..].find('"') else {
        return line.to_string();
    };
    let close = open + 1 + len;
    format!(
        "{}\"{}\"{}",
        &line[..open],
        draw.pick(strings),
        &line[close + 1..]
    )
}
