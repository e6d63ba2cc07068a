//! The incremental rebuild against full builds: after each kind of edit, the served site is byte-identical.

use super::*;

struct Fixture {
    dir: tempfile::TempDir,
    engine: Engine,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("kizuna.yaml"),
            "title: T\nbase_url: http://127.0.0.1:1/\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: Myanmar }\npaginate_by: 2\n",
        )
        .unwrap();
        let mut f = Fixture {
            engine: Engine::new(options(dir.path())),
            dir,
        };
        for (rel, text) in files {
            f.write(rel, text);
        }
        f.engine.rebuild(&Changes::everything()).unwrap();
        f.engine.refresh_pdfs().unwrap();
        f.engine.refresh_search();
        f.assert_same();
        f
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn change(&mut self, rels: &[&str]) -> Result<Rebuilt, Vec<Diagnostic>> {
        let changes = Changes {
            content: rels.iter().map(|r| r.to_string()).collect(),
            ..Changes::default()
        };
        let mut r = self.engine.rebuild(&changes)?;
        r.changed.extend(self.engine.refresh_search());
        r.changed.sort();
        Ok(r)
    }

    fn edit(&mut self, rel: &str, text: &str) -> Rebuilt {
        self.write(rel, text);
        let r = self.change(&[rel]).unwrap_or_else(|d| panic!("{d:?}"));
        self.assert_same();
        r
    }

    /// The served site equals a full build, byte for byte.
    fn assert_same(&self) {
        // Lesson PDFs made afresh, not from the cache the engine used.
        let opts = Options {
            cache: crate::pdf::Cache::none(),
            ..Options::new(self.dir.path())
        };
        let g = pipeline::generate(&opts).unwrap_or_else(|d| panic!("{d:?}"));
        let extras_dir = tempfile::tempdir().unwrap();
        pipeline::write_extras(&g.site, &g.bodies, &g.theme, extras_dir.path()).unwrap();
        let extras: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(extras_dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(extras_dir.path()).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        let full: BTreeMap<&str, &[u8]> = g
            .files
            .iter()
            .chain(extras.iter())
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let served: BTreeMap<&str, &[u8]> = self
            .engine
            .served()
            .files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let only_full: Vec<_> = full.keys().filter(|k| !served.contains_key(*k)).collect();
        let only_served: Vec<_> = served.keys().filter(|k| !full.contains_key(*k)).collect();
        assert!(
            only_full.is_empty() && only_served.is_empty(),
            "missing {only_full:?}, extra {only_served:?}"
        );
        for (path, bytes) in &full {
            assert!(
                served[path] == *bytes,
                "{path} differs from a full build:\n--- served\n{}\n--- full\n{}",
                String::from_utf8_lossy(served[path]),
                String::from_utf8_lossy(bytes)
            );
        }
        let assets: BTreeSet<&str> = g.assets.iter().map(|a| a.rel.as_str()).collect();
        let served_assets: BTreeSet<&str> = self
            .engine
            .served()
            .assets
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(assets, served_assets);
    }
}

/// The engine's options: lesson PDFs cached beside the site, not in the user's cache folder.
fn options(root: &Path) -> Options {
    Options {
        cache: crate::pdf::Cache::at(root.join(".pdf-cache")),
        ..Options::new(root)
    }
}

fn note(title: &str, date: &str, tags: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\n---\n{body}\n")
}

fn fixture() -> Fixture {
    Fixture::new(&[
        (
            "notes/a.md",
            &note("A", "2021-01-01", "water", "See [b](b.md)."),
        ),
        ("notes/b.md", &note("B", "2020-01-01", "water, air", "Bee.")),
        ("notes/c.md", &note("C", "2019-01-01", "air", "Sea.")),
        ("notes/d.md", &note("D", "2018-01-01", "water", "Dee.")),
        ("notes/e.md", &note("E", "2017-01-01", "water", "Eee.")),
        (
            "notes/a.my.md",
            &note("A my", "2021-01-01", "water", "my [b](b.md)"),
        ),
        (
            "cities/mandalay.md",
            "---\ntitle: Mandalay\ncountry: Myanmar\n---\nCity.\n",
        ),
        (
            "cities/yangon.md",
            "---\ntitle: Yangon\ncountry: Myanmar\n---\nCity.\n",
        ),
        (
            "agreements/x.md",
            "---\ntitle: X\ndate: 2014\ntype: mou\nparties: [mandalay]\n---\nAgreement.\n",
        ),
        (
            "about.md",
            "---\ntitle: About\n---\nSee [notes](notes/a.md).\n",
        ),
        ("notes/pic.png", "png"),
    ])
}

