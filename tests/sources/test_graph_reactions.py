"""Reactions counted by the Graph poller, against the fake Graph server on loopback.

A post's reactions are read as counts per type (the Graph API gives neither the reactors nor the times on a
count); the poller turns what a count grew by into ``reaction.created`` events, spread over the time since it
last counted, with ids that count the type's reactions, so that restarts and re-reads repeat none."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import structlog.testing

from sentinel.clock import SystemClock
from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_read import MAX_REACTIONS, signatures
from sentinel.sources.graph_state import AREA, MIGRATIONS
from sentinel.sources.graph_translate import digest
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon, start_daemon, stop_daemon
from sentinel.testing.graph import FakeGraph, poll_until
from sentinel.testing.graph_life import Step, apply, new_page

PAGE_ID = "2001"
PAGES = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret("tok"))]
POST = f"{PAGE_ID}_7001"
ME = {"id": PAGE_ID, "name": "Druvan"}


def post(at: datetime, post_id: str = POST) -> Step:
    return Step(at, PAGE_ID, "post", {"id": post_id, "message": "Nya öppettider från måndag", "from": ME})


def react(at: datetime, kind: str, n: int = 1, post_id: str = POST) -> Step:
    return Step(at, PAGE_ID, "react", {"post_id": post_id, "type": kind, "n": n})


def comment(at: datetime, n: int, post_id: str = POST) -> Step:
    """A visitor's comment: it changes the post's comment count, which the tripwire's probe sees (a read soon)."""
    cid = f"{post_id.split('_')[1]}_{9000 + n}"
    person = {"id": "5001", "name": "Anna Berg"}
    return Step(at, PAGE_ID, "comment", {"id": cid, "post_id": post_id, "message": "Varför?", "from": person})


def reactions(sink: Any, kind: str | None = None) -> list[Any]:
    return sorted(
        (e for e in sink.kinds("reaction.created") if kind is None or e.object["reaction"] == kind),
        key=lambda e: (e.time, e.id),
    )


async def test_angry_reactions_on_a_post_become_events_dated_between_two_counts(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([post(T0), react(T0 + timedelta(minutes=3), "LIKE", 4)])
    graph.play([react(T0 + timedelta(minutes=20), "ANGRY", 7), comment(T0 + timedelta(minutes=20), 1)])
    graph.play([react(T0 + timedelta(minutes=21), "SAD", 2)])
    await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, T0 + timedelta(minutes=40))
    angry = reactions(sink, "angry")
    assert len(angry) == 7 and len(reactions(sink, "sad")) == 2 and len(reactions(sink, "like")) == 4
    assert all(e.actor is None and e.object == {"target_id": POST, "reaction": "angry"} for e in angry)
    assert len({e.id for e in reactions(sink)}) == 13
    # not seen before 20 min, and counted within a tripwire gap and a feed read of it
    assert T0 + timedelta(minutes=3) < angry[0].time < angry[-1].time <= T0 + timedelta(minutes=22, seconds=30)
    assert sink.duplicates == 0


