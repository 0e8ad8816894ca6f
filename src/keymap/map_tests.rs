use super::*;
use crossterm::event::KeyCode;

fn press(name: &str) -> KeyEvent {
    KeyBinding::parse(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into()
}

fn preset(name: &str) -> Keymap {
    Keymap::preset(name).unwrap_or_else(|e| panic!("{e}"))
}

fn from_text(text: &str) -> Result<Keymap, ConfigError> {
    Keymap::from_source(&ConfigSource::builtin("keymap.toml", text))
}

fn error_text(text: &str) -> String {
    from_text(text)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[test]
fn every_preset_loads() {
    for name in PRESETS {
        let keymap = preset(name);
        assert_eq!(keymap.description(), *name);
    }
}

#[test]
fn context_binding_wins_and_global_is_the_fallback() {
    let keymap = preset("default");
    assert_eq!(
        keymap.resolve(Context::Alerts, press("g")),
        Some(Action::ToggleGrouping)
    );
    assert_eq!(
        keymap.resolve(Context::Alerts, press("q")),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap.resolve(Context::Help, press("q")),
        Some(Action::Back)
    );
    assert_eq!(
        keymap.resolve(Context::Timeline, press("z")),
        Some(Action::ZoomIn)
    );
    assert_eq!(
        keymap.resolve(Context::Timeline, press("Z")),
        Some(Action::ZoomOut)
    );
    assert_eq!(
        keymap.resolve(Context::Alerts, press("G")),
        Some(Action::Bottom)
    );
    assert_eq!(
        keymap.resolve(Context::Alerts, press("shift-g")),
        Some(Action::Bottom)
    );
    assert_eq!(keymap.resolve(Context::Global, press("x")), None);
}

#[test]
fn terminal_shift_reports_resolve_like_the_named_key() {
    let keymap = preset("default");
    let shifted = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert_eq!(keymap.resolve(Context::Alerts, shifted), Some(Action::Help));
    let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        keymap.resolve(Context::Alerts, backtab),
        Some(Action::PrevView)
    );
}

#[test]
fn typed_characters_stay_text_in_inputs() {
    let keymap = preset("default");
    for typed in ["q", "j", "G", "/", "1", "space"] {
        assert_eq!(
            keymap.resolve(Context::FilterInput, press(typed)),
            None,
            "{typed}"
        );
    }
    assert_eq!(
        keymap.resolve(Context::FilterInput, press("ctrl-c")),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap.resolve(Context::FilterInput, press("esc")),
        Some(Action::Cancel)
    );
    assert_eq!(
        keymap.resolve(Context::ExportPrompt, press("tab")),
        Some(Action::CycleFormat)
    );
}

#[test]
fn vim_and_arrows_override_per_key() {
    let vim = preset("vim");
    assert_eq!(vim.resolve(Context::Alerts, press("g")), Some(Action::Top));
    assert_eq!(
        vim.resolve(Context::Alerts, press("=")),
        Some(Action::ToggleGrouping)
    );
    assert_eq!(
        vim.resolve(Context::Requests, press("ctrl-d")),
        Some(Action::HalfPageDown)
    );
    assert_eq!(
        vim.resolve(Context::Requests, press("j")),
        Some(Action::MoveDown)
    );

    let arrows = preset("arrows");
    for letter in ["j", "k", "h", "l", "G"] {
        assert_eq!(
            arrows.resolve(Context::Alerts, press(letter)),
            None,
            "{letter}"
        );
    }
    assert_eq!(
        arrows.resolve(Context::Alerts, press("down")),
        Some(Action::MoveDown)
    );
    assert_eq!(
        arrows.resolve(Context::Alerts, press("/")),
        Some(Action::Filter)
    );
    assert_eq!(
        arrows.keys_for(Context::Alerts, Action::MoveDown),
        [KeyBinding::parse("down").unwrap_or_else(|_| panic!())]
    );
}

#[test]
fn unbinding_in_a_context_blocks_the_global_fallback() {
    let keymap = from_text("[alerts]\n\"q\" = \"none\"\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keymap.resolve(Context::Alerts, press("q")), None);
    assert_eq!(
        keymap.resolve(Context::Requests, press("q")),
        Some(Action::Quit)
    );
    let alerts = keymap.bindings_for(Context::Alerts);
    assert!(!alerts.iter().any(|(key, _, _)| key == "q"));
    assert_eq!(
        keymap.hint(Context::Alerts, Action::Quit).as_deref(),
        Some("ctrl-c")
    );
}

#[test]
fn user_file_is_layered_last() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = "[global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n";
    std::fs::write(dir.path().join(USER_KEYMAP_FILE), text).unwrap_or_else(|e| panic!("{e}"));
    let keymap = Keymap::load(Some("vim"), Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        keymap.resolve(Context::Alerts, press("x")),
        Some(Action::Quit)
    );
    assert_eq!(keymap.resolve(Context::Alerts, press("q")), None);
    assert_eq!(
        keymap.resolve(Context::Alerts, press("g")),
        Some(Action::Top)
    );
    assert!(keymap.description().starts_with("vim + "));

    let missing = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let keymap = Keymap::load(None, Some(missing.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keymap.description(), "default");
}

#[test]
fn keymap_file_by_path() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "[global]\n\"x\" = \"help\"\n").unwrap_or_else(|e| panic!("{e}"));
    let keymap = Keymap::load(path.to_str(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        keymap.resolve(Context::Alerts, press("x")),
        Some(Action::Help)
    );
    assert_eq!(
        keymap.resolve(Context::Alerts, press("q")),
        Some(Action::Quit)
    );
}

#[test]
fn unknown_preset_suggests_a_name() {
    let err = Keymap::load(Some("vmi"), None).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "unknown keymap \"vmi\" (did you mean \"vim\"?); valid keymaps: default, vim, arrows, \
             or a path to a .toml file"
        )
    );
}

