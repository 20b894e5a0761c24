"""An incident's state (what the manager mutates and the store persists) and its read-only view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sentinel.errors import SentinelError
from sentinel.escalation.routing import Plan, Target
from sentinel.model import Category, Recipient, Severity


class IncidentError(SentinelError):
    """An incident operation was refused (unknown id, already resolved)."""


class IncidentStatus(StrEnum):
    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


def _t(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat()


def _p(v: Any) -> datetime | None:
    return None if v is None else datetime.fromisoformat(str(v))


@dataclass(slots=True)
class AlertRef:
    rule: str
    severity: Severity
    status: str  # an AlertStatus value
    summary: str
    summaries: dict[str, str] = field(default_factory=dict)  # the summary per language (``model.LANGUAGES``)
    key: str = ""  # its ``key`` label: the account its detector keys on (a new admin's id, an actor's), if any


@dataclass(slots=True)
class IncidentState:
    """Everything the manager knows about one incident. Mutable; saved after every change."""

    id: str
    seq: int
    page: str
    category: Category
    group_key: str
    opened_at: datetime
    severity: Severity
    summary: str
    status: IncidentStatus = IncidentStatus.TRIGGERED
    plan: Plan | None = None
    alerts: dict[str, AlertRef] = field(default_factory=dict)
    round: int = 0  # the last step number used (steps count on across passes)
    started: bool = False  # escalation began (an alert fired, not only suppressed ones)
    pass_no: int = 0
    step_idx: int = 0  # next step of the policy
    exhausted: bool = False  # path done: re-send the last step every repeat_interval
    next_step_at: datetime | None = None
    held_until: datetime | None = None
    update_due: datetime | None = None
    last_page_at: datetime | None = None
    last_targets: list[Target] = field(default_factory=list)
    paged: list[Target] = field(default_factory=list)
    acked_at: datetime | None = None
    acked_by: str | None = None
    ack_deadline: datetime | None = None
    snoozed_until: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    all_clear_due: bool = False
    # every alert ended at this time and the incident stays open all the same: a paged hijack until a person takes
    # it down, or one nobody has been told about yet until its first step (``IncidentManager._untold``)
    alerts_ended_at: datetime | None = None
    digest_due: datetime | None = None
    closed: bool = False  # nothing more will ever happen to it
    taken_over_by: list[str] = field(default_factory=list)  # people who took it over (their codes act on it now)
    summaries: dict[str, str] = field(default_factory=dict)  # ``summary`` per language (``model.LANGUAGES``)
    # the alerts (fingerprints) that joined it since its last page, in order: what an update leads with
    news: list[str] = field(default_factory=list)

    @property
    def silenced(self) -> bool:
        """Every alert still active is suppressed (silenced or inhibited): escalation pauses."""
        statuses = {a.status for a in self.alerts.values()}
        return "firing" not in statuses and "suppressed" in statuses

    @property
    def digest(self) -> bool:
        return self.plan is not None and self.plan.route.digest is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "page": self.page,
            "category": str(self.category),
            "group_key": self.group_key,
            "opened_at": _t(self.opened_at),
            "severity": str(self.severity),
            "summary": self.summary,
            "status": str(self.status),
            "plan": self.plan.to_json() if self.plan else None,
            "alerts": {
                k: [a.rule, str(a.severity), a.status, a.summary, a.summaries, a.key] for k, a in self.alerts.items()
            },
            "summaries": self.summaries,
            "round": self.round,
            "started": self.started,
            "pass_no": self.pass_no,
            "step_idx": self.step_idx,
            "exhausted": self.exhausted,
            "next_step_at": _t(self.next_step_at),
            "held_until": _t(self.held_until),
            "update_due": _t(self.update_due),
            "last_page_at": _t(self.last_page_at),
            "last_targets": [_target_json(x) for x in self.last_targets],
            "paged": [_target_json(x) for x in self.paged],
            "acked_at": _t(self.acked_at),
            "acked_by": self.acked_by,
            "ack_deadline": _t(self.ack_deadline),
            "snoozed_until": _t(self.snoozed_until),
            "resolved_at": _t(self.resolved_at),
            "resolved_by": self.resolved_by,
            "all_clear_due": self.all_clear_due,
            "alerts_ended_at": _t(self.alerts_ended_at),
            "digest_due": _t(self.digest_due),
            "closed": self.closed,
            "taken_over_by": list(self.taken_over_by),
            "news": list(self.news),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> IncidentState:
        opened = _p(d["opened_at"])
        assert opened is not None
        return cls(
            id=d["id"],
            seq=int(d["seq"]),
            page=d["page"],
            category=Category(d["category"]),
            group_key=d["group_key"],
            opened_at=opened,
            severity=Severity(d["severity"]),
            summary=d["summary"],
            status=IncidentStatus(d["status"]),
            plan=Plan.from_json(d["plan"]) if d["plan"] else None,
            alerts={
                k: AlertRef(
                    v[0], Severity(v[1]), v[2], v[3], dict(v[4]) if len(v) > 4 else {}, str(v[5]) if len(v) > 5 else ""
                )
                for k, v in d["alerts"].items()
            },
            summaries=dict(d.get("summaries", {})),
            round=int(d["round"]),
            started=bool(d["started"]),
            pass_no=int(d["pass_no"]),
            step_idx=int(d["step_idx"]),
            exhausted=bool(d["exhausted"]),
            next_step_at=_p(d["next_step_at"]),
            held_until=_p(d["held_until"]),
            update_due=_p(d["update_due"]),
            last_page_at=_p(d["last_page_at"]),
            last_targets=[_target_from(x) for x in d["last_targets"]],
            paged=[_target_from(x) for x in d["paged"]],
            acked_at=_p(d["acked_at"]),
            acked_by=d["acked_by"],
            ack_deadline=_p(d["ack_deadline"]),
            snoozed_until=_p(d["snoozed_until"]),
            resolved_at=_p(d["resolved_at"]),
            resolved_by=d["resolved_by"],
            all_clear_due=bool(d["all_clear_due"]),
            alerts_ended_at=_p(d.get("alerts_ended_at")),
            digest_due=_p(d["digest_due"]),
            closed=bool(d["closed"]),
            taken_over_by=[str(x) for x in d.get("taken_over_by", ())],
            news=[str(x) for x in d.get("news", ())],
        )


def _target_json(x: Target) -> list[Any]:
    r = x.recipient
    return [x.to, x.channel, r.name, r.phone, r.email, r.language, r.timezone]


def _target_from(v: list[Any]) -> Target:
    return Target(
        to=v[0], channel=v[1], recipient=Recipient(name=v[2], phone=v[3], email=v[4], language=v[5], timezone=v[6])
    )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    time: datetime
    kind: str  # opened, alert_firing, alert_resolved, alert_suppressed, held, notified, acknowledged, ...
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The entry as the API shows it: its own ``time`` and ``kind`` always; a detail of the same name (a
        ``notified`` entry's ``kind`` is the notification's: page, resolved, ...) comes as ``detail_kind`` (or
        ``detail_time``). Stored timelines keep their details as they were written."""
        out: dict[str, Any] = {"time": self.time.isoformat(), "kind": self.kind}
        for k, v in self.detail.items():
            out[f"detail_{k}" if k in ("time", "kind") else k] = v
        return out


