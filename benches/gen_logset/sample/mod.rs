//! `gen-logset sample OUT_DIR`: the small, story-driven set shipped as `sample-logs/`.

mod apps;
mod expect;
mod files;
mod incidents;
mod llmjacking;
mod people;
mod readme;
mod sink;
mod spikes;
mod world;

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::layout;

/// Fixed seed of the shipped sample.
const SEED: u64 = 0x5354_5241_5441_0001;

/// Top-level entries this command owns inside OUT_DIR (removed before writing).
const OWNED: &[&str] = &[
    files::TRAIL_ROOT,
    files::DATA_ROOT,
    files::INVOCATION_ROOT,
    "endpoint",
    "exports",
    "README.md",
];

pub fn run(out: &Path) -> Result<()> {
    let cast = world::Cast::new();
    let mut sink = sink::Sink::new(SEED);
    let mut x = expect::Expectations::default();
    apps::generate(&mut sink, &cast);
    people::generate(&mut sink, &cast);
    incidents::logging_setup(&mut sink, &mut x, &cast);
    llmjacking::generate(&mut sink, &mut x, &cast);
    incidents::generate(&mut sink, &mut x, &cast);
    let stats = match spikes::expect(&sink.items, &mut x) {
        Ok(s) => s,
        Err(e) => bail!("token baseline check failed: {e}"),
    };
    let files = files::build(SEED, sink.items);
    let expects = x.sorted();
    let readme = readme::render(&cast, &expects, &files, &stats);

    for name in OWNED {
        let p = out.join(name);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).with_context(|| format!("removing {}", p.display()))?;
        } else if p.is_file() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    for f in &files {
        layout::write_file(out, &f.path, &f.bytes)
            .with_context(|| format!("writing {}", f.path))?;
    }
    layout::write_file(out, "README.md", readme.as_bytes()).context("writing README.md")?;

    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let records: usize = files.iter().map(|f| f.records).sum();
    eprintln!(
        "wrote {} files, {records} records, {bytes} bytes, {} expected alert groups to {}",
        files.len() + 1,
        expects.len(),
        out.display()
    );
    Ok(())
}