#[test]
fn bindings_list_own_keys_then_reachable_global_keys() {
    let keymap = preset("default");
    let bindings = keymap.bindings_for(Context::Alerts);
    let position = |label: &str| bindings.iter().position(|(key, _, _)| key == label);
    let grouping = position("g").unwrap_or(usize::MAX);
    let quit = position("q").unwrap_or(usize::MAX);
    assert!(grouping < quit, "own bindings come first");
    assert!(bindings.contains(&(
        "g".into(),
        Action::ToggleGrouping,
        Action::ToggleGrouping.description()
    )));
    let help = keymap.bindings_for(Context::Help);
    assert!(help.contains(&("q".into(), Action::Back, Action::Back.description())));
    assert!(!help
        .iter()
        .any(|(key, action, _)| key == "q" && *action == Action::Quit));
    let filter = keymap.bindings_for(Context::FilterInput);
    assert!(
        !filter.iter().any(|(key, _, _)| key == "q"),
        "typed text never lists global letters"
    );
}

#[test]
fn hints_prefer_plain_characters() {
    let keymap = preset("default");
    assert_eq!(
        keymap.hint(Context::Alerts, Action::Quit).as_deref(),
        Some("q")
    );
    assert_eq!(
        keymap.hint(Context::Alerts, Action::MoveDown).as_deref(),
        Some("j")
    );
    assert_eq!(
        keymap.hint(Context::FilterInput, Action::Quit).as_deref(),
        Some("ctrl-c")
    );
    assert_eq!(keymap.hint(Context::Alerts, Action::ZoomIn), None);
}

#[test]
fn default_keymap_binds_every_action_except_deliberate_gaps() {
    let keymap = preset("default");
    let deliberately_unbound = [Action::ClearMarks, Action::HalfPageUp, Action::HalfPageDown];
    for action in Action::all() {
        let bound = Context::all()
            .iter()
            .any(|ctx| !keymap.keys_for(*ctx, *action).is_empty());
        assert_eq!(bound, !deliberately_unbound.contains(action), "{action}");
    }
}

#[test]
fn every_problem_is_reported_with_its_location() {
    let text = "[global]\n\"q\" = \"qiut\"\n\"ctlr-c\" = \"quit\"\n\n[alert]\n\"x\" = \"help\"\n\n[alerts]\n\"G\" = \"top\"\n\"shift-g\" = \"bottom\"\n\"y\" = 5\n\"!\" = \"none\"\n\"shift-1\" = \"help\"\n";
    let expected = [
        "keymap.toml:2:7: unknown action \"qiut\" (did you mean \"quit\"?); valid actions: quit, help,",
        "keymap.toml:3:1: unknown key \"ctlr-c\"; valid keys: a single character",
        "keymap.toml:5:2: unknown context \"alert\" (did you mean \"alerts\"?); valid contexts: global, alerts,",
        "keymap.toml:10:1: key \"shift-g\" is already bound in [alerts] as \"G\" at 9:1",
        "keymap.toml:11:7: expected an action name as a string, found an integer",
        "keymap.toml:13:1: key \"shift-1\": terminals send the shifted character itself",
    ];
    let message = error_text(text);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{message}");
    for (line, prefix) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(prefix),
            "{line}\n  expected prefix: {prefix}"
        );
    }
}

#[test]
fn context_must_be_a_table() {
    assert_eq!(
        error_text("global = \"q\"\n"),
        "keymap.toml:1:10: [global] must be a table of \"key\" = \"action\" entries, found a string"
    );
}

#[test]
fn check_summarises_a_valid_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("keymap.toml");
    let text = "[global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n[alerts]\n\"z\" = \"top\"\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let summary = check_keymap_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary.ends_with(
            ": ok: keymap with 2 bindings and 1 unbinding in 2 contexts (global, alerts), layered on the default keymap"
        ),
        "{summary}"
    );
}
