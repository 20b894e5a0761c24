"""The daemon's customer metrics: first answers into a histogram of staffed seconds, overdue items into a gauge,
per page and channel; old items forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sentinel import metrics
from sentinel.config.schema import PageConfig
from sentinel.model import Actor, ActorType, Event
from sentinel.reports.live import LiveSla

PAGE = PageConfig(
    id="live", timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"}, response_sla=timedelta(hours=1)
)
MON_9 = datetime(2025, 11, 10, 8, 0, tzinfo=UTC)


def ev(i: str, minutes: float, kind: str, by_page: bool = False, **obj: object) -> Event:
    actor = Actor("p", "P", ActorType.PAGE) if by_page else Actor("c", "C", ActorType.PERSON)
    return Event(i, MON_9 + timedelta(minutes=minutes), "facebook", "live", kind, actor, obj)


def value(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_first_answers_fill_the_histogram_and_overdue_items_the_gauge() -> None:
    before = value("sentinel_sla_first_response_staffed_seconds_count", page="live", channel="message")
    live = LiveSla(lambda _p: PAGE, {"live"})
    live.feed(ev("m1", 0, "message.received", thread_id="t1", message="Kan ni ringa mig"))
    live.feed(ev("m2", 20, "message.sent", True, thread_id="t1", message="Ja"))
    live.feed(ev("c1", 0, "comment.created", comment_id="c1", parent_id=None, message="Har ni öppet i dag"))
    live.feed(ev("c2", 5, "comment.created", comment_id="c2", parent_id=None, message="Varför är det stängt"))
    live.feed(ev("c3", 6, "reaction.created", True, target_id="c2", reaction="like"))
    assert value("sentinel_sla_first_response_staffed_seconds_count", page="live", channel="message") == before + 1
    live.tick(MON_9 + timedelta(minutes=59))
    assert value("sentinel_sla_overdue_items", page="live", channel="comment") == 0
    live.tick(MON_9 + timedelta(minutes=61))
    assert value("sentinel_sla_overdue_items", page="live", channel="comment") == 1  # c1; c2 was liked: seen
    live.feed(ev("c4", 61, "comment.created", True, comment_id="c4", parent_id="c1", message="Ja"))
    live.tick(MON_9 + timedelta(minutes=61, seconds=20))  # within EVERY (30 s) of the last count: not counted
    assert value("sentinel_sla_overdue_items", page="live", channel="comment") == 1
    live.tick(MON_9 + timedelta(minutes=62))
    assert value("sentinel_sla_overdue_items", page="live", channel="comment") == 0
    assert value("sentinel_sla_first_response_staffed_seconds_sum", page="live", channel="comment") >= 61 * 60
    live.tick(MON_9 + timedelta(days=8))
    assert live.tracker.items == [] and value("sentinel_sla_overdue_items", page="live", channel="comment") == 0


def test_the_gauge_places_a_reply_in_the_thread_the_rules_know_even_one_begun_before_a_restart() -> None:
    from sentinel.enrich.threads import PageThreads

    rules_threads = PageThreads()
    rules_threads("live").learn("c2", "c1", MON_9)  # before the restart: c2 replied to the top comment c1
    live = LiveSla(lambda _p: PAGE, {"live"}, threads=rules_threads)
    live.feed(ev("c3", 1, "comment.created", comment_id="c3", parent_id="c2", message="Hallå, har ni öppet?"))
    live.feed(ev("p1", 30, "comment.created", True, comment_id="p1", parent_id="c1", message="Ja"))
    live.tick(MON_9 + timedelta(hours=3))
    assert [i.answered for i in live.tracker.items] == [MON_9 + timedelta(minutes=30)]


def test_a_page_not_in_the_config_adds_no_series() -> None:
    live = LiveSla(lambda p: PageConfig(id=p), {"live"})
    for n in range(50):
        live.feed(
            Event(f"u{n}", MON_9, "facebook", f"stranger{n}", "message.received", Actor("c", "C"), {"thread_id": "t"})
        )
    live.tick(MON_9 + timedelta(days=1))
    pages = {s.labels["page"] for m in metrics.REGISTRY.collect() for s in m.samples if "page" in s.labels}
    assert not any(p.startswith("stranger") for p in pages)
    assert not live.tracker.items
