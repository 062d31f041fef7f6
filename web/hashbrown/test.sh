#!/usr/bin/env bash
# Runs hashbrown's own unit tests, and the group's (web/hashbrown/simd128.patch),
# against the copy the page is built with: wasm32-wasip1 with +simd128, in
# Node.js's WASI. Run web/build.sh first (it writes target/web/hashbrown).
#
#   bash web/hashbrown/test.sh
#
# The copy tested is target/web/hashbrown-test: the same sources, minus the
# criterion dev-dependency and the benches (criterion does not build for
# wasi). Tests that expect a panic are ignored there (panics abort on wasi).
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f target/web/hashbrown/src/control/group/simd128.rs ] ||
  { echo "error: run bash web/build.sh first (target/web/hashbrown is missing)" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1

copy=target/web/hashbrown-test
rm -rf "$copy"
cp -r target/web/hashbrown "$copy"
rm -f "$copy/Cargo.lock"
python3 - "$copy/Cargo.toml" <<'PY'
import re, sys
path = sys.argv[1]
toml = open(path, encoding="utf-8").read()
toml, deps = re.subn(r"\[dev-dependencies\.criterion\]\n(?:[^\[\n].*\n|\n)*", "", toml)
toml = re.sub(r"\[\[bench\]\]\n(?:[^\[\n].*\n|\n)*", "", toml)
if deps != 1:
    sys.exit("web/hashbrown/test.sh: hashbrown's Cargo.toml no longer has the criterion dev-dependency")
open(path, "w", encoding="utf-8").write(toml)
PY
cat > "$copy/wasi.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";
const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [file, ...args], env: {}, returnOnExit: true });
const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(file)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
JS
CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings $PWD/$copy/wasi.mjs" \
  RUSTFLAGS="-C target-feature=+simd128" \
  cargo test --quiet --manifest-path "$copy/Cargo.toml" --lib --target wasm32-wasip1 \
    --target-dir target/web/hashbrown-test-cargo
