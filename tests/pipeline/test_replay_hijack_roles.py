"""`sentinel replay` on the red team's role and deletion hijacks that the rules let pass (/tmp/rt-fresh, rt-04, rt-07,
rt-08), each next to the ordinary admin work that must stay as it was.

- A page staffed around the clock (a ferry's customer service) took a stranger's full control at 02:31 as office
  work: a warning, since ``off_hours`` is never true there. Admins do not hand out full control at night, whatever
  the customer service's hours.
- A hijacker who deleted 40 of a shop's posts from 02:04 on a Sunday at 5 every 10 minutes raised nothing: the
  rule wanted 10 within 10 minutes. A page rarely deletes many posts, at any pace.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import firing, replay_records

OSLO = ZoneInfo("Europe/Oslo")
STOCKHOLM = ZoneInfo("Europe/Stockholm")

SHOP = """\
pages:
  - id: fjallsport
    platform: facebook
    name: Fjällsport
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-17:00"
      sat: "10:00-14:00"
    holidays: SE
"""

FERRY = """\
pages:
  - id: ferja
    platform: facebook
    name: Fjordferja
    timezone: Europe/Oslo
    language: "no"
    staffed_hours:
      mon-sun: "00:00-24:00"
    holidays: NO
"""
OLA = {"id": "100002", "name": "Ola Bakke", "type": "person"}


def person(pid: str, name: str) -> dict[str, str]:
    return {"id": pid, "name": name, "type": "person"}


Record = dict[str, Any]


def record(n: int, page: str, t: datetime, kind: str, actor: dict[str, str] | None, obj: Record) -> Record:
    return {
        "id": f"fb:{kind}:t{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": page,
        "kind": kind,
        "actor": actor,
        "object": obj,
    }


def page_posts(page: str, name: str, admin: dict[str, str], start: datetime, days: int) -> list[dict[str, Any]]:
    """A post a day at noon by ``admin`` (a known admin of the page), from ``start``."""
    actor = {"id": f"{page}-page", "name": name, "type": "page"}
    return [
        record(
            k,
            page,
            start + timedelta(days=k, hours=12),
            "post.created",
            actor,
            {"post_id": f"{page}-p{k}", "message": "Dagens avganger går som normalt.", "admin": {"id": admin["id"]}},
        )
        for k in range(days)
    ]


def replay(tmp_path: Path, config: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``sentinel replay`` of ``lines`` with ``config``: the firing alert records."""
    (tmp_path / "events.jsonl").write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in lines))
    (tmp_path / "config.yaml").write_text(config)
    return firing(replay_records(tmp_path, "config.yaml", "events.jsonl"))


def at(rec: dict[str, Any], tz: ZoneInfo) -> str:
    return datetime.fromisoformat(rec["time"].replace("Z", "+00:00")).astimezone(tz).strftime("%d %H:%M")


def test_a_stranger_given_full_control_at_night_is_paged_on_a_page_staffed_around_the_clock(tmp_path: Path) -> None:
    """The DST night of 26 Oct 2025: Ola's account gives MANAGE to "Nordic Media Partner" at 02:31 (the second
    02:31, UTC+1). The same grant to a colleague at 14:00 the next day stays a warning."""
    night = datetime(2025, 10, 26, 1, 31, tzinfo=ZoneInfo("UTC"))  # 02:31 +01:00, after the clocks went back
    assert night.astimezone(OSLO).strftime("%H:%M %z") == "02:31 +0100"
    day = datetime(2025, 10, 27, 14, 0, tzinfo=OSLO)
    lines = page_posts("ferja", "Fjordferja", OLA, datetime(2025, 10, 12, tzinfo=OSLO), 14)
    lines += [
        record(90, "ferja", night, "role.granted", OLA, {"user": person("6155", "Nordic Media"), "tasks": ["MANAGE"]}),
        record(91, "ferja", day, "role.granted", OLA, {"user": person("1003", "Kari Nilsen"), "tasks": ["MANAGE"]}),
    ]
    lines.sort(key=lambda e: datetime.fromisoformat(e["time"]))
    alerts = replay(tmp_path, FERRY, lines)
    granted = [(at(a, OSLO), a["severity"]) for a in alerts if a["rule"] == "hijack.manage_granted"]
    assert granted == [("26 02:31", "critical"), ("27 14:00", "warning")], granted


def test_a_slow_wipe_of_the_pages_posts_at_night_is_paged(tmp_path: Path) -> None:
    """Three weeks of a post a day, two of them deleted by the team in office hours; then from 02:04 on Sunday 21
    September 2025 the page's posts are deleted one every two minutes. Paged critical at the tenth (02:22)."""
    admin = person("100001", "Anna Berg")
    lines = page_posts("fjallsport", "Fjällsport", admin, datetime(2025, 8, 30, tzinfo=STOCKHOLM), 21)
    page = {"id": "fjallsport-page", "name": "Fjällsport", "type": "page"}
    own = [(datetime(2025, 9, 9, 10, 30, tzinfo=STOCKHOLM), 3), (datetime(2025, 9, 16, 15, 0, tzinfo=STOCKHOLM), 8)]
    lines += [record(100 + k, "fjallsport", t, "post.deleted", page, {"post_id": f"fjallsport-p{k}"}) for t, k in own]
    wipe = datetime(2025, 9, 21, 2, 4, tzinfo=STOCKHOLM)
    lines += [
        record(200 + k, "fjallsport", wipe + timedelta(minutes=2 * k), "post.deleted", page, {"post_id": f"old{k}"})
        for k in range(40)
    ]
    lines.sort(key=lambda e: datetime.fromisoformat(e["time"]))
    alerts = replay(tmp_path, SHOP, lines)
    hijack = [(at(a, STOCKHOLM), a["rule"], a["severity"]) for a in alerts if a["category"] == "hijack"]
    assert hijack == [("21 02:22", "hijack.mass_deletion", "critical")], hijack
