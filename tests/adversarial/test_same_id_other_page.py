"""An id used on another page or platform never silences a hijack (a real daemon on loopback).

The red-team case: a comment with id ``42`` on page ``other``, then a stranger given MANAGE on ``druvan`` with id
``42``. The event log's key was the id alone: the daemon answered ``{"accepted": 1, "new": 0, "duplicates": 1}``,
stored nothing, opened no incident and paged nobody, while ``sentinel replay`` of the same two lines fired
``hijack.manage_granted``. Events are one occurrence by platform, page and id (``Event.identity``) in both now.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.model import Event
from sentinel.store.events import MIGRATIONS
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, new_admin, operator_get, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "identity-test-ingest-token"
OTHER_PAGE = "  - id: other\n    timezone: UTC\n"


def comment(now: datetime, platform: str = "facebook") -> Event:
    return event(
        "comment.created", now, page="other", platform=platform, id="42", message="hej", post_id="p1", comment_id="42"
    )


async def hijack_paged(daemon: Daemon, hook: KeyedFake) -> dict[str, Any]:
    """Wait for erik's page, and return the one incident: a hijack of ``druvan``."""
    await daemon.until("the hijack paged", lambda: len(hook.delivered) >= 1, wait_s=10)
    [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
    assert (incident["category"], incident["page"]) == ("hijack", "druvan"), incident
    return dict(incident)


async def test_a_hijack_with_an_id_a_comment_used_on_another_page_is_stored_and_paged(tmp_path: Path) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url, more_pages=OTHER_PAGE)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            now = datetime.now(UTC).replace(microsecond=0)
            assert await daemon.ingest([comment(now)]) == (200, {"accepted": 1, "new": 1, "duplicates": 0})
            grant = new_admin(now, "42")
            assert await daemon.ingest([grant]) == (200, {"accepted": 1, "new": 1, "duplicates": 0})
            await hijack_paged(daemon, hook)
            # the same occurrence again (a client's retry) is the duplicate, and the comment on another platform not
            assert await daemon.ingest([grant, comment(now, "instagram")]) == (
                200,
                {"accepted": 2, "new": 1, "duplicates": 1},
            )
            assert [i["page"] for i in (await operator_get(daemon, "/api/v1/incidents"))["incidents"]] == ["druvan"]
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        stored = conn.execute("SELECT platform, page, id, kind FROM events ORDER BY seq").fetchall()
    finally:
        conn.close()
    assert stored == [
        ("facebook", "other", "42", "comment.created"),
        ("facebook", "druvan", "42", "role.granted"),
        ("instagram", "other", "42", "comment.created"),
    ]


async def test_a_store_of_the_old_schema_is_migrated_at_start_and_its_ids_silence_nothing(tmp_path: Path) -> None:
    """The comment was stored by a daemon of the old schema (ids unique on their own); the upgraded daemon migrates
    the store at its start, keeps the comment, and pages the hijack that reuses its id."""
    now = datetime.now(UTC).replace(microsecond=0)
    old = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    await old.migrate("events", MIGRATIONS[:2])
    c = comment(now)
    await old.execute(
        "INSERT INTO events (id, time, page, kind, source, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (c.id, c.time.isoformat(), c.page, c.kind, "ingest", orjson.dumps(c.to_json())),
    )
    await old.close()
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url, more_pages=OTHER_PAGE)
        async with sentinel_daemon(cfg, port, TOKEN) as daemon:
            assert await daemon.ingest([c]) == (200, {"accepted": 1, "new": 0, "duplicates": 1})  # stored before
            assert await daemon.ingest([new_admin(now, "42")]) == (200, {"accepted": 1, "new": 1, "duplicates": 0})
            await hijack_paged(daemon, hook)
