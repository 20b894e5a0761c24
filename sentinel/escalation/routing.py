"""Routing: which policy an incident follows, and who a step reaches.

``route(cfg, category, severity, page)`` gives a ``Plan``: the matching
route and its policy, frozen at the moment an incident opens (the plan is
stored with the incident, so a config reload does not change its path).
Who is on call, and how to reach them, is looked up when a step fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sentinel.config.types import format_duration, parse_duration
from sentinel.escalation.config import OnCallConfig, PersonConfig, PolicyConfig, RouteConfig, StepConfig
from sentinel.escalation.schedule import who
from sentinel.model import Category, Recipient, Severity


@dataclass(frozen=True, slots=True)
class Plan:
    route_index: int
    route: RouteConfig
    policy: PolicyConfig
    group_wait: timedelta
    group_interval: timedelta
    repeat_interval: timedelta

    def holds(self, severity: Severity) -> bool:
        """A non-critical incident on this route waits for staffed hours."""
        return self.route.hold_until_staffed and severity < Severity.CRITICAL

    def to_json(self) -> dict[str, Any]:
        return {
            "route_index": self.route_index,
            "route": self.route.model_dump(mode="json"),
            "policy": self.policy.model_dump(mode="json"),
            "group_wait": format_duration(self.group_wait),
            "group_interval": format_duration(self.group_interval),
            "repeat_interval": format_duration(self.repeat_interval),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Plan:
        return cls(
            route_index=int(d["route_index"]),
            route=RouteConfig.model_validate(d["route"]),
            policy=PolicyConfig.model_validate(d["policy"]),
            group_wait=parse_duration(d["group_wait"]),
            group_interval=parse_duration(d["group_interval"]),
            repeat_interval=parse_duration(d["repeat_interval"]),
        )


def route(cfg: OnCallConfig, category: Category, severity: Severity, page: str) -> Plan | None:
    """The first route matching, with its policy; None when no route matches (nobody is told)."""
    esc = cfg.escalation
    for i, r in enumerate(esc.routes):
        if not r.matches(category, severity, page):
            continue
        policy = cfg.policy(r.policy)
        if policy is None:
            return None
        return Plan(
            route_index=i,
            route=r,
            policy=policy,
            group_wait=esc.group_wait if r.group_wait is None else r.group_wait,
            group_interval=esc.group_interval if r.group_interval is None else r.group_interval,
            repeat_interval=esc.repeat_interval if r.repeat_interval is None else r.repeat_interval,
        )
    return None


@dataclass(frozen=True, slots=True)
class Target:
    """One notification a step sends: ``to`` is the printed label (``security-oncall:erik``)."""

    to: str
    recipient: Recipient
    channel: str


def recipient(p: PersonConfig) -> Recipient:
    return Recipient(name=p.name, phone=p.phone, email=p.email, language=p.language, timezone=p.timezone)


def reachable(p: PersonConfig, channel: str) -> bool:
    if channel == "sms":
        return p.phone is not None
    if channel == "email":
        return p.email is not None
    return True


def channels_for(p: PersonConfig, wanted: list[str] | None) -> list[str]:
    """The step's channels (else the person's preferred ones) that can reach the person."""
    chosen = [c for c in (wanted or p.channels) if reachable(p, c)]
    if not chosen:  # nothing the step asked for reaches them: fall back to what does
        chosen = [c for c in p.channels if reachable(p, c)][:1]
    return chosen


def step_targets(cfg: OnCallConfig, step: StepConfig, at: datetime) -> tuple[list[Target], list[str]]:
    """Who ``step`` reaches at ``at`` and how; plus problems (an empty schedule, an unknown name)."""
    out: list[Target] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for tg in step.targets:
        names: tuple[str, ...]
        if tg.schedule is not None:
            sched = cfg.schedule(tg.schedule)
            names = who(sched, at) if sched else ()
            if sched is None:
                problems.append(f"schedule {tg.schedule!r} is not configured")
            elif not names:
                problems.append(f"nobody is on call in {tg.schedule!r}")
        elif tg.team is not None:
            team = cfg.team(tg.team)
            names = tuple(team.members) if team else ()
            if team is None:
                problems.append(f"team {tg.team!r} is not configured")
        else:
            names = (tg.ref,)
        for name in names:
            p = cfg.person(name)
            if p is None:
                problems.append(f"person {name!r} is not configured")
                continue
            label = f"{tg.ref}:{name}" if tg.kind != "person" else name
            chans = channels_for(p, step.channels)
            if not chans:
                problems.append(f"{name} has no way to be reached")
            for c in chans:
                if (name, c) not in seen:
                    seen.add((name, c))
                    out.append(Target(to=label, recipient=recipient(p), channel=c))
    return out, problems
