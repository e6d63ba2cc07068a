//! PDFs kept under the hash of everything they are made from (template, lesson, strings, fonts, kizuna's
//! version), so that a build where no lesson changed compiles none — and, for the plan, the characters of a
//! lesson no font covers, so that such a build does not load a CJK font to find out again. Like Hugo's
//! `cacheDir`, the cache is the user's: `$KIZUNA_CACHE_DIR`, else `$XDG_CACHE_HOME/kizuna`, else
//! `~/.cache/kizuna` (`%LOCALAPPDATA%` on Windows), else the temporary folder. Entries unused for 60 days are
//! removed.

use crate::fingerprint::Fnv;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How long an unused entry is kept.
const KEEP: Duration = Duration::from_secs(60 * 24 * 3600);

/// The first bytes of every entry: a tag, then the scale the sheet was set at and its pages.
const TAG: &[u8] = b"kizuna-pdf-1 ";

/// A folder of cached PDFs; without one, nothing is cached. A remembering cache (`kizuna serve`) also keeps the
/// entries the last build used in memory, so a rebuild reads none from the disk.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    memory: Option<Arc<Mutex<Memory>>>,
}

/// Entries in memory, each with the build that last used it.
#[derive(Debug, Default)]
struct Memory {
    build: u64,
    entries: HashMap<String, (u64, Entry)>,
}

/// A cache key: 128 bits of FNV-1a (two hashes, seeded apart) over the parts written to it, each part
/// length-prefixed so that no two lists of parts collide by concatenation.
pub struct Key(Fnv, Fnv);

impl Default for Key {
    fn default() -> Self {
        let mut second = Fnv::default();
        second.write(b"kizuna");
        Key(Fnv::default(), second)
    }
}

impl Key {
    /// Adds one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Key {
        for hash in [&mut self.0, &mut self.1] {
            hash.write(&(bytes.len() as u64).to_le_bytes());
            hash.write(bytes);
        }
        self
    }

    /// The key, as 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{}{}", self.0.hex(), self.1.hex())
    }
}

/// A cached or freshly made PDF.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The PDF (or, for the plan, the characters a lesson's fonts lack, as UTF-8).
    pub bytes: Vec<u8>,
    /// The scale its text was set at (student sheets are set smaller to fit two pages).
    pub scale: f64,
    /// Its number of pages.
    pub pages: usize,
}

impl Cache {
    /// The user's cache folder for PDFs.
    pub fn user() -> Cache {
        let base = std::env::var_os("KIZUNA_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("kizuna")))
            .or_else(|| std::env::var_os("LOCALAPPDATA").map(|d| PathBuf::from(d).join("kizuna")))
            .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/kizuna")))
            .unwrap_or_else(|| std::env::temp_dir().join("kizuna-cache"));
        Cache::at(base.join("pdf"))
    }

    /// A cache in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: Some(dir.into()),
            memory: None,
        }
    }

    /// No cache: every PDF is made.
    pub fn none() -> Cache {
        Cache {
            dir: None,
            memory: None,
        }
    }

    /// The same cache, also keeping in memory what the last build used.
    pub fn remembering(self) -> Cache {
        Cache {
            memory: Some(Arc::default()),
            ..self
        }
    }

    fn remember(&self, key: &str, entry: &Entry) {
        if let Some(memory) = &self.memory {
            let mut m = memory.lock().unwrap_or_else(|e| e.into_inner());
            let build = m.build;
            m.entries.insert(key.to_string(), (build, entry.clone()));
        }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(format!("{key}.pdf")))
    }

    /// The entry under `key`, marked as used.
    pub fn get(&self, key: &str) -> Option<Entry> {
        if let Some(memory) = &self.memory {
            let mut m = memory.lock().unwrap_or_else(|e| e.into_inner());
            let build = m.build;
            if let Some((used, entry)) = m.entries.get_mut(key) {
                *used = build;
                return Some(entry.clone());
            }
        }
        let entry = self.read(key)?;
        self.remember(key, &entry);
        Some(entry)
    }

    fn read(&self, key: &str) -> Option<Entry> {
        let path = self.path(key)?;
        let data = std::fs::read(&path).ok()?;
        let rest = data.strip_prefix(TAG)?;
        let end = rest.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&rest[..end]).ok()?;
        let (scale, pages) = header.split_once(' ')?;
        let (scale, pages): (f64, usize) = (scale.parse().ok()?, pages.parse().ok()?);
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(Entry {
            bytes: rest[end + 1..].to_vec(),
            scale,
            pages,
        })
    }

    /// Keeps `entry` under `key`. A cache that cannot be written is no error: the PDF is made next time.
    pub fn put(&self, key: &str, entry: &Entry) {
        self.remember(key, entry);
        let (Some(path), Some(dir)) = (self.path(key), &self.dir) else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let mut data = TAG.to_vec();
        data.extend_from_slice(format!("{} {}\n", entry.scale, entry.pages).as_bytes());
        data.extend_from_slice(&entry.bytes);
        // Written aside and renamed, so that a build running at the same time never reads half an entry.
        let partial = dir.join(format!(".{key}.{}.partial", std::process::id()));
        if std::fs::write(&partial, &data).is_ok() && std::fs::rename(&partial, &path).is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }

    /// Removes entries unused for 60 days from the folder, and from memory those the build now ending did not
    /// use.
    pub fn sweep(&self) {
        if let Some(memory) = &self.memory {
            let mut m = memory.lock().unwrap_or_else(|e| e.into_inner());
            let build = m.build;
            m.entries.retain(|_, (used, _)| *used == build);
            m.build += 1;
            // A `serve` session sweeps the folder once, after its first build.
            if build > 0 {
                return;
            }
        }
        let Some(dir) = &self.dir else { return };
        let now = SystemTime::now();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let Ok(entry) = entry else { continue };
            let old = entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > KEEP);
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(byte: u8) -> Entry {
        Entry {
            bytes: vec![byte; 3],
            scale: 0.9,
            pages: 2,
        }
    }

    #[test]
    fn entries_round_trip_through_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::at(tmp.path());
        assert!(cache.get("ab12").is_none());
        cache.put("ab12", &entry(7));
        let back = Cache::at(tmp.path()).get("ab12").unwrap();
        assert_eq!((back.bytes, back.scale, back.pages), (vec![7; 3], 0.9, 2));
        // A damaged entry is a miss, not an error.
        std::fs::write(tmp.path().join("ab12.pdf"), b"junk").unwrap();
        assert!(Cache::at(tmp.path()).get("ab12").is_none());
    }

    #[test]
    fn a_remembering_cache_keeps_what_the_last_build_used() {
        let cache = Cache::none().remembering();
        cache.put("k1", &entry(1));
        cache.put("k2", &entry(2));
        cache.sweep();
        // The next build uses k1 only: k2 is forgotten after it, and k1 after a build that does not use it.
        assert_eq!(cache.get("k1").unwrap().bytes, vec![1; 3]);
        cache.sweep();
        assert!(cache.get("k2").is_none());
        cache.sweep();
        assert!(cache.get("k1").is_none());
    }
}
