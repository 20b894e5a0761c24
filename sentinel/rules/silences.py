"""Silences and inhibition: alerts that must not page anyone, and why.

A ``Silence`` mutes alerts whose labels match all its matchers during
[starts, ends) (a planned campaign, maintenance). An ``InhibitRule`` mutes
alerts matching ``target`` while an alert matching ``source`` fires with the
same values of ``equal`` labels: by default a firing hijack inhibits crisis
alerts on the same page (the crisis is the hijacker's doing). A suppressed
transition is still emitted, with status ``suppressed`` and a reason, and
counted in ``sentinel_alerts_suppressed_total``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import Field

from sentinel.config.types import SentinelModel

Op = Literal["=", "!=", "=~", "!~"]


@dataclass(frozen=True, slots=True)
class Matcher:
    name: str
    value: str
    op: Op = "="

    def matches(self, labels: Mapping[str, str]) -> bool:
        v = labels.get(self.name, "")
        if self.op == "=":
            return v == self.value
        if self.op == "!=":
            return v != self.value
        hit = re.fullmatch(self.value, v) is not None
        return hit if self.op == "=~" else not hit

    @classmethod
    def parse(cls, text: str) -> Matcher:
        """``page=druvan``, ``rule=~crisis\\..*``, ``severity!=info``."""
        for op in ("=~", "!~", "!=", "="):
            if op in text:
                name, value = text.split(op, 1)
                if op in ("=~", "!~"):
                    re.compile(value)
                return cls(name.strip(), value.strip().strip('"'), op)
        raise ValueError(f"bad matcher {text!r} (write name=value, name!=value, name=~regex)")


@dataclass(frozen=True, slots=True)
class Silence:
    id: str
    matchers: tuple[Matcher, ...]
    starts: datetime
    ends: datetime
    comment: str = ""
    created_by: str = ""

    def mutes(self, labels: Mapping[str, str], at: datetime) -> bool:
        return self.starts <= at < self.ends and all(m.matches(labels) for m in self.matchers)


@dataclass(frozen=True, slots=True)
class InhibitRule:
    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...] = ("page",)


DEFAULT_INHIBIT = (InhibitRule(source=(Matcher("category", "hijack"),), target=(Matcher("category", "crisis"),)),)


class SilenceConfig(SentinelModel):
    """A silence from config (``silences:`` list): matchers like ``page=druvan`` and a time range."""

    matchers: list[str] = Field(min_length=1)
    starts: datetime
    ends: datetime
    comment: str = ""


@dataclass(slots=True)
class Suppressor:
    silences: list[Silence] = field(default_factory=list)
    inhibit: tuple[InhibitRule, ...] = DEFAULT_INHIBIT

    def reason(self, labels: Mapping[str, str], at: datetime,
               firing: Iterable[Mapping[str, str]]) -> str | None:
        """``"silenced"``, ``"inhibited"`` or None. ``firing``: labels of alerts firing (and notified) now."""
        for s in self.silences:
            if s.mutes(labels, at):
                return "silenced"
        rules = [r for r in self.inhibit if all(m.matches(labels) for m in r.target)]
        if rules:
            for src in firing:
                for r in rules:
                    if all(m.matches(src) for m in r.source) and all(
                            src.get(k) == labels.get(k) for k in r.equal) and src is not labels:
                        return "inhibited"
        return None
