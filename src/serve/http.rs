//! The HTTP side of `kizuna serve`: requests answered from the in-memory site, the live-reload event stream
//! and client, and the checks that keep request paths inside the site.

use super::incremental::Served;
use super::{Shared, CLIENT_JS, EVENTS};
use crate::theme::StaticSource;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// Answers one request.
pub(super) fn handle(shared: &Arc<Shared>, request: tiny_http::Request) {
    use tiny_http::Method;
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let _ = request.respond(text(405, "only GET and HEAD are served"));
            return;
        }
    };
    let url = request.url().to_string();
    let (path_part, query) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url.as_str(), ""),
    };
    if path_part == EVENTS {
        let shared = shared.clone();
        std::thread::spawn(move || events(&shared, request));
        return;
    }
    if path_part == CLIENT_JS {
        let response = tiny_http::Response::from_string(CLIENT)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }
    let rel = match safe_path(path_part) {
        Ok(rel) => rel,
        Err(status) => {
            let _ = request.respond(text(status, "refused: the path leaves the site"));
            return;
        }
    };
    let served = shared.served.read().map(|s| s.clone()).unwrap_or_default();
    let build = shared.build.load(Ordering::SeqCst);
    let (status, file, body) = match lookup(&served, &shared.root, &rel) {
        Found::File(name, bytes) => (200, name, bytes),
        Found::Forbidden => {
            let _ = request.respond(text(403, "refused: the file is outside the site"));
            return;
        }
        Found::Missing if !rel.is_empty() && !rel.ends_with('/') && {
            let dir = format!("{rel}/");
            matches!(lookup(&served, &shared.root, &dir), Found::File(..))
        } =>
        {
            let location = format!("/{}/{query}", crate::forge::encode_path(&rel));
            let response = tiny_http::Response::empty(301).with_header(header("Location", &location));
            let _ = request.respond(response);
            return;
        }
        Found::Missing => match served.files.get("404.html") {
            Some(b) => (404, "404.html".to_string(), b.as_ref().clone()),
            None => (
                404,
                "404.html".to_string(),
                b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>".to_vec(),
            ),
        },
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        inject(body, build, status == 404)
    } else {
        body
    };
    let len = body.len();
    let mut response = tiny_http::Response::from_data(if head { Vec::new() } else { body })
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    if head {
        response = response.with_header(header("Content-Length", &len.to_string()));
    }
    let _ = request.respond(response);
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn text(status: u16, message: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string(format!("{message}\n"))
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// The Server-Sent Events stream of one tab: `hello` at once, then `reload` and `diagnostics`.
fn events(shared: &Shared, request: tiny_http::Request) {
    let mut w = request.into_writer();
    let build = shared.build.load(Ordering::SeqCst);
    let error = shared.error.read().ok().and_then(|e| e.clone());
    let hello = serde_json::json!({ "build": build, "error": error });
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if write!(w, "{head}retry: 500\nevent: hello\ndata: {hello}\n\n")
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let (tx, rx) = mpsc::channel();
    if let Ok(mut clients) = shared.clients.lock() {
        clients.push(tx);
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(message.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Turns a request path into a path inside the site, refusing anything that could leave it: `..` and `.`
/// segments (also percent-encoded), backslashes, NUL and other control characters, and absolute paths
/// (`//etc/passwd`). The status is 400 for malformed paths and 403 for refused ones.
pub fn safe_path(raw: &str) -> Result<String, u16> {
    let rest = raw.strip_prefix('/').ok_or(400u16)?;
    let bytes = percent_decode(rest).ok_or(400u16)?;
    let path = String::from_utf8(bytes).map_err(|_| 400u16)?;
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return Err(403);
    }
    if path.starts_with('/') || path.contains("//") {
        return Err(403);
    }
    if path
        .split('/')
        .any(|s| s == ".." || s == "." || s.contains(':'))
    {
        return Err(403);
    }
    Ok(path)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

enum Found {
    /// The file's name (for its content type) and bytes.
    File(String, Vec<u8>),
    Forbidden,
    Missing,
}

/// Finds a site path in memory: generated files, then content assets, then static files.
fn lookup(served: &Served, root: &Path, rel: &str) -> Found {
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(bytes) = served.files.get(&rel) {
        return Found::File(rel, bytes.as_ref().clone());
    }
    let disk = |path: &Path| -> Found {
        // A symlink in static/ or content/ must not lead out of the site.
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(root) => match std::fs::read(&real) {
                Ok(bytes) => Found::File(rel.clone(), bytes),
                Err(_) => Found::Missing,
            },
            Ok(_) => Found::Forbidden,
            Err(_) => Found::Missing,
        }
    };
    if let Some(path) = served.assets.get(&rel) {
        return disk(path);
    }
    match served.statics.get(&rel) {
        Some(StaticSource::Embedded(bytes)) => Found::File(rel, bytes.to_vec()),
        Some(StaticSource::Disk(path)) => disk(path),
        None => Found::Missing,
    }
}

/// The content type of a file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// The live-reload client: reloads when its page (or a stylesheet or script) changed, and shows an overlay
/// with the diagnostics while the site does not build.
const CLIENT: &str = r#"(function () {
  var q = new URL(document.currentScript.src).searchParams;
  var build = Number(q.get("build")), notFound = q.get("nf") === "1";
  var here = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (here === "" || /\/$/.test(here)) here += "index.html";
  function overlay(html) {
    var o = document.getElementById("kizuna-overlay");
    if (html === null) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("div");
      o.id = "kizuna-overlay";
      o.setAttribute("role", "alert");
      o.setAttribute("style", "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(24,24,24,.95);color:#eee;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left");
      document.body.appendChild(o);
    }
    o.innerHTML = '<p style="color:#ff8a80;font-weight:bold;margin:0 0 1rem">kizuna serve: the site does not build. This is the last good version; the overlay goes away when the problem is fixed.</p><pre style="white-space:pre-wrap;margin:0">' + html + "</pre>";
  }
  var es = new EventSource("/__kizuna/events");
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    window.__kizunaServe = { connected: true };
    if (d.error) overlay(d.error);
    else if (d.build !== build) location.reload();
  });
  es.addEventListener("diagnostics", function (e) { overlay(JSON.parse(e.data).html); });
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data), shown = !!document.getElementById("kizuna-overlay");
    build = d.build;
    var hit = d.all || shown || d.paths.some(function (p) {
      return p === here || /\.(css|js|mjs|woff2?)$/.test(p) || (notFound && p === "404.html");
    });
    if (hit) location.reload();
  });
})();"#;

