//! Copying evidence to the responder's clipboard, including over SSH, tmux and GNU screen.
//!
//! Routes: the system clipboard (arboard) when a local one exists, otherwise OSC 52 escape
//! sequences that the responder's own terminal turns into a clipboard write. Payloads over the
//! OSC 52 cap go to a file instead, and the file's path plus a summary is copied. Nothing here
//! writes to the terminal: [`Clipboard::copy`] returns the bytes and the TUI writes them through
//! its backend, so every decision is testable from captured environment variables.

mod osc52;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use osc52::{encoded_len, osc52_sequence, Multiplexer, OSC52_MAX_ENCODED};

/// `--clipboard` and the `clipboard` config key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardMode {
    /// System clipboard when there is a local one, OSC 52 otherwise.
    #[default]
    Auto,
    /// Always OSC 52 (through tmux/screen when present).
    Osc52,
    /// Always the system clipboard.
    System,
    /// Never copy.
    None,
}

/// The environment variables that decide the route, captured once so tests can fake them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    /// `$TMUX` is set.
    pub tmux: bool,
    /// `$TERM`.
    pub term: Option<String>,
    /// `$DISPLAY` is set.
    pub display: bool,
    /// `$WAYLAND_DISPLAY` is set.
    pub wayland_display: bool,
    /// `$SSH_CONNECTION` or `$SSH_TTY` is set.
    pub ssh: bool,
}

impl ClipboardEnv {
    pub fn capture() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the environment from a lookup function; empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
        Self {
            tmux: get("TMUX").is_some(),
            term: get("TERM"),
            display: get("DISPLAY").is_some(),
            wayland_display: get("WAYLAND_DISPLAY").is_some(),
            ssh: get("SSH_CONNECTION").is_some() || get("SSH_TTY").is_some(),
        }
    }

    /// A display on this machine that is the responder's own: over SSH a `$DISPLAY` is a
    /// forwarded or remote X server, and copying there lands in the wrong clipboard.
    pub fn has_local_clipboard(&self) -> bool {
        (self.display || self.wayland_display) && !self.ssh
    }

    /// `$TMUX`, or a `tmux*` `$TERM` (inside tmux on the far side of SSH, where `$TMUX` is not
    /// forwarded), means tmux; a `screen*` `$TERM` without `$TMUX` means GNU screen.
    pub fn multiplexer(&self) -> Multiplexer {
        let term = self.term.as_deref().unwrap_or_default();
        if self.tmux || term.starts_with("tmux") {
            Multiplexer::Tmux
        } else if term.starts_with("screen") {
            Multiplexer::Screen
        } else {
            Multiplexer::None
        }
    }
}

/// Where a copy goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// System clipboard; in `auto` mode a failure falls back to OSC 52.
    System,
    Osc52(Multiplexer),
    Disabled,
}

pub fn choose_route(mode: ClipboardMode, env: &ClipboardEnv) -> Route {
    match mode {
        ClipboardMode::None => Route::Disabled,
        ClipboardMode::System => Route::System,
        ClipboardMode::Osc52 => Route::Osc52(env.multiplexer()),
        ClipboardMode::Auto if env.has_local_clipboard() => Route::System,
        ClipboardMode::Auto => Route::Osc52(env.multiplexer()),
    }
}

/// What happened, for the toast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOutcome {
    /// `system`, `osc52`, `osc52+tmux`, `osc52+screen` or `none`.
    pub route: &'static str,
    /// Size of the evidence in bytes, whether it went to the clipboard or to `file`.
    pub bytes: usize,
    /// Set when the evidence was too large for OSC 52: it was written here and this path (plus
    /// a summary) was copied instead.
    pub file: Option<PathBuf>,
}

impl CopyOutcome {
    /// The toast text: what was copied, how big, by which route.
    pub fn toast(&self) -> String {
        let size = format_bytes(self.bytes);
        match (&self.file, self.route) {
            (_, "none") => "Clipboard is off (--clipboard none): nothing copied".to_string(),
            (Some(file), route) => format!(
                "Evidence ({size}) is too large for the clipboard: saved to {}; path copied via {route}",
                file.display()
            ),
            (None, route) => format!("Copied {size} via {route}"),
        }
    }
}

/// A finished copy: bytes the TUI must write to the terminal (empty unless OSC 52 was used) and
/// the outcome to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalCopy {
    pub terminal_bytes: Vec<u8>,
    pub outcome: CopyOutcome,
}

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("system clipboard unavailable: {0} (try --clipboard osc52)")]
    System(String),
    #[error("cannot save oversized evidence to {}: {source}", dir.display())]
    Spill {
        dir: PathBuf,
        source: std::io::Error,
    },
}

