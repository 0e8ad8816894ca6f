//! Actions and key contexts, and the adapter to the keymap.
//!
//! The keymap crate module (`crate::keymap`: `Action`, `Context`, `Keymap::resolve`,
//! `bindings_for`) is landing on another branch; until it is merged this adapter carries the
//! same action names and a built-in default table, so that the app, the help overlay and the
//! status hints all read bindings from one place and switching over is a change of this file
//! only.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can do. Names are the snake_case names used in keymap files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    NextView,
    ViewAlerts,
    ViewRequests,
    ViewCli,
    ViewEntities,
    ViewTimeline,
    ViewLoadReport,
    Back,
    Open,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    ClearFilter,
    SortNext,
    SortReverse,
    ToggleGrouping,
    PivotUser,
    PivotAccount,
    PivotRequest,
    PivotMenu,
    CopyEvidence,
    CopyRaw,
    Export,
    ToggleMark,
    NextMatch,
    PrevMatch,
    ZoomIn,
    ZoomOut,
    TimeRange,
    Redraw,
}

impl Action {
    /// One-line description for the help overlay.
    pub fn describe(self) -> &'static str {
        use Action::*;
        match self {
            Quit => "quit",
            Help => "show the keys of this view",
            NextView => "next view",
            ViewAlerts => "alerts",
            ViewRequests => "requests",
            ViewCli => "CLI profiles",
            ViewEntities => "entities",
            ViewTimeline => "timeline",
            ViewLoadReport => "load report",
            Back => "back (close, leave pivot)",
            Open => "open / pivot",
            MoveUp => "up",
            MoveDown => "down",
            PageUp => "page up",
            PageDown => "page down",
            Top => "first row",
            Bottom => "last row",
            Filter => "filter (fuzzy, field=value)",
            ClearFilter => "clear filter",
            SortNext => "sort by next column",
            SortReverse => "reverse sort",
            ToggleGrouping => "group / ungroup",
            PivotUser => "pivot to user",
            PivotAccount => "pivot to account",
            PivotRequest => "open request",
            PivotMenu => "pivot menu",
            CopyEvidence => "copy evidence",
            CopyRaw => "copy raw JSON",
            Export => "export evidence bundle",
            ToggleMark => "mark / unmark",
            NextMatch => "next keyword match",
            PrevMatch => "previous keyword match",
            ZoomIn => "zoom histogram in",
            ZoomOut => "zoom histogram out",
            TimeRange => "time-range filter",
            Redraw => "redraw screen",
        }
    }

    /// Short label for status-bar hints.
    pub fn hint(self) -> &'static str {
        use Action::*;
        match self {
            Open => "open",
            Filter => "filter",
            PivotUser => "user",
            PivotAccount => "account",
            PivotRequest => "request",
            PivotMenu => "pivot",
            CopyEvidence => "copy",
            CopyRaw => "raw",
            Export => "export",
            Back => "back",
            Help => "help",
            Quit => "quit",
            NextMatch => "next hit",
            ZoomIn => "zoom",
            TimeRange => "range",
            SortNext => "sort",
            ToggleGrouping => "group",
            ToggleMark => "mark",
            _ => self.describe(),
        }
    }
}

/// Where a key is pressed; bindings of the context are tried first, then the global ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ctx {
    Global,
    List,
    Timeline,
    Detail,
    Document,
    Menu,
}

/// A key with modifiers, as written in keymap files (`ctrl-c`, `G`, `space`, `pagedown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Combo {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Combo {
    pub fn of(ev: &KeyEvent) -> Combo {
        // Shifted letters arrive upper-case (with SHIFT), so shift itself is not compared.
        Combo {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn parse(s: &str) -> Option<Combo> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            one if one.chars().count() == 1 => KeyCode::Char(one.chars().next()?),
            _ => return None,
        };
        Some(Combo { code, ctrl, alt })
    }

    pub fn label(&self) -> String {
        let key = match self.code {
            KeyCode::Enter => "enter".to_string(),
            KeyCode::Esc => "esc".to_string(),
            KeyCode::Tab => "tab".to_string(),
            KeyCode::BackTab => "shift-tab".to_string(),
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "pgup".to_string(),
            KeyCode::PageDown => "pgdn".to_string(),
            KeyCode::Home => "home".to_string(),
            KeyCode::End => "end".to_string(),
            KeyCode::Backspace => "bksp".to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}").to_lowercase(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl-");
        }
        if self.alt {
            s.push_str("alt-");
        }
        s.push_str(&key);
        s
    }
}

/// The resolved bindings.
#[derive(Clone, Debug)]
pub struct Keys {
    table: Vec<(Ctx, Combo, Action)>,
}

/// The built-in default table (`context key action`), parsed by the same code as any table.
const DEFAULT_TABLE: &str = "
global q quit
global ctrl-c quit
global ? help
global tab next_view
global 1 view_alerts
global 2 view_requests
global 3 view_cli
global 4 view_entities
global 5 view_timeline
global 6 view_load_report
global esc back
global enter open
global up move_up
global k move_up
global down move_down
global j move_down
global pageup page_up
global ctrl-b page_up
global pagedown page_down
global ctrl-f page_down
global home top
global g top
global end bottom
global G bottom
global / filter
global c clear_filter
global s sort_next
global S sort_reverse
global = toggle_grouping
global u pivot_user
global a pivot_account
global r pivot_request
global p pivot_menu
global y copy_evidence
global Y copy_raw
global e export
global space toggle_mark
global ctrl-l redraw
timeline z zoom_in
timeline Z zoom_out
timeline t time_range
document n next_match
document N prev_match
";

