"""``new_value``: a value never seen before for this page (and key), after a learning period.

Params: ``value`` (CEL: a value or a list, e.g. ``app`` or ``domains``),
``learn_for`` (duration from the page's first event; default 14d),
``key`` (CEL, optional: separate memories per key). During learning every
value is remembered silently; afterwards an unseen value is a finding (a
pulse) and is remembered, so it fires once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sentinel.config.types import Duration
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, ParamError, Params, as_list, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time

MAX_VALUES = 20_000


class NewValueParams(Params):
    value: str
    learn_for: Duration = timedelta(days=14)
    key: str | None = None


@dataclass(slots=True)
class NewValueState:
    started: datetime | None = None
    seen: set[str] = field(default_factory=set)


class NewValueDetector:
    type_name = "new_value"
    pulse = True

    def __init__(self, params: NewValueParams, compile: Compile) -> None:
        value = compile_param(compile, "value", params.value)
        if value is None:
            raise ParamError("value", "is required")
        self.value = value
        self.learn_for: timedelta = params.learn_for
        self.key = compile_param(compile, "key", params.key)

    def new_state(self) -> NewValueState:
        return NewValueState()

    def observe(self, state: NewValueState, event: Enriched, now: datetime) -> list[Signal]:
        t = event.time
        first = event.knowledge.first_seen or t
        if state.started is None or first < state.started:
            state.started = min(first, t)
        learning = t - state.started < self.learn_for
        k = key_value(self.key, event)
        out: list[Signal] = []
        for v in as_list(self.value.eval(event)):
            mem = f"{k}\x1f{v}" if k else v
            if mem in state.seen:
                continue
            if len(state.seen) < MAX_VALUES:
                state.seen.add(mem)
            if not learning:
                labels = {"value": v, "key": k} if k else {"value": v}
                out.append(Signal(labels=labels, active=True, at=t, values={"value": v}, evidence=(event.event.id,)))
        return out

    def advance(self, state: NewValueState, now: datetime) -> list[Signal]:
        return []

    def next_due(self, state: NewValueState) -> datetime | None:
        return None

    def to_json(self, state: NewValueState) -> Mapping[str, Any]:
        return {"started": state.started.isoformat() if state.started else None, "seen": sorted(state.seen)}

    def from_json(self, data: Mapping[str, Any]) -> NewValueState:
        s = data.get("started")
        return NewValueState(started=parse_time(s) if s else None, seen=set(data.get("seen", ())))


def factory(params: Mapping[str, Any], compile: Compile) -> NewValueDetector:
    return NewValueDetector(parse_params(NewValueParams, params), compile)
