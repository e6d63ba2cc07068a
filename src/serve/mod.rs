//! `kizuna serve`: builds the site into memory, serves it over HTTP on 127.0.0.1, watches the sources and
//! rebuilds what changed ([`incremental`]), and tells open browser tabs to reload over Server-Sent Events
//! (`/__kizuna/events`). A failed rebuild keeps the last good site served and shows the diagnostics in an
//! overlay. Request paths never reach the filesystem: they are looked up in the in-memory site, and only the
//! known source paths of static files and content assets are read.

pub mod incremental;

use crate::diagnostic::Diagnostic;
use crate::markdown::escape;
use crate::pipeline::Options;
use crate::theme::StaticSource;
use incremental::{write_search_index, Changes, Engine, Served};
use std::io::Write;
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// What `kizuna serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site to build and serve.
    pub site: Options,
    /// The port to listen on.
    pub port: u16,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Open the site in the default browser.
    pub open: bool,
}

/// The path of the live-reload event stream.
pub const EVENTS: &str = "/__kizuna/events";

/// Where the live-reload client is served: a script file, not inline, so that it runs under the pages'
/// Content-Security-Policy.
pub const CLIENT_JS: &str = "/__kizuna/live.js";

/// How long the watcher waits for a burst of saves to end before rebuilding.
const QUIET: Duration = Duration::from_millis(25);
/// The longest a rebuild waits while saves keep coming.
const MAX_WAIT: Duration = Duration::from_millis(300);

/// What the HTTP threads see.
struct Shared {
    served: RwLock<Arc<Served>>,
    /// The diagnostics of the failed last rebuild, HTML-escaped.
    error: RwLock<Option<String>>,
    build: AtomicU64,
    clients: Mutex<Vec<Sender<String>>>,
    /// The site root, canonical: static and asset files must stay inside it.
    root: PathBuf,
}

impl Shared {
    fn broadcast(&self, event: &str, data: &serde_json::Value) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }
}

/// Runs the server until Ctrl-C.
pub fn run(opts: &ServeOptions) -> ExitCode {
    let listener = match TcpListener::bind((opts.bind, opts.port)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} is in use; try `kizuna serve --port {}`",
                opts.port,
                opts.port.wrapping_add(1).max(1024)
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", opts.bind, opts.port);
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview reachable from other machines; `kizuna serve` is a \
             preview for contributors, not a web server for the public",
            opts.bind
        );
    }
    let host = if opts.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else if opts.bind.is_ipv6() {
        format!("[{}]", opts.bind)
    } else {
        opts.bind.to_string()
    };
    let url = format!("http://{host}:{port}/");
    let mut site_opts = opts.site.clone();
    if site_opts.base_url.is_none() {
        site_opts.base_url = Some(url.clone());
    }
    let root = std::fs::canonicalize(&site_opts.root).unwrap_or_else(|_| site_opts.root.clone());
    let server = match tiny_http::Server::from_listener(listener, None) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: cannot serve on {url}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let shared = Arc::new(Shared {
        served: RwLock::new(Arc::new(Served::default())),
        error: RwLock::new(None),
        build: AtomicU64::new(0),
        clients: Mutex::new(Vec::new()),
        root: root.clone(),
    });

    // Watch before the first build, so that no save is missed.
    let (tx, rx) = mpsc::channel::<Changes>();
    let watcher = match watch(&root, tx) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("warning: cannot watch {} for changes: {e}", root.display());
            None
        }
    };
    let mut engine = Engine::new(site_opts);
    rebuild(&mut engine, &shared, &Changes::everything());
    refresh_pdfs(&mut engine, &shared);
    refresh_search(&mut engine, &shared);
    {
        let shared = shared.clone();
        std::thread::spawn(move || builder(engine, shared, rx, watcher));
    }
    for _ in 0..4 {
        let server = server.clone();
        let shared = shared.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(&shared, request);
            }
        });
    }
    eprintln!("serving {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    stop::install();
    while !stop::requested() {
        std::thread::sleep(Duration::from_millis(100));
    }
    server.unblock();
    eprintln!("stopped");
    ExitCode::SUCCESS
}

