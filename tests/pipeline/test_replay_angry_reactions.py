"""`sentinel replay` pages a flood of angry reactions within minutes, as it pages an angry comment surge.

A red-team page (a Swedish dairy's price rise) drew 450 angry and sad reactions from 12:00 and was warned at 12:31
with "10 of 21 reactions": the rule's `for: 30m` held back a warning its detector raised at 12:01, and the summary
kept the onset's counts. A launch's likes and loves stay quiet."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sentinel.testing.replay import replay_lines, visitor_reaction

CONFIG = """\
pages:
  - id: mejeri
    platform: facebook
    name: Mejeriet
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-16:00"
    holidays: SE
"""
TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2025, 10, 6, 0, 0, tzinfo=TZ)  # a Monday
NOON = START + timedelta(days=4, hours=12)  # Friday 12:00


def replay_page(tmp_path: Path, flood_kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Four and a half days of a like every 20 minutes (one in 25 angry), then 200 reactions in 30 minutes from
    Friday 12:00 cycling through ``flood_kinds``; the alert records of the replay."""
    times = [(START + timedelta(minutes=20 * k), "angry" if k % 25 == 0 else "like") for k in range(4 * 72 + 36)]
    times += [(NOON + timedelta(seconds=9 * k), flood_kinds[k % len(flood_kinds)]) for k in range(200)]
    lines = (
        visitor_reaction(n, t, "mejeri", "post-1" if t < NOON else "post-2", kind) for n, (t, kind) in enumerate(times)
    )
    return [r for r in replay_lines(tmp_path, CONFIG, lines) if r["type"] == "alert"]


def test_a_flood_of_angry_reactions_is_warned_within_minutes(tmp_path: Path) -> None:
    alerts = [a for a in replay_page(tmp_path, ("angry", "angry", "angry", "angry", "sad")) if a["status"] == "firing"]
    angry = [a for a in alerts if a["rule"] == "crisis.angry_reactions"]
    assert len(angry) == 1, alerts
    fired = datetime.fromisoformat(angry[0]["time"].replace("Z", "+00:00"))
    assert timedelta(0) <= fired - NOON <= timedelta(minutes=3), f"warned at {fired.astimezone(TZ):%H:%M:%S}"
    assert angry[0]["severity"] == "warning"


def test_a_flood_of_likes_and_loves_raises_no_crisis_warning(tmp_path: Path) -> None:
    alerts = replay_page(tmp_path, ("like", "love", "love", "care"))
    assert not [a for a in alerts if a["category"] == "crisis" and a["severity"] != "info"], alerts
