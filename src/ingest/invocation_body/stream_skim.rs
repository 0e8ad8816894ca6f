//! The facts of an InvokeModelWithResponseStream response, read straight from the record's text.
//!
//! A streamed response is logged as an array of dozens of events, nearly all of them Anthropic
//! text deltas (`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"…"}}`)
//! that carry no fact ingest keeps. Visiting each of them through serde cost a tenth of a whole
//! load. Here a delta in exactly that compact shape, and the block start and stop events around
//! the deltas, are recognised byte by byte and stepped over; every other element is read by the
//! same visitor as before, in order, into the same summary. An element this code cannot vouch for
//! (any other layout, an escape it does not check, deep nesting) makes it give up, and the caller
//! reads the record the ordinary way: the facts are those of the ordinary reading, and so are the
//! errors of malformed records.

use serde::de::DeserializeSeed;

use super::response::{EventSeed, Summary};
use super::ResponseFacts;

/// An event with nothing ingest keeps (the text it carries is dropped in facts mode): the bytes up
/// to its index, the bytes after the index, and whether a string and `"}}` follow them.
struct Shape {
    head: &'static [u8],
    after_index: &'static [u8],
    text: bool,
}

const FACTLESS: [Shape; 3] = [
    Shape {
        head: br#"{"type":"content_block_delta","index":"#,
        after_index: br#","delta":{"type":"text_delta","text":""#,
        text: true,
    },
    Shape {
        head: br#"{"type":"content_block_start","index":"#,
        after_index: br#","content_block":{"type":"text","text":""#,
        text: true,
    },
    Shape {
        head: br#"{"type":"content_block_stop","index":"#,
        after_index: b"}",
        text: false,
    },
];

const TEXT_TAIL: &[u8] = br#""}}"#;

/// A stream whose first elements have none of those shapes (another model family's events) is
/// left to the ordinary reading after this many, which reads it faster.
const MAX_ELEMENTS_BEFORE_A_SHAPE: usize = 4;

/// An element nested deeper than this is left to the ordinary reading, whose recursion limit
/// counts the levels of the record around the array too.
const MAX_ELEMENT_DEPTH: usize = 100;

/// Reads the stream array at the start of `text` (which begins with `[`). Returns its facts and
/// the array's length in bytes, or `None` when the array must be read the ordinary way.
pub fn stream_facts(text: &str) -> Option<(ResponseFacts<'_>, usize)> {
    let b = text.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    let mut sum = Summary::default();
    let mut at = skip_whitespace(b, 1);
    if b.get(at) == Some(&b']') {
        return Some((ResponseFacts(sum), at + 1));
    }
    let (mut shaped, mut others) = (0usize, 0usize);
    loop {
        at = match factless_end(b, at) {
            Some(end) => {
                shaped += 1;
                end
            }
            None => {
                others += 1;
                if shaped == 0 && others > MAX_ELEMENTS_BEFORE_A_SHAPE {
                    return None;
                }
                let end = value_end(b, at)?;
                let mut de = serde_json::Deserializer::from_str(text.get(at..end)?);
                EventSeed::stream(&mut sum).deserialize(&mut de).ok()?;
                de.end().ok()?;
                end
            }
        };
        at = skip_whitespace(b, at);
        match b.get(at)? {
            b',' => at = skip_whitespace(b, at + 1),
            b']' => return Some((ResponseFacts(sum), at + 1)),
            _ => return None,
        }
    }
}

fn skip_whitespace(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// The end of an event of one of the [`FACTLESS`] shapes at `at`, checked as strictly as
/// serde_json checks what it skips: a plain integer index, a string with no control character and
/// valid escapes.
fn factless_end(b: &[u8], at: usize) -> Option<usize> {
    let rest = b.get(at..)?;
    let shape = FACTLESS.iter().find(|s| rest.starts_with(s.head))?;
    let digits = at + shape.head.len();
    let mut i = digits;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let leading_zero = b.get(digits) == Some(&b'0') && i - digits > 1;
    if i == digits || leading_zero || !b.get(i..)?.starts_with(shape.after_index) {
        return None;
    }
    i += shape.after_index.len();
    if !shape.text {
        return Some(i);
    }
    i = string_end(b, i)?;
    b.get(i..)?
        .starts_with(TEXT_TAIL)
        .then_some(i + TEXT_TAIL.len())
}

/// The index of the closing quote of a string whose content starts at `at`, or `None` for a
/// control character, an invalid escape or no closing quote.
fn string_end(b: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let rest = b.get(at..)?;
        let stop = memchr::memchr2(b'"', b'\\', rest)?;
        // A fold rather than `any`: no early exit, so the check runs over whole vectors.
        if rest[..stop]
            .iter()
            .fold(false, |ctrl, &c| ctrl | (c < 0x20))
        {
            return None;
        }
        at += stop;
        if b[at] == b'"' {
            return Some(at);
        }
        at += match *b.get(at + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
            b'u' if b.get(at + 2..at + 6)?.iter().all(u8::is_ascii_hexdigit) => 6,
            _ => return None,
        };
    }
}

