//! Whole-file gzip decompression with libdeflate, for the common case of a log file that is one
//! gzip member of known, modest size.
//!
//! libdeflate inflates a buffer about a third faster than zlib-rs streams it, and the records can
//! then be found in place instead of being copied chunk by chunk into the scanner. Anything else —
//! several members, trailing bytes, corrupt or truncated data, a trailer announcing more than
//! [`MAX_OUTPUT`] — is left to the streaming decoder, so damaged files and gzip bombs behave
//! exactly as they always did.

use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_decompressor, libdeflate_free_decompressor,
    libdeflate_gzip_decompress_ex, libdeflate_result_LIBDEFLATE_SUCCESS,
};
use std::ptr::NonNull;

/// Largest decompressed size inflated in one piece; bigger files are streamed so that memory
/// stays bounded by the scanner's window, not by the file.
pub const MAX_OUTPUT: usize = 16 << 20;

/// Largest compressed file read whole: DEFLATE cannot store [`MAX_OUTPUT`] bytes in much more
/// than that (stored blocks add 5 bytes per 64 KiB), so bigger files cannot qualify anyway.
pub const MAX_INPUT: u64 = (MAX_OUTPUT + MAX_OUTPUT / 8192 + 64 * 1024) as u64;

/// The smallest gzip member: 10-byte header, an empty deflate block, 8-byte trailer.
const MIN_MEMBER: usize = 20;

/// DEFLATE expands at most about 1032:1, so a trailer claiming more than that is a lie.
const MAX_RATIO: usize = 1032;

/// Inflates `data` into `out` (replacing its content) when `data` is one intact gzip member of at
/// most [`MAX_OUTPUT`] bytes; false, with `out` empty, for anything else.
pub fn single_member(data: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let Some(size) = announced_size(data) else {
        return false;
    };
    out.reserve(size);
    let Some(mut inflater) = Decompressor::new() else {
        return false;
    };
    let Some((used, written)) = inflater.gzip(data, &mut out.spare_capacity_mut()[..size]) else {
        return false;
    };
    // A shorter member followed by more data (another member, or garbage) goes to the streaming
    // decoder, which reads on or reports it as before.
    if used != data.len() || written != size {
        return false;
    }
    // SAFETY: libdeflate reported writing `written` bytes to the start of the spare capacity, and
    // `written` equals `size`, which `reserve` made room for.
    unsafe { out.set_len(written) };
    true
}

/// The size the gzip trailer announces, when it is small enough and possible at all.
fn announced_size(data: &[u8]) -> Option<usize> {
    let trailer: [u8; 4] = data.get(data.len().checked_sub(4)?..)?.try_into().ok()?;
    let size = u32::from_le_bytes(trailer) as usize;
    (data.len() >= MIN_MEMBER && size <= MAX_OUTPUT && size <= data.len().saturating_mul(MAX_RATIO))
        .then_some(size)
}

/// Owns one libdeflate decompressor (a few KiB of tables).
struct Decompressor(NonNull<libdeflate_decompressor>);

impl Decompressor {
    fn new() -> Option<Decompressor> {
        // SAFETY: plain allocation; a null result (out of memory) is turned into `None`.
        NonNull::new(unsafe { libdeflate_alloc_decompressor() }).map(Decompressor)
    }

    /// Inflates the gzip member at the start of `input` into `out`; returns the input bytes it
    /// took and the output bytes it wrote, or `None` for bad data or too little room.
    fn gzip(
        &mut self,
        input: &[u8],
        out: &mut [std::mem::MaybeUninit<u8>],
    ) -> Option<(usize, usize)> {
        let (mut used, mut written) = (0usize, 0usize);
        // SAFETY: the pointers and lengths describe live slices that outlive the call; libdeflate
        // reads at most `input.len()` bytes, writes at most `out.len()` bytes (it never reads the
        // output), and stores the counts through the two valid pointers.
        let result = unsafe {
            libdeflate_gzip_decompress_ex(
                self.0.as_ptr(),
                input.as_ptr().cast(),
                input.len(),
                out.as_mut_ptr().cast(),
                out.len(),
                &mut used,
                &mut written,
            )
        };
        (result == libdeflate_result_LIBDEFLATE_SUCCESS
            && used <= input.len()
            && written <= out.len())
        .then_some((used, written))
    }
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `libdeflate_alloc_decompressor` and is freed only here.
        unsafe { libdeflate_free_decompressor(self.0.as_ptr()) }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    /// One gzip member holding `bytes`.
    pub(crate) fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn inflate(data: &[u8]) -> Option<Vec<u8>> {
        let mut out = b"left over".to_vec();
        let ok = single_member(data, &mut out);
        assert!(ok || out.is_empty());
        ok.then_some(out)
    }

    #[test]
    fn one_member_is_inflated_whole() {
        let body = b"{\"a\":1}\n".repeat(10_000);
        assert_eq!(inflate(&gz(&body)).as_deref(), Some(&body[..]));
        assert_eq!(inflate(&gz(b"")).as_deref(), Some(&b""[..]));
    }

    #[test]
    fn anything_else_is_left_to_the_streaming_decoder() {
        let one = gz(b"{\"a\":1}\n");
        // Two identical members: the first one's trailer even matches the file's last trailer.
        let two = [one.clone(), one.clone()].concat();
        assert_eq!(inflate(&two), None);
        let mut garbage = one.clone();
        garbage.extend_from_slice(b"\0\0\0\0\0\0\0\0");
        assert_eq!(inflate(&garbage), None);
        assert_eq!(inflate(&one[..one.len() - 3]), None);
        let mut corrupt = one.clone();
        let mid = corrupt.len() / 2;
        corrupt[mid] ^= 0x55;
        assert_eq!(inflate(&corrupt), None);
        let mut lying = one.clone();
        let n = lying.len();
        lying[n - 4..].copy_from_slice(&2u32.to_le_bytes());
        assert_eq!(inflate(&lying), None);
        assert_eq!(inflate(&[]), None);
        assert_eq!(inflate(b"\x1f\x8b"), None);
    }
}
