"""The event log: every accepted event once, in arrival order.

Once: by ``Event.identity`` (platform, page, id), the log's unique key. The same
occurrence delivered again (a webhook retried, the poller's read of it) is
dropped; the same id on another page or platform is another event, stored and
evaluated (an id a comment used elsewhere must not silence a hijack).

The pipeline reads it forward by ``seq`` from a persisted cursor, so an event
that was committed (and acknowledged) before a crash is processed after the
restart: nothing accepted is lost, and nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from sentinel.events.codec import event_from_json
from sentinel.logs import get_logger
from sentinel.model import Event, EventIdentity
from sentinel.store.base import Database, Migration

IDENTITY = "platform, page, id"  # the columns of ``Event.identity``, in its order: the log's unique key
FILL_BATCH = 1000  # rows read and updated at a time by migration 3's data step

log = get_logger("events")


def _platform(body: bytes) -> str:
    """The platform a stored body names; ``''`` for a body that does not say (one no reader decodes either)."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    platform = doc.get("platform") if isinstance(doc, dict) else None
    return platform if isinstance(platform, str) else ""


async def _fill_platforms(db: Database) -> None:
    """Migration 3's data step: each stored event's platform, read from its body as ``read_after`` reads it (the
    same on SQLite and PostgreSQL, and a body that does not decode cannot fail the migration: it keeps ``''``).
    The unique key holds throughout: ids were unique on their own before."""
    seq, unknown = 0, 0
    read = "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
    while rows := await db.fetchall(read, (seq, FILL_BATCH)):
        filled = [(_platform(bytes(body)), s) for s, body in rows]
        unknown += sum(1 for platform, _ in filled if not platform)
        if known := [f for f in filled if f[0]]:
            await db.executemany("UPDATE events SET platform = ? WHERE seq = ?", known)
        seq = int(rows[-1][0])
    if unknown:
        log.warning("events.platform_unknown", rows=unknown, note="stored bodies that name no platform: kept as ''")


MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL,
  page TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  body BYTES NOT NULL);
CREATE INDEX events_page_time ON events (page, time);
CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE alerts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL, status TEXT NOT NULL, rule TEXT NOT NULL, page TEXT NOT NULL,
  fingerprint TEXT NOT NULL, incident TEXT, body BYTES NOT NULL)
""",
        "events, cursors and alert history",
    ),
    Migration(2, "CREATE INDEX alerts_fingerprint ON alerts (fingerprint, seq)", "an alert's last transition"),
    # Ids were unique across every page and platform: an id a comment had used on one page made a hijack on
    # another with the same id a "duplicate" (stored nowhere, paged to nobody). The key becomes Event.identity.
    # SQLite drops a column's UNIQUE only by rebuilding the table: the rows move with their ``seq`` (the cursors
    # name it) and AUTOINCREMENT's high mark, so no ``seq`` is ever given twice. PostgreSQL alters the table,
    # holding the lock under which replicas add events, so none commits halfway through.
    Migration(
        3,
        """
CREATE TABLE events_v3 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  time TEXT NOT NULL,
  platform TEXT NOT NULL,
  page TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  body BYTES NOT NULL);
INSERT INTO events_v3 (seq, id, time, platform, page, kind, source, body)
  SELECT seq, id, time, '', page, kind, source, body FROM events ORDER BY seq;
DELETE FROM sqlite_sequence WHERE name = 'events_v3';
INSERT INTO sqlite_sequence (name, seq) SELECT 'events_v3', seq FROM sqlite_sequence WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_page_time ON events (page, time);
CREATE UNIQUE INDEX events_identity ON events (platform, page, id)
""",
        "events are unique by (platform, page, id), not by id alone",
        postgres="""
