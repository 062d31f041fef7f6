#!/usr/bin/env bash
# The playground's speed and size (a benchmark, not a test): builds the
# release binary and the page, then benches/web.mjs measures both in the
# same run and prints min / median / max and the load. See docs/performance.md.
#
#   bash benches/web.sh [RUNS]     (default 7; needs chromium and tests/browser's npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bash web/build.sh
[ -d tests/browser/node_modules ] || npm ci --prefix tests/browser --no-audit --no-fund
uptime
node benches/web.mjs target/release/day23 target/web/day23.html "${1:-7}"
uptime
