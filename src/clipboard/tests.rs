use super::*;

fn env(vars: &[(&str, &str)]) -> ClipboardEnv {
    ClipboardEnv::from_lookup(|name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    })
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// Records what reached the "system clipboard", or fails like a machine without one.
#[derive(Default)]
struct FakeSystem {
    copied: Vec<String>,
    broken: bool,
}

impl SystemClipboard for &mut FakeSystem {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        if self.broken {
            return Err("no X server".to_string());
        }
        self.copied.push(text.to_string());
        Ok(())
    }
}

fn copy_with(
    mode: ClipboardMode,
    vars: &[(&str, &str)],
    system: &mut FakeSystem,
    text: &str,
) -> Result<TerminalCopy, ClipboardError> {
    let dir = tempdir();
    let mut clipboard = Clipboard::with_system(mode, env(vars), dir.path().to_path_buf(), system);
    clipboard.copy(text, "summary")
}

#[test]
fn environment_capture_ignores_empty_values() {
    let captured = env(&[
        ("TMUX", ""),
        ("TERM", "xterm-256color"),
        ("DISPLAY", ":0"),
        ("SSH_TTY", ""),
    ]);
    assert_eq!(
        captured,
        ClipboardEnv {
            tmux: false,
            term: Some("xterm-256color".into()),
            display: true,
            wayland_display: false,
            ssh: false,
        }
    );
    assert!(captured.has_local_clipboard());
}

#[test]
fn multiplexer_detection() {
    assert_eq!(
        env(&[("TMUX", "/tmp/tmux-1/default,1,0")]).multiplexer(),
        Multiplexer::Tmux
    );
    assert_eq!(
        env(&[("TMUX", "/tmp/t"), ("TERM", "screen-256color")]).multiplexer(),
        Multiplexer::Tmux
    );
    assert_eq!(
        env(&[("TERM", "tmux-256color")]).multiplexer(),
        Multiplexer::Tmux
    );
    assert_eq!(
        env(&[("TERM", "screen.xterm-256color")]).multiplexer(),
        Multiplexer::Screen
    );
    assert_eq!(
        env(&[("TERM", "xterm-kitty")]).multiplexer(),
        Multiplexer::None
    );
    assert_eq!(env(&[]).multiplexer(), Multiplexer::None);
}

#[test]
fn route_choice() {
    let local = env(&[("DISPLAY", ":0")]);
    let wayland = env(&[("WAYLAND_DISPLAY", "wayland-0")]);
    let forwarded_x = env(&[
        ("DISPLAY", "localhost:10.0"),
        ("SSH_CONNECTION", "10.0.0.1 5 10.0.0.2 22"),
    ]);
    let ssh_tmux = env(&[("SSH_TTY", "/dev/pts/3"), ("TMUX", "/tmp/t")]);
    let headless = env(&[("TERM", "screen")]);
    assert_eq!(choose_route(ClipboardMode::Auto, &local), Route::System);
    assert_eq!(choose_route(ClipboardMode::Auto, &wayland), Route::System);
    assert_eq!(
        choose_route(ClipboardMode::Auto, &forwarded_x),
        Route::Osc52(Multiplexer::None)
    );
    assert_eq!(
        choose_route(ClipboardMode::Auto, &ssh_tmux),
        Route::Osc52(Multiplexer::Tmux)
    );
    assert_eq!(
        choose_route(ClipboardMode::Auto, &headless),
        Route::Osc52(Multiplexer::Screen)
    );
    assert_eq!(
        choose_route(ClipboardMode::Osc52, &local),
        Route::Osc52(Multiplexer::None)
    );
    assert_eq!(
        choose_route(ClipboardMode::System, &ssh_tmux),
        Route::System
    );
    assert_eq!(choose_route(ClipboardMode::None, &local), Route::Disabled);
}

#[test]
fn auto_with_a_local_display_uses_only_the_system_clipboard() {
    let mut system = FakeSystem::default();
    let copy = copy_with(
        ClipboardMode::Auto,
        &[("DISPLAY", ":0")],
        &mut system,
        "arn:aws:iam::1:user/a",
    );
    let copy = copy.unwrap_or_else(|e| panic!("{e}"));
    assert!(copy.terminal_bytes.is_empty());
    assert_eq!(
        copy.outcome,
        CopyOutcome {
            route: "system",
            bytes: 21,
            file: None
        }
    );
    assert_eq!(system.copied, ["arn:aws:iam::1:user/a"]);
}

