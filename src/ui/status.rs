//! The chrome: view tabs, the breadcrumb line (with filter and counts) and the status line
//! (progress while loading, detection state, toasts, the input line, hints from the keymap).

use super::{layout, safe, Ctx};
use crate::app::input::Purpose;
use crate::app::query::sort_keys;
use crate::app::views::{Screen, ViewId};
use crate::app::{nav, Action, Context, Overlay, Phase, ToastKind};
use crate::model::time::format_short;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn tabs(c: &mut Ctx<'_, '_>, area: Rect) {
    let st = c.st;
    let cur = c.state.frame().view;
    let mut spans = Vec::new();
    for (i, v) in ViewId::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(
            layout::tab_label(v),
            if v == cur { st.tab_active } else { st.tab },
        ));
    }
    let d = &c.state.data;
    let info = format!("{} alerts · {} events ", d.alerts.len(), d.store.len());
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    if used + info.len() + 1 < area.width as usize {
        spans.push(Span::raw(
            " ".repeat(area.width as usize - used - info.len()),
        ));
        spans.push(Span::styled(info, st.dim));
    }
    c.f.render_widget(Line::from(spans), area);
}

pub fn crumb(c: &mut Ctx<'_, '_>, area: Rect) {
    let st = c.st;
    let parts = nav::breadcrumb(c.state);
    let right = crumb_right(c.state);
    // When the trail does not fit, its start gives way: where you are now is at its end.
    let room = (area.width as usize).saturating_sub(right.chars().count() + 2);
    let trail = crate::ui::sanitize::sanitize_plain(&parts.join(" › ")).into_owned();
    let trail: String = match trail.chars().count() {
        n if n > room && room > 1 => {
            let tail: String = trail.chars().skip(n - (room - 1)).collect();
            format!("…{tail}")
        }
        _ => trail,
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, p) in trail.split(" › ").enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", st.dim));
        }
        spans.push(Span::styled(p.to_string(), st.crumb));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let rlen = right.chars().count();
    if used + rlen + 2 <= area.width as usize {
        spans.push(Span::raw(" ".repeat(area.width as usize - used - rlen)));
        spans.extend(safe::spans(&right, st.dim, st.escaped));
    } else if !right.is_empty() {
        spans.push(Span::raw("  "));
        spans.extend(safe::spans(&right, st.dim, st.escaped));
    }
    c.f.render_widget(Line::from(spans), area);
}

/// The right side of the breadcrumb line: filter, rows shown of the scope, sort, time range,
/// marks.
fn crumb_right(state: &crate::app::AppState) -> String {
    match state.top() {
        Screen::Frame(f) => {
            let l = f.current();
            let mut s = String::new();
            if !l.filter_text.is_empty() {
                s.push_str(&format!("/{}  ", l.filter_text));
            }
            if let Some(e) = l.query.errors.first() {
                s.push_str(&format!("({e})  "));
            }
            if l.pending {
                s.push_str("… ");
            }
            let shown = if f.view == ViewId::Alerts && f.grouped {
                let headers = l.groups.len();
                format!(
                    "{}/{} in {headers} rules",
                    l.groups.iter().map(|g| g.alerts).sum::<usize>(),
                    l.universe
                )
            } else {
                format!("{}/{}", l.rows.len(), l.universe)
            };
            s.push_str(&shown);
            let keys = sort_keys(f.view);
            if keys.len() > 1 {
                if let Some(k) = keys.get(l.sort.key) {
                    let desc = k.descending ^ l.sort.reverse;
                    s.push_str(&format!(" · {} {}", k.label, if desc { "▼" } else { "▲" }));
                }
            }
            if let Some(w) = f.range {
                s.push_str(&format!(
                    " · range {} – {}",
                    format_short(w.from),
                    format_short(w.to)
                ));
            }
            if !l.marks.is_empty() {
                s.push_str(&format!(" · {} marked", l.marks.len()));
            }
            s
        }
        _ => String::new(),
    }
}

fn human_bytes(n: u64) -> String {
    const U: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < 3 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", U[u])
    }
}

fn human_count(n: usize) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.2}M", n as f64 / 1e6),
    }
}

/// Right side of the status line: what is still running.
fn activity(c: &Ctx<'_, '_>) -> String {
    let s = &c.state.status;
    match s.phase {
        Phase::Loading => {
            let p = &s.progress;
            // While the walk goes on, the totals are what has been found so far.
            let more = if p.walk_done { "" } else { "+" };
            format!(
                "{}/{}{more} files · {}/{}{more} · {} events · {} rejected",
                p.files_done,
                p.files_total,
                human_bytes(p.bytes_done),
                human_bytes(p.bytes_total),
                human_count(p.events),
                p.rejected
            )
        }
        Phase::Indexing => format!("indexing {} events…", human_count(s.progress.events)),
        Phase::Ready if s.detecting => {
            format!("detecting {}/{} rules", s.rules_done, s.rules_total)
        }
        Phase::Ready => {
            let ne = s.not_evaluated.len();
            if s.detect_note.is_some() {
                "detection not run".to_string()
            } else if ne > 0 {
                format!("{} rules · {ne} not evaluated", s.rules_total)
            } else {
                format!("{} rules evaluated", s.rules_total)
            }
        }
    }
}

