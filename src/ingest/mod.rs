//! Ingest: discover files, decompress, find records, normalize them into events, and account for
//! every record in the load report. Files are parsed in parallel; one collector merges their
//! batches into the store, so parsing threads never contend for a lock.

pub mod cloudtrail;
pub mod discover;
pub mod discovery;
pub mod endpoint;
pub mod file;
pub mod gunzip;
pub mod gzip_stream;
pub mod invocation;
pub mod invocation_body;
pub mod raw;
pub mod record;
pub mod report;
pub mod scan;
pub mod sink;
pub mod text;

pub use discovery::Discovery;

use crate::model::{EventStore, FileBatch, SourceFile, StoreBuilder, TextProbes};
use rayon::prelude::*;
use report::{FileReport, LoadReport};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Progress while loading, reported at most ten times a second and once at the end.
#[derive(Clone, Debug, Default)]
pub struct LoadProgress {
    /// Files found so far; final once `walk_done`.
    pub files_total: usize,
    pub files_done: usize,
    /// Bytes on disk of the files found so far; final once `walk_done`.
    pub bytes_total: u64,
    pub bytes_done: u64,
    /// Whether every file has been found: files are loaded while the walk goes on, and until it
    /// ends the totals only say how much there is at least.
    pub walk_done: bool,
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
    Done(usize, PathBuf, FileReport),
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
    let Discovery {
        started,
        found,
        tally,
        walk,
    } = discovery;
    let mut builder = StoreBuilder::new();
    let mut progress = LoadProgress::default();
    // Each file's path and report, indexed by the order the walk found it in (the file's id).
    let mut done: Vec<Option<(PathBuf, FileReport)>> = Vec::new();
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut last_report = Instant::now();
    let strings = builder.shared_strings();
    let mut reserved = false;
    std::thread::scope(|scope| {
        let strings = &*strings;
        scope.spawn(move || {
            found.into_iter().enumerate().par_bridge().for_each_init(
                || (tx.clone(), file::Worker::new()),
                |(tx, worker), (id, f)| {
                    let report =
                        file::load_file(&f, id as u32, probes, strings, worker, &mut |batch| {
                            let _ = tx.send(Msg::Batch(batch));
                        });
                    let _ = tx.send(Msg::Done(id, f.path, report));
                },
            );
        });
        for msg in rx {
            // Early in the load the shards are still small, so making room then is cheap.
            if !reserved {
                if let Some(&(expected, bytes)) = tally.expected_strings.get() {
                    strings.reserve(expected, bytes);
                    reserved = true;
                }
            }
            match msg {
                Msg::Batch(batch) => {
                    builder.absorb(batch);
                    if progress.first_events.is_none() && !builder.is_empty() {
                        progress.first_events = Some(started.elapsed());
                    }
                    progress.events = builder.len();
                }
                Msg::Done(id, path, report) => {
                    progress.files_done += 1;
                    progress.bytes_done += report.bytes_on_disk;
                    progress.rejected += report.records_rejected;
                    progress.last_file = Some(report.path.clone());
                    if done.len() <= id {
                        done.resize_with(id + 1, || None);
                    }
                    done[id] = Some((path, report));
                }
            }
            if last_report.elapsed() >= Duration::from_millis(100) {
                tally.report(&mut progress);
                progress.elapsed = started.elapsed();
                on_progress(&progress);
                last_report = Instant::now();
            }
        }
    });
    if let Err(panic) = walk.join() {
        std::panic::resume_unwind(panic);
    }
    let mut report = LoadReport::default();
    for file in done {
        match file {
            Some((path, r)) => {
                builder.add_file(SourceFile { path });
                report.push(r);
            }
            // A file id is its place in the store's file list, so a missing one keeps its place.
            None => {
                builder.add_file(SourceFile {
                    path: PathBuf::new(),
                });
            }
        }
    }
    drop(strings);
    let store = builder.finish();
    tally.report(&mut progress);
    progress.events = store.len();
    progress.elapsed = started.elapsed();
    on_progress(&progress);
    Loaded {
        store,
        report,
        progress,
    }
}
