"""A six-hour page life read through the fake Graph server, with a restart in the middle."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp

from sentinel.config.schema import PageConfig
from sentinel.config.types import Secret
from sentinel.sources.graph import GraphPoller
from sentinel.sources.graph_config import SourcesConfig
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import T0, FakeClock
from sentinel.testing.graph import FakeGraph
from sentinel.testing.graph_life import Step, new_page, random_life, truth

PAGE_ID = "101259571653026"


def _setup(fake: FakeGraph, hours: float, seed: int) -> list[Step]:
    page = new_page(PAGE_ID, "Druvan")
    fake.add_page(page, "tok-druvan")
    steps = random_life(
        page,
        T0,
        hours,
        seed,
        role_grant_at=T0 + timedelta(hours=2, minutes=10, seconds=7),
        name_change_at=T0 + timedelta(hours=4, minutes=20, seconds=3),
    )
    fake.play(steps)
    return steps


async def _run(poller: GraphPoller, clock: FakeClock, until: object) -> None:
    while clock.now() < until:  # type: ignore[operator]
        await poller.tick(clock.now())
        nd = poller.next_due()
        assert nd is not None
        clock.set(max(nd, clock.now() + timedelta(seconds=1)))


async def test_six_hour_life_with_restart_gives_the_truth_exactly(
    fake: tuple[FakeGraph, str], clock: FakeClock, sink: Any, tmp_path: Path
) -> None:
    graph, url = fake
    steps = _setup(graph, 6, seed=7)
    config = SourcesConfig(base_url=url)
    pages = [PageConfig(id="druvan", page_id=PAGE_ID, access_token=Secret("tok-druvan"))]
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    async with aiohttp.ClientSession() as session:
        poller = GraphPoller(config, pages, db, sink, clock, session)
        await poller.start()
        await _run(poller, clock, T0 + timedelta(hours=3))
        await poller.stop()
        await db.close()
        db = SqliteDatabase.open(str(tmp_path / "s.db"))  # the restart: fresh process state, same store
        poller = GraphPoller(config, pages, db, sink, clock, session)
        await poller.start()
        await _run(poller, clock, T0 + timedelta(hours=6, minutes=20))
        await poller.stop()
    await db.close()

    expected = truth(steps, "druvan", PAGE_ID)
    kinds = {v["kind"] for v in expected.values()}
    assert {
        "post.created",
        "comment.created",
        "post.edited",
        "post.deleted",
        "role.granted",
        "page.changed",
        "message.received",
    } <= kinds
    assert any(v["kind"] == "comment.created" and v["parent_id"] for v in expected.values())
    got = dict(sink.events)
    assert sink.duplicates == 0
    unmatched = []
    for key, want in expected.items():
        if key.startswith("edit:"):
            match = [
                e
                for e in got.values()
                if e.kind == "post.edited"
                and e.object["post_id"] == want["post_id"]
                and e.object["message"] == want["message"]
            ]
        elif key.startswith("setting:"):
            match = [
                e
                for e in got.values()
                if e.kind == "page.changed" and e.object["field"] == want["field"] and e.object["new"] == want["new"]
            ]
        else:
            match = [got[key]] if key in got else []
        if len(match) != 1:
            unmatched.append(key)
            continue
        ev = match[0]
        del got[ev.id]
        assert ev.kind == want["kind"], key
        if want.get("observed"):  # the platform does not say when: seen at the next look
            assert want["time"] <= ev.time <= want["time"] + timedelta(minutes=16), key
        else:
            assert ev.time == want["time"], key
        for field in ("message", "post_id", "parent_id", "tasks"):
            if field in want:
                assert ev.object[field] == want[field], (key, field)
    assert unmatched == []
    assert list(got) == []  # nothing the truth does not have
    grant = next(e for e in sink.events.values() if e.kind == "role.granted")
    assert grant.time - (T0 + timedelta(hours=2, minutes=10, seconds=7)) <= timedelta(seconds=60)
    assert grant.object["user"] == {"id": "6666", "name": "Mr X"}
