//! A gzip bomb (1 GiB of whitespace in ~1 MiB) is streamed, not inflated into memory. Kept in its
//! own test binary so the process's peak memory reflects this test alone.

use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use strata::ingest;
use strata::model::TextProbes;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn gigabyte_of_whitespace_is_streamed_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.json.gz");
    let file = std::fs::File::create(&path).unwrap();
    let mut enc = GzEncoder::new(file, Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        enc.write_all(&chunk).unwrap();
    }
    enc.finish().unwrap();
    let l = ingest::load(&[path], &TextProbes::new(), |_| {});
    let f = &l.report.files[0];
    assert_eq!(
        f.skipped.as_deref(),
        Some("no records: 1073741824 bytes of blank space")
    );
    assert_eq!(f.bytes_decompressed, 1 << 30);
    if let Some(peak) = peak_rss_kib() {
        assert!(peak < 200 * 1024, "peak memory {peak} KiB");
    }
}
