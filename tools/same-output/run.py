#!/usr/bin/env python3
"""same-output: does a new day23 binary show a user exactly what an old one did?

    python3 tools/same-output/run.py OLD NEW [--quick] [-j N] [--filter TEXT] [--list]

Runs both binaries over a matrix of command lines (every bundled input x
strategy x cell kind x allocator x buffer size, then every output format,
output file, layout, trace, plot, report, check, generate, help and error
case) and compares, byte for byte, standard output, standard error, the exit
code and every file a run leaves in its working directory. Each run gets a
fresh temporary directory as its working directory, HOME and TMPDIR; inputs
are named by absolute path into the repository's inputs/, output files by
relative names. Only what varies from one run of the same binary to the next
is normalised: the temporary directory's path, and `check`'s timings (its
lines' and summary's seconds, JUnit `time=`). See README.md beside this file.

Prints each failing case with its first differing lines, then
`same-output: N cases, N passed, N failed`; exits 0 iff none failed.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"
# A case still running after this long fails (both binaries are compared on
# what a user sees, and "never finishes" is something a user sees).
TIMEOUT_S = 600

STRATEGIES = ["leaky", "tempcopy", "pingpong", "reuse", "heap", "all"]
CELLS = ["hashset", "zigmap", "bitgrid", "all"]
ALLOCATORS = ["zig", "bumpalo"]
# None: the default (4 MiB). 10 bytes runs out in round 0 (before the input is
# even copied), 4000 runs leaky out part way through the examples, 20000 holds
# the examples and runs every full-size input out in round 0.
BUFFERS = [None, "10", "4000", "20000"]
# Inputs whose hash-set and Zig-map runs take seconds (150x150) to a minute
# (300x300) per strategy when they are not cut short by a small buffer: the
# matrix keeps only their bit-grid and out-of-memory runs, and a few curated
# cases below run them in full.
BIG_INPUT_BYTES = 10_000

EXAMPLE = (INPUTS / "example.txt").read_bytes()


@dataclasses.dataclass
class Case:
    name: str
    args: list[str]
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    stdin: bytes | None = None
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    # In --quick's subset: True, False, or None for every other case of its
    # group (similar cases sit next to each other, so half of each kind).
    quick: bool | None = None

    def command(self) -> str:
        """The command line as a person would type it in the repository."""
        shown = []
        for a in self.args:
            if a.startswith(str(ROOT) + os.sep):
                a = os.path.relpath(a, ROOT)
            shown.append(shlex.quote(a))
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        return (env + " " if env else "") + "day23 " + " ".join(shown)


def inp(name: str) -> str:
    return str(INPUTS / name)


# --- the cases -------------------------------------------------------------


def matrix() -> list[Case]:
    """Every input x strategy x cell kind x allocator x buffer size."""
    cases = []
    index = 0
    for path in sorted(INPUTS.glob("*.txt")):
        big = path.stat().st_size > BIG_INPUT_BYTES
        for strategy in STRATEGIES:
            for cells in CELLS:
                for allocator in ALLOCATORS:
                    for buf in BUFFERS:
                        index += 1
                        slow_cells = cells in ("hashset", "zigmap", "all")
                        # heap never runs out, so a small buffer does not cut it short
                        runs_long = buf is None or strategy in ("heap", "all")
                        if big and slow_cells and runs_long:
                            continue
                        args = ["-i", str(path), "-s", strategy, "-c", cells]
                        if allocator != "zig":
                            args += ["--allocator", allocator]
                        if buf is not None:
                            args += ["-b", buf]
                        name = f"solve/{path.stem}/{strategy}/{cells}/{allocator}/b{buf or 'default'}"
                        # --quick: every 29th, which walks through every value of
                        # every dimension (29 is prime to each dimension's size)
                        cases.append(Case(name, args, quick=index % 29 == 0))
    return cases


def big_cases() -> list[Case]:
    """The full-size runs the matrix leaves out: a few per big input (the
    300x300 report alone is about 25 s a binary, 79 MB)."""
    c150, c300 = inp("gen-150x150-d50-s4.txt"), inp("gen-300x300-d50-s5.txt")
    cases = [
        ("150x150/pingpong/hashset", ["-i", c150, "-s", "pingpong"]),
        ("150x150/all/hashset", ["-i", c150, "-s", "all", "-c", "hashset", "-q"]),
        ("150x150/leaky/zigmap", ["-i", c150, "-s", "leaky", "-c", "zigmap"]),
        ("150x150/reuse/hashset/bumpalo/json",
         ["-i", c150, "-s", "reuse", "--allocator", "bumpalo", "-f", "json", "-o", "out.json"]),
        ("150x150/pingpong/bitgrid/report", ["-i", c150, "-s", "pingpong", "-c", "bitgrid", "--report", "r.html"]),
        ("300x300/leaky/hashset", ["-i", c300, "-s", "leaky"]),
        ("300x300/leaky/zigmap/bumpalo", ["-i", c300, "-s", "leaky", "-c", "zigmap", "--allocator", "bumpalo"]),
        ("300x300/pingpong/hashset", ["-i", c300, "-s", "pingpong", "-q"]),
        ("300x300/all/bitgrid/json+plot", ["-i", c300, "-s", "all", "-c", "bitgrid", "-f", "json", "-o", "o.json",
                                           "--plot", "p.svg"]),
        ("300x300/pingpong/bitgrid/report", ["-i", c300, "-s", "pingpong", "-c", "bitgrid", "--report", "r.html"]),
    ]
    return [Case("big/" + name, args, quick=False) for name, args in cases]


def output_cases() -> list[Case]:
    """Formats, output files, layouts, traces, plots, reports, flags."""
    ex, g70, g40 = inp("example.txt"), inp("gen-70x70-d50-s1.txt"), inp("gen-40x90-d30-s3.txt")
    cases = []
    add = lambda name, args, **kw: cases.append(Case("out/" + name, args, **kw))  # noqa: E731

    # -f, -o: every format to stdout and to a file
    for label, path in (("example", ex), ("70x70", g70)):
        for strategy in ("pingpong", "leaky", "all"):
            for fmt in ("text", "json", "csv"):
                base = ["-i", path, "-s", strategy, "-f", fmt]
                add(f"format/{label}/{strategy}/{fmt}", base)
                add(f"format/{label}/{strategy}/{fmt}/-o", base + ["-o", f"out.{fmt}"])
    for fmt in ("text", "json", "csv"):
        add(f"format/example/all-cells/{fmt}", ["-i", ex, "-s", "all", "-c", "all", "-f", fmt, "-o", f"o.{fmt}"])
        add(f"format/example/bumpalo/{fmt}", ["-i", ex, "-s", "all", "--allocator", "bumpalo", "-f", fmt])
        add(f"format/example/leaky-oom/{fmt}", ["-i", ex, "-s", "leaky", "-b", "4000", "-f", fmt, "-o", f"o.{fmt}"])
        add(f"format/70x70/all-cells-b64k/{fmt}",
            ["-i", g70, "-s", "all", "-c", "all", "-b", "64KiB", "-f", fmt], quick=fmt == "csv")
    add("format/-o-dash", ["-i", ex, "-o", "-"])
    add("format/-o-in-subdir", ["-i", ex, "-s", "all", "-o", "sub/out.txt"], files={"sub/.keep": b""})
    add("format/-o-over-existing", ["-i", ex, "-o", "old.txt"], files={"old.txt": b"previous contents\n" * 50})

    # --layout and its variants
    layouts = [
        ["--layout"], ["--layout", "end"], ["--layout", "phases"], ["--layout-every", "5"],
        ["--layout-every", "1"], ["--layout", "phases", "--layout-every", "3"],
    ]
    for i, lay in enumerate(layouts):
        for strategy in ("leaky", "pingpong", "tempcopy", "all"):
            add(f"layout/{'_'.join(lay)}/{strategy}", ["-i", ex, "-s", strategy, "--width", "72"] + lay)
        add(f"layout/{'_'.join(lay)}/bumpalo", ["-i", ex, "-s", "all", "--allocator", "bumpalo", "--width", "90"] + lay)
        add(f"layout/{'_'.join(lay)}/cells-all", ["-i", ex, "-s", "reuse", "-c", "all", "--width", "60"] + lay)
        add(f"layout/{'_'.join(lay)}/70x70-b64k",
            ["-i", g70, "-s", "all", "-b", "64KiB", "--max-rounds", "30"] + lay, quick=i < 2)
    for width in ("40", "41", "80", "133", "1000"):
        add(f"layout/width-{width}", ["-i", ex, "-s", "leaky", "-b", "6448", "--layout-every", "5", "--width", width])
    add("layout/COLUMNS=100", ["-i", ex, "-s", "leaky", "--layout"], env={"COLUMNS": "100"})
    add("layout/COLUMNS=50-width-120", ["-i", ex, "--layout", "--width", "120"], env={"COLUMNS": "50"})
    add("layout/default-width", ["-i", ex, "-s", "pingpong", "--layout", "phases", "--max-rounds", "2"])
    add("layout/json-o", ["-i", ex, "-s", "all", "--layout", "-f", "json", "-o", "out.json"])
    add("layout/csv-o", ["-i", ex, "--layout", "phases", "-f", "csv", "-o", "out.csv"])
    add("layout/quiet", ["-i", ex, "--layout", "-q"])

    # --trace, --plot, --report
    for strategy in ("leaky", "tempcopy", "pingpong", "reuse", "heap", "all"):
        add(f"trace/{strategy}", ["-i", ex, "-s", strategy, "--trace", "trace.txt"])
        add(f"plot/{strategy}", ["-i", ex, "-s", strategy, "--plot", "plot.svg"])
        add(f"report/{strategy}", ["-i", ex, "-s", strategy, "--report", "report.html"])
    add("trace/cells-all", ["-i", ex, "-s", "all", "-c", "all", "--trace", "t.txt", "-q"])
    add("trace/leaky-oom", ["-i", ex, "-s", "leaky", "-b", "4000", "--trace", "t.txt"])
    add("trace/70x70-zigmap", ["-i", g70, "-s", "tempcopy", "-c", "zigmap", "--trace", "t.txt", "--max-rounds", "40"])
    add("trace/with-json", ["-i", ex, "-s", "leaky,pingpong", "--trace", "t.txt", "-f", "json", "-o", "o.json"])
    add("plot/cells-all-bumpalo", ["-i", ex, "-s", "all", "-c", "all", "--allocator", "bumpalo", "--plot", "p.svg"])
    add("plot/70x70-all", ["-i", g70, "-s", "all", "--plot", "p.svg", "-q"])
    add("plot/40x90-oom", ["-i", g40, "-s", "leaky", "-b", "64KiB", "--plot", "p.svg"])
    add("report/cells-all", ["-i", ex, "-s", "all", "-c", "all", "--report", "r.html"])
    add("report/bumpalo", ["-i", ex, "-s", "all", "--allocator", "bumpalo", "--report", "r.html"])
    add("report/leaky-oom", ["-i", ex, "-s", "leaky", "-b", "4000", "--report", "r.html"])
    add("report/70x70-all", ["-i", g70, "-s", "all", "--report", "r.html"], quick=False)
    add("report/70x70-bitgrid", ["-i", g70, "-s", "pingpong", "-c", "bitgrid", "--report", "r.html"])
    add("everything", ["-i", g40, "-s", "all", "-c", "bitgrid,hashset", "-f", "json", "-o", "o.json",
                       "--trace", "t.txt", "--plot", "p.svg", "--report", "r.html", "--layout-every", "50"])

    # rounds, heap input, quiet, jobs, lists
    for n in ("0", "1", "3", "10", "25"):
        add(f"max-rounds/{n}", ["-i", ex, "--max-rounds", n])
        add(f"max-rounds/{n}/all", ["-i", ex, "-s", "all", "-c", "all", "--max-rounds", n])
    add("max-rounds/70x70-leaky", ["-i", g70, "-s", "leaky", "--max-rounds", "50"])
    for strategy in STRATEGIES:
        add(f"input-on-heap/{strategy}", ["-i", ex, "-s", strategy, "--input-on-heap"])
        add(f"quiet/{strategy}", ["-i", ex, "-s", strategy, "-q"])
        add(f"quiet-long/{strategy}", ["-i", ex, "-s", strategy, "--quiet", "-b", "4000"])
    add("input-on-heap/b0-tempcopy", ["-i", ex, "-s", "tempcopy", "-b", "0", "--input-on-heap"])
    add("input-on-heap/bumpalo", ["-i", ex, "-s", "all", "--allocator", "bumpalo", "--input-on-heap"])
    for jobs in ("1", "2", "3", "16"):
        add(f"jobs/{jobs}", ["-i", ex, "-s", "all", "-c", "all", "--jobs", jobs])
        add(f"jobs/{jobs}/70x70", ["-i", g70, "-s", "all", "-c", "all", "-b", "64KiB", "-j", jobs, "-f", "csv"])
    add("list/leaky,heap", ["-i", ex, "-s", "leaky,heap", "-b", "4000"])
    add("list/tempcopy,heap", ["-i", ex, "-s", "tempcopy,heap", "-b", "1000"])
    add("list/repeated-s", ["-i", ex, "-s", "leaky", "-s", "pingpong"])
    add("list/duplicate", ["-i", ex, "-s", "leaky,leaky,pingpong"])
    add("list/all-and-one", ["-i", ex, "-s", "all,leaky"])
    add("list/cells", ["-i", ex, "-s", "pingpong", "-c", "hashset,bitgrid"])
    add("list/cells-reversed", ["-i", ex, "-s", "heap,leaky", "-c", "bitgrid,zigmap"])
    add("buffer/exact-6448", ["-i", ex, "-s", "leaky", "-b", "6448"])
    add("buffer/6447", ["-i", ex, "-s", "leaky", "-b", "6447"])
    add("buffer/reuse-671", ["-i", ex, "-s", "reuse", "-b", "671"])
    add("buffer/reuse-672", ["-i", ex, "-s", "reuse", "-b", "672", "-q"])
    add("buffer/b0", ["-i", ex, "-b", "0"])
    add("buffer/b0-heap", ["-i", ex, "-b", "0", "-s", "heap", "-q"])
    for size in ("64KiB", "1MiB", "2MB", "100kB", "1GiB"):
        add(f"buffer/units-{size}", ["-i", ex, "-s", "leaky", "-b", size, "-q"])
    add("buffer/1TiB-heap", ["-i", ex, "-b", "1TiB", "-s", "heap", "-q"])
    add("buffer/70x70-leaky-prediction", ["-i", g70, "-s", "leaky", "-b", "35778576", "-q"], quick=False)
    add("buffer/70x70-leaky-one-less", ["-i", g70, "-s", "leaky", "-b", "35778575", "-q"], quick=False)

    # colour
    for color in ("always", "never", "auto"):
        add(f"color/{color}/oom", ["-i", ex, "-s", "leaky", "-b", "4000", "--color", color])
        add(f"color/{color}/table", ["-i", ex, "-s", "all", "-b", "4000", "--color", color])
        add(f"color/{color}/missing", ["-i", "/no/such/input.txt", "--color", color])
        add(f"color/{color}/bad-flag", ["--colour", color])
    add("color/NO_COLOR", ["-i", ex, "-s", "all", "-b", "4000"], env={"NO_COLOR": "1"})
    add("color/NO_COLOR-empty", ["-i", ex, "-s", "all", "-b", "4000"], env={"NO_COLOR": ""})
    add("color/CLICOLOR_FORCE", ["-i", ex, "-s", "all", "-b", "4000"], env={"CLICOLOR_FORCE": "1"})
    add("color/CLICOLOR_FORCE+NO_COLOR", ["-i", "nope.txt"], env={"CLICOLOR_FORCE": "1", "NO_COLOR": "1"})
    add("color/bad-value", ["-i", ex, "--color", "sometimes"])

    # standard input
    add("stdin/example", ["-i", "-"], stdin=EXAMPLE)
    add("stdin/quiet", ["--input", "-", "-q"], stdin=EXAMPLE)
    add("stdin/all", ["-i", "-", "-s", "all", "-c", "all"], stdin=EXAMPLE)
    add("stdin/leaky-512", ["-i", "-", "-s", "leaky", "-b", "512", "-q"], stdin=EXAMPLE)
    add("stdin/empty", ["-i", "-"], stdin=b"")
    add("stdin/bad", ["-i", "-"], stdin=b"#.#\n#?#\n")
    return cases


BAD_INPUTS = {
    "empty.txt": b"",
    "newline.txt": b"\n",
    "no-elves.txt": b"....\n....\n",
    "bad-char.txt": b"..#\n.x#\n",
    "bad-char-late.txt": EXAMPLE + b"#..O\n",
    "tab.txt": b"#\t#\n",
    "space.txt": b"# #\n",
    "crlf.txt": EXAMPLE.replace(b"\n", b"\r\n"),
    "cr-only.txt": EXAMPLE.replace(b"\n", b"\r"),
    "no-final-newline.txt": EXAMPLE.rstrip(b"\n"),
    "blank-lines.txt": b"\n\n" + EXAMPLE + b"\n\n",
    "blank-line-inside.txt": b"#.#\n\n#.#\n",
    "ragged.txt": b"#.#\n##\n.#.##\n",
    "utf8.txt": "#é#\n".encode(),
    "binary.txt": bytes(range(256)),
    "bom.txt": b"\xef\xbb\xbf" + EXAMPLE,
    "one-elf.txt": b"#\n",
}


def error_cases() -> list[Case]:
    ex = inp("example.txt")
    cases = []
    add = lambda name, args, **kw: cases.append(Case("err/" + name, args, **kw))  # noqa: E731

    for fname, content in BAD_INPUTS.items():
        add(f"input/{fname}", ["-i", fname], files={fname: content})
        add(f"input/{fname}/all", ["-i", fname, "-s", "all", "-c", "all"], files={fname: content},
            quick=fname in ("bad-char.txt", "crlf.txt", "empty.txt"))
    add("input/missing-relative", ["-i", "nope.txt"])
    add("input/missing-absolute", ["-i", "/no/such/file.txt"])
    add("input/missing-with-output", ["-i", "/no/such/input.txt", "-o", "/no/such/dir/out"])
    add("input/directory", ["-i", "."])
    add("input/dev-null", ["-i", "/dev/null"])
    add("input/missing-flag", ["-s", "leaky"])
    add("input/no-args", [])
    add("input/no-value", ["-i"])

    add("flag/unknown-long", ["-i", ex, "--bogus"])
    add("flag/unknown-short", ["-i", ex, "-z"])
    add("flag/typo", ["-i", ex, "--stratgy", "leaky"])
    add("flag/positional", [ex])
    add("flag/twice", ["-i", ex, "-i", ex])
    add("strategy/unknown", ["-i", ex, "-s", "arena"])
    add("strategy/empty", ["-i", ex, "-s", ""])
    add("strategy/list-bad", ["-i", ex, "-s", "leaky,arena"])
    add("strategy/trailing-comma", ["-i", ex, "-s", "leaky,"])
    add("cells/unknown", ["-i", ex, "-c", "btree"])
    add("allocator/unknown", ["-i", ex, "--allocator", "jemalloc"])
    add("allocator/fba", ["-i", ex, "--allocator", "fba"])
    add("allocator/bumpalo-heap", ["-i", ex, "-s", "heap", "--allocator", "bumpalo"])
    add("allocator/bumpalo-trace", ["-i", ex, "--allocator", "bumpalo", "--trace", "t.txt"])
    add("allocator/list", ["-i", ex, "--allocator", "zig,bumpalo"])
    for size in ("1x", "lots", "-5", "1.5MiB", "16EiB", "", "4 MiB", "99999999999999999999", "1TiB"):
        add(f"size/{size or 'empty'}", ["-i", ex, "-b", size])
    add("size/=-5", ["-i", ex, "--buffer-size=-5"])
    add("jobs/=-1", ["-i", ex, "-s", "all", "--jobs=-1"])
    add("max-rounds/=-3", ["-i", ex, "--max-rounds=-3"])
    add("size/2TiB-heap-all", ["-i", ex, "-b", "2TiB", "-s", "all"])
    add("jobs/0", ["-i", ex, "-s", "all", "-j", "0"])
    add("jobs/-1", ["-i", ex, "-s", "all", "-j", "-1"])
    add("jobs/x", ["-i", ex, "--jobs", "x"])
    add("max-rounds/-3", ["-i", ex, "--max-rounds", "-3"])
    add("max-rounds/x", ["-i", ex, "--max-rounds", "x"])
    add("width/39", ["-i", ex, "--layout", "--width", "39"])
    add("width/1001", ["-i", ex, "--layout", "--width", "1001"])
    add("width/without-layout", ["-i", ex, "--width", "60"])
    add("layout/bad", ["-i", ex, "--layout", "start"])
    add("layout-every/0", ["-i", ex, "--layout-every", "0"])
    add("layout/json-no-output", ["-i", ex, "--layout", "-f", "json"])
    add("format/unknown", ["-i", ex, "-f", "xml"])
    add("output/missing-dir", ["-i", ex, "-o", "nodir/out.txt"])
    add("output/is-dir", ["-i", ex, "-o", "."])
    add("output/dev-full", ["-i", ex, "-s", "all", "-o", "/dev/full"])
    add("trace/missing-dir", ["-i", ex, "--trace", "nodir/t.txt"])
    add("trace/dev-full", ["-i", ex, "-q", "--trace", "/dev/full"])
    add("trace/no-value", ["-i", ex, "--trace"])
    add("plot/missing-dir", ["-i", ex, "--plot", "nodir/p.svg"])
    add("report/missing-dir", ["-i", ex, "--report", "nodir/r.html"])
    add("report/over-input", ["-i", "ex.txt", "--report", "ex.txt"], files={"ex.txt": EXAMPLE})
    add("output/over-input", ["-i", "ex.txt", "-o", "ex.txt"], files={"ex.txt": EXAMPLE})
    add("output/same-as-trace", ["-i", ex, "-o", "x.txt", "--trace", "x.txt"])
    add("subcommand/unknown", ["solve"])
    return cases


def meta_cases() -> list[Case]:
    """--help, --version, subcommands' help, completions, the man page."""
    cases = []
    add = lambda name, args: cases.append(Case("meta/" + name, args, quick=True))  # noqa: E731
    for flag in ("--help", "-h", "--version", "-V"):
        add(f"top{flag}", [flag])
    add("help", ["help"])
    for sub in ("generate", "check", "completions", "man", "help"):
        add(f"help-{sub}", ["help", sub])
        add(f"{sub}--help", [sub, "--help"])
        add(f"{sub}-h", [sub, "-h"])
    add("help-bogus", ["help", "bogus"])
    add("help-with-input", ["-i", inp("example.txt"), "--help"])
    add("version-with-input", ["-i", inp("example.txt"), "-V"])
    for shell in ("bash", "zsh", "fish", "elvish", "powershell"):
        add(f"completions/{shell}", ["completions", shell])
    add("completions/tcsh", ["completions", "tcsh"])
    add("completions/none", ["completions"])
    add("completions/color", ["completions", "bash", "--color", "always"])
    add("man", ["man"])
    add("man/color-never", ["man", "--color", "never"])
    add("man/extra", ["man", "extra"])
    return cases


