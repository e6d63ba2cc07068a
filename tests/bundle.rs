//! `kizuna bundle`: a reproducible zip of the portable site with a start page, and names a FAT32 stick or
//! Windows cannot hold refused before anything is written.

mod common;

use common::{kizuna, ok, write};

fn site(dir: &std::path::Path) {
    write(
        dir,
        "kizuna.yaml",
        "title: Stick\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n",
    );
    write(dir, "content/notes/_index.md", "---\ntitle: Notes\n---\n");
    write(
        dir,
        "content/notes/water.md",
        "---\ntitle: Water\n---\nClean water.\n",
    );
    write(
        dir,
        "content/notes/water.my.md",
        "---\ntitle: ရေ\n---\nသန့်ရှင်းသောရေ\n",
    );
    write(
        dir,
        "content/lessons/_index.md",
        "---\ntitle: Lessons\n---\n",
    );
    write(
        dir,
        "content/lessons/sun.md",
        "---\ntitle: The sun\nseries: Ecology Note\nnumber: 1\nage_range: [8, 10]\ngrade_band: upper-primary\n\
         duration: 40\nobjectives: [I can name a source of energy.]\n---\nThe sun gives light.\n",
    );
}

#[test]
fn a_bundle_is_the_portable_site_with_a_start_page_and_is_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root);
    let zip = |name: &str| {
        let path = tmp.path().join(name);
        let out = ok(kizuna(&[
            "bundle",
            "--root",
            root.to_str().unwrap(),
            "--output",
            path.to_str().unwrap(),
        ]));
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            stderr.contains(" MB; unzip it onto a stick and open START.html"),
            "{stderr}"
        );
        std::fs::read(path).unwrap()
    };
    let first = zip("a.zip");
    assert_eq!(
        first,
        zip("b.zip"),
        "two bundles of the same site are byte-identical"
    );
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["a.zip", "b.zip", "site"],
        "the scratch build is removed"
    );

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert!(names.contains(&"START.html".to_string()), "{names:?}");
    assert!(
        names.contains(&"site/my/notes/water/index.html".to_string()),
        "{names:?}"
    );
    // Portable: links end in index.html, and the search index has its .js twins for file://.
    assert!(
        names.contains(&"site/search/manifest.js".to_string()),
        "{names:?}"
    );
    // The lesson PDFs travel with the site, and the start page offers each language's booklets.
    for pdf in [
        "site/lessons/sun/sun-student-a4.pdf",
        "site/lessons/sun/sun-teacher-letter.pdf",
        "site/lessons/lessons-en-student-a4.pdf",
    ] {
        assert!(names.contains(&pdf.to_string()), "{pdf}: {names:?}");
    }
    let mut page = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("site/notes/water/index.html").unwrap(),
        &mut page,
    )
    .unwrap();
    assert!(page.contains("notes/index.html"), "{page}");
    let mut start = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("START.html").unwrap(), &mut start).unwrap();
    assert!(
        start.contains("<a class=\"home\" href=\"site/my/index.html\">မြန်မာ</a>"),
        "{start}"
    );
    assert!(
        start.contains("href=\"site/notes/index.html\">Notes</a>"),
        "{start}"
    );
    assert!(
        start.contains("href=\"site/lessons/lessons-en-teacher-a4.pdf\">All lessons as PDF, teacher copies · A4</a>"),
        "{start}"
    );
}

#[test]
fn names_a_stick_cannot_hold_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    site(&root);
    write(&root, "content/aux.md", "---\ntitle: Aux\n---\nx\n");
    let path = tmp.path().join("out.zip");
    let out = kizuna(&[
        "bundle",
        "--root",
        root.to_str().unwrap(),
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[bundle-name]: `aux/index.html` cannot go in the bundle"),
        "{stderr}"
    );
    assert!(stderr.contains("device name"), "{stderr}");
    assert!(!path.exists());
    assert!(std::fs::read_dir(tmp.path())
        .unwrap()
        .all(|e| e.unwrap().file_name() == "site"));
}
