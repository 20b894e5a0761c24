"""``sustained``: a slow burn, the last hour's events raised well above this page's normal, and negative.

The spike detectors (``surge``, ``rate_spike``) look at a 15- or 30-minute count against several times the usual;
a crisis that builds over hours (complaints after a fee change, doubling every hour or so) reaches twice the page's
normal long before any half hour is three times it. This detector looks at what a person would look at: the
**trailing hour**. Per page it keeps

- the events of the last two windows, in bins of five minutes (``window`` / 12): all of them, and those whose
  sentiment is at or below ``negative_below`` (negative ones). The last twelve bins are the trailing window, the
  twelve before them the window before it;
- the page's hourly counts of the last four weeks, in its local time (DST moves nothing). The usual count of an
  hour is the **mean** of the same hour of the day over the last week with its largest left out (comments come in
  cascades after the page's posts: the median hour is far quieter than the hour people call normal), else of the
  last day, never below ``min_rate``; the trailing window's usual count blends the current and the previous hour by
  the minutes it spans of each;
- the page's usual **negative share** ``q``: its negative events over all its events in those four weeks, with one
  of each added (Laplace's rule: a page with no negative comment yet is not assumed never to have one);
- the negative share of the page's **raised hours** (``sentinel.detectors.heated``): once it has had two raised
  episodes in four weeks, the evidence below is taken against the higher of it and ``q`` (a page whose busy hours
  are always heated is judged against them);
- the **evidence** that the comments have turned negative: of ``k`` negative among ``n`` comments, the binomial
  log-likelihood ratio ``n x KL(k/n || q)`` (the exponent of Chernoff's bound: ``P(K >= k) <= e^-evidence`` for
  comments as negative as usual), over the trailing window and over both windows (a burn that has built for two
  hours has twice the comments to show it; a single sour thread has not). Its threshold is
  ``h = ln(2M / false_alarms)``, ``M`` the page's comments in a month (from the four weeks): at two looks per
  comment, chance reaches it at most ``false_alarms`` times a page-month (the union bound), before the other tests.

A shift starts when the trailing window holds at least ``ratio`` x its usual count and at least ``min_excess`` events
more than usual (twice normal: the issue's definition of a crisis), or its negative events beyond the usual alone
make up that excess (a burn doubling the hour on its own: the usual count is a mean of hours that come in cascades,
so most hours hold fewer), the extra events are negative (at least ``min_negative`` negative events, more than
usual, at least ``negative_share`` of the extra events and at least ``negative_lift`` x the page's usual share: the
extra events, not all of them, or a busy page dilutes a burn; a launch, a contest or a live night doubles the hour
with happy comments and stays quiet), and the evidence has reached ``h``. It ends when neither volume test holds at
``end_relax`` of its excess, or the negative tests fail at half their gates (checked every ``check_every``); the
next one may start ``rearm`` after that (a burn that dips for an hour and comes back is one alarm, as ``surge``
counts a surge). The first ``learn_for`` raise nothing. The gates are worked out once per five-minute bin, so most
events are turned down with one comparison.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.config.types import parse_duration
from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.common import Compile, ParamError
from sentinel.detectors.heated import Heated
from sentinel.enrich import Enriched

__all__ = ["SustainedDetector", "SustainedParams", "SustainedState", "evidence", "expected_hour"]

WEEK = 168
KEEP = 4 * WEEK  # hours of counts kept: four weeks
BINS = 12  # the trailing window in bins (and as many again for the window before it)
HOURS_PER_MONTH = 720.0
STATE_VERSION = 2  # 2: bins count time, not local wall time


def expected_hour(counts: Sequence[int], h: int, newest: int, floor: float) -> float:
    """Usual events in local hour ``h`` from ``counts`` (slot ``hour % KEEP``, -1: unseen; hours up to ``newest``):
    the mean of the same hour of the day over the last seven days with the largest left out (one past burst does not
    raise it), else the mean of the last day; never below ``floor``. A mean, not a median: comments come in
    cascades after the page's posts, so the median hour of a page is far quieter than the hour people call normal."""
    if not counts:
        return floor
    for step, n in ((24, 7), (1, 24)):
        xs = [
            c
            for k in range(1, n + 1)
            if newest - KEEP < h - k * step <= newest and (c := counts[(h - k * step) % KEEP]) >= 0
        ]
        if len(xs) >= 3:
            return max((sum(xs) - max(xs)) / (len(xs) - 1), floor)
    return floor


def evidence(k: float, n: float, q: float) -> float:
    """How unlikely ``k`` negative events of ``n`` are when each is negative with probability ``q``: the binomial
    log-likelihood ratio ``n x KL(k/n || q)`` (0 unless ``k/n > q``), so that ``P(K >= k) <= exp(-evidence)``."""
    if n <= 0 or k <= n * q:
        return 0.0
    a = k / n
    out = a * math.log(a / q)
    if a < 1.0:
        out += (1.0 - a) * math.log((1.0 - a) / (1.0 - q))
    return n * out


