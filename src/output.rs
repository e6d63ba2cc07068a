//! The write stage: the site goes to a temporary folder beside the output folder and replaces it only when
//! everything was written, so a failed build never leaves a half-written or missing site behind.
//!
//! The output a build replaces is kept beside it (`.public.prev`) and becomes the next build's temporary
//! folder: a file whose bytes did not change is left as it is (its inode and modification time too, so
//! `rsync` and other deploy tools see it unchanged), a changed file is written as a new file (a hard link
//! to the old one elsewhere keeps its bytes), and the files no build makes any more are removed.
//! On a real disk this spares creating and deleting every file of the site on every build.

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

/// A site being written: a temporary folder beside the output folder that replaces it on [`Staging::commit`],
/// so a failed build leaves the previous output as it was. It starts from the output before last when there
/// is one (see the module's documentation). Files can be added in batches as they are rendered, so a build
/// need not hold the whole site in memory.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    made: HashSet<String>,
    /// Files the folder held when it was taken over, by path.
    existing: HashSet<String>,
    /// Files this build wrote or found unchanged, by path.
    written: HashSet<String>,
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
        // Renaming takes the kept output whole, or fails when another build took it first. A kept output
        // that cannot be read through is removed, and the build starts from an empty folder.
        let taken = std::fs::rename(prev_of(&parent, &name), &dir)
            .and_then(|()| take_over(&dir))
            .ok();
        let existing = match taken {
            Some(files) => files,
            None => {
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
                HashSet::new()
            }
        };
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            made: HashSet::new(),
            existing,
            written: HashSet::new(),
            committed: false,
        })
    }

    /// The temporary folder, for a writer that puts files there itself (the search index), with the files
    /// of the kept output that are its own (`owned`) and this build did not write: the writer leaves those
    /// it makes again as they are and removes the others. The kept output's other files that this build
    /// did not write are removed first. Call it after the other files are written.
    pub fn hand_over(
        &mut self,
        owned: impl Fn(&str) -> bool,
    ) -> Result<(&Path, HashSet<String>), Diagnostic> {
        let handed: HashSet<String> = self
            .existing
            .iter()
            .filter(|rel| !self.written.contains(*rel) && owned(rel))
            .cloned()
            .collect();
        self.written.extend(handed.iter().cloned());
        self.sweep()?;
        Ok((&self.dir, handed))
    }

    /// Creates the folders of `paths` that do not exist yet: folders of one parent by one thread, parents in
    /// parallel (threads creating entries in one folder wait on its lock: on ext4, 100,000 tag folders took
    /// four times as long in parallel as one after the other). A file of the kept output where a folder
    /// is now wanted is removed.
    fn folders<'a>(&mut self, paths: impl Iterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let mut new: Vec<&str> = paths
            .filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir))
            .filter(|dir| !self.made.contains(*dir))
            .collect();
        new.sort_unstable();
        new.dedup();
        let dir = &self.dir;
        let existing = &self.existing;
        by_parent(&new, |d| d).par_iter().try_for_each(|group| {
            group.iter().try_for_each(|d| {
                let path = dir.join(d);
                if std::fs::create_dir_all(&path).is_err() {
                    // A file of the kept output stands where a folder goes.
                    let mut at = String::new();
                    for part in d.split('/') {
                        at = if at.is_empty() {
                            part.to_string()
                        } else {
                            format!("{at}/{part}")
                        };
                        if existing.contains(&at) {
                            let _ = std::fs::remove_file(dir.join(&at));
                        }
                    }
                    std::fs::create_dir_all(&path).map_err(|e| io_error(&path, e))?;
                }
                Ok(())
            })
        })?;
        self.made.extend(new.into_iter().map(str::to_string));
        Ok(())
    }

    /// Writes rendered files, those of one folder by one thread.
    pub fn files(&mut self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        self.folders(files.iter().map(|f| f.0.as_str()))?;
        let (dir, existing) = (&self.dir, &self.existing);
        by_parent(files, |f| f.0.as_str())
            .par_iter()
            .try_for_each(|group| {
                group.iter().try_for_each(|(rel, bytes)| {
                    let dest = dir.join(rel);
                    put(&dest, bytes, existing.contains(rel)).map_err(|e| io_error(&dest, e))
                })
            })?;
        self.written.extend(files.iter().map(|f| f.0.clone()));
        Ok(())
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
        let (dir, existing) = (&self.dir, &self.existing);
        copied.statics.par_iter().try_for_each(|(rel, source)| {
            let dest = dir.join(rel);
            let was = existing.contains(rel);
            match source {
                StaticSource::Embedded(bytes) => put(&dest, bytes, was),
                StaticSource::Disk(path) => copy_file(path, &dest, was),
            }
            .map_err(|e| io_error(&dest, e))
        })?;
        copied.assets.par_iter().try_for_each(|a| {
            let dest = dir.join(&a.rel);
            copy_file(&a.path, &dest, existing.contains(&a.rel)).map_err(|e| io_error(&dest, e))
        })?;
        self.written.extend(copied.statics.keys().cloned());
        self.written
            .extend(copied.assets.iter().map(|a| a.rel.clone()));
        Ok(())
    }

    /// Removes the files of the kept output that this build did not write, and the folders they leave
    /// empty.
    fn sweep(&mut self) -> Result<(), Diagnostic> {
        let mut stale: Vec<&String> = self
            .existing
            .iter()
            .filter(|rel| !self.written.contains(*rel))
            .collect();
        stale.sort_unstable();
        let dir = &self.dir;
        stale.par_iter().try_for_each(|rel| {
            let path = dir.join(rel);
            match std::fs::remove_file(&path) {
                // Gone already, or a folder of this build now, where a file of this build took the place of
                // a folder above it or a folder took its place.
                Err(e) if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) => {
                    Err(io_error(&path, e))
                }
                _ => Ok(()),
            }
        })?;
        let mut folders: Vec<&str> = stale
            .iter()
            .flat_map(|rel| {
                let mut up = Vec::new();
                let mut at = rel.as_str();
                while let Some((parent, _)) = at.rsplit_once('/') {
                    up.push(parent);
                    at = parent;
                }
                up
            })
            .collect();
        // Deepest first, so that a folder is tried after the folders in it.
        folders.sort_unstable_by(|a, b| {
            b.matches('/')
                .count()
                .cmp(&a.matches('/').count())
                .then(a.cmp(b))
        });
        folders.dedup();
        for f in folders {
            // Fails, as it should, while the folder holds anything.
            let _ = std::fs::remove_dir(dir.join(f));
        }
        self.existing.clear();
        Ok(())
    }

    /// Puts the written site in place of the output folder, and keeps the output it replaces for the next
    /// build.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.sweep()?;
        swap(&self.dir, &self.out, &prev_of(&self.parent, &self.name))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Still a good start for the next build; removed if another build kept one meanwhile.
            let prev = prev_of(&self.parent, &self.name);
            if prev.exists() || std::fs::rename(&self.dir, &prev).is_err() {
                let _ = std::fs::remove_dir_all(&self.dir);
            } else {
                unlisted(&prev);
            }
        }
    }
}

