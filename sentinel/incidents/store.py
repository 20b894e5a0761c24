"""The incidents area of the store: one row per incident (its state as JSON) and its timeline."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from sentinel import faults
from sentinel.incidents.state import IncidentState, TimelineEntry
from sentinel.store import Database, Migration

MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE incidents (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, page TEXT NOT NULL, category TEXT NOT NULL,
  status TEXT NOT NULL, opened_at TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL);
CREATE INDEX incidents_open ON incidents (closed);
CREATE TABLE incident_timeline (
  incident_id TEXT NOT NULL, n INTEGER NOT NULL, time TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (incident_id, n))
""",
        "incidents and their timelines",
    ),
    Migration(
        2,
        """
CREATE TABLE incident_ids (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
INSERT INTO incident_ids (name, last) SELECT 'incident', COALESCE(MAX(seq), 0) FROM incidents
""",
        "incident numbers from the store: one counter row, shared by every replica",
    ),
]


class IncidentStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._timeline_len: dict[str, int] = {}

    async def migrate(self) -> None:
        await self.db.migrate("incidents", MIGRATIONS)

    async def next_seq(self) -> int:
        """The next incident number: the counter row moved on in one statement (atomic on both backends; on
        PostgreSQL two replicas opening incidents at once get two numbers)."""
        faults.point("incident.number")
        rows = await self.db.fetchall("UPDATE incident_ids SET last = last + 1 WHERE name = 'incident' RETURNING last")
        return int(rows[0][0])

    async def open_rows(self) -> dict[str, str]:
        """Every open incident's stored state (JSON text), by id."""
        rows = await self.db.fetchall("SELECT id, state FROM incidents WHERE closed = 0 ORDER BY seq")
        return {str(r[0]): str(r[1]) for r in rows}

    async def find_open(self, page: str, category: str, group_key: str, *, lock: bool = False) -> IncidentState | None:
        """The unresolved incident of a group, as stored (``lock``: held till the commit, on PostgreSQL)."""
        rows = await self.db.fetchall(
            "SELECT state FROM incidents WHERE page = ? AND category = ? AND status != 'resolved' AND closed = 0"
            + self._for_update(lock),
            (page, category),
        )
        for r in rows:
            st = IncidentState.from_json(json.loads(r[0]))
            if st.group_key == group_key:
                return st
        return None

    def _for_update(self, lock: bool) -> str:
        return " FOR UPDATE" if lock and self.db.dialect == "postgres" else ""

    async def last_seq(self) -> int:
        row = await self.db.fetchone("SELECT MAX(seq) FROM incidents")
        return int(row[0]) if row and row[0] is not None else 0

    async def load_active(self) -> list[IncidentState]:
        rows = await self.db.fetchall("SELECT state FROM incidents WHERE closed = 0 ORDER BY seq")
        return [IncidentState.from_json(json.loads(r[0])) for r in rows]

    async def save(
        self, st: IncidentState, entries: Sequence[TimelineEntry], *, new: bool = False, shared: bool = False
    ) -> str:
        """Write the incident and append ``entries`` to its timeline (call inside a transaction); returns the state
        as written. ``shared``: other replicas append too, so the timeline's length is read, not remembered (the
        incident's row is locked)."""
        if shared:
            self._timeline_len.pop(st.id, None)
        blob = _dumps(st.to_json())
        if new:
            await self.db.execute(
                "INSERT INTO incidents (id, seq, page, category, status, opened_at, closed, state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    st.id,
                    st.seq,
                    st.page,
                    str(st.category),
                    str(st.status),
                    st.opened_at.isoformat(),
                    int(st.closed),
                    blob,
                ),
            )
            self._timeline_len[st.id] = 0
        else:
            await self.db.execute(
                "UPDATE incidents SET status = ?, closed = ?, state = ? WHERE id = ?",
                (str(st.status), int(st.closed), blob, st.id),
            )
        if entries:
            n = await self._next_n(st.id)
            await self.db.executemany(
                "INSERT INTO incident_timeline (incident_id, n, time, kind, detail) VALUES (?, ?, ?, ?, ?)",
                [(st.id, n + i, e.time.isoformat(), e.kind, _dumps(dict(e.detail))) for i, e in enumerate(entries)],
            )
            self._timeline_len[st.id] = n + len(entries)
        return blob

    async def _next_n(self, incident_id: str) -> int:
        if incident_id not in self._timeline_len:
            row = await self.db.fetchone("SELECT COUNT(*) FROM incident_timeline WHERE incident_id = ?", (incident_id,))
            self._timeline_len[incident_id] = int(row[0]) if row else 0
        return self._timeline_len[incident_id]

    def forget(self, incident_id: str) -> None:
        self._timeline_len.pop(incident_id, None)

    async def get(self, incident_id: str, *, lock: bool = False) -> IncidentState | None:
        row = await self.db.fetchone(
            "SELECT state FROM incidents WHERE id = ?" + self._for_update(lock), (incident_id,)
        )
        return None if row is None else IncidentState.from_json(json.loads(row[0]))

    async def timeline(self, incident_id: str) -> tuple[TimelineEntry, ...]:
        rows = await self.db.fetchall(
            "SELECT time, kind, detail FROM incident_timeline WHERE incident_id = ? ORDER BY n", (incident_id,)
        )
        return tuple(TimelineEntry(datetime.fromisoformat(r[0]), r[1], json.loads(r[2])) for r in rows)

    async def list_ids(self, *, open_only: bool, limit: int = 1000) -> list[str]:
        where = "WHERE status != 'resolved'" if open_only else ""
        rows = await self.db.fetchall(f"SELECT id FROM incidents {where} ORDER BY seq DESC LIMIT ?", (limit,))
        return [r[0] for r in rows]


def _dumps(data: Mapping[str, Any]) -> str:
    """Compact JSON text (orjson: an incident is written at each alert it takes in, ~5x faster than ``json``)."""
    return orjson.dumps(data).decode()
