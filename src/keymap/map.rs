//! The resolved keymap: shipped presets and user files, layered per key, looked up per context.

use std::collections::HashMap;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::de::DeValue;

use super::action::{Action, Context};
use super::key::{KeyBinding, KeyParseError, VALID_KEYS_HELP};
use crate::config::{
    entries_in_file_order, type_name, unknown_value_message, ConfigError, ConfigSource, Diagnostics,
};
use crate::ui::count::count_of;

/// Names of the shipped keymaps, in the order they are offered.
pub const PRESETS: &[&str] = &["default", "vim", "arrows"];

/// The file in the user's config directory that is layered on top of the chosen keymap.
pub const USER_KEYMAP_FILE: &str = "keymap.toml";

/// The value that removes a binding instead of naming an action.
const UNBIND: &str = "none";

/// Every keymap is layered on top of this one.
const DEFAULT_PRESET: &str = "default";

fn default_source() -> ConfigSource {
    ConfigSource::builtin(
        "keymaps/default.toml",
        include_str!("../../keymaps/default.toml"),
    )
}

fn preset_source(name: &str) -> Option<ConfigSource> {
    let (file, text) = match name {
        DEFAULT_PRESET => return Some(default_source()),
        "vim" => ("keymaps/vim.toml", include_str!("../../keymaps/vim.toml")),
        "arrows" => (
            "keymaps/arrows.toml",
            include_str!("../../keymaps/arrows.toml"),
        ),
        _ => return None,
    };
    Some(ConfigSource::builtin(file, text))
}

/// One parsed file: what it binds (`Some`) or unbinds (`None`), per context, in file order.
#[derive(Debug, Default)]
struct Layer {
    entries: Vec<(Context, KeyBinding, Option<Action>)>,
}

/// Keys resolved per context. Every keymap starts from the default preset; later layers change
/// only the keys they name.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// `None` marks a key unbound in that context: it must not fall back to the global binding,
    /// otherwise `"q" = "none"` in `[alerts]` would still quit.
    tables: HashMap<Context, HashMap<KeyBinding, Option<Action>>>,
    description: String,
}

impl Keymap {
    /// Builds the keymap the TUI runs with.
    ///
    /// `name_or_path` is a preset name (`default`, `vim`, `arrows`) or a path to a keymap file;
    /// `None` means `default`. Both presets and files are layered on top of `default`. When
    /// `user_config_dir` holds a `keymap.toml`, it is layered last, per key.
    pub fn load(
        name_or_path: Option<&str>,
        user_config_dir: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let mut keymap =
            Self::preset(name_or_path.unwrap_or(DEFAULT_PRESET)).or_else(|err| {
                match (name_or_path, err) {
                    (Some(candidate), ConfigError::UnknownPreset { .. })
                        if looks_like_path(candidate) =>
                    {
                        Self::from_file(Path::new(candidate))
                    }
                    (_, err) => Err(err),
                }
            })?;
        if let Some(dir) = user_config_dir {
            let user_file = dir.join(USER_KEYMAP_FILE);
            if user_file.is_file() {
                let source = ConfigSource::read(&user_file)?;
                keymap.apply(parse_layer(&source)?);
                keymap.description.push_str(&format!(" + {}", source.name));
            }
        }
        Ok(keymap)
    }

    /// A shipped keymap by name.
    pub fn preset(name: &str) -> Result<Self, ConfigError> {
        let source = preset_source(name).ok_or_else(|| unknown_preset(name))?;
        let mut keymap = Self::empty();
        if name != DEFAULT_PRESET {
            keymap.apply(parse_layer(&default_source())?);
        }
        keymap.apply(parse_layer(&source)?);
        keymap.description = name.to_string();
        Ok(keymap)
    }

