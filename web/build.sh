#!/usr/bin/env bash
# Builds the playground: the engine (web/, a crate of its own) compiled to
# WebAssembly, and ONE self-contained page, target/web/day23.html, that opens
# from file:// and makes no network request: the --report viewer
# (src/export/report/), the playground's form and scripts (web/), the guided
# tour (web/tour.html, tour.js, tour.css), the wasm
# gzip-compressed and inlined as base64, and the bundled inputs.
#
#   bash web/build.sh        (from anywhere; adds the wasm32 target if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# Two dependencies are built from patched copies, so that the page's figures
# are the CLI's on x86-64 (docs/design.md, "The hash set's bytes" and
# "bumpalo's chunks"):
# - hashbrown with a 16-wide WebAssembly SIMD group (web/hashbrown/simd128.patch),
#   so that hash-set tables have the x86-64 layout; test it with
#   bash web/hashbrown/test.sh;
# - bumpalo with its chunk footer padded to 64-bit's 48 bytes
#   (web/bumpalo/footer.patch), so that its chunks have x86-64's sizes.
# Each is copied from cargo's registry (the version the root Cargo.lock pins,
# which the patch is written against) to target/web/CRATE, which
# web/Cargo.toml patches in, and its patch applied with patch(1); the copy is
# made anew only when the patch changes, so a rebuild stays incremental.
mkdir -p target/web
command -v patch >/dev/null || { echo "web/build.sh needs patch(1) (Debian: apt-get install patch)" >&2; exit 1; }
cargo metadata --quiet --format-version 1 --locked > target/web/metadata.json
patched_copy() { # CRATE VERSION PATCH
  local crate=$1 version=$2 patch_file=$3 copy=target/web/$1 registry
  registry=$(python3 - target/web/metadata.json "$crate" "$version" "$patch_file" <<'PY'
import json, os, sys
meta, crate, version, patch = json.load(open(sys.argv[1], encoding="utf-8")), *sys.argv[2:]
[pkg] = [p for p in meta["packages"] if p["name"] == crate]
if pkg["version"] != version:
    sys.exit(f"web/build.sh: {patch} is written for {crate} {version}, "
             f"and Cargo.lock pins {pkg['version']}: port the patch to it first")
print(os.path.dirname(pkg["manifest_path"]))
PY
)
  local stamp="$copy/.$(basename "$patch_file")"
  if ! cmp -s "$patch_file" "$stamp"; then
    rm -rf "$copy"
    cp -r "$registry" "$copy"
    patch --quiet --forward --batch -p1 -d "$copy" < "$patch_file" ||
      { echo "web/build.sh: $patch_file does not apply to $registry" >&2; exit 1; }
    cp "$patch_file" "$stamp"
  fi
}
patched_copy hashbrown 0.17.2 web/hashbrown/simd128.patch
patched_copy bumpalo 3.20.4 web/bumpalo/footer.patch

# From web/, so that web/.cargo/config.toml (+simd128) applies.
(cd web && cargo build --quiet --release --locked --target wasm32-unknown-unknown \
  --target-dir ../target/web-cargo)
python3 - target/web-cargo/wasm32-unknown-unknown/release/day23_web.wasm target/web/day23.html <<'PY'
import base64, gzip, json, os, sys
wasm_path, out = sys.argv[1:]
read = lambda p: open(p, encoding="utf-8").read()
report = "src/export/report/"
wasm = gzip.compress(open(wasm_path, "rb").read(), compresslevel=9, mtime=0)
inputs = {f: read("inputs/" + f) for f in sorted(os.listdir("inputs")) if f.endswith(".txt")}
worker = read("web/worker.js")
for name, text in [("worker.js", worker), ("playground.js", read("web/playground.js")), ("tour.js", read("web/tour.js"))]:
    assert "</script" not in text.lower(), f"{name} must not contain </script"
bundled = json.dumps(inputs).replace("<", "\\u003c")
page = (read(report + "page.html")
    .replace("{{title}}", "day23 in your browser")
    .replace("{{css}}", read(report + "page.css") + read("web/playground.css") + read("web/tour.css"))
    .replace("{{data}}", "")
    .replace("{{js}}", read(report + "page.js")))
page = page.replace("<body>\n", "<body>\n" + read("web/controls.html") + read("web/tour.html"), 1)
tail = (f'<script id="bundled-data" type="application/json">{bundled}</script>\n'
    f'<script id="wasm-data" type="application/octet-stream">{base64.b64encode(wasm).decode()}</script>\n'
    f'<script id="worker-src" type="text/plain">{worker}</script>\n'
    f'<script>\n{read("web/playground.js")}</script>\n'
    f'<script>\n{read("web/tour.js")}</script>\n</body>')
assert page.count("</body>") == 1
page = page.replace("</body>", tail)
open(out, "w", encoding="utf-8").write(page)
print(f"{out}: {len(page.encode()):,} bytes (wasm {os.path.getsize(wasm_path):,} bytes, {len(wasm):,} gzipped)")
PY
