//! Loading rule sets (built-in plus user folders) and evaluating them over a store in parallel,
//! streaming each rule's alerts, or the reason it could not run, as soon as it finishes.

use super::alert::{DetectOutcome, RuleOutcome, RuleResult};
use super::cli_actions::CliActions;
use super::diag::{Diagnostic, RuleError};
use super::filter::probe_key;
use super::keywords::KeywordSet;
use super::kinds::{self, Baseline, Ctx};
use super::matcher::{CompileEnv, Node, ProbeMap};
use super::rule::{parse_rule, Kind, Rule, RuleSource};
use crate::model::probe::ProbeError;
use crate::model::{EventStore, Strand, Sym, TextProbes};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The built-in rule files, embedded so that every run parses them with the user-rule parser.
pub const BUILTIN_RULES: &[(&str, &str)] = &[
    (
        "rules/validation-exception-burst.toml",
        include_str!("../../rules/validation-exception-burst.toml"),
    ),
    (
        "rules/invocations-without-guardrails.toml",
        include_str!("../../rules/invocations-without-guardrails.toml"),
    ),
    (
        "rules/denied-model-attempts.toml",
        include_str!("../../rules/denied-model-attempts.toml"),
    ),
    (
        "rules/invoke-model-access-denied.toml",
        include_str!("../../rules/invoke-model-access-denied.toml"),
    ),
    (
        "rules/first-seen-model-enumeration.toml",
        include_str!("../../rules/first-seen-model-enumeration.toml"),
    ),
    (
        "rules/first-seen-bedrock-api.toml",
        include_str!("../../rules/first-seen-bedrock-api.toml"),
    ),
    (
        "rules/model-enumeration-outlier.toml",
        include_str!("../../rules/model-enumeration-outlier.toml"),
    ),
    (
        "rules/agent-created.toml",
        include_str!("../../rules/agent-created.toml"),
    ),
    (
        "rules/guardrail-deleted.toml",
        include_str!("../../rules/guardrail-deleted.toml"),
    ),
    (
        "rules/invocation-logging-changed.toml",
        include_str!("../../rules/invocation-logging-changed.toml"),
    ),
    (
        "rules/prompt-sensitive-keywords.toml",
        include_str!("../../rules/prompt-sensitive-keywords.toml"),
    ),
    (
        "rules/training-data-poisoning.toml",
        include_str!("../../rules/training-data-poisoning.toml"),
    ),
    (
        "rules/oversized-prompt.toml",
        include_str!("../../rules/oversized-prompt.toml"),
    ),
    (
        "rules/input-token-spike.toml",
        include_str!("../../rules/input-token-spike.toml"),
    ),
    (
        "rules/cli-bedrock-delete.toml",
        include_str!("../../rules/cli-bedrock-delete.toml"),
    ),
    (
        "rules/model-access-enabled.toml",
        include_str!("../../rules/model-access-enabled.toml"),
    ),
    (
        "rules/high-token-consumption.toml",
        include_str!("../../rules/high-token-consumption.toml"),
    ),
];

/// Data files in `rules/` and in user folders that are not rules.
const DATA_FILES: [&str; 2] = [super::keywords::FILE_NAME, super::cli_actions::FILE_NAME];

/// Default baseline: the first 7 days of the log set.
pub const DEFAULT_BASELINE_DAYS: u32 = 7;

const DAY_MS: i64 = 86_400_000;

/// Rules plus the data they use.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub keywords: KeywordSet,
    pub cli: CliActions,
    /// Ids of built-in rules replaced by a user rule of the same id.
    pub overridden: Vec<String>,
    probes: Option<ProbeMap>,
    probe_labels: Vec<(u32, String)>,
}

/// Options of one detection run.
#[derive(Clone, Debug, Default)]
pub struct DetectOptions {
    /// Overrides every rule's baseline (`--baseline DAYS`).
    pub baseline_days: Option<u32>,
    /// Set to stop: rules not yet started report "not evaluated: cancelled".
    pub cancel: Option<Arc<AtomicBool>>,
}

