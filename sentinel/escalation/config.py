"""Config sections for on-call: ``people``, ``teams``, ``schedules`` and ``escalation``.

Each is its own ``SentinelModel``; ``OnCallConfig`` gathers the four and
checks that every name one section uses is defined in another. The root
``Config`` holds them under the top-level keys of the same names.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from sentinel.config.types import Duration, SentinelModel, StaffedSpec, language_code
from sentinel.model import Category, Severity
from sentinel.staffed import StaffedHours, StaffedHoursError, parse_timezone

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
CHANNELS = ("sms", "email", "slack", "teams", "webhook", "alertmanager", "console")


def _check_tz(v: str) -> str:
    try:
        parse_timezone(v)
    except StaffedHoursError as e:
        raise ValueError(str(e)) from None
    return v


def _check_name(v: str) -> str:
    if not _NAME.match(v):
        raise ValueError(f"bad name {v!r} (letters, digits, '_', '.', '-'; no spaces)")
    return v


Name = Annotated[str, AfterValidator(_check_name)]
TimeZone = Annotated[str, AfterValidator(_check_tz)]


class PersonConfig(SentinelModel):
    name: Name
    full_name: str | None = None
    phone: str | None = None
    email: str | None = None
    language: Annotated[Literal["sv", "en"], BeforeValidator(language_code)] = "en"  # sv-SE is sv
    timezone: TimeZone = "UTC"
    channels: list[str] = Field(default_factory=lambda: ["sms", "email"])  # preferred, in order

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v is not None and not _E164.match(v):
            raise ValueError(f"phone {v!r} is not in E.164 form (like +46701234567)")
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not _EMAIL.match(v):
            raise ValueError(f"bad e-mail address {v!r}")
        return v

    @field_validator("channels")
    @classmethod
    def _channels(cls, v: list[str]) -> list[str]:
        bad = [c for c in v if c not in CHANNELS]
        if bad:
            raise ValueError(f"unknown channel {bad[0]!r} (channels: {', '.join(CHANNELS)})")
        return v


class TeamConfig(SentinelModel):
    name: Name
    members: list[str] = Field(min_length=1)


def parse_hhmm(v: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", v.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f'bad time of day {v!r} (write it like "09:00")')
    return time(int(m.group(1)), int(m.group(2)))


class LayerConfig(SentinelModel):
    """One rotation: ``users`` take turns, handing off at ``handoff`` (local time) every ``length``."""

    name: str = ""
    users: list[str] = Field(min_length=1)
    rotation: Literal["daily", "weekly", "custom"] = "weekly"
    length: Duration | None = None  # custom only: e.g. 12h, 2d
    handoff: str = "09:00"  # local time of the hand-off
    handoff_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"  # weekly only
    start: date = date(2024, 1, 1)  # the first user's first shift starts on (or after) this date
    restrict: StaffedSpec = None  # only these hours, e.g. {"mon-fri": "08:00-17:00"}
    holidays: Literal["exclude", "only", "ignore"] = "ignore"  # with the schedule's holiday country

    @field_validator("handoff")
    @classmethod
    def _handoff(cls, v: str) -> str:
        parse_hhmm(v)
        return v

    @model_validator(mode="after")
    def _length(self) -> LayerConfig:
        if self.rotation == "custom":
            if self.length is None or self.length < timedelta(minutes=15):
                raise ValueError("a custom rotation needs a length of at least 15m")
        elif self.length is not None:
            raise ValueError(f"length is only for rotation: custom ({self.rotation} is fixed)")
        return self

    @property
    def period(self) -> timedelta:
        if self.rotation == "daily":
            return timedelta(days=1)
        if self.rotation == "weekly":
            return timedelta(days=7)
        assert self.length is not None
        return self.length


class OverrideConfig(SentinelModel):
    """``person`` is on call from ``start`` to ``end`` (local times in the schedule's zone, or with an offset).

    With ``replaces``, only while that person would have been on call (a swap or a vacation cover).
    """

    person: str
    start: datetime
    end: datetime
    replaces: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _order(self) -> OverrideConfig:
        comparable = (self.start.tzinfo is None) == (self.end.tzinfo is None)
        if comparable and self.end <= self.start:
            raise ValueError("override ends before it starts")
        return self


class ScheduleConfig(SentinelModel):
    name: Name
    timezone: TimeZone = "UTC"
    holidays: str | None = None  # ISO country code for layers' ``holidays`` setting
    layers: list[LayerConfig] = Field(min_length=1)  # a later layer wins where it has someone on call
    overrides: list[OverrideConfig] = Field(default_factory=list)
    must_cover: StaffedSpec = None  # hours `oncall --check` requires someone in; default: around the clock

    @model_validator(mode="after")
    def _holidays(self) -> ScheduleConfig:
        try:
            StaffedHours.parse(None, tz=self.timezone, holidays=self.holidays)
        except StaffedHoursError as e:
            raise ValueError(str(e)) from None
        if any(la.holidays != "ignore" for la in self.layers) and self.holidays is None:
            raise ValueError("a layer uses holidays: exclude/only, but the schedule sets no holidays country")
        return self


class TargetConfig(SentinelModel):
    """Exactly one of ``schedule`` (whoever is on call), ``team`` (every member) or ``person``."""

    schedule: str | None = None
    team: str | None = None
    person: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TargetConfig:
        if sum(x is not None for x in (self.schedule, self.team, self.person)) != 1:
            raise ValueError("a target names exactly one of schedule, team or person")
        return self

    @property
    def kind(self) -> str:
        return "schedule" if self.schedule else "team" if self.team else "person"

    @property
    def ref(self) -> str:
        return self.schedule or self.team or self.person or ""


class StepConfig(SentinelModel):
    """Notify ``targets`` ``after`` the previous step (the first step: after the incident opens)."""

    after: Duration = timedelta(0)
    targets: list[TargetConfig] = Field(min_length=1)
    channels: list[str] | None = None  # default: each person's preferred channels

    @field_validator("channels")
    @classmethod
    def _channels(cls, v: list[str] | None) -> list[str] | None:
        bad = [c for c in v or () if c not in CHANNELS]
        if bad:
            raise ValueError(f"unknown channel {bad[0]!r} (channels: {', '.join(CHANNELS)})")
        return v


class PolicyConfig(SentinelModel):
    name: Name
    steps: list[StepConfig] = Field(min_length=1)
    repeat: int | Literal["until_acknowledged"] = 0  # further passes over the steps while nobody acknowledges
    repeat_after: Duration = timedelta(minutes=10)  # from the last step to the first step again
    ack_timeout: Duration | None = None  # acknowledged but not resolved this long: escalate again


class RouteConfig(SentinelModel):
    """First matching route wins. Empty match lists match everything."""

    category: list[Category] = Field(default_factory=list)
    severity: list[Severity] = Field(default_factory=list)
    page: list[str] = Field(default_factory=list)
    policy: str
    # outside the page's staffed hours, wait for the next staffed minute; told then even if its alerts ended
    # meanwhile (``IncidentManager._untold``, docs/delivery.md)
    hold_until_staffed: bool = False
    digest: Duration | None = None  # batch into one digest per this interval instead of escalating
    group_wait: Duration | None = None
    group_interval: Duration | None = None
    repeat_interval: Duration | None = None

    @field_validator("category", "severity", "page", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def matches(self, category: Category, severity: Severity, page: str) -> bool:
        return (
            (not self.category or category in self.category)
            and (not self.severity or severity in self.severity)
            and (not self.page or page in self.page)
        )


class EscalationSection(SentinelModel):
    group_wait: Duration = timedelta(seconds=30)  # first page waits this long for more alerts of the group
    # updates about new alerts in a paged incident, at most this often (only for an alert a route takes on its own)
    group_interval: Duration = timedelta(minutes=5)
    repeat_interval: Duration = timedelta(hours=4)  # re-send the last step while unacknowledged after the path ends
    policies: list[PolicyConfig] = Field(default_factory=list)
    routes: list[RouteConfig] = Field(default_factory=list)


class OnCallConfig(SentinelModel):
    people: list[PersonConfig] = Field(default_factory=list)
    teams: list[TeamConfig] = Field(default_factory=list)
    schedules: list[ScheduleConfig] = Field(default_factory=list)
    escalation: EscalationSection = EscalationSection()

    @model_validator(mode="after")
    def _refs(self) -> OnCallConfig:
        problems = reference_problems(self.people, self.teams, self.schedules, self.escalation)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @classmethod
    def of(cls, config: Any) -> OnCallConfig:
        """The on-call sections of a root ``Config`` (absent sections are empty), or ``config`` itself."""
        if isinstance(config, OnCallConfig):
            return config
        return cls(
            people=list(getattr(config, "people", None) or []),
            teams=list(getattr(config, "teams", None) or []),
            schedules=list(getattr(config, "schedules", None) or []),
            escalation=getattr(config, "escalation", None) or EscalationSection(),
        )

    def person(self, name: str) -> PersonConfig | None:
        return next((p for p in self.people if p.name == name), None)

    def team(self, name: str) -> TeamConfig | None:
        return next((t for t in self.teams if t.name == name), None)

    def schedule(self, name: str) -> ScheduleConfig | None:
        return next((s for s in self.schedules if s.name == name), None)

    def policy(self, name: str) -> PolicyConfig | None:
        return next((p for p in self.escalation.policies if p.name == name), None)


def _dupes(kind: str, names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        if n in seen:
            out.append(f"{kind} {n!r} is defined twice")
        seen.add(n)
    return out


def reference_problems(
    people: list[PersonConfig], teams: list[TeamConfig], schedules: list[ScheduleConfig], escalation: EscalationSection
) -> list[str]:
    """Every name used but not defined (or defined twice), as readable sentences."""
    out = _dupes("person", [p.name for p in people]) + _dupes("team", [t.name for t in teams])
    out += _dupes("schedule", [s.name for s in schedules]) + _dupes("policy", [p.name for p in escalation.policies])
    persons, team_names = {p.name for p in people}, {t.name for t in teams}
    sched_names, pol_names = {s.name for s in schedules}, {p.name for p in escalation.policies}
    for t in teams:
        out += [f"teams.{t.name}: unknown person {m!r}" for m in t.members if m not in persons]
    for s in schedules:
        for la in s.layers:
            out += [f"schedules.{s.name}: unknown person {u!r}" for u in la.users if u not in persons]
        for o in s.overrides:
            out += [
                f"schedules.{s.name}.overrides: unknown person {u!r}"
                for u in (o.person, o.replaces)
                if u is not None and u not in persons
            ]
    for p in escalation.policies:
        for st in p.steps:
            for tg in st.targets:
                known = {"schedule": sched_names, "team": team_names, "person": persons}[tg.kind]
                if tg.ref not in known:
                    out.append(f"escalation.policies.{p.name}: unknown {tg.kind} {tg.ref!r}")
    for i, r in enumerate(escalation.routes):
        if r.policy not in pol_names:
            out.append(f"escalation.routes[{i}]: unknown policy {r.policy!r}")
    return out
