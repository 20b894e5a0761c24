"""``Heated``: the negativity of a page's raised hours, learned once they settle, used from the second episode on."""

from __future__ import annotations

import orjson

from sentinel.detectors.heated import MEMORY, PRIOR, SETTLE, Heated

USUAL = 0.05


def test_a_raised_hour_counts_once_it_has_settled_and_from_the_second_episode_on() -> None:
    h = Heated()
    h.close(100, 40, 20, raised=True)  # a heated match day
    assert h.share(100 + SETTLE - 1, USUAL) == USUAL  # not yet settled: a crisis does not raise its own bar
    assert h.share(100 + SETTLE, USUAL) == USUAL  # settled, but one episode says nothing of the page's normal
    h.close(101, 30, 15, raised=True)  # the next hour of the same match day: the same episode
    h.close(268, 40, 20, raised=True)  # a week later
    assert h.share(268 + SETTLE - 1, USUAL) == USUAL and len(h.episodes) == 1
    share = h.share(268 + SETTLE, USUAL)
    assert len(h.episodes) == 2
    n = 40 + 30 + 40  # each decayed a little by the time the next settled
    assert 0.40 < share < (55 + PRIOR * USUAL) / (n + PRIOR) + 1e-9


def test_ordinary_hours_a_small_pages_few_comments_and_old_episodes_change_nothing() -> None:
    h = Heated()
    for hour in range(0, 400):
        h.close(hour, 3, 0, raised=False)
    assert h.share(400, USUAL) == USUAL
    small = Heated()
    small.close(10, 4, 1, raised=True)
    small.close(200, 4, 1, raised=True)
    assert USUAL < small.share(300, USUAL) < 0.11  # two of eight negative, drawn towards the usual share by PRIOR
    assert small.share(200 + MEMORY, USUAL) == USUAL  # the first episode is forgotten after four weeks


def test_it_survives_json() -> None:
    h = Heated()
    h.close(100, 40, 20, raised=True)
    h.close(300, 40, 20, raised=True)
    h.share(300, USUAL)
    again = Heated.from_json(orjson.loads(orjson.dumps(h.to_json())))
    assert again == h and Heated.from_json(None) == Heated()
