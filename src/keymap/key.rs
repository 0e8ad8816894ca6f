//! Key names as written in keymap files (`"q"`, `"G"`, `"ctrl-c"`, `"pgdn"`, …) and their
//! normalised form, so that a name and the event a terminal sends for it compare equal.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key with its modifiers, normalised: a character key carries its case in the character
/// (`G`, never `shift-g`) because terminals disagree on whether they report shift with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    code: KeyCode,
    modifiers: KeyModifiers,
}

const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
];

const ALIASES: &[(&str, &str)] = &[
    ("return", "enter"),
    ("escape", "esc"),
    ("del", "delete"),
    ("ins", "insert"),
    ("pageup", "pgup"),
    ("pagedown", "pgdn"),
    ("pgdown", "pgdn"),
];

const MAX_FUNCTION_KEY: u8 = 24;

/// What a key name may look like, for error messages.
pub const VALID_KEYS_HELP: &str = "a single character (\"q\", \"G\", \"?\"), space, enter, esc, \
tab, backtab, backspace, delete, insert, up, down, left, right, home, end, pgup, pgdn, f1-f24, \
each with optional ctrl-, alt- or shift- prefixes";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("unknown key; valid keys: {VALID_KEYS_HELP}")]
    Unknown,
    /// `shift-1`: the terminal sends `!`, not shift plus `1`.
    #[error("shift-{0}: write the character the shifted key produces instead")]
    ShiftedSymbol(char),
}

impl KeyBinding {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        normalise(code, modifiers)
    }

    pub fn code(self) -> KeyCode {
        self.code
    }

    pub fn modifiers(self) -> KeyModifiers {
        self.modifiers
    }

    /// The binding a key event triggers; `None` for key releases, which never act.
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        Some(normalise(event.code, event.modifiers))
    }

    /// The press event a terminal sends for this key, for tests that inject keys.
    pub fn to_event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.modifiers)
    }

    /// Parses a key name as written in a keymap file.
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        // A lone "-" is the minus key, and "ctrl--" is ctrl plus minus: only strip a prefix when
        // something follows it.
        while let Some((prefix, tail)) = rest.split_once('-') {
            if tail.is_empty() {
                break;
            }
            let modifier = match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => break,
            };
            modifiers |= modifier;
            rest = tail;
        }
        let code = parse_code(rest).ok_or(KeyParseError::Unknown)?;
        if let KeyCode::Char(c) = code {
            if modifiers.contains(KeyModifiers::SHIFT) && !c.is_alphabetic() && c != ' ' {
                return Err(KeyParseError::ShiftedSymbol(c));
            }
        }
        Ok(normalise(code, modifiers))
    }

    /// Orders the keys of one action for hints: the plain character a user types most often
    /// first (`j` before `down`, `q` before `ctrl-c`).
    pub(crate) fn hint_rank(self) -> (u8, String) {
        let plain_char = matches!(self.code, KeyCode::Char(c) if c != ' ');
        let rank = match (plain_char, self.modifiers.is_empty()) {
            (true, true) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (false, false) => 3,
        };
        (rank, self.to_string())
    }
}

fn parse_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lowered = name.to_ascii_lowercase();
    let canonical = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lowered)
        .map_or(lowered.as_str(), |(_, canonical)| canonical);
    if let Some((_, code)) = NAMED_KEYS.iter().find(|(n, _)| *n == canonical) {
        return Some(*code);
    }
    let number = canonical.strip_prefix('f')?;
    if number.starts_with('0') {
        return None;
    }
    match number.parse::<u8>() {
        Ok(n) if (1..=MAX_FUNCTION_KEY).contains(&n) => Some(KeyCode::F(n)),
        _ => None,
    }
}

fn normalise(code: KeyCode, modifiers: KeyModifiers) -> KeyBinding {
    let mut modifiers = modifiers;
    let code = match code {
        KeyCode::Char(c) => {
            let c = if modifiers.contains(KeyModifiers::SHIFT) && c.is_lowercase() {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            };
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c)
        }
        KeyCode::BackTab => {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        other => other,
    };
    KeyBinding { code, modifiers }
}

