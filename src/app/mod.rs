//! Application state and its update function (The Elm Architecture): [`update`] turns a [`Msg`]
//! into state changes and [`Effect`]s, without I/O; the runtime in [`crate::tui`] executes the
//! effects and feeds results back as messages. Everything here is testable without a terminal.

pub mod doc;
pub mod docbuild;
pub mod evidence;
pub mod input;
pub mod mouse;
pub mod msg;
pub mod nav;
pub mod overlays;
pub mod query;
pub mod update;
pub mod views;

pub use crate::keymap::{Action, Context, Keymap};
pub use msg::{Data, Derived, Effect, Msg, RuleOutcome, ToastKind};
pub use update::update;

use crate::analysis::highlight::Highlighter;
use crate::ingest::LoadProgress;
use crate::model::{EntityKind, Sym};
use input::Input;
use std::path::PathBuf;
use std::sync::Arc;
use views::{Frame, Screen, ViewId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    /// Building request rows, CLI profiles, entity summaries.
    Indexing,
    Ready,
}

#[derive(Clone, Debug)]
pub struct Status {
    pub phase: Phase,
    pub progress: LoadProgress,
    pub derived: bool,
    pub detecting: bool,
    pub rules_total: usize,
    pub rules_done: usize,
    /// `(rule id, reason)` of rules that could not run.
    pub not_evaluated: Vec<(String, String)>,
    /// Why detection could not run at all.
    pub detect_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub kind: ToastKind,
    /// Ticks left before it disappears.
    pub ticks: u8,
}

/// Ticks a toast stays (the runtime ticks four times a second).
pub const TOAST_TICKS: u8 = 16;

#[derive(Clone, Debug)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// Pivot targets of the selection: `(kind, value)`.
    Pivot {
        options: Vec<(EntityKind, Sym)>,
        selected: usize,
    },
    Input(Input),
}

pub struct AppState {
    pub data: Data,
    /// Never empty; the bottom is the root frame (no scope).
    pub stack: Vec<Screen>,
    pub overlay: Option<Overlay>,
    pub toast: Option<Toast>,
    pub status: Status,
    pub keys: Arc<Keymap>,
    pub highlighter: Arc<Highlighter>,
    pub size: (u16, u16),
    /// The log set's paths (exports are refused inside them).
    pub inputs: Vec<PathBuf>,
    pub next_id: u64,
    pub exports: u32,
    /// Filters applied before, for recall in the filter input.
    pub filter_history: Vec<String>,
    pub dirty: bool,
    pub quit: bool,
}

impl AppState {
    pub fn new(
        keys: Keymap,
        highlighter: Highlighter,
        inputs: Vec<PathBuf>,
        size: (u16, u16),
    ) -> AppState {
        AppState {
            data: Data::default(),
            stack: vec![Screen::Frame(Box::new(Frame::new(1, None, ViewId::Alerts)))],
            overlay: None,
            toast: None,
            status: Status {
                phase: Phase::Loading,
                progress: LoadProgress::default(),
                derived: false,
                detecting: false,
                rules_total: 0,
                rules_done: 0,
                not_evaluated: Vec::new(),
                detect_note: None,
            },
            keys: Arc::new(keys),
            highlighter: Arc::new(highlighter),
            size,
            inputs,
            next_id: 2,
            exports: 0,
            filter_history: Vec::new(),
            dirty: true,
            quit: false,
        }
    }

    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn top(&self) -> &Screen {
        self.stack
            .last()
            .unwrap_or_else(|| unreachable!("the navigation stack is never empty"))
    }

    /// The frame the list views belong to: the nearest one at or below the top.
    pub fn frame(&self) -> &Frame {
        self.stack
            .iter()
            .rev()
            .find_map(|s| match s {
                Screen::Frame(f) => Some(&**f),
                _ => None,
            })
            .unwrap_or_else(|| unreachable!("the root frame is never popped"))
    }

    pub fn frame_mut(&mut self) -> &mut Frame {
        self.stack
            .iter_mut()
            .rev()
            .find_map(|s| match s {
                Screen::Frame(f) => Some(&mut **f),
                _ => None,
            })
            .unwrap_or_else(|| unreachable!("the root frame is never popped"))
    }

    /// The key context of what has focus.
    pub fn ctx(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help { .. }) => Context::Help,
            Some(Overlay::Pivot { .. }) => Context::PivotMenu,
            Some(Overlay::Input(i)) if i.purpose == input::Purpose::Export => Context::ExportPrompt,
            Some(Overlay::Input(_)) => Context::FilterInput,
            None => self.screen_ctx(),
        }
    }

    /// The key context of the screen under any overlay.
    pub fn screen_ctx(&self) -> Context {
        match self.top() {
            Screen::Frame(f) => match f.view {
                ViewId::Alerts => Context::Alerts,
                ViewId::Requests => Context::Requests,
                ViewId::Cli => Context::CliProfiles,
                ViewId::Entities => Context::Entities,
                ViewId::Timeline => Context::Timeline,
                ViewId::Report => Context::LoadReport,
            },
            Screen::Alert(_) => Context::AlertDetail,
            Screen::Commands(_) => Context::CliCommands,
            Screen::Doc(_) => Context::RequestView,
        }
    }

    pub fn toast(&mut self, text: impl Into<String>, kind: ToastKind) {
        self.toast = Some(Toast {
            text: text.into(),
            kind,
            ticks: TOAST_TICKS,
        });
    }
}
