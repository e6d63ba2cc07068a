#!/usr/bin/env bash
# What last-updated dates from git cost a build: the N-page corpus in a git repository with a history (one
# commit of everything, then COMMITS commits of 1% of the pages each), built with `git_dates: true` and
# `false` (no search index, so the difference is not lost in noise), medians of RUNS paired runs, on disk.
# Issue 17's target: under 1 s at 10k pages.
# Usage: bench/git_dates.sh [N=10000] [RUNS=5] [COMMITS=50]     (BENCH_DIR=… to choose the folder)
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
COMMITS=${3:-50}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KIZUNA_BENCH_KIT:-$HERE/../shared/bench}
WORK=${BENCH_DIR:-$HERE/target/bench-$N}
REPO="$WORK/git-site"
[ -d "$WORK/plain/content" ] || bash "$SHARED/prepare_peers.sh" "$N" "$WORK" >/dev/null
(cd "$HERE" && cargo build --release --quiet)
KIZUNA="$HERE/target/release/kizuna"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@example.org \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@example.org

if [ ! -d "$REPO/.git" ]; then
  rm -rf "$REPO"; mkdir -p "$REPO"
  cp -r "$WORK/plain/content" "$REPO/content"
  git -C "$REPO" init -q -b main
  git -C "$REPO" add -A && git -C "$REPO" commit -qm "all pages"
  mapfile -t files < <(cd "$REPO" && find content -name '*.md' | sort)
  step=$(( ${#files[@]} / 100 )); [ "$step" -gt 0 ] || step=1
  for c in $(seq "$COMMITS"); do
    for ((k = c; k < ${#files[@]}; k += 100)); do echo "<!-- edit $c -->" >> "$REPO/${files[$k]}"; done
    git -C "$REPO" commit -qam "edit $c"
  done
fi

measure() { local s e; sync; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -a ON OFF
for i in $(seq "$RUNS"); do
  printf 'search: false\ngit_dates: false\n' > "$REPO/kizuna.yaml"
  rm -rf "$WORK/git-out"; OFF+=("$(measure "$KIZUNA" build --root "$REPO" --output "$WORK/git-out")")
  printf 'search: false\ngit_dates: true\n' > "$REPO/kizuna.yaml"
  rm -rf "$WORK/git-out"; ON+=("$(measure "$KIZUNA" build --root "$REPO" --output "$WORK/git-out")")
done
on=$(printf '%s\n' "${ON[@]}" | median); off=$(printf '%s\n' "${OFF[@]}" | median)
s=$(date +%s.%N); git -C "$REPO" log --relative --no-renames --format='%x1e%ct %H' --name-only -- content >/dev/null
log=$(echo "$(date +%s.%N) - $s" | bc)
dated=$(grep -c '<lastmod>' "$WORK/git-out/sitemap.xml" || true)
commits=$(git -C "$REPO" rev-list --count HEAD)
printf '%s pages, %s commits: build without git dates %.2f s, with %.2f s: +%.2f s (target < 1 s); the one git log alone %.2f s; %s sitemap entries dated\n' \
  "$N" "$commits" "$off" "$on" "$(echo "$on - $off" | bc)" "$log" "$dated"
