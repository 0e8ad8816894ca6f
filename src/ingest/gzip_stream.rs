//! Streaming gzip decoder for files that are not one small intact member: several members,
//! trailing bytes, damage, or more than [`super::gunzip::MAX_OUTPUT`] bytes of content.
//!
//! flate2's `MultiGzDecoder` drops whatever one `read` call inflated when that call then meets
//! corrupt data, so how much of a damaged file is recovered depended on the size of the reads:
//! the loader (large reads) and the raw-record reader (small reads) stopped at different places,
//! and an event loaded from the last good stretch could not be shown again. This decoder hands out
//! every byte inflated before the damage and reports the error on the next read, so every reader
//! gets the same bytes, up to the point where the data really broke.

use flate2::{Decompress, FlushDecompress, Status};
use std::io::{self, BufRead, Read};

/// The largest window gzip allows (2^15 bytes).
const WINDOW_BITS: u8 = 15;

pub struct GzipStream<R> {
    input: R,
    member: Decompress,
    /// The current member ended; the next read starts another one if input remains.
    between_members: bool,
    /// Reported by the next read, after the bytes inflated before it were handed out.
    error: Option<Damage>,
}

/// What broke, kept to be reported again by every later read.
#[derive(Clone)]
struct Damage {
    kind: io::ErrorKind,
    message: String,
    /// The member's trailer (CRC-32 or length) disagrees with its content.
    trailer: bool,
}

impl Damage {
    fn error(&self) -> io::Error {
        if self.trailer {
            io::Error::new(self.kind, TrailerMismatch(self.message.clone()))
        } else {
            io::Error::new(self.kind, self.message.clone())
        }
    }
}

/// The error of a failing trailer check. It is found only at the end of a member, after the
/// member's content was handed out, so that content may be altered anywhere.
#[derive(Debug)]
struct TrailerMismatch(String);

impl std::fmt::Display for TrailerMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TrailerMismatch {}

/// Whether `e` is a failing gzip trailer check: the content read before it may carry altered
/// values.
pub fn is_trailer_mismatch(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<TrailerMismatch>())
}

impl<R: BufRead> GzipStream<R> {
    pub fn new(input: R) -> GzipStream<R> {
        GzipStream {
            input,
            member: Decompress::new_gzip(WINDOW_BITS),
            between_members: false,
            error: None,
        }
    }

    fn fail(&mut self, damage: Damage, inflated: usize) -> io::Result<usize> {
        let err = damage.error();
        self.error = Some(damage);
        if inflated > 0 {
            Ok(inflated)
        } else {
            Err(err)
        }
    }
}

impl<R: BufRead> Read for GzipStream<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(damage) = &self.error {
            return Err(damage.error());
        }
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let input = self.input.fill_buf()?;
            if self.between_members {
                if input.is_empty() {
                    return Ok(0);
                }
                // Anything after a member must be another member; zlib says so if it is not.
                self.member = Decompress::new_gzip(WINDOW_BITS);
                self.between_members = false;
            }
            let at_end = input.is_empty();
            let (in_before, out_before) = (self.member.total_in(), self.member.total_out());
            let result = self.member.decompress(input, out, FlushDecompress::None);
            let used = (self.member.total_in() - in_before) as usize;
            let inflated = (self.member.total_out() - out_before) as usize;
            self.input.consume(used);
            match result {
                Ok(Status::StreamEnd) => {
                    self.between_members = true;
                    if inflated > 0 {
                        return Ok(inflated);
                    }
                }
                Ok(_) if inflated > 0 => return Ok(inflated),
                Ok(_) if at_end => {
                    let damage = Damage {
                        kind: io::ErrorKind::UnexpectedEof,
                        message: "the data ends in the middle of a gzip member".to_string(),
                        trailer: false,
                    };
                    return self.fail(damage, 0);
                }
                Ok(_) if used == 0 => {
                    let damage = Damage {
                        kind: io::ErrorKind::InvalidData,
                        message: "the gzip decoder made no progress".to_string(),
                        trailer: false,
                    };
                    return self.fail(damage, 0);
                }
                Ok(_) => {}
                Err(e) => {
                    // zlib may notice the damage only on the call after the one that reached
                    // it, and then names no cause; the position is the same either way.
                    let (message, trailer) = match e.to_string() {
                        cause if cause.contains("bad state") => (
                            "deflate data cannot be decoded past this point".to_string(),
                            false,
                        ),
                        cause if cause.contains("incorrect data check") => (
                            "the gzip checksum does not match the content".to_string(),
                            true,
                        ),
                        cause if cause.contains("incorrect length check") => (
                            "the gzip length field does not match the content".to_string(),
                            true,
                        ),
                        cause => (cause, false),
                    };
                    let damage = Damage {
                        kind: io::ErrorKind::InvalidData,
                        message,
                        trailer,
                    };
                    return self.fail(damage, inflated);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::gunzip::tests::gz;
    use std::io::BufReader;

    /// Reads everything with reads of `chunk` bytes; the bytes before the first error, and it.
    fn read_all(data: &[u8], chunk: usize) -> (Vec<u8>, Option<io::Error>) {
        let mut stream = GzipStream::new(BufReader::with_capacity(1024, data));
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return (out, None),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    fn body() -> Vec<u8> {
        (0..20_000)
            .map(|i| format!("{{\"line\":{i},\"text\":\"{}\"}}\n", "ab".repeat(i % 40)))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn members_follow_one_another() {
        let (a, b) = (b"first member\n".to_vec(), body());
        let data = [gz(&a), gz(b""), gz(&b)].concat();
        let (out, err) = read_all(&data, 4096);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(out, [a, b].concat());
    }

    #[test]
    fn damage_yields_the_same_bytes_whatever_the_read_size() {
        let original = body();
        let mut data = gz(&original);
        let at = data.len() * 3 / 5;
        data[at] ^= 0x5a;
        let (small, small_err) = read_all(&data, 7);
        let (large, large_err) = read_all(&data, 1 << 20);
        assert!(small_err.is_some() && large_err.is_some());
        assert_eq!(small, large);
        // What came out before the damage is the file's own text.
        let same = small
            .iter()
            .zip(&original)
            .take_while(|(a, b)| a == b)
            .count();
        assert!(same > original.len() / 2, "{same} of {}", original.len());
        let e = large_err.unwrap();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("deflate"), "{e}");
    }

    #[test]
    fn a_cut_member_gives_what_precedes_the_cut_then_says_so() {
        let original = body();
        let data = gz(&original);
        let (out, err) = read_all(&data[..data.len() / 2], 1000);
        let e = err.expect("truncation is reported");
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert!(!out.is_empty() && original.starts_with(&out));
    }

    #[test]
    fn trailing_bytes_and_wrong_checksums_are_errors_after_the_content() {
        let original = b"{\"a\":1}\n".repeat(100);
        let mut garbage = gz(&original);
        garbage.extend_from_slice(b"not gzip");
        let (out, err) = read_all(&garbage, 64);
        assert_eq!(out, original);
        assert!(err.is_some_and(|e| !is_trailer_mismatch(&e)));

        let mut bad_crc = gz(&original);
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 1;
        let (out, err) = read_all(&bad_crc, 64);
        assert_eq!(out, original);
        let err = err.expect("a checksum error");
        assert!(is_trailer_mismatch(&err));
        assert_eq!(
            err.to_string(),
            "the gzip checksum does not match the content"
        );
    }
}
