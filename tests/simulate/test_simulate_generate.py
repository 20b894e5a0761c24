"""The scenario generator: deterministic, time-ordered, valid events, realistic rhythm."""

from __future__ import annotations

import io
import tracemalloc
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
import pytest

from sentinel.events.codec import iter_lines
from sentinel.model import EventKind
from sentinel.settings import parse_config
from sentinel.simulate import ScenarioSpec, generate, iter_records, page_configs, write_jsonl

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _bytes(spec: ScenarioSpec) -> bytes:
    buf = io.BytesIO()
    write_jsonl(spec, buf)
    return buf.getvalue()


def test_same_seed_gives_identical_bytes_and_another_seed_does_not() -> None:
    spec = ScenarioSpec(pages=3, days=9, seed=7, start=date(2025, 3, 24), hijack=True, crisis=True)
    first = _bytes(spec)
    assert first == _bytes(spec)
    assert first != _bytes(ScenarioSpec(pages=3, days=9, seed=8, start=date(2025, 3, 24), hijack=True, crisis=True))


def test_every_line_parses_in_time_order_with_unique_ids_and_offsets() -> None:
    data = _bytes(ScenarioSpec(pages=4, days=16, seed=2, hijack=True, crisis=True))
    ids: set[str] = set()
    kinds: Counter[str] = Counter()
    pages: set[str] = set()
    last = None
    for lineno, ev in iter_lines(data.splitlines()):
        assert not isinstance(ev, Exception), f"line {lineno}: {ev}"
        assert ev.id not in ids, f"line {lineno}: duplicate id {ev.id}"
        ids.add(ev.id)
        assert ev.time.utcoffset() is not None
        assert last is None or ev.time >= last, f"line {lineno} goes back in time"
        last = ev.time
        kinds[ev.kind] += 1
        pages.add(ev.page)
    assert set(kinds) <= set(EventKind)
    assert len(pages) == 4
    for kind in (
        "post.created",
        "comment.created",
        "reaction.created",
        "message.received",
        "message.sent",
        "post.deleted",
        "role.granted",
        "page.changed",
    ):
        assert kinds[kind] > 0, kind


def test_generate_yields_events_matching_the_jsonl() -> None:
    spec = ScenarioSpec(pages=2, days=3, seed=4)
    events = generate(spec)
    assert iter(events) is events  # lazy: an iterator, not a list
    lines = _bytes(spec).splitlines()
    decoded = [ev.to_json() for ev in events]
    assert decoded == [orjson.loads(line) for line in lines]


def _local(record: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(record["time"])).astimezone(STOCKHOLM)


def test_hijack_begins_friday_night_in_stockholm_and_runs_until_about_five() -> None:
    spec = ScenarioSpec(pages=1, days=28, seed=1, start=date(2014, 11, 10), hijack=True)
    records = list(iter_records(spec))
    grants = [r for r in records if r["kind"] == "role.granted" and "MANAGE" in r["object"]["tasks"]]  # type: ignore[index]
    start = _local(grants[0])
    assert start.weekday() == 4 and start.date() == date(2014, 12, 5)  # the last Friday of the span
    assert (21, 35) <= (start.hour, start.minute) <= (21, 45)
    intruder = grants[0]["object"]["user"]["name"]  # type: ignore[index]
    scams = [
        r
        for r in records
        if r["kind"] == "post.created"
        and r["object"]["admin"]  # type: ignore[index]
        and r["object"]["admin"]["name"] == intruder
    ]  # type: ignore[index]
    assert len(scams) >= 8
    assert _local(scams[-1]).date() == date(2014, 12, 6)
    assert (4, 45) <= (_local(scams[-1]).hour, _local(scams[-1]).minute) <= (5, 10)
    before = {
        link.split("/")[2]
        for r in records
        if r["kind"] == "post.created" and _local(r) < start
        for link in r["object"]["links"]
    }  # type: ignore[index]
    for post in scams:
        (link,) = post["object"]["links"]  # type: ignore[index]
        assert link.split("/")[2] not in before  # a never-seen domain
        assert post["object"]["app"] not in {"Meta Business Suite", "Hootsuite"}  # type: ignore[index]
    changes = {r["object"]["field"] for r in records if r["kind"] == "page.changed" and _local(r) >= start}  # type: ignore[index]
    assert {"name", "website"} <= changes
    deletions = [r for r in records if r["kind"] == "post.deleted" and start <= _local(r) <= _local(scams[-1])]
    assert len(deletions) >= 10
    # the owner takes the page back right after: the intruder out, the colleagues he removed back in
    removed = {r["object"]["user"]["name"]: _local(r) for r in records if r["kind"] == "role.revoked"}  # type: ignore[index]
    assert _local(scams[-1]) < removed[intruder] < _local(scams[-1]) + timedelta(minutes=15)
    regranted = {r["object"]["user"]["name"] for r in grants[1:]}  # type: ignore[index]
    assert regranted == set(removed) - {intruder}


