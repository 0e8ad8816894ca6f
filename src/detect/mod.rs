//! Detections: rule files (TOML; built-in ones in `rules/`, plus `--rules` folders) evaluated over
//! the event store in parallel, producing [`Alert`]s or, per rule, the reason it was not evaluated.
//!
//! Flow: [`RuleSet::load`] → [`RuleSet::register_probes`] (before ingest, so prompt-text conditions
//! become ingest-time probes) → [`run`] / [`run_all`] over the finished store.

pub mod alert;
pub mod catalog;
pub mod cli_actions;
pub mod diag;
pub mod engine;
pub mod enrich;
pub mod expr;
pub mod filter;
pub mod key;
pub mod keywords;
pub mod kinds;
pub mod matcher;
pub mod rule;
pub mod spec;
pub mod template;
#[cfg(test)]
pub(crate) mod testkit;

pub use alert::{
    Alert, DetectOutcome, Entities, NotEvaluated, RuleOutcome, RuleResult, Severity, ENTITY_NAMES,
};
pub use cli_actions::{classify, ActionClass, CliActions, CliCommand};
pub use diag::{Diagnostic, RuleError};
pub use engine::{
    check_file, run, run_all, DetectOptions, RuleSet, BUILTIN_RULES, DEFAULT_BASELINE_DAYS,
};
pub use keywords::{KeywordMatch, KeywordSet};
pub use rule::{Kind, Rule, RuleSource};
