// Browser tests of the HTML report (`day23 --report`), in Debian's Chromium,
// headless, driven by playwright-core (which never downloads a browser).
//
//   node tests/browser/report.test.mjs [path/to/day23]   (default target/release/day23)
//
// Environment: CHROMIUM (default /usr/bin/chromium); DAY23_SCREENSHOT=PATH
// also writes the screenshot there (docs/report.png). There is no skip: a
// missing browser or binary fails the run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(new URL("../..", import.meta.url).pathname);
const day23 = resolve(process.argv[2] ?? join(root, "target/release/day23"));
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const work = mkdtempSync(join(tmpdir(), "day23-browser-"));
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures.push(what); console.error(`FAIL ${what}`); }
}
// Thousands separators, written apart from the page's own formatting.
const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

// One invocation gives the page and the JSON export it is checked against.
function generate(name, args) {
  const html = join(work, `${name}.html`), json = join(work, `${name}.json`);
  execFileSync(day23, [...args, "--report", html, "--format", "json", "--output", json, "--quiet"], { cwd: root });
  const data = JSON.parse(readFileSync(json, "utf8"));
  const mixed = new Set(data.strategies.map((s) => s.cells)).size > 1;
  for (const s of data.strategies) s.name = mixed ? `${s.strategy}/${s.cells}` : s.strategy;
  return { html, data, bytes: statSync(html).size };
}

