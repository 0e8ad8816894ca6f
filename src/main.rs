use anyhow::{bail, Context, Result};
use clap::Parser;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::cli::{Cli, Command, OutputFormat, ScanArgs};
use strata::ingest;
use strata::model::TextProbes;

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
        Some(Command::Scan(args)) => scan(args),
        Some(Command::Rules(_)) => bail!("no rules are installed yet"),
        Some(Command::CheckConfig(_)) => bail!("check-config is not available yet"),
        None => {
            if cli.paths.is_empty() {
                bail!(
                    "give one or more log files or folders, e.g. `strata sample-logs` (see --help)"
                );
            }
            let loaded = ingest::load(&cli.paths, &TextProbes::new(), |_| {});
            print!("{}", loaded.report.to_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn scan(args: ScanArgs) -> Result<ExitCode> {
    if let Some(out) = &args.output {
        refuse_inside_log_set(out, &args.paths)?;
    }
    let mut probes = TextProbes::new();
    probes.compile().context("compiling prompt patterns")?;
    let loaded = ingest::load(&args.paths, &probes, |_| {});
    let load_ms = loaded.progress.elapsed.as_secs_f64() * 1000.0;
    let text = if args.load_report {
        match args.format {
            OutputFormat::Json | OutputFormat::Ndjson => {
                let mut s = serde_json::to_string(&loaded.report)?;
                s.push('\n');
                s
            }
            OutputFormat::Table | OutputFormat::Markdown => loaded.report.to_text(),
        }
    } else {
        String::new()
    };
    write_output(args.output.as_deref(), &text)?;
    if !args.load_report {
        let t = &loaded.report.totals;
        eprintln!(
            "strata: {} events from {} files ({} records rejected, {} files skipped; see --load-report)",
            t.records_loaded, t.files_loaded, t.records_rejected, t.files_skipped
        );
    }
    if args.timings {
        let first = loaded
            .progress
            .first_events
            .map(|d| d.as_secs_f64() * 1000.0);
        eprintln!(
            "{}",
            serde_json::json!({
                "files": loaded.report.totals.files,
                "events": loaded.store.len(),
                "first_events_ms": first,
                "load_ms": load_ms,
            })
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// strata never writes into the log set: an output path inside one of the input folders is refused.
fn refuse_inside_log_set(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(parent) = parent.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        let Ok(input) = input.canonicalize() else {
            continue;
        };
        let dir = if input.is_dir() {
            input
        } else {
            match input.parent() {
                Some(p) => p.to_path_buf(),
                None => continue,
            }
        };
        if parent.starts_with(&dir) && dir.is_dir() && input_is_log_folder(&dir, inputs) {
            bail!(
                "refusing to write {} inside the log set folder {}; choose a path outside it",
                out.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// Only folders the user named (or that hold a file the user named) count as the log set.
fn input_is_log_folder(dir: &Path, inputs: &[PathBuf]) -> bool {
    inputs.iter().any(|i| {
        i.canonicalize()
            .map(|c| c == dir || c.parent() == Some(dir))
            .unwrap_or(false)
    })
}
