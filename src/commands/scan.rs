//! `strata scan`: load, detect, print — the same engine as the TUI, for scripts and CI.

use super::{severity, write_output, EXIT_ALERT, EXIT_MISSING_INPUT};
use crate::cli::{OutputFormat, ScanArgs};
use crate::detect::{run_all, DetectOptions, RuleSet};
use crate::export::{self, Format};
use crate::ingest;
use crate::model::TextProbes;
use crate::output_guard::{refuse_inside_log_set, refuse_loaded_file};
use crate::ui::count::count_of;
use crate::ui::text::escape_plain;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn scan(args: ScanArgs) -> Result<ExitCode> {
    if let Some(out) = &args.output {
        refuse_inside_log_set(out, &args.paths)?;
    }
    let unreadable: Vec<(PathBuf, std::io::Error)> = args
        .paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).err().map(|e| (p.clone(), e)))
        .collect();
    let discovery = ingest::Discovery::start(&args.paths);
    let mut rules = RuleSet::load(&args.detection.rules)?;
    let mut probes = TextProbes::new();
    rules
        .register_probes(&mut probes)
        .context("compiling the rules' prompt patterns")?;
    let loaded = ingest::load_discovered(discovery, &probes, |_| {});
    if let Some(out) = &args.output {
        let read = loaded.report.files.iter().map(|f| Path::new(&f.path));
        refuse_loaded_file(out, read)?;
    }
    let load_ms = loaded.progress.elapsed.as_secs_f64() * 1000.0;

    if args.load_report {
        let text = match args.format {
            OutputFormat::Json | OutputFormat::Ndjson => {
                let mut s = crate::safe_json::to_string(&loaded.report)?;
                s.push('\n');
                s
            }
            OutputFormat::Table | OutputFormat::Markdown => loaded.report.to_text(),
        };
        write_output(args.output.as_deref(), text.as_bytes())?;
        print_timings(&args, &loaded, load_ms, None);
        return Ok(exit_for_unreadable(&unreadable).unwrap_or(ExitCode::SUCCESS));
    }

    let started = Instant::now();
    let opts = DetectOptions {
        baseline_days: args.detection.baseline,
        ..DetectOptions::default()
    };
    let mut outcome = run_all(&rules, &loaded.store, &opts);
    let detect_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(min) = args.min_severity {
        outcome.retain_min_severity(severity(min));
    }
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Ndjson => Format::Ndjson,
        OutputFormat::Markdown => Format::Markdown,
    };
    let text = export::render(&outcome, &loaded.store, format);
    write_output(args.output.as_deref(), text.as_bytes())?;
    let t = &loaded.report.totals;
    eprintln!(
        "strata: {} from {} in {} ({} rejected, {} skipped; see --load-report)",
        count_of(outcome.alerts.len() as u64, "alert", "alerts"),
        count_of(t.records_loaded, "event", "events"),
        count_of(t.files_loaded, "file", "files"),
        count_of(t.records_rejected, "record", "records"),
        count_of(t.files_skipped, "file", "files")
    );
    print_timings(&args, &loaded, load_ms, Some(detect_ms));
    if let Some(code) = exit_for_unreadable(&unreadable) {
        return Ok(code);
    }
    if let Some(threshold) = args.fail_on {
        if outcome.fails_on(severity(threshold)) {
            return Ok(ExitCode::from(EXIT_ALERT));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Names every command-line path that could not be read (the report lists them too) and picks the
/// exit code that says so.
fn exit_for_unreadable(unreadable: &[(PathBuf, std::io::Error)]) -> Option<ExitCode> {
    for (path, e) in unreadable {
        eprintln!(
            "strata: cannot read {}: {}",
            escape_plain(&path.display().to_string()),
            e
        );
    }
    (!unreadable.is_empty()).then(|| ExitCode::from(EXIT_MISSING_INPUT))
}

fn print_timings(args: &ScanArgs, loaded: &ingest::Loaded, load_ms: f64, detect_ms: Option<f64>) {
    if !args.timings {
        return;
    }
    let first = loaded
        .progress
        .first_events
        .map(|d| d.as_secs_f64() * 1000.0);
    eprintln!(
        "{}",
        serde_json::json!({
            "files": loaded.report.totals.files,
            "events": loaded.store.len(),
            "attributes": loaded.store.attr_count(),
            "distinct_strings": loaded.store.strings().len(),
            "string_bytes": loaded.store.strings().arena_bytes(),
            "first_events_ms": first,
            "load_ms": load_ms,
            "detect_ms": detect_ms,
        })
    );
}
