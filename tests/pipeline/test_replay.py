"""`sentinel replay` as docs/replay.md says: JSON lines only on stdout, line-numbered errors, exit codes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.pipeline.stream import Counts, EventStream, RecentIds
from sentinel.testing import at, event, person

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT.parent / "shared" / "scenarios" / "dev"
SEVERITIES = {"info", "warning", "critical"}
CATEGORIES = {"hijack", "crisis", "sla", "health", "other"}


def replay(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )


def check_record(rec: dict[str, Any]) -> None:
    """One output record of docs/replay.md."""
    assert rec["type"] in {"alert", "notification", "summary"}, rec
    if rec["type"] == "summary":
        return
    datetime.fromisoformat(rec["time"].replace("Z", "+00:00"))
    assert rec["time"].endswith("Z")
    if rec["type"] == "alert":
        assert rec["status"] in {"firing", "resolved", "suppressed"}
        assert rec["category"] in CATEGORIES and rec["severity"] in SEVERITIES
        assert isinstance(rec["rule"], str) and isinstance(rec["page"], str) and isinstance(rec["summary"], str)
        assert isinstance(rec["labels"], dict) and "incident" in rec
        if rec["status"] == "suppressed":
            assert rec.get("reason")
    else:
        assert {"incident", "channel", "to", "step"} <= rec.keys()


def records(out: bytes) -> list[dict[str, Any]]:
    recs = [orjson.loads(line) for line in out.splitlines()]  # every line must be JSON
    for r in recs:
        check_record(r)
    assert recs[-1]["type"] == "summary"
    return recs


def lines(*evs: Any) -> bytes:
    return b"\n".join(orjson.dumps(e.to_json()) for e in evs) + b"\n"


GRANT = event(
    "role.granted", at(), page="shop", actor=person("Ida"), user={"id": "9", "name": "Mr X"}, tasks=["MANAGE"]
)
COMMENT = event("comment.created", at("1m"), page="shop", actor=person(), message="Hej?", post_id="p", comment_id="c")


def test_malformed_line_in_the_middle_is_reported_with_its_number_and_skipped(tmp_path: Path) -> None:
    f = tmp_path / "events.jsonl"
    bad = b'{"id": "x", "time": "yesterday", "platform": "facebook", "page": "shop", "kind": "post.deleted"}\n'
    f.write_bytes(lines(GRANT) + bad + lines(COMMENT))
    proc = replay(str(f))
    assert proc.returncode == 0, proc.stderr
    assert f"{f}:2: " in proc.stderr.decode() and "not an RFC 3339 time" in proc.stderr.decode()
    summary = records(proc.stdout)[-1]
    assert (summary["events"], summary["skipped"]) == (2, 1)


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_time_with_no_instant_in_utc_is_a_skipped_line_not_a_traceback(tmp_path: Path, when: str) -> None:
    """The year 0 or 10000 in UTC: a line the typed decoder reads, and local time overflowed on (exit 1)."""
    f = tmp_path / "events.jsonl"
    bad = b'{"id": "x", "time": "%s", "platform": "facebook", "page": "shop", "kind": "post.deleted"}\n' % when.encode()
    f.write_bytes(lines(GRANT) + bad + lines(COMMENT))
    proc = replay(str(f))
    assert proc.returncode == 0, proc.stderr
    assert f"{f}:2: 'time' is not an instant between the years 1 and 9999 in UTC" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    assert records(proc.stdout)[-1]["skipped"] == 1


def test_a_grant_whose_tasks_are_a_string_is_a_skipped_line_naming_the_field(tmp_path: Path) -> None:
    """``"tasks": "MANAGE"`` was read as no MANAGE: a night-time full-control grant was a warning, not critical."""
    f = tmp_path / "events.jsonl"
    bad = orjson.dumps({**GRANT.to_json(), "id": "g2", "object": {"user": {"id": "9", "name": "X"}, "tasks": "MANAGE"}})
    f.write_bytes(lines(COMMENT) + bad + b"\n")
    proc = replay(str(f))
    assert proc.returncode == 0, proc.stderr
    assert f"{f}:2: 'object.tasks' must be a list of strings" in proc.stderr.decode()
    assert records(proc.stdout)[-1]["skipped"] == 1


def test_strict_stops_at_the_malformed_line_with_exit_1(tmp_path: Path) -> None:
    f = tmp_path / "events.jsonl"
    f.write_bytes(lines(GRANT) + b"{not json\n" + lines(COMMENT))
    proc = replay("--strict", str(f))
    assert proc.returncode == 1
    assert f"{f}:2: not valid JSON" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_without_config_every_page_is_monitored_and_stdin_works() -> None:
    proc = replay("-", stdin=lines(GRANT, COMMENT))
    assert proc.returncode == 0, proc.stderr
    recs = records(proc.stdout)
    assert any(r["type"] == "alert" and r["page"] == "shop" and r["rule"] == "hijack.manage_granted" for r in recs)


def test_a_config_error_is_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("pages:\n  - id: shop\n    timezone: Mars/Olympus\n")
    f = tmp_path / "events.jsonl"
    f.write_bytes(lines(GRANT))
    proc = replay("--config", str(cfg), str(f))
    assert proc.returncode == 2
    assert f"{cfg}:3:5: pages[0].timezone: unknown time zone" in proc.stderr.decode()
    assert proc.stdout == b""


def test_a_missing_events_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = replay(str(tmp_path / "nope.jsonl"))
    assert proc.returncode == 2 and b"no such events file" in proc.stderr


SCENARIO_DIRS = sorted(p for p in SCENARIOS.glob("*") if (p / "events.jsonl").is_file())


@pytest.mark.skipif(
    not SCENARIO_DIRS and os.environ.get("CI") != "true", reason=f"no labelled scenarios at {SCENARIOS}"
)
@pytest.mark.parametrize("scenario", SCENARIO_DIRS or [SCENARIOS / "missing"], ids=lambda p: p.name)
def test_dev_scenarios_replay_to_valid_records_only(scenario: Path) -> None:
    proc = replay("--config", str(scenario / "config.yaml"), str(scenario / "events.jsonl"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    recs = records(proc.stdout)
    assert recs[-1]["skipped"] == 0 and recs[-1]["events"] > 1000


def test_a_duplicate_is_the_same_platform_page_and_id_and_still_moves_the_clock(tmp_path: Path) -> None:
    """docs/events.md: the same occurrence seen twice has the same platform, page and id. A repeat is dropped, but
    its time counts for the simulated "now" (a true repeat has the same time); a malformed line's time does not."""
    first = event("comment.created", at(), page="shop", id="c1", message="Hej")
    f = tmp_path / "events.jsonl"
    f.write_bytes(
        lines(
            first,
            event("comment.created", at("1h"), page="shop", id="c1", message="Hej"),  # a repeat, an hour later
            event("comment.created", at("30m"), page="shop", id="c2", message="Hej"),  # before "now": out of order
            event("comment.created", at("2h"), page="cafe", id="c1", message="Hej"),  # another page: another event
            # another platform: another event
            event("comment.created", at("2h"), page="shop", id="c1", platform="instagram", message="Hej"),
        )
        + b'{"id": "c3", "time": "'
        + at("5h").isoformat().encode()
        + b'", "page": "shop", "kind": "k"}\n'
        + lines(
            event("comment.created", at("3h"), page="shop", id="c4", message="Hej"),  # in order: the bad line is not
        )
    )
    summary = records(replay(str(f)).stdout)[-1]
    assert (summary["events"], summary["duplicates"], summary["out_of_order"], summary["skipped"]) == (5, 1, 1, 1)


