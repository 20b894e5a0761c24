"""Who is paged in the hour the clocks repeat, through ``sentinel replay`` as a subprocess: a seventh attacker round
found a night-time hijack at 02:10 CET on 2025-10-26 (after the 02:30 CEST hand-off) paged the person whose shift
had ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """pages:
  - {id: shop, timezone: Europe/Stockholm, language: sv, staffed_hours: {mon-fri: "09:00-17:00"}}
  - {id: cafe, timezone: Europe/Stockholm, language: sv, staffed_hours: {mon-fri: "09:00-17:00"}}
notify:
  channels:
    email: {type: smtp, host: 127.0.0.1, port: 2525, tls: none, sender: s@x.example}
people:
  - {name: anna, email: anna@x.example, channels: [email]}
  - {name: bo, email: bo@x.example, channels: [email]}
schedules:
  - name: night
    timezone: Europe/Stockholm
    layers:
      - {name: daily, users: [anna, bo], rotation: daily, handoff: "02:30", start: 2025-01-01}
escalation:
  policies:
    - name: hijack
      steps:
        - {targets: [{schedule: night}], channels: [email]}
  routes:
    - {category: hijack, severity: critical, policy: hijack, group_wait: 0s}
"""


def grant(at: str, page: str) -> str:
    return json.dumps(
        {
            "id": f"g-{page}",
            "time": at,
            "platform": "facebook",
            "page": page,
            "kind": "role.granted",
            "actor": {"id": "a1", "name": "Ida Admin", "type": "person"},
            "object": {"user": {"id": "666", "name": "Mr X"}, "tasks": ["MANAGE"]},
        }
    )


def test_a_hijack_in_the_repeated_hour_pages_who_took_over_at_the_hand_off(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(CONFIG)
    events = [grant("2025-10-26T00:20:00Z", "cafe"), grant("2025-10-26T01:10:00Z", "shop")]  # two incidents
    (tmp_path / "e.jsonl").write_text("\n".join(events) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", "-c", "s.yaml", "e.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    paged = [
        (r["time"], r["to"])
        for r in map(json.loads, done.stdout.splitlines())
        if r["type"] == "notification" and r.get("kind") == "page"
    ]
    # 02:20 CEST, before the hand-off: bo's night (2025-10-25 02:30 on); 02:10 CET, after it: anna's
    assert paged == [("2025-10-26T00:20:00Z", "night:bo"), ("2025-10-26T01:10:00Z", "night:anna")]
