"""PostgreSQL backend (asyncpg), for several replicas sharing one store.

The areas' portable SQL is translated: ``?`` placeholders become ``$n``,
``INTEGER PRIMARY KEY AUTOINCREMENT`` a ``BIGSERIAL`` key, ``BYTES`` ``BYTEA``,
``REAL`` ``DOUBLE PRECISION`` and ``INTEGER`` ``BIGINT`` (epoch seconds and
counters outgrow 32 bits). One connection per process: statements of a
transaction run on it under a lock, so another task's statement never lands
inside someone else's transaction.

A lost connection (the server restarted, a network cut) is reopened: the first
call after the loss tries at once, and while the server stays away the calls
in between fail at once with ``StoreUnavailable`` and the tries back off
(``RETRY_FIRST_S`` doubling up to ``RETRY_MAX_S``, on the injected clock). Every
error of a call, asyncpg's connection errors included, is a ``StoreError``;
the loss and the return are logged once each. A transaction keeps the
connection it began on: if that one is lost, its remaining statements fail and
the transaction rolls back with the server (nothing half-applied); it never
carries on over a new connection. A COMMIT whose answer was lost may have
committed: the caller retries, and Sentinel's writes are keyed (events by
identity, outbox rows by idempotency key, positions and state overwritten), so
a retry of a committed transaction changes nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from sentinel.clock import Clock, SystemClock
from sentinel.errors import StoreError, StoreUnavailable
from sentinel.logs import get_logger
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
# the connection the current task's transaction runs on (None: not in one)
_tx: contextvars.ContextVar[asyncpg.Connection | None] = contextvars.ContextVar("sentinel_pg_tx", default=None)
CONNECT_TIMEOUT_S = 10.0
RETRY_FIRST_S = 0.5  # after a failed try to reconnect, the next waits this long, doubling ...
RETRY_MAX_S = 5.0  # ... up to this: the store is back within this long of the server
# what a call raises when the server or the way to it failed (asyncpg's ConnectionDoesNotExistError and the
# server's own shutdown errors are PostgresErrors; "connection is closed" is an InterfaceError; a refused or cut
# socket an OSError)
_FAILURES = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)

log = get_logger("store")


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

    def __init__(self, conn: asyncpg.Connection, url: str = "", monotonic: Callable[[], float] | None = None) -> None:
        self._conn: asyncpg.Connection | None = conn
        self._url = url
        self._monotonic = monotonic or SystemClock().monotonic
        self._lock = asyncio.Lock()
        self._lost_at: float | None = None  # when the connection was lost (None: connected)
        self._retry_at = 0.0  # no try to reconnect before this (monotonic seconds)
        self._retry_s = RETRY_FIRST_S
        self._closed = False

    @classmethod
    async def connect(cls, url: str, *, clock: Clock | None = None) -> PostgresDatabase:
        try:
            conn = await _open(url)
        except _FAILURES as e:
            raise StoreError(f"cannot open PostgreSQL store: {e}") from e
        return cls(conn, url, (clock or SystemClock()).monotonic)

    # -- the connection ------------------------------------------------------------------------------------------
    async def _connection(self) -> asyncpg.Connection:
        """The open connection; reopened if it was lost and the back-off allows a try now (``StoreUnavailable``
        if not, or if the try fails). Called under the lock."""
        if self._closed:
            raise StoreError("the store is closed")
        if self._conn is not None and not self._conn.is_closed():
            return self._conn
        if self._conn is not None:  # closed under us (the server went away while we were idle)
            self._lose(self._conn, "the connection was closed")
        now = self._monotonic()
        if now < self._retry_at:
            raise StoreUnavailable(f"PostgreSQL unreachable, next try in {self._retry_at - now:.1f}s")
        try:
            conn = await _open(self._url)
        except _FAILURES as e:
            self._retry_at = self._monotonic() + self._retry_s
            self._retry_s = min(self._retry_s * 2, RETRY_MAX_S)
            raise StoreUnavailable(f"PostgreSQL unreachable: {e}") from e
        down = now - self._lost_at if self._lost_at is not None else 0.0
        self._conn, self._lost_at, self._retry_at, self._retry_s = conn, None, 0.0, RETRY_FIRST_S
        log.warning("store.reconnected", down_s=round(down, 1))
        return conn

    def _lose(self, conn: asyncpg.Connection, why: str) -> None:
        """``conn`` is gone: dropped, and the next call reconnects. Logged once per outage."""
        if conn is self._conn:
            self._conn = None
        conn.terminate()
        if self._lost_at is None:
            self._lost_at = self._monotonic()
            self._retry_at = 0.0  # the next call tries at once: a brief cut costs one failed call
            log.error("store.connection_lost", error=why[:300], note="reconnecting; store calls fail until then")

    def _failed(self, conn: asyncpg.Connection, e: BaseException, what: str) -> StoreError:
        """The ``StoreError`` for a call that raised ``e``: ``StoreUnavailable`` (and the connection dropped) when
        the connection did not survive it."""
        if conn.is_closed() or isinstance(e, OSError | TimeoutError | asyncpg.PostgresConnectionError):
            self._lose(conn, f"{type(e).__name__}: {e}")
            return StoreUnavailable(f"{what}: the connection to PostgreSQL was lost: {e}")
        return StoreError(f"{what}: {e}")

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[asyncpg.Connection]:
        """The connection for one statement: the transaction's own inside one (never another: a statement that
        cannot run there fails, and the transaction with it), else the shared one under the lock."""
        conn = _tx.get()
        if conn is not None:
            yield conn
            return
        async with self._lock:
            yield await self._connection()

    # -- statements ----------------------------------------------------------------------------------------------
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._session() as conn:
            try:
                with timed(Operation.EXECUTE):
                    return _rowcount(await conn.execute(translate(sql), *params))
            except _FAILURES as e:
                raise self._failed(conn, e, "store write failed") from e

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        async with self._session() as conn:
            try:
                with timed(Operation.EXECUTEMANY):
                    await conn.executemany(translate(sql), [tuple(r) for r in rows])
            except _FAILURES as e:
                raise self._failed(conn, e, "store write failed") from e
        return len(rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._session() as conn:
            try:
                with timed(Operation.FETCHALL):
                    return [tuple(r) for r in await conn.fetch(translate(sql), *params)]
            except _FAILURES as e:
                raise self._failed(conn, e, "store read failed") from e

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._session() as conn:
            try:
                with timed(Operation.FETCHONE):
                    row = await conn.fetchrow(translate(sql), *params)
            except _FAILURES as e:
                raise self._failed(conn, e, "store read failed") from e
        return None if row is None else tuple(row)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if _tx.get() is not None:
            yield
            return
        async with self._lock:
            conn = await self._connection()
            token = _tx.set(conn)
            try:
                with timed(Operation.TRANSACTION):
                    async with conn.transaction():
                        yield
            except StoreError:  # a statement's (already a StoreError), or the caller's own (LeaseLost)
                raise
            except _FAILURES as e:  # BEGIN, COMMIT or ROLLBACK failed
                raise self._failed(conn, e, "store transaction failed") from e
            finally:
                _tx.reset(token)

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
                await self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (area,))
                row = await self.fetchone(
                    "SELECT 1 FROM schema_migrations WHERE area = ? AND version = ?", (area, m.version)
                )
                if row is None:
                    for stmt in (s.strip() for s in m.statements(self.dialect).split(";")):
                        if stmt:
                            await self._ddl(translate(stmt, ddl=True))
                    if m.then is not None:
                        await m.then(self)
                    await self.execute(
                        "INSERT INTO schema_migrations (area, version, description) VALUES (?, ?, ?)",
                        (area, m.version, m.description),
                    )
            current = m.version
        return current

    async def _ddl(self, stmt: str) -> None:
        """One migration statement, already translated (no ``?`` to number: DDL may hold a literal ``?``)."""
        async with self._session() as conn:
            try:
                await conn.execute(stmt)
            except _FAILURES as e:
                raise self._failed(conn, e, "store migration failed") from e

    async def ping(self) -> bool:
        """The server answers now (reconnecting first if the connection was lost and the back-off allows)."""
        try:
            await self.fetchone("SELECT 1")
        except StoreError:
            return False
        return True

    async def close(self) -> None:
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.close(timeout=5)
        except _FAILURES:  # the server is gone: nothing to say goodbye to
            conn.terminate()


async def _open(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_S)
    try:
        await conn.execute(_MIGRATIONS_TABLE)
    except BaseException:
        conn.terminate()
        raise
    return conn
