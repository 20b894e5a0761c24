"""`sentinel replay` on the red team's role and deletion hijacks that the rules let pass (/tmp/rt-fresh, rt-04, rt-07,
rt-08), each next to the ordinary admin work that must stay as it was.

- A page staffed around the clock (a ferry's customer service) took a stranger's full control at 02:31 as office
  work: a warning, since ``off_hours`` is never true there. Admins do not hand out full control at night, whatever
  the customer service's hours.
- A hijacker who deleted 40 of a shop's posts from 02:04 on a Sunday at 5 every 10 minutes raised nothing: the
  rule wanted 10 within 10 minutes. A page rarely deletes many posts, at any pace.
- A stranger given full control at 10:15 on a Tuesday who removed the page's two admins at 11:03 and 11:05 was
  warnings only: the takeover pattern's 30 minutes were over. It is the lockout whether it takes 25 minutes or a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import firing, replay_records

OSLO = ZoneInfo("Europe/Oslo")


def person(pid: str, name: str) -> dict[str, str]:
    return {"id": pid, "name": name, "type": "person"}


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
FURNITURE = """\
pages:
  - id: mobler
    platform: facebook
    name: Lindqvist Möbler
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "09:00-17:00"
    holidays: SE
"""
SARA, JONAS = person("100001", "Sara Lind"), person("100002", "Jonas Berg")
OLA = {"id": "100002", "name": "Ola Bakke", "type": "person"}


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
    assert hijack == [("21 02:22", "hijack.slow_deletion", "critical")], hijack  # the office deletions: nothing
    [wiped] = [a for a in alerts if a["rule"] == "hijack.slow_deletion"]
    assert wiped["summary"] == "10 inlägg raderade på Fjällsport inom 6h utanför bemannad tid"  # not "6:00:00"


def furniture(
    tmp_path: Path, changes: list[tuple[datetime, str, dict[str, str], dict[str, str], Record]]
) -> list[Record]:
    """Two weeks of posts by Sara and Jonas (the page's two full admins), then ``changes``: the firing alerts."""
    lines = page_posts("mobler", "Lindqvist Möbler", SARA, datetime(2025, 11, 10, tzinfo=STOCKHOLM), 7)
    lines += page_posts("mobler", "Lindqvist Möbler", JONAS, datetime(2025, 11, 17, tzinfo=STOCKHOLM), 7)
    for k, line in enumerate(lines):
        line["id"] = f"fb:post:m{k}"
    lines += [
        record(300 + n, "mobler", t, kind, actor, {"user": {"id": user["id"], "name": user["name"]}, **obj})
        for n, (t, kind, actor, user, obj) in enumerate(changes)
    ]
    lines.sort(key=lambda e: datetime.fromisoformat(e["time"]))
    return replay(tmp_path, FURNITURE, lines)


def test_a_stranger_who_removes_the_admins_48_minutes_after_being_given_full_control_is_paged(tmp_path: Path) -> None:
    linnea = person("6155", "Linnea Marknadsföring")
    tue = datetime(2025, 11, 25, tzinfo=STOCKHOLM)
    alerts = furniture(
        tmp_path,
        [
            (tue + timedelta(hours=10, minutes=15), "role.granted", SARA, linnea, {"tasks": ["MANAGE", "MODERATE"]}),
            (tue + timedelta(hours=11, minutes=3), "role.revoked", linnea, SARA, {"previous_tasks": ["MANAGE"]}),
            (tue + timedelta(hours=11, minutes=5), "role.revoked", linnea, JONAS, {"previous_tasks": ["MANAGE"]}),
        ],
    )
    critical = [(at(a, STOCKHOLM), a["rule"]) for a in alerts if a["severity"] == "critical"]
    assert critical == [("25 11:03", "hijack.lockout")], critical
    lockout = next(a for a in alerts if a["rule"] == "hijack.lockout")
    assert "ny administratör på sidan sedan 48 min" in lockout["summary"], lockout["summary"]


def test_a_handover_stays_a_warning(tmp_path: Path) -> None:
    """Sara makes Amir a full admin on Tuesday at 09:30; Jonas, who is leaving, removes himself at 16:00, and Amir
    removes Sara's old test account, a full admin, on Thursday: warnings for the team, no page."""
    amir, test = person("7001", "Amir Haddad"), person("7002", "Sara Test")
    tue = datetime(2025, 11, 25, tzinfo=STOCKHOLM)
    alerts = furniture(
        tmp_path,
        [
            (tue - timedelta(days=3, hours=-10), "role.granted", SARA, test, {"tasks": ["MANAGE"]}),
            (tue + timedelta(hours=9, minutes=30), "role.granted", SARA, amir, {"tasks": ["MANAGE"]}),
            (tue + timedelta(hours=16), "role.revoked", JONAS, JONAS, {"previous_tasks": ["MANAGE"]}),
            (tue + timedelta(days=2, hours=11), "role.revoked", amir, test, {"previous_tasks": ["MANAGE"]}),
        ],
    )
    assert not [a for a in alerts if a["rule"] == "hijack.lockout"], alerts
    hijack = sorted((at(a, STOCKHOLM), a["rule"], a["severity"]) for a in alerts if a["category"] == "hijack")
    assert [h for h in hijack if h[0] >= "25"] == [
        ("25 09:30", "hijack.manage_granted", "warning"),
        ("25 16:00", "hijack.admin_removed", "warning"),
        ("27 11:00", "hijack.admin_removed", "warning"),
    ], hijack


def test_an_account_granted_a_role_at_night_that_posts_a_new_link_is_paged_at_its_first_post(tmp_path: Path) -> None:
    """The second red team's florist (/tmp/rt-second, h09): "Promo Team" is given CREATE_CONTENT and MODERATE
    (not MANAGE) at 22:48 on a Saturday and posts a "loyalty reward" to a never-seen domain at 23:13. A grant
    taught the page the grantee as a known admin, so the post was one anomaly (the domain), a warning, and the
    scam stayed up all night. Being granted a role is not having done anything on the page: it is an admin the
    page does not know, and the post is the takeover's. The same post by the page's own admin stays a warning."""
    start = datetime(2025, 11, 1, tzinfo=STOCKHOLM)
    lines = page_posts("fjallsport", "Fjällsport", SARA, start, 21)
    for k, line in enumerate(lines):
        line["object"]["message"] = "Our winter boots are back in stock this week, see you in the shop."
        if k % 3 == 0:
            line["object"]["links"] = [f"https://fjallsport.se/nytt/{k}"]
    page = {"id": "fjallsport-page", "name": "Fjällsport", "type": "page"}
    grant = datetime(2025, 11, 22, 22, 48, tzinfo=STOCKHOLM)  # a Saturday, after the shop's hours (English posts)
    link = "https://bloom-giveaway.win/promo"
    scam = {"message": f"Congratulations! Your profile was selected for our loyalty reward. Verify: {link}"}
    night = [
        *lines,
        record(
            300,
            "fjallsport",
            grant,
            "role.granted",
            SARA,
            {"user": person("6157", "Promo Team"), "tasks": ["CREATE_CONTENT", "MODERATE"]},
        ),
        record(
            301,
            "fjallsport",
            grant + timedelta(minutes=25),
            "post.created",
            page,
            {"post_id": "x1", **scam, "links": [link], "admin": {"id": "6157", "name": "Promo Team"}},
        ),
    ]
    alerts = replay(tmp_path, SHOP, night)
    hijack = [(at(a, STOCKHOLM), a["rule"], a["severity"]) for a in alerts if a["category"] == "hijack"]
    assert ("22 23:13", "hijack.suspicious_post", "critical") in hijack, hijack
    (tmp_path / "own").mkdir()
    by_sara = [
        *lines,
        record(
            301,
            "fjallsport",
            grant + timedelta(minutes=25),
            "post.created",
            page,
            {"post_id": "x1", **scam, "links": [link], "admin": {"id": SARA["id"], "name": SARA["name"]}},
        ),
    ]
    alerts = replay(tmp_path / "own", SHOP, by_sara)
    assert {a["severity"] for a in alerts if a["category"] == "hijack"} == {"warning"}, alerts
