"""Calendars: SE's eves are closed under ``holidays: SE``; a page's own ``closed:`` days and ``special_hours:``;
an item that arrives out of hours starts its clock at opening."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sentinel.config.schema import PageConfig
from sentinel.staffed import StaffedHours

STHLM = ZoneInfo("Europe/Stockholm")
WEEK = {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"}


def local(*a: int) -> datetime:
    return datetime(*a, tzinfo=STHLM)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 12, 24),
        date(2025, 12, 31),
        date(2025, 6, 20),
        date(2026, 6, 19),
        date(2027, 6, 25),
        date(2024, 12, 24),
    ],
)
def test_julafton_nyarsafton_and_midsommarafton_are_closed_under_holidays_se(day: date) -> None:
    sh = StaffedHours.parse(WEEK, tz="Europe/Stockholm", holidays="SE")
    assert sh.is_holiday(day) and sh.intervals_on(day) == ()
    assert StaffedHours.parse(WEEK, tz="Europe/Stockholm").intervals_on(day) != ()  # (no holidays: a working day)


@pytest.mark.parametrize("day", [date(2025, 6, 19), date(2025, 6, 26), date(2025, 12, 23), date(2025, 12, 30)])
def test_the_days_around_the_eves_stay_staffed(day: date) -> None:
    assert StaffedHours.parse(WEEK, tz="Europe/Stockholm", holidays="SE").intervals_on(day) != ()


def test_an_sla_clock_running_into_julafton_skips_it_and_the_christmas_holidays() -> None:
    sh = StaffedHours.parse(WEEK, tz="Europe/Stockholm", holidays="SE")
    # Tuesday 23 Dec 16:00 with 4h to go: 1h on the 23rd, then 24, 25, 26 closed, Sat 27 10:00-13:00
    assert sh.add(local(2025, 12, 23, 16, 0), timedelta(hours=4)) == local(2025, 12, 27, 13, 0)


def test_a_pages_own_closed_days_are_unstaffed() -> None:
    sh = StaffedHours.parse(WEEK, tz="Europe/Stockholm", closed=[date(2025, 8, 1)])
    assert sh.intervals_on(date(2025, 8, 1)) == () and sh.is_closed(date(2025, 8, 1))
    assert sh.add(local(2025, 7, 31, 16, 0), timedelta(hours=2)) == local(2025, 8, 2, 11, 0)  # Sat 10:00 + 1h


def test_special_hours_replace_a_days_hours_and_may_open_a_holiday() -> None:
    sh = StaffedHours.parse(
        WEEK,
        tz="Europe/Stockholm",
        holidays="SE",
        special={date(2025, 12, 23): "08:00-12:00", date(2025, 12, 24): "10:00-12:00", date(2025, 12, 22): "closed"},
    )
    assert [(a.hour, b.hour) for a, b in sh.intervals_on(date(2025, 12, 23))] == [(8, 12)]
    assert [(a.hour, b.hour) for a, b in sh.intervals_on(date(2025, 12, 24))] == [(10, 12)]
    assert sh.intervals_on(date(2025, 12, 22)) == ()
    assert sh.staffed_between(local(2025, 12, 22, 0, 0), local(2025, 12, 25, 0, 0)) == timedelta(hours=6)


def test_closed_days_apply_to_a_page_without_staffed_hours_too() -> None:
    sh = StaffedHours.parse(None, tz="Europe/Stockholm", closed=[date(2025, 8, 1)])
    assert not sh.always and sh.add(local(2025, 7, 31, 23, 0), timedelta(hours=2)) == local(2025, 8, 2, 1, 0)


def test_an_item_arriving_out_of_hours_starts_its_clock_at_opening() -> None:
    sh = StaffedHours.parse(WEEK, tz="Europe/Stockholm", holidays="SE")
    # Sunday 22:00: nothing counts until Monday 08:00; 4h of staffed time is Monday 12:00
    assert sh.add(local(2025, 11, 9, 22, 0), timedelta(hours=4)) == local(2025, 11, 10, 12, 0)
    assert sh.staffed_between(local(2025, 11, 9, 22, 0), local(2025, 11, 10, 9, 30)) == timedelta(hours=1, minutes=30)


def test_the_page_config_accepts_closed_and_special_hours_and_names_a_bad_range() -> None:
    page = PageConfig.model_validate(
        {
            "id": "p",
            "timezone": "Europe/Stockholm",
            "staffed_hours": WEEK,
            "closed": ["2025-08-01"],
            "special_hours": {"2025-12-23": "08:00-13:00"},
        }
    )
    assert page.staffed.intervals_on(date(2025, 8, 1)) == ()
    assert [(a.hour, b.hour) for a, b in page.staffed.intervals_on(date(2025, 12, 23))] == [(8, 13)]
    with pytest.raises(ValueError, match=r"(?s)special_hours.*08:00-07:00"):
        PageConfig.model_validate({"id": "p", "special_hours": {"2025-12-23": "08:00-07:00"}})


SPARSE = {"sat": "10:00-12:00"}  # two hours a week


def test_a_promise_that_cannot_fall_due_within_a_year_is_named_and_one_that_can_is_not() -> None:
    sparse = StaffedHours.parse(SPARSE, tz="Europe/Stockholm", holidays="SE")
    assert sparse.shortfall(timedelta(hours=4)) is None
    assert sparse.shortfall(timedelta(hours=100)) is None  # 50 weeks
    why = sparse.shortfall(timedelta(weeks=1))
    assert why is not None and why.startswith("needs 84 weeks of these staffed hours (2h a week)")
    assert "366 days" in why
    assert StaffedHours.parse(None, tz="Europe/Stockholm").shortfall(timedelta(days=3650)) is None  # clock time
    assert StaffedHours.parse(WEEK, tz="Europe/Stockholm").shortfall(timedelta(weeks=4)) is None


def test_closed_days_that_leave_too_little_staffed_time_within_a_year_are_named() -> None:
    year = [date(2025, 1, 1) + timedelta(days=i) for i in range(400)]
    closed = StaffedHours.parse(WEEK, tz="Europe/Stockholm", holidays="SE", closed=year)
    why = closed.shortfall(timedelta(hours=4))
    # from nyårsafton (a holiday under SE) on: nothing
    assert why is not None and why.startswith("from 2024-12-31 there are only 0h") and "closed days" in why
    # special hours that open a day in the closed stretch are staffed time (4h: enough for 4h, not for 5h)
    opened = StaffedHours.parse(WEEK, tz="Europe/Stockholm", closed=year, special={date(2025, 6, 2): "08:00-12:00"})
    assert opened.shortfall(timedelta(hours=5)) is not None
    # a month closed in summer is fine
    july = [date(2025, 7, 1) + timedelta(days=i) for i in range(31)]
    assert StaffedHours.parse(WEEK, tz="Europe/Stockholm", closed=july).shortfall(timedelta(weeks=1)) is None


@pytest.mark.parametrize("sla", ["1w", "100h"])
def test_every_promise_the_config_takes_gets_a_deadline_from_any_start(sla: str) -> None:
    """What the page config accepts, ``add`` finds: holidays included (the search looks a year beyond the year the
    check allows). What it would not find, the config refuses, naming the field."""
    data = {"id": "p", "timezone": "Europe/Stockholm", "holidays": "SE", "staffed_hours": SPARSE, "response_sla": sla}
    if sla == "1w":
        with pytest.raises(ValueError, match=r"response_sla: 7d needs 84 weeks of these staffed hours"):
            PageConfig.model_validate(data)
        return
    page = PageConfig.model_validate(data)
    for days in range(0, 2 * 365, 5):
        start = local(2025, 1, 1, 11, 0) + timedelta(days=days)
        assert page.staffed.add(start, page.response_sla) is not None, start


def test_no_staffed_time_at_all_is_refused_not_tracked_by_nobody() -> None:
    """Every staffed day closed (a page shut for a year and more): a config error, not questions silently dropped."""
    closed = [str(date(2025, 1, 1) + timedelta(days=i)) for i in range(800)]
    data = {"id": "p", "timezone": "Europe/Stockholm", "staffed_hours": WEEK, "closed": closed}
    with pytest.raises(ValueError, match=r"response_sla: 1d from 2025-01-01 there are only 0h of staffed time"):
        PageConfig.model_validate(data)
