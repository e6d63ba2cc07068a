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
    /// Built into kizuna (the default theme).
    Embedded(&'static [u8]),
    /// A file of the site's own theme.
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
    /// Font files for the lesson PDFs (`fonts/…`), name → source.
    pub fonts: BTreeMap<String, StaticSource>,
    /// Typst templates for the lesson PDFs (`pdf/lesson.typ`), name → (path shown in errors, source).
    pub pdf_templates: BTreeMap<String, (String, String)>,
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
    let has_fonts = files.iter().any(|f| f.0.starts_with("fonts/"));
    let has_pdf = files.iter().any(|f| f.0.starts_with("pdf/"));
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
        } else if let Some(f) = rel.strip_prefix("fonts/") {
            theme.fonts.insert(f.to_string(), source);
        } else if let Some(t) = rel.strip_prefix("pdf/") {
            match read_text(&source, &shown) {
                Ok(text) => {
                    theme.pdf_templates.insert(t.to_string(), (shown, text));
                }
                Err(d) => problems.push(d),
            }
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
    // A theme of the site's own without fonts or a PDF template for lessons uses the default theme's.
    for (rel, bytes) in embedded::FILES {
        if let Some(f) = rel.strip_prefix("fonts/").filter(|_| !has_fonts) {
            theme
                .fonts
                .insert(f.to_string(), StaticSource::Embedded(bytes));
        } else if let Some(t) = rel.strip_prefix("pdf/").filter(|_| !has_pdf) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let shown = format!("themes/default/{rel} (built in)");
            theme.pdf_templates.insert(t.to_string(), (shown, text));
        }
    }
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

/// Warnings for the site's languages whose UI strings the theme lacks, wholly or in part: those menus, labels
/// and buttons show in English (or as bare ids) to readers of that language.
pub fn untranslated(theme: &Theme, config: &crate::config::Config) -> Vec<Diagnostic> {
    let Some(en) = theme.strings.get("en") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for lang in config.languages.iter().filter(|l| l.code != "en") {
        let file = format!("themes/{}/i18n/{}.yaml", config.theme, lang.code);
        let Some(strings) = theme.strings.get(&lang.code) else {
            out.push(
                Diagnostic::warning(
                    Code::UntranslatedStrings,
                    format!(
                        "the theme has no UI strings in `{}` ({}): its menus, labels and buttons show in English",
                        lang.code, lang.name
                    ),
                )
                .in_file("kizuna.yaml")
                .hint(format!("add {file}, translating the keys of en.yaml")),
            );
            continue;
        };
        let mut missing = Vec::new();
        for (key, value) in en {
            match (value, strings.get(key)) {
                (_, None) => missing.push(key.clone()),
                (serde_yaml::Value::Mapping(e), Some(serde_yaml::Value::Mapping(t))) => missing
                    .extend(
                        e.keys()
                            .filter(|k| !t.contains_key(*k))
                            .filter_map(|k| k.as_str().map(|k| format!("{key}.{k}"))),
                    ),
                _ => {}
            }
        }
        if !missing.is_empty() {
            out.push(
                Diagnostic::warning(
                    Code::UntranslatedStrings,
                    format!(
                        "{} UI string(s) not translated into `{}`, shown in English: {}",
                        missing.len(),
                        lang.code,
                        missing.join(", ")
                    ),
                )
                .in_file(file)
                .hint("add them to the language's i18n file, translated"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ui_strings_are_named_per_language() {
        let yaml = |s: &str| serde_yaml::from_str(s).unwrap();
        let mut theme = Theme::default();
        theme.strings.insert(
            "en".into(),
            yaml("a: A\nb: B\nfields: { water: Water, waste: Waste }\n"),
        );
        theme
            .strings
            .insert("km".into(), yaml("a: ក\nfields: { water: ទឹក }\n"));
        let config = crate::config::Config::parse(
            "languages:\n  - { code: en, name: English }\n  - { code: km, name: ខ្មែរ }\n  - { code: th, name: ไทย }\n",
        )
        .unwrap();
        let d = untranslated(&theme, &config);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].message,
            "2 UI string(s) not translated into `km`, shown in English: b, fields.waste"
        );
        assert_eq!(
            d[0].file.as_deref(),
            Some(Path::new("themes/default/i18n/km.yaml"))
        );
        assert!(
            d[1].message.contains("no UI strings in `th`"),
            "{}",
            d[1].message
        );
    }
}