@dataclass(frozen=True, slots=True)
class Incident:
    """A read-only view of an incident, with its timeline (what the API and CLI show)."""

    id: str
    page: str
    category: Category
    severity: Severity
    status: IncidentStatus
    summary: str
    opened_at: datetime
    acked_by: str | None
    resolved_at: datetime | None
    snoozed_until: datetime | None
    alerts: Mapping[str, str]  # fingerprint -> alert status
    timeline: tuple[TimelineEntry, ...] = ()

    @classmethod
    def of(cls, st: IncidentState, timeline: tuple[TimelineEntry, ...] = ()) -> Incident:
        return cls(
            id=st.id,
            page=st.page,
            category=st.category,
            severity=st.severity,
            status=st.status,
            summary=st.summary,
            opened_at=st.opened_at,
            acked_by=st.acked_by,
            resolved_at=st.resolved_at,
            snoozed_until=st.snoozed_until,
            alerts={k: a.status for k, a in st.alerts.items()},
            timeline=timeline,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "page": self.page,
            "category": str(self.category),
            "severity": str(self.severity),
            "status": str(self.status),
            "summary": self.summary,
            "opened_at": self.opened_at.isoformat(),
            "acked_by": self.acked_by,
            "resolved_at": _t(self.resolved_at),
            "snoozed_until": _t(self.snoozed_until),
            "alerts": dict(self.alerts),
            "timeline": [e.to_json() for e in self.timeline],
        }
