"""``sentinel replay``: the daemon's detection, incident and on-call logic over event files.

Streams: events are read line by line (several files are merged by time),
so memory does not grow with the number of events. The clock is the event
time. Output is JSON lines on ``out``; messages and progress go to ``err``.
"""

from __future__ import annotations

import gc
import heapq
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

import orjson

from sentinel.clock import SystemClock
from sentinel.config import Config, PageConfig
from sentinel.errors import EventError
from sentinel.model import AlertTransition, Event, NotificationIntent
from sentinel.pipeline import Pipeline, alert_record, notification_record, utc_text
from sentinel.sources.codec import Skim, parse_line, skim_line

if TYPE_CHECKING:
    from sentinel.rules import RuleEngine

PROGRESS_EVERY_S = 5.0
DEDUP_WINDOW = 200_000  # recent event ids remembered for deduplication (a bounded LRU)
GC_THRESHOLD = 50_000  # allocations between young-generation collections while replaying (Python's default: 700)


class StrictStop(Exception):
    """A malformed line under ``--strict``."""

    def __init__(self, error: EventError) -> None:
        self.error = error


@dataclass
class Counts:
    events: int = 0
    skipped: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    files: list[str] = field(default_factory=list)


class JsonlOutput:
    """Replay's ``Output``: one JSON object per line."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, rec: dict[str, Any]) -> None:
        self.out.write(orjson.dumps(rec).decode() + "\n")

    async def alert(self, t: AlertTransition, incident: str | None) -> None:
        self.write(alert_record(t, incident))

    async def notification(self, intent: NotificationIntent) -> None:
        self.write(notification_record(intent))


def _open(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else Path(path).open("rb")


def _read(path: str, counts: Counts, report: Callable[[EventError], None], strict: bool,
          keep: Callable[[str], bool] | None) -> Iterator[Event | Skim]:
    name = "<stdin>" if path == "-" else path
    with _open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield parse_line(line, lineno=n, source=name) if keep is None else \
                    skim_line(line, keep, lineno=n, source=name)
            except EventError as e:
                counts.skipped += 1
                if strict:
                    raise StrictStop(e) from None
                report(e)


def merged(paths: list[str], counts: Counts, report: Callable[[EventError], None], strict: bool,
           keep: Callable[[str], bool] | None = None) -> Iterator[Event | Skim]:
    """Events of all files in time order (each file is expected to be in time order already); events of pages
    that ``keep`` does not want come as a ``Skim`` (id, time, page)."""
    if len(paths) == 1:
        yield from _read(paths[0], counts, report, strict, keep)
        return
    streams = [((e.time, i, e) for e in _read(p, counts, report, strict, keep)) for i, p in enumerate(paths)]
    for _, _, ev in heapq.merge(*streams, key=lambda x: (x[0], x[1])):
        yield ev


def page_resolver(config: Config) -> Callable[[str], PageConfig]:
    """The config of a page key; pages not in the config are monitored with the defaults (UTC)."""
    known = {p.id: p for p in config.pages}
    defaults: dict[str, PageConfig] = {}

    def resolve(page: str) -> PageConfig:
        pc = known.get(page)
        if pc is None:
            pc = defaults.get(page)
            if pc is None:
                pc = defaults[page] = PageConfig(id=page)
        return pc

    return resolve


def stream(paths: list[str], counts: Counts, err: TextIO, *, strict: bool, progress: bool, started: float,
           wall: SystemClock, report_errors: bool = True,
           keep: Callable[[str], bool] | None = None) -> Iterator[tuple[Event | Skim, datetime]]:
    """The events to run, each with the simulated "now" (the latest event time so far): duplicates (by id,
    within ``DEDUP_WINDOW``) and malformed lines are dropped and counted, progress goes to ``err``. Events of
    pages that ``keep`` does not want come as a ``Skim``."""
    seen: OrderedDict[str, None] = OrderedDict()
    last: datetime | None = None
    next_progress = started + PROGRESS_EVERY_S

    def report(e: EventError) -> None:
        if report_errors:
            err.write(f"sentinel replay: skipped {e}\n")

    for ev in merged(paths, counts, report, strict, keep):
        if ev.id in seen:
            counts.duplicates += 1
            continue
        seen[ev.id] = None
        if len(seen) > DEDUP_WINDOW:
            seen.popitem(last=False)
        now = ev.time if last is None or ev.time > last else last
        if last is not None and ev.time < last:
            counts.out_of_order += 1
        last = now
        counts.events += 1
        yield ev, now
        if progress and counts.events % 20_000 == 0 and wall.monotonic() >= next_progress:
            rate = counts.events / max(wall.monotonic() - started, 1e-9)
            err.write(f"sentinel replay: {counts.events:,} events ({rate:,.0f}/s), at {utc_text(now)}\n")
            err.flush()
            next_progress = wall.monotonic() + PROGRESS_EVERY_S


@contextmanager
def quiet_gc() -> Iterator[None]:
    """The replay's objects are long-lived (rules, per-page state) or freed by reference counting (events): the
    cyclic collector finds nothing, but walks the whole growing state every few thousand allocations. Freeze
    what exists now and collect the young generation less often; restored at the end."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def summary_record(counts: Counts, alerts: int, notifications: int, wall_s: float) -> dict[str, Any]:
    return {"type": "summary", "events": counts.events, "skipped": counts.skipped, "duplicates": counts.duplicates,
            "out_of_order": counts.out_of_order, "alerts": alerts, "notifications": notifications,
            "wall_s": round(wall_s, 3)}


def build_engine(config: Config, rule_dirs: list[Path]) -> RuleEngine:
    from sentinel.rules import RuleEngine, load_rules
    from sentinel.rules.silences import silences_from_config

    rules = load_rules(rule_dirs, include_shipped=config.rules.include_shipped or not rule_dirs,
                       disabled=config.rules.disabled)
    return RuleEngine(rules, page_resolver(config), silences=silences_from_config(config.silences), metrics=False)


async def replay(paths: list[str], config: Config, rule_dirs: list[Path], *, out: TextIO, err: TextIO,
                 strict: bool = False, progress: bool = True, summary: bool = True,
                 engine: RuleEngine | None = None) -> int:
    """Run the pipeline over ``paths``; returns the exit status (0, or 1 on a malformed line with ``strict``).
    ``engine``: a fresh engine for ``config`` and ``rule_dirs`` built already (else it is built here)."""
    from sentinel.incidents import IncidentManager
    from sentinel.store.sqlite import SqliteDatabase

    wall = SystemClock()
    started = wall.monotonic()
    engine = engine or build_engine(config, rule_dirs)
    db = SqliteDatabase.open(":memory:")
    incidents = IncidentManager(db, config, page_resolver(config), metrics=False)
    await incidents.start()
    output = JsonlOutput(out)
    pipeline = Pipeline(engine, incidents, output)
    counts = Counts(files=paths)
    try:
        with quiet_gc():
            for ev, now in stream(paths, counts, err, strict=strict, progress=progress, started=started, wall=wall):
                await pipeline.process(cast(Event, ev), now)  # no ``keep``: every event is whole
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
