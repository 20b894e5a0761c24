"""``surge``: event volume far above this page's own normal, at a false-alarm rate the operator states.

Nothing in it is fitted to a data set. Per page the detector keeps:

- a decayed count of matching events (time constant ``window``, default 30 min): O(1) per event, with the known
  expectation ``rate × window`` under a steady rate;
- the page's hourly counts of the last four weeks (local wall-clock hours, so DST moves nothing). The expected
  count for an hour is the **median** of the same hour of the week over the weeks it has (at least three), else
  of the same hour of the day over the last week, else of the last day: a robust seasonal baseline (as in
  Twitter's S-H-ESD) that one past burst cannot move, falling back as far as the page's history allows;
- a **score** for the window's count ``c`` against its expectation ``e``: the log ratio in Poisson standard
  deviations, ``log((c+1)/(e+1)) × sqrt(e+1)``. It is the plain one on purpose: how bursty the page is beyond
  Poisson is not modelled in the score but read off its own tail of scores below (a model of the page's
  multiplicative noise, or a day-level correction, scored lower on the NAB series and changed nothing on
  simulated pages: see docs/crisis-detectors.md);
- the largest score of each hour of the last four weeks (after the first ``learn_for``: a cold baseline is no
  normal), and a threshold fitted on them as SPOT does (Siffer et al., KDD 2017): an exponential tail (the
  generalized Pareto of a light-tailed score) over the page's top 5 % hourly scores, its scale from their median
  excess, read at ``false_alarms / 720`` **surges** an hour: high hours at most ``RUN`` hours apart are one surge
  (runs declustering), and the tail is read at that risk divided by the surges per high hour (the extremal
  index θ). Read per hour instead, one six-hour surge counts as six alarms' worth of the budget and lifts the
  threshold over the next surge of its size. A bursty page gets a high threshold, a steady one a low one;
  neither is a constant of this module.

A surge starts when the window's count reaches the threshold and is also a surge worth a person's time: at least
``min_excess`` events above the expected count and at least ``min_ratio`` × it (the operator's smallest surge).
It is reported once the count is sure to stay at that gate for ``hold_for`` from when it reached it (a burst that
is over in minutes is not a surge: an instant burst must reach about ``exp(hold_for / window)`` × the gate to last
that long): at once when the count is so far above the gate that even with no further event it decays to the gate
no sooner than that, else when it has stayed there (a big burst is reported as it happens, not ``hold_for`` later;
on the simulated pages the same surges, 3.8 minutes sooner on average). The hour's
gate is worked out once an hour, so most events are turned down with one comparison. The surge ends when the
count falls back under ``end_relax`` of the way from the expected count to the gate; the next one may start
``RUN`` hours later (one alarm per surge, counted as the tail counts them). Hours with a surge keep their score
(so ``false_alarms`` is read as alarms of any kind per page-month: leaving them out lowers the tail after each
alarm, which then brings the next one sooner).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.config.types import parse_duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import Compile, ParamError
from sentinel.enrich import Enriched

__all__ = ["SurgeDetector", "SurgeParams", "SurgeState", "fit_threshold", "score"]

WEEK = 168
KEEP = 4 * WEEK  # hours of counts and scores kept: four weeks
HOURS_PER_MONTH = 720.0
TAIL_SHARE = 0.05  # SPOT's initial threshold: the top 5 % of the page's hourly scores ...
TAIL_MIN = 10  # ... and never fewer than this many peaks
MIN_SCORES = 48  # hours of scores before any threshold (two days)
REFIT_HOURS = 24  # the tail is fitted again once a day
RUN = 3  # hours: high hours this close are one surge in the tail; a surge re-arms this long after the last one


def score(c: float, e: float) -> float:
    """How far count ``c`` is above its expectation ``e``, in Poisson standard deviations of ``log(c + 1)``."""
    return math.log((c + 1.0) / (e + 1.0)) * math.sqrt(e + 1.0)


def count_at(z: float, e: float) -> float:
    """The count whose ``score`` is ``z`` (the inverse of ``score`` in ``c``)."""
    return (e + 1.0) * math.exp(z / math.sqrt(e + 1.0)) - 1.0


def fit_threshold(scores: Sequence[float], risk: float) -> float:
    """The score above which surges start at rate ``risk`` per value (hour). SPOT's peaks-over-threshold step:
    an exponential tail (the generalized Pareto with shape 0, the tail of any light-tailed score) over the top
    ``TAIL_SHARE`` of ``scores``, its scale their median excess / ln 2 (so a few bursts among them do not stretch
    it). The rate is of surges, not of high hours: high hours at most ``RUN`` apart are one surge (runs
    declustering), and the tail is read at ``risk`` / θ, θ the surges per high hour (the extremal index)."""
    n = len(scores)
    k = min(n - 1, max(TAIL_MIN, int(n * TAIL_SHARE)))
    top = heapq.nlargest(k + 1, scores)
    t0 = top[-1]
    high = surges = 0
    last = -RUN - 1
    for i, z in enumerate(scores):  # oldest first
        if z > t0:
            high += 1
            surges += i - last > RUN
            last = i
    if high == 0:
        return t0
    r = risk * n * high / (k * surges)  # the risk among the peaks, for one surge
    if r >= 1.0:  # a risk inside the observed peaks: read it off them
        return top[min(k, int(risk * n * high / surges))]
    sigma = _median([y - t0 for y in top[:-1]]) / math.log(2.0)
    return t0 - sigma * math.log(r)


def _trimmed_mean(xs: list[float]) -> float:
    """The mean of ``xs`` (at least three) without their highest and lowest: with three or four values their median,
    with more a steadier estimate than the median that one burst still cannot move."""
    xs.sort()
    return sum(xs[1:-1]) / (len(xs) - 2)


def _median(xs: list[float]) -> float:
    xs.sort()
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


@dataclass(frozen=True, slots=True)
class SurgeParams:
    """The rule's ``detect:`` block for ``type: surge``."""

    false_alarms: float = 1.0  # accepted false alarms per page-month (sets the score threshold)
    min_excess: float = 10.0  # the smallest surge: at least this many events above expected ...
    min_ratio: float = 2.0  # ... and this many times the expected count, in the window
    window: timedelta = timedelta(minutes=30)  # the decayed count's time constant
    min_rate: float = 0.5  # expected events/hour never assumed below this
    learn_for: timedelta = timedelta(days=2)  # hours before this are no normal (the first threshold: 2 days later)
    end_relax: float = 0.5  # ends below this share of the way from expected to the gate
    check_every: timedelta = timedelta(minutes=5)
    hold_for: timedelta = timedelta(minutes=10)  # a surge over sooner than this is not reported

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> SurgeParams:
        known = set(cls.__dataclass_fields__)
        kw: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "type":
                continue
            if key not in known:
                raise ParamError(key, f"unknown surge parameter (known: {', '.join(sorted(known))})")
            try:
                kw[key] = parse_duration(value) if isinstance(getattr(cls(), key), timedelta) else float(value)
            except (TypeError, ValueError) as e:
                raise ParamError(key, str(e)) from None
        p = cls(**kw)
        if not 0.0 < p.false_alarms < HOURS_PER_MONTH:
            raise ParamError("false_alarms", "must be above 0 and below 720 (one an hour)")
        for name in ("min_excess", "min_ratio", "min_rate", "end_relax"):
            if getattr(p, name) < 0:
                raise ParamError(name, "must not be negative")
        if p.window.total_seconds() <= 0 or p.check_every.total_seconds() <= 0:
            raise ParamError("window", "window and check_every must be positive")
        if p.hold_for.total_seconds() < 0:
            raise ParamError("hold_for", "must not be negative")
        return p


