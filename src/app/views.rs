//! Per-view state: the six list views (each remembering its rows, selection, scroll, filter, sort
//! and marks), pivot frames that hold one set of them per scope, and the detail screens stacked
//! on top.

use super::doc::DocLayout;
use crate::analysis::filter::{self, Query};
use crate::analysis::requests::RequestRow;
use crate::analysis::timeline::TimeWindow;
use crate::model::{EntityKind, Sym};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViewId {
    Alerts,
    Requests,
    Cli,
    Entities,
    Timeline,
    Report,
}

impl ViewId {
    pub const ALL: [ViewId; 6] = [
        ViewId::Alerts,
        ViewId::Requests,
        ViewId::Cli,
        ViewId::Entities,
        ViewId::Timeline,
        ViewId::Report,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ViewId::Alerts => "Alerts",
            ViewId::Requests => "Requests",
            ViewId::Cli => "CLI profiles",
            ViewId::Entities => "Entities",
            ViewId::Timeline => "Timeline",
            ViewId::Report => "Load report",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn next(self) -> ViewId {
        ViewId::ALL[(self.index() + 1) % ViewId::ALL.len()]
    }
}

/// Row indices into a view's universe (alerts, request rows, profiles, entities, events, files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowSet {
    /// `start..end`, used for unfiltered timelines so ten million events cost nothing.
    Range(u32, u32),
    List(Vec<u32>),
}

impl Default for RowSet {
    fn default() -> Self {
        RowSet::List(Vec::new())
    }
}

