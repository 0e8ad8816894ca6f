//! Overlays: the help table (built from the resolved keymap) and the pivot menu.

use super::{safe, Ctx};
use crate::analysis::requests::short_principal;
use crate::app::update::pivot_letter;
use crate::app::Ctx as KeyCtx;
use crate::model::EntityKind;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn ctx_name(ctx: KeyCtx) -> &'static str {
    match ctx {
        KeyCtx::Global => "everywhere",
        KeyCtx::List => "lists",
        KeyCtx::Timeline => "timeline",
        KeyCtx::Detail => "details",
        KeyCtx::Document => "request view",
        KeyCtx::Menu => "menus",
    }
}

/// Every binding of the context under the overlay, from the resolved keymap.
pub fn help(c: &mut Ctx<'_, '_>, area: Rect, ctx: KeyCtx, scroll: usize) {
    let st = c.st;
    let bindings = c.state.keys.bindings_for(ctx);
    let key_w = bindings
        .iter()
        .map(|(k, _)| k.join(" ").chars().count())
        .max()
        .unwrap_or(4)
        .min(24);
    let lines: Vec<Line<'static>> = bindings
        .iter()
        .skip(scroll)
        .map(|(keys, action)| {
            Line::from(vec![
                Span::styled(format!(" {:<key_w$}  ", keys.join(" ")), st.hint_key),
                Span::styled(action.describe().to_string(), st.base),
            ])
        })
        .collect();
    let h = (bindings.len() as u16 + 2).min(area.height);
    let w = (key_w as u16 + 36).min(area.width);
    let r = centered(area, w, h);
    c.f.render_widget(Clear, r);
    let title = format!(" keys: {} (esc closes) ", ctx_name(ctx));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border)
        .title(Span::styled(title, st.header));
    c.f.render_widget(Paragraph::new(lines).block(block), r);
}

pub fn pivot_menu(
    c: &mut Ctx<'_, '_>,
    area: Rect,
    options: &[(EntityKind, crate::model::Sym)],
    selected: usize,
) {
    let st = c.st;
    let store = &*c.state.data.store;
    let lines: Vec<Line<'static>> = options
        .iter()
        .enumerate()
        .map(|(i, &(kind, sym))| {
            let v = store.str(sym);
            let v = if kind == EntityKind::User {
                short_principal(v)
            } else {
                v
            };
            let mut spans = vec![
                Span::styled(format!(" {} ", pivot_letter(kind)), st.hint_key),
                Span::styled(format!("{:<11}", kind.label()), st.label),
            ];
            spans.extend(safe::spans(v, st.base, st.escaped));
            let line = Line::from(spans);
            if i == selected {
                line.style(st.selected)
            } else {
                line
            }
        })
        .collect();
    let w = (area.width * 3 / 4).max(30);
    let r = centered(area, w, options.len() as u16 + 2);
    c.f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border)
        .title(Span::styled(" pivot to (letter or enter) ", st.header));
    c.f.render_widget(Paragraph::new(lines).block(block), r);
}
