"""A page tells its reader a way to acknowledge that works, against the real daemon on loopback.

An attacker's report: the page e-mail said "reply 6a and your code to the Sentinel SMS" on a daemon where no SMS
reply could reach Sentinel (no ``security.sms_inbound`` provider). On such a daemon the e-mail points to the
console (or the signed link); with an inbound provider it gives the SMS reply as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from notify_helpers import Mailhost

from sentinel.clock import SystemClock
from sentinel.testing import event, person
from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon

pytestmark = pytest.mark.slow

TOKEN = "ack-instructions-token"
SECRET_KEY = "ack-instructions-secret-key-0123456789abcdef"


def config(tmp_path: Path, port: int, smtp_port: int, inbound: str) -> Path:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
people:
  - {{name: erik, email: erik@druvan.se, language: en, channels: [email]}}
escalation:
  group_wait: 0s
  policies:
    - name: security
      steps:
        - targets: [{{person: erik}}]
  routes:
    - {{category: hijack, policy: security}}
notify:
  channels:
    email: {{type: smtp, host: 127.0.0.1, port: {smtp_port}, tls: none, sender: sentinel@druvan.se}}
security:
  secret_key: {SECRET_KEY}
{inbound}"""
        + daemon_settings(tmp_path, port)
    )
    return cfg


async def page_mail(tmp_path: Path, mailhost: tuple[Mailhost, int], inbound: str) -> str:
    host, smtp_port = mailhost
    port = free_port()
    async with sentinel_daemon(config(tmp_path, port, smtp_port, inbound), port, TOKEN) as d:
        grant = event(
            "role.granted",
            SystemClock().now(),
            actor=person("Mr X"),
            user={"id": "666", "name": "Mr X"},
            tasks=["MANAGE"],
        )
        await d.post_events([grant])
        mails = await d.until("the page to erik", lambda: host.mails)
        return str(mails[0].get_body(("plain",)).get_content())


async def test_without_an_sms_provider_for_replies_the_page_points_to_the_console(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    body = await page_mail(tmp_path, mailhost, "")
    assert "SMS" not in body, body
    assert "open the incident in Sentinel's console and give your 6-digit code" in body


async def test_with_an_sms_provider_for_replies_the_page_says_how_to_reply(
    tmp_path: Path, mailhost: tuple[Mailhost, int]
) -> None:
    body = await page_mail(tmp_path, mailhost, "  sms_inbound: {elks_token: elks-inbound-token-0123456789}\n")
    assert "a and your 6-digit code" in body and "to the Sentinel SMS" in body, body
    assert "console" not in body