/// Rebuilds after each burst of changes.
fn builder(
    mut engine: Engine,
    shared: Arc<Shared>,
    rx: Receiver<Changes>,
    mut watcher: Option<notify::RecommendedWatcher>,
) {
    // Lesson PDFs and the search index take a second or more: once edits pause, after the changed pages are
    // already served, the PDFs are made, then the index is written on its own thread and served when it is
    // ready unless a newer build came meanwhile.
    let (index_tx, index_rx) = mpsc::channel::<(u64, IndexResult)>();
    let mut indexing = false;
    loop {
        if let Ok((generation, files)) = index_rx.try_recv() {
            indexing = false;
            serve_search(&mut engine, &shared, generation, files);
        }
        let wait = if indexing && !engine.pdfs_pending() {
            INDEX_POLL
        } else {
            SETTLE
        };
        let first = if engine.pdfs_pending() || engine.search_pending() || indexing {
            match rx.recv_timeout(wait) {
                Ok(c) => c,
                Err(RecvTimeoutError::Timeout) => {
                    if engine.pdfs_pending() {
                        refresh_pdfs(&mut engine, &shared);
                    } else if !indexing {
                        if let Some((generation, docs)) = engine.take_search() {
                            indexing = true;
                            let tx = index_tx.clone();
                            std::thread::spawn(move || {
                                let _ = tx.send((generation, write_search_index(docs)));
                            });
                        }
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            }
        };
        let mut changes = first;
        let start = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(start.elapsed());
            match rx.recv_timeout(QUIET.min(left)) {
                Ok(more) => changes.merge(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if left.is_zero() {
                break;
            }
        }
        if let Some(w) = watcher.as_mut() {
            watch_new(w, &changes.new_folders);
        }
        if !changes.is_empty() {
            rebuild(&mut engine, &shared, &changes);
        }
    }
}

/// A search index built on another thread, or why it could not be.
type IndexResult = Result<Vec<crate::render::OutputFile>, crate::search::SearchError>;

/// How long edits must pause before lesson PDFs are made and the search index is rebuilt.
const SETTLE: Duration = Duration::from_millis(400);

/// How often the builder looks for a finished search index while one is being written.
const INDEX_POLL: Duration = Duration::from_millis(50);

/// Writes and serves the search index right away (the first build).
fn refresh_search(engine: &mut Engine, shared: &Shared) {
    if let Some((generation, docs)) = engine.take_search() {
        let files = write_search_index(docs);
        serve_search(engine, shared, generation, files);
    }
}

/// Serves a fresh search index. Open tabs are not reloaded for it: only the next query sees it. An index
/// that could not be built is reported, and the one served before stays.
fn serve_search(engine: &mut Engine, shared: &Shared, generation: u64, files: IndexResult) {
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}; the search index served before stays");
            return;
        }
    };
    let changed = engine.apply_search(generation, files);
    if changed.is_empty() {
        return;
    }
    if let Ok(mut s) = shared.served.write() {
        *s = Arc::new(engine.served().clone());
    }
    eprintln!("search index updated ({} file(s) changed)", changed.len());
}

fn rebuild(engine: &mut Engine, shared: &Shared, changes: &Changes) {
    let clock = Instant::now();
    let result = engine.rebuild(changes);
    let ms = clock.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(r) => {
            print_all(&r.warnings);
            let was_failing = shared.error.write().map(|mut e| e.take()).ok().flatten();
            if r.changed.is_empty() && was_failing.is_none() {
                eprintln!("rebuilt in {ms:.0} ms: nothing changed");
                return;
            }
            eprintln!(
                "rebuilt in {ms:.0} ms: rendered {} of {} templated files{}, {} file(s) changed",
                r.rendered,
                r.jobs,
                if r.full { " (full)" } else { "" },
                r.changed.len()
            );
            publish(engine, shared, &r.changed);
        }
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            fail(
                shared,
                &diagnostics,
                &format!("the rebuild failed ({errors} error(s)) after {ms:.0} ms"),
            );
        }
    }
}

/// Makes and serves the lesson PDFs of the last good build. A broken PDF template shows in the overlay as a
/// failed rebuild does, and the PDFs served before stay.
fn refresh_pdfs(engine: &mut Engine, shared: &Shared) {
    let clock = Instant::now();
    let result = engine.refresh_pdfs();
    let ms = clock.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok((changed, warnings)) => {
            print_all(&warnings);
            if !changed.is_empty() {
                eprintln!(
                    "lesson PDFs made in {ms:.0} ms: {} file(s) changed",
                    changed.len()
                );
                publish(engine, shared, &changed);
            }
        }
        Err(diagnostics) => fail(
            shared,
            &diagnostics,
            &format!("the lesson PDFs failed after {ms:.0} ms"),
        ),
    }
}

