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


async def test_the_first_reads_of_each_replicas_share_of_pages_are_spread_over_the_gap(
    clock: FakeClock, sink: Any
) -> None:
    """Replicas share pages out by name (leases in name order): each share's first reads must be spread over the
    gap too, not sit in a third of it as "p1", "p10".."p19", "p100".."p199", "p1000".. would in config order."""
    pages = [PageConfig(id=f"p{i}", page_id=str(10_000 + i), access_token=Secret(f"t{i}")) for i in range(3000)]
    db = SqliteDatabase.open(":memory:")
    poller = GraphPoller(SourcesConfig(base_url="http://127.0.0.1:9"), pages, db, sink, clock)
    await poller.start()
    t = clock.now().timestamp()
    share = sorted(p.id for p in pages)[:1000]  # the first replica's third
    per_second = [0] * int(GAP)
    for page in share:
        per_second[int(poller.states[page].due["security"] - t)] += 1
    assert max(per_second) <= 2 * 1000 / GAP  # about 18 a second; at most twice that
    await poller.stop()
    await db.close()
