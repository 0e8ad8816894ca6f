//! Damaged copies of the shipped rule files and of the keyword and CLI-action tables, loaded as a
//! responder's own rules folder: values swapped for extreme or malformed ones, lines dropped or
//! repeated, files cut short. Each copy either loads — and then every rule runs over real events
//! without panicking — or is refused with diagnostics that name the file and say what is wrong.
//!
//! A longer sweep: `STRATA_MUTANTS=200 STRATA_MUTATION_SEED=3 cargo test --test rules_mutations`.

mod common;

use common::{damage_toml, setting, Rng, TomlDamage};
use std::path::{Path, PathBuf};
use strata::detect::{DetectOptions, RuleSet};
use strata::model::{EventStore, TextProbes};

/// Copies of each rule file, each with its own damage (`STRATA_MUTANTS` overrides).
const MUTANTS_PER_FILE: u64 = 12;

/// What damaged rule files are made of.
const RULE_DAMAGE: TomlDamage = TomlDamage {
    numbers: &[
        "0",
        "-1",
        "-0.5",
        "1e308",
        "-1e308",
        "99999999999999999999",
        "nan",
        "inf",
        "0.0000001",
        "\"7\"",
    ],
    strings: &[
        "",
        "0m",
        "-5m",
        "99999999d",
        "9999999999999999d",
        "1s",
        "count >",
        "count > 3 and",
        "count / 0 > 1",
        "sum(gen_ai.usage.input_tokens) > 1e308",
        "distinct(user.arn) >= -1",
        "(",
        "[a-",
        "\\\\b(?",
        "{user.arn",
        "{nope}",
        "no.such.field",
        "user.arn",
        "*",
        "\u{202e}\u{1b}[31m",
        "x",
    ],
    lines: &[
        "[threshold]",
        "[first_seen]",
        "[outlier]",
        "[sequence]",
        "[[sequence.steps]]",
        "[filter]",
        "any = []",
        "all = [{}]",
        "not = {}",
        "field = \"error.class\"",
        "eq = []",
        "group_by = []",
        "window = \"0s\"",
        "baseline = \"0d\"",
        "k = -3",
        "severity = \"catastrophic\"",
        "id = \"\"",
        "strands = []",
    ],
};

fn rule_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Events every rule has something to look at: the detection fixtures that make rules fire.
fn store() -> EventStore {
    let root = common::fixtures().join("rules");
    let mut files = Vec::new();
    for rule in std::fs::read_dir(&root).expect("rules fixtures").flatten() {
        files.extend(common::data_files(&rule.path().join("fires")));
    }
    files.sort();
    let mut probes = TextProbes::new();
    RuleSet::builtin()
        .expect("built-in rules")
        .register_probes(&mut probes)
        .expect("probes");
    common::build_store(&files, &probes)
}

#[test]
fn damaged_rule_files_load_and_run_or_are_refused_with_a_reason() {
    let store = store();
    let mutants = setting("STRATA_MUTANTS", MUTANTS_PER_FILE);
    let seed = setting("STRATA_MUTATION_SEED", 0);
    let (mut loaded, mut refused) = (0, 0);
    for (f, path) in rule_files().iter().enumerate() {
        let original = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap();
        for m in 0..mutants {
            let mut draw = Rng::new((seed << 48) ^ ((f as u64) << 32) ^ m);
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(name);
            std::fs::write(&file, damage_toml(&original, &mut draw, &RULE_DAMAGE)).unwrap();
            match RuleSet::load(&[dir.path().to_path_buf()]) {
                Ok(mut rules) => {
                    loaded += 1;
                    let mut probes = TextProbes::new();
                    if rules.register_probes(&mut probes).is_err() {
                        continue;
                    }
                    let opts = DetectOptions {
                        baseline_days: None,
                        cancel: None,
                    };
                    strata::detect::run_all(&rules, &store, &opts);
                }
                Err(e) => {
                    refused += 1;
                    assert!(!e.diagnostics.is_empty(), "{}", file.display());
                    for d in &e.diagnostics {
                        assert!(
                            !d.message.trim().is_empty()
                                && d.file.contains(&*name.to_string_lossy()),
                            "{}: {d:?}",
                            file.display()
                        );
                    }
                }
            }
        }
    }
    eprintln!("{loaded} damaged copies loaded and ran, {refused} refused");
    // The damage must produce both outcomes, or it tests only one path.
    assert!(
        loaded > 10 && refused > 10,
        "loaded {loaded}, refused {refused}"
    );
}
