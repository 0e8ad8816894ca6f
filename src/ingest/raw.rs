//! Re-reads raw records on demand through their [`SourceRef`]: the store keeps locations, not text,
//! so memory does not grow with prompt sizes.

use super::file::open_content;
use crate::model::{EventStore, RawEncoding, SourceRef};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::Read;

#[derive(Debug, thiserror::Error)]
pub enum RawError {
    #[error("no such source file (id {0})")]
    UnknownFile(u32),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the record at byte {offset} is no longer there (the file changed since it was loaded)")]
    Changed { path: String, offset: u64 },
}

/// The record's JSON text as it appears in the log (unwrapped from `CloudTrailEvent`/`message`
/// strings and EventBridge envelopes).
pub fn read_record(store: &EventStore, source: &SourceRef) -> Result<String, RawError> {
    let mut out = read_records(store, std::slice::from_ref(source));
    out.pop().unwrap_or(Err(RawError::UnknownFile(source.file)))
}

/// Reads several records, one pass per file in offset order; results come back in input order.
pub fn read_records(store: &EventStore, sources: &[SourceRef]) -> Vec<Result<String, RawError>> {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| (sources[i].file, sources[i].offset));
    let mut results: Vec<Option<Result<String, RawError>>> =
        (0..sources.len()).map(|_| None).collect();
    let mut i = 0;
    while i < order.len() {
        let file = sources[order[i]].file;
        let mut j = i;
        while j < order.len() && sources[order[j]].file == file {
            j += 1;
        }
        let group = &order[i..j];
        match store.file_path(file) {
            None => {
                for &k in group {
                    results[k] = Some(Err(RawError::UnknownFile(file)));
                }
            }
            Some(path) => {
                let path_text = path.display().to_string();
                match open_content(path) {
                    Err(source) => {
                        for &k in group {
                            results[k] = Some(Err(RawError::Io {
                                path: path_text.clone(),
                                source: std::io::Error::new(source.kind(), source.to_string()),
                            }));
                        }
                    }
                    Ok(mut stream) => {
                        let mut pos: u64 = 0;
                        for &k in group {
                            let src = &sources[k];
                            results[k] = Some(read_at(&mut stream, &mut pos, src, &path_text));
                        }
                    }
                }
            }
        }
        i = j;
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(RawError::UnknownFile(u32::MAX))))
        .collect()
}

fn read_at(
    stream: &mut dyn Read,
    pos: &mut u64,
    src: &SourceRef,
    path: &str,
) -> Result<String, RawError> {
    let io = |source| RawError::Io {
        path: path.to_string(),
        source,
    };
    if src.offset < *pos {
        return Err(RawError::Changed {
            path: path.to_string(),
            offset: src.offset,
        });
    }
    let skip = src.offset - *pos;
    let skipped = std::io::copy(&mut stream.take(skip), &mut std::io::sink()).map_err(io)?;
    *pos += skipped;
    if skipped < skip {
        return Err(RawError::Changed {
            path: path.to_string(),
            offset: src.offset,
        });
    }
    let mut buf = Vec::with_capacity(src.len as usize);
    stream
        .take(u64::from(src.len))
        .read_to_end(&mut buf)
        .map_err(io)?;
    *pos += buf.len() as u64;
    if buf.len() < src.len as usize {
        return Err(RawError::Changed {
            path: path.to_string(),
            offset: src.offset,
        });
    }
    Ok(unwrap_encoding(&buf, src.encoding))
}

#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(rename = "CloudTrailEvent", borrow, default)]
    cloudtrail_event: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    message: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    detail: Option<&'a serde_json::value::RawValue>,
}

/// Extracts the inner record; falls back to the element text when it cannot.
fn unwrap_encoding(bytes: &[u8], encoding: RawEncoding) -> String {
    let text = String::from_utf8_lossy(bytes);
    if encoding == RawEncoding::Direct {
        return text.into_owned();
    }
    let Ok(w) = serde_json::from_str::<Wrapped<'_>>(&text) else {
        return text.into_owned();
    };
    let inner = match encoding {
        RawEncoding::CloudTrailEventString => w.cloudtrail_event.map(Cow::into_owned),
        RawEncoding::MessageString => w.message.map(Cow::into_owned),
        RawEncoding::EventBridgeDetail => w.detail.map(|d| d.get().to_string()),
        RawEncoding::Direct => None,
    };
    inner.unwrap_or_else(|| text.into_owned())
}
