"""`sentinel demo` runs with no setup and shows the Friday-night hijack paged and mailed."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from sentinel.demo import run_demo


async def test_demo_pages_security_for_the_hijack_and_mail_reaches_the_sink(tmp_path: Path) -> None:
    out = io.StringIO()
    rc = await run_demo(tmp_path, out)
    text = out.getvalue()
    assert rc == 0, text[-3000:]
    assert "critical hijack.manage_granted" in text
    assert "sms   → security-oncall:" in text
    assert "e-mails caught by the local mail sink" in text and "MAIL   to " in text
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        stored = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        critical = conn.execute("SELECT COUNT(*) FROM alerts WHERE status = 'firing' AND rule LIKE 'hijack.%'"
                                ).fetchone()[0]
    finally:
        conn.close()
    assert stored > 1000 and critical >= 1
