//! Finds the files to load under the paths the user gave: recursive, symlinks followed but loops
//! detected, each file loaded once however many names reach it, special files never opened,
//! everything not loadable listed with its reason.

use std::collections::hash_map::{Entry, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// A path found while walking, and whether it can be read as a log file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Size on disk in bytes (0 when unknown).
    pub size: u64,
    /// Why the path is not loaded; `None` for a regular file to parse.
    pub skipped: Option<String>,
}

/// Walks `paths` in the order given, each directory's entries sorted by name, so the file order (and
/// with it every report and evidence id) is the same on every run.
pub fn discover(paths: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    walk(paths, &mut |found| out.push(found));
    out
}

/// [`discover`], handing each path over as soon as it is found.
pub fn walk(paths: &[PathBuf], emit: &mut dyn FnMut(Found)) {
    let mut seen = Seen::default();
    for p in paths {
        visit(p, &mut seen, emit);
    }
}

/// Directories walked and files found so far, each with the first path that reached it. A file
/// reached twice (a symbolic link beside its target, a folder and a file in it both given) would
/// otherwise load twice and double every count a rule makes.
#[derive(Default)]
struct Seen {
    dirs: HashMap<NodeId, PathBuf>,
    files: HashMap<NodeId, PathBuf>,
}

/// What makes a directory (or file) the same one, however it is reached. On Unix its device and inode,
/// read from the metadata already at hand: canonicalizing every directory of a deep S3 layout cost
/// a dozen system calls each, a fortieth of the whole load.
#[cfg(unix)]
type NodeId = (u64, u64);
#[cfg(not(unix))]
type NodeId = PathBuf;

#[cfg(unix)]
fn node_id(_path: &Path, meta: &fs::Metadata) -> NodeId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn node_id(path: &Path, _meta: &fs::Metadata) -> NodeId {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn visit(path: &Path, seen: &mut Seen, emit: &mut dyn FnMut(Found)) {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let is_link = fs::symlink_metadata(path)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false);
            let reason = if is_link {
                format!("unreadable: broken symbolic link ({e})")
            } else {
                format!("unreadable: {e}")
            };
            emit(Found {
                path: path.to_path_buf(),
                size: 0,
                skipped: Some(reason),
            });
            return;
        }
    };
    if meta.is_dir() {
        let first = match seen.dirs.entry(node_id(path, &meta)) {
            Entry::Vacant(slot) => {
                slot.insert(path.to_path_buf());
                None
            }
            Entry::Occupied(walked) => Some(walked.get().clone()),
        };
        if let Some(first) = first {
            let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            // A loop links back to a folder the link itself is in; any other second link to a
            // folder only reaches it twice.
            let inside_target = path
                .parent()
                .and_then(|p| fs::canonicalize(p).ok())
                .is_some_and(|parent| parent.starts_with(&canonical));
            let reason = if inside_target {
                format!(
                    "symbolic link loop: directory {} was already visited",
                    canonical.display()
                )
            } else {
                format!("directory already walked as {}", first.display())
            };
            emit(Found {
                path: path.to_path_buf(),
                size: 0,
                skipped: Some(reason),
            });
            return;
        }
        let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                emit(Found {
                    path: path.to_path_buf(),
                    size: 0,
                    skipped: Some(format!("unreadable directory: {e}")),
                });
                return;
            }
        };
        entries.sort();
        for entry in entries {
            visit(&entry, seen, emit);
        }
        return;
    }
    let skipped = if meta.is_file() {
        match seen.files.entry(node_id(path, &meta)) {
            Entry::Occupied(first) => Some(format!(
                "same file as {} (loaded once)",
                first.get().display()
            )),
            Entry::Vacant(slot) => {
                slot.insert(path.to_path_buf());
                None
            }
        }
    } else {
        // Opening a FIFO would block forever; devices and sockets are never logs.
        Some("not a regular file (FIFO, socket or device)".to_string())
    };
    emit(Found {
        path: path.to_path_buf(),
        size: meta.len(),
        skipped,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_detects_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/sub")).unwrap();
        fs::write(root.join("b/sub/z.json"), "{}").unwrap();
        fs::write(root.join("a.json"), "{}").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("b"), root.join("b/sub/loop")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("missing"), root.join("dangling")).unwrap();
        let found = discover(&[root.to_path_buf()]);
        let names: Vec<String> = found
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            vec!["a.json", "b/sub/loop", "b/sub/z.json", "dangling"]
        );
        assert!(found[0].skipped.is_none());
        assert!(found[1]
            .skipped
            .as_deref()
            .unwrap()
            .starts_with("symbolic link loop"));
        assert!(found[3]
            .skipped
            .as_deref()
            .unwrap()
            .starts_with("unreadable: broken symbolic link"));
    }

    #[cfg(unix)]
    #[test]
    fn a_second_link_to_a_folder_is_no_loop() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("x")).unwrap();
        fs::create_dir_all(root.join("y")).unwrap();
        fs::write(root.join("x/f.json"), "{}").unwrap();
        std::os::unix::fs::symlink(root.join("x"), root.join("y/xl")).unwrap();
        let found = discover(&[root.to_path_buf()]);
        let link = found.iter().find(|f| f.path.ends_with("y/xl")).unwrap();
        let reason = link.skipped.as_deref().unwrap();
        assert!(
            reason.starts_with("directory already walked as "),
            "{reason}"
        );
        assert_eq!(found.iter().filter(|f| f.skipped.is_none()).count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_by_two_names_is_found_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("inv.jsonl"), "{}").unwrap();
        std::os::unix::fs::symlink(root.join("inv.jsonl"), root.join("inv-link.jsonl")).unwrap();
        let found = discover(&[
            root.to_path_buf(),
            root.join("inv.jsonl"),
            root.to_path_buf(),
        ]);
        let got: Vec<(String, Option<String>)> = found
            .iter()
            .map(|f| {
                let name = f.path.strip_prefix(root).unwrap().display().to_string();
                let why = f
                    .skipped
                    .as_ref()
                    .map(|s| s.replace(&root.display().to_string(), "R"));
                (name, why)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("inv-link.jsonl".to_string(), None),
                (
                    "inv.jsonl".to_string(),
                    Some("same file as R/inv-link.jsonl (loaded once)".into())
                ),
                (
                    "inv.jsonl".to_string(),
                    Some("same file as R/inv-link.jsonl (loaded once)".into())
                ),
                (String::new(), Some("directory already walked as R".into())),
            ]
        );
    }
}
