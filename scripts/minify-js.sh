#!/usr/bin/env bash
# Minifies the search client: themes/default/js/NAME.js → themes/default/static/search/NAME.js with
# terser (pinned version, fetched by npx). Each output starts with a comment naming its source and the
# source's hash (FNV-1a, as `kizuna::translations::content_hash` computes it), which tests/theme_js.rs
# checks, so an edited source without a fresh minified copy fails `cargo test`.
# Usage: scripts/minify-js.sh   (needs node and npm)
set -euo pipefail
cd "$(dirname "$0")/.."
TERSER=terser@5.51.2
for src in themes/default/js/*.js; do
  name=$(basename "$src")
  hash=$(node -e '
    const t = require("fs").readFileSync(process.argv[1]);
    let h = 0xcbf29ce484222325n;
    for (const b of t) if (b !== 13) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    console.log(h.toString(16).padStart(16, "0").slice(0, 12));' "$src")
  body=$(npx --yes "$TERSER" "$src" --compress passes=2 --mangle --ecma 2018 --comments false)
  printf '/*! kizuna %s, minified from themes/default/js/%s (source %s) by scripts/minify-js.sh: edit the source */\n%s\n' \
    "$name" "$name" "$hash" "$body" > "themes/default/static/search/$name"
  echo "$name: $(wc -c < "$src") → $(wc -c < "themes/default/static/search/$name") bytes"
done
