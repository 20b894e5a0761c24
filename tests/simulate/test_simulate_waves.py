"""The simulator's crisis variants: slow burns and complaint waves to page; launches, contests, live nights not."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import datetime

import orjson
import pytest

from sentinel.simulate import ScenarioSpec, iter_records, write_jsonl
from sentinel.simulate.spec import CRISIS_KINDS, page_profile
from sentinel.simulate.texts import COMPLAINT_WAVE
from sentinel.simulate.waves import LIVE_HOUR

SPEC = ScenarioSpec(pages=2, days=14, seed=5, crisis=True)
TEMPLATE_HEADS = tuple(t.split("{")[0] for t in COMPLAINT_WAVE)


def _bytes(spec: ScenarioSpec) -> bytes:
    buf = io.BytesIO()
    write_jsonl(spec, buf)
    return buf.getvalue()


def _visitor_comments(spec: ScenarioSpec, page: str) -> list[dict[str, object]]:
    return [
        r
        for r in iter_records(spec)
        if r["page"] == page and r["kind"] == "comment.created" and r["actor"]["type"] == "person"  # type: ignore[index]
    ]


def _key(r: dict[str, object]) -> tuple[object, ...]:
    return r["time"], r["actor"]["id"], r["object"]["message"]  # type: ignore[index]


@pytest.mark.parametrize("kind", CRISIS_KINDS)
def test_each_crisis_kind_is_deterministic_by_seed(kind: str) -> None:
    spec = replace(SPEC, crisis_kind=kind)
    assert _bytes(spec) == _bytes(spec)
    assert _bytes(spec) != _bytes(replace(spec, seed=6))


@pytest.mark.parametrize("kind", ["slow-burn", "complaint-wave"])
def test_a_burn_only_adds_comments_to_the_first_page_so_the_bench_can_tell_them_apart(kind: str) -> None:
    """bench/slow_burn.py finds the burn's own comments by simulating the same seed without it."""
    with_crisis, without = replace(SPEC, crisis_kind=kind), replace(SPEC, crisis=False)
    first = page_profile(SPEC, 0).key
    added = Counter(map(_key, _visitor_comments(with_crisis, first)))
    added.subtract(Counter(map(_key, _visitor_comments(without, first))))
    assert min(added.values()) >= 0, "no ordinary comment goes missing"
    assert sum(added.values()) >= 20
    other = page_profile(SPEC, 1).key
    assert _visitor_comments(with_crisis, other) == _visitor_comments(without, other)


def test_a_complaint_wave_has_no_question_marks_and_builds_for_hours() -> None:
    spec = replace(SPEC, crisis_kind="complaint-wave")
    wave = [r for r in _visitor_comments(spec, "norrsken") if str(r["object"]["message"]).startswith(TEMPLATE_HEADS)]  # type: ignore[index]
    assert len(wave) >= 40
    assert not any("?" in str(r["object"]["message"]) for r in wave)  # type: ignore[index]
    hours = Counter(datetime.fromisoformat(str(r["time"])).hour for r in wave)
    assert hours[9] < hours[12] <= hours[14] * 1.5, "a rise over the morning, still raised in the afternoon"


def test_live_nights_come_every_thursday_evening_of_the_span() -> None:
    spec = replace(SPEC, crisis_kind="live-night", days=21)
    lives = [
        datetime.fromisoformat(str(r["time"]))
        for r in iter_records(spec)
        if r["kind"] == "post.created" and "live" in str(r["object"].get("message", ""))  # type: ignore[attr-defined]
    ]
    assert [t.weekday() for t in lives] == [3, 3, 3]
    assert {t.hour for t in lives} == {LIVE_HOUR}


@pytest.mark.parametrize("kind", ["launch", "contest"])
def test_a_happy_spike_is_one_big_post_on_the_crisis_day(kind: str) -> None:
    spec = replace(SPEC, crisis_kind=kind)
    day = spec.crisis_day
    assert day is not None
    per_day = Counter(datetime.fromisoformat(str(r["time"])).date() for r in _visitor_comments(spec, "norrsken"))
    others = sorted(n for d, n in per_day.items() if d != day)
    assert per_day[day] > 3 * others[len(others) // 2]


def test_the_first_page_size_scales_its_traffic_and_is_checked() -> None:
    small = len(_visitor_comments(replace(SPEC, crisis=False, first_volume=0.3), "norrsken"))
    big = len(_visitor_comments(replace(SPEC, crisis=False, first_volume=3.0), "norrsken"))
    assert big > 5 * small
    with pytest.raises(ValueError, match="first_volume"):
        ScenarioSpec(first_volume=0)
    with pytest.raises(ValueError, match="crisis kind"):
        ScenarioSpec(crisis=True, crisis_kind="flood")


def test_the_default_slow_burn_is_unchanged_by_the_new_variants() -> None:
    """The slow burn existed before the variants: its bytes (and so bench figures) stay as they were."""
    spec = ScenarioSpec(pages=1, days=14, seed=1, crisis=True, crisis_kind="slow-burn")
    assert orjson.loads(_bytes(spec).splitlines()[0])["page"] == "norrsken"