def test_no_hijack_without_the_flag() -> None:
    records = iter_records(ScenarioSpec(pages=1, days=28, seed=1, start=date(2014, 11, 10)))
    assert not any(r["kind"] == "role.granted" and "MANAGE" in r["object"]["tasks"] for r in records)  # type: ignore[index]


def test_times_follow_daylight_saving_and_staffed_posts_stay_in_office_hours() -> None:
    spec = ScenarioSpec(pages=1, days=14, seed=3, start=date(2025, 10, 20))  # summer time ends 2025-10-26
    offsets: dict[bool, set[str]] = {True: set(), False: set()}
    for r in iter_records(spec):
        t = str(r["time"])
        offsets[t < "2025-10-26T03"].add(t[-6:])
        obj = r["object"]
        if r["kind"] == "post.created" and obj["app"] in ("Facebook for iPhone", "Facebook for Android"):  # type: ignore[index]
            local = _local(r)
            assert local.weekday() < 6 and 8 <= local.hour < 17, r
    assert offsets == {True: {"+02:00"}, False: {"+01:00"}}


def test_activity_has_a_daily_rhythm() -> None:
    by_hour: Counter[int] = Counter()
    for r in iter_records(ScenarioSpec(pages=2, days=14, seed=5)):
        if r["kind"] in ("comment.created", "reaction.created") and r["actor"]["type"] == "person":  # type: ignore[index]
            by_hour[_local(r).hour] += 1
    night = sum(by_hour[h] for h in range(1, 6))
    afternoon = sum(by_hour[h] for h in range(13, 18))
    assert afternoon > 10 * night


def test_crisis_day_has_a_surge_of_comments() -> None:
    spec = ScenarioSpec(pages=1, days=21, seed=6, crisis=True)
    per_day: Counter[date] = Counter(_local(r).date() for r in iter_records(spec) if r["kind"] == "comment.created")
    assert spec.crisis_day is not None
    others = sorted(n for d, n in per_day.items() if d != spec.crisis_day)
    assert per_day[spec.crisis_day] > 4 * others[len(others) // 2]


def test_a_page_looks_the_same_alone_or_among_others() -> None:
    alone = [r for r in iter_records(ScenarioSpec(pages=1, days=5, seed=9))]
    among = [r for r in iter_records(ScenarioSpec(pages=3, days=5, seed=9)) if r["page"] == alone[0]["page"]]
    assert alone == among


def test_page_configs_are_valid_config_for_the_generated_pages() -> None:
    spec = ScenarioSpec(pages=5, days=2, seed=1)
    configs = page_configs(spec)
    config = parse_config(orjson.dumps({"pages": configs}).decode(), "pages.json")
    assert [p.timezone for p in config.pages] == ["Europe/Stockholm"] * 5
    keys = {p.id for p in config.pages}
    assert len(keys) == 5
    assert {r["page"] for r in iter_records(spec)} == keys


@pytest.mark.parametrize("kwargs", [{"pages": 0}, {"days": 0}, {"days": 3, "hijack": True}])
def test_impossible_specs_are_refused_with_a_reason(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"must be at least 1|needs a Friday"):
        ScenarioSpec(**kwargs)  # type: ignore[arg-type]


def _peak_and_output(days: int) -> tuple[int, int]:
    """Peak traced memory while streaming a scenario, and how many JSON bytes it held."""
    tracemalloc.start()
    try:
        size = 0
        for rec in iter_records(ScenarioSpec(pages=2, days=days, seed=1)):
            size += len(orjson.dumps(rec))
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_days() -> None:
    next(iter_records(ScenarioSpec(days=1)))  # the shared population and text tables, outside the measurement
    short, short_output = _peak_and_output(16)
    long, long_output = _peak_and_output(64)
    assert long_output > 3.5 * short_output
    # the peak is one busy day plus what follows from it: it varies with the busiest day, not with the span
    assert long < 2 * short, (short, long)


def test_span_end_is_respected() -> None:
    spec = ScenarioSpec(pages=2, days=3, seed=1, start=date(2025, 1, 1))
    end = datetime(2025, 1, 4, tzinfo=STOCKHOLM)
    times = [_local(r) for r in iter_records(spec)]
    assert times[0] >= datetime(2025, 1, 1, tzinfo=STOCKHOLM)
    assert times[-1] < end
    assert times[-1] > end - timedelta(days=1)


def test_many_pages_get_distinct_keys_ids_and_names() -> None:
    configs = page_configs(ScenarioSpec(pages=4000, days=1))
    assert len({c["id"] for c in configs}) == 4000
    assert len({c["name"] for c in configs}) == 4000
    assert all(c["id"].isascii() and c["id"].replace("_", "").isalnum() for c in configs)
