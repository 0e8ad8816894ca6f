//! `strata rules` and `strata rules show ID`.

use super::write_output;
use crate::cli::{RulesAction, RulesArgs};
use crate::detect::{catalog, RuleSet};
use anyhow::{bail, Result};
use std::process::ExitCode;

pub fn rules(args: RulesArgs) -> Result<ExitCode> {
    let set = RuleSet::load(&args.detection.rules)?;
    let mut out = Vec::new();
    match args.action {
        None => catalog::write_rule_list(&mut out, &set)?,
        Some(RulesAction::Show { id }) => match set.get(&id) {
            Some(rule) => catalog::write_rule(&mut out, rule)?,
            None => bail!(
                "no rule {:?}; rules are: {}",
                crate::ui::text::escape_plain(&id),
                set.ids().join(", ")
            ),
        },
    }
    write_output(None, &out)?;
    Ok(ExitCode::SUCCESS)
}
