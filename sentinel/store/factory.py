"""Open a store from its URL: the one module that knows both backends. It imports them; neither imports it, and
the areas (events, incidents, outbox, ...) see only ``sentinel.store.base.Database``."""

from __future__ import annotations

from sentinel.clock import Clock
from sentinel.store.base import Database
from sentinel.store.postgres import PostgresDatabase
from sentinel.store.sqlite import SqliteDatabase


async def open_database(
    url: str, *, exclusive: bool = False, full_sync: bool = False, clock: Clock | None = None
) -> Database:
    """``sqlite:///path/to.db``, ``sqlite://:memory:``, a bare path, or ``postgresql://...``.

    ``exclusive``: the caller is the store's daemon. A SQLite file is then held for the caller's life and a second
    exclusive opener is refused with a ``StoreError`` naming the file and the holder; others still read. (Several
    daemons on one PostgreSQL database are replicas by design: no effect there.) ``full_sync``: SQLite syncs every
    commit to disk (``synchronous=FULL``), so an OS crash or power loss loses no committed transaction either.
    ``clock``: what a PostgreSQL store's reconnection backs off on (default: the system's)."""
    if url.startswith(("postgres://", "postgresql://")):
        db: Database = await PostgresDatabase.connect(url, clock=clock)
        return db
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return SqliteDatabase.open(path or ":memory:", exclusive=exclusive, full_sync=full_sync)
