#!/usr/bin/env bash
# Two checks of day23 against Zig 0.17.1 itself (see README.md beside this
# file):
#  1. trace replay: day23's allocation traces replayed through Zig's own
#     std.heap.FixedBufferAllocator and diffed with day23's, event for event;
#  2. solver check: solve.zig, Day 23 the write-up's way with Zig's FBA and
#     std.AutoHashMap, against `day23 --cells zigmap` on every bundled input
#     under leaky, tempcopy, pingpong and reuse, every figure of every round
#     diffed.
# Exits 0 only if everything is identical (and both negative controls differ).
#
# Environment:
#   ZIG_REPLAY_VENV  where ziglang is installed (default: a venv under
#                    ${XDG_CACHE_HOME:-~/.cache}/day23-zig-replay/); created
#                    and filled with `pip install ziglang==0.17.1` when missing.
#   ZIG_SOLVE_CACHE  where built solve binaries are kept, one per solve.zig
#                    content (default: solve-bin beside the venv), so that a
#                    rerun with an unchanged solve.zig does not compile it again.
#   ZIG_SOLVE_JOBS   solver runs at a time (default: the number of CPUs).
#   ZIG_SOLVE_FULL=1 also run the leaky pairs left out for time, those whose
#                    buffer would exceed 1 GiB: of the bundled inputs only
#                    leaky to the end on 300x300 (3,590 MiB each side).
#   ZIG_SOLVE_CELLS  day23's --cells for the solver check (default zigmap).
#   ZIG_SOLVE_ONLY   a regular expression: only the inputs whose file name
#                    matches it (for quick runs; the negative control always
#                    runs).
#   ZIG_SOLVE_SKIP   a regular expression: leave out the pairs whose name
#                    (INPUT-STRATEGY, e.g. gen-300x300-d50-s5-tempcopy)
#                    matches it; each is listed as skipped in the summary.
#   ZIG_SOLVE_OPTIMIZE  solve.zig's -O mode (default ReleaseSafe: Zig's
#                    bounds, overflow and unreachable checks kept).
#                    ReleaseFast measured no faster on 300x300 (92 s against
#                    94-99 s of CPU), so CI keeps ReleaseSafe.
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

# solve.zig's ReleaseSafe build takes about 40 s of CPU, and `zig build-exe`
# keeps no finished binaries, so the script keeps them: one per solve.zig
# content, Zig version and machine. A missing one is built in the background,
# beside the trace replays, and waited for before the solver check.
SOLVE_CACHE="${ZIG_SOLVE_CACHE:-$(dirname "$VENV")/solve-bin}"
SOLVE_OPT="${ZIG_SOLVE_OPTIMIZE:-ReleaseSafe}"
case $SOLVE_OPT in
  Debug | ReleaseSafe | ReleaseFast | ReleaseSmall) ;;
  *) echo "ZIG_SOLVE_OPTIMIZE=$SOLVE_OPT: expected Debug, ReleaseSafe, ReleaseFast or ReleaseSmall" >&2; exit 2 ;;
esac
SOLVE_KEY=$({ echo "zig $ZIG_VERSION -O $SOLVE_OPT $(uname -sm)"; cat "$HERE/solve.zig"; } | sha256sum | cut -c1-16)
SOLVE="$SOLVE_CACHE/solve-$SOLVE_KEY"
SOLVE_BUILD=""
if [[ -x $SOLVE ]]; then
  say "solve.zig unchanged since its last build: $SOLVE"
else
  say "zig build-exe solve.zig -O $SOLVE_OPT (in the background) -> $SOLVE"
  mkdir -p "$SOLVE_CACHE"
  (cd "$HERE" && zig build-exe solve.zig -O "$SOLVE_OPT" --cache-dir "$WORK/zig-cache-solve" \
    -femit-bin="$WORK/solve" >"$WORK/solve-build.log" 2>&1 && mv -f "$WORK/solve" "$SOLVE") &
  SOLVE_BUILD=$!
fi

