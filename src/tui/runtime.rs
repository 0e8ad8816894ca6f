//! The app loop, generic over the terminal backend, the terminal event source and the writer that
//! receives raw escape sequences (OSC 52). It handles every queued message, then draws at most
//! once per frame interval and only when something changed; effects run as blocking jobs whose
//! results come back as messages.

use super::jobs::{self, JobCtx, Outcome};
use crate::app::{update, AppState, Effect, Msg, ToastKind};
use crate::clipboard::Clipboard;
use crate::ui::{self, Styles};
use crossterm::event::{Event, KeyEventKind};
use futures::{FutureExt, Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Minimum time between two frames.
pub const FRAME: Duration = Duration::from_millis(16);
/// Toast expiry tick.
pub const TICK: Duration = Duration::from_millis(250);

/// Settings shared by the loop and its jobs.
#[derive(Clone, Debug)]
pub struct Shared {
    pub styles: Styles,
    pub jobs: JobCtx,
}

/// A terminal event as a message (key releases are dropped).
pub fn event_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(s) => Some(Msg::Paste(s)),
        _ => None,
    }
}

/// Handles one outcome of a job: messages go to `update`; copies go to the clipboard, whose
/// terminal bytes (OSC 52) are written to `raw`, and a toast says what happened.
pub fn deliver(
    state: &mut AppState,
    o: Outcome,
    clipboard: &mut Clipboard,
    raw: &mut dyn Write,
) -> Vec<Effect> {
    match o {
        Outcome::Msg(m) => update(state, m),
        Outcome::Copy { text, what } => {
            let msg = match clipboard.copy(&text, &what) {
                Ok(copy) => {
                    let written = if copy.terminal_bytes.is_empty() {
                        Ok(())
                    } else {
                        raw.write_all(&copy.terminal_bytes)
                            .and_then(|_| raw.flush())
                    };
                    match written {
                        Ok(()) => {
                            Msg::Toast(format!("{what}: {}", copy.outcome.toast()), ToastKind::Info)
                        }
                        Err(e) => Msg::Toast(format!("copy failed: {e}"), ToastKind::Error),
                    }
                }
                Err(e) => Msg::Toast(format!("copy failed: {e}"), ToastKind::Error),
            };
            update(state, msg)
        }
    }
}

/// Starts effects as blocking jobs; returns true when the screen must be cleared.
fn spawn(effects: Vec<Effect>, shared: &Arc<Shared>, tx: &UnboundedSender<Outcome>) -> bool {
    let mut clear = false;
    for e in effects {
        match e {
            Effect::Quit => {}
            Effect::Redraw => clear = true,
            job => {
                let tx = tx.clone();
                let shared = shared.clone();
                tokio::task::spawn_blocking(move || {
                    jobs::execute(job, &shared.jobs, &mut |o| {
                        let _ = tx.send(o);
                    })
                });
            }
        }
    }
    clear
}

/// The channel jobs report through.
pub struct Inbox {
    pub tx: UnboundedSender<Outcome>,
    pub rx: UnboundedReceiver<Outcome>,
}

impl Inbox {
    pub fn new() -> Inbox {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        Inbox { tx, rx }
    }
}

impl Default for Inbox {
    fn default() -> Self {
        Inbox::new()
    }
}

/// Runs until the app quits or the event source ends.
pub async fn run<B, S, W>(
    state: &mut AppState,
    terminal: &mut Terminal<B>,
    mut events: S,
    mut raw: W,
    shared: Arc<Shared>,
    mut clipboard: Clipboard,
    inbox: Inbox,
) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
    W: Write,
{
    let Inbox { tx, mut rx } = inbox;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    terminal.draw(|f| ui::render(state, &shared.styles, f))?;
    state.dirty = false;
    let mut last_draw = Instant::now();
    let mut clear = false;
    loop {
        let deadline = tokio::time::Instant::from_std(last_draw + FRAME);
        let mut effects: Vec<Effect> = Vec::new();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    if let Some(m) = event_msg(ev) {
                        effects.extend(update(state, m));
                    }
                }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(o) = rx.recv() => effects.extend(deliver(state, o, &mut clipboard, &mut raw)),
            _ = tick.tick() => effects.extend(update(state, Msg::Tick)),
            _ = tokio::time::sleep_until(deadline), if state.dirty => {}
        }
        // Drain everything already queued before drawing.
        loop {
            clear |= spawn(std::mem::take(&mut effects), &shared, &tx);
            if let Ok(o) = rx.try_recv() {
                effects.extend(deliver(state, o, &mut clipboard, &mut raw));
                continue;
            }
            match events.next().now_or_never() {
                Some(Some(Ok(ev))) => {
                    if let Some(m) = event_msg(ev) {
                        effects.extend(update(state, m));
                    }
                }
                Some(Some(Err(e))) => return Err(e.into()),
                _ => break,
            }
        }
        if state.quit {
            break;
        }
        if clear {
            terminal.clear()?;
            clear = false;
            state.dirty = true;
        }
        if state.dirty && last_draw.elapsed() >= FRAME {
            terminal.draw(|f| ui::render(state, &shared.styles, f))?;
            state.dirty = false;
            last_draw = Instant::now();
        }
    }
    Ok(())
}
