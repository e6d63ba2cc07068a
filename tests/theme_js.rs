//! The search client ships minified (themes/default/static/search/, by scripts/minify-js.sh) from its
//! sources in themes/default/js/; each minified file names the hash of the source it came from.

use std::fs;
use std::path::Path;

use kizuna::translations::content_hash;

#[test]
fn minified_scripts_come_from_the_current_sources() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut names: Vec<String> = fs::read_dir(theme.join("js"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["engine.js", "inflate.js", "kizuna-search.js", "ui.js"],
        "the scripts of the search client"
    );
    let mut stale = Vec::new();
    for name in &names {
        let source = fs::read_to_string(theme.join("js").join(name)).unwrap();
        let shipped = fs::read_to_string(theme.join("static/search").join(name)).unwrap();
        let header = shipped.lines().next().unwrap_or("");
        let want = format!(
            "from themes/default/js/{name} (source {})",
            content_hash(&source)
        );
        if !header.contains(&want) {
            stale.push(name.as_str());
        }
        assert!(
            shipped.len() < source.len() * 3 / 4,
            "{name} is not minified"
        );
    }
    assert!(
        stale.is_empty(),
        "minified copies older than their sources: {stale:?}; run scripts/minify-js.sh"
    );
}
