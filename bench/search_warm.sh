#!/usr/bin/env bash
# Issue 16's four rows, side by side with Pagefind in one run: the time (and bytes, and requests) from issuing a
# query on a page already open (search box focused, 1 s idle) to its first ten results with their records, for
# a first query and a next one, on loopback and on an emulated slow link (150 ms RTT, 1.6 Mbit/s). The same
# site for both: kizuna's own output of the N-page corpus, indexed by Pagefind too. Medians over query pairs
# and RUNS repetitions.
# Usage: bench/search_warm.sh [N=10000] [RUNS=3]      (BENCH_DIR=… to choose the folder; default target/)
# Needs: node + npm (pagefind and playwright-core are installed into the work folder), /usr/bin/chromium,
# python3.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KIZUNA_BENCH_KIT:-$HERE/../shared/bench}
WORK=${BENCH_DIR:-$HERE/target/bench-$N}
[ -d "$WORK/plain/content" ] || bash "$SHARED/prepare_peers.sh" "$N" "$WORK" >/dev/null
(cd "$HERE" && cargo build --release --quiet)
mkdir -p "$WORK/node"
if [ ! -d "$WORK/node/node_modules/pagefind" ]; then
  (cd "$WORK/node" && npm init -y >/dev/null && npm install --silent pagefind playwright-core >/dev/null)
fi
cp "$SHARED/warm_query.mjs" "$WORK/node/"

rm -rf "$WORK/kz-site" "$WORK/pf-site"
"$HERE/target/release/kizuna" build --root "$WORK/plain" --output "$WORK/kz-site" 2>&1 | tail -1
cp -r "$WORK/kz-site" "$WORK/pf-site"
rm -rf "$WORK/pf-site/search"
"$WORK/node/node_modules/.bin/pagefind" --site "$WORK/pf-site" >/dev/null 2>&1
echo "files: kizuna search/ $(find "$WORK/kz-site/search" -type f | wc -l), Pagefind $(find "$WORK/pf-site/pagefind" -type f | wc -l)"

python3 "$SHARED/count_server.py" "$WORK/kz-site" 8771 & KZ=$!
python3 "$SHARED/count_server.py" "$WORK/pf-site" 8772 & PF=$!
trap 'kill $KZ $PF 2>/dev/null' EXIT
sleep 1
PAGE=section-00/page-000000/index.html
PAIRS=("water supply|waste management" "Kitakyushu|Dalian" "environmental education|recycling" "energy|cooperation")
OUT="$WORK/warm.jsonl"; : > "$OUT"
for mode in fast slow; do
  for r in $(seq "$RUNS"); do
    for pair in "${PAIRS[@]}"; do
      q1=${pair%%|*}; q2=${pair#*|}
      (cd "$WORK/node" && node warm_query.mjs http://127.0.0.1:8771/ kizuna "$q1" "$q2" "$mode" "$PAGE") >> "$OUT"
      (cd "$WORK/node" && node warm_query.mjs http://127.0.0.1:8772/ pagefind "$q1" "$q2" "$mode" "$PAGE") >> "$OUT"
    done
  done
done
python3 - "$OUT" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(engine, slow, which, key):
    return st.median(r[which][key] for r in rows if r["engine"] == engine and r["slow"] == slow)
print("| | kizuna | Pagefind | ratio | target |")
print("|---|---|---|---|---|")
targets = {("first", False): "≤ 0.25×", ("second", False): "≤ 20 ms, ≤ 3 requests",
           ("first", True): "≤ 3 RTT + transfer", ("second", True): "≤ 2 RTT + transfer"}
for slow in (False, True):
    for which in ("first", "second"):
        k = [med("kizuna", slow, which, x) for x in ("ms", "kib", "reqs")]
        p = [med("pagefind", slow, which, x) for x in ("ms", "kib", "reqs")]
        label = "%s query, %s" % ("first" if which == "first" else "next", "150 ms RTT, 1.6 Mbit/s" if slow else "loopback")
        print("| %s | %.0f ms, %.1f KiB, %g requests | %.0f ms, %.1f KiB, %g requests | %.2f× time, %.2f× bytes | %s |"
              % (label, k[0], k[1], k[2], p[0], p[1], p[2], k[0] / p[0], k[1] / p[1], targets[(which, slow)]))
PY
