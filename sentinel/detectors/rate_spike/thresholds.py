"""What a surge must reach in a stream's current hour (``Hour``), worked out once an hour from its baseline: the
per-hour pre-check that turns most events down with two comparisons, and the bounds an active surge surely holds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sentinel.detectors.rate_spike.baseline import Baseline, hour_of_week
from sentinel.detectors.rate_spike.params import RateSpikeParams


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
    # active surge first asks (``Thresholds.holds``): most hours of most streams have none.
    holds: tuple[float, float, float] | None = None
    # the negativity an onset needs this hour (with ``negative_share``; set by the detector, from its learned share):
    usual_share: float = 0.0  # the page's usual negative share (Laplace)
    share_gate: float = 0.0  # the window's negative share at least this
    evidence_gate: float = 0.0  # ... and its evidence against ``evidence_share`` at least this (0: not tested)
    evidence_share: float = 0.0  # ``usual_share``, or the page's raised hours' share where higher (``Heated``)


class Thresholds:
    """The rule's thresholds against a stream's baseline: sudden surge (short window, confirmed by the long one)
    or slow build (long window alone)."""

    def __init__(self, params: RateSpikeParams) -> None:
        self.params = params
        self.tau_s = params.window.total_seconds()
        self.tau_l = params.long_window.total_seconds()
        self.long_scale = math.sqrt(self.tau_l / self.tau_s)  # min_count in the long window

    def hour(self, baseline: Baseline, local_hour: int) -> Hour:
        """The ``Hour`` of local hour ``local_hour`` (hours since the epoch, local wall time)."""
        p = self.params
        # expected events per hour: the higher of this and the previous hour (ramps are not surges)
        how = hour_of_week(local_hour)
        e = max(baseline.expected(how, p.seasonal), baseline.expected((how - 1) % 168, p.seasonal))
        per_s = max(e, p.min_rate) / 3600.0
        # A noisy page needs a bigger multiple: both ratios scale up to ``noise`` typical deviations.
        ratio = max(p.ratio, baseline.noise_ratio(p.noise))
        exp_s, exp_l = per_s * self.tau_s, per_s * self.tau_l
        root_s, root_l = math.sqrt(exp_s + 1.0), math.sqrt(exp_l + 1.0)
        long_ratio = p.long_ratio * ratio / p.ratio if p.ratio > 0 else p.long_ratio
        # Necessary conditions of ``firing(..., 1.0)`` on each count alone (a hair lower, for rounding), so that
        # most events are turned down with two comparisons.
        gate_s = max(p.min_count, ratio * exp_s, exp_s + p.z * root_s) * (1.0 - 1e-9)
        gate_l = max(p.min_count * self.long_scale, long_ratio * exp_l, exp_l + p.z * root_l) * (1.0 - 1e-9)
        if baseline.hours < p.min_hours:
            gate_s = gate_l = math.inf  # too few hours learned for any surge
        usual = max(baseline.level, p.min_rate) / 3600.0 * self.tau_s
        return Hour(exp_s, exp_l, root_s, root_l, ratio, long_ratio, usual, gate_s, gate_l)

    def firing(self, short: float, long: float, hour: Hour, relax: float) -> tuple[bool, float, float]:
        """Whether the counts make a surge with thresholds relaxed by ``relax``; with the larger ratio to the
        expected count and the expected short count (for the signal)."""
        p = self.params
        exp_s, exp_l = hour.exp_s, hour.exp_l
        r_s, r_l = short / exp_s, long / exp_l
        z_s = (short - exp_s) / hour.root_s
        z_l = (long - exp_l) / hour.root_l
        sudden = (
            short >= p.min_count * relax
            and r_s >= hour.ratio * relax
            and z_s >= p.z * relax
            and r_l >= p.confirm * relax
        )
        slow = long >= p.min_count * self.long_scale * relax and r_l >= hour.long_ratio * relax and z_l >= p.z * relax
        return sudden or slow, max(r_s, r_l), exp_s

    def holds(self, hour: Hour) -> tuple[float, float, float]:
        """``Hour.holds`` (worked out on first use): sufficient conditions of ``firing(..., end_relax)`` (a hair
        higher, for rounding, over the thresholds it compares with, worked out as it does), so that an active
        surge's events mostly pass with two or three comparisons. inf (never sure) where a term is so small that
        rounding could cross it."""
        if hour.holds is None:
            hour.holds = self._holds(hour)
        return hour.holds

    def _holds(self, hour: Hour) -> tuple[float, float, float]:
        p, r = self.params, self.params.end_relax
        exp_s, exp_l, root_s, root_l = hour.exp_s, hour.exp_l, hour.root_s, hour.root_l
        c_min, c_ratio, c_z, c_confirm = p.min_count * r, hour.ratio * r, p.z * r, p.confirm * r
        c_min_long, c_long_ratio = p.min_count * self.long_scale * r, hour.long_ratio * r
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

    def size(self, count: float, hour: Hour) -> float:
        """A surge's size: log(1 + short-window excess over expected / the page's usual volume in that window)."""
        return math.log1p(max(count - hour.exp_s, 0.0) / hour.usual)


def time_above(count: float, bound: float, tau: float) -> float:
    """How long ``count``, decaying with time constant ``tau`` and nothing added, stays at or above ``bound`` (in
    seconds; inf for a bound of 0 or less, -inf when it is below already or the bound is inf)."""
    if bound <= 0.0:
        return math.inf
    if count < bound or bound == math.inf:
        return -math.inf
    return tau * math.log(count / bound)
