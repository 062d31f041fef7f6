// Browser tests of the playground (web/, `bash web/build.sh`), in Debian's
// Chromium, headless, driven by playwright-core (which never downloads a
// browser).
//
//   node tests/browser/playground.test.mjs [path/to/day23] [path/to/day23.html]
//   (defaults target/release/day23 and target/web/day23.html)
//
// Every bundled input under every strategy and cell kind goes through
// window.day23.solve and must give the very object `day23 --format json`
// prints (its `input` field aside): every round's figures. 300x300 runs under
// the bit grid only: its hash set and Zig map runs (969+ rounds of a 45,000
// elf table, 8 runs) would take minutes in the page, and `day23 check` in CI
// already checks them natively, while the code the page runs is the same
// (session::run_in) over buffers aligned as natively, which every smaller
// input checks figure by figure.
//
// The hash set's figures match too: web/build.sh builds the page against
// hashbrown with a 16-wide WebAssembly SIMD group (web/hashbrown/), so its
// tables are laid out as with SSE2 on x86-64. Then: bad input gets the CLI's message, text
// is never markup, Cancel stops within a second, an oversized buffer names
// the limit; a link to a round shows that round as the CLI's --report does,
// and the page lays out at 390 and 1280 px (DAY23_SCREENSHOTS=DIR writes
// both). There is no skip: a missing browser, binary or page fails.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { chromium } from "playwright-core";

const root = resolve(new URL("../..", import.meta.url).pathname);
const day23 = resolve(process.argv[2] ?? join(root, "target/release/day23"));
const html = resolve(process.argv[3] ?? join(root, "target/web/day23.html"));
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const work = mkdtempSync(join(tmpdir(), "day23-playground-"));
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures.push(what); console.error(`FAIL ${what}`); } else console.log(`ok   ${what}`);
}

