//! `kizuna serve` end to end: the binary serves a temporary site on a free port; the tests fetch pages over
//! plain HTTP (std's TcpStream), listen to the live-reload event stream, edit files and check what comes back.

mod common;

use common::{kizuna, ok, write};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "kizuna.yaml",
        "title: Serve test\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: Myanmar }\n",
    );
    write(r, "content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\ndate: 2020-01-01\ntags: [water]\n---\nFirst text. See [B](b.md).\n",
    );
    write(
        r,
        "content/notes/b.md",
        "---\ntitle: Note B\ndate: 2019-01-01\ntags: [water]\n---\nBee.\n",
    );
    write(
        r,
        "content/notes/pic.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(r, "static/extra.css", "body { color: black }\n");
    dir
}

struct Server {
    child: Child,
    port: u16,
    log: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kizuna"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kizuna serve");
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            let line = log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("kizuna serve did not start");
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        Server { child, port, log }
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    /// The live-reload stream, once its `hello` arrived.
    fn events(&self) -> Events {
        let events = self.event_stream();
        events.wait("hello", |_| true);
        events
    }

    /// The live-reload stream from its first event.
    fn event_stream(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__kizuna/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send((event.clone(), data.to_string())).is_err() {
                        break;
                    }
                }
            }
        });
        Events(rx)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events(Receiver<(String, String)>);

