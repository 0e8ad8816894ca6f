//! Messages into [`super::update`] and the effects it asks the runtime to carry out. Effects carry
//! immutable `Arc` snapshots, so background jobs never touch the UI's state.

use super::doc::Document;
use super::query::{QueryJob, QueryResult};
use super::views::DocTarget;
use crate::analysis::alerts::AlertRecord;
use crate::analysis::cli::{self, CliActions, CliProfile};
use crate::analysis::entities::{self, AlertTallies, EntitySummary};
use crate::analysis::highlight::Highlighter;
use crate::analysis::requests::{self, RequestRow};
use crate::analysis::timeline::TimeWindow;
use crate::ingest::report::LoadReport;
use crate::ingest::LoadProgress;
use crate::model::{EventStore, SourceRef};
use crossterm::event::{KeyEvent, MouseEvent};
use std::path::PathBuf;
use std::sync::Arc;

/// Everything derived from the store once it is loaded.
#[derive(Debug, Default)]
pub struct Derived {
    pub requests: Vec<RequestRow>,
    pub cli: Vec<CliProfile>,
    pub entities: Vec<EntitySummary>,
    pub bounds: Option<TimeWindow>,
}

impl Derived {
    pub fn build(store: &EventStore, cli_actions: &CliActions) -> Derived {
        let (requests, (cli, entities)) = rayon::join(
            || requests::build(store),
            || rayon::join(|| cli::build(store, cli_actions), || entities::build(store)),
        );
        Derived {
            requests,
            cli,
            entities,
            bounds: store.time_range().map(|(a, b)| TimeWindow::new(a, b)),
        }
    }
}

/// The loaded data the views show; cheap to clone (all `Arc`), handed to jobs as a snapshot.
#[derive(Clone, Debug, Default)]
pub struct Data {
    pub store: Arc<EventStore>,
    pub report: Arc<LoadReport>,
    pub derived: Arc<Derived>,
    pub alerts: Arc<Vec<AlertRecord>>,
    pub tallies: Arc<AlertTallies>,
}

/// What the detection engine reports about one rule.
#[derive(Clone, Debug)]
pub enum RuleOutcome {
    /// The rule ran; its alerts (possibly none).
    Evaluated {
        rule_id: String,
        alerts: Vec<AlertRecord>,
    },
    /// The rule could not run, e.g. "no invocation logs loaded".
    NotEvaluated { rule_id: String, reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// An action without a key (tests, menus).
    Action(crate::keymap::Action),
    Mouse(MouseEvent),
    /// Bracketed paste (only the input line accepts it).
    Paste(String),
    Resize(u16, u16),
    /// Periodic; expires toasts.
    Tick,
    LoadProgress(LoadProgress),
    Loaded {
        store: Arc<EventStore>,
        report: Arc<LoadReport>,
    },
    Derived(Arc<Derived>),
    /// Detection began with this many rules (`note` when it cannot run at all).
    DetectionStarted {
        rules: usize,
        note: Option<String>,
    },
    Rule(RuleOutcome),
    DetectionDone,
    QueryDone(Box<QueryResult>),
    DocLoaded {
        id: u64,
        result: Result<Document, String>,
    },
    Toast(String, ToastKind),
}

/// Evidence for the clipboard or an export bundle. Parts that need raw records (request text,
/// raw JSON) are completed by the runtime.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// For the toast: "alert evidence", "2 requests".
    pub what: String,
    /// Markdown blocks ready to use.
    pub markdown: Vec<String>,
    /// Requests whose Markdown block needs their prompt and completion read first.
    pub requests: Vec<RequestRow>,
    /// Items of the JSON bundle.
    pub json: Vec<serde_json::Value>,
    /// The raw records behind the selection.
    pub sources: Vec<SourceRef>,
    pub store: Arc<EventStore>,
    pub highlighter: Arc<Highlighter>,
}

#[derive(Debug)]
pub enum Effect {
    Quit,
    /// Clear and repaint the whole terminal.
    Redraw,
    Derive(Arc<EventStore>),
    Detect(Arc<EventStore>),
    Query(Box<QueryJob>),
    LoadDoc {
        id: u64,
        target: DocTarget,
        store: Arc<EventStore>,
        highlighter: Arc<Highlighter>,
    },
    /// Copy the evidence Markdown.
    Copy(Box<Evidence>),
    /// Copy the raw records as JSON lines.
    CopyRaw(Box<Evidence>),
    /// Write `path` (Markdown) and the JSON bundle next to it; refused inside `inputs`.
    Export {
        path: PathBuf,
        inputs: Vec<PathBuf>,
        evidence: Box<Evidence>,
    },
}
