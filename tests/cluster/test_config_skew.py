"""Replicas whose configs differ by a page (a rolling update that adds one), as processes on one PostgreSQL database:
the page is evaluated once, by the replica that holds its lease with its config, not also as an unknown page by the
replica that holds the lease of the pages nobody names; and when the one replica that names it stops, the other
takes its lease, so its events are still evaluated."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import orjson
import pytest

from sentinel.model import Event
from sentinel.testing import event
from sentinel.testing.daemon import Daemon, free_port, hijack_paging_config, start_daemon, stop_daemon
from sentinel.testing.providers import KeyedFake, serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TOKEN = "cluster-skew-ingest-token-0123"
# staffed for an hour on a day three days off, as druvan: a new admin is critical whenever the test runs
OFF_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][(datetime.now(UTC).weekday() + 3) % 7]
KVARNEN = f'  - {{id: kvarnen, timezone: UTC, staffed_hours: {{{OFF_DAY}: "00:00-01:00"}}}}\n'


def grant(page: str, id: str, user: str) -> Event:
    """A stranger given full control of ``page``."""
    return event(
        "role.granted", datetime.now(UTC), page=page, id=id, user={"id": user, "name": user}, tasks=["MANAGE"],
        actor=None,
    )  # fmt: skip


async def grants(conn: asyncpg.Connection, page: str) -> list[tuple[str, str]]:
    """(user, severity) of each ``hijack.manage_granted`` alert of ``page`` that fired, from the shared store."""
    if await conn.fetchval("SELECT to_regclass('alerts')") is None:
        return []
    rows = await conn.fetch(
        "SELECT body FROM alerts WHERE rule = 'hijack.manage_granted' AND page = $1 AND status = 'firing' ORDER BY seq",
        page,
    )
    return [(rec["labels"]["user"], rec["severity"]) for rec in (orjson.loads(r[0]) for r in rows)]


async def test_a_page_only_the_newer_config_names_is_evaluated_once_and_still_when_its_replica_stops(
    tmp_path: Path, pg_url: str
) -> None:
    conn = await asyncpg.connect(pg_url)
    daemons: dict[str, Daemon] = {}
    try:
        async with serve(KeyedFake()) as (_hook, hook_url):
            for name, more in (("old", ""), ("new", KVARNEN)):
                (tmp_path / name).mkdir()
                port = free_port()
                cfg = hijack_paging_config(tmp_path / name, port, hook_url, more_pages=more, store_url=pg_url)
                daemons[name] = await start_daemon(cfg, port, TOKEN, env={"SENTINEL_REPLICA": name})
            old, new = daemons["old"], daemons["new"]

            async def holders() -> dict[str, str | None]:
                return {r[0]: r[1] for r in await conn.fetch("SELECT page, holder FROM page_leases")}

            await old.until(
                "kvarnen held by the replica that names it, the unknown pages' lease by the other",
                lambda: _is(holders(), {"druvan": "old", "kvarnen": "new", "*": "old"}),
            )
            await old.until(
                "old told kvarnen has a lease of its own",
                lambda: [
                    r for r in old.log_records() if r["event"] == "cluster.pages_named" and r["pages"] == ["kvarnen"]
                ],
            )
            await old.post_events([grant("kvarnen", "skew:1", "Mr X")])
            # a grant on a page nobody names, after it: evaluated by "old" (the unknown pages' lease) in order, so
            # once its alert is there, "old" has read Mr X's grant too
            await old.post_events([grant("ghost", "skew:2", "Mr G")])
            await old.until("the unknown page's alert", lambda: grants(conn, "ghost"))
            await new.until("Mr X's alert", lambda: grants(conn, "kvarnen"))
            # once, by "new", critical as kvarnen's config has it (not also a warning as an unknown page's)
            assert await grants(conn, "kvarnen") == [("Mr X", "critical")]

            assert await stop_daemon(new) == 0, new.log_tail()
            await old.until("kvarnen taken by the replica left", lambda: _is(holders(), {"kvarnen": "old"}, part=True))
            await old.post_events([grant("kvarnen", "skew:3", "Mr Y")])
            # not lost: evaluated as an unknown page's (the defaults), as the replica left does not name the page
            await old.until("Mr Y's alert", lambda: _at_least(grants(conn, "kvarnen"), 2))
            assert await grants(conn, "kvarnen") == [("Mr X", "critical"), ("Mr Y", "warning")]
    finally:
        for d in daemons.values():
            await stop_daemon(d)
        await conn.close()


async def _is(got: Awaitable[dict[str, str | None]], want: dict[str, str], *, part: bool = False) -> bool:
    have = await got
    return ({k: have.get(k) for k in want} if part else have) == want


async def _at_least(rows: Awaitable[list[tuple[str, str]]], n: int) -> bool:
    return len(await rows) >= n