@dataclass(frozen=True, slots=True)
class SustainedParams:
    """The rule's ``detect:`` block for ``type: sustained``."""

    ratio: float = 2.0  # the trailing window holds at least this x its usual count ...
    min_excess: float = 3.0  # ... and this many events more than usual
    negative_below: float = -0.25  # an event is negative at or below this sentiment (the crisis rules' cut)
    negative_share: float = 0.25  # at least this share of the window's extra events negative ...
    negative_lift: float = 2.0  # ... and this x the page's usual negative share
    min_negative: float = 3.0  # ... and at least this many negative events in the window, more than usual
    false_alarms: float = 1.0  # the evidence's threshold: chance reaches it at most this often a page-month
    window: timedelta = timedelta(hours=1)
    min_rate: float = 0.5  # usual events an hour never assumed below this
    learn_for: timedelta = timedelta(days=3)
    end_relax: float = 0.5
    check_every: timedelta = timedelta(minutes=5)
    rearm: timedelta = timedelta(hours=3)  # the next shift may start this long after one ended

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> SustainedParams:
        known = {f.name for f in fields(cls)}
        kw: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "type":
                continue
            if key not in known:
                raise ParamError(key, f"unknown sustained parameter (known: {', '.join(sorted(known))})")
            try:
                kw[key] = parse_duration(value) if isinstance(getattr(cls(), key), timedelta) else float(value)
            except (TypeError, ValueError) as e:
                raise ParamError(key, str(e)) from None
        p = cls(**kw)
        if p.ratio < 1.0:
            raise ParamError("ratio", "must be at least 1")
        if not 0.0 <= p.negative_share <= 1.0:
            raise ParamError("negative_share", "must be between 0 and 1")
        if p.false_alarms <= 0:
            raise ParamError("false_alarms", "must be above 0")
        for name in ("min_excess", "negative_lift", "min_negative", "min_rate", "end_relax"):
            if getattr(p, name) < 0:
                raise ParamError(name, "must not be negative")
        if p.rearm.total_seconds() < 0:
            raise ParamError("rearm", "must not be negative")
        for name in ("window", "check_every"):
            if getattr(p, name).total_seconds() <= 0:
                raise ParamError(name, "must be positive")
        return p


@dataclass(slots=True)
class SustainedState:
    first_seen: float | None = None
    offset_s: int = 0
    bin: int = -1  # the current bin (bins since the epoch: an hour of time, whatever the clocks do)
    counts_bins: list[int] = field(default_factory=lambda: [0] * 2 * BINS)  # slot = bin % (2 x BINS)
    neg_bins: list[int] = field(default_factory=lambda: [0] * 2 * BINS)
    count: int = 0  # events in the trailing window (the sums of its bins)
    neg: int = 0
    before: int = 0  # events in the window before it
    before_neg: int = 0
    seen: int = 0  # hours in ``counts`` (not -1)
    hour: int = -1  # the current local hour and its counts
    hour_count: int = 0
    hour_neg: int = 0
    counts: list[int] = field(default_factory=list)  # hourly counts, slot = hour % KEEP (-1: not seen)
    negs: list[int] = field(default_factory=list)
    total: int = 0  # sums over ``counts`` and ``negs`` (the usual negative share)
    total_neg: int = 0
    active: bool = False
    ended: float | None = None  # when the last shift ended (epoch seconds): the next waits ``rearm``
    heated: Heated = field(default_factory=Heated)  # the negativity of the page's raised hours
    peak: int = 0
    onset_event: str = ""
    due: float | None = None
    gate: float | None = field(default=None, repr=False, compare=False)  # this bin's count gate (None: not worked out)
    usual: float = field(default=0.0, repr=False, compare=False)  # this bin's usual count in the window
    share: float = field(default=0.0, repr=False, compare=False)  # the page's usual negative share (Laplace)
    # what the evidence is taken against: the usual share, or the raised hours' share where higher (``Heated``)
    evidence_share: float = field(default=0.0, repr=False, compare=False)
    h: float = field(default=math.inf, repr=False, compare=False)  # the evidence's threshold
    # the usual counts of the current and the previous hour, for ``worked_for`` (they change only when hours close)
    e_now: float = field(default=0.0, repr=False, compare=False)
    e_before: float = field(default=0.0, repr=False, compare=False)
    worked_for: int = field(default=-1, repr=False, compare=False)


