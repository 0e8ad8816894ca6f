//! `strata check-config`: validates keymap, theme, rule, keyword and CLI-action files without opening
//! the TUI, reporting every problem as `file:line:col: message`.

use crate::config::{check_config_file, user_config_dir};
use crate::detect;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn check_config(paths: &[PathBuf]) -> Result<ExitCode> {
    let targets: Vec<PathBuf> = if paths.is_empty() {
        match user_config_dir() {
            Some(dir) if dir.is_dir() => vec![dir],
            Some(dir) => {
                println!(
                    "no user config folder at {}; nothing to check",
                    dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            None => {
                println!("no user config folder (HOME is not set); nothing to check");
                return Ok(ExitCode::SUCCESS);
            }
        }
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for t in &targets {
        collect_toml(t, &mut files);
    }
    if files.is_empty() {
        println!("no .toml files under {}", display_list(&targets));
        return Ok(ExitCode::SUCCESS);
    }
    let mut failed = 0usize;
    for f in &files {
        match check_one(f) {
            Ok(summary) => println!("ok    {}  {}", f.display(), summary),
            Err(message) => {
                failed += 1;
                println!("{message}");
            }
        }
    }
    if failed > 0 {
        eprintln!("strata: {failed} of {} files have problems", files.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn check_one(path: &Path) -> Result<String, String> {
    if is_ui_config(path) {
        check_config_file(path).map_err(|e| e.to_string())
    } else {
        detect::check_file(path)
            .map(|()| "rules file".to_string())
            .map_err(|e| e.to_string())
    }
}

/// Keymaps and themes are named so (`keymap.toml`, `themes/x.toml`); every other TOML file is a
/// rule, keyword or CLI-action file.
fn is_ui_config(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.starts_with("keymap")
        || name.starts_with("theme")
        || parent == "keymaps"
        || parent == "themes"
}

fn collect_toml(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "toml") {
                collect_toml(&e, out);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
