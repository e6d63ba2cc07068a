//! Reads every file under the content directory: Markdown files become [`SourceFile`]s, anything else is an
//! [`Asset`] copied beside the page it belongs to.

use crate::diagnostic::{Code, Diagnostic};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A Markdown file and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content directory, with `/` separators: `lessons/lesson-01.md`.
    pub rel: String,
    /// Path shown in diagnostics, relative to the site root: `content/lessons/lesson-01.md`.
    pub display: PathBuf,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// A Markdown file given as text, shown as `content/<rel>` in diagnostics.
    pub fn new(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.to_string(),
            display: Path::new("content").join(rel),
            text: text.to_string(),
        }
    }
}

/// A non-Markdown file in the content tree (an image, a PDF), copied to the same relative path with its
/// folders in lower case, as pages' URLs are, so that a page's files stay beside it.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its output path (the path under `content/`, folders in lower case).
    pub rel: String,
    /// The file on disk.
    pub path: PathBuf,
}

/// Everything read from the content directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The Markdown files.
    pub markdown: Vec<SourceFile>,
    /// Every other file.
    pub assets: Vec<Asset>,
}

/// Reads the content tree under `root/content_dir`, in a stable order.
pub fn load(root: &Path, content_dir: &str) -> (Loaded, Vec<Diagnostic>) {
    let base = root.join(content_dir);
    let mut diagnostics = Vec::new();
    let mut paths = Vec::new();
    let walker = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => paths.push(e.into_path()),
            Ok(_) => {}
            Err(e) => {
                if e.depth() == 0
                    && e.io_error().map(|io| io.kind()) == Some(std::io::ErrorKind::NotFound)
                {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::MissingContent,
                            format!("there is no `{content_dir}/` folder in {}", root.display()),
                        )
                        .hint("run kizuna from the site's root folder or pass `--root DIR`"),
                    );
                } else {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| base.clone());
                    diagnostics.push(
                        Diagnostic::error(Code::Io, format!("cannot read: {e}")).in_file(path),
                    );
                }
            }
        }
    }
    let rel_of = |p: &Path| -> String {
        p.strip_prefix(&base)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let (md, other): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e == "md"));
    let read: Vec<Result<SourceFile, Diagnostic>> = md
        .par_iter()
        .map(|path| {
            let rel = rel_of(path);
            let display = Path::new(content_dir).join(&rel);
            let bytes = std::fs::read(path).map_err(|e| {
                Diagnostic::error(Code::Io, format!("cannot read the file: {e}")).in_file(&display)
            })?;
            let text = decode(bytes, &display)?;
            Ok(SourceFile { rel, display, text })
        })
        .collect();
    let mut loaded = Loaded::default();
    for r in read {
        match r {
            Ok(f) => loaded.markdown.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    loaded.assets = other
        .into_iter()
        .map(|path| {
            let rel = rel_of(&path);
            let rel = match rel.rsplit_once('/') {
                Some((dir, name)) => format!("{}/{name}", dir.to_lowercase()),
                None => rel,
            };
            Asset { rel, path }
        })
        .collect();
    (loaded, diagnostics)
}

/// Reads one Markdown file of the content tree, as [`load`] does (for rebuilding a single changed file).
pub fn read_source(root: &Path, content_dir: &str, rel: &str) -> Result<SourceFile, Diagnostic> {
    let display = Path::new(content_dir).join(rel);
    let bytes = std::fs::read(root.join(content_dir).join(rel)).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot read the file: {e}")).in_file(&display)
    })?;
    let text = decode(bytes, &display)?;
    Ok(SourceFile {
        rel: rel.to_string(),
        display,
        text,
    })
}

/// Decodes UTF-8, pointing at the first invalid byte when the file is not.
fn decode(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let byte = bytes[bad];
        let lossy = String::from_utf8_lossy(&bytes);
        let prefix = String::from_utf8_lossy(&bytes[..bad]);
        Diagnostic::error(Code::InvalidUtf8, format!("the file is not valid UTF-8 (byte 0x{byte:02X})"))
            .in_file(display)
            .at_offset(&lossy, prefix.len())
            .hint("re-save the file with UTF-8 encoding; Burmese text must be Unicode, not Zawgyi or a legacy code page")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = decode(
            b"---\ntitle: caf\xe9\n---\n".to_vec(),
            Path::new("content/a.md"),
        )
        .unwrap_err();
        assert_eq!(d.location().unwrap(), "content/a.md:2:11");
        assert!(d.message.contains("0xE9"));
    }

    #[test]
    fn reads_markdown_and_assets_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content/b");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("z.md"), "# z").unwrap();
        std::fs::write(c.join("a.md"), "# a").unwrap();
        std::fs::write(c.join("pic.png"), [0u8, 1]).unwrap();
        std::fs::write(dir.path().join("content/.hidden.md"), "x").unwrap();
        let (loaded, diags) = load(dir.path(), "content");
        assert!(diags.is_empty());
        let rels: Vec<_> = loaded.markdown.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["b/a.md", "b/z.md"]);
        assert_eq!(loaded.assets[0].rel, "b/pic.png");
    }
}
