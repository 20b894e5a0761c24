"""Event time in the live daemon: an event's ``time`` is data from outside, never the clock.

The rules place every event, and judge their windows, on one event-time clock
(the *watermark*), as ``sentinel replay`` does with the latest time of the
file. The daemon's watermark follows the events it processes, with two bounds:

- **Never past the wall clock.** An event dated ahead of its arrival (a wrong
  clock, a forged batch) is stored with the time it claims but evaluated at
  its arrival: it moves the watermark to "now" and no further. One beyond
  ``future_skew`` is *future-dated*: counted, logged, and a source that keeps
  sending them raises ``health.future_events``.
- **Not stuck behind a quiet source.** Between events the watermark moves on
  with the wall clock, held back by the *allowed lateness*: the longest
  delivery delay seen over ``lateness_memory`` (an event that arrived 6 h
  after its time shows that this daemon is being fed in 6 h batches), at
  least ``min_lateness`` and at most ``max_lateness``. While the watermark
  waits, a batch that arrives late is placed at its own times, so a delayed
  delivery gives the alerts a timely one gives, later by the delay. Rule
  timers (``for:``, SLA deadlines, silence detection) run on the watermark;
  incidents and escalation run on the wall clock.

What does not hold: an event older than the watermark (later than the allowed
lateness, or behind a busier page's events) is evaluated at the watermark, as
replay evaluates an out-of-order line; the watermark is one for all pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

HOUR = 3600


@dataclass(frozen=True, slots=True)
class EventTimeConfig:
    future_skew: timedelta = timedelta(minutes=5)
    min_lateness: timedelta = timedelta(minutes=2)
    max_lateness: timedelta = timedelta(hours=36)
    lateness_memory: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Placement:
    at: datetime  # where the rules evaluate the event (the watermark after it)
    future: bool  # dated beyond ``future_skew`` ahead of its arrival
    lag_s: float  # how long after its own time it arrived (0 for a future one)


@dataclass(slots=True)
class Watermark:
    cfg: EventTimeConfig = field(default_factory=EventTimeConfig)
    at: datetime | None = None
    # the longest delivery delay (seconds) seen in each hour of arrival (epoch hour), over ``lateness_memory``
    _lags: dict[int, float] = field(default_factory=dict)

    def place(self, event_time: datetime, wall: datetime) -> Placement:
        """Where an event dated ``event_time`` that arrived by ``wall`` is evaluated."""
        future = event_time > wall + self.cfg.future_skew
        t = min(event_time, wall)
        lag = (wall - t).total_seconds()
        hour = int(wall.timestamp()) // HOUR
        if lag > self._lags.get(hour, 0.0):
            self._lags[hour] = lag
        if self.at is None or t > self.at:
            self.at = t
        return Placement(self.at, future, lag)

    def lateness(self, wall: datetime) -> timedelta:
        """How far the watermark stays behind the wall clock between events."""
        oldest = int((wall - self.cfg.lateness_memory).timestamp()) // HOUR
        for h in [h for h in self._lags if h < oldest]:
            del self._lags[h]
        seen = timedelta(seconds=max(self._lags.values(), default=0.0))
        return min(self.cfg.max_lateness, max(self.cfg.min_lateness, seen + self.cfg.min_lateness))

    def follow(self, wall: datetime) -> datetime:
        """Move the watermark on with the wall clock (no event for a while); returns it."""
        floor = wall - self.lateness(wall)
        if self.at is None or floor > self.at:
            self.at = floor
        return self.at

    def snapshot(self) -> dict[str, Any]:
        at = None if self.at is None else self.at.timestamp()
        return {"at": at, "lags": {str(h): v for h, v in self._lags.items()}}

    def restore(self, data: dict[str, Any]) -> None:
        at = data.get("at")
        self.at = None if at is None else datetime.fromtimestamp(float(at), UTC)
        self._lags = {int(h): float(v) for h, v in (data.get("lags") or {}).items()}
