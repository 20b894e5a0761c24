"""A page's silence is judged by what that page usually does at that hour (``health.silent_source``), through
``sentinel replay`` as a user runs it: a busy 24/7 page that stops on a Thursday afternoon, its source reporting no
error, is warned within the hour; a café's ordinary nights, its quiet Sundays, are not."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from sentinel.testing.replay import firing, replay_records

CONFIG = """\
pages:
  - id: busy
    name: Busy Help
    timezone: Europe/London
    language: en
    staffed_hours: {mon-sun: "00:00-24:00"}
    response_sla: 1h
  - id: cafe
    name: Corner Cafe
    timezone: Europe/London
    language: en
    staffed_hours: {tue-sat: "08:00-18:00"}
    response_sla: 8h
"""
START = datetime(2025, 10, 6, tzinfo=UTC)  # a Monday; London is UTC+1 until 26 October
SILENT = datetime(2025, 10, 23, 13, 0, tzinfo=UTC)  # Thursday 14:00 in London
END = datetime(2025, 10, 25, 18, 0, tzinfo=UTC)


def _events() -> list[dict[str, object]]:
    rnd = random.Random(7)
    out: list[tuple[datetime, str]] = []
    t = START
    while t < SILENT:  # a comment every 3 minutes by day, every 15 at night, on average
        out.append((t, "busy"))
        t += timedelta(minutes=rnd.expovariate(1 / (3 if 6 <= (t.hour + 1) % 24 < 23 else 15)))
    day = START
    while day < END:  # the café: Tuesday to Saturday, 8 to 18, a comment about every 40 minutes
        if day.weekday() in (1, 2, 3, 4, 5):
            t = day + timedelta(hours=7)
            while t < day + timedelta(hours=17):
                out.append((t, "cafe"))
                t += timedelta(minutes=rnd.expovariate(1 / 40))
        day += timedelta(days=1)
    out.sort()
    return [
        {
            "id": f"fb:comment:{page}_{i}",
            "time": at.isoformat(),
            "platform": "facebook",
            "page": page,
            "kind": "comment.created",
            "actor": {"id": f"u{i % 97}", "name": "A visitor", "type": "person"},
            "object": {"comment_id": f"{page}_{i}", "post_id": f"{page}_p", "parent_id": None, "message": "Nice"},
        }
        for i, (at, page) in enumerate(out)
    ]


def test_a_busy_page_gone_silent_is_warned_within_the_hour_and_a_cafes_night_is_not(tmp_path: Path) -> None:
    events = _events()
    (tmp_path / "pages.yaml").write_text(CONFIG)
    (tmp_path / "ev.jsonl").write_bytes(b"\n".join(orjson.dumps(e) for e in events) + b"\n")
    last = max(datetime.fromisoformat(str(e["time"])) for e in events if e["page"] == "busy")
    warned = firing(replay_records(tmp_path, "pages.yaml", "ev.jsonl"), "health.silent_source")
    assert [r["page"] for r in warned] == ["busy"]
    at = datetime.fromisoformat(warned[0]["time"].replace("Z", "+00:00"))
    assert last < at <= last + timedelta(hours=1, minutes=20)
