//! Everything a key can do ([`Action`]) and every place a key can be pressed ([`Context`]).
//!
//! Names and descriptions are declared once, next to the variant, so the TOML parser, serde, the
//! help overlay and the status-bar hints all read the same table.

use serde::{Deserialize, Serialize};

/// Declares a fieldless enum whose variants each carry a config name and a one-line description.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident { $( $variant:ident = $name:literal, $description:literal; )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $enum {
            $( #[doc = $description] #[serde(rename = $name)] $variant, )*
        }

        impl $enum {
            const ALL: &'static [$enum] = &[$($enum::$variant),*];

            /// Every variant, in declaration order (the order help lists them in).
            pub fn all() -> &'static [$enum] {
                Self::ALL
            }

            /// The snake_case name used in config files.
            pub fn name(self) -> &'static str {
                match self { $($enum::$variant => $name,)* }
            }

            pub fn description(self) -> &'static str {
                match self { $($enum::$variant => $description,)* }
            }

            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name() == name)
            }

            /// Position in [`Self::all`], for stable ordering in help and hints.
            pub fn index(self) -> usize {
                self as usize
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

named_enum! {
    /// A user intent that a key can be bound to. The app decides what it means in each view.
    pub enum Action {
        Quit = "quit", "Quit strata";
        Help = "help", "Show the keys of the current view";
        NextView = "next_view", "Go to the next view";
        PrevView = "prev_view", "Go to the previous view";
        ViewAlerts = "view_alerts", "Show alerts";
        ViewRequests = "view_requests", "Show requests (API call joined with model invocation)";
        ViewCliProfiles = "view_cli_profiles", "Show AWS CLI profiles seen on endpoints";
        ViewEntities = "view_entities", "Show entities (principals, keys, IPs, accounts)";
        ViewTimeline = "view_timeline", "Show the timeline";
        ViewLoadReport = "view_load_report", "Show the load report (what was loaded or skipped, and why)";
        Back = "back", "Go back, or close the overlay";
        Open = "open", "Open the selected item";
        MoveUp = "move_up", "Move up";
        MoveDown = "move_down", "Move down";
        PageUp = "page_up", "Page up";
        PageDown = "page_down", "Page down";
        HalfPageUp = "half_page_up", "Half a page up";
        HalfPageDown = "half_page_down", "Half a page down";
        Top = "top", "Go to the top";
        Bottom = "bottom", "Go to the bottom";
        ScrollLeft = "scroll_left", "Scroll left";
        ScrollRight = "scroll_right", "Scroll right";
        PrevItem = "prev_item", "Show the previous item without going back to the list";
        NextItem = "next_item", "Show the next item without going back to the list";
        Filter = "filter", "Filter the list (in the request view: search its text)";
        ClearFilter = "clear_filter", "Clear the filter";
        NextMatch = "next_match", "Go to the next match";
        PrevMatch = "prev_match", "Go to the previous match";
        SortNext = "sort_next", "Sort by the next sort key of the view";
        SortReverse = "sort_reverse", "Reverse the sort order";
        ToggleGrouping = "toggle_grouping", "Group alerts by rule, or list them one by one";
        ToggleWrap = "toggle_wrap", "Wrap or unwrap long lines";
        PivotUser = "pivot_user", "Show all activity of this principal";
        PivotAccount = "pivot_account", "Show all activity in this account";
        PivotRequest = "pivot_request", "Show the joined request of this event";
        PivotMenu = "pivot_menu", "Choose a field of this item to pivot on";
        CopyEvidence = "copy_evidence", "Copy this item as evidence (summary and source location)";
        CopyRaw = "copy_raw", "Copy the raw source record";
        Export = "export", "Export the marked items (or the selected one) to a file";
        ToggleMark = "toggle_mark", "Mark or unmark this item for export";
        ClearMarks = "clear_marks", "Unmark every item";
        ZoomIn = "zoom_in", "Zoom the time axis in";
        ZoomOut = "zoom_out", "Zoom the time axis out";
        TimeRange = "time_range", "Limit the view to a time range";
        Redraw = "redraw", "Redraw the screen";
        Confirm = "confirm", "Apply the input";
        Cancel = "cancel", "Discard the input";
        DeleteBack = "delete_back", "Delete the character before the cursor";
        DeleteForward = "delete_forward", "Delete the character under the cursor";
        DeleteWord = "delete_word", "Delete the word before the cursor";
        ClearInput = "clear_input", "Clear the input";
        CursorLeft = "cursor_left", "Move the cursor left";
        CursorRight = "cursor_right", "Move the cursor right";
        CursorStart = "cursor_start", "Move the cursor to the start";
        CursorEnd = "cursor_end", "Move the cursor to the end";
        HistoryPrev = "history_prev", "Recall the previous input";
        HistoryNext = "history_next", "Recall the next input";
        CycleFormat = "cycle_format", "Cycle the export format (Markdown, JSON, NDJSON, CSV)";
    }
}

named_enum! {
    /// Where a key is pressed. A key not bound in a context falls back to [`Context::Global`]
    /// (see [`Context::is_text_input`] for the exception).
    pub enum Context {
        Global = "global", "Everywhere";
        Alerts = "alerts", "Alerts list";
        AlertDetail = "alert_detail", "Alert detail";
        Requests = "requests", "Requests list";
        RequestView = "request_view", "Request detail";
        CliProfiles = "cli_profiles", "CLI profiles";
        CliCommands = "cli_commands", "CLI commands of a profile";
        Entities = "entities", "Entities";
        Timeline = "timeline", "Timeline";
        LoadReport = "load_report", "Load report";
        FilterInput = "filter_input", "Filter input";
        PivotMenu = "pivot_menu", "Pivot menu";
        Help = "help", "Help";
        ExportPrompt = "export_prompt", "Export prompt";
    }
}

impl Context {
    /// Contexts where printable keys are typed text: there a plain character never falls back to
    /// a global binding (typing `q` into a filter must not quit), while `ctrl-c`, `f1` or arrows
    /// still do.
    pub fn is_text_input(self) -> bool {
        matches!(self, Context::FilterInput | Context::ExportPrompt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_match_config_names() {
        for action in Action::all() {
            let json = serde_json::to_string(action).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", action.name()));
            assert_eq!(Action::from_name(action.name()), Some(*action));
        }
        for context in Context::all() {
            let json = serde_json::to_string(context).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", context.name()));
        }
    }

    #[test]
    fn index_matches_position_in_all() {
        for (i, action) in Action::all().iter().enumerate() {
            assert_eq!(action.index(), i);
        }
    }

    #[test]
    fn names_are_snake_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::all() {
            let name = action.name();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(seen.insert(name), "duplicate {name}");
            assert_ne!(name, "none", "\"none\" is reserved for unbinding");
        }
    }
}
