"""``absence``: an expected event did not come in time.

Params: ``start`` (CEL, default true: every matched event opens an
expectation), ``expect`` (CEL, default true: any matched event meets it),
``within`` (duration; ``0s`` = active as soon as it opens), ``key`` (CEL,
optional), ``adaptive_factor`` (optional: ``within`` grows to this many
times the longest gap between ``start`` events seen so far, for a silence
that is unusual *for this page*), ``learn_for`` (adaptive: no finding before
this much history), ``hourly_window`` (optional: also judge the silence by the
page's usual hours, below), ``hourly_margin`` and ``false_alarms``.

**By the page's usual hours** (``hourly_window``, e.g. ``1h``): a busy page silent through an afternoon hour is
strange, a café silent overnight is not. The page's time is cut into 10-minute slots; for each local hour of the
day, weekdays and weekends apart (48 bins), the detector counts the slots it has seen and those that held an event.
By Laplace's rule of succession, ``j`` slots of bin ``b`` in a row are all empty with chance ``prod_{i<j} (empty_b +
1 + i) / (seen_b + 2 + i)`` (a bin always busy so far is not assumed never to be quiet, and one seen busy twelve
times is less sure than one seen busy sixty). A silence's *surprise* over the last ``hourly_window`` is ``-ln`` of
the product of these chances over its bins: how unlikely that hour of silence is. It is due when that surprise
reaches ``h = max(ln(W / false_alarms), record + hourly_margin)``: ``W`` the windows a page-month holds (at most
``false_alarms`` chance silences a page-month, the union bound, were slots independent), ``record`` the largest
surprise of any silence the page has had (traffic comes in waves after the page's posts, so slots are not
independent: no silence is flagged unless it is ``e^hourly_margin`` times rarer than the rarest the page has shown).
The first ``learn_for`` of counting raise nothing. A silence that was flagged is not learned: neither its empty
slots nor its surprise. ``within`` and ``adaptive_factor`` still hold as the slower check for pages too quiet to
judge by the hour; the expectation is due at the earlier of the two.

Examples: a source error not followed by ``source.recovered`` (start on the
error, expect the recovery); a silent source (start and expect every event).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field

from sentinel.config.types import Duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import Compile, ParamError, Params, compile_param, key_value, parse_params
from sentinel.enrich import Enriched
from sentinel.events.codec import parse_time
from sentinel.staffed import StaffedHours


class AbsenceParams(Params):
    start: str = "true"
    expect: str = "true"
    within: Duration
    key: str | None = None
    adaptive_factor: float | None = Field(default=None, gt=0)
    learn_for: Duration = timedelta(0)
    hourly_window: Duration | None = None
    hourly_margin: float = Field(default=3.0, ge=0)
    false_alarms: float = Field(default=0.05, gt=0)


SLOT_S = 600  # the hourly check's slots: ten minutes
DAY_SLOTS = 24 * 6
BINS = 48  # local hour of the day, weekdays (0-23) and weekends, holidays and closed days (24-47)
LEVEL_SPANS = (DAY_SLOTS, 7 * DAY_SLOTS)  # how busy the page has lately been: over the last day, and week
EPOCH_DAY = date(1970, 1, 1).toordinal()
HALVE_AT = 240.0  # a bin's counts are halved at this many slots seen (about 8 weeks of a weekday hour): pages change
HORIZON = 2 * 24 * 6  # slots looked ahead for the hourly deadline, and back over a closed silence: two days
MONTH_SLOTS = 30 * 24 * 6
STATE_VERSION = 3  # 2: the hourly counts (a version 1 state starts counting, and learning them, anew); 3: recent


def slot_bin(slot: int, offset_s: int, day_off: Callable[[date], bool] | None = None) -> int:
    """The bin of a 10-minute slot (slots since the epoch, UTC) at the page's UTC offset ``offset_s``; a day that
    ``day_off`` names (a public holiday, a closed day) is a weekend day."""
    local = slot * SLOT_S + offset_s
    day = local // 86400
    weekend = (day + 3) % 7 >= 5  # the epoch was a Thursday (3, Monday being 0)
    if not weekend and day_off is not None:
        weekend = day_off(date.fromordinal(EPOCH_DAY + day))
    return (local // 3600) % 24 + (24 if weekend else 0)


@dataclass(slots=True)
class Expectation:
    opened: datetime
    deadline: datetime
    evidence: str
    active: bool = False


@dataclass(slots=True)
class AbsenceState:
    open: dict[str, Expectation] = field(default_factory=dict)
    last_start: datetime | None = None
    first_start: datetime | None = None
    max_gap_s: float = 0.0
    within_gap_s: float = -1.0  # the ``max_gap_s`` that ``within`` was computed for (a cache, not persisted)
    within: timedelta = timedelta(0)
    # the hourly check (``hourly_window``)
    offset_s: int = 0  # the page's UTC offset at its latest event
    counted_from: datetime | None = None  # when slot counting began (its own learning period)
    slot: int = -1  # slots before this one are counted in ``seen`` and ``hit``
    slot_hit: bool = False  # an event fell in slot ``slot``
    seen: list[float] = field(default_factory=lambda: [0.0] * BINS)
    hit: list[float] = field(default_factory=lambda: [0.0] * BINS)
    record: float = 0.0  # the largest surprise of a silence the page has had (not flagged), times its level
    recent: list[int] = field(default_factory=list)  # the slots that held an event, in the last of ``LEVEL_SPANS``
    due_for: int = -1  # the slot whose hourly deadline ``due_at`` is (a cache, not persisted)
    due_at: datetime | None = None
    rows: dict[int, list[float]] = field(default_factory=dict)  # per bin, ``_row`` (a cache, not persisted)
    calendar: StaffedHours | None = None  # the page's holidays and closed days (from its config, not persisted)
    days: dict[int, int] = field(default_factory=dict)  # local day -> 0 (a weekday) or 24 (a cache, not persisted)


class AbsenceDetector:
    type_name = "absence"
    pulse = False

    def __init__(self, params: AbsenceParams, compile: Compile) -> None:
        # ``true`` (the default) is not evaluated per event: ``None`` means "every matched event"
        self.start = None if params.start.strip() == "true" else compile_param(compile, "start", params.start)
        self.expect = None if params.expect.strip() == "true" else compile_param(compile, "expect", params.expect)
        self.within: timedelta = params.within
        self.key = compile_param(compile, "key", params.key)
        self.factor = params.adaptive_factor
        self.learn_for: timedelta = params.learn_for
        self.hourly = params.hourly_window is not None
        self.window = max(1, int(params.hourly_window.total_seconds() // SLOT_S)) if params.hourly_window else 0
        self.margin = params.hourly_margin
        self.floor = math.log(MONTH_SLOTS / params.false_alarms)
        # no key, start and expect on every event, a positive ``within``: one expectation, renewed by each event
        self._plain = self.key is None and self.start is None and self.expect is None and self.within > timedelta(0)
        if self.hourly and not self._plain:
            raise ParamError("hourly_window", "judges a page's silence: it needs no key, start or expect, and a within")

    def new_state(self) -> AbsenceState:
        return AbsenceState()

    def _within(self, state: AbsenceState) -> timedelta:
        if self.factor is None:
            return self.within
        gap = state.max_gap_s
        if gap != state.within_gap_s:  # the longest gap rarely grows: reuse the last answer
            state.within = max(self.within, timedelta(seconds=self.factor * gap))
            state.within_gap_s = gap
        return state.within

    # -- the hourly check ---------------------------------------------------------------------------------------
    def _bin(self, state: AbsenceState, slot: int) -> int:
        """``slot_bin`` at the page's offset and days off, each day's kind worked out once."""
        local = slot * SLOT_S + state.offset_s
        day = local // 86400
        base = state.days.get(day)
        if base is None:
            if len(state.days) > 64:
                state.days.clear()
            day_off = state.calendar.is_day_off if state.calendar is not None else None
            base = state.days[day] = slot_bin(day * DAY_SLOTS, 0, day_off)  # its midnight's bin: 0 or 24
        return (local // 3600) % 24 + base

    def _level(self, state: AbsenceState, first: int) -> float:
        """How busy the page has lately been, as a share of its usual (at most 1): the slots that held an event
        against those its bins expect to (Laplace's estimates), over the day and over the week before slot
        ``first``, whichever is lower. A page at a fifth of its usual over Christmas finds a silence a fifth as
        surprising; a page busy until its source stopped, as surprising as ever."""
        assert state.counted_from is not None
        lo = int(state.counted_from.timestamp()) // SLOT_S
        expected, s, level = 0.0, first, 1.0
        for span in LEVEL_SPANS:
            stop = max(lo, first - span)
            expected += self._expected(state, stop, s)
            s = min(s, stop)
            held = len(state.recent) - bisect_left(state.recent, s)
            if state.slot_hit and s <= state.slot < first and state.slot not in state.recent[-1:]:
                held += 1  # the last event's slot, not yet closed
            level = min(level, (held + 1.0) / (expected + 1.0))
        return level

    def _expected(self, state: AbsenceState, a: int, b: int) -> float:
        """The slots from ``a`` up to ``b`` that the page's bins expect to hold an event (Laplace's estimates), an hour
        of slots at a time (they share a bin)."""
        total, s, off = 0.0, a, state.offset_s
        while s < b:
            next_hour = ((s * SLOT_S + off) // 3600 + 1) * 3600  # local
            e = min(b, -((off - next_hour) // SLOT_S))  # the first slot of the next local hour: ceil
            k = self._bin(state, s)
            total += (e - s) * (state.hit[k] + 1.0) / (state.seen[k] + 2.0)
            s = e
        return total

    def _row(self, state: AbsenceState, b: int) -> list[float]:
        """The surprise of 0..window slots of bin ``b`` in a row all empty: ``-ln`` of their chance by Laplace's rule
        of succession (after each empty slot an empty one is deemed likelier: a bin seen busy twelve times is not as
        sure as one seen busy sixty)."""
        empty, n = state.seen[b] - state.hit[b], state.seen[b]
        acc, row = 0.0, [0.0]
        for i in range(self.window):
            acc -= math.log((empty + 1.0 + i) / (n + 2.0 + i))
            row.append(acc)
        return row

    def _windows(self, state: AbsenceState, first: int, n: int, at_least: float = -1.0) -> Iterator[tuple[int, float]]:
        """``(i, surprise)`` of each window of ``self.window`` empty slots among the ``n`` slots from ``first``
        (``i``: its first slot's index), leaving out windows that cannot reach ``at_least`` (most of a night)."""
        m, off, rows = self.window, state.offset_s, state.rows
        hour0 = (first * SLOT_S + off) // 3600
        hour_bins = [self._bin(state, (h * 3600 - off) // SLOT_S) for h in range(hour0, hour0 + n * SLOT_S // 3600 + 2)]
        bins = [hour_bins[(s * SLOT_S + off) // 3600 - hour0] for s in range(first, first + n)]
        for i in range(len(bins) - m + 1):
            b1, b2 = bins[i], bins[i + m - 1]
            for b in (b1, b2):
                if b not in rows:
                    rows[b] = self._row(state, b)
            if rows[b1][m] + (rows[b2][m] if b2 != b1 else 0.0) < at_least:  # a bound when runs span two bins
                continue
            total, j = 0.0, i
            while j < i + m:  # the window's runs of slots in one bin (two or three at most)
                b, k = bins[j], j
                while k < i + m and bins[k] == b:
                    k += 1
                row = rows.get(b)
                if row is None:
                    row = rows[b] = self._row(state, b)
                total += row[k - j]
                j = k
            yield i, total

    def _surprise(self, state: AbsenceState, first: int, n: int) -> float:
        """The largest surprise of a window of empty slots among the ``n`` from ``first``."""
        return max((x for _, x in self._windows(state, first, min(n, HORIZON))), default=0.0)

    def _learn_hours(self, state: AbsenceState, event: Enriched, t: datetime, flagged: bool) -> None:
        """Count the slots up to ``t`` (the event's), and the surprise of the silence the event ends."""
        off = event.local_offset
        state.offset_s = int(off.total_seconds()) if off is not None else 0
        if state.calendar is not event.page.staffed:
            state.calendar, state.days, state.rows = event.page.staffed, {}, {}
        now = int(t.timestamp()) // SLOT_S
        if state.slot < 0:
            state.slot, state.slot_hit, state.counted_from = now, True, state.counted_from or t
            return
        if now <= state.slot:
            state.slot_hit = True
            return
        if state.slot_hit:
            state.recent.append(state.slot)
        if not flagged and state.slot_hit:  # the silence from the last event: the slots strictly between
            x = self._surprise(state, state.slot + 1, now - state.slot - 1)
            if x > state.record:  # the level is at most 1: only then can it make a record
                state.record = max(state.record, x * self._level(state, state.slot + 1))
        seen, hit = state.seen, state.hit
        counted = [state.slot] if flagged else range(state.slot, now)[-7 * 24 * 6 :]  # a week at most
        for s in counted:
            b = self._bin(state, s)
            state.rows.pop(b, None)
            seen[b] += 1.0
            if s == state.slot and state.slot_hit:
                hit[b] += 1.0
            if seen[b] >= HALVE_AT:
                seen[b] /= 2.0
                hit[b] /= 2.0
        cut = bisect_left(state.recent, now - LEVEL_SPANS[-1])
        if cut:
            del state.recent[:cut]
        state.slot, state.slot_hit = now, True
        state.due_for = -1

    def _hourly_due(self, state: AbsenceState, t: datetime) -> datetime | None:
        """When a silence from ``t`` reaches the hourly threshold (within two days), if it does."""
        start = int(t.timestamp()) // SLOT_S
        if state.due_for == start:
            return state.due_at
        state.due_for, state.due_at = start, None
        if state.counted_from is None:
            return None
        h = max(self.floor, state.record + self.margin) / self._level(state, start + 1)
        for i, x in self._windows(state, start + 1, HORIZON, at_least=h):
            if x >= h:
                due = datetime.fromtimestamp((start + 1 + i + self.window) * SLOT_S, t.tzinfo)
                if due - state.counted_from >= self.learn_for:
                    state.due_at = due
                break
        return state.due_at

    def _deadline(self, state: AbsenceState, t: datetime) -> datetime:
        """When the silence from ``t`` is due to be judged. With the hourly check, the earliest it could be due (a
        whole window of empty slots after ``t``'s): ``advance`` works the true deadline out only if the silence
        lasts that long, so a busy page's events (most of them) cost no scan of the hours ahead."""
        late = t + self._within(state)
        if not self.hourly:
            return late
        earliest = datetime.fromtimestamp((int(t.timestamp()) // SLOT_S + 1 + self.window) * SLOT_S, t.tzinfo)
        return min(earliest, late)

    def _clock_due(self, state: AbsenceState, opened: datetime) -> datetime:
        """``opened + within``, the page's weekdays off (holidays, closed days) in the silence not counted: a
        brewery silent over Christmas is judged by its working days."""
        due = opened + self._within(state)
        if state.calendar is None:
            return due
        off = state.offset_s
        day = (int(opened.timestamp()) + off) // 86400
        while day * 86400 - off < due.timestamp():
            if (day + 3) % 7 < 5 and self._bin(state, (day * 86400 - off) // SLOT_S) >= 24:
                due += timedelta(seconds=(day + 1) * 86400 - off - max(opened.timestamp(), day * 86400 - off))
            day += 1
        return due

    def _true_deadline(self, state: AbsenceState, exp: Expectation) -> datetime:
        late = self._clock_due(state, exp.opened)
        early = self._hourly_due(state, exp.opened)
        return late if early is None or early > late else early

    def observe(self, state: AbsenceState, event: Enriched, now: datetime) -> Sequence[Signal]:
        t: datetime = event.time
        if self.hourly:
            exp = state.open.get("")
            self._learn_hours(state, event, t, flagged=exp is not None and exp.active)
        if self._plain:
            exp = state.open.get("")
            if exp is not None and not exp.active and exp.deadline > t and exp.evidence != event.event.id:
                # Every event meets the one open expectation and opens the next: nothing is due (the deadline is
                # later), so this is the general path below with the expectation renewed in place.
                last = state.last_start
                if last is not None:
                    gap = (t - last).total_seconds()
                    if gap > state.max_gap_s:
                        state.max_gap_s = gap
                else:
                    state.first_start = state.first_start or t
                state.last_start = t
                exp.opened = t
                if self.hourly:
                    deadline = self._deadline(state, t)
                else:
                    deadline = t + (state.within if state.max_gap_s == state.within_gap_s else self._within(state))
                later = deadline >= exp.deadline  # in time order it always is: then the armed timer still holds
                exp.deadline = deadline
                exp.evidence = event.event.id
                return QUIET if later else []
        out = self.advance(state, t) if state.open else []
        k = key_value(self.key, event) if self.key is not None else ""
        if self.expect is None or self.expect.test(event):
            exp = state.open.get(k)
            if exp is not None and exp.evidence != event.event.id:
                del state.open[k]
                if exp.active:
                    out.append(
                        Signal(
                            labels={"key": k} if k else {}, active=False, at=t, values={"since": exp.opened.isoformat()}
                        )
                    )
        if self.start is None or self.start.test(event):
            if state.last_start is not None:
                state.max_gap_s = max(state.max_gap_s, (t - state.last_start).total_seconds())
            state.last_start = t
            state.first_start = state.first_start or t
            if k not in state.open:
                exp = state.open[k] = Expectation(opened=t, deadline=self._deadline(state, t), evidence=event.event.id)
                if exp.deadline <= t:  # the first advance() settled every other expectation due by t already
                    out += self.advance(state, t)
        return out

    def advance(self, state: AbsenceState, now: datetime) -> list[Signal]:
        out: list[Signal] = []
        if not state.open:
            return out
        due = [(k, exp) for k, exp in state.open.items() if not exp.active and exp.deadline <= now]
        for k, exp in due:
            if self.hourly:  # the earliest it could be due has come: is it due? (``_deadline``)
                exp.deadline = self._true_deadline(state, exp)
                if exp.deadline > now:
                    continue
            if state.first_start is not None and exp.deadline - state.first_start < self.learn_for:
                del state.open[k]  # missed while still learning: forget it, so it is not due forever
                continue
            exp.active = True
            out.append(
                Signal(
                    labels={"key": k} if k else {},
                    active=True,
                    at=exp.deadline,
                    values={"since": exp.opened.isoformat(), "for": str(exp.deadline - exp.opened)},
                    evidence=(exp.evidence,),
                )
            )
        return out

    def next_due(self, state: AbsenceState) -> datetime | None:
        if len(state.open) == 1:
            for e in state.open.values():
                return None if e.active else e.deadline
        due = [e.deadline for e in state.open.values() if not e.active]
        return min(due) if due else None

    def to_json(self, state: AbsenceState) -> Mapping[str, Any]:
        return {
            "open": {
                k: [e.opened.isoformat(), e.deadline.isoformat(), e.evidence, e.active] for k, e in state.open.items()
            },
            "last_start": state.last_start.isoformat() if state.last_start else None,
            "first_start": state.first_start.isoformat() if state.first_start else None,
            "max_gap_s": state.max_gap_s,
            "v": STATE_VERSION,
            "offset_s": state.offset_s,
            "counted_from": state.counted_from.isoformat() if state.counted_from else None,
            "slot": state.slot,
            "slot_hit": state.slot_hit,
            "seen": state.seen,
            "hit": state.hit,
            "record": state.record,
            "recent": state.recent,
        }

    def from_json(self, data: Mapping[str, Any]) -> AbsenceState:
        def t(v: Any) -> datetime | None:
            return parse_time(v) if v else None

        return AbsenceState(
            open={k: Expectation(parse_time(o), parse_time(d), ev, act) for k, (o, d, ev, act) in data["open"].items()},
            last_start=t(data.get("last_start")),
            first_start=t(data.get("first_start")),
            max_gap_s=float(data.get("max_gap_s", 0.0)),
            # a version 1 state has no hourly counts: they start at the next event, with their own learning period
            offset_s=int(data.get("offset_s", 0)),
            counted_from=t(data.get("counted_from")),
            slot=int(data.get("slot", -1)),
            slot_hit=bool(data.get("slot_hit", False)),
            seen=[float(x) for x in data.get("seen", [0.0] * BINS)],
            hit=[float(x) for x in data.get("hit", [0.0] * BINS)],
            record=float(data.get("record", 0.0)),
            recent=[int(x) for x in data.get("recent", [])],
        )


def factory(params: Mapping[str, Any], compile: Compile) -> AbsenceDetector:
    return AbsenceDetector(parse_params(AbsenceParams, params), compile)
