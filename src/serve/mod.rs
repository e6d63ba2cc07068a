//! `kizuna serve`: builds the site into memory, serves it over HTTP on 127.0.0.1, watches the sources and
//! rebuilds what changed ([`incremental`]), and tells open browser tabs to reload over Server-Sent Events
//! (`/__kizuna/events`). A failed rebuild keeps the last good site served and shows the diagnostics in an
//! overlay. Request paths never reach the filesystem: they are looked up in the in-memory site, and only the
//! known source paths of static files and content assets are read.

mod http;
pub mod incremental;
mod watch;

use http::handle;
pub use http::{content_type, safe_path};
use watch::{watch, watch_new};

use crate::diagnostic::Diagnostic;
use crate::markdown::escape;
use crate::pipeline::Options;
use incremental::{write_search_index, Changes, Engine, Served};
use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
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