impl std::str::FromStr for KeyBinding {
    type Err = KeyParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl From<KeyBinding> for KeyEvent {
    fn from(key: KeyBinding) -> Self {
        key.to_event()
    }
}

impl fmt::Display for KeyBinding {
    /// The canonical name, which [`KeyBinding::parse`] reads back to the same binding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (flag, prefix) in [
            (KeyModifiers::CONTROL, "ctrl-"),
            (KeyModifiers::ALT, "alt-"),
            (KeyModifiers::SHIFT, "shift-"),
            (KeyModifiers::SUPER, "super-"),
            (KeyModifiers::HYPER, "hyper-"),
            (KeyModifiers::META, "meta-"),
        ] {
            if self.modifiers.contains(flag) {
                f.write_str(prefix)?;
            }
        }
        if let Some((name, _)) = NAMED_KEYS.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> KeyBinding {
        KeyBinding::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyBinding {
        KeyBinding::from_event(&KeyEvent::new(code, modifiers)).unwrap_or_else(|| panic!())
    }

    #[test]
    fn names_match_terminal_events() {
        assert_eq!(key("q"), event(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(key("?"), event(KeyCode::Char('?'), KeyModifiers::SHIFT));
        assert_eq!(key("G"), event(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(key("shift-g"), key("G"));
        assert_eq!(key("G"), event(KeyCode::Char('g'), KeyModifiers::SHIFT));
        assert_eq!(
            key("ctrl-c"),
            event(KeyCode::Char('c'), KeyModifiers::CONTROL)
        );
        assert_eq!(key("backtab"), event(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(key("shift-tab"), key("backtab"));
        assert_eq!(key("space"), event(KeyCode::Char(' '), KeyModifiers::NONE));
        assert_eq!(key("pgdn"), event(KeyCode::PageDown, KeyModifiers::NONE));
        assert_eq!(key("PageDown"), key("pgdn"));
        assert_eq!(key("f1"), event(KeyCode::F(1), KeyModifiers::NONE));
        assert_eq!(key("shift-up"), event(KeyCode::Up, KeyModifiers::SHIFT));
        assert_eq!(key("-"), event(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(
            key("ctrl--"),
            event(KeyCode::Char('-'), KeyModifiers::CONTROL)
        );
        assert_eq!(key("alt-enter"), event(KeyCode::Enter, KeyModifiers::ALT));
    }

    #[test]
    fn events_round_trip() {
        for text in ["q", "G", "ctrl-c", "backtab", "f5", "alt-enter"] {
            let event: KeyEvent = key(text).into();
            assert_eq!(KeyBinding::from_event(&event), Some(key(text)));
        }
        assert_eq!("ctrl-c".parse::<KeyBinding>(), Ok(key("ctrl-c")));
    }

    #[test]
    fn releases_do_not_trigger() {
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(KeyBinding::from_event(&release), None);
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "q",
            "G",
            "?",
            "enter",
            "esc",
            "tab",
            "backtab",
            "space",
            "ctrl-c",
            "ctrl-space",
            "pgdn",
            "pgup",
            "f1",
            "f12",
            "up",
            "shift-down",
            "alt-x",
            "ctrl-alt-x",
            "-",
            "ctrl--",
            "backspace",
            "delete",
            "home",
            "end",
            "é",
        ] {
            assert_eq!(key(text).to_string(), text);
            assert_eq!(key(&key(text).to_string()), key(text));
        }
        assert_eq!(key("shift-g").to_string(), "G");
        assert_eq!(key("Escape").to_string(), "esc");
    }

    #[test]
    fn rejects_unknown_names() {
        for text in [
            "", "ctrl-", "ctlr-c", "f0", "f25", "f01", "pgdwn", "qq", "shift-",
        ] {
            assert_eq!(
                KeyBinding::parse(text),
                Err(KeyParseError::Unknown),
                "{text}"
            );
        }
        assert_eq!(
            KeyBinding::parse("shift-1"),
            Err(KeyParseError::ShiftedSymbol('1'))
        );
    }

    #[test]
    fn hint_rank_prefers_plain_characters() {
        let mut keys = [key("ctrl-c"), key("down"), key("q")];
        keys.sort_by_key(|k| k.hint_rank());
        assert_eq!(keys.map(|k| k.to_string()), ["q", "down", "ctrl-c"]);
    }
}
