"""The silence book over a real SQLite store: what the operator API made is read back whole by a new book (a
restart), and a stored silence whose regex RE2 refuses is passed over with an error, not a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from structlog.testing import capture_logs

from sentinel.rules.silences import Matcher, Suppressor
from sentinel.security.silences import SilenceBook
from sentinel.security.store import SecurityStore
from sentinel.store.sqlite import SqliteDatabase

T0 = datetime(2025, 9, 26, 19, 40, tzinfo=UTC)


async def test_a_new_book_reads_back_every_silence_and_window_and_applies_them(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    try:
        made = SilenceBook(SecurityStore(db), Suppressor([]))
        crisis = (Matcher("page", "druvan"), Matcher("rule", "crisis\\..*", "=~"))
        sil = await made.create("silence", crisis, T0, T0 + timedelta(hours=2), "campaign", "erik")
        window = (Matcher("page", "druvan"), Matcher("category", "hijack", "!="))
        mw = await made.create("maintenance", window, T0, T0 + timedelta(hours=1), "", "operator:ops")
        gone = await made.create("silence", (Matcher("page", "other"),), T0, T0 + timedelta(hours=1), "", "erik")
        await made.expire(gone.silence.id, T0 + timedelta(minutes=1))

        suppressor = Suppressor([])
        await SilenceBook(SecurityStore(db), suppressor).load()  # what the daemon does at start
    finally:
        await db.close()
    assert sorted(s.id for s in suppressor.silences) == sorted([sil.silence.id, mw.silence.id])
    at = T0 + timedelta(minutes=30)
    crisis_alert = {"page": "druvan", "rule": "crisis.volume_spike", "category": "crisis"}
    assert suppressor.reason(crisis_alert, at, []) == "silenced"
    assert suppressor.reason(crisis_alert | {"rule": "hijack.manage_granted", "category": "hijack"}, at, []) is None
    assert suppressor.reason(crisis_alert | {"page": "other"}, at, []) is None


async def test_a_stored_silence_whose_regex_re2_refuses_is_passed_over_with_an_error(tmp_path: Path) -> None:
    db = SqliteDatabase.open(str(tmp_path / "sentinel.db"))
    try:
        store = SecurityStore(db)
        await store.start()
        # stored by a version whose matchers were Python's re, which took look-ahead
        old = orjson.dumps([["rule", "(?!hijack).*", "=~"]]).decode()
        await store.add_silence("sil-old", "silence", old, T0, T0 + timedelta(hours=2), "", "erik")
        ok = orjson.dumps([["page", "druvan", "="]]).decode()
        await store.add_silence("sil-ok", "silence", ok, T0, T0 + timedelta(hours=2), "", "erik")
        suppressor = Suppressor([])
        book = SilenceBook(store, suppressor)
        with capture_logs() as logs:
            await book.load()
            await book.load()  # several replicas re-read every second: said once
        listed = [r.silence.id for r in await book.list()]
    finally:
        await db.close()
    assert [s.id for s in suppressor.silences] == ["sil-ok"]
    assert listed == ["sil-ok"]
    [error] = [e for e in logs if e["event"] == "silences.unreadable"]
    assert error["log_level"] == "error" and error["id"] == "sil-old"
    assert "(?!" in error["matchers"] and "invalid perl operator" in error["error"]
