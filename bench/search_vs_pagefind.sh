#!/usr/bin/env bash
# Side by side, in one run: kizuna's client search and Pagefind 1.x on the same N-page site (kizuna's own
# output of the ../shared/bench corpus). Prints Pagefind's indexing time and peak memory, kizuna's index build
# time (from its stage timings) and, per query in headless Chromium, bytes fetched and time from navigation
# start to the first ten results for both; how long the page alone takes in each harness (the floor under
# both times); then both again on an emulated slow link.
# Usage: bench/search_vs_pagefind.sh [N=10000]
# Needs: node + npm (pagefind and playwright-core are installed into the work folder), /usr/bin/chromium,
# GNU time, python3.
set -euo pipefail
N=${1:-10000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KIZUNA_BENCH_KIT:-$HERE/../shared/bench}
WORK=${BENCH_DIR:-/dev/shm/kizuna-bench-$N}
[ -d "$WORK/plain/content" ] || bash "$SHARED/prepare_peers.sh" "$N" "$WORK" >/dev/null
(cd "$HERE" && cargo build --release --quiet)
KIZUNA="$HERE/target/release/kizuna"
mkdir -p "$WORK/node"
if [ ! -d "$WORK/node/node_modules/pagefind" ]; then
  (cd "$WORK/node" && npm init -y >/dev/null && npm install --silent pagefind playwright-core >/dev/null)
fi
cp "$SHARED/kizuna_query.mjs" "$SHARED/pagefind_query.mjs" "$HERE/bench/search_slow_link.mjs" "$HERE/bench/page_floor.mjs" "$WORK/node/"

echo "== kizuna build with its search index"
rm -rf "$WORK/kz-site"
sync
KIZUNA_TIMINGS=1 /usr/bin/time -f "kizuna build: %e s wall, %M KiB peak" "$KIZUNA" build --root "$WORK/plain" --output "$WORK/kz-site" 2>&1 | tail -3
echo "== Pagefind indexing the same HTML"
rm -rf "$WORK/pf-site"
cp -r "$WORK/kz-site" "$WORK/pf-site"
rm -rf "$WORK/pf-site/search"
sync
/usr/bin/time -f "pagefind: %e s wall, %M KiB peak" "$WORK/node/node_modules/.bin/pagefind" --site "$WORK/pf-site" 2>&1 | tail -1
du -sh "$WORK/kz-site/search" "$WORK/pf-site/pagefind" | sed 's/^/index size: /'

python3 "$SHARED/count_server.py" "$WORK/kz-site" 8761 & KZ=$!
python3 "$SHARED/count_server.py" "$WORK/pf-site" 8762 & PF=$!
trap 'kill $KZ $PF 2>/dev/null' EXIT
sleep 1
QUERIES="$HERE/bench/search_queries.tsv"
echo "== kizuna (one fresh browser context per query)"
(cd "$WORK/node" && node kizuna_query.mjs http://127.0.0.1:8761/ "$QUERIES") | tee "$WORK/kizuna.jsonl"
echo "== Pagefind (one browser per query)"
grep -v '^#' "$QUERIES" | cut -f1 | while read -r q; do
  (cd "$WORK/node" && node pagefind_query.mjs http://127.0.0.1:8762/ "$q")
done | tee "$WORK/pagefind.jsonl"
python3 - "$WORK/kizuna.jsonl" "$WORK/pagefind.jsonl" <<'PY'
import json, statistics, sys
kz = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pf = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
kq = [r for r in kz if "results_at_ms" in r and not r.get("summary")]
k_kib, p_kib = statistics.mean(r["kib"] for r in kq), statistics.mean(r["kib"] for r in pf)
k_ms, p_ms = statistics.mean(r["results_at_ms"] for r in kq), statistics.mean(r["results_at_ms"] for r in pf)
print("== per query, mean of %d (kizuna) and %d (Pagefind) queries" % (len(kq), len(pf)))
print("bytes to first 10 results: kizuna %.1f KiB, Pagefind %.1f KiB, ratio %.2f (target <= 0.25)" % (k_kib, p_kib, k_kib / p_kib))
print("time to first 10 results:  kizuna %.0f ms, Pagefind %.0f ms, %.1fx faster (target >= 4x)" % (k_ms, p_ms, p_ms / k_ms))
print("medians: kizuna %.0f ms, Pagefind %.0f ms" % (statistics.median(r["results_at_ms"] for r in kq), statistics.median(r["results_at_ms"] for r in pf)))
print("hits: kizuna %s" % [r.get("rank") for r in kq])
print("hits: Pagefind %s" % [r.get("hits") for r in pf])
PY
echo "== the page alone, no search (navigation start to where the query scripts start searching)"
(cd "$WORK/node" && node page_floor.mjs http://127.0.0.1:8761/ http://127.0.0.1:8762/)
echo "== both on an emulated slow link (150 ms round trip, 1.6 Mbit/s), fresh context per query"
(cd "$WORK/node" && node search_slow_link.mjs http://127.0.0.1:8761/ http://127.0.0.1:8762/ "$QUERIES" 150 1600 | tail -1)
