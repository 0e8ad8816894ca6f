//! Damaged copies of real log files: bytes flipped, spans cut or repeated, files truncated,
//! hostile escapes and deep nesting spliced in, numbers replaced by extreme ones, gzip streams
//! corrupted. Whatever the damage, nothing panics, every file is in the load report, every record
//! is loaded or rejected with a location and a reason, and every loaded event can be read back and
//! shown (raw record, request view) and goes through every rule.
//!
//! The damage is drawn from a fixed seed, so a failure names a file that reproduces it. A longer
//! sweep: `STRATA_MUTANTS=300 STRATA_MUTATION_SEED=7 cargo test --test ingest_mutations`.

mod common;

use common::{draw_index, gzip, setting, Rng};
use std::io::Read;
use std::path::{Path, PathBuf};
use strata::analysis::requests;
use strata::app::docbuild;
use strata::app::views::DocTarget;
use strata::detect::{DetectOptions, RuleSet};
use strata::ingest::discover::discover;
use strata::ingest::gzip_stream::GzipStream;
use strata::ingest::{self, raw};
use strata::model::TextProbes;

/// Copies of each source file, each with its own damage (`STRATA_MUTANTS` overrides).
const MUTANTS_PER_SOURCE: u64 = 14;

/// Bytes that change the meaning of JSON, break UTF-8 or reach a terminal.
const HOSTILE_BYTES: &[u8] = b"\"\\{}[],:\n\r\t\0\x1b\xff\xc3 0-";

/// Fragments spliced in whole.
const HOSTILE_SPLICES: &[&[u8]] = &[
    br#"\ud800"#,
    br#"\u12"#,
    br#""\u0000""#,
    br#"{"a":"#,
    b"]]]",
    b",,",
    br#""Records":["#,
    br#"{"schemaType":"ModelInvocationLog","timestamp":"#,
    b"99999999999999999999999999",
    b"1e999",
    b"-0.0e-5",
    b"true",
    b"null",
    b"\xc3\x28",
    b"\xef\xbb\xbf",
    "\u{202e}\u{1b}[31m".as_bytes(),
    b"\n\n",
];

fn damage(source: &[u8], draw: &mut Rng) -> Vec<u8> {
    let mut b = source.to_vec();
    for _ in 0..1 + draw_index(draw, 4) {
        if b.is_empty() {
            b.push(b'{');
        }
        let at = draw_index(draw, b.len());
        match draw_index(draw, 7) {
            0 => b[at] = *draw.pick(HOSTILE_BYTES),
            1 => b[at] = draw.next_u64() as u8,
            2 => {
                let end = (at + 1 + draw_index(draw, 64)).min(b.len());
                b.drain(at..end);
            }
            3 => {
                let end = (at + 1 + draw_index(draw, 512)).min(b.len());
                let span = b[at..end].to_vec();
                let to = draw_index(draw, b.len());
                b.splice(to..to, span);
            }
            4 => b.truncate(at),
            5 => {
                let piece = *draw.pick(HOSTILE_SPLICES);
                b.splice(at..at, piece.iter().copied());
            }
            _ => {
                let depth = 1 + draw_index(draw, 3000);
                let open = if draw_index(draw, 2) == 0 { b'[' } else { b'{' };
                b.splice(at..at, std::iter::repeat_n(open, depth));
            }
        }
    }
    b
}

/// Numbers at the edges of what the integer and float types hold.
const EXTREME_NUMBERS: &[&str] = &[
    "-9223372036854775808",
    "9223372036854775807",
    "18446744073709551615",
    "4294967296",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "253402300800000",
];

/// Replaces a few numbers of `b` (timestamps, token counts, ports, ids) with extreme ones.
fn extreme_numbers(b: &mut Vec<u8>, draw: &mut Rng) {
    for _ in 0..1 + draw_index(draw, 3) {
        let from = draw_index(draw, b.len());
        let Some(start) = b[from..]
            .iter()
            .position(u8::is_ascii_digit)
            .map(|p| from + p)
        else {
            return;
        };
        let start = if start > 0 && b[start - 1] == b'-' {
            start - 1
        } else {
            start
        };
        let end = b[start + 1..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |p| start + 1 + p);
        let number = draw.pick(EXTREME_NUMBERS).as_bytes();
        b.splice(start..end, number.iter().copied());
    }
}

/// A source file's content, through strata's own gzip decoder when it is compressed.
fn content(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes;
    }
    let mut out = Vec::new();
    GzipStream::new(bytes.as_slice())
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

/// The files under `dir`, in the order strata's walk finds them.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    discover(&[dir.to_path_buf()])
        .into_iter()
        .map(|f| f.path)
        .collect()
}

/// Every public sample of the corpus copies, and from the shipped sample logs the first file of
/// each strand and of the exports (lookup-events and CloudWatch shapes).
fn sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = files_below(&root.join("tests/fixtures"));
    corpus.retain(|p| {
        let path = p.to_string_lossy();
        !path.contains("/fixtures/rules/") && !path.ends_with(".md")
    });
    // Stratus detonations share one shape; a handful of them is enough.
    let mut stratus = 0;
    corpus.retain(|p| {
        if !p.to_string_lossy().contains("stratus-red-team") {
            return true;
        }
        stratus += 1;
        stratus <= 4
    });
    for strand in [
        "bedrock-invocation-logs",
        "cloudtrail",
        "cloudtrail-data-events",
        "endpoint",
        "exports",
    ] {
        let found = files_below(&root.join("sample-logs").join(strand));
        corpus.extend(found.into_iter().take(2));
    }
    corpus
}

