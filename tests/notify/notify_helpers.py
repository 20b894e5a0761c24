"""Builders shared by the notify tests."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
from collections.abc import Awaitable, Callable, Iterator
from email.message import Message
from typing import Any

from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.testing import T0

ERIK = Recipient(name="erik", phone="+46701234567", email="erik@example.se", language="sv", timezone="Europe/Stockholm")
ANNA = Recipient(name="anna", phone="+46709876543", email="anna@example.com", language="en")


def intent(
    incident: str = "inc-000012",
    *,
    step: int = 1,
    channel: str = "sms",
    recipient: Recipient = ERIK,
    kind: NotificationKind = NotificationKind.PAGE,
    **kw: Any,
) -> NotificationIntent:
    base: dict[str, Any] = dict(
        time=T0,
        incident=incident,
        step=step,
        channel=channel,
        to=f"security-oncall:{recipient.name}",
        recipient=recipient,
        kind=kind,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan Vin",
        summary="New admin 'Mr X' got MANAGE outside staffed hours",
        evidence=("role.granted MANAGE to Mr X at 21:40", "login from unknown app"),
    )
    base.update(kw)
    return NotificationIntent(**base)


async def until(cond: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait until ``cond()`` holds (TimeoutError after ``within`` seconds)."""
    async with asyncio.timeout(within):
        while not await cond():  # noqa: ASYNC110 - polling the store, which has no change event
            await asyncio.sleep(0.005)


class Mailhost:
    """An SMTP server that refuses the mailboxes in ``refuse`` with 550 at RCPT and keeps the rest."""

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.rcpt: list[str] = []
        self.mails: list[Message] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        self.rcpt.append(address)
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 2.0.0 Ok: queued"


@contextlib.contextmanager
def serving(host: Mailhost) -> Iterator[tuple[Mailhost, int]]:
    """``host`` as a real SMTP server (aiosmtpd) on a free loopback port: ``(host, port)``."""
    from aiosmtpd.controller import Controller

    from sentinel.testing.daemon import free_port

    port = free_port()
    c = Controller(host, hostname="127.0.0.1", port=port)
    c.start()
    try:
        yield host, port
    finally:
        c.stop()
