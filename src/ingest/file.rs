//! Loads one file: opens it read-only, decompresses gzip found by its magic bytes, finds records,
//! parses each, and accounts for every one in the file's report.

use super::discover::Found;
use super::gunzip;
use super::gzip_stream::{is_trailer_mismatch, GzipStream};
use super::record::{parse_element, read_cloudtrail_at, Json, Parsed, RecordKind};
use super::report::FileReport;
use super::scan::{Location, Scanner, Step};
use super::sink::{BatchCapacity, EventSink};
use crate::model::{ConcurrentInterner, FileBatch, RawEncoding, RecentSyms, SourceRef, TextProbes};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};

/// Events are handed to the collector in batches of this size, so the first events of a large
/// file show up before the file is finished.
pub const BATCH_EVENTS: usize = 16_384;

pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens a file for reading records: the decompressed stream when it starts with the gzip magic.
fn open_stream(path: &std::path::Path) -> std::io::Result<(Box<dyn Read + Send>, bool)> {
    let file = File::open(path)?;
    let mut reader = BufReader::with_capacity(128 * 1024, file);
    let gzip = reader.fill_buf()?.starts_with(&GZIP_MAGIC);
    if gzip {
        Ok((Box::new(GzipStream::new(reader)), true))
    } else {
        Ok((Box::new(reader), false))
    }
}

/// What one parsing thread carries from file to file: the strings it has met, and the buffers of
/// the file being read. Allocating and freeing a megabyte or two per file made glibc keep
/// about 12 MiB more resident by the end of a load than reusing them does.
#[derive(Default)]
pub struct Worker {
    pub recent: RecentSyms,
    batch_capacity: BatchCapacity,
    compressed: Vec<u8>,
    content: Vec<u8>,
}

impl Worker {
    pub fn new() -> Worker {
        Worker::default()
    }

    /// Keeps a buffer for the next file unless it grew large on an unusual file.
    fn keep(slot: &mut Vec<u8>, buf: Vec<u8>) {
        if buf.capacity() <= KEEP_BUFFER {
            *slot = buf;
        }
    }
}

/// Buffers up to this size are reused from file to file; larger ones are freed.
const KEEP_BUFFER: usize = 4 << 20;

/// The decompressed content of a file as the loader reads it, for reading records again at the
/// offsets the loader noted. The same decoder must serve both: libdeflate accepts some damaged
/// streams that zlib rejects, so a stream-only reader could fail short of records that loaded.
pub fn open_content(path: &std::path::Path) -> std::io::Result<Box<dyn Read + Send>> {
    Ok(match open_records(path, &mut Worker::new())?.0 {
        Opened::Stream(stream) => stream,
        Opened::Whole(data) => Box::new(Cursor::new(data)),
    })
}

/// A file's decompressed content: in memory when it could be read in one piece, else a stream.
enum Opened {
    Stream(Box<dyn Read + Send>),
    Whole(Vec<u8>),
}

/// Like [`open_stream`], but a small file is read whole, and when it is one gzip member, inflated
/// whole (see [`gunzip`]). A gzip file that does not qualify is streamed from the bytes already
/// read; a file whose reading fails part-way is opened again and streamed, so the error surfaces
/// where it always did.
fn open_records(path: &std::path::Path, worker: &mut Worker) -> std::io::Result<(Opened, bool)> {
    let mut file = File::open(path)?;
    let small = file.metadata().is_ok_and(|m| m.len() <= gunzip::MAX_INPUT);
    if !small {
        let (stream, gzip) = open_stream(path)?;
        return Ok((Opened::Stream(stream), gzip));
    }
    let mut data = std::mem::take(&mut worker.compressed);
    data.clear();
    if file.read_to_end(&mut data).is_err() {
        Worker::keep(&mut worker.compressed, data);
        let (stream, gzip) = open_stream(path)?;
        return Ok((Opened::Stream(stream), gzip));
    }
    if !data.starts_with(&GZIP_MAGIC) {
        return Ok((Opened::Whole(data), false));
    }
    let mut content = std::mem::take(&mut worker.content);
    if gunzip::single_member(&data, &mut content) {
        Worker::keep(&mut worker.compressed, data);
        return Ok((Opened::Whole(content), true));
    }
    Worker::keep(&mut worker.content, content);
    let stream = GzipStream::new(Cursor::new(data));
    Ok((Opened::Stream(Box::new(stream)), true))
}

