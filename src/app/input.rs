//! The one-line input used by the filter, the export path prompt and the time-range prompt. Keys
//! are resolved in the keymap's input contexts (confirm, cancel, delete_back…); an unbound printable
//! character is typed.

use crate::keymap::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Filter,
    Export,
    TimeRange,
    /// Text to find in the request view or raw record.
    Search,
}

impl Purpose {
    pub fn prompt(self) -> &'static str {
        match self {
            Purpose::Filter => "/",
            Purpose::Export => "export to: ",
            Purpose::TimeRange => "time range (FROM .. TO, empty clears): ",
            Purpose::Search => "search: ",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub purpose: Purpose,
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// The value before editing, restored on esc.
    pub previous: String,
    pub error: Option<String>,
    /// Position in the filter history while recalling.
    pub history: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or nothing happened.
    Moved,
    Accept,
    Cancel,
    HistoryPrev,
    HistoryNext,
}

impl Input {
    pub fn new(purpose: Purpose, text: &str) -> Input {
        Input {
            purpose,
            text: text.to_string(),
            cursor: text.chars().count(),
            previous: text.to_string(),
            error: None,
            history: None,
        }
    }

    fn byte_at(&self, char_pos: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_pos)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Applies a key: `action` is what the keymap bound it to in the input context; an unbound
    /// printable character is typed.
    pub fn apply(&mut self, action: Option<Action>, k: &KeyEvent) -> Edit {
        let len = self.text.chars().count();
        match action {
            Some(Action::Confirm) => Edit::Accept,
            Some(Action::Cancel | Action::Back | Action::Quit) => Edit::Cancel,
            Some(Action::ClearInput) => {
                self.text.clear();
                self.cursor = 0;
                Edit::Changed
            }
            Some(Action::CursorStart) => {
                self.cursor = 0;
                Edit::Moved
            }
            Some(Action::CursorEnd) => {
                self.cursor = len;
                Edit::Moved
            }
            Some(Action::CursorLeft) => {
                self.cursor = self.cursor.saturating_sub(1);
                Edit::Moved
            }
            Some(Action::CursorRight) => {
                self.cursor = (self.cursor + 1).min(len);
                Edit::Moved
            }
            Some(Action::DeleteWord) => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
                Edit::Changed
            }
            Some(Action::DeleteBack) if self.cursor > 0 => {
                let (a, b) = (self.byte_at(self.cursor - 1), self.byte_at(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
                Edit::Changed
            }
            Some(Action::DeleteForward) if self.cursor < len => {
                let (a, b) = (self.byte_at(self.cursor), self.byte_at(self.cursor + 1));
                self.text.replace_range(a..b, "");
                Edit::Changed
            }
            Some(Action::HistoryPrev) => Edit::HistoryPrev,
            Some(Action::HistoryNext) => Edit::HistoryNext,
            Some(_) => Edit::Moved,
            None => match k.code {
                KeyCode::Char(c)
                    if !c.is_control()
                        && !k
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    let at = self.byte_at(self.cursor);
                    self.text.insert(at, c);
                    self.cursor += 1;
                    Edit::Changed
                }
                _ => Edit::Moved,
            },
        }
    }

    /// Replaces the text (history recall).
    pub fn set_text(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = text.chars().count();
    }

    /// Inserts pasted text (control characters dropped: a paste cannot submit or escape).
    pub fn paste(&mut self, s: &str) -> Edit {
        for c in s.chars().filter(|c| !c.is_control()) {
            let at = self.byte_at(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
        Edit::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn edits_text_by_characters() {
        let map = crate::keymap::Keymap::preset("default").unwrap();
        let mut i = Input::new(Purpose::Filter, "ab");
        let press = |i: &mut Input, ev: KeyEvent| {
            let a = map.resolve(crate::keymap::Context::FilterInput, ev);
            i.apply(a, &ev)
        };
        assert_eq!(press(&mut i, k(KeyCode::Char('ü'))), Edit::Changed);
        press(&mut i, k(KeyCode::Left));
        press(&mut i, k(KeyCode::Left));
        press(&mut i, k(KeyCode::Char('q')));
        assert_eq!((i.text.as_str(), i.cursor), ("aqbü", 2));
        press(&mut i, k(KeyCode::Backspace));
        press(&mut i, k(KeyCode::Delete));
        assert_eq!(i.text, "aü");
        press(
            &mut i,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        assert_eq!((i.text.as_str(), i.cursor), ("", 0));
        i.paste("user=alice\x1b[2J\n");
        assert_eq!(i.text, "user=alice[2J");
        press(
            &mut i,
            KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
        );
        assert_eq!(i.text, "");
        assert_eq!(press(&mut i, k(KeyCode::Enter)), Edit::Accept);
        assert_eq!(press(&mut i, k(KeyCode::Esc)), Edit::Cancel);
        assert_eq!(press(&mut i, k(KeyCode::Up)), Edit::HistoryPrev);
    }
}
