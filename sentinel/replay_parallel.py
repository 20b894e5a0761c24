"""``sentinel replay --jobs N``: the same replay on N processes, one share of the pages each.

Detection is per page (rule state, timers and inhibition are keyed by page),
so each worker runs the rule engine for its share of the pages (by a stable
hash of the page key). Duplicates are per page too (``RecentIds``), so a
worker checks and builds only its own events: of another worker's line it
reads the JSON for the page, and keeps the time until it needs the exact
simulated "now" (``LazyNow``): then it checks only the lines that could be the
latest. Timers fall due in the engine at the worker's own events, each at its
due time, so the engine state evolves exactly as in one process; only which
line triggers them differs.

Workers send their alert transitions to the parent, each tagged with its
place in the single-process order (``Record``); the parent merges them and
runs incidents, on-call and output exactly as ``Pipeline`` does. The output
is the single-process replay's, byte for byte (the tests compare them).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import multiprocessing
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import asdict, fields
from datetime import UTC, datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from sentinel.clock import SystemClock
from sentinel.enrich.text import preload
from sentinel.errors import EventError
from sentinel.events.codec import WHERE_DECLINES, decode_where, fixed_epoch, line_event, parse_line
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Event
from sentinel.replay import (
    READ_BUFFER,
    Counts,
    EventStream,
    JsonlOutput,
    LazyNow,
    Progress,
    RecentIds,
    StrictStop,
    build_engine,
    page_resolver,
    quiet_gc,
    summary_record,
)
from sentinel.settings import Config

if TYPE_CHECKING:
    from sentinel.rules import RuleEngine

BATCH_LINES = 20_000  # a worker reports at least this often (lines), so the parent's merge buffer stays small
RUN_EVENTS = 1_024  # a worker reads this many of its events, then runs them (``_scan_lines``)
PENDING_LIMIT = 4_096  # other workers' lines kept undecided at most: then a worker settles "now" there
AUTO_MIN_BYTES = 32 * 1024 * 1024  # below this much input, one process (a worker's start-up is not worth it)
_MAX_TIMER_STEPS = 100_000
_EARLIEST = datetime.min.replace(tzinfo=UTC)

# Where a transition falls in the single-process order, as (at, phase, line, late): ``Pipeline.process`` runs the
# timers due by the line's "now" (earliest first) before the line's event, and timers fall due at the first event
# whose "now" reaches them, so:
# - the event of line L: (now_L, EVENT, L, 0);
# - a timer due at D: (D, TIMER, 0, 0), before every event whose "now" is D or later, after every other;
# - a "late" timer, armed by the event of line S already due (by now_S; an event out of time order can do that):
#   it runs before the next event, whatever its "now": (now_S, EVENT, S, 1).
# A record is a place, the time incidents get (the due time of a timer) and the transition; records at one place
# go by (time, page), as ``RuleEngine.advance`` orders a due time's timers; one worker's records keep their order.
TIMER, EVENT = 0, 1
Place = tuple[datetime, int, int, int]
Record = tuple[datetime, int, int, int, datetime, AlertTransition]


def partition(page: str, jobs: int) -> int:
    """The worker of ``page``: a stable hash, the same in every process and every run."""
    return zlib.crc32(page.encode()) % jobs


def partitionable(engine: RuleEngine) -> str | None:
    """Why this engine's rules cannot be split by page, or None when they can."""
    for r in engine.suppressor.inhibit:
        if "page" not in r.equal:
            return "an inhibit rule does not require the same page (equal: [page])"
    return None


def auto_jobs(paths: list[str]) -> int:
    """The default of ``--jobs``: one per CPU (at most 4) for large files, else 1."""
    if "-" in paths:
        return 1
    size = sum(os.path.getsize(p) for p in paths)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cpus, 4) if size >= AUTO_MIN_BYTES else 1