#[test]
fn auto_over_ssh_never_touches_the_remote_display() {
    let mut system = FakeSystem::default();
    let vars = [
        ("DISPLAY", "localhost:10.0"),
        ("SSH_CONNECTION", "a"),
        ("TMUX", "/tmp/t"),
    ];
    let copy =
        copy_with(ClipboardMode::Auto, &vars, &mut system, "hi").unwrap_or_else(|e| panic!("{e}"));
    assert!(system.copied.is_empty());
    assert_eq!(copy.terminal_bytes, osc52_sequence("hi", Multiplexer::Tmux));
    assert_eq!(copy.outcome.route, "osc52+tmux");
}

#[test]
fn auto_falls_back_to_osc52_when_the_system_clipboard_fails() {
    let mut system = FakeSystem {
        broken: true,
        ..FakeSystem::default()
    };
    let copy = copy_with(ClipboardMode::Auto, &[("DISPLAY", ":0")], &mut system, "hi");
    let copy = copy.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copy.terminal_bytes, b"\x1b]52;c;aGk=\x07");
    assert_eq!(copy.outcome.route, "osc52");

    let forced = copy_with(
        ClipboardMode::System,
        &[("DISPLAY", ":0")],
        &mut system,
        "hi",
    );
    let message = forced.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "system clipboard unavailable: no X server (try --clipboard osc52)"
    );
}

#[test]
fn disabled_copies_nothing() {
    let mut system = FakeSystem::default();
    let copy = copy_with(ClipboardMode::None, &[("DISPLAY", ":0")], &mut system, "hi");
    let copy = copy.unwrap_or_else(|e| panic!("{e}"));
    assert!(copy.terminal_bytes.is_empty() && system.copied.is_empty());
    assert_eq!(
        copy.outcome.toast(),
        "Clipboard is off (--clipboard none): nothing copied"
    );
}

#[test]
fn payloads_at_the_cap_are_copied_whole() {
    let dir = tempdir();
    // 56,244 bytes encode to 74,992 base64 bytes: the largest payload within the cap.
    let text = "a".repeat(56_244);
    let copy = osc52_copy(&env(&[]), &text, "s", dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copy.outcome.file, None);
    assert_eq!(
        copy.terminal_bytes,
        osc52_sequence(&text, Multiplexer::None)
    );
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(Iterator::count)
            .unwrap_or(99),
        0
    );
}

#[test]
fn payloads_over_the_cap_go_to_a_file_and_the_path_is_copied() {
    let dir = tempdir();
    let spill_dir = dir.path().join("state").join("evidence");
    let text = "b".repeat(56_245);
    let summary = "alert: 3 events\nfrom user/alice";
    let copy = osc52_copy(&env(&[("TERM", "screen")]), &text, summary, &spill_dir);
    let copy = copy.unwrap_or_else(|e| panic!("{e}"));
    let file = copy
        .outcome
        .file
        .clone()
        .unwrap_or_else(|| panic!("no spill file"));
    assert!(file.starts_with(&spill_dir));
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), text);
    let copied = format!("{}  # alert: 3 events\\nfrom user/alice", file.display());
    assert_eq!(
        copy.terminal_bytes,
        osc52_sequence(&copied, Multiplexer::Screen)
    );
    assert_eq!(copy.outcome.route, "osc52+screen");
    assert_eq!(copy.outcome.bytes, 56_245);
    assert!(copy
        .outcome
        .toast()
        .starts_with("Evidence (56,245 bytes) is too large for the clipboard: saved to "));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .map(|m| m.permissions().mode())
            .unwrap_or_default();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = osc52_copy(&env(&[]), &text, "s", &spill_dir).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(
        again.outcome.file, copy.outcome.file,
        "a second spill never overwrites the first"
    );
}

#[test]
fn toast_reports_size_and_route() {
    let outcome = CopyOutcome {
        route: "osc52+tmux",
        bytes: 1_234_567,
        file: None,
    };
    assert_eq!(outcome.toast(), "Copied 1,234,567 bytes via osc52+tmux");
    let outcome = CopyOutcome {
        route: "system",
        bytes: 1,
        file: None,
    };
    assert_eq!(outcome.toast(), "Copied 1 byte via system");
}

#[test]
fn mode_names_for_cli_and_config() {
    use clap::ValueEnum;
    let names: Vec<String> = ClipboardMode::value_variants()
        .iter()
        .filter_map(|m| m.to_possible_value().map(|v| v.get_name().to_string()))
        .collect();
    assert_eq!(names, ["auto", "osc52", "system", "none"]);
    let parsed: Result<ClipboardMode, _> = serde_json::from_str("\"osc52\"");
    assert_eq!(parsed.ok(), Some(ClipboardMode::Osc52));
}
