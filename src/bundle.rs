//! `kizuna bundle`: the portable site (links ending in `index.html`, search working from `file://`) in one zip,
//! with a start page at the top, for a teacher to unzip onto a USB stick and open on any computer or phone.
//! Every name is checked against what FAT32 and Windows can hold, and the zip is byte-for-byte reproducible.

use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::escape;
use crate::pipeline::Door;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// What `bundle` wrote.
#[derive(Debug)]
pub struct Bundled {
    /// Files in the zip.
    pub files: usize,
    /// The zip's size in bytes.
    pub bytes: u64,
}

/// The file at the top of the zip that opens the site.
pub const START: &str = "START.html";
/// The folder in the zip that holds the site.
pub const SITE: &str = "site";

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest path, from the stick's root, that Windows opens without long-path support (260 with `E:\`).
const MAX_PATH: usize = 255;

/// Why one path of the bundle cannot be stored on FAT32 or opened on Windows, if it cannot.
pub fn unportable(path: &str) -> Option<String> {
    if path.len() > MAX_PATH {
        return Some(format!(
            "the path is {} bytes long; Windows opens at most {MAX_PATH} from a stick's root",
            path.len()
        ));
    }
    for name in path.split('/') {
        if name.len() > 255 {
            return Some(format!(
                "`{name}` is {} bytes long; FAT32 holds 255",
                name.len()
            ));
        }
        if let Some(c) = name
            .chars()
            .find(|c| c.is_control() || "<>:\"\\|?*".contains(*c))
        {
            return Some(format!(
                "`{name}` has `{}`, which FAT32 and Windows forbid",
                c.escape_default()
            ));
        }
        if name.ends_with('.') || name.ends_with(' ') {
            return Some(format!(
                "`{name}` ends in a dot or a space, which Windows drops"
            ));
        }
        let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
        if RESERVED.contains(&stem.as_str()) {
            return Some(format!("`{name}` is a device name on Windows"));
        }
    }
    None
}

/// Problems with the built site's paths (relative to its folder): names FAT32 or Windows cannot hold, and
/// names that differ only in case (one file on FAT32, Windows and macOS).
pub fn check_names(paths: &[String]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut folded: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for path in paths {
        let full = format!("{SITE}/{path}");
        if let Some(why) = unportable(&full) {
            problems.push(
                Diagnostic::error(
                    Code::BundleName,
                    format!("`{path}` cannot go in the bundle: {why}"),
                )
                .hint("rename the file or page it comes from (its `slug`, or its file name)"),
            );
        }
        folded.entry(path.to_lowercase()).or_default().push(path);
    }
    for same in folded.values().filter(|v| v.len() > 1) {
        problems.push(
            Diagnostic::error(
                Code::BundleName,
                format!(
                    "{} would be one file on FAT32, Windows and macOS",
                    same.join(", ")
                ),
            )
            .hint("rename one of them: paths must differ in more than case"),
        );
    }
    problems
}

/// Every file of the built site in `dir`, relative, with `/` separators, sorted.
pub fn files(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    crate::output::list(dir)
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot read the built site: {e}")))
}

/// Writes `zip`: `START.html` (from `start`) and the site in `dir` under `site/`. Entries are sorted and carry a
/// fixed date, so the same site makes the same zip.
pub fn write_zip(
    dir: &Path,
    paths: &[String],
    start: &str,
    zip: &Path,
) -> Result<Bundled, Diagnostic> {
    let io = |e: &dyn std::fmt::Display| {
        Diagnostic::error(Code::Io, format!("cannot write {}: {e}", zip.display()))
            .hint("check that the folder is writable and the disk not full")
    };
    if let Some(parent) = zip.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io(&e))?;
    }
    // Written beside the target and renamed: a failed bundle leaves the previous zip as it was.
    let partial = zip.with_extension("zip.partial");
    let file = std::fs::File::create(&partial).map_err(|e| io(&e))?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        // Already small or already compressed: stored as they are.
        let stored = [
            ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2", ".zip", ".pdf",
        ]
        .iter()
        .any(|e| name.ends_with(e));
        let opts = if stored {
            options.compression_method(zip::CompressionMethod::Stored)
        } else {
            options
        };
        writer.start_file(name, opts).map_err(|e| io(&e))?;
        writer.write_all(bytes).map_err(|e| io(&e))
    };
    add(START, start.as_bytes())?;
    for path in paths {
        let bytes = std::fs::read(dir.join(path)).map_err(|e| io(&e))?;
        add(&format!("{SITE}/{path}"), &bytes)?;
    }
    writer
        .finish()
        .map_err(|e| io(&e))?
        .flush()
        .map_err(|e| io(&e))?;
    std::fs::rename(&partial, zip).map_err(|e| io(&e))?;
    let bytes = std::fs::metadata(zip).map_err(|e| io(&e))?.len();
    Ok(Bundled {
        files: paths.len() + 1,
        bytes,
    })
}

