//! The write stage: the site goes to a temporary folder beside the output folder and replaces it only when
//! everything was written, so a failed build never leaves a half-written or missing site behind.

use crate::content::Asset;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::OutputFile;
use crate::theme::StaticSource;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What the write stage copies into the output folder as it is.
pub struct Copied<'a> {
    /// The theme's static files, by output path.
    pub statics: &'a BTreeMap<String, StaticSource>,
    /// Files beside the content (images, downloads).
    pub assets: &'a [Asset],
}

/// A site being written: a temporary folder beside the output folder that replaces it on [`Staging::commit`]
/// and is removed if dropped before, so a failed build leaves the previous output as it was. Files can be
/// added in batches as they are rendered, so a build need not hold the whole site in memory.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    made: HashSet<String>,
    committed: bool,
}

impl Staging {
    /// Starts writing a site that will replace `out`.
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            made: HashSet::new(),
            committed: false,
        })
    }

    /// The temporary folder, for writers that put files there themselves (the search index).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Creates the folders of `paths` that do not exist yet: folders of one parent by one thread, parents in
    /// parallel (threads creating entries in one folder wait on its lock: on ext4, 100,000 tag folders took
    /// four times as long in parallel as one after the other).
    fn folders<'a>(&mut self, paths: impl Iterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let mut new: Vec<&str> = paths
            .filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir))
            .filter(|dir| !self.made.contains(*dir))
            .collect();
        new.sort_unstable();
        new.dedup();
        let dir = &self.dir;
        by_parent(&new, |d| d).par_iter().try_for_each(|group| {
            group.iter().try_for_each(|d| {
                let d = dir.join(d);
                std::fs::create_dir_all(&d).map_err(|e| io_error(&d, e))
            })
        })?;
        self.made.extend(new.into_iter().map(str::to_string));
        Ok(())
    }

    /// Writes rendered files, those of one folder by one thread.
    pub fn files(&mut self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        self.folders(files.iter().map(|f| f.0.as_str()))?;
        let dir = &self.dir;
        by_parent(files, |f| f.0.as_str())
            .par_iter()
            .try_for_each(|group| {
                group.iter().try_for_each(|(rel, bytes)| {
                    let dest = dir.join(rel);
                    std::fs::write(&dest, bytes).map_err(|e| io_error(&dest, e))
                })
            })
    }

    /// Copies the theme's and the site's static files and the files beside the content.
    pub fn copy(&mut self, copied: &Copied) -> Result<(), Diagnostic> {
        self.folders(
            copied
                .statics
                .keys()
                .map(String::as_str)
                .chain(copied.assets.iter().map(|a| a.rel.as_str())),
        )?;
        let dir = &self.dir;
        copied.statics.par_iter().try_for_each(|(rel, source)| {
            let dest = dir.join(rel);
            match source {
                StaticSource::Embedded(bytes) => std::fs::write(&dest, bytes),
                StaticSource::Disk(path) => std::fs::copy(path, &dest).map(|_| ()),
            }
            .map_err(|e| io_error(&dest, e))
        })?;
        copied.assets.par_iter().try_for_each(|a| {
            let dest = dir.join(&a.rel);
            std::fs::copy(&a.path, &dest)
                .map(|_| ())
                .map_err(|e| io_error(&dest, e))
        })
    }

    /// Puts the written site in place of the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        swap(
            &self.dir,
            &self.out,
            &self.parent,
            &self.name,
            std::process::id(),
        )?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
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

/// Every file of a built site in `dir`, relative to it with `/` separators, in name order.
pub fn list(dir: &Path) -> Result<Vec<String>, walkdir::Error> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// `items` grouped by the folder their path (`path(item)`, relative, `/`-separated) is in, in order.
pub(crate) fn by_parent<T>(items: &[T], path: impl Fn(&T) -> &str) -> Vec<Vec<&T>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&T>> = std::collections::BTreeMap::new();
    for item in items {
        let parent = path(item).rsplit_once('/').map_or("", |(p, _)| p);
        groups.entry(parent).or_default().push(item);
    }
    groups.into_values().collect()
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display()))
        .hint("check that the output folder is writable and the disk is not full")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(out: &Path, files: &[OutputFile], fail: bool) -> Result<(), Diagnostic> {
        let mut staging = Staging::new(out)?;
        let statics = BTreeMap::new();
        staging.copy(&Copied {
            statics: &statics,
            assets: &[],
        })?;
        staging.files(files)?;
        if fail {
            return Err(Diagnostic::error(Code::Io, "boom"));
        }
        staging.commit()
    }

    #[test]
    fn replaces_the_output_only_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = vec![("a/index.html".to_string(), b"one".to_vec())];
        write(&out, &files, false).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let files = vec![("b/index.html".to_string(), b"two".to_vec())];
        assert!(write(&out, &files, true).is_err());
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
