//! The headless subcommands: `scan`, `rules`, `check-config`.

mod check;
mod rules;
mod scan;

pub use check::check_config;
pub use rules::rules;
pub use scan::scan;

use crate::cli::SeverityArg;
use crate::detect::Severity;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Exit code when `--fail-on` is met.
pub const EXIT_ALERT: u8 = 3;

/// Exit code when a path given on the command line cannot be read at all (a typo in a script must
/// not pass for a clean log set).
pub const EXIT_MISSING_INPUT: u8 = 2;

pub fn severity(arg: SeverityArg) -> Severity {
    match arg {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}

/// Writes to a file, or to standard output where a closed pipe (`| head`) is the reader's choice,
/// not an error.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
    }
}
