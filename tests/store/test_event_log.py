from __future__ import annotations

from pathlib import Path

from sentinel.store.events import EventLog
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import at, event


async def test_events_are_stored_once_by_id_and_read_back_in_order(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    a, b = event("comment.created", at("1m"), id="x:1", message="Hej?"), event("post.deleted", at("2m"), id="x:2")
    assert [e.id for e in await log.add([a, b], "test")] == ["x:1", "x:2"]
    assert await log.add([a], "test") == []
    await db.close()

    db = SqliteDatabase.open(str(tmp_path / "s.db"))  # reopened: committed data survived
    log = EventLog(db)
    await log.start()
    rows = await log.read_after(0)
    assert [(e, src) for _, e, src in rows] == [(a, "test"), (b, "test")]
    assert await log.read_after(rows[0][0]) == rows[1:]
    await db.close()


async def test_migrations_apply_once_per_area(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    await log.start()
    rows = await db.fetchall("SELECT area, version FROM schema_migrations")
    assert rows == [("events", 1), ("events", 2), ("events", 3)]
    await db.close()


async def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    try:
        async with db.transaction():
            await log.add([event("post.deleted", at(), id="y:1")], "t")
            raise RuntimeError("crash mid-transaction")
    except RuntimeError:
        pass
    assert await log.count() == 0
    await db.close()


async def test_a_replayed_alert_transition_is_recorded_once_and_a_severity_rise_again(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    firing = {"time": "2026-12-04T10:00:00Z", "status": "firing", "rule": "r", "page": "p", "severity": "warning"}
    assert await log.add_alert(firing, "fp")
    assert not await log.add_alert({**firing, "time": "2026-12-04T10:00:02Z"}, "fp")  # the batch, replayed
    assert await log.add_alert({**firing, "severity": "critical"}, "fp")
    assert await log.add_alert({**firing, "status": "resolved"}, "fp")
    assert not await log.add_alert({**firing, "status": "resolved"}, "fp")
    assert [(a["status"], a["severity"]) for a in await log.alerts()] == [
        ("firing", "warning"),
        ("firing", "critical"),
        ("resolved", "warning"),
    ]
    await db.close()


async def test_a_stored_row_that_no_longer_decodes_comes_as_none_and_the_rows_after_it_still_come(
    tmp_path: Path,
) -> None:
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    good = event("comment.created", id="x:good", message="Hej?")
    await db.execute(
        "INSERT INTO events (id, time, platform, page, kind, source, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("x:bad", "2025-01-01T00:00:00+00:00", "facebook", "druvan", "comment.created", "ingest", b"{not json"),
    )
    await log.add([good], "ingest")
    rows = await log.read_after(0)
    assert [(e.id if e else None, src) for _, e, src in rows] == [(None, "ingest"), ("x:good", "ingest")]
    await db.close()
