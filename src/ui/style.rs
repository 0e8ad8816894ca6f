//! The styles the views use, resolved once from the theme's semantic slots.

use crate::analysis::alerts::Severity;
use crate::theme::{Slot, Theme};
use ratatui::style::{Modifier, Style};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Styles {
    pub base: Style,
    pub dim: Style,
    pub header: Style,
    pub selected: Style,
    pub marked: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub crumb: Style,
    pub status: Style,
    pub warn: Style,
    pub hint_key: Style,
    pub severity: [Style; 5],
    pub error: Style,
    /// Rows that destroy something (CLI delete class).
    pub danger_row: Style,
    pub title: Style,
    /// Characters matched by the fuzzy filter.
    pub fuzzy: Style,
    /// Visible escapes of control and invisible characters.
    pub escaped: Style,
    pub kw_injection: Style,
    pub kw_secret: Style,
    pub kw_training: Style,
    pub kw_custom: Style,
    pub kw_other: Style,
    pub toast: Style,
    pub toast_error: Style,
    pub border: Style,
    pub border_focused: Style,
    pub histogram: Style,
    pub spark: Style,
    pub input: Style,
}

impl Styles {
    pub fn from_theme(t: &Theme) -> Styles {
        let s = |slot| t.style(slot);
        Styles {
            base: s(Slot::Base),
            dim: s(Slot::Dim),
            header: s(Slot::Header),
            selected: s(Slot::Selection),
            marked: s(Slot::Marked),
            tab: s(Slot::TabInactive),
            tab_active: s(Slot::TabActive),
            crumb: s(Slot::Breadcrumb),
            status: s(Slot::StatusBar),
            warn: s(Slot::StatusWarn),
            hint_key: s(Slot::HintKey),
            severity: [
                s(Slot::SeverityInfo),
                s(Slot::SeverityLow),
                s(Slot::SeverityMedium),
                s(Slot::SeverityHigh),
                s(Slot::SeverityCritical),
            ],
            error: s(Slot::ErrorText),
            danger_row: s(Slot::DeleteRow),
            title: s(Slot::Title),
            fuzzy: s(Slot::FilterMatch),
            escaped: s(Slot::EscapedChar),
            kw_injection: s(Slot::KwInjection),
            kw_secret: s(Slot::KwSecret),
            kw_training: s(Slot::KwTraining),
            kw_custom: s(Slot::KwCustom),
            kw_other: s(Slot::KeywordMatch),
            toast: s(Slot::Toast),
            toast_error: s(Slot::ErrorText).add_modifier(Modifier::REVERSED),
            border: s(Slot::Border),
            border_focused: s(Slot::BorderFocused),
            histogram: s(Slot::Histogram),
            spark: s(Slot::Sparkline),
            input: s(Slot::Input),
        }
    }

    /// Colourless styles (each slot's monochrome emphasis): stable for snapshot tests.
    pub fn monochrome() -> Styles {
        Styles::from_theme(&Theme::monochrome())
    }

    pub fn severity(&self, s: Severity) -> Style {
        self.severity[s as usize]
    }

    /// The style of a keyword group by name (`injection`, `secret`, `training`, anything else is
    /// a custom group).
    pub fn keyword(&self, group: Option<&str>) -> Style {
        match group {
            Some("injection" | "jailbreak") => self.kw_injection,
            Some("secret" | "secrets") => self.kw_secret,
            Some("training" | "training_data") => self.kw_training,
            Some(_) => self.kw_custom,
            None => self.kw_other,
        }
    }

    /// The keyword match last jumped to.
    pub fn keyword_current(&self) -> Style {
        self.kw_other
            .add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_gives_distinct_emphasis() {
        for name in crate::theme::PRESETS {
            for no_color in [false, true] {
                let t = Theme::preset(name, no_color).unwrap();
                let st = Styles::from_theme(&t);
                assert_ne!(st.selected, st.base, "{name}");
                assert_ne!(st.escaped, st.base, "{name}");
                if no_color {
                    assert_eq!((st.selected.fg, st.selected.bg), (None, None));
                }
            }
        }
    }
}
