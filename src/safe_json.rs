//! JSON that is safe to print: serde_json escapes only the C0 controls, so a log field carrying
//! DEL, a C1 control such as CSI (U+009B), a bidi override or a zero-width character would reach a
//! terminal that `cat`s the output as it is. Those characters are written as `\u` escapes, which
//! JSON readers decode to the same string.

use crate::ui::sanitize::needs_escape;
use std::borrow::Cow;
use std::fmt::Write;

/// `json` (text serde_json wrote) with every terminal hazard inside its strings `\u`-escaped.
/// Outside strings serde_json writes only ASCII punctuation, digits, letters and whitespace, none
/// of which is touched, so the result is the same JSON value.
pub fn escape_hazards(json: &str) -> Cow<'_, str> {
    let hazard = |c: char| c == '\u{7f}' || (!c.is_ascii() && needs_escape(c));
    if !json.chars().any(hazard) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hazard(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`serde_json::to_string`] through [`escape_hazards`].
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string(value).map(|s| escape_hazards(&s).into_owned())
}

/// [`serde_json::to_string_pretty`] through [`escape_hazards`].
pub fn to_string_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value).map(|s| escape_hazards(&s).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazards_become_escapes_that_decode_to_the_same_string() {
        let field = "a\u{202e}b\u{200b}c\u{9b}31m\u{7f}d\u{e0041}e\tf ünï";
        let json = to_string_pretty(&serde_json::json!({ "v": field })).unwrap();
        for hazard in [
            '\u{202e}',
            '\u{200b}',
            '\u{9b}',
            '\u{7f}',
            '\u{e0041}',
            '\t',
        ] {
            assert!(!json.contains(hazard), "{json:?}");
        }
        assert!(
            json.contains("\\u202e") && json.contains("\\udb40\\udc41"),
            "{json}"
        );
        // Printable non-ASCII text and the pretty layout stay as they were.
        assert!(json.contains("ünï") && json.contains("\n  \"v\""), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["v"], field);
    }

    #[test]
    fn clean_json_is_not_copied() {
        assert!(matches!(escape_hazards("{\"a\":\"ü\"}"), Cow::Borrowed(_)));
    }
}