const cases = [
  { name: "gen70", args: ["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "all"], rounds: [0, 1, 10, 112, 113, 500, 969], budget: 1.5e6, shot: 112 },
  { name: "example", args: ["-i", "inputs/example.txt", "-s", "all", "--cells", "all", "-b", "2000"], rounds: [0, 1, 5, 20], shot: 5 },
  // bumpalo: each chunk a strip (main.0, main.1, ...), as many as the round has.
  { name: "bumpalo", args: ["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "all", "--allocator", "bumpalo"], rounds: [0, 1, 3, 10, 107, 108, 969], shot: 10 },
];

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "day23-chromium-")), {
  executablePath: browserPath,
  headless: true,
  viewport: { width: 1280, height: 1400 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  for (const c of cases) {
    const { html, data, bytes } = generate(c.name, c.args);
    console.log(`${c.name}: ${fmt(bytes)} bytes, ${data.strategies.length} runs`);
    if (c.budget) check(bytes <= c.budget, `${c.name}: ${bytes} bytes within ${c.budget}`);
    const page = await context.newPage();
    const errors = [], requests = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    const url = pathToFileURL(html).href;
    const state = () => page.evaluate(() => ({
      hash: location.hash,
      round: document.getElementById("round").textContent,
      rows: [...document.querySelectorAll("#figures tbody tr")].map((tr) => ({
        run: tr.dataset.run,
        ...Object.fromEntries([...tr.cells].map((td) => [td.dataset.field, td.textContent])),
      })),
      layouts: [...document.querySelectorAll("#layouts .run")].map((div) => ({
        run: div.dataset.run,
        rows: [...div.querySelectorAll(".row")].map((r) => ({
          phase: r.dataset.phase, buffer: r.dataset.buffer,
          figures: r.querySelector(".figures").textContent,
          blocks: r.querySelectorAll(".bar span").length,
          titles: [...r.querySelectorAll(".bar span")].map((s) => s.title),
        })),
      })),
    }));
    // The figures at #round=K equal the export's, for every run.
    function compare(s, k, where) {
      check(s.round === String(k), `${where}: round shown ${s.round}`);
      check(s.rows.length === data.strategies.length, `${where}: one row per run`);
      data.strategies.forEach((run, i) => {
        const row = s.rows[i] ?? {}, r = run.rounds[k];
        const want = r ? [r.bytes_in_use, r.live_bytes, r.peak_bytes].map(fmt) : ["-", "-", "-"];
        const got = [row.bytes_in_use, row.live_bytes, row.peak_bytes];
        check(row.run === run.name && JSON.stringify(got) === JSON.stringify(want),
          `${where} ${run.name}: figures ${got} want ${want}`);
        const lay = s.layouts[i];
        if (!r || run.strategy === "heap") return;
        // Round 0 draws its end; later rounds start, alloc, swap/copy per buffer,
        // alloc being the round's peak in each buffer and swap its end.
        const phases = k === 0 ? [] : [...new Set(lay.rows.map((x) => x.phase))];
        if (k > 0) check(phases.length === 3 && phases[0] === "start" && phases[1] === "alloc" &&
          phases[2] === (run.strategy === "tempcopy" ? "copy" : "swap"), `${where} ${run.name}: phases ${phases}`);
        r.buffers.forEach((b) => {
          if (b.chunks) {
            // At the round's end, one row per chunk, each of the chunk's size.
            const endPhase = run.strategy === "tempcopy" ? "copy" : "swap";
            const ends = lay.rows.filter((x) => x.buffer.startsWith(`${b.name}.`) && (k === 0 || x.phase === endPhase));
            const want = b.chunks.map((size, i) => [`${b.name}.${i}`, ` / ${fmt(size)} B`]);
            check(ends.length === want.length && ends.every((x, i) => x.buffer === want[i][0] && x.figures.endsWith(want[i][1])),
              `${where} ${run.name} ${b.name}: chunks ${ends.map((x) => `${x.buffer} ${x.figures}`)} want ${want}`);
            return;
          }
          const row = (p) => lay.rows.find((x) => x.buffer === b.name && (k === 0 || x.phase === p));
          const cap = fmt(run.buffer_size_bytes);
          const end = row(run.strategy === "tempcopy" ? "copy" : "swap")?.figures;
          check(end === `${fmt(b.bytes_in_use)} / ${cap} B`, `${where} ${run.name} ${b.name}: end ${end}`);
          // (With the bit grid, tempcopy's copy back may grow main's block:
          // main then peaks at the copy, not at alloc.)
          const grows = run.strategy === "tempcopy" && run.cells === "bitgrid" && b.name === "main";
          if (k > 0 && !grows) check(row("alloc")?.figures === `${fmt(b.peak_bytes)} / ${cap} B`,
            `${where} ${run.name} ${b.name}: alloc ${row("alloc")?.figures} is the peak ${fmt(b.peak_bytes)}`);
        });
        check(lay.rows.every((x) => x.blocks > 0 && x.titles.every((t) => /^offset [\d,]+, [\d,]+ bytes, /.test(t))),
          `${where} ${run.name}: blocks with offset, size and kind on hover`);
      });
    }
    for (const k of c.rounds) {
      await page.goto("about:blank");
      await page.goto(`${url}#round=${k}`);
      compare(await state(), k, `${c.name} #round=${k}`);
    }
    // The slider, the buttons and the arrow keys change the round and the fragment.
    await page.goto("about:blank");
    await page.goto(`${url}#round=3`);
    await page.evaluate(() => {
      const s = document.getElementById("slider");
      s.value = "5";
      s.dispatchEvent(new Event("input", { bubbles: true }));
    });
    let s = await state();
    check(s.hash === "#round=5", `${c.name}: slider sets the fragment (${s.hash})`);
    compare(s, 5, `${c.name} slider 5`);
    await page.click("#title");
    await page.keyboard.press("ArrowRight");
    s = await state();
    check(s.hash === "#round=6" && s.round === "6", `${c.name}: ArrowRight (${s.hash})`);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    s = await state();
    check(s.hash === "#round=4", `${c.name}: ArrowLeft twice (${s.hash})`);
    compare(s, 4, `${c.name} keys 4`);
    await page.focus("#slider");
    await page.keyboard.press("ArrowRight");
    s = await state();
    check(s.hash === "#round=5", `${c.name}: ArrowRight on the slider (${s.hash})`);
    await page.click("#next");
    s = await state();
    check(s.hash === "#round=6", `${c.name}: the next button (${s.hash})`);
    // A link to a round opens it, and following one changes it.
    await page.evaluate(() => { location.hash = "#round=2"; });
    await page.waitForFunction(() => document.getElementById("round").textContent === "2");
    compare(await state(), 2, `${c.name} hashchange 2`);

    // A screenshot, checked not to be blank.
    await page.goto("about:blank");
    await page.goto(`${url}#round=${c.shot}`);
    const png = await page.screenshot({ fullPage: true });
    if (c.name === "gen70" && process.env.DAY23_SCREENSHOT) writeFileSync(process.env.DAY23_SCREENSHOT, png);
    check(errors.length === 0, `${c.name}: console errors ${JSON.stringify(errors)}`);
    check(requests.length === 0, `${c.name}: network requests ${JSON.stringify(requests)}`);
    const viewer = await context.newPage();
    const colours = await viewer.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = new OffscreenCanvas(img.width, img.height), g = canvas.getContext("2d");
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data, seen = new Map();
      for (let i = 0; i < px.length; i += 4) {
        const key = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      const top = Math.max(...seen.values());
      return { distinct: seen.size, topShare: top / (px.length / 4) };
    }, png.toString("base64"));
    await viewer.close();
    check(colours.distinct >= 16 && colours.topShare < 0.95,
      `${c.name}: screenshot not blank (${colours.distinct} colours, top ${colours.topShare.toFixed(2)})`);
    await page.close();
  }
} finally {
  await context.close();
}
console.log(`${checks} checks, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
