"""The daemon's pipeline worker: reads the event log forward from a persisted cursor.

Intake (ingest, webhooks, pollers) only commits events to the log and wakes
the worker, so an acknowledged event survives a crash: after a restart the
worker resumes after the last processed ``seq``. Rule state is snapshotted
with the cursor in one transaction, so a restart neither loses a pending
alert nor re-fires a firing one.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Protocol

import orjson

from sentinel import metrics
from sentinel.clock import Clock
from sentinel.logs import get_logger
from sentinel.pipeline import Pipeline
from sentinel.store.events import EventLog

CURSOR = "pipeline.seq"
SNAPSHOT = "pipeline.engine"
BATCH = 500

log = get_logger("worker")


class Snapshottable(Protocol):
    def snapshot(self) -> dict[str, Any]: ...
    def restore(self, data: dict[str, Any]) -> None: ...


class PipelineWorker:
    def __init__(self, log_: EventLog, pipeline: Pipeline, engine: Snapshottable, clock: Clock,
                 snapshot_every_s: float = 5.0) -> None:
        self.events = log_
        self.pipeline = pipeline
        self.engine = engine
        self.clock = clock
        self.snapshot_every_s = snapshot_every_s
        self.seq = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._last_snapshot = 0.0
        self._dirty = False
        self._progress = asyncio.Event()  # set (and replaced) each time the cursor moves

    async def start(self) -> None:
        cursor = await self.events.get_cursor(CURSOR)
        self.seq = int(cursor) if cursor else 0
        snap = await self.events.get_cursor(SNAPSHOT)
        if snap:
            self.engine.restore(orjson.loads(snap))
        self._last_snapshot = self.clock.monotonic()
        self._task = asyncio.create_task(self._run(), name="pipeline-worker")
        log.info("worker.started", seq=self.seq)

    def wake(self) -> None:
        self._wake.set()

    async def drain(self) -> int:
        """Process everything committed so far; returns how many events were processed."""
        done = 0
        while True:
            batch = await self.events.read_after(self.seq, BATCH)
            if not batch:
                break
            for seq, ev in batch:
                now = max(self.clock.now(), ev.time)
                await self.pipeline.process(ev, now)
                metrics.PIPELINE_LAG.set(max(0.0, (self.clock.now() - ev.time).total_seconds()))
                self.seq = seq
                done += 1
                if done % 50 == 0:
                    await asyncio.sleep(0)  # let intake (HTTP) run between chunks of a long backlog
            self._dirty = True
            await self.events.set_cursor(CURSOR, str(self.seq))
            self._progress.set()
            self._progress = asyncio.Event()
            if self.clock.monotonic() - self._last_snapshot >= self.snapshot_every_s:
                await self.save()
        return done

    async def wait_processed(self, seq: int) -> None:
        """Return once every event up to ``seq`` has been through the pipeline."""
        while self.seq < seq:
            await self._progress.wait()

    async def tick(self, now: datetime) -> None:
        await self.pipeline.advance(now)

    async def save(self) -> None:
        async with self.events.db.transaction():
            await self.events.set_cursor(CURSOR, str(self.seq))
            await self.events.set_cursor(SNAPSHOT, orjson.dumps(self.engine.snapshot()).decode())
        self._last_snapshot = self.clock.monotonic()
        self._dirty = False

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before draining: a wake-up during the drain is not lost
            try:
                await self.drain()
            except Exception:  # a bug in a stage must not stop the daemon; the event stays unprocessed
                log.exception("worker.batch_failed", seq=self.seq)
                await self.clock.sleep(1.0)
            if self._stopping:
                break
            await self._wake.wait()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task:
            await self._task
        await self.drain()
        await self.save()
        log.info("worker.stopped", seq=self.seq)
