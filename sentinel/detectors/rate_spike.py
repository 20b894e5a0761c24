"""``rate_spike``: event volume far above what is usual for this hour of the week.

Per page (or per ``by`` key, e.g. each post) the detector keeps:

- two exponentially decayed counters of matching events (``window``, default
  15 min, and ``long_window``, default 3 h): O(1) per event, smooth, and with a
  known expectation ``rate × window`` under a steady rate;
- a learned baseline of events per hour: an overall level, a 24-slot hour-of-day
  profile and a 168-slot hour-of-week profile (in the page's local time, so DST
  moves nothing), blended by how much each slot has seen. It learns from whole
  hours only, each hour's count clipped to a few times the baseline and skipped
  while a surge is active, so past spikes do not pollute it;
- a surge state: ``inactive → active(severity)``.

A surge starts when, for either window, the decayed count is at least
``min_count``, at least ``ratio`` × the expected count, and at least ``z``
Poisson standard deviations above it (so 0 → 1 is never a spike, and a busy
page needs a real multiple). With ``noise`` set, the multiple is also at least
``e^(noise × spread)``, where ``spread`` is the page's own learned mean absolute
log deviation of ordinary busy hours from their baseline: a bursty page (a
large brand on Twitter) needs a bigger jump than a steady one before a burst
is unusual *for it*. With ``record`` set, the surge's size must also reach
that share of the page's own record size (the largest of its past hours,
slowly forgotten over ``record_memory``): a page that had a 40x burst last
week does not announce a 6x one today, and a smaller re-surge right after a
big one is not news either. A surge's size is ``log(1 + excess / level)``:
the short-window count above the expected one, in units of the page's usual
(all-hours) volume for that window, so a night-time burst is measured by the
people it adds rather than by its multiple of a quiet hour. The record
moves once per hour (one comparison per event keeps the hour's peak). With
``negative_share`` set, the share of
negative comments (``sentiment <= negative_below``) in the short window must
also be at least that. The detector signals once at onset, stays active while
the volume stays well above baseline (no re-fire storm), signals again only
to raise severity to ``critical`` when the surge keeps growing
(``critical_growth`` × the onset volume), and signals the end.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.config.types import parse_duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import Compile, ParamError
from sentinel.model import Severity

__all__ = ["RateSpikeDetector", "RateSpikeParams", "RateSpikeState", "Series"]

MAX_GAP_HOURS = 24 * 14  # longer silences are learned as at most two weeks of zeros
# Each learned value is the mean of its first N updates, then an exponentially weighted mean with weight 1/N:
LEVEL_MEMORY = 168  # overall level: about a week
DAY_MEMORY = 10  # hour-of-day slots: one update a day
WEEK_MEMORY = 4  # hour-of-week slots: one update a week
SPREAD_MEMORY = 168  # page noise (see ``Baseline.spread``): about a week
SPREAD_MIN_RATE = 20.0  # ... learned only from hours expecting this many events (below, Poisson rules)


def _blend(level: float, how: int, daily: list[float], nday: list[int], weekly: list[float], nweek: list[int]) -> float:
    """The expected hourly count at hour of week ``how``: ``level`` blended with that hour's slots of the day and
    the week, by how many hours each has learned."""
    hod = how % 24
    e = level
    n = nday[hod]
    if n:
        w = n / (n + 2.0)
        e = w * daily[hod] + (1.0 - w) * e
    n = nweek[how]
    if n:
        w = n / (n + 2.0)
        e = w * weekly[how] + (1.0 - w) * e
    return e


def _hour_end(local_hour_index: int) -> float:
    """Where a local hour ends (hours since the epoch, local wall time) in seconds; -inf for none (< 0)."""
    return (local_hour_index + 1) * 3600.0 if local_hour_index >= 0 else -math.inf


def hour_of_week(local_hour_index: int) -> int:
    """0 = Monday 00-01 local time; ``local_hour_index`` counts local wall-clock hours since 1970-01-01 (a Thursday)."""
    return (local_hour_index + 72) % 168


@dataclass(slots=True)
class Baseline:
    """Robust learned events-per-hour: a level, an hour-of-day and an hour-of-week profile.

    Each slot is an exponentially weighted mean of hourly counts; a count is
    clipped to ``clip`` × the current expectation (plus Poisson room) before
    it is learned, so one spike moves the baseline little.
    """

    level: float = 0.0
    hours: int = 0
    daily: list[float] = field(default_factory=list)
    nday: list[int] = field(default_factory=list)
    weekly: list[float] = field(default_factory=list)
    nweek: list[int] = field(default_factory=list)
    spread: float = 0.0  # mean |log((count+1)/(expected+1))| of ordinary busy hours: the page's own noise
    nspread: int = 0

    def noise_ratio(self, k: float) -> float:
        """The multiple of the expected count that is ``k`` typical deviations (log scale) above it; 0 = unknown."""
        return math.exp(k * self.spread) if k > 0 and self.nspread >= 24 else 0.0

    def expected(self, how: int, seasonal: bool) -> float:
        if not seasonal or not self.daily:
            return self.level
        return _blend(self.level, how, self.daily, self.nday, self.weekly, self.nweek)

    def learn(self, how: int, counts: Iterable[int], seasonal: bool, clip: float) -> None:
        """Learn the counts of consecutive hours, the first at hour of week ``how``."""
        # Every hour of every stream is learned (each empty hour of a quiet page too), so this works on local
        # copies of the values. ``1.0 / (n if n < N else N)`` is ``max(1.0 / N, 1.0 / n)`` without the call.
        if seasonal and not self.daily:
            self.daily, self.nday = [0.0] * 24, [0] * 24  # (all empty slots: the expectation stays the level)
            self.weekly, self.nweek = [0.0] * 168, [0] * 168
        daily, nday, weekly, nweek = self.daily, self.nday, self.weekly, self.nweek
        level, hours, spread, nspread = self.level, self.hours, self.spread, self.nspread
        for count in counts:
            e = _blend(level, how, daily, nday, weekly, nweek) if seasonal else level
            x = float(count)
            if hours >= 24:
                if count:  # (0 is under the clip: e >= 0)
                    x = min(x, clip * e + 3.0 * math.sqrt(e) + 3.0)
                ref = _blend(level, (how - 1) % 168, daily, nday, weekly, nweek) if seasonal else level
                ref = ref if ref > e else e  # the higher of the two (``max``): what the detector compares with
                if ref >= SPREAD_MIN_RATE:
                    nspread += 1
                    d = abs(math.log((count + 1.0) / (ref + 1.0)))
                    spread += (d - spread) * (1.0 / (nspread if nspread < SPREAD_MEMORY else SPREAD_MEMORY))
            hours += 1
            level += (x - level) * (1.0 / (hours if hours < LEVEL_MEMORY else LEVEL_MEMORY))
            if seasonal:
                hod = how % 24
                n = nday[hod] = nday[hod] + 1
                daily[hod] += (x - daily[hod]) * (1.0 / (n if n < DAY_MEMORY else DAY_MEMORY))
                n = nweek[how] = nweek[how] + 1
                weekly[how] += (x - weekly[how]) * (1.0 / (n if n < WEEK_MEMORY else WEEK_MEMORY))
            how = (how + 1) % 168
        self.level, self.hours, self.spread, self.nspread = level, hours, spread, nspread

    def learn_empty(self, how: int, n: int, seasonal: bool, clip: float) -> None:
        """``learn(how, [0] * n, ...)``: ``n`` hours without events, the first at hour of week ``how``.

        A stream whose learned values are all below ``SPREAD_MIN_RATE`` (most pages at night) stays below it
        while it learns empty hours (each value moves towards 0), so no hour's expectation can reach the spread's
        rate: the expectations, two blends per hour, need not be worked out. The values are updated by the same
        operations as in ``learn``, so they are the same floats."""
        if (
            not seasonal
            or not self.daily
            or n <= 0
            or max(self.level, max(self.daily), max(self.weekly)) >= (SPREAD_MIN_RATE * (1.0 - 1e-9))
        ):  # (a blend may round a hair above its inputs)
            self.learn(how, itertools.repeat(0, n), seasonal, clip)
            return
        daily, nday, weekly, nweek = self.daily, self.nday, self.weekly, self.nweek
        level, hours = self.level, self.hours
        for _ in range(n):
            hours += 1
            level += (0.0 - level) * (1.0 / (hours if hours < LEVEL_MEMORY else LEVEL_MEMORY))
            hod = how % 24
            k = nday[hod] = nday[hod] + 1
            daily[hod] += (0.0 - daily[hod]) * (1.0 / (k if k < DAY_MEMORY else DAY_MEMORY))
            k = nweek[how] = nweek[how] + 1
            weekly[how] += (0.0 - weekly[how]) * (1.0 / (k if k < WEEK_MEMORY else WEEK_MEMORY))
            how = (how + 1) % 168
        self.level, self.hours = level, hours

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "hours": self.hours,
            "daily": self.daily,
            "nday": self.nday,
            "weekly": self.weekly,
            "nweek": self.nweek,
            "spread": self.spread,
            "nspread": self.nspread,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Baseline:
        return cls(
            level=float(d.get("level", 0.0)),
            hours=int(d.get("hours", 0)),
            daily=[float(x) for x in d.get("daily", [])],
            nday=[int(x) for x in d.get("nday", [])],
            weekly=[float(x) for x in d.get("weekly", [])],
            nweek=[int(x) for x in d.get("nweek", [])],
            spread=float(d.get("spread", 0.0)),
            nspread=int(d.get("nspread", 0)),
        )


@dataclass(frozen=True, slots=True)
class RateSpikeParams:
    """The rule's ``detect:`` block for ``type: rate_spike``."""

    by: str | None = None  # object field to count per value (e.g. post_id); None = per page
    window: timedelta = timedelta(minutes=15)  # short decayed-count time constant
    long_window: timedelta = timedelta(hours=3)  # long one, for slow builds
    min_count: float = 10.0  # events (short window) before anything is a surge
    ratio: float = 3.0  # times the expected count (short window)
    confirm: float = 0.0  # ... while the long window is at least this × expected
    long_ratio: float = 3.0  # slow build: long window alone at this × expected
    z: float = 4.0  # Poisson standard deviations above the expected count
    noise: float = 0.0  # > 0: ratios also at least e^(noise × the page's log spread)
    record: float = 0.0  # > 0: onset size at least this share of the page's record size
    record_memory: timedelta = timedelta(days=90)  # the record decays by e each record_memory
    min_rate: float = 0.5  # expected events/hour never assumed below this
    seasonal: bool = True  # learn hour-of-day/hour-of-week profiles
    learn_for: timedelta = timedelta(days=3)  # no surge before a stream has been seen this long
    min_hours: int = 24  # ... and this many hours learned
    clip: float = 3.0  # learned hourly counts clipped to clip × expected
    end_relax: float = 0.6  # the surge ends when even relaxed thresholds fail
    check_every: timedelta = timedelta(minutes=5)
    negative_share: float | None = None  # also require this share of negative events
    negative_below: float = -0.25  # sentiment at or below this is negative
    min_scored: float = 5.0
    critical_growth: float | None = None  # critical when the short count reaches this × onset
    max_keys: int = 2000
    forget_after: timedelta = timedelta(days=14)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> RateSpikeParams:
        """Build from a ``detect:`` mapping; raises ``ValueError`` naming the bad key."""
        known = set(cls.__dataclass_fields__) - {"type"}
        kw: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "type":
                continue
            if key not in known:
                raise ParamError(key, f"unknown rate_spike parameter (known: {', '.join(sorted(known))})")
            default = getattr(cls(), key)
            try:
                if isinstance(default, timedelta):
                    kw[key] = parse_duration(value)
                elif key == "by":
                    kw[key] = None if value is None else str(value)
                elif isinstance(default, bool):
                    if not isinstance(value, bool):
                        raise ParamError(key, "must be true or false")
                    kw[key] = value
                elif isinstance(default, int):
                    kw[key] = int(value)
                elif value is None:
                    kw[key] = None
                else:
                    kw[key] = float(value)
            except (TypeError, ValueError) as e:
                raise ParamError(key, str(e)) from None
        params = cls(**kw)
        for name in (
            "min_count",
            "ratio",
            "confirm",
            "long_ratio",
            "z",
            "noise",
            "record",
            "min_rate",
            "clip",
            "end_relax",
        ):
            if getattr(params, name) < 0:
                raise ParamError(name, "must not be negative")
        if params.window.total_seconds() <= 0 or params.long_window.total_seconds() <= 0:
            raise ParamError("window", "window and long_window must be positive")
        if params.record_memory.total_seconds() <= 0:
            raise ParamError("record_memory", "must be positive")
        return params


