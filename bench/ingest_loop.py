#!/usr/bin/env python3
"""How long one big ingest body holds the daemon's event loop: /healthz latency while it is taken in.

    python bench/ingest_loop.py                 # a 10 MiB JSON array of minimal events, 3 runs
    python bench/ingest_loop.py --form lines --runs 5

Starts ``sentinel run`` (SQLite in a temp dir) on a free loopback port, then, for each run, POSTs one body of as
many minimal events as fit in ``--mib`` MiB (each run's ids are new) while a probe GETs /healthz every 50 ms.
Prints the command, and per run: the POST's status and time, and /healthz's slowest and median answer during it.
A /healthz slower than a liveness probe's timeout (3 s is common) would get the daemon restarted.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import orjson

from sentinel.testing.daemon import daemon_settings, free_port, probe_health, start_daemon, stop_daemon

TOKEN = "ingest-loop-bench-token"
PROBE_EVERY_S = 0.05


def body_of(run: int, mib: int, form: str) -> tuple[bytes, int]:
    now = "2025-01-01T00:00:00+00:00"
    items: list[bytes] = []
    size = 2
    while True:
        item = orjson.dumps({"id": f"r{run}i{len(items)}", "time": now, "platform": "x", "page": "p", "kind": "z"})
        if size + len(item) + 1 > mib * 1024 * 1024 - 16:
            break
        items.append(item)
        size += len(item) + 1
    if form == "array":
        return b"[" + b",".join(items) + b"]", len(items)
    return b"\n".join(items), len(items)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=10)
    ap.add_argument("--form", choices=["array", "lines"], default="array")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("$", shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]))
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        cfg = Path(tmp) / "sentinel.yaml"
        cfg.write_text("pages:\n  - id: p\n    timezone: UTC\n" + daemon_settings(Path(tmp), port))
        daemon = await start_daemon(cfg, port, TOKEN)
        try:
            async with aiohttp.ClientSession() as s:
                for run in range(args.runs):
                    body, n = body_of(run, args.mib, args.form)
                    stop, took = asyncio.Event(), []
                    prober = asyncio.create_task(probe_health(daemon.url, stop, took, PROBE_EVERY_S))
                    t0 = time.perf_counter()
                    headers = {"Authorization": f"Bearer {TOKEN}"}
                    async with s.post(f"{daemon.url}/api/v1/events", data=body, headers=headers) as r:
                        status = r.status
                        await r.read()
                    post_s = time.perf_counter() - t0
                    stop.set()
                    await prober
                    print(
                        f"run {run}: {n} events, {len(body) / 2**20:.1f} MiB {args.form} -> {status} in {post_s:.2f} s;"
                        f" /healthz max {max(took):.3f} s, median {statistics.median(took):.3f} s ({len(took)} probes)"
                    )
        finally:
            await stop_daemon(daemon)


if __name__ == "__main__":
    asyncio.run(main())
