"""Migrations on SQLite and PostgreSQL: statements of each dialect, and a Python step in the same transaction."""

from __future__ import annotations

import pytest

from sentinel.errors import StoreError
from sentinel.store.base import Database, Migration
from sentinel.store.factory import open_database

AREA = "test_area"
TABLE = Migration(1, "CREATE TABLE t (n INTEGER NOT NULL, dialect TEXT NOT NULL DEFAULT '')", "a table")


async def test_each_dialect_runs_its_own_statements(store_url: str) -> None:
    db = await open_database(store_url)
    try:
        own = Migration(2, "INSERT INTO t (n, dialect) VALUES (1, 'sqlite')", postgres="INSERT INTO t VALUES (1, 'pg')")
        assert await db.migrate(AREA, [TABLE, own]) == 2
        assert await db.fetchall("SELECT dialect FROM t") == [("pg" if db.dialect == "postgres" else "sqlite",)]
    finally:
        await db.close()


async def test_a_python_step_runs_in_the_migrations_transaction_and_a_failing_one_undoes_it(store_url: str) -> None:
    calls = 0

    async def fill(db: Database) -> None:
        nonlocal calls
        calls += 1
        await db.execute("UPDATE t SET n = n + 10")
        if calls == 1:
            raise StoreError("the first try fails")

    step = Migration(2, "INSERT INTO t (n) VALUES (1); INSERT INTO t (n) VALUES (2)", then=fill)
    db = await open_database(store_url)
    try:
        with pytest.raises(StoreError):
            await db.migrate(AREA, [TABLE, step])
        assert await db.fetchall("SELECT n FROM t") == []  # the statements went with the step
        assert await db.fetchall("SELECT version FROM schema_migrations WHERE area = ?", (AREA,)) == [(1,)]
        assert await db.migrate(AREA, [TABLE, step]) == 2  # the next start tries again
        assert sorted(await db.fetchall("SELECT n FROM t")) == [(11,), (12,)]
        assert await db.migrate(AREA, [TABLE, step]) == 2 and calls == 2  # and never after it went through
    finally:
        await db.close()
