"""``sequence``: an event matching ``first`` followed by one matching ``then`` within ``within``.

Params: ``first``, ``then`` (CEL), ``within`` (duration), ``key_first`` and
``key_then`` (CEL, optional: both must give the same value, e.g. the user
granted MANAGE in ``first`` is the actor of ``then``; default: same page).
The ``then`` event is the finding (a pulse); its values are ``first_at`` and the gap since it, in seconds
(``gap_s``) and in whole minutes (``gap_min``, for a summary of a gap of hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sentinel.config.types import Duration
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, ParamError, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time

MAX_OPEN = 1000


class SequenceParams(Params):
    first: str
    then: str
    within: Duration
    key_first: str | None = None
    key_then: str | None = None


@dataclass(slots=True)
class SequenceState:
    open: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # key -> (time of first, its event id)


class SequenceDetector:
    type_name = "sequence"
    pulse = True

    def __init__(self, params: SequenceParams, compile: Compile) -> None:
        first = compile_param(compile, "first", params.first)
        then = compile_param(compile, "then", params.then)
        if first is None or then is None:
            raise ParamError("first", "first and then are required")
        self.first, self.then = first, then
        self.within: timedelta = params.within
        self.key_first = compile_param(compile, "key_first", params.key_first)
        self.key_then = compile_param(compile, "key_then", params.key_then)

    def new_state(self) -> SequenceState:
        return SequenceState()

    def observe(self, state: SequenceState, event: Enriched, now: datetime) -> list[Signal]:
        t: datetime = event.time
        out: list[Signal] = []
        if self.then.test(event):
            k = key_value(self.key_then, event)
            hit = state.open.get(k)
            if hit is not None and hit[0] <= t <= hit[0] + self.within and hit[1] != event.event.id:
                gap = int((t - hit[0]).total_seconds())
                out.append(
                    Signal(
                        labels={"key": k} if k else {},
                        active=True,
                        at=t,
                        values={"first_at": hit[0].isoformat(), "gap_s": gap, "gap_min": gap // 60},
                        evidence=(hit[1], event.event.id),
                    )
                )
        if self.first.test(event):
            k = key_value(self.key_first, event)
            if len(state.open) >= MAX_OPEN:
                self.advance(state, t)
            state.open[k] = (t, event.event.id)
        return out

    def advance(self, state: SequenceState, now: datetime) -> list[Signal]:
        for k in [k for k, (t, _) in state.open.items() if t + self.within < now]:
            del state.open[k]
        return []

    def next_due(self, state: SequenceState) -> datetime | None:
        return None  # expiry is lazy: an expired opening never matches

    def to_json(self, state: SequenceState) -> Mapping[str, Any]:
        return {k: [t.isoformat(), i] for k, (t, i) in state.open.items()}

    def from_json(self, data: Mapping[str, Any]) -> SequenceState:
        return SequenceState(open={k: (parse_time(t), i) for k, (t, i) in data.items()})


def factory(params: Mapping[str, Any], compile: Compile) -> SequenceDetector:
    return SequenceDetector(parse_params(SequenceParams, params), compile)
