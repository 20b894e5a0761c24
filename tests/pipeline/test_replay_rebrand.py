"""`sentinel replay`: a team's rebrand (the page's name, username and website changed within two minutes by a known
admin) is one `hijack.identity_changed` alert that lists the three, and one notice, not one alert per field (issue
#23). The escalations stay: outside staffed hours it is critical, and a new name posing as the platform's staff is
critical at any hour, also as the burst's third change (the alert rises and fires again).

Before, the office-hours rebrand printed three warnings in one incident: the team's notice 30 s after the first
and an update 5 minutes later for the two that joined it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import firing, replay_records

CONFIG = """\
pages:
  - id: bokhandel
    platform: facebook
    name: Bokhandeln
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-16:00"
    holidays: SE
notify:
  channels:
    email: {type: smtp, host: smtp.example, port: 587, sender: sentinel@bokhandel.example}
people:
  - {name: lena, email: lena@bokhandel.example, channels: [email]}
  - {name: erik, email: erik@bokhandel.example, channels: [email]}
escalation:
  group_wait: 30s
  group_interval: 5m
  policies:
    - name: team
      steps: [{targets: [{person: lena}]}]
    - name: security
      steps: [{targets: [{person: erik}]}]
  routes:
    - {category: hijack, severity: critical, policy: security, group_wait: 0s}
    - {category: hijack, severity: warning, policy: team, hold_until_staffed: true}
"""
TZ = ZoneInfo("Europe/Stockholm")
DAY = datetime(2025, 10, 7, 0, 0, tzinfo=TZ)  # a Tuesday
ALEX = {"id": "200001", "name": "Alex Admin", "type": "person"}
RULE = "hijack.identity_changed"


def post(n: int, t: datetime) -> dict[str, Any]:
    return {
        "id": f"fb:post:r{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "bokhandel",
        "kind": "post.created",
        "actor": {"id": "page-1", "name": "Bokhandeln", "type": "page"},
        "object": {"post_id": f"r{n}", "message": "Veckans boktips!", "admin": {"id": ALEX["id"]}},
    }


def changed(n: int, at: timedelta, field: str, old: str, new: str) -> dict[str, Any]:
    return {
        "id": f"fb:page:r{n}",
        "time": (DAY + at).isoformat(),
        "platform": "facebook",
        "page": "bokhandel",
        "kind": "page.changed",
        "actor": ALEX,
        "object": {"field": field, "old": old, "new": new},
    }


def rebrand(start: timedelta, name: str = "Bokhandeln & Kafé") -> list[dict[str, Any]]:
    """Name, username and website within two minutes from ``start``; ``name`` comes last."""
    return [
        changed(1, start, "website", "https://bokhandeln.se", "https://bokkafe.se"),
        changed(2, start + timedelta(minutes=1), "username", "bokhandeln", "bokkafe"),
        changed(3, start + timedelta(minutes=2), "name", "Bokhandeln", name),
    ]


def replay(tmp_path: Path, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A week of the page's own posts by Alex, ``changes``, and a post two days after the last change (so that the
    replay's clock runs past every update and repeat the changes could cause): every output record."""
    last = max(datetime.fromisoformat(c["time"]) for c in changes)
    lines = [post(k, DAY - timedelta(days=7 - k, hours=-11)) for k in range(7)]
    lines += [*changes, post(99, last + timedelta(days=2))]
    (tmp_path / "events.jsonl").write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in lines))
    (tmp_path / "config.yaml").write_text(CONFIG)
    return replay_records(tmp_path, "config.yaml", "events.jsonl")


def local(rec: dict[str, Any]) -> str:
    return datetime.fromisoformat(rec["time"].replace("Z", "+00:00")).astimezone(TZ).strftime("%d %H:%M")


def identity(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(local(a), a["severity"]) for a in firing(records, RULE)]


def test_a_rebrand_in_office_hours_is_one_warning_listing_every_field_and_one_notice(tmp_path: Path) -> None:
    records = replay(tmp_path, rebrand(timedelta(hours=10, minutes=30)))
    assert identity(records) == [("07 10:30", "warning")]
    assert not [r for r in records if r["type"] == "alert" and r["category"] == "hijack" and r["rule"] != RULE]
    ended = [r for r in records if r["type"] == "alert" and r["rule"] == RULE and r["status"] == "resolved"]
    assert len(ended) == 1 and local(ended[0]) == "07 11:32", "an hour after the burst's last change"
    for field in ("website", "username", "name", "'bokhandeln' → 'bokkafe'", "'Bokhandeln' → 'Bokhandeln & Kafé'"):
        assert field in ended[0]["summary"], ended[0]["summary"]
    # until the alert ends (an unacknowledged hijack is told again every repeat_interval, 4 h, after that)
    notices = [(local(n), n["to"]) for n in records if n["type"] == "notification" and local(n) <= "07 11:32"]
    assert notices == [("07 10:30", "lena")], "one notice to the team, no update for fields that joined it"


def test_the_same_rebrand_at_three_in_the_night_is_one_critical_alert(tmp_path: Path) -> None:
    records = replay(tmp_path, rebrand(timedelta(hours=3)))
    assert identity(records) == [("07 03:00", "critical")]
    assert [n["to"] for n in records if n["type"] == "notification"][:1] == ["erik"], "security is paged at once"


def test_a_rename_posing_as_the_platforms_staff_as_the_third_field_is_critical(tmp_path: Path) -> None:
    records = replay(tmp_path, rebrand(timedelta(hours=10, minutes=30), name="Meta Ads Support"))
    assert identity(records) == [("07 10:30", "warning"), ("07 10:32", "critical")]
    first, risen = firing(records, RULE)
    assert first["labels"] == risen["labels"], "the same alert, risen, not a fourth one"
    assert "'Meta Ads Support'" in risen["summary"] and "website" in risen["summary"]
    paged = [n for n in records if n["type"] == "notification" and n["to"] == "erik"]
    assert paged and local(paged[0]) == "07 10:32", "security is paged at the rename"


def test_two_renames_a_day_apart_are_two_alerts(tmp_path: Path) -> None:
    records = replay(
        tmp_path,
        [
            changed(1, timedelta(hours=10, minutes=30), "name", "Bokhandeln", "Bokhandeln & Kafé"),
            changed(2, timedelta(days=1, hours=10, minutes=30), "name", "Bokhandeln & Kafé", "Bokkafét"),
        ],
    )
    assert identity(records) == [("07 10:30", "warning"), ("08 10:30", "warning")]
    first, second = firing(records, RULE)
    assert first["labels"] != second["labels"]
