"""Event time in the live daemon: an event's ``time`` is data from outside, never the clock.

The rules place every event, and judge their windows, on one event-time clock
(the *watermark*), as ``sentinel replay`` does with the latest time of the
file. The daemon's watermark follows the events it processes, with two bounds:

- **Never past the wall clock.** An event dated ahead of its arrival (a wrong
  clock, a forged batch) is stored with the time it claims but evaluated at
  its arrival: it moves the watermark to "now" and no further. One beyond
  ``future_skew`` is *future-dated*: counted, logged, and a source that keeps
  sending them raises ``health.future_events``.
- **Not stuck behind a quiet page, not ahead of a late source.** Between
  events the watermark moves on with the wall clock, ``min_lateness`` behind
  it, as long as the last delivery was timely. Events arrive in *deliveries*
  (what arrives within ``BURST_GAP`` of the previous event). A *late*
  delivery (its oldest event more than ``min_lateness`` old) shows a source
  that delivers in batches, or a backlog after an outage: then the watermark
  stays at that delivery's own events while it still comes in (until nothing
  arrived for ``BURST_GAP``: a backlog sent in several requests is one
  delivery, and its answers land before the deadlines they meet), then at
  its arrival until the next delivery comes, for at most the *hold*: a
  quarter more than the longest delay, or than the usual (median) gap
  between late deliveries, seen over ``lateness_memory``; at least
  ``min_lateness``, at most ``max_lateness``. While it
  waits, the next batch lands at its own times, so a delayed delivery gives
  the alerts a timely one gives, later by the delay. Rule timers (``for:``,
  SLA deadlines, silence detection) run on the watermark; incidents and
  escalation run on the wall clock.

What does not hold: an event older than the watermark (later than the hold,
or behind a busier page's events: the watermark is one for all pages) is
evaluated at the watermark, as replay evaluates an out-of-order line; and
after a late delivery, a page that then stays quiet has its rule timers
delayed by up to the hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

BURST_GAP = timedelta(minutes=1)  # events arriving closer together than this are one delivery


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
class Delivery:
    """Events that arrived together: when the first and the last came, how old the oldest was, and how long
    nothing had arrived before it."""

    first: float  # epoch seconds, wall clock
    last: float
    lag: float  # seconds
    gap: float  # seconds since the previous delivery's last event (0 for the first)

    def late(self, cfg: EventTimeConfig) -> bool:
        return self.lag > cfg.min_lateness.total_seconds()


@dataclass(slots=True)
class Watermark:
    cfg: EventTimeConfig = field(default_factory=EventTimeConfig)
    at: datetime | None = None
    deliveries: list[Delivery] = field(default_factory=list)  # over ``lateness_memory``, oldest first

    def place(self, event_time: datetime, wall: datetime) -> Placement:
        """Where an event dated ``event_time`` that arrived by ``wall`` is evaluated."""
        future = event_time > wall + self.cfg.future_skew
        t = min(event_time, wall)
        lag = (wall - t).total_seconds()
        self._arrived(wall.timestamp(), lag)
        if self.at is None or t > self.at:
            self.at = t
        return Placement(self.at, future, lag)

    def _arrived(self, w: float, lag: float) -> None:
        last = self.deliveries[-1] if self.deliveries else None
        if last is not None and w - last.last <= BURST_GAP.total_seconds():
            last.last, last.lag = max(last.last, w), max(last.lag, lag)
            return
        self.deliveries.append(Delivery(w, w, lag, 0.0 if last is None else max(0.0, w - last.last)))
        horizon = w - self.cfg.lateness_memory.total_seconds()
        while len(self.deliveries) > 1 and self.deliveries[0].last < horizon:
            del self.deliveries[0]

    def hold(self) -> timedelta:
        """How long the watermark waits at a late delivery for the next one."""
        late = [d for d in self.deliveries if d.late(self.cfg)]
        if not late:
            return self.cfg.min_lateness
        gaps = sorted(d.gap for d in late)
        period = gaps[len(gaps) // 2]  # a batch source's period; the median, as a quiet night's gap is no period
        seen = timedelta(seconds=max(period, max(d.lag for d in late)))
        return min(self.cfg.max_lateness, seen + max(self.cfg.min_lateness, seen / 4))

    def floor(self, wall: datetime) -> datetime:
        """The earliest time the rules' clock may be at, by the wall clock and what was delivered."""
        live = wall - self.cfg.min_lateness
        last = self.deliveries[-1] if self.deliveries else None
        if last is None or not last.late(self.cfg):
            return live
        if wall.timestamp() - last.last <= BURST_GAP.total_seconds():
            # a late delivery still coming in (the rest of a backlog, in the next request): its events land at their
            # own times, so the watermark waits at them (at most the hold) rather than jump to its arrival, past a
            # deadline its next request may answer
            return wall - self.hold()
        arrived = datetime.fromtimestamp(last.last, UTC) - self.cfg.min_lateness
        return min(live, max(arrived, wall - self.hold()))

    def follow(self, wall: datetime) -> datetime:
        """Move the watermark on with the wall clock (no event for a while); returns it."""
        floor = self.floor(wall)
        if self.at is None:  # no event yet, so no rule timer either: the first delivery will set the watermark
            return floor
        if floor > self.at:
            self.at = floor
        return self.at

    def lateness(self, wall: datetime) -> timedelta:
        """How far the watermark may stay behind the wall clock now, for the metric."""
        return wall - self.floor(wall)

    def snapshot(self) -> dict[str, Any]:
        at = None if self.at is None else self.at.timestamp()
        return {"at": at, "deliveries": [[d.first, d.last, d.lag, d.gap] for d in self.deliveries]}

    def restore(self, data: dict[str, Any]) -> None:
        at = data.get("at")
        self.at = None if at is None else datetime.fromtimestamp(float(at), UTC)
        self.deliveries = [Delivery(*map(float, d)) for d in data.get("deliveries") or []]
