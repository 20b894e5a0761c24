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
