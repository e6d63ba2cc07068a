//! Links to the site's repository on its forge (GitHub, GitLab, Forgejo/Gitea): the editor for a page's
//! source file, and a new file for a missing translation, from `repo_url` and the patterns in kizuna.yaml.

use crate::config::Config;

/// The forge addresses of one site.
#[derive(Debug, Clone)]
pub struct Forge {
    repo: String,
    branch: String,
    /// The site root's folder in the repository, `docs/` or empty.
    prefix: String,
    edit: String,
    new: String,
    /// The file viewer, by host (for the contributors' guide).
    view: &'static str,
}

/// A forge's address patterns: its editor, its new-file page and its file viewer.
struct Patterns {
    edit: &'static str,
    new: &'static str,
    view: &'static str,
}

/// Which forge `repo_url` is on, by its host.
fn patterns(repo: &str) -> Patterns {
    let host = repo
        .split("://")
        .nth(1)
        .unwrap_or(repo)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host.contains("gitlab") {
        Patterns {
            edit: "{repo}/-/edit/{branch}/{path}",
            new: "{repo}/-/new/{branch}/{dir}?file_name={file}",
            view: "{repo}/-/blob/{branch}/{path}",
        }
    } else if host.contains("codeberg") || host.contains("gitea") || host.contains("forgejo") {
        Patterns {
            edit: "{repo}/_edit/{branch}/{path}",
            new: "{repo}/_new/{branch}/{dir}",
            view: "{repo}/src/branch/{branch}/{path}",
        }
    } else {
        Patterns {
            edit: "{repo}/edit/{branch}/{path}",
            new: "{repo}/new/{branch}/{dir}?filename={file}",
            view: "{repo}/blob/{branch}/{path}",
        }
    }
}

impl Forge {
    /// The forge of a site whose root is `git_prefix` inside its git repository (when `repo_path` does not
    /// say), or `None` without `repo_url`.
    pub fn new(config: &Config, git_prefix: Option<&str>) -> Option<Forge> {
        let repo = config
            .repo_url
            .as_deref()?
            .trim_end_matches('/')
            .to_string();
        let forge = patterns(&repo);
        let prefix = config
            .repo_path
            .as_deref()
            .or(git_prefix)
            .unwrap_or_default()
            .trim_matches('/');
        Some(Forge {
            branch: config.repo_branch.clone(),
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            edit: config.edit_url.clone().unwrap_or_else(|| forge.edit.into()),
            new: config.new_url.clone().unwrap_or_else(|| forge.new.into()),
            view: forge.view,
            repo,
        })
    }

    /// The editor for `file` (relative to the site root, `content/cities/dalian.md`).
    pub fn edit_url(&self, file: &str) -> String {
        self.at(&self.edit, file)
    }

    /// `pattern` filled in for `file` (relative to the site root).
    fn at(&self, pattern: &str, file: &str) -> String {
        pattern
            .replace("{repo}", &self.repo)
            .replace("{branch}", &self.branch)
            .replace("{path}", &encode_path(&format!("{}{file}", self.prefix)))
    }

    /// A new file `file` (relative to the site root) on the forge, its folder and name filled in.
    pub fn new_file_url(&self, file: &str) -> String {
        let full = format!("{}{file}", self.prefix);
        let (dir, name) = full.rsplit_once('/').unwrap_or(("", &full));
        self.new
            .replace("{repo}", &self.repo)
            .replace("{branch}", &self.branch)
            .replace("{dir}", &encode_path(dir))
            .replace("{file}", &encode_path(name))
    }

    /// The contributors' guide on the forge, at `anchor`.
    pub fn guide_url(&self, anchor: &str) -> String {
        format!("{}#{anchor}", self.at(self.view, "CONTRIBUTING.md"))
    }
}

/// Percent-encodes what a URL path cannot hold as it is (spaces, `?`, `#`, non-ASCII), keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forge(url: &str, path: Option<&str>) -> Forge {
        let config = Config {
            repo_url: Some(url.into()),
            repo_path: path.map(Into::into),
            ..Config::default()
        };
        Forge::new(&config, None).unwrap()
    }

    #[test]
    fn github_gitlab_and_forgejo_patterns() {
        let gh = forge("https://github.com/org/kb/", None);
        assert_eq!(
            gh.edit_url("content/cities/dalian.md"),
            "https://github.com/org/kb/edit/main/content/cities/dalian.md"
        );
        assert_eq!(
            gh.new_file_url("content/lessons/lesson-02.km.md"),
            "https://github.com/org/kb/new/main/content/lessons?filename=lesson-02.km.md"
        );
        assert_eq!(
            gh.guide_url("translate"),
            "https://github.com/org/kb/blob/main/CONTRIBUTING.md#translate"
        );
        let gl = forge("https://gitlab.com/org/kb", Some("site"));
        assert_eq!(
            gl.edit_url("content/a b.md"),
            "https://gitlab.com/org/kb/-/edit/main/site/content/a%20b.md"
        );
        let cb = forge("https://codeberg.org/org/kb", None);
        assert_eq!(
            cb.edit_url("content/a.md"),
            "https://codeberg.org/org/kb/_edit/main/content/a.md"
        );
    }

    #[test]
    fn no_repo_no_links() {
        assert!(Forge::new(&Config::default(), None).is_none());
    }
}
