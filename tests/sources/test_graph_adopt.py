"""Several replicas: the pages a replica takes over are read from where their last owner's saved state says, and
pages nobody has read yet are spread over one tripwire gap (not all due in the same tick)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_state import GraphStore, PageState
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import FakeClock

PAGES = [PageConfig(id=f"p{i:03}", page_id=str(5000 + i), access_token=Secret(f"tok{i}")) for i in range(120)]
GAP = 57.0  # poll.security.max


async def test_taken_over_pages_keep_their_saved_schedule_and_unread_ones_are_spread_over_one_gap(
    clock: FakeClock, sink: Any
) -> None:
    db = SqliteDatabase.open(":memory:")
    store = GraphStore(db)
    await store.migrate()
    now = clock.now().timestamp()
    read_before = PageState(due={"security": now + 40.0, "feed": now + 400.0, "conversations": now + 500.0})
    await store.save("p000", read_before, [], None)
    poller = GraphPoller(SourcesConfig(base_url="http://127.0.0.1:9"), PAGES, db, sink, clock)
    poller.owns = lambda page: False  # a replica that held nothing at start
    await poller.start()
    clock.set(clock.now() + timedelta(seconds=5))
    t = clock.now().timestamp()
    await poller.adopt({p.id for p in PAGES}, clock.now())
    assert poller.states["p000"].due == read_before.due  # where its last owner left it
    dues = sorted(poller.states[p.id].due["security"] for p in PAGES[1:])
    assert dues[0] == t and dues[-1] < t + GAP
    per_second = max(sum(1 for d in dues if s <= d - t < s + 1) for s in range(int(GAP)))
    assert per_second <= 3  # 119 pages over 57 s, not 119 in the first second
    await poller.stop()
    await db.close()
