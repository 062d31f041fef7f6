#!/usr/bin/env bash
# benches/run.sh: every timing target of day23 in one command.
#
#   bash benches/run.sh                  every block, full run counts
#   bash benches/run.sh --quick          fewer runs (a smoke test, ~3 min)
#   bash benches/run.sh --only shapes    one block (repeat --only for more)
#   bash benches/run.sh --no-build       use target/release/day23 as it is
#   DAY23=path/to/day23 bash benches/run.sh   time that binary (no build)
#
# Blocks (names for --only):
#   grid     the bit grid at default flags and at -b 64KiB on the two 70x70
#            inputs, the hash set beside them (targets: median <= 5 ms and
#            <= 4.5 ms)
#   faults   page faults (`perf stat -e page-faults`) of the bit grid at the
#            default 4 MiB against -b 64KiB; user and system time come from
#            the grid block's hyperfine figures
#   shapes   benches/shapes/: -c bitgrid against -c hashset per shape, in one
#            hyperfine run each (buffer from benches/shapes/rounds.sha256);
#            a shape where the bit grid is slower is flagged SLOWER
#   compare  --strategy all on 150x150, -j1 against the default --jobs (the
#            block says so and is skipped when day23 has no --jobs)
#   regress  no regressions: hash set pingpong on 70x70 -q (about 84 ms
#            historically), per-round lines against -q (<= 5% over), and peak
#            RSS from /usr/bin/time (<= both buffers + 4 MiB)
#
#   zigmap   --cells zigmap against --cells hashset on the two 70x70 inputs
#            (target: median <= 1.3x)
#   fixed    the fixed cost of a run: `-i inputs/example.txt -c bitgrid -q`
#            against a hello world that this script builds (in
#            target/bench/hello, with the release profile of Cargo.toml)
#            (target: median <= hello's + 0.3 ms); both timed as installed
#            copies (below), and day23 as linked too, for comparison
#   check    `day23 check` with no arguments, the default manifest (target:
#            median < 60 s)
#   main     the bit grid on the two 70x70 inputs against another
#            revision's binary, built by this script from git (MAIN_REF,
#            default main) in a temporary worktree, or given as
#            MAIN_DAY23=path (target: median <= 0.75x of the revision it is
#            meant to beat); both timed as installed copies (below)
#
# Installed copies: a binary the linker has just written sits in the page
# cache in 4 KiB pieces, and a run of day23 then takes about 11 more page
# faults (0.1 ms) than the same bytes copied with `cp`, as `cargo install`
# copies them (docs/performance.md). The fixed and main blocks time
# copies in target/bench/installed/, every binary copied the same way.
#
# Every comparison is ONE hyperfine run (-N, no shell), so its commands share
# the machine's load; each is run once first to check its exit code and that
# the answers agree. The hyperfine JSON goes to target/bench/<block>-<name>.json,
# and the script ends with a markdown table (min / median / max, user and
# system means, the ratio to the run's first command) and the load average
# before and after. Needs hyperfine, perf, GNU time and python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

quick=0
build=1
only=()
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --only) only+=("${2:?--only needs a block: grid faults shapes compare regress zigmap fixed check main}"); shift ;;
    --only=*) only+=("${1#--only=}") ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
BLOCKS=(grid faults shapes compare regress zigmap fixed check main)
for b in "${only[@]}"; do
  [[ " ${BLOCKS[*]} " == *" $b "* ]] || { echo "unknown block '$b': one of ${BLOCKS[*]}" >&2; exit 2; }
