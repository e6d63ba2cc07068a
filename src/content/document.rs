//! Parses loaded files into typed documents: the front matter into the kind's schema, the language and id from
//! the file name. Markdown bodies are kept as text for the markdown stage.

use super::frontmatter::{self, locate};
use super::load::SourceFile;
use super::schema::{self, Common, Kind, KindData, SectionMeta};
use crate::config::{yaml_diagnostic, Config};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A content page with its typed front matter.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path shown in diagnostics (`content/lessons/lesson-01.md`).
    pub file: PathBuf,
    /// Path relative to the content directory (`lessons/lesson-01.md`).
    pub rel: String,
    /// The directory of the section it belongs to, relative to the content directory (`lessons`, or empty).
    pub dir: String,
    /// File name without language suffix and extension (`lesson-01`); translations share it.
    pub id: String,
    /// The site language the page is published in: its file-name suffix or `lang`, or the default language
    /// when neither names a configured language. Sections, lists and tags group pages by it.
    pub lang: String,
    /// The kind of document, from its section or its `kind:`.
    pub kind: Kind,
    /// The front-matter fields every kind has.
    pub common: Common,
    /// The fields of its kind.
    pub data: KindData,
    /// The whole file, for diagnostics and the markdown stage.
    pub source: String,
    /// Byte offset of the Markdown body in `source`.
    pub body_offset: usize,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The language the text is written in, for `lang` attributes and search: front matter `lang` where it
    /// names a language the site does not configure, else [`Document::lang`].
    pub fn content_lang(&self) -> &str {
        self.common.lang.as_deref().unwrap_or(&self.lang)
    }

    /// The title, falling back to the id.
    pub fn title(&self) -> &str {
        self.common.title.as_deref().unwrap_or(&self.id)
    }

    /// A diagnostic pointing at a front matter key (and a value inside it, when given).
    pub fn diagnostic_at(&self, d: Diagnostic, key: &str, value: Option<&str>) -> Diagnostic {
        let head = &self.source[..self.body_offset];
        let d = d.in_file(&self.file);
        match locate(head, key, value) {
            Some((offset, len)) => d.at_offset(&self.source, offset).spanning(len),
            None => d,
        }
    }
}

/// A section's `_index.md`.
#[derive(Debug, Clone)]
pub struct SectionFile {
    /// The file, as shown in diagnostics.
    pub file: PathBuf,
    /// The section's folder under `content/` (`lessons`, `` for the root).
    pub dir: String,
    /// The language it is in.
    pub lang: String,
    /// Its front matter.
    pub meta: SectionMeta,
    /// The whole file.
    pub source: String,
    /// Where the Markdown body starts in `source`.
    pub body_offset: usize,
}

impl SectionFile {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }
}

/// The parse stage's result.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The pages.
    pub documents: Vec<Document>,
    /// The sections' `_index` files.
    pub sections: Vec<SectionFile>,
}

/// Splits `lesson-01.my.md` into (`lesson-01`, Some(`my`)) when `my` is a configured language.
fn split_name<'a>(file_name: &'a str, config: &Config) -> (&'a str, Option<&'a str>) {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    match stem.rsplit_once('.') {
        Some((base, lang)) if config.has_language(lang) && !base.is_empty() => (base, Some(lang)),
        _ => (stem, None),
    }
}

