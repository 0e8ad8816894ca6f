//! Escaping for plain-text output outside the TUI (reports and tables printed to a terminal): log
//! content is attacker-controlled, so control and invisible characters are written as visible
//! escapes, never raw. Same rules as the TUI's sanitizer.

pub fn escape_plain(s: &str) -> String {
    super::sanitize::sanitize_plain(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_hazards() {
        assert_eq!(escape_plain("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape_plain("x\u{202e}y\0"), "x\\u{202e}y\\0");
        assert_eq!(escape_plain("plain ünïcode"), "plain ünïcode");
    }
}
