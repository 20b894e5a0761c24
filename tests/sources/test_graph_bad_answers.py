"""Graph answers the poller cannot fully digest: times no datetime holds, future times, missing times, absurd usage
headers, answers of the wrong shape and reads that crash. One bad item never blinds a page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from structlog.testing import capture_logs

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.metrics import SOURCE_ERRORS
from sentinel.model import Event
from sentinel.sources import graph_translate as tr
from sentinel.sources.graph import TRANSIENT_ERRORS_BEFORE_ALERT, GraphPoller
from sentinel.sources.graph_client import MAX_PAUSE_MINUTES, SOURCE, Budget
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_read import _new_items
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.graph import FakeGraph, retimed
from sentinel.testing.graph_life import FPage, Step, apply, new_page

PAGE_ID = "2001"
PAGES = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret("tok"))]
CY = {"id": "78", "name": "Cy"}
NOW = datetime(2025, 9, 26, 19, 0, tzinfo=UTC)


def act(page: FPage, at: datetime, action: str, **args: Any) -> None:
    apply(page, Step(at, PAGE_ID, action, args))


class Poller:
    """A poller over a fresh store against ``graph`` at ``url``, ticked by hand."""

    def __init__(self, url: str, clock: FakeClock, sink: Any, **config: Any) -> None:
        self.db = SqliteDatabase.open(":memory:")
        self.config = SourcesConfig(base_url=url, **config)
        self.clock, self.sink = clock, sink

    async def __aenter__(self) -> GraphPoller:
        self.session = aiohttp.ClientSession()
        self.poller = GraphPoller(self.config, PAGES, self.db, self.sink, self.clock, self.session)
        await self.poller.start()
        return self.poller

    async def __aexit__(self, *exc: object) -> None:
        await self.poller.stop()
        await self.session.close()
        await self.db.close()


async def tick_at(poller: GraphPoller, clock: FakeClock, at: datetime) -> None:
    """Tick at every due time up to ``at``."""
    while clock.now() < at:
        await poller.tick(clock.now())
        clock.set(min(at, max(poller.next_due() or at, clock.now() + timedelta(seconds=1))))
    await poller.tick(clock.now())


@pytest.fixture
async def graph(clock: FakeClock) -> Any:
    fake = FakeGraph(clock)
    page = new_page(PAGE_ID, "Druvan")
    fake.add_page(page, "tok")
    async with fake.serve() as url:
        yield fake, page, url


# -- times -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00+0100", "9999-12-31T23:30:00-0100"])
def test_a_time_no_datetime_can_hold_in_utc_is_an_unreadable_time(raw: str) -> None:
    assert tr.graph_time(raw, NOW) == NOW
    with pytest.raises(ValueError):
        tr.graph_time(raw)


def test_an_item_with_an_unreadable_time_is_placed_at_the_time_given() -> None:
    c = {"id": "c1", "message": "hi", "from": CY}
    assert tr.comment_created("p", "1", "1_2", c, NOW).time == NOW
    assert tr.comment_created("p", "1", "1_2", {**c, "created_time": "0001-01-01T00:00:00+0100"}, NOW).time == NOW
    assert tr.message_event("p", "1", "t", {**c, "created_time": "soon"}, NOW).time == NOW
    assert tr.post_created("p", "1", {"id": "1_2", "created_time": "9999-12-31T23:30:00-0100"}, NOW).time == NOW


# -- usage headers ---------------------------------------------------------------------------------------------------


def test_an_absurd_time_to_regain_access_pauses_the_page_for_the_longest_pause_only(clock: FakeClock) -> None:
    b = Budget(clock, slow_at=60, stop_at=90)
    b.observe({"X-Business-Use-Case-Usage": '{"p1": [{"call_count": 100, "estimated_time_to_regain_access": 1e12}]}'})
    assert b.blocked_until("p1") == clock.now() + timedelta(minutes=MAX_PAUSE_MINUTES)


# -- the poller ------------------------------------------------------------------------------------------------------


async def test_a_post_dated_year_1_does_not_blind_the_page_to_a_grant_in_the_same_read(
    graph: Any, clock: FakeClock, sink: Any
) -> None:
    fake, page, url = graph
    async with Poller(url, clock, sink) as poller:
        await tick_at(poller, clock, clock.now())  # the baseline
        act(page, clock.now(), "post", id=f"{PAGE_ID}_7001", message="odd post", **{"from": CY})
        act(page, clock.now(), "grant", user="666", name="Mr X", tasks=["MANAGE"])
        fake.rewrite = retimed(f"{PAGE_ID}_7001", "0001-01-01T00:00:00+0100")
        with capture_logs() as logs:
            await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        [grant] = sink.kinds("role.granted")
        assert grant.object["tasks"] == ["MANAGE"]
        [post] = sink.kinds("post.created")
        assert T0 - timedelta(minutes=1) <= post.time <= clock.now()  # at the read's time
        assert poller.healthy(clock.now()) and not sink.kinds("source.error")
        assert any(r["event"] == "graph.time_unreadable" for r in logs)
        assert not [r for r in logs if r["event"] in ("graph.visit_failed", "graph.read_crashed")]


async def test_a_comment_dated_2099_does_not_hide_the_comments_after_it(
    graph: Any, clock: FakeClock, sink: Any
) -> None:
    _fake, page, url = graph
    pid = f"{PAGE_ID}_7001"
    async with Poller(url, clock, sink) as poller:
        act(page, clock.now() - timedelta(minutes=5), "post", id=pid, message="hello", **{"from": CY})
        await tick_at(poller, clock, clock.now())
        act(
            page,
            datetime(2099, 1, 1, tzinfo=UTC),
            "comment",
            id="c-future",
            post_id=pid,
            message="from 2099",
            **{"from": CY},
        )
        await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        known = poller.posts["druvan"][pid]
        assert known.comment_hwm <= clock.now().timestamp()  # the cursor stays at the read's time
        for n in range(3):
            act(page, clock.now(), "comment", id=f"c{n}", post_id=pid, message=f"later {n}", **{"from": CY})
            await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        comments = {e.id: e for e in sink.kinds("comment.created")}
        assert set(comments) == {"fb:comment:c-future", "fb:comment:c0", "fb:comment:c1", "fb:comment:c2"}
        assert comments["fb:comment:c-future"].time.year == 2099  # event time is data: delivered as it came
        assert sink.duplicates <= 3  # sent again at most when the cursor moves (the store drops it)


async def test_a_message_dated_2099_does_not_hide_the_messages_after_it(
    graph: Any, clock: FakeClock, sink: Any
) -> None:
    _fake, page, url = graph
    async with Poller(url, clock, sink) as poller:
        await tick_at(poller, clock, clock.now())
        act(page, datetime(2099, 1, 1, tzinfo=UTC), "message", thread="t_1", id="m-future", message="x", **{"from": CY})
        await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        for n in range(2):
            act(page, clock.now(), "message", thread="t_1", id=f"m{n}", message=f"later {n}", **{"from": CY})
            await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        got = {e.id for e in sink.events.values() if e.kind == "message.received"}
        assert got == {"fb:message:m-future", "fb:message:m0", "fb:message:m1"}
        assert int(poller.states["druvan"].threads["t_1"][0]) <= clock.now().timestamp()


@pytest.mark.parametrize("time", [None, "yesterday", "9999-12-31T23:30:00-0100"])
async def test_a_comment_without_a_readable_time_is_stored_at_the_read_and_warned_about(
    graph: Any, clock: FakeClock, sink: Any, time: str | None
) -> None:
    fake, page, url = graph
    pid = f"{PAGE_ID}_7001"
    async with Poller(url, clock, sink) as poller:
        act(page, clock.now() - timedelta(minutes=5), "post", id=pid, message="hello", **{"from": CY})
        await tick_at(poller, clock, clock.now())
        act(page, clock.now(), "comment", id="c-odd", post_id=pid, message="no time", **{"from": CY})
        fake.rewrite = retimed("c-odd", time)
        read_at = clock.now()
        with capture_logs() as logs:
            await tick_at(poller, clock, clock.now() + timedelta(minutes=3))
        [c] = sink.kinds("comment.created")
        assert c.id == "fb:comment:c-odd" and read_at <= c.time <= clock.now()
        warned = [r for r in logs if r["event"] == "graph.time_unreadable"]
        assert len(warned) == 1 and warned[0]["items"] == 1  # once: the cursor keeps its id
        act(page, clock.now(), "comment", id="c-next", post_id=pid, message="ordinary", **{"from": CY})
        await tick_at(poller, clock, clock.now() + timedelta(minutes=2))
        assert {e.id for e in sink.kinds("comment.created")} == {"fb:comment:c-odd", "fb:comment:c-next"}


async def test_a_page_answer_that_is_not_an_object_is_a_counted_error(graph: Any, clock: FakeClock, sink: Any) -> None:
    fake, _page, url = graph
    fake.rewrite = lambda body: [1, 2, 3] if isinstance(body, dict) and "id" in body else body
    errors = SOURCE_ERRORS.labels(SOURCE, "0")
    before = errors._value.get()
    async with Poller(url, clock, sink) as poller:
        await poller.tick(clock.now())
        assert errors._value.get() == before + 1
        assert not poller.healthy(clock.now())


class CrashingSink:
    """A sink that fails with an error no one expects on content events, and takes health events."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, events: list[Event]) -> int:
        if any(not e.kind.startswith("source.") for e in events):
            raise RuntimeError("boom")
        n: int = await self.inner(events)
        return n


