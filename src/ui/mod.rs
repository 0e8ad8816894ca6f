//! Rendering: `render(&AppState, &Styles, &mut Frame)` only draws. One file per view, the chrome
//! (tabs, breadcrumb, status line), overlays, and the text helpers that keep log text escaped.
//! Only the rows in view are ever built.

pub mod alert_detail;
pub mod alerts;
pub mod cli;
pub mod commands;
pub mod count;
pub mod document;
pub mod entities;
pub mod layout;
pub mod overlay;
pub mod report;
pub mod requests;
pub mod safe;
pub mod sanitize;
pub mod status;
pub mod style;
pub mod table;
pub mod text;
pub mod timeline;

use crate::app::query::sort_keys;
use crate::app::views::{ListState, Screen, ViewId};
use crate::app::{AppState, Overlay, Phase};
use ratatui::Frame;
pub use style::Styles;

/// What every view's draw function gets.
pub struct Ctx<'a, 'f> {
    pub f: &'a mut Frame<'f>,
    pub state: &'a AppState,
    pub st: &'a Styles,
}

pub fn render(state: &AppState, st: &Styles, f: &mut Frame<'_>) {
    let area = f.area();
    if area.width < 20 || area.height < 4 {
        f.render_widget(
            ratatui::text::Line::from("strata: terminal too small"),
            area,
        );
        return;
    }
    let a = layout::areas(area);
    let mut c = Ctx { f, state, st };
    status::tabs(&mut c, a.tabs);
    status::crumb(&mut c, a.crumb);
    match state.top() {
        Screen::Frame(fr) => match fr.view {
            ViewId::Alerts => alerts::draw(&mut c, a.body, fr),
            ViewId::Requests => requests::draw(&mut c, a.body, fr),
            ViewId::Cli => cli::draw(&mut c, a.body, fr),
            ViewId::Entities => entities::draw(&mut c, a.body, fr),
            ViewId::Timeline => timeline::draw(&mut c, a.body, fr),
            ViewId::Report => report::draw(&mut c, a.body, fr),
        },
        Screen::Alert(d) => alert_detail::draw(&mut c, a.body, d),
        Screen::Doc(d) => document::draw(&mut c, a.body, d),
        Screen::Commands(v) => commands::draw(&mut c, a.body, v),
    }
    status::status(&mut c, a.status);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => {
            let ctx = state.screen_ctx();
            overlay::help(&mut c, a.body, ctx, *scroll);
        }
        Some(Overlay::Pivot { options, selected }) => {
            overlay::pivot_menu(&mut c, a.body, options, *selected)
        }
        _ => {}
    }
}

/// The sort marker of a list: `(column, descending)`.
pub fn sort_marker(view: ViewId, l: &ListState) -> Option<(usize, bool)> {
    let keys = sort_keys(view);
    let k = keys.get(l.sort.key)?;
    Some((k.column, k.descending ^ l.sort.reverse))
}

/// What an empty list says: still loading, nothing matches the filter, or nothing at all.
pub fn empty_text(state: &AppState, l: &ListState, none: &str, loading: &str) -> String {
    if state.status.phase != Phase::Ready {
        if loading.is_empty() {
            "loading…".to_string()
        } else {
            format!("loading… {loading}")
        }
    } else if !l.filter_text.is_empty() && l.universe > 0 {
        match state
            .keys
            .hint(state.ctx(), crate::keymap::Action::ClearFilter)
        {
            Some(key) => format!("nothing matches /{} ({key} clears)", l.filter_text),
            None => format!("nothing matches /{}", l.filter_text),
        }
    } else if state.status.detecting && none == "no alerts" {
        "no alerts yet: detection is running".to_string()
    } else {
        none.to_string()
    }
}