def generate_cases() -> list[Case]:
    cases = []
    add = lambda name, args, **kw: cases.append(Case("generate/" + name, args, **kw))  # noqa: E731
    sizes = [
        ("5", "5", None, None), ("10", "3", "0.1", "1"), ("70", "70", "0.5", "1"), ("70", "70", "0.5", "2"),
        ("1", "1", "1", None), ("3", "3", "0", None), ("100", "1", "0.9", "7"), ("1", "60", "0.6", "7"),
        ("150", "150", None, "4"), ("64", "64", "0.333", "18446744073709551615"), ("300", "300", "0.5", "5"),
    ]
    for w, h, d, s in sizes:
        args = ["generate", "--width", w, "--height", h]
        if d is not None:
            args += ["--density", d]
        if s is not None:
            args += ["--seed", s]
        name = f"{w}x{h}-d{d}-s{s}"
        add(name, args)
        add(name + "/-o", args + ["-o", "gen.txt"])
    add("20x20-s3/-o-existing", ["generate", "--width", "20", "--height", "20", "--seed", "3", "-o", "g.txt"],
        files={"g.txt": b"old contents\n" * 100})
    add("bad/density=-0.1", ["generate", "--width", "5", "--height", "5", "--density=-0.1"])
    add("bad/seed=-1", ["generate", "--width", "5", "--height", "5", "--seed=-1"])
    for bad in (["--density", "1.5"], ["--density", "-0.1"], ["--density", "abc"], ["--density", "nan"],
                ["--seed", "-1"], ["--width", "0"], ["--width", "x"]):
        base = {"--width": "5", "--height": "5"}
        flags = dict(base)
        flags[bad[0]] = bad[1]
        args = ["generate"] + [x for kv in flags.items() for x in kv]
        add("bad" + "".join(bad), args)
    add("bad/height-0", ["generate", "--width", "5", "--height", "0"])
    add("bad/missing-height", ["generate", "--width", "5"])
    add("bad/no-flags", ["generate"])
    add("bad/output-missing-dir", ["generate", "--width", "5", "--height", "5", "-o", "nodir/g.txt"])
    add("bad/input-flag", ["generate", "--width", "5", "--height", "5", "-i", "x"])
    return cases


