"""``sentinel replay``: the daemon's detection, incident and on-call logic over event files.

Streams: events are read line by line (several files are merged by time),
so memory does not grow with the number of events. The clock is the event
time. Output is JSON lines on ``out``; messages and progress go to ``err``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sentinel.clock import SystemClock
from sentinel.errors import EventError
from sentinel.model import Event
from sentinel.pipeline.build import build_pipeline
from sentinel.pipeline.core import Pipeline
from sentinel.pipeline.outputs import JsonlOutput
from sentinel.pipeline.stream import Counts, EventStream, Progress, quiet_gc
from sentinel.rules.build import load_ruleset
from sentinel.rules.ruleset import RuleSet
from sentinel.settings import Config
from sentinel.store.sqlite import SqliteDatabase


class StrictStop(Exception):
    """A malformed line under ``--strict``."""

    def __init__(self, error: EventError) -> None:
        self.error = error


def summary_record(counts: Counts, alerts: int, notifications: int, wall_s: float) -> dict[str, Any]:
    return {
        "type": "summary",
        "events": counts.events,
        "skipped": counts.skipped,
        "duplicates": counts.duplicates,
        "out_of_order": counts.out_of_order,
        "alerts": alerts,
        "notifications": notifications,
        "wall_s": round(wall_s, 3),
    }


async def drive(
    pipeline: Pipeline, events: EventStream, each: Callable[[Event, datetime], Awaitable[bool]] | None = None
) -> None:
    """Run ``events`` through ``pipeline`` in stream order, each at its simulated "now": the driver of replay and
    the demo. ``each`` (the demo: store the event, deliver what is due) is called first and may turn an event
    away (False)."""
    with quiet_gc():
        for _, ev, now in events:
            if each is None or await each(ev, now):
                await pipeline.process(ev, now)


async def replay(
    paths: list[str],
    config: Config,
    rule_dirs: list[Path],
    *,
    out: TextIO,
    err: TextIO,
    strict: bool = False,
    progress: bool = True,
    summary: bool = True,
    rules: RuleSet | None = None,
) -> int:
    """Run the pipeline over ``paths``; returns the exit status (0, or 1 on a malformed line with ``strict``).
    ``rules``: loaded already (else from ``rule_dirs``, or the config's rules when it is empty)."""
    wall = SystemClock()
    started = wall.monotonic()
    rules = rules or load_ruleset(config.rules, rule_dirs)
    db = SqliteDatabase.open(":memory:")
    output = JsonlOutput(out)
    pipeline = (await build_pipeline(config, db, output, rules, metrics=False)).pipeline
    counts = Counts(files=paths)

    def skipped(line: int, e: EventError) -> None:
        counts.skipped += 1
        if strict:
            raise StrictStop(e)
        err.write(f"sentinel replay: skipped {e}\n")

    events = EventStream(paths, counts, skipped, progress=Progress(err, wall, "events") if progress else None)
    try:
        await drive(pipeline, events)
    except StrictStop as stop:
        err.write(f"sentinel replay: {stop.error} (stopped: --strict)\n")
        return 1
    finally:
        await db.close()
    if summary:
        output.write(summary_record(counts, pipeline.alerts, pipeline.notifications, wall.monotonic() - started))
    if counts.skipped:
        err.write(f"sentinel replay: {counts.skipped} malformed line(s) skipped\n")
    return 0
