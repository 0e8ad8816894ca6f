//! Overlays: the help table (built from the resolved keymap) and the pivot menu.

use super::{safe, Ctx};
use crate::analysis::requests::short_principal;
use crate::app::update::pivot_letter;
use crate::app::Context;
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

/// Every binding of the context under the overlay, from the resolved keymap: one line per action
/// with all its keys.
pub fn help(c: &mut Ctx<'_, '_>, area: Rect, ctx: Context, scroll: usize) {
    let st = c.st;
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    let mut actions: Vec<crate::app::Action> = Vec::new();
    for (key, action, desc) in c.state.keys.bindings_for(ctx) {
        match actions.iter().position(|a| *a == action) {
            Some(i) => {
                rows[i].0.push(' ');
                rows[i].0.push_str(&key);
            }
            None => {
                actions.push(action);
                rows.push((key, desc));
            }
        }
    }
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4)
        .min(22);
    let lines: Vec<Line<'static>> = rows
        .iter()
        .skip(scroll)
        .map(|(keys, desc)| {
            let keys: String = keys.chars().take(key_w).collect();
            Line::from(vec![
                Span::styled(format!(" {keys:<key_w$}  "), st.hint_key),
                Span::styled(desc.to_string(), st.base),
            ])
        })
        .collect();
    let h = (rows.len() as u16 + 2).min(area.height);
    let desc_w = rows
        .iter()
        .map(|(_, d)| d.chars().count())
        .max()
        .unwrap_or(20);
    let w = ((key_w + desc_w + 5) as u16).min(area.width.saturating_sub(2));
    let r = centered(area, w, h);
    c.f.render_widget(Clear, r);
    let title = format!(" keys: {} (esc closes, ↑↓ scroll) ", ctx.description());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(title, st.title));
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
                Span::styled(format!("{:<11}", kind.label()), st.dim),
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
