//! Semantic style slots: views ask for "selection" or "severity_high", never for a colour.

use ratatui::style::Modifier;

/// Declares the slots with their config name, description and monochrome emphasis in one table.
macro_rules! slots {
    ($( $variant:ident = $name:literal, $description:literal, $emphasis:expr; )*) => {
        /// A place in the UI that has its own style.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Slot {
            $( #[doc = $description] $variant, )*
        }

        impl Slot {
            const ALL: &'static [Slot] = &[$(Slot::$variant),*];

            pub fn all() -> &'static [Slot] {
                Self::ALL
            }

            /// The name used in theme files.
            pub fn name(self) -> &'static str {
                match self { $(Slot::$variant => $name,)* }
            }

            pub fn description(self) -> &'static str {
                match self { $(Slot::$variant => $description,)* }
            }

            /// Modifiers that keep the slot recognisable without colour (`NO_COLOR`): selection
            /// and highlights must stay visible when every colour is dropped.
            pub fn monochrome_emphasis(self) -> Modifier {
                match self { $(Slot::$variant => $emphasis,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|slot| slot.name() == name)
            }

            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}

const NONE: Modifier = Modifier::empty();
const BOLD: Modifier = Modifier::BOLD;
const DIM: Modifier = Modifier::DIM;
const REVERSED: Modifier = Modifier::REVERSED;
const UNDERLINED: Modifier = Modifier::UNDERLINED;

slots! {
    Base = "base", "Ordinary text", NONE;
    Dim = "dim", "Secondary text: timestamps, counts, placeholders", DIM;
    Header = "header", "Table column headers", BOLD;
    Border = "border", "Pane borders", NONE;
    BorderFocused = "border_focused", "Border of the focused pane", BOLD;
    Title = "title", "Pane titles", BOLD;
    Selection = "selection", "The selected row", REVERSED;
    Marked = "marked", "Rows marked for export", BOLD;
    StatusBar = "status_bar", "Status bar", REVERSED;
    StatusWarn = "status_warn", "Warnings in the status bar", BOLD;
    HintKey = "hint_key", "Key names in status-bar hints and help", BOLD;
    Toast = "toast", "Toast messages (copied, exported)", REVERSED;
    Breadcrumb = "breadcrumb", "Breadcrumb of the current pivot path", BOLD;
    Input = "input", "Text typed into the filter or export prompt", UNDERLINED;
    FilterMatch = "filter_match", "Text matching the current filter", UNDERLINED;
    KeywordMatch = "keyword_match", "Keyword hit whose group has no style of its own", BOLD;
    KwInjection = "kw_injection", "Keyword hit: prompt injection and jailbreak phrasing", BOLD;
    KwSecret = "kw_secret", "Keyword hit: credentials and secrets", BOLD;
    KwTraining = "kw_training", "Keyword hit: training-data and model extraction", BOLD;
    KwCustom = "kw_custom", "Keyword hit: user-defined keywords", BOLD;
    EscapedChar = "escaped_char", "Control and invisible characters shown escaped (\\x1b, \\u{202e})", UNDERLINED;
    SeverityCritical = "severity_critical", "Critical severity", BOLD.union(REVERSED);
    SeverityHigh = "severity_high", "High severity", BOLD;
    SeverityMedium = "severity_medium", "Medium severity", NONE;
    SeverityLow = "severity_low", "Low severity", DIM;
    SeverityInfo = "severity_info", "Informational severity", DIM;
    DeleteRow = "delete_row", "Events that delete or disable logging, guardrails or resources", BOLD;
    Sparkline = "sparkline", "Sparklines", NONE;
    Histogram = "histogram", "Timeline histogram bars", NONE;
    ErrorText = "error_text", "Error messages and failed outcomes", BOLD;
    TabActive = "tab_active", "The current view's tab", REVERSED;
    TabInactive = "tab_inactive", "Other views' tabs", NONE;
    Scrollbar = "scrollbar", "Scrollbars", NONE;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for (i, slot) in Slot::all().iter().enumerate() {
            assert!(seen.insert(slot.name()));
            assert_eq!(Slot::from_name(slot.name()), Some(*slot));
            assert_eq!(slot.index(), i);
        }
    }

    #[test]
    fn selection_and_highlights_survive_without_colour() {
        for slot in [
            Slot::Selection,
            Slot::Marked,
            Slot::FilterMatch,
            Slot::KeywordMatch,
            Slot::KwInjection,
            Slot::EscapedChar,
            Slot::SeverityCritical,
            Slot::TabActive,
        ] {
            assert!(!slot.monochrome_emphasis().is_empty(), "{slot:?}");
        }
    }
}
