"""Who is on call: rotations, layers, overrides, holidays and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from sentinel.escalation.config import OnCallConfig, ScheduleConfig
from sentinel.escalation.ical import ical
from sentinel.escalation.schedule import gaps, shifts, who

STHLM = ZoneInfo("Europe/Stockholm")


def local(*a: int) -> datetime:
    return datetime(*a, tzinfo=STHLM)  # type: ignore[misc]


def schedule(**kw: object) -> ScheduleConfig:
    base: dict[str, object] = {
        "name": "sec",
        "timezone": "Europe/Stockholm",
        "holidays": "SE",
        "layers": [
            {"users": ["a", "b", "c"], "rotation": "daily", "handoff": "09:00", "start": "2024-03-25"},
            {"users": ["office"], "rotation": "weekly", "restrict": {"mon-fri": "08:00-17:00"}, "holidays": "exclude"},
        ],
    }
    base.update(kw)
    return ScheduleConfig.model_validate(base)


def test_daily_rotation_hands_off_at_local_0900_across_the_spring_dst_change():
    s = schedule()
    # 2024-03-31 is Easter Sunday and the day clocks go forward (02:00 -> 03:00)
    # a starts 2024-03-25 09:00, then b, c, a, b, c (30th), a (31st), b (1 April)
    assert who(s, local(2024, 3, 31, 8, 59)) == ("c",)
    assert who(s, local(2024, 3, 31, 9, 0)) == ("a",)
    assert local(2024, 3, 31, 9, 0).astimezone(UTC).hour == 7  # CEST: the hand-off moved with the wall clock
    assert who(s, local(2024, 3, 30, 9, 0)) == ("c",)
    assert who(s, local(2024, 3, 30, 8, 59)) == ("b",)


@pytest.mark.parametrize("handoff", ["02:30", "02:59", "02:00", "03:00"])
def test_a_hand_off_in_the_hour_the_clocks_repeat_does_not_give_the_shift_back(handoff: str) -> None:
    """A seventh attacker round: with the hand-off at 02:30, the clocks going back at 03:00 CEST put the previous
    person back on call from 02:00 to 02:30 CET, and a night-time hijack paged them (``route test``, replay)."""
    s = schedule(layers=[{"users": ["a", "b"], "rotation": "daily", "handoff": handoff, "start": "2025-01-01"}])
    hand_off = datetime.combine(datetime(2025, 10, 26).date(), datetime.strptime(handoff, "%H:%M").time(), STHLM)
    before, after = who(s, hand_off - timedelta(minutes=1)), who(s, hand_off)
    assert before != after
    for minute in range(0, 24 * 60, 5):  # every five minutes of the day, the repeated hour twice over, in UTC
        t = datetime(2025, 10, 25, 22, 0, tzinfo=UTC) + timedelta(minutes=minute)
        assert who(s, t) == (before if t < hand_off else after), t.isoformat()
    day = shifts(s, datetime(2025, 10, 25, 22, 0, tzinfo=UTC), datetime(2025, 10, 26, 23, 0, tzinfo=UTC))
    assert [(sh.start, sh.people) for sh in day] == [
        (datetime(2025, 10, 25, 22, 0, tzinfo=UTC), before),
        (hand_off.astimezone(UTC), after),
    ]


def test_a_hand_off_in_the_hour_the_clocks_skip_is_where_the_calendar_has_it() -> None:
    """The same round: with the hand-off at 02:30 on the day the clocks go forward, ``oncall`` named the next person
    from 03:00 CEST while its own "until" column and the calendars had the hand-off at 03:30."""
    s = schedule(layers=[{"users": ["a", "b"], "rotation": "daily", "handoff": "02:30", "start": "2025-01-01"}])
    day = shifts(s, datetime(2025, 3, 29, 23, 0, tzinfo=UTC), datetime(2025, 3, 30, 22, 0, tzinfo=UTC))
    assert [sh.start for sh in day][1] == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert who(s, datetime(2025, 3, 30, 1, 29, tzinfo=UTC)) == day[0].people
    assert who(s, datetime(2025, 3, 30, 1, 30, tzinfo=UTC)) == day[1].people != day[0].people


def test_office_layer_wins_on_weekdays_but_not_on_a_holiday():
    s = schedule()
    assert who(s, local(2024, 3, 28, 10, 0)) == ("office",)  # Thursday
    assert who(s, local(2024, 3, 29, 10, 0)) == ("b",)  # Good Friday: holiday, rotation layer
    assert who(s, local(2024, 4, 1, 10, 0)) == ("b",)  # Easter Monday
    assert who(s, local(2024, 4, 2, 10, 0)) == ("office",)


def test_override_on_a_holiday_in_a_dst_week_picks_the_override_person():
    s = schedule(overrides=[{"person": "zed", "start": "2024-03-31T08:00:00", "end": "2024-03-31T20:00:00"}])
    assert who(s, local(2024, 3, 31, 7, 59)) == ("c",)
    assert who(s, local(2024, 3, 31, 9, 30)) == ("zed",)  # 07:30 UTC, after the change
    assert who(s, datetime(2024, 3, 31, 6, 0, tzinfo=UTC)) == ("zed",)  # 08:00 CEST
    assert who(s, datetime(2024, 3, 31, 5, 59, tzinfo=UTC)) == ("c",)
    assert who(s, local(2024, 3, 31, 20, 0)) == ("a",)


def test_override_with_replaces_only_covers_that_person():
    s = schedule(
        overrides=[{"person": "zed", "replaces": "b", "start": "2024-03-30T00:00:00", "end": "2024-04-03T00:00:00"}]
    )
    assert who(s, local(2024, 3, 30, 12, 0)) == ("c",)
    assert who(s, local(2024, 3, 30, 8, 0)) == ("zed",)  # b's Good Friday shift, until 09:00 on Saturday
    assert who(s, local(2024, 4, 1, 12, 0)) == ("zed",)  # b's Easter Monday


def test_weekly_rotation_at_the_autumn_change_keeps_monday_0900():
    s = schedule(
        layers=[
            {"users": ["x", "y"], "rotation": "weekly", "handoff": "09:00", "handoff_day": "mon", "start": "2025-10-20"}
        ]
    )
    assert who(s, local(2025, 10, 27, 8, 59)) == ("x",)  # clocks went back on Sunday 26th
    assert who(s, local(2025, 10, 27, 9, 0)) == ("y",)
    week = shifts(s, local(2025, 10, 20, 9, 0), local(2025, 10, 27, 9, 0))
    assert len(week) == 1 and week[0].end - week[0].start == timedelta(days=7, hours=1)


def test_custom_rotation_of_12_hours_counts_real_time():
    s = schedule(
        layers=[{"users": ["x", "y"], "rotation": "custom", "length": "12h", "handoff": "08:00", "start": "2025-01-01"}]
    )
    assert who(s, local(2025, 1, 1, 19, 59)) == ("x",)
    assert who(s, local(2025, 1, 1, 20, 0)) == ("y",)


def test_gaps_are_found_only_where_the_schedule_must_be_covered():
    s = schedule(layers=[{"users": ["x"], "rotation": "weekly", "restrict": {"mon-fri": "08:00-17:00"}}])
    found = gaps(s, local(2025, 9, 29, 0, 0), local(2025, 9, 30, 0, 0))
    assert found == [
        (local(2025, 9, 29, 0, 0), local(2025, 9, 29, 8, 0)),
        (local(2025, 9, 29, 17, 0), local(2025, 9, 30, 0, 0)),
    ]
    covered = schedule(
        layers=[{"users": ["x"], "rotation": "weekly", "restrict": {"mon-fri": "08:00-17:00"}}],
        must_cover={"mon-fri": "08:00-17:00"},
    )
    assert gaps(covered, local(2025, 9, 29, 0, 0), local(2025, 10, 6, 0, 0)) == []
    assert gaps(schedule(), local(2024, 3, 25), local(2024, 4, 8)) == []


def test_ical_feed_lists_the_persons_shifts():
    s = schedule(layers=[{"users": ["a", "b", "c"], "rotation": "daily", "handoff": "09:00", "start": "2024-03-25"}])
    text = ical([s], "b", local(2024, 3, 25), local(2024, 4, 2, 12), now=datetime(2024, 3, 1, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20240329T080000Z\r\nDTEND:20240330T080000Z" in text  # 09:00 CET
    assert "DTSTART:20240401T070000Z\r\nDTEND:20240402T070000Z" in text  # 09:00 CEST, after the change
    assert text.count("BEGIN:VEVENT") == 3


def test_config_rejects_unknown_people_and_bad_phone_numbers():
    with pytest.raises(ValidationError, match="unknown person 'nobody'"):
        OnCallConfig.model_validate({"people": [{"name": "a"}], "teams": [{"name": "t", "members": ["nobody"]}]})
    with pytest.raises(ValidationError, match=r"E\.164"):
        OnCallConfig.model_validate({"people": [{"name": "a", "phone": "0701234567"}]})
    with pytest.raises(ValidationError, match="unknown policy"):
        OnCallConfig.model_validate({"escalation": {"routes": [{"policy": "p"}]}})