# -- worker -----------------------------------------------------------------------
class _Share:
    """A worker's engine and what it reports: records, malformed lines, and how far it got."""

    def __init__(self, k: int, jobs: int, engine: RuleEngine, conn: Connection, progress: Progress | None) -> None:
        self.k, self.jobs, self.engine, self.conn, self.progress = k, jobs, engine, conn, progress
        self.timers = engine.timers
        self.counts = Counts()
        self.recent = RecentIds()
        self.records: list[Record] = []
        self.notes: list[tuple[int, str]] = []  # (line, message) of malformed lines
        self.last: tuple[int, datetime] | None = None  # the last event run: (line, now), ...
        self.last_ts = 0.0  # ... and its "now" in epoch seconds
        self.late = False  # the last event armed timers due by its "now": they run before the next event
        self.sent = 0  # the line of the last batch
        self.owned: dict[str, bool] = {}  # page -> whether it is this worker's

    def own(self, page: str) -> bool:
        mine = self.owned.get(page)
        if mine is None:
            mine = self.owned[page] = partition(page, self.jobs) == self.k
        return mine

    def malformed(self, n: int, line: bytes, source: str) -> None:
        """Line ``n`` is malformed: counted, and reported as ``parse_line`` says why."""
        try:
            parse_line(line, lineno=n, source=source)
        except EventError as e:
            self.skipped(n, e)

    def skipped(self, n: int, e: EventError) -> None:
        """Line ``n`` is malformed, as ``e`` says."""
        self.counts.skipped += 1
        self.notes.append((n, str(e)))

    def run(self, events: list[tuple[int, Event, datetime]]) -> None:
        """Each (line, event, "now") of ``events`` in order: events that are not duplicates, with the exact "now".
        The worker's innermost loop: its state is kept in locals, and written back where ``fire`` reads it."""
        engine, timers, process, records = self.engine, self.timers, self.engine.process, self.records
        last, last_ts, late = self.last, self.last_ts, self.late
        last_line, last_now = (0, None) if last is None else last
        zone = epoch = None  # the last "now"'s tzinfo, and the epoch in it (``fixed_epoch``)
        for line, ev, now in events:
            # the timers are compared in epoch seconds (``RuleEngine.next_due_ts``); events that share "now" (no
            # later line between them) share its conversion
            if now is last_now:
                ts = last_ts
            else:
                if now.tzinfo is not zone:
                    zone = now.tzinfo
                    epoch = fixed_epoch(zone)
                ts = now.timestamp() if epoch is None else (now - epoch).total_seconds()
            if timers and timers[0][0] <= ts:  # a timer may be due (the head may be stale: ``next_due_ts`` knows)
                self.last = None if last_now is None else (last_line, last_now)
                self.last_ts, self.late = last_ts, late
                self.fire(now, ts)
                late = False
            out = process(ev, now, ts)
            if out:
                records += [(now, EVENT, line, 0, now, t) for t in out]
            last_line, last_ts, last_now = line, ts, now
            if timers and timers[0][0] <= ts:
                due = engine.next_due_ts()
                late = due is not None and due <= ts
            else:
                late = False
        self.last = None if last_now is None else (last_line, last_now)
        self.last_ts, self.late = last_ts, late

    def fire(self, now: datetime, ts: float) -> None:
        """``Pipeline.advance`` for the engine: every timer due by ``now`` (``ts`` in epoch seconds), earliest
        first, at its due time. Compared in epoch seconds: two aware datetimes of different UTC offsets (a timer's
        due is in UTC) cost ~0.8 µs to compare, and the floats order the instants alike."""
        engine = self.engine
        for _ in range(_MAX_TIMER_STEPS):
            due_ts = engine.next_due_ts()
            if due_ts is None or due_ts > ts:
                break
            due = engine.timers[0][5]
            place = (due, TIMER, 0, 0)
            if self.late and self.last is not None and due_ts <= self.last_ts:
                place = (self.last[1], EVENT, self.last[0], 1)
            self.records += [(*place, due, t) for t in engine.advance(due)]
            if engine.next_due_ts() == due_ts:
                break
        self.late = False

    def place(self, line: int, now: datetime | None) -> Place:
        """No record still to come from this worker goes before this place, having read up to ``line`` with
        "now" at least ``now`` there."""
        if self.late and self.last is not None:
            return self.last[1], EVENT, self.last[0], 1
        place = (now or _EARLIEST, EVENT, line + 1, 0)
        due = self.engine.next_due()
        return place if due is None else min(place, (due, TIMER, 0, 0))

    def send(self, line: int, now: datetime | None, *, last: bool = False) -> None:
        """A batch, if ``BATCH_LINES`` lines have passed since the last one (or it is the ``last``)."""
        if line - self.sent < BATCH_LINES and not last:
            return
        self.conn.send(("batch", self.records, self.place(line, now), self.notes, line))
        self.records, self.notes, self.sent = [], [], line
        if self.progress is not None:
            self.progress(line, now)

    def finish(self, line: int, now: datetime | None, error: str | None) -> None:
        """The last batch, then the timers due by the final "now" (the parent keeps those the single process
        would have run: see ``replay_parallel``) and the counts."""
        self.send(line, now, last=True)
        if now is not None:
            self.fire(now, now.timestamp())
        self.conn.send(("done", self.records, asdict(self.counts), self.last, error))


