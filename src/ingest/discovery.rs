//! The walk of a log set on a thread of its own. Files go to the parsers as they are found, so
//! parsing starts with the first file instead of after the last directory (a deep S3 layout of a
//! thousand files has over a thousand directories), and the walk runs while the caller prepares
//! what loading needs (rules, prompt probes).

use super::discover::{self, Found};
use super::LoadProgress;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

/// A walk under way: its files in the order found, and a tally of them so far.
pub struct Discovery {
    pub(super) started: Instant,
    pub(super) found: mpsc::Receiver<Found>,
    pub(super) tally: Arc<Tally>,
    pub(super) walk: JoinHandle<()>,
}

/// What the walk has found so far, read by the collector for its progress reports.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub files: AtomicUsize,
    pub bytes: AtomicU64,
    /// Set when the walk is over: how many distinct strings the set will likely intern, and
    /// their bytes (see [`StringEstimate`]).
    pub expected_strings: OnceLock<(usize, usize)>,
}

impl Tally {
    /// The walk is over once it has left its estimate.
    fn finished(&self) -> bool {
        self.expected_strings.get().is_some()
    }

    /// Puts what has been found so far into `progress`.
    pub fn report(&self, progress: &mut LoadProgress) {
        progress.files_total = self.files.load(Ordering::Relaxed);
        progress.bytes_total = self.bytes.load(Ordering::Relaxed);
        progress.walk_done = self.finished();
    }
}

impl Discovery {
    pub fn start(paths: &[PathBuf]) -> Discovery {
        let (tx, found) = mpsc::channel();
        let tally = Arc::new(Tally::default());
        let counts = Arc::clone(&tally);
        let paths = paths.to_vec();
        let started = Instant::now();
        let walk = std::thread::spawn(move || {
            let mut estimate = StringEstimate::default();
            discover::walk(&paths, &mut |f| {
                counts.files.fetch_add(1, Ordering::Relaxed);
                counts.bytes.fetch_add(f.size, Ordering::Relaxed);
                estimate.add(&f);
                // The receiver is gone only when loading was abandoned; finish the tally anyway.
                let _ = tx.send(f);
            });
            let _ = counts.expected_strings.set(estimate.finish());
        });
        Discovery {
            started,
            found,
            tally,
            walk,
        }
    }
}

/// About how many distinct strings (and bytes of them) a log set interns: nearly one per record,
/// its request id, with records of about 2 KB that gzip shrinks about tenfold. Only a capacity: a
/// wrong guess costs a table rebuild or some unused room, never a result.
#[derive(Default)]
struct StringEstimate {
    strings: u64,
}

impl StringEstimate {
    const COMPRESSED_BYTES_PER_STRING: u64 = 200;
    const PLAIN_BYTES_PER_STRING: u64 = 2000;
    const BYTES_PER_STRING: usize = 36;
    const MOST_STRINGS: usize = 8 << 20;

    fn add(&mut self, f: &Found) {
        if f.skipped.is_some() {
            return;
        }
        let gzipped = f.path.extension().is_some_and(|e| e == "gz");
        let per_string = if gzipped {
            Self::COMPRESSED_BYTES_PER_STRING
        } else {
            Self::PLAIN_BYTES_PER_STRING
        };
        self.strings = self.strings.saturating_add(f.size / per_string);
    }

    fn finish(self) -> (usize, usize) {
        let strings = usize::try_from(self.strings)
            .unwrap_or(Self::MOST_STRINGS)
            .min(Self::MOST_STRINGS);
        (strings, strings * Self::BYTES_PER_STRING)
    }
}
