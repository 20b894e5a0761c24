"""The event-time watermark: never past the wall clock, waits for late deliveries, moves on when quiet."""

from __future__ import annotations

from datetime import timedelta

from sentinel.pipeline.eventtime import EventTimeConfig, Watermark
from sentinel.testing import at

CFG = EventTimeConfig(
    future_skew=timedelta(minutes=5),
    min_lateness=timedelta(minutes=2),
    max_lateness=timedelta(hours=36),
    lateness_memory=timedelta(hours=24),
)


def test_an_event_from_the_future_is_evaluated_at_its_arrival_and_flagged_beyond_the_skew() -> None:
    w = Watermark(CFG)
    far = w.place(at("65m"), at())
    assert (far.at, far.future) == (at(), True)
    near = w.place(at("3m"), at("1s"))  # within the skew: not flagged, still not ahead of the wall clock
    assert (near.at, near.future) == (at("1s"), False)


def test_a_timely_event_moves_the_watermark_to_its_own_time() -> None:
    w = Watermark(CFG)
    assert w.place(at("10s"), at("11s")).at == at("10s")
    assert w.place(at("20s"), at("21s")).at == at("20s")


def test_an_event_older_than_the_watermark_is_evaluated_at_the_watermark() -> None:
    w = Watermark(CFG)
    w.place(at("1h"), at("1h"))
    placed = w.place(at("30m"), at("1h1m"))
    assert placed.at == at("1h")
    assert placed.lag_s == 31 * 60


def test_when_quiet_after_a_timely_delivery_the_watermark_follows_the_wall_clock_by_the_minimum_lateness() -> None:
    w = Watermark(CFG)
    w.place(at(), at())
    assert w.follow(at("1h")) == at("1h") - timedelta(minutes=2)


def test_after_a_late_delivery_the_watermark_waits_at_it_so_the_next_batch_lands_at_its_own_times() -> None:
    w = Watermark(CFG)
    for minute in range(0, 360, 5):  # a six-hour batch, delivered at once at 6 h
        w.place(at(f"{minute}m"), at("6h"))
    assert w.follow(at("11h59m")) == at("6h") - timedelta(minutes=2)  # waits for the next batch
    assert w.place(at("6h5m"), at("12h")).at == at("6h5m")  # which lands at its own time


def test_the_wait_is_a_quarter_longer_than_the_longest_delay_or_gap_between_late_deliveries() -> None:
    w = Watermark(CFG)
    w.place(at(), at())
    w.place(at("5h"), at("6h"))  # an hour late, after six quiet hours
    assert w.hold() == timedelta(hours=7, minutes=30)
    assert w.follow(at("10h")) == at("6h") - timedelta(minutes=2)
    assert w.follow(at("14h")) == at("14h") - timedelta(hours=7, minutes=30)


def test_a_timely_delivery_after_a_late_one_lets_the_watermark_follow_the_wall_clock_again() -> None:
    w = Watermark(CFG)
    w.place(at(), at("6h"))
    w.place(at("7h"), at("7h"))
    assert w.follow(at("8h")) == at("8h") - timedelta(minutes=2)


def test_the_wait_never_exceeds_the_maximum_lateness() -> None:
    w = Watermark(CFG)
    w.place(at(), at("100h"))
    assert w.hold() == timedelta(hours=36)
    assert w.follow(at("200h")) == at("200h") - timedelta(hours=36)


def test_a_late_delivery_is_forgotten_after_the_lateness_memory() -> None:
    w = Watermark(CFG)
    w.place(at(), at("6h"))
    for hour in range(7, 40):
        w.place(at(f"{hour}h"), at(f"{hour}h"))
    assert w.hold() == timedelta(minutes=2)


def test_the_watermark_survives_a_snapshot() -> None:
    w = Watermark(CFG)
    w.place(at(), at("6h"))
    copy = Watermark(CFG)
    copy.restore(w.snapshot())
    assert (copy.at, copy.hold(), copy.follow(at("7h"))) == (w.at, w.hold(), w.follow(at("7h")))


def test_while_a_late_delivery_still_comes_in_the_watermark_waits_at_its_events() -> None:
    w = Watermark(CFG)
    w.place(at("0s"), at("5m"))  # a backlog's first request: an event five minutes old
    assert w.follow(at("5m0.5s")) == at("0s")  # a tick between its requests: not to the arrival, past its events
    assert w.place(at("1m"), at("5m1s")).at == at("1m")  # its next request lands at its own time
    assert w.follow(at("6m2s")) == at("5m1s") - timedelta(minutes=2)  # quiet for BURST_GAP: the delivery is over
