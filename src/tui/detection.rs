//! Detection for the TUI: the rule engine runs over the loaded store and each rule's outcome is
//! reported as it finishes — alerts converted to the TUI's records (entities resolved here, off the
//! UI thread), or the reason the rule was not evaluated.

use super::jobs::JobCtx;
use crate::analysis::alerts::{resolve_keys, AlertRecord, RuleMeta};
use crate::app::{Msg, RuleOutcome};
use crate::cli::DetectionArgs;
use crate::detect::{self, DetectOptions, RuleResult, RuleSet};
use crate::model::{EventStore, TextProbes};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Loads the rules (built-in plus `--rules` folders) and registers the prompt-text probes they
/// need, before ingest. Errors name the file, line and column.
pub fn load_rules(args: &DetectionArgs) -> anyhow::Result<(RuleSet, TextProbes)> {
    let mut set = RuleSet::load(&args.rules)?;
    let mut probes = TextProbes::new();
    set.register_probes(&mut probes)?;
    Ok((set, probes))
}

pub fn run(store: &EventStore, ctx: &JobCtx, emit: &mut (dyn FnMut(Msg) + Send)) {
    let set = &*ctx.rules;
    if set.rules.is_empty() {
        emit(Msg::DetectionStarted {
            rules: 0,
            note: Some("no detection rules are loaded".into()),
        });
        emit(Msg::DetectionDone);
        return;
    }
    emit(Msg::DetectionStarted {
        rules: set.rules.len(),
        note: None,
    });
    let metas: HashMap<&str, Arc<RuleMeta>> = set
        .rules
        .iter()
        .map(|r| (r.id.as_str(), Arc::new(RuleMeta::of(r))))
        .collect();
    let opts = DetectOptions {
        baseline_days: ctx.detection.baseline,
        cancel: None,
    };
    let emit = Mutex::new(emit);
    detect::run(set, store, &opts, |outcome| {
        let msg = match outcome.result {
            RuleResult::Alerts(alerts) => {
                let meta = metas
                    .get(outcome.rule_id.as_str())
                    .cloned()
                    .unwrap_or_else(|| {
                        Arc::new(RuleMeta {
                            id: outcome.rule_id.clone(),
                            ..RuleMeta::default()
                        })
                    });
                let alerts: Vec<AlertRecord> = alerts
                    .into_iter()
                    .map(|a| {
                        let mut r = AlertRecord::from_alert(a, meta.clone());
                        resolve_keys(store, &mut r);
                        r
                    })
                    .collect();
                RuleOutcome::Evaluated {
                    rule_id: outcome.rule_id,
                    alerts,
                }
            }
            RuleResult::NotEvaluated(reason) => RuleOutcome::NotEvaluated {
                rule_id: outcome.rule_id,
                reason,
            },
        };
        if let Ok(mut emit) = emit.lock() {
            (*emit)(Msg::Rule(msg));
        }
    });
    if let Ok(emit) = emit.into_inner() {
        emit(Msg::DetectionDone);
    }
}
