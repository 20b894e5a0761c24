"""``sentinel replay`` as a user runs it, in a subprocess: its output records, for tests at the process boundary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson


def replay_records(folder: Path, config: str, events: str, *, timeout: float = 300.0) -> list[dict[str, Any]]:
    """Run ``python -m sentinel replay --no-progress --config CONFIG EVENTS`` in ``folder``; its JSON lines. Fails
    with its standard error when it exits non-zero."""
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", "replay", "--no-progress", "--config", config, events],
        cwd=folder,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"sentinel replay exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return [orjson.loads(line) for line in proc.stdout.splitlines()]


def firing(records: list[dict[str, Any]], rule: str | None = None) -> list[dict[str, Any]]:
    """The alert records that start firing (of ``rule``, if given)."""
    return [
        r for r in records if r["type"] == "alert" and r["status"] == "firing" and (rule is None or r["rule"] == rule)
    ]
