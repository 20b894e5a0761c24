"""One page's Graph call budget: a hard cap per sliding hour, with room kept for the tripwire.

The tripwire (one field-expanded call for settings and roles, which have no
webhook) runs on a regular cadence. Every other call (a content read on its
own call, nested paging, a deletion check, an early tripwire after a
security signal) may only take room that the cadence will not need in the
coming hour, and content reads are paced by a token bucket whose rate is
what the cap leaves over, so they spread evenly instead of spending the
hour's budget in its first minutes. When the budget cuts a content read's
paging short, the read keeps what it got and its edges keep their cursors;
it pages again once the whole backlog fits, which needs at most an hour
(the sliding window empties) unless the backlog is more than the cap can
ever give, in which case the next such read moves the cursors anyway.

Pure bookkeeping over times passed in: no clock, no I/O.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field

HOUR = 3600.0
PAGING_RESERVE = 4  # calls per page hour the content pace leaves over: a margin for paging in tripwire visits
BURST = 2.0  # content reads that may follow each other without waiting for the bucket


class OverBudget(Exception):
    """A nested call would break the page's cap or take the tripwire's room (the reader stops paging)."""


@dataclass(slots=True)
class PageBudget:
    cap: int  # calls in any sliding hour (budget.max_calls_per_page_hour)
    calls: list[float] = field(default_factory=list)  # times of the calls in the last hour, oldest first
    last_trip: float | None = None
    tokens: float = BURST
    refilled: float | None = None
    backlog: int = 0  # nested calls a content read that the budget cut short is expected to need

    # -- the window --------------------------------------------------------

    def _trim(self, t: float) -> None:
        del self.calls[: bisect_right(self.calls, t - HOUR)]

    def used(self, t: float) -> int:
        """Calls in the hour up to ``t``."""
        self._trim(t)
        return len(self.calls)

    def record(self, t: float, n: int = 1) -> None:
        self.calls.extend([t] * n)

    def free_at(self, t: float, n: int = 1) -> float:
        """The earliest time from ``t`` on at which ``n`` calls fit under the cap."""
        over = self.used(t) + n - self.cap
        return t if over <= 0 else self.calls[over - 1] + HOUR

    def room(self, t: float, n: int, trip_every: float, next_trip: float) -> bool:
        """``n`` calls at ``t`` keep every sliding hour under the cap, counting a tripwire call at
        ``next_trip`` and every ``trip_every`` seconds after it for the coming hour."""
        self._trim(t)
        if len(self.calls) + n > self.cap:
            return False
        if len(self.calls) + n + math.ceil(HOUR / trip_every) + 1 <= self.cap:
            return True  # room even if nothing left the window
        u, k = max(t, next_trip), 1
        while u < t + HOUR:
            inside = len(self.calls) - bisect_right(self.calls, u - HOUR)
            if inside + n + k > self.cap:
                return False
            u, k = u + trip_every, k + 1
        return True

    # -- the tripwire ------------------------------------------------------

    def take_tripwire(self, t: float, regular: float) -> float | None:
        """May the tripwire call at ``t``? ``None`` if so, else when to try again. A call on the
        ``regular`` cadence only has to fit under the cap (everything else left room for it); an
        early one (after a security signal) must also leave room for the cadence."""
        last = self.last_trip
        if last is not None and t < last + regular - 1.0 and not self.room(t, 1, regular, t + regular):
            return last + regular
        if self.used(t) >= self.cap:
            return self.free_at(t)
        self.last_trip = t
        return None

    # -- content -----------------------------------------------------------

    def content_rate(self, trip_every: float) -> float:
        """Content calls per second the cap leaves after the tripwire and the paging margin."""
        spare = self.cap - math.ceil(HOUR / trip_every) - PAGING_RESERVE
        return max(0.0, spare / HOUR)

    def take_content(self, t: float, trip_every: float, next_trip: float) -> float | None:
        """Take a token for a content read on its own call at ``t``: ``None`` if it may go, else
        when to try again (``next_trip`` when it should ride along with the tripwire instead)."""
        rate = self.content_rate(trip_every)
        if self.refilled is not None:
            self.tokens = min(BURST, self.tokens + (t - self.refilled) * rate)
        self.refilled = t
        fits = self.fits_content(t, trip_every, next_trip) and self.room(t, 1, trip_every, next_trip)
        if rate <= 0.0 or not fits:
            return next_trip
        if self.tokens < 1.0:
            return t + (1.0 - self.tokens) / rate
        self.tokens -= 1.0
        return None

    def spend(self, n: int) -> None:
        """``n`` nested calls (paging, deletion checks) were made: later content calls wait for them too."""
        self.tokens -= n

    # -- a read cut short ----------------------------------------------------

    def fits_content(self, t: float, regular: float, next_trip: float) -> bool:
        """May a content read page at ``t``? After a read was cut short, its edges keep their
        cursors and it pages again only when all of its backlog fits."""
        return self.backlog == 0 or self.room(t, 1 + self.backlog, regular, next_trip)

    def most_nested(self, regular: float) -> int:
        """The most nested calls one read can ever get: what the cap leaves beside the tripwire."""
        return max(0, self.cap - math.ceil(HOUR / regular) - 1)

    def cut_short(self, nested: int, more: int, regular: float) -> None:
        """A read's paging was refused after ``nested`` calls with about ``more`` pages left: expect it
        to need that much (twice as much as last time, if it was cut short before)."""
        self.backlog = min(self.most_nested(regular), max(2 * self.backlog, nested + more + 1))

    def giving_up(self, regular: float) -> bool:
        """Would waiting not help (the backlog is all the cap can ever give)? Then a read that is cut
        short moves its cursors anyway: the newest items are kept, older unread ones are lost."""
        return self.backlog >= self.most_nested(regular)
