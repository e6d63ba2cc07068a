//! Helpers for the browser tests: a headless Chromium driven over the DevTools protocol with a minimal
//! WebSocket client on std's TcpStream (no Node.js, no extra crates), and a static file server.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `node`, for the tests of the JavaScript search client (feature `node-tests`).
pub fn node() -> &'static str {
    match std::process::Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => "node",
        _ => panic!("node is not installed: apt-get install nodejs (.ci/run does)"),
    }
}

/// Runs git in `dir` with a fixed identity and commit date and no user or system configuration; its stdout.
pub fn git(dir: &Path, date: &str, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.org")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Copies the folder `from` to `to`, with everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Runs the kizuna binary with `args`, without colours, and returns what it did.
pub fn kizuna(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run kizuna")
}

/// `out` of a command that must have succeeded; what it printed otherwise.
pub fn ok(out: std::process::Output) -> std::process::Output {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Reads an output file as text, naming it when it is missing.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A child process killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A GET that reads exactly Content-Length bytes (Chromium's DevTools server keeps the connection open).
pub fn http_get(port: u16, path: &str) -> String {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(&s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

/// A DevTools connection to one page.
pub struct Cdp {
    stream: TcpStream,
    next: u64,
}

impl Cdp {
    pub fn connect(ws_url: &str) -> Cdp {
        let rest = ws_url.strip_prefix("ws://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut stream = TcpStream::connect(host).unwrap_or_else(|e| panic!("{ws_url}: {e}"));
        write!(stream, "GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Cdp { stream, next: 1 }
    }

    pub fn send(&mut self, text: &str) {
        let payload = text.as_bytes();
        let mut frame = vec![0x81u8];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).unwrap();
    }

    pub fn receive(&mut self) -> String {
        let mut message = Vec::new();
        loop {
            let mut h = [0u8; 2];
            self.stream.read_exact(&mut h).unwrap();
            let mut len = u64::from(h[1] & 0x7f);
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b).unwrap();
                len = u64::from_be_bytes(b);
            }
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload).unwrap();
            message.extend(payload);
            if h[0] & 0x80 != 0 {
                return String::from_utf8_lossy(&message).into_owned();
            }
        }
    }

    /// Evaluates `expression` in the page and returns its value as JSON.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let id = self.next;
        self.next += 1;
        let msg = serde_json::json!({ "id": id, "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true } });
        self.send(&msg.to_string());
        loop {
            let reply: serde_json::Value = serde_json::from_str(&self.receive()).unwrap();
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    pub fn wait_for(&mut self, what: &str, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval(expression) != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "the page never showed {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Cdp {
    /// Calls a DevTools method and returns its result.
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next;
        self.next += 1;
        self.send(&serde_json::json!({ "id": id, "method": method, "params": params }).to_string());
        loop {
            let reply: serde_json::Value = serde_json::from_str(&self.receive()).unwrap();
            if reply["id"] == id {
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates an expression that returns a Promise, and returns what it resolves to.
    pub fn eval_async(&mut self, expression: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        r["result"]["value"].clone()
    }

    /// Presses a key in the focused element.
    pub fn press(&mut self, key: &str, code: u32) {
        let text = if key == "Enter" { "\r" } else { "" };
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                serde_json::json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "text": if kind == "keyDown" { text } else { "" } }),
            );
        }
    }
}

/// A script that records in `window.__csp` what the page's Content-Security-Policy blocks.
pub const RECORD_CSP: &str = "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";

/// A headless Chromium with one tab open at `url`, and the DevTools connection to that tab.
pub struct Browser {
    pub cdp: Cdp,
    _chromium: Killed,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts /usr/bin/chromium on `url`; `marker` is a part of the URL that identifies the tab.
    pub fn open(url: &str, marker: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut chromium = Killed(
            Command::new("/usr/bin/chromium")
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--remote-debugging-port=0",
                    "--allow-file-access-from-files",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg(url)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start /usr/bin/chromium"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        let devtools_port: u16 = loop {
            if let Ok(text) = std::fs::read_to_string(profile.path().join("DevToolsActivePort")) {
                if let Some(Ok(p)) = text.lines().next().map(str::parse) {
                    break p;
                }
            }
            assert!(Instant::now() < deadline, "Chromium did not start");
            assert!(chromium.0.try_wait().unwrap().is_none(), "Chromium exited");
            std::thread::sleep(Duration::from_millis(100));
        };
        let ws = loop {
            let list: serde_json::Value =
                serde_json::from_str(&http_get(devtools_port, "/json/list")).unwrap_or_default();
            let page = list.as_array().and_then(|l| {
                l.iter().find(|t| {
                    t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.contains(marker))
                })
            });
            if let Some(p) = page {
                break p["webSocketDebuggerUrl"].as_str().unwrap().to_string();
            }
            assert!(Instant::now() < deadline, "no page target");
            std::thread::sleep(Duration::from_millis(100));
        };
        Browser {
            cdp: Cdp::connect(&ws),
            _chromium: chromium,
            _profile: profile,
        }
    }

    /// Runs `script` at the start of every document the tab loads from now on (e.g. [`RECORD_CSP`]).
    pub fn run_on_every_document(&mut self, script: &str) {
        self.cdp.call("Page.enable", serde_json::json!({}));
        let installed = self.cdp.call(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": script }),
        );
        assert!(installed["identifier"].is_string(), "{installed}");
    }

    /// Types `text` into the page's search box, as a person would: the box script arrives on focus.
    pub fn type_query(&mut self, text: &str) {
        self.cdp
            .eval("document.querySelector('form[data-kizuna-search] input[name=q]').focus()");
        self.cdp.wait_for(
            "the enhanced search box",
            "!!document.querySelector('form[data-kizuna-search] input[role=combobox]')",
        );
        self.cdp
            .call("Input.insertText", serde_json::json!({ "text": text }));
    }

    /// Navigates the tab and waits for the new document.
    pub fn goto(&mut self, url: &str) {
        self.cdp.eval("window.__old_document = true");
        self.cdp
            .call("Page.navigate", serde_json::json!({ "url": url }));
        self.cdp.wait_for(
            url,
            "!window.__old_document && document.readyState === 'complete'",
        );
    }
}

/// Serves the files under `dir` on a free port of 127.0.0.1 (GET only, `index.html` for folders).
pub fn static_server(dir: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || serve_one(stream, &dir));
        }
    });
    port
}

fn serve_one(mut stream: TcpStream, dir: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let mut file = dir.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file.push("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(b) if !path.contains("..") => ("200 OK", b),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(&body);
}
