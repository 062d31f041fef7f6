"use strict";
// day23 report: draws what the tool recorded. The elves are the initial
// positions plus each round's moves (applied forwards and backwards); the
// layouts and figures are the tool's own. Nothing here plays the rules.
// One viewer for recorded data (`--report`: the JSON in #data) and live data
// (the playground, web/: `day23View(data)` after each run). The page's guided
// tour (web/tour.js) draws its elves and buffers with the same two helpers,
// day23Elves and day23Bar.
const DAY23_KINDS = ["input", "live", "dead", "padding", "free"];
const DAY23_KIND_NAMES = ["input (dead after parsing)", "live set", "dead set (freed, not reclaimed)", "padding", "free"];
const day23Fmt = (n) => n.toLocaleString("en-US");

// The elves of recorded data D: their positions at any round, from the
// initial positions and each round's moves (decoded once).
function day23Elves(D) {
  const DX = [0, 0, -1, 1], DY = [-1, 1, 0, 0]; // N, S, W, E
  const n = D.elves;
  const xs = new Int32Array(n), ys = new Int32Array(n);
  for (let i = 0; i < n; i++) { xs[i] = D.initial[2 * i]; ys[i] = D.initial[2 * i + 1]; }
  const moves = D.moves.map((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const elves = [], dirs = [], base = Math.ceil(n / 8);
    for (let i = 0; i < n; i++) {
      if (bytes[i >> 3] & (1 << (i & 7))) {
        const k = elves.length;
        elves.push(i);
        dirs.push((bytes[base + (k >> 2)] >> (2 * (k & 3))) & 3);
      }
    }
    return { elves, dirs };
  });
  let at = 0; // the round xs, ys show
  function apply(round, sign) {
    const m = moves[round - 1];
    for (let k = 0; k < m.elves.length; k++) {
      xs[m.elves[k]] += sign * DX[m.dirs[k]];
      ys[m.elves[k]] += sign * DY[m.dirs[k]];
    }
  }
  function seek(round) {
    round = Math.max(0, Math.min(round, moves.length));
    while (at < round) apply(++at, 1);
    while (at > round) apply(at--, -1);
  }
  function bounds() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]);
      y0 = Math.min(y0, ys[i]); y1 = Math.max(y1, ys[i]);
    }
    return { x0, y0, x1, y1 };
  }
  // Zoom to fit every round: the union of the rounds' bounds.
  let b = bounds();
  for (let r = 1; r <= moves.length; r++) {
    seek(r);
    const c = bounds();
    b = { x0: Math.min(b.x0, c.x0), y0: Math.min(b.y0, c.y0), x1: Math.max(b.x1, c.x1), y1: Math.max(b.y1, c.y1) };
  }
  seek(0);
  return { n, xs, ys, moves, seek, bounds, view: b };
}

// One bar: the blocks of layout `data` (see src/export/html.rs) over `span` bytes.
function day23Bar(data, span, capacity) {
  const el = document.createElement("div");
  el.className = "bar";
  const add = (start, len, kind) => {
    if (len <= 0 || start >= span) return;
    const s = document.createElement("span");
    s.className = "k-" + DAY23_KINDS[kind];
    s.style.left = (100 * start / span) + "%";
    s.style.width = (100 * Math.min(len, span - start) / span) + "%";
    s.title = `offset ${day23Fmt(start)}, ${day23Fmt(len)} bytes, ${DAY23_KIND_NAMES[kind]}`;
    el.append(s);
  };
  let at = 0;
  for (let i = 1; i < data.length; i += 4) {
    for (let c = 0; c < data[i]; c++) {
      add(at, data[i + 1], 3);
      at += data[i + 1];
      add(at, data[i + 2], data[i + 3]);
      at += data[i + 2];
    }
  }
  add(at, data[0] - at, 3);
  add(data[0], capacity - data[0], 4);
  return el;
}

// Draws the elves `E` (day23Elves) after `round` on `canvas`, those that
// moved in it in orange, zoomed to fit every round; returns how many moved
// and the bounding rectangle's size.
function day23DrawElves(canvas, E, round) {
  const { n, xs, ys, moves, view } = E;
  E.seek(round);
  const g = canvas.getContext("2d");
  const w = view.x1 - view.x0 + 3, h = view.y1 - view.y0 + 3;
  const s = Math.min(canvas.width / w, canvas.height / h);
  const ox = (canvas.width - s * w) / 2 - (view.x0 - 1) * s, oy = (canvas.height - s * h) / 2 - (view.y0 - 1) * s;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  const moved = new Uint8Array(n);
  if (round >= 1 && round <= moves.length) for (const e of moves[round - 1].elves) moved[e] = 1;
  const size = Math.max(1, s * 0.9);
  for (let i = 0; i < n; i++) {
    g.fillStyle = moved[i] ? "#e6550d" : "#3182bd";
    g.fillRect(ox + xs[i] * s, oy + ys[i] * s, size, size);
  }
  const b = E.bounds();
  g.strokeStyle = "#444";
  g.lineWidth = 1;
  g.strokeRect(ox + b.x0 * s - 0.5, oy + b.y0 * s - 0.5, (b.x1 - b.x0 + 1) * s + 1, (b.y1 - b.y0 + 1) * s + 1);
  const count = round >= 1 && round <= moves.length ? moves[round - 1].elves.length : 0;
  return { moved: count, width: b.x1 - b.x0 + 1, height: b.y1 - b.y0 + 1 };
}

