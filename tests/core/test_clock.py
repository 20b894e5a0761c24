from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sentinel.clock import SimulatedClock

T0 = datetime(2025, 1, 1, tzinfo=UTC)


async def test_sleepers_wake_in_deadline_order_when_simulated_time_passes() -> None:
    clock = SimulatedClock(T0)
    woke: list[str] = []

    async def sleeper(name: str, s: float) -> None:
        await clock.sleep(s)
        woke.append(name)

    tasks = [asyncio.create_task(sleeper("late", 60)), asyncio.create_task(sleeper("early", 10))]
    await asyncio.sleep(0)
    clock.advance(30)
    await asyncio.wait_for(tasks[1], 1)
    assert woke == ["early"] and not tasks[0].done()
    clock.set(T0 + timedelta(minutes=5))
    await asyncio.wait_for(tasks[0], 1)
    assert woke == ["early", "late"]


def test_time_never_goes_backwards() -> None:
    clock = SimulatedClock(T0)
    clock.set(T0 - timedelta(hours=1))
    assert clock.now() == T0
    clock.advance(5)
    assert clock.monotonic() == 5
