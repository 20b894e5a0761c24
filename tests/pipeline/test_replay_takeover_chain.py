"""`sentinel replay` pages a takeover that secures itself with a chain of role grants when the chain's second link is
made, not when it later removes the owners; an onboarding that does not look like one stays a warning.

The red team's chain (Tuesday, office hours): a known admin's stolen account gives MANAGE to "Page Support Team"
at 10:12, which gives MANAGE to "Mark Doe" at 10:15, who removes "Page Support Team" at 10:18. The takeover pattern
used to count anything but a grant as the new admin's step, so it was paged at 10:18."""

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
"""
TZ = ZoneInfo("Europe/Stockholm")
DAY = datetime(2025, 10, 7, 0, 0, tzinfo=TZ)  # a Tuesday
ALEX = {"id": "200001", "name": "Alex Admin", "type": "person"}


def person(pid: str, name: str) -> dict[str, str]:
    return {"id": pid, "name": name, "type": "person"}


def role(n: int, t: datetime, kind: str, actor: dict[str, str], user: dict[str, str], **obj: Any) -> dict[str, Any]:
    return {
        "id": f"fb:role:t{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "bokhandel",
        "kind": kind,
        "actor": actor,
        "object": {"user": {"id": user["id"], "name": user["name"]}, **obj},
    }


Change = tuple[timedelta, str, dict[str, str], dict[str, str], dict[str, Any]]


def replay_roles(tmp_path: Path, changes: list[Change]) -> list[dict[str, Any]]:
    """A week of the page's own posts by Alex (a known admin), then ``changes`` on Tuesday (offsets from 00:00);
    the firing alert records."""
    posts = [
        {
            "id": f"fb:post:t{k}",
            "time": (DAY - timedelta(days=7 - k, hours=-11)).isoformat(),
            "platform": "facebook",
            "page": "bokhandel",
            "kind": "post.created",
            "actor": {"id": "page-1", "name": "Bokhandeln", "type": "page"},
            "object": {"post_id": f"p{k}", "message": "Veckans boktips!", "admin": {"id": ALEX["id"]}},
        }
        for k in range(7)
    ]
    roles = [role(n, DAY + dt, kind, actor, user, **obj) for n, (dt, kind, actor, user, obj) in enumerate(changes)]
    return replay(tmp_path, posts + roles)


def replay(tmp_path: Path, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``sentinel replay`` of ``lines`` on the page: the firing alert records."""
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in lines))
    (tmp_path / "config.yaml").write_text(CONFIG)
    return firing(replay_records(tmp_path, "config.yaml", "events.jsonl"))


def local(rec: dict[str, Any]) -> str:
    return datetime.fromisoformat(rec["time"].replace("Z", "+00:00")).astimezone(TZ).strftime("%H:%M")


def test_a_new_admin_who_at_once_adds_another_full_admin_is_paged_at_that_grant(tmp_path: Path) -> None:
    support, mark = person("666001", "Page Support Team"), person("666002", "Mark Doe")
    alerts = replay_roles(
        tmp_path,
        [
            (timedelta(hours=10, minutes=12), "role.granted", ALEX, support, {"tasks": ["MANAGE", "MODERATE"]}),
            (timedelta(hours=10, minutes=15), "role.granted", support, mark, {"tasks": ["MANAGE"]}),
            (timedelta(hours=10, minutes=18), "role.revoked", mark, support, {"previous_tasks": ["MANAGE"]}),
        ],
    )
    takeover = [(local(a), a["severity"]) for a in alerts if a["rule"] == "hijack.takeover_sequence"]
    assert takeover[0] == ("10:15", "critical"), takeover
    granted = [(local(a), a["severity"]) for a in alerts if a["rule"] == "hijack.manage_granted"]
    assert granted == [("10:12", "warning"), ("10:15", "warning")], "each grant in office hours: the team checks it"


def test_an_onboarding_in_office_hours_is_no_takeover(tmp_path: Path) -> None:
    """Alex adds Amir at 09:00; Amir makes Sara an editor at 09:10 and Olle a full admin at 11:00: warnings for the
    team to confirm, no page."""
    amir, sara, olle = person("7", "Amir"), person("8", "Sara"), person("9", "Olle")
    alerts = replay_roles(
        tmp_path,
        [
            (timedelta(hours=9), "role.granted", ALEX, amir, {"tasks": ["MANAGE"]}),
            (timedelta(hours=9, minutes=10), "role.granted", amir, sara, {"tasks": ["CREATE_CONTENT", "MODERATE"]}),
            (timedelta(hours=11), "role.granted", amir, olle, {"tasks": ["MANAGE"]}),
        ],
    )
    assert [local(a) for a in alerts if a["rule"] == "hijack.manage_granted"] == ["09:00", "11:00"]
    assert not [a for a in alerts if a["rule"] == "hijack.takeover_sequence"], alerts
    assert {a["severity"] for a in alerts if a["category"] == "hijack"} <= {"info", "warning"}, alerts


def test_a_rename_that_poses_as_the_platforms_staff_is_critical_in_office_hours_too(tmp_path: Path) -> None:
    """The red team's Danish page renamed "Meta Ads Support" at 11:20 on a Tuesday by a known admin's account was a
    warning until its first scam post, six minutes later (never, had none followed). A rebrand stays a warning."""

    def renamed(n: int, at: timedelta, new: str) -> dict[str, Any]:
        return {
            "id": f"fb:page:r{n}",
            "time": (DAY + at).isoformat(),
            "platform": "facebook",
            "page": "bokhandel",
            "kind": "page.changed",
            "actor": ALEX,
            "object": {"field": "name", "old": "Bokhandeln", "new": new},
        }

    alerts = replay(tmp_path, [renamed(1, timedelta(hours=11, minutes=20), "Meta Ads Support")])
    assert [(local(a), a["severity"]) for a in alerts if a["rule"] == "hijack.identity_changed"] == [
        ("11:20", "critical")
    ]
    alerts = replay(tmp_path, [renamed(2, timedelta(hours=11, minutes=20), "Bokhandeln & Kafé")])
    assert [(local(a), a["severity"]) for a in alerts if a["rule"] == "hijack.identity_changed"] == [
        ("11:20", "warning")
    ]