def _scan_lines(share: _Share, path: str) -> None:
    """One file, checking only this worker's lines beyond their page and time (``where``; a line without them is
    read as a dict, and one whose JSON has no page is worker 0's). The events to run are read ``RUN_EVENTS`` at
    a time, then run: reading and rule evaluation each keep their own code and data in the CPU's caches that
    way (interleaved, the worker needs ~12 % more CPU)."""
    now, counts, recent, owned = LazyNow(), share.counts, share.recent, share.owned
    pending = now.pending  # the hot path, ~(jobs-1)/jobs of the lines: kept to one call
    held: list[tuple[int, Event, datetime]] = []  # (line, event, "now") read and not yet run

    def run_held(line: int, at: datetime | None) -> None:
        """Run the held events, then send a batch if it is time (having read up to ``line``, "now" ``at``)."""
        share.run(held)
        held.clear()
        share.send(line, at)

    n = 0
    written: Any  # the line's time as written
    with Path(path).open("rb", buffering=READ_BUFFER) as f:
        for n, line in enumerate(f, 1):
            try:  # ``where``, inlined: this runs for every line
                w = decode_where(line)
            except WHERE_DECLINES:
                w = None
            if w is not None:
                page, written = w.page, w.time
            else:  # no string page or time, or JSON the fast decoder declines: read as a dict
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:  # malformed (worker 0's), or a blank line
                    if share.k == 0 and line.strip():
                        share.malformed(n, line, path)
                    continue
                found = obj.get("page") if type(obj) is dict else None
                if type(found) is not str:  # no page: malformed, worker 0's
                    if share.k == 0:
                        share.malformed(n, line, path)
                    continue
                page, written = found, obj.get("time")
            mine = owned.get(page)
            if mine is None:
                mine = share.own(page)
            if not mine:
                pending.append((written, n, line))
                if len(pending) >= PENDING_LIMIT:
                    run_held(n, now.settle())
                continue
            ev = line_event(line)  # the common well-formed line; else ``parse_line`` reads it, or says what is wrong
            if ev is None:
                try:
                    ev = parse_line(line, lineno=n, source=path)
                except EventError as e:  # malformed, with a page: its worker's
                    share.skipped(n, e)
                    continue
            if recent.repeated(ev.page, ev.id, n):
                counts.duplicates += 1
                now.valid(ev.time, n, written)  # a duplicate moves "now" too
                continue
            exact = now.settle(ev.time, n, written)
            if ev.time < exact:
                counts.out_of_order += 1
            counts.events += 1
            held.append((n, ev, exact))
            if len(held) >= RUN_EVENTS:
                run_held(n, exact)
    run_held(n, now.settle())
    share.finish(n, now.settle(), None)


def _parse_lines(share: _Share, paths: list[str], strict: bool) -> None:
    """Several files merged by time, or --strict: every worker decodes every line (``EventStream``), so each
    knows the order of the merge, or stops at the first malformed line by itself."""
    place = 0

    def skipped(line: int, e: EventError) -> None:
        if strict:
            raise StrictStop(e)
        if share.k == 0:  # in the order read, after the events read before it
            share.counts.skipped += 1
            share.notes.append((place, str(e)))

    events = EventStream(paths, share.counts, skipped, keep=share.own)
    error = None
    try:
        for place, ev, now in events:
            share.run([(place, ev, now)])
            share.send(place, now)
    except StrictStop as stop:
        error = str(stop.error)
    share.finish(place, events.now, error)


