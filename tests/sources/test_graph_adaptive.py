"""Adaptive polling against the fake Graph server: content calls of their own while a page is busy,
the per-page cap under a burst, and the tripwire after a security signal."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import Step, new_page

PAGE_ID = "3001"
POST = f"{PAGE_ID}_1"
PAGES = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret("tok"))]
PERSON = {"id": "5001", "name": "A Person"}
TRIPWIRE_GAP = 58  # poll.security.max (57 s) and up to a second until the next tick


@asynccontextmanager
async def polling(url: str, clock: FakeClock, sink: Any, **sources: Any) -> AsyncIterator[GraphPoller]:
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(
            SourcesConfig.model_validate({"base_url": url, **sources}), PAGES, db, sink, clock, session
        )
        await poller.start()
        try:
            yield poller
        finally:
            await poller.stop()
            await db.close()


async def advance(
    poller: GraphPoller, clock: FakeClock, until: datetime, watch: Callable[[datetime], None] = lambda _: None
) -> None:
    """Tick once a second (as the daemon does) or at the next due time, until ``until``."""
    while clock.now() < until:
        await poller.tick(clock.now())
        watch(clock.now())
        nd = poller.next_due()
        assert nd is not None
        clock.set(min(until, max(nd, clock.now() + timedelta(seconds=1))))


def page_with_post(graph: FakeGraph) -> None:
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play(
        [Step(T0, PAGE_ID, "post", {"id": POST, "message": "Our new shop", "from": {"id": PAGE_ID, "name": "Druvan"}})]
    )


def comments(start: datetime, every: timedelta, n: int) -> list[Step]:
    return [
        Step(
            start + i * every,
            PAGE_ID,
            "comment",
            {
                "id": f"1_{9000 + i}",
                "post_id": POST,
                "parent_id": None,
                "message": f"Where is my order {i}?",
                "from": PERSON,
            },
        )
        for i in range(n)
    ]


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def busiest_hour(times: list[float]) -> int:
    return max(sum(1 for u in times if t - 3600 < u <= t) for t in times)


def delays(sink: Any) -> list[float]:
    return [(sink.seen_at[e.id] - e.time).total_seconds() for e in sink.kinds("comment.created")]


async def test_busy_page_gets_content_calls_of_its_own_and_relaxes_when_quiet(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    page_with_post(graph)
    burst = comments(T0 + timedelta(minutes=10), timedelta(seconds=10), 120)  # 20 busy minutes
    graph.play(burst)
    feed_interval: list[float] = []

    async with polling(url, clock, sink) as poller:

        def watch(now: datetime) -> None:
            feed_interval.append(poller.states["druvan"].interval["feed"])

        await advance(poller, clock, T0 + timedelta(minutes=80), watch)

    assert min(feed_interval) == 25.0  # busy: down to the configured min
    assert feed_interval[-1] == 900.0  # quiet again: back to the configured max
    busy = (T0 + timedelta(minutes=10)).timestamp(), (T0 + timedelta(minutes=30)).timestamp()
    content_calls = [t for t in graph.calls_of(PAGE_ID, tripwire=False) if busy[0] <= t < busy[1]]
    assert len(content_calls) >= 15  # about one between two tripwire calls, as the budget allows
    late = [t for t in graph.calls_of(PAGE_ID) if t >= (T0 + timedelta(minutes=70)).timestamp()]
    assert len(late) <= 11 and graph.calls_of(PAGE_ID, tripwire=False)[-1] < late[0]  # quiet: the tripwire only
    assert max(gaps(graph.calls_of(PAGE_ID, tripwire=True))) <= TRIPWIRE_GAP
    got = delays(sink)
    assert len(got) == len(burst) and sink.duplicates == 0
    assert statistics.median(got) <= 20 and max(got) <= 58


async def test_per_page_cap_holds_under_a_burst_and_the_tripwire_keeps_its_minute(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    page_with_post(graph)
    burst = comments(T0 + timedelta(minutes=5), timedelta(seconds=0.5), 1800)  # 15 minutes, 2 a second
    grant_at = T0 + timedelta(minutes=12, seconds=7)
    graph.play([*burst, Step(grant_at, PAGE_ID, "grant", {"user": "66", "name": "Mr X", "tasks": ["MANAGE"]})])

    async with polling(url, clock, sink, budget={"max_calls_per_page_hour": 80}) as poller:
        await advance(poller, clock, T0 + timedelta(minutes=80))

    assert busiest_hour(graph.calls_of(PAGE_ID)) == 80  # the burst wanted more: the cap held it
    assert max(gaps(graph.calls_of(PAGE_ID, tripwire=True))) <= TRIPWIRE_GAP  # paging left it room
    (grant,) = sink.kinds("role.granted")
    assert grant.time - grant_at <= timedelta(seconds=TRIPWIRE_GAP)
    # the newest comments still came with every tripwire call; the backlog was read once it fit, in full
    last = sink.events[f"fb:comment:{burst[-1].args['id']}"]
    assert sink.seen_at[last.id] - last.time <= timedelta(seconds=TRIPWIRE_GAP)
    assert {e.object["comment_id"] for e in sink.kinds("comment.created")} == {s.args["id"] for s in burst}
    assert sink.duplicates == 0


async def test_security_signal_shortens_the_tripwire_then_it_relaxes(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    change_at = T0 + timedelta(minutes=10, seconds=3)
    graph.play([Step(change_at, PAGE_ID, "setting", {"field": "name", "value": "Free Crypto Giveaway"})])

    async with polling(url, clock, sink) as poller:
        await advance(poller, clock, T0 + timedelta(minutes=20))

    (changed,) = sink.kinds("page.changed")
    assert changed.time - change_at <= timedelta(seconds=TRIPWIRE_GAP)
    trips = graph.calls_of(PAGE_ID, tripwire=True)
    seen = trips.index(changed.time.timestamp())
    assert all(57 <= g <= TRIPWIRE_GAP for g in gaps(trips[:seen]))
    after = gaps(trips[seen:])
    assert [round(g) for g in after[:3]] == [30, 45, 57]  # security.min, then back by half toward the max
    # a read a fraction of a second late (ticks come once a second) is followed by one as much early: the page
    # keeps its place in the gap, and its cadence
    assert all(56 <= g <= TRIPWIRE_GAP for g in after[2:])
    assert sum(after[2:]) / len(after[2:]) >= 57 - 1e-6


async def test_a_hijack_alert_elsewhere_heightens_the_tripwire_at_once(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    signal_at = T0 + timedelta(minutes=10, seconds=20)

    async with polling(url, clock, sink) as poller:
        await advance(poller, clock, signal_at)
        poller.heighten("druvan", clock.now())
        poller.heighten("no-such-page", clock.now())  # a page the poller does not read: nothing happens
        await advance(poller, clock, T0 + timedelta(minutes=20))

    trips = graph.calls_of(PAGE_ID, tripwire=True)
    before = [x for x in trips if x < signal_at.timestamp()]
    after = [x for x in trips if x >= signal_at.timestamp()]
    assert after[0] - signal_at.timestamp() <= 1  # read again within the tick, not at the regular gap
    assert all(57 <= g <= TRIPWIRE_GAP for g in gaps(before))
    # that read found nothing new: from security.min (30 s) the gap relaxes by half toward the max
    assert [round(g) for g in gaps(after)[:3]] == [45, 57, 57]


async def test_first_reads_of_many_pages_are_spread_over_one_tripwire_gap(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    pages = [PageConfig(id=f"p{i}", page_id=str(4000 + i), access_token=Secret(f"t{i}")) for i in range(10)]
    for i, p in enumerate(pages):
        graph.add_page(new_page(p.page_id or "", f"Page {i}"), f"t{i}")
    db = SqliteDatabase.open(":memory:")
    start = clock.now()
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(SourcesConfig.model_validate({"base_url": url}), pages, db, sink, clock, session)
        await poller.start()
        await advance(poller, clock, start + timedelta(minutes=5))
        await poller.stop()
    await db.close()
    firsts = sorted(graph.calls_of(p.page_id or "", tripwire=True)[0] - start.timestamp() for p in pages)
    assert firsts[0] == 0 and firsts[-1] < 57
    assert len({int(x) for x in firsts}) == 10  # no two pages in the same second
    for p in pages:  # and each keeps its minute afterwards
        assert all(57 <= g <= TRIPWIRE_GAP for g in gaps(graph.calls_of(p.page_id or "", tripwire=True)))


async def test_the_cap_holds_across_a_restart_in_the_middle_of_a_burst(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    page_with_post(graph)
    burst = comments(T0 + timedelta(minutes=5), timedelta(seconds=0.5), 1800)
    graph.play(burst)
    config = SourcesConfig.model_validate({"base_url": url, "budget": {"max_calls_per_page_hour": 80}})
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        for until in (T0 + timedelta(minutes=20), T0 + timedelta(minutes=80)):  # a restart at minute 20
            poller = GraphPoller(config, PAGES, db, sink, clock, session)
            await poller.start()
            await advance(poller, clock, until)
            await poller.stop()
    await db.close()
    assert busiest_hour(graph.calls_of(PAGE_ID)) == 80  # the calls before the restart still counted
    assert {e.object["comment_id"] for e in sink.kinds("comment.created")} == {s.args["id"] for s in burst}
