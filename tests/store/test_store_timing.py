"""Every store call is timed in the store layer: ``sentinel_store_operation_duration_seconds{operation}``."""

from __future__ import annotations

import pytest

from sentinel.metrics import REGISTRY
from sentinel.store import Database, Migration
from sentinel.store.factory import open_database
from sentinel.store.timing import Operation

MIGRATIONS = [Migration(1, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)", "test table")]


def counts() -> dict[str, float]:
    return {
        op: REGISTRY.get_sample_value("sentinel_store_operation_duration_seconds_count", {"operation": str(op)}) or 0.0
        for op in Operation
    }


async def exercise(db: Database) -> dict[str, float]:
    before = counts()
    await db.migrate("timing_test", MIGRATIONS)
    await db.execute("INSERT INTO t (k, v) VALUES (?, ?)", ("a", 1))
    await db.executemany("INSERT INTO t (k, v) VALUES (?, ?)", [("b", 2), ("c", 3)])
    async with db.transaction():
        await db.execute("UPDATE t SET v = v + 1 WHERE k = ?", ("a",))
        async with db.transaction():  # nested: joins the outer, not timed on its own
            await db.fetchone("SELECT v FROM t WHERE k = ?", ("a",))
    assert [r[0] for r in await db.fetchall("SELECT k FROM t ORDER BY k")] == ["a", "b", "c"]
    after = counts()
    return {op: after[op] - before[op] for op in before}


def check(diff: dict[str, float]) -> None:
    assert diff["migrate"] == 1
    assert diff["execute"] >= 2 and diff["executemany"] == 1 and diff["fetchall"] >= 1 and diff["fetchone"] >= 1
    # the outer transaction, and the migration's and executemany's own (SQLite); never the nested one
    assert 1 <= diff["transaction"] <= 3


async def test_sqlite_times_every_operation(tmp_path: object) -> None:
    db = await open_database(f"sqlite:///{tmp_path}/s.db")
    try:
        check(await exercise(db))
    finally:
        await db.close()


@pytest.mark.slow
async def test_postgres_times_every_operation(pg_url: str) -> None:
    db = await open_database(pg_url)
    try:
        check(await exercise(db))
    finally:
        await db.close()
