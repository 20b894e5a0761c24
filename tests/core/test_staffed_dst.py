"""Staffed time across daylight-saving changes is real elapsed time: a range's ends are the page's wall-clock times,
what lies between them is measured in UTC. Overlapping ranges of one day count once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sentinel.staffed import StaffedHours

STHLM = ZoneInfo("Europe/Stockholm")
ALWAYS_WRITTEN_OUT = {"mon-sun": "00:00-24:00"}
SPRING, AUTUMN = date(2025, 3, 30), date(2025, 10, 26)  # the Sundays the clocks go forward and back


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (datetime(2025, 3, 29, 12, 0, tzinfo=STHLM), utc(2025, 3, 30, 11, 0)),  # 11:00Z = 13:00 CEST, not 12:00
        (datetime(2025, 10, 25, 12, 0, tzinfo=STHLM), utc(2025, 10, 26, 10, 0)),  # 10:00Z = 11:00 CET, not 12:00
        (utc(2025, 3, 29, 11, 0), utc(2025, 3, 30, 11, 0)),  # the same, asked in UTC
    ],
)
def test_24_staffed_hours_across_a_dst_change_are_24_real_hours(asked: datetime, due: datetime) -> None:
    sh = StaffedHours.parse(ALWAYS_WRITTEN_OUT, tz="Europe/Stockholm")
    assert sh.add(asked, timedelta(hours=24)) == due
    assert StaffedHours.always_staffed("Europe/Stockholm").add(asked, timedelta(hours=24)) == due
    assert sh.staffed_between(asked, due) == timedelta(hours=24)


def test_staffed_time_around_the_clock_never_exceeds_clock_time() -> None:
    """Saturday noon to Monday noon over the spring change is 47 real hours: staffed 24/7, 47 staffed hours."""
    sh = StaffedHours.parse(ALWAYS_WRITTEN_OUT, tz="Europe/Stockholm")
    a, b = datetime(2025, 3, 29, 12, 0, tzinfo=STHLM), datetime(2025, 3, 31, 12, 0, tzinfo=STHLM)
    assert sh.staffed_between(a, b) == timedelta(hours=47)
    a, b = datetime(2025, 10, 25, 12, 0, tzinfo=STHLM), datetime(2025, 10, 27, 12, 0, tzinfo=STHLM)
    assert sh.staffed_between(a, b) == timedelta(hours=49)


@pytest.mark.parametrize(("day", "hours"), [(SPRING, 2), (AUTUMN, 4), (date(2025, 11, 2), 3)])
def test_a_night_range_holds_the_real_hours_of_that_night(day: date, hours: int) -> None:
    sh = StaffedHours.parse({"sun": "01:00-04:00"}, tz="Europe/Stockholm")
    midnight = datetime(day.year, day.month, day.day, tzinfo=STHLM)
    assert sh.staffed_between(midnight, midnight + timedelta(days=1)) == timedelta(hours=hours)
    assert sh.add(midnight, timedelta(hours=hours)) == sh.intervals_on(day)[0][1]


def test_an_end_the_clocks_skip_is_the_moment_they_jump() -> None:
    """02:30 does not exist on the spring night (02:00 CET -> 03:00 CEST): a team due at 02:30 starts at 03:00;
    a range wholly inside the skipped hour holds nothing that night."""
    starts = StaffedHours.parse({"sun": "02:30-05:00"}, tz="Europe/Stockholm").intervals_on(SPRING)
    assert [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in starts] == [(utc(2025, 3, 30, 1), utc(2025, 3, 30, 3))]
    assert StaffedHours.parse({"sun": "02:00-02:45"}, tz="Europe/Stockholm").intervals_on(SPRING) == ()
    ends = StaffedHours.parse({"sun": "00:00-02:30"}, tz="Europe/Stockholm")
    assert ends.staffed_between(utc(2025, 3, 29, 12), utc(2025, 3, 31, 12)) == timedelta(hours=2)  # 00:00-03:00


def test_an_end_the_clocks_show_twice_is_its_first_showing() -> None:
    """02:30 comes twice on the autumn night (03:00 CEST -> 02:00 CET): a range 00:00-02:30 ends at the first."""
    sh = StaffedHours.parse({"sun": "00:00-02:30"}, tz="Europe/Stockholm")
    assert sh.staffed_between(utc(2025, 10, 25, 12), utc(2025, 10, 27, 12)) == timedelta(hours=2, minutes=30)
    first_0215, second_0215 = utc(2025, 10, 26, 0, 15), utc(2025, 10, 26, 1, 15)  # 02:15 CEST, then 02:15 CET
    assert sh.is_staffed(first_0215) and sh.is_staffed(first_0215.astimezone(STHLM))
    assert not sh.is_staffed(second_0215) and not sh.is_staffed(second_0215.astimezone(STHLM))
    assert sh.next_staffed(second_0215.astimezone(STHLM)) == datetime(2025, 11, 2, 0, 0, tzinfo=STHLM)


def test_a_range_of_the_repeated_hour_holds_both_showings() -> None:
    sh = StaffedHours.parse({"sun": "02:00-03:00"}, tz="Europe/Stockholm")
    ((a, b),) = sh.intervals_on(AUTUMN)
    assert (a.astimezone(UTC), b.astimezone(UTC)) == (utc(2025, 10, 26, 0), utc(2025, 10, 26, 2))
