"""PostgreSQL goes away under the store and comes back (a private server, stopped and started by the test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from private_postgres import private_postgres

from sentinel.errors import StoreUnavailable
from sentinel.store.factory import open_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


async def test_a_transaction_cut_by_a_restart_fails_whole_and_the_store_reconnects(tmp_path: Path) -> None:
    """A transaction keeps the connection it began on: cut, it fails and the server rolls it back; it never carries
    on over a new connection, half-applied. The next call reconnects."""
    async with private_postgres(tmp_path) as pg:
        db = await open_database(pg.url)
        try:
            await db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
            with pytest.raises(StoreUnavailable):
                async with db.transaction():
                    await db.execute("INSERT INTO t (k) VALUES ('a')")
                    await pg.stop()
                    await pg.start()
                    await db.execute("INSERT INTO t (k) VALUES ('b')")
            assert await db.fetchall("SELECT k FROM t") == []
            async with db.transaction():
                await db.execute("INSERT INTO t (k) VALUES ('c')")
            assert await db.fetchall("SELECT k FROM t") == [("c",)]
        finally:
            await db.close()