pub fn status(c: &mut Ctx<'_, '_>, area: Rect) {
    let st = c.st;
    let state = c.state;
    c.f.render_widget(Paragraph::new("").style(st.status), area);
    if let Some(Overlay::Input(input)) = &state.overlay {
        let prompt = input.purpose.prompt();
        let mut spans = vec![Span::styled(prompt.to_string(), st.hint_key)];
        spans.extend(safe::spans(&input.text, st.base, st.escaped));
        if let Some(e) = &input.error {
            spans.push(Span::raw("  "));
            spans.extend(safe::spans(e, st.error, st.escaped));
        } else if input.purpose == Purpose::Filter {
            let f = state.frame().current();
            spans.push(Span::styled(format!("  {} match", f.rows.len()), st.dim));
        }
        c.f.render_widget(Line::from(spans), area);
        let before: String = input.text.chars().take(input.cursor).collect();
        let x = area.x as usize
            + prompt.chars().count()
            + safe::spans(&before, st.base, st.escaped)
                .iter()
                .map(|s| s.content.chars().count())
                .sum::<usize>();
        c.f.set_cursor_position(Position::new(
            (x as u16).min(area.right().saturating_sub(1)),
            area.y,
        ));
        return;
    }
    if let Some(t) = &state.toast {
        let style = if t.kind == ToastKind::Error {
            st.toast_error
        } else {
            st.toast
        };
        let mut spans = vec![Span::styled(" ", style)];
        spans.extend(safe::spans(&t.text, style, st.escaped));
        spans.push(Span::styled(" ", style));
        c.f.render_widget(Line::from(spans), area);
        return;
    }
    let right = activity(c);
    let width = area.width as usize;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut hints: Vec<Vec<Span<'static>>> = Vec::new();
    if state.status.phase == Phase::Loading {
        let p = &state.status.progress;
        let frac = if p.bytes_total > 0 {
            p.bytes_done as f64 / p.bytes_total as f64
        } else {
            0.0
        };
        let bar_w = width
            .saturating_sub(right.chars().count() + 16)
            .clamp(4, 30);
        let full = ((frac * bar_w as f64).round() as usize).min(bar_w);
        spans.push(Span::styled(
            format!("loading {:>3.0}% ", frac * 100.0),
            st.histogram,
        ));
        spans.push(Span::styled("█".repeat(full), st.histogram));
        spans.push(Span::styled("░".repeat(bar_w - full), st.dim));
        spans.push(Span::raw(" "));
    } else {
        let ctx = state.ctx();
        for a in hint_actions(ctx) {
            if let Some(k) = state.keys.hint(ctx, *a) {
                hints.push(vec![
                    Span::styled(k, st.hint_key),
                    Span::styled(format!(" {}  ", context_label(ctx, *a)), st.status),
                ]);
            }
        }
    }
    // Keep the activity on the right; drop whole hints that do not fit.
    let rlen = right.chars().count() + 1;
    let mut used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let mut kept = spans;
    for h in hints {
        let w: usize = h.iter().map(|s| s.content.chars().count()).sum();
        if used + w + rlen > width {
            break;
        }
        used += w;
        kept.extend(h);
    }
    if used + rlen <= width {
        kept.push(Span::raw(" ".repeat(width - used - rlen)));
        kept.push(Span::styled(right, st.status));
    }
    c.f.render_widget(Line::from(kept), area);
}

/// The actions hinted in the status line for a context (keys come from the keymap; actions not
/// bound there are simply not hinted).
pub fn hint_actions(ctx: Context) -> &'static [Action] {
    use Action::*;
    match ctx {
        Context::Timeline => &[
            Open,
            Filter,
            PivotUser,
            PivotMenu,
            ZoomIn,
            TimeRange,
            CopyEvidence,
            Help,
        ],
        Context::AlertDetail | Context::CliCommands => &[
            Open,
            PivotUser,
            PivotMenu,
            CopyEvidence,
            CopyRaw,
            Back,
            Help,
        ],
        // Dropped from the end when the line is narrow: the pivot goes before back and help.
        Context::RequestView => &[
            Filter,
            NextMatch,
            CopyEvidence,
            CopyRaw,
            Back,
            Help,
            PivotUser,
        ],
        Context::Alerts => &[
            Open,
            Filter,
            PivotUser,
            PivotRequest,
            PivotMenu,
            CopyEvidence,
            ToggleGrouping,
            Help,
        ],
        Context::LoadReport => &[Open, Filter, SortNext, CopyEvidence, Help],
        Context::Help | Context::PivotMenu => &[Open, Back],
        _ => &[
            Open,
            Filter,
            PivotUser,
            PivotMenu,
            CopyEvidence,
            Export,
            Help,
        ],
    }
}

/// [`hint_label`] as the context uses the action: in the request view `/` searches the text and
/// `n` steps through what it found, or through the keyword matches.
fn context_label(ctx: Context, a: Action) -> &'static str {
    match (ctx, a) {
        (Context::RequestView, Action::Filter) => "search",
        (Context::RequestView, Action::NextMatch) => "next",
        _ => hint_label(a),
    }
}

/// Short status-bar label of an action.
pub fn hint_label(a: Action) -> &'static str {
    use Action::*;
    match a {
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
        other => other.name(),
    }
}
