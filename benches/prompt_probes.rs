//! Throughput of the ingest-time prompt probes (the shipped rules' keyword patterns) over a prompt
//! in plain ASCII and the same prompt with typographic apostrophes, as model-facing text often has.
//! The last row runs the patterns as one plain `RegexSet`, which is what probing a non-ASCII prompt
//! costs without the relaxed first pass.
//!
//!   cargo bench --bench prompt_probes

use std::process::ExitCode;
use std::time::{Duration, Instant};
use strata::detect::engine::RuleSet;
use strata::model::TextProbes;

const PARAGRAPH: &str = "Summarize the following document in three bullet points for the internal \
    weekly digest. The quarterly review covers sales, returns and fulfilment for all regions. \
    Inventory turns improved in outerwear while accessories stayed flat. The loyalty program added \
    forty thousand members this month. Store staff reported strong interest in the company's repair \
    services, and customers asked for clearer sizing on technical shells. ";

/// Prompts per measurement.
const ROUNDS: usize = 400;

fn main() -> ExitCode {
    let (probes, patterns) = match builtin_probes() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prompt_probes: {e:#}");
            return ExitCode::from(2);
        }
    };
    let ascii = PARAGRAPH.repeat(12);
    let typographic = ascii.replace('\'', "\u{2019}");
    let plain = match regex::RegexSet::new(&patterns) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("prompt_probes: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{} probes, prompt of {} bytes, {ROUNDS} prompts per row, best of 3",
        probes.len(),
        ascii.len()
    );
    println!("| text | matcher | MB/s |");
    println!("|---|---|---:|");
    row("ASCII", "strata's probes", &ascii, |t| probes.hits(t) != 0);
    row("with \u{2019}", "strata's probes", &typographic, |t| {
        probes.hits(t) != 0
    });
    row(
        "with \u{2019}",
        "one RegexSet as written",
        &typographic,
        |t| plain.is_match(t),
    );
    ExitCode::SUCCESS
}

fn builtin_probes() -> anyhow::Result<(TextProbes, Vec<String>)> {
    let mut set = RuleSet::builtin()?;
    let mut probes = TextProbes::new();
    set.register_probes(&mut probes)?;
    let patterns = (0..probes.len() as u32)
        .map(|bit| probes.pattern(bit).to_string())
        .collect();
    Ok((probes, patterns))
}

/// Prints one table row: the best of three timings of `run` over `text`.
fn row(label: &str, matcher: &str, text: &str, run: impl Fn(&str) -> bool) {
    let best = (0..3).map(|_| time(text, &run)).min().unwrap_or_default();
    let mb_per_s = (text.len() * ROUNDS) as f64 / best.as_secs_f64().max(1e-9) / 1e6;
    println!("| {label} | {matcher} | {mb_per_s:.1} |");
}

fn time(text: &str, run: &impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    let mut matched = 0usize;
    for _ in 0..ROUNDS {
        matched += usize::from(run(std::hint::black_box(text)));
    }
    std::hint::black_box(matched);
    start.elapsed()
}
