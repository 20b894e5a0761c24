"""Ids and names beyond their bound are refused where events come in (a real daemon on loopback, and replay).

The red-team case: 900 events with 50 KB actor names and thread ids grew the rule engine's snapshot to 185 MB,
rewritten after every batch; every later event held the loop ~3 s and ``/healthz`` answered in 5.8 s, and it
survived a restart. An identifier longer than ``codec.MAX_ID`` characters, or a name longer than
``codec.MAX_NAME``, is now refused at the codec: a 400 naming the field at the ingest API, a skipped line naming
``file:line`` in replay.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.events.codec import MAX_ID, MAX_NAME
from sentinel.model import Actor, Event
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, new_admin, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "bounds-test-ingest-token"
BIG = 50 * 1024


async def ingest(daemon: Daemon, events: list[Event]) -> tuple[int, Any]:
    body = b"\n".join(orjson.dumps(e.to_json()) for e in events)
    async with (
        aiohttp.ClientSession() as s,
        s.post(f"{daemon.url}/api/v1/events", data=body, headers={"Authorization": f"Bearer {daemon.token}"}) as r,
    ):
        return r.status, await r.json()


def asking(now: datetime, *, name: str = "Anna", thread: str = "t1") -> Event:
    return event(
        "message.received", now, actor=Actor(id="10004417", name=name, type="person"), thread_id=thread, message="Hej?"
    )


async def test_an_event_with_a_name_or_id_beyond_its_bound_is_refused_naming_the_field(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            status, answer = await ingest(daemon, [asking(now), asking(now, name="x" * BIG)])
            assert (status, answer["field"], answer["line"]) == (400, "actor.name", 2), answer
            status, answer = await ingest(daemon, [asking(now, thread="7" * BIG)])
            assert (status, answer["field"]) == (400, "object.thread_id"), answer
            grant = new_admin(now, user="y" * (MAX_NAME + 1))
            status, answer = await ingest(daemon, [grant])
            assert (status, answer["field"]) == (400, "object.user.name"), answer
            # at the bounds themselves: accepted, and the hijack is paged as ever
            ok = [asking(now, name="n" * MAX_NAME, thread="7" * MAX_ID), new_admin(now, user="z" * MAX_NAME)]
            assert await ingest(daemon, ok) == (200, {"accepted": 2, "new": 2, "duplicates": 0})
            await daemon.until("the hijack paged", lambda: len(hook.delivered) >= 1, wait_s=10)
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        longest = conn.execute("SELECT max(length(body)) FROM events").fetchone()[0]
    finally:
        conn.close()
    assert longest < 3 * MAX_ID, "nothing of the refused requests was stored"


def test_replay_skips_a_line_with_a_name_beyond_its_bound_naming_file_and_line(tmp_path: Path) -> None:
    now = datetime(2024, 5, 6, 12, tzinfo=UTC)
    lines = [asking(now, name="x" * BIG), asking(now, thread="7" * BIG), asking(now)]
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(e.to_json()) for e in lines) + b"\n")
    done = subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"{path}:1: 'actor.name' is 51,200 characters long; at most {MAX_NAME} are accepted" in done.stderr
    assert f"{path}:2: 'object.thread_id' is 51,200 characters long" in done.stderr
    assert "2 malformed line(s) skipped" in done.stderr
