"""The per-page call budget, on times passed in: the cap, the tripwire's room, pacing, backlogs."""

from __future__ import annotations

import itertools
import random

import pytest

from sentinel.errors import ConfigError
from sentinel.settings import parse_config
from sentinel.sources.graph_budget import HOUR, PageBudget
from sentinel.sources.graph_config import SourcesConfig

REGULAR = 57.0


def busiest_hour(times: list[float]) -> int:
    return max(sum(1 for u in times if t - HOUR < u <= t) for t in times)


def test_content_and_paging_never_take_the_tripwires_room() -> None:
    budget, rnd = PageBudget(cap=100), random.Random(7)
    calls: list[float] = []
    extra: list[float] = []  # content reads on their own calls, and paging
    next_trip = 0.0
    for t in range(3 * int(HOUR)):  # three hours of a page that always wants to read
        if t >= next_trip:
            assert budget.take_tripwire(t, REGULAR) is None  # the cadence is never refused
            next_trip = t + REGULAR
        elif budget.take_content(t, REGULAR, next_trip) is None:
            extra.append(t)
        else:
            continue
        budget.record(t)
        calls.append(t)
        for _ in range(rnd.randrange(4) if rnd.random() < 0.3 else 0):  # paging, as far as the budget gives
            if not budget.room(t, 1, REGULAR, next_trip):
                break
            budget.record(t)
            budget.spend(1)
            calls.append(t)
            extra.append(t)
    assert 90 <= busiest_hour(calls) <= 100  # the cap is used, never passed
    # paced, not spent in the first minutes of each hour
    assert all(any(s <= c < s + 600 for c in extra) for s in range(0, 3 * int(HOUR), 600))


def test_content_is_paced_to_what_the_cap_leaves() -> None:
    budget = PageBudget(cap=120)
    taken = [t for t in range(int(HOUR)) if budget.take_content(t, REGULAR, t + REGULAR) is None]
    assert 120 - 64 - 4 <= len(taken) <= 120 - 64 - 4 + 2  # cap - the tripwire's 64 - the paging reserve
    assert max(b - a for a, b in itertools.pairwise(taken)) <= 70


def test_an_early_tripwire_waits_for_room_the_regular_one_does_not() -> None:
    budget = PageBudget(cap=70)
    assert budget.take_tripwire(0.0, REGULAR) is None
    budget.record(0.0, 8)  # the tripwire and a read with paging: 8 + 62 more in the hour make the cap
    assert not budget.room(1.0, 1, REGULAR, REGULAR)
    assert budget.take_tripwire(30.0, REGULAR) == REGULAR  # a signal's early look: no room for it
    assert budget.take_tripwire(REGULAR, REGULAR) is None
    assert budget.free_at(REGULAR, 70) == HOUR  # when the first calls leave the window


def test_a_backlog_waits_for_room_and_gives_up_only_past_what_the_cap_can_give() -> None:
    budget = PageBudget(cap=80)
    assert budget.most_nested(REGULAR) == 80 - 64 - 1
    budget.cut_short(nested=2, more=5, regular=REGULAR)
    assert budget.backlog == 8 and not budget.giving_up(REGULAR)
    budget.record(0.0, 10)
    assert not budget.fits_content(0.0, REGULAR, REGULAR)  # 10 + 1 + 8 + the cadence > 80
    assert budget.fits_content(HOUR + 1, REGULAR, HOUR + 1)  # an hour on, the window is empty
    budget.cut_short(nested=8, more=1, regular=REGULAR)  # cut short again: the estimate was low
    assert budget.backlog == 15 and budget.giving_up(REGULAR)


def test_config_refuses_a_tripwire_the_cap_cannot_pay_for() -> None:
    text = (
        "pages: []\nsources:\n  poll:\n    security: {min: 20s, max: 30s}\n  budget: {max_calls_per_page_hour: 100}\n"
    )
    with pytest.raises(ConfigError) as err:
        parse_config(text, "s.yaml")
    assert [str(i) for i in err.value.issues] == [
        "s.yaml:2:1: sources: poll.security.max 30s needs 120 calls per page hour, more than"
        " budget.max_calls_per_page_hour (100)"
    ]
    defaults = SourcesConfig()
    assert defaults.poll.security.max.total_seconds() == 57 and defaults.budget.max_calls_per_page_hour == 120
