"""A rate limit that lifts by itself within minutes is not paged; one that lasts is, and an expired token at once
(``health.rate_limited``, ``health.source_error``), through ``sentinel replay`` as a user runs it.

The red team's insurance page (rt3-14) had Graph's page limit (code 32) for two and a half minutes on a Wednesday
morning, which used to raise a ``health.source_error`` warning: an error that clears by itself pages nobody."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.rules import load_rules
from sentinel.sources.graph_client import THROTTLE_CODES
from sentinel.testing.replay import firing, replay_records

CONFIG = """\
pages:
  - id: forsakring
    name: Trygghet
    timezone: Europe/Stockholm
    language: sv
    staffed_hours: {mon-fri: "08:00-17:00"}
    holidays: SE
"""
TZ = ZoneInfo("Europe/Stockholm")
BLIP = datetime(2026, 9, 16, 11, 2, tzinfo=TZ)  # a Wednesday: a page limit for 2.5 minutes
LONG = datetime(2026, 9, 17, 10, 0, tzinfo=TZ)  # Thursday: an application limit for 40 minutes
TOKEN = datetime(2026, 9, 18, 14, 0, tzinfo=TZ)  # Friday: the token is invalidated


def health(n: int, t: datetime, kind: str, **obj: Any) -> dict[str, Any]:
    return {
        "id": f"sentinel:{kind}:forsakring:{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "forsakring",
        "kind": kind,
        "actor": None,
        "object": obj,
    }


def test_a_rate_limit_of_minutes_is_not_paged_one_of_40_minutes_is_and_an_expired_token_at_once(
    tmp_path: Path,
) -> None:
    events = [
        health(1, BLIP, "source.error", code=32, message="Page request limit reached", retry_after=120),
        health(2, BLIP + timedelta(seconds=150), "source.recovered"),
        health(3, LONG, "source.error", code=4, message="Application request limit reached", retry_after=300),
        health(4, LONG + timedelta(minutes=40), "source.recovered"),
        health(5, TOKEN, "source.error", code=190, message="Error validating access token", retry_after=None),
        health(6, TOKEN + timedelta(hours=1), "source.recovered"),
    ]
    (tmp_path / "pages.yaml").write_text(CONFIG)
    (tmp_path / "ev.jsonl").write_bytes(b"\n".join(orjson.dumps(e) for e in events) + b"\n")
    warned = [
        (r["rule"], datetime.fromisoformat(r["time"].replace("Z", "+00:00")))
        for r in firing(replay_records(tmp_path, "pages.yaml", "ev.jsonl"))
        if r["severity"] in ("warning", "critical")
    ]
    assert warned == [("health.rate_limited", LONG + timedelta(minutes=15)), ("health.source_error", TOKEN)]


def test_the_rate_limit_rules_know_the_codes_the_graph_source_treats_as_throttling() -> None:
    rules = {r.id: r for r in load_rules([], include_shipped=True).rules}
    for rule_id in ("health.rate_limited", "health.source_error"):
        start = rules[rule_id].default.detector.start
        codes = {int(c) for c in re.search(r"object\.code in \[([^\]]*)\]", start.source).group(1).split(",")}
        assert codes == THROTTLE_CODES, rule_id
