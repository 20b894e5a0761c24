"""Builders shared by the notify tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.testing import T0

ERIK = Recipient(name="erik", phone="+46701234567", email="erik@example.se", language="sv",
                 timezone="Europe/Stockholm")
ANNA = Recipient(name="anna", phone="+46709876543", email="anna@example.com", language="en")


def intent(incident: str = "inc-000012", *, step: int = 1, channel: str = "sms", recipient: Recipient = ERIK,
           kind: NotificationKind = NotificationKind.PAGE, **kw: Any) -> NotificationIntent:
    base: dict[str, Any] = dict(
        time=T0, incident=incident, step=step, channel=channel, to=f"security-oncall:{recipient.name}",
        recipient=recipient, kind=kind, category=Category.HIJACK, severity=Severity.CRITICAL, page="druvan",
        page_name="Druvan Vin", summary="New admin 'Mr X' got MANAGE outside staffed hours",
        evidence=("role.granted MANAGE to Mr X at 21:40", "login from unknown app"))
    base.update(kw)
    return NotificationIntent(**base)


async def until(cond: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait until ``cond()`` holds (TimeoutError after ``within`` seconds)."""
    async with asyncio.timeout(within):
        while not await cond():  # noqa: ASYNC110 - polling the store, which has no change event
            await asyncio.sleep(0.005)
