"""``sentinel replay``: the daemon's detection, incident and on-call logic over event files.

Streams: events are read line by line (several files are merged by time),
so memory does not grow with the number of events. The clock is the event
time. Output is JSON lines on ``out``; messages and progress go to ``err``.
"""

from __future__ import annotations

import gc
import heapq
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, overload

import orjson

from sentinel.clock import SystemClock
from sentinel.config import PageConfig
from sentinel.errors import EventError
from sentinel.events.codec import Skim, event_time, parse_line, skim_line, where
from sentinel.model import AlertTransition, Event, NotificationIntent
from sentinel.pipeline import Pipeline, alert_record, notification_record, utc_text
from sentinel.settings import Config

if TYPE_CHECKING:
    from sentinel.rules import RuleEngine

PROGRESS_EVERY_S = 5.0
PROGRESS_STEP = 20_000  # events (or lines) between two looks at the wall clock for progress
DEDUP_WINDOW = 200_000  # lines: an event repeated within this many lines is a duplicate
READ_BUFFER = 64 * 1024  # bytes read at a time: iterating a file's lines costs ~1/3 less than with the default 8 KiB
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
    return sys.stdin.buffer if path == "-" else Path(path).open("rb", buffering=READ_BUFFER)


def _read(
    path: str, on_error: Callable[[int, EventError], None], keep: Callable[[str], bool] | None
) -> Iterator[tuple[int, Event | Skim]]:
    """The valid events of one file with their line numbers; ``on_error`` gets the others (and may raise)."""
    name = "<stdin>" if path == "-" else path
    with _open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield (
                    n,
                    parse_line(line, lineno=n, source=name)
                    if keep is None
                    else skim_line(line, keep, lineno=n, source=name),
                )
            except EventError as e:
                on_error(n, e)


def merged(
    paths: list[str], on_error: Callable[[int, EventError], None], keep: Callable[[str], bool] | None = None
) -> Iterator[tuple[int, Event | Skim]]:
    """Events of all files in time order (each file is expected to be in time order already), each with its place
    in the stream: the line number for one file, the count of events so far for several. Events of pages that
    ``keep`` does not want come as a ``Skim`` (id, time, page)."""
    if len(paths) == 1:
        yield from _read(paths[0], on_error, keep)
        return
    streams = [((ev.time, i, ev) for _, ev in _read(p, on_error, keep)) for i, p in enumerate(paths)]
    for n, (_, _, ev) in enumerate(heapq.merge(*streams, key=lambda x: (x[0], x[1])), 1):
        yield n, ev


class RecentIds:
    """Duplicate detection: the (page, id) of the events of the last ``window`` lines. A window of lines, not of
    ids, so a worker of ``replay --jobs`` decides it for its own pages alone; an event id repeated on another page
    is another event."""

    def __init__(self, window: int = DEDUP_WINDOW) -> None:
        self.window = window
        # (page, id) -> the line it was seen on, in two generations of a window of lines each: ``_new`` since line
        # ``_started``, ``_old`` the window before. When ``_new`` is a window old it becomes ``_old``, and what
        # ``_old`` held (lines before the window of every line to come) is dropped whole: no sweep of the entries.
        self._new: dict[tuple[str, str], int] = {}
        self._old: dict[tuple[str, str], int] = {}
        self._started = 0

    def repeated(self, page: str, id: str, line: int) -> bool:
        """Whether (page, id) was seen within the window before ``line``; else it is remembered from ``line`` on
        (a repeat does not extend the memory of the first)."""
        if line - self._started >= self.window:  # what ``_old`` holds is older than the window of ``line`` on
            self._old, self._new, self._started = self._new, {}, line
        key = (page, id)
        new = self._new
        if new.setdefault(key, line) != line:
            return True  # seen since ``_started``: within the window
        first = self._old.get(key)
        if first is not None and first > line - self.window:
            del new[key]  # remembered from its first sighting, not this one
            return True
        return False


class Progress:
    """A progress line on ``err``, ``PROGRESS_EVERY_S`` apart at least; ask every ``PROGRESS_STEP`` ``unit``."""

    def __init__(self, err: TextIO, wall: SystemClock, unit: str) -> None:
        self.err, self.wall, self.unit = err, wall, unit
        self.started = wall.monotonic()
        self.next = self.started + PROGRESS_EVERY_S

    def __call__(self, n: int, now: datetime | None) -> None:
        if self.wall.monotonic() < self.next:
            return
        rate = n / max(self.wall.monotonic() - self.started, 1e-9)
        at = f", at {utc_text(now)}" if now is not None else ""
        self.err.write(f"sentinel replay: {n:,} {self.unit} ({rate:,.0f}/s){at}\n")
        self.err.flush()
        self.next = self.wall.monotonic() + PROGRESS_EVERY_S


