// The playground's speed and size against the native binary, measured in
// the same run (see benches/web.sh, which builds both and calls this).
//
//   node benches/web.mjs path/to/day23 path/to/day23.html [RUNS]
//
// inputs/gen-70x70-d50-s1.txt under all strategies, once with the hash set
// and once with the bit grid: the wall time of `day23 --jobs 1` (the
// process, start to exit) against window.day23.solve in headless Chromium
// (the call, in the page), alternated RUNS times (default 7) so that load
// changes hit both. Targets: hash set within 2.5x, bit grid within 3x (the
// medians), the page at most 1.5 MB, interactive (a first solve answered)
// within 1 s of navigation. Exits 1 if one is missed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const root = resolve(new URL("..", import.meta.url).pathname);
const { chromium } = createRequire(join(root, "tests/browser/package.json"))("playwright-core");
const [day23, html] = process.argv.slice(2, 4).map((p) => resolve(p));
const RUNS = Number(process.argv[4] ?? 7);
const input = "inputs/gen-70x70-d50-s1.txt";
const text = readFileSync(join(root, input), "utf8");
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], median: s[s.length >> 1], max: s[s.length - 1] }; };
const show = (s) => `min ${s.min.toFixed(1)} / median ${s.median.toFixed(1)} / max ${s.max.toFixed(1)} ms`;
let failed = false;
const verdict = (ok, what) => { console.log(`${ok ? "PASS" : "FAIL"} ${what}`); failed ||= !ok; };

console.log(`load before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const bytes = statSync(html).size;
verdict(bytes <= 1.5e6, `page size ${bytes.toLocaleString("en-US")} bytes (at most 1,500,000)`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "day23-bench-")), {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const url = pathToFileURL(html).href;
  const interactive = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    await page.goto(url);
    interactive.push(await page.evaluate(async () => {
      await window.day23.solve("#\n", {});
      return performance.now(); // since navigation start
    }));
    await page.close();
  }
  const s = stats(interactive);
  verdict(s.median <= 1000, `interactive (first solve answered, from navigation): ${show(s)}`);

  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => window.day23.solve("#\n", {}));
  for (const [cells, limit] of [["hashset", 2.5], ["bitgrid", 3]]) {
    const native = [], web = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(day23, ["-i", input, "-s", "all", "-c", cells, "--jobs", "1", "--format", "json", "--quiet"], { cwd: root, maxBuffer: 1 << 28 });
      native.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) throw new Error(`day23 exited ${r.status}: ${r.stderr}`);
      web.push(await page.evaluate(async ([t, c]) => {
        const t0 = performance.now();
        await window.day23.solve(t, { strategy: "all", cells: c });
        return performance.now() - t0;
      }, [text, cells]));
    }
    const n = stats(native), w = stats(web), ratio = w.median / n.median;
    console.log(`${cells}: native --jobs 1 ${show(n)}`);
    console.log(`${cells}: page             ${show(w)}`);
    verdict(ratio <= limit, `${cells}: page / native (medians) ${ratio.toFixed(2)}x (at most ${limit}x)`);
  }
} finally {
  await context.close();
}
console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
process.exit(failed ? 1 : 0);
