//! Colour and modifier names as written in theme files.

use ratatui::style::{Color, Modifier};

/// The 16 ANSI colours (the only ones every terminal has) plus `reset`, the terminal's own
/// default. Names follow ratatui: `gray` is ANSI 7, `darkgray` ANSI 8, `white` ANSI 15.
pub const ANSI_COLORS: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

const COLOR_ALIASES: &[(&str, &str)] = &[
    ("grey", "gray"),
    ("darkgrey", "darkgray"),
    ("default", "reset"),
];

/// What a colour may look like, for error messages.
pub const COLOR_FORMS_HELP: &str = "\"#rrggbb\", or an index 0-255";

/// Modifiers a theme may use. `hidden` is deliberately absent: a theme must never make evidence
/// invisible.
pub const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

const MODIFIER_ALIASES: &[(&str, &str)] = &[
    ("underline", "underlined"),
    ("reverse", "reversed"),
    ("blink", "slow_blink"),
    ("strikethrough", "crossed_out"),
];

pub fn ansi_color(name: &str) -> Option<Color> {
    let lowered = name.to_ascii_lowercase();
    let canonical = COLOR_ALIASES
        .iter()
        .find(|(alias, _)| *alias == lowered)
        .map_or(lowered.as_str(), |(_, canonical)| canonical);
    ANSI_COLORS
        .iter()
        .find(|(n, _)| *n == canonical)
        .map(|(_, color)| *color)
}

/// `#rrggbb`; `None` when the text does not have that shape.
pub fn hex_color(text: &str) -> Option<Color> {
    let digits = text.strip_prefix('#')?;
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

pub fn modifier(name: &str) -> Option<Modifier> {
    let lowered = name.to_ascii_lowercase();
    let canonical = MODIFIER_ALIASES
        .iter()
        .find(|(alias, _)| *alias == lowered)
        .map_or(lowered.as_str(), |(_, canonical)| canonical);
    MODIFIERS
        .iter()
        .find(|(n, _)| *n == canonical)
        .map(|(_, m)| *m)
}

/// True for colours a 16-colour terminal renders as intended.
pub fn is_ansi16(color: Color) -> bool {
    ANSI_COLORS.iter().any(|(_, c)| *c == color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_hex_and_aliases() {
        assert_eq!(ansi_color("LightRed"), Some(Color::LightRed));
        assert_eq!(ansi_color("grey"), Some(Color::Gray));
        assert_eq!(ansi_color("default"), Some(Color::Reset));
        assert_eq!(ansi_color("orange"), None);
        assert_eq!(hex_color("#ff8000"), Some(Color::Rgb(255, 128, 0)));
        assert_eq!(hex_color("#ff80"), None);
        assert_eq!(hex_color("#gg8000"), None);
        assert_eq!(hex_color("ff8000"), None);
        assert_eq!(modifier("reverse"), Some(Modifier::REVERSED));
        assert_eq!(modifier("hidden"), None);
    }
}