impl RuleSet {
    /// The built-in rules followed by every `*.toml` rule file in `user_dirs` (in name order;
    /// `keywords.toml` and `cli_actions.toml` there extend the data). A user rule with a built-in
    /// rule's id replaces it. Every file is checked before failing.
    pub fn load(user_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut errors = RuleError::default();
        let keywords = KeywordSet::load(user_dirs).unwrap_or_else(|e| {
            errors.diagnostics.extend(e.diagnostics);
            KeywordSet::builtin()
        });
        let cli = CliActions::load(user_dirs).unwrap_or_else(|e| {
            errors.diagnostics.extend(e.diagnostics);
            CliActions::builtin().clone()
        });
        let mut set = RuleSet {
            rules: Vec::new(),
            keywords,
            cli,
            overridden: Vec::new(),
            probes: None,
            probe_labels: Vec::new(),
        };
        for (name, src) in BUILTIN_RULES {
            set.add(name, src, RuleSource::Builtin(name), false, &mut errors);
        }
        for dir in user_dirs {
            set.load_dir(dir, &mut errors);
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// Only the built-in rules.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::load(&[])
    }

    /// No rules, built-in keyword and CLI tables (add rules with [`RuleSet::add_rule`]).
    pub fn empty() -> RuleSet {
        RuleSet {
            rules: Vec::new(),
            keywords: KeywordSet::builtin(),
            cli: CliActions::builtin().clone(),
            overridden: Vec::new(),
            probes: None,
            probe_labels: Vec::new(),
        }
    }

    fn load_dir(&mut self, dir: &Path, errors: &mut RuleError) {
        let name = dir.display().to_string();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                errors.diagnostics.extend(
                    RuleError::single(&name, format!("cannot read rules folder: {e}")).diagnostics,
                );
                return;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| !DATA_FILES.contains(&n))
            })
            .collect();
        files.sort();
        for path in files {
            let file = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(src) => self.add(&file, &src, RuleSource::File(path.clone()), true, errors),
                Err(e) => errors
                    .diagnostics
                    .extend(RuleError::single(&file, format!("cannot read: {e}")).diagnostics),
            }
        }
    }

    /// Parses one rule text and adds it (used for user files, and by tests).
    pub fn add_rule(&mut self, file: &str, src: &str, source: RuleSource) -> Result<(), RuleError> {
        let mut errors = RuleError::default();
        let user = !matches!(source, RuleSource::Builtin(_));
        self.add(file, src, source, user, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn add(
        &mut self,
        file: &str,
        src: &str,
        source: RuleSource,
        user: bool,
        errors: &mut RuleError,
    ) {
        match parse_rule(file, src, source, &self.keywords) {
            Ok(rule) => match self.rules.iter().position(|r| r.id == rule.id) {
                Some(pos) if user && matches!(self.rules[pos].source, RuleSource::Builtin(_)) => {
                    self.overridden.push(rule.id.clone());
                    self.rules[pos] = rule;
                }
                Some(pos) => errors.diagnostics.push(Diagnostic {
                    file: file.to_string(),
                    line: 0,
                    col: 0,
                    message: format!(
                        "duplicate rule id {:?} (already defined in {})",
                        rule.id,
                        self.rules[pos].source.display()
                    ),
                }),
                None => self.rules.push(rule),
            },
            Err(mut d) => errors.diagnostics.append(&mut d),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id.as_str()).collect()
    }

    /// Registers every prompt-text condition as a text probe (then compiles the probes). Call
    /// before ingest, with the probes the ingest will evaluate.
    pub fn register_probes(&mut self, probes: &mut TextProbes) -> Result<(), ProbeError> {
        let mut map = ProbeMap::new();
        for rule in &self.rules {
            let mut conds = Vec::new();
            rule.filter.prompt_conditions(&mut conds);
            if let Kind::Sequence(s) = &rule.kind {
                for st in &s.steps {
                    st.filter.prompt_conditions(&mut conds);
                }
            }
            for (op, nocase) in conds {
                let Some(key) = probe_key(op, nocase) else {
                    continue;
                };
                if map.contains_key(&key) {
                    continue;
                }
                let mask = match key.split_once(':') {
                    Some(("keywords", name)) => self.keywords.register(name, probes)?,
                    Some(("regex", pattern)) => {
                        1u64 << probes.add(&format!("rule:{}", rule.id), pattern)?
                    }
                    _ => 0,
                };
                map.insert(key, mask);
            }
        }
        probes.compile()?;
        self.probe_labels = (0..probes.len() as u32)
            .filter_map(|bit| {
                let group = probes.name(bit).strip_prefix("keywords:")?;
                let label = self
                    .keywords
                    .groups
                    .iter()
                    .find(|g| g.name == group)
                    .map_or(group, |g| g.label.as_str());
                Some((bit, label.to_string()))
            })
            .collect();
        self.probes = Some(map);
        Ok(())
    }

    /// True when some rule reads the prompt text (needs [`RuleSet::register_probes`]).
    pub fn needs_probes(&self) -> bool {
        self.rules.iter().any(|r| {
            let mut conds = Vec::new();
            r.filter.prompt_conditions(&mut conds);
            if let Kind::Sequence(s) = &r.kind {
                s.steps
                    .iter()
                    .for_each(|st| st.filter.prompt_conditions(&mut conds));
            }
            !conds.is_empty()
        })
    }
}

/// Validates one file for `strata check-config`: a rule file (with the keyword groups of its own
/// folder), or a `keywords.toml` / `cli_actions.toml` data file.
pub fn check_file(path: &Path) -> Result<(), RuleError> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path)
        .map_err(|e| RuleError::single(&name, format!("cannot read: {e}")))?;
    let mut errors = RuleError::default();
    match path.file_name().and_then(|n| n.to_str()) {
        Some(super::keywords::FILE_NAME) => KeywordSet::builtin().merge(&name, &src, &mut errors),
        Some(super::cli_actions::FILE_NAME) => {
            CliActions::builtin()
                .clone()
                .merge(&name, &src, &mut errors)
        }
        _ => {
            let dirs: Vec<PathBuf> = path.parent().map(Path::to_path_buf).into_iter().collect();
            let keywords = KeywordSet::load(&dirs)?;
            if let Err(mut d) =
                parse_rule(&name, &src, RuleSource::File(path.to_path_buf()), &keywords)
            {
                errors.diagnostics.append(&mut d);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Per-store facts computed once and shared by every rule of a run.
struct Shared<'a> {
    store: &'a EventStore,
    by_strand: [Vec<u32>; 4],
    ranges: [Option<(i64, i64)>; 4],
    by_action: OnceLock<HashMap<Sym, Vec<u32>>>,
}

impl<'a> Shared<'a> {
    fn new(store: &'a EventStore) -> Shared<'a> {
        let mut by_strand: [Vec<u32>; 4] = Default::default();
        let mut ranges: [Option<(i64, i64)>; 4] = [None; 4];
        for (i, e) in store.events().iter().enumerate() {
            let s = e.strand as usize;
            by_strand[s].push(i as u32);
            ranges[s] = Some(match ranges[s] {
                Some((a, b)) => (a.min(e.ts), b.max(e.ts)),
                None => (e.ts, e.ts),
            });
        }
        Shared {
            store,
            by_strand,
            ranges,
            by_action: OnceLock::new(),
        }
    }

    fn strand_events(&self, strands: &[Strand]) -> Cow<'_, [u32]> {
        match strands {
            [one] => Cow::Borrowed(&self.by_strand[*one as usize]),
            many => {
                let mut v: Vec<u32> = many
                    .iter()
                    .flat_map(|s| self.by_strand[*s as usize].iter().copied())
                    .collect();
                v.sort_unstable();
                Cow::Owned(v)
            }
        }
    }

    fn action_events(&self, actions: &[Sym]) -> Vec<u32> {
        let index = self.by_action.get_or_init(|| {
            let mut m: HashMap<Sym, Vec<u32>> = HashMap::new();
            for (i, e) in self.store.events().iter().enumerate() {
                if e.strand != Strand::Invocation {
                    m.entry(e.action).or_default().push(i as u32);
                }
            }
            m
        });
        let mut v: Vec<u32> = actions
            .iter()
            .flat_map(|a| index.get(a).into_iter().flatten().copied())
            .collect();
        v.sort_unstable();
        v
    }

    fn span(&self, strands: &[Strand]) -> Option<(i64, i64)> {
        strands
            .iter()
            .filter_map(|s| self.ranges[*s as usize])
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

fn missing_strands(rule: &Rule, store: &EventStore) -> Option<String> {
    let missing: Vec<String> = rule
        .strands
        .iter()
        .filter(|s| !store.has_strand(**s))
        .map(|s| s.label().to_string())
        .collect();
    (!missing.is_empty()).then(|| format!("no {} loaded", missing.join(" and no ")))
}

fn evaluate(rule: &Rule, set: &RuleSet, shared: &Shared, opts: &DetectOptions) -> RuleResult {
    let store = shared.store;
    if let Some(reason) = missing_strands(rule, store) {
        return RuleResult::NotEvaluated(reason);
    }
    let env = CompileEnv {
        store,
        keywords: &set.keywords,
        cli: &set.cli,
        probes: set.probes.as_ref(),
        probe_labels: &set.probe_labels,
    };
    // The required strands plus the optional ones that were loaded.
    let reads: Vec<Strand> = rule
        .strands
        .iter()
        .chain(
            rule.optional_strands
                .iter()
                .filter(|s| store.has_strand(**s)),
        )
        .copied()
        .collect();
    let node = match Node::compile(&rule.filter, &env) {
        Ok(n) => n,
        Err(reason) => return RuleResult::NotEvaluated(reason),
    };
    let days = opts
        .baseline_days
        .or(rule.baseline_days)
        .unwrap_or(DEFAULT_BASELINE_DAYS);
    let (mut baseline, mut baseline_gap) = (None, None);
    if rule.kind.uses_baseline() {
        if let Some((first, last)) = shared.span(&reads) {
            let need = i64::from(days) * DAY_MS;
            if last - first < need {
                let gap = format!(
                    "log set spans {} days, baseline needs {days}",
                    (last - first).div_euclid(DAY_MS)
                );
                if !matches!(rule.kind, Kind::Match(_)) {
                    return RuleResult::NotEvaluated(gap);
                }
                baseline_gap = Some(gap);
            } else {
                baseline = Some(Baseline {
                    start: first,
                    end: first + need,
                    days,
                });
            }
        }
    }
    let strand_events = shared.strand_events(&reads);
    let events: Vec<u32> = if matches!(rule.kind, Kind::Sequence(_)) {
        Vec::new()
    } else {
        let keep = |&&i: &&u32| {
            let e = &store.events()[i as usize];
            reads.contains(&e.strand) && node.matches(store, e)
        };
        match node
            .required_actions()
            .filter(|_| !reads.contains(&Strand::Invocation))
        {
            Some(actions) => shared
                .action_events(actions)
                .iter()
                .filter(keep)
                .copied()
                .collect(),
            None => strand_events.par_iter().filter(keep).copied().collect(),
        }
    };
    let mut severity_by = Vec::new();
    for s in &rule.severity_by {
        match Node::compile(&s.filter, &env) {
            Ok(n) => severity_by.push((n, s.severity, s.risk_score)),
            Err(reason) => return RuleResult::NotEvaluated(reason),
        }
    }
    let ctx = Ctx {
        store,
        rule,
        events,
        severity_by,
        strand_events,
        baseline,
        baseline_gap,
        env: &env,
    };
    let alerts = match &rule.kind {
        Kind::Match(s) => kinds::matching::run(&ctx, s),
        Kind::Threshold(s) => kinds::threshold::run(&ctx, s),
        Kind::Aggregate(s) => kinds::aggregate::run(&ctx, s),
        Kind::FirstSeen(s) => kinds::first_seen::run(&ctx, s),
        Kind::Outlier(s) => kinds::outlier::run(&ctx, s),
        Kind::Sequence(s) => match kinds::sequence::run(&ctx, s) {
            Ok(a) => a,
            Err(reason) => return RuleResult::NotEvaluated(reason),
        },
    };
    RuleResult::Alerts(alerts)
}

/// Evaluates every rule in parallel, calling `on_result` as each rule finishes (from worker
/// threads, in completion order).
pub fn run(
    set: &RuleSet,
    store: &EventStore,
    opts: &DetectOptions,
    on_result: impl Fn(RuleOutcome) + Sync,
) {
    let shared = Shared::new(store);
    set.rules.par_iter().for_each(|rule| {
        let started = Instant::now();
        let cancelled = opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed));
        let result = if cancelled {
            RuleResult::NotEvaluated("cancelled".into())
        } else {
            evaluate(rule, set, &shared, opts)
        };
        on_result(RuleOutcome {
            rule_id: rule.id.clone(),
            result,
            elapsed: started.elapsed(),
        });
    });
}

/// [`run`], collected and sorted deterministically.
pub fn run_all(set: &RuleSet, store: &EventStore, opts: &DetectOptions) -> DetectOutcome {
    let out = std::sync::Mutex::new(DetectOutcome::default());
    run(set, store, opts, |o| {
        if let Ok(mut g) = out.lock() {
            g.push(o);
        }
    });
    let mut outcome = out.into_inner().unwrap_or_else(|e| e.into_inner());
    outcome.sort();
    outcome
}

#[cfg(test)]
mod tests;
