//! Detections: rule files (TOML, built-in ones in `rules/` plus user folders) evaluated over the
//! event store in parallel, producing [`Alert`]s or a "not evaluated" reason per rule.

pub mod alert;
pub mod cli_actions;
pub mod diag;
pub mod expr;
pub mod filter;
pub mod key;
pub mod keywords;
pub mod rule;

pub use alert::{Alert, DetectOutcome, Entities, NotEvaluated, RuleOutcome, RuleResult, Severity};
pub use cli_actions::{classify, ActionClass, CliActions, CliCommand};
pub use diag::{Diagnostic, RuleError};
pub use keywords::{KeywordMatch, KeywordSet};
pub use rule::{Rule, RuleSource};