/// Serves the engine's site and tells open tabs which paths changed.
fn publish(engine: &Engine, shared: &Shared, changed: &[String]) {
    let served = Arc::new(engine.served().clone());
    if let Ok(mut s) = shared.served.write() {
        *s = served;
    }
    let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
    let paths: Vec<&String> = changed.iter().take(5000).collect();
    shared.broadcast(
        "reload",
        &serde_json::json!({ "build": build, "paths": paths, "all": changed.len() > paths.len() }),
    );
}

/// Reports a failed stage in the terminal and the browser's overlay; the last good site stays served.
fn fail(shared: &Shared, diagnostics: &[Diagnostic], what: &str) {
    print_all(diagnostics);
    eprintln!("{what}; still serving the last good site");
    let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let html = escape(&text.join("\n"));
    if let Ok(mut e) = shared.error.write() {
        *e = Some(html.clone());
    }
    let build = shared.build.load(Ordering::SeqCst);
    shared.broadcast(
        "diagnostics",
        &serde_json::json!({ "build": build, "html": html }),
    );
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

/// Watches the site's sources and sends what changed.
fn watch(root: &Path, tx: Sender<Changes>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let base = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else {
            return;
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        let mut changes = Changes::default();
        for path in &event.paths {
            classify(&base, path, &mut changes);
        }
        if event.need_rescan() {
            changes.full = true;
        }
        if !changes.is_empty() {
            let _ = tx.send(changes);
        }
    })?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in SOURCE_FOLDERS {
        let d = root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// The folders of a site that are watched with everything in them.
const SOURCE_FOLDERS: [&str; 4] = ["content", "themes", "static", "templates"];

/// Watches source folders created after the server started (from the builder thread, which owns the
/// watcher: the watcher's own thread, which reports them, cannot add watches).
fn watch_new(w: &mut notify::RecommendedWatcher, folders: &[PathBuf]) {
    use notify::{RecursiveMode, Watcher};
    for f in folders {
        if f.is_dir() {
            if let Err(e) = w.watch(f, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {} for changes: {e}", f.display());
            }
        }
    }
}

/// Sorts a changed path into the kind of rebuild it needs.
fn classify(root: &Path, path: &Path, changes: &mut Changes) {
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(name) = rel.last() else {
        return;
    };
    if is_temporary(name) {
        return;
    }
    if rel.len() == 1 && SOURCE_FOLDERS.contains(&rel[0].as_str()) && path.is_dir() {
        changes.new_folders.push(path.to_path_buf());
    }
    match rel[0].as_str() {
        "kizuna.yaml" if rel.len() == 1 => changes.full = true,
        "themes" | "templates" => changes.full = true,
        "static" => changes.statics = true,
        "content" if rel.len() == 1 => changes.full = true,
        "content" => {
            changes.content.insert(rel[1..].join("/"));
        }
        _ => {}
    }
}

/// Editors' swap, backup and temporary files.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}

/// Ctrl-C (and SIGTERM) set a flag the main thread polls, so the server stops cleanly.
mod stop {
    use std::sync::atomic::{AtomicBool, Ordering};

    static STOP: AtomicBool = AtomicBool::new(false);

    pub fn requested() -> bool {
        STOP.load(Ordering::SeqCst)
    }

    #[cfg(unix)]
    pub fn install() {
        extern "C" fn on_signal(_: i32) {
            STOP.store(true, Ordering::SeqCst);
        }
        extern "C" {
            fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
        }
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            signal(2, on_signal); // SIGINT
            signal(15, on_signal); // SIGTERM
        }
    }

    #[cfg(not(unix))]
    pub fn install() {}
}

/// Answers one request.
fn handle(shared: &Arc<Shared>, request: tiny_http::Request) {
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

    #[test]
    fn classifies_changes() {
        let root = Path::new("/site");
        let mut c = Changes::default();
        classify(root, Path::new("/site/content/a/b.md"), &mut c);
        classify(root, Path::new("/site/content/a/.b.md.swp"), &mut c);
        classify(root, Path::new("/site/public/a/index.html"), &mut c);
        assert_eq!(c.content.iter().collect::<Vec<_>>(), ["a/b.md"]);
        assert!(!c.full && !c.statics);
        classify(root, Path::new("/site/static/x.css"), &mut c);
        assert!(c.statics && !c.full);
        classify(root, Path::new("/site/kizuna.yaml"), &mut c);
        assert!(c.full);
    }
}