async def test_reactions_an_old_post_had_before_the_first_count_are_its_baseline(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    """A post the poller first meets an hour after it was made: its reactions came at unknown times, maybe a day
    ago, and would read as a burst now. They are the baseline; what comes after is counted."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    clock.set(T0 + timedelta(hours=1))
    graph.play([post(T0), react(T0 + timedelta(minutes=5), "ANGRY", 40), react(T0 + timedelta(minutes=6), "LIKE", 90)])
    graph.play([react(T0 + timedelta(minutes=70), "ANGRY", 3), comment(T0 + timedelta(minutes=70), 1)])
    await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, T0 + timedelta(minutes=90))
    assert sink.kinds("post.created")  # the post itself is reported (its time is on it) ...
    angry = reactions(sink)
    assert [e.id for e in angry] == [f"fb:reaction:{POST}:polled:angry:{n}" for n in (41, 42, 43)]  # ... not its past


async def test_a_restart_repeats_no_reaction_and_a_gap_reads_as_a_rate_not_a_burst(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Any
) -> None:
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([post(T0), react(T0 + timedelta(minutes=2), "ANGRY", 5)])
    # the poller is down from 10 to 130 min; 30 angry reactions come meanwhile, and one taken back and given again
    graph.play([react(T0 + timedelta(minutes=30 + k), "ANGRY", 1) for k in range(30)])
    graph.play([Step(T0 + timedelta(minutes=80), PAGE_ID, "unreact", {"post_id": POST, "type": "ANGRY"})])
    graph.play([react(T0 + timedelta(minutes=81), "ANGRY", 1)])
    config = SourcesConfig(base_url=url)
    db = str(tmp_path / "g.db")
    await poll_until(config, PAGES, clock, sink, T0 + timedelta(minutes=10), db)
    assert len(reactions(sink)) == 5
    last_read = max(c.at for c in graph.log if "reactions" in c.fields)
    assert last_read > reactions(sink)[-1].time.timestamp() + 60  # read again after the five: their count unchanged
    clock.set(T0 + timedelta(minutes=130))
    await poll_until(config, PAGES, clock, sink, T0 + timedelta(minutes=140), db)
    assert len(reactions(sink)) == 35 and sink.duplicates == 0
    later = reactions(sink)[5:]
    assert len({e.time for e in later}) == 30  # spread over the gap, from the last read before it ...
    assert later[0].time.timestamp() > last_read and later[-1].time >= T0 + timedelta(minutes=130)  # ... to now
    assert later[0].time - datetime.fromtimestamp(last_read, UTC) < timedelta(minutes=130) / 30 + timedelta(seconds=1)


async def test_a_new_post_read_late_counts_its_reactions_from_zero(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    """A post made after the poller started, first read minutes later: every reaction it has is new, and came
    after the post."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    later = f"{PAGE_ID}_7002"
    graph.play(
        [post(T0), post(T0 + timedelta(minutes=30), later), react(T0 + timedelta(minutes=31), "ANGRY", 6, later)]
    )
    await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, T0 + timedelta(minutes=50))
    angry = reactions(sink)
    assert len(angry) == 6 and {e.object["target_id"] for e in angry} == {later}
    assert all(e.time > T0 + timedelta(minutes=30) for e in angry)


async def test_an_angry_wave_on_a_quiet_page_is_read_within_a_tripwire_gap(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    """The tripwire's probe counts each post's angry and sad reactions: after an hour of quiet (the feed read
    every 15 minutes), angry reactions with no comment are read within a minute or two."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    wave = T0 + timedelta(minutes=65)
    graph.play([post(T0), react(wave, "ANGRY", 12)])
    await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, wave + timedelta(minutes=3))
    full = [c.at for c in graph.log if "reactions_like" in c.fields and c.at < wave.timestamp()]
    assert full[-1] - full[-2] >= 10 * 60  # quiet: the feed was read every 15 minutes before the wave
    assert len(reactions(sink, "angry")) == 12
    assert max(e.time for e in reactions(sink)) <= wave + timedelta(minutes=2)  # not at the feed's next read


def test_the_probe_sees_angry_and_sad_reactions_not_likes() -> None:
    """A trickle of likes on a busy page must not cost a content read each; an angry or sad one is worth one."""

    def node(**counts: int) -> dict[str, Any]:
        reacted = {f"reactions_{k}": {"data": [], "summary": {"total_count": n}} for k, n in counts.items()}
        first = {"id": POST, "updated_time": "2025-09-26T19:00:00+0000", "comments": {"summary": {"total_count": 3}}}
        return {"feed": {"data": [{**first, **reacted}]}}

    before = signatures(node(angry=1, sad=0))
    assert signatures(node(angry=1, sad=0, like=50)) == before
    assert signatures(node(angry=2, sad=0)) != before
    assert signatures(node(angry=1, sad=1)) != before


async def test_a_count_that_leaps_is_capped_with_a_warning_not_turned_into_millions_of_events(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    """A count that grows by a billion between two reads (a wrong answer, or a viral post): the newest
    ``MAX_REACTIONS`` become events, the cursor moves past the rest, and the log says so."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([post(T0), react(T0 + timedelta(minutes=20), "ANGRY", 10**9), comment(T0 + timedelta(minutes=20), 1)])
    graph.play([react(T0 + timedelta(minutes=40), "ANGRY", 2), comment(T0 + timedelta(minutes=40), 2)])
    with structlog.testing.capture_logs() as logs:
        await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, T0 + timedelta(minutes=60))
    angry = reactions(sink)
    assert len(angry) == MAX_REACTIONS + 2
    assert angry[-1].id == f"fb:reaction:{POST}:polled:angry:{10**9 + 2}"
    [capped] = [r for r in logs if r["event"] == "graph.reactions_capped"]
    assert capped["grew"] == 10**9 and capped["post"] == POST and capped["log_level"] == "warning"


