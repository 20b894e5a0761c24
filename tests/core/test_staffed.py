from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sentinel.staffed import StaffedHours

SE = StaffedHours.parse({"mon-fri": "08:00-17:00", "sat": "10:00-14:00"}, tz="Europe/Stockholm", holidays="SE")


@pytest.mark.parametrize(
    ("when", "staffed"),
    [
        (datetime(2014, 12, 5, 9, 0, tzinfo=UTC), True),  # Friday 10:00 local
        (datetime(2014, 12, 5, 20, 40, tzinfo=UTC), False),  # Friday 21:40 local
        (datetime(2014, 12, 6, 9, 30, tzinfo=UTC), True),  # Saturday 10:30 local
        (datetime(2014, 12, 7, 11, 0, tzinfo=UTC), False),  # Sunday
        (datetime(2014, 12, 25, 10, 0, tzinfo=UTC), False),  # Christmas Day, a Thursday: holiday
        (datetime(2025, 3, 31, 6, 30, tzinfo=UTC), True),  # Monday after DST start: 08:30 CEST
        (datetime(2025, 3, 28, 6, 30, tzinfo=UTC), False),  # Friday before: 07:30 CET
    ],
)
def test_is_staffed_in_local_time_with_holidays_and_dst(when: datetime, staffed: bool) -> None:
    assert SE.is_staffed(when) is staffed


def test_deadline_counts_only_staffed_time() -> None:
    friday_evening = datetime(2014, 12, 5, 20, 41, tzinfo=UTC)
    assert SE.add(friday_evening, timedelta(hours=4)) == datetime(2014, 12, 6, 13, 0, tzinfo=UTC)
    assert SE.next_staffed(friday_evening) == datetime(2014, 12, 6, 9, 0, tzinfo=UTC)


def test_staffed_between_and_always_staffed() -> None:
    a, b = datetime(2014, 12, 5, 15, 0, tzinfo=UTC), datetime(2014, 12, 6, 10, 0, tzinfo=UTC)
    assert SE.staffed_between(a, b) == timedelta(hours=2)  # 16:00-17:00 Fri + 10:00-11:00 Sat local
    always = StaffedHours.always_staffed()
    assert always.add(a, timedelta(hours=4)) == a + timedelta(hours=4) and always.is_staffed(b)


def _add_by_definition(hours: StaffedHours, start: datetime, duration: timedelta) -> datetime | None:
    """``add`` by its definition, on the intervals' instants (compared and measured in UTC: two aware datetimes
    of one zone compare and subtract as wall-clock times): the reference for the faster one."""
    remaining = duration
    t = start.astimezone(UTC)
    day = start.astimezone(hours.tz).date()
    for i in range(400):
        for a, b in hours.intervals_on(day + timedelta(days=i)):
            if b.astimezone(UTC) <= t:
                continue
            a_utc, tz = (t, start.tzinfo) if a.astimezone(UTC) < t else (a.astimezone(UTC), a.tzinfo)
            span = b.astimezone(UTC) - a_utc
            if span >= remaining:
                return (a_utc + remaining).astimezone(tz)
            remaining -= span
    return None


@pytest.mark.parametrize(
    "spec",
    [
        {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"},
        {"mon-sun": "00:00-24:00"},  # whole days, across the DST changes
        {"mon-fri": "08:00-12:00, 13:00-17:00"},
        {"sun": "02:00-03:30"},  # the hour that a DST change skips or repeats
    ],
)
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "Pacific/Chatham", "America/St_Johns"])
def test_add_agrees_with_its_definition_on_random_starts(spec: dict[str, str], zone: str) -> None:
    """Starts in any offset (UTC, the page's own, a far one), to the microsecond, on interval ends, around DST
    changes and holidays: the same deadline, with the same offset, as comparing the datetimes themselves. In
    zones of odd offsets too (+12:45/+13:45, -03:30/-02:30), where a start's local day is worked out from the
    zone's offset."""
    rng = random.Random(str(spec) + zone)
    hours = StaffedHours.parse(spec, tz=zone, holidays="SE")
    offsets = [UTC, hours.tz, timezone(timedelta(hours=2)), timezone(timedelta(hours=-9, minutes=-30))]
    ends = [
        a for day in range(80, 100) for ab in hours.intervals_on(date(2025, 1, 1) + timedelta(days=day)) for a in ab
    ]  # late March, around the change to summer time
    for _ in range(1500):
        if rng.random() < 0.3 and ends:
            start = rng.choice(ends) + timedelta(microseconds=rng.choice([-1, 0, 0, 1]))
        else:
            start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(
                seconds=rng.randrange(365 * 86400), microseconds=rng.randrange(1_000_000)
            )
        start = start.astimezone(rng.choice(offsets))
        duration = timedelta(
            minutes=rng.choice([1, 30, 120, 240, 24 * 60, 3 * 24 * 60]), microseconds=rng.choice([0, 0, 1, 999_999])
        )
        want = _add_by_definition(hours, start, duration)
        got = hours.add(start, duration)
        assert got == want and (got is None or want is None or got.utcoffset() == want.utcoffset()), (start, duration)


