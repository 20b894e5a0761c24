"""A takeover's aftermath survives kill -9: the restarted daemon still mutes the page's crisis alerts (a real daemon on
loopback, SQLite store).

The engine remembers a critical hijack alert for a day after it ended (``InhibitRule.aftermath``) in its snapshot,
which the worker commits with its cursor. Here the hijack alert ends before the last commit, so the restarted daemon
has only the snapshot to know of it: no alert still firing, no event to process again.
"""

from __future__ import annotations

import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from sentinel.testing import event, page_actor, person
from sentinel.testing.daemon import daemon_settings, free_port, start_daemon, stop_daemon

pytestmark = pytest.mark.slow

TOKEN = "aftermath-test-ingest-token"
RULES = """rules:
  - id: t.takeover
    category: hijack
    severity: critical
    match: {kinds: [post.created]}
    detect: {type: match}
    keep_firing_for: 1s
  - id: t.crisis
    category: crisis
    severity: warning
    match: {kinds: [comment.created]}
    detect: {type: match}
"""


def alerts(tmp_path: Path, rule: str) -> list[str]:
    """The statuses recorded for ``rule``, oldest first (read beside the running daemon)."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        rows = conn.execute("SELECT body FROM alerts WHERE rule = ? ORDER BY seq", (rule,)).fetchall()
    finally:
        conn.close()
    return [orjson.loads(b)["status"] for (b,) in rows]


def processed(tmp_path: Path, event_id: str) -> bool:
    """The event is stored and the pipeline's committed cursor has passed it."""
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        seq = conn.execute("SELECT seq FROM events WHERE id = ?", (event_id,)).fetchall()
        cursor = conn.execute("SELECT value FROM cursors WHERE name = 'pipeline.seq'").fetchall()
    finally:
        conn.close()
    return bool(seq) and bool(cursor) and int(cursor[0][0]) >= seq[0][0]


async def test_a_restart_after_kill_9_still_mutes_crises_the_day_after_a_takeover(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "aftermath.yaml").write_text(RULES)
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        "pages:\n  - id: druvan\n    timezone: UTC\n"
        f"rules:\n  dirs: [{tmp_path / 'rules'}]\n  include_shipped: false\n"
        "pipeline:\n  min_lateness: 1s\n" + daemon_settings(tmp_path, port)
    )
    now = datetime.now(UTC).replace(microsecond=0)
    takeover = event("post.created", now, id="t:takeover", actor=page_actor(), message="Gratis iPhone!")
    edit = event("post.edited", now, id="t:edit", actor=page_actor(), message="-")

    doomed = await start_daemon(cfg, port, TOKEN)
    try:
        await doomed.post_events([takeover])
        await doomed.until(
            "the takeover alert fired and ended",
            lambda: (
                alerts(tmp_path, "t.takeover")[-2:]
                == [
                    "firing",
                    "resolved",
                ]
            ),
        )
        await doomed.post_events([edit])  # a batch after the end: the engine's snapshot is committed with it
        await doomed.until("the batch after the end committed", lambda: processed(tmp_path, "t:edit"))
        doomed.proc.send_signal(signal.SIGKILL)
        await doomed.proc.wait()
    finally:
        await stop_daemon(doomed)
    assert doomed.proc.returncode == -signal.SIGKILL, doomed.log_tail()

    daemon = await start_daemon(cfg, port, TOKEN)  # the restart: same store
    try:
        worried = event(
            "comment.created", datetime.now(UTC), id="t:worried", actor=person(), message="Läckte mitt kort?"
        )
        await daemon.post_events([worried])
        statuses = await daemon.until("the crisis alert recorded", lambda: alerts(tmp_path, "t.crisis"))
    finally:
        stopped = await stop_daemon(daemon)
    assert stopped == 0, daemon.log_tail()
    assert statuses == ["suppressed"], daemon.log_tail()
