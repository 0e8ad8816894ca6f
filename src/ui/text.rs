//! Minimal escaping for plain-text output outside the TUI (reports and tables printed to a
//! terminal): log content is attacker-controlled, so control and invisible characters are written
//! as visible escapes, never raw.

/// Replaces control, bidi and zero-width characters with `\x1b`, `\u{202e}` style escapes.
pub fn escape_plain(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_hazards() {
        assert_eq!(escape_plain("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape_plain("x\u{202e}y\0"), "x\\u{202e}y\\x00");
        assert_eq!(escape_plain("plain ünïcode"), "plain ünïcode");
    }
}
