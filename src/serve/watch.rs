//! Watching the site's sources: file events sorted into the changes a rebuild needs.

use super::incremental::Changes;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// Watches the site's sources and sends what changed.
pub(super) fn watch(
    root: &Path,
    tx: Sender<Changes>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let base = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else {
            return;
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        let mut changes = Changes::default();
        for path in &event.paths {
            classify(&base, path, &mut changes);
        }
        if event.need_rescan() {
            changes.full = true;
        }
        if !changes.is_empty() {
            let _ = tx.send(changes);
        }
    })?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in SOURCE_FOLDERS {
        let d = root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// The folders of a site that are watched with everything in them.
const SOURCE_FOLDERS: [&str; 4] = ["content", "themes", "static", "templates"];

/// Watches source folders created after the server started (from the builder thread, which owns the
/// watcher: the watcher's own thread, which reports them, cannot add watches).
pub(super) fn watch_new(w: &mut notify::RecommendedWatcher, folders: &[PathBuf]) {
    use notify::{RecursiveMode, Watcher};
    for f in folders {
        if f.is_dir() {
            if let Err(e) = w.watch(f, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {} for changes: {e}", f.display());
            }
        }
    }
}

/// Sorts a changed path into the kind of rebuild it needs.
fn classify(root: &Path, path: &Path, changes: &mut Changes) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(name) = rel.last() else {
        return;
    };
    if is_temporary(name) {
        return;
    }
    if rel.len() == 1 && SOURCE_FOLDERS.contains(&rel[0].as_str()) && path.is_dir() {
        changes.new_folders.push(path.to_path_buf());
    }
    match rel[0].as_str() {
        "kizuna.yaml" if rel.len() == 1 => changes.full = true,
        "themes" | "templates" => changes.full = true,
        "static" => changes.statics = true,
        "content" if rel.len() == 1 => changes.full = true,
        "content" => {
            changes.content.insert(rel[1..].join("/"));
        }
        _ => {}
    }
}

/// Editors' swap, backup and temporary files.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        let root = Path::new("/site");
        let mut c = Changes::default();
        classify(root, Path::new("/site/content/a/b.md"), &mut c);
        classify(root, Path::new("/site/content/a/.b.md.swp"), &mut c);
        classify(root, Path::new("/site/public/a/index.html"), &mut c);
        assert_eq!(c.content.iter().collect::<Vec<_>>(), ["a/b.md"]);
        assert!(!c.full && !c.statics);
        classify(root, Path::new("/site/static/x.css"), &mut c);
        assert!(c.statics && !c.full);
        classify(root, Path::new("/site/kizuna.yaml"), &mut c);
        assert!(c.full);
    }
}
