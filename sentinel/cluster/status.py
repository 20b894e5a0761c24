"""What ``sentinel cluster status`` shows: the replicas, their heartbeats, and the pages each holds with lease ages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sentinel.store import Database


@dataclass(frozen=True, slots=True)
class LeaseRow:
    page: str
    holder: str | None
    token: int
    expires: float
    acquired: float
    renewed: float


@dataclass(frozen=True, slots=True)
class ReplicaRow:
    id: str
    started: float
    heartbeat: float
    address: str
    pages: list[LeaseRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Status:
    replicas: list[ReplicaRow]
    unowned: list[LeaseRow]  # free, or held by a replica that stopped renewing (taken at the next step)

    def to_json(self, now: datetime) -> dict[str, object]:
        t = now.timestamp()

        def lease(r: LeaseRow) -> dict[str, object]:
            return {
                "page": r.page,
                "token": r.token,
                "held_for_s": round(t - r.acquired, 1),
                "renewed_s_ago": round(t - r.renewed, 1),
                "expires_in_s": round(r.expires - t, 1),
            }

        return {
            "replicas": [
                {
                    "id": rep.id,
                    "heartbeat_s_ago": round(t - rep.heartbeat, 1),
                    "up_s": round(t - rep.started, 1),
                    "pages": [lease(p) for p in rep.pages],
                }
                for rep in self.replicas
            ],
            "unowned": [{"page": r.page, "last_holder": r.holder} for r in self.unowned],
        }


async def read_status(db: Database, now: datetime) -> Status | None:
    """None when the store has no cluster tables (SQLite, or no replica has run on it yet)."""
    if db.dialect != "postgres":
        return None
    present = await db.fetchone("SELECT to_regclass('page_leases') IS NOT NULL")
    if not present or not present[0]:
        return None
    t = now.timestamp()
    reps = await db.fetchall("SELECT id, started, heartbeat, address FROM cluster_replicas ORDER BY id")
    leases = [
        LeaseRow(str(r[0]), r[1], int(r[2]), float(r[3]), float(r[4]), float(r[5]))
        for r in await db.fetchall(
            "SELECT page, holder, token, expires, acquired, renewed FROM page_leases ORDER BY page"
        )
    ]
    replicas = [
        ReplicaRow(
            str(r[0]), float(r[1]), float(r[2]), str(r[3]), [x for x in leases if x.holder == r[0] and x.expires > t]
        )
        for r in reps
    ]
    unowned = [x for x in leases if x.holder is None or x.expires <= t]
    return Status(replicas, unowned)
