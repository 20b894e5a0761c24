"""A store error while a hijack opens its incident: the batch runs again and the hijack is paged, once (a real daemon).

``SENTINEL_FAULT_FAIL`` (``sentinel.faults``) makes one store write fail, as a full disk or a locked database does,
at a named point while the daemon handles one hijack event: the incident's number, the incident's first commit (its
opening, after the manager changed its memory), or the worker's commit of the batch (after the incident and its page
were committed). The worker logs ``worker.batch_failed`` and runs the batch again a second later, from the state
before it. The store and the receiver must then show one incident, open and triggered, one page delivered, one
stored firing alert: what the daemon gives when nothing fails. (Before the fix the rule engine kept the alert it had
fired in the failed try, so the retry emitted nothing: no incident, no page.)
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.faults import FAIL_ENV
from sentinel.testing.daemon import free_port, hijack_paging_config, new_admin, start_daemon, stop_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "store-error-ingest-token"
EVENT_ID = "se:grant"

POINTS = [
    "incident.number",  # the red team's case: a full disk refused the incident number's update
    "incident.before_commit:1",  # the opening is rolled back after the manager made the incident in memory
    "worker.before_commit:1",  # incident and page committed, the batch's cursor not: the batch runs again
]


def rows(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def settled(tmp_path: Path) -> bool:
    """The event went through the pipeline (the cursor passed it) and the outbox has a page and nothing unsent."""
    [(seq,)] = rows(tmp_path, f"SELECT seq FROM events WHERE id = '{EVENT_ID}'")
    cursor = rows(tmp_path, "SELECT value FROM cursors WHERE name = 'pipeline.seq'")
    states = [s for (s,) in rows(tmp_path, "SELECT state FROM notify_outbox")]
    return bool(cursor) and int(cursor[0][0]) >= seq and bool(states) and all(s == "sent" for s in states)


@pytest.mark.parametrize("point", POINTS)
async def test_a_store_error_while_a_hijack_opens_its_incident_still_pages_once(tmp_path: Path, point: str) -> None:
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        daemon = await start_daemon(cfg, port, TOKEN, env={FAIL_ENV: point})
        try:
            await daemon.post_events([new_admin(datetime.now(UTC).replace(microsecond=0), EVENT_ID)])
            await daemon.until("the hijack paged after the retry", lambda: settled(tmp_path))
            await daemon.until("the page delivered", lambda: hook.delivered)
            failed = [r for r in daemon.log_records() if r.get("event") == "worker.batch_failed"]
            skipped = [r for r in daemon.log_records() if r.get("event") == "worker.event_skipped"]
        finally:
            stopped = await stop_daemon(daemon)
        assert stopped == 0, daemon.log_tail()

    incidents = rows(tmp_path, "SELECT id, status, category FROM incidents")
    [(incident, _, _)] = incidents if len(incidents) == 1 else [(None, None, None)]
    kinds = [k for (k,) in rows(tmp_path, f"SELECT kind FROM incident_timeline WHERE incident_id = '{incident}'")]
    alerts = [orjson.loads(b)["category"] for (b,) in rows(tmp_path, "SELECT body FROM alerts WHERE status = 'firing'")]
    assert {
        "batches failed": len(failed),
        "events skipped": len(skipped),
        "incidents": [(status, category) for _, status, category in incidents],
        "pages delivered": len(hook.delivered),
        "pages in the timeline": kinds.count("notified"),
        "alert firing in the timeline": kinds.count("alert_firing"),
        "hijack alerts recorded": alerts.count("hijack"),
    } == {
        "batches failed": 1,
        "events skipped": 0,
        "incidents": [("triggered", "hijack")],
        "pages delivered": 1,
        "pages in the timeline": 1,
        "alert firing in the timeline": 1,
        "hijack alerts recorded": 1,
    }, f"a store error at {point}: timeline {kinds}"
