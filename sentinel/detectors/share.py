"""``share``: the fraction of matching events for which ``where`` holds, in a sliding window.

Params: ``window``, ``where`` (CEL), ``ratio`` (0..1), ``min_count`` (events
in the window before a ratio means anything), ``key`` (CEL, optional).
Active while count >= min_count and share >= ratio.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.config.types import Duration
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, ParamError, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time


class ShareParams(Params):
    window: Duration
    where: str
    ratio: float = Field(gt=0, le=1)
    min_count: int = Field(default=10, ge=1)
    key: str | None = None


@dataclass(slots=True)
class ShareWindow:
    items: deque[tuple[datetime, bool]] = field(default_factory=deque)
    hits: int = 0
    active: bool = False


@dataclass(slots=True)
class ShareState:
    windows: dict[str, ShareWindow] = field(default_factory=dict)


class ShareDetector:
    type_name = "share"
    pulse = False

    def __init__(self, params: ShareParams, compile: Compile) -> None:
        self.window: timedelta = params.window
        where = compile_param(compile, "where", params.where)
        if where is None:
            raise ParamError("where", "is required")
        self.where = where
        self.ratio = params.ratio
        self.min_count = params.min_count
        self.key = compile_param(compile, "key", params.key)

    def new_state(self) -> ShareState:
        return ShareState()

    def _holds(self, w: ShareWindow) -> bool:
        n = len(w.items)
        return n >= self.min_count and w.hits / n >= self.ratio

    def _signal(self, k: str, w: ShareWindow, active: bool, at: datetime) -> Signal:
        n = len(w.items)
        return Signal(
            labels={"key": k} if k else {},
            active=active,
            at=at,
            values={"count": n, "hits": w.hits, "share": round(w.hits / n, 3) if n else 0.0},
        )

    def _update(self, k: str, w: ShareWindow, at: datetime) -> list[Signal]:
        holds = self._holds(w)
        if holds != w.active:
            w.active = holds
            return [self._signal(k, w, holds, at)]
        return []

    def _expire(self, w: ShareWindow, now: datetime) -> datetime | None:
        last = None
        while w.items and w.items[0][0] + self.window <= now:
            t0, hit = w.items.popleft()
            w.hits -= hit
            last = t0 + self.window
        return last

    def observe(self, state: ShareState, event: Enriched, now: datetime) -> list[Signal]:
        k = key_value(self.key, event)
        w = state.windows.setdefault(k, ShareWindow())
        self._expire(w, event.time)
        hit = self.where.test(event)
        w.items.append((event.time, hit))
        w.hits += hit
        return self._update(k, w, event.time)

    def advance(self, state: ShareState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        for k, w in list(state.windows.items()):
            while w.items and w.items[0][0] + self.window <= now:
                at = self._expire(w, w.items[0][0] + self.window)
                if at is not None:
                    out += self._update(k, w, at)
            if not w.items:
                del state.windows[k]
        return out

    def next_due(self, state: ShareState) -> datetime | None:
        due = [w.items[0][0] + self.window for w in state.windows.values() if w.items]
        return min(due) if due else None

    def to_json(self, state: ShareState) -> Mapping[str, Any]:
        return {
            k: {"active": w.active, "items": [[t.isoformat(), h] for t, h in w.items]} for k, w in state.windows.items()
        }

    def from_json(self, data: Mapping[str, Any]) -> ShareState:
        s = ShareState()
        for k, w in data.items():
            items = deque((parse_time(t), bool(h)) for t, h in w["items"])
            s.windows[k] = ShareWindow(items=items, hits=sum(h for _, h in items), active=w["active"])
        return s


def factory(params: Mapping[str, Any], compile: Compile) -> ShareDetector:
    return ShareDetector(parse_params(ShareParams, params), compile)
