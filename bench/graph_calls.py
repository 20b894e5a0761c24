"""Graph calls per page per hour against role-grant and comment detection delay.

Runs the real poller against the fake Graph server on a simulated clock:
``--pages`` pages (a fifth of them busy, the rest quiet), each given one
role grant at a random moment, for ``--hours`` simulated hours. The poller
is ticked once a second, as the daemon does (a visit is up to a second
late). Batch requests count per inner request. Prints one table row per
tripwire gap (``poll.security.max``): role-grant delay (grant to its
``role.granted`` event), comment delay (``created_time`` to its
``comment.created`` event) on busy and on quiet pages, and calls per page
per hour.

    python bench/graph_calls.py --pages 1000 --hours 1
"""

from __future__ import annotations

import argparse
import asyncio
import math
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
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page, random_life

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
    comment_delay: dict[bool, list[float]] = {True: [], False: []}  # busy page? -> seconds

    async def sink(events: list[Event]) -> int:
        for e in events:
            if e.kind == "role.granted":
                seen.setdefault(e.id.split(":")[2], clock.now())
            elif e.kind == "comment.created":
                page_id = pages[int(e.page[1:])].page_id
                comment_delay[page_id in busy].append((clock.now() - e.time).total_seconds())
        return len(events)

    runner = web.AppRunner(graph.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    config = SourcesConfig.model_validate(
        {
            "base_url": url,
            "poll": {"security": {"min": f"{security_min}s", "max": f"{security_max}s"}, "concurrency": 64},
        }
    )
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
            # the daemon ticks once a second: the next tick at or after the next due time
            step = max(1.0, math.ceil((nd - clock.now()).total_seconds()))
            clock.set(min(end, clock.now() + timedelta(seconds=step)))
        await poller.stop()
    await runner.cleanup()
    await db.close()
    delays = [(seen[p] - g).total_seconds() for p, g in grants.items() if p in seen]
    per_hour = {p: graph.calls_by_page.get(p, 0) / hours for p in grants}
    quiet = [v for p, v in per_hour.items() if p not in busy]
    active = [v for p, v in per_hour.items() if p in busy]
    busy_c, quiet_c = comment_delay[True], comment_delay[False]
    return {
        "security": security_max,
        "missed": len(grants) - len(delays),
        "delay_p50": statistics.median(delays),
        "delay_max": max(delays),
        "busy_comment_p50": statistics.median(busy_c),
        "busy_comment_max": max(busy_c),
        "quiet_comment_p50": statistics.median(quiet_c) if quiet_c else math.nan,
        "quiet_comment_max": max(quiet_c, default=math.nan),
        "quiet_mean": statistics.fmean(quiet),
        "quiet_max": max(quiet),
        "active_mean": statistics.fmean(active),
        "active_max": max(active),
        "all_max": max(per_hour.values()),
        "wall": time.monotonic() - wall,
    }


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--hours", type=float, default=1.0)
    ap.add_argument("--security", default="57", help="tripwire gaps (poll.security.max) to try, seconds")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    print(f"{args.pages} pages (1/5 busy), {args.hours} h simulated; calls per page per hour count batch items")
    print(
        f"{'tripwire':>8} {'grant delay p50':>15} {'max':>5} {'missed':>6} {'busy comment p50':>16} {'max':>5} "
        f"{'quiet comment p50':>17} {'max':>5} {'quiet calls/h mean':>18} {'max':>4} {'busy calls/h mean':>17} "
        f"{'max':>4} {'wall s':>6}"
    )
    for sec in (int(s) for s in args.security.split(",")):
        r = await run(args.pages, args.hours, sec, min(30, sec), args.seed)
        print(
            f"{sec:>7}s {r['delay_p50']:>14.0f}s {r['delay_max']:>4.0f}s {r['missed']:>6} "
            f"{r['busy_comment_p50']:>15.0f}s {r['busy_comment_max']:>4.0f}s "
            f"{r['quiet_comment_p50']:>16.0f}s {r['quiet_comment_max']:>4.0f}s "
            f"{r['quiet_mean']:>18.1f} {r['quiet_max']:>4.0f} {r['active_mean']:>17.1f} {r['active_max']:>4.0f} "
            f"{r['wall']:>6.1f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
