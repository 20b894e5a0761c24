"""Persistence. ``Database`` is the one interface (SQLite by default, PostgreSQL
for several replicas); each area (events, incidents, outbox, ...) owns its
tables and migrations and talks to the store only through ``Database``."""

from sentinel.store.base import Database, Migration, open_database

__all__ = ["Database", "Migration", "open_database"]