// The native binary on a file: its JSON (input field aside), its stderr, its exit code.
function native(file, args) {
  const r = spawnSync(day23, ["-i", file, "--format", "json", "--quiet", ...args], { cwd: root, maxBuffer: 1 << 30 });
  let json = null;
  if (r.stdout.length) { json = JSON.parse(r.stdout.toString()); delete json.input; }
  return { json, stderr: r.stderr.toString(), status: r.status };
}
function firstDifference(a, b, path = "") {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference(a[k], b[k], `${path}.${k}`);
    if (d) return d;
  }
  return path;
}

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "day23-chromium-")), {
  executablePath: browserPath,
  headless: true,
  viewport: { width: 1280, height: 1400 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await context.newPage();
  const errors = [], requests = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!/^(file|blob|data):/.test(r.url())) requests.push(r.url()); });
  const url = pathToFileURL(html).href;
  await page.goto(url);
  // Interactive: the engine answers a first (tiny) solve.
  const first = await page.evaluate(async () => {
    const t0 = performance.now();
    const j = await window.day23.solve("#\n", { strategy: "pingpong" });
    return { ms: performance.now() - t0 + performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd, elves: j.elves };
  });
  check(first.elves === 1 && first.ms < 1000, `interactive: the first solve answered ${first.ms.toFixed(0)} ms after navigation`);

  // --- the same figures as the CLI -----------------------------------------
  const inputs = readdirSync(join(root, "inputs")).filter((f) => f.endsWith(".txt")).sort();
  for (const name of inputs) {
    const file = join("inputs", name);
    const cells = name.startsWith("gen-300x300") ? "bitgrid" : "all";
    const expected = native(file, ["-s", "all", "-c", cells]).json;
    const text = readFileSync(join(root, file), "utf8");
    const t0 = Date.now();
    const got = await page.evaluate(([t, c]) => window.day23.solve(t, { strategy: "all", cells: c }).then((j) => { delete j.input; return j; }),
      [text, cells]);
    const runs = expected.strategies.length, rounds = expected.strategies.reduce((n, s) => n + s.rounds.length, 0);
    const ms = Date.now() - t0;
    const same = isDeepStrictEqual(got, expected);
    check(same, `${name}: ${runs} runs (all strategies, cells ${cells}), ${rounds} rounds: every figure equals the CLI's --format json (${ms} ms)` +
      (same ? "" : `; first difference at ${firstDifference(got, expected)}`));
  }
  // Buffer sizes in the CLI's units, and --max-rounds.
  {
    const expected = native("inputs/gen-70x70-d50-s1.txt", ["-s", "leaky,pingpong", "-c", "zigmap", "-b", "64KiB", "--max-rounds", "30"]).json;
    const got = await page.evaluate((t) => window.day23.solve(t, { strategy: "leaky,pingpong", cells: "zigmap", bufferSize: "64KiB", maxRounds: 30 })
      .then((j) => { delete j.input; return j; }), readFileSync(join(root, "inputs/gen-70x70-d50-s1.txt"), "utf8"));
    check(isDeepStrictEqual(got, expected), "70x70, 64KiB, --max-rounds 30: the CLI's figures");
  }

  // --- bad input: the CLI's message ------------------------------------------
  const bad = {
    "binary bytes": Buffer.from([0x23, 0x2e, 0x00, 0xff, 0x89, 0x50, 0x4e, 0x47, 0x0a]),
    "an empty file": Buffer.alloc(0),
    "CRLF": Buffer.from("..#\r\n#..\r\n"),
    "one enormous line": Buffer.alloc(3 << 20, "."),
    "markup": Buffer.from(".#<img src=x onerror=window.__xss=1>\n</script><script>window.__xss=2</script>\n"),
  };
  for (const [what, bytes] of Object.entries(bad)) {
    const file = join(work, "bad.txt");
    writeFileSync(file, bytes);
    const n = native(file, ["-c", "zigmap"]);
    const got = await page.evaluate(([b64, name]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      return window.day23.solve(bytes, { name, cells: "zigmap" }).then((j) => ({ json: j }), (e) => ({ error: e.message }));
    }, [bytes.toString("base64"), file]);
    if (n.json) {
      if (got.json) delete got.json.input;
      check(isDeepStrictEqual(got.json, n.json), `${what}: the CLI's JSON (exit ${n.status})`);
    } else {
      check(`Error: ${got.error}\n` === n.stderr, `${what}: the CLI's message: ${JSON.stringify(got.error)} vs ${JSON.stringify(n.stderr)}`);
    }
  }
  // 100 MB of one line, made in the page (the CLI reads up to 256 MiB).
  {
    const file = join(work, "100mb.txt");
    writeFileSync(file, Buffer.alloc(100 << 20, "#."));
    const n = native(file, ["-c", "zigmap"]);
    const t0 = Date.now();
    const got = await page.evaluate((name) => window.day23.solve("#.".repeat(50 << 20), { name, cells: "zigmap" })
      .then((j) => { delete j.input; return { json: j }; }, (e) => ({ error: e.message })), file);
    const same = n.json ? isDeepStrictEqual(got.json, n.json) : `Error: ${got.error}\n` === n.stderr;
    check(same, `100 MB: the CLI's ${n.json ? "JSON" : "message"} (${Date.now() - t0} ms; exit ${n.status})`);
  }
  // 5000x5000: 25 MB; the input alone does not fit the 4 MiB buffer, as natively.
  {
    const row = "#.".repeat(2500) + "\n", file = join(work, "big.txt");
    writeFileSync(file, row.repeat(5000));
    const n = native(file, ["-c", "zigmap"]);
    const got = await page.evaluate((r) => window.day23.solve(r.repeat(5000), { cells: "zigmap" }).then((j) => { delete j.input; return j; }), row);
    check(isDeepStrictEqual(got, n.json) && n.status === 3,
      `5000x5000: the CLI's figures (out of memory, exit ${n.status})${isDeepStrictEqual(got, n.json) ? "" : `; first difference at ${firstDifference(got, n.json)}`}`);
    check(await page.evaluate(() => window.day23.solve("#\n", {}).then((j) => j.elves)) === 1, "5000x5000: the page still answers");
  }
  // A buffer the page cannot have names the limit.
  for (const [size, strategy] of [["5GiB", "leaky"], ["3GiB", "pingpong"]]) {
    const msg = await page.evaluate(([b, s]) => window.day23.solve("#\n", { bufferSize: b, strategy: s }).then(() => "resolved", (e) => e.message), [size, strategy]);
    check(msg.includes("4294967295"), `--buffer-size ${size} --strategy ${strategy}: ${JSON.stringify(msg)}`);
  }
  // One buffer that fits in 32 bits but not in the page: the memory's limit, then a page that still answers.
  {
    const msg = await page.evaluate(() => window.day23.solve("#\n", { bufferSize: "4000MiB", strategy: "leaky" }).then(() => "resolved", (e) => e.message));
    const after = await page.evaluate(() => window.day23.solve("#\n", { strategy: "leaky" }).then((j) => j.elves, (e) => e.message));
    check(/could not provide 1 buffer of 4194304000 bytes.*WebAssembly memory has \d+ bytes.*at most 4294967296 bytes/.test(msg) && after === 1,
      `--buffer-size 4000MiB --strategy leaky: ${JSON.stringify(msg)}; the page answers again`);
  }
  for (const [flag, value, option] of [["-s", "leaky,nope", "strategy"], ["-c", "hashset,nope", "cells"], ["-b", "5XB", "bufferSize"]]) {
    const msg = await page.evaluate(([o, v]) => window.day23.solve("#\n", { [o]: v }).then(() => "resolved", (e) => e.message), [option, value]);
    // clap's message: its first lines, before the blank line.
    const clap = native("inputs/example.txt", [flag, value]).stderr.split("\n\n")[0].replace(/^error: /, "");
    check(msg === clap, `${flag} ${value}: clap's words ${JSON.stringify(msg)} vs ${JSON.stringify(clap)}`);
  }

  // --- the form: markup pasted and in a link stays text ------------------------
  const xss = ".#<img src=x onerror=window.__xss=1>\n</script><script>window.__xss=2</script>\n";
  await page.fill("#input", xss);
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("error").textContent !== "");
  let s = await page.evaluate(() => ({ xss: window.__xss, error: document.getElementById("error").textContent, imgs: document.querySelectorAll("img").length }));
  check(s.xss === undefined && s.imgs === 0 && s.error.includes("<img") === false && s.error.startsWith("Error: invalid input '<input>'"),
    `pasted markup: nothing runs, the error is text (${JSON.stringify(s.error)})`);
  const b64url = Buffer.from(xss).toString("base64url");
  const linked = await context.newPage();
  linked.on("pageerror", (e) => errors.push(String(e)));
  await linked.goto(`${url}#s=leaky&c=hashset&b=4MiB&in=${b64url}`);
  await linked.waitForFunction(() => document.getElementById("error").textContent !== "");
  s = await linked.evaluate(() => ({ xss: window.__xss, error: document.getElementById("error").textContent, input: document.getElementById("input").value, imgs: document.querySelectorAll("img").length }));
  check(s.xss === undefined && s.imgs === 0 && s.input === xss, `markup in a link: nothing runs, the input is the text (${JSON.stringify(s.error)})`);
  // An input whose error shows the characters (a bad byte after markup).
  await linked.fill("#input", "#</script><b>x</b>\n");
  await linked.click("#run");
  await linked.waitForFunction(() => /line/.test(document.getElementById("error").textContent));
  s = await linked.evaluate(() => ({ error: document.getElementById("error").textContent, bold: document.querySelectorAll("#error b").length }));
  check(s.bold === 0 && s.error.includes("'<'"), `the error shows '<' as text: ${JSON.stringify(s.error)}`);
  await linked.close();

  // --- the write-up's run, in the viewer ---------------------------------------
  await page.click("#writeup");
  await page.waitForFunction(() => /^done/.test(document.getElementById("status").textContent), null, { timeout: 60000 });
  s = await page.evaluate(() => ({
    hash: location.hash, error: document.getElementById("error").textContent,
    figures: [...document.querySelectorAll("#figures tbody tr")].map((tr) => tr.textContent),
    title: document.getElementById("title").textContent,
  }));
  check(s.figures.length === 1 && s.figures[0].includes("41,864"), `the write-up's run: round 0 shows 41,864 (${JSON.stringify(s.figures)})`);
  check(s.error.startsWith("Error: strategy leaky: buffer 'main' of 4194304 bytes exhausted in round"), `the write-up's run: the CLI's out-of-memory message (${s.error.slice(0, 90)}...)`);
  await page.click("#next");
  s = await page.evaluate(() => ({ hash: location.hash, row: document.querySelector("#figures tbody tr").textContent }));
  check(s.row.includes("78,752") && /s=leaky&c=zigmap&b=4MiB/.test(s.hash) && /round=1$/.test(s.hash), `round 1 shows 78,752, the fragment keeps the settings (${s.hash.slice(0, 60)})`);
  if (process.env.DAY23_SCREENSHOT) writeFileSync(process.env.DAY23_SCREENSHOT, await page.screenshot({ fullPage: false }));

  // --- Cancel --------------------------------------------------------------------
  await page.selectOption("#bundled", "gen-300x300-d50-s5.txt");
  await page.evaluate(() => { for (const b of document.querySelectorAll("#strategies input, #cellkinds input")) b.checked = true; });
  await page.click("#run");
  await page.waitForFunction(() => /round/.test(document.getElementById("status").textContent), null, { timeout: 20000 });
  const cancelled = await page.evaluate(async () => {
    const t0 = performance.now();
    document.getElementById("cancel").click();
    while (document.getElementById("status").textContent !== "cancelled") await new Promise((r) => setTimeout(r, 10));
    const ms = performance.now() - t0;
    const elves = await window.day23.solve("#\n", {}).then((j) => j.elves);
    return { ms, elves };
  });
  check(cancelled.ms < 1000 && cancelled.elves === 1, `Cancel stops the run in ${cancelled.ms.toFixed(0)} ms, and the page answers again`);

  // --- a link to a round, on a phone and on a desktop ------------------------------
  // The link's round is the one shown after its run, as `--report` shows it
  // for `#round=K`: the same readout, figures and pictures (the canvases'
  // pixels) as the CLI's own report; past the last round, the last. At 390
  // px the page is one column and the viewer's controls neither overlap nor
  // wrap nor are cut; at 1280 px they stay on one line beside two columns.
  {
    const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const reportHtml = join(work, "round.html"), reportJson = join(work, "round.json");
    execFileSync(day23, ["-i", "inputs/gen-70x70-d50-s1.txt", "-s", "pingpong", "-c", "hashset", "-b", "4MiB",
      "--report", reportHtml, "--format", "json", "--output", reportJson, "--quiet"], { cwd: root });
    const cli = JSON.parse(readFileSync(reportJson, "utf8")).strategies[0];
    const last = cli.rounds.length - 1;
    const settings = "s=pingpong&c=hashset&b=4MiB&bundled=gen-70x70-d50-s1.txt";
    const viewer = (p) => p.evaluate(() => ({
      round: document.getElementById("round").textContent,
      slider: document.getElementById("slider").value,
      headings: [...document.querySelectorAll(".round-number")].map((el) => el.textContent),
      figures: [...document.querySelectorAll("#figures tbody tr")].map((tr) => tr.textContent),
      moved: document.getElementById("moved-count").textContent,
      layouts: document.getElementById("layouts").textContent,
      elves: document.getElementById("elves").toDataURL(),
      memory: document.getElementById("memory").toDataURL(),
    }));
    // What is wrong with the layout: horizontal scroll; controls of the
    // viewer outside the viewport, clipped, wrapped onto two lines or
    // overlapping; at `wide`, controls not on one line or one column only.
    const layoutProblems = (p, wide) => p.evaluate((wide) => {
      const problems = [], vw = document.documentElement.clientWidth;
      const sw = document.documentElement.scrollWidth;
      if (sw > vw) problems.push(`the document is ${sw} px wide in ${vw} px`);
      const items = [...document.getElementById("controls").children].map((el) => ({ el, r: el.getBoundingClientRect(), name: el.id || el.textContent.trim() }));
      for (const { el, r, name } of items) {
        if (r.left < 0 || r.right > vw) problems.push(`${name} outside the viewport (${r.left.toFixed(0)} to ${r.right.toFixed(0)})`);
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) problems.push(`${name} clipped`);
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = [...range.getClientRects()].filter((q) => q.width > 0).map((q) => q.top).sort((a, b) => a - b);
        const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 4).length;
        if (lines > 1) problems.push(`${name} wraps over ${lines} lines`);
      }
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i].r, b = items[j].r;
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) problems.push(`${items[i].name} overlaps ${items[j].name}`);
        }
      }
      const elves = document.getElementById("elves-section").getBoundingClientRect();
      const memory = document.getElementById("memory-section").getBoundingClientRect();
      if (wide) {
        const mid = items.map(({ r }) => (r.top + r.bottom) / 2);
        if (Math.max(...mid) - Math.min(...mid) > 4) problems.push("the controls are not on one line");
        if (memory.left < elves.right) problems.push("the elves and the memory are not side by side");
      } else if (memory.top < elves.bottom) problems.push("the elves and the memory are not one above the other");
      return problems;
    }, wide);
    const open = async (href, width) => {
      const p = await context.newPage();
      p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      p.on("pageerror", (e) => errors.push(String(e)));
      await p.setViewportSize({ width, height: 844 });
      await p.goto(href);
      return p;
    };
    const done = (p) => p.waitForFunction(() => /^done/.test(document.getElementById("status").textContent), null, { timeout: 60000 });
    for (const width of [390, 1280]) {
      for (const [asked, shown] of [[200, 200], [last + 1, last], [2 ** 32 + 200, last]]) {
        const report = await open(`${pathToFileURL(reportHtml).href}#round=${shown}`, width);
        const expected = await viewer(report);
        await report.close();
        const linked = await open(`${url}#${settings}&round=${asked}`, width);
        await done(linked);
        const got = await viewer(linked);
        const page = await linked.evaluate(() => ({ hash: location.hash, bundled: document.getElementById("bundled").value }));
        const want = cli.rounds[shown];
        check(got.round === String(shown) && isDeepStrictEqual(got, expected) && got.figures[0]?.includes(fmt(want.bytes_in_use)) &&
          got.moved.startsWith(`${fmt(want.elves_moved)} of`),
          `${width} px, a link to round ${asked}: round ${got.round} shown, as the CLI's --report shows round ${shown} ` +
          `(figures ${JSON.stringify(got.figures)}, ${got.moved}; the same canvases: ${got.elves === expected.elves && got.memory === expected.memory})`);
        check(page.hash === `#${settings}&round=${shown}`, `${width} px, a link to round ${asked}: the fragment ends in round=${shown} (${page.hash})`);
        check(page.bundled === "gen-70x70-d50-s1.txt", `${width} px, a link to round ${asked}: the bundled list shows ${JSON.stringify(page.bundled)}`);
        if (asked === 200) {
          const problems = await layoutProblems(linked, width > 800);
          check(problems.length === 0, `${width} px: the page lays out${problems.length ? `: ${problems.join("; ")}` : ""}`);
          if (process.env.DAY23_SCREENSHOTS) {
            mkdirSync(process.env.DAY23_SCREENSHOTS, { recursive: true });
            writeFileSync(join(process.env.DAY23_SCREENSHOTS, `playground-${width}.png`), await linked.screenshot({ fullPage: true }));
          }
        }
        await linked.close();
      }
    }
    // A link naming no bundled input says so (as text), and runs nothing.
    const unknown = await open(`${url}#s=pingpong&bundled=${encodeURIComponent("<b>nope</b>.txt")}&round=3`, 1280);
    await unknown.waitForFunction(() => document.getElementById("error").textContent !== "", null, { timeout: 10000 }).catch(() => {});
    const u = await unknown.evaluate(() => ({ error: document.getElementById("error").textContent, status: document.getElementById("status").textContent,
      bold: document.querySelectorAll("#error b").length, bundled: document.getElementById("bundled").value }));
    check(u.error === "Error: the link names no bundled input '<b>nope</b>.txt'" && u.status === "" && u.bold === 0 && u.bundled === "",
      `a link naming no bundled input: ${JSON.stringify(u)}`);
    await unknown.close();
  }

  check(errors.length === 0, `no console errors ${JSON.stringify(errors)}`);
  check(requests.length === 0, `no network requests ${JSON.stringify(requests)}`);
} finally {
  await context.close();
}
console.log(`${checks} checks, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
