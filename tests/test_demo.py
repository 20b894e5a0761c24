"""`sentinel demo` runs with no setup and shows the Friday-night hijack paged and mailed."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from sentinel.commands.demo import run_demo


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
        critical = conn.execute(
            "SELECT COUNT(*) FROM alerts WHERE status = 'firing' AND rule LIKE 'hijack.%'"
        ).fetchone()[0]
        last = conn.execute("SELECT MAX(seq) FROM events").fetchone()[0]
        saved = dict(conn.execute("SELECT name, value FROM cursors").fetchall())
    finally:
        conn.close()
    assert stored > 1000 and critical >= 1
    # a daemon started on the demo's store goes on after the demo's events, with the rules' state it left
    assert saved["pipeline.seq"] == str(last)
    assert '"rule":"hijack.' in saved["pipeline.engine"] and '"at":' in saved["pipeline.watermark"]


async def test_the_demo_prints_each_sms_as_sent_in_its_readers_language(tmp_path: Path, capsys) -> None:
    """One line per SMS, holding the one segment a provider would get (it printed every message in full)."""
    from sentinel.notify.gsm import is_gsm7

    rc = await run_demo(tmp_path, io.StringIO())
    printed = capsys.readouterr().out
    assert rc == 0
    sms = [line.split("): ", 1) for line in printed.splitlines() if line.startswith("  SMS    to +46")]
    assert sms and "Underlag:" not in printed and "Evidence:" not in printed
    assert all(len(body) <= 160 and is_gsm7(body) for _, body in sms)
    by = {who.rsplit("(", 1)[1]: body for who, body in sms}
    assert "got full control" in by["anna"] and by["anna"].endswith("to acknowledge")  # anna reads English
    assert "fick full behörighet" in by["sara"] and by["sara"].endswith("för att kvittera")


def test_the_demos_config_reads_its_own_store_back_from_any_folder(tmp_path: Path) -> None:
    import asyncio
    import subprocess
    import sys

    rc = asyncio.run(run_demo(tmp_path / "sentinel-demo", io.StringIO()))
    assert rc == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", "incidents", "-c", str(tmp_path / "sentinel-demo" / "sentinel.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=elsewhere,
    )
    assert r.returncode == 0, r.stderr
    header, *lines = r.stdout.splitlines()
    assert header.startswith("ID ") and lines and lines[0].startswith("inc-")
    assert " CET " in lines[0] or " CEST " in lines[0]  # the page's zone, named
    assert sorted(p.name for p in tmp_path.iterdir()) == before and not any(elsewhere.iterdir())
    check = subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(tmp_path / "sentinel-demo" / "sentinel.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
