//! Screen geometry, shared by rendering and by `update` (page sizes, mouse hit-testing), so both
//! always agree on where rows are.

use crate::app::views::ViewId;
use ratatui::layout::Rect;

/// The fixed regions of every screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    /// View tabs.
    pub tabs: Rect,
    /// Breadcrumb, filter and counts.
    pub crumb: Rect,
    pub body: Rect,
    /// Progress, hints, toasts and the input line.
    pub status: Rect,
}

pub fn areas(area: Rect) -> Areas {
    let h = area.height;
    let row = |y: u16, height: u16| {
        Rect::new(
            area.x,
            area.y + y.min(h),
            area.width,
            height.min(h.saturating_sub(y)),
        )
    };
    Areas {
        tabs: row(0, 1),
        crumb: row(1, 1),
        body: row(2, h.saturating_sub(3)),
        status: row(h.saturating_sub(1), 1),
    }
}

pub fn size_rect(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// Labels of the view tabs, with the number key that selects them.
pub fn tab_label(v: ViewId) -> String {
    let short = match v {
        ViewId::Cli => "CLI",
        ViewId::Report => "Report",
        other => other.title(),
    };
    format!(" {} {} ", v.index() + 1, short)
}

/// Column ranges of the tabs, for mouse clicks: `(view, x_from, x_to)`.
pub fn tab_ranges(area: Rect) -> Vec<(ViewId, u16, u16)> {
    let mut x = area.x;
    let mut out = Vec::new();
    for v in ViewId::ALL {
        let w = tab_label(v).chars().count() as u16;
        out.push((v, x, x + w));
        x += w + 1;
    }
    out
}

/// Histogram height in the timeline view (including its axis line).
pub fn histogram_height(body: Rect) -> u16 {
    if body.height >= 30 {
        9
    } else if body.height >= 14 {
        5
    } else {
        0
    }
}

/// Splits a body into a top part of `top` rows and the rest.
pub fn split_top(r: Rect, top: u16) -> (Rect, Rect) {
    let top = top.min(r.height);
    (
        Rect::new(r.x, r.y, r.width, top),
        Rect::new(r.x, r.y + top, r.width, r.height - top),
    )
}

/// The area of a list view's table (header row included) and the area below it, if any.
pub fn list_table(view: ViewId, body: Rect, footer_lines: u16) -> (Rect, Rect) {
    match view {
        ViewId::Timeline => {
            let (_, rest) = split_top(body, histogram_height(body));
            (rest, Rect::new(rest.x, rest.y + rest.height, rest.width, 0))
        }
        ViewId::Report => {
            let detail = (body.height * 2 / 5).max(3).min(body.height);
            split_top(body, body.height - detail)
        }
        _ => {
            let f = footer_lines.min(body.height);
            split_top(body, body.height - f)
        }
    }
}

/// Rows of data a table of this area shows (one line is the header).
pub fn table_rows(table: Rect) -> usize {
    table.height.saturating_sub(1) as usize
}

/// Alert detail: header, events table, guide pane.
/// Alert detail: the header (`header_rows` as wrapped, at most half the screen unless it is
/// tiny), the contributing events, the investigation guide.
pub fn alert_detail(body: Rect, header_rows: u16) -> (Rect, Rect, Rect) {
    let header = header_rows
        .clamp(5, (body.height / 2).max(5))
        .min(body.height);
    let (head, rest) = split_top(body, header);
    let events = (rest.height * 11 / 20).max(rest.height.min(4));
    let (ev, guide) = split_top(rest, events);
    (head, ev, guide)
}

/// Document view: one header line and the text.
pub fn document(body: Rect) -> (Rect, Rect) {
    split_top(body, 1.min(body.height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_cover_small_and_wide_terminals() {
        for (w, h) in [(80u16, 24u16), (160, 45), (20, 3), (10, 1)] {
            let a = areas(Rect::new(0, 0, w, h));
            assert!(a.body.y + a.body.height <= h);
            assert!(a.status.y < h.max(1));
        }
        let a = areas(Rect::new(0, 0, 80, 24));
        assert_eq!((a.body.y, a.body.height, a.status.y), (2, 21, 23));
        let (t, rest) = list_table(ViewId::Timeline, a.body, 0);
        assert_eq!((t.y, t.height, rest.height), (7, 16, 0));
        assert_eq!(table_rows(t), 15);
        let r = tab_ranges(a.tabs);
        assert_eq!(r[0], (ViewId::Alerts, 0, 10));
    }
}
