from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sentinel.staffed import StaffedHours

SE = StaffedHours.parse({"mon-fri": "08:00-17:00", "sat": "10:00-14:00"}, tz="Europe/Stockholm", holidays="SE")


@pytest.mark.parametrize(("when", "staffed"), [
    (datetime(2014, 12, 5, 9, 0, tzinfo=UTC), True),      # Friday 10:00 local
    (datetime(2014, 12, 5, 20, 40, tzinfo=UTC), False),   # Friday 21:40 local
    (datetime(2014, 12, 6, 9, 30, tzinfo=UTC), True),     # Saturday 10:30 local
    (datetime(2014, 12, 7, 11, 0, tzinfo=UTC), False),    # Sunday
    (datetime(2014, 12, 25, 10, 0, tzinfo=UTC), False),   # Christmas Day, a Thursday: holiday
    (datetime(2025, 3, 31, 6, 30, tzinfo=UTC), True),     # Monday after DST start: 08:30 CEST
    (datetime(2025, 3, 28, 6, 30, tzinfo=UTC), False),    # Friday before: 07:30 CET
])
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
