//! Live reload in a real browser: Debian's headless Chromium opens a page served by `kizuna serve`, the test
//! edits the page's file, and the open tab shows the new text without anyone reloading it; a broken file shows
//! the error overlay, and fixing it takes the overlay away. Chromium is driven over the DevTools protocol
//! with a minimal WebSocket client on std's TcpStream (no Node.js, no extra crates).
//!
//! Run with `cargo test --features browser-tests --test browser_serve` (needs /usr/bin/chromium).
#![cfg(feature = "browser-tests")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(root: &Path) -> (Killed, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("kizuna serve exited").unwrap();
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Killed(child), port)
}

/// A GET that reads exactly Content-Length bytes (Chromium's DevTools server keeps the connection open).
fn http_get(port: u16, path: &str) -> String {
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
struct Cdp {
    stream: TcpStream,
    next: u64,
}

impl Cdp {
    fn connect(ws_url: &str) -> Cdp {
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

    fn send(&mut self, text: &str) {
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

    fn receive(&mut self) -> String {
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
    fn eval(&mut self, expression: &str) -> serde_json::Value {
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

    fn wait_for(&mut self, what: &str, expression: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval(expression) != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "the page never showed {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn an_open_tab_follows_edits_and_shows_errors() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "title: Browser test\n");
    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nOriginal words.\n",
    );
    let (_server, port) = serve(r);
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
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("http://127.0.0.1:{port}/notes/a/"))
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
                t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.contains("/notes/a/"))
            })
        });
        if let Some(p) = page {
            break p["webSocketDebuggerUrl"].as_str().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "no page target");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut cdp = Cdp::connect(&ws);
    cdp.wait_for(
        "the original text",
        "document.body && document.body.innerText.includes('Original words.')",
    );
    // Mark the document: a reload by hand would not be noticed, a live reload replaces it.
    cdp.eval("window.__first_load = true");
    // Give the event stream a moment to connect, as a person would.
    cdp.wait_for(
        "the event stream",
        "!!(window.__kizunaServe && window.__kizunaServe.connected)",
    );

    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nEdited words.\n",
    );
    cdp.wait_for(
        "the edited text",
        "document.body && document.body.innerText.includes('Edited words.')",
    );
    assert_eq!(
        cdp.eval("window.__first_load === undefined"),
        serde_json::Value::Bool(true)
    );

    write(r, "content/notes/a.md", "---\ntitle: [\n---\nBroken.\n");
    cdp.wait_for(
        "the error overlay",
        "!!document.getElementById('kizuna-overlay') && document.getElementById('kizuna-overlay').innerText.includes('content/notes/a.md:')",
    );
    write(
        r,
        "content/notes/a.md",
        "---\ntitle: Note A\n---\nFixed words.\n",
    );
    cdp.wait_for(
        "the fixed page without the overlay",
        "document.body && document.body.innerText.includes('Fixed words.') && !document.getElementById('kizuna-overlay')",
    );
}
