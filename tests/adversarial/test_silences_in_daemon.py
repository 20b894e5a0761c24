"""Silences made through the operator API, against a real daemon on loopback (a subprocess, the system clock).

A silence with a backtracking regex (``rule=~(.|.|.)*QQ``, allowed with the operator token alone because it also
says ``category!=hijack``) used to hang the daemon on the first alert it checked: no page for the hijack that
followed, no ``/healthz``, no stop on SIGTERM. And after a restart the stored silences were not applied until
something called the operator API or the console: alerts they matched paged people.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.model import Event
from sentinel.store.events import EventLog
from sentinel.store.factory import open_database
from sentinel.testing.daemon import (
    Daemon,
    enroll,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_call,
    start_daemon,
    stop_daemon,
)
from sentinel.testing.providers import KeyedFake, Received, serve

pytestmark = pytest.mark.slow

TOKEN = "silences-daemon-ingest-token"


def pages(hook: KeyedFake) -> list[dict[str, Any]]:
    """The pages the receiver took, in order."""
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received) and isinstance(r.json, dict) and r.json.get("kind") == "page"
    ]


def manage_granted(tmp_path: Path) -> list[tuple[str, str, str | None]]:
    """(status, user label, reason) of each ``hijack.manage_granted`` transition the daemon recorded, read from its
    store beside it (WAL: a reader does not block it), not through the operator API."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        rows = conn.execute("SELECT body FROM alerts WHERE rule = 'hijack.manage_granted' ORDER BY seq").fetchall()
    except sqlite3.OperationalError:  # no alerts table yet
        return []
    finally:
        conn.close()
    out = []
    for (body,) in rows:
        rec = orjson.loads(body)
        out.append((rec["status"], rec["labels"]["user"], rec.get("reason")))
    return out


async def answers_at_once(daemon: Daemon) -> bool:
    """``/healthz`` answers 200 within a second."""
    started = time.monotonic()
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as s,
        s.get(f"{daemon.url}/healthz") as r,
    ):
        return r.status == 200 and time.monotonic() - started < 1.0


async def test_a_backtracking_regex_silence_neither_hangs_the_daemon_nor_holds_back_a_hijack_page(
    tmp_path: Path,
) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        daemon = await start_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN)
        try:
            body = {"matchers": ["rule=~(.|.|.)*QQ", "category!=hijack"], "for": "1h", "comment": "campaign"}
            status, silence = await operator_call(daemon, "POST", "/api/v1/silences", body)
            assert status == 201, silence  # the operator token alone: it cannot mute a hijack
            await daemon.post_events([new_admin(datetime.now(UTC), "rx:grant")])  # after the silence started
            await daemon.until("the hijack's page", lambda: pages(hook), 10)
            for _ in range(3):
                assert await answers_at_once(daemon)
            assert manage_granted(tmp_path) == [("firing", "Mr X", None)]
        finally:
            stopped = await stop_daemon(daemon, wait_s=10)
        assert stopped == 0, daemon.log_tail()  # SIGTERM stops it cleanly
    assert len(pages(hook)) == 1


async def commit_unprocessed(tmp_path: Path, ev: Event) -> None:
    """What a daemon stopped right after taking ``ev`` in leaves: the event in the log, past the worker's cursor."""
    db = await open_database(f"sqlite:///{tmp_path / 'sentinel.db'}")
    try:
        events = EventLog(db)
        await events.start()
        assert await events.add([ev], "ingest")
    finally:
        await db.close()


