"""A stream's learned events per hour: an overall level, an hour-of-day and an hour-of-week profile, and the
page's own noise around them (``Baseline``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Each learned value is the mean of its first N updates, then an exponentially weighted mean with weight 1/N:
LEVEL_MEMORY = 168  # overall level: about a week
DAY_MEMORY = 10  # hour-of-day slots: one update a day
WEEK_MEMORY = 4  # hour-of-week slots: one update a week
SPREAD_MEMORY = 168  # page noise (see ``Baseline.spread``): about a week
SPREAD_MIN_RATE = 20.0  # ... learned only from hours expecting this many events (below, Poisson rules)


def hour_of_week(local_hour_index: int) -> int:
    """0 = Monday 00-01 local time; ``local_hour_index`` counts local wall-clock hours since 1970-01-01 (a Thursday)."""
    return (local_hour_index + 72) % 168


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

    def learn(self, how: int, counts: Sequence[int], seasonal: bool, clip: float) -> None:
        """Learn the counts of consecutive hours, the first at hour of week ``how``."""
        if seasonal and not self.daily:
            self.daily, self.nday = [0.0] * 24, [0] * 24  # (all empty slots: the expectation stays the level)
            self.weekly, self.nweek = [0.0] * 168, [0] * 168
        # An hour's expectation is needed to clip its count and to learn the spread from a busy hour. Hours without
        # events need neither while every learned value is below SPREAD_MIN_RATE (most pages at night, a post's
        # stream after its day): learning zeros only lowers the values, and no blend of them can reach that rate
        # (a hair of margin for rounding). Then the expectations, two blends an hour, are not worked out.
        quiet = not any(counts) and self._highest() < SPREAD_MIN_RATE * (1.0 - 1e-9)
        daily, nday, weekly, nweek = self.daily, self.nday, self.weekly, self.nweek
        for count in counts:
            x = float(count)
            if self.hours >= 24 and not quiet:
                e = _blend(self.level, how, daily, nday, weekly, nweek) if seasonal else self.level
                if count:  # (0 is under the clip: e >= 0)
                    x = min(x, clip * e + 3.0 * math.sqrt(e) + 3.0)
                ref = _blend(self.level, (how - 1) % 168, daily, nday, weekly, nweek) if seasonal else self.level
                ref = max(ref, e)  # the higher of the two: what the detector compares with
                if ref >= SPREAD_MIN_RATE:
                    self.nspread += 1
                    d = abs(math.log((count + 1.0) / (ref + 1.0)))
                    self.spread += (d - self.spread) * (1.0 / min(self.nspread, SPREAD_MEMORY))
            self.hours += 1
            self.level += (x - self.level) * (1.0 / min(self.hours, LEVEL_MEMORY))
            if seasonal:
                hod = how % 24
                nday[hod] += 1
                daily[hod] += (x - daily[hod]) * (1.0 / min(nday[hod], DAY_MEMORY))
                nweek[how] += 1
                weekly[how] += (x - weekly[how]) * (1.0 / min(nweek[how], WEEK_MEMORY))
            how = (how + 1) % 168

    def _highest(self) -> float:
        """The largest learned value: no blend of them is above it (but for rounding)."""
        return max(self.level, max(self.daily), max(self.weekly)) if self.daily else self.level

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
