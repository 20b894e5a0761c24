"""Replicas and page leases in PostgreSQL: who is alive, who owns which page, and the fencing token of each lease.

Every replica heartbeats into ``cluster_replicas`` and renews the leases it holds in ``page_leases`` once a
``step`` (the daemon steps every second). A lease lasts ``ttl`` past its last renewal; a replica that stops
renewing (killed, frozen, cut off from the database) loses its pages to the others once that has passed. Each
step a replica computes its fair share, ``ceil(pages / live replicas)``: under it, it takes free or expired
leases (``FOR UPDATE SKIP LOCKED``: two replicas never take the same one, and none waits on a lease another is
writing under); over it (a replica joined), it hands the surplus back (``release``, after the caller has saved
their state), and the newcomer takes them at its next step.

Taking a lease bumps its ``token``. An owner's write names the tokens it holds (``fence``, in the same
transaction as the write): the row is locked ``FOR SHARE``, so a take-over cannot commit in between, and a
token that moved on means another replica owns the page now: ``LeaseLost``, the transaction rolls back.

Replicas whose configs differ by a page (a rolling update that adds or drops one) share the leases of every page
any of them names: each replica's ``start`` adds a row for each of its pages, and each ``step`` reads them all.
A page with a row falls under its own lease, on every replica, whether its config names the page or not; only
pages no replica has named fall under ``OTHERS``. So a page is evaluated once, by whoever holds its lease, not
also as an unknown page by the holder of ``OTHERS``. A replica takes the lease of a page its config does not
name (a *foreign* page: evaluated as an unknown page, with the defaults) only when no live replica names it (the
one that did stopped): its events are then not left unread. It hands such a lease back as soon as a live replica
names the page, and that replica takes it at its next step. Every replica heartbeats the pages its config names
(``cluster_replicas.pages``).

Time is the caller's ``now`` (the injected clock), so replicas must share a clock within a small fraction of
``ttl`` (NTP does); tests give every replica the same simulated time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from sentinel.cluster import metrics
from sentinel.errors import StoreError
from sentinel.logs import get_logger
from sentinel.store import Database, Migration

OTHERS = "*"  # the lease of every page not in the config (events of unknown pages, health alerts of none)

MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE cluster_replicas (
  id TEXT PRIMARY KEY, started REAL NOT NULL, heartbeat REAL NOT NULL, address TEXT NOT NULL DEFAULT '');
CREATE TABLE page_leases (
  page TEXT PRIMARY KEY, holder TEXT, token INTEGER NOT NULL DEFAULT 0, expires REAL NOT NULL DEFAULT 0,
  acquired REAL NOT NULL DEFAULT 0, renewed REAL NOT NULL DEFAULT 0);
CREATE INDEX page_leases_holder ON page_leases (holder)
""",
        "replicas with heartbeats; page leases with fencing tokens",
    ),
    Migration(
        2,
        "ALTER TABLE cluster_replicas ADD COLUMN pages TEXT NOT NULL DEFAULT '[]'",
        "the pages each replica's config names (a foreign page's lease goes to a replica that names it)",
    ),
]

log = get_logger("cluster")


class LeaseLost(StoreError):
    """A write as a page's owner, by a replica that no longer holds its lease: refused, rolled back."""


@dataclass(slots=True)
class Change:
    """What one ``step`` changed: leases taken (page -> token), leases found lost, surplus to hand back."""

    gained: dict[str, int] = field(default_factory=dict)
    lost: set[str] = field(default_factory=set)
    surplus: set[str] = field(default_factory=set)
    rekeyed: bool = False  # another replica named a page this one did not know: its events left ``OTHERS``

    def __bool__(self) -> bool:
        return bool(self.gained or self.lost or self.surplus or self.rekeyed)


