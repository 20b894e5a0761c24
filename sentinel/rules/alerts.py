"""The alert state machine: inactive -> pending -> firing -> resolved (inactive again).

Prometheus's model, driven by timestamps passed in. ``transition`` is the
only place a phase changes. A condition that holds (``active=True``) makes
an inactive alert pending; after ``for`` it fires. When the condition ends,
a firing alert keeps firing for ``keep_firing_for`` and then resolves; a
pending one goes back to inactive. A pulse (one event) holds and ends at
the same instant, so ``keep_firing_for`` is how long it stays firing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sentinel.events.codec import parse_time
from sentinel.model import Severity


class Phase(StrEnum):
    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"


class Change(StrEnum):
    FIRED = "fired"
    RESOLVED = "resolved"


def fingerprint(rule: str, page: str, labels: Mapping[str, str]) -> str:
    text = "\x1f".join([rule, page, *(f"{k}={labels[k]}" for k in sorted(labels))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(slots=True)
class AlertState:
    rule: str
    page: str
    labels: dict[str, str]
    fingerprint: str
    phase: Phase = Phase.INACTIVE
    active_since: datetime | None = None
    ended_at: datetime | None = None  # the condition ended (firing: keep_firing_for runs from here)
    fired_at: datetime | None = None
    severity: Severity = Severity.INFO
    notified: bool = False  # the firing was emitted (not suppressed)
    summary: str = ""
    summaries: dict[str, str] = field(default_factory=dict)  # the summary per language (``model.LANGUAGES``)
    labels_out: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] = field(default_factory=dict)  # template data of the last event

    def due(self, for_: timedelta, keep: timedelta) -> datetime | None:
        """When a timer of this alert expires (``for`` while pending, ``keep_firing_for`` after the end)."""
        if self.phase == Phase.PENDING and self.active_since is not None and self.ended_at is None:
            return self.active_since + for_
        if self.phase == Phase.FIRING and self.ended_at is not None:
            return self.ended_at + keep
        return None

    def to_json(self) -> dict[str, Any]:
        def t(v: datetime | None) -> str | None:
            return v.isoformat() if v else None

        return {
            "rule": self.rule,
            "page": self.page,
            "labels": self.labels,
            "fingerprint": self.fingerprint,
            "phase": self.phase.value,
            "active_since": t(self.active_since),
            "ended_at": t(self.ended_at),
            "fired_at": t(self.fired_at),
            "severity": self.severity.value,
            "notified": self.notified,
            "summary": self.summary,
            "summaries": self.summaries,
            "labels_out": self.labels_out,
            "annotations": self.annotations,
            "values": _jsonable(self.values),
            "event": _jsonable(self.event),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> AlertState:
        def t(v: Any) -> datetime | None:
            return parse_time(v) if v else None

        return cls(
            rule=d["rule"],
            page=d["page"],
            labels=dict(d["labels"]),
            fingerprint=d["fingerprint"],
            phase=Phase(d["phase"]),
            active_since=t(d.get("active_since")),
            ended_at=t(d.get("ended_at")),
            fired_at=t(d.get("fired_at")),
            severity=Severity(d["severity"]),
            notified=bool(d["notified"]),
            summary=d.get("summary", ""),
            summaries=dict(d.get("summaries", {})),
            labels_out=dict(d.get("labels_out", {})),
            annotations=dict(d.get("annotations", {})),
            values=dict(d.get("values", {})),
            event=dict(d.get("event", {})),
        )


def _jsonable(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [_jsonable(x) for x in v]
    if isinstance(v, datetime):
        return v.isoformat()
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return str(v)


def transition(
    a: AlertState, active: bool | None, at: datetime, for_: timedelta, keep: timedelta
) -> tuple[Change, datetime] | None:
    """Apply one input: ``True`` the condition holds at ``at``, ``False`` it ended, ``None`` a clock tick.

    Returns what changed and when (a timer's own expiry time), or None.
    """
    if active is True:
        a.ended_at = None
        if a.phase == Phase.INACTIVE:
            a.phase, a.active_since = Phase.PENDING, at
    elif active is False:
        if a.phase == Phase.PENDING:
            a.phase, a.active_since = Phase.INACTIVE, None
            return None
        if a.phase == Phase.FIRING and a.ended_at is None:
            a.ended_at = at
    if a.phase == Phase.PENDING and a.active_since is not None and a.active_since + for_ <= at:
        a.phase = Phase.FIRING
        a.fired_at = max(a.active_since + for_, a.active_since)
        return Change.FIRED, a.fired_at
    if a.phase == Phase.FIRING and a.ended_at is not None and a.ended_at + keep <= at:
        when = a.ended_at + keep
        a.phase, a.active_since, a.ended_at = Phase.INACTIVE, None, None
        return Change.RESOLVED, when
    return None
