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
    error: Option<(io::ErrorKind, String)>,
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

    fn fail(&mut self, kind: io::ErrorKind, message: String, inflated: usize) -> io::Result<usize> {
        let err = io::Error::new(kind, message.clone());
        self.error = Some((kind, message));
        if inflated > 0 {
            Ok(inflated)
        } else {
            Err(err)
        }
    }
}

impl<R: BufRead> Read for GzipStream<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some((kind, message)) = &self.error {
            return Err(io::Error::new(*kind, message.clone()));
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
                    let message = "the data ends in the middle of a gzip member".to_string();
                    return self.fail(io::ErrorKind::UnexpectedEof, message, 0);
                }
                Ok(_) if used == 0 => {
                    let message = "the gzip decoder made no progress".to_string();
                    return self.fail(io::ErrorKind::InvalidData, message, 0);
                }
                Ok(_) => {}
                Err(e) => {
                    // zlib may notice the damage only on the call after the one that reached
                    // it, and then names no cause; the position is the same either way.
                    let message = match e.to_string() {
                        cause if cause.contains("bad state") => {
                            "deflate data cannot be decoded past this point".to_string()
                        }
                        cause if cause.contains("incorrect data check") => {
                            "the gzip checksum does not match the content".to_string()
                        }
                        cause if cause.contains("incorrect length check") => {
                            "the gzip length field does not match the content".to_string()
                        }
                        cause => cause,
                    };
                    return self.fail(io::ErrorKind::InvalidData, message, inflated);
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
        assert!(err.is_some());

        let mut bad_crc = gz(&original);
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 1;
        let (out, err) = read_all(&bad_crc, 64);
        assert_eq!(out, original);
        assert!(err.is_some());
    }
}
