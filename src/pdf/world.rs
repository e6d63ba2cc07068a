//! Typst as a library: the fonts kizuna ships (and a CJK font found on the machine), and the world one sheet is
//! compiled in — its template and the files it was given, nothing from the disk or the network.

use crate::fingerprint::Fnv;
use crate::theme::{StaticSource, Theme};
use std::path::{Path, PathBuf};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// The fonts and the standard library every sheet shares. The fonts are read when a sheet is first laid out
/// or checked against them: a build whose PDFs all come from the cache never loads a CJK font.
pub struct Engine {
    library: LazyHash<Library>,
    /// The theme's font files.
    theme_fonts: Vec<Bytes>,
    /// CJK font files from the machine.
    cjk: Vec<PathBuf>,
    /// The font book and the fonts, once read.
    pub(super) loaded: std::sync::OnceLock<(LazyHash<FontBook>, Vec<Font>)>,
    /// A fingerprint of the fonts, part of every cached PDF's key.
    pub fonts_key: String,
}

/// A Typst error: its message (with hints) and where in the template it is, as a byte range.
pub type TypstError = (String, Option<std::ops::Range<usize>>);

/// Where a CJK font may be installed, and the file names of the Noto ones.
const CJK_DIRS: &[&str] = &[
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:\\Windows\\Fonts",
];
const CJK_FILES: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJKjp-Regular.otf",
    "NotoSansCJKjp-Bold.otf",
    "NotoSansJP-Regular.otf",
    "NotoSansJP-Bold.otf",
    "NotoSansJP-Regular.ttf",
    "NotoSansJP-Bold.ttf",
];

impl Engine {
    /// [`Engine::new`], made once per process for the same fonts: `kizuna serve` plans PDFs on every
    /// rebuild.
    pub fn shared(theme: &Theme, cjk: bool) -> std::sync::Arc<Engine> {
        type Made = Vec<(String, std::sync::Arc<Engine>)>;
        static MADE: std::sync::Mutex<Made> = std::sync::Mutex::new(Vec::new());
        let mut id = Fnv::default();
        id.write(&[u8::from(cjk)]);
        for (name, source) in &theme.fonts {
            id.write(name.as_bytes());
            match source {
                StaticSource::Embedded(b) => id.write(&(b.as_ptr() as usize).to_le_bytes()),
                StaticSource::Disk(p) => {
                    id.write(p.to_string_lossy().as_bytes());
                    let stamp = std::fs::metadata(p).and_then(|m| m.modified()).ok();
                    id.write(format!("{stamp:?}").as_bytes());
                }
            }
        }
        let id = id.hex();
        let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, engine)) = made.iter().find(|(k, _)| *k == id) {
            return engine.clone();
        }
        let engine = std::sync::Arc::new(Engine::new(theme, cjk));
        // A long `serve` session whose theme fonts change keeps only the latest few.
        if made.len() >= 4 {
            made.remove(0);
        }
        made.push((id, engine.clone()));
        engine
    }

    /// The theme's fonts (`fonts/*.ttf|otf|ttc`) and, with `cjk`, Noto Sans CJK from the machine (known by
    /// their paths and sizes until they are needed).
    pub fn new(theme: &Theme, cjk: bool) -> Engine {
        let mut theme_fonts = Vec::new();
        let mut key = Fnv::default();
        for (name, source) in &theme.fonts {
            let bytes = match source {
                StaticSource::Embedded(b) => Bytes::new(*b),
                StaticSource::Disk(p) => match std::fs::read(p) {
                    Ok(b) => Bytes::new(b),
                    Err(_) => continue,
                },
            };
            key.write(name.as_bytes());
            key.write(&bytes);
            theme_fonts.push(bytes);
        }
        let cjk: Vec<PathBuf> = if cjk {
            cjk_fonts()
                .iter()
                .filter_map(|path| {
                    let size = std::fs::metadata(path).ok()?.len();
                    key.write(path.to_string_lossy().as_bytes());
                    key.write(&size.to_le_bytes());
                    Some(path.clone())
                })
                .collect()
        } else {
            Vec::new()
        };
        Engine {
            library: LazyHash::new(Library::default()),
            theme_fonts,
            cjk,
            loaded: std::sync::OnceLock::new(),
            fonts_key: key.hex(),
        }
    }

    /// The font book and the fonts, read on first use.
    fn fonts(&self) -> &(LazyHash<FontBook>, Vec<Font>) {
        self.loaded.get_or_init(|| {
            let mut fonts: Vec<Font> = self
                .theme_fonts
                .iter()
                .flat_map(|bytes| Font::iter(bytes.clone()))
                .collect();
            for path in &self.cjk {
                if let Ok(b) = std::fs::read(path) {
                    let bytes = Bytes::new(b);
                    fonts
                        .extend(japanese_faces(&bytes).filter_map(|i| Font::new(bytes.clone(), i)));
                }
            }
            (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
        })
    }

    /// The characters of `text` that no font has (spaces and controls aside).
    pub fn uncovered(&self, text: &str) -> std::collections::BTreeSet<char> {
        let distinct: std::collections::HashSet<char> = text.chars().collect();
        distinct
            .into_iter()
            .filter(|c| !c.is_whitespace() && !c.is_control() && !is_format(*c))
            .filter(|c| {
                !self
                    .fonts()
                    .1
                    .iter()
                    .any(|f| f.info().coverage.contains(*c as u32))
            })
            .collect()
    }

    /// Lays out `template` with `files` (path → bytes; `.typ` files are sources it may include), with every
    /// cluster's text mapped once.
    pub fn compile(
        &self,
        template: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<PagedDocument, Vec<TypstError>> {
        let world = Sheet {
            engine: self,
            main: Source::new(file_id("/main.typ"), template.to_string()),
            files: files
                .into_iter()
                .map(|(p, b)| (file_id(&p), Bytes::new(b)))
                .collect(),
        };
        let document: PagedDocument = typst::compile(&world)
            .output
            .map_err(|e| errors(&world, &e))?;
        Ok(super::text::one_mapping_per_cluster(document))
    }

    /// The PDF of `document`, whose document id derives from `ident`.
    pub fn export(
        &self,
        document: &PagedDocument,
        ident: &str,
    ) -> Result<Vec<u8>, Vec<TypstError>> {
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some("kizuna".into())),
            ..typst_pdf::PdfOptions::default()
        };
        typst_pdf::pdf(document, &options)
            .map_err(|e| e.iter().map(|d| (d.message.to_string(), None)).collect())
    }
}

