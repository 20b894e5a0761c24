"""Staffed time at the real boundary: ``sentinel replay`` fires ``sla.unanswered`` and ``sentinel report`` counts
staffed seconds in real elapsed time across a DST change, and count overlapping ranges of one day once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_ACTOR = {"id": "999", "name": "Druvan", "type": "page"}
ANNA = {"id": "1001", "name": "Anna Berg", "type": "person"}


def sentinel(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def comment(at: datetime, cid: str, message: str, parent: str | None = None) -> dict[str, Any]:
    return {
        "id": f"fb:comment:{cid}",
        "time": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "platform": "facebook",
        "page": "druvan",
        "kind": "comment.created",
        "actor": PAGE_ACTOR if parent else ANNA,
        "object": {"comment_id": cid, "post_id": "P1", "parent_id": parent, "message": message, "links": []},
    }


def ticks(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """A visitor's likes every five minutes: the replay's clock moves on."""
    out, t, n = [], start, 0
    while t <= end:
        n += 1
        out.append(
            {
                "id": f"fb:reaction:t{n}",
                "time": t.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                "platform": "facebook",
                "page": "druvan",
                "kind": "reaction.created",
                "actor": {"id": "7777", "name": "Tick", "type": "person"},
                "object": {"target_id": "P1", "reaction": "like"},
            }
        )
        t += timedelta(minutes=5)
    return out


def files(tmp: Path, staffed: dict[str, str], sla: str, events: list[dict[str, Any]]) -> tuple[str, str]:
    cfg, evs = tmp / "sentinel.yaml", tmp / "events.jsonl"
    hours = "".join(f'      {k}: "{v}"\n' for k, v in staffed.items())
    cfg.write_text(
        "pages:\n  - id: druvan\n    name: Druvan\n    timezone: Europe/Stockholm\n    language: sv\n"
        f"    staffed_hours:\n{hours}    response_sla: {sla}\n",
        encoding="utf-8",
    )
    evs.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return str(cfg), str(evs)


def first_unanswered(tmp: Path, staffed: dict[str, str], sla: str, events: list[dict[str, Any]]) -> datetime:
    r = sentinel("replay", "--no-progress", "-c", *files(tmp, staffed, sla, events))
    assert r.returncode == 0, r.stderr[-2000:]
    fired = [
        json.loads(line)
        for line in r.stdout.splitlines()
        if '"sla.unanswered"' in line and '"firing"' in line and '"alert"' in line
    ]
    assert fired, r.stdout[-2000:]
    return datetime.fromisoformat(fired[0]["time"].replace("Z", "+00:00"))


def comment_report(tmp: Path, staffed: dict[str, str], sla: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    r = sentinel("report", "-c", *files(tmp, staffed, sla, events)[:1], "--format", "json", str(tmp / "events.jsonl"))
    assert r.returncode == 0, r.stderr[-2000:]
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    return next(row for row in rows if row["channel"] == "comment")


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        ("2025-03-29T12:00:00+01:00", datetime(2025, 3, 30, 11, 0, tzinfo=UTC)),  # spring: not an hour early
        ("2025-10-25T12:00:00+02:00", datetime(2025, 10, 26, 10, 0, tzinfo=UTC)),  # autumn: not an hour late
    ],
)
def test_replay_fires_24_staffed_hours_across_a_dst_change_24_real_hours_later(
    tmp_path: Path, asked: str, due: datetime
) -> None:
    t0 = datetime.fromisoformat(asked)
    events = [comment(t0, "C1", "Har ni öppet på söndag?"), *ticks(due - timedelta(hours=2), due + timedelta(hours=2))]
    assert first_unanswered(tmp_path, {"mon-sun": "00:00-24:00"}, "24h", events) == due


def test_report_counts_a_47_hour_answer_across_the_spring_change_as_47_staffed_hours(tmp_path: Path) -> None:
    asked = datetime.fromisoformat("2025-03-29T12:00:00+01:00")
    answered = datetime.fromisoformat("2025-03-31T12:00:00+02:00")  # 47 real hours later
    events = [comment(asked, "C1", "Har ni öppet på söndag?"), comment(answered, "R1", "Ja, 10-14!", parent="C1")]
    row = comment_report(tmp_path, {"mon-sun": "00:00-24:00"}, "2830m", events)  # a promise of 47h10m
    assert row["median_first_response_s"] == row["median_first_response_staffed_s"] == 47 * 3600
    assert row["answered_within_sla"] == 1


def test_replay_and_report_count_a_longer_friday_written_beside_mon_fri_once(tmp_path: Path) -> None:
    staffed = {"mon-fri": "08:00-17:00", "fri": "12:00-20:00"}
    asked = datetime.fromisoformat("2025-09-26T16:00:00+02:00")  # a Friday
    question = comment(asked, "C1", "Har ni öppet på lördag?")
    due = first_unanswered(tmp_path, staffed, "4h", [question, *ticks(asked, asked + timedelta(hours=5))])
    assert due == datetime.fromisoformat("2025-09-26T20:00:00+02:00")
    answer = comment(asked + timedelta(hours=3, minutes=30), "R1", "Ja!", parent="C1")
    row = comment_report(tmp_path, staffed, "4h", [question, answer])
    assert row["median_first_response_staffed_s"] == row["median_first_response_s"] == 3.5 * 3600
    assert row["answered_within_sla"] == 1


@pytest.mark.parametrize("command", ["check", "replay"])
def test_a_promise_too_long_for_sparse_staffed_hours_is_a_config_error_naming_file_line_and_field(
    tmp_path: Path, command: str
) -> None:
    """A week of staffed time on a page staffed two hours a week falls due after 84 weeks: the old search gave up
    after 400 days and the question was tracked by nobody while ``sentinel check`` said ok."""
    question = comment(datetime(2025, 9, 23, 7, tzinfo=UTC), "C1", "Har ni öppet?")
    cfg, evs = files(tmp_path, {"sat": "10:00-12:00"}, "1w", [question])
    r = sentinel(command, "-c", cfg, *([evs] if command == "replay" else []))
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {cfg}:8:5: pages[0].response_sla: 7d needs 84 weeks of these staffed hours (2h a week) to fall due; "
        "a deadline is looked for at most 366 days ahead: promise less, or add staffed hours"
    ], r.stderr[-2000:]
