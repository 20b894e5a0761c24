"""How negative a page's raised hours usually are: a page whose busy hours are always angry (a football club after
each match, a newspaper's debates) is judged against them, not only against its quiet hours.

The negativity tests of ``rate_spike`` and ``sustained`` ask whether a window's negative events are more than chance
makes of the page's usual share. That share is learned mostly from ordinary hours, so on a page where every match
day brings a heated thread, every match day looked like a crisis: red teams 5 and 7 each had a football club paged
every week (critical after dark). ``Heated`` keeps, per page and rule, the events and negative events of the hours
the detector found **raised** (its volume gate reached), once they are ``SETTLE`` hours old (a crisis does not raise
its own bar while it lasts), decayed over about four weeks as the usual share is, and the starts of the raised
**episodes** of the last four weeks (raised hours at least ``SETTLE`` apart). Once the page has had
``MIN_EPISODES`` of them, ``share`` is their negative share, drawn towards the page's usual share by ``PRIOR``
events at it (a few raised hours of a small page, four comments one of them sour, say little), and the detector
tests a window's evidence against the higher of it and the usual share: a surge is news when it is angrier than
this page's surges usually are. A page whose raised hours are happy (launches, contests) keeps a low
heated share and changes nothing.

Where it fails: a crisis that comes back on a third day, no angrier than on the first two, is judged against them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SETTLE = 12  # hours before a raised hour counts (and the gap that separates two episodes)
MIN_EPISODES = 2  # raised episodes in the last four weeks before their share is used
PRIOR = 20.0  # events at the usual share the raised hours' share is drawn towards (``rate_spike``'s ``MIN_USUAL``)
MEMORY = 4 * 168  # hours: the sums' time constant, and how long an episode is remembered
DECAY = math.exp(-1.0 / MEMORY)  # per hour


@dataclass(slots=True)
class Heated:
    n: float = 0.0  # events of the settled raised hours (decayed to hour ``at``)
    neg: float = 0.0  # ... and the negative ones
    at: int = -1  # the local hour the sums are decayed to
    pending: list[list[int]] = field(default_factory=list)  # [hour, events, negative] of raised hours not settled
    episodes: list[int] = field(default_factory=list)  # the first hour of each settled episode (last four weeks)
    last: int = -(10**9)  # the last settled raised hour

    def close(self, hour: int, count: int, negative: int, raised: bool) -> None:
        """Local hour ``hour`` ended with ``count`` events, ``negative`` of them negative; ``raised``: the detector's
        volume gate was reached in it."""
        if raised and count > 0:
            self.pending.append([hour, count, negative])
        self._settle(hour)

    def share(self, hour: int, usual: float) -> float:
        """What a window's negativity is judged against at local hour ``hour``: the page's ``usual`` share, or the
        share of its settled raised hours (drawn towards ``usual`` by ``PRIOR`` events) where that is higher, once
        ``MIN_EPISODES`` are learned."""
        self._settle(hour)
        if len(self.episodes) < MIN_EPISODES:
            return usual
        return max(usual, (self.neg + PRIOR * usual) / (self.n + PRIOR))

    def _settle(self, hour: int) -> None:
        while self.pending and self.pending[0][0] <= hour - SETTLE:
            h, count, negative = self.pending.pop(0)
            if self.at >= 0 and h > self.at:
                k = DECAY ** (h - self.at)
                self.n *= k
                self.neg *= k
            self.at = max(self.at, h)
            self.n += count
            self.neg += negative
            if h - self.last >= SETTLE:
                self.episodes.append(h)
            self.last = h
        if self.episodes and self.episodes[0] <= hour - MEMORY:
            self.episodes = [e for e in self.episodes if e > hour - MEMORY]

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "neg": self.neg,
            "at": self.at,
            "pending": self.pending,
            "episodes": self.episodes,
            "last": self.last,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any] | None) -> Heated:
        if not d:
            return cls()
        return cls(
            n=float(d.get("n", 0.0)),
            neg=float(d.get("neg", 0.0)),
            at=int(d.get("at", -1)),
            pending=[[int(x) for x in p] for p in d.get("pending", [])],
            episodes=[int(e) for e in d.get("episodes", [])],
            last=int(d.get("last", -(10**9))),
        )