pub fn load_file(
    found: &Found,
    file_id: u32,
    probes: &TextProbes,
    strings: &ConcurrentInterner,
    worker: &mut Worker,
    emit: &mut dyn FnMut(FileBatch),
) -> FileReport {
    let mut report = FileReport::new(found.path.display().to_string());
    report.bytes_on_disk = found.size;
    if let Some(reason) = &found.skipped {
        report.skipped = Some(reason.clone());
        return report;
    }
    let (opened, gzip) = match open_records(&found.path, worker) {
        Ok(s) => s,
        Err(e) => {
            report.skipped = Some(format!("unreadable: {e}"));
            return report;
        }
    };
    report.gzip = gzip;
    let mut scanner = match opened {
        Opened::Stream(stream) => Scanner::new(stream),
        Opened::Whole(data) => {
            let nothing_more: Box<dyn Read + Send> = Box::new(std::io::empty());
            Scanner::whole(nothing_more, data)
        }
    };
    let mut sink = EventSink::new(probes, strings, &mut worker.recent, worker.batch_capacity);
    let mut kinds: Vec<RecordKind> = Vec::new();
    let mut record: u32 = 0;
    let mut hint: Option<RecordKind> = None;
    // Records not recognised before the first one that is: a file of them alone is no log and is
    // skipped, but a log whose first record is odd (a text line in a CloudWatch export) must not
    // lose the records after it, so they wait here until a record tells which it is.
    let mut leading_unrecognized: Vec<(String, String)> = Vec::new();
    // Why the file is no log if no record is ever recognised (what its start was). A record is
    // recognised once `hint` is set.
    let mut no_log_reason: Option<String> = None;
    loop {
        if hint == Some(RecordKind::CloudTrail) {
            if let Some((start, location)) = scanner.item_start() {
                let source = SourceRef {
                    file: file_id,
                    record,
                    offset: location.offset,
                    len: 0,
                    encoding: RawEncoding::Direct,
                };
                let rest = match scanner.content_text(start) {
                    Some(text) => Json::text(text),
                    None => Json::bytes(scanner.content().get(start..).unwrap_or_default()),
                };
                if let Some((len, outcome)) = read_cloudtrail_at(rest, source, &mut sink) {
                    scanner.skip_item(start + len);
                    record += 1;
                    match outcome {
                        Ok(()) => {
                            if let Some(batch) =
                                loaded(RecordKind::CloudTrail, &mut sink, &mut report, &mut kinds)
                            {
                                emit(batch);
                            }
                        }
                        Err(rejected) => {
                            sink.discard();
                            report.reject(locate(&location, Some(record), gzip), rejected.0);
                        }
                    }
                    continue;
                }
            }
        }
        match scanner.next_step() {
            Step::End => break,
            Step::NotJson { first_byte } => {
                report.skipped = Some(not_json_reason(first_byte, gzip));
                break;
            }
            Step::TextBeforeRecords {
                location,
                first_byte,
            } => {
                record += 1;
                no_log_reason.get_or_insert_with(|| not_json_reason(first_byte, gzip));
                leading_unrecognized.push((
                    locate(&location, Some(record), gzip),
                    "not JSON: text before the first record".to_string(),
                ));
            }
            Step::Warning { location, reason } => {
                report.warn(locate(&location, None, gzip), reason)
            }
            Step::Broken { location, reason } => {
                record += 1;
                report.reject(locate(&location, Some(record), gzip), reason);
            }
            Step::Element(el) => {
                record += 1;
                let source = SourceRef {
                    file: file_id,
                    record: record - 1,
                    offset: el.location.offset,
                    len: u32::try_from(el.end - el.start).unwrap_or(u32::MAX),
                    encoding: RawEncoding::Direct,
                };
                let first = record == 1;
                let json = Json::known(scanner.bytes(&el), scanner.text(&el));
                match parse_element(json, source, &mut sink, hint) {
                    Ok(Parsed::Loaded(kind)) => {
                        if hint.is_none() {
                            for (location, reason) in leading_unrecognized.drain(..) {
                                report.reject(location, reason);
                            }
                        }
                        hint = Some(kind);
                        if let Some(batch) = loaded(kind, &mut sink, &mut report, &mut kinds) {
                            emit(batch);
                        }
                    }
                    Ok(Parsed::Digest) if first => {
                        report.skipped = Some(
                            "CloudTrail digest file (hashes that prove log integrity, not events)"
                                .into(),
                        );
                        break;
                    }
                    Ok(Parsed::Digest) => {
                        report.reject(
                            locate(&el.location, Some(record), gzip),
                            "a CloudTrail digest object inside a log file".into(),
                        );
                    }
                    Ok(Parsed::Unrecognized(reason)) if hint.is_none() => {
                        if leading_unrecognized.len() >= MAX_LEADING_UNRECOGNIZED {
                            no_log_reason = no_log_reason.map(|r| {
                                format!(
                                    "{r}; none of its first {MAX_LEADING_UNRECOGNIZED} records \
                                     is a log record"
                                )
                            });
                            break;
                        }
                        let location = locate(&el.location, Some(record), gzip);
                        no_log_reason.get_or_insert_with(|| format!("unknown format: {reason}"));
                        leading_unrecognized.push((location, reason));
                    }
                    Ok(Parsed::Unrecognized(reason)) => {
                        report.reject(locate(&el.location, Some(record), gzip), reason);
                    }
                    Err(rejected) => {
                        sink.discard();
                        report.reject(locate(&el.location, Some(record), gzip), rejected.0);
                    }
                }
            }
        }
    }
    if !leading_unrecognized.is_empty() && report.skipped.is_none() {
        report.skipped = no_log_reason;
    }
    report.bytes_decompressed = scanner.offset();
    if let Some(err) = scanner.take_read_error() {
        let what = if gzip {
            "gzip data is truncated or corrupt"
        } else {
            "read error"
        };
        let consequence = if is_trailer_mismatch(&err) {
            "the records before this point were loaded, but some of them may carry altered values"
        } else {
            "everything before this point was read"
        };
        report.warn(
            format!("decompressed byte {}", scanner.offset()),
            format!("{what}: {err}; {consequence}"),
        );
    }
    if report.skipped.is_none() && report.records_seen == 0 {
        report.skipped = Some(if report.bytes_decompressed == 0 {
            "empty file".to_string()
        } else if scanner.shape().is_some() {
            "no records: the list of records is empty".to_string()
        } else {
            format!(
                "no records: {} bytes of blank space",
                report.bytes_decompressed
            )
        });
    }
    if report.skipped.is_some() && report.records_seen > 0 {
        // A digest first record, or records none of which is recognised, make the file no log.
        report.records_seen = 0;
        report.records_loaded = 0;
        report.records_rejected = 0;
        report.rejections.clear();
        report.strands = Default::default();
        sink.drop_batch();
    }
    if report.skipped.is_none() {
        let shape = scanner.shape().map(|s| s.name()).unwrap_or("json");
        let kind = match kinds.as_slice() {
            [] => "unknown".to_string(),
            [k] => k.name().to_string(),
            many => many.iter().map(|k| k.name()).collect::<Vec<_>>().join("+"),
        };
        report.format = Some(format!("{kind}/{shape}"));
    }
    let (rest, capacity) = sink.finish(report.records_loaded as usize);
    if !rest.events.is_empty() {
        emit(rest);
    }
    worker.batch_capacity = capacity;
    Worker::keep(&mut worker.content, scanner.into_buffer());
    report
}

