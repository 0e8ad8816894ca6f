//! Drawing a list view's visible rows as a table: responsive columns, sort marker, selection,
//! marks, fuzzy-match highlighting and escaped cell text. Callers pass only the rows in view, or
//! let [`draw_list`] pick them.

use super::safe::{spans_marked, split_indices, CELL_CHARS};
use super::sanitize::truncate_spans;
use super::style::Styles;
use super::{empty_text, layout, sort_marker, Ctx};
use crate::analysis::filter::Fuzzy;
use crate::app::views::{Frame as ViewFrame, ListState, ViewId};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};
use ratatui::Frame;

/// Below this width time columns drop the year.
pub const WIDE: u16 = 140;

#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub title: &'static str,
    pub width: Constraint,
    /// The column is shown only when the table is at least this wide.
    pub min_width: u16,
    /// The column is shown only when the table is narrower than this (0: always).
    pub max_width: u16,
    /// Width on narrow screens (below [`WIDE`]), if different.
    pub narrow: Option<Constraint>,
    /// A `YYYY-MM-DD hh:mm:ss` column (shortened on narrow screens).
    pub time: bool,
    /// Text too long for the column loses its start, not its end (file paths: the name tells
    /// rows apart).
    pub keep_end: bool,
}

impl Col {
    pub const fn keep_end(mut self) -> Col {
        self.keep_end = true;
        self
    }

    pub const fn narrow(mut self, c: Constraint) -> Col {
        self.narrow = Some(c);
        self
    }

    pub const fn below(mut self, max_width: u16) -> Col {
        self.max_width = max_width;
        self
    }
}

pub const fn col(title: &'static str, width: Constraint, min_width: u16) -> Col {
    Col {
        title,
        width,
        min_width,
        max_width: 0,
        narrow: None,
        time: false,
        keep_end: false,
    }
}

pub const fn time_col(title: &'static str, min_width: u16) -> Col {
    Col {
        title,
        width: Constraint::Length(19),
        min_width,
        max_width: 0,
        narrow: Some(Constraint::Length(14)),
        time: true,
        keep_end: false,
    }
}

#[derive(Clone, Debug, Default)]
pub struct RowData {
    /// Full cell texts, one per column (also the fuzzy haystack, joined by two spaces).
    pub cells: Vec<String>,
    /// Per-cell style overrides.
    pub styles: Vec<Option<Style>>,
    pub row_style: Option<Style>,
    pub selected: bool,
    pub marked: bool,
}

impl RowData {
    pub fn new(cells: Vec<String>) -> RowData {
        RowData {
            styles: vec![None; cells.len()],
            cells,
            ..RowData::default()
        }
    }

    pub fn style_cell(mut self, i: usize, s: Style) -> RowData {
        if let Some(slot) = self.styles.get_mut(i) {
            *slot = Some(s);
        }
        self
    }
}

pub struct TableSpec<'a> {
    pub cols: &'a [Col],
    /// `(column, descending)` of the current sort.
    pub sort: Option<(usize, bool)>,
    pub fuzzy: &'a str,
    pub empty: &'a str,
}

/// Draws the table of a list view in which every row is one item of the list. `build` makes the
/// row of an item and is asked only for the items in view; an item it has no row for is left out.
/// `none` is what the table says when the log set has nothing for the view.
pub fn draw_list(
    c: &mut Ctx<'_, '_>,
    area: Rect,
    fr: &ViewFrame,
    view: ViewId,
    cols: &[Col],
    none: &str,
    build: impl FnMut(u32) -> Option<RowData>,
) {
    let list = fr.list(view);
    let (table_area, _) = layout::list_table(view, area, 0);
    let rows = rows_in_view(list, table_area, build);
    let empty = empty_text(c.state, list, none, "");
    let spec = TableSpec {
        cols,
        sort: sort_marker(view, list),
        fuzzy: &list.query.fuzzy,
        empty: &empty,
    };
    draw(c.f, table_area, &spec, rows, c.st);
}

