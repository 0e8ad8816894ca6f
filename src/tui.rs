//! The full-screen terminal UI: terminal setup and restore, the app loop and its background jobs,
//! and `run_tui`, the entry point used by `main`.

pub mod clip;
pub mod detection;
pub mod headless;
pub mod jobs;
pub mod runtime;
pub mod terminal;

use crate::analysis::highlight::Highlighter;
use crate::app::{AppState, Keys, Msg};
use crate::cli::{DetectionArgs, TuiArgs};
use crate::ingest;
use anyhow::{bail, Context};
use jobs::{JobCtx, Outcome};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use runtime::Shared;
use std::path::PathBuf;
use std::sync::Arc;

/// The key bindings for `--keymap` (interim: the built-in table until keymap files land).
pub fn resolve_keys(name: Option<&str>) -> anyhow::Result<Keys> {
    match name {
        None | Some("default" | "vim" | "arrows") => Ok(Keys::builtin()),
        Some(other) => bail!(
            "unknown keymap {other:?}: valid choices are default, vim, arrows (keymap files are not supported yet)"
        ),
    }
}

/// Opens the TUI on a log set: draws at once, loads and detects in the background, returns when
/// the analyst quits. Configuration errors are reported before the terminal is taken over.
pub fn run_tui(paths: &[PathBuf], detection: &DetectionArgs, tui: &TuiArgs) -> anyhow::Result<()> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let styles =
        crate::ui::style::resolve(tui.theme.as_deref(), no_color).map_err(anyhow::Error::msg)?;
    let keys = resolve_keys(tui.keymap.as_deref())?;
    let probes = detection::probes(detection).context("compiling prompt patterns")?;
    let shared = Arc::new(Shared {
        styles,
        clipboard: tui.clipboard,
        env: clip::Env::from_process(),
        jobs: JobCtx {
            detection: detection.clone(),
        },
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let mut state = AppState::new(keys, Highlighter::builtin(), paths.to_vec(), (w, h));
    let guard = terminal::Guard::enter().context("entering full-screen mode")?;
    let result = rt.block_on(async {
        let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Outcome>();
        start_load(paths.to_vec(), probes, tx.clone());
        let events = crossterm::event::EventStream::new();
        runtime::run(
            &mut state,
            &mut term,
            events,
            std::io::stdout(),
            shared,
            tx,
            rx,
        )
        .await
    });
    drop(guard);
    rt.shutdown_background();
    result
}

/// Loads the log set on a blocking thread, reporting progress and the finished store.
pub fn start_load(
    paths: Vec<PathBuf>,
    probes: crate::model::TextProbes,
    tx: tokio::sync::mpsc::UnboundedSender<Outcome>,
) {
    tokio::task::spawn_blocking(move || {
        let progress_tx = tx.clone();
        let loaded = ingest::load(&paths, &probes, move |p| {
            let _ = progress_tx.send(Outcome::Msg(Msg::LoadProgress(p.clone())));
        });
        let _ = tx.send(Outcome::Msg(Msg::Loaded {
            store: Arc::new(loaded.store),
            report: Arc::new(loaded.report),
        }));
    });
}