say "rustc synth.rs (against the day23 library just built)"
# panic=abort: the release profile's, which the library was built with.
(cd "$ROOT" && rustc --edition 2024 -O -C panic=abort "$HERE/synth.rs" \
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
for s in leaky tempcopy pingpong reuse; do
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

REPLAY_SECONDS=$((SECONDS - START))
echo
printf '%s\n' "${RESULTS[@]}"
echo
if [[ $FAILED -ne 0 ]]; then
  say "trace replay FAILED: day23's allocator and Zig $ZIG_VERSION's FixedBufferAllocator differ (or a step failed)"
else
  say "trace replay: all traces identical to Zig $ZIG_VERSION's FixedBufferAllocator"
fi

# --- solver check: solve.zig against day23 --cells zigmap -------------------
CELLS="${ZIG_SOLVE_CELLS:-zigmap}"
JOBS="${ZIG_SOLVE_JOBS:-$(nproc 2>/dev/null || echo 2)}"
FIG="$HERE/figures.py"
MANIFEST="$ROOT/inputs/manifest.json"

[[ -n $SOLVE_BUILD ]] && say "waiting for the build of solve.zig"
if [[ -n $SOLVE_BUILD ]] && ! wait "$SOLVE_BUILD"; then
  echo "zig build-exe solve.zig failed:" >&2
  cat "$WORK/solve-build.log" >&2
  exit 1
fi

# solver_pair NAME INPUT STRATEGY BYTES WANT_EXIT: runs day23 (JSON) and
# solve.zig with the same flags and compares every line; writes one summary
# line to $WORK/solver/NAME/result and ok or FAIL to .../status.
solver_pair() {
  local name=$1 input=$2 strategy=$3 bytes=$4 want=$5
  local dir="$WORK/solver/$1" rc d23_time zig_time verdict=identical outcome answers=""
  # A background job: no errexit here, every failure is handled and reported.
  set +e +o pipefail
  mkdir -p "$dir"

  local TIMEFORMAT='%R %U %S'   # for `time`: wall, user and system seconds
  # solve.zig runs in the background beside day23, so that the largest pair
  # (300x300: about 55 s of CPU for day23, 95 s for solve.zig) takes both
  # cores instead of running its halves one after the other.
  (
    zrc=0
    { time (cd "$ROOT" && "$SOLVE" --strategy "$strategy" --buffer-size "$bytes" "$input" \
      >"$dir/zig.txt" 2>"$dir/zig.stderr"); } 2>"$dir/zig.time" || zrc=$?
    echo "$zrc" >"$dir/zig.rc"
  ) &
  local zig_pid=$!
  rc=0
  { time (cd "$ROOT" && "$DAY23" --input "$input" --strategy "$strategy" --cells "$CELLS" \
    --buffer-size "$bytes" --format json --output "$dir/day23.json" 2>"$dir/day23.stderr"); } 2>"$dir/day23.time" || rc=$?
  d23_time=$(seconds "$dir/day23.time")
  if [[ $rc -ne $want ]]; then
    verdict="FAIL: day23 exited $rc, expected $want: $(head -c 300 "$dir/day23.stderr")"
  elif ! python3 "$FIG" day23 "$dir/day23.json" --cells "$CELLS" >"$dir/day23.txt" 2>"$dir/fig.stderr"; then
    verdict="FAIL: $(head -c 300 "$dir/fig.stderr")"
  fi

  wait "$zig_pid"
  rc=$(cat "$dir/zig.rc" 2>/dev/null || echo 255)   # 255: no status written
  zig_time=$(seconds "$dir/zig.time")
  if [[ $verdict == identical && $rc -ne $want ]]; then
    verdict="FAIL: solve exited $rc, expected $want: $(head -c 300 "$dir/zig.stderr")"
  fi
  if [[ $verdict == identical ]] && ! cmp -s "$dir/day23.txt" "$dir/zig.txt"; then
    local n
    n=$(cmp "$dir/day23.txt" "$dir/zig.txt" 2>&1 | sed -n 's/.*line \([0-9]*\).*/\1/p')
    n=${n:-1}
    verdict="DIFFERENT (first at line $n: day23 '$(sed -n "${n}p" "$dir/day23.txt")', zig '$(sed -n "${n}p" "$dir/zig.txt")')"
  fi
  # The answers of a finished run must also be the manifest's.
  if [[ $verdict == identical && $want -eq 0 ]]; then
    if answers=$(python3 "$FIG" answers "$MANIFEST" "$(basename "$input")" "$dir/zig.txt" 2>"$dir/ans.stderr"); then
      answers="answers $answers = manifest"
    else
      verdict="FAIL: $(head -c 300 "$dir/ans.stderr")"
    fi
  fi

  local last oom
  last=$(grep '^round ' "$dir/zig.txt" | tail -n 1 | cut -d' ' -f2)
  oom=$(grep '^oom ' "$dir/zig.txt" | cut -d' ' -f3,5)
  if [[ -n $oom ]]; then
    outcome="out of memory in round ${oom% *} (${oom#* })"
  else
    outcome="${last:-?} rounds"
  fi
  printf '%-22s %-8s %10s  %-32s %-10s %-16s %-16s %s\n' \
    "$(basename "$input" .txt)" "$strategy" "$(human "$bytes")" "$outcome" \
    "${verdict%% *}" "$d23_time" "$zig_time" "$answers" >"$dir/result"
  if [[ $verdict == identical ]]; then
    echo ok >"$dir/status"
  else
    echo "$name: $verdict" >"$dir/status"
  fi
}

# seconds TIMEFILE: "wall (cpu)" from `time`'s "%R %U %S" line.
seconds() {
  awk '{ printf "%.1f (%.1f)", $1, $2 + $3 }' "$1" 2>/dev/null
}

human() {
  local b=$1
  if ((b % (1 << 30) == 0)); then echo "$((b >> 30)) GiB"
  elif ((b % (1 << 20) == 0)); then echo "$((b >> 20)) MiB"
  else echo "$b B"; fi
}

# The pairs: for every input, leaky with a buffer that lasts to the end (at
# least the default 4 MiB), tempcopy, pingpong and reuse with the default 4 MiB
# (enough for every bundled input), and leaky at the default 4 MiB when that
# runs out of memory (exit 3; same round, same figures up to there).
# The biggest go first so that the pool stays busy.
PAIRS=()   # "cost name input strategy bytes want"
NAMES=()   # the pairs in the order of the summary: manifest order
SKIPPED=()
DEFAULT=$((4 << 20))
# A leaky run needing more than this is left out unless ZIG_SOLVE_FULL=1: of
# the bundled inputs only the 300x300 one (3.5 GiB; README.md says why).
LEAKY_LIMIT=$((1 << 30))
# add_pair COST NAME INPUT STRATEGY BYTES WANT: one pair, unless ZIG_SOLVE_SKIP
# matches NAME.
add_pair() {
  if [[ -n ${ZIG_SOLVE_SKIP:-} && $2 =~ $ZIG_SOLVE_SKIP ]]; then
    SKIPPED+=("$(printf '%-22s %-8s %10s  not run: ZIG_SOLVE_SKIP matches %s' "${3#inputs/}" "$4" "$(human "$5")" "$2")")
    return
  fi
  PAIRS+=("$*")
  NAMES+=("$2")
}
mapfile -t INPUTS < <(python3 -c 'import json,sys; [print(e["file"], e["elves"], max(10, e["part2"])) for e in json.load(open(sys.argv[1]))["inputs"]]' "$MANIFEST")
for line in "${INPUTS[@]}"; do
  read -r file elves rounds <<<"$line"
  [[ $file =~ ${ZIG_SOLVE_ONLY:-.} ]] || continue
  stem=${file%.txt}
  cost=$((elves * rounds))
  full=$(python3 "$FIG" buffer-size "$MANIFEST" "$ROOT/inputs/$file")
  ((full < DEFAULT)) && full=$DEFAULT
  if ((full > LEAKY_LIMIT)) && [[ "${ZIG_SOLVE_FULL:-0}" != 1 ]]; then
    SKIPPED+=("$(printf '%-22s %-8s %10s  not run for time: for 300x300 measured 174 s of CPU for the pair and 4 GB per side (README.md, "Left out by default"); ZIG_SOLVE_FULL=1 runs it' "$stem" leaky "$(human "$full")")")
  else
    add_pair "$cost" "$stem-leaky-full" "inputs/$file" leaky "$full" 0
  fi
  add_pair "$cost" "$stem-tempcopy" "inputs/$file" tempcopy "$DEFAULT" 0
  add_pair "$cost" "$stem-pingpong" "inputs/$file" pingpong "$DEFAULT" 0
  add_pair "$cost" "$stem-reuse" "inputs/$file" reuse "$DEFAULT" 0
  if ((full > DEFAULT)); then
    add_pair 0 "$stem-leaky-4MiB" "inputs/$file" leaky "$DEFAULT" 3
  fi
done
# reuse with room for the input and one map but not the spare: out of memory
# in round 0, on the spare (exit 3; the oom line's figures diffed too).
if [[ gen-70x70-d50-s1.txt =~ ${ZIG_SOLVE_ONLY:-.} ]]; then
  add_pair 0 gen-70x70-d50-s1-reuse-64KiB "$G70" reuse $((64 << 10)) 3
fi
mapfile -t ORDERED < <(printf '%s\n' "${PAIRS[@]}" | sort -s -k1,1nr)

say "solver check: ${#PAIRS[@]} pairs of runs (day23 --cells $CELLS, solve.zig), $JOBS at a time"
SOLVER_START=$SECONDS
for pair in "${ORDERED[@]}"; do
  read -r _ name input strategy bytes want <<<"$pair"
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n || true; done
  solver_pair "$name" "$input" "$strategy" "$bytes" "$want" &
done
wait || true
# Negative control: solve.zig's leaky 4 MiB run of the 70x70 input against
# day23's hashbrown set (--cells hashset), whose sets are 8 bytes smaller.
# It must differ, and by exactly 8 bytes per set in every round.
CONTROL_LINE=""
cdir="$WORK/solver/control-hashset"
mkdir -p "$cdir"
rc=0
(cd "$ROOT" && "$DAY23" --input "$G70" --strategy leaky --cells hashset --buffer-size "$DEFAULT" \
  --format json --output "$cdir/day23.json") 2>"$cdir/day23.stderr" || rc=$?
zrc=0
(cd "$ROOT" && "$SOLVE" --strategy leaky --buffer-size "$DEFAULT" "$G70") >"$cdir/zig.txt" 2>"$cdir/zig.stderr" || zrc=$?
if [[ $rc -eq 3 && $zrc -eq 3 ]] && python3 "$FIG" day23 "$cdir/day23.json" --cells hashset >"$cdir/day23.txt" &&
  ! cmp -s "$cdir/day23.txt" "$cdir/zig.txt" &&
  n=$(python3 "$FIG" control "$cdir/zig.txt" "$cdir/day23.txt" 2>"$cdir/control.stderr"); then
  CONTROL_LINE=$(printf '%-22s %-8s %10s  differs, as it must (negative control, --cells hashset): by 8 bytes per set in %s' gen-70x70-d50-s1 leaky "4 MiB" "$n")
else
  CONTROL_LINE=$(printf '%-22s %-8s %10s  FAIL: negative control (--cells hashset) did not differ as expected (exits %s, %s): %s' gen-70x70-d50-s1 leaky "4 MiB" "$rc" "$zrc" "$(head -c 300 "$cdir/control.stderr" 2>/dev/null)")
  FAILED=1
fi

echo
printf '%-22s %-8s %10s  %-32s %-10s %-16s %-16s %s\n' input strategy buffer outcome result "day23 s (cpu)" "zig s (cpu)" answers
SOLVER_FAILED=0
for name in "${NAMES[@]}"; do
  d="$WORK/solver/$name"
  if [[ -f $d/result ]]; then cat "$d/result"; else echo "$name: no result"; SOLVER_FAILED=1; fi
  if [[ "$(cat "$d/status" 2>/dev/null)" != ok ]]; then
    SOLVER_FAILED=1
    echo "    $(cat "$d/status" 2>/dev/null || echo "$name: no status")" >&2
  fi
done
((${#SKIPPED[@]} == 0)) || printf '%s\n' "${SKIPPED[@]}"
echo "$CONTROL_LINE"
echo
if [[ $SOLVER_FAILED -ne 0 ]]; then
  FAILED=1
  say "solver check FAILED: solve.zig and day23 --cells $CELLS differ (or a run failed) ($((SECONDS - SOLVER_START)) s)"
else
  say "solver check: every figure of every round identical on ${#PAIRS[@]} pairs ($((SECONDS - SOLVER_START)) s)"
fi
if [[ $FAILED -ne 0 ]]; then
  say "FAILED ($((SECONDS - START)) s)"
  exit 1
fi
say "all identical: trace replay and solver check ($((SECONDS - START)) s in all, the replay part $REPLAY_SECONDS s)"
