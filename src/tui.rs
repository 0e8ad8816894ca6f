//! The full-screen terminal UI: terminal setup and restore, the app loop and its background jobs,
//! and `run_tui`, the entry point used by `main`.

pub mod bench;
pub mod detection;
pub mod headless;
pub mod jobs;
pub mod runtime;
pub mod terminal;

use crate::analysis::highlight::Highlighter;
use crate::app::{AppState, Msg};
use crate::cli::{DetectionArgs, TuiArgs};
use crate::clipboard::{Clipboard, ClipboardEnv};
use crate::ingest;
use crate::keymap::Keymap;
use crate::theme::{no_color_from_env, Theme};
use crate::ui::Styles;
use anyhow::Context;
use jobs::{JobCtx, Outcome};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use runtime::Shared;
use std::path::PathBuf;
use std::sync::Arc;

/// The user config folder: `$STRATA_CONFIG_DIR`, else `$XDG_CONFIG_HOME/strata`, else
/// `~/.config/strata`.
pub fn user_config_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("STRATA_CONFIG_DIR")
        .or_else(|| var("XDG_CONFIG_HOME").map(|d| d.join("strata")))
        .or_else(|| var("HOME").map(|h| h.join(".config").join("strata")))
}

/// Opens the TUI on a log set: draws at once, loads and detects in the background, returns when
/// the analyst quits. Configuration errors (keymap, theme) are reported before the terminal is
/// taken over.
pub fn run_tui(paths: &[PathBuf], detection: &DetectionArgs, tui: &TuiArgs) -> anyhow::Result<()> {
    let discovery = ingest::Discovery::start(paths);
    let config_dir = user_config_dir();
    let theme = Theme::load(
        tui.theme.as_deref(),
        config_dir.as_deref(),
        no_color_from_env(),
    )?;
    let keys = Keymap::load(tui.keymap.as_deref(), config_dir.as_deref())?;
    let (rules, probes) = detection::load_rules(detection)?;
    let highlighter = Highlighter::from_keywords(&rules.keywords);
    let shared = Arc::new(Shared {
        styles: Styles::from_theme(&theme),
        jobs: JobCtx {
            detection: detection.clone(),
            rules: Arc::new(rules),
        },
    });
    let clipboard = Clipboard::new(
        tui.clipboard,
        ClipboardEnv::capture(),
        std::env::temp_dir().join("strata"),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = AppState::new(keys, highlighter, paths.to_vec(), (w, h));
    let guard = terminal::Guard::enter().context("entering full-screen mode")?;
    let result = rt.block_on(async {
        // One write per frame: std's stdout flushes every kilobyte, and a frame split across
        // writes shows torn over a slow SSH link.
        let frame_out = std::io::BufWriter::with_capacity(FRAME_BUFFER_BYTES, std::io::stdout());
        let mut term = Terminal::new(CrosstermBackend::new(frame_out))?;
        let inbox = runtime::Inbox::new();
        start_load(discovery, probes, inbox.tx.clone());
        let events = crossterm::event::EventStream::new();
        runtime::run(
            &mut state,
            &mut term,
            events,
            std::io::stdout(),
            shared,
            clipboard,
            inbox,
        )
        .await
    });
    drop(guard);
    rt.shutdown_background();
    result
}

/// Large enough for a full redraw of a big terminal with colours (about 30 bytes per cell).
const FRAME_BUFFER_BYTES: usize = 1 << 20;

/// Loads the log set on a blocking thread, reporting progress and the finished store.
pub fn start_load(
    discovery: ingest::Discovery,
    probes: crate::model::TextProbes,
    tx: tokio::sync::mpsc::UnboundedSender<Outcome>,
) {
    tokio::task::spawn_blocking(move || {
        let progress_tx = tx.clone();
        let loaded = ingest::load_discovered(discovery, &probes, move |p| {
            let _ = progress_tx.send(Outcome::Msg(Msg::LoadProgress(p.clone())));
        });
        let store = Arc::new(loaded.store);
        let _ = tx.send(Outcome::Msg(Msg::Loaded {
            store: Arc::clone(&store),
            report: Arc::new(loaded.report),
        }));
        // Pivots look entities up from the interface thread; have the indexes ready by then.
        store.warm_indexes();
    });
}
