//! Every shipped keymap and theme loads cleanly, every file in `tests/invalid_configs/` fails
//! with its exact `file:line:col: message`, and damaged copies of the shipped files either load or
//! fail with a message naming the file (`STRATA_MUTANTS=1500` for a longer sweep).

mod common;

use common::{damage_toml, setting, Rng, TomlDamage};
use std::collections::BTreeSet;
use std::path::Path;

use strata::config::check_config_file;
use strata::keymap::key::VALID_KEYS_HELP;
use strata::keymap::{self, Action, Context, Keymap};
use strata::theme::{self, Slot, Theme};

const INVALID_DIR: &str = "tests/invalid_configs";

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
}

/// The palette names a theme built on `dark` can use, sorted as the message lists them.
fn dark_palette_names_with(extra: &[&str]) -> String {
    let text = std::fs::read_to_string("themes/dark.toml").unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    let mut names: BTreeSet<String> = table
        .get("palette")
        .and_then(toml::Value::as_table)
        .map(|palette| palette.keys().cloned().collect())
        .unwrap_or_default();
    names.extend(extra.iter().map(|s| s.to_string()));
    names.into_iter().collect::<Vec<_>>().join(", ")
}

fn expected_failures() -> Vec<(&'static str, String)> {
    let actions = names(Action::all(), Action::name);
    let contexts = names(Context::all(), Context::name);
    let slots = names(Slot::all(), Slot::name);
    let ansi =
        "black, red, green, yellow, blue, magenta, cyan, gray, darkgray, lightred, lightgreen, \
                lightyellow, lightblue, lightmagenta, lightcyan, white, reset";
    let dir = INVALID_DIR;
    vec![
        (
            "keymap_unknown_action.toml",
            format!("{dir}/keymap_unknown_action.toml:3:7: unknown action \"qiut\" (did you mean \"quit\"?); valid actions: {actions}; \"none\" unbinds the key"),
        ),
        (
            "keymap_unknown_key.toml",
            format!("{dir}/keymap_unknown_key.toml:3:1: unknown key \"ctlr-c\"; valid keys: {VALID_KEYS_HELP}"),
        ),
        (
            "keymap_unknown_context.toml",
            format!("{dir}/keymap_unknown_context.toml:2:2: unknown context \"alert\" (did you mean \"alerts\"?); valid contexts: {contexts}"),
        ),
        (
            "keymap_shifted_symbol.toml",
            format!("{dir}/keymap_shifted_symbol.toml:2:1: key \"shift-/\": terminals send the shifted character itself; write the character the key produces instead of shift-/"),
        ),
        (
            "keymap_duplicate_key.toml",
            format!("{dir}/keymap_duplicate_key.toml:4:1: key \"shift-g\" is already bound in [alerts] as \"G\" at 2:1"),
        ),
        (
            "keymap_action_not_a_string.toml",
            format!("{dir}/keymap_action_not_a_string.toml:2:7: expected an action name as a string, found an array"),
        ),
        (
            "keymap_syntax_error.toml",
            format!("{dir}/keymap_syntax_error.toml:2:12: invalid TOML: invalid basic string, expected `\"`"),
        ),
        (
            "keymap_context_not_a_table.toml",
            format!("{dir}/keymap_context_not_a_table.toml:2:10: [global] must be a table of \"key\" = \"action\" entries, found a string"),
        ),
        (
            "theme_unknown_slot.toml",
            format!("{dir}/theme_unknown_slot.toml:4:1: unknown style slot \"selction\" (did you mean \"selection\"?); valid style slots: {slots}"),
        ),
        (
            "theme_bad_hex.toml",
            format!("{dir}/theme_bad_hex.toml:2:10: bad colour \"#5fafgf\"; hex colours are written \"#rrggbb\""),
        ),
        (
            "theme_unknown_colour.toml",
            format!(
                "{dir}/theme_unknown_colour.toml:5:25: unknown colour \"acent\" (did you mean \"accent\"?); valid colours: {}, {ansi}, \"#rrggbb\", or an index 0-255",
                dark_palette_names_with(&[])
            ),
        ),
        (
            "theme_hidden_modifier.toml",
            format!("{dir}/theme_hidden_modifier.toml:2:50: unknown modifier \"hidden\"; valid modifiers: bold, dim, italic, underlined, slow_blink, rapid_blink, reversed, crossed_out"),
        ),
        (
            "theme_unknown_parent.toml",
            format!("{dir}/theme_unknown_parent.toml:1:12: unknown theme \"drak\" (did you mean \"dark\"?); valid themes: dark, light, high-contrast, or a path to a .toml file relative to this one"),
        ),
        (
            "theme_index_out_of_range.toml",
            format!("{dir}/theme_index_out_of_range.toml:2:15: colour index 256 is out of range; valid indexes: 0-255"),
        ),
        (
            "theme_unknown_field.toml",
            format!("{dir}/theme_unknown_field.toml:2:11: unknown style field \"foreground\"; valid style fields: fg, bg, modifiers"),
        ),
        (
            "theme_cycle_a.toml",
            format!("{dir}/theme_cycle_b.toml:2:12: theme inherits itself: \"theme_cycle_a.toml\" leads back here"),
        ),
        (
            "theme_cycle_b.toml",
            format!("{dir}/theme_cycle_a.toml:1:12: theme inherits itself: \"theme_cycle_b.toml\" leads back here"),
        ),
        (
            "theme_palette_shadows_ansi.toml",
            format!("{dir}/theme_palette_shadows_ansi.toml:2:1: palette entry \"red\" shadows the ANSI colour of that name; choose another name"),
        ),
        (
            "theme_unknown_top_level_key.toml",
            format!("{dir}/theme_unknown_top_level_key.toml:1:1: unknown top-level key \"theme\"; valid top-level keys: inherits, palette, styles"),
        ),
    ]
}

