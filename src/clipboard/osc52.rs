//! OSC 52 escape sequences, wrapped for the terminal multiplexer in between.

use base64::Engine;

/// Terminals and multiplexers truncate or ignore larger OSC 52 payloads; this is the base64
/// length k9s settled on after the same reports.
pub const OSC52_MAX_ENCODED: usize = 74_994;

/// GNU screen limits the length of one DCS string, so its payload goes in pieces this long.
const SCREEN_CHUNK: usize = 76;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
const OSC52_PREFIX: &[u8] = b"\x1b]52;c;";
const DCS_START: &[u8] = b"\x1bP";
const TMUX_DCS_START: &[u8] = b"\x1bPtmux;";
const STRING_TERMINATOR: &[u8] = b"\x1b\\";

/// What sits between strata and the real terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    None,
    Tmux,
    Screen,
}

impl Multiplexer {
    /// The route name shown in the toast.
    pub fn route(self) -> &'static str {
        match self {
            Multiplexer::None => "osc52",
            Multiplexer::Tmux => "osc52+tmux",
            Multiplexer::Screen => "osc52+screen",
        }
    }
}

pub fn encoded_len(text: &str) -> usize {
    base64::encoded_len(text.len(), true).unwrap_or(usize::MAX)
}

/// The bytes that ask the terminal to put `text` on its clipboard.
///
/// - no multiplexer: `ESC ] 52 ; c ; <base64> BEL`
/// - tmux: that sequence as is (tmux takes it into its own buffer with `set-clipboard on`),
///   then again inside `ESC P tmux; … ESC \` with every inner ESC doubled, which reaches the
///   outer terminal when `allow-passthrough on`.
/// - screen: the sequence split into DCS strings (`ESC P … ESC \`) of at most 76 base64 bytes,
///   which screen forwards unchanged.
pub fn osc52_sequence(text: &str, multiplexer: Multiplexer) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut plain = Vec::with_capacity(OSC52_PREFIX.len() + encoded.len() + 1);
    plain.extend_from_slice(OSC52_PREFIX);
    plain.extend_from_slice(encoded.as_bytes());
    plain.push(BEL);
    match multiplexer {
        Multiplexer::None => plain,
        Multiplexer::Tmux => {
            let mut out = plain.clone();
            out.extend_from_slice(TMUX_DCS_START);
            for &byte in &plain {
                if byte == ESC {
                    out.push(ESC);
                }
                out.push(byte);
            }
            out.extend_from_slice(STRING_TERMINATOR);
            out
        }
        Multiplexer::Screen => {
            let mut out = Vec::with_capacity(plain.len() * 2);
            out.extend_from_slice(DCS_START);
            out.extend_from_slice(OSC52_PREFIX);
            for (i, chunk) in encoded.as_bytes().chunks(SCREEN_CHUNK).enumerate() {
                if i > 0 {
                    out.extend_from_slice(STRING_TERMINATOR);
                    out.extend_from_slice(DCS_START);
                }
                out.extend_from_slice(chunk);
            }
            out.push(BEL);
            out.extend_from_slice(STRING_TERMINATOR);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence() {
        assert_eq!(
            osc52_sequence("hi", Multiplexer::None),
            b"\x1b]52;c;aGk=\x07"
        );
        assert_eq!(osc52_sequence("", Multiplexer::None), b"\x1b]52;c;\x07");
    }

    #[test]
    fn tmux_sends_plain_then_passthrough_with_doubled_escapes() {
        assert_eq!(
            osc52_sequence("hi", Multiplexer::Tmux),
            b"\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn screen_splits_into_dcs_chunks() {
        assert_eq!(
            osc52_sequence("hi", Multiplexer::Screen),
            b"\x1bP\x1b]52;c;aGk=\x07\x1b\\"
        );
        // 60 bytes encode to 80 base64 characters: one full chunk of 76, then 4.
        let text = "a".repeat(60);
        let encoded = "YWFh".repeat(20);
        let mut expected = b"\x1bP\x1b]52;c;".to_vec();
        expected.extend_from_slice(&encoded.as_bytes()[..76]);
        expected.extend_from_slice(b"\x1b\\\x1bP");
        expected.extend_from_slice(&encoded.as_bytes()[76..]);
        expected.extend_from_slice(b"\x07\x1b\\");
        assert_eq!(osc52_sequence(&text, Multiplexer::Screen), expected);
    }

    #[test]
    fn every_screen_chunk_is_bounded() {
        let out = osc52_sequence(&"x".repeat(1000), Multiplexer::Screen);
        let text = String::from_utf8_lossy(&out);
        for piece in text.split("\x1bP").skip(1) {
            let payload = piece
                .trim_start_matches("\x1b]52;c;")
                .trim_end_matches("\x1b\\");
            assert!(
                payload.trim_end_matches('\x07').len() <= SCREEN_CHUNK,
                "{piece:?}"
            );
        }
    }

    #[test]
    fn encoded_length_matches_base64() {
        assert_eq!(encoded_len(""), 0);
        assert_eq!(encoded_len("hi"), 4);
        assert_eq!(encoded_len(&"a".repeat(56_244)), 74_992);
    }
}
