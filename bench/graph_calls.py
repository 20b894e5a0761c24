"""Graph calls per page per hour against role-grant detection delay.

Runs the real poller against the fake Graph server on a simulated clock:
``--pages`` pages (a fifth of them busy, the rest quiet), each given one
role grant at a random moment, for ``--hours`` simulated hours. Batch
requests count per inner request. Prints one table row per security-poll
bound.

    python bench/graph_calls.py --pages 1000 --hours 1
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import structlog
from aiohttp import web

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.model import Event
from sentinel.sources.fakegraph import FakeGraph
from sentinel.sources.fakegraph_life import new_page, random_life
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock

T0 = datetime(2025, 9, 26, 8, 0, tzinfo=UTC)


async def run(n_pages: int, hours: float, security_max: int, security_min: int, seed: int) -> dict[str, float]:
    clock = FakeClock(T0)
    graph = FakeGraph(clock)
    rnd = random.Random(seed)
    pages, grants, busy = [], {}, set()
    for i in range(n_pages):
        pid = str(100000 + i)
        page = new_page(pid, f"Page {i}")
        graph.add_page(page, f"tok{i}")
        is_busy = i % 5 == 0
        if is_busy:
            busy.add(pid)
        grant = T0 + timedelta(seconds=rnd.uniform(300, hours * 3600 - 120))
        grants[pid] = grant
        graph.play(random_life(page, T0, hours, seed + i, busy=4.0 if is_busy else 0.05, role_grant_at=grant))
        pages.append(PageConfig(id=f"p{i}", page_id=pid, access_token=Secret(f"tok{i}")))
    seen: dict[str, datetime] = {}

    async def sink(events: list[Event]) -> int:
        for e in events:
            if e.kind == "role.granted":
                seen.setdefault(e.id.split(":")[2], clock.now())
        return len(events)

    runner = web.AppRunner(graph.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    config = SourcesConfig.model_validate({"base_url": url, "poll": {
        "security": {"min": f"{security_min}s", "max": f"{security_max}s"}, "concurrency": 64}})
    db = SqliteDatabase.open(":memory:")
    end = T0 + timedelta(hours=hours)
    wall = time.monotonic()
    conn = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=conn) as session:
        poller = GraphPoller(config, pages, db, sink, clock, session)
        await poller.start()
        while clock.now() < end:
            await poller.tick(clock.now())
            nd = poller.next_due() or clock.now()
            clock.set(min(end, max(nd, clock.now() + timedelta(seconds=1))))
        await poller.stop()
    await runner.cleanup()
    await db.close()
    delays = [(seen[p] - g).total_seconds() for p, g in grants.items() if p in seen]
    per_hour = {p: graph.calls_by_page.get(p, 0) / hours for p in grants}
    quiet = [v for p, v in per_hour.items() if p not in busy]
    active = [v for p, v in per_hour.items() if p in busy]
    return {"security": security_max, "missed": len(grants) - len(delays),
            "delay_p50": statistics.median(delays), "delay_max": max(delays),
            "quiet_mean": statistics.fmean(quiet), "quiet_max": max(quiet),
            "active_mean": statistics.fmean(active), "active_max": max(active),
            "all_max": max(per_hour.values()), "wall": time.monotonic() - wall}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--security", default="50,30,120", help="security poll max bounds to try, seconds")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    print(f"{args.pages} pages (1/5 busy), {args.hours} h simulated; calls per page per hour count batch items")
    print(f"{'security max':>12} {'grant delay p50':>15} {'max':>6} {'missed':>6} {'quiet calls/h mean':>18} "
          f"{'max':>5} {'busy calls/h mean':>17} {'max':>5} {'wall s':>7}")
    for sec in (int(s) for s in args.security.split(",")):
        r = await run(args.pages, args.hours, sec, min(30, sec), args.seed)
        print(f"{sec:>11}s {r['delay_p50']:>14.0f}s {r['delay_max']:>5.0f}s {r['missed']:>6} "
              f"{r['quiet_mean']:>18.1f} {r['quiet_max']:>5.0f} {r['active_mean']:>17.1f} {r['active_max']:>5.0f} "
              f"{r['wall']:>7.1f}")


if __name__ == "__main__":
    asyncio.run(main())
