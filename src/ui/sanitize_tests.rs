use super::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;

const BASE: Style = Style::new();
const ESC_STYLE: Style = Style::new()
    .fg(Color::Magenta)
    .add_modifier(Modifier::UNDERLINED);

/// (text, escaped?) per span, to compare against expectations compactly.
fn pieces(spans: &[Span<'_>]) -> Vec<(String, bool)> {
    spans
        .iter()
        .map(|s| (s.content.to_string(), s.style == ESC_STYLE))
        .collect()
}

fn spans(text: &str) -> Vec<(String, bool)> {
    pieces(&sanitize_spans(text, BASE, ESC_STYLE))
}

fn clean(text: &str) -> (String, bool) {
    (text.to_string(), false)
}

fn esc(text: &str) -> (String, bool) {
    (text.to_string(), true)
}

fn line_texts(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn escape_sequences_are_shown_not_executed() {
    assert_eq!(
        spans("a\x1b[31mred\x1b]0;pwned\x07"),
        [
            clean("a"),
            esc("\\x1b"),
            clean("[31mred"),
            esc("\\x1b"),
            clean("]0;pwned"),
            esc("\\x07")
        ]
    );
}

#[test]
fn nul_del_tab_and_c1_controls() {
    assert_eq!(spans("a\0b"), [clean("a"), esc("\\0"), clean("b")]);
    assert_eq!(spans("\x7f"), [esc("\\x7f")]);
    assert_eq!(spans("k\tv"), [clean("k"), esc("\\t"), clean("v")]);
    assert_eq!(spans("\u{9b}31m"), [esc("\\u{9b}"), clean("31m")]);
    assert_eq!(spans("a\nb"), [clean("a"), esc("\\n"), clean("b")]);
}

#[test]
fn carriage_return_cannot_overwrite_a_line() {
    assert_eq!(spans("ok\rEVIL"), [clean("ok"), esc("\\r"), clean("EVIL")]);
}

#[test]
fn bidi_and_invisible_characters() {
    assert_eq!(
        spans("invoice\u{202e}fdp.exe"),
        [clean("invoice"), esc("\\u{202e}"), clean("fdp.exe")]
    );
    assert_eq!(
        spans("\u{2066}x\u{2069}"),
        [esc("\\u{2066}"), clean("x"), esc("\\u{2069}")]
    );
    assert_eq!(
        spans("a\u{200b}\u{feff}b"),
        [clean("a"), esc("\\u{200b}\\u{feff}"), clean("b")]
    );
    assert_eq!(
        spans("\u{200e}\u{200f}\u{61c}"),
        [esc("\\u{200e}\\u{200f}\\u{61c}")]
    );
    // Unicode tag characters smuggle hidden instructions into prompts.
    assert_eq!(
        spans("hi\u{e0041}\u{e0042}"),
        [clean("hi"), esc("\\u{e0041}\\u{e0042}")]
    );
    assert_eq!(spans("x\u{fe01}"), [clean("x"), esc("\\u{fe01}")]);
    assert_eq!(spans("\u{2764}\u{fe0f}"), [clean("\u{2764}\u{fe0f}")]);
    assert_eq!(
        spans("\u{ad}\u{2028}\u{ffff}"),
        [esc("\\u{ad}\\u{2028}\\u{ffff}")]
    );
}

#[test]
fn clean_text_is_borrowed() {
    let text = "arn:aws:iam::123456789012:user/alice 漢字";
    let spans = sanitize_spans(text, BASE, ESC_STYLE);
    assert_eq!(spans.len(), 1);
    assert!(matches!(spans[0].content, Cow::Borrowed(_)));
    assert!(matches!(sanitize_plain(text), Cow::Borrowed(_)));
    assert!(sanitize_spans("", BASE, ESC_STYLE).is_empty());
}

#[test]
fn plain_text_for_one_line_contexts() {
    assert_eq!(
        sanitize_plain("a\x1b[2Jb\r\n\u{202e}"),
        "a\\x1b[2Jb\\r\\n\\u{202e}"
    );
}

#[test]
fn rendered_cells_never_hold_control_characters() {
    let hostile = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u{202e}\0\r\u{9b}x";
    let area = Rect::new(0, 0, 80, 1);
    let mut buffer = Buffer::empty(area);
    sanitize_line(hostile, BASE, ESC_STYLE).render(area, &mut buffer);
    let mut shown = String::new();
    for x in 0..area.width {
        let symbol = buffer[(x, 0)].symbol();
        assert!(!symbol.chars().any(needs_escape), "cell {x}: {symbol:?}");
        shown.push_str(symbol);
    }
    assert!(
        shown.starts_with("\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\u{202e}\\0\\r\\u{9b}x"),
        "{shown}"
    );
}

#[test]
fn lines_split_on_newlines_and_keep_carriage_returns() {
    let lines = sanitize_lines("a\nb\r\n", BASE, ESC_STYLE);
    assert_eq!(line_texts(&lines), ["a", "b\\r", ""]);
    assert!(lines[1].spans[1].style == ESC_STYLE);
}

#[test]
fn wrapping_respects_wide_characters_and_escapes() {
    let wrap = |text, width| line_texts(&wrap_sanitized(text, width, BASE, ESC_STYLE));
    assert_eq!(wrap("漢字abc", 4), ["漢字", "abc"]);
    assert_eq!(wrap("a漢", 2), ["a", "漢"]);
    assert_eq!(wrap("ab\x1bcd", 4), ["ab", "\\x1b", "cd"]);
    assert_eq!(wrap("abcdef\nxy", 3), ["abc", "def", "xy"]);
    assert_eq!(wrap("\u{e0041}", 4), ["\\u{e0041}"]);
    assert_eq!(wrap("", 4), [""]);
    assert_eq!(wrap("abc", 0), ["abc"]);
    for line in wrap_sanitized("漢字漢字 mixed ASCII 漢字\x1b[0m", 5, BASE, ESC_STYLE) {
        assert!(line.width() <= 5 || line.spans.iter().any(|s| s.style == ESC_STYLE));
    }
}

#[test]
fn widths_count_escapes_and_cjk() {
    assert_eq!(display_width("漢字ab"), 6);
    assert_eq!(display_width("a\x1b"), 5);
    assert_eq!(display_width("e\u{301}"), 1);
}

#[test]
fn truncation_ends_in_an_ellipsis() {
    assert_eq!(truncate_to_width("abc", 3), "abc");
    assert!(matches!(truncate_to_width("abc", 3), Cow::Borrowed(_)));
    assert_eq!(truncate_to_width("abcd", 3), "ab…");
    assert_eq!(truncate_to_width("漢字abc", 4), "漢…");
    assert_eq!(truncate_to_width("漢字abc", 5), "漢字…");
    assert_eq!(truncate_to_width("abc", 1), "…");
    assert_eq!(truncate_to_width("abc", 0), "");
}

#[test]
fn span_truncation_keeps_styles() {
    let spans = sanitize_spans("abc\x1bdef", BASE, ESC_STYLE);
    let cut = truncate_spans(spans.clone(), 6);
    assert_eq!(pieces(&cut), [clean("abc"), esc("\\x…")]);
    assert_eq!(
        pieces(&truncate_spans(spans.clone(), 4)),
        [clean("abc"), esc("…")]
    );
    assert_eq!(pieces(&truncate_spans(spans.clone(), 3)), [clean("ab…")]);
    assert_eq!(truncate_spans(spans.clone(), 10).len(), 3);
    assert!(truncate_spans(spans, 0).is_empty());
}