def _worker(
    k: int, jobs: int, paths: list[str], engine: RuleEngine, strict: bool, progress: bool, conn: Connection
) -> None:
    """Run the engine for pages of share ``k``; send ``("batch", records, place, notes, line)`` messages and a
    final ``("done", records, counts, last, strict_error)``, or ``("failed", reason)``. Worker 0 also reports
    progress."""
    try:
        unit = "lines" if len(paths) == 1 else "events"  # what a worker counts its place in (``EventStream``)
        share = _Share(
            k, jobs, engine, conn, Progress(sys.stderr, SystemClock(), unit) if progress and k == 0 else None
        )
        with quiet_gc():
            if len(paths) == 1 and not strict:
                _scan_lines(share, paths[0])
            else:
                _parse_lines(share, paths, strict)
    except KeyboardInterrupt:
        pass  # the parent got the same interrupt and says so
    except (BrokenPipeError, EOFError, OSError):
        pass  # the parent is gone
    except Exception as e:  # a bug: the parent reports it and exits 1 rather than print half a result
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


# -- parent -----------------------------------------------------------------------
class _Merger:
    """Incidents and output over the workers' transitions, in stream order (``Pipeline`` for the parent)."""

    def __init__(self, incidents: IncidentManager, output: JsonlOutput) -> None:
        self.incidents = incidents
        self.output = output
        self.alerts = 0
        self.notifications = 0

    async def _tick(self, now: datetime) -> None:
        for intent in await self.incidents.tick(now):
            self.notifications += 1
            await self.output.notification(intent)

    async def tick_until(self, limit: datetime, *, inclusive: bool) -> None:
        """Incident timers due before ``limit`` (or at it), each at its due time, as ``Pipeline.advance``."""
        for _ in range(_MAX_TIMER_STEPS):
            due = self.incidents.next_due()
            if due is None or due > limit or (due == limit and not inclusive):
                return
            await self._tick(due)
            if self.incidents.next_due() == due:
                return

    async def run(self, records: list[Record]) -> None:
        for i, (at, phase, line, late, now, t) in enumerate(records):
            event = phase == EVENT and not late
            if phase == EVENT and (i == 0 or records[i - 1][:4] != (at, phase, line, late)):
                # the first record after line ``line``: the single process ran every incident timer due by its "now"
                # first (for a late timer too, though it is due earlier)
                await self.tick_until(at, inclusive=True)
            if not event:  # a timer: the incident timers due before it ran first, as ``Pipeline.advance`` does
                await self.tick_until(now, inclusive=False)
            incident = await self.incidents.on_alert(t, now)
            if t.status == AlertStatus.FIRING:
                self.alerts += 1
            await self.output.alert(t, incident)
            if event and (i + 1 == len(records) or records[i + 1][1:4] != (EVENT, line, 0)):
                due = self.incidents.next_due()
                if due is not None and due <= now:  # ``Pipeline.process``: new incidents may page at once
                    await self._tick(now)


def _order(r: Record) -> tuple[datetime, int, int, int, datetime, datetime, str]:
    return *r[:5], r[5].time, r[5].page


def _merge(buffers: list[list[Record]], before: Place | None) -> list[Record]:
    """Take the buffered records placed before ``before`` (None: all) from each worker's buffer, merged."""
    taken = []
    for b in buffers:
        n = len(b) if before is None else bisect.bisect_left(b, before, key=lambda r: r[:4])
        taken.append(b[:n])
        del b[:n]
    return list(heapq.merge(*taken, key=_order))


def _receive(conns: dict[int, Connection]) -> Iterator[tuple[int, Any]]:
    while conns:
        for c in wait(list(conns.values())):
            k = next(i for i, x in conns.items() if x is c)
            try:
                msg = conns[k].recv()
            except EOFError:
                del conns[k]
                yield k, None
                continue
            yield k, msg
            if msg[0] in ("done", "failed"):
                del conns[k]