async def test_a_read_that_crashes_is_a_failed_read_with_a_health_signal_not_a_silent_retry(
    graph: Any, clock: FakeClock, sink: Any
) -> None:
    _fake, page, url = graph
    act(page, clock.now() - timedelta(minutes=1), "post", id=f"{PAGE_ID}_7001", message="hello", **{"from": CY})
    async with Poller(url, clock, CrashingSink(sink), stale_after=timedelta(minutes=2)) as poller:
        with capture_logs() as logs:
            await poller.tick(clock.now())
            assert poller.unhealthy_pages(clock.now()) == ["druvan"]  # never read: not ready at once
            for _ in range(TRANSIENT_ERRORS_BEFORE_ALERT - 1):
                clock.set((poller.next_due() or clock.now()) + timedelta(seconds=1))
                await poller.tick(clock.now())
        crashed = [r for r in logs if r["event"] == "graph.read_crashed"]
        assert len(crashed) == TRANSIENT_ERRORS_BEFORE_ALERT and "RuntimeError: boom" in crashed[0]["error"]
        # the traceback once, redacted of the token as the error is
        assert [r.get("traceback") is not None for r in crashed] == [True, False, False]
        assert "RuntimeError: boom" in crashed[0]["traceback"]
        assert len([r for r in logs if r["event"] == "graph.read_failed"]) == TRANSIENT_ERRORS_BEFORE_ALERT
        [err] = sink.kinds("source.error")
        assert "RuntimeError" in err.object["message"]
        assert poller.states["druvan"].failing_since is not None and not poller.healthy(clock.now())


async def test_a_cursor_stored_in_the_future_is_read_again_from_the_edge_start() -> None:
    """A store written before the fix may hold a per-post cursor at 2099: the comments it hid are read again."""

    async def no_pages(url: str) -> Any:
        raise AssertionError("no next page here")

    now = int(NOW.timestamp())
    block = {"data": [{"id": "c1", "created_time": tr.graph_time(now - 10).isoformat()}]}
    fresh, hwm, ids, more = await _new_items(block, 4070908800, ["c-future"], no_pages, now - 3600, now)
    assert [c["id"] for c in fresh] == ["c1"] and (hwm, ids, more) == (now - 10, ["c1"], 0)
