//! strata never writes into the log set: output paths (scan `--output`, TUI exports) inside a folder
//! the user loaded logs from are refused, wherever symbolic links along the way point, and so is
//! overwriting a file that other hard links share.

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

/// Symbolic links followed before giving up, as the kernel does (ELOOP).
const MAX_LINKS: usize = 40;

/// Where writing `out` would land: its links followed (a dangling one included, since writing
/// creates its target) and its folder made absolute. `None` when that folder does not exist, so
/// nothing could be written there anyway.
fn landing_path(out: &Path) -> Option<PathBuf> {
    let mut path = out.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path).ok()?;
                path = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => break,
        }
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// The log-set folder writing `out` would land in, if any.
pub fn inside_log_set(out: &Path, inputs: &[PathBuf]) -> Option<PathBuf> {
    let landing = landing_path(out)?;
    log_set_folders(inputs)
        .into_iter()
        .find(|dir| landing.starts_with(dir))
}

/// Whether `out` is an existing file with other hard links: writing would change every name of
/// it, and one may be in the log set.
fn shares_its_content(out: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(out).is_ok_and(|m| m.is_file() && m.nlink() > 1)
}

/// Refuses `out` when it is one of the files just read (reached through a link inside the log set
/// that points outside it, which the folder check cannot see).
pub fn refuse_loaded_file<'p>(out: &Path, files: impl Iterator<Item = &'p Path>) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = std::fs::metadata(out) else {
        return Ok(());
    };
    for file in files {
        if std::fs::metadata(file).is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
        {
            bail!(
                "refusing to overwrite {}: it is {}, a file of the log set; choose another path",
                out.display(),
                file.display()
            );
        }
    }
    Ok(())
}

pub fn refuse_inside_log_set(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    if let Some(dir) = inside_log_set(out, inputs) {
        bail!(
            "refusing to write {} inside the log set folder {}; choose a path outside it",
            out.display(),
            dir.display()
        );
    }
    if shares_its_content(out) {
        bail!(
            "refusing to overwrite {}: other hard links share its content, and one may be in the \
             log set; choose another path",
            out.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

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

    #[test]
    fn links_into_the_log_set_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let outs = dir.path().join("outs");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::create_dir_all(&outs).unwrap();
        std::fs::write(logs.join("trail.json"), "{}").unwrap();
        let inputs = vec![logs.clone()];
        // To an existing log file, to a file not yet there, relative, and through a chain.
        symlink(logs.join("trail.json"), outs.join("to-file.json")).unwrap();
        symlink(logs.join("new.json"), outs.join("dangling.json")).unwrap();
        symlink("../logs/new.json", outs.join("relative.json")).unwrap();
        symlink(outs.join("to-file.json"), outs.join("chain.json")).unwrap();
        for name in [
            "to-file.json",
            "dangling.json",
            "relative.json",
            "chain.json",
        ] {
            let e = refuse_inside_log_set(&outs.join(name), &inputs).unwrap_err();
            assert!(
                e.to_string().contains("inside the log set folder"),
                "{name}: {e}"
            );
        }
        symlink(dir.path().join("elsewhere.json"), outs.join("outside.json")).unwrap();
        assert!(refuse_inside_log_set(&outs.join("outside.json"), &inputs).is_ok());
        // A link loop lands nowhere the log set is.
        symlink(outs.join("loop-b"), outs.join("loop-a")).unwrap();
        symlink(outs.join("loop-a"), outs.join("loop-b")).unwrap();
        assert!(refuse_inside_log_set(&outs.join("loop-a"), &inputs).is_ok());
    }

    #[test]
    fn a_file_read_through_a_link_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("target.jsonl");
        std::fs::write(&outside, "{}").unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        symlink(&outside, logs.join("link.jsonl")).unwrap();
        let read = [logs.join("link.jsonl")];
        let e = refuse_loaded_file(&outside, read.iter().map(PathBuf::as_path)).unwrap_err();
        assert!(e.to_string().contains("a file of the log set"), "{e}");
        let other = dir.path().join("alerts.json");
        assert!(refuse_loaded_file(&other, read.iter().map(PathBuf::as_path)).is_ok());
    }

    #[test]
    fn hard_links_are_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(logs.join("trail.json"), "{}").unwrap();
        let twin = dir.path().join("twin.json");
        std::fs::hard_link(logs.join("trail.json"), &twin).unwrap();
        let e = refuse_inside_log_set(&twin, &[logs]).unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
    }
}
