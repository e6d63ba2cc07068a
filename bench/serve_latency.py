#!/usr/bin/env python3
"""Save-to-reload latency of `kizuna serve` on a large site.

Usage:
  bash /work/shared/bench/prepare_peers.sh 10000 /tmp/kz10k     # DIR/plain/content is a kizuna site
  cargo build --release
  python3 bench/serve_latency.py /tmp/kz10k/plain [--bin target/release/kizuna] [--edits 20]

Starts `kizuna serve` on a free port, listens to the live-reload event stream (/__kizuna/events) like the
browser does, then edits pages one at a time. For each edit it measures, from the moment the file is written:
  - event: until the `reload` event naming the page arrives (what the browser waits for);
  - fetch: until a GET of the page returns the new text (what the reloaded tab shows).
Two kinds of edit: a body change (the page only) and a title change (the page, its section's lists, its tags'
pages, feeds). Edited files are restored at the end.
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import queue


def http_get(port, path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode("utf-8", "replace")


def listen(port, events):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__kizuna/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    f = s.makefile("rb")
    kind = None
    for raw in f:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            events.put((time.perf_counter(), kind, line[6:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "kizuna"))
    ap.add_argument("--edits", type=int, default=20)
    args = ap.parse_args()
    content = os.path.join(args.site, "content")
    pages = sorted(
        os.path.join(root, f)
        for root, _, files in os.walk(content)
        for f in files
        if f.endswith(".md") and not f.startswith("_index")
    )
    print(f"{len(pages)} pages in {content}")
    t = time.perf_counter()
    proc = subprocess.Popen([args.bin, "serve", "--port", "0", "--root", args.site],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    log = queue.Queue()
    threading.Thread(target=lambda: [log.put(l.rstrip()) for l in proc.stderr], daemon=True).start()
    port = None
    while port is None:
        line = log.get(timeout=600)
        m = re.match(r"serving http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
        elif line.startswith("error"):
            print(line)
    print(f"first build and serving: {time.perf_counter() - t:.1f} s")
    events = queue.Queue()
    threading.Thread(target=listen, args=(port, events), daemon=True).start()
    events.get(timeout=10)  # hello

    originals = {}
    results = {"body": [], "title": []}
    rebuilt = []
    try:
        step = max(1, len(pages) // (2 * args.edits + 1))
        for i in range(2 * args.edits):
            kind = "body" if i % 2 == 0 else "title"
            path = pages[(i * step + 7) % len(pages)]
            rel = os.path.relpath(path, content)[:-3]
            out = rel + "/index.html"
            with open(path, encoding="utf-8") as f:
                text = f.read()
            originals.setdefault(path, text)
            marker = f"bench-edit-{i}-{int(time.time() * 1000)}"
            if kind == "body":
                new = text.rstrip("\n") + f"\n\n{marker}\n"
            else:
                new = re.sub(r'^title: .*$', f'title: "{marker}"', text, count=1, flags=re.M)
            while not events.empty():
                events.get()
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            t0 = time.perf_counter()
            while True:
                at, ev, data = events.get(timeout=30)
                if ev == "reload" and (out in json.loads(data)["paths"] or json.loads(data).get("all")):
                    break
                if ev == "diagnostics":
                    raise SystemExit(f"build failed: {data[:500]}")
            t1 = at
            while marker not in http_get(port, "/" + rel + "/"):
                time.sleep(0.002)
            t2 = time.perf_counter()
            results[kind].append(((t1 - t0) * 1000, (t2 - t0) * 1000))
            time.sleep(0.15)
        while not log.empty():
            line = log.get()
            if line.startswith("rebuilt in"):
                rebuilt.append(line)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        time.sleep(0.5)
        proc.terminate()
        proc.wait()

    def summary(xs):
        xs = sorted(xs)
        return f"median {statistics.median(xs):6.1f} ms  p90 {xs[int(0.9 * (len(xs) - 1))]:6.1f} ms  max {xs[-1]:6.1f} ms"

    for kind, rs in results.items():
        print(f"{kind:5} edits ({len(rs)}): save→reload event {summary([r[0] for r in rs])}")
        print(f"{'':5}              save→new page fetched {summary([r[1] for r in rs])}")
    print("server log (last rebuilds):")
    for line in rebuilt[-4:]:
        print("  " + line)


if __name__ == "__main__":
    main()
