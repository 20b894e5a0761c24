"""The daemon's pipeline worker: reads the event log forward from a persisted cursor.

Intake (ingest, webhooks, pollers) only commits events to the log and wakes
the worker, so an acknowledged event survives a crash: after a restart the
worker resumes after the last processed ``seq``. After every batch the cursor,
the rules' state and the event-time watermark are committed in one
transaction: a crash between two such commits replays the events of that
batch from the state before it (alert records and notifications carry keys,
so a replayed batch adds no second page). Incidents commit their own changes,
each with its outbox rows, as they happen.

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
from collections import deque
from collections.abc import Awaitable, Callable
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
            if self.owner is not None:
                async with self._lock:
                    n, more = await self._drain_owned()
                done += n
                if not more or self._stopping:
                    break
                continue
            woken = self._woken
            batch = await self.events.read_after(self.seq, BATCH)
            if not batch:
                self._caught_up = woken  # a wake-up during the read stays "behind" until the next read
                break
            for seq, ev, source in batch:
                if ev is None:  # a stored row that no longer decodes (logged by the event log): passed over
                    metrics.EVENTS_REJECTED.labels(source="pipeline").inc()
                else:
                    await self._process_guarded(seq, ev, source)
                self.seq = seq
                done += 1
                if done % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # let intake, /healthz and signals run between chunks of a backlog
            await self.save()
            self._progress.set()
            self._progress = asyncio.Event()
            if self._stopping:
                break
        return done

    async def _drain_owned(self) -> tuple[int, bool]:
        """One batch of the held pages' events (several replicas); (events processed, whether more may wait)."""
        assert self.owner is not None
        woken = self._woken
        batch, upto = await self.owner.read(BATCH)
        if batch and self.refresh is not None:
            await self.refresh()  # a silence made through another replica holds for this batch
        done = 0
        for seq, ev, source in batch:
            if ev is None:
                metrics.EVENTS_REJECTED.labels(source="pipeline").inc()
            elif self.owner.wants(seq, ev.page):
                await self._process_guarded(seq, ev, source)
                self.owner.done(seq, ev.page)
                done += 1
                if done % YIELD_EVERY == 0:
                    await asyncio.sleep(0)
        self.owner.covered(upto)
        if batch:
            await self.save()
        more = len(batch) >= BATCH
        if not more:
            self._caught_up = woken
        self.seq = max(self.seq, upto)
        self._progress.set()
        self._progress = asyncio.Event()
        return done, more

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

    async def _process_guarded(self, seq: int, ev: Event, source: str) -> None:
        """``_process``; an event that fails ``POISON_TRIES`` times is logged with its id and passed over, so
        one bad event cannot stop every page's alarms (it stays in the log)."""
        try:
            await self._process(ev, source)
            metrics.EVENTS_PROCESSED.inc()
        except StoreError:  # the store, not the event: the batch is tried again, the event never passed over
            raise
        except Exception:
            tries = self._failures.get(seq, 0) + 1
            if tries < POISON_TRIES:
                self._failures[seq] = tries
                raise
            self._failures.pop(seq, None)
            metrics.EVENTS_REJECTED.labels(source="pipeline").inc()
            log.exception("worker.event_skipped", seq=seq, id=ev.id, page=ev.page, tries=tries)

    async def _process(self, ev: Event, source: str) -> None:
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
        if self.sla is not None:
            self.sla.feed(ev)
        metrics.PIPELINE_LAG.set(placed.lag_s)

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
        at = self.watermark.at if self.behind and self.watermark.at is not None else self.watermark.follow(now)
        metrics.PIPELINE_LATENESS.set(self.watermark.lateness(now).total_seconds())
        for source in self.future.quiet(now):
            await self._future_alert(source, AlertStatus.RESOLVED, now)
        await self.pipeline.advance(at, now)
        if self.sla is not None:
            self.sla.tick(at)

    async def save(self, *, keys: set[str] | None = None) -> None:
        """Cursor, rule state and watermark: committed together, or not at all. (Several replicas: each held
        page's position and rule state, fenced by its lease; ``keys``: those pages only.)"""
        faults.point("worker.before_commit")
        async with self.events.db.transaction():
            if self.owner is not None:
                await self.owner.save(self.engine.snapshot(), self.clock.now(), keys=keys)
            else:
                await self.events.set_cursor(CURSOR, str(self.seq))
                await self.events.set_cursor(SNAPSHOT, orjson.dumps(self.engine.snapshot()).decode())
            await self.events.set_cursor(WATERMARK, orjson.dumps(self.watermark.snapshot()).decode())
        faults.point("worker.after_commit")

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
