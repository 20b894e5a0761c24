"""Graph poller failures, budget and adaptivity, against the fake Graph server."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import aiohttp

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_client import Budget
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.daemon import free_port
from sentinel.testing.graph import FakeGraph, poll_until
from sentinel.testing.graph_life import Step, new_page, random_life

PAGE_ID = "2001"
PAGES = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret("tok"))]


async def run(
    fake: tuple[FakeGraph, str],
    clock: FakeClock,
    sink: Any,
    until: datetime,
    config: SourcesConfig | None = None,
    db_path: str = ":memory:",
) -> GraphPoller:
    """Poll until ``until``; each call is a process lifetime over the store at ``db_path``."""
    return await poll_until(config or SourcesConfig(base_url=fake[1]), PAGES, clock, sink, until, db_path)


async def test_a_graph_api_failing_every_call_is_unhealthy_at_the_first_failed_read(
    clock: FakeClock, sink: Any
) -> None:
    """Transport errors are transient (no failure episode until the third), yet the source is not ready."""
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        config = SourcesConfig(base_url=f"http://127.0.0.1:{free_port()}")  # nothing listens there
        poller = GraphPoller(config, PAGES, db, sink, clock, session)
        await poller.start()
        assert poller.healthy(clock.now())  # not read yet
        await poller.tick(clock.now())
        assert poller.states["druvan"].failing_since is None  # one transient error: no episode yet ...
        assert not poller.healthy(clock.now())  # ... but nothing was ever read: not ready
        assert poller.unhealthy_pages(clock.now()) == ["druvan"]
        await poller.stop()
    await db.close()


async def test_one_failed_read_after_a_recent_success_keeps_the_source_healthy(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, _ = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(SourcesConfig(base_url=fake[1]), PAGES, db, sink, clock, session)
        await poller.start()
        await poller.tick(clock.now())
        assert poller.healthy(clock.now())
        poller.config = SourcesConfig(base_url=f"http://127.0.0.1:{free_port()}")
        assert poller.client is not None
        poller.client.config = poller.config  # the API is gone from now on
        clock.set(poller.next_due() or clock.now())
        await poller.tick(clock.now())
        assert poller.healthy(clock.now())  # read a minute ago: a blip
        clock.set(clock.now() + poller.config.stale_after)
        assert not poller.healthy(clock.now())  # no success for stale_after since
        await poller.stop()
    await db.close()


def calls_between(times: list[datetime], a: datetime, b: datetime) -> int:
    return sum(1 for t in times if a <= t < b)


async def test_expired_token_emits_one_error_retries_slowly_and_recovers(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Any
) -> None:
    graph, _ = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play(
        [
            Step(T0 + timedelta(minutes=30), PAGE_ID, "expire", {"token": "tok"}),
            Step(T0 + timedelta(minutes=90), PAGE_ID, "renew", {"token": "tok"}),
        ]
    )
    db = str(tmp_path / "g.db")
    assert not (await run(fake, clock, sink, T0 + timedelta(minutes=31), db_path=db)).healthy(
        clock.now()
    )  # readyz says so
    calls_at_expiry = graph.calls
    await run(fake, clock, sink, T0 + timedelta(minutes=89), db_path=db)
    assert graph.calls - calls_at_expiry <= 8  # every 10 minutes, not every 50 s
    assert (await run(fake, clock, sink, T0 + timedelta(minutes=120), db_path=db)).healthy(clock.now())
    errors = sink.kinds("source.error")
    assert len(errors) == 1
    assert errors[0].object["code"] == 190 and errors[0].object["retry_after"] == 600
    assert "expired" in errors[0].object["message"]
    rec = sink.kinds("source.recovered")
    assert len(rec) == 1 and T0 + timedelta(minutes=90) <= rec[0].time <= T0 + timedelta(minutes=101)


async def test_usage_headers_keep_the_poller_under_the_limit(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, _ = fake
    graph.calls_per_hour = 50  # the poller would like ~72 an hour
    page = new_page(PAGE_ID, "Druvan")
    graph.add_page(page, "tok")
    steps = random_life(page, T0, 2, seed=3)
    graph.play(steps)
    await run(fake, clock, sink, T0 + timedelta(hours=2, minutes=30))
    assert sink.kinds("source.error") == []  # slowed down before Meta had to throttle
    posts = {s.args["id"] for s in steps if s.action == "post"}
    assert {e.object["post_id"] for e in sink.kinds("post.created")} == posts


async def test_throttling_backs_off_until_regain_and_loses_nothing(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    graph.calls_per_hour = 50
    page = new_page(PAGE_ID, "Druvan")
    graph.add_page(page, "tok")
    steps = random_life(page, T0, 2, seed=3)
    graph.play(steps)
    blind = SourcesConfig.model_validate({"base_url": url, "budget": {"slow_at": 100, "stop_at": 100}})
    await run(fake, clock, sink, T0 + timedelta(hours=2, minutes=30), config=blind)
    errors = sink.kinds("source.error")
    assert errors and errors[0].object["code"] == 80001 and errors[0].object["retry_after"] > 60
    assert sink.kinds("source.recovered")
    refused = graph.calls - 50 * 3
    assert refused <= 6  # calls made while limited count too: it waits for the regain time
    posts = {s.args["id"] for s in steps if s.action == "post"}
    assert {e.object["post_id"] for e in sink.kinds("post.created")} == posts


async def test_role_grant_shortens_every_interval(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Any
) -> None:
    graph, _url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([Step(T0 + timedelta(hours=1), PAGE_ID, "grant", {"user": "66", "name": "Mr X", "tasks": ["MANAGE"]})])
    db = str(tmp_path / "g.db")
    poller = await run(fake, clock, sink, T0 + timedelta(minutes=59), db_path=db)
    assert poller.states["druvan"].interval["feed"] == 900  # quiet: grown to the max
    poller = await run(fake, clock, sink, T0 + timedelta(minutes=62), db_path=db)
    assert poller.states["druvan"].interval["feed"] <= 135  # a security signal: looked closely again
    (grant,) = sink.kinds("role.granted")
    assert grant.object == {"user": {"id": "66", "name": "Mr X"}, "tasks": ["MANAGE"]}
    assert grant.time - (T0 + timedelta(hours=1)) <= timedelta(seconds=60)


def test_budget_slows_from_slow_at_and_pauses_for_regain_time(clock: FakeClock) -> None:
    b = Budget(clock, slow_at=60, stop_at=90)
    b.observe({"X-Business-Use-Case-Usage": '{"p1": [{"type": "pages", "call_count": 30, "total_time": 5}]}'})
    assert b.slow_factor("p1") == 1.0 and b.blocked_until("p1") is None
    b.observe({"X-Business-Use-Case-Usage": '{"p1": [{"type": "pages", "call_count": 75}]}'})
    assert 2.0 < b.slow_factor("p1") < 3.0
    b.observe(
        {
            "X-Business-Use-Case-Usage": '{"p1": [{"type": "pages", "call_count": 100, '
            '"estimated_time_to_regain_access": 7}]}'
        }
    )
    assert b.blocked_until("p1") == clock.now() + timedelta(minutes=7)
    assert b.blocked_until("p2") is None
    b.observe({"X-App-Usage": '{"call_count": 95, "total_time": 1, "total_cputime": 1}'})
    assert b.blocked_until("p2") is not None  # the whole app must wait
    b.observe({"X-App-Usage": "not json"})  # tolerated


def test_a_usage_pause_is_logged_once_and_an_absurd_percentage_is_read_as_at_most_100(clock: FakeClock) -> None:
    """One answer with X-App-Usage at 100 % held back every read for five minutes and nothing said so; 1e308 was
    taken as the usage percentage."""
    from structlog.testing import capture_logs

    b = Budget(clock, slow_at=60, stop_at=90)
    with capture_logs() as logs:
        b.observe({"X-App-Usage": '{"call_count": 1e308, "total_time": 1, "total_cputime": 1}'})
        b.observe({"X-App-Usage": '{"call_count": 100, "total_time": 1, "total_cputime": 1}'})  # the same pause
    assert b.highest() == 100.0 and b.blocked_until("p1") == clock.now() + timedelta(minutes=5)
    [paused] = [e for e in logs if e["event"] == "graph.usage_paused"]
    assert paused["scope"] == "app" and paused["usage"] == 100.0
    b.observe({"X-App-Usage": '{"call_count": -5}'})
    assert b.app_usage == 0.0


def test_the_highest_usage_follows_each_page_up_and_down(clock: FakeClock) -> None:
    b = Budget(clock, slow_at=60, stop_at=90)

    def usage(page: str, pct: int) -> None:
        b.observe({"X-Business-Use-Case-Usage": f'{{"{page}": [{{"type": "pages", "call_count": {pct}}}]}}'})

    usage("p1", 50)
    usage("p2", 30)
    assert b.highest() == 50 and b.highest("p2") == 30
    usage("p1", 10)  # the highest page came down: the next one is the highest now
    assert b.highest() == 30
    usage("p2", 5)
    assert b.highest() == 10
    usage("p3", 70)
    assert b.highest() == 70 and b.highest("p1") == 10


async def test_restart_mid_life_resumes_without_duplicates(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Any
) -> None:
    graph, url = fake
    page = new_page(PAGE_ID, "Druvan")
    graph.add_page(page, "tok")
    graph.play(random_life(page, T0, 1, seed=11))
    config = SourcesConfig(base_url=url)
    for stop in (20, 40, 70):
        db = SqliteDatabase.open(str(tmp_path / "g.db"))
        async with aiohttp.ClientSession() as session:
            poller = GraphPoller(config, PAGES, db, sink, clock, session)
            await poller.start()
            while clock.now() < T0 + timedelta(minutes=stop):
                await poller.tick(clock.now())
                clock.set(max(poller.next_due() or clock.now(), clock.now() + timedelta(seconds=1)))
            await poller.stop()
        await db.close()
    assert sink.duplicates == 0
    assert sink.kinds("comment.created")


async def test_a_failed_commit_is_read_again_not_lost(fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any) -> None:
    from sentinel.errors import StoreError

    graph, url = fake
    page = new_page(PAGE_ID, "Druvan")
    graph.add_page(page, "tok")
    steps = random_life(page, T0, 1, seed=5)
    graph.play(steps)
    failures = iter([True, False, True, True] + [False] * 10_000)

    async def flaky(events: list[Any]) -> int:
        if next(failures):
            raise StoreError("disk full")
        return int(await sink(events))

    db = SqliteDatabase.open(":memory:")
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(SourcesConfig(base_url=url), PAGES, db, flaky, clock, session)
        await poller.start()
        while clock.now() < T0 + timedelta(hours=1, minutes=20):
            await poller.tick(clock.now())
            clock.set(max(poller.next_due() or clock.now(), clock.now() + timedelta(seconds=1)))
        await poller.stop()
    await db.close()
    comments = {s.args["id"] for s in steps if s.action == "comment"}
    assert {e.object["comment_id"] for e in sink.kinds("comment.created")} == comments
    assert sink.duplicates == 0
