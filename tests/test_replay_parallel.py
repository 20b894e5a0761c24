"""`sentinel replay --jobs N`: pages split across processes, the output of one process byte for byte."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from sentinel.replay_parallel import AUTO_MIN_BYTES, auto_jobs, partition

ROOT = Path(__file__).resolve().parents[1]


def sentinel(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sentinel", *args], capture_output=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Five simulated pages over two weeks with a crisis and a hijack, plus people and escalation (so incidents
    and notifications happen), and the awkward lines: a duplicate id on another page, an event out of time
    order, a malformed line."""
    d = tmp_path_factory.mktemp("multi")
    events, pages = d / "events.jsonl", d / "pages.yaml"
    proc = sentinel("simulate", "--pages", "5", "--days", "15", "--seed", "5", "--crisis", "-o", str(events),
                    "--config-out", str(pages), "-q")
    assert proc.returncode == 0, proc.stderr
    full = (ROOT / "examples" / "druvan.yaml").read_text()
    config = d / "config.yaml"
    config.write_text(pages.read_text() + full[full.index("\npeople:"):])
    lines = events.read_bytes().splitlines()
    mid = len(lines) // 2
    first, late = orjson.loads(lines[mid]), orjson.loads(lines[mid + 50])
    dup = {**first, "page": "another_page"}  # the same id again, on a page of the other worker: dropped by both
    early = {**late, "id": late["id"] + "-early", "time": first["time"]}  # out of order: runs at the latest time
    lines[mid + 200:mid + 200] = [orjson.dumps(dup), orjson.dumps(early), b'{"id": "bad", "time": "yesterday"}']
    events.write_bytes(b"\n".join(lines) + b"\n")
    return events, config


def run(events: Path, config: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return sentinel("replay", "--no-progress", "--config", str(config), *extra, str(events))


def without_wall_time(out: bytes) -> list[bytes]:
    lines = out.splitlines()
    summary = orjson.loads(lines[-1])
    assert summary["type"] == "summary"
    summary.pop("wall_s")
    return [*lines[:-1], orjson.dumps(summary)]


def test_several_jobs_print_exactly_what_one_process_prints(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    one = run(events, config, "--jobs", "1")
    assert one.returncode == 0, one.stderr
    recs = [orjson.loads(x) for x in one.stdout.splitlines()]
    kinds = {r["type"] for r in recs}
    assert kinds == {"alert", "notification", "summary"}  # the comparison covers incidents and paging too
    assert {partition(r["page"], 2) for r in recs if r["type"] == "alert"} == {0, 1}  # both workers alert
    summary = recs[-1]
    assert (summary["duplicates"], summary["out_of_order"], summary["skipped"]) == (1, 1, 1)
    for jobs in ("2", "3"):
        many = run(events, config, "--jobs", jobs)
        assert many.returncode == 0, many.stderr
        assert without_wall_time(many.stdout) == without_wall_time(one.stdout), f"--jobs {jobs}"
        assert many.stderr == one.stderr  # the malformed line is reported once, with its number


def test_strict_stops_at_the_same_line_with_several_jobs(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    one = run(events, config, "--jobs", "1", "--strict")
    two = run(events, config, "--jobs", "2", "--strict")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and two.stdout  # what came before the bad line, and no summary
    assert two.stderr == one.stderr
    assert b"'platform' is missing (stopped: --strict)" in two.stderr


def test_jobs_must_be_a_positive_number(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    for bad in ("0", "two"):
        proc = run(events, config, "--jobs", bad)
        assert proc.returncode == 2
        assert b"--jobs" in proc.stderr


def test_the_default_is_one_process_for_small_files_and_stdin(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"{}\n")
    assert auto_jobs([str(small)]) == 1
    assert auto_jobs(["-"]) == 1
    big = tmp_path / "big.jsonl"
    with big.open("wb") as f:
        f.truncate(AUTO_MIN_BYTES)
    assert auto_jobs([str(big)]) == min(len(os.sched_getaffinity(0)), 4)  # one per CPU, at most 4
    assert auto_jobs([str(big), "-"]) == 1


async def test_a_failing_worker_is_reported_and_the_run_exits_1(scenario: tuple[Path, Path]) -> None:
    import io

    from sentinel.config import load_config
    from sentinel.replay import build_engine
    from sentinel.replay_parallel import replay_parallel

    events, config_path = scenario
    config = load_config(config_path)
    engine = build_engine(config, [])

    def broken(event: object, now: object) -> list[object]:
        raise RuntimeError("detector state is corrupt")

    engine.process = broken  # type: ignore[method-assign]  # the forked workers inherit the broken engine
    out, err = io.StringIO(), io.StringIO()
    status = await asyncio.wait_for(replay_parallel([str(events)], config, engine, 2, out=out, err=err,
                                                    progress=False), timeout=60)
    assert status == 1
    assert "failed: RuntimeError: detector state is corrupt" in err.getvalue()
    assert '"type":"summary"' not in out.getvalue()


def test_standard_input_is_replayed_in_one_process_with_a_note(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    piped = subprocess.run([sys.executable, "-m", "sentinel", "replay", "--no-progress", "--jobs", "2",
                            "--config", str(config), "-"], input=events.read_bytes(), capture_output=True,
                           timeout=300, check=False)
    one = run(events, config, "--jobs", "1")
    assert piped.returncode == 0
    assert without_wall_time(piped.stdout) == without_wall_time(one.stdout)
    assert b"one process, not 2: standard input can be read only once" in piped.stderr