class EventStream:
    """The events to run, each with its place in the stream and the simulated "now": the latest time of any
    well-formed line so far (on a tie, the time as the earliest such line wrote it). A duplicate (``RecentIds``)
    moves "now" too, but is counted and dropped; a malformed line goes to ``on_error`` and does not move it.
    Events of pages that ``keep`` does not want only move "now" (they are neither counted nor checked for
    duplicates). ``now`` is the latest time after the last line read."""

    def __init__(
        self,
        paths: list[str],
        counts: Counts,
        on_error: Callable[[int, EventError], None],
        *,
        keep: Callable[[str], bool] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.paths, self.counts, self.on_error, self.keep, self.progress = paths, counts, on_error, keep, progress
        self.now: datetime | None = None

    def __iter__(self) -> Iterator[tuple[int, Event, datetime]]:
        counts, progress, keep, recent = self.counts, self.progress, self.keep, RecentIds()
        for line, ev in merged(self.paths, self.on_error, keep):
            t, now = ev.time, self.now
            if now is None or t > now:
                self.now = now = t
            if type(ev) is not Event or (keep is not None and not keep(ev.page)):
                continue  # ``skim_line`` builds a whole event where its short cut does not apply
            if recent.repeated(ev.page, ev.id, line):
                counts.duplicates += 1
                continue
            if t < now:
                counts.out_of_order += 1
            counts.events += 1
            yield line, ev, now
            if progress is not None and counts.events % PROGRESS_STEP == 0:
                progress(counts.events, now)


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


class LazyNow:
    """``EventStream.now`` for a reader that checks some lines no further than their page and time (a worker of
    ``replay --jobs``: other workers' lines). Such a line waits in ``pending`` as (its ``time`` value, its
    number, the line) and is read whole (``parse_line``) only if it could be the latest well-formed line so
    far; ``settle()`` is then exactly ``EventStream.now`` after the same lines."""

    def __init__(self) -> None:
        self.time: datetime | None = None  # the latest time of the lines known to be well-formed, ...
        self.line = 0  # ... and the line that wrote it, ...
        self.text: str | None = None  # ... and how it wrote it, when written plainly (``_plain``)
        self.pending: list[tuple[Any, int, bytes | str]] = []  # (time value, line number, line), in line order

    def valid(self, t: datetime, line: int, text: Any = None) -> None:
        """The time of well-formed ``line`` (written as ``text``, if known), which comes after the pending
        lines."""
        if self.time is None or t > self.time:
            self.time, self.line, self.text = t, line, text if type(text) is str and _plain(text) else None

    @overload
    def settle(self) -> datetime | None: ...
    @overload
    def settle(self, t: datetime, line: int, text: Any = None) -> datetime: ...

    def settle(self, t: datetime | None = None, line: int = 0, text: Any = None) -> datetime | None:
        """ "now" after the last line given (``t``: the time of ``line``, the last, well-formed, written as
        ``text``); the pending lines are decided and dropped."""
        if t is not None and (self.time is None or t > self.time):  # ``valid``, inlined (every event of a worker)
            self.time, self.line, self.text = t, line, text if type(text) is str and _plain(text) else None
        pending = self.pending
        if not pending:
            return self.time
        now, at, plain = self.time, self.line, self.text
        offset = plain[19:] if plain is not None else ""
        later = []  # lines that would change "now" if well-formed: later, or as late but written in another offset
        for value, n, obj in pending:  # (of equal times, "now" is written as the earliest line wrote it)
            # a time written plainly in the same offset as "now" orders as its text: no need to parse it
            if (
                plain is not None
                and type(value) is str
                and len(value) == 25
                and value[19:] == offset
                and value <= plain
                and _plain(value)
            ):
                continue
            when = event_time(value)
            if when is not None and (
                now is None or when > now or (when == now and n < at and when.utcoffset() != now.utcoffset())
            ):
                later.append((when, n, obj))
        pending.clear()
        if later:
            best = max(later, key=_latest)
            if not self._take(*best):  # the latest is mostly well-formed: no need to sort them all
                for c in sorted(later, key=_latest, reverse=True)[1:]:
                    if self._take(*c):
                        break
        return self.time

    def _take(self, t: datetime, line: int, raw: bytes | str) -> bool:
        """Line number ``line`` ("now" at ``t``), ``raw``, if it is well-formed."""
        try:
            self.time, self.line = parse_line(raw).time, line
        except EventError:
            return False
        text = where(raw)
        self.text = text.time if text is not None and _plain(text.time) else None
        return True


# ``_plain(text)``: ``text`` is laid out as YYYY-MM-DDTHH:MM:SS+HH:MM (a match, else None). Two valid times so
# written, in one offset, order as their texts; any other valid way of writing a time differs in one of these places
# (a week date, another separator, fractions of a second). A regex: ~1/3 less than comparing the eight places in
# Python, for every line of another worker.
_plain = re.compile(r"....-..-..T..:..:..[+-]..:..", re.DOTALL).fullmatch


def _latest(c: tuple[datetime, int, Any]) -> tuple[datetime, int]:
    return c[0], -c[1]  # the latest time; of equal times, the earliest line


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


def build_engine(config: Config, rule_dirs: list[Path]) -> RuleEngine:
    from sentinel.rules import RuleEngine, load_rules
    from sentinel.rules.silences import silences_from_config

    rules = load_rules(
        rule_dirs, include_shipped=config.rules.include_shipped or not rule_dirs, disabled=config.rules.disabled
    )
    return RuleEngine(rules, page_resolver(config), silences=silences_from_config(config.silences), metrics=False)


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
    engine: RuleEngine | None = None,
) -> int:
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

    def skipped(line: int, e: EventError) -> None:
        counts.skipped += 1
        if strict:
            raise StrictStop(e)
        err.write(f"sentinel replay: skipped {e}\n")

    events = EventStream(paths, counts, skipped, progress=Progress(err, wall, "events") if progress else None)
    try:
        with quiet_gc():
            for _, ev, now in events:
                await pipeline.process(ev, now)
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