#[test]
fn every_invalid_config_fails_with_its_exact_location_and_message() {
    let mut failures = Vec::new();
    for (file, expected) in expected_failures() {
        let path = Path::new(INVALID_DIR).join(file);
        let specific = if file.starts_with("theme_") {
            theme::check_theme_file(&path)
        } else {
            keymap::check_keymap_file(&path)
        };
        for (how, result) in [
            ("check_config_file", check_config_file(&path)),
            ("specific", specific),
        ] {
            match result {
                Ok(summary) => {
                    failures.push(format!("{file} ({how}): unexpectedly valid: {summary}"))
                }
                Err(err) if err.to_string() != expected => failures.push(format!(
                    "{file} ({how}):\n     got: {err}\n  wanted: {expected}"
                )),
                Err(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_invalid_config_file_has_an_expectation() {
    let covered: BTreeSet<String> = expected_failures()
        .into_iter()
        .map(|(f, _)| f.to_string())
        .collect();
    let present: BTreeSet<String> = std::fs::read_dir(INVALID_DIR)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(present, covered);
}

#[test]
fn loading_by_path_reports_the_same_error() {
    let path = format!("{INVALID_DIR}/keymap_unknown_key.toml");
    let err = Keymap::load(Some(&path), None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with(&format!("{path}:3:1: unknown key \"ctlr-c\"")),
        "{err}"
    );
    let path = format!("{INVALID_DIR}/theme_bad_hex.toml");
    let err = Theme::load(Some(&path), None, false)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with(&format!("{path}:2:10: bad colour")),
        "{err}"
    );
}

/// Shipped files in `dir`, each of which must be a preset.
fn shipped_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_shipped_keymap_loads_cleanly() {
    let files = shipped_files("keymaps");
    let presets: BTreeSet<String> = keymap::PRESETS
        .iter()
        .map(|p| format!("{p}.toml"))
        .collect();
    assert_eq!(files.iter().cloned().collect::<BTreeSet<_>>(), presets);
    for file in &files {
        let path = Path::new("keymaps").join(file);
        let summary = check_config_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(summary.contains(": ok: keymap"), "{summary}");
    }
    for name in keymap::PRESETS {
        let keymap = Keymap::load(Some(name), None).unwrap_or_else(|e| panic!("{name}: {e}"));
        for context in Context::all() {
            assert!(
                !keymap.bindings_for(*context).is_empty(),
                "{name}: nothing bound in {context}"
            );
        }
    }
}

#[test]
fn every_shipped_theme_loads_cleanly() {
    let files = shipped_files("themes");
    let presets: BTreeSet<String> = theme::PRESETS.iter().map(|p| format!("{p}.toml")).collect();
    assert_eq!(files.iter().cloned().collect::<BTreeSet<_>>(), presets);
    for file in &files {
        let path = Path::new("themes").join(file);
        let summary = check_config_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(summary.contains(": ok: theme"), "{summary}");
    }
    for name in theme::PRESETS {
        for no_color in [false, true] {
            Theme::load(Some(name), None, no_color).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// What damaged copies of the shipped keymaps and themes are made of.
const CONFIG_DAMAGE: TomlDamage = TomlDamage {
    numbers: &[
        "0",
        "255",
        "256",
        "-1",
        "1e9",
        "99999999999999999999",
        "\"12\"",
    ],
    strings: &[
        "",
        "ctrl-",
        "ctrl-alt-shift-f99",
        "\u{1b}",
        "none_such_action",
        "top",
        "#zzzzzz",
        "#fff",
        "lightred",
        "bold",
        "dark",
        "themes/dark.toml",
        "\u{202e}",
    ],
    lines: &[
        "[global]",
        "[nowhere]",
        "[styles]",
        "[palette]",
        "inherits = \"light\"",
        "inherits = \"high-contrast\"",
        "\"x\" = 7",
        "alert = { fg = \"fg\", modifiers = [\"blink\", \"nope\"] }",
        "fg = \"fg\"",
    ],
};

/// Damaged copies of every shipped keymap and theme either load or fail with diagnostics that
/// name the file and say what is wrong; none panics.
#[test]
fn damaged_keymaps_and_themes_load_or_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut loaded, mut refused) = (0, 0);
    for (f, folder) in ["keymaps", "themes"].iter().enumerate() {
        let mut files: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for (n, path) in files.iter().enumerate() {
            let original = std::fs::read_to_string(path).unwrap();
            for m in 0..setting("STRATA_MUTANTS", 40) {
                let mut draw = Rng::new(((f as u64) << 40) ^ ((n as u64) << 32) ^ m);
                let file = dir.path().join(format!(
                    "{m}-{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(&file, damage_toml(&original, &mut draw, &CONFIG_DAMAGE)).unwrap();
                let result = if *folder == "keymaps" {
                    Keymap::from_file(&file).map(|_| ())
                } else {
                    Theme::from_file(&file, false).map(|_| ())
                };
                match result {
                    Ok(()) => loaded += 1,
                    Err(e) => {
                        refused += 1;
                        let text = e.to_string();
                        assert!(
                            text.contains(&*file.file_name().unwrap().to_string_lossy()),
                            "{text}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        loaded > 20 && refused > 20,
        "loaded {loaded}, refused {refused}"
    );
}
