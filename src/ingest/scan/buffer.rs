//! The scanner's bytes, and whether they are known to be text. Content held whole is checked for
//! UTF-8 once, as it arrives, so that every record in it can be parsed as `str`: parsed from bytes,
//! serde_json checks each string it meets on its own, which on trail records cost a seventh of all
//! instructions.

use std::ops::Deref;

/// Holds its content in exactly one of the two fields.
#[derive(Default)]
pub(super) struct Buffer {
    bytes: Vec<u8>,
    /// The content when it is a file held whole and valid UTF-8 throughout.
    text: Option<String>,
}

impl Buffer {
    pub(super) fn bytes(bytes: Vec<u8>) -> Buffer {
        Buffer { bytes, text: None }
    }

    /// Content held whole: text when it is valid UTF-8, else bytes.
    pub(super) fn whole(data: Vec<u8>) -> Buffer {
        // simdutf8 checks a gigabyte of logs in two thirds of the time the standard library takes.
        if simdutf8::basic::from_utf8(&data).is_err() {
            return Buffer::bytes(data);
        }
        // SAFETY: `data` was just checked to be valid UTF-8.
        let text = unsafe { String::from_utf8_unchecked(data) };
        Buffer {
            bytes: Vec::new(),
            text: Some(text),
        }
    }

    pub(super) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The bytes, to grow or shrink. Text becomes bytes, without copying: nothing checks what is
    /// added to them.
    pub(super) fn bytes_mut(&mut self) -> &mut Vec<u8> {
        if let Some(text) = self.text.take() {
            self.bytes = text.into_bytes();
        }
        &mut self.bytes
    }

    pub(super) fn into_vec(self) -> Vec<u8> {
        match self.text {
            Some(text) => text.into_bytes(),
            None => self.bytes,
        }
    }
}

impl Deref for Buffer {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.text {
            Some(text) => text.as_bytes(),
            None => &self.bytes,
        }
    }
}