/// The end of the JSON value at `at`, found by matching brackets outside strings. The value is
/// then read by serde_json, which checks everything this does not.
fn value_end(b: &[u8], at: usize) -> Option<usize> {
    match *b.get(at)? {
        b'"' => string_end(b, at + 1).map(|end| end + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match *b.get(i)? {
                    b'"' => i = string_end(b, i + 1)?,
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > MAX_ELEMENT_DEPTH {
                            return None;
                        }
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
            let len = b[at..]
                .iter()
                .position(|c| matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(b.len() - at);
            Some(at + len)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::invocation_body::lenient::parse;
    use crate::ingest::invocation_body::response::Facts;

    /// The facts the ordinary reading finds, to compare with.
    fn ordinary(text: &str) -> Option<Summary<'_>> {
        parse::<Facts<'_>>(text).map(|f| f.0)
    }

    fn same(text: &str) {
        let (fast, len) = stream_facts(text).expect("read");
        assert_eq!(len, text.len(), "{text}");
        let slow = ordinary(text).expect("ordinary reading");
        assert_eq!(format!("{:?}", fast.0), format!("{slow:?}"), "{text}");
    }

    const START: &str = r#"{"type":"message_start","message":{"id":"m","role":"assistant","content":[],"stop_reason":null,"usage":{"input_tokens":94,"output_tokens":1}}}"#;
    const DELTA: &str = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Tuesday.\n- No \"orders\" \u00e9 "}}"#;
    const BLOCK_START: &str =
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#;
    const BLOCK_STOP: &str = r#"{"type":"content_block_stop","index":0}"#;
    const STOP: &str = r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":40}}"#;
    const METRICS: &str = r#"{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":94,"outputTokenCount":40},"amazon-bedrock-guardrailAction":"INTERVENED"}"#;

    #[test]
    fn reads_the_facts_the_ordinary_reading_finds() {
        same(&format!(
            "[{START},{BLOCK_START},{DELTA},{DELTA},{BLOCK_STOP},{STOP},{METRICS}]"
        ));
        same(&format!(
            "[ {START} ,\n{DELTA} , \"[DONE]\", 7, null, {METRICS} ]"
        ));
        same("[]");
        same("[ ]");
        // A delta that carries a fact, or is laid out otherwise, is read by the visitor.
        same(
            r#"[{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","stop_reason":"x"}}]"#,
        );
        same(
            r#"[{"type":"content_block_delta", "index":0,"delta":{"type":"text_delta","text":"a"}}]"#,
        );
        same(
            r#"[{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"amazon-bedrock-guardrailAction":"INTERVENED"}]"#,
        );
    }

    #[test]
    fn steps_over_the_compact_factless_shapes_only() {
        let at = |s: &str| factless_end(s.as_bytes(), 0);
        assert_eq!(at(DELTA), Some(DELTA.len()));
        assert_eq!(at(BLOCK_START), Some(BLOCK_START.len()));
        assert_eq!(at(BLOCK_STOP), Some(BLOCK_STOP.len()));
        assert_eq!(
            at(&BLOCK_STOP.replace("index\":0", "index\":0,\"x\":1")),
            None
        );
        assert_eq!(
            at(&BLOCK_START.replace("\"text\",\"text", "\"tool_use\",\"text")),
            None
        );
        assert_eq!(at(START), None);
        assert_eq!(
            at(&DELTA.replace("index\":0", "index\":12")),
            Some(DELTA.len() + 1)
        );
        for odd in [
            DELTA.replace("index\":0", "index\":01"),
            DELTA.replace("index\":0", "index\":-1"),
            DELTA.replace("index\":0", "index\":"),
            DELTA.replace("\\n", "\\x"),
            DELTA.replace("\\u00e9", "\\u00g9"),
            DELTA.replace("\\n", "\n"),
            DELTA.replace("text_delta", "thinking_delta"),
            DELTA.trim_end_matches('}').to_owned(),
        ] {
            assert_eq!(at(&odd), None, "{odd}");
        }
    }

    #[test]
    fn gives_up_on_what_it_cannot_vouch_for() {
        for bad in [
            format!("[{DELTA},]"),
            format!("[{DELTA} {DELTA}]"),
            format!("[{DELTA},{{\"a\":1}}}}]"),
            format!("[{DELTA},{{\"a\":[}}]]"),
            format!("[{DELTA}"),
            format!("[{}]", "[".repeat(MAX_ELEMENT_DEPTH + 1)),
            "[tru]".to_owned(),
            "[\"a\u{1}\"]".to_owned(),
            "{}".to_owned(),
        ] {
            assert!(stream_facts(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn stops_at_the_end_of_the_array() {
        let text = format!("[{DELTA},{STOP}],\"outputTokenCount\":40}}");
        let (_, len) = stream_facts(&text).expect("read");
        assert_eq!(&text[len..], ",\"outputTokenCount\":40}");
    }
}
