//! Translation status: which documents miss which language, which translations are drafts, and which are
//! older than their source. A translation records the source it was made from in `translated_from`, either as
//! the source's content hash (printed by `kizuna check`) or as a date compared with the source's `updated`.

use crate::content::date::DateSpec;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// The state of one language version of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The source itself.
    Source,
    /// A translation of the source as it is now.
    Current,
    /// A translation marked `status: draft`, not yet reviewed.
    Draft,
    /// A translation older than its source (`translated_from` is not the source's hash).
    Outdated,
    /// No translation in this language.
    Missing,
}

/// One document and the state of each configured language.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The key translations share (`lessons/lesson-01`).
    pub key: String,
    /// The source's title.
    pub title: String,
    /// The source's kind of document.
    pub kind: &'static str,
    /// The source's site path.
    pub path: String,
    /// The source's content hash, the value a translation records in `translated_from`.
    pub hash: String,
    /// Each configured language and its state.
    pub states: Vec<(String, State)>,
}

/// The translation report of a site.
#[derive(Debug, Default)]
pub struct Report {
    /// One row per document with a version in the default language (its source).
    pub rows: Vec<Row>,
    /// Page indices of translations older than their source.
    pub outdated: BTreeSet<usize>,
    /// Warnings: outdated translations, Zawgyi-encoded Burmese.
    pub diagnostics: Vec<Diagnostic>,
}

/// A short, stable hash of a file's text (FNV-1a, 64 bits), insensitive to line endings.
pub fn content_hash(text: &str) -> String {
    let mut h = crate::fingerprint::Fnv::default();
    text.split('\r').for_each(|part| h.write(part.as_bytes()));
    h.hex()[..12].to_string()
}

/// Builds the report and its warnings (outdated translations, Zawgyi-encoded Burmese).
pub fn report(site: &Site) -> Report {
    let mut report = Report::default();
    let default = &site.config.default_language;
    for (key, versions) in &site.translations {
        let Some(source) = versions.iter().find(|(l, _)| l == default).map(|(_, i)| *i) else {
            continue;
        };
        let src = &site.pages[source].doc;
        if versions.len() == 1 && site.config.languages.len() == 1 {
            continue;
        }
        let hash = std::cell::OnceCell::new();
        let hash = || hash.get_or_init(|| content_hash(&src.source)).clone();
        let mut states = Vec::new();
        for lang in site.config.languages.iter().map(|l| l.code.as_str()) {
            let state = match versions.iter().find(|(l, _)| l == lang) {
                None => State::Missing,
                Some((_, i)) if *i == source => State::Source,
                Some((_, i)) => {
                    let doc = &site.pages[*i].doc;
                    let outdated = match doc.common.translated_from.as_deref() {
                        Some(mark) => match DateSpec::parse(mark) {
                            Ok(date) => src
                                .common
                                .updated
                                .as_ref()
                                .is_some_and(|u| u.sort_key() > date.sort_key()),
                            Err(_) => mark != hash(),
                        },
                        None => false,
                    };
                    if outdated {
                        report.outdated.insert(*i);
                        report.diagnostics.push(
                            doc.diagnostic_at(
                                Diagnostic::warning(
                                    Code::OutdatedTranslation,
                                    format!(
                                        "this translation is older than its source {}",
                                        src.file.display()
                                    ),
                                ),
                                "translated_from",
                                None,
                            )
                            .hint(format!(
                                "bring the translation up to date, then set `translated_from: {}`",
                                hash()
                            )),
                        );
                        State::Outdated
                    } else if doc.common.status == Some(crate::content::schema::Status::Draft) {
                        State::Draft
                    } else {
                        State::Current
                    }
                }
            };
            states.push((lang.to_string(), state));
        }
        report.rows.push(Row {
            key: key.clone(),
            title: src.title().to_string(),
            kind: src.kind.name(),
            path: site.pages[source].path.clone(),
            hash: hash(),
            states,
        });
    }
    let zawgyi: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .filter_map(|p| {
            let offset = crate::zawgyi::detect(&p.doc.source)?;
            Some(
                Diagnostic::warning(Code::ZawgyiText, "this Burmese text looks Zawgyi-encoded, not Unicode")
                    .in_file(&p.doc.file)
                    .at_offset(&p.doc.source, offset)
                    .hint("convert the text to Unicode (for example with Rabbit or Google's myanmar-tools) and type with a Unicode keyboard"),
            )
        })
        .collect();
    report.diagnostics.extend(zawgyi);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse("languages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n  - { code: ja, name: 日本語 }\n").unwrap();
        crate::site::link_for_test(&config, files).0
    }

    #[test]
    fn hash_ignores_line_endings() {
        assert_eq!(content_hash("a\r\nb\n"), content_hash("a\nb\n"));
        assert_ne!(content_hash("a"), content_hash("b"));
    }

    #[test]
    fn outdated_missing_and_draft_translations() {
        let source = "---\ntitle: A\nupdated: 2024-05\n---\nText\n";
        let hash = content_hash(source);
        let s = site(&[
            ("a.md", source),
            (
                "a.my.md",
                "---\ntitle: A my\ntranslated_from: 0000000000\n---\n",
            ),
            (
                "a.ja.md",
                &format!("---\ntitle: A ja\nstatus: draft\ntranslated_from: {hash}\n---\n"),
            ),
            ("b.md", "---\ntitle: B\n---\n"),
            (
                "b.my.md",
                "---\ntitle: B my\ntranslated_from: 2023-01\n---\n",
            ),
        ]);
        let r = report(&s);
        let a = r.rows.iter().find(|r| r.key == "a").unwrap();
        assert_eq!(
            a.states,
            vec![
                ("en".into(), State::Source),
                ("my".into(), State::Outdated),
                ("ja".into(), State::Draft)
            ]
        );
        let b = r.rows.iter().find(|r| r.key == "b").unwrap();
        assert_eq!(
            b.states[1],
            ("my".into(), State::Current),
            "no `updated` on the source: not outdated"
        );
        assert_eq!(b.states[2], ("ja".into(), State::Missing));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].location().unwrap(), "content/a.my.md:3:1");
    }
}
