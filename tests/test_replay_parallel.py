"""`sentinel replay --jobs N`: pages split across processes, the output of one process byte for byte."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from sentinel.replay_parallel import AUTO_MIN_BYTES, auto_jobs, partition

ROOT = Path(__file__).resolve().parents[1]


def sentinel(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sentinel", *args], capture_output=True, timeout=300, check=False)


def on_worker(lines: list[bytes], k: int, start: int = 0, *, kind: str = "", text: bytes = b"") -> int:
    """The first simulated line from ``start`` on a page of worker ``k`` of 2 (of ``kind``, with ``text``)."""
    return next(
        i
        for i in range(start, len(lines))
        if lines[i].startswith(b'{"id":"')
        and kind.encode() in lines[i]
        and text in lines[i]
        and partition(orjson.loads(lines[i])["page"], 2) == k
    )


def later(when: str | datetime, seconds: int) -> str:
    t = when if isinstance(when, datetime) else datetime.fromisoformat(when)
    return (t + timedelta(seconds=seconds)).isoformat()


def escape_page(line: bytes) -> bytes:
    """The line with the first letter of its page written as a \\u escape."""
    i = line.index(b'"page":"') + 8
    return line[:i] + b"\\u%04x" % line[i] + line[i + 1 :]


def awkward(lines: list[bytes], due: datetime) -> list[bytes]:
    """The lines with the awkward ones added, on pages of both workers:
    - duplicates (the same page and id: dropped), one with a later time (which moves "now");
    - the same id on another page (another event);
    - a malformed line with the latest time so far (which does not move "now");
    - lines written unusually (blanks in the JSON, \\u escapes, an escaped page, a "page" inside the object, a time
      with a blank, JSON nested deeper than the typed decoder reads), malformed ones without a page (worker 0
      reports them), a time written in UTC (a tie of "now" in another offset);
    - customers' questions delivered after their answers: their SLA timers are due already when armed, and run
      before the next event;
    - lines out of time order around the timer ``due``."""
    out = list(lines)
    for k in (0, 1):
        i = on_worker(out, k, len(out) * (4 + k) // 8)
        ev = orjson.loads(out[i])
        other = orjson.loads(out[on_worker(out, 1 - k, i)])
        z = {**ev, "id": ev["id"] + "-z", "time": datetime.fromisoformat(ev["time"]).astimezone(UTC).isoformat()}
        out[i + 1 : i + 1] = [
            out[i],  # a duplicate
            orjson.dumps({**ev, "time": later(ev["time"], 1800)}),  # a duplicate, half an hour later
            orjson.dumps({**ev, "page": other["page"]}),  # the same id on another page: not a duplicate
            orjson.dumps({**ev, "id": ev["id"] + "-bad", "platform": None, "time": later(ev["time"], 86_400)}),
            json.dumps({**ev, "id": ev["id"] + "-spaced"}).encode(),  # blanks and \u escapes
            orjson.dumps({**ev, "id": ev["id"] + "-nested", "object": {**ev["object"], "page": other["page"]}}),
            escape_page(orjson.dumps({**ev, "id": ev["id"] + "-escaped"})),
            orjson.dumps(z).replace(b"+00:00", b"Z"),
            orjson.dumps({**ev, "id": ev["id"] + "-blank", "time": " " + later(ev["time"], 60)}),
            orjson.dumps({**ev, "id": ev["id"] + "-deep", "object": {**ev["object"], "deep": 0}}).replace(
                b'"deep":0', b'"deep":' + b"[" * 1012 + b"]" * 1012
            ),  # deeper than msgspec goes, not orjson
            b"",
        ]
        q = on_worker(out, k, len(out) // 8, kind="message.received", text=b"?")
        out.insert(q + 2_000, out.pop(q))  # answered before it is asked
    cut = next(i for i, line in enumerate(out) if line and datetime.fromisoformat(orjson.loads(line)["time"]) > due)
    ev = orjson.loads(out[cut])
    out[cut:cut] = [
        orjson.dumps({**ev, "id": ev["id"] + f"-{n}", "time": later(due, s)}) for n, s in enumerate((0, -1, 1, -3600))
    ]  # at the due time, just before it and after it
    late = len(out) * 3 // 4
    out[late:late] = [b'{"id": "bad", "time": "yesterday"}', b"{not json"]  # no page: worker 0 reports them
    return out


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Six simulated pages over twenty days with a crisis and a hijack, plus people and escalation (so incidents
    and notifications happen), and the awkward lines (``awkward``)."""
    d = tmp_path_factory.mktemp("multi")
    events, pages = d / "events.jsonl", d / "pages.yaml"
    proc = sentinel(
        "simulate",
        "--pages",
        "6",
        "--days",
        "20",
        "--seed",
        "3",
        "--crisis",
        "--hijack",
        "-o",
        str(events),
        "--config-out",
        str(pages),
        "-q",
    )
    assert proc.returncode == 0, proc.stderr
    full = (ROOT / "examples" / "druvan.yaml").read_text()
    config = d / "config.yaml"
    config.write_text(pages.read_text() + full[full.index("\npeople:") :])
    clean = run(events, config, "--jobs", "1")
    fired = [
        r
        for r in map(orjson.loads, clean.stdout.splitlines())
        if r.get("rule") == "sla.unanswered" and r["status"] == "firing"
    ]
    due = datetime.fromisoformat(fired[len(fired) // 2]["time"])  # on a timer
    events.write_bytes(b"\n".join(awkward(events.read_bytes().splitlines(), due)) + b"\n")
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
    assert (summary["duplicates"], summary["skipped"]) == (1 + 4, 4)  # the simulation repeats one event itself
    assert summary["out_of_order"] >= 4
    for jobs in ("2", "3"):
        many = run(events, config, "--jobs", jobs)
        assert many.returncode == 0, many.stderr
        assert without_wall_time(many.stdout) == without_wall_time(one.stdout), f"--jobs {jobs}"
        assert many.stderr == one.stderr  # each malformed line is reported once, with its number, in order


async def test_timers_due_before_the_event_that_armed_them_run_before_the_next(
    scenario: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question delivered after its answer arms an SLA timer that is due already: the single process runs it
    before the next event, whatever that event's "now", so the merge places it right after the event that armed
    it. The scenario must have such timers for the comparison above to cover them."""
    import io

    from sentinel.replay import build_engine
    from sentinel.replay_parallel import _Merger, replay_parallel
    from sentinel.settings import load_config

    seen: list[tuple[object, ...]] = []
    merge = _Merger.run

    async def spy(self: _Merger, records: list[Any]) -> None:
        seen.extend(records)
        await merge(self, records)

    monkeypatch.setattr(_Merger, "run", spy)
    events, config_path = scenario
    config = load_config(config_path)
    out = io.StringIO()
    status = await asyncio.wait_for(
        replay_parallel([str(events)], config, build_engine(config, []), 2, out=out, err=io.StringIO(), progress=False),
        timeout=120,
    )
    assert status == 0
    late = [r for r in seen if r[3]]
    assert late and all(r[4] <= r[0] for r in late)  # due by the "now" of the event that armed them


async def test_small_batches_change_nothing(scenario: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers read their events a few at a time before running them, report every few lines and settle "now"
    after a few other lines: the boundaries fall everywhere (the forked workers inherit these sizes), and the
    output is still the single process's."""
    import io

    import sentinel.replay_parallel as parallel
    from sentinel.replay import build_engine
    from sentinel.settings import load_config

    events, config_path = scenario
    one = run(events, config_path, "--jobs", "1")
    config = load_config(config_path)
    for run_events, batch, pending in ((1, 1, 1), (7, 50, 5), (100, 333, 64), (10**6, 50, 5)):
        monkeypatch.setattr(parallel, "RUN_EVENTS", run_events)
        monkeypatch.setattr(parallel, "BATCH_LINES", batch)
        monkeypatch.setattr(parallel, "PENDING_LIMIT", pending)
        out, err = io.StringIO(), io.StringIO()
        status = await asyncio.wait_for(
            parallel.replay_parallel(
                [str(events)], config, build_engine(config, []), 2, out=out, err=err, progress=False
            ),
            timeout=120,
        )
        assert status == 0
        assert without_wall_time(out.getvalue().encode()) == without_wall_time(one.stdout), (run_events, batch)
        assert err.getvalue().encode() == one.stderr


def test_strict_stops_at_the_same_line_with_several_jobs(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    one = run(events, config, "--jobs", "1", "--strict")
    two = run(events, config, "--jobs", "2", "--strict")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and two.stdout  # what came before the bad line, and no summary
    assert two.stderr == one.stderr
    assert b"'platform' must be a non-empty string, got None (stopped: --strict)" in two.stderr


def test_several_files_are_merged_by_time_with_several_jobs(scenario: tuple[Path, Path], tmp_path: Path) -> None:
    events, config = scenario
    lines = events.read_bytes().splitlines(keepends=True)
    halves = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    halves[0].write_bytes(b"".join(lines[0::2]))
    halves[1].write_bytes(b"".join(lines[1::2]))
    one = sentinel("replay", "--no-progress", "--jobs", "1", "--config", str(config), *map(str, halves))
    two = sentinel("replay", "--no-progress", "--jobs", "2", "--config", str(config), *map(str, halves))
    assert one.returncode == two.returncode == 0
    assert without_wall_time(two.stdout) == without_wall_time(one.stdout)
    assert two.stderr == one.stderr and one.stderr.count(b"skipped") == 4 + 1


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

    from sentinel.replay import build_engine
    from sentinel.replay_parallel import replay_parallel
    from sentinel.settings import load_config

    events, config_path = scenario
    config = load_config(config_path)
    engine = build_engine(config, [])

    def broken(event: object, now: object, now_ts: float | None = None) -> list[object]:
        raise RuntimeError("detector state is corrupt")

    engine.process = broken  # type: ignore[method-assign]  # the forked workers inherit the broken engine
    out, err = io.StringIO(), io.StringIO()
    status = await asyncio.wait_for(
        replay_parallel([str(events)], config, engine, 2, out=out, err=err, progress=False), timeout=60
    )
    assert status == 1
    assert "failed: RuntimeError: detector state is corrupt" in err.getvalue()
    assert '"type":"summary"' not in out.getvalue()


def test_standard_input_is_replayed_in_one_process_with_a_note(scenario: tuple[Path, Path]) -> None:
    events, config = scenario
    piped = subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", "--jobs", "2", "--config", str(config), "-"],
        input=events.read_bytes(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    one = run(events, config, "--jobs", "1")
    assert piped.returncode == 0
    assert without_wall_time(piped.stdout) == without_wall_time(one.stdout)
    assert b"one process, not 2: standard input can be read only once" in piped.stderr