async def replay_parallel(
    paths: list[str],
    config: Config,
    engine: RuleEngine,
    jobs: int,
    *,
    out: TextIO,
    err: TextIO,
    strict: bool = False,
    progress: bool = True,
    summary: bool = True,
) -> int:
    """``replay`` on ``jobs`` worker processes, each forked with a copy of the fresh ``engine``; the same output
    and exit status as ``replay``.

    The parent merges the records placed before every worker's latest "no record before this" place. A worker
    that is done holds back the records of timers it ran at the end: the single process runs a timer only at a
    later event, so those count only up to the last event of the whole stream (line P): places before
    (now_P, EVENT, P, 1)."""
    from sentinel.store.sqlite import SqliteDatabase

    wall = SystemClock()
    started = wall.monotonic()
    ctx = multiprocessing.get_context("fork")
    conns: dict[int, Connection] = {}
    procs = []
    preload()  # once here, shared by the forked workers
    for k in range(jobs):
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(
            target=_worker,
            args=(k, jobs, paths, engine, strict, progress, send),
            name=f"sentinel-replay-{k}",
            daemon=True,
        )
        p.start()
        send.close()
        conns[k] = recv
        procs.append(p)
    db = SqliteDatabase.open(":memory:")
    incidents = IncidentManager(db, config, page_resolver(config), metrics=False)
    await incidents.start()
    output = JsonlOutput(out)
    merger = _Merger(incidents, output)
    buffers: list[list[Record]] = [[] for _ in range(jobs)]
    places: list[Place | None] = [(_EARLIEST, TIMER, 0, 0)] * jobs  # None: done, nothing held back
    lines = [0] * jobs  # how far each worker has read
    notes: list[tuple[int, int, int, str]] = []  # (line, worker, arrival, message), printed in line order
    arrival = itertools.count()
    done: dict[int, tuple[dict[str, Any], tuple[int, datetime] | None, str | None]] = {}
    try:
        for k, msg in _receive(conns):
            if msg is None or msg[0] == "failed":
                procs[k].join(timeout=5)
                why = msg[1] if msg is not None else f"exit status {procs[k].exitcode}"
                err.write(f"sentinel replay: worker {k} of {jobs} failed: {why}\n")
                return 1
            if msg[0] == "batch":
                _, recs, places[k], new_notes, lines[k] = msg
                for line, text in new_notes:
                    heapq.heappush(notes, (line, k, next(arrival), text))
            else:
                _, recs, counts_raw, last, error = msg
                places[k] = recs[0][:4] if recs else None
                lines[k] = sys.maxsize
                done[k] = (counts_raw, last, error)
            buffers[k] += recs
            while notes and notes[0][0] <= min(lines):
                err.write(f"sentinel replay: skipped {heapq.heappop(notes)[3]}\n")
            if len(done) < jobs:
                await merger.run(_merge(buffers, min(p for p in places if p is not None)))
        ends = [last for _, last, _ in done.values() if last is not None]
        if ends:
            line, now = max(ends, key=lambda e: e[0])
            cut = (now, EVENT, line, 1)
            await merger.run([r for r in _merge(buffers, None) if r[:4] < cut])
            await merger.tick_until(now, inclusive=True)
    finally:
        for k, p in enumerate(procs):  # all have said "done" unless the run stopped early: then they are stopped
            if k not in done:
                p.kill()
            p.join()
        await db.close()
    error = next((e for _, _, e in done.values() if e is not None), None)
    if error is not None:
        err.write(f"sentinel replay: {error} (stopped: --strict)\n")
        return 1
    counts = Counts(files=paths)
    for raw, _, _ in done.values():
        for f in fields(Counts):
            if f.name != "files":
                setattr(counts, f.name, getattr(counts, f.name) + raw[f.name])
    if summary:
        output.write(summary_record(counts, merger.alerts, merger.notifications, wall.monotonic() - started))
    if counts.skipped:
        err.write(f"sentinel replay: {counts.skipped} malformed line(s) skipped\n")
    return 0


def run(paths: list[str], config: Config, rule_dirs: list[Path], jobs: int, *, err: TextIO, **kw: Any) -> int:
    """Replay on ``jobs`` processes when the input and rules allow it, else on one (saying why on ``err``)."""
    from sentinel.replay import replay

    engine = build_engine(config, rule_dirs)
    why = "standard input can be read only once" if "-" in paths else partitionable(engine)
    if jobs > 1 and why is None:
        return asyncio.run(replay_parallel(paths, config, engine, jobs, err=err, **kw))
    if jobs > 1:
        err.write(f"sentinel replay: one process, not {jobs}: {why}\n")
    return asyncio.run(replay(paths, config, rule_dirs, err=err, engine=engine, **kw))
