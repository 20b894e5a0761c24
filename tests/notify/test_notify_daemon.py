"""Failure pages someone, against the real daemon on loopback: a page that gives up raises
``health.delivery_failed`` to another person on another channel, and SMS from an unknown number get
at most one answer, across a restart.

The daemon is a subprocess (``sentinel run``); the 46elks fake and the SMTP server (aiosmtpd) run here.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from notify_helpers import Mailhost

from sentinel.clock import SystemClock
from sentinel.testing import event, person
from sentinel.testing.daemon import Daemon, daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import Elks46Fake, Reply, serve

pytestmark = pytest.mark.slow

TOKEN = "notify-daemon-token"
ELKS_TOKEN = "elks-inbound-token"
STRANGER = "+46700000099"


def outbox(tmp_path: Path, where: str) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        return list(conn.execute(f"SELECT key, state, reason FROM notify_outbox WHERE {where}"))
    except sqlite3.OperationalError:  # not migrated yet
        return []
    finally:
        conn.close()


def paging_config(tmp_path: Path, port: int, sms_url: str, smtp_port: int, on_call_at: int | None = None) -> Path:
    """Hijacks page erik by SMS (46elks at ``sms_url``); a health alert pages erik and anna (by e-mail).
    ``on_call_at``: erik is paged for hijacks through a schedule that has him on call only from that hour (UTC)
    for half an hour."""
    security = "{schedule: sec}" if on_call_at is not None else "{person: erik}"
    schedules = (
        f"""schedules:
  - name: sec
    timezone: UTC
    layers:
      - name: nights
        users: [erik]
        rotation: daily
        handoff: "00:00"
        start: 2024-01-01
        restrict: {{mon-sun: "{on_call_at:02d}:00-{on_call_at:02d}:30"}}
"""
        if on_call_at is not None
        else ""
    )
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
people:
  - {{name: erik, phone: "+46701234501", email: erik@druvan.se, channels: [sms]}}
  - {{name: anna, email: anna@druvan.se, channels: [email]}}
escalation:
  group_wait: 0s
  policies:
    - name: security
      steps:
        - targets: [{security}]
    - name: ops
      steps:
        - targets: [{{person: erik}}, {{person: anna}}]
  routes:
    - {{category: hijack, policy: security}}
    - {{category: health, severity: critical, policy: ops}}
notify:
  delivery: {{max_attempts: 2, backoff_initial: 1s}}
  channels:
    sms: {{type: 46elks, url: "{sms_url}", username: u, password: p}}
    email: {{type: smtp, host: 127.0.0.1, port: {smtp_port}, tls: none, sender: sentinel@druvan.se}}
"""
        + schedules
        + daemon_settings(tmp_path, port)
    )
    return cfg