// Whether the page shows its guided tour (web/tour.js, `#tour=K`): the
// viewer then leaves the arrows and the fragment to it.
const day23Touring = () => /(?:^#|&)tour=/.test(location.hash);

function day23View(D) {
const $ = (id) => document.getElementById(id);
const fmt = day23Fmt;
const lastRound = Math.max(0, ...D.runs.map((r) => r.rounds.length - 1), D.moves.length);
const used = D.runs.flatMap((r) => r.rounds.map((x) => x[0])).filter((v) => v > 0); // bytes in use > 0

const elves = day23Elves(D);

function drawElves(round) {
  const { moved, width, height } = day23DrawElves($("elves"), elves, round);
  $("moved-count").textContent = `${fmt(moved)} of ${fmt(elves.n)} elves moved; bounding rectangle ${fmt(width)} x ${fmt(height)}.`;
}

// Bytes in use per round, every run on one chart.
function drawMemory(round) {
  const canvas = $("memory"), g = canvas.getContext("2d"), log = $("log").checked;
  const L = 70, R = 10, T = 10, B = 30, W = canvas.width - L - R, H = canvas.height - T - B;
  const top = Math.max(D.buffer_size_bytes, ...D.runs.flatMap((r) => r.rounds.map((x) => x[0])), 1);
  const low = used.length ? 10 ** Math.floor(Math.log10(Math.min(...used))) : 1;
  const y = (v) => T + H - H * (log ? Math.log10(Math.max(v, low) / low) / Math.log10(top * 1.1 / low) : v / (top * 1.05));
  const x = (r) => L + W * (lastRound ? r / lastRound : 0);
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#999";
  g.strokeRect(L, T, W, H);
  g.fillStyle = "#333";
  g.font = "11px sans-serif";
  const ticks = log ? [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10].filter((v) => v >= low && v <= top * 1.1) : [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * top));
  for (const v of ticks) g.fillText(fmt(v), 2, y(v) + 4);
  g.fillText("0", L - 3, T + H + 14);
  g.fillText(`round ${fmt(lastRound)}`, L + W - 60, T + H + 14);
  g.setLineDash([5, 4]);
  g.strokeStyle = "#555";
  g.beginPath(); g.moveTo(L, y(D.buffer_size_bytes)); g.lineTo(L + W, y(D.buffer_size_bytes)); g.stroke();
  g.fillText(`buffer size ${fmt(D.buffer_size_bytes)} B`, L + 4, y(D.buffer_size_bytes) - 4);
  D.runs.forEach((run) => {
    g.setLineDash(run.cells === "hashset" ? [] : [2, 2]);
    g.strokeStyle = run.color;
    g.lineWidth = 1.5;
    g.beginPath();
    run.rounds.forEach((v, r) => (r ? g.lineTo(x(r), y(v[0])) : g.moveTo(x(r), y(v[0]))));
    g.stroke();
    if (run.out_of_memory && run.rounds.length) {
      const r = run.rounds.length - 1, v = run.rounds[r][0];
      g.setLineDash([]);
      g.beginPath(); g.moveTo(x(r) - 5, y(v) - 5); g.lineTo(x(r) + 5, y(v) + 5); g.moveTo(x(r) + 5, y(v) - 5); g.lineTo(x(r) - 5, y(v) + 5); g.stroke();
      g.fillStyle = run.color;
      g.fillText(`${run.name}: ${run.outcome}`, Math.min(x(r) + 8, L + W - 180), y(v) + 14);
    }
  });
  g.setLineDash([]);
  g.lineWidth = 1;
  g.strokeStyle = "#000";
  g.beginPath(); g.moveTo(x(round), T); g.lineTo(x(round), T + H); g.stroke();
}

function figures(round) {
  const body = $("figures").tBodies[0];
  body.replaceChildren(...D.runs.map((run) => {
    const tr = document.createElement("tr");
    tr.dataset.run = run.name;
    const v = run.rounds[round];
    const cells = [run.name, ...(v ? v.map(fmt) : ["-", "-", "-"])];
    ["name", "bytes_in_use", "live_bytes", "peak_bytes"].forEach((field, i) => {
      const td = document.createElement("td");
      td.dataset.field = field;
      td.textContent = cells[i];
      if (i) td.className = "num";
      tr.append(td);
    });
    if (!v) tr.title = run.outcome;
    return tr;
  }));
}

function layouts(round) {
  const whole = $("whole").checked;
  $("layouts").replaceChildren(...D.runs.map((run) => {
    const div = document.createElement("div");
    div.className = "run";
    div.dataset.run = run.name;
    const h = document.createElement("h3");
    h.textContent = `${run.name} (${run.outcome})`;
    div.append(h);
    const nb = run.buffers.length;
    if (!nb || round >= run.rounds.length) {
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = !nb ? "No layout: the heap has no buffer." : `No round ${round}: ${run.outcome}.`;
      div.append(p);
      return div;
    }
    const frame = (p, b) => run.layouts[run.frames[(3 * round + p) * nb + b]];
    let span = 1;
    for (let p = 0; p < 3; p++) for (let b = 0; b < nb; b++) span = Math.max(span, frame(p, b)[0]);
    for (let p = 0; p < 3; p++) {
      for (let b = 0; b < nb; b++) {
        const data = frame(p, b), buffer = run.buffers[b];
        // bumpalo: each buffer a chunk, of its size at that moment (none: no row).
        const cap = run.sizes ? run.sizes[(3 * round + p) * nb + b] : buffer.capacity_bytes;
        if (run.sizes && !cap) continue;
        const name = buffer.chunk === undefined ? buffer.name : `${buffer.name}.${buffer.chunk}`;
        const row = document.createElement("div");
        row.className = "row";
        row.dataset.phase = run.phases[p];
        row.dataset.buffer = name;
        const label = document.createElement("span");
        label.className = "label";
        label.textContent = `${round ? run.phases[p] : p ? "" : "end"} ${name}`;
        const figures = document.createElement("span");
        figures.className = "figures";
        figures.textContent = `${fmt(data[0])} / ${fmt(cap)} B`;
        row.append(label, day23Bar(data, whole || run.sizes ? cap : span, cap), figures);
        if (round || !p) div.append(row);
      }
    }
    return div;
  }));
}

let round = 0, timer = null;
function show(k, updateHash = true) {
  // Math.trunc, not `| 0`: a link's round past 2^31 goes to the last round, not wrapped around.
  round = Math.max(0, Math.min(lastRound, Math.trunc(k) || 0));
  $("slider").value = round;
  $("round").textContent = round;
  for (const el of document.querySelectorAll(".round-number")) el.textContent = round;
  drawElves(round);
  drawMemory(round);
  figures(round);
  layouts(round);
  if (updateHash) {
    // Only `round=K` is the viewer's; other parameters (the playground's settings) stay.
    const rest = location.hash.slice(1).split("&").filter((p) => p && !p.startsWith("round="));
    const hash = "#" + [...rest, `round=${round}`].join("&");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
}
function fromHash() {
  const m = /(?:^#|&)round=(\d+)(?:&|$)/.exec(location.hash);
  return m ? Number(m[1]) : 0;
}
function play() {
  if (timer) { clearInterval(timer); timer = null; $("play").textContent = "play"; return; }
  if (round >= lastRound) show(0);
  $("play").textContent = "pause";
  timer = setInterval(() => (round >= lastRound ? play() : show(round + 1)), 50);
}

$("title").textContent = `day23 report: ${D.input}, ${fmt(D.elves)} elves, buffers of ${fmt(D.buffer_size_bytes)} bytes`;
$("rounds").textContent = lastRound;
// A log scale when the runs' bytes span a factor of ten or more, as --plot does.
$("log").checked = used.length > 0 && Math.max(...used) >= 10 * Math.min(...used);
$("slider").max = lastRound;
$("summary").textContent = D.table;
$("legend").replaceChildren(...D.runs.map((run) => {
  const s = document.createElement("span");
  s.style.color = run.color;
  s.textContent = ` ${run.cells === "hashset" ? "\u2014" : "\u2508"} ${run.name}`;
  return s;
}));
// Handlers as properties, not listeners: drawing new data replaces them.
$("slider").oninput = (e) => show(Number(e.target.value));
$("first").onclick = () => show(0);
$("prev").onclick = () => show(round - 1);
$("next").onclick = () => show(round + 1);
$("last").onclick = () => show(lastRound);
$("play").onclick = play;
$("log").onchange = () => drawMemory(round);
$("whole").onchange = () => layouts(round);
document.onkeydown = (e) => {
  if (day23Touring()) return;
  if (e.target === $("slider") || e.target.closest?.("input, textarea, select")) return; // they move themselves on arrows
  if (e.key === "ArrowLeft") { show(round - 1); e.preventDefault(); }
  if (e.key === "ArrowRight") { show(round + 1); e.preventDefault(); }
};
window.onhashchange = () => { if (!day23Touring()) show(fromHash(), false); };
show(fromHash());
return () => { if (timer) play(); }; // stops playing, before new data is drawn
}
let day23ViewStop = null;
function day23Show(D) {
  if (day23ViewStop) day23ViewStop();
  day23ViewStop = day23View(D);
}
if (document.getElementById("data").textContent.trim()) day23Show(JSON.parse(document.getElementById("data").textContent));
