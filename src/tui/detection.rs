//! Detection adapter: runs the rule engine over a loaded store and reports each rule's outcome as
//! it finishes, converted to the TUI's alert records (entities resolved once, here, off the UI
//! thread).
//!
//! The engine (`crate::detect`: `RuleSet`, `run`, `Alert`) is landing on another branch; until
//! it is merged this reports that no rules are installed, which the status line shows instead of
//! a silently empty alert list.

use crate::app::{Msg, RuleOutcome};
use crate::cli::DetectionArgs;
use crate::model::{EventStore, TextProbes};

/// Prompt-text probes the rules need at load time.
pub fn probes(_args: &DetectionArgs) -> anyhow::Result<TextProbes> {
    let mut p = TextProbes::new();
    p.compile()?;
    Ok(p)
}

pub fn run(_store: &EventStore, _args: &DetectionArgs, emit: &mut dyn FnMut(Msg)) {
    emit(Msg::DetectionStarted {
        rules: 0,
        note: Some("no detection rules in this build yet: alerts will appear once the rule engine is merged".into()),
    });
    let _: Option<RuleOutcome> = None;
    emit(Msg::DetectionDone);
}
