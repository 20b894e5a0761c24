"""``sentinel replay --jobs N``: the same replay on N processes, one share of the pages each.

Detection is per page (rule state, timers and inhibition are keyed by page),
so each worker runs the rule engine for its share of the pages (by a stable
hash of the page key). Every worker reads every line, because the simulated
"now", the duplicate filter and the place where each timer falls due are
properties of the whole stream; only its own pages reach its engine. Workers
send their alert transitions, tagged with the line at which they happened,
to the parent, which merges them in stream order and runs incidents, on-call
and output exactly as the single-process replay does (``Pipeline``): timers
before the event of their line, ticks of incident timers in due order.

The output is the single-process replay's, byte for byte (the tests compare
them): timers falling due at one instant run page by page in both.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import multiprocessing
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sentinel.clock import SystemClock
from sentinel.config import Config
from sentinel.incidents import IncidentManager
from sentinel.model import AlertStatus, AlertTransition, Event
from sentinel.replay import (
    Counts,
    JsonlOutput,
    StrictStop,
    build_engine,
    page_resolver,
    quiet_gc,
    stream,
    summary_record,
)

if TYPE_CHECKING:
    from sentinel.rules import RuleEngine

TIMER, EVENT = 0, 1  # a transition from a timer that fell due before the line's event, or from the event itself
BATCH_LINES = 20_000  # a worker reports at least this often (lines), so the parent's merge buffer stays small
AUTO_MIN_BYTES = 32 * 1024 * 1024  # below this much input, one process (a worker's start-up is not worth it)
_MAX_TIMER_STEPS = 100_000

# one merged record: (line, TIMER|EVENT, now, worker, the transition)
Record = tuple[int, int, datetime, int, AlertTransition]


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
def _worker(k: int, jobs: int, paths: list[str], engine: RuleEngine, strict: bool, progress: bool,
            conn: Connection) -> None:
    """Run the engine for pages of share ``k``; send ``("batch", records, last_line)`` and a final
    ``("done", counts, last_now, strict_error)``, or ``("failed", reason)``. Worker 0 also reports malformed
    lines and progress."""
    try:
        _work(k, jobs, paths, engine, strict, progress, conn)
    except KeyboardInterrupt:
        pass  # the parent got the same interrupt and says so
    except (BrokenPipeError, EOFError, OSError):
        pass  # the parent is gone
    except Exception as e:  # a bug: the parent reports it and exits 1 rather than print half a result
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _work(k: int, jobs: int, paths: list[str], engine: RuleEngine, strict: bool, progress: bool,
          conn: Connection) -> None:
    wall = SystemClock()
    counts = Counts(files=paths)
    batch: list[tuple[int, int, datetime, AlertTransition]] = []
    line = -1
    last_now: datetime | None = None
    own_cache: dict[str, bool] = {}
    error: str | None = None

    def own(page: str) -> bool:
        mine = own_cache.get(page)
        if mine is None:
            mine = own_cache[page] = partition(page, jobs) == k
        return mine

    try:
        with quiet_gc():
            for line, (ev, now) in enumerate(stream(paths, counts, sys.stderr, strict=strict,
                                                      progress=progress and k == 0, started=wall.monotonic(),
                                                      wall=wall, report_errors=k == 0, keep=own)):
                last_now = now
                due = engine.next_due()
                if due is not None and due <= now:
                    # ``Pipeline.advance`` for the engine: every timer due by now, earliest first, at its due time
                    for _ in range(_MAX_TIMER_STEPS):
                        due = engine.next_due()
                        if due is None or due > now:
                            break
                        for t in engine.advance(due):
                            batch.append((line, TIMER, due, t))
                        if engine.next_due() == due:
                            break
                if type(ev) is Event and own(ev.page):
                    for t in engine.process(ev, now):
                        batch.append((line, EVENT, now, t))
                if line % BATCH_LINES == BATCH_LINES - 1:
                    conn.send(("batch", batch, line))
                    batch = []
    except StrictStop as stop:
        error = str(stop.error)
    conn.send(("batch", batch, line))
    conn.send(("done", asdict(counts), last_now, error))


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
        for i, (line, phase, now, _, t) in enumerate(records):
            await self.tick_until(now, inclusive=phase == EVENT)
            incident = await self.incidents.on_alert(t, now)
            if t.status == AlertStatus.FIRING:
                self.alerts += 1
            await self.output.alert(t, incident)
            nxt = records[i + 1] if i + 1 < len(records) else None
            if phase == EVENT and (nxt is None or nxt[0] != line or nxt[1] != EVENT):
                due = self.incidents.next_due()
                if due is not None and due <= now:  # ``Pipeline.process``: new incidents may page at once
                    await self._tick(now)


def _order(r: Record) -> tuple[int, int, datetime, datetime, str]:
    """Stream order: the line; its timers (by due time, as ``RuleEngine.advance`` sorts them by time, ties page
    by page) before its event; records of one worker keep their order (``heapq.merge`` is stable)."""
    line, phase, now, _, t = r
    return line, phase, now, t.time, t.page


def _merge(buffers: list[list[Record]], upto: int) -> list[Record]:
    """Take every buffered record of lines up to ``upto`` from each worker's buffer, merged in stream order."""
    taken = []
    for b in buffers:
        n = 0
        while n < len(b) and b[n][0] <= upto:
            n += 1
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


async def replay_parallel(paths: list[str], config: Config, engine: RuleEngine, jobs: int, *, out: TextIO,
                          err: TextIO, strict: bool = False, progress: bool = True, summary: bool = True) -> int:
    """``replay`` on ``jobs`` worker processes, each forked with a copy of the fresh ``engine``; the same output
    and exit status as ``replay``."""
    from sentinel.store.sqlite import SqliteDatabase

    wall = SystemClock()
    started = wall.monotonic()
    ctx = multiprocessing.get_context("fork")
    conns: dict[int, Connection] = {}
    procs = []
    for k in range(jobs):
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_worker, args=(k, jobs, paths, engine, strict, progress, send),
                        name=f"sentinel-replay-{k}", daemon=True)
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
    marks = [-1] * jobs
    done: dict[int, tuple[dict[str, Any], datetime | None, str | None]] = {}
    try:
        for k, msg in _receive(conns):
            if msg is None or msg[0] == "failed":
                procs[k].join(timeout=5)
                why = msg[1] if msg is not None else f"exit status {procs[k].exitcode}"
                err.write(f"sentinel replay: worker {k} of {jobs} failed: {why}\n")
                return 1
            if msg[0] == "batch":
                _, recs, mark = msg
                buffers[k] += [(line, phase, now, k, t) for line, phase, now, t in recs]
                marks[k] = mark
            else:
                done[k] = (msg[1], msg[2], msg[3])
                marks[k] = sys.maxsize
            await merger.run(_merge(buffers, min(marks)))
        await merger.run(_merge(buffers, sys.maxsize))
        counts_raw, last_now, error = done[0]
        if last_now is not None:
            await merger.tick_until(last_now, inclusive=True)
    finally:
        for k, p in enumerate(procs):  # all have said "done" unless the run stopped early: then they are stopped
            if k not in done:
                p.kill()
            p.join()
        await db.close()
    if error is not None:
        err.write(f"sentinel replay: {error} (stopped: --strict)\n")
        return 1
    counts = Counts(**counts_raw)
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
