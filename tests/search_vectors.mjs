// The shared analyser vectors, checked against the JavaScript client.
// Run by tests/search_js.rs: node tests/search_vectors.mjs
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
runInThisContext(readFileSync(here("../themes/default/static/search/engine.js"), "utf8"));
const { indexTokens, queryGroups } = globalThis.kizunaSearchEngine.analyse;
const vectors = JSON.parse(readFileSync(here("search_vectors.json"), "utf8"));
let failed = 0;
for (const v of vectors) {
  const tokens = indexTokens(v.text).map((t) => t.term);
  const query = queryGroups(v.text);
  for (const [what, got, want] of [["tokens", tokens, v.tokens], ["query", query, v.query]]) {
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      failed++;
      console.error(`${what} of ${JSON.stringify(v.text)}:\n  js:   ${JSON.stringify(got)}\n  want: ${JSON.stringify(want)}`);
    }
  }
}
console.log(`${vectors.length} vectors, ${failed} mismatches`);
process.exit(failed ? 1 : 0);