def manifest(*entries: str) -> bytes:
    return ('{"inputs": [' + ", ".join(entries) + "]}\n").encode()


def check_cases() -> list[Case]:
    quick_json, full_json = inp("quick.json"), inp("manifest.json")
    cases = []
    add = lambda name, args, **kw: cases.append(Case("check/" + name, args, **kw))  # noqa: E731

    add("quick/bitgrid/junit", ["check", quick_json, "-c", "bitgrid", "--junit", "j.xml"])
    add("full/bitgrid/allocators/junit", ["check", full_json, "-c", "bitgrid", "--allocator", "all", "--junit", "j.xml"])
    add("full/leaky/hashset,zigmap", ["check", full_json, "-s", "leaky", "-c", "hashset,zigmap", "--junit", "j.xml"],
        quick=False)
    add("quick/pingpong/all-cells", ["check", quick_json, "-s", "pingpong", "--junit", "j.xml"], quick=False)
    add("quick/b20000", ["check", quick_json, "-b", "20000", "--junit", "j.xml"], quick=False)
    add("quick/b10-bumpalo", ["check", quick_json, "-b", "10", "--allocator", "bumpalo", "-c", "bitgrid,hashset"], quick=False)
    add("quick/b64k-all", ["check", quick_json, "-b", "64KiB", "--allocator", "all", "-s", "leaky,tempcopy,reuse"], quick=False)
    add("quick/jobs1", ["check", quick_json, "-c", "bitgrid", "-j", "1"])
    add("quick/color-always", ["check", quick_json, "-c", "bitgrid", "-b", "20000", "--color", "always"])
    add("heap-bitgrid", ["check", full_json, "-s", "heap", "-c", "bitgrid"])
    add("heap-bumpalo", ["check", quick_json, "-s", "heap", "--allocator", "bumpalo", "--junit", "j.xml"])
    add("leaky,heap-j2", ["check", quick_json, "-s", "leaky,heap", "-c", "bitgrid", "-j", "2"])
    add("leaky-3408", ["check", quick_json, "-s", "leaky", "-c", "hashset", "-b", "3408"])

    # default manifest (inputs/quick.json under the working directory)
    copied = {f"inputs/{p.name}": p.read_bytes() for p in INPUTS.iterdir()
              if p.suffix in (".txt", ".json") and p.stat().st_size <= BIG_INPUT_BYTES * 3}
    add("default-manifest", ["check", "-c", "bitgrid", "--junit", "j.xml"], files=copied)
    add("default-manifest-missing", ["check"])

    ex = {"example.txt": EXAMPLE}
    ok = '{"file": "example.txt", "part1": 110, "part2": 20}'
    wrong = '{"file": "example.txt", "part1": 111, "part2": 20}'
    add("manifest/ok", ["check", "m.json", "--junit", "r.xml"], files={**ex, "m.json": manifest(ok)})
    add("manifest/wrong", ["check", "m.json", "-s", "pingpong", "-c", "hashset,bitgrid", "--junit", "r.xml"],
        files={**ex, "m.json": manifest(wrong)})
    add("manifest/wrong-color", ["check", "m.json", "--color", "always", "--junit", "r.xml"],
        files={**ex, "m.json": manifest(wrong, ok)})
    add("manifest/wrong-part2-oom", ["check", "m.json", "-b", "4000", "--junit", "r.xml"],
        files={**ex, "m.json": manifest('{"file": "example.txt", "part1": 110, "part2": 21}')})
    add("manifest/part1-only", ["check", "m.json", "--junit", "r.xml"],
        files={**ex, "m.json": manifest('{"file": "example.txt", "part1": 110}')})
    add("manifest/part2-only", ["check", "m.json"], files={**ex, "m.json": manifest('{"file": "example.txt", "part2": 20}')})
    add("manifest/absolute", ["check", "m.json", "-c", "bitgrid"],
        files={"m.json": manifest(f'{{"file": "{inp("gen-1x60-d60-s7.txt")}", "part1": 517, "part2": 18}}')})
    add("manifest/subdir", ["check", "sub/m.json", "-c", "bitgrid"],
        files={"sub/example.txt": EXAMPLE, "sub/m.json": manifest(ok)})
    add("manifest/unknown-field", ["check", "m.json"],
        files={**ex, "m.json": manifest('{"file": "example.txt", "par2": 4}')})
    add("manifest/missing-input", ["check", "m.json"],
        files={**ex, "m.json": manifest(ok, '{"file": "nope.txt", "part1": 1}')})
    add("manifest/no-answers", ["check", "m.json"], files={**ex, "m.json": manifest('{"file": "example.txt"}')})
    add("manifest/not-json", ["check", "m.json"], files={"m.json": b"inputs: [example.txt]\n"})
    add("manifest/empty-file", ["check", "m.json"], files={"m.json": b""})
    add("manifest/empty-list", ["check", "m.json"], files={"m.json": manifest()})
    add("manifest/bad-input", ["check", "m.json"],
        files={"bad.txt": b"#x\n", "m.json": manifest('{"file": "bad.txt", "part1": 1}')})
    add("manifest/missing", ["check", "/nonexistent/manifest.json"])
    add("manifest/directory", ["check", "."])
    add("junit/missing-dir", ["check", "m.json", "--junit", "nodir/r.xml"], files={**ex, "m.json": manifest(ok)})
    add("junit/dev-full", ["check", "m.json", "--junit", "/dev/full"], files={**ex, "m.json": manifest(ok)})
    add("bad/strategy", ["check", quick_json, "-s", "arena"])
    add("bad/allocator", ["check", quick_json, "--allocator", "fba"])
    add("bad/size", ["check", quick_json, "-b", "1x"])
    add("bad/jobs", ["check", quick_json, "-j", "0"])
    add("bad/input-flag", ["check", quick_json, "-i", inp("example.txt")])
    add("bad/two-manifests", ["check", quick_json, full_json])
    return cases


def all_cases() -> list[Case]:
    cases = []
    for group in (matrix(), big_cases(), output_cases(), error_cases(), meta_cases(), generate_cases(),
                  check_cases()):
        undecided = 0
        for case in group:
            if case.quick is None:
                case.quick = undecided % 2 == 0
                undecided += 1
        cases += group
    names = [c.name for c in cases]
    dups = {n for n in names if names.count(n) > 1}
    assert not dups, f"duplicate case names: {sorted(dups)}"
    return cases


# --- running ---------------------------------------------------------------

CHECK_LINE_TIME = re.compile(rb"(?m)^(.*?(?:pass|FAIL|oom).*?  ) *\d+\.\d{2} s  ")
CHECK_SUMMARY_TIME = re.compile(rb"(?m)(; )\d+\.\d{2} s$")
JUNIT_TIME = re.compile(rb'( time=")\d+(?:\.\d+)?(")')


@dataclasses.dataclass
class Outcome:
    code: int | str
    stdout: bytes
    stderr: bytes
    files: dict[str, bytes]
    seconds: float


def normalise(case: Case, out: Outcome, tmp: str) -> Outcome:
    """Replace what legitimately differs from one run to the next."""
    tmp_b = tmp.encode()

    def norm(data: bytes, is_junit: bool = False) -> bytes:
        data = data.replace(tmp_b, b"<TMP>")
        if case.args[:1] == ["check"]:
            # check's per-run and total seconds: wall-clock time
            data = CHECK_LINE_TIME.sub(rb"\1<time> s  ", data)
            data = CHECK_SUMMARY_TIME.sub(rb"\1<time> s", data)
            if is_junit:
                data = JUNIT_TIME.sub(rb"\1<time>\2", data)
        return data

    files = {name: norm(data, b"<testsuites" in data[:300]) for name, data in out.files.items()}
    return Outcome(out.code, norm(out.stdout), norm(out.stderr), files, out.seconds)


