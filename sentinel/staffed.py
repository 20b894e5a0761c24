"""Staffed hours: when a page's team answers, in the page's own time zone.

``StaffedHours.parse({"mon-fri": "08:00-17:00", "sat": "10:00-14:00"},
tz="Europe/Stockholm", holidays="SE", closed=[date(2025, 8, 1)],
special={date(2025, 12, 23): "08:00-13:00"})``. Public holidays of the given
country are unstaffed, and so are the days its people treat as holidays
(``DE_FACTO``: for SE julafton, midsommarafton and nyårsafton); ``closed``
days are unstaffed too; ``special`` hours replace a date's usual hours (on a
holiday as well: the page says it is open). Ranges that overlap or touch on
one day are one range (their union): a longer Friday written beside
``mon-fri`` counts its hours once.

A range's ends are wall-clock times of the page's zone; the time between them
is real elapsed time. ``add`` and ``staffed_between`` do their arithmetic in
UTC, so a range 01:00-04:00 on the night the clocks go forward holds two real
hours and on the night they go back four, and 24 staffed hours are 24 real
hours across a change. An end the clocks skip (02:30 when they jump from 02:00
to 03:00) is the moment of the jump; an end they show twice (02:30 when they
fall back from 03:00 to 02:00) is its first showing.

An empty spec means "always staffed": staffed time equals clock time (with
``closed`` or ``special`` days, every other day is staffed all day).
An item that arrives out of hours waits until opening: ``add`` and
``staffed_between`` count staffed time only. A promise that would take more
than ``LOOK_AHEAD_DAYS`` of the calendar to fall due (a week of staffed time
on a page staffed two hours a week, or closed days that cover a year) is
refused when the config is loaded (``shortfall``), not dropped later.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# A deadline must fall due within a year of the page's calendar (``shortfall``, checked when the config is
# loaded); the search for it looks a year further, the slack for public holidays, and gives up after that.
LOOK_AHEAD_DAYS = 366
_MAX_DAYS_AHEAD = 2 * LOOK_AHEAD_DAYS
_DAYS_CACHED = 512  # days whose intervals one calendar keeps (cleared when full)
_HOURS_CACHED = 24 * 31  # hours whose UTC offset one zone keeps (cleared when full)
_Pairs = tuple[tuple[datetime, datetime], ...]  # a day's staffed intervals
_Spans = tuple[tuple[datetime, datetime, float, float], ...]  # ... in UTC, with their ends in epoch seconds too
_Range = tuple[time, time | None]  # a wall-clock range of one day; None as its end is midnight (24:00)


class StaffedHoursError(ValueError):
    """A staffed-hours spec is malformed; the message says which part."""


def parse_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise StaffedHoursError(f"unknown time zone {name!r} (use an IANA name such as Europe/Stockholm)") from e


def _parse_days(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip().lower()
        if "-" in part:
            a, b = (p.strip() for p in part.split("-", 1))
            if a not in DAYS or b not in DAYS:
                raise StaffedHoursError(f"bad day range {part!r} (days are {', '.join(DAYS)})")
            i, j = DAYS.index(a), DAYS.index(b)
            if j < i:
                raise StaffedHoursError(f"day range {part!r} runs backwards")
            out.extend(range(i, j + 1))
        elif part in DAYS:
            out.append(DAYS.index(part))
        else:
            raise StaffedHoursError(f"bad day {part!r} (days are {', '.join(DAYS)})")
    return out


def _parse_ranges(spec: str) -> list[tuple[time, time | None]]:
    """'08:00-17:00' or '08:00-12:00, 13:00-17:00'; '24:00' as an end means midnight."""
    out: list[tuple[time, time | None]] = []
    for part in str(spec).split(","):
        m = _RANGE.match(part)
        if not m:
            raise StaffedHoursError(f'bad time range {part.strip()!r} (write it like "08:00-17:00")')
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
            raise StaffedHoursError(f"bad time in range {part.strip()!r}")
        start = time(h1, m1)
        end = None if h2 == 24 else time(h2, m2)
        if end == start:
            raise StaffedHoursError(f'time range {part.strip()!r} is empty (a whole day is "00:00-24:00")')
        if end is not None and end < start:
            raise StaffedHoursError(
                f"time range {part.strip()!r} ends before it starts (a shift past midnight is two ranges: "
                f'"{h1:02d}:{m1:02d}-24:00" on its day and "00:00-{h2:02d}:{m2:02d}" on the next)'
            )
        out.append((start, end))
    return out


def _union(ranges: Iterable[_Range]) -> tuple[_Range, ...]:
    """One day's ranges as their union, in order: ranges that overlap or touch become one, so no staffed minute
    is counted twice ("mon-fri: 08:00-17:00" beside "fri: 12:00-20:00" is 08:00-20:00 on Fridays)."""
    out: list[_Range] = []
    for start, end in sorted(ranges, key=lambda r: r[0]):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            last_start, last_end = out[-1]
            out[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
        else:
            out.append((start, end))
    return tuple(out)


@dataclass(frozen=True)
class StaffedHours:
    tz: ZoneInfo
    weekly: tuple[tuple[_Range, ...], ...]  # index 0 = Monday; each day's ranges are their union (``_union``)
    country: str | None = None
    always: bool = False
    closed: frozenset[date] = frozenset()  # the page's own closed days
    special: tuple[tuple[date, tuple[_Range, ...]], ...] = ()  # date -> that day's hours
    # intervals of recent days (SLA deadlines and 'staffed' ask for the same few days again and again), as pairs
    # of aware datetimes (``intervals_on``) and with each end in epoch seconds too (``add``), by local day number
    # (days since 1970-01-01: ``add`` walks days by number, without making a ``date`` for each)
    _days: dict[int, tuple[_Pairs, _Spans]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )
    # hour (since the epoch) -> the zone's UTC offset throughout it, for ``offset_at``: one dict per zone, shared by
    # the pages in it (``__post_init__``)
    _offsets: dict[int, timedelta] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_offsets", _ZONE_OFFSETS.setdefault(self.tz, {}))

    @classmethod
    def parse(
        cls,
        spec: Mapping[str, str] | None,
        *,
        tz: str = "UTC",
        holidays: str | None = None,
        closed: Iterable[date] = (),
        special: Mapping[date, str] | None = None,
    ) -> StaffedHours:
        """``special``: a date's hours (``"10:00-14:00"``, or ``"closed"``) instead of its weekday's."""
        zone = parse_timezone(tz)
        if holidays is not None and not _known_country(holidays):
            raise StaffedHoursError(f"unknown holiday country {holidays!r} (use an ISO code such as SE)")
        days_off = frozenset(closed)
        hours = tuple(
            sorted(
                (
                    d,
                    () if str(r).strip().lower() == "closed" else _union(_parse_ranges(str(r))),
                )
                for d, r in (special or {}).items()
            )
        )
        if not spec:
            if not days_off and not hours:
                return cls(tz=zone, weekly=((),) * 7, country=holidays, always=True)
            return cls(tz=zone, weekly=(((time(0), None),),) * 7, country=holidays, closed=days_off, special=hours)
        weekly: list[list[tuple[time, time | None]]] = [[] for _ in range(7)]
        for days, ranges in spec.items():
            parsed = _parse_ranges(ranges)
            for d in _parse_days(str(days)):
                weekly[d].extend(parsed)
        return cls(
            tz=zone,
            weekly=tuple(_union(d) for d in weekly),
            country=holidays,
            closed=days_off,
            special=hours,
        )

    @classmethod
    def always_staffed(cls, tz: str = "UTC") -> StaffedHours:
        return cls.parse(None, tz=tz)

    # -- queries -----------------------------------------------------------

    def is_holiday(self, day: date) -> bool:
        """A public holiday of the country, or a day its people treat as one (``DE_FACTO``)."""
        return self.country is not None and _is_holiday(self.country, day)

    def is_day_off(self, day: date) -> bool:
        """A public holiday (``is_holiday``) or one of the page's own closed days: its customers keep a Sunday."""
        return day in self.closed or self.is_holiday(day)

    def is_closed(self, day: date) -> bool:
        """No staffed hours that day: a holiday or a closed day, unless special hours open it."""
        return not self.intervals_on(day)

    def intervals_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The staffed intervals of one local date, as aware datetimes."""
        return self._day(day.toordinal() - _EPOCH_ORDINAL)[0]

    def _day(self, n: int) -> tuple[_Pairs, _Spans]:
        """``intervals_on`` of local day number ``n``, and the same intervals with their ends in epoch seconds
        too."""
        got = self._days.get(n)
        if got is None:
            if len(self._days) >= _DAYS_CACHED:
                self._days.clear()
            pairs = self._intervals_on(date.fromordinal(n + _EPOCH_ORDINAL))
            spans = tuple((a.astimezone(UTC), b.astimezone(UTC)) for a, b in pairs)
            got = self._days[n] = (pairs, tuple((a, b, a.timestamp(), b.timestamp()) for a, b in spans))
        return got

    def _ranges_on(self, day: date) -> tuple[_Range, ...]:
        """The wall-clock ranges of one local date (``always``: all day)."""
        if self.always:
            return ((time(0), None),)
        ranges = next((r for d, r in self.special if d == day), None)
        if ranges is None:
            if day in self.closed or self.is_holiday(day):
                return ()
            ranges = self.weekly[day.weekday()]
        return ranges

    def _intervals_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        out = []
        for t_start, t_end in self._ranges_on(day):
            a = self._instant(day, t_start)
            b = self._instant(day + timedelta(days=1), time(0)) if t_end is None else self._instant(day, t_end)
            if b.timestamp() > a.timestamp():  # (a range inside the hour the clocks skip holds no time that night)
                out.append((a, b))
        return tuple(out)

    def _instant(self, day: date, at: time) -> datetime:
        """The first moment the page's clocks show ``at`` on ``day``, or a later time: a time they show twice
        (when they fall back) is its first showing (``fold=0``); a time they skip (when they jump forward) is the
        moment of the jump, as a team due at 02:30 starts when the clocks jump from 02:00 to 03:00."""
        t = datetime.combine(day, at, self.tz)
        if t.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None) == t.replace(tzinfo=None):
            return t
        # skipped: read with the offset after the jump it is before it, with the offset before it after it
        lo, hi = int(t.replace(fold=1).timestamp()), int(t.timestamp())
        if lo > hi:
            lo, hi = hi, lo
        before = datetime.fromtimestamp(lo, self.tz).utcoffset()
        while hi - lo > 1:  # the jump is on a whole second (tzdata's resolution)
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if datetime.fromtimestamp(mid, self.tz).utcoffset() == before else (lo, mid)
        return datetime.fromtimestamp(hi, self.tz)

    def offset_at(self, ts: float) -> timedelta:
        """The zone's UTC offset at ``ts`` (epoch seconds): ``datetime.fromtimestamp(ts, tz).utcoffset()``,
        remembered for each hour that the zone keeps one offset throughout (every hour but those of a change)."""
        hour = int(ts // 3600)
        off = self._offsets.get(hour)
        if off is None:
            start = hour * 3600
            off = datetime.fromtimestamp(start, self.tz).utcoffset()
            if off is None or off != datetime.fromtimestamp(start + 3599.999999, self.tz).utcoffset():
                return datetime.fromtimestamp(ts, self.tz).utcoffset() or timedelta(0)
            if len(self._offsets) >= _HOURS_CACHED:
                self._offsets.clear()
            self._offsets[hour] = off
        return off

    def is_staffed(self, at: datetime) -> bool:
        if self.always:
            return True
        t = at.astimezone(UTC)  # (in UTC: two aware datetimes of one zone compare as wall-clock times)
        return any(a <= t < b for a, b, _, _ in self._day(_day_number(at, self.tz))[1])

    def next_staffed(self, at: datetime) -> datetime | None:
        """``at`` when staffed, else the start of the next staffed interval (None if none within
        ``_MAX_DAYS_AHEAD`` days)."""
        if self.always:
            return at
        t = at.astimezone(UTC)
        day = _day_number(at, self.tz)
        for n in range(day, day + _MAX_DAYS_AHEAD):
            pairs, spans = self._day(n)
            for (a, _), (a_utc, b_utc, _, _) in zip(pairs, spans, strict=True):
                if b_utc > t:
                    return a if a_utc > t else at
        return None

    def add(self, start: datetime, duration: timedelta) -> datetime | None:
        """The moment when ``duration`` of staffed time has passed since ``start``, in real elapsed time (24
        staffed hours across a daylight-saving change are 24 hours, not a wall-clock day)."""
        if self.always:
            return (start.astimezone(UTC) + duration).astimezone(start.tzinfo)
        remaining = duration
        # which intervals lie before ``start`` is decided in epoch seconds: ``start`` is in the offset its source
        # wrote and the intervals in the page's zone, and two aware datetimes of different tzinfo cost ~0.8 µs
        # to compare (this runs for every customer question). The local day of ``start`` comes from the zone's
        # offset in that hour (``offset_at``), not from converting ``start``.
        start_ts = start.timestamp()
        day = int((start_ts + self.offset_at(start_ts).total_seconds()) // 86400)
        days = self._days
        for n in range(day, day + _MAX_DAYS_AHEAD):
            got = days.get(n) or self._day(n)
            for a, b, a_ts, b_ts in got[1]:  # in UTC: differences and sums are real time
                if b_ts <= start_ts:
                    continue
                if a_ts < start_ts:  # max(a, start): the deadline in the start's own offset
                    if b - start >= remaining:
                        return (start.astimezone(UTC) + remaining).astimezone(start.tzinfo)
                    remaining -= b - start
                    continue
                if b - a >= remaining:  # ... else in the page's zone
                    return (a + remaining).astimezone(self.tz)
                remaining -= b - a
        return None

    def staffed_between(self, a: datetime, b: datetime) -> timedelta:
        """How much staffed time lies in [a, b)."""
        a, b = a.astimezone(UTC), b.astimezone(UTC)  # real time: aware datetimes of one zone subtract wall-clock
        if b <= a:
            return timedelta(0)
        if self.always:
            return b - a
        total = timedelta(0)
        for n in range(_day_number(a, self.tz), _day_number(b, self.tz) + 1):
            for x, y, _, _ in self._day(n)[1]:
                lo, hi = max(x, a), min(y, b)
                if hi > lo:
                    total += hi - lo
        return total

    def shortfall(self, duration: timedelta) -> str | None:
        """Why ``duration`` of staffed time may not fall due within ``LOOK_AHEAD_DAYS`` of some start, in words
        for a config error (None when it always does). Measured on the wall clock by whole days, which is
        precise enough for a year. From every start: by the weekly hours (the worst start is just after a day's
        last range), and around the page's own closed and special days, public holidays included."""
        if self.always or duration <= timedelta(0):
            return None
        week = [_seconds(r) for r in self.weekly]
        need = max(_days_needed(week, duration.total_seconds(), first) for first in range(7))
        if need > LOOK_AHEAD_DAYS:
            weeks = -(-duration.total_seconds() // sum(week))
            return (
                f"needs {weeks:.0f} weeks of these staffed hours ({_hours(sum(week))} a week) to fall due; a "
                f"deadline is looked for at most {LOOK_AHEAD_DAYS} days ahead: promise less, or add staffed hours"
            )
        dates = self.closed | {d for d, _ in self.special}
        if not dates:
            return None
        first, last = min(dates) - timedelta(days=LOOK_AHEAD_DAYS), max(dates)
        special = {d: _seconds(r) for d, r in self.special}
        sums = [0.0]  # staffed seconds of the days from ``first`` on, summed (``_ranges_on``, by the day's kind)
        day = first
        for _ in range((last - first).days + LOOK_AHEAD_DAYS + 1):
            got = special.get(day)
            if got is None:
                got = 0.0 if day in self.closed or self.is_holiday(day) else week[day.weekday()]
            sums.append(sums[-1] + got)
            day += timedelta(days=1)
        # a start just after day i's last range: days i+1 .. i+LOOK_AHEAD-1 are what the search sees; the worst
        have, i = min((sums[i + LOOK_AHEAD_DAYS] - sums[i + 1], i) for i in range((last - first).days + 1))
        if have < duration.total_seconds():
            return (
                f"from {first + timedelta(days=i + 1)} there are only {_hours(have)} of staffed time in the "
                f"{LOOK_AHEAD_DAYS - 1} days that follow (closed days, special hours and holidays), too few to fall "
                f"due: a deadline is looked for at most {LOOK_AHEAD_DAYS} days ahead"
            )
        return None


def _seconds(ranges: Iterable[_Range]) -> float:
    """The wall-clock length of one day's ranges, in seconds."""
    return float(
        sum(
            (86400 if b is None else b.hour * 3600 + b.minute * 60) - (a.hour * 3600 + a.minute * 60) for a, b in ranges
        )
    )


def _days_needed(week: list[float], seconds: float, first: int) -> int:
    """Calendar days a search walks for ``seconds`` of the weekly hours (``week``: seconds by weekday) when the
    start is just after the last range of the day before weekday ``first``: that day, and each day to the due one."""
    per_week = sum(week)
    weeks = max(0, int(seconds // per_week) - 1)  # (whole weeks at once: 3650d on two hours a week is 43800)
    left, days = seconds - weeks * per_week, 7 * weeks
    while left > 0:
        left -= week[(first + days) % 7]
        days += 1
    return days + 1


def _hours(seconds: float) -> str:
    h, m = divmod(round(seconds / 60), 60)
    return f"{h}h{m:02d}m" if m else f"{h}h"


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # local day number 0 (``StaffedHours._days``)


def _day_number(at: datetime, tz: ZoneInfo) -> int:
    """The local day number (``StaffedHours._days``) of ``at`` in ``tz``."""
    return at.astimezone(tz).toordinal() - _EPOCH_ORDINAL


_ZONE_OFFSETS: dict[ZoneInfo, dict[int, timedelta]] = {}  # see ``StaffedHours._offsets`` (a zone is one object per key)


@functools.lru_cache(maxsize=256)
def _known_country(code: str) -> bool:
    """Whether the ``holidays`` package knows ``code``: building its calendar is the test (~0.4 ms, with the
    translations it loads), so each code is tried once (a config of 200 pages names one or two)."""
    try:
        holidays_lib.country_holidays(code)
    except NotImplementedError:
        return False
    return True


def _midsummer_eve(day: date) -> bool:
    return day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4


# Days a country's people treat as holidays though the law does not: shops and customer service are closed.
DE_FACTO: Mapping[str, Callable[[date], bool]] = {
    # julafton, nyårsafton, midsommarafton
    "SE": lambda d: (d.month, d.day) in ((12, 24), (12, 31)) or _midsummer_eve(d),
}


@functools.lru_cache(maxsize=4096)
def _is_holiday(country: str, day: date) -> bool:
    eve = DE_FACTO.get(country.upper())
    return day in _calendar(country, day.year) or (eve is not None and eve(day))


@functools.lru_cache(maxsize=64)
def _calendar(country: str, year: int) -> holidays_lib.HolidayBase:
    return holidays_lib.country_holidays(country, years=year)