impl Events {
    /// Waits for an event of `kind` whose data passes `test`, and returns its data.
    fn wait(&self, kind: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (event, data) = self
                .0
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no `{kind}` event"));
            if event == kind && test(&data) {
                return data;
            }
        }
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

/// One HTTP/1.1 request with the target sent exactly as given (no normalisation of `..`).
fn request(port: u16, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

#[test]
fn serves_pages_and_reloads_after_an_edit() {
    let dir = site();
    let server = Server::start(dir.path());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body
            .contains("<script data-kizuna-serve src=\"/__kizuna/live.js?build="),
        "no live-reload script"
    );
    // The client is a file, so that it runs under the pages' Content-Security-Policy.
    let client = server.get("/__kizuna/live.js");
    assert_eq!(
        client.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(client.body.contains("/__kizuna/events"));
    let page = server.get("/notes/a/");
    assert!(page.body.contains("First text."));
    let events = server.events();
    write(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Note A\ndate: 2020-01-01\ntags: [water]\n---\nSecond text. See [B](b.md).\n",
    );
    events.wait("reload", |d| d.contains("\"notes/a/index.html\""));
    let page = server.get("/notes/a/");
    assert!(page.body.contains("Second text."), "{}", page.body);
    assert!(!page.body.contains("First text."));

    // An editor that writes a temporary file and renames it over the page.
    write(
        dir.path(),
        "content/notes/.a.md.swp",
        "---\ntitle: Note A\n---\nswap\n",
    );
    write(
        dir.path(),
        "content/notes/a.md.kz-tmp",
        "---\ntitle: Note A\ndate: 2020-01-01\ntags: [water]\n---\nThird text. See [B](b.md).\n",
    );
    std::fs::rename(
        dir.path().join("content/notes/a.md.kz-tmp"),
        dir.path().join("content/notes/a.md"),
    )
    .unwrap();
    events.wait("reload", |d| d.contains("\"notes/a/index.html\""));
    assert!(server.get("/notes/a/").body.contains("Third text."));

    // A burst of saves ends in one consistent site.
    for i in 0..10 {
        write(
            dir.path(),
            "content/notes/b.md",
            &format!("---\ntitle: Note B\ndate: 2019-01-01\ntags: [water]\n---\nBurst {i}.\n"),
        );
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.get("/notes/b/").body.contains("Burst 9.") {
        assert!(Instant::now() < deadline, "the last save never showed");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A new page appears; the search index follows once edits pause.
    let manifest = server.get("/search/manifest.bin");
    assert_eq!(manifest.status, 200);
    write(
        dir.path(),
        "content/notes/c.md",
        "---\ntitle: Note C\n---\nNew page.\n",
    );
    events.wait("reload", |d| d.contains("\"notes/c/index.html\""));
    assert_eq!(server.get("/notes/c/").status, 200);
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.get("/search/manifest.bin").body == manifest.body {
        assert!(
            Instant::now() < deadline,
            "the search index never took the new page"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A `templates/` folder that appears while serving is watched from then on.
#[test]
fn a_source_folder_created_while_serving_is_watched() {
    let dir = site();
    let server = Server::start(dir.path());
    let page = |marker: &str| {
        format!("<!doctype html><html><body>{marker} {{{{ page.title }}}}</body></html>\n")
    };
    // The folder arrives whole (as a checkout or a copy does), then a file in it changes.
    write(dir.path(), "incoming/page.html", &page("ONE"));
    std::fs::rename(dir.path().join("incoming"), dir.path().join("templates")).unwrap();
    let wait_for = |marker: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !server
            .get("/notes/a/")
            .body
            .contains(&format!("{marker} Note A"))
        {
            assert!(Instant::now() < deadline, "the page never showed {marker}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("ONE");
    write(dir.path(), "templates/page.html", &page("TWO"));
    wait_for("TWO");
}

#[test]
fn build_errors_show_an_overlay_and_keep_the_last_good_site() {
    let dir = site();
    let server = Server::start(dir.path());
    let events = server.events();
    write(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Note A\ndate: 2020-13-01\n---\nBroken.\n",
    );
    let data = events.wait("diagnostics", |_| true);
    assert!(data.contains("content/notes/a.md:3:"), "{data}");
    // The last good site is still served, and a new tab is told about the problem at once.
    assert!(server.get("/notes/a/").body.contains("First text."));
    let late = server.events();
    drop(late);
    let fresh = server.event_stream();
    let hello = fresh.wait("hello", |_| true);
    assert!(hello.contains("content/notes/a.md:3:"), "{hello}");

    // Fixed: the overlay's page reloads.
    write(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Note A\ndate: 2020-12-01\n---\nFixed.\n",
    );
    events.wait("reload", |_| true);
    assert!(server.get("/notes/a/").body.contains("Fixed."));

    // A deleted page disappears, and links to it become errors.
    write(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nSee [B](b.md).\n",
    );
    events.wait("reload", |_| true);
    std::fs::remove_file(dir.path().join("content/notes/b.md")).unwrap();
    let data = events.wait("diagnostics", |_| true);
    assert!(data.contains("broken link"), "{data}");
    write(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nAlone.\n",
    );
    events.wait("reload", |d| d.contains("\"notes/b/index.html\""));
    assert_eq!(server.get("/notes/b/").status, 404);
}

#[test]
fn refuses_paths_outside_the_site_and_answers_404() {
    let dir = site();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("static/passwd")).unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("static/etc")).unwrap();
    }
    let server = Server::start(dir.path());
    for target in [
        "/../kizuna.yaml",
        "/notes/../../kizuna.yaml",
        "/%2e%2e/kizuna.yaml",
        "/%2E%2E%2Fkizuna.yaml",
        "/notes/..%2f..%2fkizuna.yaml",
        "/notes/..%5c..%5ckizuna.yaml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/notes/%00",
        "/passwd",
        "/etc/passwd",
        "/etc/hostname",
    ] {
        let r = server.get(target);
        assert!(
            [400, 403, 404].contains(&r.status),
            "{target}: {}",
            r.status
        );
        assert!(!r.body.contains("root:"), "{target} leaked a file");
        assert!(
            !r.body.contains("title: Serve test"),
            "{target} leaked a file"
        );
    }
    assert_eq!(server.get("/%2e%2e/kizuna.yaml").status, 403);
    let r = request(server.port, "GET", "http://127.0.0.1/../kizuna.yaml");
    assert_eq!(r.status, 400);

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("class=\"not-found\""),
        "{}",
        missing.body
    );
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );

    let moved = server.get("/notes/a");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location"), Some("/notes/a/"));
    for (path, kind) in [
        ("/notes/a/index.html", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/extra.css", "text/css; charset=utf-8"),
        ("/notes/pic.svg", "image/svg+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/atom.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(kind), "{path}");
        if !kind.starts_with("text/html") {
            assert!(!r.body.contains("__kizuna"), "{path} got the script");
        }
    }
    let head = request(server.port, "HEAD", "/notes/a/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(server.port, "POST", "/").status, 405);
}

#[test]
fn a_port_in_use_is_explained() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = site();
    let out = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "port {port} is in use; try `kizuna serve --port {}`",
            port + 1
        )),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let dir = site();
    let mut server = Server::start(dir.path());
    assert_eq!(server.get("/").status, 200);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(log.iter().any(|l| l == "stopped"), "{log:?}");
}

#[test]
fn nothing_is_injected_into_kizuna_build_output() {
    let dir = site();
    ok(kizuna(&["build", "--root", dir.path().to_str().unwrap()]));
    let page = std::fs::read_to_string(dir.path().join("public/notes/a/index.html")).unwrap();
    assert!(!page.contains("__kizuna"));
}
