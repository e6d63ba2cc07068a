// kizuna's and Pagefind's clients side by side on an emulated slow link (Chromium's network emulation:
// added round-trip latency and limited bandwidth), one fresh browser context per query, both measured
// from navigation start to the first ten results, as ../shared/bench/{kizuna,pagefind}_query.mjs do.
// usage: node search_slow_link.mjs KIZUNA_BASE PAGEFIND_BASE QUERIES.tsv [LATENCY_MS=150] [KBIT_S=1600]
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
const [kzBase, pfBase, qfile, latency = "150", kbit = "1600"] = process.argv.slice(2);
const queries = readFileSync(qfile, "utf8").split("\n").filter(l => l.trim() && !l.startsWith("#")).map(l => l.split("\t")[0]);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const bytesPerMs = Number(kbit) * 1000 / 8 / 1000;
const clients = {
  kizuna: [kzBase, async (q) => {
    const r = await window.kizunaSearch(q, { limit: 10 });
    return { at: performance.now(), n: r.results.length };
  }],
  pagefind: [pfBase, async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    const s = await pf.search(q);
    const top = await Promise.all(s.results.slice(0, 10).map(r => r.data()));
    return { at: performance.now(), n: top.length };
  }],
};
const times = { kizuna: [], pagefind: [] };
for (const q of queries) {
  for (const [name, [base, run]] of Object.entries(clients)) {
    const ctx = await browser.newContext(); const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: Number(latency),
      downloadThroughput: bytesPerMs * 1000, uploadThroughput: bytesPerMs * 1000 });
    await page.goto(base + "index.html");
    const out = await page.evaluate(run, q);
    times[name].push(out.at);
    console.log(JSON.stringify({ client: name, query: q, results_at_ms: Math.round(out.at), results: out.n }));
    await ctx.close();
  }
}
await browser.close();
const mean = (x) => x.reduce((a, b) => a + b, 0) / x.length;
console.log(JSON.stringify({ summary: true, latency_ms: Number(latency), kbit_s: Number(kbit),
  kizuna_mean_ms: Math.round(mean(times.kizuna)), pagefind_mean_ms: Math.round(mean(times.pagefind)),
  speedup: +(mean(times.pagefind) / mean(times.kizuna)).toFixed(2) }));
