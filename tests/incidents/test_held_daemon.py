"""The real daemon on its test clock (``SENTINEL_TEST_CLOCK``): a hijack warning held off hours whose alert ends
an hour later is still delivered to the route's people at the staffed time, as ``sentinel replay`` prints it."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from sentinel.model import Actor
from sentinel.testing import event
from sentinel.testing.daemon import daemon_settings, free_port, sentinel_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = pytest.mark.slow

TOKEN = "held-daemon-ingest-token"
STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY_NIGHT = datetime(2025, 11, 21, 22, 0, tzinfo=STHLM)  # off hours; staffed next on Saturday 10:00
SATURDAY_STEP = datetime(2025, 11, 22, 10, 0, 30, tzinfo=STHLM)  # then, and the route's group_wait of 30s


def config(workdir: Path, port: int, hook_url: str) -> Path:
    """examples/druvan.yaml's page and route for hijack warnings, its community team reached by a webhook."""
    cfg = workdir / "sentinel.yaml"
    cfg.write_text(
        f"""pages:
  - id: druvan
    timezone: Europe/Stockholm
    staffed_hours: {{mon-fri: "08:00-17:00", sat: "10:00-14:00"}}
    holidays: SE
people:
  - name: lena
    language: sv
    channels: [webhook]
teams:
  - name: community
    members: [lena]
escalation:
  group_wait: 30s
  policies:
    - name: community
      steps:
        - targets: [{{team: community}}]
  routes:
    - category: hijack
      severity: warning
      policy: community
      hold_until_staffed: true
      repeat_interval: 1d
    - {{category: hijack, severity: critical, policy: community}}
notify:
  channels:
    webhook: {{type: webhook, url: "{hook_url}/hook"}}
"""
        + daemon_settings(workdir, port)
    )
    return cfg


async def test_the_daemon_delivers_a_held_hijack_warning_at_the_staffed_time_after_its_alert_ended(tmp_path):
    grant = event(
        "role.granted",
        FRIDAY_NIGHT,
        id="held:grant",
        actor=Actor(id="666", name="Mallory", type="person"),
        user={"id": "667", "name": "Mallory Two"},
        tasks=["ANALYZE"],  # statistics only: a warning off hours (rights to act as the page are paged at once)
    )
    async with serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = config(tmp_path, port, hook_url)
        os.environ["SENTINEL_TEST_CLOCK"] = (FRIDAY_NIGHT - timedelta(seconds=1)).isoformat()
        try:
            async with sentinel_daemon(cfg, port, TOKEN) as daemon, aiohttp.ClientSession() as s:

                async def clock(*times: datetime) -> None:
                    body = {"times": [t.isoformat() for t in times]}
                    async with s.post(f"{daemon.url}/-/test/clock", json=body) as r:
                        assert r.status == 200, await r.text()

                await clock(FRIDAY_NIGHT)
                await daemon.post_events([grant])
                night = [FRIDAY_NIGHT + timedelta(minutes=5 * k) for k in range(1, 12 * 12)]  # its scheduler, ticking
                await clock(*night, SATURDAY_STEP - timedelta(seconds=1))
                assert hook.delivered == []  # nobody told in the night ...
                await clock(SATURDAY_STEP, SATURDAY_STEP + timedelta(seconds=1))
                await daemon.until("the held page", lambda: hook.delivered)
        finally:
            del os.environ["SENTINEL_TEST_CLOCK"]
    [page] = [r.json for r in hook.delivered]
    assert (page["incident"], page["kind"], page["to"], page["step"]) == ("inc-000001", "page", "community:lena", 1)
    assert datetime.fromisoformat(page["time"]) == SATURDAY_STEP.astimezone(UTC)
    # ... though its alert had ended in the night (when the daemon saw the rule's hour pass), which the page says
    conn = sqlite3.connect(tmp_path / "sentinel.db")
    try:
        alerts = [json.loads(body) for (body,) in conn.execute("SELECT body FROM alerts ORDER BY seq")]
    finally:
        conn.close()
    assert [(a["rule"], a["status"]) for a in alerts] == [
        ("hijack.role_granted", "firing"),
        ("hijack.role_granted", "resolved"),
    ]
    ended = datetime.fromisoformat(alerts[1]["time"].replace("Z", "+00:00"))
    assert FRIDAY_NIGHT + timedelta(hours=1) <= ended < FRIDAY_NIGHT + timedelta(hours=2)
    assert page["evidence"][-1] == f"Larmen upphörde {ended.astimezone(STHLM):%Y-%m-%d %H:%M %Z}."
