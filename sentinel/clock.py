"""The only code in Sentinel that reads the time.

Everything else takes a ``Clock`` (or a ``now`` argument). The daemon runs on
``SystemClock``; replay and tests run on ``SimulatedClock``, whose ``sleep``
returns when simulated time reaches the deadline.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, for measuring durations."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class SimulatedClock:
    """A clock that moves only when told to (``set``/``advance``).

    Sleepers wake, in deadline order, as time passes their deadline.
    Time never goes backwards: ``set`` to an earlier time is ignored.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2000, 1, 1, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("SimulatedClock needs a timezone-aware start time")
        self._origin = self._now
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return (self._now - self._origin).total_seconds()

    def set(self, when: datetime) -> None:
        if when > self._now:
            self._now = when
        self._wake()

    def advance(self, seconds: float) -> None:
        self.set(self._now + timedelta(seconds=seconds))

    def next_wakeup(self) -> datetime | None:
        """The earliest deadline a sleeper waits for, if any."""
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    async def sleep(self, seconds: float) -> None:
        deadline = self._now + timedelta(seconds=max(0.0, seconds))
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (deadline, next(self._seq), fut))
        await fut

    def _wake(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)


TEST_CLOCK_ENV = "SENTINEL_TEST_CLOCK"


def clock_from_env(environ: Mapping[str, str]) -> Clock:
    """The daemon's clock: the system's, or — for tests that drive a real daemon process through weeks of
    simulated time — a ``SimulatedClock`` starting at ``SENTINEL_TEST_CLOCK`` (an RFC 3339 time), which the
    daemon then lets a test move through ``POST /-/test/clock`` (see ``sentinel/app.py``). Never set it in
    production: whoever can move the clock can time out acknowledgements and silences."""
    start = environ.get(TEST_CLOCK_ENV, "").strip()
    if not start:
        return SystemClock()
    t = datetime.fromisoformat(start.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"{TEST_CLOCK_ENV} needs a time with an offset, like 2025-09-01T00:00:00Z")
    return SimulatedClock(t)