class Leases:
    def __init__(self, db: Database, replica: str, pages: Iterable[str], ttl_s: float, address: str = "") -> None:
        self.db = db
        self.replica = replica
        self.configured = frozenset({*pages, OTHERS})  # what this replica's config names (and the others' lease)
        self.pages = sorted(self.configured)  # every lease in the store, read at each step
        self._known = frozenset(self.pages)
        self.ttl = ttl_s
        self.address = address
        self.held: dict[str, int] = {}  # page -> token
        self.live = 1
        self.renewed_at: float | None = None  # when the last step renewed (None: never, or it failed)

    def key(self, page: str) -> str:
        """The lease a page's work falls under: its own, or ``OTHERS`` for a page no replica's config names."""
        return page if page in self._known else OTHERS

    def owns(self, page: str) -> bool:
        return self.key(page) in self.held

    async def start(self, now: datetime) -> None:
        await self.db.migrate("cluster", MIGRATIONS)
        t = now.timestamp()
        await self.db.executemany(
            "INSERT INTO page_leases (page) VALUES (?) ON CONFLICT (page) DO NOTHING", [(p,) for p in self.pages]
        )
        await self.db.execute(
            "INSERT INTO cluster_replicas (id, started, heartbeat, address, pages) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET started = excluded.started, heartbeat = excluded.heartbeat,"
            " address = excluded.address, pages = excluded.pages",
            (self.replica, t, t, self.address, orjson.dumps(sorted(self.configured - {OTHERS})).decode()),
        )

    async def step(self, now: datetime) -> Change:
        """Heartbeat, renew what is held, take a fair share; what changed (the caller adopts, saves, releases)."""
        t = now.timestamp()
        change = Change()
        async with self.db.transaction():
            await self.db.execute("UPDATE cluster_replicas SET heartbeat = ? WHERE id = ?", (t, self.replica))
            rows = await self.db.fetchall(
                "UPDATE page_leases SET expires = ?, renewed = ? WHERE holder = ? RETURNING page, token",
                (t + self.ttl, t, self.replica),
            )
            still = {str(r[0]): int(r[1]) for r in rows}
            change.lost = {p for p, tok in self.held.items() if still.get(p) != tok}
            known = {str(r[0]) for r in await self.db.fetchall("SELECT page FROM page_leases")}
            named_elsewhere = known - self._known
            change.rekeyed = bool(named_elsewhere)
            self.pages = sorted(known | self.configured)
            self._known = frozenset(self.pages)
            live = await self.db.fetchall("SELECT pages FROM cluster_replicas WHERE heartbeat > ?", (t - self.ttl,))
            self.live = max(1, len(live))
            named = set(self.configured)  # the pages some live replica's config names
            for (names,) in live:
                named.update(_names(names))
            held = dict(still)
            # leases the store says are ours that this replica does not hold: given up while the store was away
            # (``forfeit``), or held by an earlier life of this replica's name. Nobody took them meanwhile (the
            # token is the same): taken back, and adopted like any lease taken
            change.gained = {p: tok for p, tok in held.items() if p not in self.held}
            share = math.ceil(len(self.pages) / self.live)
            # a foreign page goes to a replica that names it as soon as one is live: handed back, whatever the share
            handback = {p for p in held if p not in self.configured and p in named}
            keep = [p for p in held if p not in handback]
            if len(keep) < share:
                takeable = [p for p in self.pages if p in self.configured or p not in named]
                taken = await self.db.fetchall(
                    "UPDATE page_leases SET holder = ?, token = token + 1, expires = ?, acquired = ?, renewed = ?"
                    " WHERE page IN (SELECT page FROM page_leases WHERE (holder IS NULL OR expires <= ?)"
                    " AND page = ANY(?) ORDER BY page = ANY(?) DESC, page LIMIT ? FOR UPDATE SKIP LOCKED)"
                    " RETURNING page, token",
                    (self.replica, t + self.ttl, t, t, t, takeable, sorted(self.configured), share - len(keep)),
                )
                for r in taken:
                    change.gained[str(r[0])] = int(r[1])
            elif len(keep) > share:  # a replica joined: hand back the surplus (saved first), foreign pages first
                change.surplus = set(sorted(keep, key=lambda p: (p not in self.configured, p))[share:])
            change.surplus |= handback
        held.update(change.gained)
        self.held = held
        self.renewed_at = t
        metrics.LEASES_HELD.set(len(self.held))
        metrics.REPLICAS_LIVE.set(self.live)
        if change.lost:
            metrics.LEASES_LOST.labels(how="lost").inc(len(change.lost))
            log.warning("cluster.leases_lost", count=len(change.lost), pages=sorted(change.lost)[:20])
        if named_elsewhere:
            log.info(
                "cluster.pages_named", pages=sorted(named_elsewhere)[:20],
                note="another replica's config names them: each is its own lease now, not one of the unknown pages",
            )  # fmt: skip
        if change.gained:
            metrics.TAKEOVERS.labels(how="taken").inc(len(change.gained))
            log.info("cluster.leases_taken", count=len(change.gained), pages=sorted(change.gained)[:20])
        return change

    def forfeit(self) -> Change:
        """A step failed (the store is away): this replica cannot renew its leases, nor know they are still its
        own, so it lets every page go now, before another replica may take them (once the lease time has run out
        since its last renewal), and acts on none of them until a step succeeds. That step takes back those nobody
        took meanwhile."""
        change = Change(lost=set(self.held))
        self.held = {}
        metrics.LEASES_HELD.set(0)
        if change.lost:
            metrics.LEASES_LOST.labels(how="given_up").inc(len(change.lost))
            log.warning("cluster.leases_given_up", count=len(change.lost), pages=sorted(change.lost)[:20])
        return change

    async def release(self, pages: Iterable[str]) -> None:
        """Hand ``pages`` back (their state saved first): any replica under its share takes them at once."""
        gone = [p for p in pages if p in self.held]
        if not gone:
            return
        await self.db.execute(
            "UPDATE page_leases SET holder = NULL, expires = 0 WHERE holder = ? AND page = ANY(?)",
            (self.replica, gone),
        )
        for p in gone:
            self.held.pop(p, None)
        metrics.LEASES_LOST.labels(how="released").inc(len(gone))
        metrics.LEASES_HELD.set(len(self.held))
        log.info("cluster.leases_released", count=len(gone))

    async def leave(self) -> None:
        """A clean stop: every lease handed back and the replica struck off, so the others take over at once. With
        the store away, the leases run out by themselves (after the lease time) instead."""
        try:
            await self.release(list(self.held))
            await self.db.execute("DELETE FROM cluster_replicas WHERE id = ?", (self.replica,))
        except StoreError as e:
            log.warning("cluster.leave_failed", error=str(e), note="the leases run out after the lease time")
            self.held = {}

    async def fence(self, pages: Sequence[str]) -> None:
        """Inside the caller's transaction: every page's lease is still this replica's, under the token it took
        it with, and stays so until the commit (``FOR SHARE``). Else ``LeaseLost``."""
        keys = sorted({self.key(p) for p in pages})
        if not keys:
            return
        rows = await self.db.fetchall(
            "SELECT page, token FROM page_leases WHERE page = ANY(?) AND holder = ? FOR SHARE",
            (keys, self.replica),
        )
        now_held = {str(r[0]): int(r[1]) for r in rows}
        bad = [k for k in keys if k not in self.held or now_held.get(k) != self.held[k]]
        if bad:
            metrics.CLAIM_CONFLICTS.labels(kind="lease").inc()
            log.warning("cluster.fenced_write_refused", pages=bad[:20])
            raise LeaseLost(f"this replica no longer holds the lease of {', '.join(bad[:5])}")

    def healthy(self, now: datetime) -> bool:
        """The last step renewed within the lease time: what this replica holds is its own."""
        return self.renewed_at is not None and now.timestamp() - self.renewed_at < self.ttl


def _names(raw: object) -> list[str]:
    """A replica's ``pages`` column: the JSON list of the page ids its config names ([] from an older replica)."""
    try:
        names = orjson.loads(raw if isinstance(raw, (str, bytes)) else "[]")
    except orjson.JSONDecodeError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []
