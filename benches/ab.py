#!/usr/bin/env python3
"""benches/ab.py: A/B timings of a few commands, interleaved.

    python3 benches/ab.py RUNS 'LABEL=COMMAND' 'LABEL=VAR=value COMMAND' ...

Runs every command RUNS times (after 20 warm-up rounds), one of each in turn
and the order reversed every other round, so that all of them see the same
load: on a shared 2-core machine a difference of 0.02 ms between two
binaries shows here, while two hyperfine runs one after the other drift by
more than that. Each run is started with posix_spawn (no shell), its
output goes to /dev/null, and a run that exits non-zero stops the script.
Leading VAR=value words set environment variables for that command.

Prints the load, then per command the wall time (spawn to exit) min /
median / 90th percentile / max in ms, the differences of min and median to
the first command, the ratio of its median to the first command's, and the
mean CPU time (user + system, from wait4).
"""
import os
import shlex
import statistics
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    variants = []
    for arg in sys.argv[2:]:
        label, cmd = arg.split("=", 1)
        argv = shlex.split(cmd)
        env = dict(os.environ)
        while argv and "=" in argv[0] and not argv[0].startswith(("/", ".")):
            key, value = argv.pop(0).split("=", 1)
            env[key] = value
        variants.append((label, argv, env))
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    wall = {label: [] for label, _, _ in variants}
    cpu = {label: [] for label, _, _ in variants}
    warm = 20
    for i in range(runs + warm):
        for label, argv, env in variants if i % 2 == 0 else variants[::-1]:
            t0 = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
            _, status, usage = os.wait4(pid, 0)
            t1 = time.perf_counter()
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{label}: exit code {os.waitstatus_to_exitcode(status)}")
            if i >= warm:
                wall[label].append((t1 - t0) * 1e3)
                cpu[label].append((usage.ru_utime + usage.ru_stime) * 1e3)
    print(os.popen("uptime").read().strip())
    base = None
    for label, times in wall.items():
        ordered = sorted(times)
        low, mid = ordered[0], statistics.median(ordered)
        p90, high = ordered[int(0.9 * (len(ordered) - 1))], ordered[-1]
        if base is None:
            base = (low, mid)
        print(
            f"{label:30s} wall {low:.3f} / {mid:.3f} / p90 {p90:.3f} / max {high:.3f} ms"
            f"  ({low - base[0]:+.3f} / {mid - base[1]:+.3f}, x{mid / base[1]:.3f})"
            f"  cpu mean {statistics.mean(cpu[label]):.3f} ms"
        )


if __name__ == "__main__":
    main()
