"""The weekly report goes through the real SMTP path (``Smtp.deliver``, aiosmtplib) to an in-process mail sink
(aiosmtpd), to the people the page's sla route reaches, with a plain-text and an HTML part in the page's
language."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from sentinel.config.schema import PageConfig
from sentinel.model import Actor, ActorType, Event
from sentinel.reports.weekly import last_week
from sentinel.testing.daemon import free_port

ROOT = Path(__file__).resolve().parents[2]


class Sink:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append((list(envelope.rcpt_tos), mail))
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    s, port = Sink(), free_port()
    c = Controller(s, hostname="127.0.0.1", port=port)
    c.start()
    try:
        yield s, port
    finally:
        c.stop()


def config(tmp: Path, port: int) -> Path:
    cfg = tmp / "sentinel.yaml"
    cfg.write_text(f"""pages:
  - {{id: tag, name: Regiontåg, timezone: Europe/Stockholm, language: sv, staffed_hours: {{mon-fri: "08:00-17:00"}},
      holidays: SE, response_sla: 2h}}
  - {{id: shop, name: The Shop, timezone: Europe/London, language: en, staffed_hours: {{mon-fri: "09:00-17:00"}},
      response_sla: 2h}}
people:
  - {{name: lisa, email: lisa@tag.se, channels: [email]}}
  - {{name: tom, email: tom@shop.example, channels: [email]}}
  - {{name: erik, phone: "+46701234501", channels: [sms]}}
teams:
  - {{name: tag-desk, members: [lisa, erik]}}
escalation:
  policies:
    - {{name: tag-care, steps: [{{targets: [{{team: tag-desk}}]}}]}}
    - {{name: shop-care, steps: [{{targets: [{{person: tom}}]}}]}}
  routes:
    - {{category: sla, page: tag, policy: tag-care}}
    - {{category: sla, page: shop, policy: shop-care}}
notify:
  channels:
    email: {{type: smtp, host: 127.0.0.1, port: {port}, tls: none, sender: sentinel@tag.se}}
""")
    return cfg


def events(tmp: Path) -> Path:
    mon = datetime(2025, 11, 10, 8, 0, tzinfo=UTC)
    person, page = Actor("c", "Anna", ActorType.PERSON), Actor("p", "P", ActorType.PAGE)
    evs = [
        Event(
            "q1",
            mon,
            "facebook",
            "tag",
            "comment.created",
            person,
            {"comment_id": "q1", "post_id": "p", "parent_id": None, "message": "Har ni öppet i morgon"},
        ),
        Event(
            "r1",
            mon + timedelta(minutes=40),
            "facebook",
            "tag",
            "comment.created",
            page,
            {"comment_id": "r1", "post_id": "p", "parent_id": "q1", "message": "Ja"},
        ),
        Event(
            "q2",
            mon + timedelta(hours=1),
            "facebook",
            "shop",
            "message.received",
            person,
            {"thread_id": "c", "message": "Please call me"},
        ),
    ]
    f = tmp / "e.jsonl"
    f.write_text("".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in evs))
    return f


def test_the_weekly_report_reaches_each_pages_team_in_the_pages_language(
    tmp_path: Path, sink: tuple[Sink, int]
) -> None:
    box, port = sink
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sentinel",
            "report",
            "--config",
            str(config(tmp_path, port)),
            "--mail",
            "--from",
            "2025-11-10",
            "--to",
            "2025-11-16",
            str(events(tmp_path)),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = {tuple(rcpt): mail for rcpt, mail in box.mails}
    assert set(got) == {("lisa@tag.se",), ("tom@shop.example",)}  # erik has no e-mail address
    sv, en = got[("lisa@tag.se",)], got[("tom@shop.example",)]
    assert sv["Subject"] == "Veckorapport: svar till kunder på Regiontåg, 2025-11-10 – 2025-11-16"
    assert sv["Content-Language"] == "sv" and en["Content-Language"] == "en"
    text = sv.get_body(("plain",)).get_content()
    html = sv.get_body(("html",)).get_content()
    assert "1 bad om svar; 1 besvarade, 1 (100 %) inom utlovad svarstid" in text and "40m i bemannad tid" in text
    assert '<html lang="sv">' in html and "inom utlovad svarstid" in html
    en_text = en.get_body(("plain",)).get_content()
    assert "shop - Private messages" in en_text and "1 unanswered" in en_text
    assert '<html lang="en">' in en.get_body(("html",)).get_content()
    assert "report 2025-11-10..2025-11-16 sent to lisa@tag.se" in done.stdout


def test_without_an_smtp_channel_nothing_is_sent_and_the_command_says_why(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pages:\n  - {id: tag}\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "sentinel", "report", "--config", str(cfg), "--mail", str(events(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "no SMTP channel" in done.stderr


def test_last_week_is_monday_to_sunday_before_this_week_in_the_pages_zone() -> None:
    page = PageConfig(id="tag", timezone="Europe/Stockholm")
    # Sunday 23:30 UTC is already Monday 17 Nov in Stockholm: last week is 10..16 Nov
    assert last_week(datetime(2025, 11, 16, 23, 30, tzinfo=UTC), page) == (date(2025, 11, 10), date(2025, 11, 16))
    assert last_week(datetime(2025, 11, 16, 22, 30, tzinfo=UTC), page) == (date(2025, 11, 3), date(2025, 11, 9))


async def test_the_daemon_mails_last_weeks_report_on_monday_morning_once_even_across_a_restart(
    tmp_path: Path, sink: tuple[Sink, int]
) -> None:
    from sentinel.events.codec import parse_line
    from sentinel.reports.weekly import WeeklyMailer
    from sentinel.settings import parse_config
    from sentinel.store.events import EventLog
    from sentinel.store.sqlite import SqliteDatabase
    from sentinel.testing import FakeClock

    box, port = sink
    text = config(tmp_path, port).read_text()  # the Swedish page opts in, the English one does not
    root = parse_config(
        text.replace("holidays: SE, response_sla: 2h}", "holidays: SE, response_sla: 2h, weekly_report: true}"),
        read_only=True,
    )
    db = SqliteDatabase.open(str(tmp_path / "s.db"))
    log = EventLog(db)
    await log.start()
    await log.add([parse_line(x) for x in events(tmp_path).read_text().splitlines()], "test")
    monday = datetime(2025, 11, 17, 6, 59, tzinfo=UTC)  # 07:59 in Stockholm
    clock = FakeClock(monday)
    mailer = WeeklyMailer(lambda: root, db, clock)
    await mailer.tick(monday)
    assert box.mails == []
    await mailer.tick(monday + timedelta(minutes=6))  # 08:05 in Stockholm
    assert [rcpt for rcpt, _ in box.mails] == [["lisa@tag.se"]]  # shop did not opt in
    assert "2025-11-10 – 2025-11-16" in box.mails[0][1]["Subject"]
    await mailer.tick(monday + timedelta(minutes=30))
    await WeeklyMailer(lambda: root, db, clock).tick(monday + timedelta(hours=2))  # a restart
    assert len(box.mails) == 1
    await db.close()
