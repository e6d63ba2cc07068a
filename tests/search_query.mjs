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
// format.rs: file_fp, block_fp, RECORD_FILES_PER_BLOCK.
const fnv32 = (bytes) => {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return Number(BigInt.asUintN(32, h ^ (h >> 32n)));
};
const hex = (v) => v.toString(16).padStart(8, "0");
const RECORD_FILES_PER_BLOCK = 16;
// The fingerprint a file is asked for with: its own, or its block's for record files.
const fingerprint = (path, bytes) => {
  const d = path.match(/^(.*\/d\/)(\d+)\.bin$/);
  if (!d) return hex(fnv32(bytes));
  const first = Math.floor(Number(d[2]) / RECORD_FILES_PER_BLOCK) * RECORD_FILES_PER_BLOCK;
  const fps = [];
  for (let k = first; k < first + RECORD_FILES_PER_BLOCK; k++) {
    let b;
    try { b = readFileSync(d[1] + k + ".bin"); } catch { break; }
    const v = fnv32(b);
    fps.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  return hex(fnv32(fps));
};
globalThis.fetch = async (url) => {
  fetched.push(String(url).replace(/^.*\/search\//, ""));
  let b;
  try {
    b = readFileSync(fileURLToPath(url));
  } catch {
    return { ok: false, status: 404 };
  }
  // Every file but the manifest is asked for with its fingerprint; a wrong one is an error.
  const v = new URL(url).searchParams.get("v");
  const manifest = /\/manifest\.bin$/.test(new URL(url).pathname);
  if (manifest !== (v === null) || (v !== null && v !== fingerprint(fileURLToPath(url), b))) {
    throw new Error(`${url}: asked for with the wrong fingerprint (the file's is ${fingerprint(fileURLToPath(url), b)})`);
  }
  return { ok: true, status: 200, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) };
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
