"""The strict tooling is part of the test suite, so one command checks everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_finds_nothing() -> None:
    r = run(sys.executable, "-m", "ruff", "check", "sentinel", "tests", "bench")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_passes_on_the_package() -> None:
    r = run(sys.executable, "-m", "mypy", "sentinel")
    assert r.returncode == 0, r.stdout[-5000:] + r.stderr[-2000:]


def test_no_code_outside_clock_reads_the_time() -> None:
    offenders = []
    for path in (ROOT / "sentinel").rglob("*.py"):
        if path.name == "clock.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("datetime.now(", "time.time(", "datetime.utcnow(", "date.today(", "time.monotonic("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_the_throughput_benchmark_repeats_and_summarises(tmp_path: Path) -> None:
    """The harness itself (a stand-in command for ``sentinel replay``): each run, then the spread."""
    events = tmp_path / "events.jsonl"
    events.write_text("{}\n" * 1000)
    r = run(
        sys.executable,
        "bench/replay_throughput.py",
        "--events",
        str(events),
        "--repeat",
        "3",
        "--replay-cmd",
        "wc -l {events}",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    runs = [line for line in lines if line.startswith("replay: exit 0, 1,000 events in ")]
    assert len(runs) == 3
    spread = [line for line in lines if line.startswith("replay events/s over 3 runs: least ")]
    assert len(spread) == 1 and "median" in spread[0] and "most" in spread[0]
    assert len([line for line in lines if line.startswith("bare orjson.loads pass over the file: CPU ")]) == 1
    assert len([line for line in lines if line.endswith("x the bare orjson.loads pass")]) == 3


def test_the_tree_is_ruff_format_clean() -> None:
    r = run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
