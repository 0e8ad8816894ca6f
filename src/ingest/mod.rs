//! Ingest: discover files, decompress, find records, normalize them into events, and account for
//! every record in the load report. Files are parsed in parallel; one collector merges their
//! batches into the store, so parsing threads never contend for a lock.

pub mod cloudtrail;
pub mod discover;
pub mod endpoint;
pub mod file;
pub mod gunzip;
pub mod invocation;
pub mod invocation_body;
pub mod raw;
pub mod record;
pub mod report;
pub mod scan;
pub mod sink;
pub mod text;

use crate::model::{EventStore, FileBatch, SourceFile, StoreBuilder, TextProbes};
use rayon::prelude::*;
use report::{FileReport, LoadReport};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Progress while loading, reported at most ten times a second and once at the end.
#[derive(Clone, Debug, Default)]
pub struct LoadProgress {
    pub files_total: usize,
    pub files_done: usize,
    pub bytes_total: u64,
    pub bytes_done: u64,
    pub events: usize,
    pub rejected: u64,
    /// Time from the start until the first events were in the store.
    pub first_events: Option<Duration>,
    pub elapsed: Duration,
    /// The file most recently finished (for the status line).
    pub last_file: Option<String>,
}

pub struct Loaded {
    pub store: EventStore,
    pub report: LoadReport,
    pub progress: LoadProgress,
}

enum Msg {
    Batch(FileBatch),
    Done(usize, FileReport),
}

/// About how many distinct strings (and bytes of them) a log set interns: nearly one per record,
/// its request id, with records of about 2 KB that gzip shrinks about tenfold. Only a capacity: a
/// wrong guess costs a table rebuild or some unused room, never a result.
fn expected_distinct_strings(found: &[discover::Found]) -> (usize, usize) {
    const COMPRESSED_BYTES_PER_STRING: u64 = 200;
    const PLAIN_BYTES_PER_STRING: u64 = 2000;
    const BYTES_PER_STRING: usize = 36;
    const MOST_STRINGS: usize = 8 << 20;
    let strings: u64 = found
        .iter()
        .filter(|f| f.skipped.is_none())
        .map(|f| {
            let gzipped = f.path.extension().is_some_and(|e| e == "gz");
            f.size
                / if gzipped {
                    COMPRESSED_BYTES_PER_STRING
                } else {
                    PLAIN_BYTES_PER_STRING
                }
        })
        .sum();
    let strings = usize::try_from(strings)
        .unwrap_or(MOST_STRINGS)
        .min(MOST_STRINGS);
    (strings, strings * BYTES_PER_STRING)
}

/// The walk of a log set's folders, on a thread of its own, so that it runs while the caller
/// prepares what loading needs (rules, prompt probes) instead of before it.
pub struct Discovery {
    started: Instant,
    paths: Vec<PathBuf>,
    walk: std::thread::JoinHandle<Vec<discover::Found>>,
}

impl Discovery {
    pub fn start(paths: &[PathBuf]) -> Discovery {
        let paths = paths.to_vec();
        let for_walk = paths.clone();
        Discovery {
            started: Instant::now(),
            paths,
            walk: std::thread::spawn(move || discover::discover(&for_walk)),
        }
    }

    fn finish(self) -> (Instant, Vec<discover::Found>) {
        let found = self
            .walk
            .join()
            // Should the walk have panicked, walk again here so the panic is reported as usual.
            .unwrap_or_else(|_| discover::discover(&self.paths));
        (self.started, found)
    }
}

/// Loads everything under `paths`. `probes` are matched against each invocation's user prompt
/// text (see [`crate::model::TextProbes`]).
pub fn load(
    paths: &[PathBuf],
    probes: &TextProbes,
    on_progress: impl FnMut(&LoadProgress),
) -> Loaded {
    load_discovered(Discovery::start(paths), probes, on_progress)
}

/// [`load`] of the files a [`Discovery`] finds; times count from the discovery's start.
pub fn load_discovered(
    discovery: Discovery,
    probes: &TextProbes,
    mut on_progress: impl FnMut(&LoadProgress),
) -> Loaded {
    let (started, found) = discovery.finish();
    let mut builder = StoreBuilder::new();
    for f in &found {
        builder.add_file(SourceFile {
            path: f.path.clone(),
        });
    }
    let mut progress = LoadProgress {
        files_total: found.len(),
        bytes_total: found.iter().map(|f| f.size).sum(),
        ..LoadProgress::default()
    };
    let mut reports: Vec<Option<FileReport>> = vec![None; found.len()];
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut last_report = Instant::now();
    let strings = builder.shared_strings();
    let (expected_strings, expected_bytes) = expected_distinct_strings(&found);
    strings.reserve(expected_strings, expected_bytes);
    std::thread::scope(|scope| {
        let found = &found;
        let strings = &*strings;
        scope.spawn(move || {
            found.par_iter().enumerate().for_each_init(
                || (tx.clone(), file::Worker::new()),
                |(tx, worker), (id, f)| {
                    let report =
                        file::load_file(f, id as u32, probes, strings, worker, &mut |batch| {
                            let _ = tx.send(Msg::Batch(batch));
                        });
                    let _ = tx.send(Msg::Done(id, report));
                },
            );
        });
        for msg in rx {
            match msg {
                Msg::Batch(batch) => {
                    builder.absorb(batch);
                    if progress.first_events.is_none() && !builder.is_empty() {
                        progress.first_events = Some(started.elapsed());
                    }
                    progress.events = builder.len();
                }
                Msg::Done(id, report) => {
                    progress.files_done += 1;
                    progress.bytes_done += report.bytes_on_disk;
                    progress.rejected += report.records_rejected;
                    progress.last_file = Some(report.path.clone());
                    if let Some(slot) = reports.get_mut(id) {
                        *slot = Some(report);
                    }
                }
            }
            if last_report.elapsed() >= Duration::from_millis(100) {
                progress.elapsed = started.elapsed();
                on_progress(&progress);
                last_report = Instant::now();
            }
        }
    });
    let mut report = LoadReport::default();
    for r in reports.into_iter().flatten() {
        report.push(r);
    }
    drop(strings);
    let store = builder.finish();
    progress.events = store.len();
    progress.elapsed = started.elapsed();
    on_progress(&progress);
    Loaded {
        store,
        report,
        progress,
    }
}