/// The start page: the site's title, then each language's home page, sections and lesson booklets (PDF), in
/// that language.
pub fn start_page(title: &str, description: &str, doors: &[Door]) -> String {
    let link = |path: &str| escape(&format!("{SITE}/{path}index.html"));
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\nbody {{ font-family: system-ui, \"Noto Sans\", \"Noto Sans Myanmar\", \"Noto Sans Khmer\", sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1b1f24; }}\nh1 {{ font-size: 1.6rem; }}\n.doors {{ list-style: none; padding: 0; display: grid; gap: 1rem; }}\n.doors > li {{ border: 1px solid #d0d7de; border-radius: 8px; padding: 0.8rem 1rem; }}\n.home {{ font-size: 1.25rem; font-weight: 600; }}\n.sections, .booklets {{ margin: 0.3rem 0 0; padding-left: 1.2rem; }}\n.booklets {{ font-size: 0.92rem; }}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(doors.first().map(|d| d.lang.as_str()).unwrap_or("en")),
        escape(title),
        escape(title),
    );
    if !description.is_empty() {
        html.push_str(&format!("<p>{}</p>\n", escape(description)));
    }
    html.push_str("<ul class=\"doors\">\n");
    for door in doors {
        html.push_str(&format!(
            "<li lang=\"{}\"><a class=\"home\" href=\"{}\">{}</a>",
            escape(&door.lang),
            link(&door.home),
            escape(&door.name)
        ));
        if !door.sections.is_empty() {
            html.push_str("<ul class=\"sections\">");
            for (name, path) in &door.sections {
                html.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    link(path),
                    escape(name)
                ));
            }
            html.push_str("</ul>");
        }
        if !door.booklets.is_empty() {
            html.push_str("<ul class=\"booklets\">");
            for (name, path) in &door.booklets {
                html.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(&format!("{SITE}/{path}")),
                    escape(name)
                ));
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fat_and_windows_names() {
        assert_eq!(unportable("site/lessons/lesson-01/index.html"), None);
        assert_eq!(unportable("site/my/ဘာသာ/index.html"), None);
        assert!(unportable("site/a:b/index.html")
            .unwrap()
            .contains("forbid"));
        assert!(unportable("site/con.txt").unwrap().contains("device"));
        assert!(unportable("site/notes./index.html")
            .unwrap()
            .contains("dot"));
        assert!(unportable(&format!("site/{}/index.html", "ក".repeat(90)))
            .unwrap()
            .contains("255"));
    }

    #[test]
    fn case_twins_are_named() {
        let d = check_names(&["A/index.html".into(), "a/index.html".into(), "b.css".into()]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("A/index.html, a/index.html"));
    }

    #[test]
    fn the_start_page_links_each_language() {
        let doors = vec![Door {
            lang: "my".into(),
            name: "မြန်မာ".into(),
            home: "my/".into(),
            sections: vec![("သင်ခန်းစာများ".into(), "my/lessons/".into())],
            booklets: vec![(
                "PDF · A4".into(),
                "my/lessons/lessons-my-student-a4.pdf".into(),
            )],
        }];
        let html = start_page("kizuna", "", &doors);
        assert!(html.contains("<a class=\"home\" href=\"site/my/index.html\">မြန်မာ</a>"));
        assert!(html.contains("href=\"site/my/lessons/index.html\">သင်ခန်းစာများ</a>"));
        assert!(html.contains("href=\"site/my/lessons/lessons-my-student-a4.pdf\">PDF · A4</a>"));
    }
}
