"""The detector interface.

A detector is the statistical or logical core of a rule's ``detect:`` block.
It has no I/O and never reads the clock: the engine passes ``now``. Its
state is a plain dataclass that the engine keeps per (rule, page) and the
store persists (``to_json``/``from_json`` on the detector).

The engine calls, for a rule whose ``match`` accepted an event:
    signals = detector.observe(state, event, now)
and, as time passes (replay: before each event; daemon: on its tick),
    signals = detector.advance(state, now)
for every state whose ``next_due(state)`` is at or before ``now``.

A ``Signal`` says "the condition for alert instance ``labels`` is active
(or has ended) as of ``at``". The engine's state machine turns signals into
pending → firing → resolved transitions with the rule's ``for`` and
``keep_firing_for``; a detector never decides about firing itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sentinel.enrich import Enriched
from sentinel.model import Severity

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Signal:
    labels: Mapping[str, str]  # identifies the alert instance within the rule and page
    active: bool  # True: condition holds as of ``at``; False: it ended
    at: datetime
    severity: Severity | None = None  # overrides the rule's severity (e.g. a surge that keeps growing)
    values: Mapping[str, Any] = field(default_factory=dict)  # for templates: count, ratio, baseline, why...
    evidence: tuple[str, ...] = ()  # event ids that made the condition hold


class _Quiet(tuple[Signal, ...]):
    """The type of ``QUIET`` (its own type, so that no other empty tuple is mistaken for it)."""


QUIET: Sequence[Signal] = _Quiet()
"""What ``observe`` may return, instead of an empty list, when it signals nothing *and* its ``next_due`` is no
earlier than before the call: the engine then skips asking ``next_due``, which it otherwise does after every
``observe`` (for the hot rules that ask is a fair share of an event's cost)."""


class Detector(Protocol, Generic[S]):
    """What every detector type implements. ``params`` come from the rule's ``detect:`` block."""

    type_name: str

    def new_state(self) -> S: ...

    def observe(self, state: S, event: Enriched, now: datetime) -> Sequence[Signal]:
        """``event``: the event the rule matched, with its features; returns ``QUIET`` or the signals."""
        ...

    def advance(self, state: S, now: datetime) -> list[Signal]: ...

    def next_due(self, state: S) -> datetime | None: ...

    def to_json(self, state: S) -> Mapping[str, Any]: ...

    def from_json(self, data: Mapping[str, Any]) -> S: ...
