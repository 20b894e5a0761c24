"""``match``: every event the rule's ``match`` accepts is a finding (a pulse).

Params: ``key`` (CEL, optional): events with different keys are different
alerts, e.g. ``admin_id`` so that two new admins are two alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched


class MatchParams(Params):
    key: str | None = None


@dataclass(slots=True)
class MatchState:
    count: int = 0


class MatchDetector:
    type_name = "match"
    pulse = True

    def __init__(self, params: MatchParams, compile: Compile) -> None:
        self.key = compile_param(compile, "key", params.key)

    def new_state(self) -> MatchState:
        return MatchState()

    def observe(self, state: MatchState, event: Enriched, now: datetime) -> list[Signal]:
        state.count += 1
        k = key_value(self.key, event)
        return [Signal(labels={"key": k} if k else {}, active=True, at=event.time, evidence=(event.event.id,))]

    def advance(self, state: MatchState, now: datetime) -> list[Signal]:
        return []

    def next_due(self, state: MatchState) -> datetime | None:
        return None

    def to_json(self, state: MatchState) -> Mapping[str, Any]:
        return {"count": state.count}

    def from_json(self, data: Mapping[str, Any]) -> MatchState:
        return MatchState(count=int(data.get("count", 0)))


def factory(params: Mapping[str, Any], compile: Compile) -> MatchDetector:
    return MatchDetector(parse_params(MatchParams, params), compile)
