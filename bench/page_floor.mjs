// The floor under "time to first results" in ../shared/bench/{kizuna,pagefind}_query.mjs: how long the page
// alone takes, from navigation start to the moment page.evaluate runs (where those scripts start searching),
// with no search at all. Measured as each harness loads its page: kizuna's in a fresh context of one browser,
// Pagefind's in a fresh browser each time.
// usage: node page_floor.mjs KIZUNA_BASE PAGEFIND_BASE [RUNS=10]
import { chromium } from "playwright-core";
const [kzBase, pfBase, runs = "10"] = process.argv.slice(2);
const launch = () => chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const ready = async (page, base) => { await page.goto(base + "index.html"); return page.evaluate(() => performance.now()); };
const median = (x) => x.slice().sort((a, b) => a - b)[x.length >> 1];
const kz = [], pf = [];
const browser = await launch();
for (let i = 0; i < Number(runs); i++) {
  const ctx = await browser.newContext();
  kz.push(await ready(await ctx.newPage(), kzBase));
  await ctx.close();
}
await browser.close();
for (let i = 0; i < Number(runs); i++) {
  const b = await launch();
  pf.push(await ready(await b.newPage(), pfBase));
  await b.close();
}
console.log(JSON.stringify({ page_ready_median_ms: { kizuna_harness: +median(kz).toFixed(1), pagefind_harness: +median(pf).toFixed(1) } }));