async def test_a_page_that_gives_up_pages_another_person_on_another_channel(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    host, smtp_port = mailhost
    async with serve(Elks46Fake()) as (fake, url):
        fake.script(*[Reply(403)] * 10)  # 46elks: "Invalid to number", a permanent error
        port = free_port()
        cfg = paging_config(tmp_path, port, f"{url}/a1/sms", smtp_port)
        async with sentinel_daemon(cfg, port, TOKEN) as d:
            grant = event(
                "role.granted",
                SystemClock().now(),
                actor=person("Mr X"),
                user={"id": "666", "name": "Mr X"},
                tasks=["MANAGE"],
            )
            await d.post_events([grant])
            await d.until("the hijack page at 46elks", lambda: fake.requests)
            mails = await d.until("a mail to anna", lambda: [m for m in host.mails if m["To"] == "anna@druvan.se"])
            body = mails[0].get_body(("plain",)).get_content()
            assert "CRITICAL monitoring blind" in mails[0]["Subject"]
            assert "to erik via sms gave up (rejected)" in body
            # erik's copy of that page is kept off the SMS that just failed (sms has no fallback here)
            await d.until(
                "erik's copy avoided",
                lambda: outbox(tmp_path, "key LIKE '%:erik:sms:page' AND state = 'muted' AND reason = 'avoided'"),
            )
            assert len(fake.requests) == 1  # the page itself, once; no loop of SMS
            assert outbox(tmp_path, "kind = 'page' AND state IN ('pending', 'sending')") == []


async def test_a_provider_that_redirects_is_a_failed_page_not_a_sent_one(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    """aiohttp followed a 302 with a GET and no body, which the address it pointed to answered 200: the page was
    counted sent and reached nobody, and the delivery-failure page never went out."""
    host, smtp_port = mailhost
    reached: list[str] = []

    async def moved(_: web.Request) -> web.Response:
        raise web.HTTPFound("/a2/sms")  # the account moved

    async def anything(request: web.Request) -> web.Response:
        reached.append(request.method)
        return web.json_response({"id": "s1", "status": "created"})  # 200 to whatever comes

    app = web.Application()
    app.router.add_route("*", "/a1/sms", moved)
    app.router.add_route("*", "/a2/sms", anything)
    runner = web.AppRunner(app)
    await runner.setup()
    provider_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", provider_port).start()
    try:
        port = free_port()
        cfg = paging_config(tmp_path, port, f"http://127.0.0.1:{provider_port}/a1/sms", smtp_port)
        async with sentinel_daemon(cfg, port, TOKEN) as d:
            grant = event("role.granted", SystemClock().now(), user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])
            await d.post_events([grant])
            mails = await d.until("a mail to anna", lambda: [m for m in host.mails if m["To"] == "anna@druvan.se"])
            assert "to erik via sms gave up (rejected)" in mails[0].get_body(("plain",)).get_content()
            rows = outbox(tmp_path, "key LIKE '%:erik:sms:page' AND kind = 'page'")
            assert ("failed", "rejected") in [(state, reason) for _, state, reason in rows], rows
    finally:
        await runner.cleanup()
    assert reached == []  # nothing was sent on to where it pointed


async def test_a_step_that_pages_nobody_pages_the_health_route(tmp_path: Path, mailhost: tuple[Mailhost, int]) -> None:
    """A critical hijack whose schedule has nobody on call right now paged nobody, and said so only in the
    incident's timeline: no warning, no metric, no page to anyone."""
    host, smtp_port = mailhost
    slot = (datetime.now(UTC).hour + 12) % 24  # erik is on call half a day from now, not now
    async with serve(Elks46Fake()) as (fake, url):
        port = free_port()
        cfg = paging_config(tmp_path, port, f"{url}/a1/sms", smtp_port, on_call_at=slot)
        async with sentinel_daemon(cfg, port, TOKEN) as d:
            grant = event("role.granted", SystemClock().now(), user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])
            await d.post_events([grant])
            mails = await d.until("a mail to anna", lambda: [m for m in host.mails if m["To"] == "anna@druvan.se"])
            assert "nobody was paged" in mails[0].get_body(("plain",)).get_content()
            assert any(r.get("event") == "incidents.step_reached_nobody" for r in d.log_records())
            async with aiohttp.ClientSession() as session, session.get(f"{d.url}/metrics") as r:
                unreached = [
                    x
                    for x in (await r.text()).splitlines()
                    if x.startswith("sentinel_escalation_steps_unreached_total{")
                ]
            # (warning or critical: by the hour)
            assert [float(x.rsplit(" ", 1)[1]) for x in unreached] == [1.0], unreached
    # erik is not on call for hijacks: his one SMS is the health page, as one of the ops policy's people
    assert ["nobody was paged" in r.form["message"] for r in fake.requests] == [True], fake.requests