def test_an_id_on_another_page_or_platform_does_not_hide_a_hijack(tmp_path: Path) -> None:
    """The red-team case, in replay: a comment with id 42 on page ``other``, then a stranger given MANAGE on
    ``druvan`` with the same id fires, as it does in the daemon (tests/adversarial/test_same_id_other_page.py); and
    so does one after an instagram event of that id on ``druvan`` itself."""
    config = tmp_path / "sentinel.yaml"
    config.write_text("pages:\n  - id: druvan\n    timezone: UTC\n  - id: other\n    timezone: UTC\n")
    grant = event("role.granted", at("1m"), id="42", user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])
    for first in (
        event("comment.created", at(), page="other", id="42", message="hej", post_id="p1", comment_id="42"),
        event("comment.created", at(), platform="instagram", id="42", message="hej", post_id="p1", comment_id="42"),
    ):
        f = tmp_path / "events.jsonl"
        f.write_bytes(lines(first, grant))
        recs = records(replay("--config", str(config), str(f)).stdout)
        assert recs[-1]["duplicates"] == 0 and recs[-1]["events"] == 2
        assert [r["rule"] for r in recs if r["type"] == "alert" and r["status"] == "firing"] == [
            "hijack.manage_granted"
        ]


def test_an_identity_is_remembered_for_a_window_of_lines_from_its_first_sight() -> None:
    recent = RecentIds(window=3)
    assert not recent.repeated(("facebook", "shop", "a"), 1)
    assert not recent.repeated(("facebook", "cafe", "a"), 2)  # another page
    assert not recent.repeated(("instagram", "shop", "a"), 2)  # another platform
    assert recent.repeated(("facebook", "shop", "a"), 3)  # within 3 lines of line 1
    assert not recent.repeated(("facebook", "shop", "a"), 4)  # a repeat does not extend the memory: seen anew
    assert recent.repeated(("facebook", "shop", "a"), 5)


@pytest.mark.parametrize("window", [1, 2, 5, 16])
def test_recent_ids_is_a_window_of_lines_from_the_first_sight(window: int) -> None:
    """Against the definition, over many windows (the memory is swept of old lines every half window)."""
    rng = random.Random(window)
    recent = RecentIds(window=window)
    first: dict[tuple[str, str, str], int] = {}
    line = 0
    for _ in range(2_000):
        line += rng.choice([1, 1, 2, 7])
        key = (rng.choice(["facebook", "x"]), rng.choice("ab"), str(rng.randrange(6)))
        expected = key in first and first[key] > line - window
        if not expected:
            first[key] = line
        assert recent.repeated(key, line) is expected, (key, line)


def test_the_clock_keeps_the_earliest_way_of_writing_its_latest_time(tmp_path: Path) -> None:
    """Two lines at one instant in different offsets: "now" is the first of them, as written."""
    f = tmp_path / "events.jsonl"
    utc = event("comment.created", at(), page="shop", message="Hej")
    local = event("comment.created", at().astimezone(timezone(timedelta(hours=2))), page="shop", message="Hej")
    f.write_bytes(lines(utc, local))
    stream = EventStream([str(f)], Counts(), lambda n, e: None)
    nows = [now for _, _, now in stream]
    assert [n.utcoffset() for n in nows] == [timedelta(0), timedelta(0)]
