"""Hostile providers and hostile event data, against a real daemon on loopback (a subprocess, the system clock).

A webhook provider that answered 200 with ``Content-Length: 3000000000`` and streamed took the daemon from
100 MB to 1.8 GB in 12 s, then MemoryError in every task, /healthz and ingest refused, the outbox stuck in
``sending``. The daemon must read a few KiB of it, count the page sent (the provider said 200), and stay flat.

An event whose data held CR/LF made the e-mail copy of its page raise ``ValueError`` in ``EmailMessage``: an
unretrieved task exception, the row ``sending`` for ever, no give-up, no alert. Header values are now one line.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinel.testing.daemon import (
    Daemon,
    free_port,
    hijack_paging_config,
    new_admin,
    sentinel_daemon,
)
from sentinel.testing.mail import MailSink
from sentinel.testing.providers import KeyedFake, Reply, serve

pytestmark = pytest.mark.slow

TOKEN = "hostile-providers-ingest-token"
FLOOD = 400 << 20  # what the provider streams before it holds; the daemon had read all of it
GROWTH_AT_MOST = 48 << 20  # the daemon's RSS may grow by this much while it is paging (an import or two)


def rss(daemon: Daemon) -> int:
    """The daemon process's resident set, in bytes (``VmRSS`` of /proc/PID/status)."""
    for line in Path(f"/proc/{daemon.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def outbox(tmp_path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return list(conn.execute("SELECT key, state, reason FROM notify_outbox"))
    finally:
        conn.close()


async def test_a_webhook_answer_that_never_ends_is_read_to_a_bound_and_the_page_counts_as_sent(
    tmp_path: Path,
) -> None:
    async with serve(KeyedFake()) as (fake, hook_url):
        fake.script(Reply(flood=FLOOD))
        port = free_port()
        async with sentinel_daemon(hijack_paging_config(tmp_path, port, hook_url), port, TOKEN) as d:
            before = rss(d)
            peak = before

            def sent() -> list[tuple[str, str, str]]:
                nonlocal peak
                peak = max(peak, rss(d))
                assert peak - before < GROWTH_AT_MOST, f"RSS {before >> 20} MiB -> {peak >> 20} MiB"
                return [r for r in outbox(tmp_path) if r[1] == "sent"]

            await d.post_events([new_admin(datetime.now(UTC))])
            [(key, _, reason)] = await d.until("the page counted sent", sent)
            assert key.endswith(":erik:webhook:page") and reason == "sent"
            assert fake.flooded < FLOOD // 4  # the daemon hung up; the provider could not push the rest
            assert await d.alive()
            after = rss(d)
            print(f"daemon RSS: {before >> 20} MiB before, {peak >> 20} MiB at most, {after >> 20} MiB after")
            assert after - before < GROWTH_AT_MOST


def mail_and_hook_config(tmp_path: Path, port: int, hook_url: str, smtp_port: int) -> Path:
    """``hijack_paging_config``'s page and erik, paged by webhook and e-mail, the subject the alert's summary (which
    quotes the new admin's name, as the event gave it)."""
    base = hijack_paging_config(tmp_path, port, hook_url).read_text()
    base = base.replace("channels: [webhook]", "channels: [webhook, email]").replace(
        "people:\n  - name: erik\n", "people:\n  - name: erik\n    email: erik@druvan.se\n"
    )
    base = base.replace(
        "notify:\n  channels:\n",
        'notify:\n  templates:\n    - {subject: "$summary"}\n  channels:\n'
        f"    email: {{type: smtp, host: 127.0.0.1, port: {smtp_port}, tls: none, sender: s@druvan.se}}\n",
    )
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(base)
    return cfg


async def test_an_admin_name_with_cr_lf_is_mailed_on_one_subject_line_and_adds_no_recipient(tmp_path: Path) -> None:
    with MailSink() as sink:
        async with serve(KeyedFake()) as (fake, hook_url):
            port = free_port()
            cfg = mail_and_hook_config(tmp_path, port, hook_url, sink.port)
            async with sentinel_daemon(cfg, port, TOKEN) as d:
                grant = new_admin(datetime.now(UTC), user="Mr X\r\nBcc: evil@evil.example")
                await d.post_events([grant])
                [mail] = await d.until("the e-mail page", lambda: sink.messages)
                assert mail["Bcc"] is None and mail["To"] == "erik@druvan.se"
                assert "Mr X Bcc: evil@evil.example" in " ".join(mail["Subject"].split())
                await d.until("both pages sent", lambda: len([r for r in outbox(tmp_path) if r[1] == "sent"]) == 2)
                assert sorted(k.split(":")[-2] for k, _, _ in outbox(tmp_path)) == ["email", "webhook"]
                assert [r for r in outbox(tmp_path) if r[1] == "sending"] == []
                assert fake.delivered
