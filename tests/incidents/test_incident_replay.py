"""Replaying dev-01 with examples/druvan.yaml prints the expected notification records."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sentinel.settings.oncall import load_oncall

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "druvan.yaml"
EVENTS = ROOT.parent / "shared" / "scenarios" / "dev" / "dev-01" / "events.jsonl"

needs_events = pytest.mark.skipif(
    not EVENTS.is_file() and os.environ.get("CI") != "true", reason=f"scenario events not found at {EVENTS}"
)


def check_records(records: list[dict]) -> None:
    notes = [r for r in records if r["type"] == "notification"]
    hijack = next(
        r
        for r in records
        if r["type"] == "alert"
        and r["category"] == "hijack"
        and r["severity"] == "critical"
        and r["status"] == "firing"
    )
    inc = hijack["incident"]
    first = [n for n in notes if n["incident"] == inc]
    # the Friday-night takeover (21:33:40 Stockholm) texts and e-mails security on call at once ...
    assert first[0]["time"] == hijack["time"] == "2025-09-26T19:33:40Z"
    assert {(n["channel"], n["to"], n["step"]) for n in first[:2]} == {
        ("sms", "security-oncall:erik", 1),
        ("email", "security-oncall:erik", 1),
    }
    # ... the communications lead 10 minutes later, nobody having acknowledged ...
    assert {(n["time"], n["channel"], n["to"], n["step"]) for n in first[2:4]} == {
        ("2025-09-26T19:43:40Z", "sms", "anna", 2),
        ("2025-09-26T19:43:40Z", "email", "anna", 2),
    }
    # ... and, as nobody acknowledges in a replay, no all-clear when the takeover's alerts end an hour later:
    # reminders go on until a person takes the incident down
    assert not [n for n in first if n.get("kind") == "resolved"]
    assert any(n["time"] > "2025-09-27T00:00:00Z" and n.get("kind", "page") == "page" for n in first)
    # the traps (a legitimate role grant, a contest spike) page nobody
    assert all(n["time"] >= "2025-09-26T19:33:40Z" for n in notes)
    assert all(set(n) >= {"type", "time", "incident", "channel", "to", "step"} for n in notes)


@needs_events
async def test_replaying_dev01_with_the_example_config_pages_security_then_the_comms_lead():
    from sentinel.pipeline.replay import replay

    root, _ = load_oncall(EXAMPLE)
    out, err = io.StringIO(), io.StringIO()
    assert await replay([str(EVENTS)], root, [], out=out, err=err, progress=False) == 0
    check_records([json.loads(line) for line in out.getvalue().splitlines()])


@needs_events
def test_sentinel_replay_command_with_examples_druvan_yaml():
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", "--config", str(EXAMPLE), str(EVENTS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    check_records([json.loads(line) for line in proc.stdout.splitlines()])
