#!/usr/bin/env python3
"""Replay throughput: events/s and memory of `sentinel replay` on a large simulated file.

    python bench/replay_throughput.py                       # 200 pages x 60 days, seed 1, in a temp dir
    python bench/replay_throughput.py --events big.jsonl --config pages.yaml
    python bench/replay_throughput.py --pages 20 --days 30 --replay-cmd 'wc -l {events}'

Steps: (1) unless --events is given, `sentinel simulate --pages N --days D --seed S` writes the
file (its wall time, events/s, file size and peak RSS are printed); (2) the replay command runs
in a subprocess on it, stdout to a file; its wall time, events/s and peak RSS (wait4 rusage) are
printed, with RSS sampled from /proc/<pid>/status during the run (the replay process and its
workers together) and shown at 25/50/75/100 % of it, so a flat memory profile is visible.
--replay-cmd takes any command ({events} and {config} are substituted), so the harness can be
checked without `sentinel replay`. --repeat N replays N times and prints the least, median and most
events/s: on a shared machine the same replay's speed varies by a third or more within an hour (a short
calibration loop before each run did not track it, so none is printed). `sentinel replay` runs one
Before the replays, a bare pass over the same file (each line through `orjson.loads`, nothing else) is
measured in a subprocess the same way, and each replay's CPU time is printed as a multiple of it: a figure
that travels between machines better than events/s.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_REPLAY = "{python} -m sentinel replay --config {config} --no-progress {events}"
BARE_PASS = "import sys, orjson\nfor line in open(sys.argv[1], 'rb'):\n    orjson.loads(line)\n"


@dataclass
class Run:
    wall_s: float
    exit_code: int
    peak_rss_kb: int
    cpu_s: float  # user + system CPU of the child: the fair figure on a shared machine
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, VmRSS kB)

    def rss_at(self, share: float) -> int:
        """The RSS sample nearest to ``share`` of the run (0..1)."""
        if not self.samples:
            return 0
        target = share * self.wall_s
        return min(self.samples, key=lambda s: abs(s[0] - target))[1]

    def quartiles(self) -> str:
        return ", ".join(f"{int(q * 100)}%: {self.rss_at(q) / 1024:.0f} MB" for q in (0.25, 0.5, 0.75, 1.0))


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _vm_rss_kb(pid: int) -> int | None:
    """The resident memory of ``pid`` and all its descendants together (kB)."""
    total, seen = 0, False
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        seen = True
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total if seen else None


def run_measured(argv: list[str], stdout_path: Path, stderr_path: Path | None = None, interval: float = 0.1) -> Run:
    """Run ``argv``; wall time, exit code, its own peak RSS (wait4) and RSS samples over time."""
    samples: list[tuple[float, int]] = []
    with open(stdout_path, "wb") as out, open(stderr_path or os.devnull, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err if stderr_path else None)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = _vm_rss_kb(proc.pid)
                if rss is not None:
                    samples.append((time.monotonic() - start, rss))
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return Run(
        wall_s=wall,
        exit_code=proc.returncode,
        peak_rss_kb=usage.ru_maxrss,
        cpu_s=usage.ru_utime + usage.ru_stime,
        samples=samples,
    )


def count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            n += chunk.count(b"\n")
    return n


def machine_load() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f"load average {f.read().split()[0]} on {os.cpu_count()} CPUs"
    except OSError:
        return f"{os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=Path, help="replay this file instead of generating one")
    ap.add_argument("--config", type=Path, help="page config for --events (default: none)")
    ap.add_argument("--workdir", type=Path, help="keep the generated files here (default: a temp dir, removed)")
    ap.add_argument(
        "--replay-cmd",
        default=DEFAULT_REPLAY,
        help=f"command to measure; {{events}}, {{config}} and {{python}} are substituted (default: {DEFAULT_REPLAY!r})",
    )
    ap.add_argument("--skip-replay", action="store_true", help="only generate and measure the generator")
    ap.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="replay N times; then the least, median and most events/s"
    )
    args = ap.parse_args(argv)

    print(f"machine: {machine_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="sentinel-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        events, config = args.events, args.config
        if events is None:
            events, config = work / "events.jsonl", work / "pages.yaml"
            gen = [
                sys.executable,
                "-m",
                "sentinel",
                "simulate",
                "--pages",
                str(args.pages),
                "--days",
                str(args.days),
                "--seed",
                str(args.seed),
                "-o",
                str(events),
                "--config-out",
                str(config),
            ]
            print(f"generating: {shlex.join(gen[1:])}", flush=True)
            g = run_measured(gen, work / "simulate.out", work / "simulate.err")
            own = (work / "simulate.err").read_text(errors="replace").strip()
            if g.exit_code != 0:
                print(f"simulate failed with exit status {g.exit_code}: {own}", file=sys.stderr)
                return 1
            n = count_lines(events)
            size = events.stat().st_size
            print(
                f"generator: {n:,} events, {size / 1e6:,.1f} MB ({size / max(n, 1):.0f} B/event) in "
                f"{g.wall_s:.1f} s = {n / g.wall_s:,.0f} events/s (incl. interpreter start); "
                f"CPU {g.cpu_s:.1f} s = {n / max(g.cpu_s, 1e-9):,.0f} events per CPU-second; "
                f"peak RSS {g.peak_rss_kb / 1024:.0f} MB",
                flush=True,
            )
            for line in own.splitlines():  # the generator's own figures, without interpreter start
                print(f"  {line}", flush=True)
            print(f"generator RSS over the run: {g.quartiles()} ({len(g.samples)} samples)", flush=True)
        else:
            n = count_lines(events)
            print(f"events: {events} ({n:,} lines, {events.stat().st_size / 1e6:,.1f} MB)", flush=True)
        if args.skip_replay:
            return 0
        template = args.replay_cmd
        if config is None:
            template = template.replace("--config {config} ", "")
        cmd = shlex.split(
            template.format(
                python=shlex.quote(sys.executable),
                events=shlex.quote(str(events)),
                config=shlex.quote(str(config or "")),
            )
        )
        bare = run_measured([sys.executable, "-c", BARE_PASS, str(events)], work / "bare.out")
        print(f"bare orjson.loads pass over the file: CPU {bare.cpu_s:.2f} s (exit {bare.exit_code})", flush=True)
        print(f"replaying: {shlex.join(cmd)}", flush=True)
        rates = []
        for _ in range(max(args.repeat, 1)):
            r = run_measured(cmd, work / "replay.out")
            if r.exit_code != 0:
                print(f"replay: exit {r.exit_code}", flush=True)
                return 1
            rates.append(n / r.wall_s)
            report(r, n, work / "replay.out")
            print(f"replay CPU = {r.cpu_s / max(bare.cpu_s, 1e-9):.1f}x the bare orjson.loads pass", flush=True)
        if len(rates) > 1:
            rates.sort()
            print(
                f"replay events/s over {len(rates)} runs: least {rates[0]:,.0f}, median "
                f"{statistics.median(rates):,.0f}, most {rates[-1]:,.0f}"
            )
        return 0


def report(r: Run, n: int, out: Path) -> None:
    """One replay's figures: speed, CPU, memory, and its summary record."""
    out_lines = count_lines(out)
    print(
        f"replay: exit {r.exit_code}, {n:,} events in {r.wall_s:.1f} s = {n / r.wall_s:,.0f} events/s; "
        f"CPU {r.cpu_s:.1f} s = {n / max(r.cpu_s, 1e-9):,.0f} events per CPU-second; "
        f"peak RSS {r.peak_rss_kb / 1024:.0f} MB (largest process), "
        f"{max((kb for _, kb in r.samples), default=0) / 1024:.0f} MB (all processes, sampled); "
        f"{out_lines:,} output lines"
    )
    print(f"replay RSS over the run: {r.quartiles()} ({len(r.samples)} samples)")
    if out_lines:
        with open(out, "rb") as f:
            f.seek(max(0, out.stat().st_size - 4096))
            last = f.read().splitlines()[-1].decode(errors="replace")
        if '"summary"' in last:
            print(f"replay summary: {last}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
