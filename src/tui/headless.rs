//! Running the app without a terminal: a `TestBackend`, messages and keys injected directly,
//! effects executed inline (so every result is in before the next key). Used by the snapshot,
//! update and hostile-input tests and by benchmarks.

use super::jobs::{self, JobCtx, Outcome};
use super::runtime::{deliver, Shared};
use crate::analysis::alerts::{resolve_keys, AlertRecord};
use crate::analysis::highlight::Highlighter;
use crate::app::{update, AppState, Effect, Keymap, Msg, RuleOutcome};
use crate::cli::DetectionArgs;
use crate::clipboard::{Clipboard, ClipboardEnv, ClipboardMode};
use crate::ingest;
use crate::theme::Theme;
use crate::ui::{self, Styles};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Headless {
    pub state: AppState,
    pub terminal: Terminal<TestBackend>,
    /// Everything written to the terminal outside of frames (OSC 52).
    pub raw: Vec<u8>,
    pub shared: Shared,
    pub clipboard: Clipboard,
    queue: VecDeque<Outcome>,
}

impl Headless {
    pub fn new(width: u16, height: u16) -> Headless {
        let shared = Shared {
            styles: Styles::from_theme(&Theme::monochrome()),
            jobs: JobCtx::default(),
        };
        let clipboard = Clipboard::new(
            ClipboardMode::Osc52,
            ClipboardEnv::default(),
            std::env::temp_dir().join("strata-test-spill"),
        );
        let keys = match Keymap::preset("default") {
            Ok(k) => k,
            Err(e) => panic!("the default keymap must load: {e}"),
        };
        let terminal = match Terminal::new(TestBackend::new(width, height)) {
            Ok(t) => t,
            Err(never) => match never {},
        };
        Headless {
            state: AppState::new(keys, Highlighter::builtin(), Vec::new(), (width, height)),
            terminal,
            raw: Vec::new(),
            shared,
            clipboard,
            queue: VecDeque::new(),
        }
    }

    /// Loads a log set synchronously and lets derivation and detection finish.
    pub fn load(&mut self, paths: &[PathBuf]) {
        self.state.inputs = paths.to_vec();
        let loaded = ingest::load(paths, &ingest_probes(), |_| {});
        self.send(Msg::Loaded {
            store: Arc::new(loaded.store),
            report: Arc::new(loaded.report),
        });
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for e in effects {
            let ctx: JobCtx = self.shared.jobs.clone();
            let q = &mut self.queue;
            jobs::execute(e, &ctx, &mut |o| q.push_back(o));
        }
    }

    /// Sends a message and runs every effect and follow-up message to completion.
    pub fn send(&mut self, msg: Msg) {
        let fx = update(&mut self.state, msg);
        self.run_effects(fx);
        while let Some(o) = self.queue.pop_front() {
            let fx = deliver(&mut self.state, o, &mut self.clipboard, &mut self.raw);
            self.run_effects(fx);
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.send(Msg::Key(KeyEvent::new(code, mods)));
    }

    /// Performs an action as if its key had been pressed.
    pub fn act(&mut self, a: crate::app::Action) {
        self.send(Msg::Action(a));
    }

    /// Streams detection results in as the engine would: alerts get their entities resolved
    /// against the loaded store first.
    pub fn detection(&mut self, rules: Vec<(String, Result<Vec<AlertRecord>, String>)>) {
        self.send(Msg::DetectionStarted {
            rules: rules.len(),
            note: None,
        });
        for (rule_id, outcome) in rules {
            let outcome = match outcome {
                Ok(mut alerts) => {
                    for a in &mut alerts {
                        resolve_keys(&self.state.data.store, a);
                    }
                    RuleOutcome::Evaluated { rule_id, alerts }
                }
                Err(reason) => RuleOutcome::NotEvaluated { rule_id, reason },
            };
            self.send(Msg::Rule(outcome));
        }
        self.send(Msg::DetectionDone);
    }

    pub fn key_event(&mut self, k: KeyEvent) {
        self.send(Msg::Key(k));
    }

    pub fn ctrl(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    /// Types text into whatever has focus, one key per character.
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.send(Msg::Resize(width, height));
    }

    pub fn draw(&mut self) {
        let state = &self.state;
        let styles = &self.shared.styles;
        match self.terminal.draw(|f| ui::render(state, styles, f)) {
            Ok(_) => {}
            Err(never) => match never {},
        }
    }

    /// The screen as text, one line per row (trailing spaces kept).
    pub fn screen(&mut self) -> String {
        self.draw();
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0usize;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            }
            out.push('\n');
        }
        out
    }
}

fn ingest_probes() -> crate::model::TextProbes {
    super::detection::load_rules(&DetectionArgs::default())
        .map(|(_, probes)| probes)
        .unwrap_or_default()
}