/// Typst's diagnostics with their hints, and where in the template each is.
fn errors(world: &Sheet, diags: &[SourceDiagnostic]) -> Vec<TypstError> {
    diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for h in &d.hints {
                m.push_str("; ");
                m.push_str(&h.v);
            }
            let range = (d.span.id() == Some(world.main.id()))
                .then(|| world.range(d.span))
                .flatten();
            (m, range)
        })
        .collect()
}

/// Zero-width joiners, variation selectors and the like, which need no glyph of their own.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{AD}')
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .or_else(|_| VirtualPath::new("/invalid"))
        .expect("a plain absolute path is a valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// Noto Sans CJK (or JP) files installed on the machine, found once per process.
/// The faces of a CJK font file whose family is one the template asks for ("Noto Sans CJK JP", "Noto Sans
/// JP"): a collection holds Korean, Chinese and monospaced ones too, which take long to load.
fn japanese_faces(data: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..count).filter(move |&index| {
        ttf_parser::Face::parse(data, index).is_ok_and(|face| {
            face.names().into_iter().any(|name| {
                name.name_id == ttf_parser::name_id::FAMILY
                    && name.to_string().is_some_and(|family| {
                        ["Noto Sans CJK JP", "Noto Sans JP"].contains(&family.as_str())
                    })
            })
        })
    })
}

fn cjk_fonts() -> &'static [PathBuf] {
    static FOUND: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        let mut dirs: Vec<PathBuf> = CJK_DIRS.iter().map(PathBuf::from).collect();
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(Path::new(&home).join(".local/share/fonts"));
            dirs.push(Path::new(&home).join(".fonts"));
        }
        let mut found = Vec::new();
        for dir in dirs.iter().filter(|d| d.is_dir()) {
            for entry in walkdir::WalkDir::new(dir).max_depth(4).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                let name = entry.file_name().to_string_lossy();
                if CJK_FILES.iter().any(|f| *f == name) {
                    found.push(entry.into_path());
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        found
    })
}

/// The world of one sheet: its template is `/main.typ`; it may read only the files it was given.
struct Sheet<'a> {
    engine: &'a Engine,
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl World for Sheet<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
