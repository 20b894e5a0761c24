"""Each page's pipeline state, so that the replica that takes a page over goes on where its owner stopped.

``page_state`` keeps, per lease key (a page, or ``OTHERS``): the event-log ``seq`` up to which its events were
processed, and its part of the rule engine's snapshot (its detectors' state, its alerts, the ended alerts that
still inhibit others, what was learned about it). ``split`` cuts an engine snapshot into those parts and ``merge``
joins parts back into one; both work on the snapshot's JSON data only (``RuleEngine.snapshot``: ``detectors`` and
``alerts`` name their page, ``ended`` has it in its labels, ``knowledge`` is keyed by page), so the engine knows
nothing of replicas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from sentinel.store import Database, Migration

MIGRATIONS = [
    Migration(
        1,
        "CREATE TABLE page_state (page TEXT PRIMARY KEY, seq INTEGER NOT NULL, engine TEXT NOT NULL)",
        "per page: the event-log position and the rule engine's part (several replicas)",
    ),
]

Part = dict[str, Any]


def split(snapshot: Mapping[str, Any], key: Callable[[str], str]) -> dict[str, Part]:
    """The snapshot's parts by lease key (``key(page)``)."""
    parts: dict[str, Part] = {}

    def part(page: str) -> Part:
        return parts.setdefault(key(page), {"detectors": [], "alerts": [], "ended": [], "knowledge": {}})

    for d in snapshot.get("detectors", []):
        part(str(d["page"]))["detectors"].append(d)
    for a in snapshot.get("alerts", []):
        part(str(a.get("page", "-")))["alerts"].append(a)
    for e in snapshot.get("ended", []):
        part(str(e["labels"].get("page", "-")))["ended"].append(e)
    for page, k in dict(snapshot.get("knowledge", {})).items():
        part(str(page))["knowledge"][page] = k
    return parts


def merge(version: Any, parts: Iterable[Part]) -> dict[str, Any]:
    out: dict[str, Any] = {"version": version, "detectors": [], "alerts": [], "ended": [], "knowledge": {}}
    for p in parts:
        out["detectors"] += p.get("detectors", [])
        out["alerts"] += p.get("alerts", [])
        out["ended"] += p.get("ended", [])
        out["knowledge"].update(p.get("knowledge", {}))
    return out


class PageStates:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.saved: dict[str, bytes] = {}  # key -> the part as last written (a part that did not change is not)

    async def migrate(self) -> None:
        await self.db.migrate("cluster_state", MIGRATIONS)

    async def load(self, keys: Iterable[str]) -> dict[str, tuple[int, Part]]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = await self.db.fetchall("SELECT page, seq, engine FROM page_state WHERE page = ANY(?)", (wanted,))
        out = {}
        for page, seq, engine in rows:
            self.saved[str(page)] = engine.encode() if isinstance(engine, str) else bytes(engine)
            out[str(page)] = (int(seq), orjson.loads(engine))
        return out

    async def save(self, seqs: Mapping[str, int], parts: Mapping[str, Part]) -> None:
        """Write each key's ``seq`` and part (call inside the transaction that fenced the keys)."""
        rows = []
        for key, seq in seqs.items():
            blob = orjson.dumps(parts.get(key, {"detectors": [], "alerts": [], "knowledge": {}}))
            rows.append((key, seq, blob.decode()))
            self.saved[key] = blob
        if rows:
            await self.db.executemany(
                "INSERT INTO page_state (page, seq, engine) VALUES (?, ?, ?)"
                " ON CONFLICT (page) DO UPDATE SET seq = excluded.seq, engine = excluded.engine",
                rows,
            )

    def forget(self, keys: Iterable[str]) -> None:
        for k in keys:
            self.saved.pop(k, None)
