"""``threshold``: at least ``min`` matching events (or distinct values) within a sliding ``window``.

Params: ``window`` (duration), ``min`` (int), ``distinct`` (CEL, optional:
count distinct values instead of events), ``key`` (CEL, optional: one window
per key, e.g. per post). Active from the event that reaches ``min``; ends
when enough events have left the window.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.config.types import Duration, format_duration
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time

MAX_KEYS = 10_000


class ThresholdParams(Params):
    window: Duration
    min: int = Field(ge=1)
    distinct: str | None = None
    key: str | None = None


@dataclass(slots=True)
class Window:
    items: deque[tuple[datetime, str, str]] = field(default_factory=deque)  # (time, value, event id)
    active: bool = False


@dataclass(slots=True)
class ThresholdState:
    windows: dict[str, Window] = field(default_factory=dict)


class ThresholdDetector:
    type_name = "threshold"
    pulse = False

    def __init__(self, params: ThresholdParams, compile: Compile) -> None:
        self.window: timedelta = params.window
        self.min = params.min
        self.distinct = compile_param(compile, "distinct", params.distinct)
        self.key = compile_param(compile, "key", params.key)

    def new_state(self) -> ThresholdState:
        return ThresholdState()

    def _count(self, w: Window) -> int:
        if self.distinct is None:
            return len(w.items)
        return len({v for _, v, _ in w.items})

    def _signal(self, k: str, w: Window, active: bool, at: datetime) -> Signal:
        return Signal(
            labels={"key": k} if k else {},
            active=active,
            at=at,
            values={"count": self._count(w), "window": format_duration(self.window), "min": self.min},
            evidence=tuple(i for _, _, i in w.items)[-20:],
        )

    def observe(self, state: ThresholdState, event: Enriched, now: datetime) -> list[Signal]:
        k = key_value(self.key, event)
        w = state.windows.get(k)
        if w is None:
            if len(state.windows) >= MAX_KEYS:
                self._evict(state)
            w = state.windows[k] = Window()
        value = "" if self.distinct is None else str(self.distinct.eval(event))
        t = event.time
        w.items.append((t, value, event.event.id))
        out = self._expire(k, w, t)
        if not w.active and self._count(w) >= self.min:
            w.active = True
            out.append(self._signal(k, w, True, t))
        return out

    def _expire(self, k: str, w: Window, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        while w.items and w.items[0][0] + self.window <= now:
            t0 = w.items.popleft()[0]
            if w.active and self._count(w) < self.min:
                w.active = False
                out.append(self._signal(k, w, False, t0 + self.window))
        return out

    def _evict(self, state: ThresholdState) -> None:
        idle = [k for k, w in state.windows.items() if not w.active]
        for k in idle[: max(1, len(idle) // 2)]:
            del state.windows[k]

    def advance(self, state: ThresholdState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        for k, w in list(state.windows.items()):
            out += self._expire(k, w, now)
            if not w.items and not w.active:
                del state.windows[k]
        return out

    def next_due(self, state: ThresholdState) -> datetime | None:
        due = [w.items[0][0] + self.window for w in state.windows.values() if w.items]
        return min(due) if due else None

    def to_json(self, state: ThresholdState) -> Mapping[str, Any]:
        return {
            "windows": {
                k: {"active": w.active, "items": [[t.isoformat(), v, i] for t, v, i in w.items]}
                for k, w in state.windows.items()
            }
        }

    def from_json(self, data: Mapping[str, Any]) -> ThresholdState:
        s = ThresholdState()
        for k, w in data.get("windows", {}).items():
            s.windows[k] = Window(items=deque((parse_time(t), v, i) for t, v, i in w["items"]), active=w["active"])
        return s


def factory(params: Mapping[str, Any], compile: Compile) -> ThresholdDetector:
    return ThresholdDetector(parse_params(ThresholdParams, params), compile)
