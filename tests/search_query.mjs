// Runs queries through the JavaScript client against an index directory, reading files through a
// fetch shim. Usage: node tests/search_query.mjs <site-out-dir> <queries.json>
// Prints JSON: [{ total, results: [{url, title, lang, kind, excerpt}], bytes, files }] per query, where
// files are the index files the query fetched (relative to search/).
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const [out, queriesPath] = process.argv.slice(2);
let fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url).replace(/^.*\/search\//, ""));
  try {
    const b = readFileSync(fileURLToPath(url));
    return { ok: true, status: 200, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) };
  } catch {
    return { ok: false, status: 404 };
  }
};
// KIZUNA_INFLATE=js: unpack with inflate.js, as browsers without DecompressionStream do.
if (process.env.KIZUNA_INFLATE === "js") {
  runInThisContext(readFileSync(here("../themes/default/static/search/inflate.js"), "utf8"));
}
runInThisContext(readFileSync(here("../themes/default/static/search/engine.js"), "utf8"));
const search = globalThis.kizunaSearchEngine;
search.setBase(pathToFileURL(join(out, "search")).href + "/");
const queries = JSON.parse(readFileSync(queriesPath, "utf8"));
const answers = [];
for (const q of queries) {
  const before = search.stats.bytes;
  fetched = [];
  const r = await search(q.q, {
    lang: q.lang, kind: q.kind, city: q.city, field: q.field, prefer_lang: q.prefer_lang,
    limit: q.limit || 10, yearFrom: q.yearFrom, yearTo: q.yearTo,
  });
  answers.push({
    total: r.total,
    results: r.results.map(({ url, title, lang, kind, excerpt }) => ({ url, title, lang, kind, excerpt })),
    bytes: search.stats.bytes - before,
    files: fetched,
  });
}
console.log(JSON.stringify(answers));
