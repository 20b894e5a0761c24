"""``sentinel replay`` as a user runs it, in a subprocess: its output records, for tests at the process boundary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
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


def visitor_comment(n: int, t: datetime, page: str, message: str, *, post: str = "p1") -> dict[str, Any]:
    """Visitor ``n``'s comment ``fb:comment:c<n>`` on ``post`` at ``t`` (a top-level one), as a line of an events file
    (``events.md``)."""
    return {
        "id": f"fb:comment:c{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": page,
        "kind": "comment.created",
        "actor": {"id": f"v{n}", "name": f"Visitor {n}", "type": "person"},
        "object": {"comment_id": f"c{n}", "post_id": post, "parent_id": None, "message": message},
    }


def visitor_reaction(n: int, t: datetime, page: str, target: str, reaction: str) -> dict[str, Any]:
    """Visitor ``n``'s ``reaction`` (``like``, ``angry``, ...) to ``target`` at ``t``, as a line of an events file."""
    return {
        "id": f"fb:reaction:t{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": page,
        "kind": "reaction.created",
        "actor": {"id": f"v{n}", "name": f"Visitor {n}", "type": "person"},
        "object": {"target_id": target, "reaction": reaction},
    }


def replay_lines(folder: Path, config: str, lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Write ``config`` (the YAML text) and ``lines`` (events as ``events.md`` objects, in the order given) into
    ``folder`` and run ``sentinel replay`` over them (``replay_records``)."""
    (folder / "config.yaml").write_text(config, encoding="utf-8")
    (folder / "events.jsonl").write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return replay_records(folder, "config.yaml", "events.jsonl")