class SustainedDetector:
    type_name = "sustained"

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = p = SustainedParams.parse(params or {})
        self._bin_s = p.window.total_seconds() / BINS
        self._check = p.check_every.total_seconds()
        self._learn = p.learn_for.total_seconds()
        self._rearm = p.rearm.total_seconds()

    def new_state(self) -> SustainedState:
        return SustainedState()

    def observe(self, state: SustainedState, event: Enriched, now: datetime) -> Sequence[Signal]:
        t = now.timestamp()
        off = event.local_offset
        state.offset_s = int(off.total_seconds()) if off is not None else 0
        if state.first_seen is None:
            state.first_seen = t
        self._roll(state, t)
        gate = self._gate(state)
        negative = event.sentiment <= self.params.negative_below
        k = state.bin % (2 * BINS)
        state.counts_bins[k] += 1
        state.count += 1
        state.hour_count += 1
        if negative:
            state.neg_bins[k] += 1
            state.neg += 1
            state.hour_neg += 1
        if state.active:
            state.peak = max(state.peak, state.count)
            return QUIET
        if state.count < gate - state.usual or t - state.first_seen < self._learn:  # short of both volume tests
            return QUIET
        if state.ended is not None and t - state.ended < self._rearm:
            return QUIET
        if not self._volume(state, gate, 1.0) or not self._negative(state, 1.0):
            return QUIET
        state.active = True
        state.peak = state.count
        state.onset_event = event.event.id
        state.due = t + self._check
        return [self._signal(state, True, now)]

    def advance(self, state: SustainedState, now: datetime) -> list[Signal]:
        t = now.timestamp()
        state.due = None
        if not state.active:
            return []
        self._roll(state, t)
        gate = self._gate(state)
        if self._volume(state, gate, self.params.end_relax) and self._negative(state, 0.5):
            state.due = t + self._check
            return []
        state.active = False
        state.ended = t
        return [self._signal(state, False, now)]

    def next_due(self, state: SustainedState) -> datetime | None:
        return None if state.due is None else datetime.fromtimestamp(state.due, UTC)

    def to_json(self, state: SustainedState) -> Mapping[str, Any]:
        out: dict[str, Any] = {"v": STATE_VERSION}
        for f in fields(SustainedState):
            if f.compare:
                v = getattr(state, f.name)
                out[f.name] = v.to_json() if isinstance(v, Heated) else v
        return out

    def from_json(self, data: Mapping[str, Any]) -> SustainedState:
        st = SustainedState()
        for f in fields(SustainedState):
            if f.compare and f.name in data:
                setattr(st, f.name, Heated.from_json(data[f.name]) if f.name == "heated" else data[f.name])
        for name in ("counts_bins", "neg_bins", "counts", "negs"):
            setattr(st, name, [int(x) for x in getattr(st, name)])
        if "before" not in data:  # saved by the version without it: the window before as its bins have it
            st.before = sum(st.counts_bins) - st.count
        if "seen" not in data:
            st.seen = sum(1 for c in st.counts if c >= 0)
        if data.get("v", 1) < 2 and st.bin >= 0:  # bins were counted in local wall time
            st.bin -= int(st.offset_s // self._bin_s)
        return st

    # -- internals ------------------------------------------------------------
    def _roll(self, st: SustainedState, t: float) -> None:
        """Move to the bin of ``t``: empty the bins that left the window, close the hours that ended. The bins count
        time (the trailing hour is an hour long on the night the clocks go back); the hours are the page's local
        ones (the repeated hour adds to the first one's count, and the one skipped in spring counts 0)."""
        b = int(t // self._bin_s)
        if b <= st.bin:
            return
        if st.bin >= 0:
            for k in range(st.bin + 1, min(b, st.bin + 2 * BINS) + 1):
                leaving, dropped = (k - BINS) % (2 * BINS), k % (2 * BINS)  # into the window before; out of both
                st.count -= st.counts_bins[leaving]
                st.neg -= st.neg_bins[leaving]
                st.before += st.counts_bins[leaving] - st.counts_bins[dropped]
                st.before_neg += st.neg_bins[leaving] - st.neg_bins[dropped]
                st.counts_bins[dropped] = st.neg_bins[dropped] = 0
        st.bin = b
        st.gate = None
        hour = int((t + st.offset_s) // 3600)
        if hour > st.hour:
            self._close_hours(st, hour)

    def _close_hours(self, st: SustainedState, hour: int) -> None:
        if not st.counts:
            st.counts, st.negs = [-1] * KEEP, [0] * KEEP
        if st.hour >= 0:
            raised = st.hour_count > 0 and self._raised(st)
            st.heated.close(st.hour, st.hour_count, st.hour_neg, raised)
            for h in range(max(st.hour, hour - KEEP), hour):
                slot = h % KEEP
                if st.counts[slot] > 0:
                    st.total -= st.counts[slot]
                    st.total_neg -= st.negs[slot]
                if st.counts[slot] < 0:
                    st.seen += 1
                c, n = (st.hour_count, st.hour_neg) if h == st.hour else (0, 0)
                st.counts[slot], st.negs[slot] = c, n
                st.total += c
                st.total_neg += n
        st.hour, st.hour_count, st.hour_neg = hour, 0, 0

    def _raised(self, st: SustainedState) -> bool:
        """The ending hour's count reached the volume gate over the whole hour (its usual count: the one ``_gate``
        worked out in it, or worked out now if no event asked)."""
        p = self.params
        e = st.e_now if st.worked_for == st.hour else expected_hour(st.counts, st.hour, st.hour - 1, p.min_rate)
        return st.hour_count >= max(p.ratio * e, e + p.min_excess)

    def _gate(self, st: SustainedState) -> float:
        """The window count that meets the volume tests in the current bin (worked out once per bin), with the hours'
        usual counts, the usual negative share and the evidence's threshold (once per hour: the hourly counts they
        read change only when an hour closes)."""
        if st.gate is None:
            p = self.params
            if st.worked_for != st.hour:
                st.e_now = expected_hour(st.counts, st.hour, st.hour - 1, p.min_rate)
                st.e_before = expected_hour(st.counts, st.hour - 1, st.hour - 1, p.min_rate)
                st.share = (st.total_neg + 1.0) / (st.total + 2.0)
                st.evidence_share = st.heated.share(st.hour, st.share)
                looks = 2.0 * st.total / st.seen * HOURS_PER_MONTH if st.seen else 0.0  # two a comment, in a month
                st.h = math.log(looks / p.false_alarms) if looks > p.false_alarms else math.inf
                st.worked_for = st.hour
            f = ((st.bin + 1) * self._bin_s + st.offset_s) % 3600.0 / 3600.0 or 1.0  # the window's share in this hour
            scale = p.window.total_seconds() / 3600.0
            st.usual = (f * st.e_now + (1.0 - f) * st.e_before) * scale
            st.gate = max(p.ratio * st.usual, st.usual + p.min_excess)
        return st.gate

    def _volume(self, st: SustainedState, gate: float, relax: float) -> bool:
        """The window is raised: its count at ``relax`` of the way from the usual count to the gate, or its extra
        negative events alone as many as the gate's excess over the usual count (at ``relax`` of it). The second is
        the crisis doubling the hour on its own: the usual count is a mean of hours that come in cascades, so a
        burn as large as a normal hour often sits in an hour whose other comments are fewer than usual."""
        excess = relax * (gate - st.usual)
        return st.count >= st.usual + excess or st.neg - st.usual * st.share >= excess

    def _negative(self, st: SustainedState, relax: float) -> bool:
        """The window's extra events are negative: at least ``relax`` x ``min_negative`` negative events, more than
        usual, and a share of the extra events at least ``relax`` x the share gate (the rule's share, and the page's
        usual share lifted); to start (``relax`` 1), the evidence at its threshold too. The extra events, not all of
        them: on a busy page a burn is diluted by the usual ones; and at least the negative ones beyond the usual,
        when the rest of the hour is quieter than usual."""
        p = self.params
        extra_neg = st.neg - st.usual * st.share
        extra = max(st.count - st.usual, extra_neg)
        need = relax * max(p.negative_share, p.negative_lift * st.share)
        if extra_neg <= 0 or st.neg < relax * p.min_negative or extra_neg < need * extra:
            return False
        return relax < 1.0 or self._evidence(st) >= st.h

    @staticmethod
    def _evidence(st: SustainedState) -> float:
        """The larger binomial log-likelihood ratio of the negative events, over the trailing window or both."""
        q = st.evidence_share
        return max(evidence(st.neg, st.count, q), evidence(st.neg + st.before_neg, st.count + st.before, q))

    def _signal(self, st: SustainedState, active: bool, now: datetime) -> Signal:
        self._gate(st)
        usual = st.usual
        values = {
            "count": st.count,
            "baseline": round(usual, 1),
            "ratio": round(st.count / max(usual, 1e-9), 1),
            "negative": st.neg,
            "negative_share": round(st.neg / st.count, 2) if st.count else 0.0,
            "window": int(self.params.window.total_seconds() // 60),
            "peak": st.peak,
            "evidence": round(self._evidence(st), 1),
            "threshold": round(st.h, 1) if math.isfinite(st.h) else 0.0,
        }
        evidence = (st.onset_event,) if st.onset_event else ()
        return Signal(labels={}, active=active, at=now, values=values, evidence=evidence)


def factory(params: Mapping[str, Any], compile: Compile) -> SustainedDetector:
    """Registry entry: ``params`` is the rule's ``detect:`` block; raises ``ParamError``."""
    return SustainedDetector(params)
