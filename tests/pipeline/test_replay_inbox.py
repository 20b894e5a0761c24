"""`sentinel replay` pages a hijacker's phishing through the page's inbox: private messages to the page's old
customers at night, pushing a never-seen domain and an unpaid-invoice threat. A third red team's 40 such messages
from 03:04 raised nothing: the page's own private messages were not read. Customer service's answers, many in a row
with the page's own links, stay quiet."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import firing, replay_records

CONFIG = """\
pages:
  - id: bredband
    platform: facebook
    name: Bredband Nord
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "07:00-21:00"
      sat-sun: "09:00-18:00"
"""
TZ = ZoneInfo("Europe/Stockholm")
DAY = datetime(2025, 10, 7, 0, 0, tzinfo=TZ)  # a Tuesday
PAGE = {"id": "page-1", "name": "Bredband Nord", "type": "page"}


def ev(kind: str, n: str, t: datetime, obj: dict[str, Any], actor: dict[str, Any] = PAGE) -> dict[str, Any]:
    return {
        "id": f"fb:{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "bredband",
        "kind": kind,
        "actor": actor,
        "object": obj,
    }


def history() -> list[dict[str, Any]]:
    """Four weeks: a post a day, and four customers a day writing and being answered."""
    out = []
    for d in range(28):
        day = DAY - timedelta(days=28 - d)
        out.append(
            ev(
                "post.created",
                f"post:h{d}",
                day + timedelta(hours=9 + d % 8),
                {
                    "post_id": f"h{d}",
                    "message": f"Driftinfo vecka {d}: allt fungerar. Läs mer på vår sida.",
                    "app": "Meta Business Suite",
                    "admin": {"id": "a1", "name": "Lena"},
                    "type": "link",
                    "links": ["https://bredbandnord.se/drift"],
                },
            )
        )
        for k in range(4):
            t, tid = day + timedelta(hours=10 + 2 * k), f"t{d}-{k}"
            customer = {"id": f"c{d}-{k}", "name": "Kund", "type": "person"}
            out.append(
                ev("message.received", f"in:{tid}", t, {"thread_id": tid, "message": "Hej, nätet är nere?"}, customer)
            )
            out.append(
                ev(
                    "message.sent",
                    f"out:{tid}",
                    t + timedelta(minutes=15),
                    {"thread_id": tid, "message": "Hej! Vi har startat om din router. Mvh kundservice"},
                )
            )
    return out


def run(tmp_path: Path, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in history() + lines))
    (tmp_path / "config.yaml").write_text(CONFIG)
    since = datetime.fromisoformat(lines[0]["time"])
    return [
        r
        for r in firing(replay_records(tmp_path, "config.yaml", "events.jsonl"))
        if r["category"] == "hijack" and datetime.fromisoformat(r["time"].replace("Z", "+00:00")) >= since
    ]


def test_invoice_phishing_to_old_customers_at_night_is_critical_at_the_first_message(tmp_path: Path) -> None:
    t = DAY + timedelta(hours=3, minutes=4)
    text = (
        "Hej! Din faktura är obetald och tjänsten stängs i dag. Betala direkt här: https://bredband-nord-betala.com/f"
    )
    burst = [
        ev("message.sent", f"x{k}", t + timedelta(seconds=50 * k), {"thread_id": f"t{k}-1", "message": text})
        for k in range(20)
    ]
    alerts = run(tmp_path, burst)
    first = min(alerts, key=lambda r: r["time"])
    assert first["severity"] == "critical" and first["rule"] == "hijack.profile_anomaly"
    assert datetime.fromisoformat(first["time"].replace("Z", "+00:00")) == t
    assert any(r["rule"] == "hijack.inbox_outreach" and r["severity"] == "critical" for r in alerts)


def test_customer_service_answers_many_in_a_row_with_the_pages_own_link_stay_quiet(tmp_path: Path) -> None:
    t = DAY + timedelta(hours=20, minutes=30)  # staffed, at an hour the page never posts
    lines = []
    for k in range(15):
        tid, customer = f"n{k}", {"id": f"n{k}", "name": "Kund", "type": "person"}
        lines.append(
            ev(
                "message.received",
                f"in:{tid}",
                t + timedelta(minutes=k),
                {"thread_id": tid, "message": "Hur betalar jag min faktura?"},
                customer,
            )
        )
        lines.append(
            ev(
                "message.sent",
                f"out:{tid}",
                t + timedelta(minutes=k + 2),
                {"thread_id": tid, "message": "Hej! Du betalar din faktura på https://bredbandnord.se/mina-sidor"},
            )
        )
    assert run(tmp_path, lines) == []
