"use strict";
// The guided tour (`#tour=K`, web/tour.html): six steps from one bump
// pointer to the fixes. Nothing here is recorded or computed by hand: every
// figure in its text comes from a run of the engine in this page
// (window.day23.answer, the CLI's --format json and the viewer's data), or,
// in step 2, from the real FixedBufferAllocator (window.day23.allocate).
// Each such figure is a <span class="fig"> that carries the run's settings
// and the JSON path it was read from, so the browser test
// (tests/browser/tour.test.mjs) can check it against the CLI. Text from the
// reader goes in as text (textContent, value), never as markup.
(() => {
  const $ = (id) => document.getElementById(id);
  const fmt = day23Fmt;
  const STEPS = 6;
  const WRITEUP_INPUT = "gen-70x70-d50-s1.txt";
  const BUNDLED = JSON.parse($("bundled-data").textContent);
  const BUFFER = "4MiB", BUFFER_BYTES = 4 << 20;
  // Step 2's buffer and blocks: small enough to draw byte by byte, and the
  // two blocks sized so that A, B and the next A do not all fit.
  const BY_HAND = { capacity: 128, A: { size: 40, align: 8 }, B: { size: 56, align: 8 } };
  // The runs each step draws (as window.day23.answer takes them; the browser
  // test runs the CLI with the same settings).
  const RUNS = {
    puzzle: { strategy: "pingpong", cells: "bitgrid", record: true },
    leaky: { strategy: "leaky", cells: "zigmap", bufferSize: BUFFER, record: true },
    needed: { strategy: "leaky,pingpong", cells: "zigmap", bufferSize: BUFFER },
    fixes: { strategy: "leaky,tempcopy,pingpong,heap,reuse", cells: "zigmap", bufferSize: BUFFER },
    // Step 4's pictures are of round 2: recording every round's layouts of
    // five runs would cost more than the runs themselves.
    fixesPictured: { strategy: "leaky,tempcopy,pingpong,heap,reuse", cells: "zigmap", bufferSize: BUFFER, maxRounds: 2, record: true },
    bumpalo: { strategy: "leaky", cells: "zigmap", allocator: "bumpalo", bufferSize: BUFFER, record: true },
  };
  const STEP_RUNS = { 1: ["puzzle"], 2: [], 3: ["leaky", "needed"], 4: ["fixes", "fixesPictured"], 5: ["bumpalo"], 6: ["puzzle", "leaky", "needed", "fixes", "bumpalo"] };

  // --- small builders ----------------------------------------------------------
  function h(tag, props = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") el.className = v; else if (k.startsWith("data-")) el.setAttribute(k, v); else el[k] = v;
    }
    el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    return el;
  }
  // The value at `path` ("strategies.0.rounds.-1.bytes_in_use": -1 is the
  // last item, "length" an array's length) of a run's JSON.
  function at(json, path) {
    let v = json;
    for (const key of path.split(".")) {
      if (v === null || v === undefined) return undefined;
      v = Array.isArray(v) && key === "-1" ? v[v.length - 1] : Array.isArray(v) && key !== "length" ? v[Number(key)] : v[key];
    }
    return v;
  }
  const show = (v) => (typeof v === "number" ? fmt(v) : Array.isArray(v) ? v.map(fmt).join(" \u2192 ") : String(v));
  // A figure from run `r`: the value at `path` of its JSON (or `value`, read
  // from the viewer's data, which must equal it), shown by `text`.
  function fig(r, path, { value, text = show } = {}) {
    const v = value === undefined ? at(r.json, path) : value;
    return h("span", { class: "fig", "data-settings": JSON.stringify(r.settings), "data-path": path, "data-value": JSON.stringify(v ?? null) },
      v === undefined || v === null ? "-" : text(v));
  }
  const slot = (name, ...children) => document.querySelector(`[data-slot="${name}"]`).replaceChildren(...children);
  const stepEl = (k) => document.querySelector(`.step[data-step="${k}"]`);

  // --- the input, and the runs on it, each once ------------------------------
  let input = { text: BUNDLED[WRITEUP_INPUT], name: `inputs/${WRITEUP_INPUT}`, bundled: WRITEUP_INPUT };
  let generation = 0; // one per input: results for an older input are dropped
  let cache = new Map();
  function run(key) {
    if (!cache.has(key)) {
      const settings = RUNS[key];
      const p = window.day23.answer(input.text, { ...settings, name: input.name })
        .then((a) => ({ settings: Object.fromEntries(Object.entries(settings).filter(([k]) => k !== "record")), ...a }));
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return cache.get(key);
  }
  function describeInput() {
    $("tour-input-name").textContent = input.bundled === WRITEUP_INPUT
      ? `Input: inputs/${WRITEUP_INPUT}, a generated 70x70 puzzle input, the size of the write-up's.`
      : `Input: ${input.name === "<input>" ? "yours" : input.name}, ${fmt(new TextEncoder().encode(input.text).length)} bytes.`;
    $("tour-reset-input").hidden = input.bundled === WRITEUP_INPUT;
  }

  // --- drawing -----------------------------------------------------------------
  // Bytes in use per round of each series on one chart, from 0 to `top`
  // (a line above it is cut off and labelled), with the buffer's size dashed.
  function chart(canvas, series, { top, buffer, rounds }) {
    const g = canvas.getContext("2d");
    const L = 78, R = 12, T = 12, B = 28, W = canvas.width - L - R, H = canvas.height - T - B;
    const x = (r) => L + W * (rounds ? r / rounds : 0);
    const y = (v) => T + H - H * Math.min(v, top * 1.04) / (top * 1.04);
    g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
    g.strokeStyle = "#999"; g.lineWidth = 1; g.setLineDash([]); g.strokeRect(L, T, W, H);
    g.fillStyle = "#333"; g.font = "13px sans-serif";
    for (const f of [0, 0.5, 1]) g.fillText(fmt(Math.round(f * top)), 4, y(f * top) + 4);
    g.fillText("round 0", L, T + H + 18);
    g.fillText(`round ${fmt(rounds)}`, L + W - 80, T + H + 18);
    if (buffer && buffer <= top * 1.04) {
      g.setLineDash([6, 4]); g.strokeStyle = "#555";
      g.beginPath(); g.moveTo(L, y(buffer)); g.lineTo(L + W, y(buffer)); g.stroke();
      g.fillText(`buffer ${fmt(buffer)} B`, L + 6, y(buffer) - 5);
    }
    const labels = [];
    series.forEach((s) => {
      g.setLineDash([]); g.strokeStyle = s.color; g.lineWidth = 2.5;
      g.beginPath();
      s.values.forEach((v, r) => (r ? g.lineTo(x(r), y(v)) : g.moveTo(x(r), y(v))));
      g.stroke();
      const r = s.values.length - 1, v = s.values[r], off = v > top * 1.04;
      if (s.oom) {
        g.lineWidth = 2;
        g.beginPath(); g.moveTo(x(r) - 6, y(v) - 6); g.lineTo(x(r) + 6, y(v) + 6); g.moveTo(x(r) + 6, y(v) - 6); g.lineTo(x(r) - 6, y(v) + 6); g.stroke();
      }
      labels.push({ text: off ? `${s.name} (off the chart)` : s.name, color: s.color,
        x: off ? Math.min(x(Math.max(0, s.values.findIndex((u) => u > top))) + 8, L + W - 150) : Math.min(x(r) + 6, L + W - 90),
        y: off ? T + 16 : y(v) - 6 });
    });
    // Labels one above the other where their lines lie close together.
    labels.sort((a, b) => a.y - b.y);
    for (let k = 1; k < labels.length; k++) {
      if (Math.abs(labels[k].x - labels[k - 1].x) < 140) labels[k].y = Math.max(labels[k].y, labels[k - 1].y + 15);
    }
    for (const l of labels) { g.fillStyle = l.color; g.fillText(l.text, l.x, Math.min(l.y, T + H - 4)); }
  }
  // What a layout of the viewer's data holds, in words.
  function describeLayout(data) {
    const t = { input: 0, live: 0, dead: 0, padding: 0 };
    for (let i = 1; i < data.length; i += 4) {
      t.padding += data[i] * data[i + 1];
      const kind = ["input", "live", "dead"][data[i + 3]];
      t[kind] += kind === "input" ? data[i] * data[i + 2] : data[i];
    }
    const parts = [];
    if (t.input) parts.push(`the input's copy (${fmt(t.input)} bytes, no longer needed)`);
    if (t.dead) parts.push(`${fmt(t.dead)} dead set${t.dead > 1 ? "s" : ""}`);
    if (t.live) parts.push(`${fmt(t.live)} live set${t.live > 1 ? "s" : ""}`);
    if (t.padding) parts.push(`${fmt(t.padding)} bytes of padding`);
    return parts.length ? parts.join(", ") : "empty";
  }
  // One run's buffers at round `round` of the viewer's data: a row per phase
  // and buffer (bumpalo: per chunk), each with its bytes; and the rows' text.
  // With `scale`, one row per buffer (the round's end), each bar as wide as
  // its size against `scale` bytes.
  function phaseRows(run, round, { phases = [0, 1, 2], scale } = {}) {
    const nb = run.buffers.length, rows = [], words = [];
    const frame = (p, b) => run.layouts[run.frames[(3 * round + p) * nb + b]];
    let span = 1;
    for (const p of phases) for (let b = 0; b < nb; b++) span = Math.max(span, frame(p, b)[0]);
    for (const p of phases) {
      for (let b = 0; b < nb; b++) {
        const data = frame(p, b), buffer = run.buffers[b];
        const cap = run.sizes ? run.sizes[(3 * round + p) * nb + b] : buffer.capacity_bytes;
        if (run.sizes && !cap) continue;
        const name = buffer.chunk === undefined ? buffer.name : `${buffer.name}.${buffer.chunk}`;
        const phase = round ? run.phases[p] : "end";
        const label = scale ? name : nb > 1 ? `${phase} ${name}` : phase;
        const bar = day23Bar(data, run.sizes ? cap : span, cap);
        if (scale) bar.style.width = `${100 * cap / scale}%`;
        rows.push(h("div", { class: "t-row", "data-phase": run.phases[p], "data-buffer": name },
          h("span", { class: "t-row-label" }, label), bar,
          h("span", { class: "t-row-bytes" }, `${fmt(data[0])} / ${fmt(cap)} B`)));
        words.push(`${label}: ${fmt(data[0])} bytes in use, ${describeLayout(data)}`);
      }
    }
    return { rows, words };
  }

  // --- the steps ---------------------------------------------------------------
  let elves = null, playTimer = null;
  const STEP = {
    1: async () => {
      const r = await run("puzzle");
      const j = r.json, s = "strategies.0";
      slot("t1-facts", "This input has ", fig(r, "elves"), " elves. Part 1: ", fig(r, `${s}.answers.part1`),
        " empty cells. Part 2: no elf moves in round ", fig(r, `${s}.answers.part2`), ".");
      elves = day23Elves(r.report);
      const last = j.strategies[0].rounds.length - 1;
      const slider = $("t1-round");
      slider.max = last;
      slider.value = Math.min(10, last); // part 1's round
      const draw = () => {
        const k = Number(slider.value);
        const { width, height } = day23DrawElves($("t1-elves"), elves, k);
        $("t1-caption").replaceChildren(`After round ${fmt(k)}: `, fig(r, `${s}.rounds.${k}.elves_moved`), ` of ${fmt(j.elves)} elves `,
          k ? "moved in this round (orange; blue: stayed)" : "(round 0: as the input has them)",
          `; their bounding rectangle is ${fmt(width)} x ${fmt(height)} cells.`);
      };
      slider.oninput = draw;
      $("t1-play").onclick = () => {
        if (playTimer) { clearInterval(playTimer); playTimer = null; $("t1-play").textContent = "play"; return; }
        if (Number(slider.value) >= last) slider.value = 0;
        $("t1-play").textContent = "pause";
        playTimer = setInterval(() => {
          if (Number(slider.value) >= last || stepEl(1).hidden || current !== 1) { $("t1-play").click(); return; }
          slider.value = Number(slider.value) + 1; draw();
        }, 30);
      };
      draw();
      slot("t1-sets", "What matters for memory: no elf may move before every elf has proposed, so a round cannot ",
        "change the positions in place. It reads the old set of positions and builds a new set, and then the old ",
        "set is no longer needed. ", fig(r, `${s}.rounds.length`), " sets here, round 0's and one for each of the ",
        fig(r, `${s}.rounds.-1.round`), " rounds, each holding the same ", fig(r, "elves"), " elves, and only ever two of ",
        "them in use at once.");
      return [r];
    },
    2: async () => {
      $("t2-capacity").textContent = fmt(BY_HAND.capacity);
      $("t2-scale-end").textContent = fmt(BY_HAND.capacity);
      await drawByHand();
      return [];
    },
    3: async () => {
      const [r, n] = await Promise.all([run("leaky"), run("needed")]);
      const s = r.json.strategies[0], p = "strategies.0", rounds = s.rounds;
      const lines = [];
      const line = (k) => lines.push(h("span", {}, fig(r, `${p}.rounds.${k}.bytes_in_use`, { text: (v) => `Round ${k} memuse: ${v}` }), "\n"));
      for (let k = 0; k < Math.min(3, rounds.length); k++) line(k);
      if (rounds.length > 4) lines.push("...\n");
      if (rounds.length > 3) line(rounds.length - 1);
      if (r.error) lines.push(h("span", { class: "t-message" }, `Error: ${r.error}`));
      else lines.push(`Part 1: ${s.answers.part1 ?? "-"}\nPart 2: ${s.answers.part2 ?? "-"}`);
      $("t3-lines").replaceChildren(...lines);
      const oom = s.outcome.kind === "out_of_memory";
      slot("t3-facts", "Each round adds ", fig(r, `${p}.summary.growth_bytes_per_round`), " bytes: one set, dead from the next round on. ",
        oom ? h("span", {}, "In round ", fig(r, `${p}.outcome.round`), " the next set (", fig(r, `${p}.outcome.requested_bytes`),
          " bytes) no longer fits above ", fig(r, `${p}.outcome.bytes_in_use`), " bytes in use, while only ",
          fig(r, `${p}.summary.end_live_bytes`), " of them are live.")
          : h("span", {}, "This input's run ends first, after ", fig(r, `${p}.outcome.rounds`), " rounds, with ",
            fig(r, `${p}.summary.end_bytes_in_use`), " bytes in use for ", fig(r, `${p}.summary.end_live_bytes`), " live."));
      const values = rounds.map((x) => x.bytes_in_use), color = r.report.runs[0].color;
      chart($("t3-chart"), [{ name: "leaky", color, values, oom }], { top: BUFFER_BYTES, buffer: BUFFER_BYTES, rounds: Math.max(1, rounds.length - 1) });
      $("t3-chart-text").replaceChildren("Bytes in use after each round: a straight line from ", fig(r, `${p}.rounds.0.bytes_in_use`),
        " bytes in round 0 to ", fig(r, `${p}.rounds.-1.bytes_in_use`), ` in round ${fmt(rounds.length - 1)}`,
        oom ? h("span", {}, ", against the buffer's ", fig(r, "buffer_size_bytes"), " bytes (dashed); the cross marks the out-of-memory error.") : ".");
      // Inside the buffer: round 2 to start with (round 1 has no dead set yet).
      const runData = r.report.runs[0], last = runData.rounds.length - 1, slider = $("t3-round");
      slider.max = Math.max(1, last);
      slider.value = Math.min(2, Math.max(1, last)); // round 2: the first with a dead set at its start
      const phases = () => {
        const k = Math.min(Number(slider.value), last);
        $("t3-round-out").textContent = `round ${fmt(k)}`;
        const { rows, words } = phaseRows(runData, k);
        $("t3-phases").replaceChildren(...rows);
        // The pictures' figures are the recording's end_index at each phase,
        // which must be the run's own: start = the last round's bytes in use,
        // alloc = this round's peak, swap = its bytes in use.
        const frame = (ph) => runData.layouts[runData.frames[3 * k + ph]][0];
        const text = [`Round ${fmt(k)}. `];
        if (k > 0) {
          text.push("start: ", fig(r, `${p}.rounds.${k - 1}.bytes_in_use`, { value: frame(0) }), " bytes in use; ",
            "alloc: ", fig(r, `${p}.rounds.${k}.peak_bytes`, { value: frame(1) }), "; swap: ",
            fig(r, `${p}.rounds.${k}.bytes_in_use`, { value: frame(2) }), ". ");
        }
        text.push(`In detail: ${words.join("; ")}.`);
        $("t3-phases-text").replaceChildren(...text);
      };
      slider.oninput = phases;
      phases();
      // The size that lasts: leaky's growth carried to the rounds pingpong plays.
      const ns = n.json.strategies[0], np = "strategies.0";
      slot("t3-needed", ns.summary.needed_buffer_size_bytes
        ? h("span", {}, "To play all ", fig(n, `${np}.summary.needed_for_rounds`), " rounds that pingpong (step 4) plays, leaky needs a buffer of ",
          fig(n, `${np}.summary.needed_buffer_size_bytes`), " bytes (", fig(n, `${np}.summary.needed_buffer_size_bytes`, { text: (v) => `${(v / 1048576).toFixed(1)} MiB` }),
          "), for ", fig(r, `${p}.summary.end_live_bytes`), " live bytes at any time.")
        : "No strategy finishes this input in 4 MiB, so the size that lasts is not known.");
      needed = ns.summary.needed_buffer_size_bytes;
      const size = $("t3-size");
      size.min = Math.max(1024, Math.floor(rounds[0].bytes_in_use / 2));
      size.max = Math.max(BUFFER_BYTES * 2, Math.ceil((needed ?? BUFFER_BYTES) * 1.2));
      $("t3-exact").disabled = $("t3-less").disabled = !needed;
      await resize(Number(size.value) || BUFFER_BYTES);
      return [r, n];
    },
    4: async () => {
      const [r, pictured] = await Promise.all([run("fixes"), run("fixesPictured")]);
      const j = r.json, names = j.strategies.map((s) => s.strategy);
      const i = (name) => names.indexOf(name);
      const fixes = ["tempcopy", "pingpong", "heap", "reuse"];
      const top = Math.max(...fixes.flatMap((f) => j.strategies[i(f)].rounds.map((x) => x.bytes_in_use))) * 1.5;
      const rounds = Math.max(...j.strategies.map((s) => s.rounds.length - 1), 1);
      const colors = Object.fromEntries(pictured.report.runs.map((x) => [x.strategy, x.color]));
      chart($("t4-chart"), ["leaky", ...fixes].map((f) => ({
        name: f, color: colors[f], values: j.strategies[i(f)].rounds.map((x) => x.bytes_in_use),
        oom: j.strategies[i(f)].outcome.kind === "out_of_memory",
      })), { top, rounds });
      const p = (f) => `strategies.${i(f)}`;
      const leaky = j.strategies[i("leaky")], off = leaky.rounds.findIndex((x) => x.bytes_in_use > top);
      $("t4-chart-text").replaceChildren("Bytes in use after each round. ",
        off > 0 ? h("span", {}, "leaky (step 3, for comparison) climbs off the chart in round ", fig(r, `${p("leaky")}.rounds.${off}.round`)) : "leaky climbs",
        leaky.outcome.kind === "out_of_memory" ? h("span", {}, " and runs out in round ", fig(r, `${p("leaky")}.outcome.round`)) : " to the end",
        "; the four fixes stay flat: tempcopy at ", fig(r, `${p("tempcopy")}.summary.peak_bytes`), " bytes at most, pingpong ",
        fig(r, `${p("pingpong")}.summary.peak_bytes`), ", heap ", fig(r, `${p("heap")}.summary.peak_bytes`), ", reuse ",
        fig(r, `${p("reuse")}.summary.peak_bytes`), ".");
      const why = {
        tempcopy: (q) => ["The write-up's own fix. The new set is built in a second buffer, temp, then copied back into the one set that ",
          "lives in main for good, and temp is reset whole at the start of the next round: no set is ever freed out of order. ",
          fig(r, `${q}.summary.buffers.0.peak_bytes`), " bytes in main and ", fig(r, `${q}.summary.buffers.1.peak_bytes`), " in temp, every round."],
        pingpong: (q) => ["Two buffers take turns: each round's new set goes into the other buffer, so when the old set is freed it is the ",
          "last block of its own buffer and comes back. At most ", fig(r, `${q}.summary.buffers.0.peak_bytes`), " bytes in a and ",
          fig(r, `${q}.summary.buffers.1.peak_bytes`), " in b, whatever the round."],
        heap: (q) => ["A general-purpose allocator keeps track of its free blocks, so any block can come back, last or not: ",
          fig(r, `${q}.rounds.-1.live_bytes`), " live bytes after each round, and ", fig(r, `${q}.summary.peak_bytes`),
          " while the old and the new set are both alive."],
        reuse: (q) => ["Nothing is freed at all: a spare set is allocated once, then cleared (keeping its table), filled and swapped ",
          "each round. ", fig(r, `${q}.summary.peak_bytes`), " bytes, two sets and the input, from round 0 to the end."],
      };
      $("t4-fixes").replaceChildren(...fixes.map((f) => {
        const runData = pictured.report.runs.find((x) => x.strategy === f);
        const round = Math.min(2, runData.rounds.length - 1);
        const parts = [h("h3", {}, f), h("p", {}, ...why[f](p(f)))];
        if (runData.buffers.length) {
          const { rows, words } = phaseRows(runData, round);
          parts.push(h("div", { class: "t-phases", "aria-hidden": "true" }, ...rows),
            h("p", { class: "t-note" }, `Round ${round}: ${words.join("; ")}.`));
        } else {
          parts.push(h("p", { class: "t-note" }, "No picture: the heap is not one buffer."));
        }
        return h("section", { class: "t-fix", "data-strategy": f }, ...parts);
      }));
      return [r, pictured];
    },
    5: async () => {
      const r = await run("bumpalo");
      const s = r.json.strategies[0], p = "strategies.0", last = s.rounds.length - 1;
      slot("t5-facts", "Under leaky, the chunks bumpalo took by round ", fig(r, `${p}.rounds.-1.round`), ", oldest first, in bytes: ",
        fig(r, `${p}.rounds.-1.buffers.0.chunks`), ". ",
        s.outcome.kind === "out_of_memory"
          ? h("span", {}, "Then no chunk it would take fits under the cap: out of memory in round ", fig(r, `${p}.outcome.round`),
            ", with ", fig(r, `${p}.outcome.bytes_in_use`), " bytes taken from the heap for ", fig(r, `${p}.summary.end_live_bytes`), " live.")
          : h("span", {}, "The run ends first, after ", fig(r, `${p}.outcome.rounds`), " rounds."));
      $("t5-error").textContent = r.error ? `Error: ${r.error}` : "";
      const runData = r.report.runs[0], slider = $("t5-round");
      slider.max = last;
      slider.value = Math.min(10, last);
      const biggest = Math.max(...runData.buffers.map((b) => b.capacity_bytes));
      const draw = () => {
        const k = Number(slider.value);
        $("t5-round-out").textContent = `round ${fmt(k)}`;
        const { rows } = phaseRows(runData, k, { phases: [2], scale: biggest });
        $("t5-chunks").replaceChildren(...rows);
        $("t5-chunks-text").replaceChildren(`After round ${fmt(k)}: `, fig(r, `${p}.rounds.${k}.buffers.0.chunks.length`),
          " chunks (", fig(r, `${p}.rounds.${k}.buffers.0.chunks`), " bytes, each bar drawn to scale), ",
          fig(r, `${p}.rounds.${k}.bytes_in_use`), " bytes taken from the heap for ", fig(r, `${p}.rounds.${k}.live_bytes`), " live.");
      };
      slider.oninput = draw;
      draw();
      return [r];
    },
    6: async () => {
      const t = $("t6-input");
      if (!t.value && input.bundled !== WRITEUP_INPUT) t.value = input.text;
      toolLink();
      const done = [];
      const summary = h("ul", { class: "t-summary" });
      slot("t6-summary", h("p", {}, "On the input named at the top:"), summary);
      const item = (k, ...children) => summary.append(h("li", {}, h("a", { href: `#tour=${k}` }, `step ${k}`), ": ", ...children));
      const a = await run("puzzle"); done.push(a);
      item(1, fig(a, "elves"), " elves; part 1 ", fig(a, "strategies.0.answers.part1"), ", part 2 ", fig(a, "strategies.0.answers.part2"), ".");
      const [l, n] = await Promise.all([run("leaky"), run("needed")]); done.push(l, n);
      const ls = l.json.strategies[0];
      item(3, "leaky in 4 MiB: ", ls.outcome.kind === "out_of_memory" ? h("span", {}, "out of memory in round ", fig(l, "strategies.0.outcome.round"))
        : h("span", {}, "finished, ", fig(l, "strategies.0.outcome.rounds"), " rounds"),
      "; it needs ", fig(n, "strategies.0.summary.needed_buffer_size_bytes"), " bytes to play every round.");
      const f = await run("fixes"); done.push(f);
      item(4, "peak bytes: ", ...["tempcopy", "pingpong", "heap", "reuse"].flatMap((name, k) => {
        const q = f.json.strategies.findIndex((s) => s.strategy === name);
        return [k ? ", " : "", `${name} `, fig(f, `strategies.${q}.summary.peak_bytes`)];
      }), ".");
      const b = await run("bumpalo"); done.push(b);
      item(5, "bumpalo's chunks: ", fig(b, "strategies.0.rounds.-1.buffers.0.chunks"), " bytes; ",
        b.json.strategies[0].outcome.kind === "out_of_memory" ? h("span", {}, "out of memory in round ", fig(b, "strategies.0.outcome.round")) : "finished", ".");
      return done;
    },
  };

  // --- step 2: the allocator by hand -----------------------------------------
  let calls = [];
  // The calls' block names: the allocator numbers blocks by alloc event, as
  // its trace does; A and B are whichever events allocated them.
  function byHandCalls(list) {
    let next = 0;
    const ids = {}, out = [];
    for (const c of list) {
      if (c === "reset") out.push({ op: "reset" });
      else if (c.startsWith("alloc-")) { ids[c.slice(6)] = next++; out.push({ op: "alloc", ...BY_HAND[c.slice(6)] }); }
      else out.push({ op: "free", id: ids[c.slice(5)] ?? 4294967295 });
    }
    return out;
  }
  let byHandState = null;
  async function drawByHand() {
    const t0 = performance.now();
    const list = calls.slice();
    const steps = list.length ? await window.day23.allocate(byHandCalls(list), { capacity: BY_HAND.capacity }) : [];
    const ms = performance.now() - t0;
    const last = steps[steps.length - 1] ?? { end_index: 0, live_bytes: 0, blocks: [], trace: [] };
    // Which name each block has: the alloc events of A and B, in order.
    const names = {};
    list.forEach((c, k) => {
      if (c.startsWith("alloc-") && steps[k].id !== null && steps[k].id !== undefined) names[steps[k].id] = c.slice(6);
    });
    const live = (n) => last.blocks.some((b) => b.live && names[b.id] === n);
    const cap = BY_HAND.capacity, buffer = $("t2-buffer");
    const cells = [];
    let end = 0;
    for (const b of last.blocks) {
      if (b.pad) cells.push(h("span", { class: "t2-block k-padding", style: `left:${100 * (b.offset - b.pad) / cap}%;width:${100 * b.pad / cap}%` }));
      cells.push(h("span", {
        class: `t2-block ${b.live ? "k-live" : "k-dead"}`, "data-name": names[b.id] ?? "?",
        style: `left:${100 * b.offset / cap}%;width:${100 * b.len / cap}%`, title: `${names[b.id]}: offset ${b.offset}, ${b.len} bytes`,
      }, `${names[b.id] ?? "?"}${b.live ? "" : " (dead)"}`));
      end = Math.max(end, b.offset + b.len);
    }
    cells.push(h("span", { class: "t2-end", style: `left:${100 * last.end_index / cap}%` }, "end_index"));
    buffer.replaceChildren(...cells);
    const blocks = last.blocks.map((b) => `${names[b.id] ?? "?"} at bytes ${b.offset} to ${b.offset + b.len - 1} (${b.len} bytes${b.pad ? `, after ${b.pad} bytes of padding` : ""}), ${b.live ? "live" : "freed but not given back"}`);
    $("t2-state").replaceChildren("end_index = ", h("span", { id: "t2-end", class: "fig", "data-value": String(last.end_index) }, fmt(last.end_index)),
      ` of ${fmt(cap)} bytes; live bytes ${fmt(last.live_bytes)}. `, blocks.length ? `Blocks: ${blocks.join("; ")}.` : "The buffer is empty.");
    $("t2-trace").textContent = steps.flatMap((s, k) => (s.trace.length ? s.trace : [`(${list[k]}: ${s.error})`])).join("\n");
    // Why, for the last call: its own before and after.
    const before = steps.length > 1 ? steps[steps.length - 2].end_index : 0, c = list[list.length - 1];
    let why = "Nothing called yet: the buffer is empty and end_index is 0.";
    if (c === "reset") why = "reset: end_index goes back to 0 and the whole buffer is free again, whatever was in it.";
    else if (c && c.startsWith("alloc-")) {
      const n = c.slice(6);
      why = last.error ? `allocate ${n}: out of memory. ${BY_HAND[n].size} bytes do not fit between end_index (${fmt(before)}) and the end of the buffer (${fmt(cap)}), though ${fmt(cap - last.live_bytes)} of its bytes hold nothing live.`
        : `allocate ${n}: ${n} goes at end_index, ${fmt(before)}, and end_index moves past it to ${fmt(last.end_index)}.`;
    } else if (c && c.startsWith("free-")) {
      const n = c.slice(5);
      why = last.error ? `free ${n}: ${n} is not allocated, so this call was not made.`
        : last.end_index < before ? `free ${n}: ${n} ended at end_index, so end_index moves back to ${fmt(last.end_index)}: its bytes can be handed out again.`
          : `free ${n}: nothing comes back. ${n} does not end at end_index (${fmt(last.end_index)}), so the allocator cannot take it back: its bytes stay dead in the buffer until a reset.`;
    }
    $("t2-why").textContent = why;
    for (const b of $("t2-buttons").querySelectorAll("button")) {
      const k = b.dataset.call;
      b.disabled = (k.startsWith("alloc-") && live(k.slice(6))) || (k.startsWith("free-") && !live(k.slice(5)))
        || (k === "clear" && !list.length);
    }
    byHandState = { calls: list, steps, ms };
    stepEl(2).querySelector(".t-compute").textContent = list.length
      ? `The allocator answered ${list.length} call${list.length > 1 ? "s" : ""} in ${ms.toFixed(1)} ms.` : "";
  }
  $("t2-buttons").onclick = async (e) => {
    const k = e.target.closest("button")?.dataset.call;
    if (!k) return;
    calls = k === "clear" ? [] : [...calls, k];
    await drawByHand();
  };

  // --- step 3: the buffer size slider ------------------------------------------
  let needed = null, sizeWanted = null, sizeBusy = false;
  async function resize(bytes) {
    sizeWanted = Math.max(1, Math.floor(bytes));
    $("t3-size").value = sizeWanted;
    $("t3-size-text").value = String(sizeWanted);
    if (sizeBusy) return; // the run going on picks up the last wish when it ends
    sizeBusy = true;
    try {
      while (sizeWanted !== null) {
        const size = sizeWanted;
        sizeWanted = null;
        $("t3-oom").dataset.state = "computing";
        const settings = { strategy: "leaky", cells: "zigmap", bufferSize: size };
        const a = await window.day23.answer(input.text, { ...settings, name: input.name });
        const r = { settings, ...a };
        if (sizeWanted !== null) continue;
        const s = a.json.strategies[0], p = "strategies.0";
        $("t3-oom").replaceChildren(`With a buffer of ${fmt(size)} bytes (${(size / 1048576).toFixed(2)} MiB): `,
          s.outcome.kind === "out_of_memory"
            ? h("span", {}, "out of memory in round ", fig(r, `${p}.outcome.round`, { text: (v) => h("strong", {}, fmt(v)) }), ".")
            : h("span", {}, "finished, all ", fig(r, `${p}.outcome.rounds`, { text: (v) => h("strong", {}, fmt(v)) }), " rounds. "),
          ` (${r.ms.toFixed(0)} ms)`);
        $("t3-oom").dataset.size = String(size);
        $("t3-oom").dataset.state = "ready";
      }
    } catch (e) {
      $("t3-oom").textContent = `Error: ${e.message}`;
      $("t3-oom").dataset.state = "ready";
    } finally {
      sizeBusy = false;
    }
  }
  $("t3-size").oninput = () => resize(Number($("t3-size").value));
  $("t3-size-text").onchange = () => {
    const v = $("t3-size-text").value.trim();
    if (/^\d+$/.test(v) && Number(v) > 0) resize(Number(v));
  };
  $("t3-exact").onclick = () => needed && resize(needed);
  $("t3-less").onclick = () => needed && resize(needed - 1);
  $("t3-default").onclick = () => resize(BUFFER_BYTES);

  // --- step 6: the reader's input ---------------------------------------------
  function b64url(text) {
    let s = ""; for (const b of new TextEncoder().encode(text)) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  // The tool with every strategy, Zig's map, 4 MiB, on this input: in the
  // link when it is bundled or small (as the tool's own links), else handed
  // to the tool when the link is followed.
  function toolLink() {
    const p = new URLSearchParams({ s: "all", c: "zigmap", b: BUFFER });
    const small = new TextEncoder().encode(input.text).length <= 4096;
    if (input.bundled) p.set("bundled", input.bundled); else if (small) p.set("in", b64url(input.text));
    $("t6-tool").href = "#" + p.toString();
    $("t6-tool").onclick = () => { if (!input.bundled && !small) window.day23Page.setInput(input.text, input.name); };
  }
  async function useInput(text, name, bundled = null) {
    $("t6-error").textContent = "";
    const old = { input, cache, generation };
    input = { text, name, bundled };
    cache = new Map();
    generation++;
    try {
      await run("puzzle"); // bad input fails here, with the CLI's message
    } catch (e) {
      ({ input, cache, generation } = old);
      $("t6-error").textContent = `Error: ${e.message}`;
      return;
    }
    describeInput();
    for (const el of document.querySelectorAll(".step")) delete el.dataset.state;
    enter(current);
  }
  $("t6-use").onclick = () => useInput($("t6-input").value, "<input>");
  $("t6-file").onchange = async () => {
    const file = $("t6-file").files[0];
    if (!file) return;
    const text = new TextDecoder().decode(await file.arrayBuffer());
    $("t6-input").value = text;
    useInput(text, file.name);
  };
  $("tour-reset-input").onclick = () => { $("t6-input").value = ""; useInput(BUNDLED[WRITEUP_INPUT], `inputs/${WRITEUP_INPUT}`, WRITEUP_INPUT); };

  // --- moving through the tour ---------------------------------------------------
  // For the browser test and its measurements: when each step was first
  // drawn (ms since the page opened), how long that took from entering it,
  // and the engine's time for the runs it draws from (computed then or before).
  const timings = { drawn: {}, compute: {}, engine: {} };
  window.day23Tour = { timings, byHand: () => byHandState };
  let current = null, toolHash = "";
  const stepFromHash = () => {
    const m = /(?:^#|&)tour=(\d+)(?:&|$)/.exec(location.hash);
    return m ? Math.max(1, Math.min(STEPS, Number(m[1]))) : null;
  };
  async function enter(k) {
    current = k;
    for (const el of document.querySelectorAll(".step")) el.hidden = Number(el.dataset.step) !== k;
    for (const a of $("tour-steps").querySelectorAll("a")) {
      if (a.getAttribute("href") === `#tour=${k}`) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
    }
    $("tour-where").textContent = `step ${k} of ${STEPS}`;
    $("tour-prev").disabled = k === 1;
    $("tour-next").disabled = k === STEPS;
    const el = stepEl(k);
    if (el.dataset.state === "ready" && el.dataset.generation === String(generation)) return;
    const gen = generation, t0 = performance.now();
    el.dataset.state = "computing";
    $("tour-status").textContent = STEP_RUNS[k].length ? "The engine is computing this step..." : "";
    try {
      const runs = await STEP[k]();
      if (gen !== generation) return;
      const ms = performance.now() - t0;
      timings.compute[k] ??= ms;
      timings.drawn[k] ??= performance.now();
      timings.engine[k] ??= runs.reduce((sum, r) => sum + r.ms, 0);
      if (runs.length) {
        el.querySelector(".t-compute").textContent = `Computed in this page by the engine: ${runs.length} run${runs.length > 1 ? "s" : ""}, ` +
          `${runs.reduce((sum, r) => sum + r.ms, 0).toFixed(0)} ms in all (a run is kept while the input stays, so a step seen before draws at once).`;
      }
      el.dataset.state = "ready";
      el.dataset.generation = String(gen);
      $("tour-status").textContent = "";
    } catch (e) {
      if (gen !== generation) return;
      el.dataset.state = "error";
      $("tour-status").textContent = `Error: ${e.message}`;
    }
  }
  function route() {
    const k = stepFromHash();
    document.body.classList.toggle("touring", k !== null);
    if (k === null) { current = null; return; }
    $("tour-exit").href = toolHash || "#";
    if (k !== current) { window.scrollTo(0, 0); enter(k); }
  }
  const go = (k) => { if (k >= 1 && k <= STEPS) location.hash = `#tour=${k}`; };
  $("tour-prev").onclick = () => go(current - 1);
  $("tour-next").onclick = () => go(current + 1);
  addEventListener("hashchange", (e) => {
    // Entering from the tool: its link leads back to the state it had.
    if (stepFromHash() !== null && !/(?:^#|&)tour=/.test(new URL(e.oldURL).hash)) toolHash = new URL(e.oldURL).hash;
    route();
  });
  document.addEventListener("keydown", (e) => {
    if (current === null || e.altKey || e.ctrlKey || e.metaKey || e.target.closest?.("input, textarea, select")) return;
    if (e.key === "ArrowLeft") { go(current - 1); e.preventDefault(); }
    if (e.key === "ArrowRight") { go(current + 1); e.preventDefault(); }
  });
  describeInput();
  route();
})();
