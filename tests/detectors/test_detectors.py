from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sentinel.conditions.expr import compile_expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.base import QUIET
from sentinel.detectors.registry import DETECTORS
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.testing import at, event, page_actor, person

KNOWN = frozenset(VARIABLES)
PAGE = PageConfig(id="druvan", timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"})


def comp(src: str) -> Any:
    return compile_expr(src, KNOWN)


def run(params: dict[str, Any], events: list[Any], until: str | None = None) -> list[tuple[str, bool]]:
    det = DETECTORS[params["type"]](params, comp)
    state = det.new_state()
    know = PageKnowledge()
    out = []
    for ev in events:
        for s in det.advance(state, ev.time):
            out.append((s.at.isoformat(), s.active))
        e = Enriched(ev, PAGE, know)
        for s in det.observe(state, e, ev.time):
            out.append((s.at.isoformat(), s.active))
        know.learn(e)
    if until:
        for s in det.advance(state, at(until)):
            out.append((s.at.isoformat(), s.active))
    return [(t[11:19], a) for t, a in out]


def deletions(n: int, every: str = "1m") -> list[Any]:
    from sentinel.config.types import parse_duration

    step = parse_duration(every)
    return [event("post.deleted", at(step * i), post_id=str(i)) for i in range(n)]


@pytest.mark.parametrize(
    ("params", "events", "until", "expected"),
    [
        ({"type": "match"}, [event("post.deleted", at("0s"))], None, [("19:00:00", True)]),
        ({"type": "threshold", "window": "10m", "min": 3}, deletions(2), "1h", []),
        (
            {"type": "threshold", "window": "10m", "min": 3},
            deletions(3),
            "1h",
            [("19:02:00", True), ("19:10:00", False)],
        ),
        ({"type": "threshold", "window": "10m", "min": 3}, deletions(3, "6m"), "1h", []),
        (
            {"type": "threshold", "window": "10m", "min": 2, "distinct": "actor.id"},
            [
                event("comment.created", at("0s"), actor=person("A")),
                event("comment.created", at("1m"), actor=person("A")),
            ],
            None,
            [],
        ),
        (
            {"type": "change"},
            [
                event("page.changed", at("0s"), field="name", old="A", new="B"),
                event("page.changed", at("1m"), field="name", old="B", new="B"),
            ],
            None,
            [("19:00:00", True)],
        ),
        (
            {"type": "sequence", "first": 'kind == "role.granted"', "then": 'kind == "page.changed"', "within": "30m"},
            [event("role.granted", at("0s")), event("page.changed", at("10m"))],
            None,
            [("19:10:00", True)],
        ),
        (
            {"type": "sequence", "first": 'kind == "role.granted"', "then": 'kind == "page.changed"', "within": "30m"},
            [event("role.granted", at("0s")), event("page.changed", at("31m"))],
            None,
            [],
        ),
        (
            {
                "type": "absence",
                "start": 'kind == "source.error"',
                "expect": 'kind == "source.recovered"',
                "within": "0s",
            },
            [event("source.error", at("0s")), event("source.recovered", at("1h"))],
            None,
            [("19:00:00", True), ("20:00:00", False)],
        ),
        (
            {
                "type": "absence",
                "start": 'kind == "source.error"',
                "expect": 'kind == "source.recovered"',
                "within": "4h",
            },
            [event("source.error", at("0s")), event("source.recovered", at("1h"))],
            "10h",
            [],
        ),
        (
            {"type": "share", "window": "10m", "where": "question", "ratio": 0.5, "min_count": 2},
            [event("comment.created", at("0s"), message="Varför?"), event("comment.created", at("1m"), message="ok?")],
            "1h",
            [("19:01:00", True), ("19:10:00", False)],
        ),
    ],
)
def test_detector_table(
    params: dict[str, Any], events: list[Any], until: str | None, expected: list[tuple[str, bool]]
) -> None:
    assert run(params, events, until) == expected


def test_new_value_is_silent_while_learning_then_fires_once_per_value() -> None:
    params = {"type": "new_value", "value": "app", "learn_for": "1d"}
    evs = [
        event("post.created", at("0s"), app="A", actor=page_actor()),
        event("post.created", at("2d"), app="A", actor=page_actor()),
        event("post.created", at("3d"), app="B", actor=page_actor()),
        event("post.created", at("4d"), app="B", actor=page_actor()),
    ]
    assert [a for _, a in run(params, evs)] == [True]


def test_sla_counts_staffed_time_only() -> None:
    # Friday 16:30 local with a 1h SLA: 30 min left on Friday, due Monday 08:30 local (06:30 UTC)
    params = {
        "type": "sla",
        "opens": "question && !by_page",
        "open_keys": "[object.comment_id]",
        "closes": "by_page",
        "close_keys": "[object.parent_id]",
        "within": "1h",
    }
    t = datetime(2025, 9, 26, 14, 30, tzinfo=UTC)  # 16:30 local
    q = event("comment.created", t, actor=person(), comment_id="c1", message="Hallå?")
    det = DETECTORS["sla"](params, comp)
    state = det.new_state()
    det.observe(state, Enriched(q, PAGE, PageKnowledge()), q.time)
    assert det.next_due(state) == datetime(2025, 9, 29, 6, 30, tzinfo=UTC)


def test_a_silent_source_says_quiet_only_while_its_deadline_moves_later() -> None:
    # QUIET lets the engine skip asking next_due(); an event out of time order moves the deadline earlier,
    # and then the engine must ask (its armed timer would be late)
    det = DETECTORS["absence"]({"type": "absence", "within": "1h"}, comp)
    state = det.new_state()
    know = PageKnowledge()

    def observe(offset: str) -> Any:
        return det.observe(state, Enriched(event("comment.created", at(offset)), PAGE, know), at(offset))

    assert observe("0s") is not QUIET  # opens the first expectation
    assert observe("10m") is QUIET and det.next_due(state) == at("70m")
    assert observe("5m") is not QUIET and det.next_due(state) == at("65m")


def test_sla_says_quiet_unless_an_item_opened() -> None:
    params = {
        "type": "sla",
        "opens": "question && !by_page",
        "open_keys": "[object.comment_id]",
        "closes": "by_page",
        "close_keys": "[object.parent_id]",
        "within": "1h",
    }
    det = DETECTORS["sla"](params, comp)
    state = det.new_state()
    know = PageKnowledge()

    def observe(offset: str, **kw: Any) -> Any:
        ev = event("comment.created", at(offset), **kw)
        return det.observe(state, Enriched(ev, PAGE, know), ev.time)

    assert observe("0s", actor=person(), comment_id="c1", message="Öppet?") is not QUIET
    assert observe("1m", actor=person(), comment_id="c2", message="Bra!") is QUIET
    assert observe("2m", actor=page_actor(), comment_id="c3", parent_id="c1", message="Ja!") is QUIET  # an answer
    assert det.next_due(state) is None  # answering only ever moves the next deadline later (here: none left)


def test_an_overdue_question_is_forgotten_after_two_local_days_across_the_end_of_summer_time() -> None:
    # Thursday 23 Oct 2025 16:30 local, 1h SLA: overdue Friday 08:30 CEST; forget_after 2d = Sunday 08:30 local,
    # which is 07:30 UTC after the clocks went back that night (not 06:30: 48 hours)
    params = {
        "type": "sla",
        "opens": "question && !by_page",
        "open_keys": "[object.comment_id]",
        "closes": "by_page",
        "close_keys": "[object.parent_id]",
        "within": "1h",
    }
    det = DETECTORS["sla"](params, comp)
    state = det.new_state()
    q = event(
        "comment.created", datetime(2025, 10, 23, 14, 30, tzinfo=UTC), actor=person(), comment_id="c1", message="Öppet?"
    )
    det.observe(state, Enriched(q, PAGE, PageKnowledge()), q.time)
    assert [s.active for s in det.advance(state, datetime(2025, 10, 24, 6, 30, tzinfo=UTC))] == [True]
    assert det.advance(state, datetime(2025, 10, 26, 7, 29, tzinfo=UTC)) == []
    ended = det.advance(state, datetime(2025, 10, 26, 7, 30, tzinfo=UTC))
    assert [(s.active, s.at) for s in ended] == [(False, datetime(2025, 10, 26, 7, 30, tzinfo=UTC))]