/// Unrecognised records read before a file without a recognised one is called no log: enough to
/// step over a preamble, few enough that a large JSON file of something else costs little.
const MAX_LEADING_UNRECOGNIZED: usize = 1000;

/// Accounts for a record just loaded; returns a full batch to hand over.
fn loaded(
    kind: RecordKind,
    sink: &mut EventSink<'_>,
    report: &mut FileReport,
    kinds: &mut Vec<RecordKind>,
) -> Option<FileBatch> {
    if let Some(strand) = sink.batch.events.last().map(|e| e.strand) {
        report.loaded(strand);
    }
    if !kinds.contains(&kind) {
        kinds.push(kind);
    }
    (sink.batch.events.len() >= BATCH_EVENTS).then(|| sink.take())
}

fn locate(loc: &Location, record: Option<u32>, gzip: bool) -> String {
    let byte = if gzip { "decompressed byte" } else { "byte" };
    match record {
        Some(r) => format!(
            "record {r}, line {}, column {}, {byte} {}",
            loc.line, loc.column, loc.offset
        ),
        None => format!(
            "line {}, column {}, {byte} {}",
            loc.line, loc.column, loc.offset
        ),
    }
}

fn not_json_reason(first_byte: u8, gzip: bool) -> String {
    let what = if first_byte.is_ascii_graphic() {
        format!("'{}'", first_byte as char)
    } else {
        format!("byte 0x{first_byte:02x}")
    };
    let inner = if gzip {
        " after gzip decompression"
    } else {
        ""
    };
    format!("not a log: content{inner} is not JSON (starts with {what})")
}
