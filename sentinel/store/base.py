"""The store interface every area uses.

SQL is written once, with ``?`` placeholders and portable types (TEXT,
INTEGER, REAL, BLOB as ``BYTES``); each backend translates. Every area
registers its own ordered list of migrations, tracked per area in
``schema_migrations``, so areas evolve independently. A migration whose
statements cannot be the same on both (SQLite rebuilds a table to drop a
constraint, PostgreSQL alters it) gives PostgreSQL's apart; one that moves data
SQL cannot read on both gives a Python step, run in the same transaction.

Durability contract: a write is committed before the coroutine that made it
returns; callers acknowledge to the outside world only after that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    sql: str  # one or more statements separated by ';'
    description: str = ""
    postgres: str | None = None  # PostgreSQL's statements, where they cannot be ``sql``
    then: Callable[[Database], Awaitable[None]] | None = None  # a Python step after the statements, same transaction

    def statements(self, dialect: str) -> str:
        return self.postgres if dialect == "postgres" and self.postgres is not None else self.sql


class Database(Protocol):
    dialect: str  # "sqlite" or "postgres"

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows changed."""
        ...

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int: ...

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    def transaction(self) -> AbstractAsyncContextManager[None]:
        """Statements inside commit together, or not at all."""
        ...

    async def migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        """Apply the migrations of ``area`` not applied yet; returns the version reached."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


async def aiter_rows(rows: list[Row]) -> AsyncIterator[Row]:
    for r in rows:
        yield r
