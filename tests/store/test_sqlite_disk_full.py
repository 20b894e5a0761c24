"""The SQLite store's disk fills under a running daemon, then has room again (a real ``sentinel run``).

The red-team case (a 600 KiB tmpfs filled while the daemon ran): ingest answered 500 with a raw traceback, not the
documented 503 "store unavailable, retry", because the transaction's COMMIT and ROLLBACK ran unwrapped and SQLite's
"database or disk is full" escaped as an ``sqlite3.OperationalError``. The disk here is made full by
``SENTINEL_FAULT_FULL`` (``sentinel/faults.py``): while its file exists SQLite cannot add a page to the store, and
answers ``SQLITE_FULL`` as on a full disk (rolling the transaction back itself)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinel.faults import FULL_ENV
from sentinel.model import Event
from sentinel.testing import event
from sentinel.testing.daemon import (
    free_port,
    hijack_paging_config,
    new_admin,
    operator_get,
    start_daemon,
    stop_daemon,
)
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "disk-full-ingest-token-0123456789"


def comments(now: datetime, prefix: str, n: int = 200) -> list[Event]:
    """Enough text (about 100 KB) that storing it needs pages the store does not have yet."""
    return [
        event("comment.created", now, id=f"{prefix}:{i}", message=f"Hej {i} " + "bla " * 120, comment_id=f"{prefix}{i}")
        for i in range(n)
    ]


async def test_ingest_on_a_full_disk_answers_503_and_the_daemon_goes_on_when_there_is_room(tmp_path: Path) -> None:
    full = tmp_path / "disk-full"
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url)
        daemon = await start_daemon(cfg, port, TOKEN, env={FULL_ENV: str(full)})
        try:
            now = datetime.now(UTC).replace(microsecond=0)
            full.touch()
            status, answer = await daemon.ingest(comments(now, "full"))
            assert (status, answer) == (503, {"error": "store unavailable, retry"})
            status, answer = await daemon.ingest([new_admin(now, "during"), *comments(now, "full")])
            assert status == 503, answer
            assert await daemon.alive()

            full.unlink()
            assert (await daemon.ingest(comments(now, "room")))[0] == 200
            assert await daemon.ingest([new_admin(now, "after")]) == (200, {"accepted": 1, "new": 1, "duplicates": 0})
            await daemon.until("the hijack paged", lambda: hook.delivered)
            [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            assert (incident["category"], incident["page"]) == ("hijack", "druvan"), incident
        finally:
            code = await stop_daemon(daemon)
        text = daemon.log.read_text(errors="replace")
        assert code == 0, daemon.log_tail()
        assert "Traceback" not in text, text[-6000:]
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:  # nothing of the refused deliveries was stored, all of the later ones
        ids = {r[0] for r in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()
    assert not {i for i in ids if i.startswith("full:") or i == "during"}
    assert {i for i in ids if i.startswith("room:")} == {f"room:{i}" for i in range(200)} and "after" in ids
