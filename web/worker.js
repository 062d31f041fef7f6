"use strict";
// The playground's Web Worker: instantiates the engine (day23_web.wasm, sent
// gzip-compressed by the page) and runs one solve at a time, so the page
// never freezes; Cancel terminates this worker. The interface is four plain
// functions (web/src/ffi.rs): room for the input and options, solve, the
// answer's address; and one import, day23_progress(run, round).
let wasm = null;
let lastPost = 0;
const progress = (run, round) => {
  const now = Date.now();
  if (now - lastPost >= 50) { lastPost = now; postMessage({ type: "round", run, round }); }
};
async function start(gz) {
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = await new Response(stream).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, { env: { day23_progress: progress } });
  wasm = instance.exports;
}
onmessage = async (e) => {
  const m = e.data;
  if (m.type === "start") {
    try { await start(m.wasm); postMessage({ type: "ready" }); } catch (err) { postMessage({ type: "failed", error: String(err) }); }
    return;
  }
  if (m.type === "solve") {
    const input = m.input, options = new TextEncoder().encode(JSON.stringify(m.options));
    const ptr = wasm.day23_input(input.length + options.length);
    new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
    new Uint8Array(wasm.memory.buffer, ptr + input.length, options.length).set(options);
    const len = wasm.day23_solve(input.length);
    const out = new Uint8Array(wasm.memory.buffer, wasm.day23_output(), len);
    postMessage({ type: "done", id: m.id, answer: new TextDecoder().decode(out) });
  }
};
