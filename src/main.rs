use anyhow::{bail, Result};
use clap::Parser;
use std::process::ExitCode;
use strata::cli::{Cli, Command};
use strata::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "strata: {}",
                strata::ui::text::escape_plain(&format!("{e:#}"))
            );
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Scan(args)) => commands::scan(args),
        Some(Command::Rules(args)) => commands::rules(args),
        Some(Command::CheckConfig(args)) => commands::check_config(&args.paths),
        None => {
            if cli.paths.is_empty() {
                bail!(
                    "give one or more log files or folders, e.g. `strata sample-logs` (see --help)"
                );
            }
            strata::tui::run_tui(&cli.paths, &cli.detection, &cli.tui)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
