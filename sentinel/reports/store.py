"""The events a report reads from the daemon's store: every stored event, in time order, read in batches that let the
daemon's other work run between them (a SQLite read holds the event loop while it runs)."""

from __future__ import annotations

import asyncio

from sentinel.model import Event
from sentinel.store import Database
from sentinel.store.events import EventLog

BATCH = 5000


async def stored_events(db: Database) -> list[Event]:
    """Every event of the store's log in time order (arrival order is not time order: a late webhook, a backlog).
    A row that does not decode is passed over (``EventLog.read_after`` logs it)."""
    log, seq, out = EventLog(db), 0, []
    await log.start()  # (the log's table, for a store no daemon has written yet)
    while True:
        rows = await log.read_after(seq, BATCH)
        if not rows:
            break
        seq = rows[-1][0]
        out += [ev for _, ev, _ in rows if ev is not None]
        await asyncio.sleep(0)  # /healthz, intake and pages between batches
    out.sort(key=lambda e: e.time)
    return out
