"""The poller writes a tick's reads together: one fenced transaction for every page read, and a page whose lease
moved does not hold back the others' state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import aiohttp

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.errors import StoreError
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_state import GraphStore
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import new_page

PAGES = [PageConfig(id=f"p{i}", page_id=str(4000 + i), access_token=Secret(f"tok{i}")) for i in range(6)]
GAP = 57.0  # poll.security.max


async def test_a_tick_writes_every_page_it_read_in_one_fenced_transaction_and_a_lost_page_alone_is_refused(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    for p in PAGES:
        assert p.page_id
        graph.add_page(new_page(p.page_id, p.id), f"tok{p.id[1:]}")
    fenced: list[list[str]] = []
    lost = {"p3"}

    async def fence(pages: Sequence[str]) -> None:
        fenced.append(sorted(pages))
        if lost & set(pages):
            raise StoreError("this replica no longer holds the lease of p3")

    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(SourcesConfig(base_url=url), PAGES, db, sink, clock, session)
        poller.fence = fence
        await poller.start()
        for st in poller.states.values():  # every page due at once (start spreads them over one gap)
            st.due = dict.fromkeys(st.due, clock.now().timestamp())
        t = clock.now().timestamp()
        await poller.tick(clock.now())
        everyone = sorted(p.id for p in PAGES)
        # one transaction for all six; refused (p3's lease moved), so each page alone
        assert fenced == [everyone, *([p] for p in everyone)]
        saved = await GraphStore(db).load_states()
        assert set(saved) == set(everyone) - lost
        for page in set(everyone) - lost:
            assert saved[page].access is not None  # the roles snapshot the read took
            assert poller.states[page].due["security"] == t + GAP
        assert poller.states["p3"].access is None  # not remembered: read again ...
        assert poller.states["p3"].due["security"] == t + 30.0  # ... in 30 s

        lost.clear()
        fenced.clear()
        clock.set(clock.now() + timedelta(seconds=GAP))
        await poller.tick(clock.now())
        assert fenced == [everyone]  # all due again together: one transaction
        assert set(await GraphStore(db).load_states()) == set(everyone)
        await poller.stop()
    await db.close()


async def test_a_tick_past_its_budget_leaves_the_least_overdue_pages_for_the_next_tick_first(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, monkeypatch: Any
) -> None:
    """Thousands of pages due at once (a replica took over another's) must not hold up the daemon's tick, which
    renews the leases too: a tick stops starting reads once its budget is spent (here at once: one chunk)."""
    from sentinel.sources import graph as graph_module

    graph, url = fake
    pages = [PageConfig(id=f"q{i:02}", page_id=str(4100 + i), access_token=Secret(f"t{i}")) for i in range(12)]
    for p in pages:
        assert p.page_id and p.access_token
        graph.add_page(new_page(p.page_id, p.id), p.access_token.reveal())
    monkeypatch.setattr(graph_module, "TICK_BUDGET", timedelta(0))
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        config = SourcesConfig.model_validate({"base_url": url, "poll": {"concurrency": 1}})  # chunks of 4 pages
        poller = GraphPoller(config, pages, db, sink, clock, session)
        await poller.start()
        t = clock.now().timestamp()
        for i, p in enumerate(reversed(pages)):  # q11 the most overdue, q00 the least
            poller.states[p.id].due = dict.fromkeys(poller.states[p.id].due, t - 100 + i)
        await poller.tick(clock.now())
        read = {p.id for p in pages if poller.states[p.id].access is not None}
        assert read == {"q11", "q10", "q09", "q08"}
        await poller.tick(clock.now())
        read = {p.id for p in pages if poller.states[p.id].access is not None}
        assert read == {"q11", "q10", "q09", "q08", "q07", "q06", "q05", "q04"}
        await poller.stop()
    await db.close()
