"""A busy page's quiet Christmas is no silent source, and its silence on an ordinary weekday afternoon is
(``health.silent_source``), through ``sentinel replay`` as a user runs it.

The third red team's grocery page (rt3-15, ``holidays: SE``) drew eight silence warnings over Christmas and New
Year: its holidays were judged as the weekdays they fell on, and a page at a tenth of its usual traffic for days
was held to its usual hours. Its holidays are now judged as weekend days, and a silence is as surprising as the
page has lately been busy."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import firing, replay_records

CONFIG = """\
pages:
  - id: livs
    name: Livs
    timezone: Europe/Stockholm
    language: sv
    staffed_hours: {mon-fri: "07:00-21:00", sat-sun: "09:00-18:00"}
    holidays: SE
    response_sla: 2h
"""
TZ = ZoneInfo("Europe/Stockholm")
START = date(2025, 11, 24)  # a Monday
END = date(2026, 1, 10)
HOLIDAYS = {date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26), date(2025, 12, 31), date(2026, 1, 1)}
QUIET = {date(2025, 12, 29), date(2025, 12, 30), date(2026, 1, 2)}  # the days between: a tenth of the usual
SILENT = (datetime(2026, 1, 7, 10, 5, tzinfo=TZ), datetime(2026, 1, 7, 15, 30, tzinfo=TZ))  # a Wednesday


def _events() -> list[dict[str, object]]:
    rnd = random.Random(15)
    out: list[datetime] = []
    day = START
    while day < END:
        weekday = day.weekday() < 5 and day not in HOLIDAYS
        t = datetime(day.year, day.month, day.day, 7 if weekday else 9, tzinfo=TZ)
        close = t.replace(hour=21 if weekday else 18)
        mean = 4.0 if weekday else 25.0  # minutes between events
        if day in HOLIDAYS or day in QUIET:
            mean *= 10.0
        while t < close:
            if not SILENT[0] <= t < SILENT[1]:
                out.append(t)
            t += timedelta(minutes=rnd.expovariate(1 / mean))
        day += timedelta(days=1)
    return [
        {
            "id": f"fb:comment:livs_{i}",
            "time": at.isoformat(),
            "platform": "facebook",
            "page": "livs",
            "kind": "comment.created",
            "actor": {"id": f"u{i % 97}", "name": "En kund", "type": "person"},
            "object": {"comment_id": f"livs_{i}", "post_id": "livs_p", "parent_id": None, "message": "Tack!"},
        }
        for i, at in enumerate(out)
    ]


def test_a_busy_pages_quiet_christmas_is_not_warned_and_its_weekday_afternoon_silence_is(tmp_path: Path) -> None:
    (tmp_path / "pages.yaml").write_text(CONFIG)
    (tmp_path / "ev.jsonl").write_bytes(b"\n".join(orjson.dumps(e) for e in _events()) + b"\n")
    warned = [
        datetime.fromisoformat(r["time"].replace("Z", "+00:00"))
        for r in firing(replay_records(tmp_path, "pages.yaml", "ev.jsonl"), "health.silent_source")
    ]
    assert len(warned) == 1 and SILENT[0] < warned[0] <= SILENT[1], [w.astimezone(TZ).isoformat() for w in warned]
