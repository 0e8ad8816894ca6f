//! Errors in rule, keyword and CLI-class files, located as `file:line:col` with the valid choices.

use std::fmt;
use std::ops::Range;

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.col, self.message
            )
        }
    }
}

/// Every problem found while loading rules (all files are checked before giving up).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

impl RuleError {
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn single(file: &str, message: impl Into<String>) -> RuleError {
        RuleError {
            diagnostics: vec![Diagnostic {
                file: file.to_string(),
                line: 0,
                col: 0,
                message: message.into(),
            }],
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
/// Applies a built-in data file and then `file_name` from each user folder, in order, through
/// `merge`, collecting every problem: how keyword groups and CLI action classes are layered.
pub fn load_layered(
    user_dirs: &[std::path::PathBuf],
    file_name: &str,
    builtin: (&str, &str),
    mut merge: impl FnMut(&str, &str, &mut RuleError),
) -> Result<(), RuleError> {
    let mut errors = RuleError::default();
    merge(builtin.0, builtin.1, &mut errors);
    for dir in user_dirs {
        let path = dir.join(file_name);
        if !path.is_file() {
            continue;
        }
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(src) => merge(&name, &src, &mut errors),
            Err(e) => errors
                .diagnostics
                .extend(RuleError::single(&name, format!("cannot read: {e}")).diagnostics),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|p| p + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Collects diagnostics for one source text.
pub struct Reporter<'a> {
    pub file: &'a str,
    pub src: &'a str,
    pub out: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a str, src: &'a str) -> Reporter<'a> {
        Reporter {
            file,
            src,
            out: Vec::new(),
        }
    }

    pub fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, col) = line_col(self.src, span.start);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        });
    }

    pub fn whole(&mut self, message: impl Into<String>) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line: 0,
            col: 0,
            message: message.into(),
        });
    }

    pub fn toml(&mut self, err: &toml::de::Error) {
        let msg = err.message().trim_end().replace('\n', "; ");
        match err.span() {
            Some(span) => self.at(span, msg),
            None => self.whole(msg),
        }
    }

    pub fn is_clean(&self) -> bool {
        self.out.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let s = "a = 1\nbé = 2\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 6), (2, 1));
        assert_eq!(line_col(s, 9), (2, 3));
        assert_eq!(line_col(s, 999), (3, 1));
    }
}
