//! The theme: templates, static files and UI strings. A site's own `themes/<name>/` folder is used when it
//! exists; otherwise the default theme built into the binary. A site's `templates/` folder overrides theme
//! templates by name.

use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A loaded theme.
#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`page.html`, `partials/nav.html`) → (path shown in errors, source).
    pub templates: BTreeMap<String, (String, String)>,
    /// Output path → source, theme files first, then the site's `static/` (which wins).
    pub statics: BTreeMap<String, StaticSource>,
    /// Language → UI string key → text.
    pub strings: BTreeMap<String, BTreeMap<String, serde_yaml::Value>>,
    /// A fingerprint of the theme's static files (FNV-1a), which templates add to asset URLs
    /// (`style.css?v=…`) so that after an upgrade no browser mixes cached old files with new pages.
    pub version: String,
}

/// Loads the theme `name` for the site at `root`, with the site's overrides.
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut problems = Vec::new();
    let dir = root.join("themes").join(name);
    let files: Vec<(String, String, StaticSource)> = if dir.is_dir() {
        walk(&dir)
            .into_iter()
            .map(|(rel, path)| {
                (
                    rel.clone(),
                    format!("themes/{name}/{rel}"),
                    StaticSource::Disk(path),
                )
            })
            .collect()
    } else if name == "default" {
        embedded::FILES
            .iter()
            .map(|(rel, bytes)| {
                (
                    rel.to_string(),
                    format!("themes/default/{rel} (built in)"),
                    StaticSource::Embedded(bytes),
                )
            })
            .collect()
    } else {
        return Err(vec![Diagnostic::error(
            Code::MissingTheme,
            format!("there is no theme `{name}`"),
        )
        .in_file("kizuna.yaml")
        .hint(format!(
            "create themes/{name}/ or remove `theme:` to use the default theme"
        ))]);
    };
    let mut version = crate::fingerprint::Fnv::default();
    for (rel, shown, source) in files {
        if let Some(t) = rel.strip_prefix("templates/") {
            match read_text(&source, &shown) {
                Ok(text) => {
                    theme.templates.insert(t.to_string(), (shown, text));
                }
                Err(d) => problems.push(d),
            }
        } else if let Some(s) = rel.strip_prefix("static/") {
            version.write(s.as_bytes());
            match &source {
                StaticSource::Embedded(bytes) => version.write(bytes),
                StaticSource::Disk(path) => match std::fs::read(path) {
                    Ok(bytes) => version.write(&bytes),
                    Err(e) => problems.push(
                        Diagnostic::error(Code::Io, format!("cannot read: {e}")).in_file(&shown),
                    ),
                },
            }
            theme.statics.insert(s.to_string(), source);
        } else if let Some(lang) = rel
            .strip_prefix("i18n/")
            .and_then(|f| f.strip_suffix(".yaml"))
        {
            match read_text(&source, &shown).and_then(|text| {
                serde_yaml::from_str(&text)
                    .map_err(|e| crate::config::yaml_diagnostic(&e, &text, &shown, 0))
            }) {
                Ok(map) => {
                    theme.strings.insert(lang.to_string(), map);
                }
                Err(d) => problems.push(d),
            }
        }
    }
    theme.version = version.hex()[..10].to_string();
    for (rel, path) in walk(&root.join("templates")) {
        let shown = format!("templates/{rel}");
        match read_text(&StaticSource::Disk(path), &shown) {
            Ok(text) => {
                theme.templates.insert(rel, (shown, text));
            }
            Err(d) => problems.push(d),
        }
    }
    for (rel, path) in walk(&root.join("static")) {
        theme.statics.insert(rel, StaticSource::Disk(path));
    }
    if problems.is_empty() {
        Ok(theme)
    } else {
        Err(problems)
    }
}

fn read_text(source: &StaticSource, shown: &str) -> Result<String, Diagnostic> {
    let bytes = match source {
        StaticSource::Embedded(b) => b.to_vec(),
        StaticSource::Disk(p) => std::fs::read(p)
            .map_err(|e| Diagnostic::error(Code::Io, format!("cannot read: {e}")).in_file(shown))?,
    };
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(Code::InvalidUtf8, "the file is not valid UTF-8").in_file(shown)
    })
}

/// Files under `dir` as (relative path with `/`, absolute path), sorted; empty when `dir` does not exist.
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.into_path())
        })
        .collect()
}
