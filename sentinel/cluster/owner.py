"""The pipeline's side of the leases: which events a replica reads, where each page's reading stands, and the
fenced commit of each page's state.

The pipeline worker of a replica reads the shared event log for the pages it holds only, each page from its own
position (``cursors``: a page taken over starts where its last owner committed). It commits each page's
position and rule state (``PageStates``) with the page's fencing token checked in the same transaction: a
replica that lost a page cannot overwrite what its new owner wrote. A page whose rule state did not change is
written only every ``SAVE_ALL_S`` (its position is then older than the truth by at most that much: the new owner
reads those events again, and they change nothing, or they would have changed the state and been written).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from sentinel.cluster.config import membership
from sentinel.cluster.leases import OTHERS, Change, Leases
from sentinel.cluster.pagestate import PageStates, Part, merge, split
from sentinel.store import Database
from sentinel.store.events import EventLog

SAVE_ALL_S = 60.0


def page_owner(
    db: Database, events: EventLog, config: Any, environ: Mapping[str, str] = os.environ
) -> PageOwner | None:
    """The daemon's ``PageOwner`` on a PostgreSQL store (several replicas may share it); None on SQLite. Its name
    and lease time: the config's ``cluster`` section, the environment over it (``sentinel.cluster.config``)."""
    if db.dialect != "postgres":
        return None
    me = membership(config.cluster, environ)
    pages = [p.id for p in config.pages]
    return PageOwner(Leases(db, me.replica, pages, me.lease_ttl_s), events, pages)


@dataclass(slots=True)
class Moved:
    """An ownership change the worker applied: the engine's new snapshot, pages gained and pages dropped."""

    snapshot: dict[str, Any]
    gained: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)


class PageOwner:
    def __init__(self, leases: Leases, events: EventLog, configured: list[str]) -> None:
        self.leases = leases
        self.events = events
        self.states = PageStates(events.db)
        self.configured = sorted(set(configured))
        self.cursors: dict[str, int] = {}
        self.start_seq = 0  # a page nobody has processed yet starts here (a store that ran one daemon: its cursor)
        self._saved_all = float("-inf")

    async def start(self, now: datetime, start_seq: int) -> None:
        await self.states.migrate()
        await self.leases.start(now)
        self.start_seq = start_seq

    def healthy(self, now: datetime) -> bool:
        return self.leases.healthy(now)

    # -- reading -------------------------------------------------------------------------------------------------
    def low(self) -> int | None:
        return min(self.cursors.values()) if self.cursors else None

    async def read(self, limit: int) -> tuple[list[tuple[int, Any, str]], int]:
        """The held pages' next events (some may be behind a page's own cursor: ``wants`` says) and the ``seq``
        up to which the read covered them all."""
        low = self.low()
        hi = await self.events.last_seq()
        if low is None or low >= hi:
            return [], hi
        pages = [k for k in self.cursors if k != OTHERS]
        # ``OTHERS``: the pages no replica's config names, i.e. without a lease of their own
        others = [p for p in self.leases.pages if p != OTHERS] if OTHERS in self.cursors else None
        batch = await self.events.read_pages(low, hi, pages, others=others, limit=limit)
        return batch, hi if len(batch) < limit else int(batch[-1][0])

    def wants(self, seq: int, page: str) -> bool:
        key = self.leases.key(page)
        return key in self.leases.held and seq > self.cursors.get(key, seq)

    def done(self, seq: int, page: str) -> None:
        key = self.leases.key(page)
        if key in self.cursors:
            self.cursors[key] = max(self.cursors[key], seq)

    def covered(self, upto: int) -> None:
        for k in self.cursors:
            self.cursors[k] = max(self.cursors[k], upto)

    # -- committing ----------------------------------------------------------------------------------------------
    async def save(self, snapshot: Mapping[str, Any], now: datetime, *, keys: set[str] | None = None) -> None:
        """Commit the held pages' positions and rule state, fenced (call inside the worker's transaction).
        ``keys``: these and no others, whether changed or not (before handing them back)."""
        parts = split(snapshot, self.leases.key)
        every = now.timestamp() - self._saved_all >= SAVE_ALL_S
        if keys is None:
            keys = {k for k in self.cursors if every or orjson.dumps(parts.get(k, _EMPTY)) != self.states.saved.get(k)}
        keys &= set(self.cursors)
        if not keys:
            return
        await self.leases.fence(sorted(keys))
        await self.states.save({k: self.cursors[k] for k in keys}, parts)
        if every:
            self._saved_all = now.timestamp()

    # -- ownership -----------------------------------------------------------------------------------------------
    async def apply(self, change: Change, snapshot: Mapping[str, Any]) -> Moved:
        """Leases gained and lost: the pages' positions, and the engine's snapshot with their parts in or out."""
        parts = split(snapshot, self.leases.key)
        dropped = change.lost | change.surplus
        for k in dropped:
            parts.pop(k, None)
            self.cursors.pop(k, None)
        self.states.forget(dropped)
        loaded = await self.states.load(change.gained)
        for k in change.gained:
            seq, part = loaded.get(k, (self.start_seq, _EMPTY_PART()))
            parts[k] = part
            self.cursors[k] = seq
        # not the state of a page another replica's config now names (``rekeyed``): it left ``OTHERS`` for a lease
        # of its own, which this replica does not hold
        kept = [part for k, part in parts.items() if k in self.cursors or k == OTHERS]
        return Moved(merge(snapshot.get("version"), kept), set(change.gained), dropped)


_EMPTY: Part = {"detectors": [], "alerts": [], "knowledge": {}}


def _EMPTY_PART() -> Part:
    return {"detectors": [], "alerts": [], "knowledge": {}}