SELECT pg_advisory_xact_lock(hashtext('sentinel.events'));
ALTER TABLE events ADD COLUMN platform TEXT NOT NULL DEFAULT '';
ALTER TABLE events ALTER COLUMN platform DROP DEFAULT;
ALTER TABLE events DROP CONSTRAINT events_id_key;
CREATE UNIQUE INDEX events_identity ON events (platform, page, id)
""",
        then=_fill_platforms,
    ),
]


class EventLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def start(self) -> None:
        await self.db.migrate("events", MIGRATIONS)

    async def add(self, events: Sequence[Event], source: str) -> list[Event]:
        """Commit ``events``; return those new to the log (by ``Event.identity``: a repeat of one stored before, or
        earlier in ``events``, is not). Returns after the commit."""
        new: list[Event] = []
        async with self.db.transaction():
            if self.db.dialect == "postgres":
                # replicas add events concurrently: one at a time, so that they commit in ``seq`` order and a
                # reader past ``seq`` n never misses an n-1 committed after it (SQLite has one writer anyway)
                await self.db.execute("SELECT pg_advisory_xact_lock(hashtext('sentinel.events'))")
            for ev in events:
                n = await self.db.execute(
                    f"INSERT INTO events ({IDENTITY}, time, kind, source, body) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    f"ON CONFLICT ({IDENTITY}) DO NOTHING",
                    (*ev.identity, ev.time.isoformat(), ev.kind, source, orjson.dumps(ev.to_json())),
                )
                if n:
                    new.append(ev)
        return new

    async def read_after(self, seq: int, limit: int = 1000) -> list[tuple[int, Event | None, str]]:
        """The events after ``seq`` in arrival order: (seq, event, the source it came from). A row that does not
        decode (stored by an older version, or edited by hand) comes as ``None``, logged, so a reader can pass
        over it instead of stopping at it for good."""
        rows = await self.db.fetchall(
            "SELECT seq, body, source FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return self._decode(rows)

    @staticmethod
    def _decode(rows: list[tuple[Any, ...]]) -> list[tuple[int, Event | None, str]]:
        out: list[tuple[int, Event | None, str]] = []
        for s, b, src in rows:
            try:
                out.append((int(s), event_from_json(orjson.loads(b)), str(src)))
            except (ValueError, TypeError) as e:  # orjson's and the codec's errors are ValueErrors
                log.error("events.undecodable_row", seq=int(s), source=str(src), error=str(e))
                out.append((int(s), None, str(src)))
        return out

    async def read_pages(
        self, after: int, upto: int, pages: list[str], *, others: list[str] | None = None, limit: int = 1000
    ) -> list[tuple[int, Event | None, str]]:
        """``read_after`` for some pages only (PostgreSQL, several replicas): the events in ``(after, upto]`` of
        ``pages``, and, with ``others`` given, of every page not in ``others`` (the config's pages)."""
        rows = await self.db.fetchall(
            "SELECT seq, body, source FROM events WHERE seq > ? AND seq <= ? AND (page = ANY(?) OR (? AND NOT"
            " page = ANY(?))) ORDER BY seq LIMIT ?",
            (after, upto, pages, others is not None, others or [], limit),
        )
        return self._decode(rows)

    async def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 for none)."""
        row = await self.db.fetchone("SELECT MAX(seq) FROM events")
        return int(row[0]) if row and row[0] is not None else 0

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM events")
        return int(row[0]) if row else 0

    async def identities(self) -> list[EventIdentity]:
        """The identity (``Event.identity``) of every stored event, in arrival order."""
        rows = await self.db.fetchall(f"SELECT {IDENTITY} FROM events ORDER BY seq")
        return [(str(platform), str(page), str(id)) for platform, page, id in rows]

    async def get_cursor(self, name: str) -> str | None:
        row = await self.db.fetchone("SELECT value FROM cursors WHERE name = ?", (name,))
        return None if row is None else str(row[0])

    async def set_cursor(self, name: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    async def add_alert(self, record: dict[str, Any], fingerprint: str) -> bool:
        """Record one alert transition; False (nothing recorded) for a repeat of the alert's last firing or
        resolution at the same severity. Such a repeat is the replay of a batch whose cursor a crash did not
        commit (``sentinel.pipeline.worker``): the history shows each transition once. A rise in severity is a new
        firing and is recorded."""
        async with self.db.transaction():
            if record["status"] in ("firing", "resolved"):
                last = await self.db.fetchone(
                    "SELECT status, body FROM alerts WHERE fingerprint = ? ORDER BY seq DESC LIMIT 1", (fingerprint,)
                )
                if (
                    last is not None
                    and last[0] == record["status"]
                    and orjson.loads(last[1]).get("severity") == record["severity"]
                ):
                    return False
            await self.db.execute(
                "INSERT INTO alerts (time, status, rule, page, fingerprint, incident, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record["time"],
                    record["status"],
                    record["rule"],
                    record["page"],
                    fingerprint,
                    record.get("incident"),
                    orjson.dumps(record),
                ),
            )
        return True

    async def alerts(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = await self.db.fetchall("SELECT body FROM alerts ORDER BY seq DESC LIMIT ?", (limit,))
        return [orjson.loads(r[0]) for r in rows][::-1]
