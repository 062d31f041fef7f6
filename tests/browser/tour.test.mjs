// Browser tests of the page's guided tour (web/tour.*, `bash web/build.sh`),
// in Debian's Chromium, headless, driven by playwright-core (which never
// downloads a browser).
//
//   node tests/browser/tour.test.mjs [path/to/day23] [path/to/day23.html]
//   (defaults target/release/day23 and target/web/day23.html)
//
// Environment: CHROMIUM (default /usr/bin/chromium); DAY23_SCREENSHOTS=DIR
// writes the tour's screenshots there (docs/tour-*.png); DAY23_TIMINGS=PATH
// writes the measured times as JSON.
//
// Every step is walked. Every figure the tour's text shows from a run is a
// <span class="fig"> carrying the run's settings and the JSON path it was
// read from; each one is checked against the release binary's --format json
// for the same settings, and its text against its value. Step 2's allocator
// is checked against Zig's rule as docs/design.md states it (a model
// written here, apart from the page), and the page's replay API against the
// CLI's own --trace of real runs, line for line. Then: the buffer-size
// slider's out-of-memory round against the CLI's for three sizes and the
// size that lasts, `#tour=K` links, the back button and the keys, the
// reader's own input (markup stays text), a 390 px phone (no horizontal
// scroll), text equivalents and contrast, no console error, no network
// request. There is no skip: a missing browser, binary or page fails.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { chromium } from "playwright-core";

const root = resolve(new URL("../..", import.meta.url).pathname);
const day23 = resolve(process.argv[2] ?? join(root, "target/release/day23"));
const html = resolve(process.argv[3] ?? join(root, "target/web/day23.html"));
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const shots = process.env.DAY23_SCREENSHOTS;
const work = mkdtempSync(join(tmpdir(), "day23-tour-"));
const url = pathToFileURL(html).href;
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures.push(what); console.error(`FAIL ${what}`); } else console.log(`ok   ${what}`);
}
// Thousands separators, written apart from the page's own formatting.
const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const WRITEUP = "inputs/gen-70x70-d50-s1.txt", EXAMPLE = "inputs/example.txt";

// --- the CLI -------------------------------------------------------------------
// The settings the tour's runs carry (window.day23.answer's names) as flags.
function flags(s) {
  const a = ["-s", s.strategy ?? "pingpong", "-c", s.cells ?? "hashset", "--allocator", s.allocator ?? "zig",
    "-b", String(s.bufferSize ?? "4MiB")];
  if (s.maxRounds !== undefined && s.maxRounds !== null) a.push("--max-rounds", String(s.maxRounds));
  return a;
}
const nativeCache = new Map();
function native(file, settings) {
  const key = JSON.stringify([file, settings]);
  if (!nativeCache.has(key)) {
    const r = spawnSync(day23, ["-i", file, "--format", "json", "--quiet", ...flags(settings)], { cwd: root, maxBuffer: 1 << 30 });
    nativeCache.set(key, { json: r.stdout.length ? JSON.parse(r.stdout.toString()) : null, stderr: r.stderr.toString(), status: r.status });
  }
  return nativeCache.get(key);
}
// The CLI's out-of-memory message without its advice: the CLI finds the
// advice by running again, and the page states only what happened
// (docs/guide.md).
function oomFacts(stderr) {
  return stderr.trim().replace(/; (the smallest --buffer-size|it completes|it needs|it runs out)[^]*$/, "");
}
// The value at a figure's path: "-1" is an array's last item, "length" its length.
function at(json, path) {
  let v = json;
  for (const key of path.split(".")) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v) && key === "-1") v = v[v.length - 1];
    else if (Array.isArray(v) && key === "length") v = v.length;
    else v = v[key];
  }
  return v;
}
// Whether a figure's text shows `v`: with separators or bare (the
// write-up's lines), in MiB, or a list of them.
function shows(text, v) {
  if (v === null || v === undefined) return text.trim() === "-";
  if (Array.isArray(v)) return text.includes(v.map(fmt).join(" \u2192 "));
  if (typeof v !== "number") return text.includes(String(v));
  return text.includes(fmt(v)) || text.includes(String(v)) || text.includes(`${(v / 1048576).toFixed(1)} MiB`);
}

