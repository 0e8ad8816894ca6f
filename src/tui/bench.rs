//! Responsiveness measurement: drives the real app loop ([`super::runtime::run`]) with injected
//! keys on a `TestBackend` whose flushes are timestamped, while a log set loads in the background
//! and after it has loaded. Key→frame latency is the time from sending a key to the next frame.

use super::jobs::{JobCtx, Outcome};
use super::runtime::{self, Inbox, Shared};
use crate::analysis::highlight::Highlighter;
use crate::app::{AppState, Msg};
use crate::clipboard::{Clipboard, ClipboardEnv, ClipboardMode};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::Styles;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::Terminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A `TestBackend` that records when each frame is flushed.
pub struct TimedBackend {
    inner: TestBackend,
    flushes: Arc<Mutex<Vec<Instant>>>,
}

impl Backend for TimedBackend {
    type Error = std::convert::Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        if let Ok(mut f) = self.flushes.lock() {
            f.push(Instant::now());
        }
        self.inner.flush()
    }
}

/// Latency statistics in milliseconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub samples: usize,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    fn of(mut v: Vec<f64>) -> Stats {
        if v.is_empty() {
            return Stats::default();
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        Stats {
            samples: v.len(),
            p50: at(0.5),
            p95: at(0.95),
            max: v[v.len() - 1],
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    /// From start to the first flushed frame.
    pub first_frame_ms: f64,
    /// From start to the store being loaded.
    pub loaded_ms: f64,
    pub while_loading: Stats,
    pub after_loading: Stats,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |x: &Stats| {
            format!(
                "n={} p50={:.1}ms p95={:.1}ms max={:.1}ms",
                x.samples, x.p50, x.p95, x.max
            )
        };
        write!(
            f,
            "first frame {:.1}ms · loaded after {:.0}ms\nkey→frame while loading: {}\nkey→frame after loading: {}",
            self.first_frame_ms,
            self.loaded_ms,
            s(&self.while_loading),
            s(&self.after_loading)
        )
    }
}

/// The keys cycled through: view switches, movement, open/back, sort, filter typing.
fn script() -> Vec<KeyEvent> {
    let k = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ch = |c: char| k(KeyCode::Char(c));
    vec![
        ch('5'),
        ch('j'),
        ch('j'),
        k(KeyCode::PageDown),
        ch('2'),
        ch('j'),
        k(KeyCode::Enter),
        k(KeyCode::Esc),
        ch('4'),
        ch('s'),
        ch('3'),
        ch('1'),
        ch('5'),
        ch('/'),
        ch('a'),
        ch('w'),
        ch('s'),
        k(KeyCode::Esc),
        k(KeyCode::End),
        k(KeyCode::Home),
        ch('6'),
    ]
}

/// Runs the loop on `paths` at `size`; sends a key every `interval`, `after` keys once loaded.
pub fn measure(
    paths: &[PathBuf],
    size: (u16, u16),
    interval: Duration,
    after: usize,
) -> anyhow::Result<Report> {
    let start = Instant::now();
    let flushes = Arc::new(Mutex::new(Vec::new()));
    let backend = TimedBackend {
        inner: TestBackend::new(size.0, size.1),
        flushes: flushes.clone(),
    };
    let keys = Keymap::preset("default")?;
    let mut state = AppState::new(keys, Highlighter::builtin(), paths.to_vec(), size);
    let (rules, probes) = super::detection::load_rules(&crate::cli::DetectionArgs::default())?;
    let shared = Arc::new(Shared {
        styles: Styles::from_theme(&Theme::preset("dark", false)?),
        jobs: JobCtx {
            detection: crate::cli::DetectionArgs::default(),
            rules: Arc::new(rules),
        },
    });
    let clipboard = Clipboard::new(
        ClipboardMode::None,
        ClipboardEnv::default(),
        std::env::temp_dir(),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let loaded_at: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let (ev_tx, ev_rx) = futures::channel::mpsc::unbounded::<std::io::Result<Event>>();
    let result = rt.block_on(async {
        let mut terminal = Terminal::new(backend)?;
        let inbox = Inbox::new();
        let tx = inbox.tx.clone();
        let paths = paths.to_vec();
        let loaded = loaded_at.clone();
        tokio::task::spawn_blocking(move || {
            let progress = tx.clone();
            let l = crate::ingest::load(&paths, &probes, move |p| {
                let _ = progress.send(Outcome::Msg(Msg::LoadProgress(p.clone())));
            });
            if let Ok(mut at) = loaded.lock() {
                *at = Some(Instant::now());
            }
            let _ = tx.send(Outcome::Msg(Msg::Loaded {
                store: Arc::new(l.store),
                report: Arc::new(l.report),
            }));
        });
        let driver_flushes = flushes.clone();
        let driver_loaded = loaded_at.clone();
        let driver = tokio::spawn(async move {
            let mut during = Vec::new();
            let mut post = Vec::new();
            let script = script();
            let mut i = 0usize;
            while post.len() < after {
                tokio::time::sleep(interval).await;
                let was_loaded = driver_loaded.lock().map(|l| l.is_some()).unwrap_or(false);
                let before = driver_flushes.lock().map(|f| f.len()).unwrap_or(0);
                let sent = Instant::now();
                if ev_tx
                    .unbounded_send(Ok(Event::Key(script[i % script.len()])))
                    .is_err()
                {
                    break;
                }
                i += 1;
                let deadline = sent + Duration::from_secs(5);
                let frame = loop {
                    let got = driver_flushes
                        .lock()
                        .ok()
                        .and_then(|f| f.get(before..).and_then(|x| x.first().copied()));
                    if let Some(t) = got {
                        break Some(t);
                    }
                    if Instant::now() > deadline {
                        break None;
                    }
                    tokio::time::sleep(Duration::from_micros(200)).await;
                };
                let ms = frame.map_or(5000.0, |t| t.duration_since(sent).as_secs_f64() * 1000.0);
                if was_loaded {
                    post.push(ms);
                } else {
                    during.push(ms);
                }
            }
            ev_tx.close_channel();
            (during, post)
        });
        let run = runtime::run(
            &mut state,
            &mut terminal,
            ev_rx,
            std::io::sink(),
            shared,
            clipboard,
            inbox,
        );
        let (run, samples) = tokio::join!(run, driver);
        run?;
        Ok::<_, anyhow::Error>(samples?)
    });
    rt.shutdown_background();
    let (during, post) = result?;
    let first = flushes.lock().ok().and_then(|f| f.first().copied());
    let loaded = loaded_at.lock().ok().and_then(|l| *l);
    let since =
        |t: Option<Instant>| t.map_or(0.0, |t| t.duration_since(start).as_secs_f64() * 1000.0);
    Ok(Report {
        first_frame_ms: since(first),
        loaded_ms: since(loaded),
        while_loading: Stats::of(during),
        after_loading: Stats::of(post),
    })
}
