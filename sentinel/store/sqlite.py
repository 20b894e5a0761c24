"""SQLite backend: one file, WAL journal, every write committed before return.

``synchronous=NORMAL`` in WAL mode loses nothing a committed transaction
wrote when the process is killed (only an OS crash or power loss can lose the
last transactions); set ``durability: full`` for ``synchronous=FULL``.
Calls run on the event loop's thread: statements are short, and SQLite
allows one writer at a time anyway.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sentinel.errors import StoreError
from sentinel.store.base import Migration, Row

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
  area TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (area, version))
"""


def _translate(sql: str) -> str:
    return sql.replace("BYTES", "BLOB")


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._depth = 0

    @classmethod
    def open(cls, path: str, *, full_sync: bool = False) -> SqliteDatabase:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={'FULL' if full_sync else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute(_MIGRATIONS_TABLE)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open SQLite store {path}: {e}") from e
        return cls(conn, path)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            cur = self._conn.execute(_translate(sql), tuple(params))
        except sqlite3.Error as e:
            raise StoreError(f"store write failed: {e}") from e
        return cur.rowcount

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        try:
            if self._depth:
                cur = self._conn.executemany(_translate(sql), [tuple(r) for r in rows])
                return cur.rowcount
            async with self.transaction():
                cur = self._conn.executemany(_translate(sql), [tuple(r) for r in rows])
                return cur.rowcount
        except sqlite3.Error as e:
            raise StoreError(f"store write failed: {e}") from e

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        try:
            return list(self._conn.execute(_translate(sql), tuple(params)).fetchall())
        except sqlite3.Error as e:
            raise StoreError(f"store read failed: {e}") from e

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        try:
            row = self._conn.execute(_translate(sql), tuple(params)).fetchone()
        except sqlite3.Error as e:
            raise StoreError(f"store read failed: {e}") from e
        return None if row is None else tuple(row)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._depth:  # nested: join the outer transaction
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    async def migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_migrations WHERE area = ?", (area,)).fetchone()
        current = row[0] or 0
        for m in sorted(migrations, key=lambda m: m.version):
            if m.version <= current:
                continue
            try:
                async with self.transaction():
                    for stmt in (s.strip() for s in _translate(m.sql).split(";")):
                        if stmt:
                            self._conn.execute(stmt)
                    self._conn.execute("INSERT INTO schema_migrations (area, version, description) VALUES (?, ?, ?)",
                                       (area, m.version, m.description))
            except sqlite3.Error as e:
                raise StoreError(f"migration {area} v{m.version} failed: {e}") from e
            current = m.version
        return int(current)

    async def ping(self) -> bool:
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    async def close(self) -> None:
        self._conn.close()
