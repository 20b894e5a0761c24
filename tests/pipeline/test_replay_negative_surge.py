"""`sentinel replay` judges an angry surge against the page's own usual negativity.

On a red team's large pages, where about a quarter of ordinary comments are gripes, `crisis.negative_surge` warned
on ordinary days: a post's cascade of ten comments, four of them gripes, was "35 % negative" (15 false warnings in
about six page-months, four escalated to critical on volume alone). A busy page with a quarter complaints and
cascades under its posts stays quiet for a week (the rule before warned on it six times); a storm on it is still
paged within minutes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sentinel.testing.replay import firing, replay_lines, visitor_comment

CONFIG = """\
pages:
  - id: kedjan
    platform: facebook
    name: Kedjan
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-sun: "07:00-22:00"
    holidays: SE
"""
TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2025, 10, 6, 0, 0, tzinfo=TZ)  # a Monday
STORM = START + timedelta(days=7, hours=10, minutes=30)  # the next Monday 10:30
ORDINARY = ["Snygg!", "Köpte en igår", "Ser ut som förra året", "Min mamma har en sådan", "Hämtar i morgon"]
GRIPES = ["Dålig service, fruktansvärt långa köer idag", "Appen loggar ut mig hela tiden, irriterande"]
ANGRY = ["Skandal! Ni är fruktansvärda, det här är helt oacceptabelt.", "Helt vidrigt, jag säger upp mitt kort nu"]


def ordinary_week(rng: random.Random) -> list[tuple[datetime, str]]:
    """A week of a busy page: 8 comments an hour by day and 2 by night, and four posts a day at random daytime hours
    whose cascades bring 20 comments in six minutes; a quarter of all comments are gripes."""
    out = []
    for h in range(7 * 24):
        t0 = START + timedelta(hours=h)
        n = 8 if 8 <= t0.hour < 20 else 2
        out += [(t0 + timedelta(seconds=rng.uniform(0, 3600)), "") for _ in range(n)]
    for d in range(7):
        for hour in rng.sample(range(8, 20), 4):
            t0 = START + timedelta(days=d, hours=hour, minutes=rng.uniform(0, 50))
            out += [(t0 + timedelta(seconds=rng.uniform(0, 360)), "") for _ in range(20)]
    return [(t, rng.choice(GRIPES) if rng.random() < 0.25 else rng.choice(ORDINARY)) for t, _ in out]


def replay_page(tmp_path: Path) -> list[dict[str, Any]]:
    rng = random.Random(7)
    times = ordinary_week(rng)
    # the storm: 120 comments in 30 minutes, three in four of them angry
    times += [(STORM + timedelta(seconds=15 * k), rng.choice(ANGRY if k % 4 else ORDINARY)) for k in range(120)]
    times.sort()
    return replay_lines(
        tmp_path, CONFIG, (visitor_comment(n, t, "kedjan", m, post=f"p{t.day}") for n, (t, m) in enumerate(times))
    )


def test_a_busy_page_with_a_quarter_complaints_stays_quiet_and_its_storm_is_paged(tmp_path: Path) -> None:
    alerts = [a for a in firing(replay_page(tmp_path)) if a["category"] == "crisis" and a["severity"] != "info"]
    at = [(datetime.fromisoformat(a["time"].replace("Z", "+00:00")), a) for a in alerts]
    before = [a for t, a in at if t < STORM]
    assert before == [], "crisis warnings on an ordinary week"
    surge = [t for t, a in at if a["rule"] == "crisis.negative_surge"]
    assert surge, alerts
    assert timedelta(0) <= surge[0] - STORM <= timedelta(minutes=10), f"paged at {surge[0].astimezone(TZ):%H:%M:%S}"
