"""Silences on several replicas (processes on one PostgreSQL database, the system clock): a silence made through one
replica mutes on the replica that holds the page, and a replica started on the database applies the stored
silences from its first batch of events on, before anything calls its operator API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from sentinel.store.events import EventLog
from sentinel.store.factory import open_database
from sentinel.testing.daemon import (
    Daemon,
    enroll,
    free_port,
    hijack_paging_config,
    new_admin,
    operator_call,
    start_daemon,
    stop_daemon,
)
from sentinel.testing.providers import KeyedFake, Received, serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "cluster-silences-ingest-token"


async def replica(tmp_path: Path, name: str, pg_url: str, hook_url: str) -> Daemon:
    workdir = tmp_path / name
    workdir.mkdir(exist_ok=True)
    port = free_port()
    cfg = hijack_paging_config(workdir, port, hook_url, store_url=pg_url)
    return await start_daemon(cfg, port, TOKEN, env={"SENTINEL_REPLICA": name})


def pages(hook: KeyedFake) -> list[dict[str, Any]]:
    return [
        r.json
        for r in hook.delivered
        if isinstance(r, Received) and isinstance(r.json, dict) and r.json.get("kind") == "page"
    ]


async def manage_granted(conn: asyncpg.Connection) -> list[tuple[str, str, str | None]]:
    """(status, user label, reason) of each ``hijack.manage_granted`` transition recorded, from the database."""
    if await conn.fetchval("SELECT to_regclass('alerts')") is None:
        return []
    out = []
    for (body,) in await conn.fetch("SELECT body FROM alerts WHERE rule = 'hijack.manage_granted' ORDER BY seq"):
        rec = orjson.loads(body)
        out.append((rec["status"], rec["labels"]["user"], rec.get("reason")))
    return out


async def silence_mr_x(daemon: Daemon, code: str) -> dict[str, Any]:
    body = {"matchers": ["page=druvan", "user=Mr X"], "for": "2h", "person": "erik", "code": code}
    status, silence = await operator_call(daemon, "POST", "/api/v1/silences", body)
    assert status == 201, silence
    return silence  # type: ignore[no-any-return]


async def spread(conn: asyncpg.Connection) -> bool:
    """Two leases (druvan, and ``*`` for the rest) held one by each replica."""
    holders = [r[0] for r in await conn.fetch("SELECT holder FROM page_leases")]
    return len(holders) == 2 and None not in holders and len(set(holders)) == 2


async def test_a_silence_made_through_one_replica_mutes_on_the_replica_that_holds_the_page(
    tmp_path: Path, pg_url: str
) -> None:
    erik = await enroll(tmp_path, "erik", store_url=pg_url)
    conn = await asyncpg.connect(pg_url)
    daemons: dict[str, Daemon] = {}
    try:
        async with serve(KeyedFake()) as (hook, hook_url):
            for name in ("a", "b"):
                daemons[name] = await replica(tmp_path, name, pg_url, hook_url)
            await daemons["a"].until("a lease held by each replica", lambda: spread(conn))
            holder = await conn.fetchval("SELECT holder FROM page_leases WHERE page = 'druvan'")
            other = daemons["b" if holder == "a" else "a"]

            await silence_mr_x(other, erik.now())  # through the replica that does not evaluate druvan's events
            now = datetime.now(UTC)
            await other.post_events([new_admin(now, "cs:muted")])
            await other.until("Mr X's alert", lambda: _at_least(manage_granted(conn), 1))
            await other.post_events([new_admin(now, "cs:paged", user="Mr Y", user_id="668")])
            await other.until("the page for Mr Y", lambda: pages(hook))
    finally:
        for d in daemons.values():
            await stop_daemon(d)
        recorded = await manage_granted(conn)
        await conn.close()
    assert recorded == [("suppressed", "Mr X", "silenced"), ("firing", "Mr Y", None)]
    [page] = pages(hook)
    assert "Mr Y" in page["summary"], page


async def test_a_replica_started_on_the_database_applies_the_stored_silences_to_its_first_batch(
    tmp_path: Path, pg_url: str
) -> None:
    erik = await enroll(tmp_path, "erik", store_url=pg_url)
    conn = await asyncpg.connect(pg_url)
    try:
        async with serve(KeyedFake()) as (hook, hook_url):
            first = await replica(tmp_path, "a", pg_url, hook_url)
            try:
                await silence_mr_x(first, erik.now())
            finally:
                assert await stop_daemon(first) == 0, first.log_tail()
            now = datetime.now(UTC)
            db = await open_database(pg_url)  # taken in just before the stop, not evaluated yet: a backlog
            try:
                assert await EventLog(db).add([new_admin(now, "cs:backlog")], "ingest")
            finally:
                await db.close()

            daemon = await replica(tmp_path, "b", pg_url, hook_url)
            try:
                await daemon.until("the backlog's alert", lambda: _at_least(manage_granted(conn), 1))
                await daemon.post_events([new_admin(now, "cs:paged", user="Mr Y", user_id="668")])
                await daemon.until("the page for Mr Y", lambda: pages(hook))
            finally:
                assert await stop_daemon(daemon) == 0, daemon.log_tail()
        recorded = await manage_granted(conn)
    finally:
        await conn.close()
    assert recorded == [("suppressed", "Mr X", "silenced"), ("firing", "Mr Y", None)]
    [page] = pages(hook)
    assert "Mr Y" in page["summary"], page


async def _at_least(rows: Any, n: int) -> bool:
    return len(await rows) >= n
