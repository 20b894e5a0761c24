#!/usr/bin/env python3
"""How long building reports holds the daemon's event loop: /healthz latency while ``GET /api/v1/report`` runs.

    python bench/report_loop.py                       # 100,000 stored comments, 4 reports at once, 2 runs
    python bench/report_loop.py --events 200000 --parallel 10

Starts ``sentinel run`` (SQLite in a temp dir) on a free loopback port, stores ``--events`` comments (a third of
them questions, some answered by the page) through the ingest API, then, for each run, asks for ``--parallel``
reports at once (once the worker has processed them all) while a probe GETs /healthz every 50 ms. Prints the
command, and per run: the reports' statuses and
the time until the last one answered, and /healthz's slowest and median answer meanwhile. A report is built from
every stored event: a /healthz slower than a liveness probe's timeout (3 s is common) would get the daemon
restarted, and pages wait as long.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson

from sentinel.security.tokens import hash_token
from sentinel.testing.daemon import daemon_settings, free_port, probe_health, start_daemon, stop_daemon

TOKEN = "report-loop-bench-ingest-token"
OPERATOR = "snt_report-loop-bench-operator-token-0123456789"
PROBE_EVERY_S = 0.05
START = datetime(2025, 11, 3, 8, tzinfo=UTC)


def comments(n: int) -> list[bytes]:
    out = []
    for i in range(n):
        t = START + timedelta(seconds=20 * i)
        page = f"p{i % 5}"
        if i % 3 == 2:  # the page answers the question before it
            actor = {"id": f"page-{page}", "name": page, "type": "page"}
            obj = {"comment_id": f"c{i}", "post_id": "post", "parent_id": f"c{i - 1}", "message": "Hej! Ja, det går."}
        else:
            actor = {"id": f"v{i}", "name": f"Visitor {i}", "type": "person"}
            msg = "Hur byter jag lösenord?" if i % 3 == 1 else "Fint!"
            obj = {"comment_id": f"c{i}", "post_id": "post", "parent_id": None, "message": msg}
        ev = {"id": f"fb:comment:c{i}", "time": t.isoformat(), "platform": "facebook", "page": page}
        out.append(orjson.dumps(ev | {"kind": "comment.created", "actor": actor, "object": obj}))
    return out


async def processed(s: aiohttp.ClientSession, url: str) -> float:
    """``sentinel_events_processed_total`` from /metrics."""
    async with s.get(f"{url}/metrics") as r:
        text = await r.text()
    return next((float(x.split()[-1]) for x in text.splitlines() if x.startswith("sentinel_events_processed_total")), 0)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--parallel", type=int, default=4)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    print("$", shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]))
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        cfg = Path(tmp) / "sentinel.yaml"
        pages = "".join(f"  - id: p{k}\n    timezone: UTC\n" for k in range(5))
        security = f'security:\n  operator_tokens: [{{name: ops, hash: "{hash_token(OPERATOR)}"}}]\n'
        cfg.write_text("pages:\n" + pages + security + daemon_settings(Path(tmp), port))
        daemon = await start_daemon(cfg, port, TOKEN)
        try:
            async with aiohttp.ClientSession() as s:
                lines = comments(args.events)
                for k in range(0, len(lines), 20_000):
                    body = b"\n".join(lines[k : k + 20_000])
                    async with s.post(
                        f"{daemon.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {TOKEN}"}
                    ) as r:
                        assert r.status == 200, await r.text()
                t0 = time.perf_counter()
                while await processed(s, daemon.url) < args.events:  # noqa: ASYNC110 - a metric has no event to await
                    await asyncio.sleep(0.5)  # the worker's backlog holds the loop too: measured after it
                drained = time.perf_counter() - t0
                print(f"stored and processed {args.events} events; the worker drained them in {drained:.1f} s")
                auth = {"Authorization": f"Bearer {OPERATOR}"}

                async def report() -> int:
                    async with s.get(f"{daemon.url}/api/v1/report", headers=auth) as r:
                        await r.read()
                        return r.status

                for run in range(args.runs):
                    stop, took = asyncio.Event(), []
                    prober = asyncio.create_task(probe_health(daemon.url, stop, took, PROBE_EVERY_S))
                    t0 = time.perf_counter()
                    statuses = await asyncio.gather(*(report() for _ in range(args.parallel)))
                    spent = time.perf_counter() - t0
                    stop.set()
                    await prober
                    print(
                        f"run {run}: {args.parallel} reports over {args.events} events -> {sorted(set(statuses))} in "
                        f"{spent:.2f} s; /healthz max {max(took):.3f} s, median {statistics.median(took):.3f} s "
                        f"({len(took)} probes)"
                    )
        finally:
            await stop_daemon(daemon)


if __name__ == "__main__":
    asyncio.run(main())