done
want() { ((${#only[@]} == 0)) || [[ " ${only[*]} " == *" $1 "* ]]; }

for tool in hyperfine perf /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "benches/run.sh needs $tool" >&2; exit 2; }
done

if [[ -n ${DAY23:-} ]]; then
  build=0
else
  DAY23="$ROOT/target/release/day23"
fi
if ((build)); then
  echo "==> cargo build --release"
  cargo build --release --quiet
fi
[[ -x $DAY23 ]] || { echo "no binary at $DAY23 (build it, or set DAY23)" >&2; exit 2; }

OUT="$ROOT/target/bench"
mkdir -p "$OUT"
ROWS="$OUT/rows.tsv"     # one line per command, for the summary table
NOTES="$OUT/notes.txt"   # free-form lines printed under the table
: >"$ROWS"
: >"$NOTES"

# Run counts: hyperfine runs each command for at least 3 s, between MIN and
# MAX times (a 20 s command gets MIN runs).
if ((quick)); then MIN=2 MAX=10 WARM=1 PERF_RUNS=5; else MIN=5 MAX=60 WARM=3 PERF_RUNS=30; fi

LOAD_BEFORE=$(uptime)
echo "==> load before: $LOAD_BEFORE"
echo "==> $("$DAY23" --version) at $DAY23 (git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

# installed SRC NAME: copies SRC to target/bench/installed/NAME, as `cargo
# install` copies a binary, and prints the copy's path.
installed() {
  mkdir -p "$OUT/installed"
  rm -f "$OUT/installed/$2"
  cp "$1" "$OUT/installed/$2"
  echo "$OUT/installed/$2"
}

# answers CMD...: the two answer lines of a run, on one line; fails the script
# on a non-zero exit (an out-of-memory run would otherwise be timed as fast).
answers() {
  local out rc=0
  out=$("$@" 2>/dev/null) || rc=$?
  out=$(grep '^Part' <<<"$out" | tr '\n' ' ' || true)
  if ((rc)) || [[ -z $out ]]; then
    echo "FAILED (exit $rc, no answers): $*" >&2
    "$@" >/dev/null || true
    exit 1
  fi
  echo "$out"
}

# bench BLOCK NAME RUNS_ARGS -- LABEL CMD LABEL CMD ...: one hyperfine run of
# the given commands; adds their rows (ratios to the first) to $ROWS.
bench() {
  local block=$1 name=$2 json="$OUT/$1-$2.json"
  shift 2
  local hargs=()
  while [[ $1 != -- ]]; do hargs+=("$1"); shift; done
  shift
  local names=() cmds=()
  while (($#)); do names+=("$1"); cmds+=("$2"); shift 2; done
  local argv=(hyperfine -N --style basic "${hargs[@]}" --export-json "$json")
  local i
  for i in "${!cmds[@]}"; do argv+=(-n "${names[$i]}" "${cmds[$i]}"); done
  echo
  echo "==> [$block] $name"
  "${argv[@]}"
  python3 - "$json" "$block" "$name" >>"$ROWS" <<'PY'
import json, sys
path, block, name = sys.argv[1:]
res = json.load(open(path))["results"]
base = res[0]["median"]
for r in res:
    print("\t".join([block, name, r["command"], "%.6f" % r["min"], "%.6f" % r["median"],
                     "%.6f" % r["max"], "%.6f" % r["user"], "%.6f" % r["system"],
                     "%.3f" % (r["median"] / base), str(len(r["times"]))]))
PY
}

runs=(-m "$MIN" -M "$MAX" -w "$WARM")
G1=inputs/gen-70x70-d50-s1.txt
G2=inputs/gen-70x70-d50-s2.txt

# --- 1. the bit grid on 70x70 -------------------------------------------------
if want grid; then
  for g in "$G1" "$G2"; do
    stem=$(basename "$g" .txt)
    a=$(answers "$DAY23" -i "$g" -q -c bitgrid)
    b=$(answers "$DAY23" -i "$g" -q -c bitgrid -b 64KiB)
    h=$(answers "$DAY23" -i "$g" -q -c hashset)
    [[ $a == "$b" && $a == "$h" ]] || { echo "answers differ on $g: '$a' '$b' '$h'" >&2; exit 1; }
    bench grid "$stem" "${runs[@]}" -- \
      "bitgrid" "$DAY23 -i $g -q -c bitgrid" \
      "bitgrid -b 64KiB" "$DAY23 -i $g -q -c bitgrid -b 64KiB" \
      "hashset" "$DAY23 -i $g -q -c hashset"
  done
fi

# --- 2. page faults -----------------------------------------------------------
if want faults; then
  echo
  echo "==> [faults] perf stat -e page-faults, $PERF_RUNS runs each"
  for g in "$G1" "$G2"; do
    for b in 4MiB 64KiB; do
      line=$(perf stat -x, -e page-faults -r "$PERF_RUNS" "$DAY23" -i "$g" -q -c bitgrid -b "$b" 2>&1 >/dev/null | grep ',page-faults' || true)
      faults=${line%%,*}
      echo "$(basename "$g" .txt) bitgrid -b $b: $faults page faults (mean of $PERF_RUNS)"
      printf 'page faults: %s -c bitgrid -b %s: %s (perf stat, mean of %s runs)\n' "$(basename "$g" .txt)" "$b" "$faults" "$PERF_RUNS" >>"$NOTES"
    done
  done
  want grid || echo "(user and system time: run the grid block too)" >>"$NOTES"
fi

# --- 3. the shape suite -------------------------------------------------------
if want shapes; then
  while read -r file buffer _; do
    [[ -z $file || $file == \#* ]] && continue
    path="benches/shapes/$file"
    stem=$(basename "$file" .txt)
    a=$(answers "$DAY23" -i "$path" -q -c bitgrid -b "$buffer")
    h=$(answers "$DAY23" -i "$path" -q -c hashset -b "$buffer")
    [[ $a == "$h" ]] || { echo "answers differ on $path: bitgrid '$a', hashset '$h'" >&2; exit 1; }
    # the first runs above were the warm-up (the input is in the page cache)
    bench shapes "$stem" -m "$((MIN < 3 ? MIN : 3))" -M "$MAX" -w 0 -- \
      "hashset -b $buffer" "$DAY23 -i $path -q -c hashset -b $buffer" \
      "bitgrid -b $buffer" "$DAY23 -i $path -q -c bitgrid -b $buffer"
  done <benches/shapes/rounds.sha256
fi

# --- 4. comparisons: --strategy all, -j1 against the default ------------------
if want compare; then
  G150=inputs/gen-150x150-d50-s4.txt
  if "$DAY23" --help | grep -q -- '--jobs'; then
    answers "$DAY23" -i "$G150" -s all -q -j1 >/dev/null
    answers "$DAY23" -i "$G150" -s all -q >/dev/null
    bench compare gen-150x150-s-all "${runs[@]}" -- \
      "all strategies, -j1" "$DAY23 -i $G150 -s all -q -j1" \
      "all strategies, default jobs" "$DAY23 -i $G150 -s all -q"
  else
    msg="compare: skipped: this day23 has no --jobs flag (day23 --help does not list it; it comes with the jobs branch)"
    echo
    echo "==> $msg"
    echo "$msg" >>"$NOTES"
  fi
fi

# --- 5. no regressions --------------------------------------------------------
if want regress; then
  answers "$DAY23" -i "$G1" -q >/dev/null
  # Per-round lines go to hyperfine's /dev/null: the cost of formatting and
  # writing them, not of a terminal.
  bench regress gen-70x70-d50-s1-hashset "${runs[@]}" -- \
    "hashset pingpong -q" "$DAY23 -i $G1 -q -c hashset -s pingpong" \
    "hashset pingpong, round lines" "$DAY23 -i $G1 -c hashset -s pingpong"
  bench regress gen-70x70-d50-s1-bitgrid "${runs[@]}" -- \
    "bitgrid pingpong -q" "$DAY23 -i $G1 -q -c bitgrid -s pingpong" \
    "bitgrid pingpong, round lines" "$DAY23 -i $G1 -c bitgrid -s pingpong"
  echo
  echo "==> [regress] peak RSS (/usr/bin/time -f %M, the largest of 5 runs)"
  for cells in hashset bitgrid; do
    for b in 4MiB 64KiB; do
      peak=0
      for _ in 1 2 3 4 5; do
        kb=$( { /usr/bin/time -f '%M' "$DAY23" -i "$G1" -q -c "$cells" -b "$b" >/dev/null; } 2>&1 | tail -n 1)
        ((kb > peak)) && peak=$kb
      done
      case $b in 4MiB) buf=$((4 << 20)) ;; 64KiB) buf=$((64 << 10)) ;; esac
      limit_kib=$(((2 * buf + (4 << 20)) / 1024))
      verdict=ok; ((peak <= limit_kib)) || verdict=OVER
      line="peak RSS: 70x70-s1 -c $cells -s pingpong -b $b: $peak KiB (limit: 2 buffers + 4 MiB = $limit_kib KiB) $verdict"
      echo "$line"
      echo "$line" >>"$NOTES"
    done
  done
fi

# --- 6. the Zig map against the hash set -------------------------------------
if want zigmap; then
  for g in "$G1" "$G2"; do
    stem=$(basename "$g" .txt)
    a=$(answers "$DAY23" -i "$g" -q -c zigmap)
    h=$(answers "$DAY23" -i "$g" -q -c hashset)
    [[ $a == "$h" ]] || { echo "answers differ on $g: zigmap '$a', hashset '$h'" >&2; exit 1; }
    bench zigmap "$stem" "${runs[@]}" -- \
      "hashset" "$DAY23 -i $g -q -c hashset" \
      "zigmap" "$DAY23 -i $g -q -c zigmap"
  done
fi

# --- 7. the fixed cost of a run against a hello world ------------------------
if want fixed; then
  HELLO="$OUT/hello"
  mkdir -p "$HELLO/src"
  # The same release profile as day23's (Cargo.toml), the same toolchain.
  {
    printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n\n'
    sed -n '/^\[profile.release\]/,/^$/p' Cargo.toml
  } >"$HELLO/Cargo.toml"
  echo 'fn main() { println!("Hello, world!"); }' >"$HELLO/src/main.rs"
  echo
  echo "==> [fixed] cargo build --release (hello world, day23's release profile)"
  cargo build --release --quiet --manifest-path "$HELLO/Cargo.toml" --target-dir "$HELLO/target"
  hello=$(installed "$HELLO/target/release/hello" hello)
  day23=$(installed "$DAY23" day23)
  answers "$day23" -i inputs/example.txt -c bitgrid -q >/dev/null
  bench fixed example -w 50 -m 300 -M 1000 -- \
    "hello world" "$hello" \
    "bitgrid example -q" "$day23 -i inputs/example.txt -c bitgrid -q" \
    "day23 --version" "$day23 --version" \
    "bitgrid example -q, as linked" "$DAY23 -i inputs/example.txt -c bitgrid -q"
fi

# --- 8. day23 check with no arguments ----------------------------------------
if want check; then
  "$DAY23" check >/dev/null || { echo "day23 check failed" >&2; exit 1; }
  bench check default -m "$((quick ? 1 : 3))" -M "$((quick ? 1 : 5))" -w 0 -- \
    "day23 check" "$DAY23 check"
fi

# --- 9. the bit grid against another revision's ------------------------------
if want main; then
  MAIN_REF=${MAIN_REF:-main}
  if [[ -z ${MAIN_DAY23:-} ]]; then
    MAIN_TREE=$(mktemp -d)/day23-main
    echo
    echo "==> [main] building $MAIN_REF in $MAIN_TREE (a temporary git worktree)"
    git worktree add --detach "$MAIN_TREE" "$MAIN_REF" >/dev/null
    cargo build --release --quiet --manifest-path "$MAIN_TREE/Cargo.toml" --target-dir "$OUT/main-target"
    MAIN_DAY23="$OUT/main-target/release/day23"
    git worktree remove --force "$MAIN_TREE"
    rmdir "$(dirname "$MAIN_TREE")"
  fi
  echo "main: $MAIN_REF ($MAIN_DAY23)" >>"$NOTES"
  main_day23=$(installed "$MAIN_DAY23" day23-main)
  day23=$(installed "$DAY23" day23)
  for g in "$G1" "$G2"; do
    stem=$(basename "$g" .txt)
    a=$(answers "$main_day23" -i "$g" -q -c bitgrid)
    b=$(answers "$day23" -i "$g" -q -c bitgrid)
    [[ $a == "$b" ]] || { echo "answers differ on $g: main '$a', this '$b'" >&2; exit 1; }
    bench main "$stem" "${runs[@]}" -- \
      "main bitgrid" "$main_day23 -i $g -q -c bitgrid" \
      "bitgrid" "$day23 -i $g -q -c bitgrid"
  done
fi

LOAD_AFTER=$(uptime)

# --- the summary --------------------------------------------------------------
echo
echo "## benches/run.sh summary$( ((quick)) && echo ' (--quick)')"
echo
echo "- load before: \`${LOAD_BEFORE# }\`"
echo "- load after:  \`${LOAD_AFTER# }\`"
echo "- binary: \`$DAY23\` at git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); JSON in \`target/bench/\`"
echo
python3 - "$ROWS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
# Targets by block and command label: (limit in seconds of the median, text).
mins = {}
medians = {}
for r in rows:
    mins.setdefault((r[0], r[1]), float(r[3]))
    medians.setdefault((r[0], r[1]), float(r[4]))
def target(block, name, cmd, mn, median, ratio):
    if block == "grid" and cmd == "bitgrid":
        return ("<= 5 ms: " + ("ok" if median <= 0.005 else "MISSED"))
    if block == "grid" and cmd == "bitgrid -b 64KiB":
        return ("<= 4.5 ms: " + ("ok" if median <= 0.0045 else "MISSED"))
    if block == "shapes" and cmd.startswith("bitgrid"):
        # the ratio of the minimums too: under load the medians are noisy
        r_min = float(mn) / mins[(block, name)]
        return "bitgrid/hashset %.2fx (mins %.2fx): %s" % (
            ratio, r_min, "ok" if ratio <= 1.0 else "SLOWER")
    if block == "zigmap" and cmd == "zigmap":
        r_min = float(mn) / mins[(block, name)]
        return "zigmap/hashset %.2fx (mins %.2fx) <= 1.3x: %s" % (
            ratio, r_min, "ok" if ratio <= 1.3 else "MISSED")
    if block == "fixed" and cmd == "bitgrid example -q":
        base = medians[(block, name)]
        return "+%.2f ms over hello (mins +%.2f ms) <= 0.3 ms: %s" % (
            (median - base) * 1000, (float(mn) - mins[(block, name)]) * 1000,
            "ok" if median - base <= 0.0003 else "MISSED")
    if block == "fixed" and cmd == "bitgrid example -q, as linked":
        base = medians[(block, name)]
        return "+%.2f ms over hello (mins +%.2f ms), for comparison" % (
            (median - base) * 1000, (float(mn) - mins[(block, name)]) * 1000)
    if block == "check":
        return "< 60 s: " + ("ok" if median < 60 else "MISSED")
    if block == "main" and cmd == "bitgrid":
        # the medians alone swing with the load: both ratios must be met
        r_min = float(mn) / mins[(block, name)]
        return "this/main %.2fx (mins %.2fx) <= 0.75x: %s" % (
            ratio, r_min, "ok" if max(ratio, r_min) <= 0.75 else "MISSED")
    if block == "regress" and cmd == "hashset pingpong -q":
        return "about 84 ms historically"
    if block == "regress" and "round lines" in cmd:
        return "<= 5%% over -q: %+.1f%% %s" % ((ratio - 1) * 100, "ok" if ratio <= 1.05 else "OVER")
    return ""
def ms(s):
    return "%.1f" % (float(s) * 1000)
print("| block | input | command | min ms | median ms | max ms | user ms | sys ms | ratio | runs | target |")
print("|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|")
for block, name, cmd, mn, med, mx, user, system, ratio, n in rows:
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %sx | %s | %s |" % (
        block, name, cmd.replace("|", "\\|"), ms(mn), ms(med), ms(mx), ms(user), ms(system),
        "%.2f" % float(ratio), n, target(block, name, cmd, mn, float(med), float(ratio))))
PY
if [[ -s $NOTES ]]; then
  echo
  sed 's/^/- /' "$NOTES"
fi
