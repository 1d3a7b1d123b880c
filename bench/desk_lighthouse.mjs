// Lighthouse (desktop preset) on screens of the desk that need a signed-in user, in the tab that
// bench/desk_budget.py logged in. The desk keeps its tokens in sessionStorage, which belongs to one
// tab: the Lighthouse CLI opens a tab of its own (signed out), so this runs Lighthouse's Node API on
// the logged-in tab instead. Storage reset is off (it would erase the session); the HTTP cache is
// cleared before each run, so every screen is measured as a cold load.
//
// Run through npx so the pinned Lighthouse is on PATH (desk_budget.py does this):
//   npx --yes -p lighthouse@12.8.2 node bench/desk_lighthouse.mjs PORT URL...
// Prints one JSON line per URL: {url, screen, performance, accessibility, failing: [{id, nodes}]}.
import { realpathSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

function lighthouseRoot() {
  for (const folder of (process.env.PATH || "").split(delimiter)) {
    const bin = join(folder, "lighthouse");
    if (!existsSync(bin)) continue;
    let dir = dirname(realpathSync(bin));
    while (dir !== dirname(dir)) {
      const manifest = join(dir, "package.json");
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "lighthouse") return dir;
      dir = dirname(dir);
    }
  }
  throw new Error("lighthouse is not on PATH: run through `npx -p lighthouse@12.8.2`");
}

const [port, ...urls] = process.argv.slice(2);
const root = lighthouseRoot();
const load = (file) => import(pathToFileURL(join(root, file)).href);
const { default: lighthouse } = await load("core/index.js");
const { default: desktopConfig } = await load("core/config/desktop-config.js");
const puppeteer = (await import(pathToFileURL(createRequire(join(root, "package.json")).resolve("puppeteer-core")).href)).default;

const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: null });
const page = (await browser.pages()).find((p) => p.url().includes("/desk/"));
if (!page) throw new Error("no logged-in /desk/ tab in that browser");
const cdp = await page.createCDPSession();
for (const url of urls) {
  await cdp.send("Network.clearBrowserCache");
  const flags = { port: Number(port), output: "json", logLevel: "error", disableStorageReset: true, onlyCategories: ["performance", "accessibility"] };
  const { lhr } = await lighthouse(url, flags, desktopConfig, page);
  const score = (key) => Math.round((lhr.categories[key]?.score ?? 0) * 100);
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
    .map((a) => ({ id: a.id, nodes: (a.details?.items || []).slice(0, 3).map((i) => i.node?.snippet || i.node?.selector).filter(Boolean) }));
  // Which screen was audited: proves the session survived (a signed-out tab shows the login form).
  const screen = await page.evaluate(() => document.querySelector("section.screen")?.dataset.screen || "login");
  console.log(JSON.stringify({ url: lhr.finalDisplayedUrl, screen, performance: score("performance"), accessibility: score("accessibility"), failing }));
}
await browser.disconnect();
