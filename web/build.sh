#!/usr/bin/env bash
# Builds the playground: the engine (web/, a crate of its own) compiled to
# WebAssembly, and ONE self-contained page, target/web/day23.html, that opens
# from file:// and makes no network request: the --report viewer
# (src/export/report/), the playground's form and scripts (web/), the wasm
# gzip-compressed and inlined as base64, and the bundled inputs.
#
#   bash web/build.sh        (from anywhere; adds the wasm32 target if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
cargo build --quiet --release --manifest-path web/Cargo.toml --target wasm32-unknown-unknown \
  --target-dir target/web-cargo
mkdir -p target/web
python3 - target/web-cargo/wasm32-unknown-unknown/release/day23_web.wasm target/web/day23.html <<'PY'
import base64, gzip, json, os, sys
wasm_path, out = sys.argv[1:]
read = lambda p: open(p, encoding="utf-8").read()
report = "src/export/report/"
wasm = gzip.compress(open(wasm_path, "rb").read(), compresslevel=9, mtime=0)
inputs = {f: read("inputs/" + f) for f in sorted(os.listdir("inputs")) if f.endswith(".txt")}
worker = read("web/worker.js")
for name, text in [("worker.js", worker), ("playground.js", read("web/playground.js"))]:
    assert "</script" not in text.lower(), f"{name} must not contain </script"
bundled = json.dumps(inputs).replace("<", "\\u003c")
page = (read(report + "page.html")
    .replace("{{title}}", "day23 in your browser")
    .replace("{{css}}", read(report + "page.css") + read("web/playground.css"))
    .replace("{{data}}", "")
    .replace("{{js}}", read(report + "page.js")))
page = page.replace("<body>\n", "<body>\n" + read("web/controls.html"), 1)
tail = (f'<script id="bundled-data" type="application/json">{bundled}</script>\n'
    f'<script id="wasm-data" type="application/octet-stream">{base64.b64encode(wasm).decode()}</script>\n'
    f'<script id="worker-src" type="text/plain">{worker}</script>\n'
    f'<script>\n{read("web/playground.js")}</script>\n</body>')
assert page.count("</body>") == 1
page = page.replace("</body>", tail)
open(out, "w", encoding="utf-8").write(page)
print(f"{out}: {len(page.encode()):,} bytes (wasm {os.path.getsize(wasm_path):,} bytes, {len(wasm):,} gzipped)")
PY
