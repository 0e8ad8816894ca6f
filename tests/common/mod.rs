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
