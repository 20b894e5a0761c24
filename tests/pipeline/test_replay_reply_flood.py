"""`sentinel replay` pages the red team's reply flood and a single night scam post on a night-staffed page, and keeps
a community team's canned replies and the team's own contest quiet.

The red team's flood (a Tuesday, 10:00, staffed hours, through the page's usual app): the hijacked page replies the
same link to a never-seen domain under 20 comments within ten minutes. Each reply alone pushes only a new domain
(info); nothing added up the repetition. The night post: a page staffed day and night (so ``off_hours`` is false
and the post rules stay quiet) that posts at 01 and 03 but never at 02 gets a prize claim with a deadline to a
never-seen look-alike domain under its own .se at 02:10; the hours either side forgave it: a warning until a second
post."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import replay_records

CONFIG = """\
pages:
  - id: natthandel
    platform: facebook
    name: Natthandeln
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-sun: "00:00-24:00"
"""
TZ = ZoneInfo("Europe/Stockholm")
DAY = datetime(2025, 10, 7, 0, 0, tzinfo=TZ)  # a Tuesday
PAGE = {"id": "page-1", "name": "Natthandeln", "type": "page"}
RULE = "hijack.profile_anomaly"
OWN = (
    "Veckans tips från Natthandeln: {x} till helgens middag. Fråga personalen i butiken!",
    "Nyhet i sortimentet! Nu finns {x} i alla våra butiker.",
    "Vi har öppet hela natten som vanligt. Välkommen in efter {x}!",
)
THINGS = ("Rioja", "Riesling", "Chablis", "Barolo", "portvin")
HOURS = (8, 10, 12, 14, 16, 18, 20, 22, 23, 1, 3)  # staffed day and night; never at 02


def history() -> list[dict[str, Any]]:
    """Five weeks of the page's own posts through its usual app and admin, linking its own site."""
    out = []
    for k in range(40):
        t = DAY - timedelta(days=40 - k) + timedelta(hours=HOURS[k % len(HOURS)], minutes=(7 * k) % 50)
        out.append(
            {
                "id": f"fb:post:h{k}",
                "time": t.isoformat(),
                "platform": "facebook",
                "page": "natthandel",
                "kind": "post.created",
                "actor": PAGE,
                "object": {
                    "post_id": f"h{k}",
                    "message": OWN[k % len(OWN)].format(x=THINGS[k % len(THINGS)]),
                    "app": "Meta Business Suite",
                    "admin": {"id": "a1", "name": "Lena"},
                    "type": "link" if k % 3 == 0 else "photo",
                    "links": ["https://natthandeln.se/tips"] if k % 3 == 0 else [],
                },
            }
        )
    return out


def reply(n: int, t: datetime, text: str, links: list[str]) -> dict[str, Any]:
    return {
        "id": f"fb:comment:r{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "natthandel",
        "kind": "comment.created",
        "actor": PAGE,
        "object": {
            "comment_id": f"r{n}",
            "post_id": f"h{30 + n % 10}",
            "parent_id": None,
            "message": text,
            "links": links,
        },
    }


def post(n: int, t: datetime, text: str, links: list[str]) -> dict[str, Any]:
    return {
        "id": f"fb:post:x{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "natthandel",
        "kind": "post.created",
        "actor": PAGE,
        "object": {
            "post_id": f"x{n}",
            "message": text,
            "app": "Meta Business Suite",
            "admin": {"id": "a1", "name": "Lena"},
            "type": "link" if links else "photo",
            "links": links,
        },
    }


def worst(tmp_path: Path, lines: list[dict[str, Any]]) -> str:
    """``sentinel replay`` of the history and ``lines``: the profile's highest severity from ``lines`` on."""
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in history() + lines))
    (tmp_path / "config.yaml").write_text(CONFIG)
    records = replay_records(tmp_path, "config.yaml", "events.jsonl")
    rank = {"": 0, "info": 1, "warning": 2, "critical": 3}
    since = datetime.fromisoformat(lines[0]["time"])
    mine = [
        r for r in records if r["type"] == "alert" and r["rule"] == RULE and datetime.fromisoformat(r["time"]) >= since
    ]
    return max((str(r["severity"]) for r in mine), key=lambda s: rank[s], default="")


def test_twenty_identical_link_replies_in_ten_minutes_are_critical(tmp_path: Path) -> None:
    link = "https://promo-deal-88.top/x"
    text = f"Kolla in det här erbjudandet 👉 {link}"
    flood = [reply(n, DAY + timedelta(hours=10, seconds=30 * n), text, [link]) for n in range(20)]
    assert worst(tmp_path, flood) == "critical"


def test_twenty_canned_replies_without_a_link_stay_quiet(tmp_path: Path) -> None:
    text = "Hej! Skicka oss ett DM med ditt ordernummer så hjälper vi dig."
    canned = [reply(n, DAY + timedelta(hours=10, seconds=30 * n), text, []) for n in range(20)]
    assert worst(tmp_path, canned) == ""


def test_a_single_night_scam_post_on_a_night_staffed_page_is_critical(tmp_path: Path) -> None:
    link = "https://natthandeln-vinst.se/claim"  # a look-alike under the page's own top-level domain
    text = f"Grattis! Du är en av våra lyckliga vinnare. Hämta din vinst inom 24 timmar: {link}"
    assert worst(tmp_path, [post(0, DAY + timedelta(hours=2, minutes=10), text, [link])]) == "critical"


def test_the_teams_contest_at_its_usual_hour_stays_at_most_info(tmp_path: Path) -> None:
    link = "https://hostmassan.se/tavling"
    text = f"Tävling! Kommentera din favorit och vinn ett presentkort – sista chansen på söndag: {link}"
    assert worst(tmp_path, [post(0, DAY + timedelta(hours=10, minutes=5), text, [link])]) in ("", "info")
