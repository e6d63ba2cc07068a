//! `kizuna new`: writes a valid, commented skeleton for a contributor, or starts a translation from its
//! source.

use crate::content::frontmatter;
use crate::content::schema::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::translations::content_hash;
use std::path::{Path, PathBuf};

/// The folder a kind lives in.
pub fn folder(kind: Kind) -> &'static str {
    match kind {
        Kind::CaseStudy => "case-studies",
        Kind::Agreement => "agreements",
        Kind::Event => "timeline",
        Kind::City => "cities",
        Kind::Lesson => "lessons",
        Kind::Programme => "programmes",
        Kind::Page => "pages",
    }
}

/// The commented front matter of a new document of `kind`.
pub fn skeleton(kind: Kind, title: &str) -> String {
    let title = title.replace('"', "'");
    let specific = match kind {
        Kind::Page => "",
        Kind::City => "names: { en: Example }        # the city's name in each language you are sure of\ncountry: Example country\n# population: 1000000\n# population_year: 2020\n# coordinates: [0.0, 0.0]    # latitude, longitude\nrole: partner                 # home | partner | network\n",
        Kind::CaseStudy => "city: kitakyushu              # the partner city's id (a file in content/cities/)\ncountry: Japan\nperiod: { start: 2010, end: ongoing }   # end: a year or `ongoing`\nfields: [waste]               # water, sewerage, waste, air, energy, low-carbon, climate, education, ...\nschemes: []                   # e.g. JICA Partnership Program\nfunders: []\nstakeholders: []\noutcomes: []                  # - { label: Households served, value: \"1,000\", year: 2015 }\nsources: []                   # - { title: \"Report title (publisher, year)\" }\n",
        Kind::Agreement => "date: 2014-04                 # year-month at least\ntype: mou                     # friendship-city, sister-city, mou, joint-statement, ...\nparties: [kitakyushu]         # city ids\n# case_study: dalian          # the case study it belongs to\nsummary: What the agreement covers, in one or two sentences.\nsources: []\n",
        Kind::Event => "date: 2014                    # 2014, 2014-04 or 2014-04-15\n# end: 2016                   # for a range\n# fiscal_year: true           # when the source gives a Japanese fiscal year\ntype: milestone               # milestone, project, training, visit, conference, workshop, policy, award, business, study\ncities: [kitakyushu]\nfields: []\n# case_study: dalian\n# agreement: 1979-dalian-friendship-city\nsource: \"Publication, section\"\n",
        Kind::Programme => "date: 2000\n# end: 2010\ncities: [kitakyushu]\nfields: []\norganisers: []\nsources: []\n",
        Kind::Lesson => "series: Ecology Note\nnumber: 9\nage_range: [10, 12]\ngrade_band: upper-primary     # upper-primary | lower-secondary\nduration: 45                  # minutes; the steps' minutes add up to it\nsubjects: [science]\nfields: [waste]\ncities: [kitakyushu]          # whose real stories the lesson uses\n# case_study: mandalay\nobjectives:                   # pupil-friendly \"I can ...\" wording\n  - I can ...\nmaterials:\n  - ...\nsteps:\n  - text: What the class does.\n    minutes: 45\nquestions:                    # the worksheet; `lines` is the writing space on paper\n  - text: A question for pupils.\n    lines: 2\n    answer: The answer, for the teacher copy.\nteacher_notes: |\n  Preparation, safety, and how to adapt the lesson.\n",
    };
    let body = match kind {
        Kind::Lesson => "## The story\n\nThe true story pupils read, in short sentences.\n",
        Kind::Event => "One short paragraph: what happened and why it mattered.\n",
        _ => "Write the text here. Link other documents with relative links, e.g. [Kitakyushu](../cities/kitakyushu.md).\n",
    };
    format!("---\n# Fields: docs/content-model.md. Check with `kizuna check`.\ntitle: \"{title}\"\ndescription: One or two sentences for lists and search results.\n{specific}---\n\n{body}")
}

