"""PostgreSQL backend (asyncpg), for several replicas sharing one store.

The areas' portable SQL is translated: ``?`` placeholders become ``$n``,
``INTEGER PRIMARY KEY AUTOINCREMENT`` a ``BIGSERIAL`` key, ``BYTES`` ``BYTEA``,
``REAL`` ``DOUBLE PRECISION`` and ``INTEGER`` ``BIGINT`` (epoch seconds and
counters outgrow 32 bits). One connection per process: statements of a
transaction run on it under a lock, so another task's statement never lands
inside someone else's transaction.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from sentinel.errors import StoreError
from sentinel.store.base import Migration, Row
from sentinel.store.timing import Operation, timed

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
  area TEXT NOT NULL, version BIGINT NOT NULL, description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (area, version))
"""
_DDL = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.I), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bBYTES\b"), "BYTEA"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
]
_in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar("sentinel_pg_in_tx", default=False)


def translate(sql: str, *, ddl: bool = False) -> str:
    """``?`` → ``$1, $2, ...`` outside string literals; DDL types as above."""
    out: list[str] = []
    n = 0
    in_str = False
    for ch in sql:
        if ch == "'":
            in_str = not in_str
        if ch == "?" and not in_str:
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
    text = "".join(out)
    if ddl:
        for pattern, repl in _DDL:
            text = pattern.sub(repl, text)
    return text


def _rowcount(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, url: str) -> PostgresDatabase:
        try:
            conn = await asyncpg.connect(url, timeout=10)
            await conn.execute(_MIGRATIONS_TABLE)
        except (TimeoutError, OSError, asyncpg.PostgresError) as e:
            raise StoreError(f"cannot open PostgreSQL store: {e}") from e
        return cls(conn)

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        if _in_tx.get():
            yield
            return
        async with self._lock:
            yield

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            async with self._locked():
                with timed(Operation.EXECUTE):
                    return _rowcount(await self._conn.execute(translate(sql), *params))
        except asyncpg.PostgresError as e:
            raise StoreError(f"store write failed: {e}") from e

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        try:
            async with self._locked():
                with timed(Operation.EXECUTEMANY):
                    await self._conn.executemany(translate(sql), [tuple(r) for r in rows])
        except asyncpg.PostgresError as e:
            raise StoreError(f"store write failed: {e}") from e
        return len(rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        try:
            async with self._locked():
                with timed(Operation.FETCHALL):
                    return [tuple(r) for r in await self._conn.fetch(translate(sql), *params)]
        except asyncpg.PostgresError as e:
            raise StoreError(f"store read failed: {e}") from e

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        try:
            async with self._locked():
                with timed(Operation.FETCHONE):
                    row = await self._conn.fetchrow(translate(sql), *params)
        except asyncpg.PostgresError as e:
            raise StoreError(f"store read failed: {e}") from e
        return None if row is None else tuple(row)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if _in_tx.get():
            yield
            return
        async with self._lock:
            token = _in_tx.set(True)
            try:
                with timed(Operation.TRANSACTION):
                    async with self._conn.transaction():
                        yield
            except asyncpg.PostgresError as e:
                raise StoreError(f"store transaction failed: {e}") from e
            finally:
                _in_tx.reset(token)

    async def migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        with timed(Operation.MIGRATE):
            return await self._migrate(area, migrations)

    async def _migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        row = await self.fetchone("SELECT MAX(version) FROM schema_migrations WHERE area = ?", (area,))
        current = int(row[0]) if row and row[0] is not None else 0
        for m in sorted(migrations, key=lambda m: m.version):
            if m.version <= current:
                continue
            async with self.transaction():
                # one advisory lock per area: replicas starting together migrate once
                await self._conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", area)
                row = await self._conn.fetchrow(
                    "SELECT 1 FROM schema_migrations WHERE area = $1 AND version = $2", area, m.version
                )
                if row is None:
                    for stmt in (s.strip() for s in m.statements(self.dialect).split(";")):
                        if stmt:
                            await self._conn.execute(translate(stmt, ddl=True))
                    if m.then is not None:
                        await m.then(self)
                    await self._conn.execute(
                        "INSERT INTO schema_migrations (area, version, description) VALUES ($1, $2, $3)",
                        area,
                        m.version,
                        m.description,
                    )
            current = m.version
        return current

    async def ping(self) -> bool:
        try:
            async with self._locked():
                await self._conn.fetchval("SELECT 1")
        except (asyncpg.PostgresError, OSError):
            return False
        return True

    async def close(self) -> None:
        await self._conn.close()
