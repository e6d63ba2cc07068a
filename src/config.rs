//! The site configuration, `kizuna.yaml` at the site root. Every key is optional: a tree of Markdown files with
//! no configuration builds with these defaults.

use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One language the site publishes in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// BCP 47 primary tag, e.g. `en`, `my`, `ja`.
    pub code: String,
    /// The language's name in itself, e.g. `မြန်မာ`.
    pub name: String,
}

/// Paper sizes lesson sheets can be printed on.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// The name in kizuna.yaml and in file names: `a4`, `letter`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
}

/// The lesson PDFs `kizuna build` makes (`pdf:` in kizuna.yaml).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PdfConfig {
    /// Make PDFs at all: each lesson's student sheet and teacher copy.
    pub enabled: bool,
    /// One booklet of all lessons per language and lesson section.
    pub booklets: bool,
    /// The paper sizes each PDF is made in.
    pub papers: Vec<Paper>,
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            enabled: true,
            booklets: true,
            papers: vec![Paper::A4, Paper::Letter],
        }
    }
}

/// The parsed `kizuna.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's name, in page titles, headers and feeds.
    pub title: String,
    /// What the site is, for search engines and feeds.
    pub description: String,
    /// Absolute URL the site is published at, used in feeds, sitemaps and canonical links.
    pub base_url: String,
    /// The language of pages without a language suffix, published at the root.
    pub default_language: String,
    /// The site's languages, in the order the language switcher lists them.
    pub languages: Vec<Language>,
    /// Theme name: `themes/<name>/` under the site root, or the bundled default theme.
    pub theme: String,
    /// Pages per section list page.
    pub paginate_by: usize,
    /// Turn straight quotes and dashes into typographic ones.
    pub smart_punctuation: bool,
    /// Default paper for printed lesson sheets.
    pub paper: Paper,
    /// Write links relative to each page and ending in `index.html`, so the site works from `file://`.
    pub portable: bool,
    /// Build the client-side search index.
    pub search: bool,
    /// The top-level sections the main navigation lists, by folder name and in this order. Without it, the
    /// navigation lists the first [`NAV_LIMIT`] top-level sections by weight and title.
    pub nav: Option<Vec<String>>,
    /// Raw HTML in page bodies: `safe` (sanitised, the default) or `trusted` (published as written).
    pub raw_html: crate::markdown::RawHtml,
    /// Whether a broken link between pages fails the build (`error`, the default) or is a `warn`ing.
    pub broken_links: Level,
    /// Take each page's last-updated date from the last git commit that changed it (when the site is in a
    /// git repository; front matter `updated` wins).
    pub git_dates: bool,
    /// The repository's web address on its forge, e.g. `https://github.com/org/kb`: pages link to the forge's
    /// editor for their source file, and to start a missing translation.
    pub repo_url: Option<String>,
    /// The branch edits are proposed against.
    pub repo_branch: String,
    /// Where the site root lies in the repository (`docs` when kizuna.yaml is in `docs/`); found from git
    /// when it is not set.
    pub repo_path: Option<String>,
    /// The editor's address for a file, with `{repo}`, `{branch}` and `{path}` (the file's path in the
    /// repository); by default GitHub's, GitLab's or Forgejo/Gitea's pattern, chosen by `repo_url`'s host.
    pub edit_url: Option<String>,
    /// The forge's "new file" address, with `{repo}`, `{branch}`, `{dir}` (the folder, in the repository) and
    /// `{file}` (the file name); by default chosen by `repo_url`'s host like `edit_url`.
    pub new_url: Option<String>,
    /// Lesson PDFs.
    pub pdf: PdfConfig,
}

/// How a class of problems is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The build fails.
    #[default]
    Error,
    /// The build goes on; the problem is listed.
    Warn,
}

/// How many top-level sections the main navigation lists when `nav` does not choose them; a site with more
/// gets a link to the home page, which lists them all.
pub const NAV_LIMIT: usize = 8;

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "kizuna site".into(),
            description: String::new(),
            base_url: "http://127.0.0.1:1111/".into(),
            default_language: "en".into(),
            languages: Vec::new(),
            theme: "default".into(),
            paginate_by: 10,
            smart_punctuation: true,
            paper: Paper::A4,
            portable: false,
            search: true,
            nav: None,
            raw_html: crate::markdown::RawHtml::Safe,
            broken_links: Level::Error,
            git_dates: true,
            repo_url: None,
            repo_branch: "main".into(),
            repo_path: None,
            edit_url: None,
            new_url: None,
            pdf: PdfConfig::default(),
        }
    }
}

/// The file name of the configuration at the site root.
pub const CONFIG_FILE: &str = "kizuna.yaml";