#[test]
fn a_body_edit_renders_only_the_page_and_its_translations() {
    let mut f = fixture();
    let r = f.edit(
        "notes/c.md",
        &note("C", "2019-01-01", "air", "Sea, changed."),
    );
    // The translation status page shows each source's content hash; of the search index, only the
    // records file holding the page's own excerpt (document 6, with its neighbours 0 to 7), the term
    // shard holding its words and the manifest (which carries the index's fingerprint) change.
    assert_eq!(
        r.changed,
        [
            "notes/c/index.html",
            "search/d/0.bin",
            "search/manifest.bin",
            "search/s/0.bin",
            "translations/index.html"
        ]
    );
    assert!(r.rendered < 10, "rendered {} of {}", r.rendered, r.jobs);
}

#[test]
fn titles_dates_and_tags_reach_lists() {
    let mut f = fixture();
    let r = f.edit(
        "notes/b.md",
        &note("B2", "2020-01-01", "water, air", "Bee."),
    );
    assert!(r.changed.iter().any(|p| p == "tags/air/index.html"));
    assert!(r.changed.iter().any(|p| p == "notes/index.html"));
    f.edit("notes/e.md", &note("E", "2022-01-01", "water", "Eee."));
    f.edit(
        "notes/d.md",
        &note("D", "2018-01-01", "water, energy", "Dee."),
    );
    f.edit("notes/d.md", &note("D", "2018-01-01", "", "Dee."));
    f.edit(
        "notes/c.md",
        &note("C", "2019-01-01", "air", "Sea [self](c.md) #x"),
    );
}

#[test]
fn new_pages_translations_and_slugs() {
    let mut f = fixture();
    f.edit("notes/f.md", &note("F", "2016-01-01", "water", "Eff."));
    f.edit("notes/b.my.md", &note("B my", "2020-01-01", "", "my bee"));
    f.edit(
        "notes/c.md",
        "---\ntitle: C\ndate: 2019-01-01\nslug: sea\n---\nSea.\n",
    );
    f.edit("deep/er/page.md", "---\ntitle: Deep\n---\nDeep.\n");
    f.edit(
        "notes/_index.md",
        "---\ntitle: The notes\n---\nAll the notes.\n",
    );
    f.edit("notes/other.png", "png");
}

#[test]
fn references_reach_both_ends() {
    let mut f = fixture();
    f.edit(
        "cities/mandalay.md",
        "---\ntitle: Mandalay City\ncountry: Myanmar\n---\nCity.\n",
    );
    f.edit(
        "agreements/x.md",
        "---\ntitle: X\ndate: 2014\ntype: mou\nparties: [yangon]\n---\nAgreement.\n",
    );
    f.edit(
        "cities/mandalay.md",
        "---\ntitle: Mandalay\ncountry: Myanmar\n---\nCity 2.\n",
    );
}

#[test]
fn deletions_break_links_until_fixed_and_errors_keep_the_last_good_site() {
    let mut f = fixture();
    let before = f.engine.served().files["notes/a/index.html"].clone();
    std::fs::remove_file(f.dir.path().join("content/notes/b.md")).unwrap();
    let errors = f.change(&["notes/b.md"]).unwrap_err();
    assert!(
        errors.iter().any(|d| d.message.contains("broken link")),
        "{errors:?}"
    );
    assert_eq!(f.engine.served().files["notes/a/index.html"], before);
    assert!(f.engine.served().files.contains_key("notes/b/index.html"));
    // Unrelated edits keep reporting the broken link.
    f.write("notes/c.md", &note("C", "2019-01-01", "air", "Sea 2."));
    assert!(f.change(&["notes/c.md"]).is_err());
    f.write("notes/a.md", &note("A", "2021-01-01", "water", "No link."));
    f.write(
        "notes/a.my.md",
        &note("A my", "2021-01-01", "water", "no link"),
    );
    f.change(&["notes/a.md", "notes/a.my.md"]).unwrap();
    f.assert_same();
    assert!(!f.engine.served().files.contains_key("notes/b/index.html"));
    // A front matter error, then its fix.
    f.write("notes/c.md", "---\ntitle: [\n---\n");
    assert!(f.change(&["notes/c.md"]).is_err());
    f.edit("notes/c.md", &note("C", "2019-01-01", "air", "Fixed."));
    // A renamed file, and a removed folder.
    std::fs::rename(
        f.dir.path().join("content/notes/d.md"),
        f.dir.path().join("content/notes/dd.md"),
    )
    .unwrap();
    f.change(&["notes/d.md", "notes/dd.md"]).unwrap();
    f.assert_same();
    std::fs::remove_dir_all(f.dir.path().join("content/cities")).unwrap();
    std::fs::remove_dir_all(f.dir.path().join("content/agreements")).unwrap();
    f.change(&["cities", "agreements"]).unwrap();
    f.assert_same();
}