/// The OSC 52 route: the bytes to write and the outcome. Evidence whose encoding exceeds
/// [`OSC52_MAX_ENCODED`] is written to a new file in `spill_dir` (a state or temp directory the
/// caller owns, never next to the logs being investigated) and `<path>  # <summary>` is copied.
pub fn osc52_copy(
    env: &ClipboardEnv,
    text: &str,
    summary: &str,
    spill_dir: &Path,
) -> Result<TerminalCopy, ClipboardError> {
    let multiplexer = env.multiplexer();
    let (payload, file) = if encoded_len(text) > OSC52_MAX_ENCODED {
        let path = spill(spill_dir, text)?;
        let summary = crate::ui::sanitize::sanitize_plain(summary);
        let summary = crate::ui::sanitize::truncate_to_width(&summary, MAX_SUMMARY_WIDTH);
        (format!("{}  # {summary}", path.display()), Some(path))
    } else {
        (text.to_string(), None)
    };
    Ok(TerminalCopy {
        terminal_bytes: osc52_sequence(&payload, multiplexer),
        outcome: CopyOutcome {
            route: multiplexer.route(),
            bytes: text.len(),
            file,
        },
    })
}

/// The one-line summary copied next to a spilled file's path stays short enough to paste.
const MAX_SUMMARY_WIDTH: usize = 200;

/// The system clipboard, behind a trait so tests can stand in for it.
pub trait SystemClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
}

/// arboard, opened on first use and then kept: on X11 the copied text lives only as long as the
/// process that owns the selection keeps its clipboard handle.
#[derive(Default)]
pub struct ArboardClipboard {
    clipboard: Option<arboard::Clipboard>,
}

impl SystemClipboard for ArboardClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        if self.clipboard.is_none() {
            self.clipboard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        match self.clipboard.as_mut() {
            Some(clipboard) => clipboard.set_text(text).map_err(|e| e.to_string()),
            None => Err("no clipboard".to_string()),
        }
    }
}

/// The clipboard as the TUI uses it: one per session, held in the app state.
pub struct Clipboard<S: SystemClipboard = ArboardClipboard> {
    mode: ClipboardMode,
    env: ClipboardEnv,
    spill_dir: PathBuf,
    system: S,
}

impl Clipboard<ArboardClipboard> {
    pub fn new(mode: ClipboardMode, env: ClipboardEnv, spill_dir: PathBuf) -> Self {
        Self::with_system(mode, env, spill_dir, ArboardClipboard::default())
    }
}

impl<S: SystemClipboard> Clipboard<S> {
    pub fn with_system(
        mode: ClipboardMode,
        env: ClipboardEnv,
        spill_dir: PathBuf,
        system: S,
    ) -> Self {
        Self {
            mode,
            env,
            spill_dir,
            system,
        }
    }

    pub fn mode(&self) -> ClipboardMode {
        self.mode
    }

    /// Copies `text`; `summary` is one line describing it (used when the text must go to a file).
    pub fn copy(&mut self, text: &str, summary: &str) -> Result<TerminalCopy, ClipboardError> {
        match choose_route(self.mode, &self.env) {
            Route::Disabled => Ok(TerminalCopy {
                terminal_bytes: Vec::new(),
                outcome: CopyOutcome {
                    route: "none",
                    bytes: 0,
                    file: None,
                },
            }),
            Route::System => match self.system.set_text(text) {
                Ok(()) => Ok(TerminalCopy {
                    terminal_bytes: Vec::new(),
                    outcome: CopyOutcome {
                        route: "system",
                        bytes: text.len(),
                        file: None,
                    },
                }),
                Err(_) if self.mode == ClipboardMode::Auto => {
                    osc52_copy(&self.env, text, summary, &self.spill_dir)
                }
                Err(message) => Err(ClipboardError::System(message)),
            },
            Route::Osc52(_) => osc52_copy(&self.env, text, summary, &self.spill_dir),
        }
    }
}

/// Writes the evidence to a new file readable only by the user: it may hold secrets.
fn spill(dir: &Path, text: &str) -> Result<PathBuf, ClipboardError> {
    let failed = |source| ClipboardError::Spill {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let path = dir.join(format!("evidence-{stamp}-{pid}-{attempt}.txt"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(failed)?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 1000 => {
                attempt += 1;
            }
            Err(err) => return Err(failed(err)),
        }
    }
}

fn format_bytes(bytes: usize) -> String {
    let digits = bytes.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{grouped} bytes")
    }
}

#[cfg(test)]
mod tests;
