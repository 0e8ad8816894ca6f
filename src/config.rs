//! Reading and reporting on the TOML files that configure the TUI (keymaps, themes).
//!
//! Built-in presets and user files go through the same parser, so every run exercises it. Every
//! problem is reported as `file:line:col: message`, naming the offending value and the valid
//! choices, so a user can jump straight to the mistake (and `strata check-config` can list them all
//! before the TUI ever opens).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::DeTable;
use toml::Spanned;

/// The text of one configuration file and the name used for it in messages.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    /// Shown in front of every diagnostic: the path as the user gave it, or the preset's
    /// repository path for built-in files.
    pub name: String,
    /// Where relative references inside the file (such as a theme's `inherits`) are resolved;
    /// `None` for built-in files.
    pub dir: Option<PathBuf>,
    pub text: String,
}

impl ConfigSource {
    pub fn builtin(name: &str, text: &str) -> Self {
        Self {
            name: name.to_string(),
            dir: None,
            text: text.to_string(),
        }
    }

    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            name: path.display().to_string(),
            dir: path.parent().map(Path::to_path_buf),
            text,
        })
    }

    /// 1-based line and column (in characters, not bytes, so editors agree) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            line,
            column,
            message: message.into(),
        }
    }

    /// Parses the TOML syntax; a syntax error becomes a located diagnostic.
    pub fn parse(&self) -> Result<Spanned<DeTable<'_>>, ConfigError> {
        DeTable::parse(&self.text).map_err(|err| {
            let span = err.span().unwrap_or(0..0);
            let message = format!("invalid TOML: {}", err.message().trim_end());
            self.error(vec![self.diagnostic(span, message)])
        })
    }

    pub fn error(&self, mut diagnostics: Vec<Diagnostic>) -> ConfigError {
        diagnostics.sort_by_key(|d| (d.line, d.column));
        ConfigError::Invalid {
            file: self.name.clone(),
            diagnostics,
        }
    }
}

/// The user config folder: `$STRATA_CONFIG_DIR`, else `$XDG_CONFIG_HOME/strata`, else
/// `~/.config/strata`. It may hold `keymap.toml`, `theme.toml` and a `rules/` folder.
pub fn user_config_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("STRATA_CONFIG_DIR") {
        return Some(dir);
    }
    if let Some(xdg) = var("XDG_CONFIG_HOME") {
        return Some(xdg.join("strata"));
    }
    var("HOME").map(|home| home.join(".config").join("strata"))
}

/// Checks a keymap or theme file without opening the TUI (`strata check-config FILE`): the kind
/// comes from the file name (`keymap*.toml` or a `keymaps/` directory, `theme*.toml` or a
/// `themes/` directory), else from its top-level keys (a theme has `inherits`, `palette` or
/// `styles`). Returns a one-line summary of what the file sets.
pub fn check_config_file(path: &Path) -> Result<String, ConfigError> {
    if is_theme_file(path)? {
        crate::theme::check_theme_file(path)
    } else {
        crate::keymap::check_keymap_file(path)
    }
}

fn is_theme_file(path: &Path) -> Result<bool, ConfigError> {
    let named = |prefix: &str, dir: &str| {
        let file_name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
        let parent = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_lowercase());
        file_name.is_some_and(|n| n.starts_with(prefix)) || parent.as_deref() == Some(dir)
    };
    if named("theme", "themes") {
        return Ok(true);
    }
    if named("keymap", "keymaps") {
        return Ok(false);
    }
    let source = ConfigSource::read(path)?;
    let document = source.parse()?;
    let theme_keys = ["inherits", "palette", "styles"];
    Ok(document
        .get_ref()
        .keys()
        .any(|key| theme_keys.contains(&key.get_ref().as_ref())))
}

/// One problem at one place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Every problem found in one file, in file order; never empty.
    #[error("{}", InvalidDisplay { file, diagnostics })]
    Invalid {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A preset name that is neither built in nor an existing file.
    #[error(
        "unknown {kind} \"{name}\"{}; valid {kind}s: {choices}, or a path to a .toml file",
        did_you_mean(name, choices)
    )]
    UnknownPreset {
        kind: &'static str,
        name: String,
        choices: String,
    },
}

impl ConfigError {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ConfigError::Invalid { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}

struct InvalidDisplay<'a> {
    file: &'a str,
    diagnostics: &'a [Diagnostic],
}

impl fmt::Display for InvalidDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.file, d.line, d.column, d.message)?;
        }
        Ok(())
    }
}

/// Collects the problems of one file so a user sees all of them in one pass.
pub struct Diagnostics<'s> {
    source: &'s ConfigSource,
    items: Vec<Diagnostic>,
}

impl<'s> Diagnostics<'s> {
    pub fn new(source: &'s ConfigSource) -> Self {
        Self {
            source,
            items: Vec::new(),
        }
    }

    pub fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.items.push(self.source.diagnostic(span, message));
    }

    pub fn finish(self) -> Result<(), ConfigError> {
        if self.items.is_empty() {
            Ok(())
        } else {
            Err(self.source.error(self.items))
        }
    }
}

/// `unknown <what> "<value>" (did you mean "<x>"?); valid <what>s: a, b, c`
pub fn unknown_value_message<'a>(
    what: &str,
    value: &str,
    choices: impl IntoIterator<Item = &'a str>,
) -> String {
    let choices = choices.into_iter().collect::<Vec<_>>().join(", ");
    format!(
        "unknown {what} \"{value}\"{}; valid {what}s: {choices}",
        did_you_mean(value, &choices)
    )
}

/// The TOML type name used in "expected …, found …" messages.
pub fn type_name(value: &toml::de::DeValue<'_>) -> &'static str {
    use toml::de::DeValue;
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Table entries in file order: the parser stores them sorted by key, but a user reads top to
/// bottom and so should the checks that compare entries with each other.
pub fn entries_in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<toml::de::DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn did_you_mean(value: &str, choices: &str) -> String {
    let lowered = value.to_ascii_lowercase();
    let best = choices
        .split(", ")
        .map(|choice| (edit_distance(&lowered, choice), choice))
        .min_by_key(|(distance, _)| *distance);
    match best {
        Some((distance, choice)) if distance > 0 && distance <= (value.len() / 3).max(1) => {
            format!(" (did you mean \"{choice}\"?)")
        }
        _ => String::new(),
    }
}

/// Optimal-string-alignment distance: a swapped pair of letters ("qiut") counts as one typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let source = ConfigSource::builtin("x.toml", "a = 1\n\"é\" = \"q\"\n");
        assert_eq!(source.position(0), (1, 1));
        assert_eq!(source.position(6), (2, 1));
        // `=` after a two-byte character is the fifth character, not the sixth byte.
        let eq = source.text.rfind('=').unwrap_or_default();
        assert_eq!(source.position(eq), (2, 5));
    }

    #[test]
    fn syntax_errors_are_located() {
        let source = ConfigSource::builtin("bad.toml", "[global]\n\"q\" = \n");
        let err = source
            .parse()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("bad.toml:2:"), "{err}");
    }

    #[test]
    fn suggestions_only_for_close_names() {
        let msg = unknown_value_message("action", "qiut", ["quit", "help"]);
        assert_eq!(
            msg,
            "unknown action \"qiut\" (did you mean \"quit\"?); valid actions: quit, help"
        );
        let msg = unknown_value_message("action", "zzzzzz", ["quit", "help"]);
        assert_eq!(msg, "unknown action \"zzzzzz\"; valid actions: quit, help");
    }
}