fn lesson(title: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nseries: Ecology Note\nnumber: 1\nage_range: [10, 12]\ngrade_band: upper-primary\n\
         duration: 45\nobjectives:\n  - I can sort waste.\nsteps:\n  - text: Sort.\n    minutes: 20\n\
         questions:\n  - text: Why?\n    answer: To recycle.\n---\n{body}\n"
    )
}

#[test]
fn an_edited_lesson_is_served_before_its_pdfs_are_made() {
    let mut f = Fixture::new(&[
        ("lessons/_index.md", "---\ntitle: Lessons\n---\n"),
        ("lessons/sorting.md", &lesson("Sorting", "Sort the bin.")),
    ]);
    let sheet = "lessons/sorting/sorting-student-a4.pdf";
    let booklet = "lessons/lessons-en-teacher-letter.pdf";
    let before = f.engine.served().files[sheet].clone();
    f.write("lessons/sorting.md", &lesson("Sorting waste", "Sort it."));
    let r = f.change(&["lessons/sorting.md"]).unwrap();
    // The page is new at once; its PDFs are the last build's until they are made.
    assert!(r
        .changed
        .contains(&"lessons/sorting/index.html".to_string()));
    assert!(
        !r.changed.iter().any(|p| p.ends_with(".pdf")),
        "{:?}",
        r.changed
    );
    assert!(f.engine.pdfs_pending());
    assert_eq!(f.engine.served().files[sheet], before);
    let (changed, warnings) = f.engine.refresh_pdfs().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(changed.contains(&sheet.to_string()) && changed.contains(&booklet.to_string()));
    assert!(!f.engine.pdfs_pending());
    f.assert_same();
    // A lesson removed takes its PDFs with it at once.
    std::fs::remove_file(f.dir.path().join("content/lessons/sorting.md")).unwrap();
    let r = f.change(&["lessons/sorting.md"]).unwrap();
    assert!(r.changed.contains(&sheet.to_string()));
    f.engine.refresh_pdfs().unwrap();
    f.assert_same();
}

fn event(title: &str, date: &str, city: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntype: training\ncities: [{city}]\nfields: [water]\n---\nHappened.\n")
}

#[test]
fn timelines_follow_every_edit_they_show() {
    let mut f = fixture();
    f.edit("timeline/first.md", &event("First", "1990", "mandalay"));
    f.edit("timeline/second.md", &event("Second", "2001", "yangon"));
    let timeline = |r: &Rebuilt| r.changed.iter().any(|p| p.contains("timeline"));
    // A page the timeline does not show: its pages stay as they are (and are not made again).
    let r = f.edit("notes/c.md", &note("C", "2019-01-01", "air", "Sea, again."));
    assert!(!timeline(&r), "{:?}", r.changed);
    // What it shows: an event's date, a city's name, a translation, the timeline's own introduction.
    assert!(timeline(
        &f.edit("timeline/first.md", &event("First", "2005", "mandalay"))
    ));
    let r = f.edit(
        "cities/yangon.md",
        "---\ntitle: Yangon Region\ncountry: Myanmar\n---\nCity.\n",
    );
    assert!(r
        .changed
        .contains(&"timeline/city/yangon/index.html".to_string()));
    assert!(timeline(&f.edit(
        "timeline/second.my.md",
        &event("Second my", "2001", "yangon")
    )));
    assert!(timeline(&f.edit(
        "timeline/_index.md",
        "---\ntitle: Forty years\n---\nEvery event.\n"
    )));
    // No events, no timeline: it stays gone through the edits after.
    std::fs::remove_dir_all(f.dir.path().join("content/timeline")).unwrap();
    f.change(&["timeline"]).unwrap();
    f.assert_same();
    f.edit(
        "notes/c.md",
        &note("C", "2019-01-01", "air", "Sea, once more."),
    );
    f.edit(
        "cities/yangon.md",
        "---\ntitle: Yangon\ncountry: Myanmar\n---\nCity.\n",
    );
}

#[test]
fn a_failed_build_never_indexes_the_broken_site() {
    let mut f = fixture();
    let only = |rel: &str| Changes {
        content: [rel.to_string()].into(),
        ..Changes::default()
    };
    f.write("notes/c.md", &note("C", "2019-01-01", "air", "Harbour."));
    f.engine.rebuild(&only("notes/c.md")).unwrap();
    assert!(
        f.engine.search_pending(),
        "a good build leaves its index to write"
    );
    f.write("notes/c.md", "---\ntitle: [\n---\n");
    assert!(f.engine.rebuild(&only("notes/c.md")).is_err());
    assert!(!f.engine.search_pending());
    assert!(f.engine.take_search().is_none());
    // The fix brings the index up to date with the pages (`edit` compares both with a full build).
    f.edit("notes/c.md", &note("C", "2019-01-01", "air", "Fixed."));
}