// --- the page ------------------------------------------------------------------
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "day23-chromium-")), {
  executablePath: browserPath,
  headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const errors = [], requests = [];
async function open(hash = "", viewport = { width: 1280, height: 1000 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!/^(file|blob|data):/.test(r.url())) requests.push(r.url()); });
  await page.goto(url + hash);
  return page;
}
async function ready(page, k) {
  await page.waitForSelector(`.step[data-step="${k}"]:not([hidden])[data-state="ready"], .step[data-step="${k}"][data-state="error"]`,
    { timeout: 300_000 });
  const state = await page.$eval(`.step[data-step="${k}"]`, (el) => el.dataset.state);
  if (state !== "ready") check(false, `step ${k} computed: ${await page.textContent("#tour-status")}`);
}
// Every figure in `scope` (a selector) against the CLI on `file`.
async function figures(page, scope, file, what) {
  const figs = await page.$$eval(`${scope} .fig[data-settings]`, (els) => els.map((el) => ({
    settings: JSON.parse(el.dataset.settings), path: el.dataset.path, value: JSON.parse(el.dataset.value), text: el.textContent,
  })));
  let bad = 0;
  for (const f of figs) {
    const expected = at(native(file, f.settings).json, f.path) ?? null;
    if (!isDeepStrictEqual(f.value, expected) || !shows(f.text, expected)) {
      bad++;
      check(false, `${what}: ${f.path} under ${JSON.stringify(f.settings)} shows ${JSON.stringify(f.text)} (${JSON.stringify(f.value)}), the CLI has ${JSON.stringify(expected)}`);
    }
  }
  check(figs.length > 0 && bad === 0, `${what}: ${figs.length} figures, each equal to the CLI's --format json for its settings`);
  return figs;
}

// Zig's FixedBufferAllocator as docs/design.md states it: alloc pads
// end_index to the alignment (the buffer starts 64-byte aligned, so the
// offset's alignment is the address's) and fails past the end; free gives
// back only the block ending at end_index, its length and not its padding;
// reset empties it. Blocks are numbered by alloc event, failed ones too.
function zigModel(capacity) {
  let end = 0, next = 0;
  const live = new Map();
  return {
    alloc(size, align) {
      const id = next++, start = end + ((align - (end % align)) % align);
      if (start + size > capacity) return `main alloc ${size} ${align} -> OOM`;
      live.set(id, { start, size });
      end = start + size;
      return `main alloc ${size} ${align} -> offset=${start} end_index=${end}`;
    },
    free(id) {
      const b = live.get(id);
      live.delete(id);
      if (b.start + b.size === end) end -= b.size;
      return `main free ${id} -> end_index=${end}`;
    },
    reset() { live.clear(); end = 0; return "main reset -> end_index=0"; },
    get end() { return end; },
    get nextId() { return next; },
  };
}