async def test_a_silence_made_through_the_api_still_mutes_after_a_restart(tmp_path: Path) -> None:
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        first = await start_daemon(cfg, port, TOKEN)
        try:
            body = {
                "matchers": ["page=druvan", "user=Mr X"],  # it could mute a hijack: erik's code
                "for": "2h",
                "comment": "Mr X joins the agency's team tonight",
                "person": "erik",
                "code": erik.now(),
            }
            status, silence = await operator_call(first, "POST", "/api/v1/silences", body)
            assert status == 201, silence
        finally:
            assert await stop_daemon(first) == 0, first.log_tail()

        now = datetime.now(UTC)  # after the silence's start: a silence mutes alerts from the time it starts
        await commit_unprocessed(tmp_path, new_admin(now, "rs:backlog"))  # the worker's first batch at start
        # the same store; nothing calls the operator API or the console before the events are decided
        daemon = await start_daemon(cfg, port, TOKEN)
        try:
            await daemon.until("the backlog's alert", lambda: manage_granted(tmp_path))
            await daemon.post_events([new_admin(now, "rs:again", user_id="667")])  # Mr X again, another account
            await daemon.until("the second alert", lambda: len(manage_granted(tmp_path)) >= 2)
            await daemon.post_events([new_admin(now, "rs:other", user="Mr Y", user_id="668")])
            await daemon.until("the page for Mr Y", lambda: pages(hook))
            status, listed = await operator_call(daemon, "GET", "/api/v1/silences")
        finally:
            assert await stop_daemon(daemon) == 0, daemon.log_tail()

    assert manage_granted(tmp_path) == [
        ("suppressed", "Mr X", "silenced"),
        ("suppressed", "Mr X", "silenced"),
        ("firing", "Mr Y", None),
    ]
    [page] = pages(hook)
    assert "Mr Y" in page["summary"], page
    assert [(s["id"], s["state"]) for s in listed["items"]] == [(silence["id"], "active")]


async def test_a_silence_holds_on_the_wall_clock_not_on_the_events_own_times(tmp_path: Path) -> None:
    """An alert is decided at its event's place on the rules' event-time clock, which lags the wall clock by the
    delivery's delay: a silence made a moment ago did not mute a grant dated half a minute ago (it paged), and a
    silence expired a moment ago still muted one dated before the expiry."""
    erik = await enroll(tmp_path, "erik")
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        daemon = await start_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN)
        try:
            body = {
                "matchers": ["page=druvan", "user=Mr X"],
                "for": "2h",
                "comment": "Mr X joins the agency's team",
                "person": "erik",
                "code": erik.now(),
            }
            status, silence = await operator_call(daemon, "POST", "/api/v1/silences", body)
            assert status == 201, silence
            await daemon.post_events([new_admin(datetime.now(UTC) - timedelta(seconds=30), "wc:before")])
            await daemon.until("the first alert", lambda: manage_granted(tmp_path))
            status, expired = await operator_call(daemon, "DELETE", f"/api/v1/silences/{silence['id']}")
            assert status == 200, expired
            await daemon.post_events([new_admin(datetime.now(UTC) - timedelta(seconds=30), "wc:after", user_id="667")])
            await daemon.until("the page once the silence is over", lambda: pages(hook))
        finally:
            assert await stop_daemon(daemon) == 0, daemon.log_tail()
    assert manage_granted(tmp_path) == [("suppressed", "Mr X", "silenced"), ("firing", "Mr X", None)]
    assert len(pages(hook)) == 1


async def test_a_maintenance_window_for_a_page_not_in_the_config_is_refused_naming_the_pages(tmp_path: Path) -> None:
    """A typo (``nope`` for ``druvan``) used to answer 201 and make a window that muted nothing."""
    async with serve(KeyedFake()) as (_, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url, more_pages="  - id: other\n    timezone: UTC\n")
        daemon = await start_daemon(cfg, port, TOKEN)
        try:
            status, body = await operator_call(daemon, "POST", "/api/v1/maintenance", {"page": "nope", "for": "2h"})
            assert status == 400, body
            assert body["error"] == "page: no page 'nope' in the config (pages: druvan, other)"
            assert await operator_call(daemon, "GET", "/api/v1/maintenance") == (200, {"items": []})
            status, body = await operator_call(daemon, "POST", "/api/v1/maintenance", {"page": "other", "for": "2h"})
            assert status == 201 and "page=other" in body["matchers"], body
        finally:
            await stop_daemon(daemon)
