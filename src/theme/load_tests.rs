use super::*;
use crate::theme::color::is_ansi16;
use ratatui::style::Modifier;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn error_of(result: Result<Theme, ConfigError>) -> String {
    result.err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn every_preset_loads_and_the_root_sets_every_slot() {
    for name in PRESETS {
        Theme::preset(name, false).unwrap_or_else(|e| panic!("{e}"));
    }
    let root = load_chain(ThemeRef::Preset(ROOT_PRESET.into())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(root.len(), 1);
    for slot in Slot::all() {
        assert!(
            root[0].styles.iter().any(|(s, _)| s == slot),
            "dark does not set {}",
            slot.name()
        );
    }
}

#[test]
fn high_contrast_uses_only_ansi16_colours() {
    let theme = Theme::preset("high-contrast", false).unwrap_or_else(|e| panic!("{e}"));
    for slot in Slot::all() {
        let style = theme.style(*slot);
        for color in [style.fg, style.bg].into_iter().flatten() {
            assert!(is_ansi16(color), "{} uses {color:?}", slot.name());
        }
    }
}

#[test]
fn light_recolours_inherited_styles_through_the_palette() {
    let dark = Theme::preset("dark", false).unwrap_or_else(|e| panic!("{e}"));
    let light = Theme::preset("light", false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dark.style(Slot::Base).fg, Some(Color::Indexed(252)));
    assert_eq!(light.style(Slot::Base).fg, Some(Color::Indexed(235)));
    assert_eq!(light.style(Slot::Selection).add_modifier, Modifier::BOLD);
    assert_eq!(light.description(), "dark > light");
}

#[test]
fn no_color_keeps_modifiers_and_emphasis_only() {
    let theme = Theme::preset("dark", true).unwrap_or_else(|e| panic!("{e}"));
    assert!(theme.is_no_color());
    for slot in Slot::all() {
        let style = theme.style(*slot);
        assert_eq!((style.fg, style.bg), (None, None), "{}", slot.name());
        assert!(style.add_modifier.contains(slot.monochrome_emphasis()));
    }
    let selection = theme.style(Slot::Selection).add_modifier;
    assert!(selection.contains(Modifier::REVERSED | Modifier::BOLD));
    assert_eq!(
        Theme::monochrome().style(Slot::Selection),
        Style::new().add_modifier(Modifier::REVERSED)
    );
}

#[test]
fn user_file_overrides_per_slot_on_the_named_theme() {
    let dir = tempdir();
    write(dir.path(), USER_THEME_FILE, "inherits = \"high-contrast\"\n[palette]\nhot = \"#ff0000\"\n[styles]\nborder = \"hot\"\nbase = { fg = 33 }\n");
    let theme =
        Theme::load(Some("light"), Some(dir.path()), false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(theme.style(Slot::Border).fg, Some(Color::Rgb(255, 0, 0)));
    assert_eq!(theme.style(Slot::Base).fg, Some(Color::Indexed(33)));
    assert_eq!(
        theme.style(Slot::Dim).fg,
        Some(Color::Indexed(242)),
        "rest stays light"
    );
    assert!(theme.description().starts_with("dark > light > "));

    let theme = Theme::load(None, Some(dir.path()), false).unwrap_or_else(|e| panic!("{e}"));
    assert!(theme.description().starts_with("dark > high-contrast > "));
    assert_eq!(theme.style(Slot::Dim).fg, Some(Color::DarkGray));
}

#[test]
fn no_user_file_means_dark() {
    let dir = tempdir();
    let theme = Theme::load(None, Some(dir.path()), false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(theme.description(), "dark");
}

#[test]
fn files_inherit_relative_files_and_cycles_are_caught() {
    let dir = tempdir();
    write(
        dir.path(),
        "base.toml",
        "inherits = \"light\"\n[palette]\nmine = 1\n",
    );
    let child = write(
        dir.path(),
        "child.toml",
        "inherits = \"base.toml\"\n[styles]\nbase = \"mine\"\n",
    );
    let theme = Theme::from_file(&child, false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(theme.style(Slot::Base).fg, Some(Color::Indexed(1)));

    let a = write(dir.path(), "a.toml", "inherits = \"b.toml\"\n");
    write(dir.path(), "b.toml", "\ninherits = \"a.toml\"\n");
    let message = error_of(Theme::from_file(&a, false));
    assert!(
        message.ends_with("b.toml:2:12: theme inherits itself: \"a.toml\" leads back here"),
        "{message}"
    );
}

#[test]
fn every_problem_is_reported_with_its_location() {
    let dir = tempdir();
    let text = "colours = 1\n[palette]\nred = 1\nhot = \"#ff00zz\"\nwarm = \"orange\"\nbig = 300\n[styles]\nselction = \"hot\"\nbase = { fgg = \"red\", modifiers = [\"blod\", 3] }\ndim = { fg = \"acent\" }\nborder = true\n";
    let path = write(dir.path(), "theme.toml", text);
    let message = error_of(Theme::from_file(&path, false));
    let name = path.display().to_string();
    let expected = [
        "1:1: unknown top-level key \"colours\"; valid top-level keys: inherits, palette, styles",
        "3:1: palette entry \"red\" shadows the ANSI colour of that name; choose another name",
        "4:7: bad colour \"#ff00zz\"; hex colours are written \"#rrggbb\"",
        "5:8: bad colour \"orange\" for palette entry \"warm\"; palette entries take an ANSI colour name (black, red,",
        "6:7: colour index 300 is out of range; valid indexes: 0-255",
        "8:1: unknown style slot \"selction\" (did you mean \"selection\"?); valid style slots: base, dim,",
        "9:10: unknown style field \"fgg\" (did you mean \"fg\"?); valid style fields: fg, bg, modifiers",
        "9:36: unknown modifier \"blod\" (did you mean \"bold\"?); valid modifiers: bold, dim, italic,",
        "9:44: expected a modifier name, found an integer",
        "11:10: expected a style table { fg, bg, modifiers } or a colour, found a boolean",
    ];
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{message}");
    for (line, suffix) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(&format!("{name}:{suffix}")),
            "{line}\n  expected: {suffix}"
        );
    }
}

#[test]
fn unknown_colour_names_are_resolved_late_and_located() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "t.toml",
        "[palette]\naccent2 = 1\n[styles]\ndim = { fg = \"acent\" }\n",
    );
    let message = error_of(Theme::from_file(&path, false));
    assert!(
        message.contains(":4:14: unknown colour \"acent\" (did you mean \"accent\"?); valid colours: accent, accent2,"),
        "{message}"
    );
    assert!(
        message.ends_with("white, reset, \"#rrggbb\", or an index 0-255"),
        "{message}"
    );
}

#[test]
fn unknown_names_and_parents() {
    assert_eq!(
        error_of(Theme::load(Some("drak"), None, false)),
        "unknown theme \"drak\" (did you mean \"dark\"?); valid themes: dark, light, high-contrast, or a path to a .toml file"
    );
    let dir = tempdir();
    let path = write(dir.path(), "t.toml", "inherits = \"ligth\"\n");
    let message = error_of(Theme::from_file(&path, false));
    assert!(message.ends_with(":1:12: unknown theme \"ligth\" (did you mean \"light\"?); valid themes: dark, light, high-contrast, or a path to a .toml file relative to this one"), "{message}");
}

#[test]
fn check_summarises_a_valid_file() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "t.toml",
        "inherits = \"light\"\n[palette]\nx = 1\n[styles]\nbase = \"x\"\n",
    );
    let summary = check_theme_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary.ends_with(&format!(
            ": ok: theme dark > light > {}; sets 1 of {} styles and 1 palette colours",
            path.display(),
            Slot::all().len()
        )),
        "{summary}"
    );
}
