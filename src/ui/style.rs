//! Semantic styles used by the views, and the adapter to themes.
//!
//! Themes (`crate::theme::Theme`, slots → Style, dark / light / high-contrast, NO_COLOR) are
//! landing on another branch; until then these built-in palettes use only the 16 ANSI colours, so
//! they read on 16-colour terminals, and `no_color` uses modifiers alone.

use crate::analysis::alerts::Severity;
use ratatui::style::{Color, Modifier, Style};

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
    pub hint_key: Style,
    pub gauge: Style,
    pub severity: [Style; 5],
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    /// Rows that destroy something (CLI delete class).
    pub danger_row: Style,
    pub group: Style,
    /// Characters matched by the fuzzy filter.
    pub fuzzy: Style,
    /// Visible escapes of control and invisible characters.
    pub escaped: Style,
    /// Keyword groups (cycled when there are more groups).
    pub keyword: [Style; 4],
    pub keyword_current: Style,
    pub heading: Style,
    pub label: Style,
    pub toast_info: Style,
    pub toast_error: Style,
    pub border: Style,
    pub histogram: Style,
    pub histogram_marker: Style,
    pub spark: Style,
}

fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Styles {
    pub fn by_name(name: &str) -> Option<Styles> {
        match name {
            "dark" | "default" => Some(Styles::dark()),
            "light" => Some(Styles::light()),
            "high-contrast" | "high_contrast" => Some(Styles::high_contrast()),
            "none" | "no-color" => Some(Styles::no_color()),
            _ => None,
        }
    }

    pub fn dark() -> Styles {
        let bold = Modifier::BOLD;
        Styles {
            base: Style::new(),
            dim: fg(Color::DarkGray),
            header: Style::new().add_modifier(bold).fg(Color::Cyan),
            selected: Style::new().bg(Color::Blue).fg(Color::White),
            marked: fg(Color::Yellow).add_modifier(bold),
            tab: fg(Color::Gray),
            tab_active: Style::new()
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(bold),
            crumb: fg(Color::Cyan),
            status: Style::new().bg(Color::Black).fg(Color::Gray),
            hint_key: fg(Color::Yellow).add_modifier(bold),
            gauge: fg(Color::Green),
            severity: [
                fg(Color::Gray),
                fg(Color::Cyan),
                fg(Color::Yellow),
                fg(Color::LightRed).add_modifier(bold),
                Style::new()
                    .bg(Color::Red)
                    .fg(Color::White)
                    .add_modifier(bold),
            ],
            error: fg(Color::LightRed),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            danger_row: fg(Color::LightRed).add_modifier(bold),
            group: fg(Color::Magenta).add_modifier(bold),
            fuzzy: fg(Color::Yellow).add_modifier(bold | Modifier::UNDERLINED),
            escaped: Style::new().fg(Color::Black).bg(Color::Magenta),
            keyword: [
                Style::new().fg(Color::Black).bg(Color::LightRed),
                Style::new().fg(Color::Black).bg(Color::Yellow),
                Style::new().fg(Color::Black).bg(Color::LightCyan),
                Style::new().fg(Color::Black).bg(Color::LightGreen),
            ],
            keyword_current: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(bold | Modifier::UNDERLINED),
            heading: fg(Color::Cyan).add_modifier(bold),
            label: fg(Color::DarkGray),
            toast_info: Style::new().bg(Color::Green).fg(Color::Black),
            toast_error: Style::new()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(bold),
            border: fg(Color::DarkGray),
            histogram: fg(Color::Cyan),
            histogram_marker: fg(Color::Yellow).add_modifier(bold),
            spark: fg(Color::Cyan),
        }
    }

    pub fn light() -> Styles {
        Styles {
            dim: fg(Color::DarkGray),
            header: Style::new().add_modifier(Modifier::BOLD).fg(Color::Blue),
            selected: Style::new().bg(Color::Blue).fg(Color::White),
            tab: fg(Color::DarkGray),
            tab_active: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            crumb: fg(Color::Blue),
            status: Style::new().bg(Color::Gray).fg(Color::Black),
            hint_key: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            severity: [
                fg(Color::DarkGray),
                fg(Color::Blue),
                fg(Color::Magenta),
                fg(Color::Red).add_modifier(Modifier::BOLD),
                Style::new()
                    .bg(Color::Red)
                    .fg(Color::White)
                    .add_modifier(Modifier::BOLD),
            ],
            error: fg(Color::Red),
            warn: fg(Color::Magenta),
            danger_row: fg(Color::Red).add_modifier(Modifier::BOLD),
            fuzzy: fg(Color::Magenta).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            heading: fg(Color::Blue).add_modifier(Modifier::BOLD),
            histogram: fg(Color::Blue),
            spark: fg(Color::Blue),
            ..Styles::dark()
        }
    }

    pub fn high_contrast() -> Styles {
        let b = Modifier::BOLD;
        Styles {
            base: fg(Color::White),
            dim: fg(Color::White),
            header: Style::new()
                .fg(Color::White)
                .add_modifier(b | Modifier::UNDERLINED),
            selected: Style::new()
                .bg(Color::White)
                .fg(Color::Black)
                .add_modifier(b),
            tab: fg(Color::White),
            crumb: fg(Color::White).add_modifier(b),
            status: Style::new().bg(Color::Black).fg(Color::White),
            label: fg(Color::White).add_modifier(b),
            severity: [
                fg(Color::White),
                fg(Color::LightCyan).add_modifier(b),
                fg(Color::LightYellow).add_modifier(b),
                fg(Color::LightRed).add_modifier(b),
                Style::new()
                    .bg(Color::LightRed)
                    .fg(Color::Black)
                    .add_modifier(b),
            ],
            escaped: Style::new()
                .bg(Color::White)
                .fg(Color::Black)
                .add_modifier(b),
            ..Styles::dark()
        }
    }

    /// Modifiers only: for NO_COLOR and monochrome terminals.
    pub fn no_color() -> Styles {
        let n = Style::new();
        let b = n.add_modifier(Modifier::BOLD);
        let r = n.add_modifier(Modifier::REVERSED);
        let u = n.add_modifier(Modifier::UNDERLINED);
        Styles {
            base: n,
            dim: n,
            header: b,
            selected: r,
            marked: b,
            tab: n,
            tab_active: r,
            crumb: b,
            status: n,
            hint_key: b,
            gauge: b,
            severity: [n, n, n, b, r],
            error: b,
            ok: n,
            warn: b,
            danger_row: b,
            group: b,
            fuzzy: u,
            escaped: r,
            keyword: [r, r, r, r],
            keyword_current: r.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            heading: b,
            label: n,
            toast_info: r,
            toast_error: r.add_modifier(Modifier::BOLD),
            border: n,
            histogram: n,
            histogram_marker: b,
            spark: n,
        }
    }

    pub fn severity(&self, s: Severity) -> Style {
        self.severity[s as usize]
    }

    pub fn keyword(&self, group: u8) -> Style {
        self.keyword[group as usize % self.keyword.len()]
    }
}

/// The styles for `--theme NAME` (or a theme file once themes land), honouring NO_COLOR.
pub fn resolve(name: Option<&str>, no_color: bool) -> Result<Styles, String> {
    if no_color {
        return Ok(Styles::no_color());
    }
    let name = name.unwrap_or("dark");
    Styles::by_name(name)
        .ok_or_else(|| format!("unknown theme {name:?}; valid choices: dark, light, high-contrast"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_resolve_and_no_color_has_no_colours() {
        assert!(resolve(Some("light"), false).is_ok());
        assert!(resolve(Some("neon"), false)
            .unwrap_err()
            .contains("high-contrast"));
        let n = resolve(Some("dark"), true).unwrap();
        for s in [
            n.selected,
            n.escaped,
            n.keyword[0],
            n.severity[4],
            n.toast_error,
        ] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
    }
}
