//! Getting evidence onto the analyst's clipboard where they are.
//!
//! Interim adapter until `crate::clipboard` (OSC 52 / arboard routes, landing on another branch)
//! is merged: OSC 52 written through the terminal (plain, plus tmux passthrough when inside tmux
//! and DCS chunks for GNU screen) whenever the session is remote or has no display, the local
//! clipboard otherwise; above the OSC 52 size cap the text goes to a file in the temporary folder
//! and its path is copied instead. Returns the toast text.

use crate::app::evidence::describe_bytes;
use crate::cli::ClipboardChoice;
use base64::Engine;
use std::io::Write;

/// Largest base64 payload sent through OSC 52 (what terminals and tmux accept reliably).
pub const OSC52_MAX_ENCODED: usize = 74_994;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    pub tmux: bool,
    pub screen: bool,
    pub remote: bool,
    pub display: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        Env {
            tmux: var("TMUX"),
            screen: term.starts_with("screen") && !var("TMUX"),
            remote: var("SSH_CONNECTION") || var("SSH_TTY") || var("SSH_CLIENT"),
            display: cfg!(any(target_os = "macos", windows))
                || var("DISPLAY")
                || var("WAYLAND_DISPLAY"),
        }
    }
}

/// The OSC 52 bytes for `text`, wrapped for the multiplexer in use.
pub fn osc52(text: &str, env: &Env) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{b64}\x07");
    let mut out = Vec::new();
    if env.screen {
        // GNU screen: DCS passthrough, in chunks below its string limit.
        let bytes = plain.as_bytes();
        for chunk in bytes.chunks(240) {
            out.extend_from_slice(b"\x1bP");
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\x1b\\");
        }
        return out;
    }
    // tmux stores plain OSC 52 in its paste buffer (set-clipboard on/external) and forwards it;
    // the passthrough copy reaches the outer terminal when only allow-passthrough is on.
    out.extend_from_slice(plain.as_bytes());
    if env.tmux {
        out.extend_from_slice(b"\x1bPtmux;");
        out.extend_from_slice(plain.replace('\x1b', "\x1b\x1b").as_bytes());
        out.extend_from_slice(b"\x1b\\");
    }
    out
}

fn spill_to_file(text: &str) -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir();
    for n in 0..1000u32 {
        let p = dir.join(format!("strata-evidence-{}-{n}.txt", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                return Ok(p);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "no free file name in the temporary folder",
    ))
}

fn via_osc52(text: &str, what: &str, env: &Env, out: &mut dyn Write) -> Result<String, String> {
    let encoded_len = text.len().div_ceil(3) * 4;
    if encoded_len > OSC52_MAX_ENCODED {
        let path = spill_to_file(text)
            .map_err(|e| format!("copy failed: cannot write the overflow file: {e}"))?;
        let summary = format!(
            "{what}: {} written to {}",
            describe_bytes(text.len()),
            path.display()
        );
        out.write_all(&osc52(&summary, env))
            .and_then(|_| out.flush())
            .map_err(|e| format!("copy failed: {e}"))?;
        return Ok(format!(
            "{} too large for OSC 52: saved to {} (path copied)",
            describe_bytes(text.len()),
            path.display()
        ));
    }
    out.write_all(&osc52(text, env))
        .and_then(|_| out.flush())
        .map_err(|e| format!("copy failed: {e}"))?;
    let how = if env.tmux {
        "OSC 52 via tmux"
    } else if env.screen {
        "OSC 52 via screen"
    } else {
        "OSC 52"
    };
    Ok(format!(
        "copied {what} ({}) by {how}",
        describe_bytes(text.len())
    ))
}

fn via_system(text: &str, what: &str) -> Result<String, String> {
    let mut cb = arboard::Clipboard::new().map_err(|e| e.to_string())?;
    cb.set_text(text.to_string()).map_err(|e| e.to_string())?;
    Ok(format!(
        "copied {what} ({}) to the system clipboard",
        describe_bytes(text.len())
    ))
}

/// Copies by the chosen route; `Ok` and `Err` are toast texts.
pub fn copy(
    text: &str,
    what: &str,
    choice: ClipboardChoice,
    env: &Env,
    out: &mut dyn Write,
) -> Result<String, String> {
    match choice {
        ClipboardChoice::None => Err("copying is off (--clipboard none)".to_string()),
        ClipboardChoice::Osc52 => via_osc52(text, what, env, out),
        ClipboardChoice::System => {
            via_system(text, what).map_err(|e| format!("system clipboard failed: {e}"))
        }
        ClipboardChoice::Auto if env.remote || !env.display => via_osc52(text, what, env, out),
        ClipboardChoice::Auto => {
            via_system(text, what).or_else(|_| via_osc52(text, what, env, out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(tmux: bool, screen: bool) -> Env {
        Env {
            tmux,
            screen,
            remote: true,
            display: false,
        }
    }

    #[test]
    fn osc52_is_wrapped_for_multiplexers() {
        assert_eq!(
            osc52("hi", &env(false, false)),
            b"\x1b]52;c;aGk=\x07".to_vec()
        );
        let t = String::from_utf8(osc52("hi", &env(true, false))).unwrap();
        assert!(t.starts_with("\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"));
        let s = String::from_utf8(osc52("hi", &env(false, true))).unwrap();
        assert_eq!(s, "\x1bP\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn remote_sessions_use_osc52_and_big_payloads_spill_to_a_file() {
        let mut out = Vec::new();
        let msg = copy(
            "evidence",
            "alert",
            ClipboardChoice::Auto,
            &env(false, false),
            &mut out,
        )
        .unwrap();
        assert!(msg.contains("OSC 52"), "{msg}");
        assert!(!out.is_empty());
        let big = "x".repeat(OSC52_MAX_ENCODED);
        let mut out = Vec::new();
        let msg = copy(
            &big,
            "raw",
            ClipboardChoice::Osc52,
            &env(false, false),
            &mut out,
        )
        .unwrap();
        assert!(msg.contains("saved to"), "{msg}");
        let path = msg
            .split("saved to ")
            .nth(1)
            .unwrap()
            .split(" (path")
            .next()
            .unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap().len(), big.len());
        let _ = std::fs::remove_file(path);
        assert!(copy(
            "x",
            "y",
            ClipboardChoice::None,
            &env(false, false),
            &mut Vec::new()
        )
        .is_err());
    }
}
