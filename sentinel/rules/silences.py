"""Silences and inhibition: alerts that must not page anyone, and why.

A ``Silence`` mutes alerts whose labels match all its matchers during
[starts, ends) (a planned campaign, maintenance). An ``InhibitRule`` mutes
alerts matching ``target`` while an alert matching ``source`` fires with the
same values of ``equal`` labels: by default a firing hijack alert at warning or
above inhibits crisis alerts on the same page (the crisis is the hijacker's
doing). A suppressed
transition is still emitted, with status ``suppressed`` and a reason, and
counted in ``sentinel_alerts_suppressed_total``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

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
                name, value = name.strip(), value.strip().strip('"')
                if not name:
                    break
                if op in ("=~", "!~"):
                    try:
                        re.compile(value)
                    except re.error as e:
                        raise ValueError(f"bad regular expression in matcher {text!r}: {e}") from None
                return cls(name, value, op)
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


# a hijack alert at warning or above (a takeover, not a hint such as a new app) mutes crisis alerts on its page
DEFAULT_INHIBIT = (
    InhibitRule(
        source=(Matcher("category", "hijack"), Matcher("severity", "info", "!=")),
        target=(Matcher("category", "crisis"),),
    ),
)


class SilenceConfig(SentinelModel):
    """A silence from config (top-level ``silences:`` list): matchers like ``page=druvan`` and a time range.

    A maintenance window or a planned campaign is a silence with a time range::

        silences:
          - matchers: ["page=druvan", "category=crisis"]
            starts: 2025-11-28T18:00:00+01:00
            ends: 2025-11-29T02:00:00+01:00
            comment: Black Friday campaign, comment spike expected
    """

    matchers: list[str] = Field(min_length=1)
    starts: datetime
    ends: datetime
    comment: str = ""
    created_by: str = "config"

    @field_validator("matchers")
    @classmethod
    def _matchers_parse(cls, v: list[str]) -> list[str]:
        for text in v:
            Matcher.parse(text)
        return v

    @field_validator("starts", "ends")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("give the time with its UTC offset, e.g. 2025-11-28T18:00:00+01:00")
        return v

    @model_validator(mode="after")
    def _range(self) -> SilenceConfig:
        if self.ends <= self.starts:
            raise ValueError("'ends' must be after 'starts'")
        return self


def silences_from_config(configs: Sequence[SilenceConfig]) -> list[Silence]:
    """The ``Silence`` of each config entry; ids are stable across reloads (a hash of the entry)."""
    out = []
    for c in configs:
        matchers = tuple(Matcher.parse(m) for m in c.matchers)
        key = "|".join([*c.matchers, c.starts.isoformat(), c.ends.isoformat(), c.comment])
        sid = "config-" + hashlib.sha256(key.encode()).hexdigest()[:12]
        out.append(Silence(sid, matchers, c.starts, c.ends, c.comment, c.created_by))
    return out


@dataclass(slots=True)
class Suppressor:
    silences: list[Silence] = field(default_factory=list)
    inhibit: tuple[InhibitRule, ...] = DEFAULT_INHIBIT

    def reason(self, labels: Mapping[str, str], at: datetime, firing: Iterable[Mapping[str, str]]) -> str | None:
        """``"silenced"``, ``"inhibited"`` or None. ``firing``: labels of alerts firing (and notified) now."""
        for s in self.silences:
            if s.mutes(labels, at):
                return "silenced"
        rules = [r for r in self.inhibit if all(m.matches(labels) for m in r.target)]
        if rules:
            for src in firing:
                for r in rules:
                    if (
                        all(m.matches(src) for m in r.source)
                        and all(src.get(k) == labels.get(k) for k in r.equal)
                        and src is not labels
                    ):
                        return "inhibited"
        return None