def run_one(binary: str, case: Case) -> Outcome:
    tmp = tempfile.mkdtemp(prefix="same-output-")
    try:
        for name, content in case.files.items():
            path = Path(tmp, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "TMPDIR": tmp, "LC_ALL": "C.UTF-8"}
        env.update(case.env)
        start = time.monotonic()
        try:
            proc = subprocess.run(
                ["day23", *case.args],
                executable=binary,  # argv[0] is "day23" for both, as installed
                cwd=tmp,
                env=env,
                input=case.stdin if case.stdin is not None else None,
                stdin=None if case.stdin is not None else subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_S,
            )
            code: int | str = proc.returncode
            stdout, stderr = proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as e:
            code = f"timed out after {TIMEOUT_S} s"
            stdout, stderr = e.stdout or b"", e.stderr or b""
        seconds = time.monotonic() - start
        files = {}
        for dirpath, dirnames, filenames in os.walk(tmp):
            dirnames.sort()
            for f in sorted(filenames):
                p = Path(dirpath, f)
                rel = p.relative_to(tmp).as_posix()
                files[rel] = p.read_bytes() if p.is_file() else b"<not a regular file>"
        return normalise(case, Outcome(code, stdout, stderr, files, seconds), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def first_diff(old: bytes, new: bytes, max_lines: int = 8, width: int = 160) -> list[str]:
    """The first differing lines of two outputs, as a short unified diff."""
    a, b = old.split(b"\n"), new.split(b"\n")
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    col = 0
    if i < len(a) and i < len(b):
        while col < min(len(a[i]), len(b[i])) and a[i][col] == b[i][col]:
            col += 1

    def clip(line: bytes) -> str:
        text = line.decode("utf-8", "backslashreplace")
        if len(text) <= width:
            return text
        start = max(0, min(col - width // 3, len(text) - width))
        return ("..." if start else "") + text[start:start + width] + ("..." if start + width < len(text) else "")

    lo = max(0, i - 1)
    window_a = [clip(x) for x in a[lo:i + 40]]
    window_b = [clip(x) for x in b[lo:i + 40]]
    lines = [f"first difference at line {i + 1}" + (f", column {col + 1}" if col else "") + ":"]
    shown: list[str] = []
    # changed lines as -old/+new pairs, so that a line changed in place
    # shows both versions next to each other
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, window_a, window_b, autojunk=False).get_opcodes():
        if tag == "equal":
            shown += ["  " + x for x in window_a[a1:a2][:1 if shown else None][-1:]]
            continue
        olds, news = window_a[a1:a2], window_b[b1:b2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds):
                shown.append("- " + olds[k])
            if k < len(news):
                shown.append("+ " + news[k])
    lines += ["    " + ln for ln in shown[:max_lines]]
    if len(old) != len(new):
        lines.append(f"    ({len(old)} bytes old, {len(new)} bytes new)")
    return lines


def compare(case: Case, old: Outcome, new: Outcome) -> list[str]:
    """Every difference, described; empty when the outputs are the same."""
    problems = []
    if isinstance(old.code, str) or isinstance(new.code, str):
        problems.append(f"did not finish: old {old.code}, new {new.code}")
    if old.code != new.code:
        problems.append(f"exit code: old {old.code}, new {new.code}")
    for stream in ("stdout", "stderr"):
        a, b = getattr(old, stream), getattr(new, stream)
        if a != b:
            problems.append(f"{stream} differs, " + "\n  ".join(first_diff(a, b)))
    for name in sorted(set(old.files) | set(new.files)):
        if name not in new.files:
            problems.append(f"file {name}: written by old only ({len(old.files[name])} bytes)")
        elif name not in old.files:
            problems.append(f"file {name}: written by new only ({len(new.files[name])} bytes)")
        elif old.files[name] != new.files[name]:
            problems.append(f"file {name} differs, " + "\n  ".join(first_diff(old.files[name], new.files[name])))
    return problems


def run_case(old_bin: str, new_bin: str, case: Case) -> tuple[Case, list[str], float]:
    old = run_one(old_bin, case)
    new = run_one(new_bin, case)
    return case, compare(case, old, new), old.seconds + new.seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Run two day23 binaries over the same command lines and compare everything a user sees.")
    parser.add_argument("old", help="the reference binary (e.g. target/same-output/day23-old)")
    parser.add_argument("new", help="the binary under test (e.g. target/release/day23)")
    parser.add_argument("--quick", action="store_true", help="a representative subset (about 250 cases)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="cases at a time (default 2)")
    parser.add_argument("--filter", metavar="TEXT", help="only cases whose name or command line contains TEXT")
    parser.add_argument("--list", action="store_true", help="list the selected cases and exit")
    parser.add_argument("--slowest", type=int, default=0, metavar="N", help="also print the N slowest cases")
    args = parser.parse_args()

    cases = all_cases()
    if args.quick:
        cases = [c for c in cases if c.quick]
    if args.filter:
        cases = [c for c in cases if args.filter in c.name or args.filter in c.command()]
    if not cases:
        parser.error(f"no case matches --filter {args.filter!r}")
    if args.list:
        for c in cases:
            print(f"{c.name}\t{c.command()}")
        print(f"{len(cases)} cases")
        return 0

    binaries = []
    for b in (args.old, args.new):
        path = Path(b).resolve()
        if not (path.is_file() and os.access(path, os.X_OK)):
            parser.error(f"'{b}' is not an executable file")
        binaries.append(str(path))
    if args.jobs < 1:
        parser.error("-j must be at least 1")

    start = time.monotonic()
    failed = 0
    timings = []
    tty = sys.stderr.isatty()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # map keeps the matrix's order, so failures print in a stable order
        results = pool.map(lambda c: run_case(binaries[0], binaries[1], c), cases)
        for done, (case, problems, seconds) in enumerate(results, 1):
            timings.append((seconds, case.name))
            if problems:
                failed += 1
                if tty:
                    print("\r\033[K", end="", file=sys.stderr)
                print(f"FAIL {case.name}\n  $ {case.command()}")
                for p in problems:
                    print("  " + p)
                sys.stdout.flush()
            if tty:
                print(f"\r{done}/{len(cases)} cases, {failed} failed", end="", file=sys.stderr, flush=True)
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    if args.slowest:
        print("slowest cases (old + new seconds):")
        for seconds, name in sorted(timings, reverse=True)[:args.slowest]:
            print(f"  {seconds:7.2f}  {name}")
    elapsed = time.monotonic() - start
    print(f"{len(cases)} cases in {elapsed:.1f} s at -j {args.jobs}")
    print(f"same-output: {len(cases)} cases, {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
