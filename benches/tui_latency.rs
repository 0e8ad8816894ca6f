//! Key→frame latency of the real TUI loop (`strata::tui::bench`): the app runs on a test backend
//! while keys are injected at a fixed interval, during loading and after it.
//!
//!   cargo bench --bench tui_latency                          # sample-logs/
//!   cargo bench --bench tui_latency -- bench-out/logset-1g   # the 1 GiB benchmark set
//!
//! Targets: first frame < 150 ms, key→frame p95 < 50 ms while loading and < 16 ms once loaded.
//! Exits with status 1 when a target is missed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use strata::tui::bench::measure;

fn main() -> ExitCode {
    let set = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("sample-logs"));
    let report = match measure(
        std::slice::from_ref(&set),
        (160, 45),
        Duration::from_millis(40),
        60,
    ) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tui_latency: {e:#}");
            return ExitCode::from(2);
        }
    };
    println!("set: {}", set.display());
    println!("{report}");
    let mut ok = true;
    let mut check = |what: &str, value: f64, target: f64| {
        let verdict = if value < target { "ok" } else { "MISSED" };
        println!("{what:<28} {value:>8.1} ms  (target < {target} ms)  {verdict}");
        ok &= value < target;
    };
    check("first frame", report.first_frame_ms, 150.0);
    if report.while_loading.samples > 0 {
        check(
            "key→frame p95 while loading",
            report.while_loading.p95,
            50.0,
        );
    }
    check(
        "key→frame p95 after loading",
        report.after_loading.p95,
        16.0,
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
