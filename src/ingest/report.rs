//! The load report: every file and every record is either loaded or listed with its reason.

use crate::model::Strand;
use serde::Serialize;

/// At most this many rejections are listed per file; the rest are counted in
/// `rejections_not_listed` so a file of a million bad lines cannot exhaust memory.
pub const MAX_LISTED_REJECTIONS: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// `line 112, column 1 (byte 3326), record 2` — enough to open the file at the spot.
    pub location: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StrandCounts {
    pub management: u64,
    pub data: u64,
    pub invocation: u64,
    pub endpoint: u64,
}

impl StrandCounts {
    pub fn add(&mut self, strand: Strand, n: u64) {
        match strand {
            Strand::Management => self.management += n,
            Strand::Data => self.data += n,
            Strand::Invocation => self.invocation += n,
            Strand::Endpoint => self.endpoint += n,
        }
    }

    pub fn get(&self, strand: Strand) -> u64 {
        match strand {
            Strand::Management => self.management,
            Strand::Data => self.data,
            Strand::Invocation => self.invocation,
            Strand::Endpoint => self.endpoint,
        }
    }

    fn merge(&mut self, other: &StrandCounts) {
        for s in Strand::ALL {
            self.add(s, other.get(s));
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: String,
    /// `<record kind>/<layout>`, e.g. `cloudtrail/records-envelope`, `bedrock-invocation/json-lines`.
    pub format: Option<String>,
    pub gzip: bool,
    pub bytes_on_disk: u64,
    pub bytes_decompressed: u64,
    pub records_seen: u64,
    pub records_loaded: u64,
    pub records_rejected: u64,
    pub rejections: Vec<Issue>,
    pub rejections_not_listed: u64,
    /// Problems that lost no record: a missing separator read past, a stream that ended early
    /// between records.
    pub warnings: Vec<Issue>,
    pub strands: StrandCounts,
    /// Why the whole file was not loaded (`null` when it was read).
    pub skipped: Option<String>,
}

impl FileReport {
    /// The file's report in one line: why it was skipped, else its first rejection, else its
    /// first warning, each with how many more there are.
    pub fn note(&self) -> String {
        if let Some(skipped) = &self.skipped {
            return skipped.clone();
        }
        let with_more = |first: &str, more: u64| {
            if more > 0 {
                format!("{first} (+{more} more)")
            } else {
                first.to_string()
            }
        };
        if let Some(first) = self.rejections.first() {
            return with_more(&first.reason, self.records_rejected.saturating_sub(1));
        }
        if let Some(first) = self.warnings.first() {
            return with_more(&first.reason, self.warnings.len() as u64 - 1);
        }
        String::new()
    }

    pub fn new(path: String) -> FileReport {
        FileReport {
            path,
            ..FileReport::default()
        }
    }

    pub fn reject(&mut self, location: String, reason: String) {
        self.records_seen += 1;
        self.records_rejected += 1;
        if self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(Issue { location, reason });
        } else {
            self.rejections_not_listed += 1;
        }
    }

    pub fn warn(&mut self, location: String, reason: String) {
        if self.warnings.len() < MAX_LISTED_REJECTIONS {
            self.warnings.push(Issue { location, reason });
        }
    }

    pub fn loaded(&mut self, strand: Strand) {
        self.records_seen += 1;
        self.records_loaded += 1;
        self.strands.add(strand, 1);
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub files: u64,
    pub files_loaded: u64,
    pub files_skipped: u64,
    pub records_seen: u64,
    pub records_loaded: u64,
    pub records_rejected: u64,
    pub bytes_on_disk: u64,
    pub bytes_decompressed: u64,
    pub strands: StrandCounts,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadReport {
    pub files: Vec<FileReport>,
    pub totals: Totals,
}

impl LoadReport {
    pub fn push(&mut self, file: FileReport) {
        let t = &mut self.totals;
        t.files += 1;
        if file.skipped.is_some() {
            t.files_skipped += 1;
        } else {
            t.files_loaded += 1;
        }
        t.records_seen += file.records_seen;
        t.records_loaded += file.records_loaded;
        t.records_rejected += file.records_rejected;
        t.bytes_on_disk += file.bytes_on_disk;
        t.bytes_decompressed += file.bytes_decompressed;
        t.strands.merge(&file.strands);
        self.files.push(file);
    }

    /// Plain-text rendering for `strata scan --load-report`.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        for f in &self.files {
            let path = crate::ui::text::escape_plain(&f.path);
            match &f.skipped {
                Some(reason) => {
                    let _ = writeln!(
                        s,
                        "SKIP  {path}\n      {}",
                        crate::ui::text::escape_plain(reason)
                    );
                }
                None => {
                    let _ = writeln!(
                        s,
                        "LOAD  {path}\n      {}{} · seen {} · loaded {} · rejected {}",
                        f.format.as_deref().unwrap_or("unknown"),
                        if f.gzip { " (gzip)" } else { "" },
                        f.records_seen,
                        f.records_loaded,
                        f.records_rejected
                    );
                }
            }
            for r in &f.rejections {
                let _ = writeln!(
                    s,
                    "      rejected at {}: {}",
                    r.location,
                    crate::ui::text::escape_plain(&r.reason)
                );
            }
            if f.rejections_not_listed > 0 {
                let _ = writeln!(
                    s,
                    "      … {} more rejections not listed",
                    f.rejections_not_listed
                );
            }
            for w in &f.warnings {
                let _ = writeln!(
                    s,
                    "      warning at {}: {}",
                    w.location,
                    crate::ui::text::escape_plain(&w.reason)
                );
            }
        }
        let t = &self.totals;
        let _ = writeln!(
            s,
            "\nTOTAL {} files ({} loaded, {} skipped) · records seen {} = loaded {} + rejected {}",
            t.files,
            t.files_loaded,
            t.files_skipped,
            t.records_seen,
            t.records_loaded,
            t.records_rejected
        );
        let _ = writeln!(
            s,
            "      management {} · data {} · invocation {} · endpoint {}",
            t.strands.management, t.strands.data, t.strands.invocation, t.strands.endpoint
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_tells_skip_then_first_rejection_then_first_warning() {
        let mut f = FileReport::new("a.json".into());
        assert_eq!(f.note(), "");
        f.warn("line 3".into(), "missing ','".into());
        f.warn("line 9".into(), "missing ','".into());
        assert_eq!(f.note(), "missing ',' (+1 more)");
        f.reject("line 4".into(), "invalid JSON".into());
        assert_eq!(f.note(), "invalid JSON");
        f.reject("line 5".into(), "no timestamp".into());
        f.reject("line 6".into(), "no timestamp".into());
        assert_eq!(f.note(), "invalid JSON (+2 more)");
        f.skipped = Some("CloudTrail digest file".into());
        assert_eq!(f.note(), "CloudTrail digest file");
    }
}
