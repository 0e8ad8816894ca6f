//! The resolved theme: an inheritance chain of theme files, merged per slot, turned into
//! ratatui [`Style`]s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Style};
use toml::Spanned;

use super::color::{ansi_color, COLOR_FORMS_HELP};
use super::layer::{ansi_names, parse_layer, ColorRef, StyleSpec, ThemeLayer};
use super::slot::Slot;
use crate::config::{unknown_value_message, ConfigError, ConfigSource, Diagnostics};

/// Names of the shipped themes.
pub const PRESETS: &[&str] = &["dark", "light", "high-contrast"];

/// The file in the user's config directory that is applied on top of the chosen theme.
pub const USER_THEME_FILE: &str = "theme.toml";

/// Every chain ends here: a file without `inherits` inherits this preset, so a user theme that
/// sets three slots still has all the others.
const ROOT_PRESET: &str = "dark";

fn preset_source(name: &str) -> Option<ConfigSource> {
    let (file, text) = match name {
        "dark" => ("themes/dark.toml", include_str!("../../themes/dark.toml")),
        "light" => ("themes/light.toml", include_str!("../../themes/light.toml")),
        "high-contrast" => (
            "themes/high-contrast.toml",
            include_str!("../../themes/high-contrast.toml"),
        ),
        _ => return None,
    };
    Some(ConfigSource::builtin(file, text))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ThemeRef {
    Preset(String),
    File(PathBuf),
}

impl ThemeRef {
    fn from_name_or_path(name_or_path: &str) -> Result<Self, ConfigError> {
        if PRESETS.contains(&name_or_path) {
            return Ok(ThemeRef::Preset(name_or_path.to_string()));
        }
        let path = Path::new(name_or_path);
        if name_or_path.ends_with(".toml") || name_or_path.contains('/') || path.is_file() {
            return Ok(ThemeRef::File(path.to_path_buf()));
        }
        Err(ConfigError::UnknownPreset {
            kind: "theme",
            name: name_or_path.to_string(),
            choices: PRESETS.join(", "),
        })
    }

    /// Identity for cycle detection: two spellings of one file are the same theme.
    fn identity(&self) -> String {
        match self {
            ThemeRef::Preset(name) => format!("preset:{name}"),
            ThemeRef::File(path) => {
                let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
                format!("file:{}", canonical.display())
            }
        }
    }

    fn source(&self) -> Result<ConfigSource, ConfigError> {
        match self {
            ThemeRef::Preset(name) => {
                preset_source(name).ok_or_else(|| ConfigError::UnknownPreset {
                    kind: "theme",
                    name: name.clone(),
                    choices: PRESETS.join(", "),
                })
            }
            ThemeRef::File(path) => ConfigSource::read(path),
        }
    }
}

/// Styles for every [`Slot`].
#[derive(Debug, Clone)]
pub struct Theme {
    styles: Vec<Style>,
    description: String,
    no_color: bool,
}

impl Theme {
    /// Builds the theme the TUI runs with.
    ///
    /// `name_or_path` is a preset (`dark`, `light`, `high-contrast`) or a theme file. When
    /// `user_config_dir` holds a `theme.toml`, it is applied last, per slot; its own `inherits`
    /// chooses the base only when `name_or_path` is `None`. With `no_color` (see
    /// [`no_color_from_env`]) every style keeps only modifiers.
    pub fn load(
        name_or_path: Option<&str>,
        user_config_dir: Option<&Path>,
        no_color: bool,
    ) -> Result<Self, ConfigError> {
        let user_file = user_config_dir
            .map(|dir| dir.join(USER_THEME_FILE))
            .filter(|path| path.is_file());
        let chain = match (name_or_path, user_file) {
            (Some(name), user_file) => {
                let mut chain = load_chain(ThemeRef::from_name_or_path(name)?)?;
                if let Some(path) = user_file {
                    // The user file's own parents are still loaded, so a typo in its `inherits`
                    // is reported rather than silently ignored.
                    if let Some(user_layer) = load_chain(ThemeRef::File(path))?.pop() {
                        chain.push(user_layer);
                    }
                }
                chain
            }
            (None, Some(path)) => load_chain(ThemeRef::File(path))?,
            (None, None) => load_chain(ThemeRef::Preset(ROOT_PRESET.to_string()))?,
        };
        resolve(&chain, no_color)
    }

    /// A shipped theme by name.
    pub fn preset(name: &str, no_color: bool) -> Result<Self, ConfigError> {
        resolve(&load_chain(ThemeRef::Preset(name.to_string()))?, no_color)
    }

    /// A theme file and the themes it inherits.
    pub fn from_file(path: &Path, no_color: bool) -> Result<Self, ConfigError> {
        resolve(&load_chain(ThemeRef::File(path.to_path_buf()))?, no_color)
    }

    /// No colours at all, only each slot's monochrome emphasis: what `NO_COLOR` looks like with
    /// a theme that sets no modifiers. Stable across theme edits, so good for snapshot tests.
    pub fn monochrome() -> Self {
        Self {
            styles: Slot::all()
                .iter()
                .map(|slot| Style::new().add_modifier(slot.monochrome_emphasis()))
                .collect(),
            description: "monochrome".to_string(),
            no_color: true,
        }
    }

    pub fn style(&self, slot: Slot) -> Style {
        self.styles.get(slot.index()).copied().unwrap_or_default()
    }

    /// The inheritance chain, for a status line or log: `dark > light > ~/.config/…/theme.toml`.
    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn is_no_color(&self) -> bool {
        self.no_color
    }
}

/// `NO_COLOR` set to anything non-empty (<https://no-color.org>).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

/// Checks one theme file and everything it inherits, as `strata check-config` does.
pub fn check_theme_file(path: &Path) -> Result<String, ConfigError> {
    let chain = load_chain(ThemeRef::File(path.to_path_buf()))?;
    let theme = resolve(&chain, false)?;
    let own = chain.last();
    let slots = own.map_or(0, |layer| layer.styles.len());
    let colours = own.map_or(0, |layer| layer.palette.len());
    Ok(format!(
        "{}: ok: theme {}; sets {slots} of {} styles and {colours} palette colours",
        path.display(),
        theme.description(),
        Slot::all().len(),
    ))
}

fn load_chain(start: ThemeRef) -> Result<Vec<ThemeLayer>, ConfigError> {
    let mut chain = Vec::new();
    let mut seen = Vec::new();
    let mut current = start;
    loop {
        seen.push(current.identity());
        let layer = parse_layer(current.source()?)?;
        let parent = match &layer.inherits {
            Some(name) => Some(resolve_parent(&layer.source, name)?),
            None if current == ThemeRef::Preset(ROOT_PRESET.to_string()) => None,
            None => Some(ThemeRef::Preset(ROOT_PRESET.to_string())),
        };
        if let (Some(parent), Some(name)) = (&parent, &layer.inherits) {
            if seen.contains(&parent.identity()) {
                let message = format!(
                    "theme inherits itself: \"{}\" leads back here",
                    name.get_ref()
                );
                return Err(layer
                    .source
                    .error(vec![layer.source.diagnostic(name.span(), message)]));
            }
        }
        chain.push(layer);
        match parent {
            Some(parent) => current = parent,
            None => break,
        }
    }
    chain.reverse();
    Ok(chain)
}

fn resolve_parent(source: &ConfigSource, name: &Spanned<String>) -> Result<ThemeRef, ConfigError> {
    if PRESETS.contains(&name.get_ref().as_str()) {
        return Ok(ThemeRef::Preset(name.get_ref().clone()));
    }
    let path = source.dir.as_ref().map(|dir| dir.join(name.get_ref()));
    if let Some(path) = path.filter(|p| p.is_file()) {
        return Ok(ThemeRef::File(path));
    }
    let mut message = unknown_value_message("theme", name.get_ref(), PRESETS.iter().copied());
    message.push_str(", or a path to a .toml file relative to this one");
    Err(source.error(vec![source.diagnostic(name.span(), message)]))
}

fn resolve(chain: &[ThemeLayer], no_color: bool) -> Result<Theme, ConfigError> {
    let palette: HashMap<&str, Color> = chain
        .iter()
        .flat_map(|layer| layer.palette.iter())
        .map(|(name, color)| (name.as_str(), *color))
        .collect();
    let mut palette_names: Vec<&str> = palette.keys().copied().collect();
    palette_names.sort_unstable();

    let mut styles: Vec<Option<Style>> = vec![None; Slot::all().len()];
    for layer in chain {
        let mut diagnostics = Diagnostics::new(&layer.source);
        for (slot, spec) in &layer.styles {
            let style = resolve_style(spec, &palette, &palette_names, &mut diagnostics);
            styles[slot.index()] = Some(style);
        }
        diagnostics.finish()?;
    }

    let styles = Slot::all()
        .iter()
        .zip(styles)
        .map(|(slot, style)| {
            let style = style.unwrap_or_default();
            if no_color {
                Style::new().add_modifier(style.add_modifier | slot.monochrome_emphasis())
            } else {
                style
            }
        })
        .collect();
    let description = chain
        .iter()
        .map(|layer| layer_label(&layer.source))
        .collect::<Vec<_>>()
        .join(" > ");
    Ok(Theme {
        styles,
        description,
        no_color,
    })
}

fn layer_label(source: &ConfigSource) -> String {
    match source.dir {
        None => source
            .name
            .trim_start_matches("themes/")
            .trim_end_matches(".toml")
            .to_string(),
        Some(_) => source.name.clone(),
    }
}

fn resolve_style(
    spec: &StyleSpec,
    palette: &HashMap<&str, Color>,
    palette_names: &[&str],
    diagnostics: &mut Diagnostics<'_>,
) -> Style {
    let mut style = Style::new().add_modifier(spec.modifiers);
    if let Some(fg) = spec.fg.as_ref() {
        if let Some(color) = resolve_color(fg, palette, palette_names, diagnostics) {
            style = style.fg(color);
        }
    }
    if let Some(bg) = spec.bg.as_ref() {
        if let Some(color) = resolve_color(bg, palette, palette_names, diagnostics) {
            style = style.bg(color);
        }
    }
    style
}

fn resolve_color(
    color: &ColorRef,
    palette: &HashMap<&str, Color>,
    palette_names: &[&str],
    diagnostics: &mut Diagnostics<'_>,
) -> Option<Color> {
    match color {
        ColorRef::Fixed(color) => Some(*color),
        ColorRef::Named { name, span } => {
            let found = palette
                .get(name.as_str())
                .copied()
                .or_else(|| ansi_color(name));
            if found.is_none() {
                let ansi = ansi_names();
                let choices = palette_names.iter().copied().chain(ansi.split(", "));
                let message = format!(
                    "{}, {COLOR_FORMS_HELP}",
                    unknown_value_message("colour", name, choices)
                );
                diagnostics.push(span.clone(), message);
            }
            found
        }
    }
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