/// The rows of the items that fit below the header of `table`, starting at the list's scroll
/// offset, with the list's selection and marks.
pub fn rows_in_view(
    list: &ListState,
    table: Rect,
    mut build: impl FnMut(u32) -> Option<RowData>,
) -> Vec<RowData> {
    list.rows
        .window(list.offset, layout::table_rows(table))
        .into_iter()
        .enumerate()
        .filter_map(|(k, item)| {
            let mut row = build(item)?;
            row.selected = list.offset + k == list.selected;
            row.marked = list.marks.contains(&item);
            Some(row)
        })
        .collect()
}

pub fn draw(f: &mut Frame, area: Rect, spec: &TableSpec<'_>, rows: Vec<RowData>, st: &Styles) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let narrow = area.width < WIDE;
    let shown: Vec<usize> = (0..spec.cols.len())
        .filter(|&i| {
            let c = spec.cols[i];
            area.width >= c.min_width && (c.max_width == 0 || area.width < c.max_width)
        })
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(shown.iter().map(|&i| {
            let c = spec.cols[i];
            match c.narrow {
                Some(n) if narrow => n,
                _ => c.width,
            }
        }))
        .collect();
    // The widths the table gives its columns (one space between them), for keep-end columns.
    let col_widths: Vec<u16> = Layout::horizontal(widths.clone())
        .spacing(1)
        .split(area)
        .iter()
        .map(|r| r.width)
        .collect();
    let header = Row::new(
        std::iter::once(Cell::from("")).chain(shown.iter().map(|&i| {
            let c = spec.cols[i];
            let marker = match spec.sort {
                Some((col, true)) if col == i => " ▼",
                Some((col, false)) if col == i => " ▲",
                _ => "",
            };
            Cell::from(format!("{}{marker}", c.title))
        })),
    )
    .style(st.header);
    let fuzzy = Fuzzy::default();
    let body: Vec<Row<'static>> = rows
        .into_iter()
        .map(|r| {
            let refs: Vec<&str> = r.cells.iter().map(String::as_str).collect();
            let per_cell = if spec.fuzzy.is_empty() {
                vec![Vec::new(); refs.len()]
            } else {
                split_indices(&refs, &fuzzy.indices(&refs.join("  "), spec.fuzzy))
            };
            let base = r.row_style.unwrap_or(st.base);
            let mark = Cell::from(if r.marked { "●" } else { " " }).style(st.marked);
            let cells = shown.iter().enumerate().map(|(pos, &i)| {
                let text = r.cells.get(i).map_or("", String::as_str);
                let style = r.styles.get(i).copied().flatten().unwrap_or(base);
                let room = col_widths.get(pos + 1).copied().unwrap_or(0) as usize;
                let chars = text.chars().count();
                let (skip, ellipsis) = if spec.cols[i].time && narrow && text.len() >= 19 {
                    (5, false)
                } else if spec.cols[i].keep_end && chars > room && room > 1 {
                    (chars - (room - 1), true)
                } else {
                    (0, false)
                };
                let idx: Vec<usize> = per_cell
                    .get(i)
                    .map(|v| {
                        v.iter()
                            .filter(|&&x| x >= skip)
                            .map(|&x| x - skip)
                            .collect()
                    })
                    .unwrap_or_default();
                let shown_text: String = text.chars().skip(skip).collect();
                let mut spans =
                    spans_marked(&shown_text, style, st.fuzzy, st.escaped, &idx, CELL_CHARS);
                if ellipsis {
                    spans.insert(0, Span::styled("…", style));
                } else if room > 0 {
                    // A cut title or principal must look cut, not like a shorter value.
                    spans = truncate_spans(spans, room);
                }
                Cell::from(Line::from(spans))
            });
            let row = Row::new(std::iter::once(mark).chain(cells));
            if r.selected {
                row.style(st.selected)
            } else {
                row
            }
        })
        .collect();
    let empty = body.is_empty();
    // The widths measured above, so keep-end columns are cut exactly where the table cuts.
    let exact: Vec<Constraint> = col_widths.iter().map(|&w| Constraint::Length(w)).collect();
    f.render_widget(
        Table::new(body, exact).header(header).column_spacing(1),
        area,
    );
    if empty && area.height > 2 {
        let msg = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(2), 1);
        f.render_widget(
            Line::from(Span::styled(spec.empty.to_string(), st.dim)),
            msg,
        );
    }
}