#[test]
fn damaged_copies_of_real_logs_are_loaded_or_reported_and_can_be_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mutants = setting("STRATA_MUTANTS", MUTANTS_PER_SOURCE);
    let seed = setting("STRATA_MUTATION_SEED", 0);
    let mut written = 0usize;
    for (s, source) in sources().iter().enumerate() {
        let original = content(source);
        let stem = source
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        for m in 0..mutants {
            let mut draw = Rng::new((seed << 48) ^ ((s as u64) << 32) ^ m);
            let mut damaged = damage(&original, &mut draw);
            if m % 4 == 3 && !damaged.is_empty() {
                // Its own generator, so the other copies stay as they were.
                extreme_numbers(
                    &mut damaged,
                    &mut Rng::new(!((seed << 48) ^ ((s as u64) << 32) ^ m)),
                );
            }
            let (name, bytes) = match m % 3 {
                0 => (format!("{s:02}-{m:02}-{stem}.json"), damaged),
                1 => (format!("{s:02}-{m:02}-{stem}.json.gz"), gzip(&damaged)),
                _ => {
                    // Damage the compressed stream too: libdeflate refuses it and the streaming
                    // decoder must report where it broke.
                    let mut packed = gzip(&damaged);
                    let at = draw_index(&mut draw, packed.len());
                    if draw_index(&mut draw, 2) == 0 {
                        packed.truncate(at.max(3));
                    } else {
                        packed[at] ^= 1 << draw_index(&mut draw, 8);
                    }
                    (format!("{s:02}-{m:02}-{stem}.json.gz"), packed)
                }
            };
            std::fs::write(dir.path().join(name), bytes).unwrap();
            written += 1;
        }
    }

    let mut rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut probes = TextProbes::new();
    rules.register_probes(&mut probes).expect("probes");
    let loaded = ingest::load(&[dir.path().to_path_buf()], &probes, |_| {});
    let report = &loaded.report;

    assert_eq!(report.files.len(), written, "every file is in the report");
    let (mut seen, mut ok, mut rejected) = (0, 0, 0);
    for f in &report.files {
        assert_eq!(
            f.records_loaded + f.records_rejected,
            f.records_seen,
            "{}: {f:?}",
            f.path
        );
        if let Some(reason) = &f.skipped {
            assert!(!reason.is_empty(), "{}", f.path);
            assert_eq!(f.records_seen, 0, "{}: skipped yet counted", f.path);
        }
        let listed = f.rejections.len() as u64 + f.rejections_not_listed;
        assert_eq!(listed, f.records_rejected, "{}: {f:?}", f.path);
        for issue in f.rejections.iter().chain(&f.warnings) {
            assert!(
                !issue.location.is_empty() && !issue.reason.is_empty(),
                "{}: {issue:?}",
                f.path
            );
        }
        seen += f.records_seen;
        ok += f.records_loaded;
        rejected += f.records_rejected;
    }
    let t = &report.totals;
    assert_eq!(
        (t.records_seen, t.records_loaded, t.records_rejected),
        (seen, ok, rejected)
    );
    let store = &loaded.store;
    assert_eq!(store.len() as u64, ok);
    // The damage must leave plenty loaded and plenty rejected, or it tests nothing.
    assert!(
        ok > 1_000 && rejected > 100,
        "loaded {ok}, rejected {rejected}"
    );
    let skipped = report.files.iter().filter(|f| f.skipped.is_some()).count();
    eprintln!(
        "{written} files ({skipped} skipped): {seen} records, {ok} loaded, {rejected} rejected"
    );

    // Every loaded event is read back from where the store says it lies, and shown.
    let all: Vec<_> = store.events().iter().map(|e| e.source).collect();
    let raws: Vec<Result<String, String>> = raw::read_records(store, &all)
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect();
    for (i, r) in raws.iter().enumerate() {
        assert!(
            r.is_ok(),
            "event {i} cannot be read back: {r:?} ({:?})",
            all[i]
        );
        let doc = docbuild::build(store, &DocTarget::Event(i as u32), std::slice::from_ref(r));
        assert!(!doc.sections.is_empty(), "event {i}: empty raw view");
    }
    for row in requests::build(store) {
        let target = DocTarget::Request(row);
        let sources = docbuild::sources(store, &target);
        let raws: Vec<Result<String, String>> = raw::read_records(store, &sources)
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect();
        docbuild::build(store, &target, &raws);
    }

    let opts = DetectOptions {
        baseline_days: None,
        cancel: None,
    };
    strata::detect::run_all(&rules, store, &opts);
}

/// A file that libdeflate inflates whole (CRC intact) while zlib gives up part-way: the records
/// read back must come through the decoder that loaded them, or the last ones cannot be shown.
#[test]
fn records_are_read_back_through_the_decoder_that_loaded_them() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/damaged/zlib-rejects-libdeflate-inflates.json.gz");
    let compressed = std::fs::read(&path).unwrap();
    let mut stream = GzipStream::new(compressed.as_slice());
    let mut streamed = Vec::new();
    assert!(stream.read_to_end(&mut streamed).is_err());
    assert_eq!(streamed.len(), 356_400);

    let loaded = ingest::load(&[path], &TextProbes::new(), |_| {});
    let f = &loaded.report.files[0];
    assert_eq!((f.records_seen, f.records_loaded), (138, 138), "{f:?}");
    assert_eq!(f.bytes_decompressed, 379_847);
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    let store = &loaded.store;
    let all: Vec<_> = store.events().iter().map(|e| e.source).collect();
    assert!(all.iter().any(|s| s.offset > 356_400));
    for (i, r) in raw::read_records(store, &all).iter().enumerate() {
        let text = r.as_ref().unwrap_or_else(|e| panic!("event {i}: {e}"));
        assert!(
            text.starts_with("{\"schemaType\":\"ModelInvocationLog\""),
            "{text}"
        );
    }
}
