"""The event log keys events on ``Event.identity`` (platform, page, id), on SQLite and PostgreSQL alike, and a store
made when ids were unique on their own is migrated to it with every row and ``seq`` kept.

The red-team case: a comment with id 42 on page ``other``, then a stranger given MANAGE on ``druvan`` with id 42,
was dropped as a duplicate: stored nowhere, paged to nobody.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import orjson

from sentinel.model import Event
from sentinel.store.base import Database
from sentinel.store.events import MIGRATIONS, EventLog
from sentinel.store.factory import open_database
from sentinel.testing import at, event

OLD = MIGRATIONS[:2]  # the schema before identity: ``id TEXT NOT NULL UNIQUE``
OLD_INSERT = (
    "INSERT INTO events (id, time, page, kind, source, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


def comment(page: str = "other", id: str = "42", platform: str = "facebook") -> Event:
    return event("comment.created", at(), page=page, id=id, platform=platform, message="hej", post_id="p1")


def grant(id: str = "42") -> Event:
    return event("role.granted", at("1m"), page="druvan", id=id, user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])


async def started(url: str) -> tuple[Database, EventLog]:
    db = await open_database(url)
    log = EventLog(db)
    await log.start()
    return db, log


async def test_the_same_id_on_another_page_or_platform_is_another_event(store_url: str) -> None:
    db, log = await started(store_url)
    try:
        first = comment()
        on_instagram = comment(page="druvan", platform="instagram")
        assert await log.add([first], "ingest") == [first]
        assert await log.add([grant()], "ingest") == [grant()]  # the hijack is stored, not taken for the comment
        assert await log.add([on_instagram], "webhook") == [on_instagram]
        assert await log.identities() == [
            ("facebook", "other", "42"),
            ("facebook", "druvan", "42"),
            ("instagram", "druvan", "42"),
        ]
        kinds = [e.kind for _, e, _ in await log.read_after(0) if e]
        assert kinds == ["comment.created", "role.granted", "comment.created"]
    finally:
        await db.close()


async def test_the_same_occurrence_twice_is_stored_once(store_url: str) -> None:
    db, log = await started(store_url)
    try:
        a = comment()
        again = event("comment.created", at("5m"), page="other", id="42", message="seen by the poller", post_id="p1")
        assert await log.add([a, a], "webhook") == [a]  # twice in one delivery
        assert await log.add([again], "graph") == []  # the poller's read of it: same platform, page and id
        assert await log.count() == 1
        [(_, stored, source)] = await log.read_after(0)
        assert (stored, source) == (a, "webhook")  # the first arrival is kept
    finally:
        await db.close()


async def old_store(url: str) -> tuple[Database, list[tuple[Any, ...]], int]:
    """A store as the schema before identity made it, with rows: events of two platforms, one whose body no reader
    decodes, a cursor, and a row deleted after it was given the highest ``seq`` (so that the next ``seq`` is not
    the highest stored + 1). Returns the open database, its rows and the highest ``seq`` ever given."""
    db = await open_database(url)
    assert await db.migrate("events", OLD) == 2
    rows: list[tuple[Any, ...]] = [
        (e.id, e.time.isoformat(), e.page, e.kind, src, orjson.dumps(e.to_json()))
        for e, src in [
            (comment(), "ingest"),
            (comment(page="druvan", id="ig:1", platform="instagram"), "webhook"),
            (event("post.created", at("2m"), id="fb:post:1", message="Hej", links=[]), "graph"),
        ]
    ]
    rows.insert(2, ("x:bad", at().isoformat(), "druvan", "comment.created", "ingest", b"{not json"))
    for r in [*rows, ("x:gone", at().isoformat(), "druvan", "post.deleted", "ingest", b"{}")]:
        assert await db.execute(OLD_INSERT, r) == 1
    assert await db.execute(OLD_INSERT, rows[0]) == 0  # ids were unique on their own
    [(highest,)] = await db.fetchall("SELECT MAX(seq) FROM events")
    await db.execute("DELETE FROM events WHERE id = 'x:gone'")
    await db.execute("INSERT INTO cursors (name, value) VALUES ('pipeline', '2')")
    return db, await db.fetchall("SELECT seq, id, time, page, kind, source, body FROM events ORDER BY seq"), highest


async def test_a_store_of_the_old_schema_keeps_every_row_and_seq_and_learns_each_platform(store_url: str) -> None:
    db, before, highest = await old_store(store_url)
    await db.close()

    db, log = await started(store_url)  # the daemon's next start migrates
    try:
        after = await db.fetchall("SELECT seq, id, time, page, kind, source, body FROM events ORDER BY seq")
        assert [tuple(r) for r in after] == [tuple(r) for r in before]
        assert await log.identities() == [
            ("facebook", "other", "42"),
            ("instagram", "druvan", "ig:1"),
            ("", "druvan", "x:bad"),  # a body that names no platform keeps none: the reader passes it over anyway
            ("facebook", "druvan", "fb:post:1"),
        ]
        assert await log.get_cursor("pipeline") == "2"
        assert [(s, e.id if e else None) for s, e, _ in await log.read_after(2)] == [
            (before[2][0], None),
            (before[3][0], "fb:post:1"),
        ]
        [new] = await log.add([grant()], "ingest")
        [(seq, body)] = await db.fetchall("SELECT seq, body FROM events WHERE page = 'druvan' AND id = '42'")
        assert seq > highest  # never a seq given before: a cursor past it would skip the hijack
        assert orjson.loads(body) == new.to_json()
        assert await log.add([comment()], "webhook") == []  # an occurrence stored before the migration
        rows = await db.fetchall("SELECT area, version FROM schema_migrations WHERE area = 'events' ORDER BY version")
        assert [tuple(r) for r in rows] == [("events", 1), ("events", 2), ("events", 3)]
    finally:
        await db.close()


async def test_replicas_adding_concurrently_store_each_occurrence_once_on_postgres(pg_url: str) -> None:
    """Two replicas (two connections) add overlapping deliveries at once: each identity once, ``seq`` in commit
    order (the events lock is still taken: one adder at a time)."""
    dbs, logs = zip(*[await started(pg_url) for _ in range(2)], strict=True)
    try:
        batch = [comment(page=p, id=str(i), platform=pf) for i in range(20) for p in ("a", "b") for pf in ("fb", "x")]
        news = await asyncio.gather(*(log.add(batch, "webhook") for log in logs for _ in range(3)))
        assert sum(len(n) for n in news) == len(batch)
        assert sorted(await logs[0].identities()) == sorted(e.identity for e in batch)
    finally:
        for db in dbs:
            await db.close()


async def test_the_postgres_migration_waits_for_an_adder_in_flight_and_fills_its_row(pg_url: str) -> None:
    """A replica of the old version holds the events lock (it is adding a delivery) when a new one starts: the
    migration waits for that lock, so the adder's row commits before it and is migrated with the others (instead of
    the adder failing on a key that changed under it, or leaving a row without a platform)."""
    db, _, _ = await old_store(pg_url)
    await db.close()
    old = await asyncpg.connect(pg_url)
    new_db = await open_database(pg_url)
    try:
        adding = old.transaction()
        await adding.start()
        await old.execute("SELECT pg_advisory_xact_lock(hashtext('sentinel.events'))")
        migrating = asyncio.create_task(EventLog(new_db).start())
        async with asyncio.timeout(10):  # the migration is seen waiting for the lock the adder holds
            while True:
                waiting = await old.fetchval(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                    " WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()"
                )
                if waiting:
                    break
                await asyncio.sleep(0.02)
        late = comment(page="late", id="late:1", platform="x")
        await old.execute(
            "INSERT INTO events (id, time, page, kind, source, body) VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (id) DO NOTHING",
            late.id,
            late.time.isoformat(),
            late.page,
            late.kind,
            "ingest",
            orjson.dumps(late.to_json()),
        )
        assert not migrating.done()
        await adding.commit()
        async with asyncio.timeout(10):
            await migrating
        assert ("x", "late", "late:1") in await EventLog(new_db).identities()
    finally:
        await old.close()
        await new_db.close()


async def test_replicas_starting_together_migrate_once_on_postgres(pg_url: str) -> None:
    db, before, _ = await old_store(pg_url)
    await db.close()
    dbs = [await open_database(pg_url) for _ in range(3)]
    try:
        await asyncio.gather(*(EventLog(d).start() for d in dbs))
        log = EventLog(dbs[0])
        assert [p for p, _, _ in await log.identities()] == ["facebook", "instagram", "", "facebook"]
        assert await log.count() == len(before)
    finally:
        for d in dbs:
            await d.close()
