"""Where the pipeline's decisions go: one ``Output`` interface, three small implementations.

``JsonlOutput`` (``sentinel replay``) prints one JSON line per alert change and notification; ``DaemonOutput``
(the daemon) records alert changes in the store and hands notifications to the notifier through the outbox;
``DemoOutput`` (``sentinel demo``) records, notifies and prints what a person would see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Protocol, TextIO

import orjson

from sentinel.logs import get_logger
from sentinel.markup import plain
from sentinel.model import AlertStatus, AlertTransition, Category, NotificationIntent, NotificationKind, Severity
from sentinel.security.config import SecurityConfig
from sentinel.security.links import ack_url
from sentinel.store.events import EventLog

log = get_logger("pipeline")


class Output(Protocol):
    async def alert(self, t: AlertTransition, incident: str | None) -> None: ...
    async def notification(self, intent: NotificationIntent) -> None: ...


def utc_text(t: datetime) -> str:
    """``2014-12-05T20:43:10Z``: the time format of every output record."""
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def alert_record(t: AlertTransition, incident: str | None) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "type": "alert",
        "time": utc_text(t.time),
        "status": str(t.status),
        "rule": t.rule,
        "category": str(t.category),
        "severity": str(t.severity),
        "page": t.page,
        "incident": incident,
        "summary": t.summary,
        "labels": dict(t.labels),
    }
    if t.status == AlertStatus.SUPPRESSED and t.reason:
        rec["reason"] = t.reason
    return rec


def notification_record(n: NotificationIntent) -> dict[str, Any]:
    return {
        "type": "notification",
        "time": utc_text(n.time),
        "incident": n.incident,
        "channel": n.channel,
        "to": n.to,
        "step": n.step,
        "kind": str(n.kind),
    }


class JsonlOutput:
    """Replay's ``Output``: one JSON object per line."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, rec: dict[str, Any]) -> None:
        self.out.write(orjson.dumps(rec).decode() + "\n")

    async def alert(self, t: AlertTransition, incident: str | None) -> None:
        self.write(alert_record(t, incident))

    async def notification(self, intent: NotificationIntent) -> None:
        self.write(notification_record(intent))


class DaemonOutput:
    """The daemon's ``Output``: record every alert transition, hand notifications to the notifier."""

    def __init__(
        self,
        events: EventLog,
        notifier: Any | None,
        security: SecurityConfig | None = None,
        on_hijack: Callable[[str], None] | None = None,
    ) -> None:
        self.events = events
        self.notifier = notifier
        self.security = security
        self.on_hijack = on_hijack  # a hijack alert fired for this page: the sources look closer

    async def alert(self, t: AlertTransition, incident: str | None) -> None:
        rec = alert_record(t, incident)
        await self.events.add_alert(rec, t.fingerprint)
        if self.on_hijack is not None and t.status == AlertStatus.FIRING and t.category == Category.HIJACK:
            self.on_hijack(t.page)
        log.info(
            "alert.transitioned",
            rule=t.rule,
            status=str(t.status),
            page=t.page,
            severity=str(t.severity),
            incident=incident,
        )

    async def notification(self, intent: NotificationIntent) -> None:
        """Logged only: the intent is in the outbox already, committed with the incident change that made it."""
        log.info(
            "notification.decided", incident=intent.incident, channel=intent.channel, to=intent.to, step=intent.step
        )

    async def to_outbox(self, intents: Sequence[NotificationIntent]) -> None:
        """The incidents' sink: called inside the transaction that records the decision to page, so the decision
        and its outbox rows commit together (or neither does)."""
        for intent in intents:
            if self.security is not None and intent.kind == NotificationKind.PAGE:
                link = ack_url(self.security, intent.incident, intent.recipient.name, intent.time)
                inbound = self.security.sms_inbound
                replies = inbound.twilio_auth_token is not None or inbound.elks_token is not None
                intent = dataclasses.replace(intent, ack_url=link, sms_replies=replies)
            if self.notifier is not None:
                await self.notifier.enqueue(intent)


@dataclass
class DemoOutput:
    """Records alerts in the store and hands notifications to the notifier, printing both."""

    events: EventLog
    notifier: Any
    out: TextIO
    alerts: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[NotificationIntent] = field(default_factory=list)

    async def alert(self, t: AlertTransition, incident: str | None) -> None:
        rec = alert_record(t, incident)
        await self.events.add_alert(rec, t.fingerprint)
        self.alerts.append(rec)
        if t.status == AlertStatus.FIRING and t.severity != Severity.INFO:
            self.out.write(
                plain(f"  ALERT  {rec['time']}  {rec['severity']:<8} {rec['rule']:<28} {rec['summary']}") + "\n"
            )

    async def notification(self, intent: NotificationIntent) -> None:
        self.notifications.append(intent)
        await self.notifier.enqueue(intent)
        if intent.severity == Severity.CRITICAL:
            self.out.write(
                f"  PAGE   {utc_text(intent.time)}  step {intent.step} {intent.channel:<5} → {intent.to}"
                f" ({intent.kind})\n"
            )
