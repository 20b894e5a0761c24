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