@dataclass(slots=True)
class Hour:
    """One hour's view of the page's history (worked out once per hour, not per event)."""

    expected: float  # expected events in the window
    gate: float  # the window count that starts a surge (inf: none possible)
    hold: float  # the window count that keeps one going


@dataclass(slots=True)
class SurgeState:
    first_seen: float | None = None
    last_t: float = 0.0
    short: float = 0.0  # decayed count, time constant params.window
    hour: int = -1  # current local hour index (hours since the epoch, local wall time)
    first_hour: int = -1  # the first one seen
    hour_count: int = 0
    hour_peak: float = 0.0  # highest short count this hour
    counts: list[int] = field(default_factory=list)  # hourly counts, slot = hour % KEEP (-1: not seen)
    scores: list[float] = field(default_factory=list)  # hourly peak scores of ordinary hours, oldest first
    threshold: float | None = None
    fitted_at: int = -1  # the hour the threshold was fitted
    active: bool = False
    started: float | None = None  # when the count reached the gate: a surge not reported before ``hold_for``
    ended: float = 0.0  # when the last reported surge ended
    peak: float = 0.0
    onset_event: str = ""
    offset_s: int = 0
    due: float | None = None
    memo: Hour | None = field(default=None, repr=False, compare=False)


class SurgeDetector:
    type_name = "surge"

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = p = SurgeParams.parse(params or {})
        self._tau = p.window.total_seconds()
        self._risk = p.false_alarms / HOURS_PER_MONTH
        self._check = p.check_every.total_seconds()
        self._hold = p.hold_for.total_seconds()
        self._learn_hours = math.ceil(p.learn_for.total_seconds() / 3600.0)

    def new_state(self) -> SurgeState:
        return SurgeState()

    def observe(self, state: SurgeState, event: Enriched, now: datetime) -> Sequence[Signal]:
        t = now.timestamp()
        off = event.local_offset
        state.offset_s = int(off.total_seconds()) if off is not None else 0
        if state.first_seen is None:
            state.first_seen = state.last_t = t
        self._roll(state, t)
        state.short += 1.0
        state.hour_count += 1
        if state.short > state.hour_peak:
            state.hour_peak = state.short
        hour = self._hourly(state)
        if state.active:
            return self._ongoing(state, now, hour)
        if state.started is None:
            if (
                state.short < hour.gate
                or t - state.first_seen < self.params.learn_for.total_seconds()
                or t - state.ended < RUN * 3600.0
            ):
                return QUIET
            state.started = t
            state.onset_event = event.event.id
        return self._starting(state, now, hour)

    def advance(self, state: SurgeState, now: datetime) -> list[Signal]:
        t = now.timestamp()
        state.due = None
        if not state.active and state.started is None:
            return []
        self._roll(state, t)
        hour = self._hourly(state)
        out = list(self._ongoing(state, now, hour) if state.active else self._starting(state, now, hour))
        if state.active:
            state.due = t + self._check
        return out

    def next_due(self, state: SurgeState) -> datetime | None:
        return None if state.due is None else datetime.fromtimestamp(state.due, UTC)

    def to_json(self, state: SurgeState) -> Mapping[str, Any]:
        return {k: getattr(state, k) for k in SurgeState.__dataclass_fields__ if k != "memo"}

    def from_json(self, data: Mapping[str, Any]) -> SurgeState:
        st = SurgeState()
        for k in SurgeState.__dataclass_fields__:
            if k != "memo" and k in data:
                setattr(st, k, data[k])
        st.counts, st.scores = [int(x) for x in st.counts], [float(x) for x in st.scores]
        return st

    # -- internals ------------------------------------------------------------
    def _roll(self, st: SurgeState, t: float) -> None:
        dt = t - st.last_t
        if dt > 0:
            st.short *= math.exp(-dt / self._tau)
            st.last_t = t
        hour = int((t + st.offset_s) // 3600)
        if hour > st.hour:
            self._close_hours(st, hour)

    def _close_hours(self, st: SurgeState, hour: int) -> None:
        """Learn the hours from ``st.hour`` up to (not including) ``hour``: their counts and peak scores."""
        if not st.counts:
            st.counts = [-1] * KEEP
        if st.first_hour < 0:
            st.first_hour = hour
        if st.hour >= 0:
            learned = st.first_hour + self._learn_hours  # scores count from here: a cold baseline is no normal
            first = max(st.hour, hour - KEEP)
            for h in range(first, hour):
                count = st.hour_count if h == st.hour else 0
                if h >= learned:  # every hour, surges too: the threshold is read at alarms per month
                    peak = st.hour_peak if h == st.hour else 0.0
                    e_win = max(self._expected_hour(st, h), self._expected_hour(st, h - 1)) * self._tau / 3600.0
                    st.scores.append(score(peak, e_win))
                    if len(st.scores) > KEEP:
                        del st.scores[0]
                st.counts[h % KEEP] = count
        st.hour, st.hour_count, st.hour_peak = hour, 0, 0.0
        st.memo = None

    def _expected_hour(self, st: SurgeState, h: int) -> float:
        """Expected events in local hour ``h``: a median over the same hour of past weeks, else of past days, else
        of the last day, from the hours seen before ``h`` (at most four weeks back)."""
        counts = st.counts
        if not counts:
            return self.params.min_rate
        for step, n in ((WEEK, 4), (24, 7), (1, 24)):
            xs = [
                float(c)
                for k in range(1, n + 1)
                if (c := counts[(h - k * step) % KEEP]) >= 0 and h - k * step >= st.hour - KEEP
            ]
            if len(xs) >= 3:
                return max(_trimmed_mean(xs), self.params.min_rate)
        return self.params.min_rate

    def _hourly(self, st: SurgeState) -> Hour:
        """The current hour's ``Hour``: worked out on first use in each hour (``_close_hours`` drops it)."""
        if st.memo is None:
            st.memo = self._hour(st)
        return st.memo

    def _hour(self, st: SurgeState) -> Hour:
        p = self.params
        h = st.hour
        if (st.threshold is None or h - st.fitted_at >= REFIT_HOURS) and len(st.scores) >= MIN_SCORES:
            st.threshold, st.fitted_at = fit_threshold(st.scores, self._risk), h
        e = max(self._expected_hour(st, h), self._expected_hour(st, h - 1)) * self._tau / 3600.0
        if st.threshold is None:
            return Hour(e, math.inf, 0.0)
        gate = max(e + p.min_excess, p.min_ratio * e, count_at(st.threshold, e))
        return Hour(e, gate, e + p.end_relax * (gate - e))

    def _starting(self, st: SurgeState, now: datetime, hour: Hour) -> Sequence[Signal]:
        """A surge that reached the gate at ``st.started``: reported once the count is sure to stay at the gate
        until ``hold_for`` after that (the decayed count without further events reaches the gate ``window × ln(count
        / gate)`` later), forgotten as soon as it is under the gate before that."""
        t = now.timestamp()
        assert st.started is not None
        if st.short < hour.gate:
            st.started = st.due = None
            return QUIET
        wait = st.started + self._hold - t
        if wait > 0.0 and st.short < hour.gate * math.exp(wait / self._tau):  # not yet sure to last hold_for
            due, st.due = st.due, st.started + self._hold
            return QUIET if due == st.due else []  # not QUIET: the engine arms a timer for the new due time
        st.started = None
        st.active = True
        st.peak = st.short
        st.due = t + self._check
        return [self._signal(st, True, now, hour)]

    def _ongoing(self, st: SurgeState, now: datetime, hour: Hour) -> Sequence[Signal]:
        st.peak = max(st.peak, st.short)
        if st.short >= hour.hold:
            return QUIET
        st.active = False
        st.ended = st.last_t
        st.due = None
        return [self._signal(st, False, now, hour)]

    def _signal(self, st: SurgeState, active: bool, now: datetime, hour: Hour) -> Signal:
        values = {
            "count": round(st.short, 1),
            "baseline": round(hour.expected, 1),
            "ratio": round(st.short / max(hour.expected, 1e-9), 1),
            "window": int(self._tau // 60),
            "peak": round(st.peak, 1),
            "threshold": round(st.threshold or 0.0, 2),
        }
        evidence = (st.onset_event,) if st.onset_event else ()
        return Signal(labels={}, active=active, at=now, values=values, evidence=evidence)


def factory(params: Mapping[str, Any], compile: Compile) -> SurgeDetector:
    """Registry entry: ``params`` is the rule's ``detect:`` block; raises ``ParamError``."""
    return SurgeDetector(params)
