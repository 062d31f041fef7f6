#!/usr/bin/env bash
# Replays day23 allocation traces through Zig 0.17.1's own
# std.heap.FixedBufferAllocator and diffs them with day23's, event for event.
# See README.md beside this file. Exits 0 only if every trace is identical
# (and the negative control differs).
#
# Environment:
#   ZIG_REPLAY_VENV  where ziglang is installed (default: a venv under
#                    ${XDG_CACHE_HOME:-~/.cache}/day23-zig-replay/); created
#                    and filled with `pip install ziglang==0.17.1` when missing.
#   KEEP_WORK=1      keep the temporary folder with traces and replays.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ZIG_VERSION=0.17.1
VENV="${ZIG_REPLAY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/day23-zig-replay/ziglang-$ZIG_VERSION}"
START=$SECONDS

say() { printf '==> %s\n' "$*"; }

# --- Zig 0.17.1 from PyPI (the `ziglang` package ships the compiler) --------
zig_version() { "$VENV/bin/python" -m ziglang version 2>/dev/null || true; }
if [[ "$(zig_version)" != "$ZIG_VERSION" ]]; then
  say "installing ziglang==$ZIG_VERSION into $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "ziglang==$ZIG_VERSION"
  [[ "$(zig_version)" == "$ZIG_VERSION" ]] || { echo "zig $ZIG_VERSION did not install" >&2; exit 2; }
fi
zig() { "$VENV/bin/python" -m ziglang "$@"; }
say "zig $(zig version) ($VENV)"

# --- day23 (release) and the synthetic-trace driver -------------------------
say "cargo build --release"
(cd "$ROOT" && cargo build --release --quiet)
TARGET="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release"
DAY23="$TARGET/day23"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zig-replay.XXXXXX")"
if [[ "${KEEP_WORK:-0}" == 1 ]]; then
  say "work folder kept: $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi

say "rustc synth.rs (against the day23 library just built)"
(cd "$ROOT" && rustc --edition 2024 -O "$HERE/synth.rs" \
  --extern day23="$TARGET/libday23.rlib" -L dependency="$TARGET/deps" -o "$WORK/synth")

# --- replay one trace through Zig -------------------------------------------
# replay NAME TRACE BUFFER_BYTES [BASE_SKEW] -> writes $WORK/NAME/zig.txt
replay() {
  local name=$1 trace=$2 bytes=$3 skew=${4:-0} dir="$WORK/$1"
  mkdir -p "$dir"
  python3 "$HERE/convert.py" --buffer-size "$bytes" --base-skew "$skew" "$trace" "$dir/events.zig"
  cp "$HERE/replay.zig" "$dir/"
  # Debug keeps Zig's safety checks: the FBA's ownsSlice asserts, overflow checks.
  if ! (cd "$dir" && zig build-exe replay.zig -O Debug --cache-dir "$WORK/zig-cache" >build.log 2>&1); then
    echo "$name: zig build-exe failed:" >&2
    cat "$dir/build.log" >&2
    return 1
  fi
  # The replay prints its trace with std.debug.print, i.e. to stderr.
  if ! (cd "$dir" && ./replay 2>zig.txt); then
    echo "$name: the Zig replay failed:" >&2
    tail -n 20 "$dir/zig.txt" >&2
    return 1
  fi
}

FAILED=0
RESULTS=()
# compare NAME TRACE BUFFER_BYTES: replay and diff; one summary line.
compare() {
  local name=$1 trace=$2 bytes=$3 n
  n=$(wc -l <"$trace")
  if [[ "$n" -eq 0 ]]; then
    RESULTS+=("$(printf '%-24s %6s events  FAIL: empty trace' "$name" 0)")
    FAILED=1
    return
  fi
  if replay "$name" "$trace" "$bytes" && cmp -s "$trace" "$WORK/$name/zig.txt"; then
    RESULTS+=("$(printf '%-24s %6d events  identical' "$name" "$n")")
  else
    RESULTS+=("$(printf '%-24s %6d events  DIFFERENT' "$name" "$n")")
    FAILED=1
    if [[ -f "$WORK/$name/zig.txt" ]]; then
      echo "--- $name: diff day23 zig (first 20 lines)" >&2
      diff "$trace" "$WORK/$name/zig.txt" | head -n 20 >&2 || true
    fi
  fi
}

# trace NAME EXPECTED_EXIT BUFFER_BYTES DAY23_ARGS... -> $WORK/NAME.trace
trace() {
  local name=$1 want=$2 bytes=$3 rc=0
  shift 3
  (cd "$ROOT" && "$DAY23" "$@" --buffer-size "$bytes" --quiet --trace "$WORK/$name.trace") \
    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" || rc=$?
  if [[ $rc -ne $want ]]; then
    echo "$name: day23 exited $rc, expected $want:" >&2
    cat "$WORK/$name.stderr" >&2
    FAILED=1
  fi
}

MiB=$((1 << 20))
EX=inputs/example.txt
G70=inputs/gen-70x70-d50-s1.txt

say "taking traces and replaying them through Zig"
for s in leaky tempcopy pingpong; do
  trace "example-$s" 0 $((4 * MiB)) --input "$EX" --strategy "$s"
  compare "example-$s" "$WORK/example-$s.trace" $((4 * MiB))
done
for s in pingpong tempcopy; do
  trace "gen70-$s" 0 $((4 * MiB)) --input "$G70" --strategy "$s"
  compare "gen70-$s" "$WORK/gen70-$s.trace" $((4 * MiB))
done
# Leaky on a 1 MiB buffer runs out of memory: exit 3, and an OOM event.
trace gen70-leaky-1MiB 3 "$MiB" --input "$G70" --strategy leaky
if ! grep -q -- '-> OOM$' "$WORK/gen70-leaky-1MiB.trace"; then
  echo "gen70-leaky-1MiB: no OOM event in the trace" >&2
  FAILED=1
fi
compare gen70-leaky-1MiB "$WORK/gen70-leaky-1MiB.trace" "$MiB"

# Synthetic traces (synth.rs): in-place grow/shrink, non-last frees, zero
# sizes, alignments 1..64, OOM and reset over two 2048-byte buffers.
for seed in 1 2 3; do
  "$WORK/synth" "$seed" 4000 >"$WORK/synth-$seed.trace"
  compare "synthetic-seed$seed" "$WORK/synth-$seed.trace" 2048
done

# Negative control: the same replay with Zig's buffers 8 bytes off a 64-byte
# boundary must NOT match (16-byte-aligned sets get other offsets), or the
# comparison proves nothing.
if replay control-skew8 "$WORK/example-pingpong.trace" $((4 * MiB)) 8 &&
  ! cmp -s "$WORK/example-pingpong.trace" "$WORK/control-skew8/zig.txt"; then
  RESULTS+=("$(printf '%-24s %6s         differs, as it must (negative control)' control-skew8 "")")
else
  RESULTS+=("$(printf '%-24s %6s         FAIL: negative control did not differ' control-skew8 "")")
  FAILED=1
fi

echo
printf '%s\n' "${RESULTS[@]}"
echo
if [[ $FAILED -ne 0 ]]; then
  say "FAILED: day23's allocator and Zig $ZIG_VERSION's FixedBufferAllocator differ (or a step failed) ($((SECONDS - START)) s)"
  exit 1
fi
say "all traces identical to Zig $ZIG_VERSION's FixedBufferAllocator ($((SECONDS - START)) s)"
