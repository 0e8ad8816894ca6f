//! The one-line input used by the filter, the export path prompt and the time-range prompt. Keys
//! are edited here directly (typing is not an action); enter accepts, esc cancels.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Filter,
    Export,
    TimeRange,
}

impl Purpose {
    pub fn prompt(self) -> &'static str {
        match self {
            Purpose::Filter => "/",
            Purpose::Export => "export to: ",
            Purpose::TimeRange => "time range (FROM .. TO, empty clears): ",
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or nothing happened.
    Moved,
    Accept,
    Cancel,
}

impl Input {
    pub fn new(purpose: Purpose, text: &str) -> Input {
        Input {
            purpose,
            text: text.to_string(),
            cursor: text.chars().count(),
            previous: text.to_string(),
            error: None,
        }
    }

    fn byte_at(&self, char_pos: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_pos)
            .map_or(self.text.len(), |(b, _)| b)
    }

    pub fn key(&mut self, k: &KeyEvent) -> Edit {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.text.chars().count();
        match k.code {
            KeyCode::Enter => Edit::Accept,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Char('c') if ctrl => Edit::Cancel,
            KeyCode::Char('u') if ctrl => {
                self.text.clear();
                self.cursor = 0;
                Edit::Changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                Edit::Moved
            }
            KeyCode::Char('w') if ctrl => {
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
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                Edit::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let (a, b) = (self.byte_at(self.cursor - 1), self.byte_at(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
                Edit::Changed
            }
            KeyCode::Delete if self.cursor < len => {
                let (a, b) = (self.byte_at(self.cursor), self.byte_at(self.cursor + 1));
                self.text.replace_range(a..b, "");
                Edit::Changed
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                Edit::Moved
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = len;
                Edit::Moved
            }
            _ => Edit::Moved,
        }
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
        let mut i = Input::new(Purpose::Filter, "ab");
        assert_eq!(i.key(&k(KeyCode::Char('ü'))), Edit::Changed);
        i.key(&k(KeyCode::Left));
        i.key(&k(KeyCode::Left));
        i.key(&k(KeyCode::Char('x')));
        assert_eq!((i.text.as_str(), i.cursor), ("axbü", 2));
        i.key(&k(KeyCode::Backspace));
        i.key(&k(KeyCode::Delete));
        assert_eq!(i.text, "aü");
        i.key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!((i.text.as_str(), i.cursor), ("", 0));
        i.paste("user=alice\x1b[2J\n");
        assert_eq!(i.text, "user=alice[2J");
        i.key(&KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(i.text, "");
        assert_eq!(i.key(&k(KeyCode::Enter)), Edit::Accept);
        assert_eq!(i.key(&k(KeyCode::Esc)), Edit::Cancel);
    }
}