impl RowSet {
    pub fn len(&self) -> usize {
        match self {
            RowSet::Range(a, b) => b.saturating_sub(*a) as usize,
            RowSet::List(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<u32> {
        match self {
            RowSet::Range(a, b) => {
                let v = a.checked_add(u32::try_from(i).ok()?)?;
                (v < *b).then_some(v)
            }
            RowSet::List(v) => v.get(i).copied(),
        }
    }

    pub fn position(&self, item: u32) -> Option<usize> {
        match self {
            RowSet::Range(a, b) => (item >= *a && item < *b).then(|| (item - a) as usize),
            RowSet::List(v) => v.iter().position(|&x| x == item),
        }
    }

    /// The items of `range` (clamped), for rendering only the visible window.
    pub fn window(&self, start: usize, len: usize) -> Vec<u32> {
        let end = (start + len).min(self.len());
        (start.min(end)..end).filter_map(|i| self.get(i)).collect()
    }
}

/// Alert rows in grouped mode: a header row per rule carries this bit and the group index.
pub const GROUP_BIT: u32 = 1 << 31;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertGroup {
    pub rule_id: String,
    pub title: String,
    pub severity: crate::analysis::alerts::Severity,
    pub alerts: usize,
    pub collapsed: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SortState {
    /// Index into the view's sort keys.
    pub key: usize,
    pub reverse: bool,
}

#[derive(Clone, Debug, Default)]
pub struct ListState {
    pub rows: RowSet,
    /// Rows in scope before the filter (for "12 of 340").
    pub universe: usize,
    pub groups: Vec<AlertGroup>,
    /// Entities view in a pivot or time range: the counts over it (see [`crate::app::query`]).
    pub entity_counts: Option<std::sync::Arc<crate::app::query::ScopedEntities>>,
    /// CLI view in a pivot or time range: the profiles over it (see [`crate::app::query`]).
    pub cli_profiles: Option<std::sync::Arc<crate::app::query::ScopedCli>>,
    pub selected: usize,
    pub offset: usize,
    pub filter_text: String,
    pub query: Query,
    pub sort: SortState,
    /// Generation of the latest query asked for; older results are dropped.
    pub gen: u64,
    pub pending: bool,
    /// The inputs changed while the view was not visible; recompute when it is shown.
    pub stale: bool,
    pub marks: BTreeSet<u32>,
    /// Cancels the running background query of this view when a newer one starts.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl ListState {
    pub fn selected_item(&self) -> Option<u32> {
        self.rows.get(self.selected)
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter_text = text.to_string();
        self.query = filter::parse(text);
    }

    /// Keeps the selection inside the rows and visible in a window of `height` rows.
    pub fn clamp(&mut self, height: usize) {
        let n = self.rows.len();
        if n == 0 {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(n - 1);
        let h = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(n.saturating_sub(h));
    }

    /// Moves the selection by `delta` rows (clamped) and keeps it visible.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let n = self.rows.len();
        if n == 0 {
            return;
        }
        let cur = self.selected as isize + delta;
        self.selected = cur.clamp(0, n as isize - 1) as usize;
        self.clamp(height);
    }
}

/// A pivot: everything about one entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    pub kind: EntityKind,
    pub key: Sym,
}

/// One level of the navigation stack: the six views, scoped or not.
#[derive(Clone, Debug)]
pub struct Frame {
    pub id: u64,
    pub scope: Option<Scope>,
    pub view: ViewId,
    pub lists: [ListState; 6],
    pub grouped: bool,
    pub collapsed: BTreeSet<String>,
    /// The histogram window (`None`: the whole time span of the scope).
    pub zoom: Option<TimeWindow>,
    /// The timeline's time-range filter.
    pub range: Option<TimeWindow>,
}

impl Frame {
    pub fn new(id: u64, scope: Option<Scope>, view: ViewId) -> Frame {
        let mut lists: [ListState; 6] = Default::default();
        for v in ViewId::ALL {
            lists[v.index()].stale = true;
        }
        Frame {
            id,
            scope,
            view,
            lists,
            grouped: false,
            collapsed: BTreeSet::new(),
            zoom: None,
            range: None,
        }
    }

    pub fn list(&self, v: ViewId) -> &ListState {
        &self.lists[v.index()]
    }

    pub fn list_mut(&mut self, v: ViewId) -> &mut ListState {
        &mut self.lists[v.index()]
    }

    pub fn current(&self) -> &ListState {
        self.list(self.view)
    }

    pub fn current_mut(&mut self) -> &mut ListState {
        let v = self.view;
        self.list_mut(v)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Events,
    Guide,
}

/// Alert detail: header, every contributing event (scrollable) and the guide.
#[derive(Clone, Debug)]
pub struct AlertDetail {
    pub alert: usize,
    /// The event each evidence record resolved to (`None`: not loaded).
    pub events: Vec<Option<u32>>,
    pub selected: usize,
    pub offset: usize,
    pub focus: Pane,
    pub guide_scroll: usize,
}

/// The command lines of one CLI profile.
#[derive(Clone, Debug)]
pub struct Commands {
    pub profile: usize,
    /// The profile's events as the list showed them: within its pivot and time range.
    pub events: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocTarget {
    Request(RequestRow),
    Event(u32),
    /// A file of the load report (built from the report, nothing to read).
    File(u32),
}

#[derive(Clone, Debug)]
pub enum DocStatus {
    Loading,
    Failed(String),
    Ready(Box<DocLayout>),
}

/// The request view (prompt, turns, completion, guardrail trace, CloudTrail record) or a raw
/// record, wrapped and scrollable, with keyword matches to jump between.
#[derive(Clone, Debug)]
pub struct DocView {
    pub id: u64,
    pub target: DocTarget,
    pub status: DocStatus,
    pub scroll: usize,
    /// Index of the keyword match last jumped to.
    pub hit: Option<usize>,
    /// Text searched for with `/`; `n`/`N` then step through its matches instead of keywords.
    pub search: Option<DocSearch>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocSearch {
    pub text: String,
    /// The lines holding the text, found for the layout of width `width` (0: not yet looked for).
    pub lines: Vec<usize>,
    pub width: u16,
    /// Index, among `lines`, of the one last jumped to.
    pub current: Option<usize>,
}

#[derive(Clone, Debug)]
pub enum Screen {
    Frame(Box<Frame>),
    Alert(AlertDetail),
    Doc(DocView),
    Commands(Commands),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rowsets_index_and_window() {
        let r = RowSet::Range(10, 20);
        assert_eq!(
            (r.len(), r.get(0), r.get(9), r.get(10)),
            (10, Some(10), Some(19), None)
        );
        assert_eq!(r.position(15), Some(5));
        assert_eq!(r.window(8, 5), vec![18, 19]);
        let l = RowSet::List(vec![5, 3, 9]);
        assert_eq!((l.position(9), l.window(1, 10)), (Some(2), vec![3, 9]));
    }

    #[test]
    fn selection_stays_visible() {
        let mut l = ListState {
            rows: RowSet::Range(0, 100),
            ..ListState::default()
        };
        l.move_by(15, 10);
        assert_eq!((l.selected, l.offset), (15, 6));
        l.move_by(-12, 10);
        assert_eq!((l.selected, l.offset), (3, 3));
        l.move_by(1000, 10);
        assert_eq!((l.selected, l.offset), (99, 90));
        l.rows = RowSet::Range(0, 5);
        l.clamp(10);
        assert_eq!((l.selected, l.offset), (4, 0));
    }
}
