"""``change``: a page setting changed to a value it did not have.

Params: ``field`` (CEL, default ``object.field``), ``value`` (CEL, default
``object.new``), ``fields`` (only these settings; default all). The last
value of each setting is remembered, so the same value reported twice is
one change, and setting it back is another. A value longer than ``MAX_KEPT``
characters is remembered, and shown, as its first ``MAX_KEPT`` characters and
a digest of the whole (two values differing past the prefix still differ): the
state is written after every batch, and an event's free text is not bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, Params, compile_param, parse_params
from sentinel.enrich import Enriched

MAX_KEPT = 512  # characters of a setting's value kept (a page's name, about text or website is shorter)


def kept(value: str) -> str:
    """``value`` as remembered: itself, or its first ``MAX_KEPT`` characters and a digest of the whole."""
    if len(value) <= MAX_KEPT:
        return value
    return f"{value[:MAX_KEPT]}… (#{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:12]})"


class ChangeParams(Params):
    field: str = "object.field"
    value: str = "object.new"
    fields: list[str] | None = None


@dataclass(slots=True)
class ChangeState:
    last: dict[str, str] = field(default_factory=dict)


class ChangeDetector:
    type_name = "change"
    pulse = True

    def __init__(self, params: ChangeParams, compile: Compile) -> None:
        f = compile_param(compile, "field", params.field)
        v = compile_param(compile, "value", params.value)
        assert f is not None and v is not None
        self.field, self.value = f, v
        self.fields = frozenset(params.fields) if params.fields is not None else None

    def new_state(self) -> ChangeState:
        return ChangeState()

    def observe(self, state: ChangeState, event: Enriched, now: datetime) -> list[Signal]:
        name = self.field.eval(event)
        if name is None or (self.fields is not None and str(name) not in self.fields):
            return []
        name = kept(str(name))
        raw = self.value.eval(event)
        new = "" if raw is None else kept(str(raw))
        old = state.last.get(name)
        if old is None:
            prev = event.event.object.get("old")
            old = None if prev is None else kept(str(prev))
        state.last[name] = new
        if old == new:
            return []
        return [
            Signal(
                labels={"field": name},
                active=True,
                at=event.time,
                values={"field": name, "old": old or "", "new": new},
                evidence=(event.event.id,),
            )
        ]

    def advance(self, state: ChangeState, now: datetime) -> list[Signal]:
        return []

    def next_due(self, state: ChangeState) -> datetime | None:
        return None

    def to_json(self, state: ChangeState) -> Mapping[str, Any]:
        return {"last": dict(state.last)}

    def from_json(self, data: Mapping[str, Any]) -> ChangeState:
        return ChangeState(last=dict(data.get("last", {})))


def factory(params: Mapping[str, Any], compile: Compile) -> ChangeDetector:
    return ChangeDetector(parse_params(ChangeParams, params), compile)