async def test_a_critical_alert_no_route_takes_pages_the_health_route(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    """Routes take hijacks and health alerts only; a critical crisis alert (here a rule of the page's own) matched
    none. It paged nobody and said nothing: now the health route hears, as for a step that reached nobody."""
    host, smtp_port = mailhost
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "storm.yaml").write_text(
        """rules:
  - id: crisis.the_word
    category: crisis
    severity: critical
    match: {kinds: [comment.created], when: 'object.message.contains("bojkotta")'}
    detect: {type: match, key: id}
    annotations: {summary: {en: "boycott called"}}
"""
    )
    async with serve(Elks46Fake()) as (fake, url):
        port = free_port()
        cfg = paging_config(tmp_path, port, f"{url}/a1/sms", smtp_port)
        cfg.write_text(cfg.read_text() + f"rules:\n  dirs: [{tmp_path / 'rules'}]\n")
        async with sentinel_daemon(cfg, port, TOKEN) as d:
            call = event("comment.created", SystemClock().now(), message="bojkotta dem", post_id="p1", comment_id="c1")
            await d.post_events([call])
            mails = await d.until("a mail to anna", lambda: [m for m in host.mails if m["To"] == "anna@druvan.se"])
            assert "nobody was paged" in mails[0].get_body(("plain",)).get_content()
            assert any(r.get("event") == "incidents.step_reached_nobody" for r in d.log_records())
            await d.until("erik's SMS", lambda: fake.requests)
    # erik's one SMS is the health page, as one of the ops policy's people: the crisis itself went to no one
    assert ["nobody was paged" in r.form["message"] for r in fake.requests] == [True], fake.requests


async def post_sms(d: Daemon, mid: str, sender: str) -> str:
    form = {"id": mid, "from": sender, "to": "+46766860000", "message": "STOP", "direction": "incoming"}
    async with aiohttp.ClientSession() as s, s.post(f"{d.url}/api/v1/sms/46elks/{ELKS_TOKEN}", data=form) as r:
        assert r.status == 200, await r.text()
        return await r.text()


async def test_a_known_persons_reply_is_logged_and_audited_without_their_number(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    """Every SMS reply by erik (right, wrong or spent code) logged his full number as ``remote``; an unknown
    sender's number was only ever kept hashed."""
    _, smtp_port = mailhost
    async with serve(Elks46Fake()) as (fake, url):
        port = free_port()
        cfg = paging_config(tmp_path, port, f"{url}/a1/sms", smtp_port)
        cfg.write_text(cfg.read_text() + f"security:\n  sms_inbound: {{elks_token: {ELKS_TOKEN}}}\n")
        async with sentinel_daemon(cfg, port, TOKEN) as d:
            grant = event(
                "role.granted", SystemClock().now(), actor=person("X"), user={"id": "6", "name": "X"}, tasks=["MANAGE"]
            )
            await d.post_events([grant])
            await d.until("the hijack page at 46elks", lambda: fake.requests)
            form = {"id": "r1", "from": "+46701234501", "to": "+4676", "message": "1a 000000", "direction": "incoming"}
            async with aiohttp.ClientSession() as s, s.post(f"{d.url}/api/v1/sms/46elks/{ELKS_TOKEN}", data=form) as r:
                assert r.status == 200 and "inc-000001" in await r.text()
            checked = await d.until(
                "the code checked", lambda: [x for x in d.log_records() if x.get("event") == "security.code_checked"]
            )
            assert checked[0]["person"] == "erik" and checked[0]["remote"] == "sms …01", checked
            assert "+46701234501" not in d.log.read_text(errors="replace")
            conn = sqlite3.connect(tmp_path / "sentinel.db")
            try:
                remotes = [row[0] for row in conn.execute("SELECT remote FROM security_audit")]
            finally:
                conn.close()
            assert remotes == ["sms …01"], remotes


async def test_sms_from_unknown_numbers_get_few_answers_even_across_a_restart(tmp_path: Path) -> None:
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
security:
  sms_inbound: {{elks_token: {ELKS_TOKEN}}}
"""
        + daemon_settings(tmp_path, port)
    )
    async with sentinel_daemon(cfg, port, TOKEN) as d:
        answers = [await post_sms(d, f"m{i}", STRANGER) for i in range(20)]
        assert answers[0] == "Not recognised." and answers[1:] == [""] * 19
        others = [await post_sms(d, f"o{i}", f"+4670000{i:04d}") for i in range(30)]
        assert sum(bool(a) for a in others) == 19  # 20 answers an hour for all unknown numbers together
    async with sentinel_daemon(cfg, port, TOKEN) as d:
        assert await post_sms(d, "after-restart", STRANGER) == ""
