"""Pages carry a signed, expiring acknowledgement link; the link itself never acknowledges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sentinel.app import DaemonOutput
from sentinel.config.types import Secret
from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import templates
from sentinel.security.config import SecurityConfig
from sentinel.security.links import LinkError, LinkSigner
from sentinel.testing import at

SEC = SecurityConfig(link_key=Secret("k" * 32), public_url="https://sentinel.example.com")


def intent(kind: NotificationKind = NotificationKind.PAGE) -> NotificationIntent:
    return NotificationIntent(
        time=at(),
        incident="inc-000012",
        step=1,
        channel="email",
        to="security-oncall:erik",
        recipient=Recipient(name="erik", language="en"),
        kind=kind,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan",
        summary="new admin",
    )


class Recording:
    def __init__(self) -> None:
        self.got: list[NotificationIntent] = []

    async def enqueue(self, i: NotificationIntent) -> bool:
        self.got.append(i)
        return True


async def test_a_page_carries_a_signed_link_that_expires() -> None:
    rec = Recording()
    await DaemonOutput(None, rec, SEC).to_outbox([intent()])  # type: ignore[arg-type]
    link = rec.got[0].ack_url
    assert link is not None and link.startswith("https://sentinel.example.com/ack/")
    token = link.rsplit("/", 1)[-1]
    claims = LinkSigner.from_config(SEC).verify(token, at("30m"))
    assert (claims.incident, claims.person) == ("inc-000012", "erik")
    body = templates.render(rec.got[0]).text
    assert link in body


async def test_an_all_clear_has_no_link_and_no_public_url_means_no_link() -> None:
    rec = Recording()
    await DaemonOutput(None, rec, SEC).to_outbox([intent(NotificationKind.RESOLVED)])  # type: ignore[arg-type]
    await DaemonOutput(None, rec, SecurityConfig()).to_outbox([intent()])  # type: ignore[arg-type]
    assert [i.ack_url for i in rec.got] == [None, None]


def test_the_link_is_refused_after_its_ttl() -> None:
    token = LinkSigner.from_config(SEC).sign("inc-000012", "erik", at() + SEC.link_ttl)
    with pytest.raises(LinkError):
        LinkSigner.from_config(SEC).verify(token, at() + SEC.link_ttl + timedelta(seconds=1))