@pytest.mark.parametrize(
    "zone", ["Europe/Stockholm", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC"]
)
def test_offset_at_is_the_zones_offset_at_that_instant(zone: str) -> None:
    """Also in the hours of a change (Lord Howe moves by 30 minutes, St. John's changes at 02:00 local of a -03:30
    zone, Chatham at 02:45 local), the second before and after it, and to the microsecond."""
    hours = StaffedHours.parse(None, tz=zone)
    rng = random.Random(zone)
    stamps = [rng.uniform(1.6e9, 1.8e9) for _ in range(3000)]
    # the instants of the changes of a few years, found where the offset of two hours differs, and around them
    hourly = range(int(1.7e9 // 3600), int(1.7e9 // 3600) + 3 * 8766)
    for h in hourly:
        a, b = (datetime.fromtimestamp(x * 3600, hours.tz).utcoffset() for x in (h, h + 1))
        if a != b:
            lo, hi = h * 3600, (h + 1) * 3600  # bisect to the second of the change
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if datetime.fromtimestamp(mid, hours.tz).utcoffset() == a else (lo, mid)
            stamps += [hi + d for d in (-3600, -1, -1e-6, 0, 1e-6, 1, 3599)]
    assert len(stamps) > 3000 or zone == "UTC" or zone == "Asia/Kathmandu"
    for ts in stamps:
        assert hours.offset_at(ts) == datetime.fromtimestamp(ts, hours.tz).utcoffset(), ts


def test_overlapping_ranges_of_one_day_count_once() -> None:
    """A longer Friday written beside mon-fri is 08:00-20:00 on Fridays, not 08:00-17:00 plus 12:00-20:00."""
    sh = StaffedHours.parse({"mon-fri": "08:00-17:00", "fri": "12:00-20:00"}, tz="Europe/Stockholm")
    friday = date(2025, 9, 26)
    assert [(a.hour, b.hour) for a, b in sh.intervals_on(friday)] == [(8, 20)]
    asked = datetime(2025, 9, 26, 16, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert sh.add(asked, timedelta(hours=4)) == datetime(2025, 9, 26, 20, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert sh.staffed_between(asked, asked + timedelta(hours=3, minutes=30)) == timedelta(hours=3, minutes=30)


@pytest.mark.parametrize(
    ("ranges", "want"),
    [
        ("08:00-12:00, 10:00-14:00", [(8, 14)]),
        ("08:00-12:00, 12:00-17:00", [(8, 17)]),  # touching: one range
        ("13:00-17:00, 08:00-12:00", [(8, 12), (13, 17)]),  # a lunch break stays a break
        ("08:00-24:00, 20:00-22:00", [(8, 0)]),  # inside one to midnight
    ],
)
def test_a_days_ranges_are_their_union_in_special_hours_too(ranges: str, want: list[tuple[int, int]]) -> None:
    day = date(2025, 9, 24)
    weekly = StaffedHours.parse({"wed": ranges}, tz="Europe/Stockholm")
    special = StaffedHours.parse({"mon": "09:00-10:00"}, tz="Europe/Stockholm", special={day: ranges})
    for sh in (weekly, special):
        assert [(a.hour, b.hour) for a, b in sh.intervals_on(day)] == want
