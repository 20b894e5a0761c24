"""What the cluster tests share: SMS gateways that count every message id they accepted, repeats included, and
moving the replicas' simulated clocks together."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import aiohttp
from aiohttp import web

from sentinel.testing.daemon import Daemon
from sentinel.testing.providers import Fake

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class CountingGateway(Fake):
    """A generic HTTP SMS gateway (``http_sms``) that keeps no idempotency keys: every accepted request is counted
    under its ``Idempotency-Key``, so a page sent twice shows as a count of 2."""

    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()
        super().__init__()

    def routes(self) -> None:
        self.app.router.add_post("/{tail:.*}", self.hook)

    async def hook(self, request: web.Request) -> web.StreamResponse:
        rec = await self._read(request)
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.accepted[request.headers.get("Idempotency-Key", "")] += 1
        self.delivered.append(rec)
        return web.json_response({"id": f"m{len(self.delivered)}"})


class FlakyGateway(CountingGateway):
    """A ``CountingGateway`` with an outage the test switches: ``down = "5xx"`` answers 503 at once, ``down =
    "hang"`` holds each request ``hang_s`` (past the sender's timeout) and then answers 503; ``down = None`` accepts
    again. A request refused in an outage is never accepted (``refused`` counts them by ``Idempotency-Key``)."""

    def __init__(self, hang_s: float = 2.0) -> None:
        self.down: str | None = None
        self.hang_s = hang_s
        self.refused: Counter[str] = Counter()
        self.refused_as: Counter[str] = Counter()  # how many were refused in each mode
        super().__init__()

    async def hook(self, request: web.Request) -> web.StreamResponse:
        if self.down is None:
            return await super().hook(request)
        mode = self.down
        await self._read(request)
        self.refused[request.headers.get("Idempotency-Key", "")] += 1
        self.refused_as[mode] += 1
        if mode == "hang":
            await asyncio.sleep(self.hang_s)
        return web.Response(status=503, text="error 503")


async def set_clock(daemons: list[Daemon], to: datetime) -> None:
    """Every live replica's clock to ``to`` (each processes what it took in and ticks there)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
        for d in daemons:
            if d.proc.returncode is None:
                async with s.post(f"{d.url}/-/test/clock", json={"time": to.isoformat()}) as r:
                    assert r.status == 200, await r.text()


async def advance(daemons: list[Daemon], since: datetime, to: datetime) -> None:
    """Move the replicas' clocks from ``since`` to ``to`` together, ten seconds at a time: less than the lease
    time, as real clocks move (a replica set ahead first never sees the others' leases as run out)."""
    t = since
    while t < to:
        t = min(to, t + timedelta(seconds=10))
        await set_clock(daemons, t)