    /// A keymap file layered on top of the default preset.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let source = ConfigSource::read(path)?;
        Self::from_source(&source)
    }

    /// A keymap given as text (for tests and embedded callers), layered on top of the default.
    pub fn from_source(source: &ConfigSource) -> Result<Self, ConfigError> {
        let layer = parse_layer(source)?;
        let mut keymap = Self::preset(DEFAULT_PRESET)?;
        keymap.apply(layer);
        keymap.description = format!("default + {}", source.name);
        Ok(keymap)
    }

    /// What was loaded, for a status line or log: `vim + ~/.config/strata/keymap.toml`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The action a key triggers in `context`, falling back to the global bindings.
    pub fn resolve(&self, context: Context, event: KeyEvent) -> Option<Action> {
        KeyBinding::from_event(&event).and_then(|key| self.resolve_key(context, key))
    }

    pub fn resolve_key(&self, context: Context, key: KeyBinding) -> Option<Action> {
        if let Some(bound) = self.tables.get(&context).and_then(|t| t.get(&key)) {
            return *bound;
        }
        if context == Context::Global || (context.is_text_input() && is_typed_text(key)) {
            return None;
        }
        self.tables
            .get(&Context::Global)
            .and_then(|t| t.get(&key))
            .copied()
            .flatten()
    }

    /// Every key that works in `context` as `(key label, action, description)`: the context's
    /// own bindings first, then the global ones it does not shadow, each group in
    /// [`Action::all`] order. Built from the live bindings, so help and hints cannot drift.
    pub fn bindings_for(&self, context: Context) -> Vec<(String, Action, &'static str)> {
        let own = self.table_bindings(context, context);
        let inherited = if context == Context::Global {
            Vec::new()
        } else {
            self.table_bindings(Context::Global, context)
        };
        own.into_iter()
            .chain(inherited)
            .map(|(key, action)| (key.to_string(), action, action.description()))
            .collect()
    }

    /// Keys that trigger `action` in `context`, best hint first (`j` before `down`).
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<KeyBinding> {
        let mut keys: Vec<KeyBinding> = [context, Context::Global]
            .into_iter()
            .filter_map(|ctx| self.tables.get(&ctx))
            .flat_map(|table| table.iter())
            .filter(|(key, bound)| {
                **bound == Some(action) && self.resolve_key(context, **key) == Some(action)
            })
            .map(|(key, _)| *key)
            .collect();
        keys.sort_by_key(|key| key.hint_rank());
        keys.dedup();
        keys
    }

    /// The label of the best key for `action` in `context`, for a status-bar hint.
    pub fn hint(&self, context: Context, action: Action) -> Option<String> {
        self.keys_for(context, action)
            .first()
            .map(ToString::to_string)
    }

    /// Bindings of `table` that actually take effect when pressed in `context`.
    fn table_bindings(&self, table: Context, context: Context) -> Vec<(KeyBinding, Action)> {
        let mut bindings: Vec<(KeyBinding, Action)> = self
            .tables
            .get(&table)
            .into_iter()
            .flat_map(|t| t.iter())
            .filter_map(|(key, bound)| bound.map(|action| (*key, action)))
            .filter(|(key, action)| self.resolve_key(context, *key) == Some(*action))
            .collect();
        bindings.sort_by_key(|(key, action)| (action.index(), key.hint_rank()));
        bindings
    }

    fn empty() -> Self {
        Self {
            tables: HashMap::new(),
            description: String::new(),
        }
    }

    fn apply(&mut self, layer: Layer) {
        for (context, key, bound) in layer.entries {
            let table = self.tables.entry(context).or_default();
            match bound {
                None if context == Context::Global => {
                    table.remove(&key);
                }
                bound => {
                    table.insert(key, bound);
                }
            }
        }
    }
}

/// Checks one keymap file as `strata check-config` does, without opening the TUI.
pub fn check_keymap_file(path: &Path) -> Result<String, ConfigError> {
    let source = ConfigSource::read(path)?;
    let layer = parse_layer(&source)?;
    let unbound = layer.entries.iter().filter(|(_, _, b)| b.is_none()).count();
    let mut contexts: Vec<Context> = layer.entries.iter().map(|(c, _, _)| *c).collect();
    contexts.sort();
    contexts.dedup();
    let context_names: Vec<&str> = contexts.iter().map(|c| c.name()).collect();
    Ok(format!(
        "{}: ok: keymap with {} and {} in {} ({}), layered on the default keymap",
        source.name,
        count_of(
            (layer.entries.len() - unbound) as u64,
            "binding",
            "bindings"
        ),
        count_of(unbound as u64, "unbinding", "unbindings"),
        count_of(contexts.len() as u64, "context", "contexts"),
        context_names.join(", ")
    ))
}

