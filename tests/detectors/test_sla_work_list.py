"""The SLA detector's work list: which items are overdue, who wrote them, for how long in staffed time; sent again
as items are answered; a like that may or may not count as an answer; a warning before the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sentinel.conditions.expr import compile_expr
from sentinel.config.schema import PageConfig
from sentinel.detectors.registry import DETECTORS
from sentinel.detectors.sla import format_span
from sentinel.enrich import VARIABLES, Enriched, PageKnowledge
from sentinel.testing import event, page_actor, person

PAGE = PageConfig(
    id="druvan", timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"}, response_sla=timedelta(hours=1)
)
WED_10 = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)  # Wednesday 10:00 local
PARAMS: dict[str, Any] = {
    "type": "sla",
    "opens": "!by_page && question",
    "open_keys": "[object.comment_id, object.thread_id]",
    "closes": 'by_page && kind != "reaction.created"',
    "close_keys": "[object.parent_id, object.thread_id]",
    "seen": 'by_page && kind == "reaction.created"',
    "seen_keys": "[object.target_id]",
}


def comp(src: str) -> Any:
    return compile_expr(src, frozenset(VARIABLES))


def drive(params: dict[str, Any], events: list[Any], until: datetime) -> list[Any]:
    det = DETECTORS["sla"](params, comp)
    state = det.new_state()
    out: list[Any] = []
    for ev in events:
        out += det.advance(state, ev.time)
        out += det.observe(state, Enriched(ev, PAGE, PageKnowledge()), ev.time)
    out += det.advance(state, until)
    return out


def q(minutes: int, cid: str, who: str) -> Any:
    return event(
        "comment.created",
        WED_10 + timedelta(minutes=minutes),
        id=f"fb:comment:{cid}",
        actor=person(who),
        comment_id=cid,
        post_id="1_2",
        parent_id=None,
        message="Har ni öppet?",
    )


def test_the_alert_names_each_overdue_item_with_who_link_and_staffed_wait() -> None:
    sigs = drive(PARAMS, [q(0, "1_2_3", "Anna Berg"), q(10, "1_2_4", "Bo Ek")], WED_10 + timedelta(hours=2))
    first = sigs[0]
    assert first.active and first.at == WED_10 + timedelta(hours=1)
    assert [(i["who"], i["link"], i["waited"]) for i in first.values["items"]] == [
        ("Anna Berg", "https://www.facebook.com/1_2?comment_id=1_2_3", "1h")
    ]
    last = sigs[-1]  # the second fell due ten minutes later: the list is sent again, oldest first
    assert [i["who"] for i in last.values["items"]] == ["Anna Berg", "Bo Ek"]
    assert last.values["overdue"] == 2 and "Bo Ek (comment, 1h)" in last.values["list"]


def test_the_wait_is_counted_in_staffed_time_across_the_night() -> None:
    # a question at 16:30 local, due Thursday 08:30; at Thursday 09:00 it has waited 1h of staffed time
    late = event(
        "comment.created",
        WED_10 + timedelta(hours=6, minutes=30),
        actor=person("Anna Berg"),
        comment_id="c1",
        post_id="p1",
        message="Hur gör jag?",
    )
    answer = event(
        "comment.created",
        WED_10 + timedelta(hours=23),
        actor=page_actor(),
        comment_id="r1",
        post_id="p1",
        parent_id="c9",
        message="Hej",
    )
    sigs = drive(PARAMS, [late, answer], WED_10 + timedelta(hours=23))
    assert sigs[0].at == datetime(2025, 11, 6, 7, 30, tzinfo=UTC)
    assert sigs[-1].values["items"][0]["waited"] == "1h" and sigs[-1].values["items"][0]["waited_s"] == 3600


def test_answering_one_of_two_overdue_items_updates_the_list_and_the_last_ends_the_alert() -> None:
    answer1 = event(
        "comment.created",
        WED_10 + timedelta(hours=2),
        actor=page_actor(),
        comment_id="r1",
        post_id="1_2",
        parent_id="1_2_3",
        message="Ja",
    )
    answer2 = event(
        "comment.created",
        WED_10 + timedelta(hours=3),
        actor=page_actor(),
        comment_id="r2",
        post_id="1_2",
        parent_id="1_2_4",
        message="Ja",
    )
    sigs = drive(
        PARAMS, [q(0, "1_2_3", "Anna Berg"), q(10, "1_2_4", "Bo Ek"), answer1, answer2], WED_10 + timedelta(hours=4)
    )
    assert [(s.active, [i["who"] for i in s.values["items"]]) for s in sigs] == [
        (True, ["Anna Berg"]),
        (True, ["Anna Berg", "Bo Ek"]),
        (True, ["Bo Ek"]),
        (False, []),
    ]


def test_a_like_by_the_page_closes_an_item_unless_seen_closes_is_off() -> None:
    like = event(
        "reaction.created", WED_10 + timedelta(minutes=30), actor=page_actor(), target_id="c1", reaction="like"
    )
    ask = event("comment.created", WED_10, actor=person(), comment_id="c1", post_id="p1", message="Öppet i dag?")
    assert drive(PARAMS, [ask, like], WED_10 + timedelta(hours=3)) == []
    fired = drive({**PARAMS, "seen_closes": False}, [ask, like], WED_10 + timedelta(hours=3))
    assert [s.active for s in fired] == [True]


def test_early_warns_that_much_staffed_time_before_the_deadline() -> None:
    ask = event("comment.created", WED_10, actor=person(), comment_id="c1", post_id="p1", message="Öppet i dag?")
    sigs = drive({**PARAMS, "early": "15m"}, [ask], WED_10 + timedelta(hours=3))
    assert sigs[0].active and sigs[0].at == WED_10 + timedelta(minutes=45)


def test_state_saved_before_work_lists_still_loads() -> None:
    det = DETECTORS["sla"](PARAMS, comp)
    state = det.from_json(
        {"active": True, "items": {"e1": ["2025-11-05T09:00:00+00:00", "2025-11-05T10:00:00+00:00", ["c1"], True]}}
    )
    assert state.overdue == 1 and state.items["e1"].who == ""
    again = det.from_json(det.to_json(state))
    assert again.items["e1"].keys == ("c1",) and again.overdue == 1


def test_format_span_shows_days_hours_and_minutes() -> None:
    assert [format_span(timedelta(seconds=s)) for s in (0, 59, 3600, 5400, 90000)] == [
        "0m",
        "0m",
        "1h",
        "1h 30m",
        "1d 1h",
    ]


def test_the_shipped_rules_alert_lists_its_items_and_its_summary_follows_answers() -> None:
    from sentinel.rules import load_rules
    from sentinel.rules.engine import RuleEngine

    page = PageConfig(
        id="druvan",
        timezone="Europe/Stockholm",
        language="sv",
        staffed_hours={"mon-fri": "08:00-17:00"},
        response_sla=timedelta(hours=1),
    )
    eng = RuleEngine(load_rules([]), lambda _p: page)
    evs = [
        q(0, "1_2_3", "Anna Berg"),
        q(10, "1_2_4", "Bo Ek"),
        event(
            "comment.created",
            WED_10 + timedelta(hours=2),
            actor=page_actor(),
            comment_id="r1",
            post_id="1_2",
            parent_id="1_2_3",
            message="Ja",
        ),
    ]
    for ev in evs:
        eng.advance(ev.time)
        eng.process(ev, ev.time)
        if ev is evs[1]:
            eng.advance(WED_10 + timedelta(hours=1, minutes=30))
            alert = next(a for a in eng.firing() if a.rule == "sla.unanswered")
            assert alert.summary.startswith("2 kundfråga") and "Anna Berg" in alert.annotations["work_list"]
    alert = next(a for a in eng.firing() if a.rule == "sla.unanswered")
    assert alert.summary.startswith("1 kundfråga") and "Anna Berg" not in alert.annotations["work_list"]
    assert "Bo Ek (comment, 1h 50m): https://www.facebook.com/1_2?comment_id=1_2_4" in alert.annotations["work_list"]


def test_a_close_seen_before_its_item_is_remembered_through_a_snapshot_and_for_a_bounded_time() -> None:
    from sentinel.detectors import sla

    det = DETECTORS["sla"](PARAMS, comp)
    state = det.new_state()
    ans = event("comment.created", WED_10 + timedelta(minutes=10), actor=page_actor(), comment_id="r", parent_id="c1")
    det.observe(state, Enriched(ans, PAGE, PageKnowledge()), ans.time)
    state = det.from_json(det.to_json(state))  # a restart in between
    for cid, minutes in (("c1", 0), ("c1", 20)):  # the question it answered; a later one under the same key
        late = q(minutes, cid, "Anna Berg")
        det.observe(state, Enriched(late, PAGE, PageKnowledge()), WED_10 + timedelta(minutes=30))
    assert [i.opened for i in state.items.values()] == [WED_10 + timedelta(minutes=20)]
    for i in range(sla.MAX_CLOSES + 3):
        det._remember(state, [f"k{i}"], WED_10 + timedelta(minutes=11))
    det._remember(state, ["new"], WED_10 + sla.CLOSES_KEPT + timedelta(minutes=12))
    assert len(state.closes) <= sla.MAX_CLOSES and "c1" not in state.closes and "new" in state.closes
