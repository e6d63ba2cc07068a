//! The write stage: the site goes to a temporary folder beside the output folder and replaces it only when
//! everything was written, so a failed build never leaves a half-written or missing site behind.

use crate::content::Asset;
use crate::diagnostic::Diagnostic;
use crate::render::OutputFile;
use crate::theme::StaticSource;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the write stage puts into the output folder.
pub struct Site<'a> {
    pub files: &'a [OutputFile],
    pub statics: &'a BTreeMap<String, StaticSource>,
    pub assets: &'a [Asset],
}

/// Writes `site` to `out` atomically. `extra` may add files to the staging folder (the search index) before
/// the swap.
pub fn write(
    out: &Path,
    site: &Site,
    extra: impl FnOnce(&Path) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    let result = stage(&staging, site)
        .and_then(|()| extra(&staging))
        .and_then(|()| swap(&staging, out, parent, &name, pid));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, site: &Site) -> Result<(), Diagnostic> {
    let mut dirs = BTreeSet::new();
    let all: Vec<&str> = site
        .statics
        .keys()
        .map(String::as_str)
        .chain(site.assets.iter().map(|a| a.rel.as_str()))
        .chain(site.files.iter().map(|f| f.0.as_str()))
        .collect();
    for rel in &all {
        if let Some((dir, _)) = rel.rsplit_once('/') {
            dirs.insert(dir);
        }
    }
    std::fs::create_dir_all(staging).map_err(|e| io_error(staging, e))?;
    for dir in dirs {
        let d = staging.join(dir);
        std::fs::create_dir_all(&d).map_err(|e| io_error(&d, e))?;
    }
    site.statics.par_iter().try_for_each(|(rel, source)| {
        let dest = staging.join(rel);
        match source {
            StaticSource::Embedded(bytes) => std::fs::write(&dest, bytes),
            StaticSource::Disk(path) => std::fs::copy(path, &dest).map(|_| ()),
        }
        .map_err(|e| io_error(&dest, e))
    })?;
    site.assets.par_iter().try_for_each(|a| {
        let dest = staging.join(&a.rel);
        std::fs::copy(&a.path, &dest)
            .map(|_| ())
            .map_err(|e| io_error(&dest, e))
    })?;
    site.files.par_iter().try_for_each(|(rel, bytes)| {
        let dest = staging.join(rel);
        std::fs::write(&dest, bytes).map_err(|e| io_error(&dest, e))
    })
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str, pid: u32) -> Result<(), Diagnostic> {
    if out.exists() {
        let old: PathBuf = parent.join(format!(".{name}.old-{pid}"));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(|e| io_error(out, e))?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&old, out);
            return Err(io_error(out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(staging, out).map_err(|e| io_error(out, e))?;
    }
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {e}", path.display()))
        .hint("check that the output folder is writable and the disk is not full")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_output_only_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let statics = BTreeMap::new();
        let files = vec![("a/index.html".to_string(), b"one".to_vec())];
        write(
            &out,
            &Site {
                files: &files,
                statics: &statics,
                assets: &[],
            },
            |_| Ok(()),
        )
        .unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let files = vec![("b/index.html".to_string(), b"two".to_vec())];
        let err = write(
            &out,
            &Site {
                files: &files,
                statics: &statics,
                assets: &[],
            },
            |_| Err(Diagnostic::error("boom")),
        );
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!out.join("b").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
