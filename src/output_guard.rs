//! strata never writes into the log set: output paths (scan `--output`, TUI exports) inside a folder
//! the user loaded logs from are refused.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// Folders that make up the log set: each input folder, and the folder of each input file.
pub fn log_set_folders(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs
        .iter()
        .filter_map(|i| i.canonicalize().ok())
        .filter_map(|c| {
            if c.is_dir() {
                Some(c)
            } else {
                c.parent().map(Path::to_path_buf)
            }
        })
        .collect()
}

pub fn refuse_inside_log_set(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(parent) = parent.canonicalize() else {
        return Ok(());
    };
    for dir in log_set_folders(inputs) {
        if parent.starts_with(&dir) {
            bail!(
                "refusing to write {} inside the log set folder {}; choose a path outside it",
                out.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_inside_inputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir_all(logs.join("sub")).unwrap();
        let inputs = vec![logs.clone()];
        assert!(refuse_inside_log_set(&logs.join("sub/out.json"), &inputs).is_err());
        assert!(refuse_inside_log_set(&logs.join("out.json"), &inputs).is_err());
        assert!(refuse_inside_log_set(&dir.path().join("out.json"), &inputs).is_ok());
    }
}