impl Config {
    /// Reads `kizuna.yaml` from `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                Diagnostic::error(Code::InvalidUtf8, "kizuna.yaml is not valid UTF-8")
                    .in_file(CONFIG_FILE)
                    .hint(format!("re-save the file as UTF-8 ({e})"))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(
                    Diagnostic::error(Code::Io, format!("cannot read kizuna.yaml: {e}"))
                        .in_file(CONFIG_FILE),
                )
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a `kizuna.yaml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = if text.trim().is_empty() {
            Config::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| yaml_diagnostic(&e, text, CONFIG_FILE, 0))?
        };
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        if config.languages.is_empty() {
            config.languages.push(Language {
                code: config.default_language.clone(),
                name: native_name(&config.default_language).to_string(),
            });
        }
        if !config
            .languages
            .iter()
            .any(|l| l.code == config.default_language)
        {
            return Err(Diagnostic::error(
                Code::InvalidConfig,
                format!(
                    "the default language `{}` is not in `languages`",
                    config.default_language
                ),
            )
            .in_file(CONFIG_FILE)
            .hint("add it to `languages` or change `default_language`"));
        }
        if config.paginate_by == 0 {
            return Err(
                Diagnostic::error(Code::InvalidConfig, "`paginate_by` must be at least 1")
                    .in_file(CONFIG_FILE),
            );
        }
        Ok(config)
    }

    /// Whether `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// The URL prefix of a language: empty for the default language, `/my` for the others.
    pub fn lang_prefix(&self, code: &str) -> String {
        if code == self.default_language || !self.has_language(code) {
            String::new()
        } else {
            format!("/{code}")
        }
    }
}

/// A few native language names, used when a site does not declare its languages.
fn native_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "ja" => "日本語",
        "my" => "မြန်မာ",
        "km" => "ខ្មែរ",
        "vi" => "Tiếng Việt",
        "id" => "Bahasa Indonesia",
        _ => "Default",
    }
}

/// Turns a serde_yaml error into a diagnostic in `file`, whose whole text is `source`; the YAML that failed
/// starts `line_offset` lines into it.
pub fn yaml_diagnostic(
    err: &serde_yaml::Error,
    source: &str,
    file: impl AsRef<Path>,
    line_offset: usize,
) -> Diagnostic {
    let raw = err.to_string();
    let message = raw
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim_end_matches('.')
        .to_string();
    let (code, message, hint, span) = explain_yaml_error(&message);
    let mut d = Diagnostic::error(code, message).in_file(file);
    if let Some(loc) = err.location() {
        d = d.at(source, loc.line() + line_offset, loc.column());
        if let Some(len) = span {
            d = d.spanning(len);
        }
    }
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// The words serde quotes in backticks: "expected one of `a`, `b`" → [a, b].
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Rewrites serde's terse messages into what a contributor needs: the problem and a fix.
fn explain_yaml_error(message: &str) -> (Code, String, Option<String>, Option<usize>) {
    // serde_yaml puts the path of a nested value first: `fields[0]: unknown variant …`.
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') && !path.is_empty() {
            let (code, m, hint, span) = explain_yaml_error(rest);
            let m = if m.contains(&format!("`{path}`")) {
                m
            } else {
                format!("{path}: {m}")
            };
            return (code, m, hint, span);
        }
    }
    if message.starts_with("invalid date") {
        return (
            Code::InvalidDate,
            message.to_string(),
            Some("write a date as 2014, 2014-04 or 2014-04-15".into()),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let choices = backticked(expected);
            let hint = match did_you_mean(field, choices.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the fields allowed here are: {}", choices.join(", ")),
            };
            return (
                Code::UnknownField,
                format!("unknown field `{field}`"),
                Some(hint),
                Some(field.chars().count()),
            );
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            Code::MissingField,
            format!("missing required field `{field}`"),
            Some(format!("add `{field}: …` to the front matter")),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, expected)) = rest.split_once('`') {
            let choices = backticked(expected);
            let hint = match did_you_mean(value, choices.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? allowed: {}", choices.join(", ")),
                None => format!("allowed values: {}", choices.join(", ")),
            };
            return (
                Code::InvalidValue,
                format!("`{value}` is not an allowed value here"),
                Some(hint),
                Some(value.chars().count().max(1)),
            );
        }
    }
    if message.contains("invalid type") {
        return (
            Code::WrongType,
            message.replace("invalid type: ", "wrong type: found "),
            Some("check the value's type against docs/content-model.md".into()),
            None,
        );
    }
    (Code::InvalidSyntax, message.to_string(), None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gets_defaults() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.default_language, "en");
        assert_eq!(c.languages.len(), 1);
        assert_eq!(c.lang_prefix("en"), "");
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let err = Config::parse("title: x\nbase_ulr: https://a/\n").unwrap_err();
        assert_eq!(err.message, "unknown field `base_ulr`");
        assert_eq!(err.position.unwrap().line, 2);
        assert_eq!(err.hint.as_deref(), Some("did you mean `base_url`?"));
    }

    #[test]
    fn languages_get_prefixes() {
        let c = Config::parse(
            "languages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n",
        )
        .unwrap();
        assert_eq!(c.lang_prefix("my"), "/my");
        assert_eq!(c.lang_prefix("en"), "");
    }
}
