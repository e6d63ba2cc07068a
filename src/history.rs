//! Last-updated dates from git: one `git log` over the whole history gives, for every content file, the date
//! and commit of the last change to it (as Hugo's `enableGitInfo` does). Front matter `updated` wins over it.

use crate::content::date::DateSpec;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The last commit that changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The commit's date, in UTC, to the second.
    pub date: DateSpec,
    /// The commit's full hash.
    pub commit: String,
}

/// Every content file's last commit, by its path relative to the site root (`content/cities/dalian.md`).
#[derive(Debug, Default, Clone)]
pub struct History {
    stamps: HashMap<PathBuf, Stamp>,
    /// The site root's folder inside the repository (`docs/`, or empty at the top), when in one.
    pub prefix: Option<String>,
}

impl History {
    /// The last commit that changed `file` (relative to the site root), if git knows the file.
    pub fn get(&self, file: &Path) -> Option<&Stamp> {
        self.stamps.get(file)
    }

    /// How many files have a date.
    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    /// Whether no file has a date.
    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }
}

/// Reads the history of `root/content_dir`. Without git dates, says why (once, for the build to print):
/// not a git repository (or git not installed) gives nothing to say; a shallow clone, whose oldest commit
/// would look like the last change of every file, is named with its fix.
pub fn read(root: &Path, content_dir: &str) -> (History, Option<String>) {
    let probe = git(root)
        .args(["rev-parse", "--is-shallow-repository", "--show-prefix"])
        .output();
    let (shallow, prefix) = match probe {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut lines = text.lines();
            let shallow = lines.next() == Some("true");
            (shallow, lines.next().unwrap_or_default().to_string())
        }
        _ => return (History::default(), None),
    };
    let nothing = History {
        stamps: HashMap::new(),
        prefix: Some(prefix.clone()),
    };
    if shallow {
        return (
            nothing,
            Some(
                "last-updated dates come from front matter only: this is a shallow git clone \
                 (fetch the whole history, e.g. `fetch-depth: 0` in actions/checkout)"
                    .into(),
            ),
        );
    }
    let out = git(root)
        .args([
            "log",
            "--relative",
            "--no-renames",
            "--format=%x1e%ct %H",
            "--name-only",
            "--",
            content_dir,
        ])
        .output();
    match out {
        Ok(out) if out.status.success() => (
            History {
                prefix: Some(prefix),
                ..parse(&String::from_utf8_lossy(&out.stdout))
            },
            None,
        ),
        Ok(out) => (
            nothing,
            Some(format!(
                "last-updated dates come from front matter only: `git log` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
        ),
        Err(e) => (
            nothing,
            Some(format!(
                "last-updated dates come from front matter only: cannot run git: {e}"
            )),
        ),
    }
}

/// `git -C root` with paths printed as they are (not octal-quoted) and no pager or colour.
fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false", "--no-pager"])
        .env("GIT_OPTIONAL_LOCKS", "0");
    c
}

/// Parses `git log --format=%x1e%ct %H --name-only`, newest commit first: each file's first mention is its
/// last change.
fn parse(log: &str) -> History {
    let mut stamps = HashMap::new();
    for commit in log.split('\x1e').skip(1) {
        let mut lines = commit.lines();
        let Some((seconds, hash)) = lines.next().and_then(|l| l.split_once(' ')) else {
            continue;
        };
        let Ok(seconds) = seconds.parse::<i64>() else {
            continue;
        };
        for file in lines.filter(|l| !l.is_empty()) {
            stamps.entry(PathBuf::from(file)).or_insert_with(|| Stamp {
                date: utc(seconds),
                commit: hash.to_string(),
            });
        }
    }
    History {
        stamps,
        prefix: None,
    }
}

/// A Unix time as a UTC date and time (Howard Hinnant's civil-from-days).
fn utc(seconds: i64) -> DateSpec {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    DateSpec {
        year,
        month: Some(month),
        day: Some(day),
        time: Some(format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_become_utc_dates() {
        assert_eq!(utc(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400).iso(), "2000-02-29");
        assert_eq!(utc(1_796_362_476).rfc3339(), "2026-12-04T05:34:36Z");
    }

    #[test]
    fn the_newest_commit_of_a_file_wins() {
        let log = "\x1e200 bbb\n\ncontent/a.md\n\x1e100 aaa\n\ncontent/a.md\ncontent/b.md\n";
        let h = parse(log);
        assert_eq!(h.len(), 2);
        assert_eq!(h.get(Path::new("content/a.md")).unwrap().commit, "bbb");
        assert_eq!(h.get(Path::new("content/b.md")).unwrap().commit, "aaa");
    }
}
