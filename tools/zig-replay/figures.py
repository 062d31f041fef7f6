#!/usr/bin/env python3
"""Helpers for check.sh's solver check (solve.zig against day23).

  figures.py day23 JSON [--cells C]
      Writes day23's `--format json` report of one strategy in solve.zig's line
      format (see solve.zig), so the two can be compared with `cmp`/`diff`:
      every round's elves moved and every buffer's end_index (`bytes_in_use`),
      both answers, and the out-of-memory event if there was one. With
      --cells, fails unless the report says it used those cells.

  figures.py buffer-size MANIFEST INPUT_FILE
      A leaky buffer that lasts the whole run for both sides: the input, 64
      bytes of padding, and one Zig map for round 0 plus one per round (24 +
      9 * capacity, capacity the power of two above elves * 100 / 80, as
      std.HashMap reserves it). Rounded up to a whole MiB.

  figures.py answers MANIFEST INPUT_NAME SOLVE_OUTPUT
      Prints "part1 part2" from the manifest and fails if solve.zig's output
      has other answers.

  figures.py control ZIG DAY23
      The negative control: solve.zig's leaky output against day23 --cells
      hashset's. Everything must be equal except that main's figure in round r
      is 8 * (r + 1) bytes larger (every set so far, 36,888 against 36,880
      bytes, and no padding either way), and the out-of-memory line's
      in_use (8 bytes per set) and requested (8 bytes) figures.
"""

import json
import os
import sys


def day23(path, cells=None):
    with open(path) as f:
        report = json.load(f)
    (s,) = report["strategies"]
    if cells is not None and s.get("cells") != cells:
        sys.exit(f"{path}: cells {s.get('cells')!r}, expected {cells!r}")
    out = [f"strategy {s['strategy']} buffer_size {s['buffer_size_bytes']}", f"elves {s['elves']}"]
    for r in s["rounds"]:
        bufs = "".join(f" {b['name']} {b['bytes_in_use']}" for b in r["buffers"])
        out.append(f"round {r['round']} moved {r['elves_moved']}{bufs}")
    for part in ("part1", "part2"):
        v = s["answers"][part]
        out.append(f"{part} {'-' if v is None else v}")
    o = s["outcome"]
    if o["kind"] == "out_of_memory":
        out.append(
            f"oom round {o['round']} buffer {o['buffer']} in_use {o['bytes_in_use']} requested {o['requested_bytes']}"
        )
    elif o["kind"] != "finished":
        sys.exit(f"{path}: outcome {o['kind']!r}")
    print("\n".join(out))


def manifest_entry(manifest, name):
    with open(manifest) as f:
        for e in json.load(f)["inputs"]:
            if e["file"] == name:
                return e
    sys.exit(f"{name} is not in {manifest}")


def buffer_size(manifest, input_file):
    e = manifest_entry(manifest, os.path.basename(input_file))
    need = e["elves"] * 100 // 80 + 1
    cap = 1 << (need - 1).bit_length()
    rounds = max(10, e["part2"])
    size = os.path.getsize(input_file) + 64 + (rounds + 1) * (24 + 9 * cap)
    mib = 1 << 20
    print((size + mib - 1) // mib * mib)


def answers(manifest, name, solve_output):
    e = manifest_entry(manifest, name)
    got = {}
    with open(solve_output) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            if k in ("part1", "part2"):
                got[k] = v
    want = {"part1": str(e["part1"]), "part2": str(e["part2"])}
    print(want["part1"], want["part2"])
    if got != want:
        sys.exit(f"{solve_output}: answers {got}, the manifest says {want}")


def control(zig_path, day23_path):
    with open(zig_path) as f:
        zig = [line.split() for line in f]
    with open(day23_path) as f:
        d23 = [line.split() for line in f]
    if len(zig) != len(d23):
        sys.exit(f"control: {len(zig)} lines against {len(d23)}")
    diffs = 0
    rounds = 0
    oom = False
    for z, d in zip(zig, d23):
        if z[0] == "round":
            # round R moved M main N
            r = int(z[1])
            if z[:5] != d[:5] or len(z) != 6 or len(d) != 6:
                sys.exit(f"control: {' '.join(z)!r} against {' '.join(d)!r}")
            delta = int(z[5]) - int(d[5])
            if delta != 8 * (r + 1):
                sys.exit(f"control: round {r}: main differs by {delta}, not {8 * (r + 1)}")
            diffs += delta != 0
            rounds += 1
        elif z[0] == "oom":
            # oom round R buffer B in_use N requested N
            r = int(z[2])
            ok = (
                z[:5] == d[:5]
                and int(z[6]) - int(d[6]) == 8 * r
                and int(z[8]) - int(d[8]) == 8
            )
            if not ok:
                sys.exit(f"control: {' '.join(z)!r} against {' '.join(d)!r}")
            diffs += 1
            oom = True
        elif z != d:
            sys.exit(f"control: {' '.join(z)!r} against {' '.join(d)!r}")
    if diffs == 0:
        sys.exit("control: no difference at all")
    print(f"{rounds} rounds (0 to {rounds - 1})" + (" and the out-of-memory line" if oom else ""))


def main():
    args = sys.argv[1:]
    if args[:1] == ["day23"] and len(args) in (2, 4):
        cells = args[3] if len(args) == 4 and args[2] == "--cells" else None
        day23(args[1], cells)
    elif args[:1] == ["buffer-size"] and len(args) == 3:
        buffer_size(args[1], args[2])
    elif args[:1] == ["answers"] and len(args) == 4:
        answers(args[1], args[2], args[3])
    elif args[:1] == ["control"] and len(args) == 3:
        control(args[1], args[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
