"""A time from outside never drives the daemon's clock (a real daemon on loopback, on the system clock).

An ingest event dated an hour, six hours or eight thousand years ahead used to
move the worker's "now": open hijack incidents resolved themselves (with
"resolved" texts, no code needed) and escalation ran into year 9999.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.model import Event
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, new_admin, operator_get, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "future-test-ingest-token"
OTHER_PAGE = "  - id: other\n    timezone: UTC\n"


async def future_count(daemon: Daemon) -> float:
    async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/metrics") as r:
        text = await r.text()
    return sum(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("sentinel_events_future_total{")
    )


def comment(i: int, when: datetime) -> Event:
    return event(
        "comment.created", when, page="other", id=f"ft:future:{i}", message="hej", post_id="p1", comment_id=f"c{i}"
    )


async def test_future_dated_events_leave_open_incidents_open_and_add_no_escalation_step(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url, more_pages=OTHER_PAGE)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            await daemon.post_events([new_admin(now, "ft:grant")])
            await daemon.until("the first page", lambda: len(hook.delivered) >= 1)
            [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            before = await operator_get(daemon, f"/api/v1/incidents/{incident['id']}")

            ahead = [now + timedelta(minutes=65), now + timedelta(hours=6), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]
            await daemon.post_events([comment(i, t) for i, t in enumerate(ahead)])
            await daemon.until("the future events counted", lambda: _at_least(future_count(daemon), 3))

            for _ in range(5):  # the daemon answers its health check at once, every time
                started = time.monotonic()
                async with aiohttp.ClientSession() as s, s.get(f"{daemon.url}/healthz") as r:
                    assert r.status == 200
                assert time.monotonic() - started < 1.0
                await asyncio.sleep(0.1)

            after = await operator_get(daemon, f"/api/v1/incidents/{incident['id']}")
            assert after["status"] == "triggered"
            steps = [e for e in after["timeline"] if e["kind"] == "escalated"]
            assert steps == [e for e in before["timeline"] if e["kind"] == "escalated"]
            assert len(steps) == 1
            assert not any(e["kind"] in ("resolved", "alert_resolved") for e in after["timeline"])
            assert len(hook.delivered) == 1

            # a source that keeps doing it: ten within the hour raise one health alert for it
            more = [comment(i, now + timedelta(hours=2)) for i in range(3, 10)]
            await daemon.post_events(more)
            await daemon.until("the ten future events counted", lambda: _at_least(future_count(daemon), 10))

    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:  # stored with the time they claim: event time is data
        times = dict(conn.execute("SELECT id, time FROM events WHERE id LIKE 'ft:future:%'").fetchall())
        health = conn.execute("SELECT status, page, body FROM alerts WHERE rule = 'health.future_events'").fetchall()
    finally:
        conn.close()
    assert times["ft:future:2"].startswith("9999-12-31T23:59")
    assert [(status, page) for status, page, _ in health] == [("firing", "other")]
    assert orjson.loads(health[0][2])["labels"] == {"source": "ingest"}


async def _at_least(value: Any, n: float) -> bool:
    return bool(await value >= n)


async def test_a_six_hour_clock_jump_sends_one_late_step_not_every_missed_one(tmp_path: Path) -> None:
    """A suspended host or an NTP step: the escalation path goes on from now instead of flooding the outbox."""
    start = datetime(2026, 1, 7, 22, 0, tzinfo=UTC)  # a Wednesday night: off hours on any weekday's staffed minute
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        env = {"SENTINEL_TEST_CLOCK": start.isoformat()}
        cfg = hijack_paging_config(tmp_path, port, hook_url, more_pages=OTHER_PAGE)
        async with (
            sentinel_daemon(cfg, port, TOKEN, env=env) as daemon,
            aiohttp.ClientSession() as s,
        ):
            await daemon.post_events([new_admin(start, "ft:grant")])

            async def clock(t: datetime) -> None:
                async with s.post(f"{daemon.url}/-/test/clock", json={"time": t.isoformat()}) as r:
                    assert r.status == 200, await r.text()

            await clock(start + timedelta(seconds=1))
            await daemon.until("the first page", lambda: len(hook.delivered) >= 1)
            await clock(start + timedelta(hours=6))  # 36 steps of 10 minutes missed
            [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            timeline = (await operator_get(daemon, f"/api/v1/incidents/{incident['id']}"))["timeline"]
            await daemon.until("the late step's page", lambda: len(hook.delivered) >= 2)
            assert [e["kind"] for e in timeline].count("escalated") == 2
            assert [e["kind"] for e in timeline].count("late_timer") == 1
            await clock(start + timedelta(hours=6, minutes=10))  # the path goes on from now
            await daemon.until("the next step's page", lambda: len(hook.delivered) >= 3)
            assert len(hook.delivered) == 3