@dataclass(slots=True)
class Hour:
    """What a stream's baseline says for the current hour (fixed until the next hour is learned)."""

    exp_s: float  # the expected count in the short window
    exp_l: float  # ... in the long window
    root_s: float  # sqrt(exp_s + 1): the Poisson scale of the short count
    root_l: float  # ... of the long count
    ratio: float  # the multiple of the expected count a surge needs (short window) ...
    long_ratio: float  # ... and a slow build (long window alone)
    usual: float  # the page's usual (all-hours) count in the short window
    gate_short: float  # an onset needs the short count at least this, or
    gate_long: float  # ... the long one at least this (both inf before ``min_hours`` hours are learned)
    # (hold_short, hold_confirm, hold_long): an active surge surely holds with the short count at least hold_short
    # while the long one is at least hold_confirm, or with the long count at least hold_long. Worked out when an
    # active surge first asks (``RateSpikeDetector._holds_of``): most hours of most streams have none.
    holds: tuple[float, float, float] | None = None


@dataclass(slots=True)
class Series:
    """One counted stream (the page, or one value of the ``by`` key)."""

    first_seen: float
    last_t: float = 0.0
    short: float = 0.0  # decayed count, time constant params.window
    long: float = 0.0  # decayed count, time constant params.long_window
    neg: float = 0.0  # decayed count of negative events (short window)
    scored: float = 0.0  # decayed count of events with a sentiment (short window)
    hour: int = -1  # current local hour index (hours since epoch, local wall time)
    hour_count: int = 0
    hour_surge: bool = False  # the surge was active during the current hour
    hour_peak: float = 0.0  # highest short count in the current hour (folded into ``record`` at its end)
    record: float = 0.0  # the page's decayed largest hourly surge size (see ``_size``)
    baseline: Baseline = field(default_factory=Baseline)
    active: bool = False
    severity: str = ""  # "" = the rule's severity
    onset_count: float = 0.0
    peak: float = 0.0
    onset_event: str = ""
    # the current hour's view of the baseline (see ``Hour``): the baseline only moves when an hour is learned, so
    # this is worked out once per hour, not per event; None = not yet (not persisted)
    memo: Hour | None = field(default=None, repr=False, compare=False)
    # where ``hour`` ends: a local time (epoch seconds + UTC offset) at or past this is in a later hour; -inf
    # before the first (not persisted)
    hour_end: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.hour_end = _hour_end(self.hour)

    def to_json(self) -> dict[str, Any]:
        return {
            "first_seen": self.first_seen,
            "last_t": self.last_t,
            "short": self.short,
            "long": self.long,
            "neg": self.neg,
            "scored": self.scored,
            "hour": self.hour,
            "hour_count": self.hour_count,
            "hour_surge": self.hour_surge,
            "hour_peak": self.hour_peak,
            "record": self.record,
            "baseline": self.baseline.to_json(),
            "active": self.active,
            "severity": self.severity,
            "onset_count": self.onset_count,
            "peak": self.peak,
            "onset_event": self.onset_event,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Series:
        return cls(
            first_seen=float(d["first_seen"]),
            last_t=float(d.get("last_t", 0.0)),
            short=float(d.get("short", 0.0)),
            long=float(d.get("long", 0.0)),
            neg=float(d.get("neg", 0.0)),
            scored=float(d.get("scored", 0.0)),
            hour=int(d.get("hour", -1)),
            hour_count=int(d.get("hour_count", 0)),
            hour_surge=bool(d.get("hour_surge", False)),
            hour_peak=float(d.get("hour_peak", 0.0)),
            record=float(d.get("record", 0.0)),
            baseline=Baseline.from_json(d.get("baseline", {})),
            active=bool(d.get("active", False)),
            severity=str(d.get("severity", "")),
            onset_count=float(d.get("onset_count", 0.0)),
            peak=float(d.get("peak", 0.0)),
            onset_event=str(d.get("onset_event", "")),
        )


@dataclass(slots=True)
class RateSpikeState:
    series: dict[str, Series] = field(default_factory=dict)
    offset_s: int = 0  # the page's UTC offset as last seen (for hours counted in advance())
    due: float | None = None  # epoch seconds of the next advance() while a surge is active
    # the timedelta ``offset_s`` was converted from: a time zone hands out one object per offset, so the same
    # object again needs no conversion (not persisted)
    offset_of: timedelta | None = field(default=None, repr=False, compare=False)


_NUMBER = (int, float)  # an event's sentiment, when it has one


class RateSpikeDetector:
    type_name = "rate_spike"

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = RateSpikeParams.parse(params or {})
        p = self.params
        self._tau_s = p.window.total_seconds()
        self._tau_l = p.long_window.total_seconds()
        self._long_scale = math.sqrt(self._tau_l / self._tau_s)
        self._neg = p.negative_share is not None
        self._negative_below = p.negative_below
        self._by = p.by
        self._learn_for_s = p.learn_for.total_seconds()
        self._check_s = p.check_every.total_seconds()
        self._record_decay = math.exp(-3600.0 / p.record_memory.total_seconds())  # per hour

    # -- protocol -----------------------------------------------------------
    def new_state(self) -> RateSpikeState:
        return RateSpikeState()

    def observe(self, state: RateSpikeState, event: Any, now: datetime) -> Sequence[Signal]:
        # Every comment of every page comes here, once per crisis rule. The common case (no new hour, a quiet
        # stream that the hour's gates turn down) makes no call it can avoid and reads each value once. ``due``
        # only moves at an onset, which signals: whatever signals nothing is QUIET.
        try:  # an ``Enriched`` event (the engine's), or a bare ``Event``
            raw, ours = event.event, event.now is now
        except AttributeError:
            raw, ours = event, False
        if ours:  # the engine's "now": worked out once for all the rules (~1.5 µs an event)
            t, off = event.now_ts, event.local_offset
        else:
            t = now.timestamp()
            off = (getattr(event, "local_time", None) or raw.time).utcoffset()
        if off is not None and off is not state.offset_of:
            state.offset_s = int(off.total_seconds())
            state.offset_of = off
        key = ""
        by = self._by
        if by:
            v = raw.object.get(by)
            if v is None:
                return QUIET
            key = str(v)
        s = state.series.get(key)
        if s is None:
            s = state.series[key] = Series(first_seen=t, last_t=t)
            if by and len(state.series) > self.params.max_keys:
                self._evict(state, t)
        # ``_roll``, with this event counted in at once (closing an hour does not read the two counts)
        dt = t - s.last_t
        if dt > 0:
            k = math.exp(-dt / self._tau_s)
            short = s.short = s.short * k + 1.0
            s.long = s.long * math.exp(-dt / self._tau_l) + 1.0
            if self._neg:
                s.neg *= k
                s.scored *= k
            s.last_t = t
        else:
            short = s.short = s.short + 1.0
            s.long += 1.0
        local = t + state.offset_s
        if local >= s.hour_end:
            self._close_hours(s, t, int(local // 3600))
        s.hour_count += 1
        if short > s.hour_peak:
            s.hour_peak = short
        if self._neg:
            v = getattr(event, "sentiment", None)
            if isinstance(v, _NUMBER):
                s.scored += 1.0
                if float(v) <= self._negative_below:
                    s.neg += 1.0
        if s.active:
            return self._ongoing(s, key, now)
        if t - s.first_seen < self._learn_for_s:
            return QUIET
        gates = s.memo or self._hourly(s)
        if short < gates.gate_short and s.long < gates.gate_long:
            return QUIET  # too few hours learned, or neither a sudden surge nor a slow build can hold
        return self._onset(state, s, key, t, now, raw.id)

    def advance(self, state: RateSpikeState, now: datetime) -> list[Signal]:
        """Check the active surges (every ``check_every``, on the grid their onset started: a surge ends when its
        counts have decayed, with or without events); the next check is the first that could find one ended."""
        t = now.timestamp()
        out: list[Signal] = []
        due: float | None = None
        for key, s in state.series.items():
            if s.active:
                self._roll(s, t, state.offset_s)
                out.extend(self._ongoing(s, key, now))
                if s.active:
                    nxt = self._next_check(s, t, state.offset_s)
                    if due is None or nxt < due:
                        due = nxt
        state.due = due
        return out

    def next_due(self, state: RateSpikeState) -> datetime | None:
        return None if state.due is None else datetime.fromtimestamp(state.due, UTC)

    def to_json(self, state: RateSpikeState) -> Mapping[str, Any]:
        return {
            "offset_s": state.offset_s,
            "due": state.due,
            "series": {k: s.to_json() for k, s in state.series.items()},
        }

    def from_json(self, data: Mapping[str, Any]) -> RateSpikeState:
        series = {str(k): Series.from_json(v) for k, v in dict(data.get("series", {})).items()}
        due = data.get("due")
        return RateSpikeState(
            series=series, offset_s=int(data.get("offset_s", 0)), due=float(due) if due is not None else None
        )

    # -- internals ------------------------------------------------------------
    def _roll(self, s: Series, t: float, offset_s: int) -> None:
        """Decay the counters to ``t`` and close the hours that ended before it."""
        dt = t - s.last_t
        if dt > 0:
            k = math.exp(-dt / self._tau_s)
            s.short *= k
            s.long *= math.exp(-dt / self._tau_l)
            if self._neg:
                s.neg *= k
                s.scored *= k
            s.last_t = t
        local = t + offset_s
        if local >= s.hour_end:
            self._close_hours(s, t, int(local // 3600))

    def _close_hours(self, s: Series, t: float, hour: int) -> None:
        """Move on to local hour ``hour`` (later than ``s.hour``, or the first one), learning the hours before it."""
        if s.hour >= 0:
            p = self.params
            if p.record > 0:
                self._keep_record(s, t, hour - s.hour)
            if not (s.hour_surge or s.active):
                s.baseline.learn(hour_of_week(s.hour), (s.hour_count,), p.seasonal, p.clip)
            empty = max(s.hour + 1, hour - MAX_GAP_HOURS)  # the first of the empty hours since
            if empty < hour:
                s.baseline.learn_empty(hour_of_week(empty), hour - empty, p.seasonal, p.clip)
            s.hour_count = 0
            s.hour_peak = 0.0
            s.hour_surge = s.active
        s.hour = hour
        s.hour_end = _hour_end(hour)
        s.memo = None  # a new hour, maybe a new baseline: ``_hourly`` works it out again when asked

    def _expected(self, s: Series) -> float:
        """Expected events per hour now (the higher of this and the previous hour: ramps are not surges)."""
        p = self.params
        how = hour_of_week(s.hour)
        e = max(s.baseline.expected(how, p.seasonal), s.baseline.expected((how - 1) % 168, p.seasonal))
        return max(e, p.min_rate)

    def _hourly(self, s: Series) -> Hour:
        """The current hour's ``Hour``: worked out on first use in each hour (``_close_hours`` drops it)."""
        if s.memo is None:
            p = self.params
            per_s = self._expected(s) / 3600.0
            # A noisy page needs a bigger multiple: both ratios scale up to ``noise`` typical deviations.
            ratio = max(p.ratio, s.baseline.noise_ratio(p.noise))
            exp_s, exp_l = per_s * self._tau_s, per_s * self._tau_l
            root_s, root_l = math.sqrt(exp_s + 1.0), math.sqrt(exp_l + 1.0)
            long_ratio = p.long_ratio * ratio / p.ratio if p.ratio > 0 else p.long_ratio
            # Necessary conditions of ``_firing(s, 1.0)`` on each count alone (a hair lower, for rounding), so
            # that most events are turned down with two comparisons.
            gate_s = max(p.min_count, ratio * exp_s, exp_s + p.z * root_s) * (1.0 - 1e-9)
            gate_l = max(p.min_count * self._long_scale, long_ratio * exp_l, exp_l + p.z * root_l) * (1.0 - 1e-9)
            if s.baseline.hours < p.min_hours:
                gate_s = gate_l = math.inf  # too few hours learned for any surge
            usual = max(s.baseline.level, p.min_rate) / 3600.0 * self._tau_s
            s.memo = Hour(exp_s, exp_l, root_s, root_l, ratio, long_ratio, usual, gate_s, gate_l)
        return s.memo

    def _holds_of(self, hour: Hour) -> tuple[float, float, float]:
        """``Hour.holds``: sufficient conditions of ``_firing(s, end_relax)`` (a hair higher, for rounding, over
        the thresholds it compares with, worked out as it does), so that an active surge's events mostly pass with
        two or three comparisons. inf (never sure) where a term is so small that rounding could cross it."""
        if hour.holds is None:
            hour.holds = self._holds(hour)
        return hour.holds

    def _holds(self, hour: Hour) -> tuple[float, float, float]:
        p, r = self.params, self.params.end_relax
        exp_s, exp_l, root_s, root_l = hour.exp_s, hour.exp_l, hour.root_s, hour.root_l
        c_min, c_ratio, c_z, c_confirm = p.min_count * r, hour.ratio * r, p.z * r, p.confirm * r
        c_min_long, c_long_ratio = p.min_count * self._long_scale * r, hour.long_ratio * r
        if not (
            1e-100 < exp_s < math.inf
            and 1e-100 < exp_l < math.inf
            and all(
                c == 0.0 or 1e-100 < c < math.inf for c in (c_min, c_ratio, c_z, c_confirm, c_min_long, c_long_ratio)
            )
        ):
            return math.inf, math.inf, math.inf
        return (
            max(c_min, c_ratio * exp_s, exp_s + c_z * root_s) * (1.0 + 1e-9),
            c_confirm * exp_l * (1.0 + 1e-9),
            max(c_min_long, c_long_ratio * exp_l, exp_l + c_z * root_l) * (1.0 + 1e-9),
        )

    def _next_check(self, s: Series, t: float, offset_s: int) -> float:
        """The next check an active surge needs after one at ``t`` (counts rolled to ``t``): the first time on its
        grid (``t`` + k x ``check_every``) at which it could have ended with no further event, or that lies in a
        later local hour (whose baseline may hold it to other bounds). The checks before it would find the
        hour's ``hold_*`` bounds met (the counts only decay between events, and an event only adds to them), so
        they would end nothing and change nothing but the rounding of the decay: they are skipped. A busy surge
        lasting hours is checked about once an hour instead of twelve times."""
        step = self._check_s
        hold_short, hold_confirm, hold_long = self._holds_of(s.memo or self._hourly(s))
        sure = max(
            min(_time_above(s.short, hold_short, self._tau_s), _time_above(s.long, hold_confirm, self._tau_l)),
            _time_above(s.long, hold_long, self._tau_l),
        )  # seconds from t the hold surely lasts
        if sure < 2 * step:
            return t + step
        k = min(int(sure * (1.0 - 1e-9) // step), math.ceil((s.hour_end - offset_s - t) / step) - 1)
        return t + (max(k, 0) + 1) * step

    def _size(self, s: Series, count: float) -> float:
        """A surge's size: log(1 + short-window excess over expected / the page's usual volume in that window)."""
        hour = self._hourly(s)
        return math.log1p(max(count - hour.exp_s, 0.0) / hour.usual)

    def _keep_record(self, s: Series, t: float, hours: int) -> None:
        """Fold the ending hour's peak size into the decayed record (once the stream has been learned)."""
        if s.baseline.hours >= self.params.min_hours and t - s.first_seen >= self._learn_for_s:
            s.record = max(s.record * self._record_decay**hours, self._size(s, s.hour_peak))

    def _beats_record(self, s: Series) -> bool:
        """The surge is big for this page: its size reaches ``record`` × the largest seen (this hour included)."""
        return self._size(s, s.short) >= self.params.record * max(s.record, self._size(s, s.hour_peak))

    def _firing(self, s: Series, relax: float) -> tuple[bool, float, float]:
        """Sudden surge (short window, confirmed by the long one) or slow build (long window alone)."""
        p = self.params
        hour = self._hourly(s)
        exp_s, exp_l = hour.exp_s, hour.exp_l
        r_s, r_l = s.short / exp_s, s.long / exp_l
        z_s = (s.short - exp_s) / hour.root_s
        z_l = (s.long - exp_l) / hour.root_l
        sudden = (
            s.short >= p.min_count * relax
            and r_s >= hour.ratio * relax
            and z_s >= p.z * relax
            and r_l >= p.confirm * relax
        )
        slow = (
            s.long >= p.min_count * self._long_scale * relax and r_l >= hour.long_ratio * relax and z_l >= p.z * relax
        )
        return sudden or slow, max(r_s, r_l), exp_s

    def _onset(
        self, state: RateSpikeState, s: Series, key: str, t: float, now: datetime, event_id: str
    ) -> Sequence[Signal]:
        """Whether a learned, inactive stream past the hour's gates starts a surge with this event."""
        p = self.params
        # the cheaper test first: a busy hour passes the gates of an angry-surge rule at every comment, and most
        # such surges are not negative enough
        if p.negative_share is not None and (
            s.scored < p.min_scored or (s.neg / s.scored if s.scored > 0 else 0.0) < p.negative_share
        ):
            return QUIET
        hit, ratio, exp = self._firing(s, 1.0)
        if not hit:
            return QUIET
        if p.record > 0 and not self._beats_record(s):
            return QUIET
        s.active = True
        s.hour_surge = True
        s.onset_count = s.peak = s.short
        s.onset_event = event_id
        s.severity = ""
        state.due = t + self._check_s
        return [self._signal(s, key, True, now, None, ratio, exp)]

    def _ongoing(self, s: Series, key: str, now: datetime) -> Sequence[Signal]:
        """An active surge: its end (even relaxed thresholds fail), or its growth to critical."""
        p = self.params
        s.peak = max(s.peak, s.short)
        growing = (
            p.critical_growth is not None
            and s.severity != Severity.CRITICAL
            and s.short >= p.critical_growth * s.onset_count
        )
        hour = s.memo or self._hourly(s)
        hold_short, hold_confirm, hold_long = hour.holds or self._holds_of(hour)
        if not growing and ((s.short >= hold_short and s.long >= hold_confirm) or s.long >= hold_long):
            return QUIET  # surely holds (see ``_holds_of``)
        hit, ratio, exp = self._firing(s, p.end_relax)
        if not hit:
            s.active = False
            return [self._signal(s, key, False, now, None, ratio, exp)]
        if growing:
            s.severity = Severity.CRITICAL
            return [self._signal(s, key, True, now, Severity.CRITICAL, ratio, exp)]
        return QUIET

    def _signal(
        self, s: Series, key: str, active: bool, now: datetime, sev: Severity | None, ratio: float, exp: float
    ) -> Signal:
        by = self.params.by
        labels = {by: key} if by else {}
        values: dict[str, Any] = {
            "count": round(s.short, 1),
            "baseline": round(exp, 1),
            "ratio": round(ratio, 1),
            "window": int(self._tau_s // 60),
            "peak": round(s.peak, 1),
        }
        if s.scored > 0:
            values["negative_share"] = round(s.neg / s.scored, 2)
        evidence = (s.onset_event,) if s.onset_event else ()
        return Signal(labels=labels, active=active, at=now, severity=sev, values=values, evidence=evidence)

    def _evict(self, state: RateSpikeState, t: float) -> None:
        """Forget the keys idle longest (posts nobody comments on any more); never an active one."""
        horizon = t - self.params.forget_after.total_seconds()
        idle = [k for k, s in state.series.items() if not s.active and s.last_t < horizon]
        if not idle:
            idle = sorted((k for k, s in state.series.items() if not s.active), key=lambda k: state.series[k].last_t)[
                : max(1, len(state.series) // 10)
            ]
        for k in idle:
            del state.series[k]


def _time_above(count: float, bound: float, tau: float) -> float:
    """How long ``count``, decaying with time constant ``tau`` and nothing added, stays at or above ``bound`` (in
    seconds; inf for a bound of 0 or less, -inf when it is below already or the bound is inf)."""
    if bound <= 0.0:
        return math.inf
    if count < bound or bound == math.inf:
        return -math.inf
    return tau * math.log(count / bound)


def factory(params: Mapping[str, Any], compile: Compile) -> RateSpikeDetector:
    """Registry entry: ``params`` is the rule's ``detect:`` block; raises ``ParamError``."""
    return RateSpikeDetector(params)
