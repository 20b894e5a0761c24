"""kill -9 at each commit boundary: no lost page, no second page, no stuck incident (a real daemon on loopback).

``SENTINEL_FAULT_KILL`` (``sentinel.faults``) kills the daemon at a named point while it handles one hijack event:
in the worker's commit of cursor + rule state + watermark, or in the incident's commit of its change + outbox rows
(the first is the incident opening, the second the decision to page). The daemon is started again without the
fault on the same store, and the receiver, the operator API and the store must show one page, one open triggered
incident, one stored event and one firing alert, as if nothing had happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from sentinel.faults import ENV
from sentinel.testing.daemon import free_port, hijack_paging_config, new_admin, operator_get, start_daemon, stop_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "crash-test-ingest-token"
EVENT_ID = "cb:grant"

POINTS = [
    "worker.before_commit",  # the batch's incident and page are committed, its cursor is not: the batch runs again
    "worker.after_commit",  # all committed; the page may not have left yet
    "incident.before_commit:1",  # the incident's opening is rolled back
    "incident.after_commit:1",  # opened, no page decided yet
    "incident.before_commit:2",  # the decision to page and its outbox row are rolled back together
    "incident.after_commit:2",  # the page is in the outbox, the batch's cursor is not committed
]


def store(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of the daemon's SQLite file, read beside the running daemon (WAL: readers do not block it)."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def settled(tmp_path: Path) -> bool:
    """The event went through the pipeline (the cursor passed it) and the outbox has nothing left to send."""
    [(seq,)] = store(tmp_path, f"SELECT seq FROM events WHERE id = '{EVENT_ID}'")
    cursor = store(tmp_path, "SELECT value FROM cursors WHERE name = 'pipeline.seq'")
    states = [s for (s,) in store(tmp_path, "SELECT state FROM notify_outbox")]
    return bool(cursor) and int(cursor[0][0]) >= seq and bool(states) and all(s == "sent" for s in states)


@pytest.mark.parametrize("point", POINTS)
async def test_a_kill_at_a_commit_boundary_loses_no_page_and_sends_none_twice(tmp_path: Path, point: str) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        doomed = await start_daemon(cfg, port, TOKEN, env={ENV: point})
        try:
            with contextlib.suppress(aiohttp.ClientError):  # committed before the answer; the kill may beat it
                await doomed.post_events([new_admin(datetime.now(UTC).replace(microsecond=0), EVENT_ID)])
            await asyncio.wait_for(doomed.proc.wait(), 20)  # the fault point kills it while it handles the event
        finally:
            await stop_daemon(doomed)
        assert doomed.proc.returncode == -signal.SIGKILL, f"not killed at {point}:\n{doomed.log_tail()}"

        daemon = await start_daemon(cfg, port, TOKEN)  # the restart: same store, no fault
        try:
            await daemon.until("the event through the pipeline and the outbox sent", lambda: settled(tmp_path))
            [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            detail = await operator_get(daemon, f"/api/v1/incidents/{incident['id']}")
        finally:
            stopped = await stop_daemon(daemon)
        assert stopped == 0, daemon.log_tail()

    keys = [r.headers.get("Idempotency-Key") for r in hook.requests]
    kinds = [e["kind"] for e in detail["timeline"]]
    assert {
        "pages delivered": len(hook.delivered),
        "idempotency keys": len(set(keys)),
        "incident": detail["status"],
        "escalation steps": kinds.count("escalated"),
        "pages in the timeline": kinds.count("notified"),
        "events stored": store(tmp_path, f"SELECT COUNT(*) FROM events WHERE id = '{EVENT_ID}'")[0][0],
    } == {
        "pages delivered": 1,
        "idempotency keys": 1,
        "incident": "triggered",
        "escalation steps": 1,
        "pages in the timeline": 1,
        "events stored": 1,
    }, f"after a kill at {point}: keys {keys}, timeline {kinds}"

    alerts = [
        orjson.loads(b)["category"] for (b,) in store(tmp_path, "SELECT body FROM alerts WHERE status = 'firing'")
    ]
    recorded = {
        "alert firing in the timeline": kinds.count("alert_firing"),
        "hijack alerts recorded": alerts.count("hijack"),
    }
    assert recorded == {"alert firing in the timeline": 1, "hijack alerts recorded": 1}, f"after a kill at {point}"
