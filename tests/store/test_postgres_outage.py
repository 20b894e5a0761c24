"""PostgreSQL goes away under a running daemon and comes back (a real ``sentinel run`` on a private server).

The red-team case: the server stopped for 20 s and started again; the daemon never reconnected (one asyncpg
connection, opened once), answered ingest and /readyz with 500 and a traceback each time, logged a traceback a
second from its tick, kept /healthz ok, and exited 1 on SIGTERM. Now the store reconnects, every call in between
fails as a ``StoreError`` (ingest 503, /readyz not ready), the loss and the return are logged once each, the
replica gives up the pages it can no longer renew and takes them again, and a hijack after the return pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from private_postgres import private_postgres

from sentinel.errors import StoreUnavailable
from sentinel.store.factory import open_database
from sentinel.testing.daemon import (
    Daemon,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_get,
    start_daemon,
    stop_daemon,
)
from sentinel.testing.providers import KeyedFake, serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "pg-outage-ingest-token-0123456789"


async def leases_held(daemon: Daemon) -> float | None:
    return await daemon.metric("sentinel_cluster_leases_held")


async def test_a_replica_whose_database_restarts_refuses_meanwhile_and_pages_a_hijack_after(tmp_path: Path) -> None:
    async with private_postgres(tmp_path) as pg, serve(KeyedFake()) as (hook, hook_url):
        port = free_port()
        cfg = hijack_paging_config(tmp_path, port, hook_url, store_url=pg.url)
        env = {"SENTINEL_REPLICA": "a", "SENTINEL_LEASE_TTL": "5"}
        daemon = await start_daemon(cfg, port, TOKEN, env=env)
        try:
            await daemon.until("both leases taken", lambda: _equals(leases_held(daemon), 2))

            await pg.stop()
            now = datetime.now(UTC).replace(microsecond=0)
            status, answer = await daemon.ingest([new_admin(now, "during")])
            assert (status, answer) == (503, {"error": "store unavailable, retry"})
            ready = await daemon.readiness()
            assert ready["status"] == "not ready" and ready["checks"]["store"] is False, ready
            assert await daemon.alive()  # not ready, but serving: nothing to restart while the store is away
            # it cannot renew its leases, so it gives its pages up: it acts on none another replica may take
            await daemon.until("the pages given up", lambda: _equals(leases_held(daemon), 0))
            # a lease time without renewal: any other replica would take the pages now, and this one says so
            await daemon.until("the leases run out", lambda: _leases_out(daemon), 15)

            await pg.start()
            await daemon.until("ready again", daemon.ready, 30)
            await daemon.until("both leases taken again", lambda: _equals(leases_held(daemon), 2))
            assert await daemon.ingest([new_admin(now, "after")]) == (200, {"accepted": 1, "new": 1, "duplicates": 0})
            await daemon.until("the hijack paged", lambda: hook.delivered, 30)
            [incident] = (await operator_get(daemon, "/api/v1/incidents"))["incidents"]
            assert (incident["category"], incident["page"]) == ("hijack", "druvan"), incident
        finally:
            code = await stop_daemon(daemon)
        text = daemon.log.read_text(errors="replace")
        assert code == 0, daemon.log_tail()
        assert "Traceback" not in text, text[-6000:]
        events = [r.get("event") for r in daemon.log_records()]
        assert events.count("store.connection_lost") == 1, text[-6000:]
        assert events.count("store.reconnected") == 1, text[-6000:]
        errors = [r for r in daemon.log_records() if r.get("level") == "error"]
        assert [r["event"] for r in errors] == ["store.connection_lost"], errors


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


async def _equals(value: Any, want: float) -> bool:
    return bool(await value == want)


async def _leases_out(daemon: Daemon) -> bool:
    return (await daemon.readiness())["checks"]["leases"] is False