/// Every file of the bundled knowledge base under `content/`, by rel.
fn knowledge_base() -> Vec<(String, String)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    walkdir::WalkDir::new(&base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = slashed(e.path().strip_prefix(&base).unwrap());
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// `text` with its first `title:` line's value followed by `suffix`.
fn retitled(text: &str, suffix: &str) -> String {
    let line = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    let edited = match line.strip_suffix('"') {
        Some(open) => format!("{open}{suffix}\""),
        None => format!("{line}{suffix}"),
    };
    text.replacen(line, &edited, 1)
}

#[test]
fn the_knowledge_base_follows_edits_of_every_kind() {
    let files = knowledge_base();
    let text = |rel: &str| files.iter().find(|(r, _)| r == rel).unwrap().1.clone();
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("kizuna.yaml"))
        .unwrap()
        .replace("git_dates: true", "git_dates: false");
    std::fs::write(
        dir.path().join("kizuna.yaml"),
        format!("{config}\npdf:\n  enabled: false\n"),
    )
    .unwrap();
    let mut f = Fixture {
        engine: Engine::new(options(dir.path())),
        dir,
    };
    for (rel, body) in &files {
        f.write(rel, body);
    }
    f.engine.rebuild(&Changes::everything()).unwrap();
    f.engine.refresh_search();
    f.assert_same();
    let jobs = |r: &Rebuilt| (r.rendered, r.jobs);
    // A city's name shows on its case study, agreements, events, timelines and the search pages.
    let r = f.edit(
        "cities/mandalay.md",
        &retitled(&text("cities/mandalay.md"), " City"),
    );
    assert!(r.rendered < r.jobs / 4, "{:?}", jobs(&r));
    // A body only its page shows, and the sources page every citation links to.
    let lesson = text("lessons/lesson-01.my.md");
    let r = f.edit("lessons/lesson-01.my.md", &format!("{lesson}\nထပ်ဆောင်း။\n"));
    assert!(r.rendered < 10, "{:?}", jobs(&r));
    let r = f.edit(
        "sources.md",
        &format!("{}\nOne more line.\n", text("sources.md")),
    );
    // Pages citing a source link its heading: the text under the headings is the sources page's own.
    assert!(r.rendered < 10, "{:?}", jobs(&r));
    // An event's date moves it on every timeline; a case study's title is on its city and in lists.
    let event = files
        .iter()
        .find(|(r, t)| r.starts_with("timeline/2") && t.contains("\ndate: 20"))
        .unwrap();
    f.edit(&event.0, &event.1.replacen("\ndate: 20", "\ndate: 19", 1));
    f.edit(
        "case-studies/dalian.md",
        &retitled(&text("case-studies/dalian.md"), " (edited)"),
    );
    // A new top-level section changes every page's menu; a translation removed, its versions' links.
    f.edit(
        "news/first.md",
        "---\ntitle: First news\ndate: 2024-05-01\n---\nNews.\n",
    );
    std::fs::remove_file(f.dir.path().join("content/lessons/lesson-01.ja.md")).unwrap();
    f.change(&["lessons/lesson-01.ja.md"]).unwrap();
    f.assert_same();
}

#[test]
fn a_language_s_first_page_reaches_every_page() {
    let mut f = Fixture::new(&[
        ("notes/a.md", &note("A", "2021-01-01", "water", "Aye.")),
        ("notes/b.md", &note("B", "2020-01-01", "air", "Bee.")),
    ]);
    // Every page links each language's home: the Burmese one appears with its first page.
    let r = f.edit("about.my.md", "---\ntitle: About\n---\nမင်္ဂလာပါ။\n");
    assert!(
        r.changed.contains(&"my/index.html".to_string()),
        "{:?}",
        r.changed
    );
    std::fs::remove_file(f.dir.path().join("content/about.my.md")).unwrap();
    f.change(&["about.my.md"]).unwrap();
    f.assert_same();
}

#[test]
fn facts_of_pages_gone_are_forgotten() {
    let mut f = fixture();
    let known = f.engine.recorded.len();
    for n in 0..6 {
        let (from, to) = if n % 2 == 0 { ("c", "cc") } else { ("cc", "c") };
        std::fs::rename(
            f.dir.path().join(format!("content/notes/{from}.md")),
            f.dir.path().join(format!("content/notes/{to}.md")),
        )
        .unwrap();
        f.change(&[&format!("notes/{from}.md"), &format!("notes/{to}.md")])
            .unwrap();
    }
    f.assert_same();
    assert!(
        f.engine.recorded.len() < known * 2,
        "{known} facts, then {}",
        f.engine.recorded.len()
    );
}