/// Starts a translation of `source_text` into `lang`: the same front matter marked as a draft made from the
/// source's current version, for the contributor to translate.
pub fn translation(source_text: &str) -> Result<String, Diagnostic> {
    let split = frontmatter::split(source_text)?;
    let mut yaml: String = split
        .yaml
        .lines()
        .filter(|l| {
            !l.starts_with("status:")
                && !l.starts_with("translated_from:")
                && !l.starts_with("lang:")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    yaml.push_str(&format!("status: draft                 # remove when a second speaker has reviewed it\ntranslated_from: {}   # the source's hash; see /translations/\n", content_hash(source_text)));
    Ok(format!("---\n{yaml}---\n{}", split.body))
}

/// The folder of the plain page `id` (`content/**/<id>.md`) to translate; `content/pages` when there is none.
fn page_folder(root: &Path, id: &str) -> Result<PathBuf, Diagnostic> {
    let content = root.join("content");
    let name = format!("{id}.md");
    let found: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy() == name)
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    match found.as_slice() {
        [] => Ok(content.join(folder(Kind::Page))),
        [one] => Ok(one.clone()),
        many => Err(Diagnostic::error(
            Code::FileExists,
            format!(
                "{} pages are named `{name}`: {}",
                many.len(),
                many.iter()
                    .map(|d| d.join(&name).display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .hint(
            "copy the one to translate beside itself as `<id>.<lang>.md`, or rename one of them",
        )),
    }
}

/// Writes a new document and returns its path. Never overwrites.
pub fn create(
    root: &Path,
    kind: Kind,
    id: &str,
    lang: Option<&str>,
    default_lang: &str,
    title: &str,
) -> Result<PathBuf, Diagnostic> {
    crate::content::document::check_slug(id).map_err(|why| {
        Diagnostic::error(Code::InvalidId, format!("`{id}` cannot be an id: {why}"))
            .hint("use lower-case words joined by `-`, e.g. `2014-mandalay-workshop`")
    })?;
    let dir = match (kind, lang) {
        // A plain page lives anywhere: a translation goes beside its source, wherever that is.
        (Kind::Page, Some(l)) if l != default_lang => page_folder(root, id)?,
        _ => root.join("content").join(folder(kind)),
    };
    let name = match lang {
        Some(l) if l != default_lang => format!("{id}.{l}.md"),
        _ => format!("{id}.md"),
    };
    let path = dir.join(&name);
    if path.exists() {
        return Err(Diagnostic::error(
            Code::FileExists,
            format!("{} already exists", path.display()),
        )
        .hint("choose another `--id`, or edit the existing file"));
    }
    let source = dir.join(format!("{id}.md"));
    let text = match lang {
        Some(l) if l != default_lang && source.exists() => {
            let src = std::fs::read_to_string(&source).map_err(|e| {
                Diagnostic::error(Code::Io, format!("cannot read {}: {e}", source.display()))
            })?;
            translation(&src).map_err(|d| d.in_file(&source))?
        }
        _ => skeleton(kind, title),
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot create {}: {e}", dir.display()))
    })?;
    std::fs::write(&path, text).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display()))
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::schema::parse;

    #[test]
    fn every_skeleton_parses_as_its_kind() {
        for kind in [
            Kind::Page,
            Kind::City,
            Kind::CaseStudy,
            Kind::Agreement,
            Kind::Event,
            Kind::Programme,
            Kind::Lesson,
        ] {
            let text = skeleton(kind, "A \"new\" one");
            let split = frontmatter::split(&text).unwrap();
            if let Err(e) = parse(kind, split.yaml) {
                panic!("{kind:?}: {e}");
            }
        }
    }

    #[test]
    fn translation_starts_as_a_draft_of_the_source() {
        let src = "---\ntitle: A\nstatus: reviewed\n---\nBody\n";
        let t = translation(src).unwrap();
        assert!(t.contains("status: draft"));
        assert!(t.contains(&format!("translated_from: {}", content_hash(src))));
        assert!(!t.contains("status: reviewed"));
        assert!(t.ends_with("---\nBody\n"));
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let p = create(dir.path(), Kind::Lesson, "lesson-09", None, "en", "Water").unwrap();
        assert!(p.ends_with("content/lessons/lesson-09.md"));
        assert!(create(dir.path(), Kind::Lesson, "lesson-09", None, "en", "Water").is_err());
        let my = create(
            dir.path(),
            Kind::Lesson,
            "lesson-09",
            Some("my"),
            "en",
            "Water",
        )
        .unwrap();
        assert!(std::fs::read_to_string(my)
            .unwrap()
            .contains("translated_from:"));
        assert!(create(dir.path(), Kind::Lesson, "../x", None, "en", "x").is_err());

        // A plain page's translation goes beside its source, wherever that is.
        std::fs::write(
            dir.path().join("content/sources.md"),
            "---\ntitle: Sources\n---\nText\n",
        )
        .unwrap();
        let km = create(dir.path(), Kind::Page, "sources", Some("km"), "en", "x").unwrap();
        assert_eq!(km, dir.path().join("content/sources.km.md"));
        assert!(std::fs::read_to_string(km)
            .unwrap()
            .ends_with("---\nText\n"));
    }
}