/// Puts the live-reload client before `</body>`, told the build the page belongs to.
fn inject(mut html: Vec<u8>, build: u64, not_found: bool) -> Vec<u8> {
    let script = format!(
        "<script data-kizuna-serve src=\"{CLIENT_JS}?build={build}&amp;nf={}\"></script>",
        u8::from(not_found)
    );
    let at = find_last_ci(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, script.into_bytes());
    html
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|i| hay[*i..*i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_site() {
        assert_eq!(safe_path("/").unwrap(), "");
        assert_eq!(safe_path("/a/b/").unwrap(), "a/b/");
        assert_eq!(safe_path("/my/%E1%80%99/").unwrap(), "my/\u{1019}/");
        for bad in [
            "/../x",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fkizuna.yaml",
            "/a/%2e%2e%5c..%5cx",
            "/a\\..\\x",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/a/%00",
            "/./a",
            "/C:/Windows",
        ] {
            assert!(safe_path(bad).is_err(), "{bad}");
        }
        assert_eq!(safe_path("x"), Err(400));
        assert_eq!(safe_path("/%zz"), Err(400));
        assert_eq!(safe_path("/%ff"), Err(400));
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<html><BODY>x</BODY></html>".to_vec(), 3, false);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with(
            "<html><BODY>x<script data-kizuna-serve src=\"/__kizuna/live.js?build=3&amp;nf=0\">"
        ));
        assert!(s.ends_with("</script></BODY></html>"));
    }
}