/// Where the output a build replaced is kept for the next build.
fn prev_of(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.prev"))
}

/// Keeps git from listing a kept output as untracked files: a `.gitignore` of `*` in it (the next build
/// removes it with the other files it does not write).
fn unlisted(prev: &Path) {
    let _ = std::fs::write(prev.join(".gitignore"), "*\n");
}

/// The files of a kept output taken over as a temporary folder, by path. Anything but files and folders
/// (a symbolic link someone put in the output) is removed, so that no write follows it out of the folder.
fn take_over(dir: &Path) -> std::io::Result<HashSet<String>> {
    let mut files = HashSet::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        let kind = entry.file_type();
        if kind.is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.insert(rel.to_string_lossy().replace('\\', "/"));
        } else if !kind.is_dir() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(files)
}

/// Writes `bytes` to `dest`, unless `dest` (a file of the kept output when `existed`) holds them already.
pub(crate) fn put(dest: &Path, bytes: &[u8], existed: bool) -> std::io::Result<()> {
    if existed
        && same(dest, bytes.len() as u64, || {
            std::fs::read(dest).map(|b| b == bytes)
        })
    {
        return Ok(());
    }
    replace(dest, existed, || std::fs::write(dest, bytes))
}

/// Copies `from` to `dest`, unless `dest` (a file of the kept output when `existed`) is the same already.
fn copy_file(from: &Path, dest: &Path, existed: bool) -> std::io::Result<()> {
    if existed
        && same(dest, std::fs::metadata(from)?.len(), || {
            Ok(std::fs::read(from)? == std::fs::read(dest)?)
        })
    {
        return Ok(());
    }
    replace(dest, existed, || std::fs::copy(from, dest).map(|_| ()))
}

