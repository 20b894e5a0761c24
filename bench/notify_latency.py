#!/usr/bin/env python3
"""Notification latency: from an ingested hijack event to the SMS request arriving at the provider.

    python bench/notify_latency.py                  # 1,000 incidents, target p99 < 500 ms
    python bench/notify_latency.py --incidents 200 --target-ms 500

A real ``App`` runs in this process (SQLite store in a temp dir, its HTTP
server on a free loopback port, system clock) with one ``sms`` channel of
type ``46elks`` pointed at the local fake 46elks server
(``sentinel.testing.providers.Elks46Fake``). Each incident is a distinct page
with its own on-call person and phone number, routed
(``category: hijack, severity: critical, group_wait: 0s``) to a policy that
texts that person: the SMS bundling window and the per-number limiter are
left at their defaults and never hold a message, because no number gets a
second one. The pages are staffed one hour on a day three days away, so the
MANAGE grant is off hours: ``hijack.manage_granted`` fires as critical.

For each incident in turn: ``POST /api/v1/events`` with one ``role.granted``
(MANAGE) event, then wait until the fake has received the SMS to that
page's person. Latency = fake's arrival time − time the POST began (one
process, one monotonic clock). Prints p50, p90, p99 and max, and exits 1
when p99 misses the target.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import orjson
from aiohttp import web

from sentinel.clock import SystemClock
from sentinel.settings import parse_config
from sentinel.testing import event, person
from sentinel.testing.providers import Elks46Fake, serve

TOKEN = "bench-ingest-token"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class TimedElks(Elks46Fake):
    """The fake 46elks that notes when each number's SMS arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Event] = {}

    async def sms(self, request: web.Request) -> web.StreamResponse:
        t = time.perf_counter()
        resp = await super().sms(request)
        to = self.requests[-1].form.get("to", "")
        self.arrived.setdefault(to, t)
        self.waiters.setdefault(to, asyncio.Event()).set()
        return resp


def phone(i: int) -> str:
    return f"+4670{i:07d}"


def build_config(n: int, workdir: Path, elks_url: str) -> str:
    staffed_day = DAYS[(SystemClock().now().weekday() + 3) % 7]
    pages = "".join(
        f"""
  - id: p{i}
    timezone: UTC
    staffed_hours: {{{staffed_day}: "09:00-10:00"}}"""
        for i in range(n)
    )
    people = "".join(
        f"""
  - {{name: oncall{i}, phone: "{phone(i)}", channels: [sms]}}"""
        for i in range(n)
    )
    policies = "".join(
        f"""
    - {{name: pol{i}, steps: [{{targets: [{{person: oncall{i}}}], channels: [sms]}}]}}"""
        for i in range(n)
    )
    routes = "".join(
        f"""
    - {{page: p{i}, category: hijack, severity: critical, policy: pol{i}, group_wait: 0s}}"""
        for i in range(n)
    )
    return f"""
pages:{pages}
store:
  url: sqlite:///{workdir / "sentinel.db"}
server:
  host: 127.0.0.1
  port: 0
  ingest_token: {TOKEN}
logging:
  level: warning
people:{people}
escalation:
  group_wait: 0s
  policies:{policies}
  routes:{routes}
notify:
  channels:
    sms: {{type: 46elks, url: {elks_url}/a1/sms, username: u, password: p}}
"""


def percentile(sorted_ms: list[float], q: float) -> float:
    k = max(0, min(len(sorted_ms) - 1, round(q / 100 * len(sorted_ms) + 0.5) - 1))  # nearest rank
    return sorted_ms[k]


async def measure(n: int, wait_s: float) -> list[float]:
    from sentinel import logs

    logs.configure("warning", "json")
    from sentinel.app import App  # after configure: its logger is bound at import

    with tempfile.TemporaryDirectory(prefix="sentinel-notify-bench-") as tmp:
        async with serve(TimedElks()) as (fake, elks_url):
            config = parse_config(build_config(n, Path(tmp), elks_url), "bench.yaml")
            app = App(config)
            await app.start()
            out: list[float] = []
            try:
                url = f"http://127.0.0.1:{app.port}/api/v1/events"
                headers = {"Authorization": f"Bearer {TOKEN}"}
                async with aiohttp.ClientSession() as s:
                    for i in range(n):
                        ev = event(
                            "role.granted",
                            SystemClock().now(),
                            page=f"p{i}",
                            id=f"bench:hijack:{i}",
                            actor=person("Johan"),
                            user={"id": f"9{i}", "name": "Mr X"},
                            tasks=["MANAGE", "MODERATE"],
                        )
                        arrived = fake.waiters.setdefault(phone(i), asyncio.Event())
                        start = time.perf_counter()
                        async with s.post(url, data=orjson.dumps(ev.to_json()), headers=headers) as r:
                            if r.status != 200:
                                raise SystemExit(f"ingest answered {r.status}: {await r.text()}")
                        try:
                            await asyncio.wait_for(arrived.wait(), wait_s)
                        except TimeoutError:
                            raise SystemExit(f"incident {i}: no SMS to {phone(i)} within {wait_s:g}s") from None
                        out.append((fake.arrived[phone(i)] - start) * 1000)
            finally:
                await app.stop()
            if len(fake.requests) != n:
                raise SystemExit(f"expected {n} SMS requests, the fake got {len(fake.requests)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=1000, help="how many incidents (default 1000)")
    ap.add_argument("--target-ms", type=float, default=500.0, help="p99 target in ms (default 500)")
    ap.add_argument("--wait", type=float, default=10.0, help="seconds to wait for one SMS before giving up")
    args = ap.parse_args(argv)
    began = time.perf_counter()
    in_order = asyncio.run(measure(args.incidents, args.wait))
    wall = time.perf_counter() - began
    ms = sorted(in_order)
    tenth = max(1, len(in_order) // 10)
    p50, p90, p99 = (percentile(ms, q) for q in (50, 90, 99))
    print(
        f"incidents={len(ms)} wall={wall:.1f}s  latency ms: p50={p50:.1f} p90={p90:.1f} p99={p99:.1f} "
        f"max={ms[-1]:.1f} mean={statistics.fmean(ms):.1f}"
    )
    print(
        f"median of the first {tenth}: {statistics.median(in_order[:tenth]):.1f} ms, of the last {tenth} "
        f"(with {len(in_order) - tenth} incidents open): {statistics.median(in_order[-tenth:]):.1f} ms"
    )
    ok = p99 < args.target_ms
    print(f"target p99 < {args.target_ms:g} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
