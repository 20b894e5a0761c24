"""`sentinel replay`: a page's memorial post draws a flood of condolences, which is no crisis.

A company posts on a Friday evening that a colleague has died. Within two hours 160 people write how sad it is
("Beklagar sorgen, så otroligt sorgligt", "Vila i frid 💔"); a sentiment lexicon reads each as negative (sad, tragic
and loss are negative words), and the crisis rules paged the flood as an angry surge, critical outside staffed
hours. The same flood of condolences that also blames the company ("Beklagar sorgen, men ni borde skämmas") is
still paged: the anger beside a condolence counts."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sentinel.testing.replay import firing, replay_lines, visitor_comment

CONFIG = """\
pages:
  - id: verkstan
    platform: facebook
    name: Verkstan
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-17:00"
    holidays: SE
"""
TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2025, 10, 6, 0, 0, tzinfo=TZ)  # a Monday
POSTED = START + timedelta(days=11, hours=19)  # Friday of the second week, 19:00
ORDINARY = ["Snyggt!", "Köpte en igår", "När öppnar ni på lördag?", "Min pappa jobbade där", "Hämtar i morgon"]
GRIPES = ["Dålig service idag, långa köer", "Appen krånglar igen"]
CONDOLENCES = [
    "Beklagar sorgen, så otroligt sorgligt ❤️",
    "Vila i frid 💔",
    "Fruktansvärt tragiskt. Mina tankar går till familjen",
    "Så ledsen att läsa detta 😢 Styrkekramar till alla kollegor",
    "Tänker på er alla i denna tunga stund",
    "Beklagar sorgen. Han hjälpte mig alltid, vila i frid 🕯",
]
GRIEF_ALONE = ["Så tragiskt 😢", "Hemskt att läsa"]  # grief without a condolence still reads as negative
BLAME = [
    "Beklagar sorgen, men ni borde skämmas, ni har vetat om riskerna i åratal",
    "Vila i frid. Skandal att ingen på företaget tog säkerheten på allvar",
    "Mina tankar går till familjen. Ni är ansvariga för det här och borde straffas",
]


def replay_page(tmp_path: Path, flood: list[str]) -> list[dict[str, Any]]:
    """Eleven days of ordinary life (4 comments an hour by day, 1 by night, a tenth of them gripes), then the memorial
    post's 160 comments in two hours, nine in ten from ``flood`` and one in ten grief alone."""
    rng = random.Random(5)
    msgs: list[tuple[datetime, str, str]] = []
    for h in range(11 * 24 + 19):
        t0 = START + timedelta(hours=h)
        for _ in range(4 if 8 <= t0.hour < 21 else 1):
            text = rng.choice(GRIPES) if rng.random() < 0.1 else rng.choice(ORDINARY)
            msgs.append((t0 + timedelta(seconds=rng.uniform(0, 3600)), f"p{t0.day}", text))
    for k in range(160):
        text = rng.choice(GRIEF_ALONE) if k % 10 == 9 else rng.choice(flood)
        msgs.append((POSTED + timedelta(minutes=2 + rng.expovariate(1 / 30)), "memorial", text))
    msgs.sort()
    return replay_lines(
        tmp_path, CONFIG, (visitor_comment(n, t, "verkstan", text, post=post) for n, (t, post, text) in enumerate(msgs))
    )


def crisis_pages(records: list[dict[str, Any]]) -> list[tuple[datetime, str, str]]:
    return [
        (datetime.fromisoformat(a["time"].replace("Z", "+00:00")), a["rule"], a["severity"])
        for a in firing(records)
        if a["category"] == "crisis" and a["severity"] != "info"
    ]


def test_a_flood_of_condolences_under_a_memorial_post_pages_nobody(tmp_path: Path) -> None:
    assert crisis_pages(replay_page(tmp_path, CONDOLENCES)) == []


def test_condolences_that_blame_the_company_are_still_an_angry_surge(tmp_path: Path) -> None:
    pages = crisis_pages(replay_page(tmp_path, BLAME))
    assert pages, "an angry flood beside condolences raised nothing above info"
    first, rule, _ = pages[0]
    assert POSTED <= first <= POSTED + timedelta(minutes=30), (first.astimezone(TZ), rule)
    assert ("crisis.negative_surge", "critical") in {(r, s) for _, r, s in pages}, pages  # Friday 19:00: unstaffed