try {
  // --- opening the tour: step 1 drawn, timed ------------------------------------
  const timings = { steps: {} };
  const page = await open("#tour=1");
  await ready(page, 1);
  timings.openToStep1 = await page.evaluate(() => window.day23Tour.timings.drawn[1]);
  check(await page.evaluate(() => document.body.classList.contains("touring") && !document.querySelector(".step[data-step='1']").hidden),
    "#tour=1 opens the tour at step 1");
  console.log(`     step 1 drawn ${timings.openToStep1.toFixed(0)} ms after opening the page`);

  // --- every step, by the next button and the arrow key --------------------------
  const figs = {};
  figs[1] = await figures(page, ".step[data-step='1']", WRITEUP, "step 1 (the puzzle)");
  check(await page.$eval("#t1-caption", (el) => /elves/.test(el.textContent)), "step 1: the picture's text says what it shows");
  await page.$eval("#t1-round", (el) => { el.value = "500"; el.dispatchEvent(new Event("input")); });
  await figures(page, "#t1-caption", WRITEUP, "step 1, round 500");

  await page.click("#tour-next");
  await ready(page, 2);
  check(page.url().endsWith("#tour=2"), "next: #tour=2");
  // Step 2 by hand: a sequence through every button, the model beside it.
  const model = zigModel(128), sizes = { A: [40, 8], B: [56, 8] }, ids = {};
  const sequence = ["alloc-A", "alloc-B", "free-A", "free-B", "reset", "alloc-B", "alloc-A", "free-B", "alloc-B", "free-A",
    "alloc-A", "reset", "alloc-A", "alloc-B", "free-A", "alloc-A"];
  const expectedTrace = [], ends = [], pageEnds = [];
  for (const c of sequence) {
    const [what, name] = c.split("-");
    if (what === "alloc") { ids[name] = model.nextId; expectedTrace.push(model.alloc(...sizes[name])); }
    else if (what === "free") expectedTrace.push(model.free(ids[name]));
    else expectedTrace.push(model.reset());
    const before = await page.evaluate(() => window.day23Tour.byHand()?.calls.length ?? 0);
    await page.click(`[data-call="${c}"]`);
    await page.waitForFunction((n) => window.day23Tour.byHand()?.calls.length === n, before + 1);
    ends.push(model.end);
    pageEnds.push(Number(await page.$eval("#t2-end", (el) => el.dataset.value)));
  }
  check(isDeepStrictEqual(pageEnds, ends), `step 2: end_index after each of ${sequence.length} presses is Zig's rule's: ${ends.join(", ")}`);
  const trace = (await page.textContent("#t2-trace")).split("\n");
  check(isDeepStrictEqual(trace, expectedTrace), "step 2: the allocator's log is the --trace lines Zig's rule gives" +
    (isDeepStrictEqual(trace, expectedTrace) ? "" : `: ${JSON.stringify(trace)} vs ${JSON.stringify(expectedTrace)}`));
  check(expectedTrace.at(-1).endsWith("OOM") && /out of memory/.test(await page.textContent("#t2-why")),
    "step 2: A again above a dead A and a live B runs out of memory, and says why");
  check(await page.$eval("#t2-state", (el) => /end_index = 96 of 128/.test(el.textContent)), "step 2: the buffer's state in words");
  await page.click('[data-call="clear"]');
  await page.waitForFunction(() => window.day23Tour.byHand()?.calls.length === 0);
  // The replay API against the CLI's own traces of real runs (one runs out of memory).
  for (const [file, args, capacity] of [[EXAMPLE, ["-s", "leaky"], 4194304], [WRITEUP, ["-s", "leaky", "-b", "1MiB"], 1048576],
    [EXAMPLE, ["-s", "tempcopy", "-c", "zigmap"], 4194304]]) {
    const path = join(work, "trace.txt");
    spawnSync(day23, ["-i", file, "--quiet", "--trace", path, ...args], { cwd: root });
    // One buffer at a time: the replay has one.
    const all = readFileSync(path, "utf8").trim().split("\n");
    const lines = all.filter((l) => l.startsWith("main "));
    const calls = lines.map((l) => {
      const w = l.split(" ");
      if (w[1] === "alloc") return { op: "alloc", size: Number(w[2]), align: Number(w[3]) };
      if (w[1] === "free") return { op: "free", id: Number(w[2]) };
      if (w[1] === "reset") return { op: "reset" };
      throw new Error(`unexpected trace line ${l}`);
    });
    const got = await page.evaluate(([c, cap]) => window.day23.allocate(c, { capacity: cap }).then((s) => s.flatMap((x) => x.trace)), [calls, capacity]);
    check(isDeepStrictEqual(got, lines), `day23.allocate replays ${file} ${args.join(" ")}'s --trace (${lines.length} events of buffer main${all.length > lines.length ? `, of ${all.length}` : ""}) line for line`);
  }
  const refused = await page.evaluate(() => window.day23.allocate([{ op: "free", id: 0 }, { op: "alloc", size: 8, align: 3 }], { capacity: 64 }));
  check(refused.every((s) => s.error && s.trace.length === 0), "day23.allocate: a call that cannot be made is reported, not made");
  const bad = await page.evaluate(() => window.day23.allocate([{ op: "explode" }]).then(() => "", (e) => e.message));
  check(/^invalid calls: /.test(bad), `day23.allocate rejects what is not a call: ${bad}`);

  await page.keyboard.press("ArrowRight");
  await ready(page, 3);
  check(page.url().endsWith("#tour=3"), "the right arrow: #tour=3");
  figs[3] = await figures(page, ".step[data-step='3']", WRITEUP, "step 3 (the leaky loop)");
  const writeup = native(WRITEUP, { strategy: "leaky", cells: "zigmap", bufferSize: "4MiB" });
  const lines = await page.textContent("#t3-lines");
  check(lines.startsWith("Round 0 memuse: 41864\nRound 1 memuse: 78752\n"), "step 3: the write-up's lines, 41864 then 78752");
  const facts = oomFacts(writeup.stderr);
  check(facts.startsWith("Error: strategy leaky: buffer 'main' of 4194304 bytes exhausted in round 113") && lines.includes(facts),
    "step 3: the out-of-memory message is the CLI's, word for word (without the CLI's advice)");
  for (const k of [1, 50, 112]) {
    await page.$eval("#t3-round", (el, v) => { el.value = String(v); el.dispatchEvent(new Event("input")); }, k);
    await figures(page, "#t3-phases-text", WRITEUP, `step 3, the buffer at round ${k}'s start, alloc and swap`);
  }
  // The slider: three sizes, typed, slid and by button; the size that lasts and one byte less.
  const sizeCases = [["slider", 1048576], ["slider", 2000000], ["typed", 10485760], ["exact", null], ["less", null]];
  const ooms = [];
  for (const [how, size] of sizeCases) {
    if (how === "slider") await page.$eval("#t3-size", (el, v) => { el.value = String(v); el.dispatchEvent(new Event("input")); }, size);
    else if (how === "typed") { await page.fill("#t3-size-text", String(size)); await page.dispatchEvent("#t3-size-text", "change"); }
    else await page.click(how === "exact" ? "#t3-exact" : "#t3-less");
    const bytes = size ?? (await page.$eval("#t3-size-text", (el) => Number(el.value)));
    await page.waitForSelector(`#t3-oom[data-state="ready"][data-size="${bytes}"]`, { timeout: 120_000 });
    await figures(page, "#t3-oom", WRITEUP, `step 3, a buffer of ${fmt(bytes)} bytes (${how})`);
    (timings.slider ??= {})[bytes] = Number(/\((\d+) ms\)/.exec(await page.textContent("#t3-oom"))?.[1]);
    const cli = native(WRITEUP, { strategy: "leaky", cells: "zigmap", bufferSize: bytes }).json.strategies[0].outcome;
    ooms.push(`${fmt(bytes)}: ${cli.kind === "out_of_memory" ? `round ${cli.round}` : `finished, ${cli.rounds} rounds`}`);
  }
  const needed = native(WRITEUP, { strategy: "leaky,pingpong", cells: "zigmap", bufferSize: "4MiB" }).json.strategies[0].summary;
  check(ooms.at(-2) === `${fmt(needed.needed_buffer_size_bytes)}: finished, 969 rounds` && ooms.at(-1) === `${fmt(needed.needed_buffer_size_bytes - 1)}: round 969`,
    `step 3: the size that lasts, ${fmt(needed.needed_buffer_size_bytes)} bytes, finishes all 969 rounds, one byte less runs out in round 969 (${ooms.join("; ")})`);

  await page.click("#tour-next");
  await ready(page, 4);
  figs[4] = await figures(page, ".step[data-step='4']", WRITEUP, "step 4 (the fixes)");
  const fixes = await page.$$eval(".t-fix", (els) => els.map((el) => el.dataset.strategy));
  check(isDeepStrictEqual(fixes, ["tempcopy", "pingpong", "heap", "reuse"]), "step 4: tempcopy, pingpong, heap and reuse, each with its sentence");

  await page.click("#tour-next");
  await ready(page, 5);
  figs[5] = await figures(page, ".step[data-step='5']", WRITEUP, "step 5 (bumpalo)");
  const bumpalo = native(WRITEUP, { strategy: "leaky", cells: "zigmap", allocator: "bumpalo", bufferSize: "4MiB" });
  const chunks = at(bumpalo.json, "strategies.0.rounds.-1.buffers.0.chunks");
  check(chunks[0] === 8128 && chunks.includes(1310656) && (await page.textContent("[data-slot='t5-facts']")).includes("8,128 \u2192 40,896"),
    `step 5: bumpalo's chunks are the CLI's on x86-64 (${chunks.map(fmt).join(", ")})`);
  check((await page.textContent("#t5-error")) === oomFacts(bumpalo.stderr), "step 5: the out-of-memory message is the CLI's, word for word (without the CLI's advice)");

  await page.click("#tour-next");
  await ready(page, 6);
  figs[6] = await figures(page, ".step[data-step='6']", WRITEUP, "step 6 (the summary, on the 70x70 input)");
  const toolHref = await page.$eval("#t6-tool", (el) => el.getAttribute("href"));
  check(toolHref === "#s=all&c=zigmap&b=4MiB&bundled=gen-70x70-d50-s1.txt", `step 6: the tool's link has the settings (${toolHref})`);
  Object.assign(timings.steps, await page.evaluate(() => window.day23Tour.timings));

  // --- the back button ---------------------------------------------------------------
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector(".step[data-step='5']").hidden);
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector(".step[data-step='4']").hidden);
  check(page.url().endsWith("#tour=4"), "the back button steps back: 6, 5, 4");
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => !document.querySelector(".step[data-step='3']").hidden);
  check(page.url().endsWith("#tour=3"), "the left arrow: #tour=3");

  // --- the reader's own input ----------------------------------------------------
  await page.goto(url + "#tour=6");
  await ready(page, 6);
  await page.fill("#t6-input", "..#<img src=x onerror=window.__xss=1>\n#..\n");
  await page.click("#t6-use");
  await page.waitForFunction(() => document.getElementById("t6-error").textContent !== "");
  const markupError = await page.textContent("#t6-error");
  const markupCli = spawnSync(day23, ["-i", "-", "--quiet"], { input: "..#<img src=x onerror=window.__xss=1>\n#..\n" }).stderr.toString();
  check(markupError === markupCli.trim().replace("'<stdin>'", "'<input>'") && await page.evaluate(() => window.__xss === undefined && !document.querySelector("#tour img")),
    `step 6: markup as input is the CLI's error, as text (${markupError})`);
  check((await page.textContent("#tour-input-name")).includes("gen-70x70"), "step 6: a bad input leaves the tour on its input");
  const example = readFileSync(join(root, EXAMPLE), "utf8");
  await page.fill("#t6-input", example);
  await page.click("#t6-use");
  await page.waitForFunction(() => document.getElementById("tour-input-name").textContent.includes("yours"));
  await ready(page, 6);
  figs.own = await figures(page, ".step[data-step='6']", EXAMPLE, "step 6 on the reader's input (the puzzle's example)");
  for (const k of [1, 3, 4, 5]) {
    await page.evaluate((k) => { location.hash = `#tour=${k}`; }, k);
    await ready(page, k);
    await figures(page, `.step[data-step='${k}']`, EXAMPLE, `step ${k} on the reader's input`);
  }
  await page.evaluate(() => { location.hash = "#tour=6"; });
  await ready(page, 6);
  const ownHref = await page.$eval("#t6-tool", (el) => el.getAttribute("href"));
  check(/^#s=all&c=zigmap&b=4MiB&in=[\w-]+$/.test(ownHref), "step 6: the tool's link carries the reader's (small) input");
  await page.click("#t6-tool");
  await page.waitForFunction(() => /^done in/.test(document.getElementById("status").textContent), null, { timeout: 120_000 });
  const tool = await page.evaluate(() => ({
    touring: document.body.classList.contains("touring"), input: document.getElementById("input").value,
    strategies: [...document.querySelectorAll("#strategies input:checked")].map((b) => b.value),
    cells: [...document.querySelectorAll("#cellkinds input:checked")].map((b) => b.value),
  }));
  check(!tool.touring && tool.input === example && tool.strategies.length === 5 && isDeepStrictEqual(tool.cells, ["zigmap"]),
    "step 6's link opens the tool with the reader's input, every strategy, Zig's map, and runs it");

  // --- links, and the way in and out ---------------------------------------------------
  const direct = await open("#tour=4");
  await ready(direct, 4);
  check(await direct.evaluate(() => [...document.querySelectorAll(".step")].filter((s) => !s.hidden).map((s) => s.dataset.step).join()) === "4",
    "#tour=4 opens step 4 alone");
  await direct.goto(url);
  check(await direct.evaluate(() => !document.body.classList.contains("touring") && getComputedStyle(document.getElementById("tour")).display === "none"),
    "without #tour the page is the tool");
  await direct.click("#tour-entry a");
  await ready(direct, 1);
  check(direct.url().endsWith("#tour=1"), "the tool's \"How does the leak happen?\" link opens step 1");
  await direct.click("#tour-exit");
  await direct.waitForFunction(() => !document.body.classList.contains("touring"));
  check(await direct.evaluate(() => getComputedStyle(document.getElementById("playground")).display !== "none"), "\"the tool\" leads back to the tool");

  // --- a phone, text equivalents, contrast -----------------------------------------------
  const phone = await open("#tour=1", { width: 390, height: 844 });
  for (let k = 1; k <= 6; k++) {
    if (k > 1) await phone.evaluate((k) => { location.hash = `#tour=${k}`; }, k);
    await ready(phone, k);
    const [scroll, client] = await phone.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    check(scroll <= client, `390 px wide, step ${k}: no horizontal scroll (${scroll} <= ${client})`);
    const missing = await phone.$$eval(`.step[data-step="${k}"] canvas, .step[data-step="${k}"] [role=img]`, (els) =>
      els.filter((el) => !(document.getElementById(el.getAttribute("aria-describedby") ?? "")?.textContent.trim())).map((el) => el.id));
    check(missing.length === 0, `step ${k}: every picture has its text equivalent${missing.length ? `; missing: ${missing}` : ""}`);
    // WCAG's contrast ratio of every text against the page, at least 4.5, and no text under 12 px.
    const poor = await phone.$$eval(`.step[data-step="${k}"] :is(p, figcaption, pre, li, span, label, h2, h3)`, (els) => {
      const lum = (c) => {
        const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((x) => Number(x) / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const bg = lum(getComputedStyle(document.body).backgroundColor);
      return els.filter((el) => el.childNodes.length && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .filter((el) => !el.closest(".t2-block, .bar"))
        .map((el) => { const s = getComputedStyle(el), l = lum(s.color); return { tag: el.tagName, size: parseFloat(s.fontSize), ratio: (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05) }; })
        .filter((x) => x.ratio < 4.5 || x.size < 12);
    });
    check(poor.length === 0, `step ${k}: text contrast at least 4.5:1 and size at least 12 px${poor.length ? `: ${JSON.stringify(poor.slice(0, 3))}` : ""}`);
  }

  // --- screenshots -----------------------------------------------------------------------
  if (shots) {
    mkdirSync(shots, { recursive: true });
    const shot = await open("#tour=2");
    await ready(shot, 2);
    for (const c of ["alloc-A", "alloc-B", "free-A"]) {
      const n = await shot.evaluate(() => window.day23Tour.byHand()?.calls.length ?? 0);
      await shot.click(`[data-call="${c}"]`);
      await shot.waitForFunction((n) => window.day23Tour.byHand()?.calls.length === n + 1, n);
    }
    for (const [k, name] of [[2, "tour-2-by-hand"], [3, "tour-3-leaky"], [4, "tour-4-fixes"]]) {
      if (k > 2) { await shot.evaluate((k) => { location.hash = `#tour=${k}`; }, k); await ready(shot, k); }
      await shot.setViewportSize({ width: 1100, height: 900 });
      const figure = k === 2 ? "#t2-buttons" : k === 3 ? "#t3-lines" : "#t4-chart";
      await shot.$eval(figure, (el) => el.scrollIntoView({ block: "start" }));
      await shot.evaluate(() => window.scrollBy(0, -60));
      await shot.screenshot({ path: join(shots, `${name}.png`) });
      await shot.setViewportSize({ width: 390, height: 844 });
      await shot.$eval(figure, (el) => el.scrollIntoView({ block: "start" }));
      await shot.evaluate(() => window.scrollBy(0, -40));
      await shot.screenshot({ path: join(shots, `${name}-phone.png`) });
      console.log(`     screenshots ${name}.png and ${name}-phone.png`);
    }
  }

  if (process.env.DAY23_TIMINGS) {
    // Each step opened by its own link in a page of its own: nothing computed before it.
    timings.direct = {};
    for (let k = 1; k <= 6; k++) {
      const p = await open(`#tour=${k}`);
      await ready(p, k);
      timings.direct[k] = await p.evaluate((k) => ({ drawn: window.day23Tour.timings.drawn[k], compute: window.day23Tour.timings.compute[k],
        engine: window.day23Tour.timings.engine[k] }), k);
      console.log(`     #tour=${k} in a new page: drawn ${timings.direct[k].drawn.toFixed(0)} ms after opening, ` +
        `compute ${timings.direct[k].compute.toFixed(0)} ms, engine ${timings.direct[k].engine.toFixed(0)} ms`);
      await p.close();
    }
    writeFileSync(process.env.DAY23_TIMINGS, JSON.stringify(timings, null, 2) + "\n");
  }
  console.log(`     open to step 1 drawn: ${timings.openToStep1.toFixed(0)} ms; per step (ms: compute = to drawn; engine = the runs):`);
  for (let k = 1; k <= 6; k++) {
    console.log(`     step ${k}: compute ${(timings.steps.compute?.[k] ?? NaN).toFixed(0)}, engine ${(timings.steps.engine?.[k] ?? NaN).toFixed(0)}`);
  }
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(" | ")}` : ""}`);
  check(requests.length === 0, `no network request${requests.length ? `: ${requests.join(" ")}` : ""}`);
} finally {
  await context.close();
}
console.log(`${checks - failures.length} of ${checks} checks passed`);
if (failures.length) process.exit(1);
