"""``RateSpikeDetector``: counts each stream, learns its baseline hour by hour, and signals a surge's onset, its
growth to critical and its end (see the package's docstring)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sentinel.detectors.base import QUIET, Signal
from sentinel.detectors.rate_spike.baseline import hour_of_week
from sentinel.detectors.rate_spike.params import RateSpikeParams
from sentinel.detectors.rate_spike.series import RateSpikeState, Series
from sentinel.detectors.rate_spike.thresholds import Hour, Thresholds, time_above
from sentinel.detectors.sustained import evidence
from sentinel.enrich import Enriched
from sentinel.model import Severity

MAX_GAP_HOURS = 24 * 14  # longer silences are learned as at most two weeks of zeros
SHARE_MEMORY = 4 * 168  # the usual negative share and the looks a month: decayed sums of about four weeks of hours
SHARE_DECAY = math.exp(-1.0 / SHARE_MEMORY)  # per hour
HOURS_PER_MONTH = 720.0
# Events outside surges before the usual negative share is trusted. Until then (a state saved by a version without
# it, or a page just past ``learn_for`` with few comments) an onset is judged by ``negative_share`` alone, as before:
# Laplace's prior of one half would ask for every comment of a surge to be negative, and blind the rule for a day.
MIN_USUAL = 20.0


class RateSpikeDetector:
    type_name = "rate_spike"

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = p = RateSpikeParams.parse(params or {})
        self.thresholds = Thresholds(p)
        self._tau_s, self._tau_l = self.thresholds.tau_s, self.thresholds.tau_l
        self._learn_for_s = p.learn_for.total_seconds()
        self._check_s = p.check_every.total_seconds()
        self._record_decay = math.exp(-3600.0 / p.record_memory.total_seconds())  # per hour

    # -- protocol -----------------------------------------------------------
    def new_state(self) -> RateSpikeState:
        return RateSpikeState()

    def observe(self, state: RateSpikeState, event: Enriched, now: datetime) -> Sequence[Signal]:
        # ``due`` only moves at an onset, which signals: whatever signals nothing is QUIET.
        p = self.params
        t = now.timestamp()
        offset = event.local_offset
        if offset is not None:
            state.offset_s = int(offset.total_seconds())
        key = ""
        if p.by:
            v = event.event.object.get(p.by)
            if v is None:
                return QUIET
            key = str(v)
        s = state.series.get(key)
        if s is None:
            s = state.series[key] = Series(first_seen=t, last_t=t)
            if p.by and len(state.series) > p.max_keys:
                self._evict(state, t)
        self._roll(s, t, state.offset_s)
        s.short += 1.0
        s.long += 1.0
        s.hour_count += 1
        s.hour_peak = max(s.hour_peak, s.short)
        if p.negative_share is not None:
            s.scored += 1.0
            if event.sentiment <= p.negative_below:
                s.neg += 1.0
                s.hour_neg += 1
        if s.active:
            return self._ongoing(s, key, now)
        if t - s.first_seen < self._learn_for_s:
            return QUIET
        hour = self._hour(s)
        if s.short < hour.gate_short and s.long < hour.gate_long:
            return QUIET  # too few hours learned, or neither a sudden surge nor a slow build can hold
        return self._onset(state, s, key, t, now, event.event.id)

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

    # -- counting and learning ----------------------------------------------
    def _roll(self, s: Series, t: float, offset_s: int) -> None:
        """Decay the counters to ``t`` and close the hours that ended before it."""
        dt = t - s.last_t
        if dt > 0:
            k = math.exp(-dt / self._tau_s)
            s.short *= k
            s.long *= math.exp(-dt / self._tau_l)
            if self.params.negative_share is not None:
                s.neg *= k
                s.scored *= k
            s.last_t = t
        hour = int((t + offset_s) // 3600)
        if hour > s.hour:
            self._close_hours(s, t, hour)

    def _close_hours(self, s: Series, t: float, hour: int) -> None:
        """Move on to local hour ``hour`` (later than ``s.hour``), learning the hours before it."""
        if s.hour >= 0:
            p = self.params
            if p.record > 0:
                self._keep_record(s, t, hour - s.hour)
            if not (s.hour_surge or s.active):
                s.baseline.learn(hour_of_week(s.hour), (s.hour_count,), p.seasonal, p.clip)
            empty = max(s.hour + 1, hour - MAX_GAP_HOURS)  # the first of the empty hours since
            if empty < hour:
                s.baseline.learn(hour_of_week(empty), [0] * (hour - empty), p.seasonal, p.clip)
            if p.negative_share is not None:
                self._learn_share(s, t, min(hour - s.hour, MAX_GAP_HOURS))
                s.heated.close(s.hour, s.hour_count, s.hour_neg, s.hour_looks > 0 or s.hour_surge or s.active)
            s.hour_count = 0
            s.hour_peak = 0.0
            s.hour_neg = 0
            s.hour_looks = 0
            s.hour_surge = s.active
        s.hour = hour
        s.memo = None  # a new hour, maybe a new baseline: ``_hour`` works it out again when asked

    def _learn_share(self, s: Series, t: float, hours: int) -> None:
        """Learn the ending hour (and ``hours`` - 1 empty ones after it) into the usual negative share, unless a
        surge was active in it, and its looks into the looks a month once the stream is learned."""
        decay = SHARE_DECAY**hours
        s.usual_n *= decay
        s.usual_neg *= decay
        if not (s.hour_surge or s.active):
            s.usual_n += s.hour_count
            s.usual_neg += s.hour_neg
        s.looks = s.looks * decay + s.hour_looks
        s.looks_hours *= decay
        if self._learned(s, t):
            s.looks_hours += (1.0 - decay) / (1.0 - SHARE_DECAY)  # the hours, each decayed as a look in it would be

    def _learned(self, s: Series, t: float) -> bool:
        return t - s.first_seen >= self._learn_for_s and s.baseline.hours >= self.params.min_hours

    def _hour(self, s: Series) -> Hour:
        """The current hour's ``Hour``: worked out on first use in each hour (``_close_hours`` drops it), with the
        negativity an onset needs (``_negativity``)."""
        if s.memo is None:
            s.memo = self.thresholds.hour(s.baseline, s.hour)
            if self.params.negative_share is not None:
                self._negativity(s, s.memo)
        return s.memo

    def _negativity(self, s: Series, hour: Hour) -> None:
        """The share and the evidence an onset's negative events need this hour: at least ``negative_share`` and
        ``negative_lift`` x the page's usual share ``q`` (Laplace: one negative and one other event added), and with
        ``false_alarms`` the binomial evidence against ``q`` at least ``ln(L / false_alarms)``, ``L`` the looks a
        month (the events at which the volume surged and the negativity was tested, over the last four weeks;
        at least ``min_count``, one surge's worth): by the union bound, chance reaches it at most ``false_alarms``
        times a month. Before ``MIN_USUAL`` events outside surges are learned, ``negative_share`` alone."""
        p = self.params
        assert p.negative_share is not None
        q = (s.usual_neg + 1.0) / (s.usual_n + 2.0)
        hour.usual_share = q
        hour.evidence_share = s.heated.share(s.hour, q)  # a page whose surges are always heated: judged against them
        if s.usual_n < MIN_USUAL:  # no usual share yet: the fixed share alone (``MIN_USUAL``)
            hour.share_gate, hour.evidence_gate = p.negative_share, 0.0
            return
        hour.share_gate = max(p.negative_share, p.negative_lift * q)
        if p.false_alarms is not None:
            per_month = HOURS_PER_MONTH * s.looks / s.looks_hours if s.looks_hours >= 1.0 else 0.0
            hour.evidence_gate = max(math.log(max(per_month, p.min_count, 1.0) / p.false_alarms), 0.0)

    def _negative(self, s: Series, hour: Hour) -> bool:
        """The short window's events are negative enough for this hour (see ``_negativity``)."""
        if s.scored < self.params.min_scored or s.neg < hour.share_gate * s.scored:
            return False
        return hour.evidence_gate <= 0.0 or evidence(s.neg, s.scored, hour.evidence_share) >= hour.evidence_gate

    def _keep_record(self, s: Series, t: float, hours: int) -> None:
        """Fold the ending hour's peak size into the decayed record (once the stream has been learned)."""
        if s.baseline.hours >= self.params.min_hours and t - s.first_seen >= self._learn_for_s:
            s.record = max(s.record * self._record_decay**hours, self.thresholds.size(s.hour_peak, self._hour(s)))

    # -- surges ---------------------------------------------------------------
    def _onset(
        self, state: RateSpikeState, s: Series, key: str, t: float, now: datetime, event_id: str
    ) -> Sequence[Signal]:
        """Whether a learned, inactive stream past the hour's gates starts a surge with this event."""
        p = self.params
        hour = self._hour(s)
        hit, ratio, exp = self.thresholds.firing(s.short, s.long, hour, 1.0)
        if not hit:
            return QUIET
        if p.record > 0 and not self._beats_record(s, hour):
            return QUIET
        if p.negative_share is not None:
            s.hour_looks += 1  # the negativity is tested: a look (see ``_negativity``)
            if not self._negative(s, hour):
                return QUIET
        s.active = True
        s.hour_surge = True
        s.onset_count = s.peak = s.short
        s.onset_event = event_id
        s.severity = ""
        state.due = t + self._check_s
        return [self._signal(s, key, True, now, None, ratio, exp)]

    def _beats_record(self, s: Series, hour: Hour) -> bool:
        """The surge is big for this page: its size reaches ``record`` × the largest seen (this hour included)."""
        size = self.thresholds.size
        return size(s.short, hour) >= self.params.record * max(s.record, size(s.hour_peak, hour))

    def _ongoing(self, s: Series, key: str, now: datetime) -> Sequence[Signal]:
        """An active surge: its end (even relaxed thresholds fail), or its growth to critical."""
        p = self.params
        s.peak = max(s.peak, s.short)
        hour = self._hour(s)
        # grown, and still negative now: a later burst of ordinary comments is no angrier surge
        growing = (
            p.critical_growth is not None
            and s.severity != Severity.CRITICAL
            and s.short >= p.critical_growth * s.onset_count
            and (p.negative_share is None or self._negative(s, hour))
        )
        hold_short, hold_confirm, hold_long = self.thresholds.holds(hour)
        if not growing and ((s.short >= hold_short and s.long >= hold_confirm) or s.long >= hold_long):
            return QUIET  # surely holds (see ``Thresholds.holds``)
        hit, ratio, exp = self.thresholds.firing(s.short, s.long, hour, p.end_relax)
        if not hit:
            s.active = False
            return [self._signal(s, key, False, now, None, ratio, exp)]
        if growing:
            s.severity = Severity.CRITICAL
            return [self._signal(s, key, True, now, Severity.CRITICAL, ratio, exp)]
        return QUIET

    def _next_check(self, s: Series, t: float, offset_s: int) -> float:
        """The next check an active surge needs after one at ``t`` (counts rolled to ``t``): the first time on its
        grid (``t`` + k x ``check_every``) at which it could have ended with no further event, or that lies in a
        later local hour (whose baseline may hold it to other bounds). The checks before it would find the
        hour's ``hold_*`` bounds met (the counts only decay between events, and an event only adds to them), so
        they would end nothing and change nothing but the rounding of the decay: they are skipped. A busy surge
        lasting hours is checked about once an hour instead of twelve times."""
        step = self._check_s
        hold_short, hold_confirm, hold_long = self.thresholds.holds(self._hour(s))
        sure = max(
            min(time_above(s.short, hold_short, self._tau_s), time_above(s.long, hold_confirm, self._tau_l)),
            time_above(s.long, hold_long, self._tau_l),
        )  # seconds from t the hold surely lasts
        if sure < 2 * step:
            return t + step
        hour_end = (s.hour + 1) * 3600.0 - offset_s  # in epoch seconds
        k = min(int(sure * (1.0 - 1e-9) // step), math.ceil((hour_end - t) / step) - 1)
        return t + (max(k, 0) + 1) * step

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
        if self.params.negative_share is not None:
            hour = self._hour(s)
            values["usual_share"] = round(hour.usual_share, 2)
            if self.params.false_alarms is not None:
                values["evidence"] = round(evidence(s.neg, s.scored, hour.evidence_share), 1)
                values["threshold"] = round(hour.evidence_gate, 1)
        onset = (s.onset_event,) if s.onset_event else ()
        return Signal(labels=labels, active=active, at=now, severity=sev, values=values, evidence=onset)

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
