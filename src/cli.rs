//! Command line: `strata [PATHS]` (the TUI), `strata scan`, `strata rules`, `strata check-config`.

use crate::clipboard::ClipboardMode;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const MAIN_EXAMPLES: &str = "\
Examples:
  strata sample-logs                       open the TUI on the shipped sample log set
  strata ~/cases/acme/trail ~/cases/acme/invocations ~/cases/acme/edr.ndjson.gz
  strata --theme light --keymap vim sample-logs
  strata scan sample-logs                  headless: print alerts as a table
  strata scan --load-report sample-logs    what was loaded, rejected and skipped, and why
  strata rules                             list the detections
  strata check-config ~/.config/strata     validate keymap, theme and rule files";

const SCAN_EXAMPLES: &str = "\
Examples:
  strata scan sample-logs
  strata scan --format ndjson --output alerts.ndjson ./AWSLogs
  strata scan --format markdown --min-severity high ./case > findings.md
  strata scan --fail-on high ./AWSLogs || echo 'high-severity alert'
  strata scan --load-report --format json ./AWSLogs | jq .totals
  strata scan --rules ./my-rules --baseline 3 ./AWSLogs";

const RULES_EXAMPLES: &str = "\
Examples:
  strata rules
  strata rules show validation-exception-burst
  strata rules --rules ./my-rules";

const CHECK_EXAMPLES: &str = "\
Examples:
  strata check-config                       the user config folder (keymap.toml, theme.toml, rules/)
  strata check-config ./keymap.toml ./my-rules/new-rule.toml";

#[derive(Debug, Parser)]
#[command(
    name = "strata",
    version,
    about = "Investigate AWS Bedrock abuse in CloudTrail, model-invocation logs and endpoint telemetry",
    long_about = "strata loads a log set (files and folders, plain or gzip, as downloaded with `aws s3 sync` \
or exported from an EDR), runs every detection in the background and opens a keyboard-driven investigation \
TUI. `strata scan` runs the same engine headless for scripts and CI.",
    after_help = MAIN_EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Log files or folders to open (searched recursively; .gz detected by content)
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub detection: DetectionArgs,

    #[command(flatten)]
    pub tui: TuiArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, detect and print results without the TUI
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// List the detection rules, or show one
    #[command(after_help = RULES_EXAMPLES)]
    Rules(RulesArgs),
    /// Validate keymap, theme and rule files and report errors as file:line:col
    #[command(name = "check-config", after_help = CHECK_EXAMPLES)]
    CheckConfig(CheckConfigArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct DetectionArgs {
    /// Extra folder of rule files (TOML) to run next to the built-in ones; repeatable
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// Days at the start of the log set used as the baseline by first-seen and outlier rules
    #[arg(long, value_name = "DAYS")]
    pub baseline: Option<u32>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct TuiArgs {
    /// Keymap preset (default, vim, arrows) or a keymap file
    #[arg(long, value_name = "NAME|FILE")]
    pub keymap: Option<String>,

    /// Theme (dark, light, high-contrast) or a theme file
    #[arg(long, value_name = "NAME|FILE")]
    pub theme: Option<String>,

    /// How `y` copies: OSC 52 through the terminal, the local system clipboard, or not at all
    #[arg(long, value_enum, default_value_t = ClipboardMode::Auto)]
    pub clipboard: ClipboardMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
    Ndjson,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Log files or folders to scan
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// Write to FILE instead of standard output (never inside the log set)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print the load report (per file: format, records seen/loaded/rejected with locations and reasons, skipped files)
    #[arg(long)]
    pub load_report: bool,

    /// Only report alerts at or above this severity
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<SeverityArg>,

    /// Exit with code 3 when an alert at or above this severity fires
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Print load and detection timings and the store's size as one JSON line on standard error
    #[arg(long)]
    pub timings: bool,

    #[command(flatten)]
    pub detection: DetectionArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,

    #[command(flatten)]
    pub detection: DetectionArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Print one rule: metadata, logic, investigation guide
    Show {
        /// Rule id (see `strata rules`)
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct CheckConfigArgs {
    /// Files or folders to check; defaults to the user config folder
    pub paths: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn paths_and_subcommands_are_told_apart() {
        let cli = Cli::try_parse_from(["strata", "sample-logs"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.paths, vec![PathBuf::from("sample-logs")]);
        let cli = Cli::try_parse_from(["strata", "scan", "--format", "ndjson", "x"]).unwrap();
        match cli.command {
            Some(Command::Scan(s)) => assert_eq!(s.format, OutputFormat::Ndjson),
            other => panic!("{other:?}"),
        }
    }
}
