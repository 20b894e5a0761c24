"""``absence`` with ``hourly_window``: a silence judged by the page's usual hours, and its state kept across saves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from sentinel.conditions.expr import compile_expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.common import ParamError
from sentinel.detectors.registry import DETECTORS
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.testing import event

PAGE = PageConfig(id="p", timezone="Europe/Stockholm")
PARAMS = {"type": "absence", "within": "2d", "adaptive_factor": 2.0, "learn_for": "14d", "hourly_window": "1h"}
T0 = datetime(2025, 9, 1, tzinfo=UTC)  # a Monday


def comp(src: str) -> Any:
    return compile_expr(src, frozenset(VARIABLES))


def feed(times: list[datetime], until: datetime) -> tuple[list[datetime], Any, Any]:
    det = DETECTORS["absence"](PARAMS, comp)
    state = det.new_state()
    know = PageKnowledge()
    fired = []
    for t in [*times, until]:
        fired += [s.at for s in det.advance(state, t) if s.active]
        if t is until:
            break
        det.observe(state, Enriched(event("comment.created", t), PAGE, know), t)
    return fired, det, state


def busy_until(stop: datetime) -> list[datetime]:
    """Every 4 minutes from 07 to 23 local, every 20 at night: a busy page."""
    out, t = [], T0
    while t < stop:
        out.append(t)
        t += timedelta(minutes=4 if 5 <= t.hour < 21 else 20)
    return out


def test_a_busy_page_silent_for_an_afternoon_hour_is_due_within_the_hour_and_a_half() -> None:
    stop = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)  # a Thursday, 14:00 local
    times = busy_until(stop)
    fired, _, _ = feed(times, stop + timedelta(hours=6))
    assert len(fired) == 1 and times[-1] < fired[0] <= times[-1] + timedelta(minutes=80)


def test_a_cafes_nights_and_a_busy_pages_usual_nights_are_not_due() -> None:
    cafe = [T0 + timedelta(days=d, hours=h) for d in range(20) for h in range(6, 16)]  # 08-18 local, hourly
    assert feed(cafe, T0 + timedelta(days=20))[0] == []
    assert feed(busy_until(T0 + timedelta(days=20)), T0 + timedelta(days=20))[0] == []


def test_nothing_is_due_by_the_hour_while_learning() -> None:
    stop = datetime(2025, 9, 11, 12, 0, tzinfo=UTC)  # ten days in
    assert feed(busy_until(stop), stop + timedelta(hours=20))[0] == []


def test_the_state_round_trips_and_a_version_1_state_starts_counting_anew() -> None:
    stop = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)
    _, det, state = feed(busy_until(stop), stop)
    again = det.from_json(det.to_json(state))
    assert det.to_json(again) == det.to_json(state)
    assert det.next_due(again) == det.next_due(state)
    old = {k: v for k, v in det.to_json(state).items() if k in ("open", "last_start", "first_start", "max_gap_s")}
    v1 = det.from_json(old)
    assert v1.counted_from is None and v1.slot == -1 and sum(v1.seen) == 0 and v1.max_gap_s == state.max_gap_s


def test_hourly_window_needs_a_plain_silence() -> None:
    with pytest.raises(ParamError):
        DETECTORS["absence"](PARAMS | {"key": "object.post_id"}, comp)


def test_a_page_at_a_tenth_of_its_usual_for_two_days_is_not_due_for_an_afternoon_hour() -> None:
    """Its level (the last day's and week's busy slots against its usual) makes the silence a tenth as surprising."""
    lull = datetime(2025, 9, 16, 12, 0, tzinfo=UTC)
    stop = datetime(2025, 9, 18, 12, 0, tzinfo=UTC)  # a Thursday, 14:00 local, as above
    times = busy_until(lull)
    while times[-1] < stop:
        times.append(times[-1] + timedelta(minutes=40))
    assert feed(times, stop + timedelta(hours=3))[0] == []


def test_a_holiday_is_judged_as_a_weekend_day() -> None:
    """A page busy on weekdays and quiet at weekends, quiet on a holiday too: not due there (``holidays: SE``)."""
    page = PageConfig(id="p", timezone="Europe/Stockholm", holidays="SE")
    det = DETECTORS["absence"](PARAMS, comp)
    state, know, fired = det.new_state(), PageKnowledge(), []
    t, end = datetime(2025, 12, 1, 6, 0, tzinfo=UTC), datetime(2025, 12, 29, 6, 0, tzinfo=UTC)
    while t < end:
        day_off = t.weekday() >= 5 or t.date() in (date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26))
        fired += [s.at for s in det.advance(state, t) if s.active]
        det.observe(state, Enriched(event("comment.created", t), page, know), t)
        step = timedelta(minutes=4) if 6 <= t.hour < 20 and not day_off else timedelta(hours=5)
        t += step
    assert fired == []
