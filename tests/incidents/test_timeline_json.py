"""A timeline entry in the API: its own ``kind`` and ``time`` always win over a detail of the same name (a
``notified`` entry records the notification's kind, ``page``, which used to overwrite ``notified``), for entries
made now and for those a store already holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sentinel.incidents.state import TimelineEntry
from sentinel.incidents.store import IncidentStore
from sentinel.store.sqlite import SqliteDatabase

T = datetime(2025, 9, 26, 19, 40, tzinfo=UTC)


def test_a_notified_entry_keeps_its_kind_and_shows_the_notifications_kind_beside_it() -> None:
    entry = TimelineEntry(T, "notified", {"step": 1, "to": "security-oncall:erik", "channel": "sms", "kind": "page"})
    assert entry.to_json() == {
        "time": "2025-09-26T19:40:00+00:00",
        "kind": "notified",
        "step": 1,
        "to": "security-oncall:erik",
        "channel": "sms",
        "detail_kind": "page",
    }


def test_a_detail_named_time_does_not_replace_the_entrys_time() -> None:
    entry = TimelineEntry(T, "late_timer", {"time": "2025-09-26T19:00:00+00:00", "due": "x"})
    assert entry.to_json() == {
        "time": "2025-09-26T19:40:00+00:00",
        "kind": "late_timer",
        "detail_time": "2025-09-26T19:00:00+00:00",
        "due": "x",
    }


async def test_a_stored_notified_entry_reads_back_as_notified() -> None:
    db = SqliteDatabase.open(":memory:")
    try:
        await IncidentStore(db).migrate()
        detail = {"step": 1, "to": "security-oncall:erik", "channel": "webhook", "kind": "page"}
        await db.execute(  # as every version so far has written it
            "INSERT INTO incident_timeline (incident_id, n, time, kind, detail) VALUES (?, ?, ?, ?, ?)",
            ("inc-000001", 0, T.isoformat(), "notified", json.dumps(detail)),
        )
        [entry] = await IncidentStore(db).timeline("inc-000001")
        shown = entry.to_json()
        assert shown["kind"] == "notified" and shown["detail_kind"] == "page" and shown["channel"] == "webhook"
        assert entry.detail == detail  # the stored detail itself is unchanged
    finally:
        await db.close()
