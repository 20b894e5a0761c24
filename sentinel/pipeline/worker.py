"""The daemon's pipeline worker: reads the event log forward from a persisted cursor.

Intake (ingest, webhooks, pollers) only commits events to the log and wakes
the worker, so an acknowledged event survives a crash: after a restart the
worker resumes after the last processed ``seq``. After every batch the cursor,
the rules' state and the event-time watermark are committed in one
transaction: a crash between two such commits replays the events of that
batch from the state before it (alert records and notifications carry keys,
so a replayed batch adds no second page). Incidents commit their own changes,
each with its outbox rows, as they happen.

A batch that fails (a store error while an alert opens its incident: a full
disk, a locked database) leaves no trace in memory: the rule engine's pages it
changed (``RuleEngine.begin``/``rollback``), the watermark, the future-dated
sources and the position go back to what they were before it, and it runs
again a second later, as after a crash, so its alerts fire again. The incidents
keep memory and store alike themselves (``IncidentManager._undo``). A tick's
timers are undone the same way. An event whose processing raised
``POISON_TRIES`` times is passed over: its batch runs again at once, from the
state before it, without that event.

Several replicas on PostgreSQL (``owner`` given, ``sentinel.cluster.owner``): the
worker reads only the events of the pages whose leases its replica holds, each
page from its own committed position, and commits each page's position and rule
state fenced by the page's lease; ``tick`` renews the leases and applies what
moved (the engine rebuilt with the pages gained and without the pages lost).

Time: events are evaluated on the watermark (``sentinel.pipeline.eventtime``), the
incidents on the wall clock. No loop here runs unbounded: a batch is at most
``BATCH`` events, the worker yields to the event loop between chunks of a
batch, and a stop ends after the batch in hand.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import msgspec
import orjson

from sentinel import faults, metrics
from sentinel.clock import Clock
from sentinel.cluster.owner import Moved, PageOwner
from sentinel.errors import StoreError, StoreUnavailable
from sentinel.logs import get_logger
from sentinel.model import AlertStatus, AlertTransition, Category, Event, Severity
from sentinel.pipeline import Pipeline
from sentinel.pipeline.eventtime import EventTimeConfig, Watermark
from sentinel.reports.live import LiveSla
from sentinel.store.events import EventLog

CURSOR = "pipeline.seq"
SNAPSHOT = "pipeline.engine"
WATERMARK = "pipeline.watermark"
BATCH = 500
YIELD_EVERY = 50  # events between two yields to the event loop (HTTP, health, signals)
FUTURE_ALERT_COUNT = 10  # future-dated events from one source within FUTURE_WINDOW that raise health.future_events
FUTURE_WINDOW = timedelta(hours=1)
POISON_TRIES = 3  # an event whose processing raised this often is passed over (logged, counted)

log = get_logger("worker")


class Snapshottable(Protocol):
    def snapshot(self) -> dict[str, Any]: ...
    def restore(self, data: dict[str, Any]) -> None: ...
    def begin(self) -> None: ...
    def commit(self) -> bool: ...
    def rollback(self) -> None: ...


class Skipped(Exception):
    """An event failed ``POISON_TRIES`` times (logged): its batch runs again at once, without it."""


class FutureSources:
    """Sources that keep sending events dated ahead of their arrival: one health alert per source."""

    def __init__(self) -> None:
        self.seen: dict[str, deque[datetime]] = {}
        self.page: dict[str, str] = {}
        self.firing: set[str] = set()

    def note(self, source: str, page: str, wall: datetime) -> bool:
        """Count one; True when this one makes the source alert-worthy (and it is not alerting already)."""
        q = self.seen.setdefault(source, deque())
        q.append(wall)
        self.page[source] = page
        self._trim(q, wall)
        if len(q) >= FUTURE_ALERT_COUNT and source not in self.firing:
            self.firing.add(source)
            return True
        return False

    def quiet(self, wall: datetime) -> list[str]:
        """Alerting sources with no future-dated event within the window: their alerts end."""
        out = []
        for source in list(self.firing):
            q = self.seen.get(source, deque())
            self._trim(q, wall)
            if not q:
                self.firing.discard(source)
                out.append(source)
        return out

    @staticmethod
    def _trim(q: deque[datetime], wall: datetime) -> None:
        while q and q[0] <= wall - FUTURE_WINDOW:
            q.popleft()

    def copy(self) -> FutureSources:
        out = FutureSources()
        out.seen = {k: deque(q) for k, q in self.seen.items()}
        out.page, out.firing = dict(self.page), set(self.firing)
        return out


@dataclass(slots=True)
class Mark:
    """What a batch or a tick may change in the worker's memory, as it was before it (the rule engine keeps its
    own: ``begin``)."""

    seq: int
    watermark: dict[str, Any]
    future: FutureSources
    cursors: dict[str, int] | None  # several replicas: each held page's position


class PipelineWorker:
    def __init__(
        self,
        log_: EventLog,
        pipeline: Pipeline,
        engine: Snapshottable,
        clock: Clock,
        event_time: EventTimeConfig | None = None,
        sla: LiveSla | None = None,
        *,
        owner: PageOwner | None = None,
        rebuild: Callable[[dict[str, Any]], Snapshottable] | None = None,
        on_moved: Callable[[Moved], Awaitable[None]] | None = None,
        refresh: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.refresh = refresh  # several replicas: re-read what people changed through other replicas
        self.owner = owner  # several replicas: the pages this one holds (None: one daemon, every page)
        self.rebuild = rebuild  # a new engine from a snapshot (the pages held changed)
        self.on_moved = on_moved  # incidents and polling follow the pages held
        self._lock = asyncio.Lock()  # a batch and an ownership change never interleave
        self.events = log_
        self.sla = sla  # the community team's live figures (metrics), fed each processed event
        self.pipeline = pipeline
        self.engine = engine
        self.clock = clock
        self.watermark = Watermark(event_time or EventTimeConfig())
        self.future = FutureSources()
        self.seq = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._progress = asyncio.Event()  # set (and replaced) each time the cursor moves
        self._failures: dict[int, int] = {}  # seq -> how often processing it raised
        self._passing: set[int] = set()  # events that failed POISON_TRIES times: passed over until their batch commits
        # the engine's snapshot as the last commit wrote it, while the engine is still in that state (one daemon):
        # a batch that fails goes back to it, and needs no undo of its own (``_undoable``)
        self._saved: tuple[Snapshottable, str] | None = None
        # wake-ups counted, and the count when a read last found nothing new: while they differ, committed events
        # wait to be read, and the watermark must not move on past them (see ``tick``)
        self._woken = 1  # at start: whatever the log holds past the cursor
        self._caught_up = 0

    async def start(self) -> None:
        cursor = await self.events.get_cursor(CURSOR)
        self.seq = int(cursor) if cursor else 0
        snap = await self.events.get_cursor(SNAPSHOT)
        if snap and self.owner is None:
            self.engine.restore(orjson.loads(snap))
            self._saved = (self.engine, snap)
        if self.owner is not None:
            await self.owner.start(self.clock.now(), self.seq)
            await self.step(self.clock.now())  # before the first read: what this replica holds
        mark = await self.events.get_cursor(WATERMARK)
        if mark:
            self.watermark.restore(orjson.loads(mark))
        self._task = asyncio.create_task(self._run(), name="pipeline-worker")
        log.info("worker.started", seq=self.seq)

    def wake(self) -> None:
        """New events are committed: process them (and hold the watermark until they are)."""
        self._woken += 1
        self._wake.set()

    @property
    def behind(self) -> bool:
        """Events were committed that the worker has not read yet."""
        return self._caught_up != self._woken

    async def drain(self) -> int:
        """Process what is committed so far, a batch at a time, until caught up or stopping; returns the count."""
        done = 0
        while True:
            try:
                async with self._lock:
                    n, more = await (self._drain_owned() if self.owner is not None else self._drain_one())
            except Skipped:
                continue  # the batch again, at once, from the state before it and without the event
            done += n
            if not more or self._stopping:
                break
        return done

    async def _drain_one(self) -> tuple[int, bool]:
        """One batch of the event log (one daemon); (rows read, whether any were)."""
        woken = self._woken
        batch = await self.events.read_after(self.seq, BATCH)
        if not batch:
            self._caught_up = woken  # a wake-up during the read stays "behind" until the next read
            return 0, False
        fed: list[Event] = []
        with self._undoable():
            for i, (seq, ev, source) in enumerate(batch, 1):
                if ev is not None:  # else a stored row that no longer decodes (logged by the event log): passed over
                    await self._process_guarded(seq, ev, source, fed)
                if i % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let intake, /healthz and signals run between chunks of a backlog
            self.seq = batch[-1][0]
            await self.save()
        self._committed(batch, fed)
        return len(batch), True

    async def _drain_owned(self) -> tuple[int, bool]:
        """One batch of the held pages' events (several replicas); (events processed, whether more may wait)."""
        assert self.owner is not None
        woken = self._woken
        batch, upto = await self.owner.read(BATCH)
        if batch and self.refresh is not None:
            await self.refresh()  # a silence made through another replica holds for this batch
        fed: list[Event] = []
        done = 0
        with self._undoable():
            for seq, ev, source in batch:
                if ev is not None and self.owner.wants(seq, ev.page):
                    await self._process_guarded(seq, ev, source, fed)
                    self.owner.done(seq, ev.page)
                    done += 1
                    if done % YIELD_EVERY == 0:
                        await asyncio.sleep(0)
            self.owner.covered(upto)
            if batch:
                await self.save()
            self.seq = max(self.seq, upto)
        self._committed(batch, fed)
        more = len(batch) >= BATCH
        if not more:
            self._caught_up = woken
        return done, more

    def _committed(self, batch: list[tuple[int, Event | None, str]], fed: list[Event]) -> None:
        """A batch is committed: what watches the events hears of them, once each (not at each try)."""
        undecoded = sum(ev is None for _, ev, _ in batch)
        if undecoded:
            metrics.EVENTS_REJECTED.labels(source="pipeline").inc(undecoded)
        metrics.EVENTS_PROCESSED.inc(len(fed))
        if self.sla is not None:
            for ev in fed:
                self.sla.feed(ev)
        if self._passing:
            self._passing.difference_update(seq for seq, _, _ in batch)
        self._progress.set()
        self._progress = asyncio.Event()

    @contextlib.contextmanager
    def _undoable(self, *, tick: bool = False) -> Iterator[None]:
        """A batch or a tick: if it raises, what it changed in memory is undone (the rule engine's pages, the
        watermark, the future-dated sources, the position), so that it runs again from the state before it.

        The engine's pages are undone by the engine (``begin``/``rollback``: each page copied before its first
        change), unless the engine is still as the last commit wrote it: then a failed batch restores that (in a
        backlog, batch after batch, nothing is copied). A tick whose timers changed the engine ends that."""
        mark = Mark(
            self.seq,
            self.watermark.snapshot(),
            self.future.copy(),
            None if self.owner is None else dict(self.owner.cursors),
        )
        engine = self.engine
        saved = self._saved[1] if self._saved is not None and self._saved[0] is engine and not tick else None
        if saved is None:
            engine.begin()
        try:
            yield
        except BaseException:
            if saved is None:
                engine.rollback()
            else:
                engine.restore(orjson.loads(saved))
            self.seq = mark.seq
            self.watermark.restore(mark.watermark)
            self.future = mark.future
            if self.owner is not None and mark.cursors is not None:
                self.owner.cursors = mark.cursors
            raise
        if saved is None and engine.commit() and tick:
            self._saved = None  # the timers changed the engine since the last commit

    async def step(self, now: datetime) -> None:
        """Several replicas: renew the leases; hand back a surplus (its state committed first); take in what was
        gained and let go of what was lost: the engine rebuilt from its parts, incidents and polling told."""
        owner = self.owner
        if owner is None:
            return
        async with self._lock:
            try:
                if self.refresh is not None:
                    await self.refresh()
                change = await owner.leases.step(now)
            except StoreError:
                # no renewal: this replica lets its pages go (another may take them once the lease time is out)
                # and acts on none until a step succeeds; the next tick tries again
                change = owner.leases.forfeit()
                if not change:
                    raise
            if change.surplus:
                await self.save(keys=change.surplus)
                await owner.leases.release(change.surplus)
            if not change:
                return
            moved = await owner.apply(change, self.engine.snapshot())
            if self.rebuild is not None:
                self.engine = self.rebuild(moved.snapshot)
                self.pipeline.engine = self.engine  # type: ignore[assignment]
            if moved.gained:
                low = owner.low()
                self.seq = min(self.seq, low) if low is not None else self.seq
            if self.on_moved is not None:
                await self.on_moved(moved)
        self.wake()  # the gained pages' events wait to be read

    async def _process_guarded(self, seq: int, ev: Event, source: str, fed: list[Event]) -> None:
        """``_process``, the event as evaluated added to ``fed``. An event that fails ``POISON_TRIES`` times is
        logged with its id and passed over (``Skipped``), so one bad event cannot stop every page's alarms (it
        stays in the log)."""
        if seq in self._passing:
            return
        try:
            fed.append(await self._process(ev, source))
        except StoreError:  # the store, not the event: the batch is tried again, the event never passed over
            raise
        except Exception:
            tries = self._failures.get(seq, 0) + 1
            if tries < POISON_TRIES:
                self._failures[seq] = tries
                raise
            self._failures.pop(seq, None)
            self._passing.add(seq)
            metrics.EVENTS_REJECTED.labels(source="pipeline").inc()
            log.exception("worker.event_skipped", seq=seq, id=ev.id, page=ev.page, tries=tries)
            raise Skipped(seq) from None
        if self._failures:
            self._failures.pop(seq, None)

    async def _process(self, ev: Event, source: str) -> Event:
        """One event through the pipeline; returns it as evaluated (at its arrival if it claims a later time)."""
        wall = self.clock.now()
        placed = self.watermark.place(ev.time, wall)
        if placed.future:
            metrics.EVENTS_FUTURE.labels(source=source).inc()
            log.warning(
                "worker.future_event",
                id=ev.id,
                page=ev.page,
                source=source,
                claimed=ev.time.isoformat(),
                evaluated_at=placed.at.isoformat(),
            )
            if self.future.note(source, ev.page, wall):
                await self._future_alert(source, AlertStatus.FIRING, wall)
        if ev.time > wall:  # the rules see the time it arrived: a claimed time is stored, never evaluated
            ev = msgspec.structs.replace(ev, time=wall)
        await self.pipeline.process(ev, placed.at, wall)
        metrics.PIPELINE_LAG.set(placed.lag_s)
        return ev

    async def _future_alert(self, source: str, status: AlertStatus, wall: datetime) -> None:
        page = self.future.page.get(source, "-")
        firing = status == AlertStatus.FIRING
        verb = "keeps sending" if firing else "no longer sends"
        sv = (
            f"Källan {source} {'skickar gång på gång' if firing else 'skickar inte längre'} händelser daterade "
            "efter sin ankomst (fel klocka eller förfalskad indata)"
        )
        t = AlertTransition(
            time=wall,
            status=status,
            rule="health.future_events",
            category=Category.HEALTH,
            severity=Severity.WARNING,
            page=page,
            fingerprint=f"health.future_events:{source}",
            summary=f"Source {source} {verb} events dated ahead of their arrival (wrong clock or forged input)",
            labels={"source": source},
            summaries={"sv": sv},
        )
        await self.pipeline.raise_alert(t, wall)

    async def wait_processed(self, seq: int) -> None:
        """Return once every event up to ``seq`` has been through the pipeline."""
        if self.owner is not None:
            self.wake()  # another replica may have taken the events in: this one reads its pages' share of them
        while self.seq < seq:
            await self._progress.wait()

    async def tick(self, now: datetime) -> None:
        """Timers: the rules' up to the watermark (moved on with the wall clock), the incidents' up to ``now``."""
        # the watermark moves on with the wall clock only when every committed event has been read: else a tick in
        # the middle of a late batch would move it past the batch's own times
        await self.step(now)
        if self.owner is not None:
            self.wake()  # events other replicas took in for the pages this one holds: read them within a tick
        async with self._lock:
            with self._undoable(tick=True):  # a store error while a timer's alert opens its incident: the next tick
                at = self.watermark.at if self.behind and self.watermark.at is not None else self.watermark.follow(now)
                metrics.PIPELINE_LATENESS.set(self.watermark.lateness(now).total_seconds())
                for source in self.future.quiet(now):
                    await self._future_alert(source, AlertStatus.RESOLVED, now)
                await self.pipeline.advance(at, now)
        if self.sla is not None:
            self.sla.tick(at)

    def between_batches(self) -> asyncio.Lock:
        """Held, no batch and no tick is under way: a reload swaps the engine only between them."""
        return self._lock

    async def save(self, *, keys: set[str] | None = None) -> None:
        """Cursor, rule state and watermark: committed together, or not at all. (Several replicas: each held
        page's position and rule state, fenced by its lease; ``keys``: those pages only.)"""
        faults.point("worker.before_commit")
        text = None
        async with self.events.db.transaction():
            if self.owner is not None:
                await self.owner.save(self.engine.snapshot(), self.clock.now(), keys=keys)
            else:
                await self.events.set_cursor(CURSOR, str(self.seq))
                text = orjson.dumps(self.engine.snapshot()).decode()
                await self.events.set_cursor(SNAPSHOT, text)
            await self.events.set_cursor(WATERMARK, orjson.dumps(self.watermark.snapshot()).decode())
        faults.point("worker.after_commit")
        self._saved = None if text is None else (self.engine, text)

    async def _run(self) -> None:
        waiting = False  # the store is away: said once, tried again every second
        while not self._stopping:
            self._wake.clear()  # before draining: a wake-up during the drain is not lost
            try:
                await self.drain()
                waiting = False
            except Exception as e:  # a bug in a stage must not stop the daemon; the event stays unprocessed
                if not isinstance(e, StoreUnavailable):
                    log.exception("worker.batch_failed", seq=self.seq)
                elif not waiting:
                    waiting = True
                    log.warning(
                        "worker.batch_failed", seq=self.seq, error=str(e), note="retried until the store is back"
                    )
                await self.clock.sleep(1.0)
                self._wake.set()  # try again now, not at the next event: the events behind it are waiting
            if self._stopping:
                break
            await self._wake.wait()

    async def stop(self) -> None:
        """Finish the batch in hand and commit; what is left in the log waits for the next start."""
        self._stopping = True
        self._wake.set()
        if self._task:
            await self._task
        try:
            await self.save()
        except StoreError as e:  # a page taken over meanwhile (LeaseLost): its new owner's state stands; the store
            # away: the batches since the last commit run again at the next start (nothing is paged twice)
            log.warning("worker.final_save_refused", error=str(e))
        if self.owner is not None:
            await self.owner.leases.leave()  # a clean stop hands every page back: the others take them at once
        log.info("worker.stopped", seq=self.seq)
