from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from sentinel.model import Event
from sentinel.testing import T0, FakeClock
from sentinel.testing.graph import FakeGraph


class RecordingSink:
    """Commits events like the store does: new ids kept, duplicates counted and dropped."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.events: dict[str, Event] = {}
        self.seen_at: dict[str, object] = {}
        self.duplicates = 0
        self.deliveries = 0

    async def __call__(self, events: list[Event]) -> int:
        self.deliveries += 1
        new = 0
        for e in events:
            if e.id in self.events:
                self.duplicates += 1
                continue
            self.events[e.id] = e
            self.seen_at[e.id] = self.clock.now()
            new += 1
        return new

    def kinds(self, kind: str) -> list[Event]:
        return [e for e in self.events.values() if e.kind == kind]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0 - timedelta(minutes=1))


@pytest.fixture
def sink(clock: FakeClock) -> RecordingSink:
    return RecordingSink(clock)


@pytest.fixture
async def fake(clock: FakeClock) -> AsyncIterator[tuple[FakeGraph, str]]:
    graph = FakeGraph(clock)
    async with graph.serve() as url:
        yield graph, url