fn action_named(name: &str) -> Option<Action> {
    use Action::*;
    Some(match name {
        "quit" => Quit,
        "help" => Help,
        "next_view" => NextView,
        "view_alerts" => ViewAlerts,
        "view_requests" => ViewRequests,
        "view_cli" | "view_cli_profiles" => ViewCli,
        "view_entities" => ViewEntities,
        "view_timeline" => ViewTimeline,
        "view_load_report" => ViewLoadReport,
        "back" => Back,
        "open" => Open,
        "move_up" => MoveUp,
        "move_down" => MoveDown,
        "page_up" => PageUp,
        "page_down" => PageDown,
        "top" => Top,
        "bottom" => Bottom,
        "filter" => Filter,
        "clear_filter" => ClearFilter,
        "sort_next" => SortNext,
        "sort_reverse" => SortReverse,
        "toggle_grouping" => ToggleGrouping,
        "pivot_user" => PivotUser,
        "pivot_account" => PivotAccount,
        "pivot_request" => PivotRequest,
        "pivot_menu" => PivotMenu,
        "copy_evidence" => CopyEvidence,
        "copy_raw" => CopyRaw,
        "export" => Export,
        "toggle_mark" => ToggleMark,
        "next_match" => NextMatch,
        "prev_match" => PrevMatch,
        "zoom_in" => ZoomIn,
        "zoom_out" => ZoomOut,
        "time_range" => TimeRange,
        "redraw" => Redraw,
        _ => return None,
    })
}

impl Keys {
    pub fn builtin() -> Keys {
        let mut table = Vec::new();
        for line in DEFAULT_TABLE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let mut parts = line.split_whitespace();
            let (Some(ctx), Some(key), Some(action)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let ctx = match ctx {
                "global" => Ctx::Global,
                "list" => Ctx::List,
                "timeline" => Ctx::Timeline,
                "detail" => Ctx::Detail,
                "document" => Ctx::Document,
                _ => Ctx::Menu,
            };
            if let (Some(combo), Some(action)) = (Combo::parse(key), action_named(action)) {
                table.push((ctx, combo, action));
            }
        }
        Keys { table }
    }

    pub fn resolve(&self, ctx: Ctx, ev: &KeyEvent) -> Option<Action> {
        let combo = Combo::of(ev);
        let find = |c: Ctx| {
            self.table
                .iter()
                .find(|(tc, k, _)| *tc == c && *k == combo)
                .map(|&(_, _, a)| a)
        };
        find(ctx).or_else(|| find(Ctx::Global))
    }

    /// Every binding usable in `ctx` (its own first, then global ones not shadowed), grouped by
    /// action in first-seen order: `(keys, action)`.
    pub fn bindings_for(&self, ctx: Ctx) -> Vec<(Vec<String>, Action)> {
        let mut out: Vec<(Vec<String>, Action)> = Vec::new();
        let own = self
            .table
            .iter()
            .filter(|(c, _, _)| *c == ctx && ctx != Ctx::Global);
        let global = self.table.iter().filter(|(c, k, _)| {
            *c == Ctx::Global
                && !self
                    .table
                    .iter()
                    .any(|(c2, k2, _)| *c2 == ctx && ctx != Ctx::Global && k2 == k)
        });
        for (_, combo, action) in own.chain(global) {
            match out.iter_mut().find(|(_, a)| a == action) {
                Some((keys, _)) => keys.push(combo.label()),
                None => out.push((vec![combo.label()], *action)),
            }
        }
        out
    }

    /// The first key bound to `action` in `ctx`, for hints.
    pub fn key_for(&self, ctx: Ctx, action: Action) -> Option<String> {
        self.bindings_for(ctx)
            .into_iter()
            .find(|(_, a)| *a == action)
            .and_then(|(k, _)| k.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn resolves_context_then_global() {
        let k = Keys::builtin();
        assert_eq!(
            k.resolve(Ctx::List, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.resolve(Ctx::List, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.resolve(Ctx::Document, &key(KeyCode::Char('n'), KeyModifiers::NONE)),
            Some(Action::NextMatch)
        );
        assert_eq!(
            k.resolve(Ctx::List, &key(KeyCode::Char('n'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            k.resolve(Ctx::List, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            k.resolve(Ctx::Timeline, &key(KeyCode::Char('z'), KeyModifiers::NONE)),
            Some(Action::ZoomIn)
        );
    }

    #[test]
    fn every_action_has_a_default_key() {
        let k = Keys::builtin();
        let all: Vec<Action> = [Ctx::Global, Ctx::Timeline, Ctx::Document]
            .into_iter()
            .flat_map(|c| k.bindings_for(c).into_iter().map(|(_, a)| a))
            .collect();
        for a in DEFAULT_TABLE.split_whitespace().filter_map(action_named) {
            assert!(all.contains(&a), "{a:?}");
        }
        assert_eq!(k.key_for(Ctx::List, Action::Filter).as_deref(), Some("/"));
    }
}