async def test_with_webhooks_configured_reactions_are_left_to_them_unless_asked_for(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any
) -> None:
    """With an ``app_secret`` Meta's webhooks bring each reaction by name: counting them too would count twice."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([post(T0), react(T0 + timedelta(minutes=1), "ANGRY", 5)])
    hooked = SourcesConfig(base_url=url, app_secret=Secret("s3cret"))
    assert not hooked.polls_reactions
    await poll_until(hooked, PAGES, clock, sink, T0 + timedelta(minutes=10))
    assert not reactions(sink) and not any("reactions" in c.fields for c in graph.log)
    both = SourcesConfig.model_validate({"base_url": url, "app_secret": "s3cret", "poll": {"reactions": True}})
    assert both.polls_reactions
    assert not SourcesConfig.model_validate({"poll": {"reactions": False}}).polls_reactions


async def test_posts_stored_before_reactions_were_counted_start_from_a_baseline(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Any
) -> None:
    """A store written by the version without reaction counts (its first migration only, a known post in it) is
    upgraded; the known post counts its reactions from what it has at the first read, not from zero."""
    graph, url = fake
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    graph.play([post(T0), react(T0 + timedelta(minutes=1), "ANGRY", 25)])
    graph.play([react(T0 + timedelta(minutes=20), "ANGRY", 2), comment(T0 + timedelta(minutes=20), 1)])
    db = str(tmp_path / "g.db")
    old = SqliteDatabase.open(db)
    await old.migrate(AREA, MIGRATIONS[:1])
    await old.execute(
        "INSERT INTO graph_posts (page, post_id, created, message_digest) VALUES (?, ?, ?, ?)",
        ("druvan", POST, int(T0.timestamp()), digest("Nya öppettider från måndag")),
    )
    await old.close()
    clock.set(T0 + timedelta(minutes=5))
    await poll_until(SourcesConfig(base_url=url), PAGES, clock, sink, T0 + timedelta(minutes=40), db)
    assert not sink.kinds("post.created")  # the post was known
    assert [e.id for e in reactions(sink)] == [f"fb:reaction:{POST}:polled:angry:{n}" for n in (26, 27)]


# -- a real daemon on loopback ----------------------------------------------------------------------------------------


@pytest.fixture
async def live_graph() -> AsyncIterator[tuple[FakeGraph, str]]:
    """The fake Graph server on the system clock, beside a daemon in another process."""
    graph = FakeGraph(SystemClock())
    graph.add_page(new_page(PAGE_ID, "Druvan"), "tok")
    async with graph.serve() as url:
        yield graph, url


def stored(tmp_path: Path) -> list[tuple[str, str]]:
    """The daemon's stored reactions (id, body), read beside it (WAL: a reader does not block it)."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return conn.execute("SELECT id, body FROM events WHERE kind = 'reaction.created' ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.slow
async def test_a_daemon_killed_mid_wave_counts_every_reaction_once(
    live_graph: tuple[FakeGraph, str], tmp_path: Path
) -> None:
    """``sentinel run`` polling the fake over loopback: twelve angry reactions are stored; the daemon is killed
    (SIGKILL) and five more come while it is down; started again on the same store, it stores those five, and
    none of the twelve again."""
    graph, url = live_graph
    apply(graph.pages[PAGE_ID], post(datetime.now(UTC) - timedelta(hours=1)))
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
    page_id: "{PAGE_ID}"
    access_token: tok
sources:
  base_url: {url}
  poll:
    security: {{min: 1s, max: 1s}}
    feed: {{min: 1s, max: 1s}}
  budget: {{max_calls_per_page_hour: 10000}}
"""
        + daemon_settings(tmp_path, port)
    )
    daemon = await start_daemon(cfg, port, "reactions-ingest-token")
    try:
        await daemon.until("the post read", lambda: any("reactions_like" in c.fields for c in graph.log))
        graph.pages[PAGE_ID].posts[POST].reactions["ANGRY"] = 12
        await daemon.until("twelve angry reactions stored", lambda: len(stored(tmp_path)) == 12)
        daemon.proc.kill()
        await daemon.proc.wait()
    finally:
        await stop_daemon(daemon)
    graph.pages[PAGE_ID].posts[POST].reactions["ANGRY"] = 17
    async with sentinel_daemon(cfg, port, "reactions-ingest-token") as again:
        await again.until("five more stored", lambda: len(stored(tmp_path)) >= 17)
        calls = len(graph.log)
        await again.until("two more reads", lambda: len(graph.log) >= calls + 2)
    rows = stored(tmp_path)
    assert [i for i, _ in rows] == sorted(f"fb:reaction:{POST}:polled:angry:{n}" for n in range(1, 18))
    assert all(orjson.loads(body)["actor"] is None for _, body in rows)