fn unknown_preset(name: &str) -> ConfigError {
    ConfigError::UnknownPreset {
        kind: "keymap",
        name: name.to_string(),
        choices: PRESETS.join(", "),
    }
}

fn looks_like_path(candidate: &str) -> bool {
    candidate.ends_with(".toml")
        || candidate.contains(std::path::MAIN_SEPARATOR)
        || candidate.contains('/')
        || Path::new(candidate).is_file()
}

/// A key that types a character in a text field rather than commanding the app.
fn is_typed_text(key: KeyBinding) -> bool {
    matches!(key.code(), KeyCode::Char(_)) && (key.modifiers() - KeyModifiers::SHIFT).is_empty()
}

fn parse_layer(source: &ConfigSource) -> Result<Layer, ConfigError> {
    let document = source.parse()?;
    let mut diagnostics = Diagnostics::new(source);
    let mut layer = Layer::default();
    let context_names = || Context::all().iter().map(|c| c.name());
    for (context_key, value) in entries_in_file_order(document.get_ref()) {
        let Some(context) = Context::from_name(context_key.get_ref()) else {
            let message = unknown_value_message("context", context_key.get_ref(), context_names());
            diagnostics.push(context_key.span(), message);
            continue;
        };
        let DeValue::Table(table) = value.get_ref() else {
            let message = format!(
                "[{context}] must be a table of \"key\" = \"action\" entries, found {}",
                type_name(value.get_ref())
            );
            diagnostics.push(value.span(), message);
            continue;
        };
        let mut seen: HashMap<KeyBinding, (String, usize)> = HashMap::new();
        for (key_name, bound) in entries_in_file_order(table) {
            let key = match KeyBinding::parse(key_name.get_ref()) {
                Ok(key) => key,
                Err(KeyParseError::Unknown) => {
                    let message = format!(
                        "unknown key \"{}\"; valid keys: {VALID_KEYS_HELP}",
                        key_name.get_ref()
                    );
                    diagnostics.push(key_name.span(), message);
                    continue;
                }
                Err(KeyParseError::ShiftedSymbol(c)) => {
                    let message = format!(
                        "key \"{}\": terminals send the shifted character itself; write the \
                         character the key produces instead of shift-{c}",
                        key_name.get_ref()
                    );
                    diagnostics.push(key_name.span(), message);
                    continue;
                }
            };
            if let Some((first_name, first_offset)) = seen.get(&key) {
                let (line, column) = source.position(*first_offset);
                let message = format!(
                    "key \"{}\" is already bound in [{context}] as \"{first_name}\" at {line}:{column}",
                    key_name.get_ref()
                );
                diagnostics.push(key_name.span(), message);
                continue;
            }
            seen.insert(key, (key_name.get_ref().to_string(), key_name.span().start));
            let Some(action_name) = bound.get_ref().as_str() else {
                let message = format!(
                    "expected an action name as a string, found {}",
                    type_name(bound.get_ref())
                );
                diagnostics.push(bound.span(), message);
                continue;
            };
            if action_name == UNBIND {
                layer.entries.push((context, key, None));
                continue;
            }
            match Action::from_name(action_name) {
                Some(action) => layer.entries.push((context, key, Some(action))),
                None => {
                    let names = Action::all().iter().map(|a| a.name());
                    let message = format!(
                        "{}; \"{UNBIND}\" unbinds the key",
                        unknown_value_message("action", action_name, names)
                    );
                    diagnostics.push(bound.span(), message);
                }
            }
        }
    }
    diagnostics.finish()?;
    Ok(layer)
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
