"""Silences and inhibition: alerts that must not page anyone, and why.

A ``Silence`` mutes alerts whose labels match all its matchers during
[starts, ends) (a planned campaign, maintenance). An ``InhibitRule`` mutes
alerts matching ``target`` while an alert matching ``source`` fires with the
same values of ``equal`` labels, and for its ``aftermath`` after that alert
ended: by default a hijack alert at warning or above inhibits crisis alerts on
the same page while it fires (the crisis is the hijacker's doing), and a
critical one for a day after it ended too (the next day's worried comments are
the takeover's aftermath, which its incident covers). A suppressed
transition is still emitted, with status ``suppressed`` and a reason, and
counted in ``sentinel_alerts_suppressed_total``.

A regex matcher (``=~``, ``!~``) is RE2, as Alertmanager's (Go's ``regexp``): it runs in time linear in the label
value, whatever the pattern, so a silence made through the operator API cannot hold the event loop. It is anchored
at both ends (a full match), compiled once when the matcher is made, and a pattern RE2 refuses (a backreference,
look-around) is refused there, naming the matcher.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

import re2
from pydantic import Field, field_validator, model_validator

from sentinel.config.types import SentinelModel

Op = Literal["=", "!=", "=~", "!~"]


class Pattern(Protocol):
    """A compiled RE2 pattern (``re2._Regexp``: the package has no type hints)."""

    def fullmatch(self, text: str | bytes) -> object | None: ...


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print each refused pattern to stderr, beside the JSON log
    return options


_OPTIONS = _re2_options()


def compile_pattern(value: str) -> Pattern:
    """``value`` compiled by RE2; ValueError with RE2's reason when it refuses the pattern."""
    try:
        compiled: Pattern = re2.compile(value, _OPTIONS)
    except re2.error as e:
        reason = e.args[0] if e.args else e
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"{reason} (the dialect is RE2, as in Alertmanager: no backreferences or look-around)"
        ) from None
    return compiled


@dataclass(frozen=True, slots=True)
class Matcher:
    """``name op value`` on an alert's labels; a missing label is the empty string, as in Alertmanager.

    ``=~`` and ``!~`` take an RE2 pattern, anchored at both ends (``rule=~crisis`` matches the rule ``crisis`` only,
    not ``crisis.volume_spike``); it is compiled here, once, and a pattern RE2 refuses raises ValueError."""

    name: str
    value: str
    op: Op = "="
    regex: Pattern | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.op in ("=~", "!~"):
            object.__setattr__(self, "regex", compile_pattern(self.value))

    def matches(self, labels: Mapping[str, str]) -> bool:
        v = labels.get(self.name, "")
        if self.op == "=":
            return v == self.value
        if self.op == "!=":
            return v != self.value
        assert self.regex is not None
        try:
            hit = self.regex.fullmatch(v) is not None
        except UnicodeEncodeError:  # a lone surrogate (no store keeps one): matched as its bytes, not raised
            hit = self.regex.fullmatch(v.encode("utf-8", "surrogatepass")) is not None
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
                try:
                    return cls(name, value, op)
                except ValueError as e:
                    raise ValueError(f"bad regular expression in matcher {text!r}: {e}") from None
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
    aftermath: timedelta = timedelta(0)  # the source still mutes this long after it ended

    def mutes(self, src: Mapping[str, str], labels: Mapping[str, str]) -> bool:
        """Whether a ``src`` alert mutes one with ``labels`` (that one matches ``target``)."""
        return all(m.matches(src) for m in self.source) and all(src.get(k) == labels.get(k) for k in self.equal)


# A hijack alert at warning or above (a takeover, not a hint such as a new app) mutes crisis alerts on its page while
# it fires. A critical one (a takeover the rules are sure of) goes on muting them for a day after it ended: the page's
# followers find the takeover when they next look, and their worried comments the next day ("did my card details
# leak?") are its aftermath, not a new crisis. On thinned copies of a labelled hijack night
# (bench/scenario_variants.py) they raised a slow-burn warning seven hours after the takeover's alerts. A warning (an
# unusual post) is a doubt, not a takeover: it mutes nothing after it ended, or a false hint would hide the next
# day's real crisis.
DEFAULT_INHIBIT = (
    InhibitRule(
        source=(Matcher("category", "hijack"), Matcher("severity", "info", "!=")),
        target=(Matcher("category", "crisis"),),
    ),
    InhibitRule(
        source=(Matcher("category", "hijack"), Matcher("severity", "critical")),
        target=(Matcher("category", "crisis"),),
        aftermath=timedelta(days=1),
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
    # When a silence holds: an operator's act on the wall clock, judged when the alert is decided (as Alertmanager
    # judges it when it would notify); the daemon sets its clock here. None (replay, the demo): the alert's own
    # time, which is the only clock there. The rules' event-time clock lags the wall clock by a delivery's delay:
    # a silence made now did not mute a comment dated a second ago, and one that ended still muted a backlog.
    clock: Callable[[], datetime] | None = None

    def reason(
        self,
        labels: Mapping[str, str],
        at: datetime,
        firing: Iterable[Mapping[str, str]],
        ended: Iterable[tuple[Mapping[str, str], datetime]] = (),
    ) -> str | None:
        """``"silenced"``, ``"inhibited"`` or None. ``firing``: labels of alerts firing (and notified) now;
        ``ended``: labels of alerts that fired (notified) and ended, with when they ended (see ``aftermath``)."""
        now = self.clock() if self.clock is not None else at
        for s in self.silences:
            if s.mutes(labels, now):
                return "silenced"
        rules = [r for r in self.inhibit if all(m.matches(labels) for m in r.target)]
        if rules:
            for src in firing:
                if src is not labels and any(r.mutes(src, labels) for r in rules):
                    return "inhibited"
            for src, ended_at in ended:
                if any(at - ended_at <= r.aftermath and r.mutes(src, labels) for r in rules):
                    return "inhibited"
        return None

    @property
    def aftermath(self) -> timedelta:
        """The longest aftermath of an inhibit rule: how long an ended alert can still mute another."""
        return max((r.aftermath for r in self.inhibit), default=timedelta(0))

    def outlasts(self, labels: Mapping[str, str]) -> bool:
        """Whether an alert with ``labels`` still mutes others after it ended (it is some rule's source)."""
        return any(r.aftermath > timedelta(0) and all(m.matches(labels) for m in r.source) for r in self.inhibit)
