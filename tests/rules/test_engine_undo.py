"""``begin``/``rollback``: a batch that failed leaves no trace in the rule engine, so its alerts fire again."""

from __future__ import annotations

from typing import Any

from sentinel.config.schema import PageConfig
from sentinel.metrics import ALERTS_FIRING
from sentinel.model import AlertStatus, Event
from sentinel.rules import RuleEngine, load_rules
from sentinel.testing import at, event, person


def pages(pid: str) -> PageConfig:
    return PageConfig(id=pid, timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"})


def history() -> list[Event]:
    """Comments on two pages for an hour: detectors, knowledge and timers with something in them."""
    return [
        event("comment.created", at(f"{i}m"), page=("druvan", "norrsken")[i % 2], actor=person(f"P{i % 7}"))
        for i in range(60)
    ]


def grant(offset: str) -> Event:
    return event(
        "role.granted", at(offset), page="druvan", actor=None, user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"]
    )


def state(eng: RuleEngine) -> dict[str, Any]:
    """The engine's snapshot in an order of its own (a rollback may put a page's entries in another order; its timers
    are armed at the detectors' own deadlines, where one armed early may have waited: the same decisions)."""
    snap = eng.snapshot()
    return {
        "detectors": sorted((d["rule"], d["page"], repr(d["state"])) for d in snap["detectors"]),
        "alerts": sorted(repr(a) for a in snap["alerts"]),
        "ended": sorted(repr(e) for e in snap["ended"]),
        "knowledge": snap["knowledge"],
    }


def firing_gauge() -> float:
    return sum(s.value for m in ALERTS_FIRING.collect() for s in m.samples if s.name.endswith("firing_alerts"))


def test_a_rolled_back_batch_leaves_the_engine_as_before_it_and_its_alert_fires_again() -> None:
    rules = load_rules([])
    eng = RuleEngine(rules, pages)
    for ev in history():
        eng.process(ev, ev.time)
    before, gauge = state(eng), firing_gauge()

    eng.begin()
    first = [t for ev in (*history()[:3], grant("61m")) for t in eng.process(ev, ev.time)]
    first += eng.advance(at("3h"))  # timers of both pages run too
    eng.rollback()

    assert state(eng) == before
    assert firing_gauge() == gauge
    again = [t for ev in (*history()[:3], grant("61m")) for t in eng.process(ev, ev.time)]
    again += eng.advance(at("3h"))
    assert [t.status for t in again if t.rule == "hijack.manage_granted"] == [AlertStatus.FIRING, AlertStatus.RESOLVED]
    assert [(t.rule, t.status, t.time) for t in again] == [(t.rule, t.status, t.time) for t in first]


def test_a_committed_batch_stands_and_a_rollback_after_it_undoes_nothing() -> None:
    eng = RuleEngine(load_rules([]), pages)
    eng.begin()
    fired = eng.process(grant("0s"), at("0s"))
    eng.commit()
    after = state(eng)
    eng.rollback()
    assert [t.rule for t in fired if t.status == AlertStatus.FIRING] == ["hijack.manage_granted"]
    assert state(eng) == after


def test_restore_into_a_used_engine_replaces_its_state() -> None:
    rules = load_rules([])
    eng = RuleEngine(rules, pages)
    snap = eng.snapshot()
    eng.process(grant("0s"), at("0s"))
    eng.restore(snap)
    assert eng.snapshot() == snap
    assert [t.rule for t in eng.process(grant("1m"), at("1m")) if t.status == AlertStatus.FIRING] == [
        "hijack.manage_granted"
    ]
