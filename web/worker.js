"use strict";
// The playground's Web Worker: instantiates the engine (day23_web.wasm, sent
// gzip-compressed by the page) and runs one solve at a time, so the page
// never freezes; Cancel terminates this worker. The interface is five plain
// functions (web/src/ffi.rs): room for the input and options, solve, replay
// allocator calls (the tour's buttons), the answer's address; and one
// import, day23_progress(run, round).
let wasm = null;
let lastPost = 0;
const progress = (run, round) => {
  const now = Date.now();
  if (now - lastPost >= 50) { lastPost = now; postMessage({ type: "round", run, round }); }
};
async function start(gz) {
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = await new Response(stream).arrayBuffer();
  // The engine uses WebAssembly SIMD (hashbrown's 16-wide group, so that the
  // hash set's tables are laid out as on x86-64): say so if it is missing.
  const simd = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123,
    3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]));
  if (!simd) throw new Error("this browser has no WebAssembly SIMD, which the engine needs: " +
    "Chrome or Edge 91, Firefox 89, Safari 16.4 or later have it");
  const { instance } = await WebAssembly.instantiate(bytes, { env: { day23_progress: progress } });
  wasm = instance.exports;
}
onmessage = async (e) => {
  const m = e.data;
  if (m.type === "start") {
    try { await start(m.wasm); postMessage({ type: "ready" }); } catch (err) { postMessage({ type: "failed", error: String(err) }); }
    return;
  }
  const t0 = performance.now(); // the engine's own time, without the queue
  if (m.type === "allocate") {
    const request = new TextEncoder().encode(JSON.stringify(m.request));
    const ptr = wasm.day23_input(request.length);
    new Uint8Array(wasm.memory.buffer, ptr, request.length).set(request);
    const len = wasm.day23_allocate(request.length);
    const out = new Uint8Array(wasm.memory.buffer, wasm.day23_output(), len);
    postMessage({ type: "done", id: m.id, answer: new TextDecoder().decode(out), ms: performance.now() - t0 });
    return;
  }
  if (m.type === "solve") {
    const input = m.input, options = new TextEncoder().encode(JSON.stringify(m.options));
    const ptr = wasm.day23_input(input.length + options.length);
    new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
    new Uint8Array(wasm.memory.buffer, ptr + input.length, options.length).set(options);
    const len = wasm.day23_solve(input.length);
    const out = new Uint8Array(wasm.memory.buffer, wasm.day23_output(), len);
    postMessage({ type: "done", id: m.id, answer: new TextDecoder().decode(out), ms: performance.now() - t0 });
  }
};
