"""A tripwire read late keeps its place: the next is due a gap after this one was due, never sooner than half a
gap after the read, so pages read late together (a tick too full) do not stay due together."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page

GAP = 57.0  # poll.security.max


@pytest.mark.parametrize(("late", "next_in"), [(0.0, GAP), (10.0, GAP - 10.0), (40.0, GAP / 2)])
async def test_a_late_tripwire_read_is_followed_by_one_a_gap_after_it_was_due(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, late: float, next_in: float
) -> None:
    graph, url = fake
    page = PageConfig(id="p", page_id="4200", access_token=Secret("tok"))
    graph.add_page(new_page("4200", "p"), "tok")
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(SourcesConfig(base_url=url), [page], db, sink, clock, session)
        await poller.start()
        t = clock.now().timestamp()
        poller.states["p"].due = dict.fromkeys(poller.states["p"].due, t + 10_000)
        poller.states["p"].due["security"] = t - late
        await poller.tick(clock.now())
        assert poller.states["p"].access is not None  # read
        assert poller.states["p"].due["security"] == pytest.approx(t + next_in)
        await poller.stop()
    await db.close()
