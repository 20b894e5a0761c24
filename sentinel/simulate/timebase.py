"""Fast local time for the simulator: integer epoch seconds in, Stockholm wall time out.

``zoneinfo`` is asked once per local date and once per UTC hour; everything
else is integer arithmetic and cached strings, which is what lets the
generator write hundreds of thousands of events a second. The caches are
cleared when they grow, so memory stays flat however long the span.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib

_MMSS = tuple(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_CACHE_LIMIT = 24 * 12  # hours: a cascade looks at most 4 days ahead, so this is plenty


class LocalTime:
    """Local calendar facts for epoch seconds in one time zone (whole-hour offsets)."""

    def __init__(self, tz: str, country: str = "SE") -> None:
        self.zone = ZoneInfo(tz)
        self._hours: dict[int, tuple[str, str, int, int, date]] = {}
        self._days: dict[date, tuple[int, ...]] = {}
        self._holidays = holidays_lib.country_holidays(country)
        self._accept: dict[tuple[int, tuple[float, ...]], list[float]] = {}
        self._staffing: dict[tuple[tuple[int, tuple[int, int]], ...], Staffing] = {}

    def hour_starts(self, d: date) -> tuple[int, ...]:
        """Epoch seconds of local 00:00 ... 23:00 on ``d``, then of the next local midnight.

        On the spring-forward day 02:00 does not exist and maps to 03:00; on
        the fall-back day the first 02:00 is used.
        """
        hs = self._days.get(d)
        if hs is None:
            if len(self._days) > 32:
                self._days.clear()
            nxt = d + timedelta(days=1)
            hs = tuple(int(datetime(d.year, d.month, d.day, h, tzinfo=self.zone).timestamp()) for h in range(24))
            hs += (int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=self.zone).timestamp()),)
            self._days[d] = hs
        return hs

    def _hour(self, ts: int) -> tuple[str, str, int, int, date]:
        key = ts // 3600
        info = self._hours.get(key)
        if info is None:
            if len(self._hours) > _CACHE_LIMIT:
                self._hours.clear()
            local = datetime.fromtimestamp(key * 3600, UTC).astimezone(self.zone)
            off = local.utcoffset() or timedelta(0)
            minutes = int(off.total_seconds()) // 60
            sign = "+" if minutes >= 0 else "-"
            suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
            info = (local.strftime("%Y-%m-%dT%H:"), suffix, local.weekday(), local.hour, local.date())
            self._hours[key] = info
        return info

    def format(self, ts: int) -> str:
        """RFC 3339 local time with offset: ``2025-10-31T21:40:07+01:00``."""
        info = self._hours.get(ts // 3600) or self._hour(ts)
        return info[0] + _MMSS[ts % 3600] + info[1]

    def acceptance(self, ts: int, by_hour: tuple[float, ...], hours: int = 24 * 4 + 2) -> list[float]:
        """``by_hour`` by local hour for the UTC hours from ``ts``'s on: ``out[t // 3600 - ts // 3600]``."""
        key = (ts // 3600, by_hour)
        found = self._accept.get(key)
        if found is None:
            if len(self._accept) > 128:
                self._accept.clear()
            first = ts // 3600
            found = self._accept[key] = [by_hour[self.hour(h * 3600)] for h in range(first, first + hours)]
        return found

    def hour(self, ts: int) -> int:
        """The local hour of day (0-23)."""
        info = self._hours.get(ts // 3600) or self._hour(ts)
        return info[3]

    def weekday_hour(self, ts: int) -> tuple[int, int, date]:
        info = self._hours.get(ts // 3600) or self._hour(ts)
        return info[2], info[3], info[4]

    def staffing(self, hours: dict[int, tuple[int, int]]) -> Staffing:
        """The (shared) staffed-hours calendar for these weekday hours."""
        key = tuple(sorted(hours.items()))
        found = self._staffing.get(key)
        if found is None:
            found = self._staffing[key] = Staffing(self, hours)
        return found

    def is_holiday(self, d: date) -> bool:
        return d in self._holidays

    def at(self, d: date, hour: int, minute: int = 0, second: int = 0) -> int:
        """Epoch seconds of a local wall time on ``d``."""
        return self.hour_starts(d)[hour] + minute * 60 + second


class Staffing:
    """When a page's team is at work: weekday hour ranges, no public holidays.

    Pages with the same hours share one instance and its cache (``LocalTime.staffing``).
    """

    def __init__(self, clock: LocalTime, hours: dict[int, tuple[int, int]]) -> None:
        self.clock = clock
        self.hours = hours
        self._next: dict[int, int] = {}  # UTC hour -> start of the next staffed hour at or after it

    def is_staffed(self, ts: int) -> bool:
        wd, h, d = self.clock.weekday_hour(ts)
        rng = self.hours.get(wd)
        return rng is not None and rng[0] <= h < rng[1] and not self.clock.is_holiday(d)

    def next_staffed(self, ts: int, limit_hours: int = 24 * 12) -> int:
        """``ts`` if staffed, else the start of the next staffed local hour (or ``ts`` past the limit)."""
        key = ts // 3600
        nxt = self._next.get(key)
        if nxt is None:
            if len(self._next) > _CACHE_LIMIT:
                self._next.clear()
            nxt = -1
            for k in range(key, key + limit_hours):
                if self.is_staffed(k * 3600):
                    nxt = k * 3600
                    break
            self._next[key] = nxt
        if nxt < 0:
            return ts
        return ts if nxt == key * 3600 else nxt