/// Makes `dest` with `write`: a kept file there is removed first (see [`unlink`]), and a folder of the kept
/// output where the file goes is removed when `write` finds it.
fn replace(
    dest: &Path,
    existed: bool,
    write: impl Fn() -> std::io::Result<()>,
) -> std::io::Result<()> {
    if existed {
        unlink(dest);
    }
    write().or_else(|e| {
        if dest.is_dir() {
            std::fs::remove_dir_all(dest)?;
            write()
        } else {
            Err(e)
        }
    })
}

/// Removes a kept file before it is written anew rather than writing into it: another name for the same
/// file (a hard link into a deployed copy, say) keeps the old bytes.
fn unlink(dest: &Path) {
    if std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_file()) {
        let _ = std::fs::remove_file(dest);
    }
}

/// Whether the file at `dest` has `len` bytes and `equal` says they are the ones wanted.
fn same(dest: &Path, len: u64, equal: impl FnOnce() -> std::io::Result<bool>) -> bool {
    std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_file() && m.len() == len)
        && equal().unwrap_or(false)
}

fn swap(staging: &Path, out: &Path, prev: &Path) -> Result<(), Diagnostic> {
    if out.exists() {
        if prev.exists() {
            std::fs::remove_dir_all(prev).map_err(|e| io_error(prev, e))?;
        }
        std::fs::rename(out, prev).map_err(|e| io_error(out, e))?;
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(prev, out);
            return Err(io_error(out, e));
        }
        unlisted(prev);
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
        assert_eq!(list(&out).unwrap(), ["a/index.html"]);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.prev", "public"]);
        let kept = dir.path().join(".public.prev/.gitignore");
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "*\n");
    }

    fn files(list: &[(&str, &str)]) -> Vec<OutputFile> {
        list.iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    /// The output's files and their bytes.
    fn read_all(out: &Path) -> Vec<(String, Vec<u8>)> {
        list(out)
            .unwrap()
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(out.join(&p)).unwrap();
                (p, bytes)
            })
            .collect()
    }

    #[test]
    fn builds_over_the_kept_output_make_what_a_fresh_build_makes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        let age = |p: &str| {
            let f = std::fs::File::options()
                .write(true)
                .open(out.join(p))
                .unwrap();
            f.set_modified(old).unwrap();
        };
        let aged = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap() == old;
        let builds = [
            files(&[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b/index.html", "b"),
                ("c", "file c"),
                ("gone/deep/x.html", "x"),
            ]),
            files(&[
                ("index.html", "home 2"),
                ("a/index.html", "a"),
                ("c/index.html", "c is a folder"),
                ("n/index.html", "new"),
            ]),
            files(&[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b", "b is a file"),
                ("c/index.html", "c"),
                ("z.txt", "z"),
            ]),
            files(&[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b/index.html", "b again"),
            ]),
        ];
        for (n, build) in builds.iter().enumerate() {
            write(&out, build, false).unwrap();
            let mut want: Vec<(String, Vec<u8>)> = build.clone();
            want.sort();
            assert_eq!(read_all(&out), want, "build {n}");
            match n {
                // Each build goes over the output before last: files it makes with the same bytes are
                // left as they were, the others written.
                2 => assert!(aged("index.html") && aged("a/index.html")),
                3 => assert!(!aged("index.html") && aged("a/index.html")),
                _ => {}
            }
            age("index.html");
            age("a/index.html");
        }
        // No folder left empty by a removed page.
        assert!(!out.join("gone").exists() && !out.join("n").exists());
    }

    #[test]
    fn hard_links_to_an_output_keep_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &files(&[("index.html", "one")]), false).unwrap();
        let copy = dir.path().join("deployed.html");
        std::fs::hard_link(out.join("index.html"), &copy).unwrap();
        // The first output is kept by the second build and written over by the third.
        write(&out, &files(&[("index.html", "two")]), false).unwrap();
        write(&out, &files(&[("index.html", "three")]), false).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"three");
        assert_eq!(std::fs::read(&copy).unwrap(), b"one");
    }

    #[test]
    fn links_left_in_an_output_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        let site = files(&[("index.html", "home"), ("x/index.html", "x")]);
        write(&out, &site, false).unwrap();
        std::fs::remove_dir_all(out.join("x")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("x")).unwrap();
        // The next build keeps this output; the one after that writes over it.
        write(&out, &site, false).unwrap();
        write(&out, &site, false).unwrap();
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert!(!std::fs::symlink_metadata(out.join("x"))
            .unwrap()
            .is_symlink());
        assert_eq!(std::fs::read(out.join("x/index.html")).unwrap(), b"x");
    }
}
