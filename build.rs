//! Embeds the default theme into the binary, so that `kizuna build` works on any folder of Markdown files, and
//! fingerprints the code that makes lesson PDFs (`KIZUNA_PDF_CODE`), part of every cached PDF's key: a kizuna
//! built from other PDF code or other dependencies never takes a PDF another one made.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("/// The files of the bundled default theme: (path inside the theme, contents).\npub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("theme_files.rs");
    std::fs::write(dest, out).unwrap();
    println!("cargo:rustc-env=KIZUNA_PDF_CODE={}", pdf_code());
}

/// FNV-1a over `src/pdf/*.rs` and `Cargo.lock`, in name order.
fn pdf_code() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(manifest.join("src/pdf"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths.push(manifest.join("Cargo.lock"));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        for byte in std::fs::read(&path).unwrap_or_default() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            // themes/default/js/ holds the sources of the minified scripts in static/search/.
            if path == base.join("js") {
                continue;
            }
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
