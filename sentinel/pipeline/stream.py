"""Event files as the pipeline reads them in replay and the demo: lines in time order, duplicates dropped, the
simulated "now", progress on stderr.

Streams: events are read line by line (several files are merged by time), so memory does not grow with the
number of events.
"""

from __future__ import annotations

import gc
import heapq
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TextIO

from sentinel.clock import SystemClock
from sentinel.errors import EventError
from sentinel.events.codec import parse_line
from sentinel.model import Event, EventIdentity
from sentinel.pipeline.outputs import utc_text

PROGRESS_EVERY_S = 5.0
PROGRESS_STEP = 20_000  # events (or lines) between two looks at the wall clock for progress
DEDUP_WINDOW = 200_000  # lines: an event repeated within this many lines is a duplicate
READ_BUFFER = 64 * 1024  # bytes read at a time: iterating a file's lines costs ~1/3 less than with the default 8 KiB
GC_THRESHOLD = 50_000  # allocations between young-generation collections while replaying (Python's default: 700)


@dataclass
class Counts:
    events: int = 0
    skipped: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    files: list[str] = field(default_factory=list)


def _open(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else Path(path).open("rb", buffering=READ_BUFFER)


def _read(path: str, on_error: Callable[[int, EventError], None]) -> Iterator[tuple[int, Event]]:
    """The valid events of one file with their line numbers; ``on_error`` gets the others (and may raise)."""
    name = "<stdin>" if path == "-" else path
    with _open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield n, parse_line(line, lineno=n, source=name)
            except EventError as e:
                on_error(n, e)


def merged(paths: list[str], on_error: Callable[[int, EventError], None]) -> Iterator[tuple[int, Event]]:
    """Events of all files in time order (each file is expected to be in time order already), each with its place
    in the stream: the line number for one file, the count of events so far for several."""
    if len(paths) == 1:
        yield from _read(paths[0], on_error)
        return
    streams = [((ev.time, i, ev) for _, ev in _read(p, on_error)) for i, p in enumerate(paths)]
    for n, (_, _, ev) in enumerate(heapq.merge(*streams, key=lambda x: (x[0], x[1])), 1):
        yield n, ev


class RecentIds:
    """Duplicate detection: the identities (``Event.identity``: platform, page, id) of the events of the last
    ``window`` lines; an id repeated on another page or platform is another event, as in the daemon's store."""

    def __init__(self, window: int = DEDUP_WINDOW) -> None:
        self.window = window
        # identity -> the line it was seen on, in two generations of a window of lines each: ``_new`` since line
        # ``_started``, ``_old`` the window before. When ``_new`` is a window old it becomes ``_old``, and what
        # ``_old`` held (lines before the window of every line to come) is dropped whole: no sweep of the entries.
        self._new: dict[EventIdentity, int] = {}
        self._old: dict[EventIdentity, int] = {}
        self._started = 0

    def repeated(self, key: EventIdentity, line: int) -> bool:
        """Whether ``key`` was seen within the window before ``line``; else it is remembered from ``line`` on
        (a repeat does not extend the memory of the first)."""
        if line - self._started >= self.window:  # what ``_old`` holds is older than the window of ``line`` on
            self._old, self._new, self._started = self._new, {}, line
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
    ``now`` is the latest time after the last line read."""

    def __init__(
        self,
        paths: list[str],
        counts: Counts,
        on_error: Callable[[int, EventError], None],
        *,
        progress: Progress | None = None,
    ) -> None:
        self.paths, self.counts, self.on_error, self.progress = paths, counts, on_error, progress
        self.now: datetime | None = None

    def __iter__(self) -> Iterator[tuple[int, Event, datetime]]:
        recent = RecentIds()
        for line, ev in merged(self.paths, self.on_error):
            if self.now is None or ev.time > self.now:
                self.now = ev.time
            if recent.repeated(ev.identity, line):
                self.counts.duplicates += 1
                continue
            if ev.time < self.now:
                self.counts.out_of_order += 1
            self.counts.events += 1
            yield line, ev, self.now
            if self.progress is not None and self.counts.events % PROGRESS_STEP == 0:
                self.progress(self.counts.events, self.now)


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
