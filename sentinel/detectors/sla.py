"""``sla``: items that need an answer, measured in the page's staffed time (holidays included).

Params: ``opens`` (CEL: this event needs an answer, e.g. a customer's
question), ``open_keys`` (CEL list: what an answer may refer to, e.g. the
comment id), ``closes`` (CEL: this event answers), ``close_keys`` (CEL list:
what it answers, e.g. the parent comment id or the thread id), ``within``
(duration; default the page's ``response_sla``), ``min_overdue`` (overdue
items before it is active: a backlog), ``forget_after`` (an overdue item no
longer counts after this long: old misses do not keep an alert open for ever),
``seen`` / ``seen_keys`` (CEL: this event shows the page saw an item, e.g. the
page's like; what it refers to) and ``seen_closes`` (whether seeing counts as
answering; default true, per page with ``pages: {P: {detect: {seen_closes: false}}}``),
``early`` (staffed time before the deadline at which an item counts: a rule
with ``early: 30m`` warns before the deadline, one without after it).

An answer may be processed before the item it answers (a late or retried
webhook, a file whose reply line comes first): each key's latest close (an
answer, or a ``seen``) is remembered with its event time for ``forget_after``,
and at least ``CLOSES_KEPT`` (longer than Meta retries a webhook), at most
``MAX_CLOSES`` keys. An item opened later whose close is known and dated at or
after it was answered then: it never counts.

One alert per page (or ``key``): active while at least ``min_overdue`` items
are overdue, ended when none is. Its values are a work list: ``items`` names
each overdue item (``who``, ``link``, ``channel``, ``waited`` in staffed time),
oldest first, and is sent again (the alert's values updated) whenever an item
is answered or another falls due while it fires.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.conditions.expr import Expr
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
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time
from sentinel.staffed import StaffedHours

MAX_OPEN = 50_000
MAX_LISTED = 20  # items an alert's work list names (``overdue`` counts them all)
CLOSES_KEPT = timedelta(days=2)  # how long a close is remembered for an item that arrives after it, at least
MAX_CLOSES = 20_000


class SlaParams(Params):
    opens: str
    open_keys: str
    closes: str
    close_keys: str
    seen: str | None = None
    seen_keys: str | None = None
    seen_closes: bool = True
    within: Duration | None = None
    early: Duration = timedelta(0)
    min_overdue: int = Field(default=1, ge=1)
    forget_after: Duration = timedelta(days=2)


@dataclass(slots=True)
class Item:
    opened: datetime
    deadline: datetime
    keys: tuple[str, ...]
    overdue: bool = False
    who: str = ""
    link: str = ""
    channel: str = ""  # ``comment`` | ``message``


@dataclass(slots=True)
class SlaState:
    items: dict[str, Item] = field(default_factory=dict)  # event id -> item
    by_key: dict[str, set[str]] = field(default_factory=dict)
    active: bool = False
    overdue: int = 0
    heap: list[tuple[datetime, str]] = field(default_factory=list)  # (next time an item changes, event id)
    # the page's calendar, for the work list's staffed waits (set by each event; clock time until the first after a
    # restart)
    staffed: StaffedHours | None = None
    # key -> the latest time something closed it (event time), oldest first: an item that arrives after its answer
    closes: dict[str, datetime] = field(default_factory=dict)


class SlaDetector:
    type_name = "sla"
    pulse = False

    def __init__(self, params: SlaParams, compile: Compile) -> None:
        self.opens, self.open_keys = _req(compile, "opens", params.opens), _req(compile, "open_keys", params.open_keys)
        self.closes = _req(compile, "closes", params.closes)
        self.close_keys = _req(compile, "close_keys", params.close_keys)
        self.seen = compile_param(compile, "seen", params.seen) if params.seen_closes else None
        self.seen_keys = compile_param(compile, "seen_keys", params.seen_keys)
        if self.seen is not None and self.seen_keys is None:
            raise ParamError("seen_keys", "is required with seen")
        self.within: timedelta | None = params.within
        self.early: timedelta = params.early
        self.min_overdue = params.min_overdue
        self.forget_after: timedelta = params.forget_after
        self.gate: Gate | None = None  # see ``specialize``

    def new_state(self) -> SlaState:
        return SlaState()

    def specialize(self, fixed: Mapping[str, str]) -> SlaDetector:
        """The same detector (same state) with its conditions specialised to events of ``fixed`` values, and a
        ``gate``: ``opens || closes || seen``. An event that does none of these changes nothing (the engine has
        run every due timer before it), so the engine need not call ``observe`` for it - most visitors' comments
        and reactions."""
        other = copy.copy(self)
        other.opens, other.closes = self.opens.specialize(fixed), self.closes.specialize(fixed)
        other.open_keys, other.close_keys = self.open_keys.specialize(fixed), self.close_keys.specialize(fixed)
        other.gate = either(other.opens, other.closes)
        if self.seen is not None and self.seen_keys is not None:
            other.seen, other.seen_keys = self.seen.specialize(fixed), self.seen_keys.specialize(fixed)
            other.gate = Either3(other.gate, other.seen)
        return other

    def _settle(self, state: SlaState, at: datetime, changed: bool = False) -> list[Signal]:
        """Signals for a change in the overdue count: the alert starts, ends, or (``changed``: an overdue item was
        answered or another fell due) its work list is sent again."""
        n = state.overdue
        if n >= self.min_overdue and (not state.active or changed):
            state.active = True
            listed = self.work_list(state, at)
            values = {
                "overdue": n,
                "oldest": listed[0]["opened"] if listed else at.isoformat(),
                "items": listed,
                "list": "\n".join(f"- {i['who'] or '?'} ({i['channel']}, {i['waited']}): {i['link']}" for i in listed),
            }
            return [Signal(labels={}, active=True, at=at, values=values, evidence=tuple(i["id"] for i in listed))]
        if state.active and n == 0:
            state.active = False
            return [Signal(labels={}, active=False, at=at, values={"overdue": 0, "items": [], "list": ""})]
        return []

    def work_list(self, state: SlaState, at: datetime) -> list[dict[str, Any]]:
        """The overdue items, oldest first (at most ``MAX_LISTED``): id, who, link, channel, when it was opened,
        and how long it has waited in the page's staffed time (clock time when the calendar is not known yet)."""
        overdue = sorted((i.opened, eid) for eid, i in state.items.items() if i.overdue)[:MAX_LISTED]
        out = []
        for opened, eid in overdue:
            item = state.items[eid]
            waited = state.staffed.staffed_between(opened, at) if state.staffed is not None else at - opened
            out.append(
                {
                    "id": eid,
                    "who": item.who,
                    "link": item.link,
                    "channel": item.channel,
                    "opened": opened.isoformat(),
                    "waited_s": int(waited.total_seconds()),
                    "waited": format_span(waited),
                }
            )
        return out

    def _remove(self, state: SlaState, eid: str) -> bool:
        """Drop an item; whether it was overdue."""
        item = state.items.pop(eid)
        state.overdue -= item.overdue
        for k in item.keys:
            ids = state.by_key.get(k)
            if ids is not None:
                ids.discard(eid)
                if not ids:
                    del state.by_key[k]
        return item.overdue

    def _close(self, state: SlaState, keys: Any, t: datetime) -> bool:
        """Close the items opened by ``t`` under any of ``keys`` (and remember it, for an item that arrives later);
        whether an overdue one was among them."""
        was_overdue = False
        keys = as_list(keys)
        self._remember(state, keys, t)
        for k in keys:
            ids = state.by_key.get(k)
            if ids:  # (most of an answer's keys have no open question)
                for eid in list(ids):
                    if state.items[eid].opened <= t:
                        was_overdue |= self._remove(state, eid)
        return was_overdue

    def _remember(self, state: SlaState, keys: list[Any], t: datetime) -> None:
        """Remember that ``keys`` were closed at ``t``; forget closes older than the memory, oldest first."""
        closes = state.closes
        for k in keys:
            last = closes.pop(k, None)
            closes[k] = t if last is None or t > last else last
        horizon = t - max(self.forget_after, CLOSES_KEPT)
        while closes:
            first = next(iter(closes))
            if len(closes) <= MAX_CLOSES and closes[first] >= horizon:
                break
            del closes[first]

    def _answered(self, state: SlaState, keys: tuple[str, ...], t: datetime) -> bool:
        """Whether an item opened at ``t`` under ``keys`` was closed already (its answer processed before it)."""
        closes = state.closes
        for k in keys:
            c = closes.get(k)
            if c is not None and c >= t:
                return True
        return False

    def observe(self, state: SlaState, event: Enriched, now: datetime) -> Sequence[Signal]:
        t: datetime = event.time
        state.staffed = event.page.staffed
        heap = state.heap
        moved = bool(heap) and heap[0][0] <= t  # the engine ran every timer due by now, so this is rare
        out = self.advance(state, t) if moved else []  # a later head: nothing is due yet
        changed = False
        if self.closes.test(event):
            # closing only ever moves the next deadline later (the heap drops closed items lazily)
            changed = self._close(state, self.close_keys.eval(event), t)
        elif self.seen is not None and self.seen_keys is not None and self.seen.test(event):
            changed = self._close(state, self.seen_keys.eval(event), t)
        elif self.opens.test(event) and len(state.items) < MAX_OPEN:
            keys = tuple(as_list(self.open_keys.eval(event)))
            within = self.within if self.within is not None else event.page.response_sla
            # an item that arrives out of hours starts its clock at opening: ``add`` counts staffed time only
            deadline = event.page.staffed.add(t, max(within - self.early, timedelta(0)))
            if keys and deadline is not None and not self._answered(state, keys, t):
                eid = event.event.id
                state.items[eid] = Item(
                    opened=t,
                    deadline=deadline,
                    keys=keys,
                    who=_who(event),
                    link=item_link(event.event.platform, event.event.object),
                    channel="message" if event.kind.startswith("message.") else "comment",
                )
                for k in keys:
                    state.by_key.setdefault(k, set()).add(eid)
                heapq.heappush(state.heap, (deadline.astimezone(t.tzinfo), eid))
                moved = True
        if state.active or state.overdue >= self.min_overdue:
            out += self._settle(state, t, changed and state.active)
        return out if out or moved else QUIET  # only opening (or running) an item can bring the next due earlier

    def advance(self, state: SlaState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        while True:
            due = self._next(state)
            if due is None or due > now:
                break
            changed = False
            while state.heap and state.heap[0][0] <= due:
                _, eid = heapq.heappop(state.heap)
                item = state.items.get(eid)
                if item is None:
                    continue
                changed = True
                if not item.overdue:
                    item.overdue = True
                    state.overdue += 1
                    forget = item.deadline + self.forget_after  # in the page's time zone: 2d is two local days
                    heapq.heappush(state.heap, (forget.astimezone(item.opened.tzinfo), eid))
                else:
                    self._remove(state, eid)
            out += self._settle(state, due, changed and state.active)
        return out

    def _next(self, state: SlaState) -> datetime | None:
        while state.heap and state.heap[0][1] not in state.items:
            heapq.heappop(state.heap)
        return state.heap[0][0] if state.heap else None

    def next_due(self, state: SlaState) -> datetime | None:
        return self._next(state)

    def to_json(self, state: SlaState) -> Mapping[str, Any]:
        return {
            "active": state.active,
            "items": {
                eid: [i.opened.isoformat(), i.deadline.isoformat(), list(i.keys), i.overdue, i.who, i.link, i.channel]
                for eid, i in state.items.items()
            },
            "closes": {k: t.isoformat() for k, t in state.closes.items()},
        }

    def from_json(self, data: Mapping[str, Any]) -> SlaState:
        s = SlaState(active=bool(data.get("active")))
        s.closes = {str(k): parse_time(t) for k, t in data.get("closes", {}).items()}  # (none saved before them)
        for eid, row in data.get("items", {}).items():
            o, d, keys, od = row[:4]
            who, link, channel = [*row[4:7], "", "", ""][:3]  # (a state saved before the work lists: none)
            s.items[eid] = Item(parse_time(o), parse_time(d), tuple(keys), od, str(who), str(link), str(channel))
            s.overdue += bool(od)
            for k in keys:
                s.by_key.setdefault(k, set()).add(eid)
            heapq.heappush(s.heap, (s.items[eid].deadline + (self.forget_after if od else timedelta(0)), eid))
        return s


class Either3:
    """The gate ``a || b`` over a gate and an expression (``opens || closes``, then ``|| seen``)."""

    __slots__ = ("a", "b", "const")

    def __init__(self, a: Gate, b: Expr) -> None:
        self.a, self.b = a, b
        self.const: bool | None = None

    def test(self, scope: Any) -> bool:
        return self.a.test(scope) or self.b.test(scope)


def _who(event: Enriched) -> str:
    actor = event.event.actor
    if actor is None:
        return ""
    return str(actor.name or actor.id or "")


def item_link(platform: str, obj: Mapping[str, Any]) -> str:
    """Where a person opens the item: the comment on its post, or the page's inbox for a private message."""
    if platform != "facebook":
        return str(obj.get("comment_id") or obj.get("thread_id") or "")
    cid, post = obj.get("comment_id"), obj.get("post_id")
    if cid and post:
        return f"https://www.facebook.com/{post}?comment_id={cid}"
    if cid:
        return f"https://www.facebook.com/{cid}"
    return "https://business.facebook.com/latest/inbox/all"


def format_span(d: timedelta) -> str:
    """``1d 2h 5m`` (staffed time shown to a person; minutes are enough)."""
    minutes = int(d.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return " ".join(parts)


def _req(compile: Compile, key: str, source: str) -> Expr:
    e = compile_param(compile, key, source)
    if e is None:
        raise ParamError(key, "is required")
    return e


def factory(params: Mapping[str, Any], compile: Compile) -> SlaDetector:
    return SlaDetector(parse_params(SlaParams, params), compile)
