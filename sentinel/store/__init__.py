"""Persistence. ``Database`` is the one interface (SQLite by default, PostgreSQL for several replicas); each area
(events, incidents, outbox, ...) owns its tables and migrations and talks to the store only through ``Database``.
``sentinel.store.factory.open_database`` opens one from its URL."""

from sentinel.store.base import Database, Migration

__all__ = ["Database", "Migration"]
