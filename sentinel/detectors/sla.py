"""``sla``: items that need an answer, measured in the page's staffed time (holidays included).

Params: ``opens`` (CEL: this event needs an answer, e.g. a customer's
question), ``open_keys`` (CEL list: what an answer may refer to, e.g. the
comment id), ``closes`` (CEL: this event answers), ``close_keys`` (CEL list:
what it answers, e.g. the parent comment id or the thread id), ``within``
(duration; default the page's ``response_sla``), ``min_overdue`` (overdue
items before it is active: a backlog), ``forget_after`` (an overdue item no
longer counts after this long: old misses do not keep an alert open for ever).

One alert per page (or ``key``): active while at least ``min_overdue`` items
are overdue, ended when none is.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.config.types import Duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import (
    Compile,
    Gate,
    ParamError,
    Params,
    as_list,
    compile_param,
    either,
    parse_params,
)
from sentinel.rules.expr import Expr
from sentinel.sources.codec import parse_time

MAX_OPEN = 50_000


class SlaParams(Params):
    opens: str
    open_keys: str
    closes: str
    close_keys: str
    within: Duration | None = None
    min_overdue: int = Field(default=1, ge=1)
    forget_after: Duration = timedelta(days=2)


@dataclass(slots=True)
class Item:
    opened: datetime
    deadline: datetime
    keys: tuple[str, ...]
    overdue: bool = False


@dataclass(slots=True)
class SlaState:
    items: dict[str, Item] = field(default_factory=dict)  # event id -> item
    by_key: dict[str, set[str]] = field(default_factory=dict)
    active: bool = False
    overdue: int = 0
    heap: list[tuple[datetime, str]] = field(default_factory=list)  # (next time an item changes, event id)


class SlaDetector:
    type_name = "sla"
    pulse = False

    def __init__(self, params: SlaParams, compile: Compile) -> None:
        self.opens, self.open_keys = _req(compile, "opens", params.opens), _req(compile, "open_keys", params.open_keys)
        self.closes = _req(compile, "closes", params.closes)
        self.close_keys = _req(compile, "close_keys", params.close_keys)
        self.within: timedelta | None = params.within
        self.min_overdue = params.min_overdue
        self.forget_after: timedelta = params.forget_after
        self.gate: Gate | None = None  # see ``specialize``

    def new_state(self) -> SlaState:
        return SlaState()

    def specialize(self, fixed: Mapping[str, str]) -> SlaDetector:
        """The same detector (same state) with its conditions specialised to events of ``fixed`` values, and a
        ``gate``: ``opens || closes``. An event that neither opens nor closes an item changes nothing (the
        engine has run every due timer before it), so the engine need not call ``observe`` for it - most
        visitors' comments and reactions."""
        other = copy.copy(self)
        other.opens, other.closes = self.opens.specialize(fixed), self.closes.specialize(fixed)
        other.open_keys, other.close_keys = self.open_keys.specialize(fixed), self.close_keys.specialize(fixed)
        other.gate = either(other.opens, other.closes)
        return other

    def _overdue(self, state: SlaState) -> int:
        return state.overdue

    def _settle(self, state: SlaState, at: datetime) -> list[Signal]:
        n = self._overdue(state)
        if not state.active and n >= self.min_overdue:
            state.active = True
            oldest = min((i.opened for i in state.items.values() if i.overdue), default=at)
            ev = tuple(eid for eid, i in state.items.items() if i.overdue)[:20]
            return [Signal(labels={}, active=True, at=at, values={"overdue": n, "oldest": oldest.isoformat()},
                           evidence=ev)]
        if state.active and n == 0:
            state.active = False
            return [Signal(labels={}, active=False, at=at, values={"overdue": 0})]
        return []

    def _remove(self, state: SlaState, eid: str) -> None:
        item = state.items.pop(eid)
        state.overdue -= item.overdue
        for k in item.keys:
            ids = state.by_key.get(k)
            if ids is not None:
                ids.discard(eid)
                if not ids:
                    del state.by_key[k]

    def observe(self, state: SlaState, event: Any, now: datetime) -> Sequence[Signal]:
        t: datetime = event.time
        heap = state.heap
        moved = bool(heap) and heap[0][0] <= t  # the engine ran every timer due by now, so this is rare
        out = self.advance(state, t) if moved else []  # a later head: nothing is due yet
        if self.closes.test(event):
            # closing only ever moves the next deadline later (the heap drops closed items lazily)
            for k in as_list(self.close_keys.eval(event)):
                ids = state.by_key.get(k)
                if ids:  # (most of an answer's keys have no open question)
                    for eid in list(ids):
                        if state.items[eid].opened <= t:
                            self._remove(state, eid)
        elif self.opens.test(event) and len(state.items) < MAX_OPEN:
            keys = tuple(as_list(self.open_keys.eval(event)))
            within = self.within if self.within is not None else event.page.response_sla
            deadline = event.page.staffed.add(t, within)
            if keys and deadline is not None:
                eid = event.event.id
                state.items[eid] = Item(opened=t, deadline=deadline, keys=keys)
                for k in keys:
                    state.by_key.setdefault(k, set()).add(eid)
                heapq.heappush(state.heap, (deadline.astimezone(t.tzinfo), eid))
                moved = True
        if state.active or state.overdue >= self.min_overdue:
            out += self._settle(state, t)
        return out if out or moved else QUIET  # only opening (or running) an item can bring the next due earlier

    def advance(self, state: SlaState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        while True:
            due = self._next(state)
            if due is None or due > now:
                break
            while state.heap and state.heap[0][0] <= due:
                _, eid = heapq.heappop(state.heap)
                item = state.items.get(eid)
                if item is None:
                    continue
                if not item.overdue:
                    item.overdue = True
                    state.overdue += 1
                    forget = item.deadline + self.forget_after  # in the page's time zone: 2d is two local days
                    heapq.heappush(state.heap, (forget.astimezone(item.opened.tzinfo), eid))
                else:
                    self._remove(state, eid)
            out += self._settle(state, due)
        return out

    def _next(self, state: SlaState) -> datetime | None:
        while state.heap and state.heap[0][1] not in state.items:
            heapq.heappop(state.heap)
        return state.heap[0][0] if state.heap else None

    def next_due(self, state: SlaState) -> datetime | None:
        return self._next(state)

    def to_json(self, state: SlaState) -> Mapping[str, Any]:
        return {"active": state.active,
                "items": {eid: [i.opened.isoformat(), i.deadline.isoformat(), list(i.keys), i.overdue]
                          for eid, i in state.items.items()}}

    def from_json(self, data: Mapping[str, Any]) -> SlaState:
        s = SlaState(active=bool(data.get("active")))
        for eid, (o, d, keys, od) in data.get("items", {}).items():
            s.items[eid] = Item(parse_time(o), parse_time(d), tuple(keys), od)
            s.overdue += bool(od)
            for k in keys:
                s.by_key.setdefault(k, set()).add(eid)
            heapq.heappush(s.heap, (s.items[eid].deadline + (self.forget_after if od else timedelta(0)), eid))
        return s


def _req(compile: Compile, key: str, source: str) -> Expr:
    e = compile_param(compile, key, source)
    if e is None:
        raise ParamError(key, "is required")
    return e


def factory(params: Mapping[str, Any], compile: Compile) -> SlaDetector:
    return SlaDetector(parse_params(SlaParams, params), compile)
