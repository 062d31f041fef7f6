"use strict";
// The playground: input, settings, Run and Cancel around the engine in a Web
// Worker; the results go to the same viewer as `--report` (day23Show). Text
// from the input, the fragment or an error only ever goes in as text
// (textContent, value), never as markup.
(() => {
  const $ = (id) => document.getElementById(id);
  const STRATEGIES = ["leaky", "tempcopy", "pingpong", "reuse", "heap"];
  const CELLS = ["hashset", "zigmap", "bitgrid"];
  const BUNDLED = JSON.parse($("bundled-data").textContent);
  const WASM_GZ = Uint8Array.from(atob($("wasm-data").textContent.trim()), (c) => c.charCodeAt(0));
  const WORKER_URL = URL.createObjectURL(new Blob([$("worker-src").textContent], { type: "text/javascript" }));
  const FRAGMENT_INPUT_MAX = 4096; // bytes of input kept in a link

  // --- the worker: one solve at a time, restarted by Cancel ---------------
  let worker = null, ready = null, current = null, queue = Promise.resolve(), nextId = 1;
  function startWorker() {
    worker = new Worker(WORKER_URL);
    ready = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === "ready") resolve();
        else if (m.type === "failed") reject(new Error(m.error));
        else if (m.type === "round" && current) current.onRound(m.run, m.round);
        else if (m.type === "done" && current && current.id === m.id) current.done(m.answer, m.ms);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        if (current) current.fail(new Error(`the engine stopped: ${e.message || "unknown error"}`));
        reject(new Error(e.message));
      };
    });
    worker.postMessage({ type: "start", wasm: WASM_GZ });
  }
  function restartWorker() { worker.terminate(); startWorker(); }
  startWorker();

  // Sends one job (a solve, or the tour's allocator calls) to the worker
  // after those before it; resolves with its answer's JSON, parsed, and the
  // milliseconds the engine took (`ms`, the wait in the queue left out).
  function runJob(message, onRound) {
    const job = queue.then(() => ready).then(() => new Promise((resolve, reject) => {
      const id = nextId++;
      current = {
        id, onRound,
        done: (answer, ms) => { current = null; resolve({ ...JSON.parse(answer), ms }); },
        fail: (error) => { current = null; restartWorker(); reject(error); },
      };
      worker.postMessage({ ...message, id });
    }));
    queue = job.catch(() => {});
    return job;
  }
  // Runs one solve; the answer object of web/src/lib.rs.
  function runEngine(text, options, onRound) {
    const input = typeof text === "string" ? new TextEncoder().encode(text) : new Uint8Array(text);
    return runJob({ type: "solve", input, options }, onRound);
  }
  function cancel() {
    if (current) current.fail(new Error("cancelled"));
  }
  function engineOptions(o = {}) {
    return {
      strategy: o.strategy ?? "pingpong", cells: o.cells ?? "hashset", allocator: o.allocator ?? "zig",
      bufferSize: o.bufferSize ?? "4MiB", maxRounds: o.maxRounds ?? null,
      name: o.name ?? "<input>", record: !!o.record,
    };
  }

  // The documented API (docs/guide.md): the object `day23 --format
  // json` prints, or the CLI's error; the same with the viewer's data and
  // the out-of-memory message; the tour's allocator calls on the real
  // allocator.
  window.day23 = {
    solve(text, o = {}) {
      return this.answer(text, o).then((a) => a.json);
    },
    answer(text, o = {}) {
      return runEngine(text, engineOptions(o), () => {}).then((a) => {
        if (!a.json) throw new Error(a.error);
        return a;
      });
    },
    allocate(calls, o = {}) {
      return runJob({ type: "allocate", request: { capacity: o.capacity ?? 128, calls } }).then((a) => {
        if (!a.steps) throw new Error(a.error);
        return a.steps;
      });
    },
    cancel,
  };

  // --- the form -------------------------------------------------------------
  function boxes(id, names, checked) {
    $(id).append(...names.map((n) => {
      const label = document.createElement("label"), box = document.createElement("input");
      box.type = "checkbox"; box.value = n; box.checked = checked.includes(n);
      label.append(box, ` ${n} `);
      return label;
    }));
  }
  boxes("strategies", STRATEGIES, ["pingpong"]);
  boxes("cellkinds", CELLS, ["hashset"]);
  const picked = (id) => [...$(id).querySelectorAll("input:checked")].map((b) => b.value);
  const pick = (id, names) => { for (const b of $(id).querySelectorAll("input")) b.checked = names.includes(b.value); };
  for (const name of Object.keys(BUNDLED)) {
    const o = document.createElement("option");
    o.value = name; o.textContent = name;
    $("bundled").append(o);
  }
  let inputName = "<input>";
  function setInput(text, name) { $("input").value = text; inputName = name; }
  $("bundled").onchange = () => { if ($("bundled").value) setInput(BUNDLED[$("bundled").value], `inputs/${$("bundled").value}`); };
  $("input").oninput = () => { inputName = "<input>"; $("bundled").value = ""; };
  async function readFile(file) {
    if (!file) return;
    setInput(new TextDecoder().decode(await file.arrayBuffer()), file.name);
  }
  $("file").onchange = () => readFile($("file").files[0]);
  const area = $("input");
  area.ondragover = (e) => { e.preventDefault(); area.classList.add("drop"); };
  area.ondragleave = () => area.classList.remove("drop");
  area.ondrop = (e) => { e.preventDefault(); area.classList.remove("drop"); readFile(e.dataTransfer.files[0]); };
  $("writeup").onclick = () => {
    setInput(BUNDLED["gen-70x70-d50-s1.txt"], "inputs/gen-70x70-d50-s1.txt");
    $("bundled").value = "gen-70x70-d50-s1.txt";
    pick("strategies", ["leaky"]); pick("cellkinds", ["zigmap"]);
    $("buffer").value = "4MiB"; $("maxrounds").value = "";
    run();
  };

  // --- the fragment: settings, and a small input -----------------------------
  function b64url(text) {
    let s = ""; for (const b of new TextEncoder().encode(text)) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function unb64url(s) {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  }
  function saveFragment(settings, text, round) {
    const p = new URLSearchParams();
    p.set("s", settings.strategy); p.set("c", settings.cells); p.set("b", settings.bufferSize);
    if (settings.maxRounds !== null) p.set("m", String(settings.maxRounds));
    if (new TextEncoder().encode(text).length <= FRAGMENT_INPUT_MAX) p.set("in", b64url(text));
    else if (inputName.startsWith("inputs/")) p.set("bundled", inputName.slice(7));
    if (round !== null) p.set("round", round); // the viewer shows it, clamped to the last round
    history.replaceState(null, "", "#" + p.toString());
    lastRun = runKey();
  }
  // The fragment's settings without the viewer's round: what a run reads.
  const runKey = () => location.hash.slice(1).split("&").filter((p) => p && !p.startsWith("round=")).join("&");
  let lastRun = null;
  // The link's round (digits, as the viewer reads it), or null.
  function linkRound() {
    const r = new URLSearchParams(location.hash.slice(1)).get("round");
    return r !== null && /^\d+$/.test(r) ? r : null;
  }
  function loadFragment() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.has("tour")) return false; // the tour's (web/tour.js)
    if (!p.has("s") && !p.has("in") && !p.has("bundled")) return false;
    const list = (v, all) => (v === "all" ? all : v.split(",").filter((x) => all.includes(x)));
    if (p.has("s")) pick("strategies", list(p.get("s"), STRATEGIES));
    if (p.has("c")) pick("cellkinds", list(p.get("c"), CELLS));
    if (p.has("b")) $("buffer").value = p.get("b");
    $("maxrounds").value = p.get("m") ?? "";
    try {
      if (p.has("in")) { setInput(unb64url(p.get("in")), "<input>"); $("bundled").value = ""; }
    } catch { showError("the link's input is not valid base64url"); return false; }
    if (!p.has("in") && p.has("bundled")) {
      const name = p.get("bundled");
      if (!Object.hasOwn(BUNDLED, name)) { showError(`the link names no bundled input '${name}'`); return false; }
      setInput(BUNDLED[name], `inputs/${name}`);
      $("bundled").value = name;
    }
    return true;
  }

  // --- Run and Cancel ----------------------------------------------------------
  const status = (text) => { $("status").textContent = text; };
  const showError = (text) => { $("error").textContent = text ? `Error: ${text}` : ""; };
  let running = false;
  function settings() {
    const m = $("maxrounds").value.trim();
    return {
      strategy: picked("strategies").join(",") || "pingpong",
      cells: picked("cellkinds").join(",") || "hashset",
      bufferSize: $("buffer").value.trim(),
      maxRounds: m === "" ? null : (/^\d+$/.test(m) ? Number(m) : m),
    };
  }
  // Runs the form; `round`, from a link, is the round to show after it (else 0).
  async function run(round = null) {
    if (running) return;
    const s = settings(), text = $("input").value;
    if (s.maxRounds !== null && typeof s.maxRounds !== "number") {
      showError(`invalid value '${s.maxRounds}' for '--max-rounds <N>': invalid digit found in string`);
      return;
    }
    saveFragment(s, text, round);
    running = true; $("run").disabled = true; $("cancel").disabled = false; showError("");
    const runs = s.strategy.split(",").length * s.cells.split(",").length;
    const t0 = performance.now();
    status("starting");
    try {
      const a = await runEngine(text, engineOptions({ ...s, name: inputName, record: true }),
        (r, round) => status(`run ${r + 1} of ${runs}: round ${round}`));
      if (!a.json) { showError(a.error); status(""); restartWorker(); return; }
      status(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      showError(a.error ?? "");
      document.body.classList.remove("empty");
      day23Show(a.report);
    } catch (e) {
      status(e.message === "cancelled" ? "cancelled" : "");
      if (e.message !== "cancelled") showError(e.message);
    } finally {
      running = false; $("run").disabled = false; $("cancel").disabled = true;
    }
  }
  $("run").onclick = () => run();
  $("cancel").onclick = cancel;
  document.body.classList.add("empty");
  if (loadFragment() && $("input").value) run(linkRound());
  // A link to the tool with settings (the tour's last step has one), or the
  // back button to one: run what it says, unless that is what ran last.
  addEventListener("hashchange", () => {
    if (runKey() !== lastRun && loadFragment() && $("input").value) run(linkRound());
  });
  // For the tour (web/tour.js), not an API: its reader's input, handed to
  // the tool before its link to the tool is followed.
  window.day23Page = { setInput(text, name) { setInput(text, name); $("bundled").value = ""; } };
})();