fn dir_and_name(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// A parsed page with its warnings, nothing for a left-out draft, or the errors that stopped it.
type PageResult = Result<Option<(Document, Vec<Diagnostic>)>, Vec<Diagnostic>>;

/// Parses every loaded file. Drafts are dropped unless `drafts` is set.
pub fn parse_all(
    files: Vec<SourceFile>,
    config: &Config,
    drafts: bool,
) -> (Parsed, Vec<Diagnostic>) {
    let (index_files, page_files): (Vec<SourceFile>, Vec<SourceFile>) = files
        .into_iter()
        .partition(|f| dir_and_name(&f.rel).1.starts_with("_index."));
    let mut diagnostics = Vec::new();
    let mut sections = Vec::new();
    for f in index_files {
        match parse_section(f, config) {
            Ok(s) if s.meta.draft && !drafts => {}
            Ok(s) => sections.push(s),
            Err(d) => diagnostics.push(d),
        }
    }
    let kinds = section_kinds(&sections, config);
    let results: Vec<PageResult> = page_files
        .into_par_iter()
        .map(|f| parse_page(f, config, &kinds, drafts))
        .collect();
    let mut documents = Vec::new();
    for r in results {
        match r {
            Ok(Some((d, warnings))) => {
                documents.push(d);
                diagnostics.extend(warnings);
            }
            Ok(None) => {}
            Err(ds) => diagnostics.extend(ds),
        }
    }
    (
        Parsed {
            documents,
            sections,
        },
        diagnostics,
    )
}

/// The kind declared by each section directory's `_index.md` (default language first).
fn section_kinds(sections: &[SectionFile], config: &Config) -> BTreeMap<String, Kind> {
    let mut kinds = BTreeMap::new();
    for s in sections {
        if let Some(kind) = s.meta.kind {
            if s.lang == config.default_language || !kinds.contains_key(&s.dir) {
                kinds.insert(s.dir.clone(), kind);
            }
        }
    }
    kinds
}

/// The kind of a page in `dir`: the nearest declared one, else the one implied by the top folder's name.
fn kind_of(dir: &str, kinds: &BTreeMap<String, Kind>) -> Kind {
    let mut d = dir;
    loop {
        if let Some(k) = kinds.get(d) {
            return *k;
        }
        match d.rsplit_once('/') {
            Some((parent, _)) => d = parent,
            None if !d.is_empty() => d = "",
            None => break,
        }
    }
    Kind::from_folder(dir.split('/').next().unwrap_or(""))
}

fn parse_section(f: SourceFile, config: &Config) -> Result<SectionFile, Diagnostic> {
    let (dir, name) = dir_and_name(&f.rel);
    let (_, lang) = split_name(name, config);
    let split = frontmatter::split(&f.text).map_err(|d| d.in_file(&f.display))?;
    let yaml = split.as_yaml(&f.text).map_err(|d| d.in_file(&f.display))?;
    let meta = schema::parse_section(&yaml)
        .map_err(|e| front_matter_error(&e, &split, &f.text, &f.display))?;
    let lang = lang
        .or(meta.lang.as_deref())
        .filter(|l| config.has_language(l))
        .unwrap_or(&config.default_language)
        .to_string();
    let body_offset = split.body_offset;
    Ok(SectionFile {
        dir: dir.to_string(),
        lang,
        meta,
        body_offset,
        file: f.display,
        source: f.text,
    })
}

fn parse_page(
    f: SourceFile,
    config: &Config,
    kinds: &BTreeMap<String, Kind>,
    drafts: bool,
) -> PageResult {
    let (dir, name) = dir_and_name(&f.rel);
    let (id, suffix_lang) = split_name(name, config);
    // A page bundle (Hugo's `folder/index.md`) is the page `folder` of the section above it.
    let (dir, id) = match (id, dir.rsplit_once('/')) {
        ("index", Some((parent, folder))) => (parent, folder),
        ("index", None) if !dir.is_empty() => ("", dir),
        _ => (dir, id),
    };
    let kind = kind_of(dir, kinds);
    let split = frontmatter::split(&f.text).map_err(|d| vec![d.in_file(&f.display)])?;
    let yaml = split
        .as_yaml(&f.text)
        .map_err(|d| vec![d.in_file(&f.display)])?;
    let (common, data) = schema::parse(kind, &yaml).map_err(|e| {
        vec![explain_kind(
            front_matter_error(&e, &split, &f.text, &f.display),
            kind,
        )]
    })?;
    if common.draft && !drafts {
        return Ok(None);
    }
    let doc = Document {
        file: f.display.clone(),
        rel: f.rel.clone(),
        dir: dir.to_string(),
        id: id.to_string(),
        lang: suffix_lang
            .or(common.lang.as_deref())
            .filter(|l| config.has_language(l))
            .unwrap_or(&config.default_language)
            .to_string(),
        kind,
        common,
        data,
        body_offset: split.body_offset,
        source: f.text,
    };
    let mut problems = Vec::new();
    if let (Some(suffix), Some(fm)) = (suffix_lang, doc.common.lang.as_deref()) {
        if suffix != fm {
            problems.push(
                doc.diagnostic_at(
                    Diagnostic::error(
                        Code::LanguageMismatch,
                        format!("the file name says `{suffix}` but `lang` says `{fm}`"),
                    ),
                    "lang",
                    Some(fm),
                )
                .hint("remove `lang:`; the language suffix of the file name is enough"),
            );
        }
    }
    if let Some((_, suffix)) = id.rsplit_once('.') {
        if (2..=3).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_lowercase()) {
            problems.push(
                Diagnostic::warning(Code::UnknownLanguage, format!("`{name}` looks like a translation, but `{suffix}` is not a configured language"))
                    .in_file(&doc.file)
                    .hint(format!("add `{suffix}` to `languages` in kizuna.yaml, or rename the file")),
            );
        }
    }
    if let KindData::Page(page) = &doc.data {
        let keys: Vec<String> = page.extra.keys().cloned().collect();
        for (key, field) in schema::near_misses(&keys) {
            problems.push(
                doc.diagnostic_at(
                    Diagnostic::warning(
                        Code::LikelyTypo,
                        format!("`{key}` is kept in `extra`, but looks like a typo"),
                    ),
                    &key,
                    None,
                )
                .hint(format!("did you mean `{field}`?")),
            );
        }
        if let Some(url) = page.url.as_deref() {
            if let Err(why) = check_url(url) {
                problems.push(
                    doc.diagnostic_at(
                        Diagnostic::error(Code::UnsafePath, format!("unsafe url `{url}`: {why}")),
                        "url",
                        Some(url),
                    )
                    .hint("`url` is a path inside the site, e.g. `/guide/install/`"),
                );
            }
        }
    }
    if kind != Kind::Page && doc.common.title.is_none() {
        problems.push(
            Diagnostic::error(Code::MissingField, "missing required field `title`")
                .in_file(&doc.file)
                .at(&doc.source, 1, 1)
                .spanning(3)
                .hint("add `title: …` to the front matter"),
        );
    }
    if let Some(slug) = doc.common.slug.as_deref() {
        if let Err(why) = check_slug(slug) {
            problems.push(
                doc.diagnostic_at(
                    Diagnostic::error(Code::UnsafePath, format!("unsafe slug `{slug}`: {why}")),
                    "slug",
                    Some(slug),
                )
                .hint("a slug is one URL segment of letters, digits, `-` and `_`, e.g. `my-page`"),
            );
        }
    }
    if let Some(code) = doc.common.lang.as_deref() {
        if config.languages.len() > 1 && !config.has_language(code) {
            let hint = match did_you_mean(code, config.languages.iter().map(|l| l.code.as_str())) {
                Some(best) => {
                    format!("did you mean `{best}`? or add `{code}` to `languages` in kizuna.yaml")
                }
                None => format!("add `{code}` to `languages` in kizuna.yaml"),
            };
            problems.push(
                doc.diagnostic_at(
                    Diagnostic::warning(
                        Code::UnknownLanguage,
                        format!("`{code}` is not a configured language"),
                    ),
                    "lang",
                    Some(code),
                )
                .hint(hint),
            );
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    Ok(Some((doc, problems)))
}

/// A front matter error at its line; for TOML front matter, whose converted YAML has other lines, at the
/// front matter's first line.
fn front_matter_error(
    e: &serde_yaml::Error,
    split: &frontmatter::Split,
    source: &str,
    file: &std::path::Path,
) -> Diagnostic {
    if split.toml {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Diagnostic::error(Code::InvalidSyntax, message.to_string())
            .in_file(file)
            .at(source, 2, 1)
    } else {
        yaml_diagnostic(e, source, file, split.yaml_line_offset)
    }
}

/// Whether a page's own `url` stays inside the site: path segments, none of them `.` or `..`.
fn check_url(url: &str) -> Result<(), String> {
    let path = url.trim_matches('/');
    if url.contains("://") || url.starts_with("//") {
        return Err("it leaves the site".into());
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err("it climbs out of the site".into());
    }
    if path.contains(['\\', '?', '#']) || path.chars().any(char::is_control) {
        return Err("it has `\\`, `?`, `#` or a control character".into());
    }
    Ok(())
}

/// Adds the kind to a schema error, so that a contributor knows which schema applies.
fn explain_kind(d: Diagnostic, kind: Kind) -> Diagnostic {
    if kind == Kind::Page || d.hint.is_some() {
        return d;
    }
    let hint = format!(
        "this file is a `{}`; its fields are listed in docs/content-model.md",
        kind.name()
    );
    d.hint(hint)
}

/// Rejects slugs that would leave their folder or make a broken URL.
pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        return Err("it is empty");
    }
    if slug.contains(['/', '\\']) {
        return Err("it contains a path separator");
    }
    if slug.starts_with('.') {
        return Err("it starts with a dot and could escape the output folder");
    }
    if slug
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "?#%\"<>|:*".contains(c))
    {
        return Err("it contains a character that is not allowed in a URL segment");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "languages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n",
        )
        .unwrap()
    }

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile::new(rel, text)
    }

    #[test]
    fn language_suffix_and_kind_from_folder() {
        let (p, d) = parse_all(
            vec![file("lessons/lesson-01.my.md", "---\ntitle: A\nseries: Ecology Note\nnumber: 1\nage_range: [10, 12]\ngrade_band: upper-primary\nduration: 45\nobjectives: [x]\n---\nbody\n")],
            &config(),
            false,
        );
        assert!(d.is_empty(), "{d:?}");
        let doc = &p.documents[0];
        assert_eq!(
            (doc.id.as_str(), doc.lang.as_str(), doc.kind),
            ("lesson-01", "my", Kind::Lesson)
        );
        assert_eq!(doc.body(), "body\n");
    }

    #[test]
    fn unconfigured_suffix_stays_in_the_id() {
        assert_eq!(split_name("v1.2.md", &config()), ("v1.2", None));
        assert_eq!(split_name("a.my.md", &config()), ("a", Some("my")));
    }

    #[test]
    fn slug_escaping_the_output_is_an_error() {
        let (_, d) = parse_all(
            vec![file("a.md", "---\ntitle: A\nslug: ../../etc\n---\n")],
            &config(),
            false,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location().unwrap(), "content/a.md:3:7");
        assert!(d[0].message.starts_with("unsafe slug"));
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let (_, d) = parse_all(
            vec![file("a.md", "---\ntitle: A\ndate: soon\n---\n")],
            &config(),
            false,
        );
        assert_eq!(d[0].location().unwrap(), "content/a.md:3:7", "{}", d[0]);
    }

    #[test]
    fn drafts_are_left_out() {
        let (p, _) = parse_all(
            vec![file("a.md", "---\ntitle: A\ndraft: true\n---\n")],
            &config(),
            false,
        );
        assert!(p.documents.is_empty());
        let (p, _) = parse_all(
            vec![file("a.md", "---\ntitle: A\ndraft: true\n---\n")],
            &config(),
            true,
        );
        assert_eq!(p.documents.len(), 1);
    }
}
